/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* buf.h: a growable string for building messages and text output. */
#pragma once

#include <stddef.h>

#include "macros.h"

typedef struct VmmBuf {
        char *data; /* always NUL-terminated once anything was added */
        size_t len;
        size_t cap;
        int oom;    /* set once an allocation failed; later adds do nothing */
} VmmBuf;

#define VMM_BUF_INIT { NULL, 0, 0, 0 }

void vmm_buf_add(VmmBuf *buf, const char *s);
void vmm_buf_addn(VmmBuf *buf, const char *s, size_t n);
void vmm_buf_addf(VmmBuf *buf, const char *fmt, ...) _printf_(2, 3);
void vmm_buf_addc(VmmBuf *buf, char c);
/* Hands the string out (never NULL unless out of memory: "" when empty);
 * the buffer is reset. Returns NULL when an allocation failed. */
char *vmm_buf_steal(VmmBuf *buf);
/* The current content ("" when empty). */
const char *vmm_buf_str(const VmmBuf *buf);
void vmm_buf_done(VmmBuf *buf);
