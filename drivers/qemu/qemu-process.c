/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process.c: the manager, the process objects, their state and what
 * happens when a QEMU exits.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define DEFAULT_START_TIMEOUT_MS 30000
#define DEFAULT_COMMAND_TIMEOUT_MS 10000
#define DEFAULT_KILL_GRACE_MS 3000

/* --- manager --- */

int vmm_qemu_manager_new(uv_loop_t *loop, const VmmQemuManagerConfig *config,
                         const VmmQemuManagerCallbacks *callbacks, void *userdata,
                         void (*destroy)(void *userdata), VmmQemuManager **ret_mgr, VmmError *error)
{
        VmmQemuManager *mgr;
        int r;

        vmm_check_arg(loop, error, "loop");
        vmm_check_arg(config && config->run_dir && config->log_dir, error,
                      "config (run_dir and log_dir are needed)");
        vmm_check_arg(ret_mgr, error, "ret_mgr");
        r = vmm_mkdir_p(config->run_dir, 0700, error);
        if (r >= 0)
                r = vmm_mkdir_p(config->log_dir, 0700, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "QEMU process manager: ");
        mgr = calloc(1, sizeof(*mgr));
        if (!mgr)
                return vmm_error_oom(error);
        mgr->loop = loop;
        mgr->run_dir = strdup(config->run_dir);
        mgr->log_dir = strdup(config->log_dir);
        if (!mgr->run_dir || !mgr->log_dir) {
                free(mgr->run_dir);
                free(mgr->log_dir);
                free(mgr);
                return vmm_error_oom(error);
        }
        mgr->start_timeout_ms = config->start_timeout_ms ?: DEFAULT_START_TIMEOUT_MS;
        mgr->command_timeout_ms = config->command_timeout_ms ?: DEFAULT_COMMAND_TIMEOUT_MS;
        mgr->kill_grace_ms = config->kill_grace_ms ?: DEFAULT_KILL_GRACE_MS;
        if (callbacks)
                mgr->cb = *callbacks;
        mgr->userdata = userdata;
        mgr->destroy = destroy;
        *ret_mgr = mgr;
        return 0;
}

VmmQemuManager *vmm_qemu_manager_free(VmmQemuManager *mgr)
{
        if (!mgr)
                return NULL;
        /* detach removes the process from the list */
        while (mgr->n_procs > 0)
                vmm_qemu_process_detach(mgr->procs[mgr->n_procs - 1]);
        if (mgr->destroy)
                mgr->destroy(mgr->userdata);
        free(mgr->procs);
        free(mgr->run_dir);
        free(mgr->log_dir);
        free(mgr);
        return NULL;
}

static int manager_path(const char *dir, const char *name, const char *suffix, char **ret,
                        VmmError *error)
{
        if (!name || !*name || strchr(name, '/') || name[0] == '.')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain name \"%s\" cannot name a runtime file "
                                     "(expected no '/' and no leading '.')",
                                     strempty(name));
        if (asprintf(ret, "%s/%s%s", dir, name, suffix) < 0)
                return vmm_error_oom(error);
        return 0;
}

int vmm_qemu_manager_monitor_path(const VmmQemuManager *mgr, const char *name, char **ret_path,
                                  VmmError *error)
{
        _cleanup_free_ char *path = NULL;
        int r;

        r = manager_path(mgr->run_dir, name, ".monitor", &path, error);
        if (r < 0)
                return r;
        /* sun_path holds 107 characters and the NUL */
        if (strlen(path) > 107)
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_INVALID_ARG,
                                     "domain '%s': monitor socket path \"%s\" is %zu characters "
                                     "long (expected at most 107: use a shorter name or "
                                     "runtime directory)",
                                     name, path, strlen(path));
        *ret_path = TAKE_PTR(path);
        return 0;
}

int vmm_qemu_manager_log_path(const VmmQemuManager *mgr, const char *name, char **ret_path,
                              VmmError *error)
{
        return manager_path(mgr->log_dir, name, ".log", ret_path, error);
}

VmmQemuProcess *vmm_qemu_manager_find_by_name(VmmQemuManager *mgr, const char *name)
{
        for (size_t i = 0; mgr && name && i < mgr->n_procs; i++)
                if (strcmp(mgr->procs[i]->name, name) == 0)
                        return mgr->procs[i];
        return NULL;
}

VmmQemuProcess *vmm_qemu_manager_find_by_uuid(VmmQemuManager *mgr, const uint8_t uuid[VMM_UUID_LEN])
{
        for (size_t i = 0; mgr && uuid && i < mgr->n_procs; i++)
                if (memcmp(mgr->procs[i]->uuid, uuid, VMM_UUID_LEN) == 0)
                        return mgr->procs[i];
        return NULL;
}

