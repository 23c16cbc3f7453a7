/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proxy-client.c: one client of the proxy: identity, reading frames and
 * routing them by their header, what the proxy answers itself (keepalive,
 * unknown programs, forged identities), writing, backpressure, closing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proxy.h"
#include "rpc/programs.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"

typedef struct ProxyWrite {
        uv_write_t req;
        ProxyWriteDone done;
        void *owner;
        size_t len;
        uint8_t data[];
} ProxyWrite;

static void on_write_done(uv_write_t *req, int status)
{
        ProxyWrite *w = req->data;

        w->done(w->owner, w->len, status);
        free(w);
}

ssize_t proxy_write(uv_stream_t *s, bool queue_empty, const uint8_t *data, size_t len,
                    ProxyWriteDone done, void *owner)
{
        size_t off = 0;
        ProxyWrite *w;
        uv_buf_t buf;
        int r;

        if (queue_empty) {
                buf = uv_buf_init((char *)data, (unsigned)len);
                r = uv_try_write(s, &buf, 1);
                if (r == (int)len)
                        return 0;
                if (r > 0)
                        off = (size_t)r;
                else if (r != UV_EAGAIN)
                        return r;
        }
        w = malloc(sizeof(*w) + (len - off));
        if (!w)
                return -ENOMEM;
        w->req.data = w;
        w->done = done;
        w->owner = owner;
        w->len = len - off;
        memcpy(w->data, data + off, w->len);
        buf = uv_buf_init((char *)w->data, (unsigned)w->len);
        r = uv_write(&w->req, s, &buf, 1, on_write_done);
        if (r < 0) {
                free(w);
                return r;
        }
        return (ssize_t)(len - off);
}

/* --- lifetime ------------------------------------------------------------ */

void proxy_client_unref(ProxyClient *c)
{
        if (!c || --c->refs > 0)
                return;
        vmm_rpc_reader_done(&c->reader);
        free(c->backends);
        free(c);
}

static void on_handle_closed(uv_handle_t *h)
{
        ProxyClient *c = h->data;

        if (--c->open_handles == 0)
                proxy_client_unref(c);
}

void proxy_client_close(ProxyClient *c)
{
        Proxy *p = c->proxy;

        if (c->closing)
                return;
        c->closing = true;
        vmm_log_debug("vmm-proxyd: %s: closing", c->desc);
        if (c->prev)
                c->prev->next = c->next;
        else if (p->clients == c)
                p->clients = c->next;
        if (c->next)
                c->next->prev = c->prev;
        c->next = c->prev = NULL;
        p->n_clients--;
        for (size_t i = 0; i < proxy_n_routes; i++)
                if (c->backends[i])
                        proxy_backend_close(c->backends[i]);
        uv_close((uv_handle_t *)&c->pipe, on_handle_closed);
        uv_close((uv_handle_t *)&c->frame_timer, on_handle_closed);
        vmm_daemon_release(p->daemon);
}

void proxy_close_all(Proxy *p)
{
        p->stopping = true;
        while (p->clients)
                proxy_client_close(p->clients);
}

/* --- writing ------------------------------------------------------------- */

static void client_write_done(void *owner, size_t len, int status)
{
        ProxyClient *c = owner;

        c->queued -= len;
        if (c->closing)
                return;
        if (status < 0) {
                vmm_log_debug("vmm-proxyd: %s: write: %s", c->desc, uv_strerror(status));
                proxy_client_close(c);
                return;
        }
        if (c->queued < PROXY_LOW_WATER) {
                for (size_t i = 0; i < proxy_n_routes; i++)
                        if (c->backends[i])
                                proxy_backend_update_reading(c->backends[i]);
                proxy_client_update_reading(c);
        }
}

void proxy_client_send(ProxyClient *c, const uint8_t *data, size_t len)
{
        ssize_t n;

        if (c->closing)
                return;
        n = proxy_write((uv_stream_t *)&c->pipe, c->queued == 0, data, len, client_write_done, c);
        if (n < 0) {
                vmm_log_debug("vmm-proxyd: %s: write: %s", c->desc, strerror((int)-n));
                proxy_client_close(c);
                return;
        }
        c->queued += (size_t)n;
}

void proxy_client_send_error(ProxyClient *c, const VmmRpcHeader *call, int code, VmmErrorKind kind,
                             const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        _cleanup_free_ uint8_t *frame = NULL;
        size_t len;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        vmm_log_debug("vmm-proxyd: %s: error reply to serial %u: %s", c->desc, call->serial,
                      strempty(msg));
        if (vmm_rpc_frame_encode_error(call, code, kind, msg ? msg : "out of memory", &frame,
                                       &len) < 0) {
                proxy_client_close(c);
                return;
        }
        proxy_client_send(c, frame, len);
}

