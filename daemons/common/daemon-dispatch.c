/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-dispatch.c: from a frame to a handler through the procedure
 * tables: program, version, procedure, read-only socket, calls in flight,
 * body decode; then replies, errors and events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon-internal.h"
#include "daemon-stream.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-rpc.pb-c.h"

static const DaemonProgram *find_program(VmmDaemon *d, uint32_t number)
{
        for (size_t i = 0; i < d->n_programs; i++)
                if (d->programs[i].table->number == number)
                        return &d->programs[i];
        return NULL;
}

static void program_names(VmmDaemon *d, char *buf, size_t size)
{
        size_t off = 0;

        buf[0] = 0;
        for (size_t i = 0; i < d->n_programs && off < size; i++)
                off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "",
                                        d->programs[i].table->name);
}

static void dispatch_keepalive(VmmDaemonClient *c, const VmmRpcHeader *h, const uint8_t *body,
                               size_t len)
{
        Vmm__RpcKeepalive *ping = NULL;
        Vmm__RpcKeepalive pong = VMM__RPC_KEEPALIVE__INIT;
        VmmRpcHeader out = *h;
        uint8_t *frame;
        size_t flen;

        if (h->procedure != VMM_RPC_CONTROL_PING)
                return;
        if (vmm_rpc_body_decode(body, len, &vmm__rpc_keepalive__descriptor, &c->daemon->opts.limits,
                                "ping", (ProtobufCMessage **)&ping, NULL) < 0) {
                daemon_client_send_error(c, h, -EBADMSG, VMM_ERR_RPC,
                                         "ping: body is not a valid RpcKeepalive message");
                return;
        }
        pong.has_nonce = ping->has_nonce;
        pong.nonce = ping->nonce;
        vmm_rpc_message_free(&ping->base);
        out.procedure = VMM_RPC_CONTROL_PONG;
        if (vmm_rpc_frame_encode(&out, &pong.base, NULL, "pong", &frame, &flen, NULL) >= 0)
                daemon_client_send(c, frame, flen);
}

static bool dispatch_access(VmmDaemonClient *c, const DaemonProgram *prog, const VmmRpcProc *proc,
                            const VmmRpcHeader *h)
{
        VmmDaemon *d = c->daemon;
        VmmError err = VMM_ERROR_INIT;
        int r;

        r = d->access_check(&c->id, prog->table, proc, d->access_userdata, &err);
        if (r >= 0)
                return true;
        daemon_client_send_error(c, h, r, err.kind ? err.kind : VMM_ERR_ACCESS_DENIED, "%s",
                                 err.message ? err.message : "access denied");
        vmm_log_info("%s: %s: '%s.%s' refused: %s", d->name, c->desc, prog->table->name, proc->name,
                     vmm_error_message(&err));
        vmm_error_clear(&err);
        return false;
}

/* Finds the program and procedure for a call, refusing what the client
 * may not call; returns NULL after sending the error reply. */
static const VmmRpcProc *dispatch_check(VmmDaemonClient *c, const VmmRpcHeader *h,
                                        const DaemonProgram **ret_prog)
{
        VmmDaemon *d = c->daemon;
        const DaemonProgram *prog = find_program(d, h->program);
        const VmmRpcProc *proc;
        unsigned limit;
        char names[256];

        if (!prog) {
                program_names(d, names, sizeof(names));
                daemon_client_send_error(c, h, -EPROTONOSUPPORT, VMM_ERR_RPC,
                                         "unknown program 0x%08x (%s serves: %s)", h->program,
                                         d->name, names);
                return NULL;
        }
        if (h->version != prog->table->version) {
                daemon_client_send_error(c, h, -EPROTONOSUPPORT, VMM_ERR_RPC,
                                         "program '%s' version %u is not supported (expected %u)",
                                         prog->table->name, h->version, prog->table->version);
                return NULL;
        }
        proc = vmm_rpc_program_find(prog->table, h->procedure);
        if (!proc || proc->kind != VMM_RPC_PROC_CALL) {
                daemon_client_send_error(
                    c, h, -ENOSYS, VMM_ERR_RPC, "program '%s' has no procedure %u%s%s%s",
                    prog->table->name, h->procedure, proc ? " that can be called ('" : "",
                    proc ? proc->name : "", proc ? "' is an event)" : "");
                return NULL;
        }
        if (c->id.read_only && !proc->read_only) {
                daemon_client_send_error(c, h, -EACCES, VMM_ERR_ACCESS_DENIED,
                                         "procedure '%s.%s' is not allowed on the read-only "
                                         "socket of %s (it needs '%s'; use the read-write "
                                         "socket)",
                                         prog->table->name, proc->name, d->name, proc->permission);
                return NULL;
        }
        if (d->access_check && !dispatch_access(c, prog, proc, h))
                return NULL;
        limit = d->opts.max_calls +
                (proc->priority == VMM_RPC_PRIORITY_HIGH ? DAEMON_HIGH_PRIORITY_RESERVE : 0);
        if (c->n_calls >= limit) {
                daemon_client_send_error(c, h, -EBUSY, VMM_ERR_RPC,
                                         "'%s.%s': %u calls already in flight on this "
                                         "connection (limit %u); wait for their replies",
                                         prog->table->name, proc->name, c->n_calls, limit);
                return NULL;
        }
        *ret_prog = prog;
        return proc;
}

