/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * error.h: filling a VmmError where a failure is first seen, and adding
 * context on the way up.
 *
 *   return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
 *                        "memory: \"%s\" is not a number", s);
 *   ...
 *   if (r < 0)
 *           return vmm_error_prefix(error, r, "define '%s': ", name);
 *
 * Both return the code they were given, so they sit in a return statement.
 * `error` may be NULL (the caller does not want the message).
 */
#pragma once

#include <stdarg.h>
#include <vmm/vmm-common.h>

#include "macros.h"

/* Sets code, kind and message (replacing any earlier error); returns
 * `code`, which must be negative. */
int vmm_error_set(VmmError *error, int code, VmmErrorKind kind, const char *fmt, ...)
        _printf_(4, 5);
int vmm_error_setv(VmmError *error, int code, VmmErrorKind kind, const char *fmt,
                   va_list ap) _printf_(4, 0);

/* Sets an error from errno-style `code` with "<message>: <strerror>". */
int vmm_error_set_errno(VmmError *error, int code, const char *fmt, ...) _printf_(3, 4);

/* Out of memory: sets -ENOMEM without allocating a message buffer beyond a
 * static fallback. */
int vmm_error_oom(VmmError *error);

/* Prepends context ("define 'web1': ") to the message already in `error`
 * (or sets it, kind INTERNAL, when empty); returns `code`. */
int vmm_error_prefix(VmmError *error, int code, const char *fmt, ...) _printf_(3, 4);

/* Moves the error from `src` into `dst` (clearing src); returns its code. */
int vmm_error_propagate(VmmError *dst, VmmError *src);

/* Whether `error` holds an error. */
static inline int vmm_error_is_set(const VmmError *error)
{
        return error && error->code < 0;
}

/* The kind a bare negative errno maps to, when nothing more precise is known. */
VmmErrorKind vmm_error_kind_from_errno(int code);

/* Checks a public API argument: fails the call with -EINVAL naming the
 * function and the argument when `cond` is false. */
#define vmm_check_arg(cond, error, what)                                              \
        do {                                                                          \
                if (!(cond))                                                          \
                        return vmm_error_set((error), -EINVAL, VMM_ERR_INVALID_ARG,   \
                                             "%s: invalid argument: %s", __func__,   \
                                             (what));                                 \
        } while (0)
