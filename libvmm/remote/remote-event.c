/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-event.c: domain lifecycle events over the remote driver. Each RPC
 * connection subscribes once with the daemon (event-register, every
 * domain); each public registration is one handler of the RPC client for
 * the LIFECYCLE event, so the client's event thread (or, for pollable
 * connections, the application's dispatch) calls it. Registrations live
 * in the connection's registry (remote-event-priv.h) and are carried over
 * to every new RPC connection after a reconnection
 * (remote-event-restore.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "remote-event-priv.h"
#include "rpc/programs.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"

RemoteEventReg *remote_event_reg_ref(RemoteEventReg *reg)
{
        atomic_fetch_add(&reg->refs, 1);
        return reg;
}

void remote_event_reg_unref(void *p)
{
        RemoteEventReg *reg = p;

        if (!reg || atomic_fetch_sub(&reg->refs, 1) != 1)
                return;
        if (reg->destroy)
                reg->destroy(reg->userdata);
        free(reg->handlers);
        free(reg);
}

static void *conn_release_main(void *p)
{
        vmm_connect_unref(p);
        return NULL;
}

/* Drops a connection reference taken on the RPC client's event thread. The
 * last one must not be dropped there: freeing the connection frees the RPC
 * client, which joins that very thread. So the last reference goes to a
 * short-lived thread of its own. (A pollable connection's dispatch holds a
 * reference of its own, so there this is never the last.) */
static void conn_release_off_thread(VmmConnect *conn)
{
        int refs = atomic_load(&conn->refs);
        pthread_attr_t attr;
        pthread_t thread;

        while (refs > 1)
                if (atomic_compare_exchange_weak(&conn->refs, &refs, refs - 1))
                        return;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attr, conn_release_main, conn) != 0)
                vmm_log_debug("cannot start a thread to release a connection, leaking it");
        pthread_attr_destroy(&attr);
}

void remote_event_deliver(VmmRpcClient *client, const VmmRpcProc *proc, const ProtobufCMessage *msg,
                          void *userdata)
{
        const Vmm__DomainLifecycleEvent *ev = (const Vmm__DomainLifecycleEvent *)msg;
        RemoteEventReg *reg = userdata;
        VmmConnect *conn;
        VmmDomain *dom;

        if (!ev->dom || !ev->dom->name || ev->dom->uuid.len != VMM_UUID_BUFLEN) {
                vmm_log_debug("lifecycle event without a valid domain, ignoring");
                return;
        }
        /* deregistered, or an earlier callback closed the connection */
        if (atomic_load(&reg->removed) || atomic_load(&reg->conn->closed))
                return;
        /* the callback may close the application's connection */
        conn = vmm_connect_ref(reg->conn);
        dom = vmm_domain_handle_new(conn, ev->dom->name, ev->dom->uuid.data,
                                    ev->dom->has_id ? ev->dom->id : -1);
        if (dom) {
                reg->cb(conn, dom, (int)ev->event, ev->detail, reg->userdata);
                vmm_domain_unref(dom);
        }
        conn_release_off_thread(conn);
}

/* Takes `reg` out of the registry (and off every RPC client); drops the
 * registry's reference. */
static void event_reg_remove(RemoteEvents *ev, RemoteEventReg *reg)
{
        struct RemoteEventHandler *handlers;
        size_t n;

        pthread_mutex_lock(&ev->lock);
        for (size_t i = 0; i < ev->n_regs; i++)
                if (ev->regs[i] == reg) {
                        ev->regs[i] = ev->regs[--ev->n_regs];
                        break;
                }
        atomic_store(&reg->removed, true);
        handlers = reg->handlers;
        n = reg->n_handlers;
        reg->handlers = NULL;
        reg->n_handlers = 0;
        pthread_mutex_unlock(&ev->lock);
        /* each removal drops that handler's reference once no event is
         * being delivered through it */
        for (size_t i = 0; i < n; i++)
                vmm_rpc_client_remove_event_handler(handlers[i].client, handlers[i].id);
        free(handlers);
        remote_event_reg_unref(reg);
}

