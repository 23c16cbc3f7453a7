/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver.c: the qemu driver's view of its domains (persistent ones
 * from the store joined with the running ones from the process manager),
 * lookups and listing, states, live XML, lifecycle events, re-attach and
 * autostart. Starting and the operations are in qemu-driver-run.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain-device.h"
#include "conf/domain-priv.h"
#include "qemu-driver-priv.h"
#include "util/error.h"
#include "util/log.h"

/* --- live records, busy state, events --- */

static void driver_busy_update(VmmQemuDriver *drv)
{
        bool busy = drv->n_live > 0;

        if (busy == drv->busy)
                return;
        drv->busy = busy;
        if (drv->cb.busy)
                drv->cb.busy(drv, busy, drv->userdata);
}

static QemuDriverLive *driver_live_find(VmmQemuDriver *drv, const VmmQemuProcess *proc)
{
        for (size_t i = 0; i < drv->n_live; i++)
                if (drv->live[i].proc == proc)
                        return &drv->live[i];
        return NULL;
}

int qemu_driver_live_add(VmmQemuDriver *drv, VmmQemuProcess *proc, bool announced, VmmError *error)
{
        QemuDriverLive *live;

        if (driver_live_find(drv, proc))
                return 0;
        live = realloc(drv->live, (drv->n_live + 1) * sizeof(*live));
        if (!live)
                return vmm_error_oom(error);
        drv->live = live;
        drv->live[drv->n_live++] = (QemuDriverLive){
            .proc = vmm_qemu_process_ref(proc),
            .announced = announced,
        };
        driver_busy_update(drv);
        return 0;
}

void qemu_driver_live_remove(VmmQemuDriver *drv, VmmQemuProcess *proc)
{
        QemuDriverLive *live = driver_live_find(drv, proc);

        if (!live)
                return;
        vmm_qemu_process_unref(live->proc);
        *live = drv->live[--drv->n_live];
        driver_busy_update(drv);
}

void qemu_driver_emit(VmmQemuDriver *drv, VmmQemuProcess *proc, int event, int detail)
{
        const VmmDomainDef *def = vmm_qemu_process_get_def(proc);
        uint8_t uuid[VMM_UUID_LEN];
        int id = event == VMM_DOMAIN_EVENT_STOPPED ? -1 : vmm_domain_def_get_id(def);

        vmm_domain_def_get_uuid(def, uuid);
        if (drv->cb.event)
                drv->cb.event(drv, vmm_qemu_process_get_name(proc), uuid, id > 0 ? id : -1, event,
                              detail, drv->userdata);
}

static void driver_remember_stop(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN], int reason)
{
        QemuDriverLastStop *stops;

        for (size_t i = 0; i < drv->n_stops; i++) {
                if (memcmp(drv->stops[i].uuid, uuid, VMM_UUID_LEN) == 0) {
                        drv->stops[i].reason = reason;
                        return;
                }
        }
        stops = realloc(drv->stops, (drv->n_stops + 1) * sizeof(*stops));
        if (!stops)
                return; /* the reason reads "unknown" then */
        drv->stops = stops;
        memcpy(stops[drv->n_stops].uuid, uuid, VMM_UUID_LEN);
        stops[drv->n_stops++].reason = reason;
}

void vmm_qemu_driver_forget(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN])
{
        for (size_t i = 0; i < drv->n_stops; i++) {
                if (memcmp(drv->stops[i].uuid, uuid, VMM_UUID_LEN) == 0) {
                        drv->stops[i] = drv->stops[--drv->n_stops];
                        return;
                }
        }
}

static int stopped_detail(int reason)
{
        switch (reason) {
        case VMM_DOMAIN_SHUTOFF_DESTROYED:
                return VMM_QEMU_EVENT_STOPPED_DESTROYED;
        case VMM_DOMAIN_SHUTOFF_CRASHED:
                return VMM_QEMU_EVENT_STOPPED_CRASHED;
        case VMM_DOMAIN_SHUTOFF_MIGRATED:
                return VMM_QEMU_EVENT_STOPPED_MIGRATED;
        case VMM_DOMAIN_SHUTOFF_SAVED:
                return VMM_QEMU_EVENT_STOPPED_SAVED;
        case VMM_DOMAIN_SHUTOFF_FAILED:
                return VMM_QEMU_EVENT_STOPPED_FAILED;
        default:
                return VMM_QEMU_EVENT_STOPPED_SHUTDOWN;
        }
}

