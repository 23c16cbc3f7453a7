/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-domain-device.c: the remote driver's attach-device and
 * detach-device (one DomainDeviceRequest each). Wired into the vtable in
 * remote-domain.c.
 */
#include "remote-internal.h"
#include "rpc/programs.h"
#include "vmm-domain.pb-c.h"

static int device_call(VmmDomain *dom, int proc, const char *xml, unsigned int flags,
                       VmmError *error)
{
        Vmm__DomainDeviceRequest req = VMM__DOMAIN_DEVICE_REQUEST__INIT;
        Vmm__DomainRef ref = VMM__DOMAIN_REF__INIT;

        ref.name = dom->name;
        ref.uuid.data = dom->uuid;
        ref.uuid.len = VMM_UUID_BUFLEN;
        ref.has_id = true;
        ref.id = dom->id;
        req.dom = &ref;
        req.xml = (char *)xml;
        req.has_flags = flags != 0;
        req.flags = flags;
        return remote_call_timeout(dom->conn, &vmm_rpc_program_domain, proc, &req.base,
                                   remote_domain_timeout(dom), NULL, error);
}

int remote_domain_attach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                VmmError *error)
{
        return device_call(dom, VMM_RPC_DOMAIN_ATTACH_DEVICE, xml, flags, error);
}

int remote_domain_detach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                VmmError *error)
{
        return device_call(dom, VMM_RPC_DOMAIN_DETACH_DEVICE, xml, flags, error);
}
