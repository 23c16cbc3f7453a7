/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The client connection against a scripted fake daemon on a socketpair:
 * overlapping calls matched by serial, deadlines, error replies,
 * keepalive, events (thread and pollable), a daemon that goes away. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rpc/client.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

typedef struct Fake Fake;
typedef void (*FakeScript)(Fake *f);

struct Fake {
        int fd;
        pthread_t thread;
        FakeScript script;
        VmmRpcReader reader;
        bool answer_pings;
        int pings_seen;
        void *data;
};

typedef struct FakeFrame {
        VmmRpcHeader h;
        uint8_t *body;
        size_t len;
} FakeFrame;

static uint64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void fake_send(Fake *f, const VmmRpcHeader *h, const ProtobufCMessage *msg)
{
        uint8_t *frame;
        size_t len;

        ssize_t n;

        assert_int_equal(vmm_rpc_frame_encode(h, msg, NULL, "fake", &frame, &len, NULL), 0);
        /* the client may have closed already (a keepalive that expired):
         * its daemon would see EPIPE, not die of SIGPIPE */
        n = send(f->fd, frame, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
                n = (ssize_t)len;
        assert_int_equal(n, (ssize_t)len);
        free(frame);
}

static void fake_reply(Fake *f, const FakeFrame *call, const ProtobufCMessage *msg)
{
        VmmRpcHeader h = call->h;
        h.type = VMM_RPC_REPLY;
        h.status = VMM_RPC_OK;
        fake_send(f, &h, msg);
}

/* Next frame that is not a keepalive (answering pings if told to):
 * 1, or 0 at EOF / after timeout_ms. */
static int fake_read(Fake *f, FakeFrame *out, int timeout_ms)
{
        uint64_t end = now_ms() + (uint64_t)timeout_ms;
        const uint8_t *body;
        VmmRpcHeader h;
        size_t len, size;
        uint8_t *ptr;
        int k;

        for (;;) {
                while ((k = vmm_rpc_reader_next(&f->reader, &h, &body, &len, NULL)) > 0) {
                        if (h.program == VMM_RPC_PROGRAM_CONTROL &&
                            h.procedure == VMM_RPC_CONTROL_PING) {
                                Vmm__RpcKeepalive pong = VMM__RPC_KEEPALIVE__INIT;
                                f->pings_seen++;
                                h.procedure = VMM_RPC_CONTROL_PONG;
                                if (f->answer_pings)
                                        fake_send(f, &h, &pong.base);
                                continue;
                        }
                        out->h = h;
                        out->len = len;
                        out->body = malloc(len + 1);
                        memcpy(out->body, body, len);
                        return 1;
                }
                struct pollfd p = {.fd = f->fd, .events = POLLIN};
                int left = (int)(end - now_ms());
                if (left <= 0 || poll(&p, 1, left) <= 0)
                        return 0;
                vmm_rpc_reader_space(&f->reader, 0, &ptr, &size);
                ssize_t n = read(f->fd, ptr, size);
                if (n <= 0)
                        return 0;
                vmm_rpc_reader_advance(&f->reader, (size_t)n);
        }
}

static void *fake_main(void *arg)
{
        Fake *f = arg;
        f->script(f);
        return NULL;
}

static VmmRpcClient *fake_start(Fake *f, FakeScript script, const VmmRpcClientOptions *opts)
{
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;
        int sv[2];

        if (opts)
                o = *opts;
        o.name = "/run/fake/fake.sock";
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        f->fd = sv[1];
        f->script = script;
        vmm_rpc_reader_init(&f->reader, NULL);
        assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
        if (vmm_rpc_client_new_fd(sv[0], &o, &c, &err) < 0)
                fail_msg("%s", vmm_error_message(&err));
        return c;
}

static void fake_stop(Fake *f, VmmRpcClient *c)
{
        vmm_rpc_client_free(c);
        pthread_join(f->thread, NULL);
        close(f->fd);
        vmm_rpc_reader_done(&f->reader);
}

static int call_echo(VmmRpcClient *c, const char *text, int timeout_ms, char **ret_text,
                     VmmError *err)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        ProtobufCMessage *reply = NULL;
        int r;

        req.text = (char *)text;
        r = vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_ECHO, &req.base, timeout_ms,
                                &reply, err);
        if (r >= 0) {
                *ret_text = strdup(((Vmm__TestEchoReply *)reply)->text);
                vmm_rpc_message_free(reply);
        }
        return r;
}

