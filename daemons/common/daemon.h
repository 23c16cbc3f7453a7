/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * daemon.h: the skeleton every vmm daemon is built on: one libuv loop,
 * listening sockets (from systemd socket activation, names "rw" and "ro",
 * or bound with --listen/--listen-ro), sd_notify, SO_PEERCRED identity per
 * client, dispatch of calls through each program's procedure table, the
 * read-only socket's refusal of procedures not marked read-only, limits on
 * clients and calls in flight, idle exit, SIGTERM drain, SIGHUP reload, and
 * logging to the journal under systemd.
 *
 *   VmmDaemonOptions opts = VMM_DAEMON_OPTIONS_INIT("vmm-qemud");
 *   vmm_daemon_parse_args(argc, argv, &opts, &err);
 *   vmm_daemon_new(&opts, &daemon, &err);
 *   vmm_daemon_add_program(daemon, &vmm_rpc_program_domain, handlers,
 *                          ARRAY_SIZE(handlers), driver, &err);
 *   return vmm_daemon_run(daemon, &err) < 0;
 *
 * A handler answers with vmm_daemon_call_reply() (or returns a negative
 * errno with `error` filled, and the skeleton sends the error reply), or
 * returns VMM_DAEMON_REPLY_LATER and answers later from the loop.
 */
#pragma once

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>
#include <vmm/vmm-common.h>

#include "rpc/frame.h"
#include "rpc/proc-table.h"

typedef struct VmmDaemon VmmDaemon;
typedef struct VmmDaemonClient VmmDaemonClient;
typedef struct VmmDaemonCall VmmDaemonCall;

typedef struct VmmDaemonOptions {
        const char *name;           /* "vmm-qemud": logs, errors, sd_notify STATUS */
        const char *listen_path;    /* --listen: bind this read-write socket */
        const char *listen_ro_path; /* --listen-ro: and this read-only one */
        unsigned timeout_s;         /* --timeout: idle exit; 0 never (default 120) */
        unsigned max_clients;       /* --max-clients (default 256) */
        unsigned max_calls;         /* --max-calls: in flight per client (default 32) */
        unsigned frame_timeout_ms;  /* --frame-timeout: half a frame then silence (30000) */
        unsigned drain_timeout_ms;  /* SIGTERM: longest wait for calls in flight (10000) */
        size_t max_queued_bytes;    /* replies a client has not read (default 16 MiB) */
        bool verbose;               /* --verbose: log level info (debug with VMM_LOG_LEVEL) */
        VmmRpcLimits limits;
        /* --spin-us: after a read, the loop polls without blocking for up
         * to this many microseconds (adaptive, rpc/spin.h); 0: never; -1
         * (default): $VMM_RPC_SPIN_US, else VMM_RPC_SPIN_DEFAULT_US */
        int spin_us;
} VmmDaemonOptions;

#define VMM_DAEMON_OPTIONS_INIT(n)                                                                 \
        {                                                                                          \
                .name = (n), .timeout_s = 120, .max_clients = 256, .max_calls = 32,                \
                .frame_timeout_ms = 30000, .drain_timeout_ms = 10000,                              \
                .max_queued_bytes = 16u << 20, .spin_us = -1, .limits = {                          \
                        32u << 20,                                                                 \
                        4u << 20,                                                                  \
                        262144u,                                                                   \
                        16u                                                                        \
                }                                                                                  \
        }

/* What the daemon knows of a caller. */
typedef struct VmmDaemonIdentity {
        uid_t uid;
        gid_t gid;
        pid_t pid;
        bool read_only; /* connected through the read-only socket */
        bool forwarded; /* declared by the proxy (control IDENTIFY) */
} VmmDaemonIdentity;

/* Handler return value: the handler will call vmm_daemon_call_reply/_fail later. */
#define VMM_DAEMON_REPLY_LATER 1

typedef int (*VmmDaemonHandler)(VmmDaemonCall *call, const ProtobufCMessage *request,
                                void *userdata, VmmError *error);
typedef int (*VmmDaemonHook)(VmmDaemon *daemon, void *userdata);

/* Parses the common options (--listen PATH, --listen-ro PATH, --timeout S,
 * --max-clients N, --max-calls N, --frame-timeout MS, --verbose, --help).
 * Returns 0, 1 after printing --help, or -EINVAL with a message naming the
 * option and the value. */
int vmm_daemon_parse_args(int argc, char **argv, VmmDaemonOptions *opts, VmmError *error);

int vmm_daemon_new(const VmmDaemonOptions *opts, VmmDaemon **ret_daemon, VmmError *error);
/* Frees a daemon that did not run or whose run returned. Returns NULL. */
VmmDaemon *vmm_daemon_free(VmmDaemon *daemon);

/* Serves `table` (validated here) with one handler per procedure, indexed
 * by number - 1 (NULL for events). -EINVAL names the first gap. */
int vmm_daemon_add_program(VmmDaemon *daemon, const VmmRpcProgram *table,
                           const VmmDaemonHandler *handlers, size_t n_handlers, void *userdata,
                           VmmError *error);

