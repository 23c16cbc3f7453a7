/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-qemu-process: the QEMU process manager side by side with raw QEMU,
 * in the same run, on a diskless 64 MiB TCG guest:
 *   start    raw: exec -> QMP `cont` acknowledged (a blocking QMP client
 *            that retries connect every 1 ms); ours: start call -> running
 *   destroy  raw: SIGTERM -> waitpid; ours: destroy call -> shut off
 *   suspend/resume  raw: stop + cont round trips on the blocking socket;
 *            ours: suspend + resume calls to completion
 *   20 guests started in sequence (each running before the next starts)
 * Usage: bench-qemu-process [--runs N] [--guests N]. Exits 77 without
 * qemu-system-x86_64. The runtime directory is made under $TMPDIR (else
 * /tmp): TMPDIR=/dev/shm gives the tmpfs a real /run is, where the state
 * file's fsync costs nothing (on this machine /tmp is ext4: 3-12 ms).
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../helpers/qemu-process-harness.h"

/* suspend/resume: the best of ROUNDS round trips per run */
#define ROUNDS 10
#define QEMU_BIN "/usr/bin/qemu-system-x86_64"

extern char **environ;

typedef struct Argv {
        char *argv[32];
        char args[32][600];
        size_t argc;
} Argv;

static void argv_add(Argv *a, const char *s)
{
        snprintf(a->args[a->argc], sizeof(a->args[0]), "%s", s);
        a->argv[a->argc] = a->args[a->argc];
        a->argv[++a->argc] = NULL;
}

static void make_argv(Argv *a, const char *name, const char *uuid, const char *monitor)
{
        char buf[600];
        const char *fixed[] = {QEMU_BIN,   "-S",   "-machine", "pc",          "-accel",
                               "tcg",      "-m",   "64",       "-nodefaults", "-no-user-config",
                               "-display", "none", "-uuid",    uuid,          "-chardev"};

        a->argc = 0;
        for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
                argv_add(a, fixed[i]);
        snprintf(buf, sizeof(buf), "socket,id=monitor,path=%s,server=on,wait=off", monitor);
        argv_add(a, buf);
        argv_add(a, "-mon");
        argv_add(a, "chardev=monitor,mode=control");
        snprintf(buf, sizeof(buf), "guest=%s", name);
        argv_add(a, "-name");
        argv_add(a, buf);
}

static void make_uuid(char *buf, size_t size, int i)
{
        snprintf(buf, size, "5b0c7e4a-1d2e-4f3a-9b8c-%012d", i);
}

/* --- raw QEMU with a blocking QMP client --- */

typedef struct Raw {
        pid_t pid;
        int fd;
        char buf[65536];
        size_t len;
} Raw;

/* Reads until a line containing `needle` (events are skipped). */
static int raw_wait(Raw *r, const char *needle)
{
        for (;;) {
                char *nl;
                ssize_t n;

                while ((nl = memchr(r->buf, '\n', r->len))) {
                        size_t line = (size_t)(nl - r->buf) + 1;
                        bool hit;

                        *nl = '\0';
                        hit = strstr(r->buf, needle) != NULL;
                        memmove(r->buf, nl + 1, r->len - line);
                        r->len -= line;
                        if (hit)
                                return 0;
                }
                n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len - 1);
                if (n <= 0)
                        return -EIO;
                r->len += (size_t)n;
        }
}

static int raw_cmd(Raw *r, const char *cmd)
{
        char line[256];
        int n = snprintf(line, sizeof(line), "{\"execute\":\"%s\"}\r\n", cmd);

        if (write(r->fd, line, (size_t)n) != n)
                return -EIO;
        return raw_wait(r, "\"return\"");
}

static int raw_start(Raw *r, char *const *argv, const char *monitor)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        pid_t pid;

        unlink(monitor);
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);

                setsid();
                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                execve(argv[0], argv, environ);
                _exit(127);
        }
        r->pid = pid;
        r->len = 0;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", monitor);
        for (int i = 0; i < 10000; i++) {
                r->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
                        break;
                close(r->fd);
                r->fd = -1;
                usleep(1000);
        }
        if (r->fd < 0 || raw_wait(r, "\"QMP\"") < 0 || raw_cmd(r, "qmp_capabilities") < 0 ||
            raw_cmd(r, "cont") < 0)
                return -EIO;
        return 0;
}

static void raw_destroy(Raw *r)
{
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
        close(r->fd);
}

/* --- figures --- */

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

static void report(const char *what, double *raw, double *ours, int n)
{
        qsort(raw, (size_t)n, sizeof(double), cmp_double);
        qsort(ours, (size_t)n, sizeof(double), cmp_double);
        printf("%-26s raw median %8.2f ms (min %8.2f)   ours median %8.2f ms (min %8.2f)   "
               "diff %+7.2f ms\n",
               what, raw[n / 2], raw[0], ours[n / 2], ours[0], ours[n / 2] - raw[n / 2]);
}

