/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-proxyd with real processes under a private VMM_ROOT: the proxy
 * starts the vmm-echo-test daemon on demand, routes calls to it, forwards
 * each client's identity (the daemon sees the original client, read-only
 * flag included), answers unknown programs with an error, refuses forged
 * identities (through the proxy, and directly on the daemon from another
 * user), fails calls in flight when the daemon dies and restarts it on the
 * next call, passes events back, and keeps serving others while a client
 * stalls or never reads.
 */
#include <dirent.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../unit/daemon-test-util.h"
#include "vmm-domain.pb-c.h"

#ifndef VMM_PROXYD
#error "VMM_PROXYD must name the vmm-proxyd binary"
#endif

#define NOBODY 65534

typedef struct TestProxy {
        char root[64];
        char rw[160], ro[160], echo_rw[160], echo_ro[160], log[160];
        char daemon_dir[PATH_MAX];
        pid_t pid;
} TestProxy;

/* A copy of the running test's proxy (the test's own lives on its stack),
 * cleaned up by tp_teardown when a test fails before tp_stop. */
static TestProxy tp_saved;
static TestProxy *tp_current;

static void tp_start_args(TestProxy *p, const char *timeout, const char *max_clients)
{
        snprintf(p->root, sizeof(p->root), "/tmp/vmm-proxy-XXXXXX");
        assert_non_null(mkdtemp(p->root));
        chmod(p->root, 0755);
        snprintf(p->rw, sizeof(p->rw), "%s/run/vmm/vmm.sock", p->root);
        snprintf(p->ro, sizeof(p->ro), "%s/run/vmm/vmm-ro.sock", p->root);
        snprintf(p->echo_rw, sizeof(p->echo_rw), "%s/run/vmm/vmm-echo-test.sock", p->root);
        snprintf(p->echo_ro, sizeof(p->echo_ro), "%s/run/vmm/vmm-echo-test-ro.sock", p->root);
        snprintf(p->log, sizeof(p->log), "%s/proxy.log", p->root);
        snprintf(p->daemon_dir, sizeof(p->daemon_dir), "%s", VMM_ECHO_TEST_DAEMON);
        *strrchr(p->daemon_dir, '/') = 0;
        p->pid = fork();
        assert_true(p->pid >= 0);
        if (p->pid == 0) {
                int log = open(p->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                if (log >= 0)
                        dup2(log, 2);
                setpgid(0, 0);
                unsetenv("VMM_ROOT"); /* --root below: the proxy passes it on */
                setenv("VMM_DAEMON_DIR", p->daemon_dir, 1);
#ifdef VMM_QEMUD_DIR
                char dirs[2 * PATH_MAX + 2];
                snprintf(dirs, sizeof(dirs), "%s:%s", p->daemon_dir, VMM_QEMUD_DIR);
                setenv("VMM_DAEMON_DIR", dirs, 1);
#endif
                setenv("VMM_DAEMON_TIMEOUT", "3", 1);
                unsetenv("LISTEN_FDS");
                execl(VMM_PROXYD, VMM_PROXYD, "--root", p->root, "--timeout", timeout,
                      "--frame-timeout", "1000", "--max-clients", max_clients, (char *)NULL);
                _exit(127);
        }
        tp_saved = *p;
        tp_current = &tp_saved;
        if (!td_wait_socket(p->rw) || !td_wait_socket(p->ro))
                fail_msg("vmm-proxyd did not start (see %s)", p->log);
        /* the read-only socket is for everyone, as in production */
        chmod(p->root, 0755);
        chmod(p->ro, 0666);
}

static void tp_start(TestProxy *p)
{
        tp_start_args(p, "0", "256");
}

/* The pid of a daemon the proxy started for this root (running `exe`, or
 * any daemon with exe NULL), or 0. */
static pid_t tp_daemon_pid(const TestProxy *p, const char *exe_want)
{
        char want[128], path[64], exe[PATH_MAX], env[8192];
        DIR *dir = opendir("/proc");
        struct dirent *de;
        pid_t found = 0;

        snprintf(want, sizeof(want), "VMM_ROOT=%s", p->root);
        while (dir && !found && (de = readdir(dir))) {
                pid_t pid = (pid_t)atoi(de->d_name);
                ssize_t n;
                int fd;

                if (pid <= 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/exe", pid);
                n = readlink(path, exe, sizeof(exe) - 1);
                if (n <= 0)
                        continue;
                exe[n] = 0;
                if (pid == p->pid || (exe_want && strcmp(exe, exe_want) != 0))
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/environ", pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                n = read(fd, env, sizeof(env) - 1);
                close(fd);
                for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(env + off) + 1) {
                        env[n] = 0;
                        if (strcmp(env + off, want) == 0)
                                found = pid;
                }
        }
        if (dir)
                closedir(dir);
        return found;
}

static pid_t tp_echo_pid(const TestProxy *p)
{
        return tp_daemon_pid(p, VMM_ECHO_TEST_DAEMON);
}

static void tp_stop(TestProxy *p)
{
        tp_current = NULL;
        TestDaemon d = {.pid = p->pid};
        pid_t echo;
        int status;
        char cmd[160];

        snprintf(d.dir, sizeof(d.dir), "%s", p->root);
        /* never kill(0): that is our own process group (ctest's too) */
        assert_true(p->pid > 0);
        kill(p->pid, SIGTERM);
        status = td_wait_exit(&d, 10000);
        if (status == -1) {
                kill(p->pid, SIGKILL);
                waitpid(p->pid, NULL, 0);
        }
        /* SIGTERM: clean exit, the loop closed with no handle left */
        assert_int_equal(status, 0);
        /* the daemons the proxy started exit by themselves once idle (3 s) */
        for (int i = 0; i < 1000 && (echo = tp_daemon_pid(p, NULL)) > 0; i++)
                usleep(10000);
        echo = tp_daemon_pid(p, NULL);
        if (echo > 0) {
                kill(echo, SIGKILL);
                fail_msg("daemon pid %d did not exit when idle", (int)echo);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->root);
        if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", p->root);
}

static int tp_teardown(void **state)
{
        TestProxy *p = tp_current;
        pid_t pid;
        char cmd[160];

        if (!p)
                return 0;
        tp_current = NULL;
        if (p->pid > 0)
                kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
        for (int i = 0; i < 20 && (pid = tp_daemon_pid(p, NULL)) > 0; i++) {
                kill(pid, SIGKILL);
                usleep(50000);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p->root);
        return system(cmd) == 0 ? 0 : -1;
}

static int whoami(VmmRpcClient *c, Vmm__TestWhoamiReply **ret, VmmError *err)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        return vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_WHOAMI, &empty.base, 5000,
                                   (ProtobufCMessage **)ret, err);
}

