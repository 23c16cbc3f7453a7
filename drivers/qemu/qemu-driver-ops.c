/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-ops.c: the qemu driver's runtime operations: set-memory,
 * statistics and the raw monitor command (see qemu-driver-ops.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/domain-disk.h"
#include "conf/domain-net.h"
#include "qemu-driver-ops.h"
#include "qemu-driver-priv.h"
#include "qemu-process-qmp.h"
#include "util/error.h"

/* --- set-memory --- */

typedef struct SetMemOp {
        VmmQemuDriver *drv;
        uint8_t uuid[VMM_UUID_LEN];
        uint64_t kib;
        bool config;
        VmmQemuDriverDoneFn done;
        void *userdata;
} SetMemOp;

static int setmem_check(const char *name, const VmmDomainDef *def, uint64_t kib, const char *which,
                        VmmError *error)
{
        uint64_t max = vmm_domain_def_get_memory_kib(def);

        if (kib > max)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': memory %llu KiB is above the %s maximum of "
                                     "%llu KiB (<memory>)",
                                     name, (unsigned long long)kib, which, (unsigned long long)max);
        return 0;
}

/* The persistent definition redefined with the new <currentMemory>
 * (written on the thread pool; `done` gets the result). */
static int setmem_config(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN], uint64_t kib,
                         VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_uuid(drv->store, uuid);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *copy = NULL;
        _cleanup_free_ char *xml = NULL, *what = NULL;
        int r;

        if (!dom)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "set memory: the domain was undefined meanwhile");
        if (asprintf(&what, "set memory of domain '%s' (config)", dom->name) < 0) {
                what = NULL;
                return vmm_error_oom(error);
        }
        r = vmm_domain_def_copy(dom->def, &copy, error);
        if (r >= 0) {
                vmm_domain_def_set_current_memory_kib(copy, kib);
                r = vmm_domain_def_format(
                    copy, VMM_DOMAIN_DEF_INACTIVE | VMM_DOMAIN_DEVICES_FORMAT_SECURE, &xml, error);
        }
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", what);
        return qemu_driver_redefine(drv, what, xml, done, userdata, error);
}

static void setmem_finish(int status, const char *message, void *userdata)
{
        SetMemOp *op = userdata;

        op->done(status, message, op->userdata);
        free(op);
}

static void setmem_live_done(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        SetMemOp *op = userdata;
        VmmError err = VMM_ERROR_INIT;

        if (status >= 0)
                vmm_qemu_process_set_current_memory(proc, op->kib);
        if (status >= 0 && op->config) {
                status = setmem_config(op->drv, op->uuid, op->kib, setmem_finish, op, &err);
                if (status >= 0)
                        return; /* setmem_finish() follows */
                message = err.message;
        }
        setmem_finish(status, message, op);
        vmm_error_clear(&err);
}

int vmm_qemu_driver_set_memory(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, uint64_t kib,
                               unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                               VmmError *error)
{
        bool live = flags & VMM_DOMAIN_AFFECT_LIVE, config = flags & VMM_DOMAIN_AFFECT_CONFIG;
        SetMemOp *op;
        int r;

        if (!live && !config) {
                live = d->proc != NULL;
                config = !live;
        }
        if (live && !d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "set memory of domain '%s': the domain is not running (use "
                                     "--config to change the definition)",
                                     d->name);
        if (config && !d->persistent)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "set memory of domain '%s': the domain is transient (no "
                                     "persistent definition to change)",
                                     d->name);
        if (live) {
                r = setmem_check(d->name, vmm_qemu_process_get_def(d->proc), kib, "live", error);
                if (r < 0)
                        return r;
        }
        if (config) {
                r = setmem_check(d->name, d->persistent->def, kib, "configured", error);
                if (r < 0)
                        return r;
        }
        if (!live)
                return setmem_config(drv, d->uuid, kib, done, userdata, error);
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        *op = (SetMemOp){
            .drv = drv, .kib = kib, .config = config, .done = done, .userdata = userdata};
        memcpy(op->uuid, d->uuid, VMM_UUID_LEN);
        r = vmm_qemu_process_balloon_set(d->proc, kib, setmem_live_done, op, error);
        if (r < 0)
                free(op);
        return r;
}

