/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proxy.h: vmm-proxyd's state. The daemon skeleton listens (systemd
 * sockets or --listen), handles signals, idle exit and logging, and hands
 * every accepted connection to the proxy (vmm_daemon_set_accept_hook).
 *
 * For each client the proxy reads frames, looks only at their fixed
 * header, and routes each by program to a subsystem daemon (proxy-route.c).
 * The first frame for a daemon opens one backend connection for this
 * client (spawning the daemon when not under systemd), on which the proxy
 * first declares the client's identity with the control program's
 * IDENTIFY; then frames flow unchanged both ways (replies keep the
 * client's serials, events come back too). The client's frames are held
 * until the daemon answers that declaration; a connection lost before it
 * did (the daemon was killed or idle-exiting as we connected) is made
 * again, once, and takes them over.
 *
 * Backpressure: a side whose peer does not drain stops being read (past
 * PROXY_HIGH_WATER queued bytes) until the queue falls under
 * PROXY_LOW_WATER, so one slow client holds only its own memory.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "daemon.h"
#include "rpc/frame.h"

#define PROXY_HIGH_WATER (1u << 20)
#define PROXY_LOW_WATER (256u << 10)

typedef struct ProxyRoute {
        uint32_t program;
        const char *program_name; /* "domain" */
        const char *daemon;       /* "vmm-qemud" */
        bool mode_args;           /* takes --session (the subsystem daemons do) */
} ProxyRoute;

typedef struct Proxy Proxy;
typedef struct ProxyClient ProxyClient;
typedef struct ProxyBackend ProxyBackend;

struct Proxy {
        VmmDaemon *daemon;
        uv_loop_t *loop;
        char *runtime_dir;         /* the daemons' sockets: DIR/vmm-<name>.sock */
        char *daemon_dirs;         /* ':'-separated, where daemon binaries are found */
        bool spawn;                /* start daemons on demand (not under systemd) */
        bool session;              /* --session: the user's runtime dir, even for root */
        unsigned daemon_timeout_s; /* --timeout for spawned daemons (0: theirs) */
        const VmmDaemonOptions *opts;
        ProxyClient *clients;
        unsigned n_clients;
        bool stopping;
};

/* A frame waiting for its backend to be ready, or a call in flight. */
typedef struct ProxyFrame {
        struct ProxyFrame *next;
        VmmRpcHeader header;
        size_t len;
        uint8_t data[]; /* the whole frame, header included */
} ProxyFrame;

struct ProxyClient {
        Proxy *proxy;
        ProxyClient *next, *prev;
        uv_pipe_t pipe;
        uv_timer_t frame_timer;
        unsigned open_handles;
        unsigned refs;
        bool closing;
        bool reading; /* uv_read_start is on */
        bool full;    /* paused: a backend does not drain */
        uid_t uid;
        gid_t gid;
        pid_t pid;
        bool read_only; /* came on vmm-ro.sock */
        VmmRpcReader reader;
        ProxyBackend **backends; /* one per route, opened on first use */
        size_t queued;           /* bytes written to the client, not yet sent */
        char desc[64];           /* "client pid 42 uid 1000" */
};

typedef enum ProxyBackendState {
        PROXY_BACKEND_CONNECTING,  /* connect/spawn runs in the thread pool */
        PROXY_BACKEND_IDENTIFYING, /* IDENTIFY sent, frames held */
        PROXY_BACKEND_READY,
        PROXY_BACKEND_CLOSED,
} ProxyBackendState;

struct ProxyBackend {
        ProxyClient *client; /* holds a reference */
        const ProxyRoute *route;
        size_t index; /* in client->backends */
        ProxyBackendState state;
        uv_work_t work;
        uv_pipe_t pipe;
        bool pipe_open;
        bool reading;
        int fd; /* from the connect work */
        int work_result;
        VmmError work_error;
        VmmRpcReader reader;
        size_t queued;                 /* bytes written to the daemon, not yet sent */
        ProxyFrame *held, **held_tail; /* until READY */
        size_t held_bytes;
        VmmRpcHeader *calls; /* calls in flight, to fail if it goes */
        size_t n_calls, cap_calls;
        VmmRpcHeader *streams; /* open streams, to abort if it goes (proxy-stream.c) */
        size_t n_streams, cap_streams;
        bool reconnected; /* a second connection, after the first was lost unanswered */
        char desc[96];    /* "vmm-qemud for client pid 42 uid 1000" */
};

/* proxy-stream.c: notes streams opening and ending in the frames that
 * pass (both ways); aborts the open ones towards the client. */
void proxy_streams_note(ProxyBackend *b, const VmmRpcHeader *h);
void proxy_streams_fail(ProxyBackend *b, int code, VmmErrorKind kind, const char *why);

/* proxy-route.c */
extern const ProxyRoute proxy_routes[];
extern const size_t proxy_n_routes;
const ProxyRoute *proxy_route_find(uint32_t program);
/* "domain → vmm-qemud, network → vmm-networkd, ..." for messages. */
void proxy_route_describe(char *buf, size_t size);
/* Fills runtime_dir, daemon_dirs, spawn from the environment. */
int proxy_config_init(Proxy *p, VmmError *error);
/* Connects to (spawning if allowed) the daemon of `route`: blocking, for
 * the thread pool. */
int proxy_route_connect(const Proxy *p, const ProxyRoute *route, int *ret_fd, VmmError *error);

/* proxy-client.c */
/* Writes `len` bytes of `data` to `s`: at once when the stream's queue is
 * empty, the rest copied and queued. `done(owner, queued_len, status)`
 * runs when a queued part is written (or cancelled by a close). Returns
 * the bytes queued (0: all written) or a negative errno. */
typedef void (*ProxyWriteDone)(void *owner, size_t len, int status);
ssize_t proxy_write(uv_stream_t *s, bool queue_empty, const uint8_t *data, size_t len,
                    ProxyWriteDone done, void *owner);
void proxy_client_accept(VmmDaemon *daemon, uv_stream_t *server, bool read_only, void *userdata);
void proxy_client_close(ProxyClient *c);
void proxy_client_unref(ProxyClient *c);
/* Queues a whole frame for the client (copies it). */
void proxy_client_send(ProxyClient *c, const uint8_t *data, size_t len);
void proxy_client_send_error(ProxyClient *c, const VmmRpcHeader *call, int code, VmmErrorKind kind,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Re-evaluates whether the client may be read (backends drained). */
void proxy_client_update_reading(ProxyClient *c);
void proxy_close_all(Proxy *p);

/* proxy-backend.c */
/* The backend of `route` for this client, opened on first use. */
ProxyBackend *proxy_backend_get(ProxyClient *c, const ProxyRoute *route);
/* Forwards a client frame (copied) to the daemon. */
void proxy_backend_forward(ProxyBackend *b, const VmmRpcHeader *h, const uint8_t *frame);
void proxy_backend_close(ProxyBackend *b);
/* Bytes waiting to be written to the daemon. */
size_t proxy_backend_queued(const ProxyBackend *b);
/* Called when the client drained: backends read again. */
void proxy_backend_update_reading(ProxyBackend *b);
