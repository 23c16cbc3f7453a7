/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qmp-fd: vmm_qmp_execute_fd(), the QMP command that carries a file
 * descriptor (SCM_RIGHTS), as `getfd` needs for a save: a fake monitor in
 * a thread receives the descriptor with the command line, writes through
 * it (the caller's file sees the bytes), and commands queued around it
 * keep their order, also when queued before the greeting. Finished
 * commands close no descriptor of the caller's (fd 0 stays open).
 */
#include <errno.h>
#include <fcntl.h>
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

typedef struct Fake {
        int fd;
        pthread_t thread;
        char order[256]; /* the commands seen, space-separated */
        int got_fds;
} Fake;

static const char greeting[] = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
                               "\"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}\r\n";

/* One line; a descriptor that came with it is written to and closed. */
static size_t fake_read_line(Fake *f, char *line, size_t size)
{
        size_t n = 0;

        while (n + 1 < size) {
                char c, ctl[CMSG_SPACE(sizeof(int))];
                struct iovec iov = {.iov_base = &c, .iov_len = 1};
                struct msghdr msg = {.msg_iov = &iov,
                                     .msg_iovlen = 1,
                                     .msg_control = ctl,
                                     .msg_controllen = sizeof(ctl)};
                struct cmsghdr *cm;

                if (recvmsg(f->fd, &msg, 0) != 1)
                        return 0;
                for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
                        int fd;

                        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                                continue;
                        memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
                        if (write(fd, "state", 5) == 5)
                                f->got_fds++;
                        close(fd);
                }
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
        char line[4096], cmd[64], id[64], reply[256];
        int fds_before;

        if (write(f->fd, greeting, strlen(greeting)) < 0)
                return NULL;
        for (;;) {
                fds_before = f->got_fds;
                if (fake_read_line(f, line, sizeof(line)) == 0)
                        break;
                qmp_line_field(line, "execute", cmd, sizeof(cmd));
                qmp_line_field(line, "id", id, sizeof(id));
                if (strcmp(cmd, "qmp_capabilities") != 0) {
                        strcat(f->order, cmd);
                        strcat(f->order, " ");
                }
                if (strcmp(cmd, "getfd") == 0 && f->got_fds == fds_before)
                        snprintf(reply, sizeof(reply),
                                 "{\"error\": {\"class\": \"GenericError\", \"desc\": \"No file "
                                 "descriptor supplied via SCM_RIGHTS\"}, \"id\": \"%s\"}\r\n",
                                 id);
                else
                        snprintf(reply, sizeof(reply), "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
                if (write(f->fd, reply, strlen(reply)) < 0)
                        break;
        }
        return NULL;
}

typedef struct Ctx {
        uv_loop_t loop;
        VmmQmp *qmp;
        int replies;
        int failures;
        char last_error[256];
} Ctx;

static void on_reply(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                     const char *message, void *userdata)
{
        Ctx *c = userdata;

        c->replies++;
        if (status < 0) {
                c->failures++;
                snprintf(c->last_error, sizeof(c->last_error), "%s", message);
        }
        if (c->replies == 4)
                vmm_qmp_close(c->qmp);
}

static json_object *fdname(void)
{
        json_object *a = json_object_new_object();

        json_object_object_add(a, "fdname", json_object_new_string("vmm-save"));
        return a;
}

static void test_getfd(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        Fake f = {0};
        Ctx c = {0};
        int sv[2], pipefd[2];
        char buf[16] = {0};

        /* fd 0 is open: a command finishing must not close it */
        if (fcntl(0, F_GETFD) < 0)
                assert_int_equal(open("/dev/null", O_RDONLY), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        f.fd = sv[1];
        assert_int_equal(pthread_create(&f.thread, NULL, fake_main, &f), 0);
        assert_int_equal(uv_loop_init(&c.loop), 0);
        assert_int_equal(vmm_qmp_new(&c.loop, "fd-test", NULL, NULL, &c.qmp, &error), 0);
        /* queued before the greeting: they go out in order once ready */
        assert_int_equal(vmm_qmp_execute(c.qmp, "stop", NULL, 5000, on_reply, &c, NULL, &error), 0);
        assert_int_equal(vmm_qmp_execute_fd(c.qmp, "getfd", fdname(), pipefd[1], 5000, on_reply, &c,
                                            NULL, &error),
                         0);
        assert_int_equal(vmm_qmp_execute(c.qmp, "migrate", NULL, 5000, on_reply, &c, NULL, &error),
                         0);
        assert_int_equal(vmm_qmp_open_fd(c.qmp, sv[0], 5000, &error), 0);
        /* a second one once ready */
        assert_int_equal(vmm_qmp_execute_fd(c.qmp, "getfd", fdname(), pipefd[1], 5000, on_reply, &c,
                                            NULL, &error),
                         0);
        uv_run(&c.loop, UV_RUN_DEFAULT);
        assert_int_equal(uv_loop_close(&c.loop), 0);
        pthread_join(f.thread, NULL);
        close(sv[1]);

        if (c.failures)
                fail_msg("%d command(s) failed: %s", c.failures, c.last_error);
        assert_int_equal(c.replies, 4);
        assert_string_equal(f.order, "stop getfd migrate getfd ");
        assert_int_equal(f.got_fds, 2);
        /* the caller keeps its descriptor; the monitor wrote through its copies */
        assert_true(fcntl(pipefd[1], F_GETFD) >= 0);
        close(pipefd[1]);
        assert_int_equal(read(pipefd[0], buf, sizeof(buf) - 1), 10);
        assert_string_equal(buf, "statestate");
        close(pipefd[0]);
        assert_true(fcntl(0, F_GETFD) >= 0);
}

static void test_bad_fd(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        uv_loop_t loop;
        VmmQmp *qmp = NULL;

        assert_int_equal(uv_loop_init(&loop), 0);
        assert_int_equal(vmm_qmp_new(&loop, "fd-test", NULL, NULL, &qmp, &error), 0);
        assert_int_equal(
            vmm_qmp_execute_fd(qmp, "getfd", fdname(), -1, 0, NULL, NULL, NULL, &error), -EBADF);
        assert_non_null(strstr(vmm_error_message(&error), "getfd"));
        assert_int_equal(vmm_qmp_pending(qmp), 0);
        vmm_qmp_close(qmp);
        uv_run(&loop, UV_RUN_DEFAULT);
        assert_int_equal(uv_loop_close(&loop), 0);
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_getfd),
            cmocka_unit_test(test_bad_fd),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