static void driver_poweroff_done(VmmQemuProcess *proc, int status, const char *message,
                                 void *userdata)
{
        if (status < 0)
                vmm_log_warning("domain '%s': <on_poweroff>: %s, ignoring",
                                vmm_qemu_process_get_name(proc), message);
}

/* The guest powered off and QEMU stayed (-no-shutdown): <on_poweroff>. */
static void driver_on_poweroff(VmmQemuProcess *proc)
{
        const VmmDomainDef *def = vmm_qemu_process_get_def(proc);
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;

        if (def->on_poweroff != VMM_DOMAIN_LIFECYCLE_RESTART &&
            def->on_poweroff != VMM_DOMAIN_LIFECYCLE_RENAME_RESTART &&
            def->on_poweroff != VMM_DOMAIN_LIFECYCLE_COREDUMP_RESTART)
                return; /* preserve: it stays paused */
        vmm_log_info("domain '%s': powered off, restarting it (<on_poweroff>restart)",
                     vmm_qemu_process_get_name(proc));
        if (vmm_qemu_process_reset(proc, driver_poweroff_done, NULL, &err) < 0 ||
            vmm_qemu_process_resume(proc, driver_poweroff_done, NULL, &err) < 0)
                vmm_log_warning("%s, ignoring", err.message);
}

void qemu_driver_state_changed(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmDomainState state,
                               int reason, void *userdata)
{
        VmmQemuDriver *drv = userdata;
        QemuDriverLive *live = driver_live_find(drv, proc);
        uint8_t uuid[VMM_UUID_LEN];

        vmm_log_info("domain '%s': %s (%s)", vmm_qemu_process_get_name(proc),
                     vmm_domain_state_to_string(state),
                     vmm_domain_state_reason_to_string(state, reason));
        if (state == VMM_DOMAIN_SHUTOFF) {
                vmm_domain_def_get_uuid(vmm_qemu_process_get_def(proc), uuid);
                if (vmm_qemu_domains_find_by_uuid(drv->store, uuid))
                        driver_remember_stop(drv, uuid, reason);
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_STOPPED, stopped_detail(reason));
                qemu_driver_live_remove(drv, proc);
                return;
        }
        if (live && !live->announced &&
            (state == VMM_DOMAIN_RUNNING || state == VMM_DOMAIN_PAUSED)) {
                live->announced = true;
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_STARTED,
                                 state == VMM_DOMAIN_RUNNING &&
                                         reason == VMM_DOMAIN_RUNNING_RESTORED
                                     ? VMM_DOMAIN_EVENT_STARTED_RESTORED
                                     : VMM_QEMU_EVENT_STARTED_BOOTED);
                if (state == VMM_DOMAIN_PAUSED)
                        qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_SUSPENDED,
                                         VMM_QEMU_EVENT_SUSPENDED_PAUSED);
                return;
        }
        switch (state) {
        case VMM_DOMAIN_RUNNING:
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_RESUMED,
                                 VMM_QEMU_EVENT_RESUMED_UNPAUSED);
                break;
        case VMM_DOMAIN_PAUSED:
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_SUSPENDED,
                                 VMM_QEMU_EVENT_SUSPENDED_PAUSED);
                if (reason == VMM_DOMAIN_PAUSED_SHUTTING_DOWN)
                        driver_on_poweroff(proc);
                break;
        case VMM_DOMAIN_SHUTDOWN:
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_SHUTDOWN,
                                 VMM_QEMU_EVENT_SHUTDOWN_FINISHED);
                break;
        case VMM_DOMAIN_CRASHED:
                qemu_driver_emit(drv, proc, VMM_DOMAIN_EVENT_CRASHED, 0);
                break;
        default:
                break;
        }
}

static void driver_reset(VmmQemuManager *mgr, VmmQemuProcess *proc, bool guest, void *userdata)
{
        vmm_log_info("domain '%s': reset (%s)", vmm_qemu_process_get_name(proc),
                     guest ? "by the guest" : "by the host");
}

/* --- life of the driver --- */

