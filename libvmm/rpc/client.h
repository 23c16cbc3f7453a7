/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.h: one connection to a daemon, shared by any number of threads.
 *
 * Callers write their own call and wait for the reply with the same
 * serial, so calls from several threads overlap on the one socket. A
 * waiting caller reads the socket itself when no one else does (and hands
 * it on to another waiter when its reply is in); a thread owned by the
 * connection reads when no call is waiting (events, keepalive) and
 * writes what a full socket did not take. Every call has a deadline (the
 * connection's default, or the call's own); a call past it fails with
 * -ETIMEDOUT and a message naming the procedure and the daemon socket, and
 * its late reply is dropped. Keepalive: when nothing arrives for `interval`,
 * the client pings; after `count` unanswered pings it drops the connection
 * and every waiting call fails. A caller that reads for itself first polls
 * for its reply without sleeping for a short adaptive window (`spin_us`,
 * $VMM_RPC_SPIN_US; see rpc/spin.h), within the call's deadline.
 *
 * Events pushed by the daemon reach the handlers registered for their
 * procedure, called from a thread the client owns, or, when the
 * connection was opened with `events_pollable`, from
 * vmm_rpc_client_dispatch_events() in the application's own loop, when the
 * fd from vmm_rpc_client_event_fd() is readable.
 */
#pragma once

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "rpc/frame.h"
#include "rpc/proc-table.h"

typedef struct VmmRpcClient VmmRpcClient;

typedef struct VmmRpcClientOptions {
        const char *name;               /* the peer in messages (default: socket path) */
        int call_timeout_ms;            /* default deadline per call; 0: none (default 30000) */
        unsigned keepalive_interval_ms; /* idle time before a ping; 0: no keepalive (5000) */
        unsigned keepalive_count;       /* unanswered pings before dropping (5) */
        bool events_pollable;           /* deliver events through event_fd + dispatch */
        const VmmRpcLimits *limits;     /* NULL: vmm_rpc_default_limits */
        /* After sending a call, poll for the reply without sleeping for up
         * to this many microseconds (adaptive, see rpc/spin.h); 0: never;
         * -1: $VMM_RPC_SPIN_US or VMM_RPC_SPIN_DEFAULT_US (default -1). */
        int spin_us;
} VmmRpcClientOptions;

#define VMM_RPC_CLIENT_OPTIONS_INIT                                                                \
        {                                                                                          \
                NULL, 30000, 5000, 5, false, NULL, -1                                              \
        }

/* Use the connection's default deadline (for `timeout_ms` of a call). */
#define VMM_RPC_TIMEOUT_DEFAULT (-1)

typedef void (*VmmRpcEventFunc)(VmmRpcClient *client, const VmmRpcProc *proc,
                                const ProtobufCMessage *event, void *userdata);
typedef void (*VmmRpcCloseFunc)(VmmRpcClient *client, const VmmError *reason, void *userdata);
typedef void (*VmmRpcDestroyFunc)(void *userdata);

/* Connects to the daemon's UNIX socket. -ENOENT/-ECONNREFUSED... (kind
 * NO_CONNECT) with a message naming the socket. `opts` may be NULL. */
int vmm_rpc_client_connect_unix(const char *path, const VmmRpcClientOptions *opts,
                                VmmRpcClient **ret_client, VmmError *error);

/* Wraps an already connected stream socket (ownership of `fd` passes to
 * the client, also on failure). */
int vmm_rpc_client_new_fd(int fd, const VmmRpcClientOptions *opts, VmmRpcClient **ret_client,
                          VmmError *error);

/* Closes the connection, stops the client's threads, fails calls still
 * waiting with -ECANCELED, and calls the handlers' destroy functions.
 * Must not be called from an event handler. Returns NULL. */
VmmRpcClient *vmm_rpc_client_free(VmmRpcClient *client);

/*
 * Calls `procedure` of `prog` with `request` (its table's request message)
 * and waits for the reply, decoded as the table's reply message into
 * *ret_reply (free with vmm_rpc_message_free; may be NULL when
 * the caller wants no reply). `timeout_ms`: VMM_RPC_TIMEOUT_DEFAULT, 0 for
 * no deadline, or milliseconds. An error reply from the daemon returns its
 * code with its message unchanged.
 */
