/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-stream.c: the remote driver's streams: open-console opens an RPC
 * stream on the connection's current client (rpc/client.h); the stream
 * entries pass through to it. A stream does not survive its connection:
 * when the daemon goes, recv returns the loss, and the application opens
 * a new console (the retired client stays allocated until the connection
 * closes, and the stream holds a reference on that).
 */
#include <errno.h>
#include <stdlib.h>

#include "driver/stream.h"
#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"

/* The current client, reconnected when it was lost. */
static int stream_client(RemoteConn *rc, VmmRpcClient **ret_client, VmmError *error)
{
        int r = 0;

        pthread_mutex_lock(&rc->lock);
        if (!rc->client || !vmm_rpc_client_is_open(rc->client))
                r = remote_conn_connect(rc, error);
        *ret_client = rc->client;
        pthread_mutex_unlock(&rc->lock);
        return r;
}

int remote_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                               unsigned int flags, VmmError *error)
{
        Vmm__DomainOpenConsoleRequest req = VMM__DOMAIN_OPEN_CONSOLE_REQUEST__INIT;
        Vmm__DomainRef ref = VMM__DOMAIN_REF__INIT;
        VmmRpcStream *rs = NULL;
        VmmRpcClient *client;
        int r;

        r = stream_client(dom->conn->priv, &client, error);
        if (r < 0)
                return r;
        ref.name = dom->name;
        ref.uuid.data = dom->uuid;
        ref.uuid.len = VMM_UUID_BUFLEN;
        ref.has_id = true;
        ref.id = dom->id;
        req.dom = &ref;
        req.dev_name = (char *)dev_name;
        req.has_flags = flags != 0;
        req.flags = flags;
        r = vmm_rpc_client_open_stream(client, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_OPEN_CONSOLE,
                                       &req.base, remote_domain_timeout(dom), &rs, error);
        if (r < 0)
                return r;
        pthread_mutex_lock(&st->lock);
        st->priv = rs;
        pthread_mutex_unlock(&st->lock);
        return 0;
}

int remote_stream_send(VmmStream *st, const void *buf, size_t len, VmmError *error)
{
        return vmm_rpc_stream_send(st->priv, buf, len, error);
}

int remote_stream_recv(VmmStream *st, void *buf, size_t len, int timeout_ms, VmmError *error)
{
        return vmm_rpc_stream_recv(st->priv, buf, len, timeout_ms, error);
}

int remote_stream_finish(VmmStream *st, VmmError *error)
{
        return vmm_rpc_stream_finish(st->priv, error);
}

int remote_stream_abort(VmmStream *st, VmmError *error)
{
        return vmm_rpc_stream_abort(st->priv, "aborted by the application", error);
}

int remote_stream_event_fd(VmmStream *st, VmmError *error)
{
        int fd = vmm_rpc_stream_event_fd(st->priv);

        if (fd < 0)
                return vmm_error_set(error, fd, VMM_ERR_INTERNAL, "stream has no event fd");
        return fd;
}

void remote_stream_release(VmmStream *st)
{
        st->priv = vmm_rpc_stream_free(st->priv);
}
