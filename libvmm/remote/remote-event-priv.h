/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-event-priv.h: the event registrations of one remote connection,
 * shared by remote-event.c (register, deliver, pollable dispatch) and
 * remote-event-restore.c (re-registration after a reconnection, and the
 * thread that reconnects an idle connection whose daemon went away).
 *
 * A registration has the id the application got, for the connection's
 * whole life. On each RPC client it is one event handler (the client's
 * handler id is private); a reconnection adds a handler on the new client
 * and subscribes that client with the daemon (whose own callback ids
 * differ per connection and are not used). A registration is reference
 * counted: the registry holds one, and each RPC handler holds one; the
 * application's destroy runs when the last goes, so never while one of
 * its events is being delivered.
 */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "remote-internal.h"

typedef struct RemoteEventReg {
        atomic_int refs;
        atomic_bool removed; /* deregistered: deliver nothing more */
        VmmConnect *conn;    /* not a reference: the connection frees the registry */
        VmmDomainEventFunc cb;
        void *userdata;
        VmmFreeFunc destroy; /* set once the registration succeeded */
        int id;              /* the application's */
        /* under ev->lock: the handler on each RPC client it was added to
         * (lost clients stay until the connection closes) */
        struct RemoteEventHandler {
                VmmRpcClient *client;
                int id;
        } * handlers;
        size_t n_handlers;
} RemoteEventReg;

typedef struct RemoteEvents {
        pthread_mutex_t lock; /* the registry and the thread's state */
        pthread_cond_t cond;
        /* one restore at a time: two would add two handlers to one client */
        pthread_mutex_t restore_lock;
        RemoteEventReg **regs;
        size_t n_regs;
        int next_id;
        VmmConnect *conn; /* for the call deadline; set by the first registration */

        pthread_t thread; /* reconnects an idle connection (remote-event-restore.c) */
        bool thread_started;
        bool closing;
        bool lost; /* a client reported its connection lost */
} RemoteEvents;

RemoteEventReg *remote_event_reg_ref(RemoteEventReg *reg);
void remote_event_reg_unref(void *reg);
/* The RPC handler of every registration (remote-event.c). */
void remote_event_deliver(VmmRpcClient *client, const VmmRpcProc *proc, const ProtobufCMessage *msg,
                          void *userdata);
/* Starts the reconnecting thread once (ev->lock held). */
void remote_events_start_thread_locked(RemoteConn *rc);
/* The close handler set on every RPC client (remote-event-restore.c). */
void remote_events_on_close(VmmRpcClient *client, const VmmError *reason, void *userdata);
