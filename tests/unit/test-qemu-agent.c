/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-agent.c: the guest agent client (drivers/qemu/qemu-agent.c)
 * against a scripted fake agent on the other end of a socket: the sync
 * (0xFF flush first, stale bytes and stale replies skipped up to the
 * sentinel and the right id), guest-shutdown's mode on the wire, an error
 * reply, a silent agent (-ETIMEDOUT on time), a closed channel, and the
 * socket path form (missing socket, a real listening one). Also the QEMU
 * version parser (qemu-version.c).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "qemu-agent.h"
#include "qemu-version.h"
#include "util/error.h"

typedef enum FakeAfter {
        AFTER_CLOSE,  /* guest-shutdown: the channel closes (the guest goes down) */
        AFTER_SILENT, /* guest-shutdown: nothing comes back */
        AFTER_ERROR,  /* guest-shutdown: an error reply */
} FakeAfter;

typedef struct Fake {
        int fd;
        bool silent;    /* never answers the sync */
        bool close_now; /* closes before answering anything */
        FakeAfter after;
        char got[4096]; /* every byte the client sent */
        size_t n_got;
        char shutdown_line[512];
        pthread_t thread;
} Fake;

/* Reads until a full line has arrived after `from`; returns its start. */
static char *fake_read_line(Fake *f, size_t from)
{
        for (;;) {
                char *nl = memchr(f->got + from, '\n', f->n_got - from);
                ssize_t n;

                if (nl)
                        return f->got + from;
                n = read(f->fd, f->got + f->n_got, sizeof(f->got) - 1 - f->n_got);
                if (n <= 0)
                        return NULL;
                f->n_got += (size_t)n;
                f->got[f->n_got] = '\0';
        }
}

static void fake_send(Fake *f, const char *s, size_t len)
{
        assert_int_equal(write(f->fd, s, len), (ssize_t)len);
}

static void *fake_main(void *p)
{
        Fake *f = p;
        char *line, *sync, reply[256];
        json_object *cmd, *args, *id;
        size_t used;

        if (f->close_now) {
                close(f->fd);
                return NULL;
        }
        line = fake_read_line(f, 0);
        if (!line || f->silent) {
                /* keep the channel open and say nothing until the client gives up */
                while (read(f->fd, reply, sizeof(reply)) > 0)
                        ;
                close(f->fd);
                return NULL;
        }
        sync = strchr(line, '{');
        cmd = json_tokener_parse(sync);
        assert_non_null(cmd);
        assert_true(json_object_object_get_ex(cmd, "arguments", &args));
        assert_true(json_object_object_get_ex(args, "id", &id));
        /* stale bytes of an earlier client, the sentinel, a stale reply,
         * then the answer */
        fake_send(f, "{\"return\": {}} half a repl", 26);
        snprintf(reply, sizeof(reply), "\xff{\"return\": %lld}\n{\"return\": %lld}\n",
                 (long long)json_object_get_int64(id) + 1, (long long)json_object_get_int64(id));
        fake_send(f, reply, strlen(reply));
        json_object_put(cmd);
        used = (size_t)(strchr(line, '\n') - f->got) + 1;
        line = fake_read_line(f, used);
        assert_non_null(line);
        snprintf(f->shutdown_line, sizeof(f->shutdown_line), "%.*s",
                 (int)(strchr(line, '\n') - line), line);
        if (f->after == AFTER_ERROR) {
                const char *e = "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Command "
                                "guest-shutdown has been disabled\"}}\n";
                fake_send(f, e, strlen(e));
        }
        if (f->after != AFTER_CLOSE)
                while (read(f->fd, reply, sizeof(reply)) > 0)
                        ;
        close(f->fd);
        return NULL;
}

/* A client end connected to a fake agent thread. */
static int fake_start(Fake *f)
{
        int sv[2];

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        f->fd = sv[1];
        assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
        return sv[0];
}

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void check_mode(const Fake *f, const char *mode)
{
        json_object *cmd = json_tokener_parse(f->shutdown_line), *v, *args;

        assert_non_null(cmd);
        assert_true(json_object_object_get_ex(cmd, "execute", &v));
        assert_string_equal(json_object_get_string(v), "guest-shutdown");
        assert_true(json_object_object_get_ex(cmd, "arguments", &args));
        assert_true(json_object_object_get_ex(args, "mode", &v));
        assert_string_equal(json_object_get_string(v), mode);
        json_object_put(cmd);
}

static void test_powerdown_after_stale_data(void **state)
{
        Fake f = {.after = AFTER_CLOSE};
        VmmError err = VMM_ERROR_INIT;
        int fd = fake_start(&f);

        assert_int_equal(
            vmm_qemu_agent_shutdown_fd(fd, "web1", VMM_QEMU_AGENT_POWERDOWN, 2000, &err), 0);
        close(fd);
        pthread_join(f.thread, NULL);
        /* the client flushed the agent's parser first */
        assert_int_equal((unsigned char)f.got[0], 0xff);
        assert_non_null(strstr(f.got, "\"guest-sync-delimited\""));
        check_mode(&f, "powerdown");
}

