/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api.h: what the public API functions (connect.c, api-*.c) share: the
 * checks every call makes at the boundary before it reaches the driver.
 *
 *   r = vmm_api_check_conn(conn, __func__, VMM_API_WRITE, error);
 *   if (r < 0)
 *           return r;
 *   if (!conn->driver->domain_start)
 *           return vmm_api_no_support(conn, __func__, error);
 *   return vmm_api_result(conn->driver->domain_start(dom, flags, error), __func__, error);
 */
#pragma once

#include <stdbool.h>

#include "driver/driver.h"

typedef enum VmmApiAccess {
        VMM_API_READ,  /* allowed on a read-only connection */
        VMM_API_WRITE, /* refused on a read-only connection */
} VmmApiAccess;

/* Clears `error` (a call replaces any earlier error), then fails with
 * -EINVAL when `conn` is NULL, -ENOTCONN when it was closed, and -EPERM
 * (kind VMM_ERR_ACCESS_DENIED) for a VMM_API_WRITE call on a read-only
 * connection. `func` names the public function in the message. */
int vmm_api_check_conn(VmmConnect *conn, const char *func, VmmApiAccess access,
                       VmmError *error);

/* The same for a call on a handle: -EINVAL naming `what` ("domain",
 * "network"...) when the handle is NULL, then the checks above on the
 * handle's connection (`conn`, NULL when the handle is). */
int vmm_api_check_handle(const void *handle, VmmConnect *conn, const char *what,
                         const char *func, VmmApiAccess access, VmmError *error);

/* Fails with -EINVAL when `flags` has bits outside `allowed`. */
int vmm_api_check_flags(unsigned int flags, unsigned int allowed, const char *func,
                        VmmError *error);

/* -ENOTSUP (kind VMM_ERR_NO_SUPPORT) naming the function and the driver. */
int vmm_api_no_support(VmmConnect *conn, const char *func, VmmError *error);

/* Returns `r`; when a driver failed without a message, adds one. */
int vmm_api_result(int r, const char *func, VmmError *error);

/* Opens a connection on `driver` without probing (for drivers that
 * delegate, and for tests): parses `uri`, calls driver->open. */
int vmm_connect_open_driver(const VmmDriver *driver, const char *uri, unsigned int flags,
                            VmmConnect **ret_conn, VmmError *error);
