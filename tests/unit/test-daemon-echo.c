/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon skeleton over real UNIX sockets (vmm-echo-test): dispatch,
 * identity, the read-only socket, bad input of every kind, limits. Each
 * misbehaving client gets an error reply or a closed connection while the
 * daemon keeps serving a well-behaved one. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon-test-util.h"

static void test_echo_and_identity(void **state)
{
        ProtobufCMessage *reply = NULL;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *rw, *ro;
        TestDaemon d;

        td_start(&d, NULL);
        rw = td_client(d.rw);
        ro = td_client(d.ro);
        assert_int_equal(td_echo(rw, "hello", &err), 0);
        assert_int_equal(td_echo(ro, "hello from ro", &err), 0);

        assert_int_equal(vmm_rpc_client_call(rw, &vmm_rpc_program_test, VMM_RPC_TEST_WHOAMI,
                                             &empty.base, 5000, &reply, &err),
                         0);
        Vmm__TestWhoamiReply *who = (Vmm__TestWhoamiReply *)reply;
        assert_int_equal(who->uid, getuid());
        assert_int_equal(who->gid, getgid());
        assert_int_equal(who->pid, getpid());
        assert_false(who->read_only);
        vmm_rpc_message_free(reply);
        assert_int_equal(vmm_rpc_client_call(ro, &vmm_rpc_program_test, VMM_RPC_TEST_WHOAMI,
                                             &empty.base, 5000, &reply, &err),
                         0);
        assert_true(((Vmm__TestWhoamiReply *)reply)->read_only);
        vmm_rpc_message_free(reply);

        vmm_rpc_client_free(rw);
        vmm_rpc_client_free(ro);
        assert_int_equal(td_stop(&d), 0);
}

static int call_set(VmmRpcClient *c, const char *key, const char *value, VmmError *err)
{
        Vmm__TestSetRequest req = VMM__TEST_SET_REQUEST__INIT;

        req.key = (char *)key;
        req.value = (char *)value;
        return vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SET, &req.base, 5000,
                                   NULL, err);
}

static int call_get(VmmRpcClient *c, const char *key, char **ret, VmmError *err)
{
        Vmm__TestGetRequest req = VMM__TEST_GET_REQUEST__INIT;
        ProtobufCMessage *reply = NULL;
        int r;

        req.key = (char *)key;
        r = vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_GET, &req.base, 5000, &reply,
                                err);
        if (r >= 0) {
                *ret = strdup(((Vmm__TestGetReply *)reply)->value);
                vmm_rpc_message_free(reply);
        }
        return r;
}

static void test_read_only_refuses_writes(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *rw, *ro;
        char *value = NULL;
        TestDaemon d;

        td_start(&d, NULL);
        rw = td_client(d.rw);
        ro = td_client(d.ro);
        assert_int_equal(call_set(ro, "colour", "red", &err), -EACCES);
        assert_int_equal(err.kind, VMM_ERR_ACCESS_DENIED);
        assert_string_equal(vmm_error_message(&err),
                            "procedure 'test.set' is not allowed on the read-only socket of "
                            "vmm-echo-test (it needs 'test.write'; use the read-write socket)");
        /* nothing changed, and the read-only connection is still served */
        assert_int_equal(call_get(ro, "colour", &value, &err), -ENOENT);
        assert_int_equal(td_sleep(ro, 1, &err), -EACCES);
        assert_int_equal(td_echo(ro, "still here", &err), 0);

        assert_int_equal(call_set(rw, "colour", "blue", &err), 0);
        assert_int_equal(call_get(ro, "colour", &value, &err), 0);
        assert_string_equal(value, "blue");
        free(value);
        vmm_error_clear(&err);
        vmm_rpc_client_free(rw);
        vmm_rpc_client_free(ro);
        assert_int_equal(td_stop(&d), 0);
}

static int whoami(VmmRpcClient *c, Vmm__TestWhoamiReply **ret, VmmError *err)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        return vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_WHOAMI, &empty.base, 5000,
                                   (ProtobufCMessage **)ret, err);
}

static int identify(VmmRpcClient *c, uint32_t uid, bool read_only, VmmError *err)
{
        Vmm__RpcIdentity id = VMM__RPC_IDENTITY__INIT;

        id.has_uid = id.has_gid = id.has_pid = id.has_read_only = true;
        id.uid = uid;
        id.gid = uid;
        id.pid = 4242;
        id.read_only = read_only;
        return vmm_rpc_client_call(c, &vmm_rpc_program_control, VMM_RPC_CONTROL_IDENTIFY, &id.base,
                                   5000, NULL, err);
}