/* --- echo: answers every echo call with its text ------------------------ */

static void script_echo(Fake *f)
{
        FakeFrame fr;

        while (fake_read(f, &fr, 5000) > 0) {
                Vmm__TestEchoRequest *req = vmm__test_echo_request__unpack(NULL, fr.len, fr.body);
                Vmm__TestEchoReply reply = VMM__TEST_ECHO_REPLY__INIT;
                reply.text = req ? req->text : "?";
                fake_reply(f, &fr, &reply.base);
                vmm__test_echo_request__free_unpacked(req, NULL);
                free(fr.body);
        }
}

static void test_call_basic(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_echo, NULL);
        char *text = NULL;

        assert_int_equal(call_echo(c, "hello", VMM_RPC_TIMEOUT_DEFAULT, &text, &err), 0);
        assert_string_equal(text, "hello");
        free(text);
        assert_true(vmm_rpc_client_is_open(c));

        /* the request must be the table's request message: checked locally */
        Vmm__TestSetRequest wrong = VMM__TEST_SET_REQUEST__INIT;
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_ECHO,
                                             &wrong.base, 1000, NULL, &err),
                         -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "expected vmm.TestEchoRequest"));
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK, NULL,
                                             1000, NULL, &err),
                         -EINVAL);
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

/* --- overlapping calls from several threads ----------------------------- */

#define N_THREADS 8

static void script_gather_then_reverse(Fake *f)
{
        FakeFrame fr[N_THREADS];
        int n = 0;

        /* Every call is in flight before the first reply is sent. */
        while (n < N_THREADS && fake_read(f, &fr[n], 5000) > 0)
                n++;
        for (int i = n - 1; i >= 0; i--) {
                Vmm__TestEchoRequest *req =
                    vmm__test_echo_request__unpack(NULL, fr[i].len, fr[i].body);
                Vmm__TestEchoReply reply = VMM__TEST_ECHO_REPLY__INIT;
                for (int j = 0; j < i; j++)
                        assert_int_not_equal(fr[i].h.serial, fr[j].h.serial);
                reply.text = req->text;
                fake_reply(f, &fr[i], &reply.base);
                vmm__test_echo_request__free_unpacked(req, NULL);
                free(fr[i].body);
        }
        f->data = (void *)(intptr_t)n;
        script_echo(f);
}

typedef struct ThreadArg {
        VmmRpcClient *c;
        int index;
        int result;
        char *text;
} ThreadArg;

static void *thread_call(void *p)
{
        ThreadArg *a = p;
        VmmError err = VMM_ERROR_INIT;
        char text[32];

        snprintf(text, sizeof(text), "thread-%d", a->index);
        a->result = call_echo(a->c, text, 5000, &a->text, &err);
        vmm_error_clear(&err);
        return NULL;
}

static void test_overlapping_calls(void **state)
{
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_gather_then_reverse, NULL);
        ThreadArg args[N_THREADS];
        pthread_t th[N_THREADS];

        for (int i = 0; i < N_THREADS; i++) {
                args[i] = (ThreadArg){.c = c, .index = i};
                pthread_create(&th[i], NULL, thread_call, &args[i]);
        }
        for (int i = 0; i < N_THREADS; i++) {
                char expected[32];
                pthread_join(th[i], NULL);
                snprintf(expected, sizeof(expected), "thread-%d", i);
                assert_int_equal(args[i].result, 0);
                assert_string_equal(args[i].text, expected);
                free(args[i].text);
        }
        fake_stop(&f, c);
        assert_int_equal((intptr_t)f.data, N_THREADS);
}

/* --- deadline ----------------------------------------------------------- */

