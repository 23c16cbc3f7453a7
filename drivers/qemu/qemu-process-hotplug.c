/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-hotplug.c: the live definition replaced after a hot-plug,
 * and waits for DEVICE_DELETED (qemu-process-hotplug.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain-device-edit.h"
#include "conf/domain-disk.h"
#include "conf/domain-net.h"
#include "qemu-process-hotplug.h"
#include "qemu-process-priv.h"
#include "qemu-process-qmp.h"
#include "util/error.h"
#include "util/log.h"

struct VmmQemuDeviceWait {
        VmmQemuDeviceWait *next;
        VmmQemuProcess *proc; /* a reference, dropped when the timer closed */
        char *id;
        uv_timer_t timer;
        VmmQemuDeviceDeletedFn done;
        void *userdata;
};

int vmm_qemu_process_set_def(VmmQemuProcess *proc, VmmDomainDef *def, VmmError *error)
{
        if (!proc->mgr || proc->phase == QEMU_PROCESS_GONE) {
                vmm_domain_def_free(def);
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s': the domain is no longer running", proc->name);
        }
        vmm_domain_def_set_id(def, vmm_domain_def_get_id(proc->def));
        vmm_domain_def_set_current_memory_kib(def,
                                              vmm_domain_def_get_current_memory_kib(proc->def));
        vmm_domain_def_free(proc->def);
        proc->def = def;
        free(proc->xml);
        proc->xml = NULL; /* formatted again for the state file */
        return vmm_qemu_process_write_state(proc, error);
}

static void wait_closed(uv_handle_t *handle)
{
        VmmQemuDeviceWait *w = handle->data;

        vmm_qemu_process_unref(w->proc);
        free(w->id);
        free(w);
}

/* Unlinks `w` from its process and closes it. */
static void wait_finish(VmmQemuDeviceWait *w)
{
        for (VmmQemuDeviceWait **p = &w->proc->device_waits; *p; p = &(*p)->next)
                if (*p == w) {
                        *p = w->next;
                        break;
                }
        uv_timer_stop(&w->timer);
        uv_close((uv_handle_t *)&w->timer, wait_closed);
}

static void wait_timeout(uv_timer_t *timer)
{
        VmmQemuDeviceWait *w = timer->data;
        VmmQemuDeviceDeletedFn done = w->done;
        void *userdata = w->userdata;
        VmmQemuProcess *proc = vmm_qemu_process_ref(w->proc);

        wait_finish(w);
        done(proc, -ETIMEDOUT, userdata);
        vmm_qemu_process_unref(proc);
}

int vmm_qemu_process_wait_device_deleted(VmmQemuProcess *proc, const char *id, uint64_t timeout_ms,
                                         VmmQemuDeviceDeletedFn done, void *userdata,
                                         VmmQemuDeviceWait **ret_wait, VmmError *error)
{
        VmmQemuDeviceWait *w = calloc(1, sizeof(*w));

        if (!w || !(w->id = strdup(id))) {
                free(w);
                return vmm_error_oom(error);
        }
        if (uv_timer_init(proc->loop, &w->timer) < 0) {
                free(w->id);
                free(w);
                return vmm_error_set(error, -EIO, VMM_ERR_INTERNAL,
                                     "domain '%s': cannot create a timer", proc->name);
        }
        w->timer.data = w;
        w->proc = vmm_qemu_process_ref(proc);
        w->done = done;
        w->userdata = userdata;
        uv_timer_start(&w->timer, wait_timeout, timeout_ms, 0);
        w->next = proc->device_waits;
        proc->device_waits = w;
        if (ret_wait)
                *ret_wait = w;
        return 0;
}

void vmm_qemu_device_wait_cancel(VmmQemuDeviceWait *wait)
{
        if (wait)
                wait_finish(wait);
}

static void late_del_done(VmmQemuProcess *proc, int status, json_object *ret,
                          const char *error_class, const char *message, void *userdata)
{
        (void)ret;
        (void)error_class;
        (void)userdata;
        if (status < 0)
                vmm_log_debug("domain '%s': removing a released device's backend: %s", proc->name,
                              message);
}

/* `command` with {key: prefix + id + suffix}, its outcome only logged. */
static void late_del(VmmQemuProcess *proc, const char *command, const char *key, const char *prefix,
                     const char *id, const char *suffix)
{
        json_object *args = json_object_new_object();
        char name[96];

        snprintf(name, sizeof(name), "%s%s%s", prefix, id, suffix);
        if (!args || json_object_object_add(args, key, json_object_new_string(name)) < 0) {
                json_object_put(args);
                return;
        }
        (void)vmm_qemu_process_qmp(proc, command, args, late_del_done, NULL, NULL);
}

/*
 * A device left the guest without anyone waiting (the guest released it
 * after a detach had timed out, or a raw device_del): the live XML drops
 * it and its backends go, as a detach would have done.
 */
static void device_gone(VmmQemuProcess *proc, const char *id)
{
        const VmmDomainDevices *devs = vmm_domain_def_get_devices(proc->def);
        VmmDomainDef *def = NULL;
        size_t n = 0;
        VmmDomainDisk *const *disks =
            (VmmDomainDisk *const *)vmm_domain_devices_get(devs, VMM_DOMAIN_DEVICE_DISK, &n);
        VmmError err = VMM_ERROR_INIT;

        for (size_t i = 0; i < n && !def; i++) {
                if (!disks[i]->target_dev || strcmp(disks[i]->target_dev, id) != 0)
                        continue;
                if (vmm_domain_def_without_device(proc->def, VMM_DOMAIN_DEVICE_DISK, i, &def,
                                                  &err) < 0 ||
                    !disks[i]->source)
                        break;
                late_del(proc, "blockdev-del", "node-name", "vmm-", id, "-format");
                late_del(proc, "blockdev-del", "node-name", "vmm-", id, "-storage");
        }
        VmmDomainNet *const *nets =
            (VmmDomainNet *const *)vmm_domain_devices_get(devs, VMM_DOMAIN_DEVICE_INTERFACE, &n);
        for (size_t i = 0; i < n && !def; i++) {
                if (!nets[i]->info.alias || strcmp(nets[i]->info.alias, id) != 0)
                        continue;
                if (vmm_domain_def_without_device(proc->def, VMM_DOMAIN_DEVICE_INTERFACE, i, &def,
                                                  &err) >= 0)
                        late_del(proc, "netdev_del", "id", "host", id, "");
        }
        if (def && vmm_qemu_process_set_def(proc, def, &err) >= 0)
                vmm_log_debug("domain '%s': device '%s' released by the guest", proc->name, id);
        vmm_error_clear(&err);
}

void vmm_qemu_process_device_deleted(VmmQemuProcess *proc, json_object *data)
{
        json_object *dev = NULL;
        const char *id;

        if (!json_object_object_get_ex(data, "device", &dev) ||
            !json_object_is_type(dev, json_type_string))
                return; /* a device without id (or a block job's node) */
        id = json_object_get_string(dev);
        vmm_log_debug("domain '%s': device '%s' deleted", proc->name, id);
        for (VmmQemuDeviceWait *w = proc->device_waits; w; w = w->next) {
                VmmQemuDeviceDeletedFn done = w->done;
                void *userdata = w->userdata;

                if (strcmp(w->id, id) != 0)
                        continue;
                vmm_qemu_process_ref(proc);
                wait_finish(w);
                done(proc, 0, userdata);
                vmm_qemu_process_unref(proc);
                return;
        }
        if (proc->def && proc->mgr)
                device_gone(proc, id);
}
