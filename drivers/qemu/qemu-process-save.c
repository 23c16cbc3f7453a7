/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-save.c: QEMU's side of save and restore: the guest's state
 * goes out to, or comes in from, an open file through QEMU's migration
 * stream ("fd:" URIs).
 *
 * Save: `stop` (a running guest is paused, reason "saving"), the "events"
 * migration capability (QEMU then reports MIGRATION events), no bandwidth
 * limit (max-bandwidth: QEMU's default is 32 MiB/s, meant for networks),
 * `getfd` with the file's fd over SCM_RIGHTS, `migrate` to "fd:NAME". The
 * save completes on the MIGRATION event "completed"; "failed" or
 * "cancelled", a command error, QEMU exiting or the deadline fail it, and
 * a guest we paused runs again (running/save canceled).
 *
 * Restore: QEMU was started with `-incoming defer` and inherited the
 * image's fd; once its monitor is ready: the "events" capability,
 * `migrate-incoming` from "fd:N", then on "completed" `cont` (running/
 * restored) unless the start asked for a paused guest. A failure fails
 * the start (QEMU is killed; QEMU 7.2 also exits by itself when the
 * stream is corrupt, and the start's error carries its log).
 *
 * A timer runs while a migration is in progress: it enforces the deadline
 * and notices a QEMU that went away without a word.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/log.h"

#define SAVE_FDNAME "vmm-save"
#define MIGRATION_CHECK_MS 100
#define MIGRATION_DEFAULT_TIMEOUT_MS (10u * 60 * 1000)
/* max-bandwidth in bytes/s: 1 TiB/s, i.e. no limit for a local file */
#define MIGRATION_MAX_BANDWIDTH (1ll << 40)

typedef struct QemuMigration {
        VmmQemuProcess *proc; /* reference */
        bool incoming;
        bool paused_by_us; /* save: the guest ran; resume it on failure */
        bool finished;
        uint64_t deadline; /* uv_now() ms */
        uv_timer_t timer;
        VmmQemuDoneFn done; /* save */
        void *userdata;
} QemuMigration;

static void migration_timer_closed(uv_handle_t *h)
{
        free(h->data);
}

static void migration_free(QemuMigration *mig)
{
        vmm_qemu_process_unref(TAKE_PTR(mig->proc));
        uv_close((uv_handle_t *)&mig->timer, migration_timer_closed);
}

static void proc_unref_cb(void *p)
{
        vmm_qemu_process_unref(p);
}

static void resume_after_failure_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                                      const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;

        if (status < 0)
                vmm_log_warning("domain '%s': resuming after a failed save: %s, ignoring",
                                proc->name, message);
}

/* The save failed: a guest we paused runs again. */
static void save_undo(VmmQemuProcess *proc, bool paused_by_us)
{
        if (!paused_by_us || !proc->qmp || proc->phase != QEMU_PROCESS_ACTIVE)
                return;
        proc->resume_reason = VMM_DOMAIN_RUNNING_SAVE_CANCELED;
        if (vmm_qmp_execute(proc->qmp, "cont", NULL, proc->mgr ? proc->mgr->command_timeout_ms : 0,
                            resume_after_failure_done, vmm_qemu_process_ref(proc), proc_unref_cb,
                            NULL) < 0)
                vmm_qemu_process_unref(proc);
}

static void start_succeeded(VmmQemuProcess *proc)
{
        if (!proc->state_written && proc->state_writing)
                proc->start_ok_pending = true;
        else
                vmm_qemu_process_start_finish(proc, 0, NULL);
}

/* Ends the migration once: status 0, or an error with `message`. */
static void migration_finish(QemuMigration *mig, int status, const char *message)
{
        VmmQemuProcess *proc = mig->proc;

        if (mig->finished)
                return;
        mig->finished = true;
        uv_timer_stop(&mig->timer);
        if (proc->migration == mig)
                proc->migration = NULL;
        if (mig->incoming) {
                if (status < 0 && proc->phase == QEMU_PROCESS_STARTING)
                        vmm_qemu_process_fail_start(proc, status, "restore: %s", message);
        } else {
                if (status < 0)
                        save_undo(proc, mig->paused_by_us);
                if (mig->done)
                        mig->done(proc, status, status < 0 ? message : NULL, mig->userdata);
        }
        migration_free(mig);
}

static void migration_tick(uv_timer_t *t)
{
        QemuMigration *mig = t->data;
        VmmQemuProcess *proc = mig->proc;
        char msg[256];

        if (proc->phase == QEMU_PROCESS_GONE || !proc->mgr || !proc->qmp) {
                snprintf(msg, sizeof(msg),
                         "domain '%s': QEMU exited or closed its monitor "
                         "during the %s",
                         proc->name, mig->incoming ? "restore" : "save");
                migration_finish(mig, -ECONNRESET, msg);
                return;
        }
        if (uv_now(t->loop) >= mig->deadline) {
                snprintf(msg, sizeof(msg), "domain '%s': the %s did not complete in time",
                         proc->name, mig->incoming ? "restore" : "save");
                if (!mig->incoming)
                        vmm_qmp_execute(proc->qmp, "migrate_cancel", NULL, 0, NULL, NULL, NULL,
                                        NULL);
                migration_finish(mig, -ETIMEDOUT, msg);
        }
}

static int migration_new(VmmQemuProcess *proc, bool incoming, uint64_t timeout_ms,
                         QemuMigration **ret, VmmError *error)
{
        QemuMigration *mig;

        if (proc->migration)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s': a save or restore is already in progress",
                                     proc->name);
        mig = calloc(1, sizeof(*mig));
        if (!mig)
                return vmm_error_oom(error);
        mig->proc = vmm_qemu_process_ref(proc);
        mig->incoming = incoming;
        mig->deadline =
            uv_now(proc->loop) + (timeout_ms ? timeout_ms : MIGRATION_DEFAULT_TIMEOUT_MS);
        uv_timer_init(proc->loop, &mig->timer);
        mig->timer.data = mig;
        uv_timer_start(&mig->timer, migration_tick, MIGRATION_CHECK_MS, MIGRATION_CHECK_MS);
        proc->migration = mig;
        *ret = mig;
        return 0;
}

