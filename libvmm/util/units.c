/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "macros.h"
#include "units.h"

#define UNITS_EXPECTED                                                          \
        "b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E, EiB"

static const char *units_what(const char *what)
{
        return what ? what : "value";
}

/* Parses the leading decimal digits of `s` (at least one) into *ret;
 * returns the end pointer through *ret_end. -EINVAL when there is no
 * digit, -ERANGE on overflow. */
static int units_parse_digits(const char *s, uint64_t *ret, const char **ret_end)
{
        uint64_t v = 0;
        const char *p = s;

        if (!isdigit((unsigned char)*p))
                return -EINVAL;
        for (; isdigit((unsigned char)*p); p++) {
                unsigned int d = (unsigned int)(*p - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
        }
        *ret = v;
        *ret_end = p;
        return 0;
}

static int units_not_a_number(const char *s, const char *what, VmmError *error)
{
        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                             "%s: \"%s\" is not a number", units_what(what), strempty(s));
}

int vmm_parse_uint64(const char *s, uint64_t *ret, const char *what, VmmError *error)
{
        const char *end;
        uint64_t v;
        int r;

        if (!s)
                return units_not_a_number(s, what, error);
        r = units_parse_digits(s, &v, &end);
        if (r == -ERANGE)
                return vmm_error_set(error, -ERANGE, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is too large (at most %" PRIu64 ")",
                                     units_what(what), s, UINT64_MAX);
        if (r < 0 || *end)
                return units_not_a_number(s, what, error);
        *ret = v;
        return 0;
}

int vmm_parse_uint(const char *s, unsigned int *ret, const char *what, VmmError *error)
{
        uint64_t v;
        int r;

        r = vmm_parse_uint64(s, &v, what, error);
        if (r == -ERANGE || (r == 0 && v > UINT_MAX))
                return vmm_error_set(error, -ERANGE, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is too large (at most %u)", units_what(what),
                                     s, UINT_MAX);
        if (r < 0)
                return r;
        *ret = (unsigned int)v;
        return 0;
}

int vmm_parse_int(const char *s, int *ret, const char *what, VmmError *error)
{
        bool negative = s && s[0] == '-';
        const char *end;
        uint64_t v;
        int r;

        if (!s)
                return units_not_a_number(s, what, error);
        r = units_parse_digits(negative ? s + 1 : s, &v, &end);
        if (r == -EINVAL || (r == 0 && *end))
                return units_not_a_number(s, what, error);
        if (r == -ERANGE || (!negative && v > (uint64_t)INT_MAX) ||
            (negative && v > (uint64_t)INT_MAX + 1))
                return vmm_error_set(error, -ERANGE, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is out of range (expected %d to %d)",
                                     units_what(what), s, INT_MIN, INT_MAX);
        *ret = negative ? (int)(-(int64_t)v) : (int)v;
        return 0;
}

/* The power of `base` a unit's first letter stands for, or -1. */
static int units_prefix_power(char c)
{
        static const char prefixes[] = "kmgtpe";
        const char *p = strchr(prefixes, tolower((unsigned char)c));

        return c && p ? (int)(p - prefixes) + 1 : -1;
}

int vmm_unit_scale(const char *unit, uint64_t default_scale, uint64_t *ret_scale,
                   const char *what, VmmError *error)
{
        uint64_t base, scale = 1;
        int power;

        if (!unit || !*unit) {
                *ret_scale = default_scale;
                return 0;
        }
        if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
            strcasecmp(unit, "bytes") == 0) {
                *ret_scale = 1;
                return 0;
        }
        power = units_prefix_power(unit[0]);
        if (power < 0)
                goto unknown;
        if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
                base = 1024;
        else if (strcasecmp(unit + 1, "B") == 0)
                base = 1000;
        else
                goto unknown;
        while (power-- > 0)
                scale *= base;
        *ret_scale = scale;
        return 0;
unknown:
        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                             "%s: unit \"%s\" is unknown (expected one of %s)",
                             units_what(what), unit, UNITS_EXPECTED);
}

/* Splits "512 MiB" into its number and the unit that follows it. */
static int units_split(const char *value, uint64_t *ret_number, const char **ret_unit,
                       const char *what, VmmError *error)
{
        const char *end;
        int r;

        r = units_parse_digits(value, ret_number, &end);
        if (r == -ERANGE)
                return vmm_error_set(error, -ERANGE, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is too large", units_what(what), value);
        if (r < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is not a number (expected e.g. \"512 MiB\")",
                                     units_what(what), value);
        while (*end == ' ')
                end++;
        *ret_unit = end;
        return 0;
}

int vmm_parse_size(const char *value, const char *unit, uint64_t default_scale,
                   uint64_t granularity, uint64_t max_bytes, uint64_t *ret_bytes,
                   const char *what, VmmError *error)
{
        const char *inline_unit = "";
        uint64_t number, scale, bytes;
        char limit[32];
        int r;

        if (!value)
                value = "";
        r = units_split(value, &number, &inline_unit, what, error);
        if (r < 0)
                return r;
        if (*inline_unit) {
                if (unit && *unit)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "%s: \"%s\" is not a number (expected e.g. "
                                             "\"512\" with unit \"%s\")",
                                             units_what(what), value, unit);
                if (!isalpha((unsigned char)*inline_unit))
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "%s: \"%s\" is not a number (expected e.g. "
                                             "\"512 MiB\")",
                                             units_what(what), value);
                unit = inline_unit;
        }
        r = vmm_unit_scale(unit, default_scale, &scale, what, error);
        if (r < 0)
                return r;
        if (max_bytes == 0)
                max_bytes = UINT64_MAX;
        if (scale && number > UINT64_MAX / scale)
                goto too_large;
        bytes = number * scale;
        if (granularity > 1 && bytes % granularity) {
                uint64_t pad = granularity - bytes % granularity;

                if (bytes > UINT64_MAX - pad)
                        goto too_large;
                bytes += pad;
        }
        if (bytes > max_bytes)
                goto too_large;
        *ret_bytes = bytes;
        return 0;
too_large:
        vmm_format_size(max_bytes, limit, sizeof(limit));
        return vmm_error_set(error, -ERANGE, VMM_ERR_INVALID_ARG,
                             "%s: \"%s%s%s\" is too large (at most %s)", units_what(what),
                             value, *inline_unit || !unit || !*unit ? "" : " ",
                             *inline_unit ? "" : strempty(unit), limit);
}

char *vmm_format_size(uint64_t bytes, char *buf, size_t size)
{
        static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        unsigned int i = 0;
        uint64_t tenths;

        while (i + 1 < ARRAY_SIZE(names) && bytes >= (UINT64_C(1) << (10 * (i + 1))))
                i++;
        if (i == 0) {
                snprintf(buf, size, "%" PRIu64 " B", bytes);
                return buf;
        }
        /* Tenths of the unit, rounded to nearest, without overflow. */
        tenths = (uint64_t)((long double)bytes * 10 / (long double)(UINT64_C(1) << (10 * i)) +
                            0.5L);
        if (tenths >= 10240 && i + 1 < ARRAY_SIZE(names)) {
                i++;
                tenths = (tenths + 512) / 1024;
        }
        if (tenths % 10 == 0)
                snprintf(buf, size, "%" PRIu64 " %s", tenths / 10, names[i]);
        else
                snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10,
                         names[i]);
        return buf;
}
