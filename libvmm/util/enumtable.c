/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "enumtable.h"

int vmm_enum_from_string(const char *const *table, int n, const char *s)
{
        if (!s)
                return -EINVAL;
        for (int i = 0; i < n; i++)
                if (table[i] && strcmp(table[i], s) == 0)
                        return i;
        return -EINVAL;
}

const char *vmm_enum_to_string(const char *const *table, int n, int value)
{
        if (value < 0 || value >= n)
                return NULL;
        return table[value];
}

char *vmm_enum_list(const char *const *table, int n, char *buf, size_t size)
{
        size_t len = 0;

        if (size == 0)
                return buf;
        buf[0] = '\0';
        for (int i = 0; i < n && len + 1 < size; i++) {
                int w;

                if (!table[i])
                        continue;
                w = snprintf(buf + len, size - len, "%s\"%s\"", len ? ", " : "", table[i]);
                if (w < 0 || (size_t)w >= size - len) {
                        buf[len] = '\0';
                        break;
                }
                len += (size_t)w;
        }
        return buf;
}