/* --- the commands of a migration --- */

static void step_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                      const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;

        if (status < 0 && proc->migration)
                migration_finish(proc->migration, status, message);
}

/* Queues a step whose failure fails the migration; `fd` >= 0 goes along. */
static int migration_step(VmmQemuProcess *proc, const char *command, json_object *args, int fd,
                          VmmError *error)
{
        uint64_t timeout = proc->mgr->command_timeout_ms;
        int r;

        if (fd >= 0)
                r = vmm_qmp_execute_fd(proc->qmp, command, args, fd, timeout, step_done,
                                       vmm_qemu_process_ref(proc), proc_unref_cb, error);
        else
                r = vmm_qmp_execute(proc->qmp, command, args, timeout, step_done,
                                    vmm_qemu_process_ref(proc), proc_unref_cb, error);
        if (r < 0)
                vmm_qemu_process_unref(proc);
        return r;
}

static json_object *events_capability(void)
{
        json_object *cap = json_object_new_object(), *caps = json_object_new_array();
        json_object *args = json_object_new_object();

        json_object_object_add(cap, "capability", json_object_new_string("events"));
        json_object_object_add(cap, "state", json_object_new_boolean(true));
        json_object_array_add(caps, cap);
        json_object_object_add(args, "capabilities", caps);
        return args;
}

static json_object *string_arg(const char *key, const char *value)
{
        json_object *args = json_object_new_object();

        json_object_object_add(args, key, json_object_new_string(value));
        return args;
}

/* --- save --- */

int vmm_qemu_process_save(VmmQemuProcess *proc, int fd, uint64_t timeout_ms, VmmQemuDoneFn done,
                          void *userdata, VmmError *error)
{
        json_object *params;
        QemuMigration *mig;
        int r;

        if (proc->phase != QEMU_PROCESS_ACTIVE || !proc->mgr || !proc->qmp ||
            !vmm_qmp_is_ready(proc->qmp))
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "save domain '%s': the domain is not running (or its "
                                     "monitor is not connected)",
                                     proc->name);
        if (proc->state != VMM_DOMAIN_RUNNING && proc->state != VMM_DOMAIN_PAUSED)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "save domain '%s': the domain is %s (expected running or "
                                     "paused)",
                                     proc->name, vmm_domain_state_to_string(proc->state));
        r = migration_new(proc, false, timeout_ms, &mig, error);
        if (r < 0)
                return r;
        mig->done = done;
        mig->userdata = userdata;
        if (proc->state == VMM_DOMAIN_RUNNING) {
                r = migration_step(proc, "stop", NULL, -1, error);
                if (r < 0)
                        goto fail;
                proc->pause_reason = VMM_DOMAIN_PAUSED_SAVE;
                mig->paused_by_us = true;
        }
        params = json_object_new_object();
        json_object_object_add(params, "max-bandwidth",
                               json_object_new_int64(MIGRATION_MAX_BANDWIDTH));
        r = migration_step(proc, "migrate-set-capabilities", events_capability(), -1, error);
        if (r >= 0)
                r = migration_step(proc, "migrate-set-parameters", params, -1, error);
        else
                json_object_put(params);
        if (r >= 0)
                r = migration_step(proc, "getfd", string_arg("fdname", SAVE_FDNAME), fd, error);
        if (r >= 0)
                r = migration_step(proc, "migrate", string_arg("uri", "fd:" SAVE_FDNAME), -1,
                                   error);
        if (r < 0)
                goto fail;
        vmm_log_debug("domain '%s': saving (migrate to fd)", proc->name);
        return 0;