int vmm_rpc_client_call(VmmRpcClient *client, const VmmRpcProgram *prog, uint32_t procedure,
                        const ProtobufCMessage *request, int timeout_ms,
                        ProtobufCMessage **ret_reply, VmmError *error);

/* Registers `func` for event `procedure` of `prog`; returns an id > 0. */
int vmm_rpc_client_add_event_handler(VmmRpcClient *client, const VmmRpcProgram *prog,
                                     uint32_t procedure, VmmRpcEventFunc func, void *userdata,
                                     VmmRpcDestroyFunc destroy, VmmError *error);
/* Unregisters a handler; its destroy runs once no event is being
 * delivered to it. -ENOENT for an unknown id. */
int vmm_rpc_client_remove_event_handler(VmmRpcClient *client, int id);

/* Called once, from the event thread (or dispatch), when the connection
 * is lost for any reason other than vmm_rpc_client_free(). */
void vmm_rpc_client_set_close_handler(VmmRpcClient *client, VmmRpcCloseFunc func, void *userdata,
                                      VmmRpcDestroyFunc destroy);

/* Pollable mode: an fd that is readable while events wait, and the call
 * that delivers them (returns how many were delivered). -EINVAL when the
 * connection was not opened with events_pollable. */
int vmm_rpc_client_event_fd(VmmRpcClient *client);
int vmm_rpc_client_dispatch_events(VmmRpcClient *client);

/* Whether the connection is still up. */
bool vmm_rpc_client_is_open(VmmRpcClient *client);

/* The peer's name used in messages. */
const char *vmm_rpc_client_name(const VmmRpcClient *client);

/*
 * Streams (client-stream.c). A call whose reply opens a stream (domain
 * open-console) makes both sides exchange STREAM frames on the call's
 * serial afterwards: RpcStreamData with status CONTINUE, OK at the end,
 * ERROR (RpcError) to abort (rpc/stream-frame.h). Data from the daemon
 * waits in the stream's queue until read; the queue is bounded by the
 * stream window (VMM_RPC_STREAM_WINDOW, 1 MiB): recv acknowledges what it
 * read, and the daemon sends no more than the window ahead, so a reader
 * that stops reading pauses its stream, never the connection or other
 * calls. Any thread may use a stream (recv from two threads at once splits
 * the data). Free every stream before its client.
 */
typedef struct VmmRpcStream VmmRpcStream;

/* Data per STREAM frame the client sends. */
#define VMM_RPC_STREAM_CHUNK (64u << 10)

/* Calls `procedure` (its reply opens the stream) and returns the stream
 * in *ret_stream. */
int vmm_rpc_client_open_stream(VmmRpcClient *client, const VmmRpcProgram *prog,
                               uint32_t procedure, const ProtobufCMessage *request,
                               int timeout_ms, VmmRpcStream **ret_stream, VmmError *error);
/* Queues `len` bytes (in frames of at most VMM_RPC_STREAM_CHUNK); returns
 * len, or -EPIPE once the stream ended or failed (with its reason). */
int vmm_rpc_stream_send(VmmRpcStream *stream, const void *buf, size_t len, VmmError *error);
/* Bytes read (> 0), 0 at the end of the stream, -EAGAIN when nothing came
 * within `timeout_ms` (0: do not wait; < 0: wait forever), or the error
 * that ended the stream (the daemon's abort, a lost connection). */
int vmm_rpc_stream_recv(VmmRpcStream *stream, void *buf, size_t len, int timeout_ms,
                        VmmError *error);
/* Tells the daemon this side is done (status OK). Data still queued can
 * be read; later sends fail. */
int vmm_rpc_stream_finish(VmmRpcStream *stream, VmmError *error);
/* Ends the stream at once with an error frame carrying `reason`. */
int vmm_rpc_stream_abort(VmmRpcStream *stream, const char *reason, VmmError *error);
/* Readable (eventfd) while recv would not block: data, the end or an
 * error waits. */
int vmm_rpc_stream_event_fd(VmmRpcStream *stream);
/* Bytes received and not yet read (at most VMM_RPC_STREAM_WINDOW). */
size_t vmm_rpc_stream_queued(VmmRpcStream *stream);
/* Aborts the stream if it is still open, and frees it. Returns NULL. */
VmmRpcStream *vmm_rpc_stream_free(VmmRpcStream *stream);

#include "util/cleanup.h"
DEFINE_CLEANUP(VmmRpcClient, vmm_rpc_client_free)
