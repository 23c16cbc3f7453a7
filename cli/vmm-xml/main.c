/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-xml: checks configuration documents with the library's own models.
 *   vmm-xml validate FILE...
 *   vmm-xml format [--keep-unknown] FILE
 *   vmm-xml roundtrip [--summary] [--keep-unknown] FILE...
 *   vmm-xml diff A B
 * "-" reads standard input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf-kind.h"
#include "conf/xml-util.h"
#include "linediff.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/macros.h"

/* Messages from the parsers start with this name for the input; the
 * tools print the file name in front of it. */
#define XMLTOOL_WHAT "document"

typedef struct XmlToolOpts {
        bool keep_unknown;
        bool summary;
        char **files;
        int n_files;
} XmlToolOpts;

static void xmltool_usage(FILE *f)
{
        fputs("Usage: vmm-xml COMMAND [OPTIONS] FILE...\n"
              "\n"
              "Checks vmm configuration documents (domain, network, pool, volume,\n"
              "secret, nodedev); the kind is taken from the root element.\n"
              "A FILE of \"-\" reads standard input.\n"
              "\n"
              "Commands:\n"
              "  validate FILE...             parse, match the schema and check each file;\n"
              "                               prints \"FILE: valid (KIND)\" or\n"
              "                               \"FILE: invalid: MESSAGE\"\n"
              "  format [--keep-unknown] FILE print the normalized XML\n"
              "  roundtrip [--summary] [--keep-unknown] FILE...\n"
              "                               parse, match the schema, format, match the\n"
              "                               schema again, parse the output and compare\n"
              "                               the models; prints \"FILE: ok\" or\n"
              "                               \"FILE: FAIL STAGE: MESSAGE\"\n"
              "  diff A B                     semantic differences between two documents\n"
              "                               of one kind (exit 0 equal, 1 different)\n"
              "\n"
              "Options:\n"
              "  --keep-unknown  keep elements the model does not know (the schema\n"
              "                  checks are then skipped)\n"
              "  --summary       end with a line \"N passed, M failed\"\n"
              "  -h, --help      show this help\n",
              f);
}

static int xmltool_read(const char *path, char **ret_data, size_t *ret_len, VmmError *error)
{
        if (strcmp(path, "-") == 0)
                return vmm_fd_read_all(STDIN_FILENO, VMM_XML_MAX_SIZE, ret_data, ret_len,
                                       "standard input", error);
        return vmm_file_read_all(path, VMM_XML_MAX_SIZE, ret_data, ret_len, error);
}

