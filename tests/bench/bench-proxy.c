/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-proxy.c: what vmm-proxyd costs. Calls per second, one connection
 * and 8 concurrent clients, directly on a daemon's socket and through the
 * proxy: domain get-info on vmm-qemud (one defined domain) and echo on
 * vmm-echo-test. Everything runs under a private VMM_ROOT; the proxy
 * starts both daemons on demand. The last column is the proxy's own CPU
 * time (user + system) per forwarded call.
 *
 *   bench-proxy [SECONDS per figure, default 2]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc/client.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

#define CLIENTS 8

static double seconds = 2.0;
static const uint8_t bench_uuid[16] = {0xbe, 0x0c, 0x00, 0x01, 0x12, 0x34, 0x45, 0x67,
                                       0x89, 0xab, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static VmmRpcClient *connect_or_die(const char *path)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = NULL;

        for (int i = 0; i < 200; i++) {
                if (vmm_rpc_client_connect_unix(path, NULL, &c, &err) >= 0)
                        return c;
                vmm_error_clear(&err);
                usleep(10000);
        }
        fprintf(stderr, "bench-proxy: cannot connect to %s\n", path);
        exit(1);
}

typedef struct Job {
        const char *path;
        bool get_info; /* else echo */
        long calls;
        pthread_barrier_t *barrier;
} Job;

static int one_call(VmmRpcClient *c, bool get_info, VmmError *err)
{
        ProtobufCMessage *reply = NULL;
        int r;

        if (get_info) {
                Vmm__DomainRequest req = VMM__DOMAIN_REQUEST__INIT;
                Vmm__DomainRef ref = VMM__DOMAIN_REF__INIT;

                ref.name = "bench";
                ref.uuid.data = (uint8_t *)bench_uuid;
                ref.uuid.len = sizeof(bench_uuid);
                req.dom = &ref;
                r = vmm_rpc_client_call(c, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_GET_INFO,
                                        &req.base, 5000, &reply, err);
        } else {
                Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;

                req.text = "bench";
                r = vmm_rpc_client_call(c, &vmm_rpc_program_test, VMM_RPC_TEST_ECHO, &req.base,
                                        5000, &reply, err);
        }
        if (reply)
                vmm_rpc_message_free(reply);
        return r;
}

static void *run_job(void *arg)
{
        Job *j = arg;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = connect_or_die(j->path);
        double end;

        if (one_call(c, j->get_info, &err) < 0) {
                fprintf(stderr, "bench-proxy: %s: %s\n", j->path, vmm_error_message(&err));
                exit(1);
        }
        pthread_barrier_wait(j->barrier);
        end = now_s() + seconds;
        while (now_s() < end) {
                for (int i = 0; i < 64; i++)
                        if (one_call(c, j->get_info, &err) < 0) {
                                fprintf(stderr, "bench-proxy: %s\n", vmm_error_message(&err));
                                exit(1);
                        }
                j->calls += 64;
        }
        vmm_rpc_client_free(c);
        return NULL;
}

static double measure(const char *path, bool get_info, int clients)
{
        pthread_t threads[CLIENTS];
        Job jobs[CLIENTS];
        pthread_barrier_t barrier;
        long total = 0;

        pthread_barrier_init(&barrier, NULL, (unsigned)clients);
        for (int i = 0; i < clients; i++) {
                jobs[i] = (Job){.path = path, .get_info = get_info, .barrier = &barrier};
                pthread_create(&threads[i], NULL, run_job, &jobs[i]);
        }
        for (int i = 0; i < clients; i++) {
                pthread_join(threads[i], NULL);
                total += jobs[i].calls;
        }
        pthread_barrier_destroy(&barrier);
        return (double)total / seconds;
}

/* CPU time (user + system) of process `pid`, in seconds. */
static double cpu_s(pid_t pid)
{
        char path[64], buf[1024], *p;
        unsigned long utime = 0, stime = 0;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        p = strrchr(buf, ')'); /* fields 14 and 15, after the command name */
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                        &stime) == 2)
                return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
        return 0;
}

static void define_bench_domain(const char *path)
{
        Vmm__DomainDefineXmlRequest req = VMM__DOMAIN_DEFINE_XML_REQUEST__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcClient *c = connect_or_die(path);

        req.xml = "<domain type='qemu'><name>bench</name>"
                  "<uuid>be0c0001-1234-4567-89ab-000000000001</uuid>"
                  "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                  "<os><type>hvm</type></os></domain>";
        if (vmm_rpc_client_call(c, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_DEFINE_XML, &req.base,
                                5000, NULL, &err) < 0) {
                fprintf(stderr, "bench-proxy: define: %s\n", vmm_error_message(&err));
                exit(1);
        }
        vmm_rpc_client_free(c);
}

int main(int argc, char **argv)
{
        char root[] = "/tmp/vmm-bench-proxy-XXXXXX";
        char proxy[256], qemud[256], echo[256], dirs[1024], cmd[300];
        const char *what[2] = {"echo (vmm-echo-test)", "get-info (vmm-qemud)"};
        pid_t pid;

        if (argc > 1)
                seconds = atof(argv[1]);
        if (!mkdtemp(root))
                return 1;
        snprintf(proxy, sizeof(proxy), "%s/run/vmm/vmm.sock", root);
        snprintf(qemud, sizeof(qemud), "%s/run/vmm/vmm-qemud.sock", root);
        snprintf(echo, sizeof(echo), "%s/run/vmm/vmm-echo-test.sock", root);
        snprintf(dirs, sizeof(dirs), "%s:%s", BENCH_QEMUD_DIR, BENCH_ECHO_DIR);
        signal(SIGPIPE, SIG_IGN);
        pid = fork();
        if (pid == 0) {
                setenv("VMM_ROOT", root, 1);
                setenv("VMM_DAEMON_DIR", dirs, 1);
                setenv("VMM_DAEMON_TIMEOUT", "2", 1);
                execl(BENCH_PROXYD, BENCH_PROXYD, "--timeout", "0", (char *)NULL);
                _exit(127);
        }
        /* the proxy starts both daemons; idle connections keep them from
         * exiting (VMM_DAEMON_TIMEOUT) between figures */
        define_bench_domain(proxy);
        VmmRpcClient *keep_qemud = connect_or_die(qemud);
        (void)measure(proxy, false, 1); /* warm-up */
        VmmRpcClient *keep_echo = connect_or_die(echo);

        printf("%-24s %11s %11s %11s %11s %14s\n", "calls/s", "direct 1", "proxy 1", "direct 8",
               "proxy 8", "proxy CPU/call");
        for (int k = 0; k < 2; k++) {
                const char *daemon = k ? qemud : echo;
                double d1 = measure(daemon, k, 1), cpu0 = cpu_s(pid), p1 = measure(proxy, k, 1);
                double d8 = measure(daemon, k, CLIENTS), cpu1 = cpu_s(pid);
                double p8 = measure(proxy, k, CLIENTS), cpu2 = cpu_s(pid);
                double per_call = ((cpu1 - cpu0) + (cpu2 - cpu1)) / ((p1 + p8) * seconds) * 1e6;
                printf("%-24s %11.0f %11.0f %11.0f %11.0f %11.1f us\n", what[k], d1, p1, d8, p8,
                       per_call);
        }
        vmm_rpc_client_free(keep_qemud);
        vmm_rpc_client_free(keep_echo);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        sleep(3); /* the daemons exit when idle */
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        return system(cmd) == 0 ? 0 : 1;
}
