/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qmp-line.h: what the fake QMP servers of the QMP client's tests read
 * from a command line they received (one JSON object per line, as the
 * client writes them).
 */
#pragma once

#include <stdio.h>
#include <string.h>

/* The string value of "key" in `line` ("" when absent), into out. */
static inline void qmp_line_field(const char *line, const char *key, char *out, size_t size)
{
        char pat[64];
        const char *p;
        size_t n = 0;

        snprintf(pat, sizeof(pat), "\"%s\":\"", key);
        p = strstr(line, pat);
        out[0] = '\0';
        if (!p)
                return;
        p += strlen(pat);
        while (*p && *p != '"' && n + 1 < size)
                out[n++] = *p++;
        out[n] = '\0';
}
