/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Busy-polling against the vmm-echo-test daemon over a real UNIX socket:
 * after a burst of calls, an idle daemon and an idle client use no CPU;
 * idle exit still happens; slow procedures turn the client's spinning
 * off; --spin-us 0 and a client that never spins still work; a bad
 * --spin-us or $VMM_RPC_SPIN_US is refused with a message naming it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "daemon-test-util.h"
#include "rpc/client-internal.h"

/* utime + stime of `pid`, in clock ticks. */
static long cpu_ticks(pid_t pid)
{
        char path[64], buf[1024];
        unsigned long ut = 0, st = 0;
        const char *p;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        assert_non_null(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        p = strrchr(buf, ')');
        assert_non_null(p);
        assert_int_equal(
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st), 2);
        return (long)(ut + st);
}

static double self_cpu_ms(void)
{
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void echo_burst(VmmRpcClient *c, int n)
{
        VmmError err = VMM_ERROR_INIT;

        for (int i = 0; i < n; i++) {
                int r = td_echo(c, "spin", &err);
                if (r < 0)
                        fail_msg("echo %d: %s", i, vmm_error_message(&err));
        }
}

/* The window is the ceiling for 2 s of silence, so spinning that did not
 * stop would show as ~200 ticks; allow one tick of sampling noise. */
static void test_idle_daemon_and_client_use_no_cpu(void **state)
{
        static const char *const opts[] = {"--spin-us", "200", NULL};
        TestDaemon d;
        VmmRpcClient *c;
        long ticks;
        double self;

        td_start(&d, opts);
        c = td_client(d.rw);
        echo_burst(c, 3000);
        usleep(100000);
        ticks = cpu_ticks(d.pid);
        self = self_cpu_ms();
        sleep(2); /* connected, silent (keepalive pings come every 5 s) */
        assert_in_range(cpu_ticks(d.pid) - ticks, 0, 1);
        assert_true(self_cpu_ms() - self < 20.0);
        /* and it still answers at once */
        echo_burst(c, 10);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void test_idle_exit_after_spinning(void **state)
{
        static const char *const opts[] = {"--timeout", "1", "--spin-us", "100", NULL};
        TestDaemon d;
        VmmRpcClient *c;
        int status;

        td_start(&d, opts);
        c = td_client(d.rw);
        echo_burst(c, 2000);
        vmm_rpc_client_free(c);
        status = td_wait_exit(&d, 4000);
        assert_int_not_equal(status, -1); /* it exited by itself */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(td_stop(&d), 0);
}

/* A reply slower than the window, several times in a row: the client
 * stops spinning (and sleeps in poll instead). */
static void test_slow_replies_stop_client_spinning(void **state)
{
        TestDaemon d;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        VmmRpcClient *c = NULL;

        td_start(&d, NULL);
        o.spin_us = 50;
        assert_int_equal(vmm_rpc_client_connect_unix(d.rw, &o, &c, &err), 0);
        assert_int_equal(c->spin.max_us, 50);
        for (unsigned i = 0; i < VMM_RPC_SPIN_MISS_LIMIT; i++)
                assert_int_equal(td_sleep(c, 5, &err), 0);
        assert_int_equal(c->spin.window_us, 0);
        /* fast calls are still answered right (spinning or probing) */
        echo_burst(c, 100);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void test_spin_zero_serves(void **state)
{
        static const char *const opts[] = {"--spin-us", "0", NULL};
        TestDaemon d;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        VmmRpcClient *c = NULL;

        td_start(&d, opts);
        o.spin_us = 0;
        assert_int_equal(vmm_rpc_client_connect_unix(d.rw, &o, &c, &err), 0);
        assert_int_equal(c->spin.max_us, 0);
        echo_burst(c, 500);
        vmm_rpc_client_free(c);

        /* the environment sets both sides; a bad value keeps the default */
        setenv("VMM_RPC_SPIN_US", "0", 1);
        c = td_client(d.rw);
        assert_int_equal(c->spin.max_us, 0);
        vmm_rpc_client_free(c);
        setenv("VMM_RPC_SPIN_US", "fast", 1);
        c = td_client(d.rw);
        assert_int_equal(c->spin.max_us, VMM_RPC_SPIN_DEFAULT_US);
        echo_burst(c, 10);
        vmm_rpc_client_free(c);
        unsetenv("VMM_RPC_SPIN_US");
        assert_int_equal(td_stop(&d), 0);
}

static void test_bad_spin_option(void **state)
{
        char *argv[] = {(char *)VMM_ECHO_TEST_DAEMON, (char *)"--spin-us", (char *)"lots", NULL};
        TestDaemon d;
        int status;

        td_dirs(&d);
        d.pid = td_spawn(&d, argv);
        status = td_wait_exit(&d, 5000);
        assert_true(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) != 0);
        assert_true(td_log_contains(&d, "--spin-us: \"lots\" is not a number from 0 to 10000"));
        argv[2] = (char *)"10001";
        d.pid = td_spawn(&d, argv);
        status = td_wait_exit(&d, 5000);
        assert_true(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) != 0);
        assert_true(td_log_contains(&d, "--spin-us: \"10001\" is not a number from 0 to 10000"));
        assert_int_equal(td_stop(&d), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_idle_daemon_and_client_use_no_cpu),
            cmocka_unit_test(test_idle_exit_after_spinning),
            cmocka_unit_test(test_slow_replies_stop_client_spinning),
            cmocka_unit_test(test_spin_zero_serves),
            cmocka_unit_test(test_bad_spin_option),
        };
        unsetenv("VMM_RPC_SPIN_US");
        return cmocka_run_group_tests(tests, NULL, NULL);
}