/* The proxy (a peer running as root or as the daemon's user, on the
 * read-write socket) declares the identity of the client it forwards;
 * later calls are checked as that client. Nobody else may. */
static void test_identity_forwarding(void **state)
{
        Vmm__TestWhoamiReply *who = NULL;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *proxy, *ro;
        TestDaemon d;

        td_start(&d, NULL);
        proxy = td_client(d.rw);
        ro = td_client(d.ro);
        assert_int_equal(identify(ro, 0, false, &err), -EACCES);
        assert_non_null(strstr(vmm_error_message(&err), "'control.identify' is not allowed on "
                                                        "the read-only socket"));

        assert_int_equal(identify(proxy, 1234, false, &err), 0);
        assert_int_equal(whoami(proxy, &who, &err), 0);
        assert_int_equal(who->uid, 1234);
        assert_int_equal(who->pid, 4242);
        assert_false(who->read_only);
        vmm_rpc_message_free(&who->base);
        assert_int_equal(call_set(proxy, "k", "v", &err), 0);
        /* an identity is declared once */
        assert_int_equal(identify(proxy, 0, false, &err), -EPERM);
        assert_string_equal(vmm_error_message(&err), "identify: only the proxy may declare an "
                                                     "identity (caller uid 1234)");

        /* a client forwarded as read-only is treated as one */
        VmmRpcClient *proxy2 = td_client(d.rw);
        assert_int_equal(identify(proxy2, 1235, true, &err), 0);
        assert_int_equal(whoami(proxy2, &who, &err), 0);
        assert_true(who->read_only);
        vmm_rpc_message_free(&who->base);
        assert_int_equal(call_set(proxy2, "k", "w", &err), -EACCES);
        vmm_rpc_client_free(proxy2);
        vmm_error_clear(&err);
        vmm_rpc_client_free(proxy);
        vmm_rpc_client_free(ro);
        assert_int_equal(td_stop(&d), 0);
}

/* The access check sees each call with the permission its table entry
 * names; what it refuses gets its message back unchanged. */
static void test_access_check(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        char expected[160];
        VmmRpcClient *rw;
        TestDaemon d;

        setenv("VMM_ECHO_TEST_DENY", "test.write", 1);
        td_start(&d, NULL);
        unsetenv("VMM_ECHO_TEST_DENY");
        rw = td_client(d.rw);
        assert_int_equal(call_set(rw, "k", "v", &err), -EACCES);
        assert_int_equal(err.kind, VMM_ERR_ACCESS_DENIED);
        snprintf(expected, sizeof(expected),
                 "access denied: 'test.set' needs permission 'test.write', which uid %u does "
                 "not have",
                 (unsigned)getuid());
        assert_string_equal(vmm_error_message(&err), expected);
        assert_int_equal(td_echo(rw, "reads are fine", &err), 0);
        vmm_error_clear(&err);
        vmm_rpc_client_free(rw);
        assert_int_equal(td_stop(&d), 0);
}

typedef struct BadCase {
        const char *name;
        uint32_t program, version, procedure;
        const uint8_t *body;
        size_t body_len;
        int code;
        const char *message;
} BadCase;

static void send_header_body(int fd, const BadCase *bc, uint32_t serial)
{
        VmmRpcHeader h = {.length = (uint32_t)(VMM_RPC_HEADER_SIZE + bc->body_len),
                          .program = bc->program,
                          .version = bc->version,
                          .procedure = bc->procedure,
                          .type = VMM_RPC_CALL,
                          .serial = serial};
        uint8_t hdr[VMM_RPC_HEADER_SIZE];

        vmm_rpc_header_encode(&h, hdr);
        td_write_all(fd, hdr, sizeof(hdr));
        td_write_all(fd, bc->body, bc->body_len);
}

/* Calls the daemon cannot serve get an error reply naming the problem, and
 * the connection stays usable. */
