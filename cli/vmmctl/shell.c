/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* shell.c: the interactive shell (libedit's readline interface when the
 * input is a terminal, plain lines otherwise). Every line goes through the
 * same parser as the command line and runs on the same connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef VMMCTL_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include "output.h"
#include "shell.h"
#include "vmmctl.h"

#define VMMCTL_PROMPT "vmmctl # "

/* Runs one line; returns 0 when it succeeded. */
static int shell_run_line(VmmctlCtx *ctx, const char *line)
{
        VmmError error = VMM_ERROR_INIT;
        VmmctlScript script;
        int r;

        r = vmmctl_script_parse_line(line, &script, &error);
        if (r < 0) {
                fprintf(stderr, "error: %s\n", vmm_error_message(&error));
                vmm_error_clear(&error);
                return r;
        }
        r = vmmctl_run_script(ctx, &script);
        vmmctl_script_done(&script);
        return r;
}

#ifdef VMMCTL_HAVE_LIBEDIT
/* --- completion from the command table --- */

static const VmmctlCommand *complete_cmd;

static char *complete_command_name(const char *text, int state)
{
        static size_t i;
        const VmmctlCommand *cmds = vmmctl_commands();

        if (state == 0)
                i = 0;
        while (cmds[i].name) {
                const char *name = cmds[i++].name;

                if (strncmp(name, text, strlen(text)) == 0)
                        return strdup(name);
        }
        return NULL;
}

static char *complete_option(const char *text, int state)
{
        static size_t i;
        char buf[80];

        if (state == 0)
                i = 0;
        if (!complete_cmd)
                return NULL;
        while (complete_cmd->opts[i].name) {
                snprintf(buf, sizeof(buf), "--%s", complete_cmd->opts[i++].name);
                if (strncmp(buf, text, strlen(text)) == 0)
                        return strdup(buf);
        }
        return NULL;
}

static char **shell_complete(const char *text, int start, int end)
{
        char first[64];
        size_t n = 0;
        const char *p = rl_line_buffer;

        rl_attempted_completion_over = 1; /* no file name completion */
        while (*p == ' ')
                p++;
        if (p - rl_line_buffer >= start)
                return rl_completion_matches(text, complete_command_name);
        while (p[n] && p[n] != ' ' && n + 1 < sizeof(first))
                n++;
        memcpy(first, p, n);
        first[n] = '\0';
        complete_cmd = vmmctl_command_find(first);
        return rl_completion_matches(text, complete_option);
}

/* The history file, $XDG_CACHE_HOME/vmm/vmmctl_history (or under
 * ~/.cache), its directories made on the way; NULL when there is no home. */
static char *shell_history_path(void)
{
        const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        char *dir = NULL, *path = NULL;

        if (cache && *cache)
                dir = strdup(cache);
        else if (home && *home && asprintf(&dir, "%s/.cache", home) < 0)
                dir = NULL;
        if (!dir)
                return NULL;
        (void)mkdir(dir, 0700);
        if (asprintf(&path, "%s/vmm", dir) >= 0) {
                (void)mkdir(path, 0700);
                free(path);
                if (asprintf(&path, "%s/vmm/vmmctl_history", dir) < 0)
                        path = NULL;
        } else
                path = NULL;
        free(dir);
        return path;
}

static int shell_run_readline(VmmctlCtx *ctx)
{
        _cleanup_free_ char *history = shell_history_path();
        int ret = 0;

        rl_readline_name = "vmmctl";
        rl_attempted_completion_function = shell_complete;
        using_history();
        stifle_history(500);
        if (history)
                (void)read_history(history);
        if (!ctx->quiet)
                printf("Welcome to vmmctl, the virtualization interactive terminal.\n\n"
                       "Type:  'help' for help with commands\n"
                       "       'quit' to quit\n\n");
        while (!ctx->quit) {
                char *line = readline(VMMCTL_PROMPT);

                if (!line) {
                        putchar('\n');
                        break;
                }
                if (line[strspn(line, " \t")] != '\0') {
                        add_history(line);
                        ret = shell_run_line(ctx, line);
                }
                free(line);
        }
        if (history)
                (void)write_history(history);
        return ret;
}
#endif

/* Input from a pipe or a file: no prompt, no line editing. */
static int shell_run_plain(VmmctlCtx *ctx)
{
        char *line = NULL;
        size_t cap = 0;
        int ret = 0;

        while (!ctx->quit && getline(&line, &cap, stdin) >= 0)
                if (shell_run_line(ctx, line) < 0)
                        ret = -1;
        free(line);
        return ret;
}

int vmmctl_shell_run(VmmctlCtx *ctx)
{
#ifdef VMMCTL_HAVE_LIBEDIT
        if (isatty(STDIN_FILENO))
                return shell_run_readline(ctx);
#endif
        return shell_run_plain(ctx);
}
