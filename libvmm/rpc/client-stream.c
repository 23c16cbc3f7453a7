/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client-stream.c: streams on a client connection (see client.h). A
 * stream is bound to the serial of the call that opens it before that call
 * is written, so no STREAM frame that follows the reply can be missed. All
 * of a stream's state is guarded by the connection's lock; data waits in a
 * queue of chunks that the daemon's window bounds (stream-frame.h: recv
 * acknowledges what the application read); a condition wakes recv, an
 * eventfd makes the stream pollable.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "rpc/client-internal.h"
#include "rpc/stream-frame.h"
#include "util/error.h"
#include "util/log.h"

typedef struct StreamChunk {
        struct StreamChunk *next;
        size_t len, off;
        uint8_t data[];
} StreamChunk;

struct VmmRpcStream {
        VmmRpcClient *client;
        VmmRpcStream *next; /* in client->streams */
        bool linked;
        VmmRpcHeader opening; /* program, version, procedure, serial */
        char what[160];       /* "stream of 'domain.open-console'" */
        int event_fd;

        /* under client->lock */
        StreamChunk *head, *tail;
        size_t queued;
        uint64_t consumed; /* read by the application, not yet acknowledged */
        bool eof;          /* the daemon ended the stream */
        bool failed;       /* `error` says why */
        bool local_done;   /* finished or aborted here: no more sends */
        bool fd_ready;     /* event_fd was signalled */
        VmmError error;
        pthread_cond_t cond;
};

static void stream_unlink_locked(VmmRpcClient *c, VmmRpcStream *s)
{
        if (!s->linked)
                return;
        for (VmmRpcStream **pp = &c->streams; *pp; pp = &(*pp)->next)
                if (*pp == s) {
                        *pp = s->next;
                        break;
                }
        s->next = NULL;
        s->linked = false;
}

/* Wakes readers and keeps the eventfd readable exactly while recv would
 * not block (lock held). */
static void stream_notify_locked(VmmRpcStream *s)
{
        bool ready = s->head || s->eof || s->failed;
        uint64_t v = 1;

        if (ready && !s->fd_ready)
                (void)!write(s->event_fd, &v, sizeof(v));
        else if (!ready && s->fd_ready)
                (void)!read(s->event_fd, &v, sizeof(v));
        s->fd_ready = ready;
        pthread_cond_broadcast(&s->cond);
}

static void stream_fail_locked(VmmRpcStream *s, int code, VmmErrorKind kind, const char *fmt, ...)
    _printf_(4, 5);
static void stream_fail_locked(VmmRpcStream *s, int code, VmmErrorKind kind, const char *fmt, ...)
{
        va_list ap;

        if (s->failed || s->eof)
                return;
        s->failed = true;
        va_start(ap, fmt);
        vmm_error_setv(&s->error, code, kind, fmt, ap);
        va_end(ap);
        stream_notify_locked(s);
}

/* Queues a frame and writes it when nothing is queued before it (lock
 * held); returns whether the I/O thread must be woken. Takes `frame`. */
static bool stream_queue_locked(VmmRpcClient *c, uint8_t *frame, size_t len)
{
        if (rpc_client_queue_locked(c, frame, len) < 0)
                return false;
        if (c->out_head == c->out_tail)
                rpc_client_flush_locked(c);
        return c->out_head != NULL || c->write_error;
}

/* Tells the daemon the stream is over (lock held). */
static bool stream_send_abort_locked(VmmRpcStream *s, int code, VmmErrorKind kind,
                                     const char *message)
{
        uint8_t *frame;
        size_t len;

        if (s->client->closed)
                return false;
        if (vmm_rpc_stream_frame_abort(&s->opening, code, kind, message, &frame, &len) < 0)
                return false;
        return stream_queue_locked(s->client, frame, len);
}

void rpc_client_stream_bind_locked(VmmRpcClient *c, RpcPending *p)
{
        VmmRpcStream *s = p->stream;

        s->opening.serial = p->serial;
        s->next = c->streams;
        c->streams = s;
        s->linked = true;
}

void rpc_client_streams_closed_locked(VmmRpcClient *c)
{
        for (VmmRpcStream *s = c->streams; s; s = s->next)
                stream_fail_locked(s, c->close_error.code ? c->close_error.code : -ECONNRESET,
                                   c->close_error.kind ? c->close_error.kind : VMM_ERR_RPC,
                                   "%s: %s", s->what, vmm_error_message(&c->close_error));
}

