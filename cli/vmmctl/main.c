/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmmctl: the command-line shell onto libvmm, with virsh's commands.
 *   vmmctl [-c URI] [--json] [-r] [-q] [COMMAND [ARGS...] [; COMMAND...]]
 * Without a command it reads commands interactively.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "shell.h"
#include "vmmctl.h"

static void main_usage(FILE *f)
{
        fprintf(f, "Usage: vmmctl [OPTIONS] [COMMAND [ARGS...] [; COMMAND...]]\n"
                   "\n"
                   "Options:\n"
                   "  -c, --connect URI  connect to URI (default: $VMM_DEFAULT_URI or the\n"
                   "                     configured default)\n"
                   "      --json         print one JSON document per command\n"
                   "  -r, --readonly     open a read-only connection\n"
                   "  -q, --quiet        no table headers or informational messages\n"
                   "  -h, --help         this help\n"
                   "  -v, --version      print the library version\n"
                   "\n"
                   "Several commands may be separated by ';'. Without a command, vmmctl\n"
                   "reads commands interactively. 'vmmctl help' lists the commands.\n");
}

/* Parses the options before the command. Returns the index of the first
 * command word, or -1 after printing an error, or 0 when done (help). */
static int main_parse_options(int argc, char **argv, VmmctlCtx *ctx)
{
        static const struct option options[] = {
            {"connect", required_argument, NULL, 'c'},
            {"json", no_argument, NULL, 'j'},
            {"readonly", no_argument, NULL, 'r'},
            {"quiet", no_argument, NULL, 'q'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, 'v'},
            {},
        };
        int c;

        opterr = 0;
        while ((c = getopt_long(argc, argv, "+c:rqhv", options, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        ctx->uri = optarg;
                        break;
                case 'j':
                        ctx->json = true;
                        break;
                case 'r':
                        ctx->readonly = true;
                        break;
                case 'q':
                        ctx->quiet = true;
                        break;
                case 'h':
                        main_usage(stdout);
                        return 0;
                case 'v':
                        printf("%s\n", vmm_version_string());
                        return 0;
                default:
                        if (optopt == 'c')
                                fprintf(stderr, "error: option -c requires a URI\n");
                        else
                                fprintf(stderr,
                                        "error: unsupported option '%s' (see vmmctl --help)\n",
                                        argv[optind - 1]);
                        return -1;
                }
        }
        return optind;
}

int main(int argc, char **argv)
{
        VmmctlCtx ctx = {0};
        VmmError error = VMM_ERROR_INIT;
        VmmctlScript script = {0};
        char *default_uri = NULL;
        int first, r;

        first = main_parse_options(argc, argv, &ctx);
        if (first <= 0)
                return first == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
        if (!ctx.uri)
                ctx.uri = getenv("VMM_DEFAULT_URI");
        if (!ctx.uri && vmm_connect_default_uri(&default_uri, NULL) >= 0)
                ctx.uri = default_uri;

        if (first >= argc)
                r = vmmctl_shell_run(&ctx);
        else {
                /* one argument is a whole command line ("list; dominfo x"),
                 * several are words already split by the shell */
                if (argc - first == 1)
                        r = vmmctl_script_parse_line(argv[first], &script, &error);
                else
                        r = vmmctl_script_from_argv(argc - first, argv + first, &script, &error);
                if (r < 0)
                        fprintf(stderr, "error: %s\n", vmm_error_message(&error));
                else
                        r = vmmctl_run_script(&ctx, &script);
        }
        vmmctl_script_done(&script);
        vmm_error_clear(&error);
        vmmctl_ctx_done(&ctx);
        free(default_uri);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
