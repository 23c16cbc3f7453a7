/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/macros.h"
#include "util/units.h"

#define KiB UINT64_C(1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)
#define TiB (GiB * 1024)
#define PiB (TiB * 1024)
#define EiB (PiB * 1024)

static void test_parse_uint64(void **state)
{
        static const struct {
                const char *in;
                int r;
                uint64_t out;
        } cases[] = {
                { "0", 0, 0 },
                { "42", 0, 42 },
                { "007", 0, 7 },
                { "18446744073709551615", 0, UINT64_MAX },
                { "18446744073709551616", -ERANGE, 0 },
                { "99999999999999999999999", -ERANGE, 0 },
                { "", -EINVAL, 0 },
                { "-1", -EINVAL, 0 },
                { "+1", -EINVAL, 0 },
                { " 1", -EINVAL, 0 },
                { "1 ", -EINVAL, 0 },
                { "12abc", -EINVAL, 0 },
                { "0x10", -EINVAL, 0 },
                { "abc", -EINVAL, 0 },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmError error = VMM_ERROR_INIT;
                uint64_t v = 12345;
                int r = vmm_parse_uint64(cases[i].in, &v, "vcpu", &error);

                assert_int_equal(r, cases[i].r);
                if (r == 0) {
                        assert_true(v == cases[i].out);
                        continue;
                }
                assert_true(v == 12345);
                assert_int_equal(error.code, r);
                assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
                assert_true(strncmp(error.message, "vcpu: \"", 7) == 0);
                assert_non_null(strstr(error.message, cases[i].in));
                vmm_error_clear(&error);
        }
}

static void test_parse_uint_and_int_ranges(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        unsigned int u;
        int i;

        assert_int_equal(vmm_parse_uint("4294967295", &u, "port", NULL), 0);
        assert_int_equal(u, UINT_MAX);
        assert_int_equal(vmm_parse_uint("4294967296", &u, "port", &error), -ERANGE);
        assert_string_equal(error.message,
                            "port: \"4294967296\" is too large (at most 4294967295)");

        assert_int_equal(vmm_parse_int("-2147483648", &i, "id", NULL), 0);
        assert_int_equal(i, INT_MIN);
        assert_int_equal(vmm_parse_int("2147483647", &i, "id", NULL), 0);
        assert_int_equal(i, INT_MAX);
        assert_int_equal(vmm_parse_int("-7", &i, "id", NULL), 0);
        assert_int_equal(i, -7);
        assert_int_equal(vmm_parse_int("2147483648", &i, "id", &error), -ERANGE);
        assert_non_null(strstr(error.message, "id: \"2147483648\" is out of range"));
        assert_int_equal(vmm_parse_int("-2147483649", &i, "id", NULL), -ERANGE);
        assert_int_equal(vmm_parse_int("-", &i, "id", &error), -EINVAL);
        assert_string_equal(error.message, "id: \"-\" is not a number");
        assert_int_equal(vmm_parse_int("--1", &i, "id", NULL), -EINVAL);
        assert_int_equal(vmm_parse_int(NULL, &i, "id", NULL), -EINVAL);
        vmm_error_clear(&error);
}

static void test_unit_scale_table(void **state)
{
        static const struct {
                const char *unit;
                uint64_t scale;
        } cases[] = {
                { "b", 1 },          { "bytes", 1 },       { "B", 1 },
                { "KB", 1000 },      { "kb", 1000 },       { "k", KiB },
                { "K", KiB },        { "KiB", KiB },       { "kib", KiB },
                { "MB", 1000000 },   { "M", MiB },         { "MiB", MiB },
                { "GB", UINT64_C(1000000000) }, { "G", GiB }, { "GiB", GiB },
                { "TB", UINT64_C(1000000000000) }, { "T", TiB }, { "TiB", TiB },
                { "PB", UINT64_C(1000000000000000) }, { "P", PiB }, { "PiB", PiB },
                { "EB", UINT64_C(1000000000000000000) }, { "E", EiB }, { "EiB", EiB },
                { "eib", EiB },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                uint64_t scale = 0;

                assert_int_equal(vmm_unit_scale(cases[i].unit, 7, &scale, "memory", NULL), 0);
                assert_true(scale == cases[i].scale);
        }
}

static void test_unit_scale_default_and_unknown(void **state)
{
        static const char *const bad[] = { "furlongs", "KiBB", "x", "Ki", "iB", "KIBytes" };
        VmmError error = VMM_ERROR_INIT;
        uint64_t scale = 0;

        assert_int_equal(vmm_unit_scale(NULL, KiB, &scale, "memory", NULL), 0);
        assert_true(scale == KiB);
        assert_int_equal(vmm_unit_scale("", MiB, &scale, "memory", NULL), 0);
        assert_true(scale == MiB);

        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                char expected[64];

                assert_int_equal(vmm_unit_scale(bad[i], 1, &scale, "memory", &error), -EINVAL);
                snprintf(expected, sizeof(expected),
                         "memory: unit \"%s\" is unknown (expected one of ", bad[i]);
                assert_true(strncmp(error.message, expected, strlen(expected)) == 0);
                assert_non_null(strstr(error.message, "MiB"));
        }
        vmm_error_clear(&error);
}

