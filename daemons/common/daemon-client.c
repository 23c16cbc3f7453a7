/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-client.c: one connected client: identity, reading frames,
 * queueing replies, limits (stalled frames, unread replies), closing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon-internal.h"
#include "daemon-stream.h"
#include "util/error.h"
#include "util/log.h"

typedef struct ClientWrite {
        uv_write_t req;
        VmmDaemonClient *client;
        uint8_t *data;
        size_t len;
} ClientWrite;

VmmDaemonClient *vmm_daemon_client_ref(VmmDaemonClient *c)
{
        c->refs++;
        return c;
}

VmmDaemonClient *vmm_daemon_client_unref(VmmDaemonClient *c)
{
        if (!c || --c->refs > 0)
                return NULL;
        vmm_rpc_reader_done(&c->reader);
        free(c);
        return NULL;
}

bool vmm_daemon_client_is_open(const VmmDaemonClient *c)
{
        return !c->closing;
}

const VmmDaemonIdentity *vmm_daemon_client_identity(const VmmDaemonClient *c)
{
        return &c->id;
}

static void on_client_handle_closed(uv_handle_t *h)
{
        VmmDaemonClient *c = h->data;

        if (--c->open_handles == 0)
                vmm_daemon_client_unref(c);
}

int vmm_daemon_client_set_data(VmmDaemonClient *c, const void *key, void *data,
                               void (*destroy)(void *data))
{
        ClientData **pp, *e;

        for (pp = &c->data; *pp; pp = &(*pp)->next)
                if ((*pp)->key == key)
                        break;
        e = *pp;
        if (e) {
                *pp = e->next;
                if (e->destroy)
                        e->destroy(e->data);
                free(e);
        }
        if (!data)
                return 0;
        if (c->closing)
                return -ENOTCONN;
        e = calloc(1, sizeof(*e));
        if (!e)
                return -ENOMEM;
        *e = (ClientData){c->data, key, data, destroy};
        c->data = e;
        return 0;
}

void *vmm_daemon_client_get_data(const VmmDaemonClient *c, const void *key)
{
        for (const ClientData *e = c->data; e; e = e->next)
                if (e->key == key)
                        return e->data;
        return NULL;
}

static void client_data_clear(VmmDaemonClient *c)
{
        while (c->data) {
                ClientData *e = c->data;
                c->data = e->next;
                if (e->destroy)
                        e->destroy(e->data);
                free(e);
        }
}

void daemon_client_close(VmmDaemonClient *c)
{
        VmmDaemon *d = c->daemon;

        if (c->closing)
                return;
        c->closing = true;
        client_data_clear(c);
        vmm_log_debug("%s: %s: closing", d->name, c->desc);
        if (c->prev)
                c->prev->next = c->next;
        else if (d->clients == c)
                d->clients = c->next;
        if (c->next)
                c->next->prev = c->prev;
        c->next = c->prev = NULL;
        d->n_clients--;
        uv_close((uv_handle_t *)&c->pipe, on_client_handle_closed);
        uv_close((uv_handle_t *)&c->frame_timer, on_client_handle_closed);
        daemon_state_changed(d);
}

void daemon_client_drain(VmmDaemonClient *c)
{
        if (c->closing)
                return;
        uv_read_stop((uv_stream_t *)&c->pipe);
        uv_timer_stop(&c->frame_timer);
        if (c->n_calls == 0 && c->queued_bytes == 0 && c->n_batch == 0)
                daemon_client_close(c);
}

static void on_write_done(uv_write_t *req, int status)
{
        ClientWrite *w = req->data;
        VmmDaemonClient *c = w->client;

        c->queued_bytes -= w->len;
        free(w->data);
        free(w);
        if (status < 0 && status != UV_ECANCELED && !c->closing) {
                vmm_log_debug("%s: %s: write failed: %s", c->daemon->name, c->desc,
                              uv_strerror(status));
                daemon_client_close(c);
        } else if (c->daemon->stopping) {
                daemon_client_drain(c);
        } else {
                daemon_stream_drained(c); /* daemon-stream.c: producers may resume */
        }
        vmm_daemon_client_unref(c);
}

/* Queues the unwritten part of a frame behind what the socket did not
 * take yet (takes `data`). */
