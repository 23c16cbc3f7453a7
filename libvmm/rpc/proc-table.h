/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-table.h: one table per program lists every procedure once: its
 * number, name, request and reply messages, the permission it needs,
 * whether a read-only connection may call it, and its priority. The
 * client's calls, the daemon's dispatch and the permission checks are all
 * driven by this table, so nothing can drift apart.
 *
 * Rules (checked by vmm_rpc_program_validate(), and by a unit test for every
 * table in the tree): entry i has number i + 1 (dense, unique, in order);
 * names are unique and non-empty; a call names a request, a reply and a
 * permission; an event names its message (in `request`) and no reply.
 */
#pragma once

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

typedef enum VmmRpcProcKind {
        VMM_RPC_PROC_CALL = 0,  /* client calls, daemon replies */
        VMM_RPC_PROC_EVENT = 1, /* pushed (daemon to client, or keepalive either way) */
        _VMM_RPC_PROC_KIND_MAX
} VmmRpcProcKind;

typedef enum VmmRpcPriority {
        VMM_RPC_PRIORITY_NORMAL = 0,
        VMM_RPC_PRIORITY_HIGH = 1, /* quick, never blocks: served even when the
                                    * client's calls-in-flight budget is spent */
        _VMM_RPC_PRIORITY_MAX
} VmmRpcPriority;

typedef struct VmmRpcProc {
        uint32_t number;
        const char *name; /* "define-xml" */
        VmmRpcProcKind kind;
        const ProtobufCMessageDescriptor *request; /* call body, or the event's body */
        const ProtobufCMessageDescriptor *reply;   /* reply body (NULL for events) */
        const char *permission;                    /* "domain.write" */
        bool read_only;                            /* allowed on a read-only socket */
        VmmRpcPriority priority;
} VmmRpcProc;

typedef struct VmmRpcProgram {
        uint32_t number; /* VMM_RPC_PROGRAM_* */
        uint32_t version;
        const char *name; /* "domain" */
        const VmmRpcProc *procs;
        size_t n_procs;
} VmmRpcProgram;

/* Checks the rules above; -EINVAL with a message naming the program, the
 * entry and the rule broken. */
int vmm_rpc_program_validate(const VmmRpcProgram *prog, VmmError *error);

/* The entry for `number`, or NULL. O(1) on a valid table. */
const VmmRpcProc *vmm_rpc_program_find(const VmmRpcProgram *prog, uint32_t number);

/* The entry named `name`, or NULL. */
const VmmRpcProc *vmm_rpc_program_find_by_name(const VmmRpcProgram *prog, const char *name);
