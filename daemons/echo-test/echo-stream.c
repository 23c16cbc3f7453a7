/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * echo-stream.c: the test program's STREAM procedure in vmm-echo-test: a
 * stream that echoes what the client sends and, when asked, first produces
 * a number of bytes (byte i is i % 251) at the pace the client reads them
 * (it pauses when the skeleton refuses a send and resumes when told the
 * client drained), then ends or aborts the stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-stream.h"
#include "echo-stream.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

#define ECHO_CHUNK (16u << 10)

typedef struct EchoStream {
        uv_timer_t timer;
        VmmDaemonStream *st; /* NULL once the stream ended */
        uint64_t produce, sent;
        char *abort_message;
} EchoStream;

static void echo_stream_closed_handle(uv_handle_t *h)
{
        EchoStream *es = h->data;

        free(es->abort_message);
        free(es);
}

static void echo_stream_release(EchoStream *es)
{
        es->st = NULL;
        uv_close((uv_handle_t *)&es->timer, echo_stream_closed_handle);
}

static void echo_stream_produce(uv_timer_t *t)
{
        EchoStream *es = t->data;
        uint8_t buf[ECHO_CHUNK];

        while (es->st && es->sent < es->produce) {
                size_t n =
                    es->produce - es->sent < ECHO_CHUNK ? es->produce - es->sent : ECHO_CHUNK;
                int r;

                for (size_t i = 0; i < n; i++)
                        buf[i] = (uint8_t)((es->sent + i) % 251);
                r = vmm_daemon_stream_send(es->st, buf, n);
                if (r == -EAGAIN)
                        return; /* `writable` restarts us */
                if (r < 0) {
                        vmm_daemon_stream_abort(es->st, r, VMM_ERR_INTERNAL, "echo: send failed");
                        echo_stream_release(es);
                        return;
                }
                es->sent += n;
        }
        if (!es->st)
                return;
        if (es->abort_message)
                vmm_daemon_stream_abort(es->st, -ECANCELED, VMM_ERR_OPERATION_INVALID, "%s",
                                        es->abort_message);
        else
                vmm_daemon_stream_finish(es->st);
        echo_stream_release(es);
}

static int echo_stream_recv(VmmDaemonStream *st, const uint8_t *data, size_t len, void *userdata,
                            VmmError *error)
{
        int r = vmm_daemon_stream_send(st, data, len);

        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_OPERATION_INVALID,
                                     "echo: cannot echo %zu bytes: the client does not read", len);
        return 0;
}

static void echo_stream_writable(VmmDaemonStream *st, void *userdata)
{
        EchoStream *es = userdata;

        if (es->sent < es->produce)
                uv_timer_start(&es->timer, echo_stream_produce, 0, 0);
}

static void echo_stream_on_closed(VmmDaemonStream *st, int code, const char *reason, void *userdata)
{
        echo_stream_release(userdata);
}

static const VmmDaemonStreamCallbacks echo_stream_callbacks = {
    .recv = echo_stream_recv,
    .writable = echo_stream_writable,
    .closed = echo_stream_on_closed,
};

int echo_stream(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                VmmError *error)
{
        const Vmm__TestStreamRequest *req = (const Vmm__TestStreamRequest *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        uv_loop_t *loop = userdata;
        EchoStream *es = calloc(1, sizeof(*es));
        int r;

        if (!es)
                return vmm_error_oom(error);
        es->produce = req->has_produce ? req->produce : 0;
        es->abort_message = req->abort_message ? strdup(req->abort_message) : NULL;
        r = vmm_daemon_stream_open(call, &echo_stream_callbacks, es, &es->st, error);
        if (r < 0) {
                free(es->abort_message);
                free(es);
                return r;
        }
        uv_timer_init(loop, &es->timer);
        es->timer.data = es;
        vmm_daemon_call_reply(call, &empty.base);
        if (es->produce > 0 || es->abort_message)
                uv_timer_start(&es->timer, echo_stream_produce, 0, 0);
        return 0;
}
