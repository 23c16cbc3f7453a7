/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-util.h: what every benchmark measures with: a monotonic clock, a
 * median's comparison, a process's CPU time and /proc/PID/status fields. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static inline double now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* For qsort over doubles (medians). */
static inline int compare_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

/* utime + stime of pid, in clock ticks (0 when it cannot be read). */
static inline long proc_cpu_ticks(pid_t pid)
{
        unsigned long ut = 0, st = 0;
        char path[64];
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (f &&
            fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
                ut = st = 0;
        if (f)
                fclose(f);
        return (long)(ut + st);
}

/* A "Name:  value kB" field of /proc/PID/status (-1 when missing). */
static inline long proc_status_kib(pid_t pid, const char *field)
{
        char path[64], line[256];
        size_t n = strlen(field);
        long v = -1;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "re");
        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, field, n) == 0 && line[n] == ':')
                        v = atol(line + n + 1);
        if (f)
                fclose(f);
        return v;
}

#define BENCH_MAX_THREADS 64

/* Runs loop(arg) on this thread (threads 0), or loop(NULL) on `threads`
 * new threads (at most BENCH_MAX_THREADS) that wait for *go so they start
 * together. Returns the ms from the start until every loop returned. */
static inline double bench_run_loops(void *(*loop)(void *), void *arg, int threads,
                                     atomic_bool *go)
{
        pthread_t t[BENCH_MAX_THREADS];
        double t0;

        if (threads > BENCH_MAX_THREADS)
                threads = BENCH_MAX_THREADS;
        atomic_store(go, false);
        for (int i = 0; i < threads; i++)
                pthread_create(&t[i], NULL, loop, NULL);
        if (threads > 0)
                usleep(200000); /* every thread connected and waiting */
        atomic_store(go, true);
        t0 = now_ms();
        if (threads == 0)
                loop(arg);
        for (int i = 0; i < threads; i++)
                pthread_join(t[i], NULL);
        return now_ms() - t0;
}
