/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-xml.c: parse+format throughput of the XML models over the whole
 * corpus (../shared/corpus/<kind>/). Every file is read into memory
 * first; a first pass drops (and counts) the files the model rejects;
 * then each run parses and formats every remaining document ROUNDS times,
 * per kind. Prints documents/s and MB/s (10^6 bytes of input XML) per kind
 * and overall, the median of RUNS runs, and the mean time per document
 * spent parsing and formatting (parse_us, format_us). The skipped files
 * are listed first, with the parser's message. Meant for a Release build:
 *
 *   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release
 *   cmake --build build-rel --target bench-xml && build-rel/tests/bench/bench-xml
 *
 *   bench-xml [--rounds N] [--runs N] [CORPUS_DIR]   (defaults: 10, 5)
 *
 * Exits 77 when the corpus is missing, 1 when a kind has no document
 * that parses (nothing to measure) or a parsed document fails to format.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "conf/conf-kind.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"

#define BENCH_MAX_RUNS 101

typedef struct BenchDoc {
        char *path;
        char *data;
        size_t len;
} BenchDoc;

typedef struct BenchKind {
        const VmmConfKind *kind;
        BenchDoc *docs; /* the documents that parse */
        size_t n_docs;
        size_t n_files;   /* files read, including the skipped ones */
        size_t n_skipped; /* files the parser rejected */
        size_t bytes;     /* input bytes of the documents that parse */
        double total_s[BENCH_MAX_RUNS], parse_s[BENCH_MAX_RUNS], format_s[BENCH_MAX_RUNS];
} BenchKind;

static double bench_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_compare_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

static double bench_median(const double *values, int n)
{
        double sorted[BENCH_MAX_RUNS];

        memcpy(sorted, values, sizeof(double) * (size_t)n);
        qsort(sorted, (size_t)n, sizeof(double), bench_compare_double);
        return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void bench_closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

static bool bench_is_dir(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int bench_compare_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parses one file once to decide whether it is measured; keeps it when it
 * parses, otherwise counts it as skipped. */
static void bench_admit(BenchKind *bk, char *path, char *data, size_t len)
{
        VmmError error = VMM_ERROR_INIT;
        void *def = NULL;

        bk->n_files++;
        if (bk->kind->parse(data, len, 0, &def, &error) < 0) {
                printf("skip %s: %s\n", path, vmm_error_message(&error));
                bk->n_skipped++;
                free(path);
                free(data);
                vmm_error_clear(&error);
                return;
        }
        bk->kind->free(def);
        bk->docs[bk->n_docs++] = (BenchDoc){.path = path, .data = data, .len = len};
        bk->bytes += len;
}

/* Reads every *.xml of `dir` into memory (sorted by name). */
static int bench_load_kind(BenchKind *bk, const char *dir)
{
        _cleanup_(bench_closedirp) DIR *d = opendir(dir);
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;

        if (!d) {
                fprintf(stderr, "bench-xml: %s: %s\n", dir, strerror(errno));
                return -errno;
        }
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);

                if (l < 5 || strcmp(de->d_name + l - 4, ".xml") != 0)
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        names = realloc(names, cap * sizeof(*names));
                }
                if (!names || !(names[n++] = strdup(de->d_name)))
                        abort();
        }
        if (n > 0)
                qsort(names, n, sizeof(*names), bench_compare_str);
        bk->docs = calloc(n ? n : 1, sizeof(*bk->docs));
        if (!bk->docs)
                abort();
        for (size_t i = 0; i < n; i++) {
                VmmError error = VMM_ERROR_INIT;
                char *path = NULL, *data = NULL;
                size_t len = 0;

                if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
                        abort();
                free(names[i]);
                if (vmm_file_read_all(path, 16u << 20, &data, &len, &error) < 0) {
                        fprintf(stderr, "bench-xml: %s\n", vmm_error_message(&error));
                        vmm_error_clear(&error);
                        free(path);
                        bk->n_files++;
                        bk->n_skipped++;
                        continue;
                }
                bench_admit(bk, path, data, len);
        }
        free(names);
        return 0;
}

/* One run: every document of the kind, parsed and formatted `rounds` times. */
static int bench_run_kind(BenchKind *bk, int rounds, int run)
{
        const VmmConfKind *kind = bk->kind;
        double parse_s = 0, format_s = 0, start = bench_now();

        for (int round = 0; round < rounds; round++) {
                for (size_t i = 0; i < bk->n_docs; i++) {
                        VmmError error = VMM_ERROR_INIT;
                        void *def = NULL;
                        char *xml = NULL;
                        double t0 = bench_now(), t1, t2;

                        if (kind->parse(bk->docs[i].data, bk->docs[i].len, 0, &def, &error) < 0) {
                                fprintf(stderr, "bench-xml: %s: parsed once, then failed: %s\n",
                                        bk->docs[i].path, vmm_error_message(&error));
                                vmm_error_clear(&error);
                                return -EINVAL;
                        }
                        t1 = bench_now();
                        if (kind->format(def, 0, &xml, &error) < 0) {
                                fprintf(stderr, "bench-xml: %s: parsed, but failed to format: %s\n",
                                        bk->docs[i].path, vmm_error_message(&error));
                                vmm_error_clear(&error);
                                kind->free(def);
                                return -EINVAL;
                        }
                        t2 = bench_now();
                        parse_s += t1 - t0;
                        format_s += t2 - t1;
                        free(xml);
                        kind->free(def);
                }
        }
        bk->total_s[run] = bench_now() - start;
        bk->parse_s[run] = parse_s;
        bk->format_s[run] = format_s;
        return 0;
}

