/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-test-util.h: starting the vmm-echo-test daemon in a private
 * directory, and raw frame I/O for tests that misbehave on purpose.
 * Included by the test-daemon-*.c programs (static functions). */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc/client.h"
#include "rpc/frame.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

#ifndef VMM_ECHO_TEST_DAEMON
#error "VMM_ECHO_TEST_DAEMON must name the vmm-echo-test binary"
#endif

typedef struct TestDaemon {
        char dir[64];
        char rw[128], ro[128], log[128];
        pid_t pid;
} TestDaemon;

static inline uint64_t td_now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline int td_connect(const char *path)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return -errno;
        if (snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path) >=
            (int)sizeof(addr.sun_path)) {
                close(fd);
                return -ENAMETOOLONG;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
                close(fd);
                return -errno;
        }
        return fd;
}

static inline void td_dirs(TestDaemon *d)
{
        snprintf(d->dir, sizeof(d->dir), "/tmp/vmm-echo-XXXXXX");
        if (!mkdtemp(d->dir))
                abort();
        snprintf(d->rw, sizeof(d->rw), "%s/rw.sock", d->dir);
        snprintf(d->ro, sizeof(d->ro), "%s/ro.sock", d->dir);
        snprintf(d->log, sizeof(d->log), "%s/daemon.log", d->dir);
}

static inline pid_t td_spawn(const TestDaemon *d, char *const argv[])
{
        pid_t pid = fork();

        if (pid == 0) {
                int log = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                /* stdout too: a daemon left behind by a failed test must not
                 * hold the test runner's pipe open */
                if (log >= 0) {
                        dup2(log, 1);
                        dup2(log, 2);
                }
                setpgid(0, 0);
                execvp(argv[0], argv);
                _exit(127);
        }
        return pid;
}

/* Waits until `path` accepts connections (up to 5 s). */
static inline bool td_wait_socket(const char *path)
{
        for (int i = 0; i < 500; i++) {
                int fd = td_connect(path);
                if (fd >= 0) {
                        close(fd);
                        return true;
                }
                usleep(10000);
        }
        return false;
}

/* Starts the daemon with --listen/--listen-ro in a fresh directory and
 * `extra` options (NULL-terminated). */
static inline void td_start(TestDaemon *d, const char *const *extra)
{
        char *argv[32];
        int n = 0;

        td_dirs(d);
        argv[n++] = (char *)VMM_ECHO_TEST_DAEMON;
        argv[n++] = (char *)"--listen";
        argv[n++] = d->rw;
        argv[n++] = (char *)"--listen-ro";
        argv[n++] = d->ro;
        /* one left behind by a failed test goes away by itself */
        argv[n++] = (char *)"--timeout";
        argv[n++] = (char *)"20";
        for (; extra && *extra && n < 30; extra++)
                argv[n++] = (char *)*extra;
        argv[n] = NULL;
        d->pid = td_spawn(d, argv);
        /* both: the daemon binds them one after the other */
        if (d->pid < 0 || !td_wait_socket(d->rw) || !td_wait_socket(d->ro)) {
                fprintf(stderr, "vmm-echo-test did not start (see %s)\n", d->log);
                if (d->pid > 0)
                        kill(d->pid, SIGKILL);
                abort();
        }
}

/* Waits for the daemon to exit (up to timeout_ms); returns its wait
 * status, or -1 when it is still running. */
static inline int td_wait_exit(TestDaemon *d, int timeout_ms)
{
        uint64_t end = td_now_ms() + (uint64_t)timeout_ms;
        int status;

        do {
                pid_t r = waitpid(d->pid, &status, WNOHANG);
                if (r == d->pid) {
                        d->pid = 0;
                        return status;
                }
                usleep(5000);
        } while (td_now_ms() < end);
        return -1;
}

static inline bool td_log_contains(const TestDaemon *d, const char *needle)
{
        char buf[65536];
        FILE *f = fopen(d->log, "re");
        size_t n;

        if (!f)
                return false;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        return strstr(buf, needle) != NULL;
}