int vmm_qemu_driver_new(const VmmQemuDriverConfig *config, const VmmQemuDriverCallbacks *cb,
                        void *userdata, VmmQemuDriver **ret_drv, VmmError *error)
{
        static const VmmQemuManagerCallbacks mgr_cb = {
            .state_changed = qemu_driver_state_changed,
            .reset = driver_reset,
        };
        VmmQemuManagerConfig mc = {0};
        VmmQemuDriver *drv;
        int r;

        vmm_check_arg(config && config->loop && config->store && config->run_dir && config->log_dir,
                      error, "config (loop, store, run_dir and log_dir are needed)");
        vmm_check_arg(ret_drv, error, "ret_drv");
        drv = calloc(1, sizeof(*drv));
        if (!drv)
                return vmm_error_oom(error);
        drv->loop = config->loop;
        drv->store = config->store;
        drv->next_id = 1;
        if (cb)
                drv->cb = *cb;
        drv->userdata = userdata;
        if ((config->emulator && !(drv->emulator = strdup(config->emulator))) ||
            (config->save_dir && !(drv->save_dir = strdup(config->save_dir)))) {
                free(drv->emulator);
                free(drv);
                return vmm_error_oom(error);
        }
        mc.run_dir = config->run_dir;
        mc.log_dir = config->log_dir;
        r = vmm_qemu_manager_new(config->loop, &mc, &mgr_cb, drv, NULL, &drv->mgr, error);
        if (r < 0) {
                free(drv->emulator);
                free(drv->save_dir);
                free(drv);
                return r;
        }
        *ret_drv = drv;
        return 0;
}

VmmQemuDriver *vmm_qemu_driver_free(VmmQemuDriver *drv)
{
        if (!drv)
                return NULL;
        /* detaches every QEMU (they keep running); starts in flight end */
        drv->mgr = vmm_qemu_manager_free(drv->mgr);
        while (drv->n_live > 0)
                vmm_qemu_process_unref(drv->live[--drv->n_live].proc);
        free(drv->live);
        free(drv->stops);
        free(drv->emulator);
        free(drv->save_dir);
        free(drv);
        return NULL;
}

static void autostart_done(int status, const char *message, void *userdata)
{
        char *name = userdata;

        if (status < 0)
                vmm_log_error("autostart of domain '%s' failed: %s", name, message);
        else
                vmm_log_info("domain '%s' autostarted", name);
        free(name);
}

static void driver_autostart(VmmQemuDriver *drv)
{
        _cleanup_free_ VmmQemuDomain **doms = NULL;
        size_t n = 0;

        if (vmm_qemu_domains_list(drv->store, VMM_DOMAIN_LIST_AUTOSTART, &doms, &n, NULL) < 0)
                return;
        for (size_t i = 0; i < n; i++) {
                _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;
                char *name;

                if (vmm_qemu_manager_find_by_uuid(drv->mgr, doms[i]->uuid))
                        continue;
                name = strdup(doms[i]->name);
                if (!name)
                        return;
                if (qemu_driver_start_def(drv, doms[i]->def, 0, autostart_done, name, &err) < 0) {
                        vmm_log_error("autostart of domain '%s' failed: %s", name, err.message);
                        free(name);
                }
        }
}

int vmm_qemu_driver_attach(VmmQemuDriver *drv, VmmError *error)
{
        int n = vmm_qemu_manager_attach_all(drv->mgr, error);

        if (n < 0)
                return n;
        for (size_t i = 0; i < vmm_qemu_manager_count(drv->mgr); i++) {
                VmmQemuProcess *proc = vmm_qemu_manager_get(drv->mgr, i);
                int id = vmm_domain_def_get_id(vmm_qemu_process_get_def(proc)), reason;
                VmmDomainState st = vmm_qemu_process_get_state(proc, &reason);
                bool starting = st == VMM_DOMAIN_PAUSED && reason == VMM_DOMAIN_PAUSED_STARTING_UP;
                int r = qemu_driver_live_add(drv, proc, !starting, error);

                if (r < 0)
                        return r;
                if (id >= drv->next_id)
                        drv->next_id = id + 1;
                vmm_log_info("domain '%s': re-attached to QEMU pid %d (id %d)",
                             vmm_qemu_process_get_name(proc), (int)vmm_qemu_process_get_pid(proc),
                             id);
        }
        driver_autostart(drv);
        return n;
}

/* --- lookups --- */

static void driver_domain_fill(VmmQemuDriver *drv, VmmQemuDomain *persistent, VmmQemuProcess *proc,
                               VmmQemuDriverDomain *ret)
{
        const VmmDomainDef *live = proc ? vmm_qemu_process_get_def(proc) : NULL;
        int id = live ? vmm_domain_def_get_id(live) : -1;

        *ret = (VmmQemuDriverDomain){
            .name = persistent ? persistent->name : vmm_qemu_process_get_name(proc),
            .id = proc && id > 0 ? id : -1,
            .persistent = persistent,
            .proc = proc,
        };
        if (persistent)
                memcpy(ret->uuid, persistent->uuid, VMM_UUID_LEN);
        else
                vmm_domain_def_get_uuid(live, ret->uuid);
}

