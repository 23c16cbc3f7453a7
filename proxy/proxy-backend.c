/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proxy-backend.c: one client's connection to one subsystem daemon:
 * opened on first use in the thread pool (connect, or spawn then connect),
 * the identity declaration, forwarding both ways, calls in flight (failed
 * with an error reply when the daemon goes away), backpressure, closing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"
#include "rpc/programs.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-rpc.pb-c.h"

/* The serial of the proxy's own IDENTIFY call: it is the first frame on
 * the connection, and its reply is taken before any client frame goes. */
#define IDENTIFY_SERIAL 0

static void held_free(ProxyBackend *b)
{
        while (b->held) {
                ProxyFrame *f = b->held;
                b->held = f->next;
                free(f);
        }
        b->held_tail = &b->held;
        b->held_bytes = 0;
}

static void backend_free(ProxyBackend *b)
{
        vmm_rpc_reader_done(&b->reader);
        held_free(b);
        free(b->calls);
        free(b->streams);
        vmm_error_clear(&b->work_error);
        proxy_client_unref(b->client);
        free(b);
}

static void on_pipe_closed(uv_handle_t *h)
{
        backend_free(h->data);
}

/* Takes the backend out of its client, so the next frame opens a new one. */
static void backend_detach(ProxyBackend *b)
{
        ProxyClient *c = b->client;

        if (c->backends[b->index] == b)
                c->backends[b->index] = NULL;
}

void proxy_backend_close(ProxyBackend *b)
{
        ProxyBackendState was = b->state;

        if (was == PROXY_BACKEND_CLOSED)
                return;
        b->state = PROXY_BACKEND_CLOSED;
        backend_detach(b);
        if (was == PROXY_BACKEND_CONNECTING)
                return; /* freed when the connect work returns */
        uv_close((uv_handle_t *)&b->pipe, on_pipe_closed);
}

size_t proxy_backend_queued(const ProxyBackend *b)
{
        return b->queued + b->held_bytes;
}

/* --- calls in flight ----------------------------------------------------- */

static int calls_add(ProxyBackend *b, const VmmRpcHeader *h)
{
        if (b->n_calls == b->cap_calls) {
                size_t cap = b->cap_calls ? 2 * b->cap_calls : 16;
                VmmRpcHeader *calls = realloc(b->calls, cap * sizeof(*calls));
                if (!calls)
                        return -ENOMEM;
                b->calls = calls;
                b->cap_calls = cap;
        }
        b->calls[b->n_calls++] = *h;
        return 0;
}

static void calls_remove(ProxyBackend *b, uint32_t serial)
{
        for (size_t i = b->n_calls; i-- > 0;)
                if (b->calls[i].serial == serial) {
                        b->calls[i] = b->calls[--b->n_calls];
                        return;
                }
}

/* The daemon went away (or never came): every call it owed, and every
 * call still held, gets an error reply saying so. */
static void backend_fail_calls(ProxyBackend *b, int code, VmmErrorKind kind, const char *why)
{
        ProxyClient *c = b->client;

        for (size_t i = 0; i < b->n_calls && !c->closing; i++)
                proxy_client_send_error(c, &b->calls[i], code, kind, "%s", why);
        b->n_calls = 0;
        proxy_streams_fail(b, code, kind, why); /* proxy-stream.c */
        for (ProxyFrame *f = b->held; f && !c->closing; f = f->next)
                if (f->header.type == VMM_RPC_CALL)
                        proxy_client_send_error(c, &f->header, code, kind, "%s", why);
        held_free(b);
}

/* Lost before the daemon answered the identity declaration (it was
 * exiting, killed or idle, as we connected): no frame of the client went
 * to it yet (they are held until that answer), so a new connection
 * (spawning the daemon again where allowed) takes them over, once. */