/* --- statistics --- */

typedef struct StatsOp {
        VmmQemuProcess *proc; /* a reference; NULL for a shut-off domain */
        const VmmDomainDef *def;
        unsigned int stats;
        VmmDomainState state;
        int reason;
        int pending;
        uint64_t balloon_kib; /* 0: unknown */
        json_object *blockstats;
        VmmQemuDriverStatsFn done;
        void *userdata;
} StatsOp;

/* utime and stime of a process in ns; false when unreadable. */
static bool stats_proc_cpu(pid_t pid, uint64_t *ret_user, uint64_t *ret_system)
{
        unsigned long long utime, stime;
        long hz = sysconf(_SC_CLK_TCK);
        char path[64], buf[1024];
        size_t n;
        FILE *f;
        char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        p = strrchr(buf, ')');
        if (!p || hz <= 0 ||
            sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                   &stime) != 2)
                return false;
        *ret_user = utime * (1000000000ull / (unsigned long long)hz);
        *ret_system = stime * (1000000000ull / (unsigned long long)hz);
        return true;
}

/* The counters of a host network device from /proc/net/dev: rx bytes,
 * packets, errs, drop, then tx the same (the host's view). */
static bool stats_netdev(const char *ifname, uint64_t host[8])
{
        char line[512];
        bool found = false;
        FILE *f = fopen("/proc/net/dev", "re");

        if (!f)
                return false;
        while (!found && fgets(line, sizeof(line), f)) {
                char *colon = strchr(line, ':'), *name = line;
                unsigned long long v[16];

                if (!colon)
                        continue;
                *colon = '\0';
                while (*name == ' ')
                        name++;
                if (strcmp(name, ifname) != 0)
                        continue;
                if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
                           &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
                           &v[10], &v[11]) != 12)
                        break;
                for (int i = 0; i < 4; i++) {
                        host[i] = v[i];
                        host[4 + i] = v[8 + i];
                }
                found = true;
        }
        fclose(f);
        return found;
}

static void stats_add_nets(VmmStatList *list, const VmmDomainDef *def, bool running)
{
        static const char *const keys[] = {"bytes", "pkts", "errs", "drop"};
        size_t n = 0;
        void *const *nets = vmm_domain_devices_get(vmm_domain_def_get_devices(def),
                                                   VMM_DOMAIN_DEVICE_INTERFACE, &n);

        vmm_stat_list_nets(list, def);
        for (size_t i = 0; running && i < n; i++) {
                const VmmDomainNet *net = nets[i];
                uint64_t host[8];

                if (net->type == VMM_NET_TYPE_USER || !net->target_dev ||
                    !stats_netdev(net->target_dev, host))
                        continue;
                /* the guest's rx is what the host side of the tap sent */
                for (int k = 0; k < 4; k++)
                        vmm_stat_list_add_u(list, host[4 + k], "net.%zu.rx.%s", i, keys[k]);
                for (int k = 0; k < 4; k++)
                        vmm_stat_list_add_u(list, host[k], "net.%zu.tx.%s", i, keys[k]);
        }
}

static json_object *stats_block_entry(json_object *blockstats, const char *target)
{
        char node[256];
        size_t n = blockstats ? json_object_array_length(blockstats) : 0;

        snprintf(node, sizeof(node), "vmm-%s-format", target);
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(blockstats, i), *v = NULL;

                if ((json_object_object_get_ex(e, "node-name", &v) &&
                     strcmp(json_object_get_string(v), node) == 0) ||
                    (json_object_object_get_ex(e, "device", &v) &&
                     strcmp(json_object_get_string(v), target) == 0))
                        return e;
        }
        return NULL;
}