static void test_reboot_silent_success(void **state)
{
        Fake f = {.after = AFTER_SILENT};
        VmmError err = VMM_ERROR_INIT;
        int fd = fake_start(&f);
        long t0 = now_ms();

        assert_int_equal(vmm_qemu_agent_shutdown_fd(fd, "web1", VMM_QEMU_AGENT_REBOOT, 2000, &err),
                         0);
        /* success after the grace period, not the whole deadline */
        assert_true(now_ms() - t0 < 1500);
        close(fd);
        pthread_join(f.thread, NULL);
        check_mode(&f, "reboot");
}

static void test_error_reply(void **state)
{
        Fake f = {.after = AFTER_ERROR};
        VmmError err = VMM_ERROR_INIT;
        int fd = fake_start(&f);

        assert_int_equal(
            vmm_qemu_agent_shutdown_fd(fd, "web1", VMM_QEMU_AGENT_POWERDOWN, 2000, &err), -EIO);
        assert_non_null(strstr(vmm_error_message(&err), "domain 'web1'"));
        assert_non_null(strstr(vmm_error_message(&err), "guest-shutdown has been disabled"));
        vmm_error_clear(&err);
        close(fd);
        pthread_join(f.thread, NULL);
}

static void test_silent_agent_times_out(void **state)
{
        Fake f = {.silent = true};
        VmmError err = VMM_ERROR_INIT;
        int fd = fake_start(&f);
        long t0 = now_ms(), ms;

        assert_int_equal(
            vmm_qemu_agent_shutdown_fd(fd, "web1", VMM_QEMU_AGENT_POWERDOWN, 300, &err),
            -ETIMEDOUT);
        ms = now_ms() - t0;
        assert_true(ms >= 290 && ms < 1500);
        assert_int_equal(err.kind, VMM_ERR_TIMEOUT);
        assert_non_null(strstr(vmm_error_message(&err), "domain 'web1'"));
        assert_non_null(strstr(vmm_error_message(&err), "qemu-ga"));
        vmm_error_clear(&err);
        close(fd);
        pthread_join(f.thread, NULL);
}

static void test_channel_closed(void **state)
{
        Fake f = {.close_now = true};
        VmmError err = VMM_ERROR_INIT;
        int fd = fake_start(&f);

        pthread_join(f.thread, NULL);
        assert_int_equal(
            vmm_qemu_agent_shutdown_fd(fd, "web1", VMM_QEMU_AGENT_POWERDOWN, 2000, &err),
            -ECONNRESET);
        assert_non_null(strstr(vmm_error_message(&err), "closed"));
        vmm_error_clear(&err);
        close(fd);
}

static void *accept_main(void *p)
{
        Fake *f = p;

        f->fd = accept4(f->fd, NULL, NULL, SOCK_CLOEXEC);
        return f->fd < 0 ? NULL : fake_main(f);
}

static void test_socket_path(void **state)
{
        char dir[] = "/tmp/test-qemu-agent-XXXXXX", path[100];
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        VmmError err = VMM_ERROR_INIT;
        Fake f = {.after = AFTER_CLOSE};
        int lfd;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/org.qemu.guest_agent.0.sock", dir);
        /* nobody listens: the error names the socket */
        assert_int_equal(vmm_qemu_agent_shutdown(path, "web1", VMM_QEMU_AGENT_POWERDOWN, 500, &err),
                         -ENOENT);
        assert_non_null(strstr(vmm_error_message(&err), path));
        vmm_error_clear(&err);

        lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
        assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), 0);
        assert_int_equal(listen(lfd, 1), 0);
        /* the fake agent answers on the accepted connection */
        f.fd = lfd;
        assert_int_equal(pthread_create(&f.thread, NULL, accept_main, &f), 0);
        assert_int_equal(
            vmm_qemu_agent_shutdown(path, "web1", VMM_QEMU_AGENT_POWERDOWN, 2000, &err), 0);
        pthread_join(f.thread, NULL);
        check_mode(&f, "powerdown");
        close(lfd);
        unlink(path);
        rmdir(dir);
}

static void test_version_parse(void **state)
{
        static const struct {
                const char *text;
                uint64_t want;
        } ok[] = {
            {"QEMU emulator version 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)\nCopyright", 7002000},
            {"QEMU emulator version 8.1.50\n", 8001050},
            {"QEMU emulator version 6.2 (v6.2)\n", 6002000},
        };
        static const char *const bad[] = {"", "QEMU emulator\n", "version x.y", "version 1000.0.0"};
        VmmError err = VMM_ERROR_INIT;
        uint64_t v;

        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                assert_int_equal(vmm_qemu_version_parse(ok[i].text, &v, &err), 0);
                assert_int_equal(v, ok[i].want);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(vmm_qemu_version_parse(bad[i], &v, &err), -EINVAL);
                assert_non_null(strstr(vmm_error_message(&err), "expected e.g."));
                vmm_error_clear(&err);
        }
}

static void test_version_probe_missing(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        uint64_t v;

        assert_int_equal(vmm_qemu_version_probe("/nonexistent/qemu-system-x86_64", 1000, &v, &err),
                         -ENOENT);
        assert_non_null(strstr(vmm_error_message(&err), "/nonexistent/qemu-system-x86_64"));
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_powerdown_after_stale_data),
            cmocka_unit_test(test_reboot_silent_success),
            cmocka_unit_test(test_error_reply),
            cmocka_unit_test(test_silent_agent_times_out),
            cmocka_unit_test(test_channel_closed),
            cmocka_unit_test(test_socket_path),
            cmocka_unit_test(test_version_parse),
            cmocka_unit_test(test_version_probe_missing),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
