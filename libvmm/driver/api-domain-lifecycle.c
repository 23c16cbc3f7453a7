/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-domain-lifecycle.c: the public calls that change or inspect a
 * domain's run state (vmm-domain.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "driver/api.h"
#include "util/error.h"

static int domain_check(VmmDomain *dom, const char *func, VmmApiAccess access, VmmError *error)
{
        return vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", func, access, error);
}

typedef int (*LifecycleEntry)(VmmDomain *dom, unsigned int flags, VmmError *error);

/* The common shape of start/shutdown/destroy/...: checks, then the entry
 * (which may be NULL: not supported). */
static int lifecycle_call(VmmDomain *dom, unsigned int flags, unsigned int allowed,
                          LifecycleEntry entry, const char *func, VmmError *error)
{
        int r = vmm_api_check_flags(flags, allowed, func, error);

        if (r < 0)
                return r;
        if (!entry)
                return vmm_api_no_support(dom->conn, func, error);
        return vmm_api_result(entry(dom, flags, error), func, error);
}

VMM_EXPORT int vmm_domain_start(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, flags, VMM_DOMAIN_START_PAUSED,
                              dom->conn->driver->domain_start, __func__, error);
}

VMM_EXPORT int vmm_domain_shutdown(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, flags,
                              VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VMM_DOMAIN_SHUTDOWN_GUEST_AGENT,
                              dom->conn->driver->domain_shutdown, __func__, error);
}

VMM_EXPORT int vmm_domain_destroy(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, flags, 0, dom->conn->driver->domain_destroy, __func__,
                              error);
}

VMM_EXPORT int vmm_domain_suspend(VmmDomain *dom, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, 0, 0, dom->conn->driver->domain_suspend, __func__, error);
}

VMM_EXPORT int vmm_domain_resume(VmmDomain *dom, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, 0, 0, dom->conn->driver->domain_resume, __func__, error);
}

VMM_EXPORT int vmm_domain_reboot(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, flags,
                              VMM_DOMAIN_REBOOT_ACPI_POWER_BTN | VMM_DOMAIN_REBOOT_GUEST_AGENT,
                              dom->conn->driver->domain_reboot, __func__, error);
}

VMM_EXPORT int vmm_domain_reset(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        return lifecycle_call(dom, flags, 0, dom->conn->driver->domain_reset, __func__, error);
}

/* --- inspection --- */

VMM_EXPORT int vmm_domain_get_id(VmmDomain *dom)
{
        int id = -1;

        if (domain_check(dom, __func__, VMM_API_READ, NULL) < 0)
                return -1;
        if (!dom->conn->driver->domain_get_id)
                return dom->id; /* as cached when the handle was made */
        if (dom->conn->driver->domain_get_id(dom, &id, NULL) < 0)
                return -1;
        return id;
}

VMM_EXPORT int vmm_domain_get_info(VmmDomain *dom, VmmDomainInfo *ret_info, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_info, error, "ret_info is NULL");
        if (!dom->conn->driver->domain_get_info)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_get_info(dom, ret_info, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_get_state(VmmDomain *dom, VmmDomainState *ret_state, int *ret_reason,
                                    VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_state, error, "ret_state is NULL");
        if (!dom->conn->driver->domain_get_state)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_get_state(dom, ret_state, ret_reason,
                                                                  error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_is_active(VmmDomain *dom, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_is_active)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_is_active(dom, error), __func__, error);
}

VMM_EXPORT int vmm_domain_is_persistent(VmmDomain *dom, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_is_persistent)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_is_persistent(dom, error), __func__,
                              error);
}

VMM_EXPORT int vmm_domain_get_os_type(VmmDomain *dom, char **ret_os_type, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_os_type, error, "ret_os_type is NULL");
        if (!dom->conn->driver->domain_get_os_type)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_get_os_type(dom, ret_os_type, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_get_autostart(VmmDomain *dom, bool *ret_autostart, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_autostart, error, "ret_autostart is NULL");
        if (!dom->conn->driver->domain_get_autostart)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_get_autostart(dom, ret_autostart, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_set_autostart(VmmDomain *dom, bool autostart, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_set_autostart)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_set_autostart(dom, autostart, error),
                              __func__, error);
}