static void script_late(Fake *f)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        FakeFrame slow;

        /* The sleep call is answered only after the client gave up on it. */
        if (fake_read(f, &slow, 5000) <= 0)
                return;
        usleep(400 * 1000);
        fake_reply(f, &slow, &empty.base);
        free(slow.body);
        script_echo(f);
}

static void test_call_deadline(void **state)
{
        Vmm__TestSleepRequest req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_late, NULL);
        char *text = NULL;
        uint64_t t0, elapsed;

        req.milliseconds = 10000;
        t0 = now_ms();
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SLEEP,
                                             &req.base, 150, NULL, &err),
                         -ETIMEDOUT);
        elapsed = now_ms() - t0;
        assert_true(elapsed >= 150 && elapsed < 1000);
        assert_int_equal(err.kind, VMM_ERR_TIMEOUT);
        assert_string_equal(vmm_error_message(&err),
                            "call 'test.sleep' to daemon at '/run/fake/fake.sock' timed out "
                            "after 150 ms (no reply)");
        /* The late reply is dropped; the connection carries on. */
        assert_int_equal(call_echo(c, "after", 5000, &text, &err), 0);
        assert_string_equal(text, "after");
        free(text);
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

/* --- error replies ------------------------------------------------------ */

static void script_error(Fake *f)
{
        FakeFrame fr;
        uint8_t *frame;
        size_t len;

        while (fake_read(f, &fr, 5000) > 0) {
                assert_int_equal(vmm_rpc_frame_encode_error(&fr.h, -ENOENT, VMM_ERR_NO_DOMAIN,
                                                            "no domain named 'web1'", &frame, &len),
                                 0);
                assert_int_equal(write(f->fd, frame, len), (ssize_t)len);
                free(frame);
                free(fr.body);
        }
}

static void test_error_reply(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_error, NULL);
        char *text = NULL;

        assert_int_equal(call_echo(c, "x", 5000, &text, &err), -ENOENT);
        assert_int_equal(err.kind, VMM_ERR_NO_DOMAIN);
        assert_string_equal(vmm_error_message(&err), "no domain named 'web1'");
        assert_true(vmm_rpc_client_is_open(c));
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

/* --- keepalive ---------------------------------------------------------- */

static void script_silent(Fake *f)
{
        FakeFrame fr;

        /* Reads everything, answers nothing (not even pings), until EOF. */
        while (fake_read(f, &fr, 5000) > 0)
                free(fr.body);
}

typedef struct CloseSeen {
        int calls;
        int code;
} CloseSeen;

static void on_close(VmmRpcClient *c, const VmmError *reason, void *userdata)
{
        CloseSeen *s = userdata;
        s->calls++;
        s->code = reason->code;
}

static void test_keepalive_expiry(void **state)
{
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        Vmm__TestSleepRequest req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        CloseSeen seen = {0};
        Fake f = {0};
        VmmRpcClient *c;
        uint64_t t0, elapsed;

        o.keepalive_interval_ms = 50;
        o.keepalive_count = 2;
        c = fake_start(&f, script_silent, &o);
        vmm_rpc_client_set_close_handler(c, on_close, &seen, NULL);
        req.milliseconds = 1;
        t0 = now_ms();
        /* No deadline on the call: only keepalive can end it. */
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SLEEP,
                                             &req.base, 0, NULL, &err),
                         -ETIMEDOUT);
        elapsed = now_ms() - t0;
        assert_true(elapsed >= 140 && elapsed < 2000);
        assert_non_null(strstr(vmm_error_message(&err), "keepalive: daemon at "
                                                        "'/run/fake/fake.sock' answered none "
                                                        "of 2 pings"));
        assert_false(vmm_rpc_client_is_open(c));
        /* later calls fail at once with the same reason */
        t0 = now_ms();
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SLEEP,
                                             &req.base, 0, NULL, &err),
                         -ETIMEDOUT);
        assert_true(now_ms() - t0 < 100);
        for (int i = 0; i < 100 && seen.calls == 0; i++)
                usleep(10000);
        assert_int_equal(seen.calls, 1);
        assert_int_equal(seen.code, -ETIMEDOUT);
        vmm_error_clear(&err);
        fake_stop(&f, c);
        assert_int_equal(f.pings_seen, 2);
}

