/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-driver.c: the remote driver's connection side: which URIs it
 * serves (local qemu:// URIs, transport none or unix), opening and closing
 * the connection to the daemon, and remote_call(), the one path every
 * entry takes to the daemon. The domain entries are in remote-domain.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote-event-priv.h"
#include "remote-internal.h"
#include "util/error.h"
#include "util/log.h"

int remote_probe(const VmmUri *uri)
{
        if (!uri->driver || strcmp(uri->driver, "qemu") != 0)
                return 0;
        if (uri->host && *uri->host)
                return 0;
        return !uri->transport || strcmp(uri->transport, "unix") == 0;
}

RemoteConn *remote_conn_free(RemoteConn *rc)
{
        if (!rc)
                return NULL;
        remote_events_stop(rc);
        vmm_rpc_client_free(rc->client);
        for (size_t i = 0; i < rc->n_retired; i++)
                vmm_rpc_client_free(rc->retired[i]);
        free(rc->retired);
        remote_events_free(rc);
        if (rc->events_epoll >= 0)
                close(rc->events_epoll);
        free(rc->socket_path);
        free(rc->spawn_rw_path);
        free(rc->spawn_ro_path);
        free(rc->daemon_path);
        free(rc->daemon_name);
        free(rc->root);
        pthread_mutex_destroy(&rc->lock);
        free(rc);
        return NULL;
}

int remote_open(VmmConnect *conn, const VmmUri *uri, unsigned int flags, VmmError *error)
{
        const VmmRpcClientOptions defaults = VMM_RPC_CLIENT_OPTIONS_INIT;
        RemoteConn *rc = calloc(1, sizeof(*rc));
        int r;

        if (!rc)
                return vmm_error_oom(error);
        pthread_mutex_init(&rc->lock, NULL);
        rc->opts = defaults;
        rc->events_epoll = -1;
        r = remote_conn_configure(rc, uri, flags, error);
        if (r >= 0)
                r = remote_events_init(rc, flags, error);
        if (r >= 0)
                r = remote_conn_connect(rc, error);
        if (r < 0) {
                remote_conn_free(rc);
                return r;
        }
        /* the URI's ?timeout_ms= (or the default) until the application sets another */
        atomic_store(&conn->call_timeout_ms, rc->opts.call_timeout_ms);
        conn->priv = rc;
        return 0;
}

void remote_close(VmmConnect *conn)
{
        conn->priv = remote_conn_free(conn->priv);
}

bool remote_is_alive(VmmConnect *conn)
{
        RemoteConn *rc = conn->priv;
        bool alive;

        pthread_mutex_lock(&rc->lock);
        alive = rc->client && vmm_rpc_client_is_open(rc->client);
        pthread_mutex_unlock(&rc->lock);
        return alive;
}

/* Local sockets only: the daemon runs on this host. */
int remote_get_hostname(VmmConnect *conn, char **ret_hostname, VmmError *error)
{
        char buf[256];

        if (gethostname(buf, sizeof(buf)) < 0)
                return vmm_error_set_errno(error, -errno, "gethostname");
        buf[sizeof(buf) - 1] = '\0';
        *ret_hostname = strdup(buf);
        return *ret_hostname ? 0 : vmm_error_oom(error);
}

/* After a failed call on `client`: reconnects when nobody did yet.
 * Returns 1 when the call may be tried again. */
static int call_recover(RemoteConn *rc, VmmRpcClient *client, bool may_retry, int r,
                        VmmError *error)
{
        VmmError err = VMM_ERROR_INIT;
        int q = 1;

        if (!may_retry || r == -ETIMEDOUT || vmm_rpc_client_is_open(client))
                return 0;
        pthread_mutex_lock(&rc->lock);
        if (rc->client == client)
                q = remote_conn_connect(rc, &err);
        pthread_mutex_unlock(&rc->lock);
        if (q < 0) {
                /* say what the call met, then why reconnecting failed */
                vmm_error_prefix(&err, q, "%s; reconnecting: ", vmm_error_message(error));
                vmm_error_propagate(error, &err);
                return q;
        }
        vmm_log_debug("%s: connection to %s lost, retrying once", vmm_error_message(error),
                      rc->daemon_name);
        vmm_error_clear(error);
        return 1;
}

/* The new connection gets the event registrations before the call is
 * retried, so the events it causes reach them. A failure here does not
 * fail the call: the connection's event thread tries again. */
static void call_restore_events(RemoteConn *rc)
{
        VmmError err = VMM_ERROR_INIT;

        if (remote_events_restore(rc, &err) < 0) {
                vmm_log_debug("event registrations on %s not restored: %s", rc->daemon_name,
                              vmm_error_message(&err));
                vmm_error_clear(&err);
                remote_events_on_close(NULL, NULL, rc); /* the thread retries */
        }
}

int remote_call(VmmConnect *conn, const VmmRpcProgram *prog, uint32_t procedure,
                const ProtobufCMessage *request, ProtobufCMessage **ret_reply, VmmError *error)
{
        return remote_call_timeout(conn, prog, procedure, request,
                                   atomic_load(&conn->call_timeout_ms), ret_reply, error);
}

int remote_call_timeout(VmmConnect *conn, const VmmRpcProgram *prog, uint32_t procedure,
                        const ProtobufCMessage *request, int timeout_ms,
                        ProtobufCMessage **ret_reply, VmmError *error)
{
        const VmmRpcProc *proc = vmm_rpc_program_find(prog, procedure);
        RemoteConn *rc = conn->priv;
        ProtobufCMessage *reply = NULL;
        VmmRpcClient *client;
        bool used, was_open;
        int r;

        if (!proc)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s' has no procedure %u", prog->name, procedure);
        for (int attempt = 0;; attempt++) {
                pthread_mutex_lock(&rc->lock);
                client = rc->client;
                used = rc->client_used;
                pthread_mutex_unlock(&rc->lock);
                was_open = vmm_rpc_client_is_open(client);
                r = vmm_rpc_client_call(client, prog, procedure, request, timeout_ms, &reply,
                                        error);
                if (r >= 0)
                        break;
                /* A call the daemon cannot have acted on (the connection
                 * was already lost, or nothing ever came back on it: the
                 * daemon was idle-exiting as we connected), or one that
                 * changes nothing, is tried again once on a new connection. */
                int q = call_recover(rc, client,
                                     attempt == 0 && (!was_open || !used || proc->read_only), r,
                                     error);
                if (q < 0)
                        return q;
                if (q == 0)
                        return r;
                call_restore_events(rc);
        }
        pthread_mutex_lock(&rc->lock);
        if (rc->client == client)
                rc->client_used = true;
        pthread_mutex_unlock(&rc->lock);
        if (ret_reply)
                *ret_reply = reply;
        else if (reply)
                vmm_rpc_message_free(reply);
        return 0;
}