size_t vmm_qemu_manager_count(const VmmQemuManager *mgr)
{
        return mgr ? mgr->n_procs : 0;
}

VmmQemuProcess *vmm_qemu_manager_get(VmmQemuManager *mgr, size_t i)
{
        return mgr && i < mgr->n_procs ? mgr->procs[i] : NULL;
}

/* The list holds one reference. */
int vmm_qemu_manager_add(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmError *error)
{
        if (mgr->n_procs == mgr->cap_procs) {
                size_t cap = mgr->cap_procs ? mgr->cap_procs * 2 : 8;
                VmmQemuProcess **p = realloc(mgr->procs, cap * sizeof(*p));

                if (!p)
                        return vmm_error_oom(error);
                mgr->procs = p;
                mgr->cap_procs = cap;
        }
        mgr->procs[mgr->n_procs++] = vmm_qemu_process_ref(proc);
        return 0;
}

static void manager_remove(VmmQemuManager *mgr, VmmQemuProcess *proc)
{
        for (size_t i = 0; i < mgr->n_procs; i++) {
                if (mgr->procs[i] != proc)
                        continue;
                mgr->procs[i] = mgr->procs[--mgr->n_procs];
                vmm_qemu_process_unref(proc);
                return;
        }
}

/* --- process objects --- */

static void process_free(VmmQemuProcess *proc)
{
        QemuProcessWaiter *w;

        while ((w = proc->exit_waiters)) {
                proc->exit_waiters = w->next;
                free(w);
        }
        if (proc->start_destroy)
                proc->start_destroy(proc->start_userdata);
        if (proc->pidfd >= 0)
                close(proc->pidfd);
        vmm_domain_def_free(proc->def);
        free(proc->name);
        free(proc->monitor_path);
        free(proc->state_path);
        free(proc->xml);
        free(proc->state_next);
        free(proc->log_path);
        free(proc->start_error);
        free(proc);
}

static void process_handle_closed(uv_handle_t *h)
{
        VmmQemuProcess *proc = h->data;

        if (--proc->open_handles == 0 && proc->refs == 0)
                process_free(proc);
}

int vmm_qemu_process_alloc(VmmQemuManager *mgr, const char *name, const VmmDomainDef *def,
                           VmmQemuProcess **ret_proc, VmmError *error)
{
        VmmQemuProcess *proc = calloc(1, sizeof(*proc));
        int r;

        if (!proc)
                return vmm_error_oom(error);
        proc->refs = 1;
        proc->pidfd = -1;
        proc->pid = -1;
        proc->wait_status = -1;
        proc->pause_reason = -1;
        proc->resume_reason = -1;
        proc->mgr = mgr;
        proc->loop = mgr->loop;
        proc->state = VMM_DOMAIN_SHUTOFF;
        proc->reason = VMM_DOMAIN_SHUTOFF_UNKNOWN;
        proc->name = strdup(name);
        if (!proc->name) {
                process_free(proc);
                return vmm_error_oom(error);
        }
        r = vmm_domain_def_copy(def, &proc->def, error);
        if (r >= 0)
                r = vmm_qemu_manager_monitor_path(mgr, name, &proc->monitor_path, error);
        if (r >= 0)
                r = manager_path(mgr->run_dir, name, ".state", &proc->state_path, error);
        if (r >= 0)
                r = vmm_qemu_manager_log_path(mgr, name, &proc->log_path, error);
        if (r < 0) {
                process_free(proc);
                return r;
        }
        vmm_domain_def_get_uuid(def, proc->uuid);
        vmm_uuid_format(proc->uuid, proc->uuid_str);
        uv_timer_init(mgr->loop, &proc->timer);
        proc->timer.data = proc;
        proc->open_handles = 1;
        proc->handles_init = true;
        *ret_proc = proc;
        return 0;
}

static void process_close_handles(VmmQemuProcess *proc);

static void process_exit_ready(uv_poll_t *poll, int status, int events)
{
        VmmQemuProcess *proc = poll->data;

        vmm_qemu_process_exited(proc);
}

/* Starts watching proc->pidfd (set by spawn or attach). */
int vmm_qemu_process_watch(VmmQemuProcess *proc, VmmError *error)
{
        int r = uv_poll_init(proc->mgr->loop, &proc->poll, proc->pidfd);

        if (r < 0)
                return vmm_error_set(error, -EIO, VMM_ERR_SYSTEM,
                                     "domain '%s': cannot watch QEMU pid %d: %s", proc->name,
                                     (int)proc->pid, uv_strerror(r));
        proc->poll.data = proc;
        proc->open_handles++;
        uv_poll_start(&proc->poll, UV_READABLE | UV_DISCONNECT, process_exit_ready);
        proc->poll_active = true;
        return 0;
}

VmmQemuProcess *vmm_qemu_process_ref(VmmQemuProcess *proc)
{
        if (proc)
                proc->refs++;
        return proc;
}

