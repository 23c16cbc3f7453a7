/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-libvirt.c: the workload of bench-qemud, run against libvirt
 * through its own public API on the same machine, so that the figures the
 * issues compare against can be measured again here (built only where
 * libvirt's development files are installed; libvirt is not a dependency
 * of vmm, only the yardstick):
 *   - get-info calls/s on one connection and with 8 clients (each its own
 *     connection), with the daemon's CPU time per call
 *   - durable defines/s (1 client), list-all of 1,000 domains (median)
 *   - daemon exec -> first reply (cold), with 1,000 domains defined
 *   - idle RSS of the daemon
 *
 *   bench-libvirt [--uri URI] [--info-only] [SECONDS_PER_RATE]   (default qemu:///session, 2)
 *
 * With qemu:///session libvirt starts its own daemon (libvirtd --timeout)
 * under $XDG_CONFIG_HOME / $XDG_RUNTIME_DIR: the bench points both at a
 * private temporary directory. The domains it defines are removed at the
 * end.
 */
#include <dirent.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

#define N_THREADS 8
#define N_DOMAINS 1000
#define LIST_RUNS 15

static const char *uri = "qemu:///session";
static double rate_seconds = 2;
static atomic_long total_calls;
static atomic_bool go;

static void die(const char *what)
{
        const char *msg = virGetLastErrorMessage();

        fprintf(stderr, "bench-libvirt: %s: %s\n", what, msg ? msg : "failed");
        exit(1);
}

static virConnectPtr connect_or_die(void)
{
        virConnectPtr c = virConnectOpen(uri);

        if (!c)
                die("connect");
        return c;
}

/* The daemon serving `uri`: the newest libvirtd (or virtqemud) of ours. */
static pid_t daemon_pid(void)
{
        static const char *const names[] = {"virtqemud", "libvirtd"};
        pid_t best = -1;
        DIR *d = opendir("/proc");
        struct dirent *e;

        while (d && (e = readdir(d))) {
                char path[300], comm[64] = "";
                pid_t pid = (pid_t)atoi(e->d_name);
                FILE *f;

                if (pid <= 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
                f = fopen(path, "re");
                if (!f)
                        continue;
                if (fgets(comm, sizeof(comm), f))
                        comm[strcspn(comm, "\n")] = '\0';
                fclose(f);
                for (size_t i = 0; i < 2; i++)
                        if (strcmp(comm, names[i]) == 0 && pid > best)
                                best = pid;
        }
        if (d)
                closedir(d);
        return best;
}

static double define_range(virConnectPtr c, int from, int to)
{
        double t0 = now_ms();

        for (int i = from; i < to; i++) {
                char xml[512];
                virDomainPtr dom;

                snprintf(xml, sizeof(xml),
                         "<domain type='qemu'><name>bench-%05d</name>"
                         "<uuid>%08x-1234-4567-89ab-%012x</uuid>"
                         "<memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                         "<os><type>hvm</type></os></domain>",
                         i, 0xbe0c0000u + (unsigned)i, (unsigned)i);
                dom = virDomainDefineXML(c, xml);
                if (!dom)
                        die("define");
                virDomainFree(dom);
        }
        return (to - from) / ((now_ms() - t0) / 1e3);
}

static void undefine_all(virConnectPtr c)
{
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(c, &doms, 0);

        for (int i = 0; i < n; i++) {
                if (strncmp(virDomainGetName(doms[i]), "bench-", 6) == 0)
                        virDomainUndefine(doms[i]);
                virDomainFree(doms[i]);
        }
        free(doms);
}

static double list_median_ms(virConnectPtr c)
{
        double runs[LIST_RUNS];

        for (int r = 0; r < LIST_RUNS; r++) {
                virDomainPtr *doms = NULL;
                double t0 = now_ms();
                int n = virConnectListAllDomains(c, &doms, 0);

                if (n < 0)
                        die("list-all");
                runs[r] = now_ms() - t0;
                for (int i = 0; i < n; i++)
                        virDomainFree(doms[i]);
                free(doms);
        }
        qsort(runs, LIST_RUNS, sizeof(double), compare_double);
        return runs[LIST_RUNS / 2];
}

static void *info_loop(void *arg)
{
        virConnectPtr c = arg ? arg : connect_or_die();
        virDomainPtr dom = virDomainLookupByName(c, "bench-00000");
        virDomainInfo info;
        double end;
        long n = 0;

        if (!dom)
                die("lookup");
        while (!atomic_load(&go))
                usleep(100);
        end = now_ms() + rate_seconds * 1e3;
        while (now_ms() < end) {
                if (virDomainGetInfo(dom, &info) < 0)
                        die("get-info");
                n++;
        }
        atomic_fetch_add(&total_calls, n);
        virDomainFree(dom);
        if (!arg)
                virConnectClose(c);
        return NULL;
}

static void info_rate(virConnectPtr c, int threads, const char *what)
{
        pid_t pid = daemon_pid();
        long ticks = proc_cpu_ticks(pid);
        double t0;

        atomic_store(&total_calls, 0);
        t0 = bench_run_loops(info_loop, c, threads, &go);
        ticks = proc_cpu_ticks(pid) - ticks;
        printf("%-50s%8.0f calls/s (daemon CPU %.1f us/call)\n", what,
               atomic_load(&total_calls) / (t0 / 1e3),
               ticks * 1e6 / sysconf(_SC_CLK_TCK) / (double)atomic_load(&total_calls));
}

static double cold_start_ms(void)
{
        pid_t pid = daemon_pid();
        virDomainPtr *doms = NULL;
        virConnectPtr c;
        double t0;
        int n;

        if (pid > 0) {
                kill(pid, SIGKILL);
                for (int i = 0; i < 500 && kill(pid, 0) == 0; i++)
                        usleep(10000);
        }
        t0 = now_ms();
        c = connect_or_die();
        n = virConnectListAllDomains(c, &doms, 0);
        if (n < 0)
                die("list-all");
        t0 = now_ms() - t0;
        for (int i = 0; i < n; i++)
                virDomainFree(doms[i]);
        free(doms);
        virConnectClose(c);
        return t0;
}

static void private_session(void)
{
        static char dir[] = "/tmp/bench-libvirt-XXXXXX";
        char sub[300];

        if (!mkdtemp(dir)) {
                perror("mkdtemp");
                exit(1);
        }
        snprintf(sub, sizeof(sub), "%s/config", dir);
        setenv("XDG_CONFIG_HOME", sub, 1);
        snprintf(sub, sizeof(sub), "%s/run", dir);
        setenv("XDG_RUNTIME_DIR", sub, 1);
        snprintf(sub, sizeof(sub), "%s/cache", dir);
        setenv("XDG_CACHE_HOME", sub, 1);
        printf("libvirt session under %s\n", dir);
}

int main(int argc, char **argv)
{
        bool only_info = false;
        virConnectPtr c;
        double cold[5];

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--uri") == 0 && i + 1 < argc)
                        uri = argv[++i];
                else if (strcmp(argv[i], "--info-only") == 0)
                        only_info = true;
                else if (argv[i][0] != '-' && atof(argv[i]) > 0)
                        rate_seconds = atof(argv[i]);
                else {
                        fprintf(stderr, "usage: bench-libvirt [--uri URI] [--info-only] "
                                        "[SECONDS]\n");
                        return 2;
                }
        }
        if (strcmp(uri, "qemu:///session") == 0)
                private_session();
        printf("libvirt %lu benchmark (%s)\n", (unsigned long)LIBVIR_VERSION_NUMBER, uri);
        c = connect_or_die();
        if (only_info) {
                define_range(c, 0, 1);
        } else {
                printf("idle RSS of the daemon, 0 domains:               %8ld KiB\n",
                       proc_status_kib(daemon_pid(), "VmRSS"));
                printf("durable defines (1,000, 1 client):                %8.0f /s\n",
                       define_range(c, 0, N_DOMAINS));
                printf("list-all, 1,000 domains (median of %d):           %8.3f ms\n", LIST_RUNS,
                       list_median_ms(c));
        }
        info_rate(c, 0, "get-info, 1 connection:");
        info_rate(NULL, N_THREADS, "get-info, 8 clients:");
        virConnectClose(c);
        if (!only_info) {
                for (int i = 0; i < 5; i++)
                        cold[i] = cold_start_ms();
                qsort(cold, 5, sizeof(double), compare_double);
                printf("cold start, 1,000 domains (median of 5):          %8.2f ms\n", cold[2]);
                printf("idle RSS of the daemon, 1,000 domains:            %8ld KiB\n",
                       proc_status_kib(daemon_pid(), "VmRSS"));
        }
        c = connect_or_die();
        undefine_all(c);
        virConnectClose(c);
        return 0;
}
