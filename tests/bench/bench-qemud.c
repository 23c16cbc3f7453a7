/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-qemud.c: vmm-qemud through the public API, as an application sees
 * it (qemu:///session with a private VMM_ROOT, the daemon started on demand
 * by libvmm's spawner, direct socket):
 *   - daemon exec -> first reply (cold: no daemon, socket activated by the
 *     spawner), with 0, 1,000 and 10,000 definitions on disk
 *   - get-info calls/s on one connection, and with 8 concurrent clients,
 *     plus the daemon's CPU time per call
 *   - durable defines/s (each one fsync'ed), after what one new file and
 *     one fdatasync cost on VMM_ROOT's filesystem (TMPDIR picks it)
 *   - list-all time at 1,000 and 10,000 definitions (median)
 *   - idle RSS of vmm-qemud (VmRSS)
 *
 *   bench-qemud [--proxy] [--info-only] [--calls N] [SECONDS_PER_RATE]   (default 2)
 *
 * --proxy goes through vmm-proxyd (qemu:///session?mode=proxy; its CPU per
 * call is shown too); --info-only measures only get-info (one defined
 * domain), 1 connection and 8 clients; --calls N makes exactly N get-info
 * calls on one connection and stops the daemon with SIGTERM, for
 * profiling it (e.g. VMM_DAEMON_DIR pointing at a wrapper that runs it
 * under valgrind --tool=callgrind). $VMM_RPC_SPIN_US reaches the client
 * library and the daemons it starts (see rpc/spin.h).
 * The daemon is found in $VMM_DAEMON_DIR, else the build tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vmm/vmm.h>

#include "bench-util.h"

#define URI_DIRECT "qemu:///session"
#define URI_PROXY "qemu:///session?mode=proxy"
#define LIST_RUNS 15
#define N_THREADS 8

static char root[256];
static double rate_seconds = 2;
static const char *uri = URI_DIRECT;

static void die(const char *what, VmmError *e)
{
        fprintf(stderr, "bench-qemud: %s: %s\n", what, vmm_error_message(e));
        exit(1);
}

/* The process running `prog` for our root (not a zombie), or 0. */
static pid_t find_pid(const char *prog)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        pid_t found = 0;

        while (d && (de = readdir(d)) && !found) {
                char path[300], buf[4096], state = 0;
                size_t n;
                FILE *f;

                if (de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue;
                n = fread(buf, 1, sizeof(buf) - 1, f);
                fclose(f);
                for (size_t i = 0; i < n; i++)
                        if (buf[i] == '\0')
                                buf[i] = ' ';
                buf[n] = '\0';
                if (!strstr(buf, prog) || !strstr(buf, root))
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
                f = fopen(path, "re");
                if (f && fscanf(f, "%*d %*s %c", &state) == 1 && state != 'Z')
                        found = atoi(de->d_name);
                if (f)
                        fclose(f);
        }
        if (d)
                closedir(d);
        return found;
}

static pid_t daemon_pid(void)
{
        return find_pid("vmm-qemud ");
}

/* vmm-proxyd started for our root (--root ROOT), or 0. */
static pid_t proxy_pid(void)
{
        return find_pid("vmm-proxyd ");
}

static void daemon_kill(void)
{
        pid_t pid = daemon_pid();

        if (pid > 0)
                kill(pid, SIGKILL);
        for (int i = 0; i < 200 && daemon_pid() > 0; i++)
                usleep(10000);
}

/* VmRSS of `pid`, with its anonymous (private heap, stacks) and
 * file-backed (code and data of the binary and its libraries) parts. */
static void print_rss(const char *what, pid_t pid)
{
        char label[64];

        snprintf(label, sizeof(label), "idle RSS, %s:", what);
        printf("%-50s%8ld KiB (anonymous %ld, files %ld)\n", label, proc_status_kib(pid, "VmRSS"),
               proc_status_kib(pid, "RssAnon"), proc_status_kib(pid, "RssFile"));
}

/* The RSS of a process that only loads the daemon's libraries. */
static void print_rss_floor(void)
{
#ifdef VMM_RSS_FLOOR_BIN
        long kib = -1;
        FILE *p = popen(VMM_RSS_FLOOR_BIN, "re");

        if (p && fscanf(p, "%ld", &kib) != 1)
                kib = -1;
        if (p)
                pclose(p);
        printf("RSS of a process loading the same libraries only: %8ld KiB (bench-rss-floor)\n",
               kib);
#endif
}

static VmmConnect *connect_or_die(void)
{
        VmmError e = VMM_ERROR_INIT;
        VmmConnect *c = NULL;

        if (vmm_connect_open(uri, 0, &c, &e) < 0)
                die("connect", &e);
        return c;
}

/* No daemon running -> connect, first call answered. */
static double cold_start_ms(void)
{
        VmmError e = VMM_ERROR_INIT;
        VmmDomain **doms = NULL;
        VmmConnect *c;
        size_t n = 0;
        double t0;

        daemon_kill();
        t0 = now_ms();
        c = connect_or_die();
        if (vmm_domain_list_all(c, 0, &doms, &n, &e) < 0)
                die("list-all", &e);
        t0 = now_ms() - t0;
        for (size_t i = 0; i < n; i++)
                vmm_domain_unref(doms[i]);
        free(doms);
        vmm_connect_close(c);
        return t0;
}

static double cold_start_median(void)
{
        double runs[5];

        for (int i = 0; i < 5; i++)
                runs[i] = cold_start_ms();
        qsort(runs, 5, sizeof(double), compare_double);
        return runs[2];
}

/* What one new file (create, write, close, rename into place) and one
 * fdatasync cost on VMM_ROOT's filesystem: each define pays one of each,
 * and they vary widely between filesystems (an ext4 after many deletes
 * allocates inodes in milliseconds where a fresh one takes microseconds). */
static void print_fs_costs(void)
{
        enum { N = 50 };
        char tmp[320], path[320], data[1500];
        double t, create_us, sync_us;
        int fd;

        memset(data, 'x', sizeof(data));
        t = now_ms();
        for (int i = 0; i < N; i++) {
                snprintf(tmp, sizeof(tmp), "%s/fs-probe-%d.tmp", root, i);
                snprintf(path, sizeof(path), "%s/fs-probe-%d.xml", root, i);
                fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data) ||
                    close(fd) < 0 || rename(tmp, path) < 0) {
                        perror("filesystem probe");
                        return;
                }
        }
        create_us = (now_ms() - t) * 1e3 / N;
        fd = open(path, O_WRONLY | O_CLOEXEC);
        t = now_ms();
        for (int i = 0; i < N && fd >= 0; i++)
                if (pwrite(fd, data, sizeof(data), 0) < 0 || fdatasync(fd) < 0)
                        break;
        sync_us = (now_ms() - t) * 1e3 / N;
        if (fd >= 0)
                close(fd);
        for (int i = 0; i < N; i++) {
                snprintf(path, sizeof(path), "%s/fs-probe-%d.xml", root, i);
                unlink(path);
        }
        printf("filesystem: new file %.0f us, fdatasync %.0f us (the floor of a define)\n",
               create_us, sync_us);
}

