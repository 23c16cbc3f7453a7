/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-event.c: the public functions of vmm-event.h (domain lifecycle events). */
#include <errno.h>

#include "driver/api.h"
#include "util/error.h"

VMM_EXPORT int vmm_connect_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb,
                                                 void *userdata, VmmFreeFunc destroy,
                                                 int *ret_id, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(cb, error, "cb is NULL");
        vmm_check_arg(ret_id, error, "ret_id is NULL");
        if (!conn->driver->domain_event_register)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_event_register(conn, cb, userdata, destroy,
                                                                  ret_id, error),
                              __func__, error);
}

VMM_EXPORT int vmm_connect_domain_event_deregister(VmmConnect *conn, int id, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(id > 0, error, "id is not a registration (expected > 0)");
        if (!conn->driver->domain_event_deregister)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_event_deregister(conn, id, error), __func__,
                              error);
}
