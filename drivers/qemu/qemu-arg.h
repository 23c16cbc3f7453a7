/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-arg.h: building QEMU's argv without a shell.
 *
 * VmmQemuArgs is a growable, NULL-terminated char * array. Option values
 * of QEMU's "key=value,key=value" lists are written through the
 * vmm_qemu_opt_*() helpers, which double every comma inside a value
 * (QEMU reads ",," as a literal comma), so a file name such as
 * "/a,driver=x" stays one value and cannot inject options. Every option
 * list in the qemu driver is built through these helpers.
 *
 * Errors: allocation failures are remembered (the `oom` flags) and
 * reported once, when the result is taken.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/macros.h"

typedef struct VmmQemuArgs {
        char **argv; /* NULL-terminated once anything was added */
        size_t argc;
        size_t cap;
        bool oom;
} VmmQemuArgs;

#define VMM_QEMU_ARGS_INIT                                                                         \
        {                                                                                          \
                NULL, 0, 0, false                                                                  \
        }

/* Appends one argument, copied verbatim (no escaping: for values QEMU
 * reads as one string, such as -kernel or -append). */
void vmm_qemu_args_add(VmmQemuArgs *args, const char *arg);
void vmm_qemu_args_addf(VmmQemuArgs *args, const char *fmt, ...) _printf_(2, 3);
/* Appends `option` and the option list built in `opts` (which is reset). */
void vmm_qemu_args_add_opts(VmmQemuArgs *args, const char *option, VmmBuf *opts);
/* Whether any allocation failed (in the array or in an option list added). */
bool vmm_qemu_args_failed(const VmmQemuArgs *args);
/* Hands the NULL-terminated array out (an empty one when nothing was
 * added) and resets `args`; NULL when an allocation failed. */
char **vmm_qemu_args_steal(VmmQemuArgs *args);
void vmm_qemu_args_done(VmmQemuArgs *args);
/* Frees a NULL-terminated array; returns NULL. */
char **vmm_qemu_argv_free(char **argv);

/* The argv as one line for logs (the domain's log file): arguments
 * holding anything but letters, digits and -_=,./:@+% are single-quoted
 * (a quote inside as '\''). Only for reading: QEMU is never started
 * through a shell. NULL on OOM. */
char *vmm_qemu_argv_to_string(char *const *argv);

/* Appends `value` to `buf`, every ',' doubled. */
void vmm_qemu_opt_escape(VmmBuf *buf, const char *value);
/* Appends ",key=value" (no leading comma when `buf` is empty; only the
 * escaped value when `key` is NULL, for the leading driver or type).
 * Only the value is escaped: `key` must be a literal or a name the caller
 * checked (QEMU has no escape for keys). */
void vmm_qemu_opt_add(VmmBuf *buf, const char *key, const char *value);
void vmm_qemu_opt_addf(VmmBuf *buf, const char *key, const char *fmt, ...) _printf_(3, 4);
/* ",key=on" or ",key=off". */
void vmm_qemu_opt_bool(VmmBuf *buf, const char *key, bool value);
