/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-spawn.c: running QEMU (fork + exec, no shell, own session,
 * log file, passed fds), signalling it through its pidfd, and what /proc
 * says about a pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/domain-chr.h"
#include "conf/domain-device.h"
#include "conf/domain-priv.h"
#include "qemu-process-priv.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define LOG_TAIL_BYTES 4096
#define LOG_TAIL_LINES 6

extern char **environ;

int vmm_qemu_pidfd_open(pid_t pid)
{
        int fd = (int)syscall(SYS_pidfd_open, pid, 0);

        return fd < 0 ? -errno : fd;
}

int vmm_qemu_process_kill(VmmQemuProcess *proc, int sig)
{
        if (proc->pidfd < 0)
                return -ESRCH;
        if (syscall(SYS_pidfd_send_signal, proc->pidfd, sig, NULL, 0) < 0)
                return -errno;
        return 0;
}

int vmm_qemu_process_check_argv(const VmmQemuProcess *proc, char *const *argv, VmmError *error)
{
        bool paused = false, uuid = false, monitor = false;

        if (!argv || !argv[0] || !*argv[0])
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': no QEMU command line given", proc->name);
        if (argv[0][0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': QEMU binary \"%s\" is not an absolute path",
                                     proc->name, argv[0]);
        for (size_t i = 1; argv[i]; i++) {
                paused |= strcmp(argv[i], "-S") == 0;
                uuid |= strstr(argv[i], proc->uuid_str) != NULL;
                monitor |= strstr(argv[i], proc->monitor_path) != NULL;
        }
        if (!paused)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': the QEMU command line has no -S (expected "
                                     "QEMU to start paused until its monitor is attached)",
                                     proc->name);
        if (!uuid)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': the QEMU command line does not carry the "
                                     "domain's UUID %s (expected -uuid %s)",
                                     proc->name, proc->uuid_str, proc->uuid_str);
        if (!monitor)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': the QEMU command line does not open the "
                                     "monitor socket \"%s\"",
                                     proc->name, proc->monitor_path);
        return 0;
}

/* Appends "<time>: starting up: <argv>" to the log, returns the offset
 * after it. */
static long long log_header(int fd, char *const *argv)
{
        char stamp[64];
        struct timespec ts;
        struct tm tm;
        FILE *f;
        long long off;
        int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);

        if (dupfd < 0)
                return -1;
        f = fdopen(dupfd, "a");
        if (!f) {
                close(dupfd);
                return -1;
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
        fprintf(f, "%s.%03ld+0000: starting up:", stamp, ts.tv_nsec / 1000000);
        for (size_t i = 0; argv[i]; i++)
                fprintf(f, " %s", argv[i]);
        fputc('\n', f);
        fflush(f);
        off = (long long)lseek(fd, 0, SEEK_END);
        fclose(f);
        return off;
}

/* In the child, after fork: only async-signal-safe calls. */
_Noreturn static void child_exec(const VmmQemuStartParams *params, int log_fd, int null_fd,
                                 int err_fd)
{
        struct sigaction sa = {.sa_handler = SIG_DFL};
        sigset_t all;
        int e;

        if (setsid() < 0)
                goto fail;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int s = 1; s < NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        sigaction(s, &sa, NULL);
        if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
            dup2(log_fd, STDERR_FILENO) < 0)
                goto fail;
        /* whatever a library opened without O_CLOEXEC stays here too */
        close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        for (size_t i = 0; i < params->n_pass_fds; i++) {
                int fd = params->pass_fds[i];

                if (fd <= STDERR_FILENO || fcntl(fd, F_SETFD, 0) < 0) {
                        errno = EBADF;
                        goto fail;
                }
        }
        /* a restore's image (migrate-incoming "fd:N") */
        if (params->incoming_fd > STDERR_FILENO && fcntl(params->incoming_fd, F_SETFD, 0) < 0)
                goto fail;
        execve(params->argv[0], params->argv, environ);