VmmQemuProcess *vmm_qemu_process_unref(VmmQemuProcess *proc)
{
        if (!proc)
                return NULL;
        assert(proc->refs > 0);
        if (--proc->refs > 0)
                return NULL;
        /* a process dropped before it ran (failed start or attach) still
         * has its timer: close it; the last close callback frees */
        process_close_handles(proc);
        if (proc->open_handles == 0)
                process_free(proc);
        return NULL;
}

/* Closes monitor, watch and timer; the object lives on while referenced. */
static void process_close_handles(VmmQemuProcess *proc)
{
        vmm_qmp_close(TAKE_PTR(proc->qmp));
        if (proc->poll_active) {
                proc->poll_active = false;
                uv_close((uv_handle_t *)&proc->poll, process_handle_closed);
        }
        if (proc->handles_init) {
                proc->handles_init = false;
                uv_close((uv_handle_t *)&proc->timer, process_handle_closed);
        }
}

/* --- state --- */

void vmm_qemu_process_set_state(VmmQemuProcess *proc, VmmDomainState state, int reason)
{
        VmmQemuManager *mgr = proc->mgr;
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;

        if (proc->state == state && proc->reason == reason)
                return;
        vmm_log_debug(
            "domain '%s': %s/%s -> %s/%s", proc->name, vmm_domain_state_to_string(proc->state),
            vmm_domain_state_reason_to_string(proc->state, proc->reason),
            vmm_domain_state_to_string(state), vmm_domain_state_reason_to_string(state, reason));
        proc->state = state;
        proc->reason = reason;
        if (state != VMM_DOMAIN_SHUTOFF && vmm_qemu_process_write_state(proc, &err) < 0)
                vmm_log_warning("%s, ignoring", err.message);
        if (mgr && mgr->cb.state_changed && proc->phase != QEMU_PROCESS_STARTING)
                mgr->cb.state_changed(mgr, proc, state, reason, mgr->userdata);
}

int vmm_qemu_manager_channel_dir(const VmmQemuManager *mgr, const char *name, char **ret_path,
                                 VmmError *error)
{
        return manager_path(mgr->run_dir, name, ".channels", ret_path, error);
}

/* Removes the channel directory and the sockets QEMU left in it (after a
 * kill -9 it unlinks nothing). */
void vmm_qemu_process_remove_channel_dir(VmmQemuProcess *proc)
{
        _cleanup_free_ char *dir = NULL;
        VmmError err = VMM_ERROR_INIT;
        DIR *d;
        struct dirent *de;

        if (!proc->mgr || vmm_qemu_manager_channel_dir(proc->mgr, proc->name, &dir, &err) < 0) {
                vmm_error_clear(&err);
                return;
        }
        d = opendir(dir);
        if (!d)
                return;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        unlinkat(dirfd(d), de->d_name, 0);
        closedir(d);
        rmdir(dir);
}

void vmm_qemu_process_remove_files(VmmQemuProcess *proc)
{
        vmm_qemu_process_remove_state(proc);
        unlink(proc->monitor_path);
        vmm_qemu_process_remove_channel_dir(proc);
}

/* Ends a pending start: calls `done` once. */
void vmm_qemu_process_start_finish(VmmQemuProcess *proc, int status, const char *message)
{
        VmmQemuDoneFn done = proc->start_done;
        void *userdata = proc->start_userdata;
        void (*destroy)(void *) = proc->start_destroy;

        proc->start_done = NULL;
        proc->start_destroy = NULL;
        if (done)
                done(proc, status, message, userdata);
        if (destroy)
                destroy(userdata);
}

/* A start failed while QEMU may still run: remember why, kill it; the
 * exit completes the failure (vmm_qemu_process_exited). */
void vmm_qemu_process_fail_start(VmmQemuProcess *proc, int status, const char *fmt, ...)
{
        va_list ap;

        if (proc->start_error)
                return; /* the first reason stands */
        va_start(ap, fmt);
        if (vasprintf(&proc->start_error, fmt, ap) < 0)
                proc->start_error = NULL;
        va_end(ap);
        proc->start_status = status;
        vmm_qmp_close(TAKE_PTR(proc->qmp));
        uv_timer_stop(&proc->timer);
        proc->killed = true;
        if (vmm_qemu_process_kill(proc, SIGKILL) == -ESRCH)
                vmm_qemu_process_exited(proc);
}

static const char *describe_exit(int wait_status, char *buf, size_t size)
{
        if (wait_status < 0)
                snprintf(buf, size, "QEMU exited");
        else if (WIFEXITED(wait_status))
                snprintf(buf, size, "QEMU exited with status %d", WEXITSTATUS(wait_status));
        else if (WIFSIGNALED(wait_status))
                snprintf(buf, size, "QEMU was killed by signal %d (%s)", WTERMSIG(wait_status),
                         strsignal(WTERMSIG(wait_status)));
        else
                snprintf(buf, size, "QEMU exited");
        return buf;
}

