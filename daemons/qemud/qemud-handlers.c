/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-handlers.c: vmm-qemud's handlers for the domain program
 * (libvmm/rpc/program-domain.c): lookups, listing, definitions, XML, state
 * and event subscriptions (start, create and the operations on running
 * domains are in qemud-lifecycle.c). Each decodes nothing itself (the
 * skeleton hands over the table's request message), asks the qemu driver
 * (qemu-driver.h), and replies; failures return a negative errno with the message, which the
 * skeleton sends back unchanged. Lifecycle events go to the clients that
 * registered for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vmm/vmm-domain.h>
#include <vmm/vmm-event.h>

#include "qemud.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

void qemud_ref_fill(Vmm__DomainRef *ref, const VmmQemuDriverDomain *d)
{
        vmm__domain_ref__init(ref);
        ref->name = (char *)d->name;
        ref->uuid.data = (uint8_t *)d->uuid;
        ref->uuid.len = VMM_UUID_LEN;
        ref->has_id = true;
        ref->id = d->id;
}

int qemud_resolve(Qemud *q, const Vmm__DomainRef *ref, VmmQemuDriverDomain *ret, VmmError *error)
{
        char buf[VMM_UUID_STRLEN];

        if (!ref || ref->uuid.len != VMM_UUID_LEN)
                return vmm_error_set(error, -EINVAL, VMM_ERR_RPC,
                                     "domain reference: UUID has %zu bytes (expected 16)",
                                     ref ? ref->uuid.len : 0);
        if (vmm_qemu_driver_find_uuid(q->drv, ref->uuid.data, ret, NULL) < 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "domain '%s' (UUID %s) does not exist", ref->name,
                                     vmm_uuid_format(ref->uuid.data, buf));
        return 0;
}

void qemud_emit(Qemud *q, const char *name, const uint8_t uuid[VMM_UUID_LEN], int id,
                uint32_t event, int32_t detail)
{
        Vmm__DomainLifecycleEvent ev = VMM__DOMAIN_LIFECYCLE_EVENT__INIT;
        Vmm__DomainRef ref;
        size_t kept = 0;

        qemud_list_invalidate(q); /* every change of the list is an event */
        vmm__domain_ref__init(&ref);
        ref.name = (char *)name;
        ref.uuid.data = (uint8_t *)uuid;
        ref.uuid.len = VMM_UUID_LEN;
        ref.has_id = true;
        ref.id = id;
        ev.dom = &ref;
        ev.event = event;
        ev.detail = detail;
        for (size_t i = 0; i < q->n_subs; i++) {
                QemudSubscription *s = &q->subs[i];

                if (!vmm_daemon_client_is_open(s->client)) {
                        vmm_daemon_client_unref(s->client);
                        continue;
                }
                q->subs[kept++] = *s;
                if (s->one_domain && memcmp(s->uuid, uuid, VMM_UUID_LEN) != 0)
                        continue;
                ev.callback_id = s->id;
                if (vmm_daemon_client_send_event(s->client, &vmm_rpc_program_domain,
                                                 VMM_RPC_DOMAIN_EVENT_LIFECYCLE, &ev.base) < 0)
                        vmm_log_warning("domain '%s': cannot send lifecycle event to a client, "
                                        "ignoring",
                                        name);
        }
        q->n_subs = kept;
}

void qemud_subscriptions_clear(Qemud *q)
{
        for (size_t i = 0; i < q->n_subs; i++)
                vmm_daemon_client_unref(q->subs[i].client);
        free(q->subs);
        q->subs = NULL;
        q->n_subs = 0;
}

static void reply_lookup(VmmDaemonCall *call, const VmmQemuDriverDomain *d)
{
        Vmm__DomainLookupReply reply = VMM__DOMAIN_LOOKUP_REPLY__INIT;
        Vmm__DomainRef ref;

        qemud_ref_fill(&ref, d);
        reply.dom = &ref;
        vmm_daemon_call_reply(call, &reply.base);
}

static int h_lookup_by_name(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainLookupByNameRequest *req = (const void *)request;
        VmmQemuDriverDomain d;
        int r = vmm_qemu_driver_find_name(((Qemud *)userdata)->drv, req->name, &d, error);

        if (r < 0)
                return r;
        reply_lookup(call, &d);
        return 0;
}

static int h_lookup_by_uuid(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainLookupByUuidRequest *req = (const void *)request;
        VmmQemuDriverDomain d;
        int r;

        if (req->uuid.len != VMM_UUID_LEN)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "lookup by UUID: %zu bytes given (expected 16)",
                                     req->uuid.len);
        r = vmm_qemu_driver_find_uuid(((Qemud *)userdata)->drv, req->uuid.data, &d, error);
        if (r < 0)
                return r;
        reply_lookup(call, &d);
        return 0;
}

