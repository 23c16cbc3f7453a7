/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* program-test.c: the test program's table, served only by the test
 * suite's vmm-echo-test daemon (kept in the library so client tests and the
 * daemon share one table, as real programs do). */
#include "rpc/programs.h"
#include "util/macros.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

#define M(name) (&vmm__##name##__descriptor)

static const VmmRpcProc test_procs[] = {
    {VMM_RPC_TEST_ECHO, "echo", VMM_RPC_PROC_CALL, M(test_echo_request), M(test_echo_reply),
     "test.read", true, VMM_RPC_PRIORITY_HIGH},
    {VMM_RPC_TEST_SLEEP, "sleep", VMM_RPC_PROC_CALL, M(test_sleep_request), M(rpc_empty),
     "test.write", false, VMM_RPC_PRIORITY_NORMAL},
    {VMM_RPC_TEST_SET, "set", VMM_RPC_PROC_CALL, M(test_set_request), M(rpc_empty), "test.write",
     false, VMM_RPC_PRIORITY_NORMAL},
    {VMM_RPC_TEST_GET, "get", VMM_RPC_PROC_CALL, M(test_get_request), M(test_get_reply),
     "test.read", true, VMM_RPC_PRIORITY_HIGH},
    {VMM_RPC_TEST_WHOAMI, "whoami", VMM_RPC_PROC_CALL, M(rpc_empty), M(test_whoami_reply),
     "test.read", true, VMM_RPC_PRIORITY_HIGH},
    {VMM_RPC_TEST_SUBSCRIBE, "subscribe", VMM_RPC_PROC_CALL, M(rpc_empty), M(rpc_empty),
     "test.read", true, VMM_RPC_PRIORITY_NORMAL},
    {VMM_RPC_TEST_TICK, "tick", VMM_RPC_PROC_EVENT, M(test_tick_event), NULL, NULL, true,
     VMM_RPC_PRIORITY_NORMAL},
    {VMM_RPC_TEST_STREAM, "stream", VMM_RPC_PROC_CALL, M(test_stream_request), M(rpc_empty),
     "test.read", true, VMM_RPC_PRIORITY_NORMAL},
};

const VmmRpcProgram vmm_rpc_program_test = {
    .number = VMM_RPC_PROGRAM_TEST,
    .version = 1,
    .name = "test",
    .procs = test_procs,
    .n_procs = ARRAY_SIZE(test_procs),
};
