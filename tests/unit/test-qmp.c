/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qmp: the QMP client against a scripted fake monitor running in a
 * thread on the other end of a socketpair: greeting, capabilities,
 * replies, errors, events, deadlines, a silent monitor, garbage, EOF and
 * a greeting delivered byte by byte.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../helpers/qmp-line.h"
#include "qmp.h"

typedef enum FakeMode {
        FAKE_NORMAL,
        FAKE_SILENT,      /* never sends the greeting */
        FAKE_GARBAGE,     /* answers the first command with garbage */
        FAKE_SPLIT,       /* greeting one byte at a time */
} FakeMode;

typedef struct Fake {
        int fd;
        FakeMode mode;
        pthread_t thread;
} Fake;

static const char greeting[] =
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
        "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n";

static void fake_write(Fake *f, const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        if (write(f->fd, buf, (size_t)n) != n)
                return;
}

/* Reads one line; returns its length, 0 at EOF. */
static size_t fake_read_line(Fake *f, char *line, size_t size)
{
        size_t n = 0;

        while (n + 1 < size) {
                char c;
                if (read(f->fd, &c, 1) != 1)
                        return 0;
                if (c == '\n')
                        break;
                line[n++] = c;
        }
        line[n] = '\0';
        return n;
}

static void *fake_main(void *p)
{
        Fake *f = p;
        char line[4096], cmd[64], id[64];
        bool first = true;

        if (f->mode == FAKE_SILENT) {
                while (fake_read_line(f, line, sizeof(line)) > 0)
                        ;
                return NULL;
        }
        if (f->mode == FAKE_SPLIT) {
                for (const char *c = greeting; *c; c++) {
                        if (write(f->fd, c, 1) != 1)
                                return NULL;
                        usleep(200);
                }
        } else
                fake_write(f, "%s", greeting);

        while (fake_read_line(f, line, sizeof(line)) > 0) {
                qmp_line_field(line, "execute", cmd, sizeof(cmd));
                qmp_line_field(line, "id", id, sizeof(id));
                if (f->mode == FAKE_GARBAGE && !first) {
                        fake_write(f, "}{ this is not json\r\n");
                        continue;
                }
                if (strcmp(cmd, "qmp_capabilities") == 0)
                        first = false;
                if (strcmp(cmd, "qmp_capabilities") == 0 || strcmp(cmd, "cont") == 0)
                        fake_write(f, "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
                else if (strcmp(cmd, "query-status") == 0)
                        fake_write(f,
                                   "{\"return\": {\"status\": \"running\", \"singlestep\": false, "
                                   "\"running\": true}, \"id\": \"%s\"}\r\n",
                                   id);
                else if (strcmp(cmd, "stop") == 0)
                        fake_write(f,
                                   "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": "
                                   "42}, \"event\": \"STOP\"}\r\n{\"return\": {}, \"id\": \"%s\"}\r\n",
                                   id);
                else if (strcmp(cmd, "hang") == 0)
                        continue; /* never answers this one */
                else if (strcmp(cmd, "quit") == 0) {
                        fake_write(f, "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
                        break;
                } else
                        fake_write(f,
                                   "{\"id\": \"%s\", \"error\": {\"class\": \"CommandNotFound\", "
                                   "\"desc\": \"The command %s has not been found\"}}\r\n",
                                   id, cmd);
        }
        shutdown(f->fd, SHUT_RDWR);
        return NULL;
}

/* --- the client side --- */

typedef struct Result {
        int status;
        char cls[64];
        char message[512];
        char status_text[64];
        bool done;
} Result;

typedef struct Ctx {
        uv_loop_t loop;
        VmmQmp *qmp;
        Fake fake;
        bool ready;
        int version_major;
        int closed_error;
        bool closed;
        char closed_message[512];
        int n_events;
        char last_event[64];
        int64_t event_seconds;
} Ctx;

static void on_ready(VmmQmp *qmp, json_object *version, void *userdata)
{
        Ctx *ctx = userdata;
        json_object *q = NULL, *major = NULL;

        ctx->ready = true;
        if (json_object_object_get_ex(version, "qemu", &q) &&
            json_object_object_get_ex(q, "major", &major))
                ctx->version_major = json_object_get_int(major);
}

static void on_event(VmmQmp *qmp, const char *name, json_object *data, int64_t seconds,
                     int64_t micros, void *userdata)
{
        Ctx *ctx = userdata;

        ctx->n_events++;
        snprintf(ctx->last_event, sizeof(ctx->last_event), "%s", name);
        ctx->event_seconds = seconds;
}

static void on_closed(VmmQmp *qmp, int error, const char *message, void *userdata)
{
        Ctx *ctx = userdata;

        ctx->closed = true;
        ctx->closed_error = error;
        snprintf(ctx->closed_message, sizeof(ctx->closed_message), "%s", message);
}

static const VmmQmpCallbacks callbacks = { on_ready, on_event, on_closed };

static void on_reply(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                     const char *message, void *userdata)
{
        Result *r = userdata;
        json_object *st = NULL;

        r->done = true;
        r->status = status;
        snprintf(r->cls, sizeof(r->cls), "%s", cls ? cls : "");
        snprintf(r->message, sizeof(r->message), "%s", message ? message : "");
        if (ret && json_object_object_get_ex(ret, "status", &st))
                snprintf(r->status_text, sizeof(r->status_text), "%s",
                         json_object_get_string(st));
}

static void ctx_start(Ctx *ctx, FakeMode mode, uint64_t ready_timeout_ms)
{
        int sv[2];
        VmmError err = VMM_ERROR_INIT;

        memset(ctx, 0, sizeof(*ctx));
        assert_int_equal(uv_loop_init(&ctx->loop), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        ctx->fake.fd = sv[1];
        ctx->fake.mode = mode;
        assert_int_equal(pthread_create(&ctx->fake.thread, NULL, fake_main, &ctx->fake), 0);
        assert_int_equal(vmm_qmp_new(&ctx->loop, "guest1", &callbacks, ctx, &ctx->qmp, &err), 0);
        assert_int_equal(vmm_qmp_open_fd(ctx->qmp, sv[0], ready_timeout_ms, &err), 0);
}

/* Runs the loop until `done` is true or 5 s pass (the test then fails). */
static void run_until(Ctx *ctx, const bool *done)
{
        uint64_t start = uv_now(&ctx->loop);

        while (!*done) {
                uv_run(&ctx->loop, UV_RUN_ONCE);
                uv_update_time(&ctx->loop);
                assert_true(uv_now(&ctx->loop) - start < 5000);
        }
}

static void ctx_finish(Ctx *ctx)
{
        vmm_qmp_close(ctx->qmp);
        uv_run(&ctx->loop, UV_RUN_DEFAULT);
        shutdown(ctx->fake.fd, SHUT_RDWR);
        pthread_join(ctx->fake.thread, NULL);
        close(ctx->fake.fd);
        assert_int_equal(uv_loop_close(&ctx->loop), 0);
}

static void exec_cmd(Ctx *ctx, const char *cmd, uint64_t timeout_ms, Result *r)
{
        VmmError err = VMM_ERROR_INIT;

        memset(r, 0, sizeof(*r));
        assert_int_equal(vmm_qmp_execute(ctx->qmp, cmd, NULL, timeout_ms, on_reply, r, NULL, &err),
                         0);
}

static void test_ready_and_reply(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        /* queued before the monitor is ready: sent after negotiation */
        exec_cmd(&ctx, "query-status", 2000, &r);
        run_until(&ctx, &r.done);
        assert_true(ctx.ready);
        assert_int_equal(ctx.version_major, 7);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.status_text, "running");
        assert_int_equal(vmm_qmp_pending(ctx.qmp), 0);
        ctx_finish(&ctx);
}

static void test_error_reply(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        exec_cmd(&ctx, "no-such-command", 2000, &r);
        run_until(&ctx, &r.done);
        assert_int_equal(r.status, -EIO);
        assert_string_equal(r.cls, "CommandNotFound");
        assert_non_null(strstr(r.message, "'no-such-command' on guest1 failed"));
        ctx_finish(&ctx);
}

static void test_event(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        exec_cmd(&ctx, "stop", 2000, &r);
        run_until(&ctx, &r.done);
        assert_int_equal(r.status, 0);
        assert_int_equal(ctx.n_events, 1);
        assert_string_equal(ctx.last_event, "STOP");
        assert_int_equal(ctx.event_seconds, 1700000000);
        ctx_finish(&ctx);
}

static void test_deadline_then_usable(void **state)
{
        Ctx ctx;
        Result hang, after;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        exec_cmd(&ctx, "hang", 100, &hang);
        run_until(&ctx, &hang.done);
        assert_int_equal(hang.status, -ETIMEDOUT);
        assert_non_null(strstr(hang.message, "'hang' on guest1 timed out"));
        /* the monitor stays open and answers the next command */
        exec_cmd(&ctx, "query-status", 2000, &after);
        run_until(&ctx, &after.done);
        assert_int_equal(after.status, 0);
        assert_false(ctx.closed);
        ctx_finish(&ctx);
}

static void test_silent_monitor(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_SILENT, 150);
        exec_cmd(&ctx, "query-status", 0, &r);
        run_until(&ctx, &ctx.closed);
        assert_int_equal(ctx.closed_error, -ETIMEDOUT);
        assert_non_null(strstr(ctx.closed_message, "did not become ready"));
        /* the queued command failed with it */
        assert_true(r.done);
        assert_int_equal(r.status, -ETIMEDOUT);
        ctx_finish(&ctx);
}

static void test_garbage(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_GARBAGE, 2000);
        exec_cmd(&ctx, "query-status", 2000, &r);
        run_until(&ctx, &ctx.closed);
        assert_int_equal(ctx.closed_error, -EPROTO);
        assert_non_null(strstr(ctx.closed_message, "malformed JSON"));
        assert_true(r.done);
        assert_int_equal(r.status, -EPROTO);
        ctx_finish(&ctx);
}

