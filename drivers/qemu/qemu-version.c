/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-version.c: `qemu-system-x86_64 --version`, run without a shell and
 * parsed (see qemu-version.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu-version.h"
#include "util/cleanup.h"
#include "util/error.h"

extern char **environ;

int vmm_qemu_version_parse(const char *text, uint64_t *ret_version, VmmError *error)
{
        const char *p = text ? strstr(text, "version ") : NULL;
        unsigned long major = 0, minor = 0, micro = 0;
        int n = 0;
        size_t len;

        if (p && p[8] >= '0' && p[8] <= '9')
                n = sscanf(p + 8, "%lu.%lu.%lu", &major, &minor, &micro);
        if (n < 2 || major == 0 || major > 999 || minor > 999 || micro > 999) {
                len = text ? strcspn(text, "\n") : 0;
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "QEMU version: \"%.*s\" holds no version number "
                                     "(expected e.g. \"QEMU emulator version 7.2.0\")",
                                     (int)(len > 200 ? 200 : len), text ? text : "");
        }
        *ret_version = (uint64_t)major * 1000000 + (uint64_t)minor * 1000 + micro;
        return 0;
}

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Reads what the child prints until EOF, a full buffer or the deadline. */
static int version_read(int fd, char *buf, size_t size, int timeout_ms)
{
        long until = now_ms() + timeout_ms;
        size_t len = 0;

        for (;;) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                long left = until - now_ms();
                ssize_t n;

                if (left <= 0)
                        return -ETIMEDOUT;
                if (poll(&p, 1, (int)left) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p.revents == 0)
                        continue;
                n = read(fd, buf + len, size - 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                len += (size_t)n;
                if (n == 0 || len == size - 1)
                        break;
        }
        buf[len] = '\0';
        return (int)len;
}

static int version_spawn(const char *binary, int out_fd, pid_t *ret_pid)
{
        char *const argv[] = {(char *)binary, (char *)"--version", NULL};
        posix_spawn_file_actions_t fa;
        int r;

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        r = posix_spawn(ret_pid, binary, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        return -r;
}

int vmm_qemu_version_probe(const char *binary, int timeout_ms, uint64_t *ret_version,
                           VmmError *error)
{
        _cleanup_close_ int rfd = -1;
        char buf[1024];
        int fds[2], status = 0, r, n;
        pid_t pid;

        if (access(binary, X_OK) < 0)
                return vmm_error_set(error, -errno, VMM_ERR_SYSTEM,
                                     "QEMU binary '%s' cannot be run: %s (expected an "
                                     "executable qemu-system-x86_64; set VMM_QEMU_EMULATOR)",
                                     binary, strerror(errno));
        if (pipe2(fds, O_CLOEXEC) < 0)
                return vmm_error_set_errno(error, -errno, "'%s --version': pipe", binary);
        rfd = fds[0];
        r = version_spawn(binary, fds[1], &pid);
        close(fds[1]);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM, "cannot run '%s --version': %s",
                                     binary, strerror(-r));
        n = version_read(rfd, buf, sizeof(buf), timeout_ms);
        if (n < 0)
                kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (n == -ETIMEDOUT)
                return vmm_error_set(error, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                                     "'%s --version' printed no version within %d ms", binary,
                                     timeout_ms);
        if (n < 0)
                return vmm_error_set(error, n, VMM_ERR_SYSTEM, "'%s --version': read: %s", binary,
                                     strerror(-n));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return vmm_error_set(error, -EIO, VMM_ERR_SYSTEM,
                                     "'%s --version' failed (exit status %d)", binary,
                                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        r = vmm_qemu_version_parse(buf, ret_version, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "'%s --version': ", binary);
        return 0;
}