static int call_set(VmmRpcClient *c, const char *key, const char *value, VmmError *err)
{
        Vmm__TestSetRequest req = VMM__TEST_SET_REQUEST__INIT;

        req.key = (char *)key;
        req.value = (char *)value;
        return vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SET, &req.base, 5000,
                                   NULL, err);
}

static int identify(VmmRpcClient *c, uint32_t uid, VmmError *err)
{
        Vmm__RpcIdentity id = VMM__RPC_IDENTITY__INIT;

        id.has_uid = id.has_gid = id.has_pid = true;
        id.uid = id.gid = uid;
        id.pid = 1;
        return vmm_rpc_client_call(c, &vmm_rpc_program_control, VMM_RPC_CONTROL_IDENTIFY, &id.base,
                                   5000, NULL, err);
}

/* Runs `fn(arg)` in a child running as nobody; returns its exit code. */
static int as_nobody(int (*fn)(const void *), const void *arg)
{
        int status;
        pid_t pid = fork();

        if (pid == 0) {
                if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
                        _exit(99);
                _exit(fn(arg));
        }
        waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 98;
}

/* Calls are routed to the daemon, started on demand; it sees the
 * original client (pid, uid, gid, read-only), never the proxy. */
static void test_routing_and_identity(void **state)
{
        Vmm__TestWhoamiReply *who = NULL;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *rw, *ro;
        TestProxy p;

        tp_start(&p);
        assert_int_equal(td_connect(p.echo_rw), -ENOENT); /* not started yet */
        rw = td_client(p.rw);
        ro = td_client(p.ro);
        assert_int_equal(td_echo(rw, "through the proxy", &err), 0);
        assert_true(tp_echo_pid(&p) > 0);

        assert_int_equal(whoami(rw, &who, &err), 0);
        assert_int_equal(who->uid, getuid());
        assert_int_equal(who->gid, getgid());
        assert_int_equal(who->pid, getpid());
        assert_false(who->read_only);
        vmm_rpc_message_free(&who->base);

        assert_int_equal(whoami(ro, &who, &err), 0);
        assert_int_equal(who->pid, getpid());
        assert_true(who->read_only);
        vmm_rpc_message_free(&who->base);
        /* the read-only flag is enforced by the daemon, with its message */
        assert_int_equal(call_set(ro, "k", "v", &err), -EACCES);
        assert_string_equal(vmm_error_message(&err),
                            "procedure 'test.set' is not allowed on the read-only socket of "
                            "vmm-echo-test (it needs 'test.write'; use the read-write socket)");
        assert_int_equal(call_set(rw, "k", "v", &err), 0);
        vmm_error_clear(&err);
        vmm_rpc_client_free(rw);
        vmm_rpc_client_free(ro);
        tp_stop(&p);
}

