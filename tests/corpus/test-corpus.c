/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The corpus test: every document of ../shared/corpus (real libvirt test
 * inputs, listed in MANIFEST.tsv) goes through our models.
 *
 *  - expect=ok files: parse, match our schema, semantic checks, format,
 *    match the schema again, parse the output, compare the models. The
 *    share that passes is each kind's coverage.
 *  - files named "*-invalid*" must be rejected (parser, schema or
 *    semantic checks), whatever their expect column says.
 *  - other expect=fail files are run for information only.
 *
 * It fails when an accepted document does not round-trip (the formatter
 * and the parser disagree), when an "-invalid" file is accepted, and,
 * when VMM_CORPUS_MIN_PCT is set (the suite sets 95, issue 4's target),
 * when a kind's coverage is below it. Arguments restrict the run
 * to some kinds ("test-corpus network pool"). Exit 77 when the corpus is
 * absent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf-kind.h"
#include "conf/xml-util.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"

#ifndef VMM_CORPUS_DIR
#define VMM_CORPUS_DIR "../shared/corpus"
#endif

#define EXIT_SKIP 77
#define CORPUS_MAX_FILES 4096

typedef enum Outcome {
        OUTCOME_PASS,      /* accepted and round-tripped */
        OUTCOME_REJECTED,  /* parse, schema or semantic check refused it */
        OUTCOME_ROUNDTRIP, /* accepted, but did not round-trip: a bug */
} Outcome;

typedef struct Entry {
        char kind[16];
        char file[256];
        char expect[8];
        Outcome outcome;
        char *message; /* "stage: message" when not OUTCOME_PASS */
} Entry;

typedef struct KindStats {
        const char *name;
        int ok_pass, ok_fail; /* expect=ok files */
        int invalid_rejected, invalid_accepted;
        int other_rejected, other_accepted;
        int roundtrip_bugs;
} KindStats;

static const char *corpus_dir(void)
{
        const char *d = getenv("VMM_CORPUS_DIR");

        return d && *d ? d : VMM_CORPUS_DIR;
}

/* Splits a manifest row (tab separated) into the fields we use. */
static int manifest_row(char *line, Entry *e)
{
        char *fields[6] = {0};
        char *save = NULL, *tok;
        int n = 0;

        line[strcspn(line, "\r\n")] = '\0';
        for (tok = strtok_r(line, "\t", &save); tok && n < 6; tok = strtok_r(NULL, "\t", &save))
                fields[n++] = tok;
        if (n < 3)
                return -EINVAL;
        snprintf(e->kind, sizeof(e->kind), "%s", fields[0]);
        snprintf(e->file, sizeof(e->file), "%s", fields[1]);
        snprintf(e->expect, sizeof(e->expect), "%s", fields[2]);
        return 0;
}

/* A file named "*-invalid*" must be rejected whatever the manifest's
 * expect column says (one such file is marked ok there, though libvirt's
 * own schema refuses it). */
static bool entry_is_invalid(const Entry *e)
{
        return strstr(e->file, "-invalid") != NULL;
}

static void entry_run(Entry *e)
{
        VmmConfCheck check = VMM_CONF_CHECK_INIT;
        _cleanup_free_ char *path = NULL, *data = NULL;
        VmmError error = VMM_ERROR_INIT;
        size_t len;

        if (asprintf(&path, "%s/%s/%s", corpus_dir(), e->kind, e->file) < 0)
                abort();
        if (vmm_file_read_all(path, VMM_XML_MAX_SIZE, &data, &len, &error) < 0) {
                e->outcome = OUTCOME_REJECTED;
                if (asprintf(&e->message, "read: %s", vmm_error_message(&error)) < 0)
                        abort();
                vmm_error_clear(&error);
                return;
        }
        if (vmm_conf_check(data, len, e->file, VMM_CONF_CHECK_ROUNDTRIP, &check) >= 0)
                e->outcome = OUTCOME_PASS;
        else {
                e->outcome =
                    vmm_conf_stage_is_roundtrip(check.stage) ? OUTCOME_ROUNDTRIP : OUTCOME_REJECTED;
                if (asprintf(&e->message, "%s: %s", vmm_conf_stage_to_string(check.stage),
                             vmm_error_message(&check.error)) < 0)
                        abort();
        }
        vmm_conf_check_done(&check);
}

static void stats_add(KindStats *s, const Entry *e)
{
        bool accepted = e->outcome != OUTCOME_REJECTED;

        if (e->outcome == OUTCOME_ROUNDTRIP)
                s->roundtrip_bugs++;
        if (entry_is_invalid(e)) {
                if (accepted)
                        s->invalid_accepted++;
                else
                        s->invalid_rejected++;
        } else if (strcmp(e->expect, "ok") == 0) {
                if (e->outcome == OUTCOME_PASS)
                        s->ok_pass++;
                else
                        s->ok_fail++;
        } else if (accepted)
                s->other_accepted++;
        else
                s->other_rejected++;
}

static double pct(int pass, int fail)
{
        return pass + fail ? 100.0 * pass / (pass + fail) : 100.0;
}

/* Prints one kind's summary and its failures; returns the number of
 * hard failures (round-trip bugs, coverage under `min_pct`). */
static int report_kind(const KindStats *s, const Entry *entries, size_t n, double min_pct)
{
        int hard = s->roundtrip_bugs + s->invalid_accepted;

        printf("%s: %d passed, %d failed (%.1f%%)\n", s->name, s->ok_pass, s->ok_fail,
               pct(s->ok_pass, s->ok_fail));
        for (size_t i = 0; i < n; i++) {
                const Entry *e = &entries[i];

                if (strcmp(e->kind, s->name) != 0)
                        continue;
                if (e->outcome == OUTCOME_ROUNDTRIP)
                        printf("  ROUNDTRIP BUG %s: %s\n", e->file, e->message);
                else if (entry_is_invalid(e)) {
                        if (e->outcome != OUTCOME_REJECTED)
                                printf("  ACCEPTED INVALID %s\n", e->file);
                } else if (strcmp(e->expect, "ok") == 0 && e->outcome != OUTCOME_PASS)
                        printf("  FAIL %s: %s\n", e->file, e->message);
        }
        if (s->invalid_rejected + s->invalid_accepted)
                printf("  %s: invalid files rejected: %d of %d\n", s->name, s->invalid_rejected,
                       s->invalid_rejected + s->invalid_accepted);
        if (s->other_rejected + s->other_accepted)
                printf("  %s: other expect=fail files: %d rejected, %d accepted (information)\n",
                       s->name, s->other_rejected, s->other_accepted);
        if (min_pct > 0 && s->ok_pass + s->ok_fail > 0 && pct(s->ok_pass, s->ok_fail) < min_pct) {
                printf("  %s: coverage %.1f%% is below VMM_CORPUS_MIN_PCT=%.1f%%\n", s->name,
                       pct(s->ok_pass, s->ok_fail), min_pct);
                hard++;
        }
        return hard;
}

static bool kind_selected(const char *kind, int argc, char **argv)
{
        if (argc < 2)
                return true;
        for (int i = 1; i < argc; i++)
                if (strcmp(argv[i], kind) == 0)
                        return true;
        return false;
}

static int load_manifest(Entry **ret, size_t *ret_n, int argc, char **argv)
{
        _cleanup_free_ char *path = NULL, *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        Entry *entries = calloc(CORPUS_MAX_FILES, sizeof(*entries));
        size_t n = 0, cap = 0;

        if (!entries || asprintf(&path, "%s/MANIFEST.tsv", corpus_dir()) < 0)
                abort();
        f = fopen(path, "re");
        if (!f) {
                free(entries);
                printf("corpus not found (%s: %s); skipping (set VMM_CORPUS_DIR)\n", path,
                       strerror(errno));
                return -ENOENT;
        }
        while (getline(&line, &cap, f) >= 0 && n < CORPUS_MAX_FILES) {
                Entry e = {0};

                if (manifest_row(line, &e) < 0 || strcmp(e.kind, "kind") == 0)
                        continue;
                if (kind_selected(e.kind, argc, argv))
                        entries[n++] = e;
        }
        *ret = entries;
        *ret_n = n;
        return 0;
}

int main(int argc, char **argv)
{
        static const char *const kinds[] = {"domain", "network", "pool",
                                            "vol",    "secret",  "nodedev"};
        const char *min_env = getenv("VMM_CORPUS_MIN_PCT");
        double min_pct = min_env ? strtod(min_env, NULL) : 0;
        int total_pass = 0, total_fail = 0, hard = 0;
        struct timespec t0, t1;
        Entry *entries = NULL;
        size_t n = 0;

        if (load_manifest(&entries, &n, argc, argv) < 0)
                return EXIT_SKIP;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (size_t i = 0; i < n; i++)
                entry_run(&entries[i]);
        clock_gettime(CLOCK_MONOTONIC, &t1);

        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
                KindStats s = {.name = kinds[k]};
                bool any = false;

                for (size_t i = 0; i < n; i++)
                        if (strcmp(entries[i].kind, kinds[k]) == 0) {
                                stats_add(&s, &entries[i]);
                                any = true;
                        }
                if (!any)
                        continue;
                hard += report_kind(&s, entries, n, min_pct);
                total_pass += s.ok_pass;
                total_fail += s.ok_fail;
        }
        printf("checked %zu files in %.2f s\n", n,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        printf("%d passed, %d failed\n", total_pass, total_fail);
        for (size_t i = 0; i < n; i++)
                free(entries[i].message);
        free(entries);
        if (hard)
                printf("FAILED: %d round-trip bug(s) or coverage shortfall(s), listed above\n",
                       hard);
        return hard ? EXIT_FAILURE : EXIT_SUCCESS;
}