static void test_bad_calls_get_error_replies(void **state)
{
        static const uint8_t junk[] = {0xff, 0xff, 0xff};
        static const BadCase cases[] = {
            {"unknown program", 0x12345678, 1, 1, NULL, 0, -EPROTONOSUPPORT,
             "unknown program 0x12345678 (vmm-echo-test serves: control, test)"},
            {"unknown version", VMM_RPC_PROGRAM_TEST, 7, 1, NULL, 0, -EPROTONOSUPPORT,
             "program 'test' version 7 is not supported (expected 1)"},
            {"unknown procedure", VMM_RPC_PROGRAM_TEST, 1, 99, NULL, 0, -ENOSYS,
             "program 'test' has no procedure 99"},
            {"procedure 0", VMM_RPC_PROGRAM_TEST, 1, 0, NULL, 0, -ENOSYS,
             "program 'test' has no procedure 0"},
            {"event called", VMM_RPC_PROGRAM_TEST, 1, VMM_RPC_TEST_TICK, NULL, 0, -ENOSYS,
             "program 'test' has no procedure 7 that can be called ('tick' is an event)"},
            {"body not the declared message", VMM_RPC_PROGRAM_TEST, 1, VMM_RPC_TEST_ECHO, junk,
             sizeof(junk), -EBADMSG,
             "'test.echo' call: body of 3 bytes is not a valid vmm.TestEchoRequest "
             "message"},
            {"missing required field", VMM_RPC_PROGRAM_TEST, 1, VMM_RPC_TEST_SET, NULL, 0, -EBADMSG,
             "'test.set' call: body of 0 bytes is not a valid vmm.TestSetRequest message"},
        };
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *good;
        VmmRpcHeader h;
        TestDaemon d;
        int fd;

        td_start(&d, NULL);
        good = td_client(d.rw);
        fd = td_connect(d.rw);
        assert_true(fd >= 0);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                send_header_body(fd, &cases[i], 100 + (uint32_t)i);
                int code = td_raw_error(fd, &h, &err);
                if (code != cases[i].code || strcmp(vmm_error_message(&err), cases[i].message))
                        fail_msg("%s: got %d \"%s\"", cases[i].name, code, vmm_error_message(&err));
                assert_int_equal(h.serial, 100 + i);
                assert_int_equal(td_echo(good, "ok", &err), 0);
        }
        /* the same raw connection still works */
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        uint8_t *body = NULL;
        req.text = "raw";
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_ECHO, 5, &req.base);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 1);
        assert_int_equal(h.status, VMM_RPC_OK);
        assert_int_equal(h.serial, 5);
        free(body);
        close(fd);
        vmm_error_clear(&err);
        vmm_rpc_client_free(good);
        assert_int_equal(td_stop(&d), 0);
}

/* A string over the 4 MiB limit inside a frame under 32 MiB. */
static void test_oversized_string(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        VmmRpcLimits lax = vmm_rpc_default_limits;
        size_t n = (4u << 20) + 1;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h = {.program = VMM_RPC_PROGRAM_TEST,
                          .version = 1,
                          .procedure = VMM_RPC_TEST_ECHO,
                          .serial = 9};
        uint8_t *frame;
        size_t len;
        TestDaemon d;
        char *text = malloc(n + 1);
        int fd;

        memset(text, 'z', n);
        text[n] = 0;
        req.text = text;
        lax.max_string = 8u << 20;
        assert_int_equal(vmm_rpc_frame_encode(&h, &req.base, &lax, "raw", &frame, &len, NULL), 0);
        td_start(&d, NULL);
        fd = td_connect(d.rw);
        assert_true(td_write_all(fd, frame, len));
        assert_int_equal(td_raw_error(fd, &h, &err), -EMSGSIZE);
        assert_string_equal(vmm_error_message(&err),
                            "'test.echo' call: field 'text' is 4194305 bytes long "
                            "(limit 4194304)");
        close(fd);
        free(frame);
        free(text);
        vmm_error_clear(&err);
        assert_int_equal(td_stop(&d), 0);
}

/* Frames that break the stream: the connection is closed (after an error
 * reply when one can be sent); another client is not disturbed. */
