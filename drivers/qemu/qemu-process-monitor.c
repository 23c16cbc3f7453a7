/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-monitor.c: the QMP side of a QEMU process: connecting to
 * its monitor (retried until QEMU listens), finishing a start or a
 * re-attach, turning events into states, and the operations.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qemu-process-hotplug.h"
#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/log.h"

/* Connect attempts: every 2 ms at first (QEMU creates the socket early in
 * its start-up), every 10 ms after 200 ms. */
#define CONNECT_FAST_MS 2
#define CONNECT_SLOW_MS 10
#define CONNECT_FAST_PERIOD_MS 200

static void monitor_ready(VmmQmp *qmp, json_object *version, void *userdata);
static void monitor_event(VmmQmp *qmp, const char *name, json_object *data, int64_t seconds,
                          int64_t microseconds, void *userdata);
static void monitor_closed(VmmQmp *qmp, int error, const char *message, void *userdata);

static const VmmQmpCallbacks monitor_callbacks = {
    .ready = monitor_ready,
    .event = monitor_event,
    .closed = monitor_closed,
};

/* One connect() attempt: the connected fd, or -errno. */
static int monitor_try_connect(const char *path)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;

                close(fd);
                return -e;
        }
        return fd;
}

static void monitor_failed(VmmQemuProcess *proc, int status, const char *message)
{
        if (proc->phase == QEMU_PROCESS_STARTING) {
                vmm_qemu_process_fail_start(proc, status, "%s", message);
                return;
        }
        /* attached or active: the pidfd tells whether QEMU is gone;
         * operations fail until then */
        vmm_log_debug("domain '%s': %s", proc->name, message);
        vmm_qmp_close(TAKE_PTR(proc->qmp));
        if (proc->phase == QEMU_PROCESS_ATTACHING)
                proc->phase = QEMU_PROCESS_ACTIVE;
}

static void connect_retry(uv_timer_t *t)
{
        VmmQemuProcess *proc = t->data;
        uint64_t now = uv_now(proc->mgr->loop);
        int fd, r;

        fd = monitor_try_connect(proc->monitor_path);
        if (fd >= 0) {
                _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;

                r = vmm_qmp_new(proc->mgr->loop, proc->name, &monitor_callbacks, proc, &proc->qmp,
                                &err);
                if (r >= 0)
                        r = vmm_qmp_open_fd(proc->qmp, fd,
                                            proc->deadline > now ? proc->deadline - now : 1, &err);
                else
                        close(fd);
                if (r < 0)
                        monitor_failed(proc, r, err.message);
                return;
        }
        if (fd != -ENOENT && fd != -ECONNREFUSED && fd != -EAGAIN) {
                char msg[512];

                snprintf(msg, sizeof(msg), "cannot connect to the monitor \"%s\": %s",
                         proc->monitor_path, strerror(-fd));
                monitor_failed(proc, fd, msg);
                return;
        }
        if (now >= proc->deadline) {
                char msg[512];

                snprintf(msg, sizeof(msg), "QEMU did not open its monitor \"%s\" within %llu ms",
                         proc->monitor_path, (unsigned long long)proc->mgr->start_timeout_ms);
                monitor_failed(proc, -ETIMEDOUT, msg);
                return;
        }
        uv_timer_start(&proc->timer, connect_retry,
                       now - (proc->deadline - proc->mgr->start_timeout_ms) < CONNECT_FAST_PERIOD_MS
                           ? CONNECT_FAST_MS
                           : CONNECT_SLOW_MS,
                       0);
}

/* Connects now or retries from the timer; ready/closed follow. */
int vmm_qemu_process_monitor_start(VmmQemuProcess *proc, VmmError *error)
{
        proc->deadline = uv_now(proc->mgr->loop) + proc->mgr->start_timeout_ms;
        connect_retry(&proc->timer);
        return 0;
}

/* --- start and attach completion --- */

