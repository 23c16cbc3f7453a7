/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RPC streams end to end over a real UNIX socket: the client side
 * (libvmm/rpc/client-stream.c) against the daemon skeleton's streams
 * (daemons/common/daemon-stream.c) in vmm-echo-test's STREAM procedure:
 * echo both ways, a large transfer paced by the window, a reader that
 * stops reading (its stream pauses, the connection keeps serving calls),
 * the daemon's abort with its message, recv timeouts, the pollable fd, and
 * a client that disconnects with streams open. */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon-test-util.h"
#include "rpc/client-internal.h"
#include "rpc/stream-frame.h"

/* VMM_DAEMON_STREAM_MAX of daemons/common/daemon-stream.h */
#define VMM_DAEMON_STREAM_MAX_TEST 16

static VmmRpcStream *open_stream(VmmRpcClient *c, uint32_t produce, const char *abort_message)
{
        Vmm__TestStreamRequest req = VMM__TEST_STREAM_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcStream *s = NULL;

        req.has_produce = produce > 0;
        req.produce = produce;
        req.abort_message = (char *)abort_message;
        if (vmm_rpc_client_open_stream(c, &vmm_rpc_program_test, VMM_RPC_TEST_STREAM, &req.base,
                                       5000, &s, &err) < 0) {
                fprintf(stderr, "open stream: %s\n", vmm_error_message(&err));
                abort();
        }
        return s;
}

/* Reads exactly `len` bytes (each recv within 5 s). */
static void recv_exact(VmmRpcStream *s, uint8_t *buf, size_t len)
{
        VmmError err = VMM_ERROR_INIT;
        size_t got = 0;

        while (got < len) {
                int n = vmm_rpc_stream_recv(s, buf + got, len - got, 5000, &err);
                if (n <= 0)
                        fprintf(stderr, "recv after %zu of %zu bytes: %d %s\n", got, len, n,
                                vmm_error_message(&err));
                assert_true(n > 0);
                got += (size_t)n;
        }
}