static void test_broken_streams_closed(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *good;
        VmmRpcHeader h = {
            .length = 64u << 20, .program = VMM_RPC_PROGRAM_TEST, .version = 1, .procedure = 1};
        uint8_t hdr[VMM_RPC_HEADER_SIZE], *body = NULL;
        TestDaemon d;
        int fd;

        td_start(&d, NULL);
        good = td_client(d.rw);

        /* over the frame limit */
        fd = td_connect(d.rw);
        vmm_rpc_header_encode(&h, hdr);
        td_write_all(fd, hdr, sizeof(hdr));
        assert_int_equal(td_raw_error(fd, &h, &err), -EPROTO);
        assert_string_equal(vmm_error_message(&err),
                            "bad frame: frame length 67108864 is over the limit of 33554432 "
                            "bytes");
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 0); /* closed */
        close(fd);
        assert_int_equal(td_echo(good, "ok", &err), 0);

        /* a frame cut short by the client closing */
        fd = td_connect(d.rw);
        h = (VmmRpcHeader){
            .length = 100, .program = VMM_RPC_PROGRAM_TEST, .version = 1, .procedure = 1};
        vmm_rpc_header_encode(&h, hdr);
        td_write_all(fd, hdr, sizeof(hdr));
        td_write_all(fd, "0123456789", 10);
        close(fd);
        assert_int_equal(td_echo(good, "ok", &err), 0);

        /* a reply frame sent by a client (stream frames are a client's
         * to send: test-rpc-stream.c) */
        fd = td_connect(d.rw);
        VmmRpcHeader stream = {.length = VMM_RPC_HEADER_SIZE,
                               .program = VMM_RPC_PROGRAM_TEST,
                               .version = 1,
                               .procedure = 1,
                               .type = VMM_RPC_REPLY};
        vmm_rpc_header_encode(&stream, hdr);
        td_write_all(fd, hdr, sizeof(hdr));
        assert_int_equal(td_raw_error(fd, &h, &err), -EPROTO);
        assert_string_equal(vmm_error_message(&err),
                            "a client may only send calls and stream frames (got a reply frame)");
        close(fd);
        assert_int_equal(td_echo(good, "ok", &err), 0);

        vmm_error_clear(&err);
        vmm_rpc_client_free(good);
        assert_int_equal(td_stop(&d), 0);
}

static void test_half_frame_then_stall(void **state)
{
        static const char *const opts[] = {"--frame-timeout", "300", NULL};
        VmmError err = VMM_ERROR_INIT;
        uint8_t hdr[VMM_RPC_HEADER_SIZE], *body = NULL;
        VmmRpcHeader h = {
            .length = 200, .program = VMM_RPC_PROGRAM_TEST, .version = 1, .procedure = 1};
        VmmRpcClient *good;
        uint64_t t0, elapsed;
        TestDaemon d;
        int fd;

        td_start(&d, opts);
        good = td_client(d.rw);
        fd = td_connect(d.rw);
        vmm_rpc_header_encode(&h, hdr);
        t0 = td_now_ms();
        td_write_all(fd, hdr, sizeof(hdr));
        td_write_all(fd, "half", 4);
        /* meanwhile, others are served */
        assert_int_equal(td_echo(good, "ok", &err), 0);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 0);
        elapsed = td_now_ms() - t0;
        assert_true(elapsed >= 290 && elapsed < 3000);
        assert_true(td_log_contains(&d, "sent 32 bytes of a frame and nothing more for 300 ms"));
        close(fd);
        assert_int_equal(td_echo(good, "ok", &err), 0);
        vmm_rpc_client_free(good);
        assert_int_equal(td_stop(&d), 0);
}

/* A client that sends calls but never reads the replies is dropped once
 * 16 MiB of replies wait for it. */
static void test_client_never_reads(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        size_t n = 1u << 20, len, read_total = 0;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h = {
            .program = VMM_RPC_PROGRAM_TEST, .version = 1, .procedure = VMM_RPC_TEST_ECHO};
        VmmRpcClient *good;
        uint8_t *frame, buf[65536];
        TestDaemon d;
        char *text = malloc(n + 1);
        int fd, sent = 0;

        memset(text, 'q', n);
        text[n] = 0;
        req.text = text;
        assert_int_equal(vmm_rpc_frame_encode(&h, &req.base, NULL, "raw", &frame, &len, NULL), 0);
        td_start(&d, NULL);
        good = td_client(d.rw);
        fd = td_connect(d.rw);
        fcntl(fd, F_SETFL, O_NONBLOCK);
        for (int i = 0; i < 64; i++) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                size_t off = 0;
                while (off < len) {
                        if (poll(&p, 1, 5000) <= 0)
                                goto done;
                        ssize_t k = write(fd, frame + off, len - off);
                        if (k < 0 && errno == EAGAIN)
                                continue;
                        if (k <= 0)
                                goto done; /* EPIPE/ECONNRESET: dropped */
                        off += (size_t)k;
                }
                sent++;
        }
done:
        assert_int_equal(td_echo(good, "ok", &err), 0);
        /* what we can still read ends with EOF, well short of 64 replies */
        fcntl(fd, F_SETFL, 0);
        for (;;) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                assert_int_equal(poll(&p, 1, 5000), 1);
                ssize_t k = read(fd, buf, sizeof(buf));
                if (k <= 0)
                        break;
                read_total += (size_t)k;
        }
        assert_true(sent > 16);
        assert_true(read_total < (size_t)sent * len);
        assert_true(td_log_contains(&d, "does not read its replies"));
        close(fd);
        free(frame);
        free(text);
        assert_int_equal(td_echo(good, "ok", &err), 0);
        vmm_rpc_client_free(good);
        assert_int_equal(td_stop(&d), 0);
}

