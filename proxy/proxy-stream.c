/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proxy-stream.c: streams through vmm-proxyd. STREAM frames pass both
 * ways unchanged like every other frame (a stream lives on the serial of
 * its opening call, which the proxy does not remap), but the proxy must
 * know which streams are open on a backend: when the daemon goes, the
 * client would otherwise wait on them forever. A stream is open from the
 * successful reply to a call that opens one (rpc/stream-frame.h) until
 * either side's end or abort; a lost backend aborts every open stream
 * towards the client with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "proxy.h"
#include "rpc/stream-frame.h"
#include "util/log.h"

static void streams_remove(ProxyBackend *b, uint32_t serial)
{
        for (size_t i = b->n_streams; i-- > 0;)
                if (b->streams[i].serial == serial) {
                        b->streams[i] = b->streams[--b->n_streams];
                        return;
                }
}

void proxy_streams_note(ProxyBackend *b, const VmmRpcHeader *h)
{
        if (h->type == VMM_RPC_STREAM && h->status != VMM_RPC_CONTINUE) {
                streams_remove(b, h->serial);
                return;
        }
        if (h->type != VMM_RPC_REPLY || h->status != VMM_RPC_OK ||
            !vmm_rpc_proc_opens_stream(h->program, h->procedure))
                return;
        if (b->n_streams == b->cap_streams) {
                size_t cap = b->cap_streams ? 2 * b->cap_streams : 4;
                VmmRpcHeader *v = realloc(b->streams, cap * sizeof(*v));

                if (!v) {
                        vmm_log_warning("vmm-proxyd: %s: out of memory noting a stream, "
                                        "ignoring",
                                        b->desc);
                        return;
                }
                b->streams = v;
                b->cap_streams = cap;
        }
        b->streams[b->n_streams++] = *h;
}

void proxy_streams_fail(ProxyBackend *b, int code, VmmErrorKind kind, const char *why)
{
        ProxyClient *c = b->client;
        char msg[256];

        /* the calls' message says a call may not have completed: say what
         * it means for a stream */
        if (code == -ECONNRESET) {
                snprintf(msg, sizeof(msg),
                         "vmm-proxyd: the connection to %s was lost; the stream ended",
                         b->route->daemon);
                why = msg;
        }
        for (size_t i = 0; i < b->n_streams && !c->closing; i++) {
                uint8_t *frame;
                size_t len;

                if (vmm_rpc_stream_frame_abort(&b->streams[i], code, kind, why, &frame, &len) < 0)
                        continue;
                proxy_client_send(c, frame, len);
                free(frame);
        }
        b->n_streams = 0;
}