static VmmRpcStream *stream_find_locked(VmmRpcClient *c, const VmmRpcHeader *h)
{
        for (VmmRpcStream *s = c->streams; s; s = s->next)
                if (s->opening.serial == h->serial && s->opening.program == h->program &&
                    s->opening.procedure == h->procedure)
                        return s;
        return NULL;
}

/* Data from the daemon (lock held); a daemon that overruns the window
 * loses the stream. */
static bool stream_push_locked(VmmRpcStream *s, const uint8_t *data, size_t len)
{
        StreamChunk *chunk;

        if (len == 0)
                return false;
        if (s->queued + len > VMM_RPC_STREAM_WINDOW) {
                stream_fail_locked(s, -EPROTO, VMM_ERR_RPC,
                                   "%s: the daemon sent more than the stream window (%u bytes "
                                   "unread); stream aborted",
                                   s->what, VMM_RPC_STREAM_WINDOW);
                s->local_done = true;
                return stream_send_abort_locked(s, -EPROTO, VMM_ERR_RPC,
                                                "stream window overrun (more than 1 MiB sent "
                                                "and not acknowledged)");
        }
        chunk = malloc(sizeof(*chunk) + len);
        if (!chunk) {
                stream_fail_locked(s, -ENOMEM, VMM_ERR_INTERNAL, "%s: out of memory", s->what);
                return false;
        }
        chunk->next = NULL;
        chunk->len = len;
        chunk->off = 0;
        memcpy(chunk->data, data, len);
        if (s->tail)
                s->tail->next = chunk;
        else
                s->head = chunk;
        s->tail = chunk;
        s->queued += len;
        stream_notify_locked(s);
        return false;
}

void rpc_client_stream_frame(VmmRpcClient *c, const VmmRpcHeader *h, const uint8_t *body,
                             size_t len)
{
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *data = NULL;
        uint64_t ack = 0;
        size_t n = 0;
        bool wake = false;
        int r = 0;
        VmmRpcStream *s;

        if (h->status == VMM_RPC_ERROR)
                r = vmm_rpc_error_decode(body, len, &err);
        else
                r = vmm_rpc_stream_frame_parse(body, len, &c->limits, "stream data", &msg, &data,
                                               &n, &ack, &err);
        pthread_mutex_lock(&c->lock);
        s = stream_find_locked(c, h);
        if (!s || s->failed || s->eof) {
                vmm_log_debug("rpc client %s: stream frame for serial %u that no open stream "
                              "has, dropped",
                              c->name, h->serial);
        } else if (h->status == VMM_RPC_ERROR) {
                stream_fail_locked(s, r, err.kind ? err.kind : VMM_ERR_RPC, "%s",
                                   vmm_error_message(&err));
        } else if (r < 0) {
                stream_fail_locked(s, r, VMM_ERR_RPC, "%s: daemon at '%s' sent a bad frame: %s",
                                   s->what, c->name, vmm_error_message(&err));
                s->local_done = true;
                wake = stream_send_abort_locked(s, r, VMM_ERR_RPC, "bad stream frame");
        } else {
                wake = stream_push_locked(s, data, n);
                if (h->status == VMM_RPC_OK && !s->failed) {
                        s->eof = true;
                        stream_notify_locked(s);
                }
        }
        pthread_mutex_unlock(&c->lock);
        if (wake)
                rpc_client_wake(c);
        vmm_error_clear(&err);
}

static VmmRpcStream *stream_alloc(VmmRpcClient *c, const VmmRpcProgram *prog,
                                  const VmmRpcProc *proc)
{
        VmmRpcStream *s = calloc(1, sizeof(*s));
        pthread_condattr_t attr;

        if (!s)
                return NULL;
        s->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (s->event_fd < 0) {
                free(s);
                return NULL;
        }
        s->client = c;
        s->opening.program = prog->number;
        s->opening.version = prog->version;
        s->opening.procedure = proc->number;
        vmm_rpc_describe(s->what, sizeof(s->what), "stream of '", prog->name, proc->name, "'");
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&s->cond, &attr);
        pthread_condattr_destroy(&attr);
        return s;
}

static void stream_destroy(VmmRpcStream *s)
{
        while (s->head) {
                StreamChunk *chunk = s->head;
                s->head = chunk->next;
                free(chunk);
        }
        vmm_error_clear(&s->error);
        pthread_cond_destroy(&s->cond);
        close(s->event_fd);
        free(s);
}