static void stats_add_blocks(VmmStatList *list, const VmmDomainDef *def, json_object *blockstats)
{
        static const char *const map[][2] = {
            {"rd.reqs", "rd_operations"},     {"rd.bytes", "rd_bytes"},
            {"rd.times", "rd_total_time_ns"}, {"wr.reqs", "wr_operations"},
            {"wr.bytes", "wr_bytes"},         {"wr.times", "wr_total_time_ns"},
            {"fl.reqs", "flush_operations"},  {"fl.times", "flush_total_time_ns"},
        };
        size_t n = 0;
        void *const *disks =
            vmm_domain_devices_get(vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_DISK, &n);

        vmm_stat_list_disks(list, def);
        for (size_t i = 0; blockstats && i < n; i++) {
                const VmmDomainDisk *disk = disks[i];
                json_object *e =
                    disk->target_dev ? stats_block_entry(blockstats, disk->target_dev) : NULL;
                json_object *st = NULL, *v;

                if (!e || !json_object_object_get_ex(e, "stats", &st))
                        continue;
                for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
                        if (json_object_object_get_ex(st, map[k][1], &v))
                                vmm_stat_list_add_u(list, (uint64_t)json_object_get_int64(v),
                                                    "block.%zu.%s", i, map[k][0]);
        }
}

static void stats_finish(StatsOp *op)
{
        VmmStatList list = {0};
        const VmmDomainDef *def = op->def;
        uint64_t user, sys;

        if (op->stats & VMM_DOMAIN_STATS_STATE) {
                vmm_stat_list_add_u(&list, op->state, "state.state");
                vmm_stat_list_add_u(&list, (uint64_t)op->reason, "state.reason");
        }
        if ((op->stats & VMM_DOMAIN_STATS_CPU_TOTAL) && op->proc &&
            stats_proc_cpu(vmm_qemu_process_get_pid(op->proc), &user, &sys)) {
                vmm_stat_list_add_u(&list, user + sys, "cpu.time");
                vmm_stat_list_add_u(&list, user, "cpu.user");
                vmm_stat_list_add_u(&list, sys, "cpu.system");
        }
        if (op->stats & VMM_DOMAIN_STATS_BALLOON) {
                vmm_stat_list_add_u(&list,
                                    op->balloon_kib ? op->balloon_kib
                                                    : vmm_domain_def_get_current_memory_kib(def),
                                    "balloon.current");
                vmm_stat_list_add_u(&list, vmm_domain_def_get_memory_kib(def), "balloon.maximum");
        }
        if (op->stats & VMM_DOMAIN_STATS_VCPU) {
                vmm_stat_list_add_u(&list, vmm_domain_def_get_vcpus(def), "vcpu.current");
                vmm_stat_list_add_u(&list, vmm_domain_def_get_max_vcpus(def), "vcpu.maximum");
        }
        if (op->stats & VMM_DOMAIN_STATS_INTERFACE)
                stats_add_nets(&list, def, op->proc != NULL);
        if (op->stats & VMM_DOMAIN_STATS_BLOCK)
                stats_add_blocks(&list, def, op->blockstats);
        if (list.oom) {
                vmm_stat_list_done(&list);
                op->done(-ENOMEM, NULL, "out of memory", op->userdata);
        } else {
                op->done(0, &list, NULL, op->userdata);
                vmm_stat_list_done(&list);
        }
        if (op->blockstats)
                json_object_put(op->blockstats);
        vmm_qemu_process_unref(op->proc);
        free(op);
}

/* A query failed: its figures are left out (or fall back to the
 * definition), the rest is reported. */
static void stats_reply(VmmQemuProcess *proc, int status, json_object *ret, const char *cls,
                        const char *message, void *userdata)
{
        StatsOp *op = userdata;
        json_object *v = NULL;

        (void)proc, (void)cls, (void)message;
        if (status >= 0 && json_object_is_type(ret, json_type_array))
                op->blockstats = json_object_get(ret);
        else if (status >= 0 && json_object_object_get_ex(ret, "actual", &v))
                op->balloon_kib = (uint64_t)json_object_get_int64(v) / 1024;
        if (--op->pending == 0)
                stats_finish(op);
}

