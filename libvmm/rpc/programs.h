/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * programs.h: the procedure tables of the programs (see proc-table.h) and
 * their procedure numbers. The numbers are part of the wire protocol: a
 * procedure keeps its number forever; new ones are appended.
 */
#pragma once

#include "rpc/frame.h"
#include "rpc/proc-table.h"

/* Control program (every daemon): keepalive and identity. */
enum {
        VMM_RPC_CONTROL_PING = 1,     /* event, RpcKeepalive */
        VMM_RPC_CONTROL_PONG = 2,     /* event, RpcKeepalive */
        VMM_RPC_CONTROL_IDENTIFY = 3, /* call, RpcIdentity -> RpcEmpty (proxy only) */
};
extern const VmmRpcProgram vmm_rpc_program_control;

/* Domain program (vmm-qemud). */
enum {
        VMM_RPC_DOMAIN_LOOKUP_BY_NAME = 1,
        VMM_RPC_DOMAIN_LOOKUP_BY_UUID,
        VMM_RPC_DOMAIN_LOOKUP_BY_ID,
        VMM_RPC_DOMAIN_LIST_ALL,
        VMM_RPC_DOMAIN_DEFINE_XML,
        VMM_RPC_DOMAIN_UNDEFINE,
        VMM_RPC_DOMAIN_GET_XML,
        VMM_RPC_DOMAIN_GET_INFO,
        VMM_RPC_DOMAIN_GET_STATE,
        VMM_RPC_DOMAIN_START,
        VMM_RPC_DOMAIN_SHUTDOWN,
        VMM_RPC_DOMAIN_DESTROY,
        VMM_RPC_DOMAIN_SUSPEND,
        VMM_RPC_DOMAIN_RESUME,
        VMM_RPC_DOMAIN_REBOOT,
        VMM_RPC_DOMAIN_RESET,
        VMM_RPC_DOMAIN_GET_AUTOSTART,
        VMM_RPC_DOMAIN_SET_AUTOSTART,
        VMM_RPC_DOMAIN_IS_ACTIVE,
        VMM_RPC_DOMAIN_IS_PERSISTENT,
        VMM_RPC_DOMAIN_CREATE_XML,
        VMM_RPC_DOMAIN_EVENT_REGISTER,
        VMM_RPC_DOMAIN_EVENT_DEREGISTER,
        VMM_RPC_DOMAIN_EVENT_LIFECYCLE, /* event */
        VMM_RPC_DOMAIN_SET_MEMORY,
        VMM_RPC_DOMAIN_GET_STATS,
        VMM_RPC_DOMAIN_QEMU_MONITOR_COMMAND,
        VMM_RPC_DOMAIN_ATTACH_DEVICE,
        VMM_RPC_DOMAIN_DETACH_DEVICE,
        VMM_RPC_DOMAIN_SAVE,
        VMM_RPC_DOMAIN_RESTORE,
        VMM_RPC_DOMAIN_MANAGED_SAVE,
        VMM_RPC_DOMAIN_HAS_MANAGED_SAVE,
        VMM_RPC_DOMAIN_MANAGED_SAVE_REMOVE,
        VMM_RPC_DOMAIN_OPEN_CONSOLE, /* reply opens a stream on the call's serial */
        VMM_RPC_DOMAIN_GET_VERSION,
};
extern const VmmRpcProgram vmm_rpc_program_domain;

/* Test program: served only by the vmm-echo-test daemon of the test suite. */
enum {
        VMM_RPC_TEST_ECHO = 1,  /* read-only: TestEchoRequest -> TestEchoReply */
        VMM_RPC_TEST_SLEEP,     /* slow: replies after the given time */
        VMM_RPC_TEST_SET,       /* write: stores key=value */
        VMM_RPC_TEST_GET,       /* read-only */
        VMM_RPC_TEST_WHOAMI,    /* read-only: the caller's identity as seen */
        VMM_RPC_TEST_SUBSCRIBE, /* read-only: ask for TICK events */
        VMM_RPC_TEST_TICK,      /* event */
        VMM_RPC_TEST_STREAM,    /* read-only: TestStreamRequest -> RpcEmpty, opens a stream */
};
extern const VmmRpcProgram vmm_rpc_program_test;