fail:
        e = errno;
        if (write(err_fd, &e, sizeof(e)) < 0) {
                /* nothing more to do */
        }
        _exit(127);
}

static int spawn_fork(VmmQemuProcess *proc, const VmmQemuStartParams *params, int log_fd,
                      VmmError *error)
{
        _cleanup_close_ int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        int pipefd[2], child_errno = 0;
        ssize_t n;
        pid_t pid;

        if (null_fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open /dev/null");
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return vmm_error_set_errno(error, -errno, "domain '%s': pipe", proc->name);
        pid = fork();
        if (pid < 0) {
                int e = errno;

                close(pipefd[0]);
                close(pipefd[1]);
                return vmm_error_set_errno(error, -e, "domain '%s': cannot fork", proc->name);
        }
        if (pid == 0)
                child_exec(params, log_fd, null_fd, pipefd[1]);
        close(pipefd[1]);
        /* EOF at exec (the pipe is close-on-exec); an errno otherwise */
        do
                n = read(pipefd[0], &child_errno, sizeof(child_errno));
        while (n < 0 && errno == EINTR);
        close(pipefd[0]);
        proc->pid = pid;
        proc->is_child = true;
        if (n == (ssize_t)sizeof(child_errno)) {
                waitpid(pid, NULL, 0);
                proc->pid = -1;
                return vmm_error_set(error, -child_errno, VMM_ERR_SYSTEM,
                                     "domain '%s': cannot execute QEMU binary \"%s\": %s",
                                     proc->name, params->argv[0], strerror(child_errno));
        }
        return 0;
}

/* Whether a <channel type='unix'> leaves its socket path to the host. */
static bool needs_channel_dir(const VmmDomainDef *def)
{
        size_t n = 0;
        VmmDomainChr *const *chans = def ? (VmmDomainChr *const *)vmm_domain_devices_get(
                                               def->devices, VMM_DOMAIN_DEVICE_CHANNEL, &n)
                                         : NULL;

        for (size_t i = 0; i < n; i++)
                if (chans[i]->type == VMM_CHR_TYPE_UNIX &&
                    !(chans[i]->n_sources && chans[i]->sources[0]->path))
                        return true;
        return false;
}

/* The channel directory, fresh, when the domain needs one (see
 * vmm_qemu_manager_channel_dir()). */
static int make_channel_dir(VmmQemuProcess *proc, VmmError *error)
{
        _cleanup_free_ char *dir = NULL;
        int r;

        if (!needs_channel_dir(proc->def))
                return 0;
        r = vmm_qemu_manager_channel_dir(proc->mgr, proc->name, &dir, error);
        if (r < 0)
                return r;
        vmm_qemu_process_remove_channel_dir(proc);
        if (mkdir(dir, 0700) < 0)
                return vmm_error_set_errno(error, -errno,
                                           "domain '%s': cannot create channel directory \"%s\"",
                                           proc->name, dir);
        return 0;
}

int vmm_qemu_process_spawn(VmmQemuProcess *proc, const VmmQemuStartParams *params, VmmError *error)
{
        _cleanup_close_ int log_fd = -1;
        int r;

        if (access(params->argv[0], X_OK) < 0)
                return vmm_error_set(error, -errno, VMM_ERR_INVALID_ARG,
                                     "domain '%s': QEMU binary \"%s\" cannot be executed: %s",
                                     proc->name, params->argv[0], strerror(errno));
        log_fd = open(proc->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (log_fd < 0)
                return vmm_error_set_errno(error, -errno, "domain '%s': cannot open log \"%s\"",
                                           proc->name, proc->log_path);
        proc->log_offset = log_header(log_fd, params->argv);
        /* a stale socket from an earlier run would be connected to */
        unlink(proc->monitor_path);
        r = make_channel_dir(proc, error);
        if (r >= 0)
                r = spawn_fork(proc, params, log_fd, error);
        if (r < 0) {
                vmm_qemu_process_remove_channel_dir(proc);
                return r;
        }
        proc->pidfd = vmm_qemu_pidfd_open(proc->pid);
        if (proc->pidfd < 0) {
                r = proc->pidfd;
                kill(proc->pid, SIGKILL);
                waitpid(proc->pid, NULL, 0);
                return vmm_error_set(error, r, VMM_ERR_SYSTEM, "domain '%s': pidfd_open(%d): %s",
                                     proc->name, (int)proc->pid, strerror(-r));
        }
        /* the child may already be gone (exec of a binary that fails at
         * once): then the start time stays 0 and the exit is seen on the
         * pidfd */
        if (vmm_qemu_proc_start_time(proc->pid, &proc->start_time) < 0)
                proc->start_time = 0;
        vmm_log_debug("domain '%s': QEMU started, pid %d", proc->name, (int)proc->pid);
        return 0;
}

int vmm_qemu_proc_start_time(pid_t pid, unsigned long long *ret_start_time)
{
        char path[64], buf[1024], *p;
        _cleanup_close_ int fd = -1;
        unsigned long long v = 0;
        ssize_t n;
        char state;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -ESRCH;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return -ESRCH;
        buf[n] = '\0';
        /* the command name (field 2) may hold spaces and parentheses */
        p = strrchr(buf, ')');
        if (!p || sscanf(p + 1, " %c", &state) != 1)
                return -EPROTO;
        if (state == 'Z' || state == 'X')
                return -ESRCH;
        /* fields 3.. follow; starttime is field 22, the 20th after ')' */
        p += 2;
        for (int field = 3; field < 22; field++) {
                p = strchr(p, ' ');
                if (!p)
                        return -EPROTO;
                p++;
        }
        if (sscanf(p, "%llu", &v) != 1)
                return -EPROTO;
        *ret_start_time = v;
        return 0;
}

bool vmm_qemu_proc_cmdline_has(pid_t pid, const char *needle)
{
        char path[64];
        _cleanup_free_ char *data = NULL;
        size_t len = 0;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        if (vmm_file_read_all(path, 1024 * 1024, &data, &len, NULL) < 0)
                return false;
        for (size_t off = 0; off < len; off += strlen(data + off) + 1)
                if (strstr(data + off, needle))
                        return true;
        return false;
}

char *vmm_qemu_process_log_tail(const VmmQemuProcess *proc)
{
        _cleanup_close_ int fd = open(proc->log_path, O_RDONLY | O_CLOEXEC);
        char buf[LOG_TAIL_BYTES + 1];
        long long start = proc->log_offset > 0 ? proc->log_offset : 0;
        off_t end;
        ssize_t n;
        char *lines[LOG_TAIL_LINES];
        size_t n_lines = 0;
        char *out, *save = NULL;

        if (fd < 0)
                return strdup("");
        end = lseek(fd, 0, SEEK_END);
        if (end < 0 || end <= start)
                return strdup("");
        if (end - start > LOG_TAIL_BYTES)
                start = end - LOG_TAIL_BYTES;
        n = pread(fd, buf, (size_t)(end - start), start);
        if (n <= 0)
                return strdup("");
        buf[n] = '\0';
        /* keep the last non-empty lines, joined with "; " */
        for (char *l = strtok_r(buf, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
                if (n_lines == LOG_TAIL_LINES) {
                        memmove(lines, lines + 1, sizeof(lines[0]) * (LOG_TAIL_LINES - 1));
                        n_lines--;
                }
                lines[n_lines++] = l;
        }
        out = calloc(1, (size_t)n + 2 * LOG_TAIL_LINES + 1);
        if (!out)
                return NULL;
        for (size_t i = 0; i < n_lines; i++) {
                if (i)
                        strcat(out, "; ");
                strcat(out, lines[i]);
        }
        return out;
}