static void call_free(VmmDaemonCall *call)
{
        VmmDaemonClient *c = call->client;

        c->n_calls--;
        if (c->daemon->stopping)
                daemon_client_drain(c);
        vmm_daemon_client_unref(c);
        free(call);
}

void daemon_dispatch_frame(VmmDaemonClient *c, const VmmRpcHeader *h, const uint8_t *body,
                           size_t len)
{
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *req = NULL;
        VmmError err = VMM_ERROR_INIT;
        const DaemonProgram *prog = NULL;
        const VmmRpcProc *proc;
        VmmDaemonCall *call;
        char what[160];
        int r;

        if (h->type == VMM_RPC_EVENT && h->program == VMM_RPC_PROGRAM_CONTROL) {
                dispatch_keepalive(c, h, body, len);
                return;
        }
        if (h->type == VMM_RPC_STREAM) {
                daemon_stream_dispatch(c, h, body, len); /* daemon-stream.c */
                return;
        }
        if (h->type != VMM_RPC_CALL) {
                daemon_client_send_error(c, h, -EPROTO, VMM_ERR_RPC,
                                         "a client may only send calls and stream frames "
                                         "(got a %s frame)",
                                         vmm_rpc_type_to_string(h->type));
                return;
        }
        proc = dispatch_check(c, h, &prog);
        if (!proc)
                return;
        vmm_rpc_describe(what, sizeof(what), "'", prog->table->name, proc->name, "' call");
        r = vmm_rpc_body_decode(body, len, proc->request, &c->daemon->opts.limits, what, &req,
                                &err);
        if (r < 0) {
                daemon_client_send_error(c, h, r, VMM_ERR_RPC, "%s", vmm_error_message(&err));
                vmm_error_clear(&err);
                return;
        }
        call = calloc(1, sizeof(*call));
        if (!call) {
                daemon_client_send_error(c, h, -ENOMEM, VMM_ERR_INTERNAL, "out of memory");
                return;
        }
        call->client = vmm_daemon_client_ref(c);
        call->program = prog;
        call->proc = proc;
        call->header = *h;
        call->in_handler = true;
        c->n_calls++;

        r = prog->handlers[proc->number - 1](call, req, prog->userdata, &err);
        if (r == VMM_DAEMON_REPLY_LATER && !call->replied) {
                call->in_handler = false; /* freed by its reply */
                return;
        }
        if (!call->replied) {
                if (r >= 0)
                        vmm_error_set(&err, -EIO, VMM_ERR_INTERNAL,
                                      "%s: the daemon's handler returned no reply", what);
                vmm_daemon_call_fail(call, &err);
        }
        vmm_error_clear(&err);
        call_free(call);
}

const VmmDaemonIdentity *vmm_daemon_call_identity(const VmmDaemonCall *call)
{
        return &call->client->id;
}

const VmmRpcProc *vmm_daemon_call_proc(const VmmDaemonCall *call)
{
        return call->proc;
}

VmmDaemonClient *vmm_daemon_call_client(const VmmDaemonCall *call)
{
        return call->client;
}