/* --- reading ------------------------------------------------------------- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
        ProxyClient *c = h->data;
        uint8_t *ptr;
        size_t size;

        if (vmm_rpc_reader_space(&c->reader, 0, &ptr, &size) < 0) {
                *buf = uv_buf_init(NULL, 0);
                return;
        }
        *buf = uv_buf_init((char *)ptr, size > UINT32_MAX ? UINT32_MAX : (unsigned)size);
}

/* PING is answered here (the proxy is the client's peer); nobody but the
 * proxy declares identities. */
static void client_control(ProxyClient *c, const VmmRpcHeader *h, const uint8_t *frame)
{
        if (h->type == VMM_RPC_EVENT) {
                if (h->procedure == VMM_RPC_CONTROL_PING) {
                        _cleanup_free_ uint8_t *pong = malloc(h->length);
                        VmmRpcHeader ph = *h;

                        if (!pong) {
                                proxy_client_close(c);
                                return;
                        }
                        ph.procedure = VMM_RPC_CONTROL_PONG;
                        vmm_rpc_header_encode(&ph, pong);
                        memcpy(pong + VMM_RPC_HEADER_SIZE, frame + VMM_RPC_HEADER_SIZE,
                               h->length - VMM_RPC_HEADER_SIZE);
                        proxy_client_send(c, pong, h->length);
                }
                return;
        }
        if (h->type == VMM_RPC_CALL && h->procedure == VMM_RPC_CONTROL_IDENTIFY) {
                proxy_client_send_error(c, h, -EPERM, VMM_ERR_ACCESS_DENIED,
                                        "identify: only vmm-proxyd declares identities; it "
                                        "forwards yours (uid %u gid %u pid %d%s)",
                                        (unsigned)c->uid, (unsigned)c->gid, (int)c->pid,
                                        c->read_only ? ", read-only" : "");
                return;
        }
        proxy_client_send_error(c, h, -ENOSYS, VMM_ERR_RPC,
                                "program 'control' has no procedure %u that vmm-proxyd serves "
                                "as a %s",
                                h->procedure, vmm_rpc_type_to_string(h->type));
}

static void client_frame(ProxyClient *c, const VmmRpcHeader *h, const uint8_t *frame)
{
        const ProxyRoute *route;
        ProxyBackend *b;
        char routes[256];

        if (h->program == VMM_RPC_PROGRAM_CONTROL) {
                client_control(c, h, frame);
                return;
        }
        route = proxy_route_find(h->program);
        if (!route) {
                proxy_route_describe(routes, sizeof(routes));
                proxy_client_send_error(c, h, -EPROTONOSUPPORT, VMM_ERR_RPC,
                                        "unknown program 0x%08x (vmm-proxyd routes %s)", h->program,
                                        routes);
                return;
        }
        b = proxy_backend_get(c, route);
        if (!b) {
                proxy_client_send_error(c, h, -ENOMEM, VMM_ERR_INTERNAL,
                                        "vmm-proxyd: out of memory routing a '%s' call to %s",
                                        route->program_name, route->daemon);
                return;
        }
        proxy_backend_forward(b, h, frame);
}

static void on_frame_timeout(uv_timer_t *t)
{
        ProxyClient *c = t->data;

        vmm_log_warning("vmm-proxyd: %s sent %zu bytes of a frame and nothing more for %u ms, "
                        "closing",
                        c->desc, vmm_rpc_reader_pending(&c->reader),
                        c->proxy->opts->frame_timeout_ms);
        proxy_client_close(c);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
        ProxyClient *c = s->data;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *body;
        VmmRpcHeader h;
        size_t body_len;
        int k = 0;

        if (nread < 0) {
                if (nread != UV_EOF)
                        vmm_log_debug("vmm-proxyd: %s: read: %s", c->desc, uv_strerror((int)nread));
                proxy_client_close(c);
                return;
        }
        vmm_rpc_reader_advance(&c->reader, (size_t)nread);
        vmm_daemon_note_activity(c->proxy->daemon, c); /* awake for the reply */
        c->refs++;
        while (!c->closing && (k = vmm_rpc_reader_next(&c->reader, &h, &body, &body_len, &err)) > 0)
                client_frame(c, &h, body - VMM_RPC_HEADER_SIZE);
        if (!c->closing && k < 0) {
                VmmRpcHeader none = {.type = VMM_RPC_REPLY};
                vmm_log_warning("vmm-proxyd: %s: %s, closing", c->desc, vmm_error_message(&err));
                proxy_client_send_error(c, &none, -EPROTO, VMM_ERR_RPC, "bad frame: %s",
                                        vmm_error_message(&err));
                proxy_client_close(c);
        } else if (!c->closing && vmm_rpc_reader_pending(&c->reader) > 0) {
                if (c->proxy->opts->frame_timeout_ms > 0)
                        uv_timer_start(&c->frame_timer, on_frame_timeout,
                                       c->proxy->opts->frame_timeout_ms, 0);
        } else if (!c->closing) {
                uv_timer_stop(&c->frame_timer);
        }
        if (!c->closing)
                proxy_client_update_reading(c);
        vmm_error_clear(&err);
        proxy_client_unref(c);
}

