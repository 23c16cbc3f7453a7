/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-internal.h: the remote driver's per-connection state and its one
 * generic call helper, shared by its files.
 */
#pragma once

#include <protobuf-c/protobuf-c.h>
#include <pthread.h>
#include <stdbool.h>

#include "driver/driver.h"
#include "rpc/client.h"
#include "rpc/proc-table.h"

typedef struct RemoteConn {
        pthread_mutex_t lock;
        VmmRpcClient *client;    /* the current connection */
        VmmRpcClient **retired;  /* lost connections, freed at close */
        size_t n_retired;
        bool client_used;        /* the current connection got a reply */
        VmmRpcClient *events_client; /* the connection subscribed to events */
        char *socket_path;       /* the socket we talk to */
        char *spawn_rw_path;     /* when spawning: the daemon's rw socket... */
        char *spawn_ro_path;     /* ...and its read-only one */
        char *daemon_path;       /* the binary, or NULL: never spawn */
        char *daemon_name;       /* "vmm-qemud", "vmm-proxyd": messages */
        char *root;              /* VMM_ROOT passed as --root, or NULL */
        bool session;            /* spawn with --session */
        bool explicit_socket;    /* ?socket= named it */
        unsigned daemon_timeout_s;
        VmmRpcClientOptions opts;
        int events_epoll;        /* pollable connections: every client's event fd, else -1 */
        struct RemoteEvents *events; /* event registrations, kept across reconnections */
} RemoteConn;

/* Frees the state (closing its connections); accepts NULL; returns NULL. */
RemoteConn *remote_conn_free(RemoteConn *rc);

/* URI -> socket and spawning decisions (remote-paths.c). */
int remote_conn_configure(RemoteConn *rc, const VmmUri *uri, unsigned int flags,
                          VmmError *error);
/* (Re)connects rc->client; the lock is held by the caller or not needed. */
int remote_conn_connect(RemoteConn *rc, VmmError *error);

/*
 * The one way every entry talks to the daemon: calls `procedure` of
 * `prog` with `request` (the table's request message) under the
 * connection's deadline, and stores the table's reply message in
 * *ret_reply (or frees it when ret_reply is NULL). Daemon errors come back
 * with their code, kind and message unchanged. When the connection was
 * lost before the daemon could have acted on the call (a daemon that was
 * idle-exiting as we connected), or for a read-only call, it reconnects
 * (spawning the daemon again when allowed) and retries once.
 */
int remote_call(VmmConnect *conn, const VmmRpcProgram *prog, uint32_t procedure,
                const ProtobufCMessage *request, ProtobufCMessage **ret_reply, VmmError *error);
/* The same with the deadline `timeout_ms` (0: none) instead of the
 * connection's (vmm_connect_set_call_timeout). */
int remote_call_timeout(VmmConnect *conn, const VmmRpcProgram *prog, uint32_t procedure,
                        const ProtobufCMessage *request, int timeout_ms,
                        ProtobufCMessage **ret_reply, VmmError *error);

/* The deadline of a call on `dom`: its own (vmm_domain_with_call_timeout)
 * or its connection's. */
static inline int remote_domain_timeout(const VmmDomain *dom)
{
        return dom->has_call_timeout ? dom->call_timeout_ms
                                     : atomic_load(&dom->conn->call_timeout_ms);
}

/* The connection entries of the vtable (remote-driver.c). */
int remote_probe(const VmmUri *uri);
int remote_open(VmmConnect *conn, const VmmUri *uri, unsigned int flags, VmmError *error);
void remote_close(VmmConnect *conn);
bool remote_is_alive(VmmConnect *conn);
int remote_get_hostname(VmmConnect *conn, char **ret_hostname, VmmError *error);
/* remote-connect.c: get-version (the QEMU binary the daemon runs). */
int remote_get_hypervisor_version(VmmConnect *conn, unsigned long *ret_version, VmmError *error);

/* Domain lifecycle events (remote-event.c). */
int remote_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                                 VmmFreeFunc destroy, int *ret_id, VmmError *error);
int remote_domain_event_deregister(VmmConnect *conn, int id, VmmError *error);
/* Pollable connections: one epoll fd over the event fds of every client
 * the connection ever had, so the application's fd stays the same across
 * reconnections. */
int remote_events_init(RemoteConn *rc, unsigned int flags, VmmError *error);
int remote_events_attach(RemoteConn *rc, VmmRpcClient *client, VmmError *error);
int remote_event_fd(VmmConnect *conn, VmmError *error);
int remote_dispatch_events(VmmConnect *conn, VmmError *error);
/* After a reconnection: registers every live event callback on the new
 * connection (same ids for the application) and subscribes it. */
int remote_events_restore(RemoteConn *rc, VmmError *error);
/* Connection close: remote_events_stop() first (ends the thread that
 * reconnects an idle connection with registrations), then free the RPC
 * clients, then remote_events_free() (the registrations' destroys). */
void remote_events_stop(RemoteConn *rc);
void remote_events_free(RemoteConn *rc);

/* Runtime operations (remote-domain-ops.c). */
int remote_domain_set_memory(VmmDomain *dom, uint64_t kib, unsigned int flags, VmmError *error);
int remote_domain_get_stats(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms,
                            unsigned int stats, unsigned int flags,
                            VmmDomainStatsRecord **ret_records, size_t *ret_count,
                            VmmError *error);
int remote_domain_qemu_monitor_command(VmmDomain *dom, const char *command, char **ret_reply,
                                       unsigned int flags, VmmError *error);

/* Device hot-plug (remote-domain-device.c). */
int remote_domain_attach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                VmmError *error);
int remote_domain_detach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                VmmError *error);

/* Save, restore, managed save (remote-domain-save.c). */
int remote_domain_save(VmmDomain *dom, const char *path, const char *dxml, unsigned int flags,
                       VmmError *error);
int remote_domain_restore(VmmConnect *conn, const char *path, const char *dxml,
                          unsigned int flags, VmmDomain **ret_dom, VmmError *error);
int remote_domain_save_image_get_xml(VmmConnect *conn, const char *path, unsigned int flags,
                                     char **ret_xml, VmmError *error);
int remote_domain_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error);
int remote_domain_has_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error);
int remote_domain_managed_save_remove(VmmDomain *dom, unsigned int flags, VmmError *error);

/* Streams: the domain console (remote-stream.c). */
int remote_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                               unsigned int flags, VmmError *error);
int remote_stream_send(VmmStream *st, const void *buf, size_t len, VmmError *error);
int remote_stream_recv(VmmStream *st, void *buf, size_t len, int timeout_ms, VmmError *error);
int remote_stream_finish(VmmStream *st, VmmError *error);
int remote_stream_abort(VmmStream *st, VmmError *error);
int remote_stream_event_fd(VmmStream *st, VmmError *error);
void remote_stream_release(VmmStream *st);

extern const VmmDriver vmm_remote_driver;