static int nobody_whoami(const void *arg)
{
        const TestProxy *p = arg;
        VmmError err = VMM_ERROR_INIT;
        Vmm__TestWhoamiReply *who = NULL;
        VmmRpcClient *c = NULL;
        int ok;

        if (vmm_rpc_client_connect_unix(p->ro, NULL, &c, &err) < 0)
                return 1;
        if (whoami(c, &who, &err) < 0)
                return 2;
        ok = who->uid == NOBODY && who->gid == NOBODY && who->pid == getpid() && who->read_only;
        vmm_rpc_message_free(&who->base);
        vmm_rpc_client_free(c);
        return ok ? 0 : 3;
}

/* A client of another user is seen by the daemon as that user. */
static void test_other_user_identity(void **state)
{
        TestProxy p;

        if (geteuid() != 0)
                skip();
        tp_start(&p);
        assert_int_equal(as_nobody(nobody_whoami, &p), 0);
        tp_stop(&p);
}

static int nobody_forge(const void *arg)
{
        const char *path = arg;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;
        int r;

        if (vmm_rpc_client_connect_unix(path, NULL, &c, &err) < 0)
                return 1;
        r = identify(c, 0, &err);
        vmm_rpc_client_free(c);
        if (r != -EPERM)
                return 2;
        return strcmp(vmm_error_message(&err), "identify: only the proxy may declare an identity "
                                               "(caller uid 65534)") == 0
                   ? 0
                   : 3;
}

/* Declaring an identity: refused through the proxy, refused on the
 * daemon's read-only socket, refused on its read-write socket from a peer
 * that is neither root nor the daemon's user. */
