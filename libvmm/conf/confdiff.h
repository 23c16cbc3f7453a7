/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * confdiff.h: field-by-field model comparison that names the first
 * difference, for the *_def_equal() functions of the configuration models.
 *
 *   return vmm_diff_str(d, "ip[0].", "tftp root", a->tftp, b->tftp) &&
 *          vmm_diff_u64(d, "", "mtu", a->mtu, b->mtu);
 *
 * Each returns true when the values are equal; otherwise it stores
 * "<where><field>: <a> != <b>" in *d (when d is not NULL and nothing was
 * stored yet) and returns false, so a chain of && stops at the first
 * difference.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/macros.h"

bool vmm_diff_str(char **d, const char *where, const char *field, const char *a, const char *b);
bool vmm_diff_u64(char **d, const char *where, const char *field, uint64_t a, uint64_t b);
bool vmm_diff_int(char **d, const char *where, const char *field, long long a, long long b);
bool vmm_diff_bool(char **d, const char *where, const char *field, bool a, bool b);
/* yes/no attributes that may be absent: -1 (shown "(none)"), 0 "no", 1 "yes". */
bool vmm_diff_tristate(char **d, const char *where, const char *field, int a, int b);
/* Raw bytes (UUIDs, MACs), shown in hex. */
bool vmm_diff_bytes(char **d, const char *where, const char *field, const void *a, const void *b,
                    size_t n);
/* Records a free-form difference; always returns false. */
bool vmm_diff_set(char **d, const char *fmt, ...) _printf_(2, 3);
