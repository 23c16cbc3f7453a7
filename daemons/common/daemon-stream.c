/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemon-stream.c: streams of the daemon skeleton (see daemon-stream.h).
 * A client's streams hang on it as client data, so its disconnection
 * closes them all; frames from the client find their stream by serial.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-internal.h"
#include "daemon-stream.h"
#include "rpc/stream-frame.h"
#include "util/error.h"
#include "util/log.h"

struct VmmDaemonStream {
        VmmDaemonStream *next;
        struct StreamSet *set;
        VmmRpcHeader opening;
        VmmDaemonStreamCallbacks cb;
        void *userdata;
        uint64_t unacked;   /* sent, not yet acknowledged by the client */
        bool want_writable; /* a send was refused: call `writable` on drain */
        bool in_callback;   /* freed by the dispatcher when the callback returns */
        bool ended;
};

typedef struct StreamSet {
        VmmDaemonClient *client;
        VmmDaemonStream *streams;
        unsigned n;
} StreamSet;

static const int stream_key;

static void stream_unlink(VmmDaemonStream *st)
{
        StreamSet *set = st->set;

        if (!set)
                return;
        for (VmmDaemonStream **pp = &set->streams; *pp; pp = &(*pp)->next)
                if (*pp == st) {
                        *pp = st->next;
                        set->n--;
                        break;
                }
        st->set = NULL;
        st->next = NULL;
}

/* The client is gone (client data destroy): every stream is closed. */
static void stream_set_destroy(void *data)
{
        StreamSet *set = data;

        while (set->streams) {
                VmmDaemonStream *st = set->streams;

                stream_unlink(st);
                st->ended = true;
                if (st->cb.closed)
                        st->cb.closed(st, -ECONNRESET, "the client disconnected", st->userdata);
                if (!st->in_callback)
                        free(st);
        }
        free(set);
}

int vmm_daemon_stream_open(VmmDaemonCall *call, const VmmDaemonStreamCallbacks *cb, void *userdata,
                           VmmDaemonStream **ret_stream, VmmError *error)
{
        VmmDaemonClient *c = call->client;
        StreamSet *set = vmm_daemon_client_get_data(c, &stream_key);
        VmmDaemonStream *st;

        if (c->closing)
                return vmm_error_set(error, -ENOTCONN, VMM_ERR_RPC, "'%s': the client has gone",
                                     call->proc->name);
        if (set && set->n >= VMM_DAEMON_STREAM_MAX)
                return vmm_error_set(error, -EMFILE, VMM_ERR_OPERATION_INVALID,
                                     "'%s': this connection has %u streams open already "
                                     "(limit %u); close one first",
                                     call->proc->name, set->n, VMM_DAEMON_STREAM_MAX);
        if (!set) {
                set = calloc(1, sizeof(*set));
                if (!set)
                        return vmm_error_oom(error);
                set->client = c;
                if (vmm_daemon_client_set_data(c, &stream_key, set, stream_set_destroy) < 0) {
                        free(set);
                        return vmm_error_oom(error);
                }
        }
        st = calloc(1, sizeof(*st));
        if (!st)
                return vmm_error_oom(error);
        st->opening = call->header;
        st->cb = *cb;
        st->userdata = userdata;
        st->set = set;
        st->next = set->streams;
        set->streams = st;
        set->n++;
        *ret_stream = st;
        return 0;
}

VmmDaemonClient *vmm_daemon_stream_client(const VmmDaemonStream *st)
{
        return st->set ? st->set->client : NULL;
}

int vmm_daemon_stream_send(VmmDaemonStream *st, const void *data, size_t len)
{
        VmmDaemonClient *c = vmm_daemon_stream_client(st);
        uint8_t *frame;
        size_t flen;

        if (!c || c->closing)
                return -ENOTCONN;
        if (len > VMM_RPC_STREAM_WINDOW)
                return -EMSGSIZE;
        if (c->queued_bytes >= VMM_DAEMON_STREAM_HIGH_WATER ||
            st->unacked + len > VMM_RPC_STREAM_WINDOW) {
                st->want_writable = true;
                return -EAGAIN;
        }
        if (vmm_rpc_stream_frame_data(&st->opening, data, len, &frame, &flen) < 0)
                return -ENOMEM;
        st->unacked += len;
        daemon_client_send(c, frame, flen);
        return 0;
}

/* Frees the stream now, or after the callback it is in returns. */
static void stream_end(VmmDaemonStream *st)
{
        st->ended = true;
        stream_unlink(st);
        if (!st->in_callback)
                free(st);
}

void vmm_daemon_stream_finish(VmmDaemonStream *st)
{
        VmmDaemonClient *c = vmm_daemon_stream_client(st);
        uint8_t *frame;
        size_t flen;

        if (c && !c->closing && vmm_rpc_stream_frame_end(&st->opening, &frame, &flen) >= 0)
                daemon_client_send(c, frame, flen);
        stream_end(st);
}