static double define_range(VmmConnect *c, int from, int to)
{
        double t0 = now_ms();

        for (int i = from; i < to; i++) {
                VmmError e = VMM_ERROR_INIT;
                VmmDomain *dom = NULL;
                char xml[512];

                snprintf(xml, sizeof(xml),
                         "<domain type='qemu'><name>bench-%05d</name>"
                         "<uuid>%08x-1234-4567-89ab-%012x</uuid>"
                         "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                         "<os><type>hvm</type></os></domain>",
                         i, 0xbe0c0000u + (unsigned)i, (unsigned)i);
                if (vmm_domain_define_xml(c, xml, 0, &dom, &e) < 0)
                        die("define", &e);
                vmm_domain_unref(dom);
        }
        return (to - from) / ((now_ms() - t0) / 1e3);
}

typedef struct DefineJob {
        int from, to;
} DefineJob;

static void *define_job(void *arg)
{
        DefineJob *j = arg;
        VmmConnect *c = connect_or_die();

        define_range(c, j->from, j->to);
        vmm_connect_close(c);
        return NULL;
}

/* Defines [from, to) split over N_THREADS clients; returns the total rate. */
static double define_parallel(int from, int to)
{
        pthread_t t[N_THREADS];
        DefineJob jobs[N_THREADS];
        int per = (to - from) / N_THREADS;
        double t0 = now_ms();

        for (int i = 0; i < N_THREADS; i++) {
                jobs[i].from = from + i * per;
                jobs[i].to = i == N_THREADS - 1 ? to : from + (i + 1) * per;
                pthread_create(&t[i], NULL, define_job, &jobs[i]);
        }
        for (int i = 0; i < N_THREADS; i++)
                pthread_join(t[i], NULL);
        return (to - from) / ((now_ms() - t0) / 1e3);
}