int vmm_rpc_client_open_stream(VmmRpcClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                               const ProtobufCMessage *request, int timeout_ms,
                               VmmRpcStream **ret_stream, VmmError *error)
{
        const VmmRpcProc *proc;
        VmmRpcStream *s;
        bool wake = false;
        int r;

        vmm_check_arg(c && prog && ret_stream, error, "client, prog and ret_stream");
        proc = vmm_rpc_program_find(prog, procedure);
        if (!proc || proc->kind != VMM_RPC_PROC_CALL)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "program '%s' has no call procedure %u", prog->name,
                                     procedure);
        s = stream_alloc(c, prog, proc);
        if (!s)
                return vmm_error_oom(error);
        r = rpc_client_call_stream(c, prog, procedure, request, timeout_ms, s, NULL, error);
        if (r < 0) {
                pthread_mutex_lock(&c->lock);
                /* a late reply may still open it in the daemon: close it there */
                if (r == -ETIMEDOUT && s->linked)
                        wake = stream_send_abort_locked(s, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                                                        "the client gave up waiting for the "
                                                        "stream to open");
                stream_unlink_locked(c, s);
                pthread_mutex_unlock(&c->lock);
                if (wake)
                        rpc_client_wake(c);
                stream_destroy(s);
                return r;
        }
        *ret_stream = s;
        return 0;
}

/* -EPIPE when this side may not send any more (lock held). */
static int stream_check_send_locked(VmmRpcStream *s, VmmError *error)
{
        if (s->failed)
                return vmm_error_set(error, s->error.code < 0 ? s->error.code : -EPIPE,
                                     s->error.kind, "%s", vmm_error_message(&s->error));
        if (s->local_done)
                return vmm_error_set(error, -EPIPE, VMM_ERR_OPERATION_INVALID,
                                     "%s: this side already finished the stream", s->what);
        if (s->eof)
                return vmm_error_set(error, -EPIPE, VMM_ERR_OPERATION_INVALID,
                                     "%s: the daemon ended the stream", s->what);
        return 0;
}

int vmm_rpc_stream_send(VmmRpcStream *s, const void *buf, size_t len, VmmError *error)
{
        VmmRpcClient *c;
        bool wake = false;
        size_t off = 0;
        int r;

        vmm_check_arg(s && (buf || len == 0), error, "stream and buf");
        if (len > INT32_MAX)
                len = INT32_MAX;
        c = s->client;
        pthread_mutex_lock(&c->lock);
        r = stream_check_send_locked(s, error);
        while (r >= 0 && off < len) {
                size_t n = len - off < VMM_RPC_STREAM_CHUNK ? len - off : VMM_RPC_STREAM_CHUNK;
                uint8_t *frame;
                size_t flen;

                r = vmm_rpc_stream_frame_data(&s->opening, (const uint8_t *)buf + off, n, &frame,
                                              &flen);
                if (r < 0 || rpc_client_queue_locked(c, frame, flen) < 0) {
                        r = vmm_error_oom(error);
                        break;
                }
                off += n;
        }
        if (off > 0) {
                if (c->out_head == c->out_tail)
                        rpc_client_flush_locked(c);
                wake = c->out_head != NULL || c->write_error;
        }
        pthread_mutex_unlock(&c->lock);
        if (wake)
                rpc_client_wake(c);
        return r < 0 ? r : (int)len;
}

/* Copies queued data out (lock held); sets *ret_wake when an ack was
 * queued and the I/O thread must write it. */
static size_t stream_take_locked(VmmRpcStream *s, uint8_t *buf, size_t len, bool *ret_wake)
{
        size_t done = 0;

        while (s->head && done < len) {
                StreamChunk *chunk = s->head;
                size_t n = chunk->len - chunk->off;

                if (n > len - done)
                        n = len - done;
                memcpy(buf + done, chunk->data + chunk->off, n);
                chunk->off += n;
                done += n;
                if (chunk->off == chunk->len) {
                        s->head = chunk->next;
                        if (!s->head)
                                s->tail = NULL;
                        free(chunk);
                }
        }
        s->queued -= done;
        s->consumed += done;
        if (s->consumed >= VMM_RPC_STREAM_WINDOW / 4 && !s->failed && !s->eof &&
            !s->client->closed) {
                uint8_t *frame;
                size_t flen;

                if (vmm_rpc_stream_frame_ack(&s->opening, s->consumed, &frame, &flen) >= 0) {
                        *ret_wake = stream_queue_locked(s->client, frame, flen);
                        s->consumed = 0;
                }
        }
        stream_notify_locked(s);
        return done;
}

