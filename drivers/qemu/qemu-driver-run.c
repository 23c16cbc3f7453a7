/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-run.c: starting domains (host checks, live definition,
 * command line, process manager), transient creation, the lifecycle
 * operations and live figures (CPU time, balloon).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/domain-disk.h"
#include "conf/domain-priv.h"
#include "qemu-command.h"
#include "qemu-driver-priv.h"
#include "qemu-tap.h"
#include "util/error.h"
#include "util/log.h"

/* --- host checks: a start that cannot work leaves nothing behind --- */

/* MemTotal of /proc/meminfo in KiB; 0 when unknown. */
static uint64_t host_mem_total_kib(void)
{
        FILE *f = fopen("/proc/meminfo", "re");
        char line[256];
        unsigned long long kib = 0;

        if (!f)
                return 0;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
                        break;
        fclose(f);
        return kib;
}

static int check_file(const char *dom, const char *what, const char *path, VmmError *error)
{
        struct stat st;

        if (stat(path, &st) == 0)
                return 0;
        return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                             "start domain '%s': %s \"%s\" cannot be used: %s (expected an "
                             "existing file)",
                             dom, what, path, strerror(errno));
}

static int check_disks(const VmmDomainDef *def, const char *name, VmmError *error)
{
        size_t n = 0;
        VmmDomainDisk *const *disks = (VmmDomainDisk *const *)vmm_domain_devices_get(
            def->devices, VMM_DOMAIN_DEVICE_DISK, &n);

        for (size_t i = 0; i < n; i++) {
                const VmmDomainDisk *disk = disks[i];
                const char *path = NULL;
                char what[128];
                int r;

                if (!disk->source)
                        continue; /* an empty CD-ROM drive */
                if (disk->type == VMM_DISK_TYPE_FILE)
                        path = disk->source->file;
                else if (disk->type == VMM_DISK_TYPE_BLOCK)
                        path = disk->source->dev;
                if (!path)
                        continue;
                snprintf(what, sizeof(what), "disk '%s': source %s",
                         disk->target_dev ? disk->target_dev : "?",
                         disk->type == VMM_DISK_TYPE_FILE ? "file" : "device");
                r = check_file(name, what, path, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_host(const VmmDomainDef *def, VmmError *error)
{
        const char *name = vmm_domain_def_get_name(def);
        uint64_t mem = vmm_domain_def_get_memory_kib(def), host = host_mem_total_kib();
        int r = 0;

        if (host > 0 && mem > host)
                return vmm_error_set(error, -ENOMEM, VMM_ERR_OPERATION_INVALID,
                                     "start domain '%s': <memory> is %llu MiB, more than the "
                                     "host's %llu MiB (MemTotal in /proc/meminfo)",
                                     name, (unsigned long long)(mem >> 10),
                                     (unsigned long long)(host >> 10));
        if (vmm_domain_def_get_kernel(def))
                r = check_file(name, "kernel", vmm_domain_def_get_kernel(def), error);
        if (r >= 0 && vmm_domain_def_get_initrd(def))
                r = check_file(name, "initrd", vmm_domain_def_get_initrd(def), error);
        if (r >= 0)
                r = check_disks(def, name, error);
        return r;
}

/* --- start --- */

typedef struct StartOp {
        VmmQemuDriver *drv;
        VmmQemuDriverDoneFn done;
        void *userdata;
} StartOp;

static void start_done(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        StartOp *op = userdata;
        const char *machine = vmm_domain_def_get_machine(vmm_qemu_process_get_def(proc));
        _cleanup_free_ char *hint = NULL;

        /* QEMU's own words do not name the machine type it refused */
        if (status < 0 && message && strstr(message, "unsupported machine type") &&
            asprintf(&hint,
                     "%s (<type machine='%s'>: `%s -machine help` lists the machine "
                     "types)",
                     message, machine ? machine : "",
                     op->drv->emulator ? op->drv->emulator : "qemu-system-x86_64") > 0)
                message = hint;
        if (status < 0) {
                vmm_log_error("%s", message);
                qemu_driver_live_remove(op->drv, proc);
        } else {
                vmm_log_info("domain '%s' started (QEMU pid %d)", vmm_qemu_process_get_name(proc),
                             (int)vmm_qemu_process_get_pid(proc));
        }
        if (op->done)
                op->done(status, message, op->userdata);
}

static int start_build(VmmQemuDriver *drv, const VmmDomainDef *live, const VmmQemuTapSet *taps,
                       VmmQemuCommand **ret_cmd, VmmError *error)
{
        _cleanup_free_ char *monitor = NULL, *log = NULL, *log_dir = NULL, *channels = NULL;
        VmmQemuCommandContext ctx = {0};
        char *slash;
        int r;

        r = vmm_qemu_manager_monitor_path(drv->mgr, vmm_domain_def_get_name(live), &monitor, error);
        if (r >= 0)
                r = vmm_qemu_manager_log_path(drv->mgr, vmm_domain_def_get_name(live), &log, error);
        if (r >= 0)
                r = vmm_qemu_manager_channel_dir(drv->mgr, vmm_domain_def_get_name(live), &channels,
                                                 error);
        if (r < 0)
                return r;
        log_dir = strdup(log);
        if (!log_dir)
                return vmm_error_oom(error);
        slash = strrchr(log_dir, '/');
        if (slash)
                *slash = '\0';
        ctx.emulator = drv->emulator;
        ctx.monitor_path = monitor;
        ctx.log_dir = log_dir;
        ctx.runtime_dir = channels; /* created by the process manager at spawn */
        ctx.kvm_available = access("/dev/kvm", R_OK | W_OK) == 0;
        ctx.start_paused = true; /* the manager sends `cont` */
        ctx.incoming = drv->restore_fd > STDERR_FILENO ? "defer" : NULL; /* a restore */
        ctx.taps = taps->taps;
        ctx.n_taps = taps->n;
        r = vmm_qemu_command_build(live, &ctx, ret_cmd, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "start: ");
        return 0;
}

int qemu_driver_start_def(VmmQemuDriver *drv, const VmmDomainDef *def, unsigned int flags,
                          VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *live = NULL;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        /* QEMU gets the tap fds at exec; ours close at return */
        _cleanup_(vmm_qemu_tap_set_freep) VmmQemuTapSet *taps = NULL;
        const char *name = vmm_domain_def_get_name(def);
        VmmQemuStartParams params = {0};
        VmmQemuProcess *proc = NULL, *other;
        uint8_t uuid[VMM_UUID_LEN];
        StartOp *op;
        int r;

        vmm_domain_def_get_uuid(def, uuid);
        other = vmm_qemu_manager_find_by_name(drv->mgr, name);
        if (!other)
                other = vmm_qemu_manager_find_by_uuid(drv->mgr, uuid);
        if (other)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "start domain '%s': domain '%s' is already running (QEMU "
                                     "pid %d)",
                                     name, vmm_qemu_process_get_name(other),
                                     (int)vmm_qemu_process_get_pid(other));
        r = check_host(def, error);
        if (r >= 0)
                r = vmm_domain_def_copy(def, &live, error);
        if (r < 0)
                return r;
        vmm_domain_def_set_id(live, drv->next_id);
        r = vmm_qemu_tap_open_all(live, &taps, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "start: ");
        r = start_build(drv, live, taps, &cmd, error);
        if (r < 0)
                return r;
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        *op = (StartOp){.drv = drv, .done = done, .userdata = userdata};
        params.argv = cmd->argv;
        params.pass_fds = cmd->pass_fds;
        params.n_pass_fds = cmd->n_pass_fds;
        params.start_paused = flags & VMM_DOMAIN_START_PAUSED;
        params.id = drv->next_id;
        params.incoming_fd = drv->restore_fd;
        r = vmm_qemu_process_start(drv->mgr, live, &params, start_done, op, free, &proc, error);
        if (r < 0) {
                free(op);
                return r;
        }
        drv->next_id++;
        if (qemu_driver_live_add(drv, proc, false, error) < 0)
                vmm_log_warning("domain '%s': %s, ignoring", name, error->message);
        return 0;
}

int vmm_qemu_driver_start(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int flags,
                          VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        if (d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "start domain '%s': the domain is already running (QEMU "
                                     "pid %d)",
                                     d->name, (int)vmm_qemu_process_get_pid(d->proc));
        if (!d->persistent)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "start domain '%s': the domain is not defined", d->name);
        if (qemu_driver_has_managed_save(drv, d->name))
                return qemu_driver_start_managed(drv, d, flags, done, userdata, error);
        return qemu_driver_start_def(drv, d->persistent->def, flags, done, userdata, error);
}

static int create_parse(const char *xml, VmmDomainDef **ret_def, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        const char *name;
        int r;

        r = vmm_domain_def_parse(xml, (size_t)-1, 0, &def, error);
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "create: ");
        name = vmm_domain_def_get_name(def);
        if (!name || !*name || strchr(name, '/') || name[0] == '.' || strlen(name) > 200)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "create: <name>: \"%s\" cannot name a domain here (expected "
                                     "1 to 200 characters, no '/', not starting with '.')",
                                     name ? name : "");
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_qemu_driver_create(VmmQemuDriver *drv, const char *xml, unsigned int flags, char **ret_name,
                           uint8_t ret_uuid[VMM_UUID_LEN], VmmQemuDriverDoneFn done, void *userdata,
                           VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmQemuDomain *by_name, *by_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        char buf[VMM_UUID_STRLEN];
        char *name;
        int r;

        r = create_parse(xml, &def, error);
        if (r < 0)
                return r;
        vmm_domain_def_get_uuid(def, uuid);
        by_name = vmm_qemu_domains_find_by_name(drv->store, vmm_domain_def_get_name(def));
        by_uuid = vmm_qemu_domains_find_by_uuid(drv->store, uuid);
        if (by_name && by_name != by_uuid)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "create: domain '%s' is already defined with UUID %s",
                                     by_name->name, by_name->uuid_str);
        if (by_uuid && by_uuid != by_name)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "create: UUID %s already belongs to domain '%s'",
                                     vmm_uuid_format(uuid, buf), by_uuid->name);
        name = strdup(vmm_domain_def_get_name(def));
        if (!name)
                return vmm_error_oom(error);
        r = qemu_driver_start_def(drv, def, flags, done, userdata, error);
        if (r < 0) {
                free(name);
                return r;
        }
        *ret_name = name;
        memcpy(ret_uuid, uuid, VMM_UUID_LEN);
        return 0;
}

