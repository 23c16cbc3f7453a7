/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-domain.c: the remote driver's domain entries and its vtable.
 * Each entry fills the request message its procedure's table entry names
 * (most are the common DomainRequest: the handle and flags) and goes
 * through remote_call(); there is no per-procedure wire code here, so the
 * client cannot drift from the daemon's table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain.h"
#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

#define _cleanup_reply_ _cleanup_(vmm_rpc_message_freep)

static int call(VmmConnect *conn, uint32_t procedure, const ProtobufCMessage *request,
                ProtobufCMessage **ret_reply, VmmError *error)
{
        return remote_call(conn, &vmm_rpc_program_domain, procedure, request, ret_reply, error);
}

static void ref_from_handle(Vmm__DomainRef *ref, VmmDomain *dom)
{
        vmm__domain_ref__init(ref);
        ref->name = dom->name;
        ref->uuid.data = dom->uuid;
        ref->uuid.len = VMM_UUID_BUFLEN;
        ref->has_id = true;
        ref->id = dom->id;
}

static int handle_from_ref(VmmConnect *conn, const Vmm__DomainRef *ref, VmmDomain **ret_dom,
                           VmmError *error)
{
        VmmDomain *dom;

        if (!ref || !ref->name || ref->uuid.len != VMM_UUID_BUFLEN)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "daemon sent a domain reference without a name or with a "
                                     "%zu-byte UUID (expected 16)",
                                     ref ? ref->uuid.len : 0);
        dom = vmm_domain_handle_new(conn, ref->name, ref->uuid.data, ref->has_id ? ref->id : -1);
        if (!dom)
                return vmm_error_oom(error);
        *ret_dom = dom;
        return 0;
}

/* Calls a procedure whose request is DomainRequest. */
static int dom_call(VmmDomain *dom, uint32_t procedure, unsigned int flags,
                    ProtobufCMessage **ret_reply, VmmError *error)
{
        Vmm__DomainRequest req = VMM__DOMAIN_REQUEST__INIT;
        Vmm__DomainRef ref;

        ref_from_handle(&ref, dom);
        req.dom = &ref;
        req.has_flags = flags != 0;
        req.flags = flags;
        return remote_call_timeout(dom->conn, &vmm_rpc_program_domain, procedure, &req.base,
                                   remote_domain_timeout(dom), ret_reply, error);
}

/* Calls a procedure whose reply is DomainLookupReply or DomainDefineXmlReply
 * (both: one DomainRef, field 1) and makes the handle. */
static int call_for_handle(VmmConnect *conn, uint32_t procedure, const ProtobufCMessage *request,
                           VmmDomain **ret_dom, VmmError *error)
{
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        const Vmm__DomainRef *ref;
        int r;

        r = call(conn, procedure, request, &reply, error);
        if (r < 0)
                return r;
        if (reply->descriptor == &vmm__domain_lookup_reply__descriptor)
                ref = ((Vmm__DomainLookupReply *)reply)->dom;
        else
                ref = ((Vmm__DomainDefineXmlReply *)reply)->dom;
        return handle_from_ref(conn, ref, ret_dom, error);
}

static int r_lookup_by_name(VmmConnect *conn, const char *name, VmmDomain **ret_dom,
                            VmmError *error)
{
        Vmm__DomainLookupByNameRequest req = VMM__DOMAIN_LOOKUP_BY_NAME_REQUEST__INIT;

        req.name = (char *)name;
        return call_for_handle(conn, VMM_RPC_DOMAIN_LOOKUP_BY_NAME, &req.base, ret_dom, error);
}

static int r_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                            VmmDomain **ret_dom, VmmError *error)
{
        Vmm__DomainLookupByUuidRequest req = VMM__DOMAIN_LOOKUP_BY_UUID_REQUEST__INIT;

        req.uuid.data = (uint8_t *)uuid;
        req.uuid.len = VMM_UUID_BUFLEN;
        return call_for_handle(conn, VMM_RPC_DOMAIN_LOOKUP_BY_UUID, &req.base, ret_dom, error);
}

static int r_lookup_by_id(VmmConnect *conn, int id, VmmDomain **ret_dom, VmmError *error)
{
        Vmm__DomainLookupByIdRequest req = VMM__DOMAIN_LOOKUP_BY_ID_REQUEST__INIT;

        req.id = id;
        return call_for_handle(conn, VMM_RPC_DOMAIN_LOOKUP_BY_ID, &req.base, ret_dom, error);
}

static int r_define_or_create(VmmConnect *conn, uint32_t procedure, const char *xml,
                              unsigned int flags, VmmDomain **ret_dom, VmmError *error)
{
        Vmm__DomainDefineXmlRequest req = VMM__DOMAIN_DEFINE_XML_REQUEST__INIT;

        req.xml = (char *)xml;
        req.has_flags = flags != 0;
        req.flags = flags;
        return call_for_handle(conn, procedure, &req.base, ret_dom, error);
}