static void client_queue_write(VmmDaemonClient *c, uint8_t *data, size_t len, size_t off)
{
        ClientWrite *w;
        uv_buf_t buf;
        int r;

        if (c->closing) {
                free(data);
                return;
        }
        if (c->queued_bytes + (len - off) > c->daemon->opts.max_queued_bytes) {
                vmm_log_warning("%s: %s does not read its replies (%zu bytes waiting, limit "
                                "%zu), closing",
                                c->daemon->name, c->desc, c->queued_bytes + len - off,
                                c->daemon->opts.max_queued_bytes);
                free(data);
                daemon_client_close(c);
                return;
        }
        w = calloc(1, sizeof(*w));
        if (!w) {
                free(data);
                daemon_client_close(c);
                return;
        }
        w->client = vmm_daemon_client_ref(c);
        w->data = data;
        w->len = len - off;
        w->req.data = w;
        buf = uv_buf_init((char *)data + off, (unsigned)(len - off));
        c->queued_bytes += w->len;
        r = uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, on_write_done);
        if (r < 0) {
                c->queued_bytes -= w->len;
                free(data);
                free(w);
                daemon_client_close(c);
                vmm_daemon_client_unref(c);
        }
}

/* Writes the gathered replies with one writev when the socket takes
 * them; what it does not take is queued in order. */
static void client_flush_batch(VmmDaemonClient *c)
{
        unsigned n = c->n_batch, i = 0;
        size_t done = 0;
        int r;

        c->n_batch = 0;
        if (n == 0)
                return;
        if (!c->closing && c->queued_bytes == 0) {
                r = uv_try_write((uv_stream_t *)&c->pipe, c->batch, n);
                if (r > 0)
                        done = (size_t)r;
        }
        for (; i < n && done >= c->batch[i].len; i++) {
                done -= c->batch[i].len;
                free(c->batch[i].base);
        }
        for (; i < n; i++) {
                client_queue_write(c, (uint8_t *)c->batch[i].base, c->batch[i].len, done);
                done = 0;
        }
}

void daemon_client_send(VmmDaemonClient *c, uint8_t *data, size_t len)
{
        size_t off = 0;
        uv_buf_t buf;
        int r;

        if (c->closing) {
                free(data);
                return;
        }
        if (c->batching) {
                if (c->n_batch == DAEMON_BATCH_MAX)
                        client_flush_batch(c);
                c->batch[c->n_batch++] = uv_buf_init((char *)data, (unsigned)len);
                return;
        }
        if (c->queued_bytes == 0) {
                buf = uv_buf_init((char *)data, (unsigned)len);
                r = uv_try_write((uv_stream_t *)&c->pipe, &buf, 1);
                if (r == (int)len) {
                        free(data);
                        return;
                }
                if (r > 0)
                        off = (size_t)r;
        }
        client_queue_write(c, data, len, off);
}

void daemon_client_send_error(VmmDaemonClient *c, const VmmRpcHeader *call, int code,
                              VmmErrorKind kind, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        uint8_t *frame;
        size_t len;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        vmm_log_debug("%s: %s: error reply to serial %u: %s", c->daemon->name, c->desc,
                      call->serial, strempty(msg));
        if (vmm_rpc_frame_encode_error(call, code, kind, msg ? msg : "out of memory", &frame,
                                       &len) < 0) {
                daemon_client_close(c);
                return;
        }
        daemon_client_send(c, frame, len);
}

