/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon skeleton's lifecycle over real sockets (vmm-echo-test):
 * overlapping calls, 64 clients at once, events, idle exit, SIGTERM drain
 * with a clean loop close, SIGHUP reload, socket activation through
 * systemd-socket-activate, argument errors. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon-test-util.h"

typedef struct Worker {
        VmmRpcClient *client;
        const char *path;
        int index, calls, failures;
        unsigned sleep_ms;
} Worker;

static void *worker_sleep(void *p)
{
        Worker *w = p;
        VmmError err = VMM_ERROR_INIT;

        if (td_sleep(w->client, w->sleep_ms, &err) < 0) {
                fprintf(stderr, "sleep: %s\n", vmm_error_message(&err));
                w->failures++;
        }
        vmm_error_clear(&err);
        return NULL;
}

/* Eight threads, one connection, eight 300 ms calls: they overlap. */
static void test_overlapping_calls(void **state)
{
        Worker w[8];
        pthread_t th[8];
        VmmRpcClient *c;
        TestDaemon d;
        uint64_t t0, elapsed;

        td_start(&d, NULL);
        c = td_client(d.rw);
        t0 = td_now_ms();
        for (int i = 0; i < 8; i++) {
                w[i] = (Worker){.client = c, .sleep_ms = 300};
                pthread_create(&th[i], NULL, worker_sleep, &w[i]);
        }
        for (int i = 0; i < 8; i++) {
                pthread_join(th[i], NULL);
                assert_int_equal(w[i].failures, 0);
        }
        elapsed = td_now_ms() - t0;
        assert_true(elapsed >= 300 && elapsed < 1500); /* one after another: 2400 ms */
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void *worker_echo(void *p)
{
        Worker *w = p;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;
        char text[32];

        if (vmm_rpc_client_connect_unix(w->path, NULL, &c, &err) < 0) {
                w->failures++;
                return NULL;
        }
        for (int i = 0; i < 20; i++) {
                snprintf(text, sizeof(text), "client %d call %d", w->index, i);
                if (td_echo(c, text, &err) == 0)
                        w->calls++;
                else
                        w->failures++;
        }
        vmm_rpc_client_free(c);
        vmm_error_clear(&err);
        return NULL;
}

static void test_64_clients(void **state)
{
        Worker w[64];
        pthread_t th[64];
        TestDaemon d;

        td_start(&d, NULL);
        for (int i = 0; i < 64; i++) {
                w[i] = (Worker){.path = i % 2 ? d.rw : d.ro, .index = i};
                pthread_create(&th[i], NULL, worker_echo, &w[i]);
        }
        for (int i = 0; i < 64; i++) {
                pthread_join(th[i], NULL);
                assert_int_equal(w[i].failures, 0);
                assert_int_equal(w[i].calls, 20);
        }
        assert_int_equal(td_stop(&d), 0);
}

typedef struct Ticks {
        pthread_mutex_t lock;
        unsigned n, last;
} Ticks;

static void on_tick(VmmRpcClient *c, const VmmRpcProc *proc, const ProtobufCMessage *event,
                    void *userdata)
{
        Ticks *t = userdata;
        pthread_mutex_lock(&t->lock);
        t->n++;
        t->last = ((const Vmm__TestTickEvent *)event)->count;
        pthread_mutex_unlock(&t->lock);
}

static void test_events_from_daemon(void **state)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        Ticks ticks = {.lock = PTHREAD_MUTEX_INITIALIZER};
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c;
        TestDaemon d;
        unsigned n = 0, last = 0;

        static const char *const opts[] = {"--verbose", NULL};
        char gone[64];

        td_start(&d, opts);
        c = td_client(d.ro);
        assert_true(vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK,
                                                     on_tick, &ticks, NULL, &err) > 0);
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SUBSCRIBE,
                                             &empty.base, 5000, NULL, &err),
                         0);
        for (int i = 0; i < 200 && n < 4; i++) {
                usleep(10000);
                pthread_mutex_lock(&ticks.lock);
                n = ticks.n;
                last = ticks.last;
                pthread_mutex_unlock(&ticks.lock);
        }
        assert_true(n >= 4);
        assert_true(last >= n); /* counts increase, in order */
        vmm_rpc_client_free(c);
        /* the program learns that its subscriber went away */
        snprintf(gone, sizeof(gone), "subscriber pid %d gone", (int)getpid());
        for (int i = 0; i < 200 && !td_log_contains(&d, gone); i++)
                usleep(10000);
        assert_true(td_log_contains(&d, gone));
        assert_int_equal(td_stop(&d), 0);
}

static void test_idle_exit(void **state)
{
        static const char *const opts[] = {"--timeout", "1", "--verbose", NULL};
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c;
        TestDaemon d;
        struct stat st;
        int status;

        /* a connected client keeps the daemon up past its timeout */
        td_start(&d, opts);
        c = td_client(d.rw);
        assert_int_equal(td_wait_exit(&d, 1600), -1);
        assert_int_equal(td_echo(c, "still up", &err), 0);
        vmm_rpc_client_free(c);
        /* then, with nobody connected, it exits on its own, cleanly */
        uint64_t t0 = td_now_ms();
        status = td_wait_exit(&d, 5000);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        assert_true(td_now_ms() - t0 >= 900);
        assert_true(td_log_contains(&d, "vmm-echo-test: no client for 1 s, exiting"));
        /* the sockets it bound are removed */
        assert_int_equal(stat(d.rw, &st), -1);
        assert_int_equal(stat(d.ro, &st), -1);
        td_stop(&d);
}

