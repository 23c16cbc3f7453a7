/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-connect.c: connection-wide questions for the daemon: the
 * hypervisor's version (get-version: the QEMU binary vmm-qemud runs).
 */
#include <errno.h>

#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

int remote_get_hypervisor_version(VmmConnect *conn, unsigned long *ret_version, VmmError *error)
{
        Vmm__RpcEmpty req = VMM__RPC_EMPTY__INIT;
        ProtobufCMessage *reply = NULL;
        Vmm__DomainVersionReply *v;
        int r;

        r = remote_call(conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_GET_VERSION, &req.base,
                        &reply, error);
        if (r < 0)
                return r;
        v = (Vmm__DomainVersionReply *)reply;
        *ret_version = (unsigned long)v->hv_version;
        vmm_rpc_message_free(reply);
        return 0;
}