static void test_eof_fails_pending(void **state)
{
        Ctx ctx;
        Result quit, hang;
        VmmError err = VMM_ERROR_INIT;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        exec_cmd(&ctx, "hang", 0, &hang);
        exec_cmd(&ctx, "quit", 2000, &quit);
        run_until(&ctx, &ctx.closed);
        assert_int_equal(ctx.closed_error, 0);
        assert_int_equal(quit.status, 0);
        assert_true(hang.done);
        assert_int_equal(hang.status, -ECONNRESET);
        /* a closed monitor refuses new commands with a message */
        assert_int_equal(vmm_qmp_execute(ctx.qmp, "cont", NULL, 0, NULL, NULL, NULL, &err),
                         -ENOTCONN);
        assert_non_null(strstr(vmm_error_message(&err), "monitor is closed"));
        vmm_error_clear(&err);
        ctx_finish(&ctx);
}

static void test_split_greeting(void **state)
{
        Ctx ctx;
        Result r;

        ctx_start(&ctx, FAKE_SPLIT, 3000);
        exec_cmd(&ctx, "query-status", 3000, &r);
        run_until(&ctx, &r.done);
        assert_true(ctx.ready);
        assert_int_equal(r.status, 0);
        ctx_finish(&ctx);
}

static void close_in_reply(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                           const char *message, void *userdata)
{
        Result *r = userdata;

        r->done = true;
        r->status = status;
        vmm_qmp_close(qmp);
}

