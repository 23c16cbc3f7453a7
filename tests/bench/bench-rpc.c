/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-rpc.c: the cost of one RPC round trip, client library and daemon
 * skeleton together. Starts vmm-echo-test on a socket in a temporary
 * directory and calls test.echo (a small request and reply, like a
 * domain get-info) as fast as it answers:
 *
 *   seq      one thread, one connection, one call after the other
 *   8thr     8 threads sharing one connection (overlapping calls)
 *   8conn    8 threads, each with its own connection
 *
 * For each: calls/s, daemon CPU per call (utime+stime from
 * /proc/PID/stat) and client CPU per call (getrusage of this process,
 * the client's own threads included).
 *
 *   bench-rpc [--seconds N] [--only seq|8thr|8conn] [--daemon PATH]
 *             [--socket PATH --pid PID]
 *
 * --socket measures a daemon that is already running (e.g. under
 * valgrind --tool=callgrind), --pid names it for the CPU figures.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc/client.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-test.pb-c.h"

#define THREADS 8

static double seconds = 2.0;
static const char *only;

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* utime + stime of `pid` in seconds. */
static double proc_cpu_s(pid_t pid)
{
        char path[64], buf[1024];
        unsigned long ut = 0, st = 0;
        const char *p;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        /* fields after the command name, which may hold spaces */
        p = strrchr(buf, ')');
        if (!p ||
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
                return 0;
        return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long self_switches(void)
{
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_nvcsw + ru.ru_nivcsw;
}

static double self_cpu_s(void)
{
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static VmmRpcClient *connect_or_die(const char *path)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;

        for (int i = 0; i < 500; i++) {
                if (vmm_rpc_client_connect_unix(path, NULL, &c, &err) >= 0)
                        return c;
                vmm_error_clear(&err);
                usleep(10000);
        }
        fprintf(stderr, "bench-rpc: cannot connect to %s\n", path);
        exit(1);
}

static int echo_once(VmmRpcClient *c)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        ProtobufCMessage *reply = NULL;
        int r;

        req.text = (char *)"running";
        r = vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_ECHO, &req.base, 10000,
                                &reply, &err);
        if (r < 0) {
                fprintf(stderr, "bench-rpc: echo failed: %s\n", vmm_error_message(&err));
                vmm_error_clear(&err);
                return r;
        }
        if (strcmp(((Vmm__TestEchoReply *)reply)->text, "running") != 0) {
                fprintf(stderr, "bench-rpc: echo answered '%s'\n",
                        ((Vmm__TestEchoReply *)reply)->text);
                r = -EPROTO;
        }
        vmm_rpc_message_free(reply);
        return r;
}

typedef struct Worker {
        pthread_t thread;
        VmmRpcClient *client;
        double end;
        unsigned long calls;
        int failed;
} Worker;

static void *worker_main(void *arg)
{
        Worker *w = arg;

        while (now_s() < w->end) {
                /* check the clock every 64 calls only */
                for (int i = 0; i < 64; i++) {
                        if (echo_once(w->client) < 0) {
                                w->failed = 1;
                                return NULL;
                        }
                        w->calls++;
                }
        }
        return NULL;
}

/* Runs `n` workers for `seconds`; `shared` gives them one connection. */
static int run(const char *label, const char *path, pid_t daemon, int n, bool shared)
{
        Worker w[THREADS] = {{0}};
        VmmRpcClient *one = shared ? connect_or_die(path) : NULL;
        double t0, t1, d0, d1, c0, c1;
        long s0, s1;
        unsigned long calls = 0;
        int failed = 0;

        if (only && strcmp(only, label) != 0) {
                vmm_rpc_client_free(one);
                return 0;
        }
        for (int i = 0; i < n; i++) {
                w[i].client = shared ? one : connect_or_die(path);
                if (echo_once(w[i].client) < 0) /* warm up */
                        return -1;
        }
        t0 = now_s();
        d0 = proc_cpu_s(daemon);
        c0 = self_cpu_s();
        s0 = self_switches();
        for (int i = 0; i < n; i++) {
                w[i].end = t0 + seconds;
                pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
        }
        for (int i = 0; i < n; i++) {
                pthread_join(w[i].thread, NULL);
                calls += w[i].calls;
                failed |= w[i].failed;
        }
        t1 = now_s();
        d1 = proc_cpu_s(daemon);
        c1 = self_cpu_s();
        s1 = self_switches();
        for (int i = 0; i < n; i++)
                if (!shared)
                        vmm_rpc_client_free(w[i].client);
        vmm_rpc_client_free(one);
        if (failed || calls == 0)
                return -1;
        printf("%-6s %2d thread%s %-15s %7.0f calls/s  daemon %5.2f us/call  client %5.2f "
               "us/call, %4.2f switches/call\n",
               label, n, n == 1 ? " " : "s", shared ? "1 connection" : "own connections",
               (double)calls / (t1 - t0), (d1 - d0) * 1e6 / (double)calls,
               (c1 - c0) * 1e6 / (double)calls, (double)(s1 - s0) / (double)calls);
        fflush(stdout);
        return 0;
}

static pid_t start_daemon(const char *daemon, const char *sock, const char *log)
{
        pid_t pid = fork();

        if (pid == 0) {
                FILE *f = freopen(log, "we", stderr);
                (void)f;
                execl(daemon, daemon, "--listen", sock, "--timeout", "0", (char *)NULL);
                _exit(127);
        }
        return pid;
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
            {"seconds", required_argument, NULL, 's'},
            {"daemon", required_argument, NULL, 'd'},
            {"socket", required_argument, NULL, 'S'},
            {"pid", required_argument, NULL, 'p'},
            {"only", required_argument, NULL, 'o'},
            {0},
        };
        const char *daemon = VMM_ECHO_TEST_DAEMON;
        char dir[] = "/tmp/bench-rpc-XXXXXX", sock[128], log[128];
        int opt, r = 0, status;
        const char *existing = NULL;
        VmmRpcClient *probe;
        pid_t pid = 0;

        while ((opt = getopt_long(argc, argv, "s:d:S:p:o:", options, NULL)) >= 0) {
                if (opt == 's')
                        seconds = atof(optarg);
                else if (opt == 'd')
                        daemon = optarg;
                else if (opt == 'S')
                        existing = optarg;
                else if (opt == 'o')
                        only = optarg;
                else if (opt == 'p')
                        pid = (pid_t)atoi(optarg);
                else
                        return 2;
        }
        if (seconds <= 0 || !mkdtemp(dir)) {
                fprintf(stderr, "bench-rpc: bad --seconds or no temporary directory\n");
                return 2;
        }
        snprintf(sock, sizeof(sock), "%s/echo.sock", dir);
        snprintf(log, sizeof(log), "%s/daemon.log", dir);
        signal(SIGPIPE, SIG_IGN);
        if (existing) {
                snprintf(sock, sizeof(sock), "%s", existing);
                rmdir(dir);
                printf("daemon at %s\n", sock);
                return run("seq", sock, pid, 1, true) < 0 ||
                       run("8thr", sock, pid, THREADS, true) < 0 ||
                       run("8conn", sock, pid, THREADS, false) < 0;
        }
        pid = start_daemon(daemon, sock, log);
        if (pid < 0) {
                perror("fork");
                return 1;
        }
        probe = connect_or_die(sock);
        vmm_rpc_client_free(probe);

        printf("vmm-echo-test, test.echo of 7 bytes, %.1f s per figure\n", seconds);
        if (run("seq", sock, pid, 1, true) < 0 || run("8thr", sock, pid, THREADS, true) < 0 ||
            run("8conn", sock, pid, THREADS, false) < 0)
                r = 1;

        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        unlink(sock);
        unlink(log);
        rmdir(dir);
        return r;
}
