/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * connect.c: opening and closing connections, choosing the driver by URI.
 *
 * vmm_connect_close() marks the connection closed (every later call on it
 * or its handles fails with -ENOTCONN) and drops the caller's reference;
 * the driver's close() runs when the last reference goes, so a call
 * already inside the driver, or a handle still held, never sees the
 * driver's state freed under it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/api.h"
#include "util/buf.h"
#include "util/error.h"

VmmConnect *vmm_connect_ref(VmmConnect *conn)
{
        if (conn)
                atomic_fetch_add(&conn->refs, 1);
        return conn;
}

static void connect_free(VmmConnect *conn)
{
        vmm_uri_free(conn->uri);
        free(conn->uri_string);
        free(conn);
}

VmmConnect *vmm_connect_unref(VmmConnect *conn)
{
        if (!conn || atomic_fetch_sub(&conn->refs, 1) != 1)
                return NULL;
        if (conn->driver && conn->driver->close)
                conn->driver->close(conn);
        connect_free(conn);
        return NULL;
}

VMM_EXPORT VmmConnect *vmm_connect_close(VmmConnect *conn)
{
        if (!conn)
                return NULL;
        atomic_store(&conn->closed, true);
        vmm_connect_unref(conn);
        return NULL;
}

/* Why no built-in driver serves `uri`, as precisely as we can tell. */
static int connect_no_driver(const VmmUri *uri, const char *text, VmmError *error)
{
        const VmmDriver *const *drivers = vmm_driver_table();
        VmmBuf names = VMM_BUF_INIT;
        int r;

        for (size_t i = 0; drivers[i]; i++) {
                if (strcmp(drivers[i]->name, uri->driver) == 0)
                        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_CONNECT,
                                             "no driver for \"%s\": the %s driver serves only "
                                             "local URIs such as \"%s:///default\"",
                                             text, uri->driver, uri->driver);
                if (strcmp(drivers[i]->name, "remote") == 0)
                        continue; /* not a URI scheme: it serves qemu:// */
                vmm_buf_addf(&names, "\"%s\", or ", drivers[i]->name);
        }
        if (uri->transport || uri->host)
                r = vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_CONNECT,
                                  "no driver for \"%s\": remote connections (%s%s) need the "
                                  "vmm-proxyd daemon, which this build cannot reach yet",
                                  text, uri->transport ? "transport " : "host ",
                                  uri->transport ? uri->transport : uri->host);
        else if (strcmp(uri->driver, "qemu") == 0)
                r = vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_CONNECT,
                                  "no driver for \"%s\": the qemu driver needs the vmm-qemud "
                                  "daemon, which this build cannot reach yet",
                                  text);
        else
                r = vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_CONNECT,
                                  "no driver for \"%s\": unknown driver \"%s\" (expected %s%s"
                                  "\"qemu\" through its daemon)",
                                  text, uri->driver, names.len ? "one of " : "",
                                  names.len ? vmm_buf_str(&names) : "");
        vmm_buf_done(&names);
        return r;
}

/* Makes the connection object for `uri` on `driver` and opens the driver. */
static int connect_new(const VmmDriver *driver, VmmUri *uri, unsigned int flags,
                       VmmConnect **ret_conn, VmmError *error)
{
        VmmConnect *conn;
        int r;

        conn = calloc(1, sizeof(*conn));
        if (!conn) {
                vmm_uri_free(uri);
                return vmm_error_oom(error);
        }
        atomic_init(&conn->refs, 1);
        atomic_init(&conn->closed, false);
        conn->driver = driver;
        conn->uri = uri;
        conn->flags = flags;
        conn->uri_string = vmm_uri_format(uri);
        if (!conn->uri_string) {
                connect_free(conn);
                return vmm_error_oom(error);
        }
        r = driver->open ? driver->open(conn, uri, flags, error) : 0;
        if (r < 0) {
                r = vmm_api_result(r, "vmm_connect_open", error);
                connect_free(conn); /* the driver's close() is not called after a failed open */
                return r;
        }
        *ret_conn = conn;
        return 0;
}