static int h_lookup_by_id(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error)
{
        const Vmm__DomainLookupByIdRequest *req = (const void *)request;
        VmmQemuDriverDomain d;
        int r = vmm_qemu_driver_find_id(((Qemud *)userdata)->drv, req->id, &d, error);

        if (r < 0)
                return r;
        reply_lookup(call, &d);
        return 0;
}

static int h_list_all(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainListAllRequest *req = (const void *)request;
        const Vmm__DomainListAllReply *reply = NULL;
        int r;

        r = qemud_list_reply(userdata, req->has_flags ? req->flags : 0, &reply, error);
        if (r < 0)
                return r;
        vmm_daemon_call_reply(call, &reply->base);
        return 0;
}

/* A define in flight: the durable write runs on libuv's thread pool. */
typedef struct DefineWork {
        uv_work_t work;
        VmmDaemonCall *call;
        VmmQemuDefine *op;
        Qemud *q;
} DefineWork;

static void define_work(uv_work_t *w)
{
        vmm_qemu_define_write(((DefineWork *)w->data)->op);
}

static void define_done(uv_work_t *w, int status)
{
        Vmm__DomainDefineXmlReply reply = VMM__DOMAIN_DEFINE_XML_REPLY__INIT;
        DefineWork *dw = w->data;
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        VmmQemuDriverDomain d;
        Vmm__DomainRef ref;
        bool updated = false;
        int r;

        if (status < 0)
                r = vmm_error_set(&err, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                  "define: cancelled, the daemon is stopping");
        else
                r = vmm_qemu_domains_define_commit(dw->q->store, dw->op, &dom, &updated, &err);
        vmm_qemu_define_free(dw->q->store, dw->op);
        if (r < 0) {
                vmm_log_error("%s", vmm_error_message(&err));
                vmm_daemon_call_fail(dw->call, &err);
        } else {
                vmm_log_info("domain '%s' %s (UUID %s)", dom->name,
                             updated ? "redefined" : "defined", dom->uuid_str);
                vmm_qemu_driver_find_uuid(dw->q->drv, dom->uuid, &d, NULL);
                qemud_ref_fill(&ref, &d);
                reply.dom = &ref;
                vmm_daemon_call_reply(dw->call, &reply.base);
                qemud_emit(dw->q, d.name, d.uuid, d.id, VMM_DOMAIN_EVENT_DEFINED,
                           updated ? VMM_DOMAIN_EVENT_DEFINED_UPDATED
                                   : VMM_DOMAIN_EVENT_DEFINED_ADDED);
        }
        vmm_error_clear(&err);
        free(dw);
}