static bool backend_reconnect(ProxyBackend *b, const char *what)
{
        ProxyClient *c = b->client;
        ProxyBackend *nb;

        if (b->state != PROXY_BACKEND_IDENTIFYING || b->reconnected || c->closing ||
            b->n_calls > 0 || b->n_streams > 0)
                return false;
        backend_detach(b);
        nb = proxy_backend_get(c, b->route);
        if (!nb)
                return false;
        vmm_log_info("vmm-proxyd: %s: lost before it answered (%s), connecting again", b->desc,
                     what);
        nb->reconnected = true;
        if (b->held) {
                nb->held = b->held;
                nb->held_tail = b->held_tail;
                nb->held_bytes = b->held_bytes;
        }
        b->held = NULL;
        b->held_tail = &b->held;
        b->held_bytes = 0;
        proxy_backend_close(b);
        return true;
}

static void backend_lost(ProxyBackend *b, const char *what)
{
        char why[256];

        if (b->state == PROXY_BACKEND_CLOSED || backend_reconnect(b, what))
                return;
        snprintf(why, sizeof(why),
                 "vmm-proxyd: the connection to %s was lost (%s); the call may not have "
                 "completed",
                 b->route->daemon, what);
        vmm_log_info("vmm-proxyd: %s: %s", b->desc, what);
        backend_fail_calls(b, -ECONNRESET, VMM_ERR_NO_CONNECT, why);
        proxy_backend_close(b);
        if (!b->client->closing)
                proxy_client_update_reading(b->client);
}

/* --- writing ------------------------------------------------------------- */

static void backend_write_done(void *owner, size_t len, int status)
{
        ProxyBackend *b = owner;

        b->queued -= len;
        if (b->state == PROXY_BACKEND_CLOSED)
                return;
        if (status < 0) {
                backend_lost(b, uv_strerror(status));
                return;
        }
        if (b->queued < PROXY_LOW_WATER && !b->client->closing)
                proxy_client_update_reading(b->client);
}

static int backend_write(ProxyBackend *b, const uint8_t *data, size_t len)
{
        ssize_t n =
            proxy_write((uv_stream_t *)&b->pipe, b->queued == 0, data, len, backend_write_done, b);
        if (n < 0)
                return (int)n;
        b->queued += (size_t)n;
        return 0;
}

static void backend_send(ProxyBackend *b, const VmmRpcHeader *h, const uint8_t *frame)
{
        int r;

        if (h->type == VMM_RPC_CALL && calls_add(b, h) < 0) {
                proxy_client_send_error(b->client, h, -ENOMEM, VMM_ERR_INTERNAL,
                                        "vmm-proxyd: out of memory forwarding to %s",
                                        b->route->daemon);
                return;
        }
        proxy_streams_note(b, h);
        r = backend_write(b, frame, h->length);
        if (r < 0)
                backend_lost(b, strerror(-r));
}

void proxy_backend_forward(ProxyBackend *b, const VmmRpcHeader *h, const uint8_t *frame)
{
        ProxyFrame *f;

        if (b->state == PROXY_BACKEND_READY) {
                backend_send(b, h, frame);
                return;
        }
        f = malloc(sizeof(*f) + h->length);
        if (!f) {
                proxy_client_send_error(b->client, h, -ENOMEM, VMM_ERR_INTERNAL,
                                        "vmm-proxyd: out of memory forwarding to %s",
                                        b->route->daemon);
                return;
        }
        f->next = NULL;
        f->header = *h;
        f->len = h->length;
        memcpy(f->data, frame, h->length);
        *b->held_tail = f;
        b->held_tail = &f->next;
        b->held_bytes += f->len;
}

/* --- reading ------------------------------------------------------------- */

