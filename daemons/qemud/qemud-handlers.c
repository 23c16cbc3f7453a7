/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-handlers.c: vmm-qemud's handlers for the domain program
 * (libvmm/rpc/program-domain.c). Each decodes nothing itself (the skeleton
 * hands over the table's request message), asks the domain store, and
 * replies; failures return a negative errno with the message, which the
 * skeleton sends back unchanged. Lifecycle events go to the clients that
 * registered for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vmm/vmm-domain.h>

#include "qemud.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static void ref_fill(Vmm__DomainRef *ref, const VmmQemuDomain *dom)
{
        vmm__domain_ref__init(ref);
        ref->name = dom->name;
        ref->uuid.data = (uint8_t *)dom->uuid;
        ref->uuid.len = VMM_UUID_LEN;
        ref->has_id = true;
        ref->id = -1;
}

/* The domain a request names, by UUID (the handle's identity). */
static int resolve(Qemud *q, const Vmm__DomainRef *ref, VmmQemuDomain **ret_dom, VmmError *error)
{
        VmmQemuDomain *dom = NULL;

        if (!ref || ref->uuid.len != VMM_UUID_LEN)
                return vmm_error_set(error, -EINVAL, VMM_ERR_RPC,
                                     "domain reference: UUID has %zu bytes (expected 16)",
                                     ref ? ref->uuid.len : 0);
        dom = vmm_qemu_domains_find_by_uuid(q->store, ref->uuid.data);
        if (!dom) {
                char buf[VMM_UUID_STRLEN];
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "domain '%s' (UUID %s) is not defined", ref->name,
                                     vmm_uuid_format(ref->uuid.data, buf));
        }
        *ret_dom = dom;
        return 0;
}

static void emit_lifecycle(Qemud *q, const VmmQemuDomain *dom, uint32_t event, int32_t detail)
{
        Vmm__DomainLifecycleEvent ev = VMM__DOMAIN_LIFECYCLE_EVENT__INIT;
        Vmm__DomainRef ref;
        size_t kept = 0;

        ref_fill(&ref, dom);
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
                if (s->one_domain && memcmp(s->uuid, dom->uuid, VMM_UUID_LEN) != 0)
                        continue;
                ev.callback_id = s->id;
                if (vmm_daemon_client_send_event(s->client, &vmm_rpc_program_domain,
                                                 VMM_RPC_DOMAIN_EVENT_LIFECYCLE, &ev.base) < 0)
                        vmm_log_warning("domain '%s': cannot send lifecycle event to a client, "
                                        "ignoring",
                                        dom->name);
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

static void reply_lookup(VmmDaemonCall *call, const VmmQemuDomain *dom)
{
        Vmm__DomainLookupReply reply = VMM__DOMAIN_LOOKUP_REPLY__INIT;
        Vmm__DomainRef ref;

        ref_fill(&ref, dom);
        reply.dom = &ref;
        vmm_daemon_call_reply(call, &reply.base);
}

static int h_lookup_by_name(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainLookupByNameRequest *req = (const void *)request;
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_name(((Qemud *)userdata)->store, req->name);

        if (!dom)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "no domain named '%s'", req->name);
        reply_lookup(call, dom);
        return 0;
}

static int h_lookup_by_uuid(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainLookupByUuidRequest *req = (const void *)request;
        VmmQemuDomain *dom = NULL;
        char buf[VMM_UUID_STRLEN];

        if (req->uuid.len != VMM_UUID_LEN)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "lookup by UUID: %zu bytes given (expected 16)",
                                     req->uuid.len);
        dom = vmm_qemu_domains_find_by_uuid(((Qemud *)userdata)->store, req->uuid.data);
        if (!dom)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "no domain with UUID %s",
                                     vmm_uuid_format(req->uuid.data, buf));
        reply_lookup(call, dom);
        return 0;
}

static int h_lookup_by_id(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error)
{
        const Vmm__DomainLookupByIdRequest *req = (const void *)request;

        /* Nothing runs under this first cut, so no id names a domain. */
        return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no running domain with id %d",
                             req->id);
}

