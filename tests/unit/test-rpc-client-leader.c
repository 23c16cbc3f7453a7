/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The client's fast path against vmm-echo-test: a waiting caller reads the
 * socket itself and hands it on to the next waiter. What a user sees:
 * a slow call never holds up fast ones on the same connection, a call
 * that gives up does not strand the others, thousands of overlapping
 * calls all get their own reply, and events still arrive between bursts
 * of calls, when no caller is reading. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon-test-util.h"

#define N_THREADS 8
#define CALLS_PER_THREAD 2000

typedef struct Caller {
        VmmRpcClient *c;
        int index;
        int calls; /* echo calls to make (CALLS_PER_THREAD when 0) */
        int failures;
        int first_error;
        char message[256];
        uint64_t elapsed_ms;
} Caller;

static void caller_note(Caller *a, int r, const VmmError *err)
{
        if (r >= 0)
                return;
        if (a->failures++ == 0) {
                a->first_error = r;
                snprintf(a->message, sizeof(a->message), "%s", vmm_error_message(err));
        }
}

/* Each thread echoes its own texts: a reply given to the wrong caller
 * shows up as a mismatch (-EPROTO from td_echo). */
static void *thread_echo_many(void *arg)
{
        Caller *a = arg;
        VmmError err = VMM_ERROR_INIT;
        uint64_t t0 = td_now_ms();
        int calls = a->calls ? a->calls : CALLS_PER_THREAD;
        char text[64];

        for (int i = 0; i < calls; i++) {
                snprintf(text, sizeof(text), "thread %d call %d", a->index, i);
                caller_note(a, td_echo(a->c, text, &err), &err);
                vmm_error_clear(&err);
        }
        a->elapsed_ms = td_now_ms() - t0;
        return NULL;
}