static int h_define_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                        VmmError *error)
{
        const Vmm__DomainDefineXmlRequest *req = (const void *)request;
        Qemud *q = userdata;
        DefineWork *dw;
        int r;

        r = vmm_qemu_driver_check_define(q->drv, req->xml, error);
        if (r < 0)
                return r;
        dw = calloc(1, sizeof(*dw));
        if (!dw)
                return vmm_error_oom(error);
        r = vmm_qemu_domains_define_prepare(q->store, req->xml, req->has_flags ? req->flags : 0,
                                            &dw->op, error);
        if (r < 0) {
                free(dw);
                return r;
        }
        dw->call = call;
        dw->q = q;
        dw->work.data = dw;
        r = uv_queue_work(vmm_daemon_loop(q->daemon), &dw->work, define_work, define_done);
        if (r < 0) {
                vmm_qemu_define_free(q->store, dw->op);
                free(dw);
                return vmm_error_set(error, r, VMM_ERR_INTERNAL,
                                     "define: cannot queue the "
                                     "write: %s",
                                     uv_strerror(r));
        }
        return VMM_DAEMON_REPLY_LATER;
}

/* An undefine or autostart change in flight: the durable write runs on
 * libuv's thread pool (the name and UUID stay busy until it is
 * committed). */
typedef struct ChangeWork {
        uv_work_t work;
        VmmDaemonCall *call;
        VmmQemuChange *op;
        Qemud *q;
        bool undefine;
        char *name; /* the event names the domain after the object is gone */
        uint8_t uuid[VMM_UUID_LEN];
        int id;
} ChangeWork;

static void change_work(uv_work_t *w)
{
        vmm_qemu_change_write(((ChangeWork *)w->data)->op);
}

static void change_free(ChangeWork *cw)
{
        vmm_qemu_change_free(cw->q->store, cw->op);
        free(cw->name);
        free(cw);
}

static void undefine_committed(ChangeWork *cw)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmQemuDriverDomain d;

        vmm_qemu_driver_forget(cw->q->drv, cw->uuid);
        vmm_log_info("domain '%s' undefined%s", cw->name,
                     vmm_qemu_driver_find_uuid(cw->q->drv, cw->uuid, &d, NULL) >= 0 && d.proc
                         ? " (it keeps running, as a transient domain)"
                         : "");
        vmm_daemon_call_reply(cw->call, &empty.base);
        qemud_emit(cw->q, cw->name, cw->uuid, cw->id, VMM_DOMAIN_EVENT_UNDEFINED,
                   VMM_DOMAIN_EVENT_UNDEFINED_REMOVED);
}

static void change_done(uv_work_t *w, int status)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        ChangeWork *cw = w->data;
        VmmError err = VMM_ERROR_INIT;
        int r;

        if (status < 0)
                r = vmm_error_set(&err, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                  "%s '%s': cancelled, the daemon is stopping",
                                  cw->undefine ? "undefine" : "autostart", cw->name);
        else
                r = vmm_qemu_domains_change_commit(cw->q->store, cw->op, &err);
        if (r < 0) {
                vmm_log_error("%s", vmm_error_message(&err));
                vmm_daemon_call_fail(cw->call, &err);
        } else if (cw->undefine) {
                undefine_committed(cw);
        } else {
                vmm_daemon_call_reply(cw->call, &empty.base);
        }
        vmm_error_clear(&err);
        change_free(cw);
}

static ChangeWork *change_new(Qemud *q, VmmDaemonCall *call, const VmmQemuDriverDomain *d,
                              bool undefine, VmmError *error)
{
        ChangeWork *cw = calloc(1, sizeof(*cw));

        if (!cw || !(cw->name = strdup(d->name))) {
                free(cw);
                vmm_error_oom(error);
                return NULL;
        }
        memcpy(cw->uuid, d->uuid, VMM_UUID_LEN);
        cw->id = d->id;
        cw->call = call;
        cw->q = q;
        cw->undefine = undefine;
        cw->work.data = cw;
        return cw;
}

/* Queues a prepared change (and frees it when that fails). */
static int change_queue(ChangeWork *cw, VmmError *error)
{
        int r = uv_queue_work(vmm_daemon_loop(cw->q->daemon), &cw->work, change_work, change_done);

        if (r < 0) {
                vmm_error_set(error, r, VMM_ERR_INTERNAL, "%s '%s': cannot queue the write: %s",
                              cw->undefine ? "undefine" : "autostart", cw->name, uv_strerror(r));
                change_free(cw);
                return r;
        }
        return VMM_DAEMON_REPLY_LATER;
}

