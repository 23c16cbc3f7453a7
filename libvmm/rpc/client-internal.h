/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-internal.h: the client connection's state, shared by client.c
 * (calls), client-io.c (the I/O thread) and client-event.c (events). */
#pragma once

#include <pthread.h>

#include "rpc/client.h"
#include "rpc/spin.h"
#include "util/macros.h"

typedef struct RpcPending {
        struct RpcPending *next, *prev;
        uint32_t serial;
        bool done;
        bool failed;         /* the connection was lost: see close_error */
        VmmRpcHeader header; /* of the reply */
        uint8_t *frame;      /* the whole reply frame (owned) */
        pthread_cond_t cond;
        VmmRpcStream *stream; /* the reply opens it: bound to the serial (client-stream.c) */
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

        /* Who reads the socket (under lock). A waiting caller reads its own
         * reply when nobody else is reading (it "leads"), so a reply needs
         * no hop through the I/O thread; on its way out it hands the socket
         * to another waiter. The I/O thread reads only when no caller has
         * led for RPC_CLIENT_HANDBACK_MS (for events and keepalive). */
        bool reading;          /* a thread is polling/reading the socket */
        bool io_parked;        /* the I/O thread waits for `reading` to end */
        uint64_t last_lead_ms; /* when a caller last stopped reading */

        /* the thread that is `reading` only */
        VmmRpcReader reader;
        /* keepalive: written by the reader, read by the I/O thread (atomics) */
        uint64_t last_rx_ms;
        unsigned pings_unanswered;

        /* how long a leading caller polls for its reply before it sleeps
         * (under lock; client-call.c, rules in spin.c) */
        VmmRpcSpin spin;

        VmmRpcStream *streams; /* open streams by serial (under lock, client-stream.c) */
};

/* How long the I/O thread leaves the socket to callers after the last
 * call, so a burst of calls does not wake it for every reply. */
#define RPC_CLIENT_HANDBACK_MS 20u

/* Events queued beyond this are dropped (a client that never dispatches). */
#define RPC_CLIENT_MAX_QUEUED_EVENTS 65536u

uint64_t rpc_client_now_ms(void);
void rpc_client_wake(VmmRpcClient *c);
void *rpc_client_io_main(void *arg);
/* Reads what is available and routes the frames (the caller must be the
 * `reading` thread). With `until`, returns as soon as that call's reply
 * has come (*ret_done). Returns false once the connection is lost. */
bool rpc_client_read(VmmRpcClient *c, const RpcPending *until, bool *ret_done);
/* After the reader stopped or a waiter left (lock held): wakes one
 * waiting call so it reads for the others. */
void rpc_client_handoff_locked(VmmRpcClient *c);
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

/* client-spin.c */
/* The spin window's ceiling from the options or $VMM_RPC_SPIN_US. */
void rpc_client_spin_init(VmmRpcClient *c);
/* Around a call's wait: begin returns true when no other call of the
 * process waits (only a sequential caller spins; many callers at once
 * keep the daemon busy and need the CPUs themselves). */
bool rpc_client_spin_wait_begin(void);
void rpc_client_spin_wait_end(void);
/* Polls the socket without sleeping until it is readable (> 0), poll
 * fails (< 0), or the clock passes `until_ns` (0); also 0, with
 * *ret_preempted, as soon as the thread lost its CPU meanwhile (see
 * spin.h). Lock not held. */
int rpc_client_spin_poll(VmmRpcClient *c, uint64_t until_ns, bool *ret_preempted);

/* client-stream.c */
/* The call of `p` got its serial (lock held): its stream starts
 * receiving STREAM frames with it. */
void rpc_client_stream_bind_locked(VmmRpcClient *c, RpcPending *p);
/* Routes a STREAM frame to its stream (lock not held). */
void rpc_client_stream_frame(VmmRpcClient *c, const VmmRpcHeader *h, const uint8_t *body,
                             size_t len);
/* The connection was lost (lock held): every stream fails with the
 * reason. */
void rpc_client_streams_closed_locked(VmmRpcClient *c);
/* vmm_rpc_client_call() with a stream to bind to the call's serial. */
int rpc_client_call_stream(VmmRpcClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                           const ProtobufCMessage *request, int timeout_ms, VmmRpcStream *stream,
                           ProtobufCMessage **ret_reply, VmmError *error);