/* A start succeeds once a state file is on disk (normally the one
 * written at exec, long done): a daemon that dies right after reporting it
 * finds the domain again; the file catches up with the state right after. */
static void start_succeeded(VmmQemuProcess *proc)
{
        if (!proc->state_written && proc->state_writing)
                proc->start_ok_pending = true;
        else
                vmm_qemu_process_start_finish(proc, 0, NULL);
}

static void start_cont_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                            const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;

        if (proc->phase != QEMU_PROCESS_STARTING)
                return;
        if (status < 0) {
                vmm_qemu_process_fail_start(proc, status, "%s", message);
                return;
        }
        proc->phase = QEMU_PROCESS_ACTIVE;
        vmm_qemu_process_set_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        start_succeeded(proc);
}

static void attach_status_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                               const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;
        json_object *running = NULL, *st = NULL;
        const char *s;

        if (proc->phase != QEMU_PROCESS_ATTACHING)
                return;
        proc->phase = QEMU_PROCESS_ACTIVE;
        if (status < 0) {
                vmm_log_debug("domain '%s': %s", proc->name, message);
                return;
        }
        json_object_object_get_ex(ret, "running", &running);
        json_object_object_get_ex(ret, "status", &st);
        s = st ? json_object_get_string(st) : "";
        if (json_object_get_boolean(running)) {
                /* a file still saying "starting up": the start completed
                 * just before the daemon went */
                if (proc->state != VMM_DOMAIN_RUNNING)
                        vmm_qemu_process_set_state(proc, VMM_DOMAIN_RUNNING,
                                                   proc->reason == VMM_DOMAIN_PAUSED_STARTING_UP
                                                       ? VMM_DOMAIN_RUNNING_BOOTED
                                                       : VMM_DOMAIN_RUNNING_UNKNOWN);
        } else if (strcmp(s, "shutdown") == 0) {
                proc->shutdown_seen = true;
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_SHUTDOWN, VMM_DOMAIN_SHUTDOWN_USER);
        } else if (proc->state != VMM_DOMAIN_PAUSED) {
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_UNKNOWN);
        }
}

static void monitor_ready(VmmQmp *qmp, json_object *version, void *userdata)
{
        VmmQemuProcess *proc = userdata;
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;
        uint64_t timeout = proc->mgr->command_timeout_ms;
        int r = 0;

        if (proc->phase == QEMU_PROCESS_ATTACHING) {
                r = vmm_qmp_execute(qmp, "query-status", NULL, timeout, attach_status_done, proc,
                                    NULL, &err);
                if (r < 0)
                        monitor_failed(proc, r, err.message);
                return;
        }
        if (proc->phase != QEMU_PROCESS_STARTING || proc->destroy_requested)
                return;
        if (proc->incoming > STDERR_FILENO) {
                vmm_qemu_process_incoming_begin(proc); /* a restore */
                return;
        }
        if (proc->start_paused) {
                proc->phase = QEMU_PROCESS_ACTIVE;
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
                start_succeeded(proc);
                return;
        }
        r = vmm_qmp_execute(qmp, "cont", NULL, timeout, start_cont_done, proc, NULL, &err);
        if (r < 0)
                vmm_qemu_process_fail_start(proc, r, "%s", err.message);
}

static void start_eof_timeout(uv_timer_t *t)
{
        VmmQemuProcess *proc = t->data;

        vmm_qemu_process_fail_start(proc, -EIO,
                                    "QEMU closed its monitor during start-up and kept running");
}

static void monitor_closed(VmmQmp *qmp, int error, const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;
        uint64_t now = uv_now(proc->loop);

        /* QEMU exiting closes the monitor first: the pidfd reports the
         * exit, with its status, a moment later */
        if (error == 0 && proc->phase == QEMU_PROCESS_STARTING) {
                vmm_qmp_close(TAKE_PTR(proc->qmp));
                uv_timer_start(&proc->timer, start_eof_timeout,
                               proc->deadline > now ? proc->deadline - now : 1, 0);
                return;
        }
        monitor_failed(proc, error ? error : -ECONNRESET, message);
}

