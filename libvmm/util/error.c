/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1 /* vasprintf, asprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "enumtable.h"
#include "error.h"

static const char oom_message[] = "out of memory";

static void error_free_message(VmmError *error)
{
        if (error->message != oom_message)
                free(error->message);
        error->message = NULL;
}

VMM_EXPORT void vmm_error_clear(VmmError *error)
{
        if (!error)
                return;
        error_free_message(error);
        error->code = 0;
        error->kind = VMM_ERR_NONE;
}

VMM_EXPORT const char *vmm_error_message(const VmmError *error)
{
        if (!error || !error->message)
                return "";
        return error->message;
}

static const char *const error_kind_table[_VMM_ERR_MAX] = {
        [VMM_ERR_NONE] = "none",
        [VMM_ERR_INTERNAL] = "internal",
        [VMM_ERR_INVALID_ARG] = "invalid-argument",
        [VMM_ERR_NO_SUPPORT] = "no-support",
        [VMM_ERR_NO_CONNECT] = "no-connect",
        [VMM_ERR_XML] = "xml",
        [VMM_ERR_NO_DOMAIN] = "no-domain",
        [VMM_ERR_NO_NETWORK] = "no-network",
        [VMM_ERR_NO_STORAGE_POOL] = "no-storage-pool",
        [VMM_ERR_NO_STORAGE_VOL] = "no-storage-vol",
        [VMM_ERR_NO_SECRET] = "no-secret",
        [VMM_ERR_NO_NODE_DEVICE] = "no-node-device",
        [VMM_ERR_OPERATION_INVALID] = "operation-invalid",
        [VMM_ERR_DUPLICATE] = "duplicate",
        [VMM_ERR_ACCESS_DENIED] = "access-denied",
        [VMM_ERR_TIMEOUT] = "timeout",
        [VMM_ERR_RPC] = "rpc",
        [VMM_ERR_SYSTEM] = "system",
};

VMM_EXPORT const char *vmm_error_kind_to_string(VmmErrorKind kind)
{
        const char *s = vmm_enum_to_string(error_kind_table, _VMM_ERR_MAX, (int)kind);
        return s ? s : "unknown";
}

VmmErrorKind vmm_error_kind_from_errno(int code)
{
        switch (code) {
        case 0:
                return VMM_ERR_NONE;
        case -EINVAL:
                return VMM_ERR_INVALID_ARG;
        case -ENOTSUP:
                return VMM_ERR_NO_SUPPORT;
        case -ECONNREFUSED:
        case -ENOTCONN:
                return VMM_ERR_NO_CONNECT;
        case -EEXIST:
                return VMM_ERR_DUPLICATE;
        case -EACCES:
        case -EPERM:
                return VMM_ERR_ACCESS_DENIED;
        case -ETIMEDOUT:
                return VMM_ERR_TIMEOUT;
        case -EBUSY:
                return VMM_ERR_OPERATION_INVALID;
        default:
                return VMM_ERR_SYSTEM;
        }
}

int vmm_error_setv(VmmError *error, int code, VmmErrorKind kind, const char *fmt, va_list ap)
{
        char *msg = NULL;

        if (code >= 0)
                code = -EINVAL; /* a failure always carries a negative code */
        if (!error)
                return code;
        error_free_message(error);
        error->code = code;
        error->kind = kind;
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        error->message = msg ? msg : (char *)oom_message;
        return code;
}

int vmm_error_set(VmmError *error, int code, VmmErrorKind kind, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        code = vmm_error_setv(error, code, kind, fmt, ap);
        va_end(ap);
        return code;
}

int vmm_error_set_errno(VmmError *error, int code, const char *fmt, ...)
{
        _cleanup_free_ char *what = NULL;
        va_list ap;
        int r;

        if (!error)
                return code < 0 ? code : -EINVAL;
        va_start(ap, fmt);
        r = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (r < 0)
                return vmm_error_oom(error);
        return vmm_error_set(error, code, vmm_error_kind_from_errno(code), "%s: %s", what,
                             strerror(code < 0 ? -code : code));
}

int vmm_error_oom(VmmError *error)
{
        if (error) {
                error_free_message(error);
                error->code = -ENOMEM;
                error->kind = VMM_ERR_SYSTEM;
                error->message = (char *)oom_message;
        }
        return -ENOMEM;
}

int vmm_error_prefix(VmmError *error, int code, const char *fmt, ...)
{
        _cleanup_free_ char *prefix = NULL;
        char *joined = NULL;
        va_list ap;
        int r;

        if (code >= 0)
                code = -EINVAL;
        if (!error)
                return code;
        va_start(ap, fmt);
        r = vasprintf(&prefix, fmt, ap);
        va_end(ap);
        if (r < 0)
                return vmm_error_oom(error);
        if (!error->message)
                return vmm_error_set(error, code, vmm_error_kind_from_errno(code), "%s%s",
                                     prefix, strerror(-code));
        if (asprintf(&joined, "%s%s", prefix, error->message) < 0)
                return vmm_error_oom(error);
        error_free_message(error);
        error->message = joined;
        error->code = code;
        return code;
}

int vmm_error_propagate(VmmError *dst, VmmError *src)
{
        int code = src ? src->code : -EINVAL;

        if (!src || src == dst)
                return code;
        if (!dst) {
                vmm_error_clear(src);
                return code;
        }
        vmm_error_clear(dst);
        *dst = *src;
        src->message = NULL;
        vmm_error_clear(src);
        return code;
}