static bool fd_readable(int fd)
{
        struct pollfd p = {.fd = fd, .events = POLLIN};

        return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_stream_echo(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        uint8_t big[200000], back[200000], buf[64];
        VmmRpcStream *s;
        VmmRpcClient *c;
        TestDaemon d;
        int fd;

        td_start(&d, NULL);
        c = td_client(d.rw);
        s = open_stream(c, 0, NULL);
        fd = vmm_rpc_stream_event_fd(s);
        assert_true(fd >= 0);
        assert_false(fd_readable(fd));
        assert_int_equal(vmm_rpc_stream_recv(s, buf, sizeof(buf), 0, &err), -EAGAIN);
        vmm_error_clear(&err);
        assert_int_equal(vmm_rpc_stream_recv(s, buf, sizeof(buf), 50, &err), -EAGAIN);
        assert_non_null(strstr(vmm_error_message(&err), "no data within 50 ms"));
        vmm_error_clear(&err);

        assert_int_equal(vmm_rpc_stream_send(s, "hello stream", 12, &err), 12);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        assert_int_equal(poll(&p, 1, 5000), 1);
        recv_exact(s, buf, 12);
        assert_memory_equal(buf, "hello stream", 12);
        assert_false(fd_readable(fd));

        /* more than one frame's worth, both ways, in order */
        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (uint8_t)(i * 7 + 3);
        assert_int_equal(vmm_rpc_stream_send(s, big, sizeof(big), &err), (int)sizeof(big));
        recv_exact(s, back, sizeof(back));
        assert_memory_equal(big, back, sizeof(big));

        /* the calls on the connection go on beside the stream */
        assert_int_equal(td_echo(c, "call beside a stream", &err), 0);

        /* our end is confirmed by the daemon's: recv sees the end */
        assert_int_equal(vmm_rpc_stream_finish(s, &err), 0);
        assert_int_equal(vmm_rpc_stream_recv(s, buf, sizeof(buf), 5000, &err), 0);
        assert_true(fd_readable(fd));
        assert_int_equal(vmm_rpc_stream_send(s, "x", 1, &err), -EPIPE);
        assert_non_null(strstr(vmm_error_message(&err), "already finished"));
        vmm_error_clear(&err);
        vmm_rpc_stream_free(s);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void check_pattern(const uint8_t *buf, size_t n, uint64_t offset)
{
        for (size_t i = 0; i < n; i++)
                if (buf[i] != (uint8_t)((offset + i) % 251)) {
                        fprintf(stderr, "byte %" PRIu64 ": %u (expected %u)\n", offset + i, buf[i],
                                (unsigned)((offset + i) % 251));
                        fail();
                }
}

/* 8 MiB: eight windows; every byte arrives once, in order, then the end. */
static void test_stream_large(void **state)
{
        const uint32_t total = 8u << 20;
        VmmError err = VMM_ERROR_INIT;
        static uint8_t buf[100000];
        uint64_t got = 0;
        VmmRpcStream *s;
        VmmRpcClient *c;
        TestDaemon d;
        int n;

        td_start(&d, NULL);
        c = td_client(d.rw);
        s = open_stream(c, total, NULL);
        while ((n = vmm_rpc_stream_recv(s, buf, sizeof(buf), 5000, &err)) > 0) {
                check_pattern(buf, (size_t)n, got);
                got += (uint64_t)n;
        }
        if (n < 0)
                fprintf(stderr, "recv: %s\n", vmm_error_message(&err));
        assert_int_equal(n, 0);
        assert_int_equal(got, total);
        vmm_rpc_stream_free(s);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

/* A reader that stops: the daemon stops at the window; the connection
 * serves calls meanwhile; reading again resumes the stream to its end. */
static void test_stream_paused_reader(void **state)
{
        const uint32_t total = 4u << 20;
        VmmError err = VMM_ERROR_INIT;
        static uint8_t buf[65536];
        uint64_t got = 0;
        VmmRpcStream *s;
        VmmRpcClient *c;
        TestDaemon d;
        int n;

        td_start(&d, NULL);
        c = td_client(d.rw);
        s = open_stream(c, total, NULL);
        /* the daemon fills the window and waits: no byte more */
        for (int i = 0; i < 500 && vmm_rpc_stream_queued(s) < VMM_RPC_STREAM_WINDOW; i++)
                usleep(10000);
        usleep(200000);
        assert_int_equal(vmm_rpc_stream_queued(s), VMM_RPC_STREAM_WINDOW);
        for (int i = 0; i < 20; i++)
                assert_int_equal(td_echo(c, "still serving", &err), 0);
        while ((n = vmm_rpc_stream_recv(s, buf, sizeof(buf), 5000, &err)) > 0) {
                check_pattern(buf, (size_t)n, got);
                got += (uint64_t)n;
        }
        if (n < 0)
                fprintf(stderr, "recv: %s\n", vmm_error_message(&err));
        assert_int_equal(n, 0);
        assert_int_equal(got, total);
        vmm_rpc_stream_free(s);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

static void test_stream_daemon_abort(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        uint8_t buf[4096];
        uint64_t got = 0;
        VmmRpcStream *s;
        VmmRpcClient *c;
        TestDaemon d;
        int n;

        td_start(&d, NULL);
        c = td_client(d.rw);
        s = open_stream(c, 1000, "the guest went away");
        /* the data sent before the abort is still read first */
        while ((n = vmm_rpc_stream_recv(s, buf, sizeof(buf), 5000, &err)) > 0)
                got += (uint64_t)n;
        assert_int_equal(got, 1000);
        assert_int_equal(n, -ECANCELED);
        assert_string_equal(vmm_error_message(&err), "the guest went away");
        vmm_error_clear(&err);
        assert_true(fd_readable(vmm_rpc_stream_event_fd(s)));
        assert_int_equal(vmm_rpc_stream_send(s, "x", 1, &err), -ECANCELED);
        vmm_error_clear(&err);
        vmm_rpc_stream_free(s);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

/* Several streams at once on one connection, each with its own data;
 * freeing one with data in flight leaves the others intact; a client
 * that disconnects with a stream open leaves a daemon that still serves
 * and stops cleanly. */
static void test_stream_several(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcStream *s[3];
        uint8_t buf[16];
        VmmRpcClient *c, *c2;
        TestDaemon d;

        td_start(&d, NULL);
        c = td_client(d.rw);
        for (int i = 0; i < 3; i++)
                s[i] = open_stream(c, 0, NULL);
        for (int i = 2; i >= 0; i--) {
                char msg[8];
                snprintf(msg, sizeof(msg), "s%d", i);
                assert_int_equal(vmm_rpc_stream_send(s[i], msg, 2, &err), 2);
        }
        for (int i = 0; i < 3; i++) {
                char msg[8];
                snprintf(msg, sizeof(msg), "s%d", i);
                recv_exact(s[i], buf, 2);
                assert_memory_equal(buf, msg, 2);
        }
        assert_int_equal(vmm_rpc_stream_send(s[1], "late", 4, &err), 4);
        vmm_rpc_stream_free(s[1]);
        assert_int_equal(vmm_rpc_stream_send(s[2], "more", 4, &err), 4);
        recv_exact(s[2], buf, 4);
        assert_memory_equal(buf, "more", 4);
        vmm_rpc_stream_free(s[0]);
        vmm_rpc_stream_free(s[2]);

        /* gone with a stream open (and data in flight) */
        c2 = td_client(d.rw);
        s[0] = open_stream(c2, 1u << 20, NULL);
        vmm_rpc_stream_free(s[0]);
        vmm_rpc_client_free(c2);
        c2 = td_client(d.rw);
        s[0] = open_stream(c2, 4u << 20, NULL);
        /* the connection goes while the stream is open: recv says so */
        shutdown(c2->fd, SHUT_RDWR);
        int n;
        while ((n = vmm_rpc_stream_recv(s[0], buf, sizeof(buf), 5000, &err)) > 0)
                ;
        assert_true(n < 0 && n != -EAGAIN);
        assert_non_null(strstr(vmm_error_message(&err), "stream of 'test.stream'"));
        vmm_error_clear(&err);
        vmm_rpc_stream_free(s[0]);
        vmm_rpc_client_free(c2);

        assert_int_equal(td_echo(c, "after the others left", &err), 0);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

/* Bad stream input on a raw socket: a stream frame for no stream is
 * ignored (late frames are normal), a bad body aborts only that stream;
 * the limit of streams per connection says so. */
static void test_stream_bad_input(void **state)
{
        Vmm__TestEchoRequest echo = VMM__TEST_ECHO_REQUEST__INIT;
        VmmRpcHeader h = {.program = VMM_RPC_PROGRAM_TEST,
                          .version = 1,
                          .procedure = VMM_RPC_TEST_STREAM,
                          .serial = 999};
        VmmError err = VMM_ERROR_INIT;
        VmmRpcStream *s[VMM_DAEMON_STREAM_MAX_TEST + 1];
        uint8_t *frame, *body = NULL, junk[] = {0xff, 0xff, 0xff};
        VmmRpcClient *c;
        size_t len;
        TestDaemon d;
        int fd;

        td_start(&d, NULL);
        fd = td_connect(d.rw);
        assert_true(fd >= 0);
        assert_int_equal(vmm_rpc_stream_frame_data(&h, "stray", 5, &frame, &len), 0);
        assert_true(td_write_all(fd, frame, len));
        free(frame);
        /* the connection still serves calls, and nothing answered the stray frame */
        echo.text = (char *)"after a stray frame";
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_ECHO, 7, &echo.base);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 1);
        assert_int_equal(h.type, VMM_RPC_REPLY);
        assert_int_equal(h.serial, 7);
        free(body);

        /* an open stream that gets a body that is not RpcStreamData */
        Vmm__TestStreamRequest req = VMM__TEST_STREAM_REQUEST__INIT;
        td_raw_send(fd, VMM_RPC_PROGRAM_TEST, VMM_RPC_TEST_STREAM, 8, &req.base);
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 1);
        assert_int_equal(h.status, VMM_RPC_OK);
        free(body);
        h = (VmmRpcHeader){.length = VMM_RPC_HEADER_SIZE + sizeof(junk),
                           .program = VMM_RPC_PROGRAM_TEST,
                           .version = 1,
                           .procedure = VMM_RPC_TEST_STREAM,
                           .type = VMM_RPC_STREAM,
                           .serial = 8,
                           .status = VMM_RPC_CONTINUE};
        uint8_t hdr[VMM_RPC_HEADER_SIZE];
        vmm_rpc_header_encode(&h, hdr);
        assert_true(td_write_all(fd, hdr, sizeof(hdr)));
        assert_true(td_write_all(fd, junk, sizeof(junk)));
        assert_int_equal(td_raw_read(fd, 5000, &h, &body), 1);
        assert_int_equal(h.type, VMM_RPC_STREAM);
        assert_int_equal(h.serial, 8);
        assert_int_equal(h.status, VMM_RPC_ERROR);
        assert_int_equal(vmm_rpc_error_decode(body, h.length - VMM_RPC_HEADER_SIZE, &err),
                         -EBADMSG);
        assert_non_null(strstr(vmm_error_message(&err), "not a valid"));
        vmm_error_clear(&err);
        free(body);
        close(fd);

        /* streams per connection are bounded */
        c = td_client(d.rw);
        for (int i = 0; i < VMM_DAEMON_STREAM_MAX_TEST; i++)
                s[i] = open_stream(c, 0, NULL);
        Vmm__TestStreamRequest more = VMM__TEST_STREAM_REQUEST__INIT;
        assert_int_equal(vmm_rpc_client_open_stream(c, &vmm_rpc_program_test, VMM_RPC_TEST_STREAM,
                                                    &more.base, 5000,
                                                    &s[VMM_DAEMON_STREAM_MAX_TEST], &err),
                         -EMFILE);
        assert_non_null(strstr(vmm_error_message(&err), "streams open already (limit 16)"));
        vmm_error_clear(&err);
        for (int i = 0; i < VMM_DAEMON_STREAM_MAX_TEST; i++)
                vmm_rpc_stream_free(s[i]);
        /* closed streams free their places */
        s[0] = open_stream(c, 0, NULL);
        vmm_rpc_stream_free(s[0]);
        vmm_rpc_client_free(c);
        assert_int_equal(td_stop(&d), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_stream_echo),          cmocka_unit_test(test_stream_large),
            cmocka_unit_test(test_stream_paused_reader), cmocka_unit_test(test_stream_daemon_abort),
            cmocka_unit_test(test_stream_several),       cmocka_unit_test(test_stream_bad_input),
        };

        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