static void test_forged_identify_refused(void **state)
{
        Vmm__TestWhoamiReply *who = NULL;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c, *direct_ro;
        char expected[160];
        TestProxy p;

        tp_start(&p);
        c = td_client(p.rw);
        assert_int_equal(identify(c, 0, &err), -EPERM);
        snprintf(expected, sizeof(expected),
                 "identify: only vmm-proxyd declares identities; it forwards yours (uid %u gid "
                 "%u pid %d)",
                 (unsigned)getuid(), (unsigned)getgid(), (int)getpid());
        assert_string_equal(vmm_error_message(&err), expected);
        assert_int_equal(whoami(c, &who, &err), 0);
        assert_int_equal(who->pid, getpid());
        vmm_rpc_message_free(&who->base);

        direct_ro = td_client(p.echo_ro); /* started by the call above */
        assert_int_equal(identify(direct_ro, 0, &err), -EACCES);
        assert_non_null(strstr(vmm_error_message(&err),
                               "'control.identify' is not allowed on the read-only socket"));
        vmm_rpc_client_free(direct_ro);
        if (geteuid() == 0) {
                /* open the daemon's rw socket to everyone, to show the uid check */
                assert_int_equal(chmod(p.echo_rw, 0666), 0);
                assert_int_equal(as_nobody(nobody_forge, p.echo_rw), 0);
        }
        vmm_error_clear(&err);
        vmm_rpc_client_free(c);
        tp_stop(&p);
}

/* Programs nobody serves, and daemons that cannot be started, get error
 * replies; the connection stays usable. */
static void test_unknown_program_and_missing_daemon(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        uint8_t *body = NULL;
        VmmRpcHeader h;
        char expected[5000];
        TestProxy p;
        int fd;

        tp_start(&p);
        fd = td_connect(p.rw);
        assert_true(fd >= 0);
        td_raw_send(fd, 0x12345678, 1, 41, &empty.base);
        assert_int_equal(td_raw_error(fd, &h, &err), -EPROTONOSUPPORT);
        assert_int_equal(h.serial, 41);
        assert_string_equal(vmm_error_message(&err),
                            "unknown program 0x12345678 (vmm-proxyd routes domain to vmm-qemud, "
                            "network to vmm-networkd, storage to vmm-storaged, secret to "
                            "vmm-secretd, nodedev to vmm-nodedevd, test to vmm-echo-test)");

        /* no vmm-nodedevd in the daemon directory */
        td_raw_send(fd, VMM_RPC_PROGRAM_NODEDEV, 1, 42, &empty.base);
        assert_int_equal(td_raw_error(fd, &h, &err), -ENOENT);
        assert_int_equal(h.serial, 42);
        assert_int_equal(err.kind, VMM_ERR_NO_CONNECT);
        snprintf(expected, sizeof(expected),
                 "vmm-proxyd: cannot reach vmm-nodedevd for 'nodedev' calls: no daemon listens on "
                 "'%s/run/vmm/vmm-nodedevd.sock' and its program '%s/vmm-nodedevd' cannot be "
                 "run: No such file or directory",
                 p.root, p.daemon_dir);
        assert_string_equal(vmm_error_message(&err), expected);

        req.text = "still served";
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_ECHO, 43, &req.base);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 1);
        assert_int_equal(h.serial, 43);
        assert_int_equal(h.status, VMM_RPC_OK);
        free(body);
        close(fd);
        vmm_error_clear(&err);
        tp_stop(&p);
}

/* kill -9 of the daemon: the call it owed fails with a message, and the
 * next call starts it again on the same client connection. */
static void test_daemon_killed_and_restarted(void **state)
{
        Vmm__TestSleepRequest sleep_req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c;
        VmmRpcHeader h;
        pid_t first, second;
        TestProxy p;
        int fd;

        tp_start(&p);
        fd = td_connect(p.rw);
        c = td_client(p.rw);
        assert_int_equal(td_echo(c, "start it", &err), 0);
        first = tp_echo_pid(&p);
        assert_true(first > 0);
        sleep_req.milliseconds = 10000;
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_SLEEP, 77, &sleep_req.base);
        usleep(200000);
        kill(first, SIGKILL);
        assert_int_equal(td_raw_error(fd, &h, &err), -ECONNRESET);
        assert_int_equal(h.serial, 77);
        assert_string_equal(vmm_error_message(&err),
                            "vmm-proxyd: the connection to vmm-echo-test was lost (the daemon "
                            "closed it); the call may not have completed");
        for (int i = 0; i < 100 && kill(first, 0) == 0; i++)
                usleep(20000); /* let the zombie go before looking for the new one */
        assert_int_equal(td_echo(c, "started again", &err), 0);
        second = tp_echo_pid(&p);
        assert_true(second > 0 && second != first);
        close(fd);
        vmm_error_clear(&err);
        vmm_rpc_client_free(c);
        tp_stop(&p);
}

