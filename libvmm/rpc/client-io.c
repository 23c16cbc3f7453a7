/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-io.c: the connection's I/O thread: writes queued frames, reads
 * frames and routes them (replies to their waiting call, events to the
 * event queue, keepalive to itself), and pings an idle daemon. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "rpc/client-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-rpc.pb-c.h"

static void io_queue_keepalive_locked(VmmRpcClient *c, uint32_t procedure, uint64_t nonce)
{
        Vmm__RpcKeepalive ka = VMM__RPC_KEEPALIVE__INIT;
        VmmRpcHeader h = {0};
        uint8_t *frame;
        size_t len;

        ka.has_nonce = true;
        ka.nonce = nonce;
        h.program = VMM_RPC_PROGRAM_CONTROL;
        h.version = vmm_rpc_program_control.version;
        h.procedure = procedure;
        h.type = VMM_RPC_EVENT;
        if (vmm_rpc_frame_encode(&h, &ka.base, &c->limits, "keepalive", &frame, &len, NULL) >= 0)
                (void)rpc_client_queue_locked(c, frame, len);
}

static void io_handle_control(VmmRpcClient *c, const VmmRpcHeader *h, const uint8_t *body,
                              size_t len)
{
        Vmm__RpcKeepalive *ka = NULL;
        uint64_t nonce = 0;

        if (h->type != VMM_RPC_EVENT || h->procedure != VMM_RPC_CONTROL_PING)
                return; /* pongs only prove the peer is alive, which is already noted */
        if (vmm_rpc_body_decode(body, len, &vmm__rpc_keepalive__descriptor, &c->limits, "ping",
                                (ProtobufCMessage **)&ka, NULL) >= 0) {
                nonce = ka->nonce;
                vmm_rpc_message_free(&ka->base);
        }
        pthread_mutex_lock(&c->lock);
        io_queue_keepalive_locked(c, VMM_RPC_CONTROL_PONG, nonce);
        pthread_mutex_unlock(&c->lock);
}

static uint8_t *frame_copy(const VmmRpcHeader *h, const uint8_t *body)
{
        uint8_t *f = malloc(h->length);
        if (!f)
                return NULL;
        memcpy(f, body - VMM_RPC_HEADER_SIZE, h->length);
        return f;
}

/* An error with serial 0 is about the connection itself ("too many
 * clients"): the daemon closes it next, and this is the reason. */
static void io_handle_connection_error(VmmRpcClient *c, const uint8_t *body, size_t len)
{
        VmmError e = VMM_ERROR_INIT;
        int code = vmm_rpc_error_decode(body, len, &e);

        pthread_mutex_lock(&c->lock);
        rpc_client_close_locked(c, code, e.kind, "daemon at '%s' refused the connection: %s",
                                c->name, vmm_error_message(&e));
        pthread_mutex_unlock(&c->lock);
        vmm_error_clear(&e);
}

/* Hands a reply to its call; true when that call is `until`. */
static bool io_handle_reply(VmmRpcClient *c, const VmmRpcHeader *h, const uint8_t *body,
                            const RpcPending *until)
{
        bool is_until = false;
        RpcPending *p;

        pthread_mutex_lock(&c->lock);
        for (p = c->pending; p; p = p->next)
                if (p->serial == h->serial && !p->done)
                        break;
        if (p) {
                p->frame = frame_copy(h, body);
                p->header = *h;
                p->done = true;
                if (!p->frame) {
                        /* Out of memory: the caller sees a dropped connection. */
                        rpc_client_close_locked(c, -ENOMEM, VMM_ERR_INTERNAL,
                                                "out of memory reading a reply from %s", c->name);
                }
                /* the reading caller is not waiting on its condition */
                if (p == until)
                        is_until = true;
                else
                        pthread_cond_signal(&p->cond);
        } else {
                vmm_log_debug("rpc client %s: reply to serial %u that nobody waits for "
                              "(timed out?), dropped",
                              c->name, h->serial);
        }
        pthread_mutex_unlock(&c->lock);
        return is_until;
}