int vmm_qemu_driver_get_stats(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int stats,
                              VmmQemuDriverStatsFn done, void *userdata, VmmError *error)
{
        StatsOp *op = calloc(1, sizeof(*op));

        if (!op)
                return vmm_error_oom(error);
        op->stats = stats;
        op->done = done;
        op->userdata = userdata;
        op->state = vmm_qemu_driver_state(drv, d, &op->reason);
        op->pending = 1; /* held until the queries are sent */
        if (d->proc) {
                op->proc = vmm_qemu_process_ref(d->proc);
                op->def = vmm_qemu_process_get_def(d->proc);
        } else {
                op->def = d->persistent->def;
        }
        if (op->proc && vmm_qemu_process_monitor_ready(op->proc)) {
                if ((stats & VMM_DOMAIN_STATS_BALLOON) &&
                    vmm_qemu_process_qmp(op->proc, "query-balloon", NULL, stats_reply, op, NULL) >=
                        0)
                        op->pending++;
                if ((stats & VMM_DOMAIN_STATS_BLOCK) &&
                    vmm_qemu_process_qmp(op->proc, "query-blockstats", NULL, stats_reply, op,
                                         NULL) >= 0)
                        op->pending++;
        }
        if (--op->pending == 0)
                stats_finish(op);
        return 0;
}

/* --- raw monitor command --- */

typedef struct MonitorOp {
        VmmQemuDriverReplyFn done;
        void *userdata;
} MonitorOp;

static void monitor_reply(VmmQemuProcess *proc, int status, json_object *ret, const char *cls,
                          const char *message, void *userdata)
{
        MonitorOp *op = userdata;
        json_object *reply = json_object_new_object();

        (void)proc;
        if (status >= 0) {
                json_object_object_add(reply, "return", json_object_get(ret));
                op->done(0, json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN), NULL,
                         op->userdata);
        } else if (status == -EIO && cls) {
                json_object *err = json_object_new_object();
                const char *desc = message ? strstr(message, " failed: ") : NULL;

                json_object_object_add(err, "class", json_object_new_string(cls));
                json_object_object_add(err, "desc",
                                       json_object_new_string(desc      ? desc + 9
                                                              : message ? message
                                                                        : ""));
                json_object_object_add(reply, "error", err);
                op->done(0, json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN), NULL,
                         op->userdata);
        } else {
                op->done(status, NULL, message, op->userdata);
        }
        json_object_put(reply);
        free(op);
}

static int monitor_parse(const char *name, const char *command, const char **ret_execute,
                         json_object **ret_obj, VmmError *error)
{
        json_object *obj = json_tokener_parse(command), *exec = NULL, *args = NULL;

        if (!obj || !json_object_is_type(obj, json_type_object) ||
            !json_object_object_get_ex(obj, "execute", &exec) ||
            !json_object_is_type(exec, json_type_string) ||
            (json_object_object_get_ex(obj, "arguments", &args) &&
             !json_object_is_type(args, json_type_object))) {
                json_object_put(obj);
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "monitor command for domain '%s': \"%.64s\" is not a QMP "
                                     "command (expected a JSON object such as "
                                     "{\"execute\": \"query-status\"}, with an optional "
                                     "\"arguments\" object)",
                                     name, command);
        }
        *ret_execute = json_object_get_string(exec);
        *ret_obj = obj;
        return 0;
}

int vmm_qemu_driver_monitor_command(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                    const char *command, VmmQemuDriverReplyFn done, void *userdata,
                                    VmmError *error)
{
        json_object *obj = NULL, *args = NULL;
        const char *execute = NULL;
        MonitorOp *op;
        int r;

        (void)drv;
        r = monitor_parse(d->name, command, &execute, &obj, error);
        if (r < 0)
                return r;
        if (!d->proc) {
                json_object_put(obj);
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "monitor command for domain '%s': the domain is not running",
                                     d->name);
        }
        op = calloc(1, sizeof(*op));
        if (!op) {
                json_object_put(obj);
                return vmm_error_oom(error);
        }
        *op = (MonitorOp){.done = done, .userdata = userdata};
        if (json_object_object_get_ex(obj, "arguments", &args))
                json_object_get(args);
        r = vmm_qemu_process_qmp(d->proc, execute, args, monitor_reply, op, error);
        json_object_put(obj);
        if (r < 0)
                free(op);
        return r;
}