int vmm_qemu_driver_find_uuid(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN],
                              VmmQemuDriverDomain *ret, VmmError *error)
{
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_uuid(drv->store, uuid);
        VmmQemuProcess *proc = vmm_qemu_manager_find_by_uuid(drv->mgr, uuid);
        char buf[VMM_UUID_STRLEN];

        if (!dom && !proc)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no domain with UUID %s",
                                     vmm_uuid_format(uuid, buf));
        driver_domain_fill(drv, dom, proc, ret);
        return 0;
}

int vmm_qemu_driver_find_name(VmmQemuDriver *drv, const char *name, VmmQemuDriverDomain *ret,
                              VmmError *error)
{
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_name(drv->store, name);
        VmmQemuProcess *proc = dom ? vmm_qemu_manager_find_by_uuid(drv->mgr, dom->uuid)
                                   : vmm_qemu_manager_find_by_name(drv->mgr, name);

        if (!dom && !proc)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no domain named '%s'",
                                     name);
        driver_domain_fill(drv, dom, proc, ret);
        return 0;
}

int vmm_qemu_driver_find_id(VmmQemuDriver *drv, int id, VmmQemuDriverDomain *ret, VmmError *error)
{
        for (size_t i = 0; id > 0 && i < vmm_qemu_manager_count(drv->mgr); i++) {
                VmmQemuProcess *proc = vmm_qemu_manager_get(drv->mgr, i);
                uint8_t uuid[VMM_UUID_LEN];

                if (vmm_domain_def_get_id(vmm_qemu_process_get_def(proc)) != id)
                        continue;
                vmm_domain_def_get_uuid(vmm_qemu_process_get_def(proc), uuid);
                driver_domain_fill(drv, vmm_qemu_domains_find_by_uuid(drv->store, uuid), proc, ret);
                return 0;
        }
        return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no running domain with id %d", id);
}

VmmDomainState vmm_qemu_driver_state(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                     int *ret_reason)
{
        int reason = VMM_DOMAIN_SHUTOFF_UNKNOWN;

        if (d->proc)
                return vmm_qemu_process_get_state(d->proc, ret_reason);
        for (size_t i = 0; i < drv->n_stops; i++)
                if (memcmp(drv->stops[i].uuid, d->uuid, VMM_UUID_LEN) == 0)
                        reason = drv->stops[i].reason;
        if (ret_reason)
                *ret_reason = reason;
        return VMM_DOMAIN_SHUTOFF;
}

int vmm_qemu_driver_get_xml(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int flags,
                            char **ret_xml, VmmError *error)
{
        unsigned int fflags = flags & VMM_DOMAIN_XML_SECURE ? VMM_DOMAIN_DEVICES_FORMAT_SECURE : 0;

        if (d->proc && !(flags & VMM_DOMAIN_XML_INACTIVE))
                return vmm_domain_def_format(vmm_qemu_process_get_def(d->proc), fflags, ret_xml,
                                             error);
        return vmm_domain_def_format(d->persistent ? d->persistent->def
                                                   : vmm_qemu_process_get_def(d->proc),
                                     fflags | VMM_DOMAIN_DEF_INACTIVE, ret_xml, error);
}

/* --- listing --- */

/* Whether `bits` passes one group of flags (no flag of the group: yes). */
static bool list_group(unsigned int flags, unsigned int group, unsigned int bits)
{
        return !(flags & group) || (flags & group & bits);
}