/* --- operations --- */

typedef struct DriverOp {
        VmmQemuDriverDoneFn done;
        void *userdata;
} DriverOp;

static void op_done(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        DriverOp *op = userdata;

        if (op->done)
                op->done(status, message, op->userdata);
        free(op);
}

static const char *const op_names[_VMM_QEMU_DRIVER_OP_MAX] = {
    [VMM_QEMU_DRIVER_DESTROY] = "destroy", [VMM_QEMU_DRIVER_SHUTDOWN] = "shutdown",
    [VMM_QEMU_DRIVER_SUSPEND] = "suspend", [VMM_QEMU_DRIVER_RESUME] = "resume",
    [VMM_QEMU_DRIVER_REBOOT] = "reboot",   [VMM_QEMU_DRIVER_RESET] = "reset",
};

int vmm_qemu_driver_op(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, VmmQemuDriverOp which,
                       VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        VmmDomainState st;
        DriverOp *op;
        int r;

        if (!d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s domain '%s': the domain is not running (state shut off)",
                                     op_names[which], d->name);
        st = vmm_qemu_process_get_state(d->proc, NULL);
        /* a re-attach may still hold the state file's word (written before
         * the daemon went): then QEMU is asked anyway */
        if (vmm_qemu_process_state_confirmed(d->proc) &&
            ((which == VMM_QEMU_DRIVER_SUSPEND && st == VMM_DOMAIN_PAUSED) ||
             (which == VMM_QEMU_DRIVER_RESUME && st == VMM_DOMAIN_RUNNING))) {
                if (done)
                        done(0, NULL, userdata); /* already there */
                return 0;
        }
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        *op = (DriverOp){.done = done, .userdata = userdata};
        switch (which) {
        case VMM_QEMU_DRIVER_DESTROY:
                r = vmm_qemu_process_destroy(d->proc, op_done, op, error);
                break;
        case VMM_QEMU_DRIVER_SHUTDOWN:
                r = vmm_qemu_process_shutdown(d->proc, op_done, op, error);
                break;
        case VMM_QEMU_DRIVER_SUSPEND:
                r = vmm_qemu_process_suspend(d->proc, op_done, op, error);
                break;
        case VMM_QEMU_DRIVER_RESUME:
                r = vmm_qemu_process_resume(d->proc, op_done, op, error);
                break;
        case VMM_QEMU_DRIVER_REBOOT:
                r = vmm_qemu_process_reboot(d->proc, op_done, op, error);
                break;
        case VMM_QEMU_DRIVER_RESET:
                r = vmm_qemu_process_reset(d->proc, op_done, op, error);
                break;
        default:
                r = vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG, "unknown operation %d",
                                  (int)which);
                break;
        }
        if (r < 0) {
                free(op);
                return r;
        }
        vmm_log_info("domain '%s': %s requested", d->name, op_names[which]);
        return 0;
}