/* Stops reading a client whose daemons (or itself) do not drain what it
 * sends; starts again once everything fell under the low-water mark. */
void proxy_client_update_reading(ProxyClient *c)
{
        size_t limit = c->reading ? PROXY_HIGH_WATER : PROXY_LOW_WATER;
        bool want = !c->closing && c->queued < limit;

        for (size_t i = 0; want && i < proxy_n_routes; i++)
                if (c->backends[i] && proxy_backend_queued(c->backends[i]) >= limit)
                        want = false;
        if (want == c->reading)
                return;
        c->reading = want;
        if (want) {
                uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
        } else {
                vmm_log_debug("vmm-proxyd: %s: its peers do not drain, pausing", c->desc);
                uv_read_stop((uv_stream_t *)&c->pipe);
        }
}

/* --- accepting ----------------------------------------------------------- */

static int client_read_identity(ProxyClient *c)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);
        uv_os_fd_t fd;

        if (uv_fileno((uv_handle_t *)&c->pipe, &fd) < 0 ||
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        c->uid = cred.uid;
        c->gid = cred.gid;
        c->pid = cred.pid;
        snprintf(c->desc, sizeof(c->desc), "client pid %d uid %u%s", (int)cred.pid,
                 (unsigned)cred.uid, c->read_only ? " (read-only)" : "");
        return 0;
}

static void client_reject(ProxyClient *c, const char *why)
{
        VmmRpcHeader none = {.type = VMM_RPC_REPLY};
        _cleanup_free_ uint8_t *frame = NULL;
        size_t len;

        vmm_log_warning("vmm-proxyd: %s: %s, closing", c->desc, why);
        if (vmm_rpc_frame_encode_error(&none, -EUSERS, VMM_ERR_RPC, why, &frame, &len) >= 0) {
                uv_buf_t buf = uv_buf_init((char *)frame, (unsigned)len);
                (void)uv_try_write((uv_stream_t *)&c->pipe, &buf, 1);
        }
}

void proxy_client_accept(VmmDaemon *daemon, uv_stream_t *server, bool read_only, void *userdata)
{
        Proxy *p = userdata;
        ProxyClient *c = calloc(1, sizeof(*c));
        char why[128];

        if (c)
                c->backends = calloc(proxy_n_routes, sizeof(*c->backends));
        if (!c || !c->backends) {
                free(c);
                vmm_log_error("vmm-proxyd: out of memory accepting a client");
                return;
        }
        c->proxy = p;
        c->refs = 1;
        c->open_handles = 2;
        c->read_only = read_only;
        snprintf(c->desc, sizeof(c->desc), "client");
        vmm_rpc_reader_init(&c->reader, &p->opts->limits);
        uv_pipe_init(p->loop, &c->pipe, 0);
        uv_timer_init(p->loop, &c->frame_timer);
        c->pipe.data = c->frame_timer.data = c;
        c->next = p->clients;
        if (p->clients)
                p->clients->prev = c;
        p->clients = c;
        p->n_clients++;
        vmm_daemon_hold(daemon);

        if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0 || client_read_identity(c) < 0) {
                proxy_client_close(c);
                return;
        }
        if (p->stopping || p->n_clients > p->opts->max_clients) {
                snprintf(why, sizeof(why),
                         "vmm-proxyd: too many clients (limit %u), try again later",
                         p->opts->max_clients);
                client_reject(c, p->stopping ? "vmm-proxyd is stopping" : why);
                proxy_client_close(c);
                return;
        }
        vmm_log_debug("vmm-proxyd: %s connected", c->desc);
        proxy_client_update_reading(c);
}
