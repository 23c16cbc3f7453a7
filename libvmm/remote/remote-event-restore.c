/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-event-restore.c: event registrations survive a reconnection.
 *
 * When a connection is re-established (a call found the daemon gone and
 * reconnected, spawning it again where allowed), every live registration
 * gets a handler on the new RPC client and the new client subscribes with
 * the daemon, before the call is retried; the application keeps its ids
 * and callbacks. An application that makes no calls would never notice the
 * daemon restarting, so while registrations exist a thread of the
 * connection waits for a client's "connection lost" notice and reconnects
 * itself, with a backoff (100 ms doubling to 5 s) while the daemon cannot
 * be reached. Events the daemon sent while no connection was up are lost:
 * the new daemon does not replay them.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "remote-event-priv.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"

#define RESTORE_BACKOFF_MIN_MS 100
#define RESTORE_BACKOFF_MAX_MS 5000
/* The subscription call's deadline at most (a stopped daemon must not
 * hold the connection's close for the default 30 s). */
#define RESTORE_CALL_TIMEOUT_MS 5000

/* Adds a handler for every registration not yet on `client`. */
static int restore_handlers(RemoteEvents *ev, VmmRpcClient *client, size_t *ret_n, VmmError *error)
{
        int r = 0;

        pthread_mutex_lock(&ev->lock);
        *ret_n = ev->n_regs;
        for (size_t i = 0; i < ev->n_regs && r >= 0; i++) {
                RemoteEventReg *reg = ev->regs[i];
                struct RemoteEventHandler *h;
                bool has = false;
                int id;

                for (size_t j = 0; j < reg->n_handlers; j++)
                        has |= reg->handlers[j].client == client;
                if (has)
                        continue;
                h = realloc(reg->handlers, (reg->n_handlers + 1) * sizeof(*h));
                if (!h) {
                        r = vmm_error_oom(error);
                        break;
                }
                reg->handlers = h;
                id = vmm_rpc_client_add_event_handler(
                    client, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_EVENT_LIFECYCLE,
                    remote_event_deliver, remote_event_reg_ref(reg), remote_event_reg_unref, error);
                if (id < 0) {
                        remote_event_reg_unref(reg);
                        r = id;
                        break;
                }
                reg->handlers[reg->n_handlers++] = (struct RemoteEventHandler){client, id};
        }
        pthread_mutex_unlock(&ev->lock);
        return r;
}

static int restore_timeout(RemoteEvents *ev)
{
        int t = ev->conn ? atomic_load(&ev->conn->call_timeout_ms) : RESTORE_CALL_TIMEOUT_MS;

        return t > 0 && t < RESTORE_CALL_TIMEOUT_MS ? t : RESTORE_CALL_TIMEOUT_MS;
}

/* Subscribes `client` with the daemon unless it already is. */
static int restore_subscribe(RemoteConn *rc, VmmRpcClient *client, VmmError *error)
{
        Vmm__DomainEventRegisterRequest req = VMM__DOMAIN_EVENT_REGISTER_REQUEST__INIT;
        bool done;
        int r;

        pthread_mutex_lock(&rc->lock);
        done = rc->events_client == client;
        pthread_mutex_unlock(&rc->lock);
        if (done)
                return 0;
        r = vmm_rpc_client_call(client, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_EVENT_REGISTER,
                                &req.base, restore_timeout(rc->events), NULL, error);
        if (r < 0)
                return r;
        pthread_mutex_lock(&rc->lock);
        rc->events_client = client;
        pthread_mutex_unlock(&rc->lock);
        return 0;
}

/* The current client, reconnecting first when it is lost. */
static int restore_client(RemoteConn *rc, VmmRpcClient **ret_client, VmmError *error)
{
        int r = 0;

        pthread_mutex_lock(&rc->lock);
        if (!vmm_rpc_client_is_open(rc->client))
                r = remote_conn_connect(rc, error);
        *ret_client = rc->client;
        pthread_mutex_unlock(&rc->lock);
        return r;
}

