/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client.c: a connection to a daemon: setup, calls, teardown. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "rpc/client-internal.h"
#include "util/error.h"
#include "util/log.h"

uint64_t rpc_client_now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void rpc_client_wake(VmmRpcClient *c)
{
        uint64_t one = 1;
        if (write(c->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
                vmm_log_debug("rpc client %s: cannot wake I/O thread: %m", c->name);
}

void rpc_client_close_locked(VmmRpcClient *c, int code, VmmErrorKind kind, const char *fmt, ...)
{
        RpcEventItem *item;
        va_list ap;

        if (c->closed)
                return;
        c->closed = true;
        va_start(ap, fmt);
        vmm_error_setv(&c->close_error, code, kind, fmt, ap);
        va_end(ap);
        vmm_log_debug("rpc client %s: connection closed: %s", c->name,
                      vmm_error_message(&c->close_error));
        for (RpcPending *p = c->pending; p; p = p->next) {
                p->done = true;
                p->failed = true;
                pthread_cond_signal(&p->cond);
        }
        rpc_client_streams_closed_locked(c);
        /* a caller polling the socket for its reply wakes up */
        if (c->reading)
                (void)shutdown(c->fd, SHUT_RDWR);
        while (c->out_head) {
                RpcOutFrame *o = c->out_head;
                c->out_head = o->next;
                free(o->data);
                free(o);
        }
        c->out_tail = NULL;
        if (!c->stopping) {
                item = calloc(1, sizeof(*item));
                if (item) {
                        item->is_close = true;
                        rpc_client_queue_event_locked(c, item);
                }
        }
}

void rpc_client_handoff_locked(VmmRpcClient *c)
{
        if (c->reading)
                return;
        for (RpcPending *p = c->pending; p; p = p->next)
                if (!p->done) {
                        pthread_cond_signal(&p->cond);
                        return;
                }
        if (c->io_parked) {
                c->io_parked = false;
                rpc_client_wake(c);
        }
}

int rpc_client_queue_locked(VmmRpcClient *c, uint8_t *data, size_t len)
{
        RpcOutFrame *o = calloc(1, sizeof(*o));

        if (!o) {
                free(data);
                return -ENOMEM;
        }
        o->data = data;
        o->len = len;
        if (c->out_tail)
                c->out_tail->next = o;
        else
                c->out_head = o;
        c->out_tail = o;
        return 0;
}

static int client_start_threads(VmmRpcClient *c, VmmError *error)
{
        int r;

        r = pthread_create(&c->io_thread, NULL, rpc_client_io_main, c);
        if (r != 0)
                return vmm_error_set_errno(error, -r, "rpc client %s: cannot start I/O thread",
                                           c->name);
        c->io_started = true;
        if (c->opts.events_pollable)
                return 0;
        r = pthread_create(&c->event_thread, NULL, rpc_client_event_main, c);
        if (r != 0)
                return vmm_error_set_errno(error, -r, "rpc client %s: cannot start event thread",
                                           c->name);
        c->event_started = true;
        return 0;
}

int vmm_rpc_client_new_fd(int fd, const VmmRpcClientOptions *opts, VmmRpcClient **ret_client,
                          VmmError *error)
{
        static const VmmRpcClientOptions defaults = VMM_RPC_CLIENT_OPTIONS_INIT;
        _cleanup_(vmm_rpc_client_freep) VmmRpcClient *c = NULL;
        pthread_condattr_t attr;
        int flags, r;

        c = calloc(1, sizeof(*c));
        if (!c) {
                close(fd);
                return vmm_error_oom(error);
        }
        c->fd = fd;
        c->wake_fd = c->event_fd = -1;
        c->opts = opts ? *opts : defaults;
        c->limits = c->opts.limits ? *c->opts.limits : vmm_rpc_default_limits;
        c->opts.limits = &c->limits;
        c->name = strdup(c->opts.name ? c->opts.name : "(unnamed)");
        c->opts.name = NULL;
        c->next_serial = 1;
        c->next_handler_id = 1;
        pthread_mutex_init(&c->lock, NULL);
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&c->event_cond, &attr);
        pthread_condattr_destroy(&attr);
        vmm_rpc_reader_init(&c->reader, &c->limits);
        if (!c->name)
                return vmm_error_oom(error);

        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
                return vmm_error_set_errno(error, -errno, "rpc client %s: socket", c->name);
        c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (c->opts.events_pollable && c->wake_fd >= 0)
                c->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (c->wake_fd < 0 || (c->opts.events_pollable && c->event_fd < 0))
                return vmm_error_set_errno(error, -errno, "rpc client %s: eventfd", c->name);
        c->last_rx_ms = rpc_client_now_ms();
        rpc_client_spin_init(c);

        r = client_start_threads(c, error);
        if (r < 0)
                return r;
        *ret_client = TAKE_PTR(c);
        return 0;
}

int vmm_rpc_client_connect_unix(const char *path, const VmmRpcClientOptions *opts,
                                VmmRpcClient **ret_client, VmmError *error)
{
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = -1;

        vmm_check_arg(path && *path, error, "path");
        vmm_check_arg(ret_client, error, "ret_client");
        if (strlen(path) >= sizeof(addr.sun_path))
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_INVALID_ARG,
                                     "daemon socket '%s': path too long (at most %zu bytes)", path,
                                     sizeof(addr.sun_path) - 1);
        memcpy(addr.sun_path, path, strlen(path) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "socket");
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
                int code = -errno;
                return vmm_error_set(error, code, VMM_ERR_NO_CONNECT,
                                     "cannot connect to daemon socket '%s': %s", path,
                                     strerror(-code));
        }
        if (opts)
                o = *opts;
        if (!o.name)
                o.name = path;
        return vmm_rpc_client_new_fd(TAKE_FD(fd), &o, ret_client, error);
}

VmmRpcClient *vmm_rpc_client_free(VmmRpcClient *c)
{
        if (!c)
                return NULL;
        pthread_mutex_lock(&c->lock);
        c->stopping = true;
        rpc_client_close_locked(c, -ECANCELED, VMM_ERR_RPC, "connection to %s closed by the client",
                                c->name);
        pthread_cond_broadcast(&c->event_cond);
        pthread_mutex_unlock(&c->lock);
        if (c->io_started) {
                rpc_client_wake(c);
                pthread_join(c->io_thread, NULL);
        }
        if (c->event_started)
                pthread_join(c->event_thread, NULL);
        rpc_client_free_events(c);
        rpc_client_free_handlers(c);
        if (c->close_destroy)
                c->close_destroy(c->close_userdata);
        vmm_rpc_reader_done(&c->reader);
        vmm_error_clear(&c->close_error);
        pthread_cond_destroy(&c->event_cond);
        pthread_mutex_destroy(&c->lock);
        if (c->fd >= 0)
                close(c->fd);
        if (c->wake_fd >= 0)
                close(c->wake_fd);
        if (c->event_fd >= 0)
                close(c->event_fd);
        free(c->name);
        free(c);
        return NULL;
}

bool vmm_rpc_client_is_open(VmmRpcClient *c)
{
        bool open;

        pthread_mutex_lock(&c->lock);
        open = !c->closed;
        pthread_mutex_unlock(&c->lock);
        return open;
}

const char *vmm_rpc_client_name(const VmmRpcClient *c)
{
        return c->name;
}