static void test_parse_size_values(void **state)
{
        static const struct {
                const char *value;
                const char *unit;
                uint64_t default_scale, granularity, max;
                int r;
                uint64_t bytes;
        } cases[] = {
                { "512", "MiB", KiB, 0, 0, 0, 512 * MiB },
                { "1048576", NULL, KiB, 0, 0, 0, GiB },          /* default KiB */
                { "1", "GB", 1, 0, 0, 0, UINT64_C(1000000000) },
                { "512 MiB", NULL, KiB, 0, 0, 0, 512 * MiB },     /* unit inline */
                { "2G", NULL, KiB, 0, 0, 0, 2 * GiB },
                { "1000", "b", KiB, KiB, 0, 0, KiB },              /* rounded up */
                { "1024", "b", KiB, KiB, 0, 0, KiB },              /* already aligned */
                { "16", "EiB", 1, 0, 0, -ERANGE, 0 },              /* 2^64 overflows */
                { "15", "EiB", 1, 0, 0, 0, 15 * EiB },
                { "18446744073709551615", "b", 1, KiB, 0, -ERANGE, 0 }, /* rounding overflows */
                { "5", "GiB", 1, 0, 4 * GiB, -ERANGE, 0 },         /* above max */
                { "4", "GiB", 1, 0, 4 * GiB, 0, 4 * GiB },
                { "12", "MiB", 1, 0, 0, 0, 12 * MiB },
                { "abc", "MiB", 1, 0, 0, -EINVAL, 0 },
                { "", NULL, 1, 0, 0, -EINVAL, 0 },
                { "-1", "KiB", 1, 0, 0, -EINVAL, 0 },
                { "1.5", "GiB", 1, 0, 0, -EINVAL, 0 },
                { "12", "furlongs", 1, 0, 0, -EINVAL, 0 },
                { "12 MiB", "KiB", 1, 0, 0, -EINVAL, 0 },          /* two units */
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmError error = VMM_ERROR_INIT;
                uint64_t bytes = 99;
                int r = vmm_parse_size(cases[i].value, cases[i].unit, cases[i].default_scale,
                                       cases[i].granularity, cases[i].max, &bytes, "memory",
                                       &error);

                if (r != cases[i].r)
                        fail_msg("case %zu (\"%s\" %s): got %d, expected %d (%s)", i,
                                 cases[i].value, strna(cases[i].unit), r, cases[i].r,
                                 vmm_error_message(&error));
                if (r == 0) {
                        assert_true(bytes == cases[i].bytes);
                } else {
                        assert_true(bytes == 99);
                        assert_true(strncmp(error.message, "memory: ", 8) == 0);
                }
                vmm_error_clear(&error);
        }
}

static void test_parse_size_messages(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        uint64_t bytes;

        assert_int_equal(vmm_parse_size("abc", "MiB", KiB, 0, 0, &bytes, "memory", &error),
                         -EINVAL);
        assert_string_equal(error.message,
                            "memory: \"abc\" is not a number (expected e.g. \"512 MiB\")");
        assert_int_equal(vmm_parse_size("1.5 GiB", NULL, KiB, 0, 0, &bytes, "memory", &error),
                         -EINVAL);
        assert_string_equal(error.message,
                            "memory: \"1.5 GiB\" is not a number (expected e.g. \"512 MiB\")");
        assert_int_equal(vmm_parse_size("512", "furlongs", KiB, 0, 0, &bytes, "memory", &error),
                         -EINVAL);
        assert_true(strncmp(error.message,
                            "memory: unit \"furlongs\" is unknown (expected one of b, ", 55) == 0);
        assert_int_equal(vmm_parse_size("5", "GiB", 1, 0, 4 * GiB, &bytes, "memory", &error),
                         -ERANGE);
        assert_string_equal(error.message, "memory: \"5 GiB\" is too large (at most 4 GiB)");
        vmm_error_clear(&error);
}

static void test_format_size(void **state)
{
        static const struct {
                uint64_t bytes;
                const char *text;
        } cases[] = {
                { 0, "0 B" },
                { 100, "100 B" },
                { 1023, "1023 B" },
                { KiB, "1 KiB" },
                { 512 * MiB, "512 MiB" },
                { GiB + GiB / 2, "1.5 GiB" },
                { 10 * TiB, "10 TiB" },
                { MiB - 1, "1 MiB" },     /* 1023.999 KiB rounds into the next unit */
                { UINT64_MAX, "16 EiB" },
        };
        char buf[32];

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                assert_string_equal(vmm_format_size(cases[i].bytes, buf, sizeof(buf)),
                                    cases[i].text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_uint64),
                cmocka_unit_test(test_parse_uint_and_int_ranges),
                cmocka_unit_test(test_unit_scale_table),
                cmocka_unit_test(test_unit_scale_default_and_unknown),
                cmocka_unit_test(test_parse_size_values),
                cmocka_unit_test(test_parse_size_messages),
                cmocka_unit_test(test_format_size),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