static int r_define_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                        VmmDomain **ret_dom, VmmError *error)
{
        return r_define_or_create(conn, VMM_RPC_DOMAIN_DEFINE_XML, xml, flags, ret_dom, error);
}

static int r_create_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                        VmmDomain **ret_dom, VmmError *error)
{
        return r_define_or_create(conn, VMM_RPC_DOMAIN_CREATE_XML, xml, flags, ret_dom, error);
}

static int r_list_all(VmmConnect *conn, unsigned int flags, VmmDomain ***ret_doms,
                      size_t *ret_count, VmmError *error)
{
        Vmm__DomainListAllRequest req = VMM__DOMAIN_LIST_ALL_REQUEST__INIT;
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        const Vmm__DomainListAllReply *list;
        VmmDomain **doms;
        int r;

        req.has_flags = flags != 0;
        req.flags = flags;
        r = call(conn, VMM_RPC_DOMAIN_LIST_ALL, &req.base, &reply, error);
        if (r < 0)
                return r;
        list = (const Vmm__DomainListAllReply *)reply;
        doms = calloc(list->n_doms + 1, sizeof(*doms));
        if (!doms)
                return vmm_error_oom(error);
        for (size_t i = 0; i < list->n_doms; i++) {
                r = handle_from_ref(conn, list->doms[i], &doms[i], error);
                if (r < 0) {
                        for (size_t j = 0; j < i; j++)
                                vmm_domain_unref(doms[j]);
                        free(doms);
                        return r;
                }
        }
        *ret_doms = doms;
        *ret_count = list->n_doms;
        return 0;
}

/* The entries that send the handle and flags and get nothing back. */
static int r_undefine(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_UNDEFINE, flags, NULL, error);
}

static int r_start(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_START, flags, NULL, error);
}

static int r_shutdown(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_SHUTDOWN, flags, NULL, error);
}

static int r_destroy(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_DESTROY, flags, NULL, error);
}

static int r_suspend(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_SUSPEND, flags, NULL, error);
}

static int r_resume(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_RESUME, flags, NULL, error);
}

static int r_reboot(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_REBOOT, flags, NULL, error);
}

static int r_reset(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return dom_call(dom, VMM_RPC_DOMAIN_RESET, flags, NULL, error);
}

static int r_get_xml(VmmDomain *dom, unsigned int flags, char **ret_xml, VmmError *error)
{
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        char *xml;
        int r;

        r = dom_call(dom, VMM_RPC_DOMAIN_GET_XML, flags, &reply, error);
        if (r < 0)
                return r;
        xml = strdup(((Vmm__DomainGetXmlReply *)reply)->xml);
        if (!xml)
                return vmm_error_oom(error);
        *ret_xml = xml;
        return 0;
}

static int r_get_info(VmmDomain *dom, VmmDomainInfo *ret_info, VmmError *error)
{
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        const Vmm__DomainGetInfoReply *info;
        int r;

        r = dom_call(dom, VMM_RPC_DOMAIN_GET_INFO, 0, &reply, error);
        if (r < 0)
                return r;
        info = (const Vmm__DomainGetInfoReply *)reply;
        ret_info->state = info->state < _VMM_DOMAIN_STATE_MAX ? (VmmDomainState)info->state
                                                              : VMM_DOMAIN_NOSTATE;
        ret_info->max_memory_kib = info->max_memory_kib;
        ret_info->memory_kib = info->memory_kib;
        ret_info->vcpus = info->vcpus;
        ret_info->cpu_time_ns = info->cpu_time_ns;
        return 0;
}

static int r_get_state(VmmDomain *dom, VmmDomainState *ret_state, int *ret_reason,
                       VmmError *error)
{
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        const Vmm__DomainGetStateReply *st;
        int r;

        r = dom_call(dom, VMM_RPC_DOMAIN_GET_STATE, 0, &reply, error);
        if (r < 0)
                return r;
        st = (const Vmm__DomainGetStateReply *)reply;
        *ret_state = st->state < _VMM_DOMAIN_STATE_MAX ? (VmmDomainState)st->state
                                                       : VMM_DOMAIN_NOSTATE;
        if (ret_reason)
                *ret_reason = st->reason;
        return 0;
}

/* The id now (the handle's may be stale): a lookup by UUID. */
static int r_get_id(VmmDomain *dom, int *ret_id, VmmError *error)
{
        Vmm__DomainLookupByUuidRequest req = VMM__DOMAIN_LOOKUP_BY_UUID_REQUEST__INIT;
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        const Vmm__DomainRef *ref;
        int r;

        req.uuid.data = dom->uuid;
        req.uuid.len = VMM_UUID_BUFLEN;
        r = remote_call_timeout(dom->conn, &vmm_rpc_program_domain,
                                VMM_RPC_DOMAIN_LOOKUP_BY_UUID, &req.base,
                                remote_domain_timeout(dom), &reply, error);
        if (r < 0)
                return r;
        ref = ((Vmm__DomainLookupReply *)reply)->dom;
        *ret_id = ref && ref->has_id ? ref->id : -1;
        return 0;
}