static void test_sigterm_drains(void **state)
{
        Vmm__TestSleepRequest sleep_req = VMM__TEST_SLEEP_REQUEST__INIT;
        Vmm__TestEchoRequest echo_req = VMM__TEST_ECHO_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        uint8_t *body = NULL;
        VmmRpcHeader h;
        TestDaemon d;
        struct stat st;
        int fd, status;

        td_start(&d, NULL);
        fd = td_connect(d.rw);
        /* once the echo (sent second) is answered, the sleep is in flight */
        sleep_req.milliseconds = 400;
        echo_req.text = "marker";
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_SLEEP, 1, &sleep_req.base);
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_ECHO, 2, &echo_req.base);
        assert_int_equal(td_raw_error(fd, &h, &err), 1);
        assert_int_equal(h.serial, 2);
        kill(d.pid, SIGTERM);
        /* the call in flight is answered before the connection closes */
        assert_int_equal(td_raw_error(fd, &h, &err), 1);
        assert_int_equal(h.serial, 1);
        assert_int_equal(h.status, VMM_RPC_OK);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 0);
        status = td_wait_exit(&d, 5000);
        /* exit status 0 means uv_loop_close() returned 0 */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(stat(d.rw, &st), -1);
        assert_true(td_connect(d.rw) < 0);
        close(fd);
        td_stop(&d);
}

static void test_sighup_reloads(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c;
        TestDaemon d;

        td_start(&d, NULL);
        c = td_client(d.rw);
        kill(d.pid, SIGHUP);
        for (int i = 0; i < 200 && !td_log_contains(&d, "vmm-echo-test: reloaded"); i++)
                usleep(10000);
        assert_true(td_log_contains(&d, "vmm-echo-test: reloaded"));
        assert_int_equal(td_echo(c, "after reload", &err), 0);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

/* Reads notifications until one contains `needle` (up to 5 s). */
static bool notify_wait(int sock, const char *needle)
{
        char buf[4096];

        for (;;) {
                struct pollfd p = {.fd = sock, .events = POLLIN};
                if (poll(&p, 1, 5000) != 1)
                        return false;
                ssize_t n = recv(sock, buf, sizeof(buf) - 1, 0);
                if (n <= 0)
                        return false;
                buf[n] = 0;
                if (strstr(buf, needle))
                        return true;
        }
}

/* sd_notify: READY with a status once serving, RELOADING/READY around
 * SIGHUP, STOPPING on SIGTERM. */
static void test_sd_notify(void **state)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        char dir[] = "/tmp/vmm-notify-XXXXXX";
        TestDaemon d;
        int sock, status;

        assert_non_null(mkdtemp(dir));
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/notify", dir);
        sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
        setenv("NOTIFY_SOCKET", addr.sun_path, 1);
        td_start(&d, NULL);
        unsetenv("NOTIFY_SOCKET");
        assert_true(notify_wait(sock, "READY=1\nSTATUS=vmm-echo-test: serving 2 socket(s)"));
        kill(d.pid, SIGHUP);
        assert_true(notify_wait(sock, "RELOADING=1"));
        assert_true(notify_wait(sock, "READY=1"));
        kill(d.pid, SIGTERM);
        assert_true(notify_wait(sock, "STOPPING=1"));
        status = td_wait_exit(&d, 5000);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        td_stop(&d);
        close(sock);
        unlink(addr.sun_path);
        rmdir(dir);
}

static const char *find_socket_activate(void)
{
        static const char *const paths[] = {"/usr/bin/systemd-socket-activate",
                                            "/bin/systemd-socket-activate",
                                            "/usr/lib/systemd/systemd-socket-activate"};
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
                if (access(paths[i], X_OK) == 0)
                        return paths[i];
        return NULL;
}