static void test_keepalive_answered(void **state)
{
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        VmmError err = VMM_ERROR_INIT;
        Fake f = {.answer_pings = true};
        VmmRpcClient *c;
        char *text = NULL;

        o.keepalive_interval_ms = 30;
        o.keepalive_count = 1;
        c = fake_start(&f, script_echo, &o);
        usleep(400 * 1000); /* idle: about 13 pings, each answered */
        assert_true(vmm_rpc_client_is_open(c));
        assert_int_equal(call_echo(c, "still here", 5000, &text, &err), 0);
        assert_string_equal(text, "still here");
        free(text);
        fake_stop(&f, c);
        assert_true(f.pings_seen >= 5);
}

/* --- events ------------------------------------------------------------- */

static void script_ticks(Fake *f)
{
        VmmRpcHeader h = {.program = VMM_RPC_PROGRAM_TEST,
                          .version = 1,
                          .procedure = VMM_RPC_TEST_TICK,
                          .type = VMM_RPC_EVENT};
        Vmm__TestTickEvent ev = VMM__TEST_TICK_EVENT__INIT;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        char text[16];
        FakeFrame sub;

        /* subscribe, then three ticks */
        if (fake_read(f, &sub, 5000) <= 0)
                return;
        fake_reply(f, &sub, &empty.base);
        free(sub.body);
        for (unsigned i = 1; i <= 3; i++) {
                snprintf(text, sizeof(text), "tick %u", i);
                ev.count = i;
                ev.text = text;
                fake_send(f, &h, &ev.base);
        }
        script_echo(f);
}

typedef struct EventsSeen {
        pthread_mutex_t lock;
        int n;
        unsigned last;
        pthread_t thread;
        int destroyed;
} EventsSeen;

static void on_tick(VmmRpcClient *c, const VmmRpcProc *proc, const ProtobufCMessage *event,
                    void *userdata)
{
        const Vmm__TestTickEvent *ev = (const Vmm__TestTickEvent *)event;
        EventsSeen *s = userdata;
        char expected[16];

        snprintf(expected, sizeof(expected), "tick %u", ev->count);
        assert_string_equal(ev->text, expected);
        assert_string_equal(proc->name, "tick");
        pthread_mutex_lock(&s->lock);
        s->n++;
        s->last = ev->count;
        s->thread = pthread_self();
        pthread_mutex_unlock(&s->lock);
}

static void on_destroy(void *userdata)
{
        ((EventsSeen *)userdata)->destroyed++;
}

static void subscribe(VmmRpcClient *c)
{
        VmmError err = VMM_ERROR_INIT;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        if (vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SUBSCRIBE, &empty.base, 5000,
                                NULL, &err) < 0)
                fail_msg("subscribe: %s", vmm_error_message(&err));
}

static void test_events_thread(void **state)
{
        EventsSeen seen = {.lock = PTHREAD_MUTEX_INITIALIZER};
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c;
        int id, n = 0;

        c = fake_start(&f, script_ticks, NULL);
        id = vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK, on_tick,
                                              &seen, on_destroy, &err);
        assert_true(id > 0);
        subscribe(c);
        for (int i = 0; i < 200 && n < 3; i++) {
                usleep(5000);
                pthread_mutex_lock(&seen.lock);
                n = seen.n;
                pthread_mutex_unlock(&seen.lock);
        }
        /* delivered in order, from the client's own thread */
        assert_int_equal(n, 3);
        assert_int_equal(seen.last, 3);
        assert_false(pthread_equal(seen.thread, pthread_self()));
        assert_int_equal(vmm_rpc_client_remove_event_handler(c, id), 0);
        assert_int_equal(seen.destroyed, 1);
        assert_int_equal(vmm_rpc_client_remove_event_handler(c, id), -ENOENT);
        assert_int_equal(vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test,
                                                          VMM_RPC_TEST_ECHO, on_tick, &seen, NULL,
                                                          &err),
                         -EINVAL);
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

