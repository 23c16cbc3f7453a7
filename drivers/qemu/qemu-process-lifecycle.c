/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-lifecycle.c: starting a QEMU process and destroying one.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/log.h"

static int start_check(VmmQemuManager *mgr, const VmmDomainDef *def,
                       const VmmQemuStartParams *params, VmmError *error)
{
        const char *name = def ? vmm_domain_def_get_name(def) : NULL;
        uint8_t uuid[VMM_UUID_LEN];
        VmmQemuProcess *other;

        vmm_check_arg(mgr, error, "mgr");
        vmm_check_arg(def && name, error, "def (a named domain definition)");
        vmm_check_arg(params && params->argv, error, "params (with argv)");
        other = vmm_qemu_manager_find_by_name(mgr, name);
        if (!other) {
                vmm_domain_def_get_uuid(def, uuid);
                other = vmm_qemu_manager_find_by_uuid(mgr, uuid);
        }
        if (other)
                return vmm_error_set(error, -EEXIST, VMM_ERR_OPERATION_INVALID,
                                     "start domain '%s': domain '%s' with this name or UUID "
                                     "is already running (QEMU pid %d)",
                                     name, other->name, (int)other->pid);
        return 0;
}

int vmm_qemu_process_start(VmmQemuManager *mgr, const VmmDomainDef *def,
                           const VmmQemuStartParams *params, VmmQemuDoneFn done, void *userdata,
                           void (*destroy)(void *userdata), VmmQemuProcess **ret_proc,
                           VmmError *error)
{
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        int r;

        r = start_check(mgr, def, params, error);
        if (r < 0)
                return r;
        r = vmm_qemu_process_alloc(mgr, vmm_domain_def_get_name(def), def, &proc, error);
        if (r < 0)
                return r;
        r = vmm_qemu_process_check_argv(proc, params->argv, error);
        if (r < 0)
                return r;
        r = vmm_qemu_process_spawn(proc, params, error);
        if (r < 0)
                goto fail_closed;
        proc->phase = QEMU_PROCESS_STARTING;
        proc->start_paused = params->start_paused;
        proc->incoming = params->incoming_fd > STDERR_FILENO ? params->incoming_fd : -1;
        proc->state = VMM_DOMAIN_PAUSED;
        proc->reason = VMM_DOMAIN_PAUSED_STARTING_UP;
        if (params->id > 0)
                vmm_domain_def_set_id(proc->def, params->id);
        r = vmm_qemu_process_watch(proc, error);
        if (r >= 0)
                r = vmm_qemu_process_write_state(proc, error);
        if (r >= 0)
                r = vmm_qemu_manager_add(mgr, proc, error);
        if (r < 0) {
                /* nothing watches it yet: kill and reap here */
                vmm_qemu_process_kill(proc, SIGKILL);
                waitpid(proc->pid, NULL, 0);
                vmm_qemu_process_remove_files(proc);
                goto fail_closed;
        }
        proc->start_done = done;
        proc->start_userdata = userdata;
        proc->start_destroy = destroy;
        vmm_qemu_process_monitor_start(proc, NULL);
        if (ret_proc)
                *ret_proc = proc;
        return 0;

fail_closed:
        /* closes the timer (and the poll, if started) before the unref */
        vmm_qemu_process_detach(proc);
        return r;
}

static void destroy_kill_timer(uv_timer_t *t)
{
        VmmQemuProcess *proc = t->data;

        if (proc->phase == QEMU_PROCESS_GONE || proc->killed)
                return;
        vmm_log_debug("domain '%s': QEMU ignored SIGTERM for %llu ms, sending SIGKILL", proc->name,
                      (unsigned long long)proc->mgr->kill_grace_ms);
        proc->killed = true;
        if (vmm_qemu_process_kill(proc, SIGKILL) == -ESRCH)
                vmm_qemu_process_exited(proc);
}

int vmm_qemu_process_destroy(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                             VmmError *error)
{
        QemuProcessWaiter *w;
        int r;

        vmm_check_arg(proc, error, "proc");
        if (proc->phase == QEMU_PROCESS_GONE || !proc->mgr)
                return vmm_error_set(error, -ENOENT, VMM_ERR_OPERATION_INVALID,
                                     "destroy domain '%s': the domain is not running", proc->name);
        w = calloc(1, sizeof(*w));
        if (!w)
                return vmm_error_oom(error);
        w->done = done;
        w->userdata = userdata;
        w->next = proc->exit_waiters;
        proc->exit_waiters = w;
        if (proc->destroy_requested)
                return 0; /* already on its way: wait with the others */
        proc->destroy_requested = true;
        r = vmm_qemu_process_kill(proc, SIGTERM);
        if (r == -ESRCH) {
                vmm_qemu_process_exited(proc);
                return 0;
        }
        if (r < 0) {
                proc->exit_waiters = w->next;
                free(w);
                proc->destroy_requested = false;
                return vmm_error_set(error, r, VMM_ERR_SYSTEM,
                                     "destroy domain '%s': cannot signal QEMU pid %d: %s",
                                     proc->name, (int)proc->pid, strerror(-r));
        }
        uv_timer_start(&proc->timer, destroy_kill_timer, proc->mgr->kill_grace_ms, 0);
        return 0;
}
