/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-common.h: what every part of the public API shares: the export
 * marker, the error structure and the library version.
 *
 * Error model: every call that can fail returns an int, >= 0 on success and
 * a negative errno on failure, and fills the caller's VmmError (when not
 * NULL) with the same code, a kind and a message naming the object and the
 * input at fault. There is no thread-local "last error": the error travels
 * with the call, so a VmmError must not be shared between threads.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMM_EXPORT __attribute__((visibility("default")))

/* What went wrong, beyond the errno: lets callers tell "no such domain"
 * from "the domain is in the wrong state" without parsing messages. */
typedef enum VmmErrorKind {
        VMM_ERR_NONE = 0,
        VMM_ERR_INTERNAL,          /* a bug or an unexpected system failure */
        VMM_ERR_INVALID_ARG,       /* a caller passed a bad argument */
        VMM_ERR_NO_SUPPORT,        /* the driver does not do this */
        VMM_ERR_NO_CONNECT,        /* no driver or daemon could be reached */
        VMM_ERR_XML,               /* malformed or invalid XML */
        VMM_ERR_NO_DOMAIN,         /* no domain with that name/UUID */
        VMM_ERR_NO_NETWORK,
        VMM_ERR_NO_STORAGE_POOL,
        VMM_ERR_NO_STORAGE_VOL,
        VMM_ERR_NO_SECRET,
        VMM_ERR_NO_NODE_DEVICE,
        VMM_ERR_OPERATION_INVALID, /* not possible in the object's state */
        VMM_ERR_DUPLICATE,         /* an object with that name/UUID exists */
        VMM_ERR_ACCESS_DENIED,
        VMM_ERR_TIMEOUT,
        VMM_ERR_RPC,               /* a protocol failure */
        VMM_ERR_SYSTEM,            /* a system call failed */
        _VMM_ERR_MAX
} VmmErrorKind;

/*
 * An error as returned by any call. Initialise with VMM_ERROR_INIT; after a
 * failed call, `code` holds the negative errno the call returned, `kind`
 * its category and `message` a heap string owned by the structure.
 * Release with vmm_error_clear(); a VmmError may be reused after clearing.
 * Passing a VmmError that already holds an error replaces the old one.
 */
typedef struct VmmError {
        int code;          /* negative errno, 0 when no error */
        VmmErrorKind kind;
        char *message;     /* NULL when no error */
} VmmError;

#define VMM_ERROR_INIT { 0, VMM_ERR_NONE, NULL }

/* Frees the message and resets `error` to VMM_ERROR_INIT. Accepts NULL. */
VMM_EXPORT void vmm_error_clear(VmmError *error);

/* The message, or "" when there is none. Never NULL; accepts NULL. */
VMM_EXPORT const char *vmm_error_message(const VmmError *error);

/* The kind's name ("no-domain", "operation-invalid", ...). */
VMM_EXPORT const char *vmm_error_kind_to_string(VmmErrorKind kind);

/* The library's version as "MAJOR.MINOR.PATCH" and as
 * MAJOR * 1000000 + MINOR * 1000 + PATCH. */
VMM_EXPORT const char *vmm_version_string(void);
VMM_EXPORT unsigned long vmm_version_number(void);

#ifdef __cplusplus
}
#endif
