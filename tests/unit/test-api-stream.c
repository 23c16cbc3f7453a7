/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public stream API (vmm-stream.h) at its boundary, on test:///default:
 * the argument checks, a stream that is not open, and the test driver's
 * console refusal with its message. (Streams that carry data: the RPC
 * level in test-rpc-stream.c, the real console in qemud-e2e-console.sh.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <vmm/vmm.h>

static void test_stream_checks(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmConnect *conn = NULL, *other = NULL;
        VmmStream *st = NULL, *st2 = NULL;
        VmmDomain *dom = NULL;
        char buf[16];

        assert_int_equal(vmm_connect_open("test:///default", 0, &conn, &err), 0);
        assert_int_equal(vmm_connect_open("test:///default", 0, &other, &err), 0);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "test", &dom, &err), 0);

        assert_int_equal(vmm_stream_new(NULL, 0, &st, &err), -EINVAL);
        vmm_error_clear(&err);
        assert_int_equal(vmm_stream_new(conn, 8, &st, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "unknown flags 0x8"));
        vmm_error_clear(&err);
        assert_int_equal(vmm_stream_new(conn, 0, &st, &err), 0);
        assert_int_equal(vmm_stream_new(other, 0, &st2, &err), 0);

        /* nothing but open on a stream that is not open */
        assert_int_equal(vmm_stream_send(st, "x", 1, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "the stream is not open"));
        vmm_error_clear(&err);
        assert_int_equal(vmm_stream_recv(st, buf, sizeof(buf), 0, &err), -EINVAL);
        assert_int_equal(vmm_stream_event_fd(st, &err), -EINVAL);
        assert_int_equal(vmm_stream_finish(st, &err), -EINVAL);
        assert_int_equal(vmm_stream_abort(st, &err), -EINVAL);
        vmm_error_clear(&err);

        assert_int_equal(vmm_domain_open_console(dom, NULL, NULL, 0, &err), -EINVAL);
        vmm_error_clear(&err);
        assert_int_equal(vmm_domain_open_console(dom, NULL, st, 0x100, &err), -EINVAL);
        vmm_error_clear(&err);
        assert_int_equal(vmm_domain_open_console(dom, "", st, 0, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "device name \"\""));
        vmm_error_clear(&err);
        assert_int_equal(vmm_domain_open_console(dom, NULL, st2, 0, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "another connection"));
        vmm_error_clear(&err);

        /* the test driver runs no guest: it says so */
        assert_int_equal(
            vmm_domain_open_console(dom, "serial0", st, VMM_DOMAIN_CONSOLE_FORCE, &err), -ENOTSUP);
        assert_int_equal(err.kind, VMM_ERR_NO_SUPPORT);
        assert_non_null(strstr(vmm_error_message(&err), "the test driver has no console"));
        vmm_error_clear(&err);
        /* and the stream is still unopened */
        assert_int_equal(vmm_stream_send(st, "x", 1, &err), -EINVAL);
        vmm_error_clear(&err);

        assert_null(vmm_stream_free(st));
        assert_null(vmm_stream_free(st2));
        assert_null(vmm_stream_free(NULL));
        vmm_domain_unref(dom);
        vmm_connect_close(other);
        vmm_connect_close(conn);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_stream_checks),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
