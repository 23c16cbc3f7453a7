/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptive busy-poll window (rpc/spin.h): given the latencies of the
 * replies that came, which window the next wait gets. What a user would
 * check: fast replies keep it spinning (narrowed to a few times their
 * latency), slow procedures turn it off after a few waits, it probes and
 * comes back when replies get fast again, probing backs off, a single
 * slow call does not turn it off, 0 disables it, and the setting parses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "rpc/spin.h"

#define US 1000ull /* ns */

/* One wait: the window it gets, and its reply after `latency_ns`. */
static unsigned wait_once(VmmRpcSpin *s, uint64_t latency_ns)
{
        unsigned w = vmm_rpc_spin_next(s);
        vmm_rpc_spin_update(s, w, latency_ns);
        return w;
}

static void test_spin_starts_at_ceiling(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 50);
        assert_int_equal(vmm_rpc_spin_next(&s), 50);
        vmm_rpc_spin_init(&s, 1000000);
        assert_int_equal(s.max_us, VMM_RPC_SPIN_MAX_US);
}

static void test_spin_zero_never_spins(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 0);
        for (int i = 0; i < 100; i++)
                assert_int_equal(wait_once(&s, i % 2 ? 5 * US : 5000 * US), 0);
}

static void test_spin_fast_replies_narrow_window(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 100);
        for (int i = 0; i < 20; i++)
                assert_int_not_equal(wait_once(&s, 5 * US), 0);
        /* four times the latency */
        assert_int_equal(vmm_rpc_spin_next(&s), 20);
        /* never under the floor, never over the ceiling */
        for (int i = 0; i < 20; i++)
                wait_once(&s, 1 * US);
        assert_int_equal(vmm_rpc_spin_next(&s), VMM_RPC_SPIN_MIN_US);
        for (int i = 0; i < 20; i++)
                wait_once(&s, 90 * US);
        assert_int_equal(vmm_rpc_spin_next(&s), 100);
}

static void test_spin_narrow_miss_widens(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 100);
        for (int i = 0; i < 20; i++)
                wait_once(&s, 5 * US);
        assert_int_equal(vmm_rpc_spin_next(&s), 20);
        /* a reply after 30 us missed the 20 us window but fits the ceiling */
        wait_once(&s, 30 * US);
        assert_int_equal(vmm_rpc_spin_next(&s), 100);
        /* and is caught the next time */
        wait_once(&s, 30 * US);
        assert_int_not_equal(vmm_rpc_spin_next(&s), 0);
        assert_int_equal(s.misses, 0);
}

static void test_spin_slow_replies_turn_it_off(void **state)
{
        VmmRpcSpin s;
        unsigned spun = 0;

        vmm_rpc_spin_init(&s, 50);
        for (unsigned i = 0; i < VMM_RPC_SPIN_MISS_LIMIT; i++)
                assert_int_not_equal(wait_once(&s, 2000 * US), 0);
        /* off: the next waits sleep at once, except one probe */
        for (unsigned i = 0; i < VMM_RPC_SPIN_PROBE_MIN; i++)
                assert_int_equal(wait_once(&s, 2000 * US), 0);
        spun = wait_once(&s, 2000 * US);
        assert_int_equal(spun, 50); /* the probe uses the whole ceiling */
}

static void test_spin_one_slow_call_keeps_it(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 50);
        for (int i = 0; i < 200; i++)
                assert_int_not_equal(
                    wait_once(&s, (i % VMM_RPC_SPIN_MISS_LIMIT) ? 8 * US : 3000 * US), 0);
}

static void test_spin_probe_hit_comes_back(void **state)
{
        VmmRpcSpin s;
        int sleeps = 0;

        vmm_rpc_spin_init(&s, 50);
        for (unsigned i = 0; i < VMM_RPC_SPIN_MISS_LIMIT; i++)
                wait_once(&s, 2000 * US);
        /* replies are fast again: after the probe interval it spins again */
        while (wait_once(&s, 6 * US) == 0)
                sleeps++;
        assert_int_equal(sleeps, VMM_RPC_SPIN_PROBE_MIN);
        for (int i = 0; i < 10; i++)
                assert_int_not_equal(wait_once(&s, 6 * US), 0);
}

