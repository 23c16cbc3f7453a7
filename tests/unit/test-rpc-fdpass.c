/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Descriptor passing over a UNIX socket. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "rpc/fdpass.h"
#include "util/error.h"

static int count_open_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        int n = 0;

        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

static void test_pass_pipe(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        int sv[2], p[2], got[VMM_RPC_MAX_FDS];
        size_t n_got = 0;
        char buf[16] = {0};

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        assert_int_equal(vmm_rpc_send_fds(sv[0], "F", 1, &p[1], 1, &err), 1);
        close(p[1]);
        assert_int_equal(vmm_rpc_recv_fds(sv[1], buf, sizeof(buf), got, 4, &n_got, &err), 1);
        assert_int_equal(buf[0], 'F');
        assert_int_equal(n_got, 1);
        assert_true(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
        /* the received descriptor is the pipe's write end */
        assert_int_equal(write(got[0], "through", 7), 7);
        close(got[0]);
        assert_int_equal(read(p[0], buf, sizeof(buf)), 7);
        assert_memory_equal(buf, "through", 7);
        close(p[0]);

        /* plain data: no descriptors */
        assert_int_equal(vmm_rpc_send_fds(sv[0], "xy", 2, NULL, 0, &err), 2);
        assert_int_equal(vmm_rpc_recv_fds(sv[1], buf, sizeof(buf), got, 4, &n_got, &err), 2);
        assert_int_equal(n_got, 0);
        close(sv[0]);
        close(sv[1]);
}

static void test_limits(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        int sv[2], fds[VMM_RPC_MAX_FDS + 1], got[1];
        size_t n_got = 99;
        char buf[4];
        int before;

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        for (int i = 0; i <= VMM_RPC_MAX_FDS; i++)
                fds[i] = sv[0];
        assert_int_equal(vmm_rpc_send_fds(sv[0], "x", 1, fds, VMM_RPC_MAX_FDS + 1, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "17 descriptors at once (limit 16)"));
        assert_int_equal(vmm_rpc_send_fds(sv[0], "", 0, fds, 1, &err), -EINVAL);

        /* more than the receiver expects: refused, nothing left open */
        before = count_open_fds();
        assert_int_equal(vmm_rpc_send_fds(sv[0], "x", 1, fds, 3, &err), 1);
        assert_int_equal(vmm_rpc_recv_fds(sv[1], buf, sizeof(buf), got, 1, &n_got, &err),
                         -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "more descriptors than the 1 expected"));
        assert_int_equal(n_got, 99); /* untouched on failure */
        assert_int_equal(count_open_fds(), before);
        vmm_error_clear(&err);
        close(sv[0]);
        close(sv[1]);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pass_pipe),
            cmocka_unit_test(test_limits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