static void bench_print_row(const char *name, size_t files, size_t skipped, size_t docs,
                            size_t bytes, int rounds, double total_s, double parse_s,
                            double format_s)
{
        double n = (double)docs * rounds;

        printf("%-8s %6zu %7zu %6zu %9.1f %10.0f %8.2f %9.1f %10.1f\n", name, files, skipped, docs,
               (double)bytes / 1e3, n / total_s, (double)bytes * rounds / total_s / 1e6,
               parse_s / n * 1e6, format_s / n * 1e6);
}

static int bench_usage(void)
{
        fprintf(stderr,
                "usage: bench-xml [--rounds N] [--runs N] [CORPUS_DIR]\n"
                "  --rounds N  passes over the corpus in one run (default 10)\n"
                "  --runs N    runs; figures are their median (default 5, at most %d)\n",
                BENCH_MAX_RUNS);
        return 2;
}

/* A count argument: 1..max. */
static int bench_parse_count(const char *opt, const char *value, int max, int *ret)
{
        char *end = NULL;
        long v = strtol(value, &end, 10);

        if (!*value || *end || v < 1 || v > max) {
                fprintf(stderr, "bench-xml: %s: \"%s\" is not a valid count (expected 1 to %d)\n",
                        opt, value, max);
                return -EINVAL;
        }
        *ret = (int)v;
        return 0;
}

static int bench_parse_args(int argc, char **argv, int *rounds, int *runs, const char **corpus)
{
        for (int i = 1; i < argc; i++) {
                bool has_value = i + 1 < argc;

                if (strcmp(argv[i], "--rounds") == 0 && has_value) {
                        if (bench_parse_count(argv[i], argv[i + 1], 100000, rounds) < 0)
                                return -EINVAL;
                        i++;
                } else if (strcmp(argv[i], "--runs") == 0 && has_value) {
                        if (bench_parse_count(argv[i], argv[i + 1], BENCH_MAX_RUNS, runs) < 0)
                                return -EINVAL;
                        i++;
                } else if (argv[i][0] != '-') {
                        *corpus = argv[i];
                } else {
                        return -EINVAL;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        static const char *const folders[] = {"domain", "network", "pool",
                                              "vol",    "secret",  "nodedev"};
        BenchKind kinds[sizeof(folders) / sizeof(folders[0])] = {0};
        const size_t n_kinds = sizeof(folders) / sizeof(folders[0]);
        const char *corpus = getenv("VMM_CORPUS_DIR") ? getenv("VMM_CORPUS_DIR") : VMM_CORPUS_DIR;
        int rounds = 10, runs = 5, ret = 0;
        size_t files = 0, skipped = 0, docs = 0, bytes = 0;
        double total[BENCH_MAX_RUNS] = {0}, parse[BENCH_MAX_RUNS] = {0},
               format[BENCH_MAX_RUNS] = {0};

        if (bench_parse_args(argc, argv, &rounds, &runs, &corpus) < 0)
                return bench_usage();
        if (!bench_is_dir(corpus)) {
                printf("SKIP: no corpus at %s\n", corpus);
                return 77;
        }
#ifndef __OPTIMIZE__
        printf("note: not an optimized build; quote figures from a Release build\n");
#endif
        for (size_t k = 0; k < n_kinds; k++) {
                char dir[4096];

                kinds[k].kind = vmm_conf_kind_by_name(folders[k]);
                if (!kinds[k].kind || !kinds[k].kind->parse) {
                        fprintf(stderr, "bench-xml: no model for %s\n", folders[k]);
                        return 1;
                }
                snprintf(dir, sizeof(dir), "%s/%s", corpus, folders[k]);
                if (bench_load_kind(&kinds[k], dir) < 0)
                        return 1;
                if (kinds[k].n_docs == 0) {
                        fprintf(stderr, "bench-xml: %s: none of %zu files parses\n", dir,
                                kinds[k].n_files);
                        ret = 1;
                }
        }
        for (int run = 0; run < runs && ret == 0; run++)
                for (size_t k = 0; k < n_kinds && ret == 0; k++)
                        if (bench_run_kind(&kinds[k], rounds, run) < 0)
                                ret = 1;
        if (ret == 0) {
                printf("corpus %s: %d rounds per run, median of %d runs\n", corpus, rounds, runs);
                printf("%-8s %6s %7s %6s %9s %10s %8s %9s %10s\n", "kind", "files", "skipped",
                       "docs", "kB", "docs/s", "MB/s", "parse_us", "format_us");
                for (size_t k = 0; k < n_kinds; k++) {
                        BenchKind *bk = &kinds[k];

                        bench_print_row(folders[k], bk->n_files, bk->n_skipped, bk->n_docs,
                                        bk->bytes, rounds, bench_median(bk->total_s, runs),
                                        bench_median(bk->parse_s, runs),
                                        bench_median(bk->format_s, runs));
                        files += bk->n_files;
                        skipped += bk->n_skipped;
                        docs += bk->n_docs;
                        bytes += bk->bytes;
                        for (int run = 0; run < runs; run++) {
                                total[run] += bk->total_s[run];
                                parse[run] += bk->parse_s[run];
                                format[run] += bk->format_s[run];
                        }
                }
                bench_print_row("overall", files, skipped, docs, bytes, rounds,
                                bench_median(total, runs), bench_median(parse, runs),
                                bench_median(format, runs));
                printf("skipped: %zu of %zu files do not parse with the default flags\n", skipped,
                       files);
        }
        for (size_t k = 0; k < n_kinds; k++) {
                for (size_t i = 0; i < kinds[k].n_docs; i++) {
                        free(kinds[k].docs[i].path);
                        free(kinds[k].docs[i].data);
                }
                free(kinds[k].docs);
        }
        return ret;
}