static void backend_identified(ProxyBackend *b, const VmmRpcHeader *h, const uint8_t *body)
{
        ProxyFrame *held = b->held;
        VmmError err = VMM_ERROR_INIT;
        char why[512];

        if (h->status != VMM_RPC_OK) {
                vmm_rpc_error_decode(body, h->length - VMM_RPC_HEADER_SIZE, &err);
                snprintf(why, sizeof(why),
                         "vmm-proxyd: %s refused the proxy's identity "
                         "declaration: %s",
                         b->route->daemon, vmm_error_message(&err));
                vmm_log_error("%s", why);
                vmm_error_clear(&err);
                backend_fail_calls(b, -EPERM, VMM_ERR_ACCESS_DENIED, why);
                proxy_backend_close(b);
                return;
        }
        b->state = PROXY_BACKEND_READY;
        b->held = NULL;
        b->held_tail = &b->held;
        b->held_bytes = 0;
        while (held) {
                ProxyFrame *f = held;
                held = f->next;
                if (b->state == PROXY_BACKEND_READY)
                        backend_send(b, &f->header, f->data);
                free(f);
        }
}

static void backend_frame(ProxyBackend *b, const VmmRpcHeader *h, const uint8_t *frame)
{
        const uint8_t *body = frame + VMM_RPC_HEADER_SIZE;

        if (h->program == VMM_RPC_PROGRAM_CONTROL) {
                if (b->state == PROXY_BACKEND_IDENTIFYING && h->type == VMM_RPC_REPLY &&
                    h->procedure == VMM_RPC_CONTROL_IDENTIFY && h->serial == IDENTIFY_SERIAL) {
                        backend_identified(b, h, body);
                } else if (h->type == VMM_RPC_EVENT && h->procedure == VMM_RPC_CONTROL_PING) {
                        _cleanup_free_ uint8_t *pong = malloc(h->length);
                        VmmRpcHeader ph = *h;
                        if (!pong)
                                return;
                        ph.procedure = VMM_RPC_CONTROL_PONG;
                        vmm_rpc_header_encode(&ph, pong);
                        memcpy(pong + VMM_RPC_HEADER_SIZE, body, h->length - VMM_RPC_HEADER_SIZE);
                        if (backend_write(b, pong, h->length) < 0)
                                backend_lost(b, "cannot answer its keepalive");
                }
                return;
        }
        if (h->type == VMM_RPC_REPLY && h->status != VMM_RPC_CONTINUE)
                calls_remove(b, h->serial);
        proxy_streams_note(b, h);
        proxy_client_send(b->client, frame, h->length);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
        ProxyBackend *b = h->data;
        uint8_t *ptr;
        size_t size;

        if (vmm_rpc_reader_space(&b->reader, 0, &ptr, &size) < 0) {
                *buf = uv_buf_init(NULL, 0);
                return;
        }
        *buf = uv_buf_init((char *)ptr, size > UINT32_MAX ? UINT32_MAX : (unsigned)size);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
        ProxyBackend *b = s->data;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *body;
        VmmRpcHeader h;
        size_t body_len;
        int k = 0;

        if (nread < 0) {
                backend_lost(b, nread == UV_EOF ? "the daemon closed it" : uv_strerror((int)nread));
                return;
        }
        vmm_rpc_reader_advance(&b->reader, (size_t)nread);
        vmm_daemon_note_activity(b->client->proxy->daemon, b->client); /* next call */
        while (b->state != PROXY_BACKEND_CLOSED && !b->client->closing &&
               (k = vmm_rpc_reader_next(&b->reader, &h, &body, &body_len, &err)) > 0)
                backend_frame(b, &h, body - VMM_RPC_HEADER_SIZE);
        if (k < 0) {
                char what[256];
                snprintf(what, sizeof(what), "it sent a bad frame: %s", vmm_error_message(&err));
                backend_lost(b, what);
        }
        vmm_error_clear(&err);
        if (b->state != PROXY_BACKEND_CLOSED)
                proxy_backend_update_reading(b);
}

