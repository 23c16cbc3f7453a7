/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

extern char **environ;

static int unix_address(const char *path, struct sockaddr_un *sa, socklen_t *len)
{
        size_t n = strlen(path);

        if (n == 0 || n >= sizeof(sa->sun_path))
                return -ENAMETOOLONG;
        memset(sa, 0, sizeof(*sa));
        sa->sun_family = AF_UNIX;
        memcpy(sa->sun_path, path, n);
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
        return 0;
}

/* Returns a connected fd, or -errno without a message. */
static int try_connect(const char *path)
{
        struct sockaddr_un sa;
        socklen_t len;
        int fd, r;

        r = unix_address(path, &sa, &len);
        if (r < 0)
                return r;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

int vmm_unix_connect(const char *path, int *ret_fd, VmmError *error)
{
        int fd = try_connect(path);

        if (fd < 0)
                return vmm_error_set_errno(error, fd, "cannot connect to '%s'", path);
        *ret_fd = fd;
        return 0;
}

static int listen_on(const char *path, int *ret_fd, VmmError *error)
{
        struct sockaddr_un sa;
        socklen_t len;
        _cleanup_close_ int fd = -1;
        int r;

        r = unix_address(path, &sa, &len);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_INVALID_ARG,
                                     "socket path '%s' is too long", path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "socket for '%s'", path);
        /* a stale socket file of a daemon that exited: nothing listens on it
         * (we hold the lock and connect was refused), so it can go */
        if (unlink(path) < 0 && errno != ENOENT)
                return vmm_error_set_errno(error, -errno, "cannot remove stale socket '%s'", path);
        if (bind(fd, (struct sockaddr *)&sa, len) < 0)
                return vmm_error_set_errno(error, -errno, "cannot bind '%s'", path);
        if (listen(fd, SOMAXCONN) < 0)
                return vmm_error_set_errno(error, -errno, "cannot listen on '%s'", path);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int lock_wait(const char *socket_path, int timeout_ms, int *ret_fd, VmmError *error)
{
        _cleanup_free_ char *lock_path = NULL;
        _cleanup_close_ int fd = -1;
        struct timespec start, now;

        if (asprintf(&lock_path, "%s.lock", socket_path) < 0)
                return vmm_error_oom(error);
        fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open lock '%s'", lock_path);
        clock_gettime(CLOCK_MONOTONIC, &start);
        while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                long elapsed;

                if (errno != EWOULDBLOCK && errno != EINTR)
                        return vmm_error_set_errno(error, -errno, "cannot lock '%s'", lock_path);
                clock_gettime(CLOCK_MONOTONIC, &now);
                elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
                if (elapsed > timeout_ms)
                        return vmm_error_set(error, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                                             "timed out waiting for '%s' (another client is "
                                             "starting the daemon)",
                                             lock_path);
                usleep(2000);
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Writes `v` in decimal into `buf` (async-signal-safe). */
static void format_pid(char *buf, size_t size, pid_t v)
{
        char tmp[24];
        size_t n = 0, i = 0;

        do {
                tmp[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v > 0 && n < sizeof(tmp));
        while (n > 0 && i + 1 < size)
                buf[i++] = tmp[--n];
        buf[i] = '\0';
}

typedef struct SpawnEnv {
        char **envp;
        size_t n;
        char listen_pid[48]; /* "LISTEN_PID=" then the pid, written in the child */
        char listen_fds[32];
        char listen_names[64];
} SpawnEnv;

static void spawn_env_done(SpawnEnv *e)
{
        free(e->envp);
}

/* Builds the daemon's environment before fork: after fork only
 * async-signal-safe work is allowed (the caller may be multithreaded). */
static int spawn_env_build(const VmmSpawnSpec *spec, int n_fds, SpawnEnv *e)
{
        size_t n_env = 0, n_extra = 0, k = 0;

        while (environ[n_env])
                n_env++;
        while (spec->env && spec->env[n_extra])
                n_extra++;
        e->envp = calloc(n_env + n_extra + 4, sizeof(char *));
        if (!e->envp)
                return -ENOMEM;
        for (size_t i = 0; i < n_env; i++)
                if (strncmp(environ[i], "LISTEN_", 7) != 0)
                        e->envp[k++] = environ[i];
        for (size_t i = 0; i < n_extra; i++)
                e->envp[k++] = (char *)spec->env[i];
        snprintf(e->listen_fds, sizeof(e->listen_fds), "LISTEN_FDS=%d", n_fds);
        snprintf(e->listen_names, sizeof(e->listen_names), "LISTEN_FDNAMES=%s",
                 n_fds == 2 ? "rw:ro" : "rw");
        strcpy(e->listen_pid, "LISTEN_PID=");
        e->envp[k++] = e->listen_fds;
        e->envp[k++] = e->listen_names;
        e->envp[k++] = e->listen_pid;
        e->envp[k] = NULL;
        return 0;
}

/* In the daemon process: fds in place, environment, exec. Never returns. */
_Noreturn static void spawn_exec_child(const VmmSpawnSpec *spec, const int *fds, int n_fds,
                                       SpawnEnv *e, int report_fd)
{
        int moved[2], err;

        /* lift every fd above the target range first, so no dup2 below
         * overwrites a socket not yet placed */
        for (int i = 0; i < n_fds; i++) {
                moved[i] = fds[i] >= 3 + n_fds ? fds[i] : fcntl(fds[i], F_DUPFD, 3 + n_fds);
                if (moved[i] < 0)
                        goto fail;
        }
        if (report_fd < 3 + n_fds) {
                report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, 3 + n_fds);
                if (report_fd < 0)
                        _exit(127);
        }
        fds = moved;
        /* the caller's stdio stays with the caller */
        {
                int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
                int log_fd = spec->log_path ? open(spec->log_path,
                                                   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)
                                            : -1;

                if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
                    dup2(log_fd >= 0 ? log_fd : null_fd, 2) < 0)
                        goto fail;
        }
        /* dup2 leaves the new fd without FD_CLOEXEC: it survives exec */
        for (int i = 0; i < n_fds; i++)
                if (dup2(fds[i], 3 + i) < 0)
                        goto fail;
        /* nothing else of the caller's leaks into the daemon */
        if (report_fd > 3 + n_fds)
                close_range((unsigned int)(3 + n_fds), (unsigned int)report_fd - 1, 0);
        close_range((unsigned int)report_fd + 1, ~0U, 0);
        format_pid(e->listen_pid + strlen("LISTEN_PID="), sizeof(e->listen_pid) - 11, getpid());
        execve(spec->argv[0], (char *const *)spec->argv, e->envp);
fail:
        err = errno;
        if (write(report_fd, &err, sizeof(err)) < 0)
                _exit(126);
        _exit(127);
}

/* Starts the daemon detached, with `fds` as 3.. Waits until it has exec'd
 * (or failed to). */
static int spawn_daemon(const VmmSpawnSpec *spec, const int *fds, int n_fds, VmmError *error)
{
        SpawnEnv env = { 0 };
        int pipefd[2], err = 0, status;
        ssize_t n;
        pid_t pid;

        /* fds 3..3+n must be free in the child for dup2: move ours above */
        if (spawn_env_build(spec, n_fds, &env) < 0)
                return vmm_error_oom(error);
        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                spawn_env_done(&env);
                return vmm_error_set_errno(error, -errno, "pipe");
        }
        pid = fork();
        if (pid < 0) {
                err = errno;
                close(pipefd[0]);
                close(pipefd[1]);
                spawn_env_done(&env);
                return vmm_error_set_errno(error, -err, "cannot fork to start '%s'", spec->argv[0]);
        }
        if (pid == 0) {
                /* the intermediate child: a new session, then the daemon in
                 * a grandchild, so the daemon is nobody's child here */
                close(pipefd[0]);
                setsid();
                signal(SIGHUP, SIG_IGN);
                pid = fork();
                if (pid < 0)
                        _exit(1);
                if (pid > 0)
                        _exit(0);
                spawn_exec_child(spec, fds, n_fds, &env, pipefd[1]);
        }
        close(pipefd[1]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        do
                n = read(pipefd[0], &err, sizeof(err));
        while (n < 0 && errno == EINTR);
        close(pipefd[0]);
        spawn_env_done(&env);
        if (n == (ssize_t)sizeof(err))
                return vmm_error_set(error, -err, vmm_error_kind_from_errno(-err),
                                     "cannot start daemon '%s': %s", spec->argv[0], strerror(err));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return vmm_error_set(error, -ECHILD, VMM_ERR_SYSTEM,
                                     "cannot start daemon '%s': fork failed", spec->argv[0]);
        vmm_log_debug("started %s for %s", spec->argv[0], spec->socket_path);
        return 0;
}

static int ensure_parent_dir(const char *path, VmmError *error)
{
        _cleanup_free_ char *dir = strdup(path);
        char *slash;

        if (!dir)
                return vmm_error_oom(error);
        slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return 0;
        *slash = '\0';
        return vmm_mkdir_p(dir, 0700, error);
}

int vmm_spawn_connect(const VmmSpawnSpec *spec, int *ret_fd, VmmError *error)
{
        _cleanup_close_ int lock_fd = -1, rw_fd = -1, ro_fd = -1;
        int fds[2], n_fds = 0, fd, r;

        if (!spec || !spec->socket_path || !spec->argv || !spec->argv[0] || !ret_fd)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "spawn: no socket path or daemon given");
        fd = try_connect(spec->socket_path);
        if (fd >= 0) {
                *ret_fd = fd;
                return 0;
        }
        if (fd != -ENOENT && fd != -ECONNREFUSED)
                return vmm_error_set_errno(error, fd, "cannot connect to '%s'", spec->socket_path);

        r = ensure_parent_dir(spec->socket_path, error);
        if (r < 0)
                return r;
        r = lock_wait(spec->socket_path, spec->timeout_ms > 0 ? spec->timeout_ms : 10000,
                      &lock_fd, error);
        if (r < 0)
                return r;
        /* someone may have started it while we waited for the lock */
        fd = try_connect(spec->socket_path);
        if (fd >= 0) {
                *ret_fd = fd;
                return 0;
        }
        if (access(spec->argv[0], X_OK) < 0)
                return vmm_error_set(error, -errno, vmm_error_kind_from_errno(-errno),
                                     "no daemon listens on '%s' and its program '%s' cannot be "
                                     "run: %s",
                                     spec->socket_path, spec->argv[0], strerror(errno));
        r = listen_on(spec->socket_path, &rw_fd, error);
        if (r < 0)
                return r;
        fds[n_fds++] = rw_fd;
        if (spec->ro_socket_path) {
                r = listen_on(spec->ro_socket_path, &ro_fd, error);
                if (r < 0)
                        return r;
                fds[n_fds++] = ro_fd;
        }
        r = spawn_daemon(spec, fds, n_fds, error);
        if (r < 0) {
                unlink(spec->socket_path);
                if (spec->ro_socket_path)
                        unlink(spec->ro_socket_path);
                return r;
        }
        /* queued in the backlog until the daemon accepts */
        fd = try_connect(spec->socket_path);
        if (fd < 0)
                return vmm_error_set_errno(error, fd, "cannot connect to '%s' after starting '%s'",
                                           spec->socket_path, spec->argv[0]);
        *ret_fd = fd;
        return 0;
}
