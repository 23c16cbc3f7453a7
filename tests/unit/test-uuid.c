/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/uuid.h"

static const uint8_t expected_bytes[VMM_UUID_LEN] = {
        0xc7, 0xa5, 0xfd, 0xbd, 0xcd, 0xaf, 0x94, 0x55,
        0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09,
};

static void test_uuid_parse_accepted_forms(void **state)
{
        static const char *const forms[] = {
                "c7a5fdbd-cdaf-9455-926a-d65c16db1809",
                "C7A5FDBD-CDAF-9455-926A-D65C16DB1809",
                "c7a5fdbdcdaf9455926ad65c16db1809",
                "c7-a5-fd-bd-cd-af-94-55-92-6a-d6-5c-16-db-18-09",
                "  c7a5fdbd-cdaf-9455-926a-d65c16db1809\n",
        };

        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                uint8_t uuid[VMM_UUID_LEN] = { 0 };

                assert_int_equal(vmm_uuid_parse(forms[i], uuid, &error), 0);
                assert_memory_equal(uuid, expected_bytes, VMM_UUID_LEN);
                assert_false(vmm_error_is_set(&error));
        }
}

static void test_uuid_parse_rejected_forms(void **state)
{
        static const char *const bad[] = {
                "",
                "c7a5fdbd-cdaf-9455-926a-d65c16db180",    /* 31 digits */
                "c7a5fdbd-cdaf-9455-926a-d65c16db18090",  /* 33 digits */
                "c7a5fdbd-cdaf-9455-926a-d65c16db18g9",   /* not hex */
                "-c7a5fdbd-cdaf-9455-926a-d65c16db1809",  /* leading dash */
                "c7a5fdbd--cdaf-9455-926a-d65c16db1809",  /* double dash */
                "c7a5fdb-dcdaf-9455-926a-d65c16db1809",   /* dash inside a byte */
                "c7a5fdbd-cdaf-9455-926a-d65c16db1809 x", /* trailing junk */
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                uint8_t uuid[VMM_UUID_LEN];

                memset(uuid, 0x5a, sizeof(uuid));
                assert_int_equal(vmm_uuid_parse(bad[i], uuid, &error), -EINVAL);
                assert_int_equal(error.code, -EINVAL);
                assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
                /* The message quotes the input and shows the expected form. */
                assert_non_null(strstr(error.message, bad[i]));
                assert_non_null(strstr(error.message, "expected"));
                /* Output untouched on failure. */
                for (size_t j = 0; j < VMM_UUID_LEN; j++)
                        assert_int_equal(uuid[j], 0x5a);
                vmm_error_clear(&error);
        }
}

static void test_uuid_format_round_trip(void **state)
{
        char buf[VMM_UUID_STRLEN];
        uint8_t back[VMM_UUID_LEN];

        assert_ptr_equal(vmm_uuid_format(expected_bytes, buf), buf);
        assert_string_equal(buf, "c7a5fdbd-cdaf-9455-926a-d65c16db1809");
        assert_int_equal(vmm_uuid_parse(buf, back, NULL), 0);
        assert_memory_equal(back, expected_bytes, VMM_UUID_LEN);
}

static void test_uuid_generate_v4_and_distinct(void **state)
{
        uint8_t a[VMM_UUID_LEN], b[VMM_UUID_LEN];
        char buf[VMM_UUID_STRLEN];

        assert_int_equal(vmm_uuid_generate(a), 0);
        assert_int_equal(vmm_uuid_generate(b), 0);
        assert_memory_not_equal(a, b, VMM_UUID_LEN);
        assert_false(vmm_uuid_is_null(a));
        vmm_uuid_format(a, buf);
        assert_int_equal(buf[14], '4');                /* version 4 */
        assert_non_null(strchr("89ab", buf[19]));      /* RFC 4122 variant */
}

static void test_uuid_is_null(void **state)
{
        uint8_t zero[VMM_UUID_LEN] = { 0 };

        assert_true(vmm_uuid_is_null(zero));
        zero[15] = 1;
        assert_false(vmm_uuid_is_null(zero));
        assert_false(vmm_uuid_is_null(expected_bytes));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_uuid_parse_accepted_forms),
                cmocka_unit_test(test_uuid_parse_rejected_forms),
                cmocka_unit_test(test_uuid_format_round_trip),
                cmocka_unit_test(test_uuid_generate_v4_and_distinct),
                cmocka_unit_test(test_uuid_is_null),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