/* --- events --- */

/* Events change the state once the driver controls the process: not
 * during a start (it settles the state itself), but during a re-attach
 * (commands queued meanwhile run before query-status). */
static bool event_applies(const VmmQemuProcess *proc)
{
        return proc->phase == QEMU_PROCESS_ACTIVE || proc->phase == QEMU_PROCESS_ATTACHING;
}

bool vmm_qemu_process_state_confirmed(const VmmQemuProcess *proc)
{
        return proc->phase == QEMU_PROCESS_ACTIVE;
}

static void reboot_step_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                             const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;

        if (status < 0 && status != -ECANCELED)
                vmm_log_warning("domain '%s': reboot: %s, ignoring", proc->name, message);
}

/* The guest powered off during an ACPI reboot: QEMU paused instead of
 * exiting; reset the machine, restore the poweroff action, go on. */
static void reboot_continue(VmmQemuProcess *proc)
{
        uint64_t timeout = proc->mgr->command_timeout_ms;
        json_object *args = json_object_new_object();

        proc->rebooting = true;
        json_object_object_add(args, "shutdown", json_object_new_string("poweroff"));
        vmm_qmp_execute(proc->qmp, "system_reset", NULL, timeout, reboot_step_done, proc, NULL,
                        NULL);
        vmm_qmp_execute(proc->qmp, "set-action", args, timeout, reboot_step_done, proc, NULL, NULL);
        vmm_qmp_execute(proc->qmp, "cont", NULL, timeout, reboot_step_done, proc, NULL, NULL);
}

static void event_shutdown(VmmQemuProcess *proc, json_object *data)
{
        json_object *guest = NULL;
        bool by_guest;

        json_object_object_get_ex(data, "guest", &guest);
        by_guest = guest && json_object_get_boolean(guest);
        if (by_guest && proc->reboot_pending) {
                proc->reboot_pending = false;
                reboot_continue(proc);
                return;
        }
        proc->shutdown_seen = true;
        if (!proc->destroy_requested && event_applies(proc))
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_SHUTDOWN, VMM_DOMAIN_SHUTDOWN_USER);
}

static void event_stop(VmmQemuProcess *proc)
{
        int reason = proc->pause_reason;

        proc->pause_reason = -1;
        if (proc->rebooting || !event_applies(proc))
                return;
        if (proc->state == VMM_DOMAIN_SHUTDOWN)
                reason = VMM_DOMAIN_PAUSED_SHUTTING_DOWN;
        else if (reason < 0)
                reason = VMM_DOMAIN_PAUSED_UNKNOWN;
        vmm_qemu_process_set_state(proc, VMM_DOMAIN_PAUSED, reason);
}

static void event_resume(VmmQemuProcess *proc)
{
        int reason = proc->resume_reason;

        proc->resume_reason = -1;
        if (proc->rebooting) {
                proc->rebooting = false;
                return;
        }
        if (!event_applies(proc))
                return;
        vmm_qemu_process_set_state(proc, VMM_DOMAIN_RUNNING,
                                   reason < 0 ? VMM_DOMAIN_RUNNING_UNPAUSED : reason);
}

static void monitor_event(VmmQmp *qmp, const char *name, json_object *data, int64_t seconds,
                          int64_t microseconds, void *userdata)
{
        VmmQemuProcess *proc = userdata;
        VmmQemuManager *mgr = proc->mgr;

        vmm_log_debug("domain '%s': event %s", proc->name, name);
        if (strcmp(name, "STOP") == 0) {
                event_stop(proc);
        } else if (strcmp(name, "RESUME") == 0) {
                event_resume(proc);
        } else if (strcmp(name, "SHUTDOWN") == 0) {
                event_shutdown(proc, data);
        } else if (strcmp(name, "MIGRATION") == 0) {
                vmm_qemu_process_migration_event(proc, data);
        } else if (strcmp(name, "DEVICE_DELETED") == 0) {
                vmm_qemu_process_device_deleted(proc, data);
        } else if (strcmp(name, "RESET") == 0) {
                json_object *guest = NULL;

                json_object_object_get_ex(data, "guest", &guest);
                if (mgr && mgr->cb.reset && event_applies(proc))
                        mgr->cb.reset(mgr, proc, guest && json_object_get_boolean(guest),
                                      mgr->userdata);
        }
}