static void deadline_after(struct timespec *ts, int ms)
{
        clock_gettime(CLOCK_MONOTONIC, ts);
        ts->tv_sec += ms / 1000;
        ts->tv_nsec += (long)(ms % 1000) * 1000000L;
        if (ts->tv_nsec >= 1000000000L) {
                ts->tv_sec++;
                ts->tv_nsec -= 1000000000L;
        }
}

int vmm_rpc_stream_recv(VmmRpcStream *s, void *buf, size_t len, int timeout_ms, VmmError *error)
{
        struct timespec deadline;
        VmmRpcClient *c;
        bool wake = false;
        int r;

        vmm_check_arg(s && buf && len > 0, error, "stream, buf and len");
        if (len > INT32_MAX)
                len = INT32_MAX;
        c = s->client;
        if (timeout_ms > 0)
                deadline_after(&deadline, timeout_ms);
        pthread_mutex_lock(&c->lock);
        for (;;) {
                if (s->head) {
                        r = (int)stream_take_locked(s, buf, len, &wake);
                        break;
                }
                if (s->failed) {
                        r = vmm_error_set(error, s->error.code < 0 ? s->error.code : -EIO,
                                          s->error.kind, "%s", vmm_error_message(&s->error));
                        break;
                }
                if (s->eof) {
                        r = 0;
                        break;
                }
                if (timeout_ms == 0 ||
                    (timeout_ms > 0 &&
                     pthread_cond_timedwait(&s->cond, &c->lock, &deadline) == ETIMEDOUT &&
                     !s->head && !s->failed && !s->eof)) {
                        r = vmm_error_set(error, -EAGAIN, VMM_ERR_TIMEOUT,
                                          "%s: no data within %d ms", s->what, timeout_ms);
                        break;
                }
                if (timeout_ms < 0)
                        pthread_cond_wait(&s->cond, &c->lock);
        }
        pthread_mutex_unlock(&c->lock);
        if (wake)
                rpc_client_wake(c);
        return r;
}

int vmm_rpc_stream_finish(VmmRpcStream *s, VmmError *error)
{
        VmmRpcClient *c;
        uint8_t *frame;
        size_t flen;
        bool wake = false;
        int r;

        vmm_check_arg(s, error, "stream");
        c = s->client;
        pthread_mutex_lock(&c->lock);
        if (s->local_done) {
                pthread_mutex_unlock(&c->lock);
                return 0;
        }
        r = s->eof ? 0 : stream_check_send_locked(s, error);
        if (r >= 0 && !s->eof && !c->closed) {
                if (vmm_rpc_stream_frame_end(&s->opening, &frame, &flen) < 0)
                        r = vmm_error_oom(error);
                else
                        wake = stream_queue_locked(c, frame, flen);
        }
        s->local_done = true;
        pthread_mutex_unlock(&c->lock);
        if (wake)
                rpc_client_wake(c);
        return r;
}

int vmm_rpc_stream_abort(VmmRpcStream *s, const char *reason, VmmError *error)
{
        VmmRpcClient *c;
        bool wake = false;

        vmm_check_arg(s, error, "stream");
        c = s->client;
        pthread_mutex_lock(&c->lock);
        if (!s->local_done && !s->failed && !s->eof)
                wake = stream_send_abort_locked(s, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                                reason ? reason : "aborted by the client");
        s->local_done = true;
        stream_fail_locked(s, -ECANCELED, VMM_ERR_OPERATION_INVALID, "%s: aborted%s%s", s->what,
                           reason ? ": " : "", reason ? reason : "");
        stream_unlink_locked(c, s);
        pthread_mutex_unlock(&c->lock);
        if (wake)
                rpc_client_wake(c);
        return 0;
}

size_t vmm_rpc_stream_queued(VmmRpcStream *s)
{
        size_t n;

        pthread_mutex_lock(&s->client->lock);
        n = s->queued;
        pthread_mutex_unlock(&s->client->lock);
        return n;
}

int vmm_rpc_stream_event_fd(VmmRpcStream *s)
{
        return s ? s->event_fd : -EINVAL;
}

VmmRpcStream *vmm_rpc_stream_free(VmmRpcStream *s)
{
        VmmRpcClient *c;

        if (!s)
                return NULL;
        c = s->client;
        if (!s->local_done)
                vmm_rpc_stream_abort(s, "the client closed the stream", NULL);
        pthread_mutex_lock(&c->lock);
        stream_unlink_locked(c, s);
        pthread_mutex_unlock(&c->lock);
        stream_destroy(s);
        return NULL;
}
