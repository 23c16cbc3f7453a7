/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-domain-save.c: the remote driver's save, restore and managed save
 * entries (procedures SAVE, RESTORE, MANAGED_SAVE, HAS_MANAGED_SAVE,
 * MANAGED_SAVE_REMOVE). Wired into the vtable in remote-domain.c.
 *
 * The protocol has no procedure that reads a save image's XML: every
 * remote connection is a local UNIX socket, so the client reads the
 * image's header itself (it needs read access to the file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/save-image.h"
#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static void save_ref_fill(Vmm__DomainRef *ref, VmmDomain *dom)
{
        vmm__domain_ref__init(ref);
        ref->name = dom->name;
        ref->uuid.data = dom->uuid;
        ref->uuid.len = VMM_UUID_BUFLEN;
        ref->has_id = true;
        ref->id = dom->id;
}

static int save_dom_call(VmmDomain *dom, uint32_t procedure, unsigned int flags,
                         ProtobufCMessage **ret_reply, VmmError *error)
{
        Vmm__DomainRequest req = VMM__DOMAIN_REQUEST__INIT;
        Vmm__DomainRef ref;

        save_ref_fill(&ref, dom);
        req.dom = &ref;
        req.has_flags = flags != 0;
        req.flags = flags;
        return remote_call_timeout(dom->conn, &vmm_rpc_program_domain, procedure, &req.base,
                                   remote_domain_timeout(dom), ret_reply, error);
}

int remote_domain_save(VmmDomain *dom, const char *path, const char *dxml, unsigned int flags,
                       VmmError *error)
{
        Vmm__DomainSaveRequest req = VMM__DOMAIN_SAVE_REQUEST__INIT;
        Vmm__DomainRef ref;

        save_ref_fill(&ref, dom);
        req.dom = &ref;
        req.path = (char *)path;
        req.dxml = (char *)dxml;
        req.has_flags = flags != 0;
        req.flags = flags;
        return remote_call_timeout(dom->conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_SAVE,
                                   &req.base, remote_domain_timeout(dom), NULL, error);
}

int remote_domain_restore(VmmConnect *conn, const char *path, const char *dxml, unsigned int flags,
                          VmmDomain **ret_dom, VmmError *error)
{
        Vmm__DomainRestoreRequest req = VMM__DOMAIN_RESTORE_REQUEST__INIT;
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *reply = NULL;
        const Vmm__DomainRef *ref;
        VmmDomain *dom;
        int r;

        req.path = (char *)path;
        req.dxml = (char *)dxml;
        req.has_flags = flags != 0;
        req.flags = flags;
        r = remote_call(conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_RESTORE, &req.base, &reply,
                        error);
        if (r < 0)
                return r;
        ref = ((const Vmm__DomainLookupReply *)reply)->dom;
        if (!ref || !ref->name || ref->uuid.len != VMM_UUID_BUFLEN)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "restore \"%s\": the daemon sent a domain reference without "
                                     "a name or a 16-byte UUID",
                                     path);
        dom = vmm_domain_handle_new(conn, ref->name, ref->uuid.data, ref->has_id ? ref->id : -1);
        if (!dom)
                return vmm_error_oom(error);
        *ret_dom = dom;
        return 0;
}

int remote_domain_save_image_get_xml(VmmConnect *conn, const char *path, unsigned int flags,
                                     char **ret_xml, VmmError *error)
{
        return vmm_save_image_read_xml(path, flags & VMM_DOMAIN_XML_SECURE, ret_xml, error);
}

int remote_domain_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return save_dom_call(dom, VMM_RPC_DOMAIN_MANAGED_SAVE, flags, NULL, error);
}

int remote_domain_has_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *reply = NULL;
        int r;

        r = save_dom_call(dom, VMM_RPC_DOMAIN_HAS_MANAGED_SAVE, flags, &reply, error);
        if (r < 0)
                return r;
        return ((const Vmm__DomainBoolReply *)reply)->value ? 1 : 0;
}

int remote_domain_managed_save_remove(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        return save_dom_call(dom, VMM_RPC_DOMAIN_MANAGED_SAVE_REMOVE, flags, NULL, error);
}