/* --- operations --- */

typedef enum QemuOpKind {
        QEMU_OP_PLAIN,
        QEMU_OP_SUSPEND,
        QEMU_OP_RESUME,
        QEMU_OP_STATUS,
        QEMU_OP_BALLOON,
} QemuOpKind;

typedef struct QemuOp {
        VmmQemuProcess *proc; /* a reference */
        QemuOpKind kind;
        void *done; /* VmmQemuDoneFn, or the kind's own */
        void *userdata;
} QemuOp;

static void op_free(void *p)
{
        QemuOp *op = p;

        vmm_qemu_process_unref(op->proc);
        free(op);
}

static void op_reply_status(QemuOp *op, int status, json_object *ret, const char *message)
{
        VmmQemuStatusFn fn = (VmmQemuStatusFn)op->done;
        json_object *running = NULL, *st = NULL;

        if (status >= 0) {
                json_object_object_get_ex(ret, "running", &running);
                json_object_object_get_ex(ret, "status", &st);
        }
        if (fn)
                fn(op->proc, status, st ? json_object_get_string(st) : NULL,
                   running && json_object_get_boolean(running), message, op->userdata);
}

static void op_reply_balloon(QemuOp *op, int status, json_object *ret, const char *message)
{
        VmmQemuBalloonFn fn = (VmmQemuBalloonFn)op->done;
        json_object *actual = NULL;

        if (status >= 0)
                json_object_object_get_ex(ret, "actual", &actual);
        if (fn)
                fn(op->proc, status, actual ? (uint64_t)json_object_get_int64(actual) / 1024 : 0,
                   message, op->userdata);
}

static void op_reply(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                     const char *message, void *userdata)
{
        QemuOp *op = userdata;
        VmmQemuProcess *proc = op->proc;
        VmmQemuDoneFn fn = (VmmQemuDoneFn)op->done;

        if (op->kind == QEMU_OP_STATUS) {
                op_reply_status(op, status, ret, message);
                return;
        }
        if (op->kind == QEMU_OP_BALLOON) {
                op_reply_balloon(op, status, ret, message);
                return;
        }
        /* the event normally came first; a reply alone still settles it */
        if (status >= 0 && op->kind == QEMU_OP_SUSPEND &&
            (proc->state == VMM_DOMAIN_RUNNING || proc->state == VMM_DOMAIN_PAUSED))
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        if (status >= 0 && op->kind == QEMU_OP_RESUME && proc->state == VMM_DOMAIN_PAUSED)
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        if (fn)
                fn(proc, status, message, op->userdata);
}

static int op_check(VmmQemuProcess *proc, const char *what, VmmError *error)
{
        if (!proc)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG, "%s: no domain given",
                                     what);
        if (proc->phase == QEMU_PROCESS_GONE || !proc->mgr)
                return vmm_error_set(error, -ENOENT, VMM_ERR_OPERATION_INVALID,
                                     "%s domain '%s': the domain is not running", what, proc->name);
        if (proc->phase == QEMU_PROCESS_STARTING)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s domain '%s': the domain is still starting", what,
                                     proc->name);
        /* while re-attaching, commands wait in the client for the monitor */
        if (!proc->qmp || (!vmm_qmp_is_ready(proc->qmp) && proc->phase != QEMU_PROCESS_ATTACHING))
                return vmm_error_set(error, -ENOTCONN, VMM_ERR_OPERATION_INVALID,
                                     "%s domain '%s': the QEMU monitor is not connected%s", what,
                                     proc->name,
                                     proc->phase == QEMU_PROCESS_ATTACHING ? " yet" : "");
        return 0;
}

