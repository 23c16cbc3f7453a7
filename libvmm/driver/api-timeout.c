/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-timeout.c: call deadlines (vmm-connect.h, vmm-domain.h): the
 * connection's default and the handles that carry their own. */
#include <errno.h>

#include "driver/api.h"
#include "util/error.h"

static int timeout_check(int timeout_ms, const char *func, VmmError *error)
{
        if (timeout_ms < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: invalid argument: timeout %d ms (expected 0 for no "
                                     "deadline, or a number of milliseconds > 0)",
                                     func, timeout_ms);
        return 0;
}

VMM_EXPORT int vmm_connect_set_call_timeout(VmmConnect *conn, int timeout_ms, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r >= 0)
                r = timeout_check(timeout_ms, __func__, error);
        if (r < 0)
                return r;
        atomic_store(&conn->call_timeout_ms, timeout_ms);
        return 0;
}

VMM_EXPORT int vmm_connect_get_call_timeout(VmmConnect *conn, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        return r < 0 ? r : atomic_load(&conn->call_timeout_ms);
}

VMM_EXPORT int vmm_domain_with_call_timeout(VmmDomain *dom, int timeout_ms, VmmDomain **ret_dom,
                                            VmmError *error)
{
        VmmDomain *copy;
        int r;

        r = vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", __func__, VMM_API_READ,
                                 error);
        if (r >= 0)
                r = timeout_check(timeout_ms, __func__, error);
        if (r < 0)
                return r;
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        copy = vmm_domain_handle_new(dom->conn, dom->name, dom->uuid, dom->id);
        if (!copy)
                return vmm_error_oom(error);
        copy->has_call_timeout = true;
        copy->call_timeout_ms = timeout_ms;
        *ret_dom = copy;
        return 0;
}