void proxy_backend_update_reading(ProxyBackend *b)
{
        ProxyClient *c = b->client;
        size_t limit = b->reading ? PROXY_HIGH_WATER : PROXY_LOW_WATER;
        bool want = b->state != PROXY_BACKEND_CLOSED && b->state != PROXY_BACKEND_CONNECTING &&
                    !c->closing && c->queued < limit;

        if (want == b->reading)
                return;
        b->reading = want;
        if (want)
                uv_read_start((uv_stream_t *)&b->pipe, on_alloc, on_read);
        else
                uv_read_stop((uv_stream_t *)&b->pipe);
}

/* --- opening ------------------------------------------------------------- */

static int backend_identify(ProxyBackend *b)
{
        ProxyClient *c = b->client;
        Vmm__RpcIdentity id = VMM__RPC_IDENTITY__INIT;
        VmmRpcHeader h = {.program = VMM_RPC_PROGRAM_CONTROL,
                          .version = vmm_rpc_program_control.version,
                          .procedure = VMM_RPC_CONTROL_IDENTIFY,
                          .type = VMM_RPC_CALL,
                          .serial = IDENTIFY_SERIAL};
        _cleanup_free_ uint8_t *frame = NULL;
        size_t len;
        int r;

        id.has_uid = id.has_gid = id.has_pid = id.has_read_only = true;
        id.uid = c->uid;
        id.gid = c->gid;
        id.pid = c->pid;
        id.read_only = c->read_only;
        r = vmm_rpc_frame_encode(&h, &id.base, NULL, "identify", &frame, &len, NULL);
        if (r < 0)
                return r;
        return backend_write(b, frame, len);
}

static void connect_work(uv_work_t *w)
{
        ProxyBackend *b = w->data;

        b->work_result = proxy_route_connect(b->client->proxy, b->route, &b->fd, &b->work_error);
}

static void connect_done(uv_work_t *w, int status)
{
        ProxyBackend *b = w->data;
        ProxyClient *c = b->client;
        char why[512];
        int r;

        if (b->state == PROXY_BACKEND_CLOSED || status < 0) {
                if (b->work_result >= 0 && status >= 0)
                        close(b->fd);
                backend_detach(b);
                backend_free(b);
                return;
        }
        if (b->work_result < 0) {
                snprintf(why, sizeof(why), "vmm-proxyd: cannot reach %s for '%s' calls: %s",
                         b->route->daemon, b->route->program_name,
                         vmm_error_message(&b->work_error));
                vmm_log_warning("%s (for %s)", why, c->desc);
                backend_fail_calls(b, b->work_result, VMM_ERR_NO_CONNECT, why);
                backend_detach(b);
                backend_free(b);
                proxy_client_update_reading(c);
                return;
        }
        uv_pipe_init(c->proxy->loop, &b->pipe, 0);
        b->pipe.data = b;
        r = uv_pipe_open(&b->pipe, b->fd);
        b->state = PROXY_BACKEND_IDENTIFYING;
        if (r >= 0)
                r = backend_identify(b);
        if (r < 0) {
                backend_lost(b, uv_strerror(r));
                return;
        }
        vmm_log_debug("vmm-proxyd: %s: connected", b->desc);
        proxy_backend_update_reading(b);
}

ProxyBackend *proxy_backend_get(ProxyClient *c, const ProxyRoute *route)
{
        size_t index = (size_t)(route - proxy_routes);
        ProxyBackend *b = c->backends[index];

        if (b)
                return b;
        b = calloc(1, sizeof(*b));
        if (!b)
                return NULL;
        b->client = c;
        b->route = route;
        b->index = index;
        b->fd = -1;
        b->state = PROXY_BACKEND_CONNECTING;
        b->held_tail = &b->held;
        vmm_rpc_reader_init(&b->reader, &c->proxy->opts->limits);
        snprintf(b->desc, sizeof(b->desc), "%s for %s", route->daemon, c->desc);
        b->work.data = b;
        if (uv_queue_work(c->proxy->loop, &b->work, connect_work, connect_done) < 0) {
                vmm_rpc_reader_done(&b->reader);
                free(b);
                return NULL;
        }
        c->refs++;
        c->backends[index] = b;
        return b;
}