static void test_close_from_callback(void **state)
{
        Ctx ctx;
        Result first = { 0 }, second;
        VmmError err = VMM_ERROR_INIT;

        ctx_start(&ctx, FAKE_NORMAL, 2000);
        assert_int_equal(vmm_qmp_execute(ctx.qmp, "query-status", NULL, 2000, close_in_reply,
                                         &first, NULL, &err),
                         0);
        exec_cmd(&ctx, "hang", 0, &second);
        run_until(&ctx, &first.done);
        assert_int_equal(first.status, 0);
        /* the command behind it was cancelled by the close */
        assert_true(second.done);
        assert_int_equal(second.status, -ECANCELED);
        uv_run(&ctx.loop, UV_RUN_DEFAULT);
        shutdown(ctx.fake.fd, SHUT_RDWR);
        pthread_join(ctx.fake.thread, NULL);
        close(ctx.fake.fd);
        assert_int_equal(uv_loop_close(&ctx.loop), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ready_and_reply),
                cmocka_unit_test(test_error_reply),
                cmocka_unit_test(test_event),
                cmocka_unit_test(test_deadline_then_usable),
                cmocka_unit_test(test_silent_monitor),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_eof_fails_pending),
                cmocka_unit_test(test_split_greeting),
                cmocka_unit_test(test_close_from_callback),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
