/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-internal.h: the skeleton's state, shared by daemon.c (lifecycle),
 * daemon-listen.c (sockets), daemon-client.c (connections) and
 * daemon-dispatch.c (calls). */
#pragma once

#include "daemon.h"
#include "rpc/frame.h"
#include "rpc/spin.h"
#include "util/macros.h"

#define DAEMON_MAX_LISTENERS 8
#define DAEMON_MAX_PROGRAMS 8
/* Calls of high priority may exceed the per-client budget by this many. */
#define DAEMON_HIGH_PRIORITY_RESERVE 8
/* Replies gathered into one write while a read's frames are dispatched. */
#define DAEMON_BATCH_MAX 32

typedef struct DaemonProgram {
        const VmmRpcProgram *table;
        const VmmDaemonHandler *handlers;
        void *userdata;
} DaemonProgram;

typedef struct DaemonListener {
        uv_pipe_t pipe;
        VmmDaemon *daemon;
        bool read_only;
        char *bound_path; /* bound by us: unlinked when closed */
} DaemonListener;

struct VmmDaemon {
        uv_loop_t loop;
        bool loop_open;
        VmmDaemonOptions opts;
        char *name, *listen_path, *listen_ro_path;
        DaemonProgram programs[DAEMON_MAX_PROGRAMS];
        size_t n_programs;
        DaemonListener *listeners[DAEMON_MAX_LISTENERS];
        size_t n_listeners;
        VmmDaemonClient *clients;
        unsigned n_clients;
        uv_signal_t sig_term, sig_int, sig_hup;
        uv_timer_t idle_timer, drain_timer;
        bool handles_open;
        unsigned holds;
        bool stopping, finished;
        VmmDaemonAccessCheck access_check;
        void *access_userdata;
        VmmDaemonHook reload, shutdown;
        VmmDaemonAcceptHook accept_hook; /* daemon-accept.c */
        void *accept_userdata;
        /* busy-polling after a read (daemon-spin.c) */
        uv_idle_t spin_idle;
        bool spin_open;
        VmmRpcSpin spin;
        unsigned spin_window_us; /* of the window opened last (0: none) */
        uint64_t spin_from_ns;   /* when it opened */
        uint64_t spin_until_ns;  /* when it closes */
        uint64_t spin_tick_ns;   /* the loop's last round while spinning */
        bool spin_preempted;     /* the loop lost its CPU during the window */
        const void *spin_source; /* the client of the last read */
        uint64_t spin_source_ns; /* and when */
        void *reload_userdata, *shutdown_userdata;
};

typedef struct ClientData {
        struct ClientData *next;
        const void *key;
        void *data;
        void (*destroy)(void *data);
} ClientData;

struct VmmDaemonClient {
        VmmDaemon *daemon;
        VmmDaemonClient *next, *prev;
        uv_pipe_t pipe;
        uv_timer_t frame_timer;
        unsigned refs;
        unsigned open_handles;
        bool closing;
        VmmDaemonIdentity id;
        VmmRpcReader reader;
        unsigned n_calls;
        size_t queued_bytes;
        /* replies made while one read's frames are dispatched, written
         * together (one writev) when the read is done */
        uv_buf_t batch[DAEMON_BATCH_MAX];
        unsigned n_batch;
        bool batching;
        ClientData *data; /* programs' per-client state */
        char desc[64];    /* "client pid 42 uid 1000" for logs */
};

struct VmmDaemonCall {
        VmmDaemonClient *client;
        const DaemonProgram *program;
        const VmmRpcProc *proc;
        VmmRpcHeader header;
        bool in_handler; /* the dispatcher frees it after the handler returns */
        bool replied;
};

/* daemon-listen.c */
int daemon_listen_open(VmmDaemon *d, VmmError *error);
void daemon_listen_close(VmmDaemon *d);

/* daemon-client.c */
void daemon_client_accept(VmmDaemon *d, uv_stream_t *server, bool read_only);
void daemon_client_close(VmmDaemonClient *c);
/* Starts the close of a stopping daemon's client once it has no call in
 * flight and nothing left to write. */
void daemon_client_drain(VmmDaemonClient *c);
/* Queues bytes for the client (takes `data`). */
void daemon_client_send(VmmDaemonClient *c, uint8_t *data, size_t len);
void daemon_client_send_error(VmmDaemonClient *c, const VmmRpcHeader *call, int code,
                              VmmErrorKind kind, const char *fmt, ...) _printf_(5, 6);

/* daemon-dispatch.c */
void daemon_dispatch_frame(VmmDaemonClient *c, const VmmRpcHeader *h, const uint8_t *body,
                           size_t len);
extern const VmmDaemonHandler daemon_control_handlers[3];

/* daemon.c */
/* Re-evaluates idle exit (no client, nothing held) and, when stopping,
 * whether the loop may finish. */
void daemon_state_changed(VmmDaemon *d);

/* daemon-spin.c */
void daemon_spin_init(VmmDaemon *d);
void daemon_spin_close(VmmDaemon *d);
/* A reply went out after its handler returned (it waited for QEMU, a
 * worker thread...): the window opens again from now, for the client's
 * next call. */
void daemon_spin_reopen(VmmDaemon *d);
/* A read brought several calls at once: the client has calls overlapping
 * (threads sharing a connection), so they keep the loop busy without
 * spinning, and a spinning loop would take a CPU from them. */
void daemon_spin_pipelined(VmmDaemon *d);