static int h_undefine(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        ChangeWork *cw;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r < 0)
                return r;
        if (!d.persistent)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "undefine domain '%s': the domain is transient (it has no "
                                     "definition to remove; destroy it instead)",
                                     d.name);
        cw = change_new(q, call, &d, true, error);
        if (!cw)
                return -ENOMEM;
        /* the name is busy first, so a refused undefine removes nothing */
        r = vmm_qemu_domains_undefine_prepare(q->store, d.persistent, &cw->op, error);
        if (r >= 0)
                r = vmm_qemu_driver_undefine_check(q->drv, &d, req->has_flags ? req->flags : 0,
                                                   error);
        if (r < 0) {
                change_free(cw);
                return r;
        }
        return change_queue(cw, error);
}

static int h_get_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainGetXmlReply reply = VMM__DOMAIN_GET_XML_REPLY__INIT;
        _cleanup_free_ char *xml = NULL;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_get_xml(q->drv, &d, req->has_flags ? req->flags : 0, &xml,
                                            error);
        if (r < 0)
                return r;
        reply.xml = xml;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_get_state(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainGetStateReply reply = VMM__DOMAIN_GET_STATE_REPLY__INIT;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r, reason = 0;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r < 0)
                return r;
        reply.state = vmm_qemu_driver_state(q->drv, &d, &reason);
        reply.reason = reason;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_bool(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                  VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainBoolReply reply = VMM__DOMAIN_BOOL_REPLY__INIT;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(userdata, req->dom, &d, error);
        if (r < 0)
                return r;
        switch (vmm_daemon_call_proc(call)->number) {
        case VMM_RPC_DOMAIN_GET_AUTOSTART:
                reply.value = d.persistent && d.persistent->autostart;
                break;
        case VMM_RPC_DOMAIN_IS_ACTIVE:
                reply.value = d.proc != NULL;
                break;
        default: /* is-persistent */
                reply.value = d.persistent != NULL;
                break;
        }
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_set_autostart(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                           VmmError *error)
{
        const Vmm__DomainSetAutostartRequest *req = (const void *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        ChangeWork *cw;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r < 0)
                return r;
        if (!d.persistent)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "autostart domain '%s': the domain is transient (define it "
                                     "first)",
                                     d.name);
        cw = change_new(q, call, &d, false, error);
        if (!cw)
                return -ENOMEM;
        r = vmm_qemu_domains_autostart_prepare(q->store, d.persistent, req->autostart, &cw->op,
                                               error);
        if (r < 0 || !cw->op) {
                change_free(cw);
                if (r >= 0)
                        vmm_daemon_call_reply(call, &empty.base); /* already so */
                return r;
        }
        return change_queue(cw, error);
}

