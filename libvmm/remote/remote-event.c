/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-event.c: domain lifecycle events over the remote driver. The
 * connection subscribes once with the daemon (event-register, every
 * domain), on the first registration; each public registration is one
 * handler of the RPC client for the LIFECYCLE event, so the client's event
 * thread calls it and runs its destroy only once no event is being
 * delivered to it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>


#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"

typedef struct RemoteEventSub {
        VmmConnect *conn; /* not a reference: the connection frees the handler */
        VmmDomainEventFunc cb;
        void *userdata;
        VmmFreeFunc destroy;
} RemoteEventSub;

static void event_sub_free(void *p)
{
        RemoteEventSub *sub = p;

        if (sub->destroy)
                sub->destroy(sub->userdata);
        free(sub);
}

static void *conn_release_main(void *p)
{
        vmm_connect_unref(p);
        return NULL;
}

/* Drops a connection reference taken on the RPC client's event thread. The
 * last one must not be dropped there: freeing the connection frees the RPC
 * client, which joins that very thread. So the last reference goes to a
 * short-lived thread of its own. */
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

static void event_deliver(VmmRpcClient *client, const VmmRpcProc *proc,
                          const ProtobufCMessage *msg, void *userdata)
{
        const Vmm__DomainLifecycleEvent *ev = (const Vmm__DomainLifecycleEvent *)msg;
        RemoteEventSub *sub = userdata;
        VmmConnect *conn;
        VmmDomain *dom;

        if (!ev->dom || !ev->dom->name || ev->dom->uuid.len != VMM_UUID_BUFLEN) {
                vmm_log_debug("lifecycle event without a valid domain, ignoring");
                return;
        }
        /* the callback may close the application's connection */
        conn = vmm_connect_ref(sub->conn);
        dom = vmm_domain_handle_new(conn, ev->dom->name, ev->dom->uuid.data,
                                    ev->dom->has_id ? ev->dom->id : -1);
        if (dom) {
                sub->cb(conn, dom, (int)ev->event, ev->detail, sub->userdata);
                vmm_domain_unref(dom);
        }
        conn_release_off_thread(conn);
}

/* The daemon-side subscription, once per RPC connection. */
static int event_subscribe(VmmConnect *conn, VmmRpcClient *client, VmmError *error)
{
        Vmm__DomainEventRegisterRequest req = VMM__DOMAIN_EVENT_REGISTER_REQUEST__INIT;
        RemoteConn *rc = conn->priv;
        bool done;
        int r;

        pthread_mutex_lock(&rc->lock);
        done = rc->events_client == client;
        pthread_mutex_unlock(&rc->lock);
        if (done)
                return 0;
        r = remote_call(conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_EVENT_REGISTER, &req.base,
                        NULL, error);
        if (r < 0)
                return r;
        pthread_mutex_lock(&rc->lock);
        rc->events_client = client;
        pthread_mutex_unlock(&rc->lock);
        return 0;
}

int remote_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                                 VmmFreeFunc destroy, int *ret_id, VmmError *error)
{
        RemoteConn *rc = conn->priv;
        RemoteEventSub *sub;
        VmmRpcClient *client;
        int id, r;

        sub = calloc(1, sizeof(*sub));
        if (!sub)
                return vmm_error_oom(error);
        *sub = (RemoteEventSub){.conn = conn, .cb = cb, .userdata = userdata};
        pthread_mutex_lock(&rc->lock);
        client = rc->client;
        pthread_mutex_unlock(&rc->lock);
        /* the handler first, so no event sent after the subscription is missed */
        id = vmm_rpc_client_add_event_handler(client, &vmm_rpc_program_domain,
                                              VMM_RPC_DOMAIN_EVENT_LIFECYCLE, event_deliver, sub,
                                              event_sub_free, error);
        if (id < 0) {
                free(sub);
                return id;
        }
        r = event_subscribe(conn, client, error);
        if (r < 0) {
                vmm_rpc_client_remove_event_handler(client, id);
                return r;
        }
        sub->destroy = destroy; /* from now on, the registration owns userdata */
        *ret_id = id;
        return 0;
}

int remote_domain_event_deregister(VmmConnect *conn, int id, VmmError *error)
{
        RemoteConn *rc = conn->priv;
        VmmRpcClient *client;
        int r;

        pthread_mutex_lock(&rc->lock);
        client = rc->client;
        pthread_mutex_unlock(&rc->lock);
        r = vmm_rpc_client_remove_event_handler(client, id);
        if (r == -ENOENT)
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                                     "no domain event callback %d is registered on this "
                                     "connection",
                                     id);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_INTERNAL,
                                     "cannot deregister domain event callback %d", id);
        return 0;
}

int remote_events_init(RemoteConn *rc, unsigned int flags, VmmError *error)
{
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
 * clients are freed only with the connection, so the copies stay valid. */
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
        for (size_t i = 0; i < n; i++) {
                int r = vmm_rpc_client_dispatch_events(clients[i]);

                if (r > 0)
                        total += r;
        }
        return total;
}
