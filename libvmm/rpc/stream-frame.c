/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stream-frame.c: encoding and decoding of STREAM frames (see
 * stream-frame.h). */
#include <errno.h>
#include <string.h>

#include "rpc/programs.h"
#include "rpc/stream-frame.h"
#include "util/error.h"
#include "vmm-rpc.pb-c.h"

static VmmRpcHeader stream_header(const VmmRpcHeader *opening, VmmRpcStatus status)
{
        VmmRpcHeader h = *opening;

        h.length = 0;
        h.type = VMM_RPC_STREAM;
        h.status = status;
        return h;
}

int vmm_rpc_stream_frame_data(const VmmRpcHeader *opening, const void *data, size_t len,
                              uint8_t **ret_frame, size_t *ret_len)
{
        Vmm__RpcStreamData body = VMM__RPC_STREAM_DATA__INIT;
        VmmRpcHeader h = stream_header(opening, VMM_RPC_CONTINUE);

        body.has_data = true;
        body.data.data = (uint8_t *)data;
        body.data.len = len;
        return vmm_rpc_frame_encode(&h, &body.base, NULL, "stream data", ret_frame, ret_len, NULL);
}

int vmm_rpc_stream_frame_ack(const VmmRpcHeader *opening, uint64_t ack, uint8_t **ret_frame,
                             size_t *ret_len)
{
        Vmm__RpcStreamData body = VMM__RPC_STREAM_DATA__INIT;
        VmmRpcHeader h = stream_header(opening, VMM_RPC_CONTINUE);

        body.has_ack = true;
        body.ack = ack;
        return vmm_rpc_frame_encode(&h, &body.base, NULL, "stream ack", ret_frame, ret_len, NULL);
}

int vmm_rpc_stream_frame_end(const VmmRpcHeader *opening, uint8_t **ret_frame, size_t *ret_len)
{
        Vmm__RpcStreamData body = VMM__RPC_STREAM_DATA__INIT;
        VmmRpcHeader h = stream_header(opening, VMM_RPC_OK);

        return vmm_rpc_frame_encode(&h, &body.base, NULL, "stream end", ret_frame, ret_len, NULL);
}

int vmm_rpc_stream_frame_abort(const VmmRpcHeader *opening, int code, VmmErrorKind kind,
                               const char *message, uint8_t **ret_frame, size_t *ret_len)
{
        Vmm__RpcError body = VMM__RPC_ERROR__INIT;
        VmmRpcHeader h = stream_header(opening, VMM_RPC_ERROR);
        char cut[1024];

        body.code = code < 0 ? code : -EIO;
        body.kind = kind;
        if (message && strlen(message) >= sizeof(cut)) {
                memcpy(cut, message, sizeof(cut) - 1);
                cut[sizeof(cut) - 1] = '\0';
                message = cut;
        }
        body.message = (char *)(message ? message : "stream aborted");
        return vmm_rpc_frame_encode(&h, &body.base, NULL, "stream abort", ret_frame, ret_len, NULL);
}

int vmm_rpc_stream_frame_parse(const uint8_t *body, size_t len, const VmmRpcLimits *limits,
                               const char *what, ProtobufCMessage **ret_msg,
                               const uint8_t **ret_data, size_t *ret_len, uint64_t *ret_ack,
                               VmmError *error)
{
        ProtobufCMessage *msg = NULL;
        const Vmm__RpcStreamData *d;
        int r;

        r = vmm_rpc_body_decode(body, len, &vmm__rpc_stream_data__descriptor, limits, what, &msg,
                                error);
        if (r < 0)
                return r;
        d = (const Vmm__RpcStreamData *)msg;
        *ret_data = d->has_data ? d->data.data : NULL;
        *ret_len = d->has_data ? d->data.len : 0;
        *ret_ack = d->has_ack ? d->ack : 0;
        *ret_msg = msg;
        return 0;
}

bool vmm_rpc_proc_opens_stream(uint32_t program, uint32_t procedure)
{
        return (program == VMM_RPC_PROGRAM_DOMAIN && procedure == VMM_RPC_DOMAIN_OPEN_CONSOLE) ||
               (program == VMM_RPC_PROGRAM_TEST && procedure == VMM_RPC_TEST_STREAM);
}