/* Parses the URI given, or the default one. */
static int connect_parse_uri(const char *uri, VmmUri **ret_uri, char **ret_text,
                             VmmError *error)
{
        _cleanup_free_ char *text = NULL;
        int r;

        if (uri)
                text = strdup(uri);
        else if ((r = vmm_uri_default(&text, error)) < 0)
                return vmm_error_prefix(error, r, "default URI: ");
        if (!text)
                return vmm_error_oom(error);
        r = vmm_uri_parse(text, ret_uri, error);
        if (r < 0)
                return r;
        *ret_text = TAKE_PTR(text);
        return 0;
}

static int connect_check_args(unsigned int flags, VmmConnect **ret_conn, VmmError *error)
{
        vmm_error_clear(error);
        if (!ret_conn)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "vmm_connect_open: invalid argument: ret_conn is NULL");
        return vmm_api_check_flags(flags, VMM_CONNECT_READ_ONLY | VMM_CONNECT_EVENTS_POLLABLE,
                                   "vmm_connect_open", error);
}

VMM_EXPORT int vmm_connect_open(const char *uri, unsigned int flags, VmmConnect **ret_conn,
                                VmmError *error)
{
        _cleanup_(vmm_uri_freep) VmmUri *parsed = NULL;
        _cleanup_free_ char *text = NULL;
        const VmmDriver *const *drivers;
        const VmmDriver *driver = NULL;
        int r;

        r = connect_check_args(flags, ret_conn, error);
        if (r < 0)
                return r;
        r = connect_parse_uri(uri, &parsed, &text, error);
        if (r < 0)
                return r;
        drivers = vmm_driver_table();
        for (size_t i = 0; drivers[i] && !driver; i++)
                if (drivers[i]->probe && drivers[i]->probe(parsed) > 0)
                        driver = drivers[i];
        if (!driver)
                return connect_no_driver(parsed, text, error);
        return connect_new(driver, TAKE_PTR(parsed), flags, ret_conn, error);
}

int vmm_connect_open_driver(const VmmDriver *driver, const char *uri, unsigned int flags,
                            VmmConnect **ret_conn, VmmError *error)
{
        _cleanup_(vmm_uri_freep) VmmUri *parsed = NULL;
        _cleanup_free_ char *text = NULL;
        int r;

        r = connect_check_args(flags, ret_conn, error);
        if (r < 0)
                return r;
        r = connect_parse_uri(uri, &parsed, &text, error);
        if (r < 0)
                return r;
        return connect_new(driver, TAKE_PTR(parsed), flags, ret_conn, error);
}

VMM_EXPORT const char *vmm_connect_get_uri(VmmConnect *conn)
{
        return conn ? conn->uri_string : NULL;
}

VMM_EXPORT const char *vmm_connect_get_driver_name(VmmConnect *conn)
{
        return conn && conn->driver ? conn->driver->name : NULL;
}

VMM_EXPORT int vmm_connect_get_hypervisor_version(VmmConnect *conn, unsigned long *ret_version,
                                                  VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_version, error, "ret_version is NULL");
        if (!conn->driver->get_hypervisor_version)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->get_hypervisor_version(conn, ret_version, error),
                              __func__, error);
}

VMM_EXPORT int vmm_connect_get_hostname(VmmConnect *conn, char **ret_hostname, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_hostname, error, "ret_hostname is NULL");
        if (!conn->driver->get_hostname)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->get_hostname(conn, ret_hostname, error), __func__,
                              error);
}

VMM_EXPORT bool vmm_connect_is_alive(VmmConnect *conn)
{
        if (!conn || atomic_load(&conn->closed))
                return false;
        return conn->driver->is_alive ? conn->driver->is_alive(conn) : true;
}

VMM_EXPORT int vmm_connect_default_uri(char **ret_uri, VmmError *error)
{
        vmm_error_clear(error);
        vmm_check_arg(ret_uri, error, "ret_uri is NULL");
        return vmm_uri_default(ret_uri, error);
}
