/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

static void test_buf_empty(void **state)
{
        VmmBuf buf = VMM_BUF_INIT;
        char *s;

        assert_string_equal(vmm_buf_str(&buf), "");
        s = vmm_buf_steal(&buf);
        assert_non_null(s);
        assert_string_equal(s, "");
        free(s);
        vmm_buf_done(&buf);
}

static void test_buf_appends(void **state)
{
        VmmBuf buf = VMM_BUF_INIT;
        char *s;

        vmm_buf_add(&buf, "domain ");
        vmm_buf_addc(&buf, '\'');
        vmm_buf_addn(&buf, "web1234", 4);
        vmm_buf_addc(&buf, '\'');
        vmm_buf_addf(&buf, ": %d vCPUs, %s", 4, "running");
        assert_string_equal(vmm_buf_str(&buf), "domain 'web1': 4 vCPUs, running");
        assert_int_equal(buf.len, strlen("domain 'web1': 4 vCPUs, running"));
        s = vmm_buf_steal(&buf);
        assert_string_equal(s, "domain 'web1': 4 vCPUs, running");
        /* Stealing resets the buffer for reuse. */
        assert_null(buf.data);
        assert_int_equal(buf.len, 0);
        vmm_buf_add(&buf, "again");
        assert_string_equal(vmm_buf_str(&buf), "again");
        free(s);
        vmm_buf_done(&buf);
        assert_null(buf.data);
}

static void test_buf_grows(void **state)
{
        VmmBuf buf = VMM_BUF_INIT;

        /* Many small and large appends across several reallocations. */
        for (int i = 0; i < 10000; i++)
                vmm_buf_addf(&buf, "%04d,", i % 10000);
        assert_int_equal(buf.len, 50000);
        assert_int_equal(strlen(vmm_buf_str(&buf)), 50000);
        assert_memory_equal(vmm_buf_str(&buf), "0000,0001,", 10);
        assert_memory_equal(vmm_buf_str(&buf) + 49995, "9999,", 5);
        assert_true(buf.cap > buf.len);
        vmm_buf_done(&buf);
}

static void test_buf_addf_exact_fit(void **state)
{
        VmmBuf buf = VMM_BUF_INIT;
        char big[200];

        /* A formatted string that lands exactly on the capacity edge. */
        memset(big, 'z', sizeof(big));
        big[sizeof(big) - 1] = '\0';
        /* 62 characters */
        vmm_buf_add(&buf, "12345678901234567890123456789012345678901234567890123456789012");
        vmm_buf_addf(&buf, "%c", 'X'); /* 63 + NUL = 64 */
        assert_int_equal(buf.len, 63);
        vmm_buf_addf(&buf, "%s", big);
        assert_int_equal(buf.len, 63 + 199);
        assert_int_equal(vmm_buf_str(&buf)[62], 'X');
        assert_int_equal(vmm_buf_str(&buf)[63 + 198], 'z');
        vmm_buf_done(&buf);
}

static void test_buf_overflow_is_oom(void **state)
{
        VmmBuf buf = VMM_BUF_INIT;

        /* A length that cannot be represented marks the buffer failed
         * instead of wrapping around; later adds do nothing. */
        vmm_buf_add(&buf, "abc");
        vmm_buf_addn(&buf, "x", SIZE_MAX - 1);
        assert_true(buf.oom);
        vmm_buf_add(&buf, "more");
        assert_string_equal(vmm_buf_str(&buf), "abc");
        assert_null(vmm_buf_steal(&buf));
        assert_null(buf.data);
        assert_false(buf.oom); /* reset for reuse */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_buf_empty),
                cmocka_unit_test(test_buf_appends),
                cmocka_unit_test(test_buf_grows),
                cmocka_unit_test(test_buf_addf_exact_fit),
                cmocka_unit_test(test_buf_overflow_is_oom),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