static int dom_bool(VmmDomain *dom, uint32_t procedure, bool *ret_value, VmmError *error)
{
        _cleanup_reply_ ProtobufCMessage *reply = NULL;
        int r;

        r = dom_call(dom, procedure, 0, &reply, error);
        if (r < 0)
                return r;
        *ret_value = ((Vmm__DomainBoolReply *)reply)->value;
        return 0;
}

static int r_is_active(VmmDomain *dom, VmmError *error)
{
        bool v = false;
        int r = dom_bool(dom, VMM_RPC_DOMAIN_IS_ACTIVE, &v, error);

        return r < 0 ? r : v;
}

static int r_is_persistent(VmmDomain *dom, VmmError *error)
{
        bool v = false;
        int r = dom_bool(dom, VMM_RPC_DOMAIN_IS_PERSISTENT, &v, error);

        return r < 0 ? r : v;
}

static int r_get_autostart(VmmDomain *dom, bool *ret_autostart, VmmError *error)
{
        return dom_bool(dom, VMM_RPC_DOMAIN_GET_AUTOSTART, ret_autostart, error);
}

static int r_set_autostart(VmmDomain *dom, bool autostart, VmmError *error)
{
        Vmm__DomainSetAutostartRequest req = VMM__DOMAIN_SET_AUTOSTART_REQUEST__INIT;
        Vmm__DomainRef ref;

        ref_from_handle(&ref, dom);
        req.dom = &ref;
        req.autostart = autostart;
        return remote_call_timeout(dom->conn, &vmm_rpc_program_domain,
                                   VMM_RPC_DOMAIN_SET_AUTOSTART, &req.base,
                                   remote_domain_timeout(dom), NULL, error);
}

/* From the definition: the protocol has no call of its own for it. */
static int r_get_os_type(VmmDomain *dom, char **ret_os_type, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_free_ char *xml = NULL;
        const char *os;
        int r;

        r = r_get_xml(dom, 0, &xml, error);
        if (r >= 0)
                r = vmm_domain_def_parse(xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def,
                                         error);
        if (r < 0)
                return r;
        os = vmm_domain_def_get_os_type(def);
        *ret_os_type = strdup(os ? os : "hvm");
        return *ret_os_type ? 0 : vmm_error_oom(error);
}

const VmmDriver vmm_remote_driver = {
    .name = "remote",
    .probe = remote_probe,
    .open = remote_open,
    .close = remote_close,
    .get_hostname = remote_get_hostname,
    .get_hypervisor_version = remote_get_hypervisor_version,
    .is_alive = remote_is_alive,
    .domain_lookup_by_name = r_lookup_by_name,
    .domain_lookup_by_uuid = r_lookup_by_uuid,
    .domain_lookup_by_id = r_lookup_by_id,
    .domain_list_all = r_list_all,
    .domain_define_xml = r_define_xml,
    .domain_create_xml = r_create_xml,
    .domain_undefine = r_undefine,
    .domain_get_xml = r_get_xml,
    .domain_start = r_start,
    .domain_shutdown = r_shutdown,
    .domain_destroy = r_destroy,
    .domain_suspend = r_suspend,
    .domain_resume = r_resume,
    .domain_reboot = r_reboot,
    .domain_reset = r_reset,
    .domain_get_info = r_get_info,
    .domain_get_state = r_get_state,
    .domain_get_id = r_get_id,
    .domain_is_active = r_is_active,
    .domain_is_persistent = r_is_persistent,
    .domain_get_os_type = r_get_os_type,
    .domain_get_autostart = r_get_autostart,
    .domain_set_autostart = r_set_autostart,
    .domain_event_register = remote_domain_event_register,
    .domain_event_deregister = remote_domain_event_deregister,
    .event_fd = remote_event_fd,
    .dispatch_events = remote_dispatch_events,
    .domain_set_memory = remote_domain_set_memory,
    .domain_get_stats = remote_domain_get_stats,
    .domain_qemu_monitor_command = remote_domain_qemu_monitor_command,
    .domain_open_console = remote_domain_open_console,
    .stream_send = remote_stream_send,
    .stream_recv = remote_stream_recv,
    .stream_finish = remote_stream_finish,
    .stream_abort = remote_stream_abort,
    .stream_event_fd = remote_stream_event_fd,
    .stream_release = remote_stream_release,
    .domain_save = remote_domain_save,
    .domain_restore = remote_domain_restore,
    .domain_save_image_get_xml = remote_domain_save_image_get_xml,
    .domain_managed_save = remote_domain_managed_save,
    .domain_has_managed_save = remote_domain_has_managed_save,
    .domain_managed_save_remove = remote_domain_managed_save_remove,
    .domain_attach_device = remote_domain_attach_device,
    .domain_detach_device = remote_domain_detach_device,
};