/* SIGTERM, expects a clean exit (status 0: the loop closed), cleans up. */
static inline int td_stop(TestDaemon *d)
{
        int status = 0;
        char cmd[160];

        if (d->pid > 0) {
                kill(d->pid, SIGTERM);
                status = td_wait_exit(d, 10000);
                if (status == -1) {
                        kill(d->pid, SIGKILL);
                        waitpid(d->pid, NULL, 0);
                }
        }
        if (status != 0) {
                /* show what the daemon said, for the failure that follows */
                snprintf(cmd, sizeof(cmd), "cat '%s' >&2", d->log);
                if (system(cmd) != 0)
                        fprintf(stderr, "(no daemon log)\n");
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
        if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", d->dir);
        return status;
}

static inline VmmRpcClient *td_client(const char *path)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;

        if (vmm_rpc_client_connect_unix(path, NULL, &c, &err) < 0) {
                fprintf(stderr, "connect %s: %s\n", path, vmm_error_message(&err));
                abort();
        }
        return c;
}

static inline int td_echo(VmmRpcClient *c, const char *text, VmmError *err)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        ProtobufCMessage *reply = NULL;
        int r;

        req.text = (char *)text;
        r = vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_ECHO, &req.base, 5000,
                                &reply, err);
        if (r >= 0) {
                if (strcmp(((Vmm__TestEchoReply *)reply)->text, text) != 0)
                        r = -EPROTO;
                vmm_rpc_message_free(reply);
        }
        return r;
}

static inline int td_sleep(VmmRpcClient *c, unsigned ms, VmmError *err)
{
        Vmm__TestSleepRequest req = VMM__TEST_SLEEP_REQUEST__INIT;

        req.milliseconds = ms;
        return vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_SLEEP, &req.base, 10000,
                                   NULL, err);
}

/* --- raw frames --------------------------------------------------------- */

static inline bool td_write_all(int fd, const void *data, size_t len)
{
        const uint8_t *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return false;
                p += n;
                len -= (size_t)n;
        }
        return true;
}

static inline void td_raw_send(int fd, uint32_t program, uint32_t procedure, uint32_t serial,
                               const ProtobufCMessage *msg)
{
        VmmRpcHeader h = {.program = program,
                          .version = 1,
                          .procedure = procedure,
                          .type = VMM_RPC_CALL,
                          .serial = serial};
        uint8_t *frame;
        size_t len;

        if (vmm_rpc_frame_encode(&h, msg, NULL, "raw", &frame, &len, NULL) < 0)
                abort();
        td_write_all(fd, frame, len);
        free(frame);
}

/* Reads one frame: 1 (body in *ret_body, malloc'd), 0 at EOF, -ETIMEDOUT. */
static inline int td_raw_read(int fd, int timeout_ms, VmmRpcHeader *h, uint8_t **ret_body)
{
        uint8_t hdr[VMM_RPC_HEADER_SIZE];
        size_t got = 0, want = sizeof(hdr);
        uint8_t *body = NULL, *dst = hdr;
        uint64_t end = td_now_ms() + (uint64_t)timeout_ms;

        for (int phase = 0; phase < 2; phase++) {
                while (got < want) {
                        struct pollfd p = {.fd = fd, .events = POLLIN};
                        int left = (int)(end - td_now_ms());
                        if (left <= 0 || poll(&p, 1, left) <= 0) {
                                free(body);
                                return -ETIMEDOUT;
                        }
                        ssize_t n = read(fd, dst + got, want - got);
                        if (n <= 0) {
                                free(body);
                                return 0;
                        }
                        got += (size_t)n;
                }
                if (phase == 0) {
                        if (vmm_rpc_header_decode(hdr, sizeof(hdr), NULL, h, NULL) < 0)
                                abort();
                        want = h->length - VMM_RPC_HEADER_SIZE;
                        body = dst = malloc(want + 1);
                        got = 0;
                }
        }
        *ret_body = body;
        return 1;
}

/* Reads one frame that must be an error reply; returns its code and puts
 * the message in `err`. */
static inline int td_raw_error(int fd, VmmRpcHeader *h, VmmError *err)
{
        uint8_t *body = NULL;
        int r = td_raw_read(fd, 5000, h, &body);

        if (r <= 0)
                return r == 0 ? -ECONNRESET : r;
        if (h->type != VMM_RPC_REPLY || h->status != VMM_RPC_ERROR) {
                free(body);
                return 1;
        }
        r = vmm_rpc_error_decode(body, h->length - VMM_RPC_HEADER_SIZE, err);
        free(body);
        return r;
}
