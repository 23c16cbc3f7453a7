/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-stream.c: the public stream API (vmm-stream.h): argument checks,
 * then the driver of the stream's connection. A stream opens once; the
 * data calls need an open stream and may come from several threads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/api.h"
#include "driver/stream.h"
#include "util/error.h"

VMM_EXPORT int vmm_stream_new(VmmConnect *conn, unsigned int flags, VmmStream **ret_stream,
                              VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);
        VmmStream *st;

        if (r < 0)
                return r;
        vmm_check_arg(ret_stream, error, "ret_stream is NULL");
        r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        st = calloc(1, sizeof(*st));
        if (!st)
                return vmm_error_oom(error);
        st->conn = vmm_connect_ref(conn);
        st->flags = flags;
        pthread_mutex_init(&st->lock, NULL);
        *ret_stream = st;
        return 0;
}

VMM_EXPORT int vmm_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                                       unsigned int flags, VmmError *error)
{
        int r = vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", __func__, VMM_API_WRITE,
                                     error);
        bool busy;

        if (r < 0)
                return r;
        vmm_check_arg(st, error, "the stream is NULL");
        r = vmm_api_check_flags(flags, VMM_DOMAIN_CONSOLE_FORCE | VMM_DOMAIN_CONSOLE_SAFE, __func__,
                                error);
        if (r < 0)
                return r;
        if (st->conn != dom->conn)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: domain '%s': the stream belongs to another connection "
                                     "(expected a stream made on the domain's)",
                                     __func__, dom->name);
        if (dev_name && !*dev_name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: domain '%s': device name \"\" (expected e.g. "
                                     "\"serial0\", or NULL for the first console)",
                                     __func__, dom->name);
        if (!dom->conn->driver->domain_open_console)
                return vmm_api_no_support(dom->conn, __func__, error);
        pthread_mutex_lock(&st->lock);
        busy = st->priv || st->opening;
        st->opening = !busy;
        pthread_mutex_unlock(&st->lock);
        if (busy)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s: domain '%s': the stream is already open (expected a "
                                     "new stream)",
                                     __func__, dom->name);
        /* the driver sets st->priv on success (under st->lock) */
        r = dom->conn->driver->domain_open_console(dom, dev_name, st, flags, error);
        pthread_mutex_lock(&st->lock);
        st->opening = false;
        pthread_mutex_unlock(&st->lock);
        return vmm_api_result(r, __func__, error);
}

/* The stream's checks before a data call: open, and on a live connection. */
static int stream_check(VmmStream *st, const char *func, VmmError *error)
{
        bool open;

        vmm_error_clear(error);
        vmm_check_arg(st, error, "the stream is NULL");
        pthread_mutex_lock(&st->lock);
        open = st->priv != NULL;
        pthread_mutex_unlock(&st->lock);
        if (!open)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: the stream is not open (open it first, e.g. with "
                                     "vmm_domain_open_console())",
                                     func);
        return 0;
}

VMM_EXPORT int vmm_stream_send(VmmStream *st, const void *buf, size_t len, VmmError *error)
{
        int r = stream_check(st, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(buf || len == 0, error, "buf is NULL");
        return vmm_api_result(st->conn->driver->stream_send(st, buf, len, error), __func__, error);
}

VMM_EXPORT int vmm_stream_recv(VmmStream *st, void *buf, size_t len, int timeout_ms,
                               VmmError *error)
{
        int r = stream_check(st, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(buf && len > 0, error, "buf is NULL or len is 0");
        r = st->conn->driver->stream_recv(st, buf, len, timeout_ms, error);
        return r == -EAGAIN ? r : vmm_api_result(r, __func__, error);
}

VMM_EXPORT int vmm_stream_finish(VmmStream *st, VmmError *error)
{
        int r = stream_check(st, __func__, error);

        if (r < 0)
                return r;
        return vmm_api_result(st->conn->driver->stream_finish(st, error), __func__, error);
}

VMM_EXPORT int vmm_stream_abort(VmmStream *st, VmmError *error)
{
        int r = stream_check(st, __func__, error);

        if (r < 0)
                return r;
        return vmm_api_result(st->conn->driver->stream_abort(st, error), __func__, error);
}

VMM_EXPORT int vmm_stream_event_fd(VmmStream *st, VmmError *error)
{
        int r = stream_check(st, __func__, error);

        if (r < 0)
                return r;
        return vmm_api_result(st->conn->driver->stream_event_fd(st, error), __func__, error);
}

VMM_EXPORT VmmStream *vmm_stream_free(VmmStream *st)
{
        if (!st)
                return NULL;
        if (st->priv && st->conn->driver->stream_release)
                st->conn->driver->stream_release(st);
        pthread_mutex_destroy(&st->lock);
        vmm_connect_unref(st->conn);
        free(st);
        return NULL;
}