static bool list_match(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int f)
{
        VmmDomainState st = vmm_qemu_driver_state(drv, d, NULL);
        unsigned int bits = 0;

        bits |= d->proc ? VMM_DOMAIN_LIST_ACTIVE : VMM_DOMAIN_LIST_INACTIVE;
        bits |= d->persistent ? VMM_DOMAIN_LIST_PERSISTENT : VMM_DOMAIN_LIST_TRANSIENT;
        bits |= d->persistent && d->persistent->autostart ? VMM_DOMAIN_LIST_AUTOSTART
                                                          : VMM_DOMAIN_LIST_NO_AUTOSTART;
        bits |= st == VMM_DOMAIN_RUNNING   ? VMM_DOMAIN_LIST_RUNNING
                : st == VMM_DOMAIN_PAUSED  ? VMM_DOMAIN_LIST_PAUSED
                : st == VMM_DOMAIN_SHUTOFF ? VMM_DOMAIN_LIST_SHUTOFF
                                           : VMM_DOMAIN_LIST_OTHER;
        /* a look at the disk: only when the filter asks */
        if (f & (VMM_DOMAIN_LIST_MANAGED_SAVE | VMM_DOMAIN_LIST_NO_MANAGED_SAVE))
                bits |= d->persistent && qemu_driver_has_managed_save(drv, d->name)
                            ? VMM_DOMAIN_LIST_MANAGED_SAVE
                            : VMM_DOMAIN_LIST_NO_MANAGED_SAVE;
        return list_group(f, VMM_DOMAIN_LIST_MANAGED_SAVE | VMM_DOMAIN_LIST_NO_MANAGED_SAVE,
                          bits) &&
               list_group(f, VMM_DOMAIN_LIST_ACTIVE | VMM_DOMAIN_LIST_INACTIVE, bits) &&
               list_group(f, VMM_DOMAIN_LIST_PERSISTENT | VMM_DOMAIN_LIST_TRANSIENT, bits) &&
               list_group(f, VMM_DOMAIN_LIST_AUTOSTART | VMM_DOMAIN_LIST_NO_AUTOSTART, bits) &&
               list_group(f,
                          VMM_DOMAIN_LIST_RUNNING | VMM_DOMAIN_LIST_PAUSED |
                              VMM_DOMAIN_LIST_SHUTOFF | VMM_DOMAIN_LIST_OTHER,
                          bits);
}

static int list_cmp(const void *a, const void *b)
{
        return strcmp(((const VmmQemuDriverDomain *)a)->name,
                      ((const VmmQemuDriverDomain *)b)->name);
}

int vmm_qemu_driver_list(VmmQemuDriver *drv, unsigned int flags, VmmQemuDriverDomain **ret_doms,
                         size_t *ret_count, VmmError *error)
{
        _cleanup_free_ VmmQemuDomain **doms = NULL;
        _cleanup_free_ VmmQemuDriverDomain *all = NULL;
        size_t n = 0, n_procs = vmm_qemu_manager_count(drv->mgr), kept = 0;
        int r;

        r = vmm_qemu_domains_list(drv->store, 0, &doms, &n, error);
        if (r < 0)
                return r;
        all = calloc(n + n_procs + 1, sizeof(*all));
        if (!all)
                return vmm_error_oom(error);
        for (size_t i = 0; i < n; i++) {
                driver_domain_fill(drv, doms[i],
                                   vmm_qemu_manager_find_by_uuid(drv->mgr, doms[i]->uuid),
                                   &all[kept]);
                if (list_match(drv, &all[kept], flags))
                        kept++;
        }
        for (size_t i = 0; i < n_procs; i++) {
                VmmQemuProcess *proc = vmm_qemu_manager_get(drv->mgr, i);
                uint8_t uuid[VMM_UUID_LEN];

                vmm_domain_def_get_uuid(vmm_qemu_process_get_def(proc), uuid);
                if (vmm_qemu_domains_find_by_uuid(drv->store, uuid))
                        continue; /* listed with its definition */
                driver_domain_fill(drv, NULL, proc, &all[kept]);
                if (list_match(drv, &all[kept], flags))
                        kept++;
        }
        qsort(all, kept, sizeof(*all), list_cmp);
        *ret_doms = TAKE_PTR(all);
        *ret_count = kept;
        return (int)kept;
}

int vmm_qemu_driver_check_define(VmmQemuDriver *drv, const char *xml, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        static const uint8_t zero[VMM_UUID_LEN];
        uint8_t uuid[VMM_UUID_LEN];
        VmmQemuProcess *by_name, *by_uuid;
        const char *name;

        if (vmm_domain_def_parse(xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, NULL) < 0 ||
            !(name = vmm_domain_def_get_name(def)))
                return 0; /* the store says what is wrong */
        vmm_domain_def_get_uuid(def, uuid);
        by_name = vmm_qemu_manager_find_by_name(drv->mgr, name);
        by_uuid =
            memcmp(uuid, zero, VMM_UUID_LEN) ? vmm_qemu_manager_find_by_uuid(drv->mgr, uuid) : NULL;
        if (by_name && by_name != by_uuid)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "define '%s': a running domain has this name with another "
                                     "UUID (expected the UUID of the running domain)",
                                     name);
        if (by_uuid && by_uuid != by_name)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "define '%s': its UUID belongs to running domain '%s'", name,
                                     vmm_qemu_process_get_name(by_uuid));
        return 0;
}