static int bench_one(Harness *h, int runs, int i, double *start, double *destroy, double *susp,
                     double *rs, double *rd, double *rsusp)
{
        _cleanup_free_ char *monitor = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmQemuProcess *proc = NULL;
        HarnessResult res;
        char uuid[64], name[32];
        Argv a;
        Raw raw;
        double t0;

        snprintf(name, sizeof(name), "bench%d", i);
        make_uuid(uuid, sizeof(uuid), i);
        def = harness_def(name, uuid);
        if (!def || vmm_qemu_manager_monitor_path(h->mgr, name, &monitor, NULL) < 0)
                return -EINVAL;
        make_argv(&a, name, uuid, monitor);

        /* raw */
        t0 = harness_now_ms();
        if (raw_start(&raw, a.argv, monitor) < 0) {
                fprintf(stderr, "raw QEMU start failed\n");
                return -EIO;
        }
        rs[i] = harness_now_ms() - t0;
        rsusp[i] = 1e9;
        for (int k = 0; k < ROUNDS; k++) {
                t0 = harness_now_ms();
                raw_cmd(&raw, "stop");
                raw_cmd(&raw, "cont");
                rsusp[i] = fmin(rsusp[i], harness_now_ms() - t0);
        }
        t0 = harness_now_ms();
        raw_destroy(&raw);
        rd[i] = harness_now_ms() - t0;

        /* ours */
        t0 = harness_now_ms();
        if (harness_start(h, def, a.argv, false, &proc, &res) < 0) {
                fprintf(stderr, "start: %s\n", res.message);
                return -EIO;
        }
        start[i] = harness_now_ms() - t0;
        susp[i] = 1e9;
        for (int k = 0; k < ROUNDS; k++) {
                double s0 = harness_now_ms(), s1;

                harness_op(h, vmm_qemu_process_suspend, proc, &res);
                s1 = harness_now_ms();
                harness_op(h, vmm_qemu_process_resume, proc, &res);
                susp[i] = fmin(susp[i], harness_now_ms() - s0);
                if (getenv("QP_DEBUG"))
                        fprintf(stderr, "suspend %.2f resume %.2f\n", s1 - s0,
                                harness_now_ms() - s1);
        }
        t0 = harness_now_ms();
        if (harness_op(h, vmm_qemu_process_destroy, proc, &res) < 0)
                return -EIO;
        destroy[i] = harness_now_ms() - t0;
        (void)runs;
        return 0;
}

static double sequence_raw(Harness *h, int n)
{
        Raw *raws = calloc((size_t)n, sizeof(Raw));
        double t0 = harness_now_ms(), ms;

        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *monitor = NULL;
                char uuid[64], name[32];
                Argv a;

                snprintf(name, sizeof(name), "seqraw%d", i);
                make_uuid(uuid, sizeof(uuid), 100 + i);
                vmm_qemu_manager_monitor_path(h->mgr, name, &monitor, NULL);
                make_argv(&a, name, uuid, monitor);
                if (raw_start(&raws[i], a.argv, monitor) < 0)
                        fprintf(stderr, "raw start %d failed\n", i);
        }
        ms = harness_now_ms() - t0;
        for (int i = 0; i < n; i++)
                raw_destroy(&raws[i]);
        free(raws);
        return ms;
}

static double sequence_ours(Harness *h, int n)
{
        double t0 = harness_now_ms(), ms;

        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *monitor = NULL;
                _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
                HarnessResult res;
                char uuid[64], name[32];
                Argv a;

                snprintf(name, sizeof(name), "seq%d", i);
                make_uuid(uuid, sizeof(uuid), 200 + i);
                def = harness_def(name, uuid);
                vmm_qemu_manager_monitor_path(h->mgr, name, &monitor, NULL);
                make_argv(&a, name, uuid, monitor);
                if (harness_start(h, def, a.argv, false, NULL, &res) < 0)
                        fprintf(stderr, "start %d: %s\n", i, res.message);
        }
        ms = harness_now_ms() - t0;
        while (vmm_qemu_manager_count(h->mgr) > 0) {
                HarnessResult res;

                harness_op(h, vmm_qemu_process_destroy, vmm_qemu_manager_get(h->mgr, 0), &res);
        }
        return ms;
}

int main(int argc, char **argv)
{
        int runs = 7, guests = 20;
        double *v[6];
        Harness h;

        for (int i = 1; i + 1 < argc; i++) {
                if (strcmp(argv[i], "--runs") == 0)
                        runs = atoi(argv[++i]);
                else if (strcmp(argv[i], "--guests") == 0)
                        guests = atoi(argv[++i]);
        }
        if (access(QEMU_BIN, X_OK) < 0) {
                printf("%s is not installed: skipped\n", QEMU_BIN);
                return 77;
        }
        if (runs < 1 || guests < 1 || harness_init(&h, 30000, 3000) < 0)
                return 1;
        for (int k = 0; k < 6; k++)
                v[k] = calloc((size_t)runs, sizeof(double));
        for (int i = 0; i < runs; i++)
                if (bench_one(&h, runs, i, v[0], v[1], v[2], v[3], v[4], v[5]) < 0)
                        return 1;
        printf("QEMU process manager vs raw QEMU, diskless 64 MiB TCG guest, %d runs, "
               "runtime dir %s\n",
               runs, h.run_dir);
        report("start (until running)", v[3], v[0], runs);
        report("destroy", v[4], v[1], runs);
        report("suspend+resume", v[5], v[2], runs);
        {
                double raw = sequence_raw(&h, guests), ours = sequence_ours(&h, guests);
                char label[64];

                snprintf(label, sizeof(label), "%d guests in sequence", guests);
                printf("%-26s raw total  %8.0f ms                   ours total  %8.0f ms"
                       "                  diff %+7.0f ms\n",
                       label, raw, ours, ours - raw);
        }
        for (int k = 0; k < 6; k++)
                free(v[k]);
        return harness_done(&h) == 0 ? 0 : 1;
}