/* Whether `opt` is one of the blank-separated words of `allowed`. */
static bool xmltool_opt_allowed(const char *allowed, const char *opt)
{
        size_t n = strlen(opt);

        for (const char *p = allowed; (p = strstr(p, opt)); p += n)
                if ((p == allowed || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                        return true;
        return false;
}

/* Parses the options after the command (anywhere among the files, until
 * "--"); `allowed` lists the ones the command takes. The file names are
 * gathered at the front of argv. Returns 0, or -EINVAL after printing
 * the complaint. */
static int xmltool_parse_opts(const char *cmd, int argc, char **argv, const char *allowed,
                              XmlToolOpts *opts)
{
        bool only_files = false;
        int n_files = 0;

        for (int i = 0; i < argc; i++) {
                char *a = argv[i];

                if (!only_files && strcmp(a, "--") == 0) {
                        only_files = true;
                        continue;
                }
                if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
                        argv[n_files++] = a;
                        continue;
                }
                if (!xmltool_opt_allowed(allowed, a)) {
                        fprintf(stderr, "error: command '%s' doesn't support option %s\n", cmd, a);
                        return -EINVAL;
                }
                if (strcmp(a, "--keep-unknown") == 0)
                        opts->keep_unknown = true;
                else
                        opts->summary = true;
        }
        opts->files = argv;
        opts->n_files = n_files;
        return 0;
}

static int cmd_validate(const XmlToolOpts *opts)
{
        int failed = 0;

        for (int i = 0; i < opts->n_files; i++) {
                const char *file = opts->files[i];
                _cleanup_free_ char *data = NULL;
                VmmConfCheck check = VMM_CONF_CHECK_INIT;
                size_t len;
                int r;

                r = xmltool_read(file, &data, &len, &check.error);
                if (r >= 0)
                        r = vmm_conf_check(data, len, XMLTOOL_WHAT, 0, &check);
                if (r < 0) {
                        printf("%s: invalid: %s\n", file, vmm_error_message(&check.error));
                        failed++;
                } else
                        printf("%s: valid (%s)\n", file, check.kind->name);
                vmm_conf_check_done(&check);
        }
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int cmd_roundtrip(const XmlToolOpts *opts)
{
        unsigned int flags = VMM_CONF_CHECK_ROUNDTRIP;
        int passed = 0, failed = 0;

        if (opts->keep_unknown)
                flags |= VMM_CONF_CHECK_KEEP_UNKNOWN;
        for (int i = 0; i < opts->n_files; i++) {
                const char *file = opts->files[i];
                _cleanup_free_ char *data = NULL;
                VmmConfCheck check = VMM_CONF_CHECK_INIT;
                size_t len;
                int r;

                r = xmltool_read(file, &data, &len, &check.error);
                if (r < 0)
                        printf("%s: FAIL read: %s\n", file, vmm_error_message(&check.error));
                else if (vmm_conf_check(data, len, XMLTOOL_WHAT, flags, &check) < 0) {
                        r = -EINVAL;
                        printf("%s: FAIL %s: %s\n", file, vmm_conf_stage_to_string(check.stage),
                               vmm_error_message(&check.error));
                } else
                        printf("%s: ok\n", file);
                if (r < 0)
                        failed++;
                else
                        passed++;
                vmm_conf_check_done(&check);
        }
        if (opts->summary)
                printf("%d passed, %d failed\n", passed, failed);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Reads, detects and parses one file (with semantic checks). */
static int xmltool_load(const char *file, unsigned int xml_flags, const VmmConfKind **ret_kind,
                        void **ret_def, VmmError *error)
{
        _cleanup_free_ char *data = NULL;
        const VmmConfKind *kind;
        size_t len;
        int r;

        r = xmltool_read(file, &data, &len, error);
        if (r < 0)
                return r;
        r = vmm_conf_kind_detect(data, len, XMLTOOL_WHAT, &kind, error);
        if (r < 0)
                return r;
        r = vmm_conf_parse_checked(kind, data, len, xml_flags, ret_def, error);
        if (r < 0)
                return r;
        *ret_kind = kind;
        return 0;
}

static int cmd_format(const XmlToolOpts *opts)
{
        VmmError error = VMM_ERROR_INIT;
        const VmmConfKind *kind = NULL;
        _cleanup_free_ char *xml = NULL;
        void *def = NULL;
        int r;

        if (opts->n_files != 1) {
                fprintf(stderr, "error: command 'format' takes exactly one FILE\n");
                return EXIT_FAILURE;
        }
        r = xmltool_load(opts->files[0], opts->keep_unknown ? VMM_XML_KEEP_UNKNOWN : 0, &kind, &def,
                         &error);
        if (r >= 0) {
                r = kind->format(def, 0, &xml, &error);
                kind->free(def);
        }
        if (r < 0) {
                fprintf(stderr, "error: %s: %s\n", opts->files[0], vmm_error_message(&error));
                vmm_error_clear(&error);
                return EXIT_FAILURE;
        }
        fputs(xml, stdout);
        if (xml[0] && xml[strlen(xml) - 1] != '\n')
                fputc('\n', stdout);
        return EXIT_SUCCESS;
}

/* Prints the semantic verdict, then the differing lines of the two
 * normalized documents. */
static int diff_report(const VmmConfKind *kind, void *a, void *b, const XmlToolOpts *opts,
                       VmmError *error)
{
        _cleanup_free_ char *diff = NULL, *xml_a = NULL, *xml_b = NULL;
        int r;

        if (kind->equal(a, b, &diff)) {
                printf("equal (%s)\n", kind->name);
                return 0;
        }
        printf("different (%s): %s\n", kind->name, diff ? diff : "(no detail)");
        r = kind->format(a, 0, &xml_a, error);
        if (r >= 0)
                r = kind->format(b, 0, &xml_b, error);
        if (r < 0)
                return r;
        printf("--- %s\n+++ %s\n", opts->files[0], opts->files[1]);
        vmm_linediff_print(stdout, xml_a, xml_b);
        return 1;
}

static int cmd_diff(const XmlToolOpts *opts)
{
        VmmError error = VMM_ERROR_INIT;
        const VmmConfKind *ka = NULL, *kb = NULL;
        void *a = NULL, *b = NULL;
        int r;

        if (opts->n_files != 2) {
                fprintf(stderr, "error: command 'diff' takes two FILEs\n");
                return 2;
        }
        r = xmltool_load(opts->files[0], 0, &ka, &a, &error);
        if (r < 0)
                vmm_error_prefix(&error, r, "%s: ", opts->files[0]);
        else {
                r = xmltool_load(opts->files[1], 0, &kb, &b, &error);
                if (r < 0)
                        vmm_error_prefix(&error, r, "%s: ", opts->files[1]);
        }
        if (r >= 0 && ka != kb)
                r = vmm_error_set(&error, -EINVAL, VMM_ERR_INVALID_ARG,
                                  "cannot compare a %s (%s) with a %s (%s)", ka->name,
                                  opts->files[0], kb->name, opts->files[1]);
        if (r >= 0)
                r = diff_report(ka, a, b, opts, &error);
        if (a)
                ka->free(a);
        if (b)
                kb->free(b);
        if (r < 0) {
                fprintf(stderr, "error: %s\n", vmm_error_message(&error));
                vmm_error_clear(&error);
                return 2;
        }
        return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static const struct {
        const char *name;
        const char *options;
        int min_files;
        int (*run)(const XmlToolOpts *opts);
} xmltool_commands[] = {
    {"validate", "", 1, cmd_validate},
    {"format", "--keep-unknown", 1, cmd_format},
    {"roundtrip", "--summary --keep-unknown", 1, cmd_roundtrip},
    {"diff", "", 2, cmd_diff},
};

int main(int argc, char **argv)
{
        XmlToolOpts opts = {0};

        if (argc < 2) {
                xmltool_usage(stderr);
                return EXIT_FAILURE;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
                xmltool_usage(stdout);
                return EXIT_SUCCESS;
        }
        for (size_t i = 0; i < ARRAY_SIZE(xmltool_commands); i++) {
                if (strcmp(argv[1], xmltool_commands[i].name) != 0)
                        continue;
                if (xmltool_parse_opts(argv[1], argc - 2, argv + 2, xmltool_commands[i].options,
                                       &opts) < 0)
                        return EXIT_FAILURE;
                if (opts.n_files < xmltool_commands[i].min_files) {
                        fprintf(stderr, "error: command '%s' needs %s (see vmm-xml --help)\n",
                                argv[1],
                                xmltool_commands[i].min_files > 1 ? "two FILEs" : "a FILE");
                        return EXIT_FAILURE;
                }
                return xmltool_commands[i].run(&opts);
        }
        fprintf(stderr, "error: unknown command: '%s' (see vmm-xml --help)\n", argv[1]);
        return EXIT_FAILURE;
}