static void call_done(VmmDaemonCall *call)
{
        call->replied = true;
        if (!call->in_handler) {
                daemon_spin_reopen(call->client->daemon); /* daemon-spin.c */
                call_free(call);
        }
}

void vmm_daemon_call_reply(VmmDaemonCall *call, const ProtobufCMessage *reply)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h = call->header;
        uint8_t *frame;
        size_t len;
        char what[160];

        if (call->replied)
                return;
        vmm_rpc_describe(what, sizeof(what), "'", call->program->table->name, call->proc->name,
                         "' reply");
        if (!reply || reply->descriptor != call->proc->reply) {
                vmm_error_set(&err, -EIO, VMM_ERR_INTERNAL,
                              "%s: the daemon built a %s (expected %s)", what,
                              reply ? reply->descriptor->name : "NULL", call->proc->reply->name);
                vmm_log_error("%s: %s", call->client->daemon->name, vmm_error_message(&err));
                vmm_daemon_call_fail(call, &err);
                vmm_error_clear(&err);
                return;
        }
        h.type = VMM_RPC_REPLY;
        h.status = VMM_RPC_OK;
        if (vmm_rpc_frame_encode(&h, reply, &call->client->daemon->opts.limits, what, &frame, &len,
                                 &err) < 0) {
                vmm_daemon_call_fail(call, &err);
                vmm_error_clear(&err);
                return;
        }
        daemon_client_send(call->client, frame, len);
        call_done(call);
}

void vmm_daemon_call_fail(VmmDaemonCall *call, const VmmError *error)
{
        int code = error && error->code < 0 ? error->code : -EIO;
        VmmErrorKind kind = error && error->kind ? error->kind : VMM_ERR_INTERNAL;

        if (call->replied)
                return;
        daemon_client_send_error(call->client, &call->header, code, kind, "%s",
                                 error && error->message ? error->message : strerror(-code));
        call_done(call);
}

int vmm_daemon_client_send_event(VmmDaemonClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                                 const ProtobufCMessage *event)
{
        const VmmRpcProc *proc = vmm_rpc_program_find(prog, procedure);
        VmmRpcHeader h = {0};
        uint8_t *frame;
        size_t len;
        int r;

        if (!proc || proc->kind != VMM_RPC_PROC_EVENT || event->descriptor != proc->request)
                return -EINVAL;
        if (c->closing)
                return -ENOTCONN;
        h.program = prog->number;
        h.version = prog->version;
        h.procedure = procedure;
        h.type = VMM_RPC_EVENT;
        r = vmm_rpc_frame_encode(&h, event, &c->daemon->opts.limits, proc->name, &frame, &len,
                                 NULL);
        if (r < 0)
                return r;
        daemon_client_send(c, frame, len);
        return 0;
}

/* Control IDENTIFY: the proxy declares the identity of the client it
 * forwards. Accepted only on the read-write socket from a peer running as
 * root or as the daemon's own user. */
static int control_identify(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__RpcIdentity *id = (const Vmm__RpcIdentity *)request;
        VmmDaemonClient *c = call->client;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        if (c->id.read_only || c->id.forwarded || (c->id.uid != 0 && c->id.uid != geteuid()))
                return vmm_error_set(error, -EPERM, VMM_ERR_ACCESS_DENIED,
                                     "identify: only the proxy may declare an identity "
                                     "(caller uid %u)",
                                     (unsigned)c->id.uid);
        if (!id->has_uid || !id->has_gid)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "identify: uid and gid are required");
        c->id.uid = id->uid;
        c->id.gid = id->gid;
        c->id.pid = id->has_pid ? id->pid : 0;
        c->id.read_only = id->has_read_only && id->read_only;
        c->id.forwarded = true;
        snprintf(c->desc, sizeof(c->desc), "forwarded client pid %d uid %u%s", (int)c->id.pid,
                 (unsigned)c->id.uid, c->id.read_only ? " (read-only)" : "");
        vmm_daemon_call_reply(call, &empty.base);
        return 0;
}

const VmmDaemonHandler daemon_control_handlers[3] = {
    [VMM_RPC_CONTROL_PING - 1] = NULL,
    [VMM_RPC_CONTROL_PONG - 1] = NULL,
    [VMM_RPC_CONTROL_IDENTIFY - 1] = control_identify,
};