int remote_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                                 VmmFreeFunc destroy, int *ret_id, VmmError *error)
{
        RemoteConn *rc = conn->priv;
        RemoteEvents *ev = rc->events;
        RemoteEventReg *reg, **regs;
        int r;

        reg = calloc(1, sizeof(*reg));
        if (!reg)
                return vmm_error_oom(error);
        atomic_init(&reg->refs, 1);
        atomic_init(&reg->removed, false);
        reg->conn = conn;
        reg->cb = cb;
        reg->userdata = userdata;
        pthread_mutex_lock(&ev->lock);
        regs = realloc(ev->regs, (ev->n_regs + 1) * sizeof(*regs));
        if (!regs) {
                pthread_mutex_unlock(&ev->lock);
                free(reg);
                return vmm_error_oom(error);
        }
        ev->regs = regs;
        ev->regs[ev->n_regs++] = reg;
        reg->id = ++ev->next_id;
        ev->conn = conn;
        pthread_mutex_unlock(&ev->lock);
        /* the handler goes on the current RPC client, then the client
         * subscribes (when it has not yet), so no event is missed */
        r = remote_events_restore(rc, error);
        if (r < 0) {
                event_reg_remove(ev, reg); /* destroy unset: the caller keeps userdata */
                return r;
        }
        pthread_mutex_lock(&ev->lock);
        reg->destroy = destroy; /* from now on, the registration owns userdata */
        remote_events_start_thread_locked(rc);
        pthread_mutex_unlock(&ev->lock);
        *ret_id = reg->id;
        return 0;
}

int remote_domain_event_deregister(VmmConnect *conn, int id, VmmError *error)
{
        RemoteConn *rc = conn->priv;
        RemoteEvents *ev = rc->events;
        RemoteEventReg *reg = NULL;

        pthread_mutex_lock(&ev->lock);
        for (size_t i = 0; i < ev->n_regs && !reg; i++)
                if (ev->regs[i]->id == id)
                        reg = ev->regs[i];
        /* ours until removed: the registry's reference keeps it */
        pthread_mutex_unlock(&ev->lock);
        if (!reg)
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                                     "no domain event callback %d is registered on this "
                                     "connection",
                                     id);
        event_reg_remove(ev, reg);
        return 0;
}

int remote_events_init(RemoteConn *rc, unsigned int flags, VmmError *error)
{
        RemoteEvents *ev = calloc(1, sizeof(*ev));
        pthread_condattr_t attr;

        if (!ev)
                return vmm_error_oom(error);
        pthread_mutex_init(&ev->lock, NULL);
        pthread_mutex_init(&ev->restore_lock, NULL);
        /* the reconnecting thread's backoff waits on CLOCK_MONOTONIC */
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&ev->cond, &attr);
        pthread_condattr_destroy(&attr);
        rc->events = ev;
        rc->opts.events_pollable = flags & VMM_CONNECT_EVENTS_POLLABLE;
        if (!rc->opts.events_pollable)
                return 0;
        rc->events_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (rc->events_epoll < 0)
                return vmm_error_set_errno(error, -errno, "cannot make the events' epoll fd");
        return 0;
}

int remote_events_attach(RemoteConn *rc, VmmRpcClient *client, VmmError *error)
{
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = client};
        int fd;

        /* a lost connection wakes the thread that restores registrations */
        vmm_rpc_client_set_close_handler(client, remote_events_on_close, rc, NULL);
        if (rc->events_epoll < 0)
                return 0;
        fd = vmm_rpc_client_event_fd(client);
        if (fd < 0)
                return vmm_error_set(error, fd, VMM_ERR_INTERNAL,
                                     "connection to %s has no event fd", rc->daemon_name);
        if (epoll_ctl(rc->events_epoll, EPOLL_CTL_ADD, fd, &ev) < 0)
                return vmm_error_set_errno(error, -errno, "cannot poll the event fd of %s",
                                           rc->daemon_name);
        return 0;
}

int remote_event_fd(VmmConnect *conn, VmmError *error)
{
        RemoteConn *rc = conn->priv;

        return rc->events_epoll;
}

/* Every client the connection had (lost ones may still hold events, and
 * their fds stay in the epoll set until they are drained). Retired
 * clients are freed only with the connection, and the connection is held
 * for the whole dispatch, so the copies stay valid even when a callback
 * closes the connection: it is then freed here, once delivery is over. */
int remote_dispatch_events(VmmConnect *conn, VmmError *error)
{
        RemoteConn *rc = conn->priv;
        _cleanup_free_ VmmRpcClient **clients = NULL;
        size_t n = 0;
        int total = 0;

        pthread_mutex_lock(&rc->lock);
        clients = calloc(rc->n_retired + 1, sizeof(*clients));
        if (clients) {
                for (size_t i = 0; i < rc->n_retired; i++)
                        clients[n++] = rc->retired[i];
                clients[n++] = rc->client;
        }
        pthread_mutex_unlock(&rc->lock);
        if (!clients)
                return vmm_error_oom(error);
        vmm_connect_ref(conn);
        for (size_t i = 0; i < n && !atomic_load(&conn->closed); i++) {
                int r = vmm_rpc_client_dispatch_events(clients[i]);

                if (r > 0)
                        total += r;
        }
        vmm_connect_unref(conn);
        return total;
}