static void test_events_pollable(void **state)
{
        VmmRpcClientOptions o = VMM_RPC_CLIENT_OPTIONS_INIT;
        EventsSeen seen = {.lock = PTHREAD_MUTEX_INITIALIZER};
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c;
        struct pollfd p;
        int total = 0;

        o.events_pollable = true;
        c = fake_start(&f, script_ticks, &o);
        assert_true(vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK,
                                                     on_tick, &seen, on_destroy, &err) > 0);
        subscribe(c);
        p = (struct pollfd){.fd = vmm_rpc_client_event_fd(c), .events = POLLIN};
        assert_true(p.fd >= 0);
        while (total < 3) {
                assert_int_equal(poll(&p, 1, 2000), 1);
                int n = vmm_rpc_client_dispatch_events(c);
                assert_true(n >= 0);
                total += n;
        }
        assert_int_equal(total, 3);
        assert_int_equal(seen.n, 3);
        assert_true(pthread_equal(seen.thread, pthread_self()));
        /* nothing left: the fd is no longer readable */
        assert_int_equal(poll(&p, 1, 50), 0);
        fake_stop(&f, c);
        assert_int_equal(seen.destroyed, 1); /* handlers destroyed with the client */
}

/* --- the daemon goes away ----------------------------------------------- */

static void script_hang_up(Fake *f)
{
        FakeFrame fr;

        if (fake_read(f, &fr, 5000) > 0)
                free(fr.body);
        shutdown(f->fd, SHUT_RDWR);
}

static void test_daemon_hangs_up(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_hang_up, NULL);
        char *text = NULL;

        assert_int_equal(call_echo(c, "x", 5000, &text, &err), -ECONNRESET);
        assert_string_equal(vmm_error_message(&err),
                            "call 'test.echo': connection to daemon at '/run/fake/fake.sock' "
                            "lost: closed by the daemon");
        assert_false(vmm_rpc_client_is_open(c));
        assert_int_equal(call_echo(c, "x", 5000, &text, &err), -ECONNRESET);
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

static void script_garbage(Fake *f)
{
        uint8_t junk[VMM_RPC_HEADER_SIZE];
        FakeFrame fr;

        memset(junk, 0xee, sizeof(junk));
        if (fake_read(f, &fr, 5000) > 0)
                free(fr.body);
        assert_int_equal(write(f->fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
        script_silent(f);
}

static void test_daemon_sends_garbage(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        Fake f = {0};
        VmmRpcClient *c = fake_start(&f, script_garbage, NULL);
        char *text = NULL;

        assert_int_equal(call_echo(c, "x", 5000, &text, &err), -EPROTO);
        assert_non_null(strstr(vmm_error_message(&err), "sent a bad frame: frame length"));
        vmm_error_clear(&err);
        fake_stop(&f, c);
}

static void test_connect_missing_socket(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;

        assert_int_equal(vmm_rpc_client_connect_unix("/nonexistent/vmm-qemud.sock", NULL, &c, &err),
                         -ENOENT);
        assert_int_equal(err.kind, VMM_ERR_NO_CONNECT);
        assert_string_equal(vmm_error_message(&err),
                            "cannot connect to daemon socket '/nonexistent/vmm-qemud.sock': "
                            "No such file or directory");
        assert_null(c);
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_call_basic),
            cmocka_unit_test(test_overlapping_calls),
            cmocka_unit_test(test_call_deadline),
            cmocka_unit_test(test_error_reply),
            cmocka_unit_test(test_keepalive_expiry),
            cmocka_unit_test(test_keepalive_answered),
            cmocka_unit_test(test_events_thread),
            cmocka_unit_test(test_events_pollable),
            cmocka_unit_test(test_daemon_hangs_up),
            cmocka_unit_test(test_daemon_sends_garbage),
            cmocka_unit_test(test_connect_missing_socket),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