static void start_failed_report(VmmQemuProcess *proc)
{
        _cleanup_free_ char *tail = vmm_qemu_process_log_tail(proc);
        _cleanup_free_ char *msg = NULL;
        char how[128];
        int status = proc->start_status ?: -EIO;

        describe_exit(proc->wait_status, how, sizeof(how));
        if (asprintf(&msg, "domain '%s': start failed: %s%s%s%s", proc->name,
                     proc->start_error ?: how, tail && *tail ? "; QEMU's log (" : "",
                     tail && *tail ? tail : "", tail && *tail ? ")" : "") < 0)
                msg = NULL;
        vmm_qemu_process_start_finish(proc, status, msg ? msg : "start failed");
}

static void waiters_finish(VmmQemuProcess *proc, int status, const char *message)
{
        QemuProcessWaiter *w;

        while ((w = proc->exit_waiters)) {
                proc->exit_waiters = w->next;
                if (w->done)
                        w->done(proc, status, message, w->userdata);
                free(w);
        }
}

static int exit_reason(const VmmQemuProcess *proc)
{
        if (proc->saved)
                return VMM_DOMAIN_SHUTOFF_SAVED;
        if (proc->destroy_requested)
                return VMM_DOMAIN_SHUTOFF_DESTROYED;
        if (proc->shutdown_seen)
                return VMM_DOMAIN_SHUTOFF_SHUTDOWN;
        return VMM_DOMAIN_SHUTOFF_CRASHED;
}

/* The pidfd says QEMU is gone (or spawn/attach found it gone). */
void vmm_qemu_process_exited(VmmQemuProcess *proc)
{
        VmmQemuManager *mgr = proc->mgr;
        bool starting = proc->phase == QEMU_PROCESS_STARTING;
        int st;

        if (proc->phase == QEMU_PROCESS_GONE)
                return;
        if (proc->state_writing) {
                /* report once the state file is settled (and removed) */
                if (proc->poll_active)
                        uv_poll_stop(&proc->poll);
                proc->exit_deferred = true;
                return;
        }
        vmm_qemu_process_ref(proc);
        if (proc->is_child && waitpid(proc->pid, &st, WNOHANG) == proc->pid)
                proc->wait_status = st;
        vmm_log_debug("domain '%s': QEMU pid %d gone", proc->name, (int)proc->pid);
        process_close_handles(proc);
        vmm_qemu_process_remove_files(proc);
        if (starting) {
                if (proc->destroy_requested && !proc->start_error)
                        proc->start_error = strdup("destroyed during start-up");
                proc->phase = QEMU_PROCESS_GONE;
                start_failed_report(proc);
                proc->state = VMM_DOMAIN_SHUTOFF;
                proc->reason = VMM_DOMAIN_SHUTOFF_FAILED;
        } else {
                int reason = exit_reason(proc);

                vmm_qemu_process_set_state(proc, VMM_DOMAIN_SHUTOFF, reason);
                proc->phase = QEMU_PROCESS_GONE;
        }
        waiters_finish(proc, 0, NULL);
        proc->mgr = NULL;
        if (mgr)
                manager_remove(mgr, proc);
        vmm_qemu_process_unref(proc);
}

/* The manager goes away: stop watching, leave QEMU running. */
void vmm_qemu_process_detach(VmmQemuProcess *proc)
{
        VmmQemuManager *mgr = proc->mgr;
        char msg[256];

        vmm_qemu_process_ref(proc);
        proc->phase = QEMU_PROCESS_GONE;
        process_close_handles(proc);
        snprintf(msg, sizeof(msg), "domain '%s': the QEMU process manager was closed", proc->name);
        vmm_qemu_process_start_finish(proc, -ECANCELED, msg);
        waiters_finish(proc, -ECANCELED, msg);
        proc->mgr = NULL;
        if (mgr)
                manager_remove(mgr, proc);
        vmm_qemu_process_unref(proc);
}

/* --- accessors --- */

const char *vmm_qemu_process_get_name(const VmmQemuProcess *proc)
{
        return proc->name;
}

const VmmDomainDef *vmm_qemu_process_get_def(const VmmQemuProcess *proc)
{
        return proc->def;
}

pid_t vmm_qemu_process_get_pid(const VmmQemuProcess *proc)
{
        return proc->pid;
}

VmmDomainState vmm_qemu_process_get_state(const VmmQemuProcess *proc, int *ret_reason)
{
        if (ret_reason)
                *ret_reason = proc->reason;
        return proc->state;
}

bool vmm_qemu_process_monitor_ready(const VmmQemuProcess *proc)
{
        return vmm_qmp_is_ready(proc->qmp);
}
