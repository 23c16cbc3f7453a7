/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-process-qmp.c: any QMP command on a running QEMU (qemu-process-qmp.h). */
#include <errno.h>
#include <stdlib.h>

#include "qemu-process-priv.h"
#include "qemu-process-qmp.h"
#include "util/error.h"

typedef struct QmpCall {
        VmmQemuProcess *proc; /* a reference */
        VmmQemuQmpFn done;
        void *userdata;
} QmpCall;

static void qmp_call_free(void *p)
{
        QmpCall *c = p;

        vmm_qemu_process_unref(c->proc);
        free(c);
}

static void qmp_call_reply(VmmQmp *qmp, int status, json_object *ret, const char *error_class,
                           const char *message, void *userdata)
{
        QmpCall *c = userdata;

        (void)qmp;
        c->done(c->proc, status, ret, error_class, message, c->userdata);
}

/* Both entry points: `fd` -1 sends no descriptor. */
static int process_qmp(VmmQemuProcess *proc, const char *command, json_object *args, int fd,
                       VmmQemuQmpFn done, void *userdata, VmmError *error)
{
        QmpCall *c;
        int r;

        if (!proc->mgr || proc->phase == QEMU_PROCESS_GONE || !proc->qmp ||
            proc->phase == QEMU_PROCESS_STARTING) {
                json_object_put(args);
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s': the domain is not running (or still starting)",
                                     proc->name);
        }
        c = calloc(1, sizeof(*c));
        if (!c) {
                json_object_put(args);
                return vmm_error_oom(error);
        }
        *c = (QmpCall){.proc = vmm_qemu_process_ref(proc), .done = done, .userdata = userdata};
        if (fd < 0)
                r = vmm_qmp_execute(proc->qmp, command, args, proc->mgr->command_timeout_ms,
                                    qmp_call_reply, c, qmp_call_free, error);
        else
                r = vmm_qmp_execute_fd(proc->qmp, command, args, fd, proc->mgr->command_timeout_ms,
                                       qmp_call_reply, c, qmp_call_free, error);
        if (r < 0) {
                qmp_call_free(c);
                return vmm_error_prefix(error, r, "domain '%s': ", proc->name);
        }
        return 0;
}

int vmm_qemu_process_qmp(VmmQemuProcess *proc, const char *command, json_object *args,
                         VmmQemuQmpFn done, void *userdata, VmmError *error)
{
        return process_qmp(proc, command, args, -1, done, userdata, error);
}

int vmm_qemu_process_qmp_fd(VmmQemuProcess *proc, const char *command, json_object *args, int fd,
                            VmmQemuQmpFn done, void *userdata, VmmError *error)
{
        return process_qmp(proc, command, args, fd, done, userdata, error);
}

void vmm_qemu_process_set_current_memory(VmmQemuProcess *proc, uint64_t kib)
{
        if (proc->def)
                vmm_domain_def_set_current_memory_kib(proc->def, kib);
}