/* Routes one frame; true when it is the reply to `until`. */
static bool io_handle_frame(VmmRpcClient *c, const VmmRpcHeader *h, const uint8_t *body, size_t len,
                            const RpcPending *until)
{
        RpcEventItem *item;

        __atomic_store_n(&c->last_rx_ms, rpc_client_now_ms(), __ATOMIC_RELAXED);
        __atomic_store_n(&c->pings_unanswered, 0u, __ATOMIC_RELAXED);
        if (h->program == VMM_RPC_PROGRAM_CONTROL && h->type == VMM_RPC_EVENT) {
                io_handle_control(c, h, body, len);
                return false;
        }
        switch (h->type) {
        case VMM_RPC_REPLY:
                if (h->serial == 0 && h->status == VMM_RPC_ERROR) {
                        io_handle_connection_error(c, body, len);
                        return false;
                }
                return io_handle_reply(c, h, body, until);
        case VMM_RPC_EVENT:
                item = calloc(1, sizeof(*item));
                if (item && !(item->frame = frame_copy(h, body))) {
                        free(item);
                        item = NULL;
                }
                if (!item)
                        return false;
                item->header = *h;
                pthread_mutex_lock(&c->lock);
                rpc_client_queue_event_locked(c, item);
                pthread_mutex_unlock(&c->lock);
                return false;
        case VMM_RPC_STREAM:
                rpc_client_stream_frame(c, h, body, len); /* client-stream.c */
                return false;
        default:
                vmm_log_debug("rpc client %s: unexpected %s frame, ignored", c->name,
                              vmm_rpc_type_to_string(h->type));
                return false;
        }
}