static double list_median_ms(VmmConnect *c, size_t expect)
{
        double runs[LIST_RUNS];

        for (int r = 0; r < LIST_RUNS; r++) {
                VmmError e = VMM_ERROR_INIT;
                VmmDomain **doms = NULL;
                size_t n = 0;
                double t0 = now_ms();

                if (vmm_domain_list_all(c, 0, &doms, &n, &e) < 0)
                        die("list-all", &e);
                runs[r] = now_ms() - t0;
                if (n != expect) {
                        fprintf(stderr, "bench-qemud: list-all gave %zu (expected %zu)\n", n,
                                expect);
                        exit(1);
                }
                for (size_t i = 0; i < n; i++)
                        vmm_domain_unref(doms[i]);
                free(doms);
        }
        qsort(runs, LIST_RUNS, sizeof(double), compare_double);
        return runs[LIST_RUNS / 2];
}

static atomic_long total_calls;
static atomic_bool go;
static long fixed_calls;         /* --calls N: exactly N calls, not a time */
static double proxy_cpu_us = -1; /* of the last info_rate, with --proxy */

static void *info_loop(void *arg)
{
        VmmConnect *c = arg ? arg : connect_or_die();
        VmmError e = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        VmmDomainInfo info;
        double end;
        long n = 0;

        if (vmm_domain_lookup_by_name(c, "bench-00000", &dom, &e) < 0)
                die("lookup", &e);
        while (!atomic_load(&go))
                usleep(100);
        end = now_ms() + rate_seconds * 1e3;
        for (; n < fixed_calls; n++)
                if (vmm_domain_get_info(dom, &info, &e) < 0)
                        die("get-info", &e);
        while (!fixed_calls && now_ms() < end) {
                for (int k = 0; k < 64; k++, n++)
                        if (vmm_domain_get_info(dom, &info, &e) < 0)
                                die("get-info", &e);
        }
        atomic_fetch_add(&total_calls, n);
        vmm_domain_unref(dom);
        if (!arg)
                vmm_connect_close(c);
        return NULL;
}

/* get-info calls/s with `threads` clients (0: the given connection). */
static double info_rate(VmmConnect *c, int threads, double *ret_cpu_us)
{
        pid_t pid = daemon_pid(), ppid = proxy_pid();
        long ticks = proc_cpu_ticks(pid), pticks = ppid ? proc_cpu_ticks(ppid) : 0;
        double t0;

        atomic_store(&total_calls, 0);
        t0 = bench_run_loops(info_loop, c, threads, &go);
        ticks = proc_cpu_ticks(pid) - ticks;
        *ret_cpu_us = ticks * 1e6 / sysconf(_SC_CLK_TCK) / (double)atomic_load(&total_calls);
        if (ppid)
                proxy_cpu_us = (proc_cpu_ticks(ppid) - pticks) * 1e6 / sysconf(_SC_CLK_TCK) /
                               (double)atomic_load(&total_calls);
        return atomic_load(&total_calls) / (t0 / 1e3);
}

static void setup_env(void)
{
        const char *dir = getenv("VMM_DAEMON_DIR"), *tmp = getenv("TMPDIR");

        /* the directory matters: creating a file costs 0.05-0.9 ms of
         * kernel CPU on ext4 depending on the block group (inodes deleted
         * recently nearby are skipped one by one) */
        snprintf(root, sizeof(root), "%s/bench-qemud-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(root)) {
                perror("mkdtemp");
                exit(1);
        }
        setenv("VMM_ROOT", root, 1);
        setenv("VMM_DAEMON_TIMEOUT", "600", 1);
#if defined(VMM_QEMUD_BUILD_DIR) && defined(VMM_PROXYD_BUILD_DIR)
        if (!dir)
                setenv("VMM_DAEMON_DIR", VMM_QEMUD_BUILD_DIR ":" VMM_PROXYD_BUILD_DIR, 1);
#elif defined(VMM_QEMUD_BUILD_DIR)
        if (!dir)
                setenv("VMM_DAEMON_DIR", VMM_QEMUD_BUILD_DIR, 1);
#endif
        (void)dir;
}