int remote_events_restore(RemoteConn *rc, VmmError *error)
{
        RemoteEvents *ev = rc->events;
        VmmRpcClient *client;
        size_t n = 0;
        int r;

        pthread_mutex_lock(&ev->lock);
        n = ev->n_regs;
        pthread_mutex_unlock(&ev->lock);
        if (n == 0)
                return 0; /* nothing to restore: no connection of its own either (a
                           * call retried once must meet at most one new one) */
        pthread_mutex_lock(&ev->restore_lock);
        /* twice at most: the daemon may have been idle-exiting as we
         * connected, and then the subscription finds the connection lost */
        for (int attempt = 0;; attempt++) {
                r = restore_client(rc, &client, error);
                if (r >= 0)
                        r = restore_handlers(ev, client, &n, error);
                if (r >= 0 && n > 0)
                        r = restore_subscribe(rc, client, error);
                if (r >= 0 || attempt > 0 || r == -ETIMEDOUT || vmm_rpc_client_is_open(client))
                        break;
                vmm_error_clear(error);
        }
        pthread_mutex_unlock(&ev->restore_lock);
        return r;
}

void remote_events_on_close(VmmRpcClient *client, const VmmError *reason, void *userdata)
{
        RemoteConn *rc = userdata;
        RemoteEvents *ev = rc->events;

        pthread_mutex_lock(&ev->lock);
        ev->lost = true;
        pthread_cond_signal(&ev->cond);
        pthread_mutex_unlock(&ev->lock);
}

/* Waits `ms` or until the connection closes (lock held). */
static void restore_sleep_locked(RemoteEvents *ev, unsigned ms)
{
        struct timespec until;

        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += ms / 1000;
        until.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
        }
        while (!ev->closing && pthread_cond_timedwait(&ev->cond, &ev->lock, &until) == 0)
                ;
}

static void *restore_main(void *arg)
{
        RemoteConn *rc = arg;
        RemoteEvents *ev = rc->events;
        unsigned backoff = RESTORE_BACKOFF_MIN_MS;

        pthread_mutex_lock(&ev->lock);
        for (;;) {
                VmmError err = VMM_ERROR_INIT;
                int r;

                while (!ev->closing && !ev->lost)
                        pthread_cond_wait(&ev->cond, &ev->lock);
                if (ev->closing)
                        break;
                ev->lost = false;
                if (ev->n_regs == 0)
                        continue;
                pthread_mutex_unlock(&ev->lock);
                r = remote_events_restore(rc, &err);
                pthread_mutex_lock(&ev->lock);
                if (r >= 0) {
                        backoff = RESTORE_BACKOFF_MIN_MS;
                        continue;
                }
                vmm_log_debug("event registrations on %s not restored yet (retrying in %u ms): "
                              "%s",
                              rc->daemon_name, backoff, vmm_error_message(&err));
                vmm_error_clear(&err);
                restore_sleep_locked(ev, backoff);
                backoff =
                    backoff * 2 > RESTORE_BACKOFF_MAX_MS ? RESTORE_BACKOFF_MAX_MS : backoff * 2;
                ev->lost = true; /* try again */
        }
        pthread_mutex_unlock(&ev->lock);
        return NULL;
}

void remote_events_start_thread_locked(RemoteConn *rc)
{
        RemoteEvents *ev = rc->events;

        if (ev->thread_started || ev->closing)
                return;
        if (pthread_create(&ev->thread, NULL, restore_main, rc) != 0) {
                vmm_log_debug("cannot start the thread restoring event registrations of %s; "
                              "they are restored on the next call only",
                              rc->daemon_name);
                return;
        }
        ev->thread_started = true;
}

void remote_events_stop(RemoteConn *rc)
{
        RemoteEvents *ev = rc ? rc->events : NULL;
        bool started;

        if (!ev)
                return;
        pthread_mutex_lock(&ev->lock);
        ev->closing = true;
        started = ev->thread_started;
        ev->thread_started = false;
        pthread_cond_broadcast(&ev->cond);
        pthread_mutex_unlock(&ev->lock);
        if (started)
                pthread_join(ev->thread, NULL);
}

void remote_events_free(RemoteConn *rc)
{
        RemoteEvents *ev = rc ? rc->events : NULL;

        if (!ev)
                return;
        for (size_t i = 0; i < ev->n_regs; i++) {
                free(ev->regs[i]->handlers); /* their clients are gone already */
                ev->regs[i]->handlers = NULL;
                remote_event_reg_unref(ev->regs[i]);
        }
        free(ev->regs);
        pthread_cond_destroy(&ev->cond);
        pthread_mutex_destroy(&ev->restore_lock);
        pthread_mutex_destroy(&ev->lock);
        free(ev);
        rc->events = NULL;
}