static void test_spin_probes_back_off(void **state)
{
        VmmRpcSpin s;
        unsigned expect = VMM_RPC_SPIN_PROBE_MIN;

        vmm_rpc_spin_init(&s, 50);
        for (unsigned i = 0; i < VMM_RPC_SPIN_MISS_LIMIT; i++)
                wait_once(&s, 2000 * US);
        /* every failed probe doubles the sleeps before the next, up to the cap */
        for (int round = 0; round < 10; round++) {
                unsigned sleeps = 0;
                while (wait_once(&s, 2000 * US) == 0)
                        sleeps++;
                assert_int_equal(sleeps, expect);
                expect = expect * 2 > VMM_RPC_SPIN_PROBE_MAX ? VMM_RPC_SPIN_PROBE_MAX : expect * 2;
        }
        /* CPU spent on a daemon that always answers slowly: at most one
         * window per VMM_RPC_SPIN_PROBE_MAX calls */
        {
                unsigned long spun = 0;
                for (int i = 0; i < 10000; i++)
                        spun += wait_once(&s, 2000 * US);
                assert_true(spun <= 50ul * (10000 / VMM_RPC_SPIN_PROBE_MAX + 1));
        }
}

/* Losing the CPU while spinning is a miss even when the reply came fast:
 * on a contended host spinning stops. */
static void test_spin_contended_turns_it_off(void **state)
{
        VmmRpcSpin s;

        vmm_rpc_spin_init(&s, 50);
        for (int i = 0; i < 10; i++)
                wait_once(&s, 5 * US);
        for (unsigned i = 0; i < VMM_RPC_SPIN_MISS_LIMIT; i++) {
                unsigned w = vmm_rpc_spin_next(&s);
                assert_int_not_equal(w, 0);
                vmm_rpc_spin_contended(&s, w);
        }
        assert_int_equal(vmm_rpc_spin_next(&s), 0);
        /* a contended wait in between fast ones does not */
        vmm_rpc_spin_init(&s, 50);
        for (int i = 0; i < 100; i++) {
                unsigned w = vmm_rpc_spin_next(&s);
                assert_int_not_equal(w, 0);
                if (i % 2)
                        vmm_rpc_spin_contended(&s, w);
                else
                        vmm_rpc_spin_update(&s, w, 5 * US);
        }
}

static void test_spin_wait_without_window_teaches_nothing(void **state)
{
        VmmRpcSpin s, before;

        vmm_rpc_spin_init(&s, 50);
        before = s;
        vmm_rpc_spin_update(&s, 0, 9000 * US);
        assert_memory_equal(&s, &before, sizeof(s));
}

static void test_spin_parse(void **state)
{
        unsigned us = 7;

        assert_int_equal(vmm_rpc_spin_parse("0", &us), 0);
        assert_int_equal(us, 0);
        assert_int_equal(vmm_rpc_spin_parse("80", &us), 0);
        assert_int_equal(us, 80);
        assert_int_equal(vmm_rpc_spin_parse("10000", &us), 0);
        assert_int_equal(vmm_rpc_spin_parse("10001", &us), -EINVAL);
        assert_int_equal(vmm_rpc_spin_parse("-1", &us), -EINVAL);
        assert_int_equal(vmm_rpc_spin_parse("5us", &us), -EINVAL);
        assert_int_equal(vmm_rpc_spin_parse("", &us), -EINVAL);
        assert_int_equal(vmm_rpc_spin_parse(NULL, &us), -EINVAL);
        assert_int_equal(us, 10000); /* untouched by the failures */

        unsetenv("VMM_RPC_SPIN_US");
        assert_int_equal(vmm_rpc_spin_from_env(&us), 0);
        assert_int_equal(us, VMM_RPC_SPIN_DEFAULT_US);
        setenv("VMM_RPC_SPIN_US", "0", 1);
        assert_int_equal(vmm_rpc_spin_from_env(&us), 0);
        assert_int_equal(us, 0);
        setenv("VMM_RPC_SPIN_US", "lots", 1);
        assert_int_equal(vmm_rpc_spin_from_env(&us), -EINVAL);
        assert_int_equal(us, VMM_RPC_SPIN_DEFAULT_US);
        unsetenv("VMM_RPC_SPIN_US");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_spin_starts_at_ceiling),
            cmocka_unit_test(test_spin_zero_never_spins),
            cmocka_unit_test(test_spin_fast_replies_narrow_window),
            cmocka_unit_test(test_spin_narrow_miss_widens),
            cmocka_unit_test(test_spin_slow_replies_turn_it_off),
            cmocka_unit_test(test_spin_one_slow_call_keeps_it),
            cmocka_unit_test(test_spin_probe_hit_comes_back),
            cmocka_unit_test(test_spin_probes_back_off),
            cmocka_unit_test(test_spin_contended_turns_it_off),
            cmocka_unit_test(test_spin_wait_without_window_teaches_nothing),
            cmocka_unit_test(test_spin_parse),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