static int h_list_all(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainListAllRequest *req = (const void *)request;
        Vmm__DomainListAllReply reply = VMM__DOMAIN_LIST_ALL_REPLY__INIT;
        _cleanup_free_ VmmQemuDomain **doms = NULL;
        _cleanup_free_ Vmm__DomainRef *refs = NULL;
        _cleanup_free_ Vmm__DomainRef **ptrs = NULL;
        size_t n;
        int r;

        r = vmm_qemu_domains_list(((Qemud *)userdata)->store, req->has_flags ? req->flags : 0,
                                  &doms, &n, error);
        if (r < 0)
                return r;
        refs = calloc(n + 1, sizeof(*refs));
        ptrs = calloc(n + 1, sizeof(*ptrs));
        if (!refs || !ptrs)
                return vmm_error_oom(error);
        for (size_t i = 0; i < n; i++) {
                ref_fill(&refs[i], doms[i]);
                ptrs[i] = &refs[i];
        }
        reply.n_doms = n;
        reply.doms = ptrs;
        vmm_daemon_call_reply(call, &reply.base);
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
                ref_fill(&ref, dom);
                reply.dom = &ref;
                vmm_daemon_call_reply(dw->call, &reply.base);
                emit_lifecycle(dw->q, dom, QEMUD_EVENT_DEFINED,
                               updated ? QEMUD_EVENT_DEFINED_UPDATED : QEMUD_EVENT_DEFINED_ADDED);
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
                return vmm_error_set(error, r, VMM_ERR_INTERNAL, "define: cannot queue the "
                                     "write: %s", uv_strerror(r));
        }
        return VMM_DAEMON_REPLY_LATER;
}

static int h_undefine(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        Qemud *q = userdata;
        VmmQemuDomain *dom = NULL, copy;
        int r;

        r = resolve(q, req->dom, &dom, error);
        if (r < 0)
                return r;
        /* The event names the domain after the object is gone. */
        copy = *dom;
        copy.name = strdup(dom->name);
        if (!copy.name)
                return vmm_error_oom(error);
        r = vmm_qemu_domains_undefine(q->store, dom, error);
        if (r >= 0) {
                vmm_log_info("domain '%s' undefined", copy.name);
                vmm_daemon_call_reply(call, &empty.base);
                emit_lifecycle(q, &copy, QEMUD_EVENT_UNDEFINED, QEMUD_EVENT_UNDEFINED_REMOVED);
        }
        free(copy.name);
        return r;
}

