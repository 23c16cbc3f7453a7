/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-common.c: the boundary checks of the public API (see api.h). */
#include <errno.h>
#include <string.h>

#include "driver/api.h"
#include "util/error.h"

int vmm_api_check_conn(VmmConnect *conn, const char *func, VmmApiAccess access,
                       VmmError *error)
{
        vmm_error_clear(error);
        if (!conn)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: invalid argument: the connection is NULL", func);
        if (atomic_load(&conn->closed))
                return vmm_error_set(error, -ENOTCONN, VMM_ERR_NO_CONNECT,
                                     "%s: the connection to \"%s\" is closed", func,
                                     strna(conn->uri_string));
        if (access == VMM_API_WRITE && (conn->flags & VMM_CONNECT_READ_ONLY))
                return vmm_error_set(error, -EPERM, VMM_ERR_ACCESS_DENIED,
                                     "%s: not allowed on the read-only connection to \"%s\"",
                                     func, strna(conn->uri_string));
        return 0;
}

int vmm_api_check_handle(const void *handle, VmmConnect *conn, const char *what,
                         const char *func, VmmApiAccess access, VmmError *error)
{
        if (!handle) {
                vmm_error_clear(error);
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: invalid argument: the %s handle is NULL", func, what);
        }
        return vmm_api_check_conn(conn, func, access, error);
}

int vmm_api_check_flags(unsigned int flags, unsigned int allowed, const char *func,
                        VmmError *error)
{
        if (flags & ~allowed)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: invalid argument: unknown flags 0x%x (expected a "
                                     "mask of 0x%x)",
                                     func, flags & ~allowed, allowed);
        return 0;
}

int vmm_api_no_support(VmmConnect *conn, const char *func, VmmError *error)
{
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "%s: not supported by the %s driver", func,
                             conn->driver ? conn->driver->name : "unknown");
}

int vmm_api_result(int r, const char *func, VmmError *error)
{
        if (r < 0 && error && error->code == 0)
                return vmm_error_set(error, r, vmm_error_kind_from_errno(r), "%s: %s", func,
                                     strerror(-r));
        return r;
}