void vmm_daemon_stream_abort(VmmDaemonStream *st, int code, VmmErrorKind kind, const char *fmt, ...)
{
        VmmDaemonClient *c = vmm_daemon_stream_client(st);
        _cleanup_free_ char *msg = NULL;
        uint8_t *frame;
        size_t flen;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (c && !c->closing &&
            vmm_rpc_stream_frame_abort(&st->opening, code, kind, msg ? msg : "stream aborted",
                                       &frame, &flen) >= 0)
                daemon_client_send(c, frame, flen);
        stream_end(st);
}

static VmmDaemonStream *stream_find(VmmDaemonClient *c, const VmmRpcHeader *h)
{
        StreamSet *set = vmm_daemon_client_get_data(c, &stream_key);

        for (VmmDaemonStream *st = set ? set->streams : NULL; st; st = st->next)
                if (st->opening.serial == h->serial && st->opening.program == h->program &&
                    st->opening.procedure == h->procedure)
                        return st;
        return NULL;
}

/* Tells the owner it may send again; true when it ended the stream (then
 * freed here). */
static bool stream_call_writable(VmmDaemonStream *st)
{
        st->want_writable = false;
        if (!st->cb.writable)
                return false;
        st->in_callback = true;
        st->cb.writable(st, st->userdata);
        st->in_callback = false;
        if (!st->ended)
                return false;
        free(st);
        return true;
}

/* The client ended the stream (or its data was refused): `closed`, then
 * free. */
static void stream_closed_by_client(VmmDaemonStream *st, int code, const char *reason)
{
        stream_unlink(st);
        st->ended = true;
        if (st->cb.closed)
                st->cb.closed(st, code, reason, st->userdata);
        free(st);
}

static void stream_data(VmmDaemonClient *c, VmmDaemonStream *st, const VmmRpcHeader *h,
                        const uint8_t *body, size_t len)
{
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *data;
        uint64_t ack = 0;
        size_t n;
        int r;

        r = vmm_rpc_stream_frame_parse(body, len, &c->daemon->opts.limits, "stream data", &msg,
                                       &data, &n, &ack, &err);
        if (r >= 0 && ack > 0) {
                st->unacked -= ack < st->unacked ? ack : st->unacked;
                if (st->want_writable && c->queued_bytes < VMM_DAEMON_STREAM_LOW_WATER &&
                    stream_call_writable(st))
                        return;
        }
        if (r >= 0 && n > 0 && st->cb.recv) {
                st->in_callback = true;
                r = st->cb.recv(st, data, n, st->userdata, &err);
                st->in_callback = false;
                if (st->ended) {
                        free(st); /* the owner ended it from the callback */
                        vmm_error_clear(&err);
                        return;
                }
        }
        if (r < 0) {
                char *reason = strdup(vmm_error_message(&err));
                uint8_t *frame;
                size_t flen;

                if (vmm_rpc_stream_frame_abort(&st->opening, r, err.kind ? err.kind : VMM_ERR_RPC,
                                               vmm_error_message(&err), &frame, &flen) >= 0)
                        daemon_client_send(c, frame, flen);
                stream_closed_by_client(st, r, reason ? reason : "out of memory");
                free(reason);
        } else if (h->status == VMM_RPC_OK) {
                /* confirmed, so a client that finished reads to the end */
                uint8_t *frame;
                size_t flen;

                if (vmm_rpc_stream_frame_end(&st->opening, &frame, &flen) >= 0)
                        daemon_client_send(c, frame, flen);
                stream_closed_by_client(st, 0, "the client ended the stream");
        }
        vmm_error_clear(&err);
}

void daemon_stream_dispatch(VmmDaemonClient *c, const VmmRpcHeader *h, const uint8_t *body,
                            size_t len)
{
        VmmDaemonStream *st = stream_find(c, h);
        VmmError err = VMM_ERROR_INIT;

        if (!st) {
                /* late frames of a stream that ended here are normal */
                vmm_log_debug("%s: %s: stream frame for serial %u without a stream, dropped",
                              c->daemon->name, c->desc, h->serial);
                return;
        }
        if (h->status == VMM_RPC_ERROR) {
                int code = vmm_rpc_error_decode(body, len, &err);

                stream_closed_by_client(st, code, vmm_error_message(&err));
                vmm_error_clear(&err);
                return;
        }
        stream_data(c, st, h, body, len);
}

void daemon_stream_drained(VmmDaemonClient *c)
{
        for (;;) {
                StreamSet *set = vmm_daemon_client_get_data(c, &stream_key);
                VmmDaemonStream *st;

                if (!set || c->closing || c->queued_bytes >= VMM_DAEMON_STREAM_LOW_WATER)
                        return;
                for (st = set->streams; st; st = st->next)
                        if (st->want_writable && st->cb.writable &&
                            st->unacked < VMM_RPC_STREAM_WINDOW)
                                break;
                if (!st)
                        return;
                stream_call_writable(st);
        }
}