static int h_get_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainGetXmlReply reply = VMM__DOMAIN_GET_XML_REPLY__INIT;
        _cleanup_free_ char *xml = NULL;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(userdata, req->dom, &dom, error);
        if (r >= 0)
                r = vmm_domain_def_format(dom->def, VMM_DOMAIN_DEF_INACTIVE, &xml, error);
        if (r < 0)
                return r;
        reply.xml = xml;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_get_info(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainGetInfoReply reply = VMM__DOMAIN_GET_INFO_REPLY__INIT;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(userdata, req->dom, &dom, error);
        if (r < 0)
                return r;
        reply.state = VMM_DOMAIN_SHUTOFF;
        reply.max_memory_kib = vmm_domain_def_get_memory_kib(dom->def);
        reply.memory_kib = vmm_domain_def_get_current_memory_kib(dom->def);
        reply.vcpus = vmm_domain_def_get_vcpus(dom->def);
        reply.cpu_time_ns = 0;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_get_state(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainGetStateReply reply = VMM__DOMAIN_GET_STATE_REPLY__INIT;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(userdata, req->dom, &dom, error);
        if (r < 0)
                return r;
        reply.state = VMM_DOMAIN_SHUTOFF;
        reply.reason = VMM_DOMAIN_SHUTOFF_UNKNOWN;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int reply_bool(VmmDaemonCall *call, const Vmm__DomainRef *ref, Qemud *q, int which,
                      VmmError *error)
{
        Vmm__DomainBoolReply reply = VMM__DOMAIN_BOOL_REPLY__INIT;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(q, ref, &dom, error);
        if (r < 0)
                return r;
        switch (which) {
        case VMM_RPC_DOMAIN_GET_AUTOSTART:
                reply.value = dom->autostart;
                break;
        case VMM_RPC_DOMAIN_IS_ACTIVE:
                reply.value = false;
                break;
        default: /* is-persistent: every domain here is defined */
                reply.value = true;
                break;
        }
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_bool(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                  VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;

        return reply_bool(call, req->dom, userdata, (int)vmm_daemon_call_proc(call)->number,
                          error);
}

static int h_set_autostart(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                           VmmError *error)
{
        const Vmm__DomainSetAutostartRequest *req = (const void *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        Qemud *q = userdata;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(q, req->dom, &dom, error);
        if (r >= 0)
                r = vmm_qemu_domains_set_autostart(q->store, dom, req->autostart, error);
        if (r < 0)
                return r;
        vmm_daemon_call_reply(call, &empty.base);
        return 0;
}

/* start, shutdown, destroy, suspend, resume, reboot, reset: the domain
 * must exist; running it is the QEMU driver's job, still to come. */
static int h_not_yet(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        const char *what = vmm_daemon_call_proc(call)->name;
        VmmQemuDomain *dom = NULL;
        int r;

        r = resolve(userdata, req->dom, &dom, error);
        if (r < 0)
                return r;
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "%s '%s': %s domains under vmm-qemud is not supported yet (QEMU "
                             "driver issue)",
                             what, dom->name,
                             strcmp(what, "start") == 0 ? "starting" : "running or stopping");
}

static int h_create_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                        VmmError *error)
{
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "create: starting domains under vmm-qemud is not supported yet "
                             "(QEMU driver issue)");
}

static int h_event_register(VmmDaemonCall *call, const ProtobufCMessage *request,
                            void *userdata, VmmError *error)
{
        const Vmm__DomainEventRegisterRequest *req = (const void *)request;
        Vmm__DomainEventRegisterReply reply = VMM__DOMAIN_EVENT_REGISTER_REPLY__INIT;
        Qemud *q = userdata;
        QemudSubscription *subs, *s;
        VmmQemuDomain *dom = NULL;
        int r;

        if (req->dom) {
                r = resolve(q, req->dom, &dom, error);
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
            .one_domain = dom != NULL,
        };
        if (dom)
                memcpy(s->uuid, dom->uuid, VMM_UUID_LEN);
        reply.callback_id = s->id;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int h_event_deregister(VmmDaemonCall *call, const ProtobufCMessage *request,
                              void *userdata, VmmError *error)
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
    [VMM_RPC_DOMAIN_GET_INFO - 1] = h_get_info,
    [VMM_RPC_DOMAIN_GET_STATE - 1] = h_get_state,
    [VMM_RPC_DOMAIN_START - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_SHUTDOWN - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_DESTROY - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_SUSPEND - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_RESUME - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_REBOOT - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_RESET - 1] = h_not_yet,
    [VMM_RPC_DOMAIN_GET_AUTOSTART - 1] = h_bool,
    [VMM_RPC_DOMAIN_SET_AUTOSTART - 1] = h_set_autostart,
    [VMM_RPC_DOMAIN_IS_ACTIVE - 1] = h_bool,
    [VMM_RPC_DOMAIN_IS_PERSISTENT - 1] = h_bool,
    [VMM_RPC_DOMAIN_CREATE_XML - 1] = h_create_xml,
    [VMM_RPC_DOMAIN_EVENT_REGISTER - 1] = h_event_register,
    [VMM_RPC_DOMAIN_EVENT_DEREGISTER - 1] = h_event_deregister,
    [VMM_RPC_DOMAIN_EVENT_LIFECYCLE - 1] = NULL,
};

const size_t qemud_n_domain_handlers = ARRAY_SIZE(qemud_domain_handlers);