static void test_many_overlapping_calls(void **state)
{
        Caller args[N_THREADS];
        pthread_t th[N_THREADS];
        TestDaemon d;
        VmmRpcClient *c;

        td_start(&d, NULL);
        c = td_client(d.rw);
        for (int i = 0; i < N_THREADS; i++) {
                args[i] = (Caller){.c = c, .index = i};
                pthread_create(&th[i], NULL, thread_echo_many, &args[i]);
        }
        for (int i = 0; i < N_THREADS; i++) {
                pthread_join(th[i], NULL);
                if (args[i].failures)
                        fail_msg("thread %d: %d of %d calls failed, first: %d %s", i,
                                 args[i].failures, CALLS_PER_THREAD, args[i].first_error,
                                 args[i].message);
        }
        assert_true(vmm_rpc_client_is_open(c));
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void *thread_sleep(void *arg)
{
        Caller *a = arg;
        VmmError err = VMM_ERROR_INIT;
        uint64_t t0 = td_now_ms();

        caller_note(a, td_sleep(a->c, (unsigned)a->index, &err), &err);
        a->elapsed_ms = td_now_ms() - t0;
        vmm_error_clear(&err);
        return NULL;
}

/* A call waiting 3 s for its reply, most likely the one reading the
 * socket, must not delay the replies to the calls made meanwhile. */
static void test_slow_call_does_not_hold_up_fast_ones(void **state)
{
        Caller slow, fast[2];
        pthread_t th_slow, th_fast[2];
        TestDaemon d;
        VmmRpcClient *c;

        td_start(&d, NULL);
        c = td_client(d.rw);
        slow = (Caller){.c = c, .index = 3000};
        pthread_create(&th_slow, NULL, thread_sleep, &slow);
        usleep(50 * 1000); /* the slow call is sent, and waiting */
        for (int i = 0; i < 2; i++) {
                fast[i] = (Caller){.c = c, .index = 10 + i, .calls = 200};
                pthread_create(&th_fast[i], NULL, thread_echo_many, &fast[i]);
        }
        for (int i = 0; i < 2; i++) {
                pthread_join(th_fast[i], NULL);
                assert_int_equal(fast[i].failures, 0);
        }
        /* the fast calls were done while the slow one still waited */
        assert_int_equal(pthread_tryjoin_np(th_slow, NULL), EBUSY);
        pthread_join(th_slow, NULL);
        assert_int_equal(slow.failures, 0);
        assert_true(slow.elapsed_ms >= 3000);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

typedef struct Deadline {
        VmmRpcClient *c;
        int result;
        char message[256];
        uint64_t elapsed_ms;
} Deadline;

static void *thread_sleep_with_deadline(void *arg)
{
        Deadline *a = arg;
        Vmm__TestSleepRequest req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        uint64_t t0 = td_now_ms();

        req.milliseconds = 3000;
        a->result = vmm_rpc_client_call(a->c, &vmm_rpc_program_test, VMM_RPC_TEST_SLEEP, &req.base,
                                        100, NULL, &err);
        a->elapsed_ms = td_now_ms() - t0;
        snprintf(a->message, sizeof(a->message), "%s", vmm_error_message(&err));
        vmm_error_clear(&err);
        return NULL;
}

/* The first caller gives up after 100 ms; the second one's reply, due
 * at 400 ms, still comes on time (someone else reads the socket then). */
static void test_call_giving_up_hands_on_the_socket(void **state)
{
        Deadline early = {0};
        Caller patient;
        pthread_t th_early, th_patient;
        TestDaemon d;
        VmmRpcClient *c;

        td_start(&d, NULL);
        c = td_client(d.rw);
        early.c = c;
        pthread_create(&th_early, NULL, thread_sleep_with_deadline, &early);
        usleep(20 * 1000);
        patient = (Caller){.c = c, .index = 400};
        pthread_create(&th_patient, NULL, thread_sleep, &patient);
        pthread_join(th_early, NULL);
        pthread_join(th_patient, NULL);

        assert_int_equal(early.result, -ETIMEDOUT);
        assert_true(early.elapsed_ms >= 100 && early.elapsed_ms < 1000);
        assert_non_null(strstr(early.message, "call 'test.sleep' to daemon at '"));
        assert_non_null(strstr(early.message, "timed out after 100 ms"));
        assert_int_equal(patient.failures, 0);
        assert_true(patient.elapsed_ms >= 400 && patient.elapsed_ms < 3000);
        /* the late reply to the first call is dropped, the connection lives */
        VmmError err = VMM_ERROR_INIT;
        assert_int_equal(td_echo(c, "still here", &err), 0);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

typedef struct Ticks {
        pthread_mutex_t lock;
        unsigned seen;
        unsigned last;
} Ticks;

static void on_tick(VmmRpcClient *c, const VmmRpcProc *proc, const ProtobufCMessage *event,
                    void *userdata)
{
        Ticks *t = userdata;

        pthread_mutex_lock(&t->lock);
        t->seen++;
        t->last = ((const Vmm__TestTickEvent *)event)->count;
        pthread_mutex_unlock(&t->lock);
}

static unsigned ticks_seen(Ticks *t)
{
        unsigned n;

        pthread_mutex_lock(&t->lock);
        n = t->seen;
        pthread_mutex_unlock(&t->lock);
        return n;
}

/* Ticks (every 50 ms) keep coming during a burst of calls, which read
 * them, and after it, when only the client's own thread reads. */
static void test_events_during_and_after_calls(void **state)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        Ticks ticks = {.lock = PTHREAD_MUTEX_INITIALIZER};
        TestDaemon d;
        VmmRpcClient *c;
        unsigned before;
        uint64_t t0;

        td_start(&d, NULL);
        c = td_client(d.rw);
        assert_true(vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK,
                                                     on_tick, &ticks, NULL, &err) > 0);
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SUBSCRIBE,
                                             &empty.base, 5000, NULL, &err),
                         0);
        t0 = td_now_ms();
        while (td_now_ms() - t0 < 300)
                assert_int_equal(td_echo(c, "busy", &err), 0);
        for (int i = 0; i < 100 && ticks_seen(&ticks) < 3; i++)
                usleep(10 * 1000);
        assert_true(ticks_seen(&ticks) >= 3);

        /* idle now: the next three ticks arrive within about 150 ms */
        before = ticks_seen(&ticks);
        t0 = td_now_ms();
        while (ticks_seen(&ticks) < before + 3 && td_now_ms() - t0 < 4000)
                usleep(5 * 1000);
        assert_true(ticks_seen(&ticks) >= before + 3);
        /* (the client's keepalive is 5 s: a stuck I/O thread shows) */
        assert_true(td_now_ms() - t0 < 2500);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_many_overlapping_calls),
            cmocka_unit_test(test_slow_call_does_not_hold_up_fast_ones),
            cmocka_unit_test(test_call_giving_up_hands_on_the_socket),
            cmocka_unit_test(test_events_during_and_after_calls),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