/* Decides whether `id` may call `proc` (which needs proc->permission):
 * returns 0, or a negative errno with `error` saying what was refused
 * (kind ACCESS_DENIED). Called for every call that passed the read-only
 * check, before the body is decoded. Without one, every call is allowed. */
typedef int (*VmmDaemonAccessCheck)(const VmmDaemonIdentity *id, const VmmRpcProgram *prog,
                                    const VmmRpcProc *proc, void *userdata, VmmError *error);
void vmm_daemon_set_access_check(VmmDaemon *daemon, VmmDaemonAccessCheck check, void *userdata);

/* Hands every accepted connection to `accept` instead of serving it with
 * the skeleton's dispatch (a router such as vmm-proxyd owns its clients):
 * the hook calls uv_accept() on `server` itself. `read_only` says which
 * socket the connection came on. The hook's connections count for idle
 * exit only through vmm_daemon_hold()/vmm_daemon_release(). */
typedef void (*VmmDaemonAcceptHook)(VmmDaemon *daemon, uv_stream_t *server, bool read_only,
                                    void *userdata);
void vmm_daemon_set_accept_hook(VmmDaemon *daemon, VmmDaemonAcceptHook accept, void *userdata);

/* SIGHUP calls `reload`; stopping calls `shutdown` once every client is
 * gone (close the program's own handles there). */
void vmm_daemon_set_reload_hook(VmmDaemon *daemon, VmmDaemonHook reload, void *userdata);
void vmm_daemon_set_shutdown_hook(VmmDaemon *daemon, VmmDaemonHook shutdown, void *userdata);

/* Opens the sockets, tells systemd READY=1, runs the loop until SIGTERM,
 * SIGINT, idle exit or vmm_daemon_stop(), drains, and checks that the loop
 * closes (-EBUSY naming the handles left otherwise). */
int vmm_daemon_run(VmmDaemon *daemon, VmmError *error);
void vmm_daemon_stop(VmmDaemon *daemon);

uv_loop_t *vmm_daemon_loop(VmmDaemon *daemon);
const VmmDaemonOptions *vmm_daemon_options(const VmmDaemon *daemon);
/* Something the daemon must watch (a running guest): no idle exit while held. */
void vmm_daemon_hold(VmmDaemon *daemon);
void vmm_daemon_release(VmmDaemon *daemon);
unsigned vmm_daemon_n_clients(const VmmDaemon *daemon);
/* A read brought frames and they were served: the loop stays awake for
 * the spin window (daemon-spin.c). The skeleton calls it for its own
 * clients; a router with its own connections (the accept hook) calls it
 * after each of its reads. `source` names the client the read was for
 * (any address): while two clients are active at once, the loop does not
 * spin (it has work anyway, and they need the CPU). */
void vmm_daemon_note_activity(VmmDaemon *daemon, const void *source);

/* --- calls -------------------------------------------------------------- */

const VmmDaemonIdentity *vmm_daemon_call_identity(const VmmDaemonCall *call);
const VmmRpcProc *vmm_daemon_call_proc(const VmmDaemonCall *call);
VmmDaemonClient *vmm_daemon_call_client(const VmmDaemonCall *call);
/* Sends the reply (the table's reply message) and frees the call. When the
 * client has gone, the reply is dropped. */
void vmm_daemon_call_reply(VmmDaemonCall *call, const ProtobufCMessage *reply);
/* Sends an error reply from `error` and frees the call. */
void vmm_daemon_call_fail(VmmDaemonCall *call, const VmmError *error);

/* --- clients ------------------------------------------------------------ */

VmmDaemonClient *vmm_daemon_client_ref(VmmDaemonClient *client);
VmmDaemonClient *vmm_daemon_client_unref(VmmDaemonClient *client);
bool vmm_daemon_client_is_open(const VmmDaemonClient *client);
const VmmDaemonIdentity *vmm_daemon_client_identity(const VmmDaemonClient *client);
/* Attaches `data` to the client under `key` (any unique address, e.g. the
 * program's table): `destroy` runs when the client disconnects (or the
 * daemon stops), so a program learns that, say, an event subscriber is
 * gone. Setting a key again replaces (and destroys) the old data; NULL
 * data removes it. -ENOTCONN once the client is closing. */
int vmm_daemon_client_set_data(VmmDaemonClient *client, const void *key, void *data,
                               void (*destroy)(void *data));
void *vmm_daemon_client_get_data(const VmmDaemonClient *client, const void *key);
/* Pushes event `procedure` of `prog` to the client. */
int vmm_daemon_client_send_event(VmmDaemonClient *client, const VmmRpcProgram *prog,
                                 uint32_t procedure, const ProtobufCMessage *event);

/* --- logging ------------------------------------------------------------ */

/* Logs to the journal (structured: priority, code location, identifier)
 * when $JOURNAL_STREAM says stderr is the journal, else to stderr. */
void vmm_daemon_log_setup(const char *identifier, bool verbose);
