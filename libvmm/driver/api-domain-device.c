/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-domain-device.c: the public device hot-plug calls (vmm-domain.h):
 * attach-device and detach-device, live and/or config.
 */
#include <errno.h>
#include <string.h>

#include "driver/api.h"
#include "util/error.h"

/* Device XML is small; anything larger is a mistake (a whole domain?). */
#define DEVICE_XML_MAX (256u * 1024)

static int device_call_check(VmmDomain *dom, const char *xml, unsigned int flags, const char *func,
                             VmmError *error)
{
        int r =
            vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", func, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        r = vmm_api_check_flags(flags, VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG, func,
                                error);
        if (r < 0)
                return r;
        if (!xml || !*xml)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: domain '%s': no device XML given (expected e.g. "
                                     "<disk> or <interface>)",
                                     func, dom->name);
        if (strlen(xml) > DEVICE_XML_MAX)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: domain '%s': device XML of %zu bytes (expected at most "
                                     "%u)",
                                     func, dom->name, strlen(xml), DEVICE_XML_MAX);
        return 0;
}

VMM_EXPORT int vmm_domain_attach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                        VmmError *error)
{
        int r = device_call_check(dom, xml, flags, __func__, error);

        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_attach_device)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_attach_device(dom, xml, flags, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_detach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                        VmmError *error)
{
        int r = device_call_check(dom, xml, flags, __func__, error);

        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_detach_device)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_detach_device(dom, xml, flags, error),
                              __func__, error);
}