static void on_tick(VmmRpcClient *client, const VmmRpcProc *proc, const ProtobufCMessage *event,
                    void *userdata)
{
        int *count = userdata;
        __atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
}

/* Events pushed by the daemon reach the client through the proxy; the
 * proxy stops cleanly with that client still connected. */
static void test_events_flow_back(void **state)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c;
        TestProxy p;
        int ticks = 0;

        tp_start(&p);
        c = td_client(p.rw);
        assert_true(vmm_rpc_client_add_event_handler(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK,
                                                     on_tick, &ticks, NULL, &err) > 0);
        assert_int_equal(vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SUBSCRIBE,
                                             &empty.base, 5000, NULL, &err),
                         0);
        for (int i = 0; i < 200 && __atomic_load_n(&ticks, __ATOMIC_SEQ_CST) < 3; i++)
                usleep(10000);
        assert_true(__atomic_load_n(&ticks, __ATOMIC_SEQ_CST) >= 3);
        /* SIGTERM with the client and its backend still connected: clean exit */
        tp_stop(&p);
        vmm_rpc_client_free(c);
}

/* Sends large echo calls and never reads a reply; blocks once the proxy
 * stops reading it. */
static void *deaf_writer(void *arg)
{
        static char big[256 * 1024];
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        VmmRpcHeader h = {
            .program = VMM_RPC_PROGRAM_TEST, .version = 1, .procedure = VMM_RPC_TEST_ECHO};
        int fd = *(int *)arg;
        uint8_t *frame;
        size_t len;

        memset(big, 'x', sizeof(big) - 1);
        req.text = big;
        if (vmm_rpc_frame_encode(&h, &req.base, NULL, "raw", &frame, &len, NULL) < 0)
                return NULL;
        for (int i = 0; i < 400 && td_write_all(fd, frame, len); i++)
                ;
        free(frame);
        return NULL;
}

/* One client stalls mid-frame, one never reads its (large) replies, one
 * has a slow call in flight: another client is served all along. */
static void test_stalled_clients_do_not_block_others(void **state)
{
        Vmm__TestSleepRequest sleep_req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *good;
        TestProxy p;
        int half, deaf, slow;
        uint64_t start;

        tp_start(&p);
        good = td_client(p.rw);
        half = td_connect(p.rw);
        deaf = td_connect(p.rw);
        slow = td_connect(p.rw);
        uint8_t partial[10] = {0, 0, 0, 64};
        assert_true(td_write_all(half, partial, sizeof(partial)));

        sleep_req.milliseconds = 3000;
        td_raw_send(slow, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_SLEEP, 1, &sleep_req.base);

        pthread_t deaf_thread;
        pthread_create(&deaf_thread, NULL, deaf_writer, &deaf);

        start = td_now_ms();
        for (int i = 0; i < 50; i++)
                assert_int_equal(td_echo(good, "not blocked", &err), 0);
        assert_true(td_now_ms() - start < 2000);
        /* the half frame is dropped after --frame-timeout (1 s) */
        VmmRpcHeader h;
        uint8_t *body = NULL;
        assert_int_equal(td_raw_read(half, 3000, &h, &body), 0);
        assert_int_equal(td_echo(good, "still fine", &err), 0);
        close(half);
        shutdown(deaf, SHUT_RDWR); /* the writer's next write fails */
        pthread_join(deaf_thread, NULL);
        close(deaf);
        close(slow);
        vmm_error_clear(&err);
        vmm_rpc_client_free(good);
        tp_stop(&p);
}

typedef struct Worker {
        const char *path;
        int failures;
} Worker;

