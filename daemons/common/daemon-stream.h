/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemon-stream.h: streams in the daemon skeleton. A handler whose call
 * opens a stream (domain open-console) creates it on the call before it
 * replies; from the reply on, both sides send STREAM frames on the call's
 * serial (see libvmm/rpc/stream-frame.h).
 *
 *   vmm_daemon_stream_open(call, &callbacks, owner, &st, error);
 *   vmm_daemon_call_reply(call, &empty.base);
 *   ... vmm_daemon_stream_send(st, data, len) from the loop ...
 *   vmm_daemon_stream_finish(st);   or   vmm_daemon_stream_abort(st, ...);
 *
 * Data from the client reaches `recv`. The stream ends once: by the owner
 * (finish or abort: the stream is freed at once, no callback), or by the
 * client (its end, which the daemon confirms with its own, its abort, its
 * disconnection, or a `recv` that failed:
 * `closed` runs, then the stream is freed). Callbacks run on the loop.
 *
 * Bounds: at most VMM_DAEMON_STREAM_MAX streams per client; a send is
 * refused with -EAGAIN (nothing sent) while more than
 * VMM_DAEMON_STREAM_HIGH_WATER bytes wait in the client's socket queue or
 * the stream's window (VMM_RPC_STREAM_WINDOW bytes sent and not yet
 * acknowledged, rpc/stream-frame.h) is full; `writable` says when both
 * allow sending again. A producer stops reading its source meanwhile, so
 * a client that does not read holds little of the daemon's memory and
 * stalls only its own stream.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "rpc/stream-frame.h"
#include "util/macros.h"

#define VMM_DAEMON_STREAM_MAX 16
#define VMM_DAEMON_STREAM_HIGH_WATER (256u << 10)
#define VMM_DAEMON_STREAM_LOW_WATER (64u << 10)

typedef struct VmmDaemonStream VmmDaemonStream;

typedef struct VmmDaemonStreamCallbacks {
        /* Data from the client: 0, or a negative errno with `error` filled
         * to abort the stream (then `closed` runs). */
        int (*recv)(VmmDaemonStream *st, const uint8_t *data, size_t len, void *userdata,
                    VmmError *error);
        /* A send refused with -EAGAIN may be tried again. */
        void (*writable)(VmmDaemonStream *st, void *userdata);
        /* The client ended the stream: `code` 0 for its end, else why it
         * went (its abort, -ECONNRESET when it disconnected). `reason`
         * says it in words. The stream is freed when this returns. */
        void (*closed)(VmmDaemonStream *st, int code, const char *reason, void *userdata);
} VmmDaemonStreamCallbacks;

/* Opens a stream on `call` (before replying to it). -EMFILE when the
 * client has VMM_DAEMON_STREAM_MAX streams open, -ENOTCONN when it is
 * gone. */
int vmm_daemon_stream_open(VmmDaemonCall *call, const VmmDaemonStreamCallbacks *cb, void *userdata,
                           VmmDaemonStream **ret_stream, VmmError *error);
/* Sends data (at most VMM_RPC_STREAM_WINDOW bytes): 0, -EAGAIN (nothing
 * sent; wait for `writable`), -ENOMEM, -ENOTCONN. */
int vmm_daemon_stream_send(VmmDaemonStream *st, const void *data, size_t len);
/* Ends the stream (status OK) and frees it. */
void vmm_daemon_stream_finish(VmmDaemonStream *st);
/* Aborts the stream (status ERROR with the message) and frees it. */
void vmm_daemon_stream_abort(VmmDaemonStream *st, int code, VmmErrorKind kind, const char *fmt, ...)
    _printf_(4, 5);
VmmDaemonClient *vmm_daemon_stream_client(const VmmDaemonStream *st);

/* The skeleton's hooks (daemon-dispatch.c, daemon-client.c). */
void daemon_stream_dispatch(VmmDaemonClient *c, const VmmRpcHeader *h, const uint8_t *body,
                            size_t len);
void daemon_stream_drained(VmmDaemonClient *c);
