/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-table.c: procedure table lookup and consistency checks. */
#include "rpc/proc-table.h"

#include <errno.h>
#include <string.h>

#include "util/error.h"

static int validate_proc(const VmmRpcProgram *prog, size_t i, VmmError *error)
{
        const VmmRpcProc *p = &prog->procs[i];
        const char *name = p->name ? p->name : "";

        if (p->number != i + 1)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': entry %zu ('%s') has number %u "
                                     "(expected %zu: numbers are dense and in order)",
                                     prog->name, i, name, p->number, i + 1);
        if (!*name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': procedure %u has no name", prog->name,
                                     p->number);
        for (size_t j = 0; j < i; j++)
                if (prog->procs[j].name && strcmp(prog->procs[j].name, name) == 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "program '%s': procedures %u and %u are both "
                                             "named '%s'",
                                             prog->name, prog->procs[j].number, p->number, name);
        if (p->kind >= _VMM_RPC_PROC_KIND_MAX || p->priority >= _VMM_RPC_PRIORITY_MAX)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': procedure '%s' has kind %d, priority %d "
                                     "(expected call/event, normal/high)",
                                     prog->name, name, p->kind, p->priority);
        if (!p->request)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': procedure '%s' has no %s message", prog->name,
                                     name, p->kind == VMM_RPC_PROC_CALL ? "request" : "event");
        if (p->kind == VMM_RPC_PROC_EVENT) {
                if (p->reply)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "program '%s': event '%s' names a reply message "
                                             "(events have none)",
                                             prog->name, name);
                return 0;
        }
        if (!p->reply)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': procedure '%s' has no reply message",
                                     prog->name, name);
        if (!p->permission || !*p->permission)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': procedure '%s' names no permission", prog->name,
                                     name);
        return 0;
}

int vmm_rpc_program_validate(const VmmRpcProgram *prog, VmmError *error)
{
        int r;

        vmm_check_arg(prog, error, "prog");
        if (!prog->name || !*prog->name || prog->number == 0 || prog->version == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program 0x%08x ('%s'): needs a name, a number and a "
                                     "version (got version %u)",
                                     prog->number, strempty(prog->name), prog->version);
        if (prog->n_procs == 0 || !prog->procs)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': the procedure table is empty", prog->name);
        for (size_t i = 0; i < prog->n_procs; i++) {
                r = validate_proc(prog, i, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

const VmmRpcProc *vmm_rpc_program_find(const VmmRpcProgram *prog, uint32_t number)
{
        if (number == 0 || number > prog->n_procs)
                return NULL;
        return prog->procs[number - 1].number == number ? &prog->procs[number - 1] : NULL;
}

const VmmRpcProc *vmm_rpc_program_find_by_name(const VmmRpcProgram *prog, const char *name)
{
        for (size_t i = 0; i < prog->n_procs; i++)
                if (strcmp(prog->procs[i].name, name) == 0)
                        return &prog->procs[i];
        return NULL;
}