/* SIGTERM (a daemon under valgrind writes its profile), then SIGKILL. */
static void daemons_stop(void)
{
        pid_t pids[2] = {daemon_pid(), proxy_pid()};

        for (int i = 0; i < 2; i++)
                if (pids[i] > 0)
                        kill(pids[i], SIGTERM);
        for (int i = 0; i < 3000 && (daemon_pid() > 0 || proxy_pid() > 0); i++)
                usleep(10000);
        daemon_kill();
}

static void print_rate(const char *what, double rate, double cpu_us)
{
        printf("%-50s%8.0f calls/s (daemon CPU %.1f us/call", what, rate, cpu_us);
        if (proxy_cpu_us >= 0)
                printf(", proxy CPU %.1f us/call", proxy_cpu_us);
        printf(")\n");
}

/* One domain; get-info on 1 connection and with 8 clients, or exactly
 * fixed_calls calls (for a profiler). */
static int info_only(void)
{
        VmmConnect *c = connect_or_die();
        char cmd[300];
        double cpu_us, r;

        define_range(c, 0, 1);
        printf("daemon pid %d\n", (int)daemon_pid());
        if (proxy_pid() > 0)
                print_rss("vmm-proxyd", proxy_pid());
        fflush(stdout);
        sleep(1);
        r = info_rate(c, 0, &cpu_us);
        if (fixed_calls) {
                printf("get-info: %ld calls on 1 connection\n", fixed_calls);
        } else {
                print_rate("get-info, 1 connection:", r, cpu_us);
                r = info_rate(NULL, N_THREADS, &cpu_us);
                print_rate("get-info, 8 clients:", r, cpu_us);
        }
        vmm_connect_close(c);
        daemons_stop();
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        return system(cmd) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
        bool only_info = getenv("BENCH_ONLY_INFO") != NULL;
        VmmConnect *c;
        double cpu_us, r1, r8;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--proxy") == 0)
                        uri = URI_PROXY;
                else if (strcmp(argv[i], "--info-only") == 0)
                        only_info = true;
                else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
                        fixed_calls = atol(argv[++i]);
                else if (argv[i][0] != '-' && atof(argv[i]) > 0)
                        rate_seconds = atof(argv[i]);
                else {
                        fprintf(stderr, "usage: bench-qemud [--proxy] [--info-only] "
                                        "[--calls N] [SECONDS]\n");
                        return 2;
                }
        }
        if (fixed_calls)
                only_info = true;
        setup_env();
        printf("vmm-qemud benchmark (%s), VMM_ROOT=%s\n", uri, root);
        if (only_info)
                return info_only();
        printf("cold start (exec -> first reply), 0 domains:      %8.2f ms\n", cold_start_median());
        print_rss("0 domains", daemon_pid());
        print_rss_floor();
        c = connect_or_die();
        print_fs_costs();
        printf("durable defines (1,000, fsync each):              %8.0f /s\n",
               define_range(c, 0, 1000));
        printf("list-all, 1,000 domains (median of %d):           %8.3f ms\n", LIST_RUNS,
               list_median_ms(c, 1000));
        r1 = info_rate(c, 0, &cpu_us);
        print_rate("get-info, 1 connection:", r1, cpu_us);
        r8 = info_rate(NULL, N_THREADS, &cpu_us);
        print_rate("get-info, 8 clients:", r8, cpu_us);
        vmm_connect_close(c);
        printf("cold start, 1,000 domains:                        %8.2f ms\n", cold_start_median());
        print_rss("1,000 domains", daemon_pid());
        c = connect_or_die();
        printf("durable defines (1,000 more, 1 client):           %8.0f /s\n",
               define_range(c, 1000, 2000));
        printf("durable defines (8,000 more, %d clients):          %8.0f /s\n", N_THREADS,
               define_parallel(2000, 10000));
        printf("list-all, 10,000 domains (median of %d):          %8.3f ms\n", LIST_RUNS,
               list_median_ms(c, 10000));
        vmm_connect_close(c);
        printf("cold start, 10,000 domains:                       %8.2f ms\n", cold_start_median());
        print_rss("10,000 domains", daemon_pid());
        daemons_stop();
        printf("(definitions left in %s; remove with rm -rf)\n", root);
        return 0;
}