static int op_run(VmmQemuProcess *proc, const char *what, const char *command, json_object *args,
                  QemuOpKind kind, void *done, void *userdata, VmmError *error)
{
        QemuOp *op;
        int r = op_check(proc, what, error);

        if (r < 0) {
                json_object_put(args);
                return r;
        }
        op = calloc(1, sizeof(*op));
        if (!op) {
                json_object_put(args);
                return vmm_error_oom(error);
        }
        op->proc = vmm_qemu_process_ref(proc);
        op->kind = kind;
        op->done = done;
        op->userdata = userdata;
        r = vmm_qmp_execute(proc->qmp, command, args, proc->mgr->command_timeout_ms, op_reply, op,
                            op_free, error);
        if (r < 0) {
                op_free(op);
                return vmm_error_prefix(error, r, "%s domain '%s': ", what, proc->name);
        }
        return 0;
}

int vmm_qemu_process_suspend(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                             VmmError *error)
{
        int r =
            op_run(proc, "suspend", "stop", NULL, QEMU_OP_SUSPEND, (void *)done, userdata, error);

        if (r >= 0)
                proc->pause_reason = VMM_DOMAIN_PAUSED_USER;
        return r;
}

int vmm_qemu_process_resume(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                            VmmError *error)
{
        int r = op_run(proc, "resume", "cont", NULL, QEMU_OP_RESUME, (void *)done, userdata, error);

        if (r >= 0)
                proc->resume_reason = VMM_DOMAIN_RUNNING_UNPAUSED;
        return r;
}

int vmm_qemu_process_shutdown(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                              VmmError *error)
{
        return op_run(proc, "shutdown", "system_powerdown", NULL, QEMU_OP_PLAIN, (void *)done,
                      userdata, error);
}

int vmm_qemu_process_reset(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                           VmmError *error)
{
        return op_run(proc, "reset", "system_reset", NULL, QEMU_OP_PLAIN, (void *)done, userdata,
                      error);
}

int vmm_qemu_process_reboot(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                            VmmError *error)
{
        json_object *args = json_object_new_object();
        int r;

        json_object_object_add(args, "shutdown", json_object_new_string("pause"));
        r = op_run(proc, "reboot", "set-action", args, QEMU_OP_PLAIN, NULL, NULL, error);
        if (r < 0)
                return r;
        r = op_run(proc, "reboot", "system_powerdown", NULL, QEMU_OP_PLAIN, (void *)done, userdata,
                   error);
        if (r >= 0)
                proc->reboot_pending = true;
        return r;
}

int vmm_qemu_process_query_status(VmmQemuProcess *proc, VmmQemuStatusFn done, void *userdata,
                                  VmmError *error)
{
        return op_run(proc, "query status of", "query-status", NULL, QEMU_OP_STATUS, (void *)done,
                      userdata, error);
}

int vmm_qemu_process_balloon_query(VmmQemuProcess *proc, VmmQemuBalloonFn done, void *userdata,
                                   VmmError *error)
{
        return op_run(proc, "query balloon of", "query-balloon", NULL, QEMU_OP_BALLOON,
                      (void *)done, userdata, error);
}

int vmm_qemu_process_balloon_set(VmmQemuProcess *proc, uint64_t kib, VmmQemuDoneFn done,
                                 void *userdata, VmmError *error)
{
        json_object *args;

        if (proc && kib == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "set memory of domain '%s': 0 KiB (expected a size above "
                                     "0)",
                                     proc->name);
        args = json_object_new_object();
        json_object_object_add(args, "value", json_object_new_int64((int64_t)(kib * 1024)));
        return op_run(proc, "set memory of", "balloon", args, QEMU_OP_PLAIN, (void *)done, userdata,
                      error);
}
