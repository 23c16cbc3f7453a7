/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1 /* vasprintf */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"

bool vmm_diff_set(char **d, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;

        if (!d || *d)
                return false;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        *d = s;
        return false;
}

bool vmm_diff_str(char **d, const char *where, const char *field, const char *a, const char *b)
{
        if ((!a && !b) || (a && b && strcmp(a, b) == 0))
                return true;
        return vmm_diff_set(d, "%s%s: %s%s%s != %s%s%s", where, field, a ? "\"" : "",
                            a ? a : "(none)", a ? "\"" : "", b ? "\"" : "", b ? b : "(none)",
                            b ? "\"" : "");
}

bool vmm_diff_u64(char **d, const char *where, const char *field, uint64_t a, uint64_t b)
{
        if (a == b)
                return true;
        return vmm_diff_set(d, "%s%s: %" PRIu64 " != %" PRIu64, where, field, a, b);
}

bool vmm_diff_int(char **d, const char *where, const char *field, long long a, long long b)
{
        if (a == b)
                return true;
        return vmm_diff_set(d, "%s%s: %lld != %lld", where, field, a, b);
}

bool vmm_diff_bool(char **d, const char *where, const char *field, bool a, bool b)
{
        if (a == b)
                return true;
        return vmm_diff_set(d, "%s%s: %s != %s", where, field, a ? "yes" : "no", b ? "yes" : "no");
}

static const char *diff_tristate_name(int v)
{
        return v < 0 ? "(none)" : v ? "yes" : "no";
}

bool vmm_diff_tristate(char **d, const char *where, const char *field, int a, int b)
{
        if (a == b)
                return true;
        return vmm_diff_set(d, "%s%s: %s != %s", where, field, diff_tristate_name(a),
                            diff_tristate_name(b));
}

static void diff_hex(const unsigned char *p, size_t n, char *buf)
{
        for (size_t i = 0; i < n; i++)
                sprintf(buf + 2 * i, "%02x", p[i]);
        buf[2 * n] = '\0';
}

bool vmm_diff_bytes(char **d, const char *where, const char *field, const void *a, const void *b,
                    size_t n)
{
        char x[2 * 32 + 1], y[2 * 32 + 1];

        if (memcmp(a, b, n) == 0)
                return true;
        if (n > 32)
                n = 32;
        diff_hex(a, n, x);
        diff_hex(b, n, y);
        return vmm_diff_set(d, "%s%s: %s != %s", where, field, x, y);
}