/* --- live figures --- */

/* utime + stime of /proc/PID/stat (fields 14 and 15) in ns; 0 unknown. */
static uint64_t proc_cpu_time_ns(pid_t pid)
{
        char path[64], buf[1024];
        unsigned long long utime = 0, stime = 0;
        long hz = sysconf(_SC_CLK_TCK);
        const char *p;
        size_t n;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        p = strrchr(buf, ')'); /* the command name may hold spaces */
        if (!p || hz <= 0 ||
            sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                   &stime) != 2)
                return 0;
        return (utime + stime) * (1000000000ull / (unsigned long long)hz);
}

typedef struct InfoOp {
        VmmDomainInfo info;
        VmmQemuDriverInfoFn done;
        void *userdata;
} InfoOp;

static void info_balloon_done(VmmQemuProcess *proc, int error_code, uint64_t actual_kib,
                              const char *message, void *userdata)
{
        InfoOp *op = userdata;

        /* no balloon device (or no answer): the configured size stands */
        if (error_code >= 0 && actual_kib > 0)
                op->info.memory_kib = actual_kib;
        op->done(0, &op->info, NULL, op->userdata);
        free(op);
}

int vmm_qemu_driver_get_info(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                             VmmQemuDriverInfoFn done, void *userdata, VmmError *error)
{
        const VmmDomainDef *def = d->proc ? vmm_qemu_process_get_def(d->proc) : d->persistent->def;
        VmmDomainInfo info = {
            .state = vmm_qemu_driver_state(drv, d, NULL),
            .max_memory_kib = vmm_domain_def_get_memory_kib(def),
            .memory_kib = vmm_domain_def_get_current_memory_kib(def),
            .vcpus = vmm_domain_def_get_vcpus(def),
        };
        InfoOp *op;

        if (d->proc)
                info.cpu_time_ns = proc_cpu_time_ns(vmm_qemu_process_get_pid(d->proc));
        if (!d->proc || !vmm_qemu_process_monitor_ready(d->proc)) {
                done(0, &info, NULL, userdata);
                return 0;
        }
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        *op = (InfoOp){.info = info, .done = done, .userdata = userdata};
        if (vmm_qemu_process_balloon_query(d->proc, info_balloon_done, op, NULL) < 0) {
                done(0, &op->info, NULL, userdata);
                free(op);
        }
        return 0;
}