static void *worker(void *arg)
{
        Worker *w = arg;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;
        Vmm__TestWhoamiReply *who = NULL;

        if (vmm_rpc_client_connect_unix(w->path, NULL, &c, &err) < 0) {
                w->failures++;
                return NULL;
        }
        for (int i = 0; i < 20; i++)
                if (td_echo(c, "many", &err) < 0)
                        w->failures++;
        if (whoami(c, &who, &err) < 0 || who->pid != getpid())
                w->failures++;
        if (who)
                vmm_rpc_message_free(&who->base);
        vmm_error_clear(&err);
        vmm_rpc_client_free(c);
        return NULL;
}

/* 64 clients at once, each with its own backend connection, all served
 * by the one daemon the first of them caused to start. */
static void test_64_clients(void **state)
{
        pthread_t threads[64];
        Worker workers[64];
        TestProxy p;

        tp_start(&p);
        for (int i = 0; i < 64; i++) {
                workers[i] = (Worker){.path = i % 2 ? p.ro : p.rw};
                pthread_create(&threads[i], NULL, worker, &workers[i]);
        }
        for (int i = 0; i < 64; i++) {
                pthread_join(threads[i], NULL);
                assert_int_equal(workers[i].failures, 0);
        }
        tp_stop(&p);
}

/* A frame announcing more than 32 MiB: error reply, connection closed. */
static void test_frame_over_limit(void **state)
{
        VmmRpcHeader h = {.length = 64u << 20,
                          .program = VMM_RPC_PROGRAM_TEST,
                          .version = 1,
                          .procedure = VMM_RPC_TEST_ECHO};
        VmmError err = VMM_ERROR_INIT;
        uint8_t hdr[VMM_RPC_HEADER_SIZE];
        VmmRpcClient *good;
        TestProxy p;
        int fd;

        tp_start(&p);
        good = td_client(p.rw);
        fd = td_connect(p.rw);
        vmm_rpc_header_encode(&h, hdr);
        assert_true(td_write_all(fd, hdr, sizeof(hdr)));
        assert_int_equal(td_raw_error(fd, &h, &err), -EPROTO);
        assert_non_null(strstr(vmm_error_message(&err), "bad frame: "));
        uint8_t *body = NULL;
        assert_int_equal(td_raw_read(fd, 3000, &h, &body), 0); /* closed */
        assert_int_equal(td_echo(good, "fine", &err), 0);
        close(fd);
        vmm_error_clear(&err);
        vmm_rpc_client_free(good);
        tp_stop(&p);
}

/* --max-clients 2: a third client gets an error saying why, and is
 * closed; the first two are served, and a new one once one has left. */
static void test_max_clients(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *a, *b, *c;
        VmmRpcHeader h;
        TestProxy p;
        int fd;

        tp_start_args(&p, "0", "2");
        usleep(200000); /* let the proxy see the start-up probes leave */
        a = td_client(p.rw);
        b = td_client(p.ro);
        assert_int_equal(td_echo(a, "one", &err), 0);
        assert_int_equal(td_echo(b, "two", &err), 0);
        fd = td_connect(p.rw);
        assert_true(fd >= 0);
        assert_int_equal(td_raw_error(fd, &h, &err), -EUSERS);
        assert_string_equal(vmm_error_message(&err),
                            "vmm-proxyd: too many clients (limit 2), try again later");
        uint8_t *body = NULL;
        assert_int_equal(td_raw_read(fd, 3000, &h, &body), 0); /* closed */
        close(fd);
        assert_int_equal(td_echo(a, "still one", &err), 0);
        vmm_rpc_client_free(b);
        usleep(100000);
        c = td_client(p.rw);
        assert_int_equal(td_echo(c, "three", &err), 0);
        vmm_error_clear(&err);
        vmm_rpc_client_free(a);
        vmm_rpc_client_free(c);
        tp_stop(&p);
}

/* Idle exit (--timeout 1): not while a client is connected, even a quiet
 * one; soon after the last one leaves. */
