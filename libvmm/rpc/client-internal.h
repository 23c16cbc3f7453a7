/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-internal.h: the client connection's state, shared by client.c
 * (calls), client-io.c (the I/O thread) and client-event.c (events). */
#pragma once

#include <pthread.h>

#include "rpc/client.h"
#include "util/macros.h"

typedef struct RpcPending {
        struct RpcPending *next, *prev;
        uint32_t serial;
        bool done;
        bool failed;         /* the connection was lost: see close_error */
        VmmRpcHeader header; /* of the reply */
        uint8_t *frame;      /* the whole reply frame (owned) */
        pthread_cond_t cond;
} RpcPending;

typedef struct RpcOutFrame {
        struct RpcOutFrame *next;
        uint8_t *data;
        size_t len, off;
} RpcOutFrame;

typedef struct RpcEventItem {
        struct RpcEventItem *next;
        bool is_close; /* the connection closed: call the close handler */
        VmmRpcHeader header;
        uint8_t *frame;
} RpcEventItem;

typedef struct RpcHandler {
        struct RpcHandler *next;
        int id;
        const VmmRpcProgram *prog;
        uint32_t procedure;
        VmmRpcEventFunc func;
        void *userdata;
        VmmRpcDestroyFunc destroy;
        unsigned refs;
        bool removed;
} RpcHandler;

struct VmmRpcClient {
        int fd;
        int wake_fd;  /* eventfd: wakes the I/O thread */
        int event_fd; /* eventfd: events waiting (pollable mode) */
        char *name;
        VmmRpcClientOptions opts;
        VmmRpcLimits limits;

        pthread_mutex_t lock;
        pthread_t io_thread;
        bool io_started;
        pthread_t event_thread;
        bool event_started;
        pthread_cond_t event_cond;

        /* under lock */
        bool stopping;
        bool closed;
        VmmError close_error;
        uint32_t next_serial;
        RpcPending *pending;
        RpcOutFrame *out_head, *out_tail;
        size_t n_events;
        RpcEventItem *ev_head, *ev_tail;
        RpcHandler *handlers;
        int next_handler_id;
        VmmRpcCloseFunc close_func;
        void *close_userdata;
        VmmRpcDestroyFunc close_destroy;

        int write_error; /* a write failed: read the daemon's last words, then close */

        /* I/O thread only */
        VmmRpcReader reader;
        uint64_t last_rx_ms;
        unsigned pings_unanswered;
};

/* Events queued beyond this are dropped (a client that never dispatches). */
#define RPC_CLIENT_MAX_QUEUED_EVENTS 65536u

uint64_t rpc_client_now_ms(void);
void rpc_client_wake(VmmRpcClient *c);
void *rpc_client_io_main(void *arg);
void *rpc_client_event_main(void *arg);
/* Marks the connection lost (once): fails waiting calls, queues the close
 * notification. Call with the lock held. */
void rpc_client_close_locked(VmmRpcClient *c, int code, VmmErrorKind kind, const char *fmt, ...)
    _printf_(4, 5);
/* Writes what is queued until done or the socket is full (lock held):
 * callers write their own call when nothing is queued before it, sparing
 * a wake-up of the I/O thread. */
void rpc_client_flush_locked(VmmRpcClient *c);
/* Queues a frame for the I/O thread (lock held); takes `data`. */
int rpc_client_queue_locked(VmmRpcClient *c, uint8_t *data, size_t len);
void rpc_client_queue_event_locked(VmmRpcClient *c, RpcEventItem *item);
void rpc_client_free_handlers(VmmRpcClient *c);
void rpc_client_free_events(VmmRpcClient *c);
