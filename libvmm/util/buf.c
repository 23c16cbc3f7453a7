/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int buf_reserve(VmmBuf *buf, size_t extra)
{
        size_t need, cap;
        char *p;

        if (buf->oom)
                return -1;
        if (extra > SIZE_MAX - buf->len - 1) { /* the size itself would overflow */
                buf->oom = 1;
                return -1;
        }
        need = buf->len + extra + 1;
        if (need <= buf->cap)
                return 0;
        cap = buf->cap ? buf->cap : 64;
        while (cap < need)
                cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        p = realloc(buf->data, cap);
        if (!p) {
                buf->oom = 1;
                return -1;
        }
        buf->data = p;
        buf->cap = cap;
        return 0;
}

void vmm_buf_addn(VmmBuf *buf, const char *s, size_t n)
{
        if (buf_reserve(buf, n) < 0)
                return;
        memcpy(buf->data + buf->len, s, n);
        buf->len += n;
        buf->data[buf->len] = '\0';
}

void vmm_buf_add(VmmBuf *buf, const char *s)
{
        vmm_buf_addn(buf, s, strlen(s));
}

void vmm_buf_addc(VmmBuf *buf, char c)
{
        vmm_buf_addn(buf, &c, 1);
}

void vmm_buf_addf(VmmBuf *buf, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0 || buf_reserve(buf, (size_t)n) < 0)
                return;
        va_start(ap, fmt);
        vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        buf->len += (size_t)n;
}

char *vmm_buf_steal(VmmBuf *buf)
{
        char *s;

        if (buf->oom) {
                vmm_buf_done(buf);
                return NULL;
        }
        s = buf->data ? buf->data : strdup("");
        buf->data = NULL;
        buf->len = buf->cap = 0;
        return s;
}

const char *vmm_buf_str(const VmmBuf *buf)
{
        return buf->data ? buf->data : "";
}

void vmm_buf_done(VmmBuf *buf)
{
        free(buf->data);
        buf->data = NULL;
        buf->len = buf->cap = 0;
        buf->oom = 0;
}