fail:
        /* no callback on a negative return */
        mig->done = NULL;
        migration_finish(mig, r, error->message);
        return r;
}

void vmm_qemu_process_set_saved(VmmQemuProcess *proc)
{
        proc->saved = true;
}

/* --- restore --- */

static void restore_cont_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                              const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;

        if (proc->phase != QEMU_PROCESS_STARTING)
                return;
        if (status < 0) {
                vmm_qemu_process_fail_start(proc, status, "restore: %s", message);
                return;
        }
        proc->phase = QEMU_PROCESS_ACTIVE;
        vmm_qemu_process_set_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
        start_succeeded(proc);
}

/* The image is loaded: run (or stay paused) and finish the start. */
static void restore_loaded(VmmQemuProcess *proc)
{
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;

        if (proc->phase != QEMU_PROCESS_STARTING || proc->destroy_requested)
                return;
        if (proc->start_paused) {
                proc->phase = QEMU_PROCESS_ACTIVE;
                vmm_qemu_process_set_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
                start_succeeded(proc);
                return;
        }
        if (vmm_qmp_execute(proc->qmp, "cont", NULL, proc->mgr->command_timeout_ms,
                            restore_cont_done, vmm_qemu_process_ref(proc), proc_unref_cb,
                            &err) < 0) {
                vmm_qemu_process_unref(proc);
                vmm_qemu_process_fail_start(proc, -EIO, "restore: %s", err.message);
        }
}

void vmm_qemu_process_incoming_begin(VmmQemuProcess *proc)
{
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;
        QemuMigration *mig;
        char uri[32];
        int r;

        snprintf(uri, sizeof(uri), "fd:%d", proc->incoming);
        r = migration_new(proc, true, 0, &mig, &err);
        if (r >= 0)
                r = migration_step(proc, "migrate-set-capabilities", events_capability(), -1, &err);
        if (r >= 0)
                r = migration_step(proc, "migrate-incoming", string_arg("uri", uri), -1, &err);
        if (r < 0) {
                if (proc->migration)
                        migration_finish(proc->migration, r, err.message);
                else
                        vmm_qemu_process_fail_start(proc, r, "restore: %s", err.message);
                return;
        }
        vmm_log_debug("domain '%s': restoring (migrate-incoming %s)", proc->name, uri);
}

/* --- MIGRATION events --- */

static void failed_query_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                              const char *message, void *userdata)
{
        VmmQemuProcess *proc = userdata;
        json_object *desc = NULL;
        char msg[512];

        if (!proc->migration)
                return;
        if (status >= 0)
                json_object_object_get_ex(ret, "error-desc", &desc);
        snprintf(msg, sizeof(msg), "domain '%s': QEMU failed to write the state: %s", proc->name,
                 desc ? json_object_get_string(desc) : "no reason given");
        migration_finish(proc->migration, -EIO, msg);
}

void vmm_qemu_process_migration_event(VmmQemuProcess *proc, json_object *data)
{
        QemuMigration *mig = proc->migration;
        json_object *st = NULL;
        const char *status;
        char msg[256];

        if (!mig || mig->finished || !json_object_object_get_ex(data, "status", &st))
                return;
        status = json_object_get_string(st);
        vmm_log_debug("domain '%s': migration %s", proc->name, status);
        if (strcmp(status, "completed") == 0) {
                if (mig->incoming) {
                        migration_finish(mig, 0, NULL);
                        restore_loaded(proc);
                } else {
                        migration_finish(mig, 0, NULL);
                }
        } else if (strcmp(status, "failed") == 0 && !mig->incoming && proc->qmp) {
                if (vmm_qmp_execute(proc->qmp, "query-migrate", NULL, proc->mgr->command_timeout_ms,
                                    failed_query_done, vmm_qemu_process_ref(proc), proc_unref_cb,
                                    NULL) < 0) {
                        vmm_qemu_process_unref(proc);
                        migration_finish(mig, -EIO, "QEMU failed to write the state");
                }
        } else if (strcmp(status, "failed") == 0 || strcmp(status, "cancelled") == 0) {
                snprintf(msg, sizeof(msg), "domain '%s': QEMU reports the migration stream %s",
                         proc->name, status);
                migration_finish(mig, -EIO, msg);
        }
}