static void test_proxy_idle_exit(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        TestDaemon d = {0};
        VmmRpcClient *c;
        TestProxy p;
        char cmd[160];

        tp_start_args(&p, "1", "256");
        d.pid = p.pid;
        c = td_client(p.rw);
        assert_int_equal(td_echo(c, "hold on", &err), 0);
        assert_int_equal(td_wait_exit(&d, 2500), -1); /* still there */
        assert_int_equal(td_echo(c, "still here", &err), 0);
        vmm_rpc_client_free(c);
        assert_int_equal(td_wait_exit(&d, 5000), 0); /* exited, cleanly */
        tp_saved.pid = 0;
        assert_int_equal(td_connect(p.rw), -ENOENT); /* and removed its socket */
        for (int i = 0; i < 1000 && tp_daemon_pid(&p, NULL) > 0; i++)
                usleep(10000);
        assert_int_equal(tp_daemon_pid(&p, NULL), 0);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p.root);
        assert_int_equal(system(cmd), 0);
}

#ifdef VMM_QEMUD_DIR
/* The domain program goes to vmm-qemud, started on demand: define and
 * list through the proxy; the read-only socket lists but may not define. */
static void test_qemud_through_proxy(void **state)
{
        Vmm__DomainDefineXmlRequest def = VMM__DOMAIN_DEFINE_XML_REQUEST__INIT;
        Vmm__DomainListAllRequest list = VMM__DOMAIN_LIST_ALL_REQUEST__INIT;
        Vmm__DomainListAllReply *reply = NULL;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *rw, *ro;
        TestProxy p;
        char cmd[200];

        tp_start(&p);
        rw = td_client(p.rw);
        ro = td_client(p.ro);
        def.xml = "<domain type='qemu'><name>via-proxy</name><memory unit='MiB'>64</memory>"
                  "<os><type>hvm</type></os></domain>";
        assert_int_equal(vmm_rpc_client_call(rw, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_DEFINE_XML,
                                             &def.base, 10000, NULL, &err),
                         0);
        assert_int_equal(vmm_rpc_client_call(ro, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_DEFINE_XML,
                                             &def.base, 10000, NULL, &err),
                         -EACCES);
        assert_non_null(strstr(vmm_error_message(&err), "read-only socket of vmm-qemud"));
        assert_int_equal(vmm_rpc_client_call(ro, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_LIST_ALL,
                                             &list.base, 10000, (ProtobufCMessage **)&reply, &err),
                         0);
        assert_int_equal(reply->n_doms, 1);
        assert_string_equal(reply->doms[0]->name, "via-proxy");
        vmm_rpc_message_free(&reply->base);
        vmm_error_clear(&err);
        vmm_rpc_client_free(rw);
        vmm_rpc_client_free(ro);
        /* the persistent definition is on disk under the private root */
        snprintf(cmd, sizeof(cmd), "grep -rqs \"<name>via-proxy</name>\" '%s'", p.root);
        assert_int_equal(system(cmd), 0);
        tp_stop(&p);
}
#endif

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_routing_and_identity, tp_teardown),
            cmocka_unit_test_teardown(test_other_user_identity, tp_teardown),
            cmocka_unit_test_teardown(test_forged_identify_refused, tp_teardown),
            cmocka_unit_test_teardown(test_unknown_program_and_missing_daemon, tp_teardown),
            cmocka_unit_test_teardown(test_daemon_killed_and_restarted, tp_teardown),
            cmocka_unit_test_teardown(test_events_flow_back, tp_teardown),
            cmocka_unit_test_teardown(test_stalled_clients_do_not_block_others, tp_teardown),
            cmocka_unit_test_teardown(test_64_clients, tp_teardown),
            cmocka_unit_test_teardown(test_frame_over_limit, tp_teardown),
            cmocka_unit_test_teardown(test_max_clients, tp_teardown),
            cmocka_unit_test_teardown(test_proxy_idle_exit, tp_teardown),
#ifdef VMM_QEMUD_DIR
            cmocka_unit_test_teardown(test_qemud_through_proxy, tp_teardown),
#endif
        };

        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
