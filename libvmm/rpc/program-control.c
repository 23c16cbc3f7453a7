/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* program-control.c: the control program's table (keepalive, identity). */
#include "rpc/programs.h"
#include "util/macros.h"
#include "vmm-rpc.pb-c.h"

static const VmmRpcProc control_procs[] = {
    {VMM_RPC_CONTROL_PING, "ping", VMM_RPC_PROC_EVENT, &vmm__rpc_keepalive__descriptor, NULL, NULL,
     true, VMM_RPC_PRIORITY_HIGH},
    {VMM_RPC_CONTROL_PONG, "pong", VMM_RPC_PROC_EVENT, &vmm__rpc_keepalive__descriptor, NULL, NULL,
     true, VMM_RPC_PRIORITY_HIGH},
    {VMM_RPC_CONTROL_IDENTIFY, "identify", VMM_RPC_PROC_CALL, &vmm__rpc_identity__descriptor,
     &vmm__rpc_empty__descriptor, "connect.identify", false, VMM_RPC_PRIORITY_HIGH},
};

const VmmRpcProgram vmm_rpc_program_control = {
    .number = VMM_RPC_PROGRAM_CONTROL,
    .version = 1,
    .name = "control",
    .procs = control_procs,
    .n_procs = ARRAY_SIZE(control_procs),
};