static void test_socket_activation(void **state)
{
        const char *activate = find_socket_activate();
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        ProtobufCMessage *reply = NULL;
        VmmRpcClient *rw, *ro;
        char l1[160], l2[160];
        TestDaemon d;

        if (!activate) {
                fprintf(stderr, "systemd-socket-activate not found (package systemd), skipping\n");
                skip();
        }
        td_dirs(&d);
        snprintf(l1, sizeof(l1), "--listen=%s", d.rw);
        snprintf(l2, sizeof(l2), "--listen=%s", d.ro);
        char *argv[] = {(char *)activate,
                        l1,
                        l2,
                        (char *)"--fdname=rw:ro",
                        (char *)VMM_ECHO_TEST_DAEMON,
                        (char *)"--timeout",
                        (char *)"30",
                        NULL};
        d.pid = td_spawn(&d, argv);
        assert_true(td_wait_socket(d.rw));
        assert_true(td_wait_socket(d.ro));

        /* the daemon found both sockets by name: ro refuses writes */
        ro = td_client(d.ro);
        rw = td_client(d.rw);
        assert_int_equal(vmm_rpc_client_call(ro, &vmm_rpc_program_test, VMM_RPC_TEST_WHOAMI,
                                             &empty.base, 5000, &reply, &err),
                         0);
        assert_true(((Vmm__TestWhoamiReply *)reply)->read_only);
        vmm_rpc_message_free(reply);
        assert_int_equal(td_sleep(ro, 1, &err), -EACCES);
        assert_int_equal(td_sleep(rw, 1, &err), 0);
        assert_int_equal(td_echo(rw, "activated", &err), 0);
        vmm_rpc_client_free(rw);
        vmm_rpc_client_free(ro);
        vmm_error_clear(&err);
        /* the activator exec'd the daemon in its own process */
        assert_int_equal(td_stop(&d), 0);
}

static void test_socket_activation_bad_name(void **state)
{
        const char *activate = find_socket_activate();
        char l1[160];
        TestDaemon d;
        int fd, status;

        if (!activate) {
                fprintf(stderr, "systemd-socket-activate not found (package systemd), skipping\n");
                skip();
        }
        td_dirs(&d);
        snprintf(l1, sizeof(l1), "--listen=%s", d.rw);
        char *argv[] = {(char *)activate, l1, (char *)"--fdname=admin",
                        (char *)VMM_ECHO_TEST_DAEMON, NULL};
        d.pid = td_spawn(&d, argv);
        assert_true(td_wait_socket(d.rw)); /* the first connection starts it */
        fd = td_connect(d.rw);
        status = td_wait_exit(&d, 5000);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
        assert_true(td_log_contains(&d, "named \"admin\" (expected \"rw\" or \"ro\")"));
        if (fd >= 0)
                close(fd);
        td_stop(&d);
}

/* A socket file left by a dead daemon is replaced; one a live daemon
 * serves is not taken over. */
static void test_stale_and_busy_sockets(void **state)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        VmmError err = VMM_ERROR_INIT;
        TestDaemon d, second;
        VmmRpcClient *c;
        int fd, status;

        td_dirs(&d);
        assert_true(strlen(d.rw) < sizeof(addr.sun_path));
        memcpy(addr.sun_path, d.rw, strlen(d.rw) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
        close(fd); /* the file stays, nobody listens */
        char *argv[] = {(char *)VMM_ECHO_TEST_DAEMON, (char *)"--listen", d.rw, NULL};
        d.pid = td_spawn(&d, argv);
        assert_true(td_wait_socket(d.rw));
        c = td_client(d.rw);
        assert_int_equal(td_echo(c, "took over a stale socket", &err), 0);

        td_dirs(&second);
        char *argv2[] = {(char *)VMM_ECHO_TEST_DAEMON, (char *)"--listen", d.rw, NULL};
        second.pid = td_spawn(&second, argv2);
        status = td_wait_exit(&second, 5000);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
        assert_true(td_log_contains(&second, "is in use by a running daemon"));
        td_stop(&second);
        /* the first one is undisturbed */
        assert_int_equal(td_echo(c, "still mine", &err), 0);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void test_bad_arguments(void **state)
{
        static const struct {
                const char *arg, *value, *message;
        } cases[] = {
            {"--timeout", "soon", "--timeout: \"soon\" is not a number from 0 to"},
            {"--max-clients", "0", "--max-clients and --max-calls must be at least 1"},
            {"--bogus", NULL, "unknown option or missing value: \"--bogus\""},
        };
        TestDaemon d;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                td_dirs(&d);
                char *argv[] = {(char *)VMM_ECHO_TEST_DAEMON, (char *)cases[i].arg,
                                (char *)cases[i].value, NULL};
                d.pid = td_spawn(&d, argv);
                int status = td_wait_exit(&d, 5000);
                assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
                if (!td_log_contains(&d, cases[i].message))
                        fail_msg("%s: expected \"%s\" in the log", cases[i].arg, cases[i].message);
                td_stop(&d);
        }
        /* no socket at all */
        td_dirs(&d);
        char *argv[] = {(char *)VMM_ECHO_TEST_DAEMON, NULL};
        d.pid = td_spawn(&d, argv);
        int status = td_wait_exit(&d, 5000);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
        assert_true(td_log_contains(&d, "no socket to listen on: start it through systemd "
                                        "socket activation or pass --listen PATH"));
        td_stop(&d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_overlapping_calls),
            cmocka_unit_test(test_64_clients),
            cmocka_unit_test(test_events_from_daemon),
            cmocka_unit_test(test_idle_exit),
            cmocka_unit_test(test_sigterm_drains),
            cmocka_unit_test(test_sighup_reloads),
            cmocka_unit_test(test_sd_notify),
            cmocka_unit_test(test_socket_activation),
            cmocka_unit_test(test_socket_activation_bad_name),
            cmocka_unit_test(test_stale_and_busy_sockets),
            cmocka_unit_test(test_bad_arguments),
        };
        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