static int h_event_register(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainEventRegisterRequest *req = (const void *)request;
        Vmm__DomainEventRegisterReply reply = VMM__DOMAIN_EVENT_REGISTER_REPLY__INIT;
        Qemud *q = userdata;
        QemudSubscription *subs, *s;
        VmmQemuDriverDomain d;
        bool one = req->dom != NULL;
        int r;

        if (one) {
                r = qemud_resolve(q, req->dom, &d, error);
                if (r < 0)
                        return r;
        }
        subs = realloc(q->subs, (q->n_subs + 1) * sizeof(*subs));
        if (!subs)
                return vmm_error_oom(error);
        q->subs = subs;
        s = &subs[q->n_subs++];
        *s = (QemudSubscription){
            .client = vmm_daemon_client_ref(vmm_daemon_call_client(call)),
            .id = ++q->next_sub_id,
            .one_domain = one,
        };
        if (one)
                memcpy(s->uuid, d.uuid, VMM_UUID_LEN);
        reply.callback_id = s->id;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_event_deregister(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                              VmmError *error)
{
        const Vmm__DomainEventDeregisterRequest *req = (const void *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmDaemonClient *client = vmm_daemon_call_client(call);
        Qemud *q = userdata;

        for (size_t i = 0; i < q->n_subs; i++) {
                if (q->subs[i].id != req->callback_id || q->subs[i].client != client)
                        continue;
                vmm_daemon_client_unref(q->subs[i].client);
                q->subs[i] = q->subs[--q->n_subs];
                vmm_daemon_call_reply(call, &empty.base);
                return 0;
        }
        return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                             "event callback %u is not registered on this connection",
                             req->callback_id);
}

const VmmDaemonHandler qemud_domain_handlers[] = {
    [VMM_RPC_DOMAIN_LOOKUP_BY_NAME - 1] = h_lookup_by_name,
    [VMM_RPC_DOMAIN_LOOKUP_BY_UUID - 1] = h_lookup_by_uuid,
    [VMM_RPC_DOMAIN_LOOKUP_BY_ID - 1] = h_lookup_by_id,
    [VMM_RPC_DOMAIN_LIST_ALL - 1] = h_list_all,
    [VMM_RPC_DOMAIN_DEFINE_XML - 1] = h_define_xml,
    [VMM_RPC_DOMAIN_UNDEFINE - 1] = h_undefine,
    [VMM_RPC_DOMAIN_GET_XML - 1] = h_get_xml,
    [VMM_RPC_DOMAIN_GET_INFO - 1] = qemud_h_get_info,
    [VMM_RPC_DOMAIN_GET_STATE - 1] = h_get_state,
    [VMM_RPC_DOMAIN_START - 1] = qemud_h_start,
    [VMM_RPC_DOMAIN_SHUTDOWN - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_DESTROY - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_SUSPEND - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_RESUME - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_REBOOT - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_RESET - 1] = qemud_h_op,
    [VMM_RPC_DOMAIN_GET_AUTOSTART - 1] = h_bool,
    [VMM_RPC_DOMAIN_SET_AUTOSTART - 1] = h_set_autostart,
    [VMM_RPC_DOMAIN_IS_ACTIVE - 1] = h_bool,
    [VMM_RPC_DOMAIN_IS_PERSISTENT - 1] = h_bool,
    [VMM_RPC_DOMAIN_CREATE_XML - 1] = qemud_h_create_xml,
    [VMM_RPC_DOMAIN_EVENT_REGISTER - 1] = h_event_register,
    [VMM_RPC_DOMAIN_EVENT_DEREGISTER - 1] = h_event_deregister,
    [VMM_RPC_DOMAIN_EVENT_LIFECYCLE - 1] = NULL,
    [VMM_RPC_DOMAIN_SET_MEMORY - 1] = qemud_h_set_memory,
    [VMM_RPC_DOMAIN_GET_STATS - 1] = qemud_h_get_stats,
    [VMM_RPC_DOMAIN_QEMU_MONITOR_COMMAND - 1] = qemud_h_monitor_command,
    [VMM_RPC_DOMAIN_SAVE - 1] = qemud_h_save,
    [VMM_RPC_DOMAIN_RESTORE - 1] = qemud_h_restore,
    [VMM_RPC_DOMAIN_MANAGED_SAVE - 1] = qemud_h_managed_save,
    [VMM_RPC_DOMAIN_HAS_MANAGED_SAVE - 1] = qemud_h_has_managed_save,
    [VMM_RPC_DOMAIN_MANAGED_SAVE_REMOVE - 1] = qemud_h_managed_save_remove,
    [VMM_RPC_DOMAIN_OPEN_CONSOLE - 1] = qemud_h_open_console,
    [VMM_RPC_DOMAIN_ATTACH_DEVICE - 1] = qemud_h_attach_device,
    [VMM_RPC_DOMAIN_DETACH_DEVICE - 1] = qemud_h_detach_device,
    [VMM_RPC_DOMAIN_GET_VERSION - 1] = qemud_h_get_version,
};

const size_t qemud_n_domain_handlers = ARRAY_SIZE(qemud_domain_handlers);