static void on_frame_timeout(uv_timer_t *t)
{
        VmmDaemonClient *c = t->data;

        vmm_log_warning("%s: %s sent %zu bytes of a frame and nothing more for %u ms, closing",
                        c->daemon->name, c->desc, vmm_rpc_reader_pending(&c->reader),
                        c->daemon->opts.frame_timeout_ms);
        daemon_client_close(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
        VmmDaemonClient *c = h->data;
        uint8_t *ptr;
        size_t size;

        if (vmm_rpc_reader_space(&c->reader, 0, &ptr, &size) < 0) {
                *buf = uv_buf_init(NULL, 0);
                return;
        }
        *buf = uv_buf_init((char *)ptr, size > UINT32_MAX ? UINT32_MAX : (unsigned)size);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
        VmmDaemonClient *c = s->data;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *body;
        VmmRpcHeader h;
        size_t body_len;
        int k = 0, frames = 0;

        if (nread < 0) {
                if (nread != UV_EOF)
                        vmm_log_debug("%s: %s: read: %s", c->daemon->name, c->desc,
                                      uv_strerror((int)nread));
                daemon_client_close(c);
                return;
        }
        vmm_rpc_reader_advance(&c->reader, (size_t)nread);
        vmm_daemon_client_ref(c);
        /* the replies to what this read brought go out together */
        c->batching = true;
        while (!c->closing && !c->daemon->stopping &&
               (k = vmm_rpc_reader_next(&c->reader, &h, &body, &body_len, &err)) > 0) {
                daemon_dispatch_frame(c, &h, body, body_len);
                frames++;
        }
        c->batching = false;
        client_flush_batch(c);
        vmm_daemon_note_activity(c->daemon, c); /* daemon-spin.c */
        if (frames > 1)
                daemon_spin_pipelined(c->daemon);
        if (c->daemon->stopping)
                daemon_client_drain(c);
        if (!c->closing && k < 0) {
                VmmRpcHeader none = {.type = VMM_RPC_REPLY};
                vmm_log_warning("%s: %s: %s, closing", c->daemon->name, c->desc,
                                vmm_error_message(&err));
                daemon_client_send_error(c, &none, -EPROTO, VMM_ERR_RPC, "bad frame: %s",
                                         vmm_error_message(&err));
                daemon_client_close(c);
        } else if (!c->closing && vmm_rpc_reader_pending(&c->reader) > 0) {
                /* mid-frame: the client must make progress within the timeout */
                if (c->daemon->opts.frame_timeout_ms > 0)
                        uv_timer_start(&c->frame_timer, on_frame_timeout,
                                       c->daemon->opts.frame_timeout_ms, 0);
        } else if (!c->closing) {
                uv_timer_stop(&c->frame_timer);
        }
        vmm_error_clear(&err);
        vmm_daemon_client_unref(c);
}

/* The peer's credentials; a client whose identity cannot be read is not
 * served. */
static int client_read_identity(VmmDaemonClient *c, bool read_only)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);
        uv_os_fd_t fd;

        if (uv_fileno((uv_handle_t *)&c->pipe, &fd) < 0 ||
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        c->id.uid = cred.uid;
        c->id.gid = cred.gid;
        c->id.pid = cred.pid;
        c->id.read_only = read_only;
        snprintf(c->desc, sizeof(c->desc), "client pid %d uid %u%s", (int)cred.pid,
                 (unsigned)cred.uid, read_only ? " (read-only)" : "");
        return 0;
}

static void client_reject(VmmDaemonClient *c, const char *why)
{
        VmmRpcHeader none = {.type = VMM_RPC_REPLY};
        uint8_t *frame;
        size_t len;

        vmm_log_warning("%s: %s: %s, closing", c->daemon->name, c->desc, why);
        if (vmm_rpc_frame_encode_error(&none, -EUSERS, VMM_ERR_RPC, why, &frame, &len) >= 0) {
                uv_buf_t buf = uv_buf_init((char *)frame, (unsigned)len);
                (void)uv_try_write((uv_stream_t *)&c->pipe, &buf, 1);
                free(frame);
        }
}

void daemon_client_accept(VmmDaemon *d, uv_stream_t *server, bool read_only)
{
        VmmDaemonClient *c = calloc(1, sizeof(*c));
        char why[128];

        if (!c) {
                vmm_log_error("%s: out of memory accepting a client", d->name);
                return;
        }
        c->daemon = d;
        c->refs = 1;
        c->open_handles = 2;
        snprintf(c->desc, sizeof(c->desc), "client");
        vmm_rpc_reader_init(&c->reader, &d->opts.limits);
        uv_pipe_init(&d->loop, &c->pipe, 0);
        uv_timer_init(&d->loop, &c->frame_timer);
        c->pipe.data = c->frame_timer.data = c;
        c->next = d->clients;
        if (d->clients)
                d->clients->prev = c;
        d->clients = c;
        d->n_clients++;

        if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0 ||
            client_read_identity(c, read_only) < 0) {
                daemon_client_close(c);
                return;
        }
        if (d->n_clients > d->opts.max_clients) {
                snprintf(why, sizeof(why), "too many clients (limit %u), try again later",
                         d->opts.max_clients);
                client_reject(c, why);
                daemon_client_close(c);
                return;
        }
        vmm_log_debug("%s: %s connected", d->name, c->desc);
        uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
        daemon_state_changed(d);
}