static void test_calls_in_flight_limit(void **state)
{
        static const char *const opts[] = {"--max-calls", "4", NULL};
        Vmm__TestSleepRequest req = VMM__TEST_SLEEP_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h;
        TestDaemon d;
        int fd, ok = 0, busy = 0;

        td_start(&d, opts);
        fd = td_connect(d.rw);
        req.milliseconds = 300;
        for (uint32_t i = 1; i <= 10; i++)
                td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_SLEEP, i, &req.base);
        for (int i = 0; i < 10; i++) {
                int r = td_raw_error(fd, &h, &err);
                if (r == 1)
                        ok++;
                else if (r == -EBUSY) {
                        busy++;
                        assert_string_equal(vmm_error_message(&err),
                                            "'test.sleep': 4 calls already in flight on this "
                                            "connection (limit 4); wait for their replies");
                } else
                        fail_msg("reply %d: %d %s", i, r, vmm_error_message(&err));
        }
        assert_int_equal(ok, 4);
        assert_int_equal(busy, 6);
        /* a high-priority call still gets through while the budget is spent */
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_SLEEP, 20, &req.base);
        Vmm__TestEchoRequest echo = VMM__TEST_ECHO_REQUEST__INIT;
        echo.text = "x";
        for (uint32_t i = 21; i <= 24; i++)
                td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_ECHO, i, &echo.base);
        for (int i = 0; i < 5; i++)
                assert_int_equal(td_raw_error(fd, &h, &err), 1);
        close(fd);
        vmm_error_clear(&err);
        assert_int_equal(td_stop(&d), 0);
}

/* A client that the daemon serves (retrying while it is full). */
static VmmRpcClient *connect_served(const char *path)
{
        VmmError err = VMM_ERROR_INIT;

        for (int i = 0; i < 200; i++) {
                VmmRpcClient *c = td_client(path);
                if (td_echo(c, "hi", &err) == 0)
                        return c;
                vmm_rpc_client_free(c);
                usleep(10000);
        }
        fail_msg("no place for a client: %s", vmm_error_message(&err));
        return NULL;
}

static void test_max_clients(void **state)
{
        static const char *const opts[] = {"--max-clients", "2", NULL};
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *a, *b;
        VmmRpcHeader h;
        TestDaemon d;
        int fd;

        td_start(&d, opts);
        /* the start-up probe connection may not be gone yet */
        a = connect_served(d.rw);
        b = connect_served(d.ro);
        fd = td_connect(d.rw);
        assert_int_equal(td_raw_error(fd, &h, &err), -EUSERS);
        assert_string_equal(vmm_error_message(&err), "too many clients (limit 2), try again later");
        uint8_t *body = NULL;
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 0);
        close(fd);
        /* the client library reports the daemon's reason */
        VmmRpcClient *third = td_client(d.rw);
        assert_int_equal(td_echo(third, "c", &err), -EUSERS);
        char expected[256];
        snprintf(expected, sizeof(expected),
                 "call 'test.echo': daemon at '%s' refused the connection: too many clients "
                 "(limit 2), try again later",
                 d.rw);
        assert_string_equal(vmm_error_message(&err), expected);
        vmm_rpc_client_free(third);
        assert_int_equal(td_echo(a, "a", &err), 0);
        vmm_rpc_client_free(b);
        /* a place is free again once the daemon has seen b go */
        vmm_rpc_client_free(connect_served(d.rw));
        vmm_error_clear(&err);
        vmm_rpc_client_free(a);
        assert_int_equal(td_stop(&d), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_echo_and_identity),
            cmocka_unit_test(test_read_only_refuses_writes),
            cmocka_unit_test(test_access_check),
            cmocka_unit_test(test_identity_forwarding),
            cmocka_unit_test(test_bad_calls_get_error_replies),
            cmocka_unit_test(test_oversized_string),
            cmocka_unit_test(test_broken_streams_closed),
            cmocka_unit_test(test_half_frame_then_stall),
            cmocka_unit_test(test_client_never_reads),
            cmocka_unit_test(test_calls_in_flight_limit),
            cmocka_unit_test(test_max_clients),
        };
        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