bool rpc_client_read(VmmRpcClient *c, const RpcPending *until, bool *ret_done)
{
        bool done = false;
        VmmError err = VMM_ERROR_INIT;
        const uint8_t *body;
        VmmRpcHeader h;
        size_t size, body_len;
        uint8_t *ptr;
        ssize_t n;
        int k;

        for (;;) {
                if (vmm_rpc_reader_space(&c->reader, 0, &ptr, &size) < 0)
                        goto oom;
                n = read(c->fd, ptr, size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                if (n <= 0) {
                        int code = n == 0 ? -ECONNRESET : -errno;
                        pthread_mutex_lock(&c->lock);
                        rpc_client_close_locked(c, code, VMM_ERR_RPC,
                                                "connection to daemon at '%s' lost: %s", c->name,
                                                n == 0 ? "closed by the daemon" : strerror(-code));
                        pthread_mutex_unlock(&c->lock);
                        return false;
                }
                vmm_rpc_reader_advance(&c->reader, (size_t)n);
                /* every complete frame now: the next reader polls the socket */
                while ((k = vmm_rpc_reader_next(&c->reader, &h, &body, &body_len, &err)) > 0)
                        done |= io_handle_frame(c, &h, body, body_len, until);
                if (k < 0) {
                        pthread_mutex_lock(&c->lock);
                        rpc_client_close_locked(c, -EPROTO, VMM_ERR_RPC,
                                                "daemon at '%s' sent a bad frame: %s", c->name,
                                                vmm_error_message(&err));
                        pthread_mutex_unlock(&c->lock);
                        vmm_error_clear(&err);
                        return false;
                }
                if (done)
                        break;
        }
        if (ret_done)
                *ret_done = done;
        return true;
oom:
        pthread_mutex_lock(&c->lock);
        rpc_client_close_locked(c, -ENOMEM, VMM_ERR_INTERNAL, "out of memory reading from %s",
                                c->name);
        pthread_mutex_unlock(&c->lock);
        return false;
}

/* Writes queued frames until done or the socket is full (lock held). */
void rpc_client_flush_locked(VmmRpcClient *c)
{
        while (c->out_head) {
                RpcOutFrame *o = c->out_head;
                ssize_t n = send(c->fd, o->data + o->off, o->len - o->off, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        return;
                if (n < 0) {
                        /* The daemon may have said why before it went (e.g.
                         * "too many clients"): the I/O thread reads that first. */
                        c->write_error = -errno;
                        while (c->out_head) {
                                o = c->out_head;
                                c->out_head = o->next;
                                free(o->data);
                                free(o);
                        }
                        c->out_tail = NULL;
                        return;
                }
                o->off += (size_t)n;
                if (o->off < o->len)
                        continue;
                c->out_head = o->next;
                if (!c->out_head)
                        c->out_tail = NULL;
                free(o->data);
                free(o);
        }
}

/* Pings an idle daemon, drops a silent one; returns the poll timeout. */
static int io_keepalive(VmmRpcClient *c)
{
        unsigned interval = c->opts.keepalive_interval_ms;
        unsigned pings = __atomic_load_n(&c->pings_unanswered, __ATOMIC_RELAXED);
        uint64_t now, due;

        if (interval == 0)
                return -1;
        now = rpc_client_now_ms();
        due = __atomic_load_n(&c->last_rx_ms, __ATOMIC_RELAXED) + (uint64_t)interval * (pings + 1);
        if (now >= due) {
                pthread_mutex_lock(&c->lock);
                if (pings >= c->opts.keepalive_count) {
                        rpc_client_close_locked(c, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                                                "keepalive: daemon at '%s' answered none of %u "
                                                "pings sent %u ms apart",
                                                c->name, pings, interval);
                } else {
                        __atomic_add_fetch(&c->pings_unanswered, 1u, __ATOMIC_RELAXED);
                        io_queue_keepalive_locked(c, VMM_RPC_CONTROL_PING, now);
                }
                pthread_mutex_unlock(&c->lock);
                due += interval;
        }
        return (int)(due > now ? due - now : 1);
}

static int min_timeout(int a, int b)
{
        if (a < 0)
                return b;
        return a < b ? a : b;
}

/* Decides (lock held) whether the I/O thread reads the socket in this
 * round: not while a caller reads, nor just after one did (more calls
 * are likely to follow). Narrows `timeout` to when that changes. */
static bool io_may_read_locked(VmmRpcClient *c, int *timeout)
{
        uint64_t now, until;

        c->io_parked = false;
        if (c->reading) {
                c->io_parked = true; /* the reader wakes us when it stops */
                return false;
        }
        now = rpc_client_now_ms();
        until = c->last_lead_ms + RPC_CLIENT_HANDBACK_MS;
        if (c->last_lead_ms != 0 && now < until) {
                *timeout = min_timeout(*timeout, (int)(until - now));
                return false;
        }
        return true;
}

/* The I/O thread takes the socket for one read, unless a caller got it
 * first. Returns false once the connection is lost. */
static bool io_read_turn(VmmRpcClient *c)
{
        bool ok;

        pthread_mutex_lock(&c->lock);
        if (c->reading) {
                pthread_mutex_unlock(&c->lock);
                return true;
        }
        c->reading = true;
        pthread_mutex_unlock(&c->lock);
        ok = rpc_client_read(c, NULL, NULL);
        pthread_mutex_lock(&c->lock);
        c->reading = false;
        rpc_client_handoff_locked(c);
        pthread_mutex_unlock(&c->lock);
        return ok;
}

/* A write failed: read what the daemon said before it went, then close.
 * Returns false when a caller is reading (it sees the end itself). */
static bool io_write_failed(VmmRpcClient *c, int write_error)
{
        pthread_mutex_lock(&c->lock);
        if (c->reading) {
                pthread_mutex_unlock(&c->lock);
                return false;
        }
        c->reading = true;
        pthread_mutex_unlock(&c->lock);
        rpc_client_read(c, NULL, NULL);
        pthread_mutex_lock(&c->lock);
        c->reading = false;
        rpc_client_close_locked(c, write_error, VMM_ERR_RPC,
                                "connection to daemon at '%s' lost: %s", c->name,
                                strerror(-write_error));
        pthread_mutex_unlock(&c->lock);
        return true;
}

void *rpc_client_io_main(void *arg)
{
        VmmRpcClient *c = arg;

        for (;;) {
                struct pollfd fds[2] = {
                    {.fd = c->fd, .events = 0},
                    {.fd = c->wake_fd, .events = POLLIN},
                };
                int timeout = io_keepalive(c);
                int write_error;
                bool stop, may_read;

                pthread_mutex_lock(&c->lock);
                rpc_client_flush_locked(c);
                stop = c->stopping || c->closed;
                /* while a caller reads, it sees the daemon's last words */
                write_error = c->reading ? 0 : c->write_error;
                may_read = !stop && !write_error && io_may_read_locked(c, &timeout);
                if (may_read)
                        fds[0].events |= POLLIN;
                if (c->out_head)
                        fds[0].events |= POLLOUT;
                if (!fds[0].events)
                        fds[0].fd = -1; /* a hang-up is the reader's business */
                pthread_mutex_unlock(&c->lock);
                if (stop)
                        break;
                if (write_error) {
                        if (io_write_failed(c, write_error))
                                break;
                        continue;
                }

                if (poll(fds, 2, timeout) < 0 && errno != EINTR)
                        break;
                if (fds[1].revents & POLLIN) {
                        uint64_t v;
                        (void)!read(c->wake_fd, &v, sizeof(v));
                }
                if (may_read && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !io_read_turn(c))
                        break;
        }
        return NULL;
}
