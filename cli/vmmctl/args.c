/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* args.c: splitting command lines into commands and words, and matching a
 * command's words against its option specs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util/cleanup.h"
#include "vmmctl.h"

/* --- growable vectors --- */

static int words_push(char ***v, size_t *n, char *s)
{
        char **nv = realloc(*v, (*n + 2) * sizeof(**v));

        if (!nv)
                return -ENOMEM;
        nv[(*n)++] = s;
        nv[*n] = NULL;
        *v = nv;
        return 0;
}

static void words_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

void vmmctl_script_done(VmmctlScript *s)
{
        for (size_t i = 0; i < s->n_cmds; i++)
                words_free(s->cmds[i]);
        free(s->cmds);
        s->cmds = NULL;
        s->n_cmds = 0;
}

/* Ends the command being built (an empty one is dropped). */
static int script_end_command(VmmctlScript *s, char ***words, size_t *n_words)
{
        char ***nc;

        if (*n_words == 0)
                return 0;
        nc = realloc(s->cmds, (s->n_cmds + 1) * sizeof(*nc));
        if (!nc)
                return -ENOMEM;
        nc[s->n_cmds++] = *words;
        s->cmds = nc;
        *words = NULL;
        *n_words = 0;
        return 0;
}

/* --- the line tokenizer --- */

typedef struct Tokenizer {
        const char *p;
        char *word; /* the word being read */
        size_t len;
        bool in_word;
} Tokenizer;

static int tok_addc(Tokenizer *t, char c)
{
        char *nw = realloc(t->word, t->len + 2);

        if (!nw)
                return -ENOMEM;
        nw[t->len++] = c;
        nw[t->len] = '\0';
        t->word = nw;
        t->in_word = true;
        return 0;
}

/* Reads a quoted section starting after the opening quote `q`. */
static int tok_quoted(Tokenizer *t, char q, VmmError *error)
{
        t->in_word = true; /* an empty "" is still a word */
        for (;;) {
                char c = *t->p;

                if (c == '\0')
                        return vmmctl_error(error, -EINVAL, "missing closing %s quote",
                                            q == '"' ? "double" : "single");
                t->p++;
                if (c == q)
                        return 0;
                if (q == '"' && c == '\\' && (*t->p == '"' || *t->p == '\\'))
                        c = *t->p++;
                if (tok_addc(t, c) < 0)
                        return -ENOMEM;
        }
}

static int tok_end_word(Tokenizer *t, char ***words, size_t *n)
{
        int r;

        if (!t->in_word)
                return 0;
        if (!t->word) {
                t->word = strdup("");
                if (!t->word)
                        return -ENOMEM;
        }
        r = words_push(words, n, t->word);
        if (r < 0)
                return r;
        t->word = NULL;
        t->len = 0;
        t->in_word = false;
        return 0;
}

static int script_parse_line(const char *line, VmmctlScript *s, VmmError *error)
{
        Tokenizer t = {.p = line};
        char **words = NULL;
        size_t n = 0;
        int r = 0;

        while (r >= 0) {
                char c = *t.p;

                if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
                        r = tok_end_word(&t, &words, &n);
                        if (r >= 0 && (c == ';' || c == '\0'))
                                r = script_end_command(s, &words, &n);
                        if (c == '\0')
                                break;
                        t.p++;
                } else if (c == '\'' || c == '"') {
                        t.p++;
                        r = tok_quoted(&t, c, error);
                } else if (c == '\\' && t.p[1] != '\0') {
                        r = tok_addc(&t, t.p[1]);
                        t.p += 2;
                } else if (c == '#' && !t.in_word) {
                        /* a comment runs to the end of the line */
                        t.p += strlen(t.p);
                } else {
                        r = tok_addc(&t, c);
                        t.p++;
                }
        }
        free(t.word);
        words_free(words);
        if (r == -ENOMEM)
                return vmmctl_error(error, r, "out of memory");
        return r;
}

int vmmctl_script_parse_line(const char *line, VmmctlScript *ret, VmmError *error)
{
        VmmctlScript s = {0};
        int r;

        r = script_parse_line(line, &s, error);
        if (r < 0) {
                vmmctl_script_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

int vmmctl_script_from_argv(int argc, char *const *argv, VmmctlScript *ret, VmmError *error)
{
        VmmctlScript s = {0};
        char **words = NULL;
        size_t n = 0;
        int r = 0;

        for (int i = 0; i < argc && r >= 0; i++) {
                size_t len = strlen(argv[i]);
                bool ends = len > 0 && argv[i][len - 1] == ';';
                char *w;

                if (ends)
                        len--;
                if (len > 0 || !ends) { /* keep "" as a word */
                        w = strndup(argv[i], len);
                        r = w ? words_push(&words, &n, w) : -ENOMEM;
                        if (r < 0) {
                                free(w);
                                break;
                        }
                }
                if (ends)
                        r = script_end_command(&s, &words, &n);
        }
        if (r >= 0)
                r = script_end_command(&s, &words, &n);
        words_free(words);
        if (r < 0) {
                vmmctl_script_done(&s);
                return vmmctl_error(error, r, "out of memory");
        }
        *ret = s;
        return 0;
}

/* --- matching words against a command's options --- */

static int opt_index(const VmmctlCommand *cmd, const char *name, size_t name_len)
{
        for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
                if (strlen(cmd->opts[i].name) == name_len &&
                    strncmp(cmd->opts[i].name, name, name_len) == 0)
                        return i;
        return -1;
}

/* The next positional option not yet given, or -1. */
static int opt_next_positional(const VmmctlCommand *cmd, const VmmctlArgs *args)
{
        for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
                if ((cmd->opts[i].flags & VMMCTL_OPT_POSITIONAL) &&
                    (!args->values[i] || (cmd->opts[i].flags & VMMCTL_OPT_MULTI)))
                        return i;
        return -1;
}

/* Handles one "--name", "--name=value" or "--name value" word at argv[*i]. */
static int args_parse_option(char *const *argv, size_t *i, VmmctlArgs *a, VmmError *error)
{
        const VmmctlCommand *cmd = a->cmd;
        const char *word = argv[*i] + 2;
        const char *eq = strchr(word, '=');
        int k = opt_index(cmd, word, eq ? (size_t)(eq - word) : strlen(word));

        if (k < 0)
                return vmmctl_error(error, -EINVAL, "command '%s' doesn't support option %s",
                                    cmd->name, argv[*i]);
        if (a->values[k])
                return vmmctl_error(error, -EINVAL, "option --%s given twice", cmd->opts[k].name);
        if (cmd->opts[k].type == VMMCTL_OPT_BOOL) {
                if (eq)
                        return vmmctl_error(error, -EINVAL, "option --%s takes no value",
                                            cmd->opts[k].name);
                a->values[k] = "";
        } else if (eq)
                a->values[k] = eq + 1;
        else if (argv[*i + 1])
                a->values[k] = argv[++*i];
        else
                return vmmctl_error(error, -EINVAL, "option --%s requires a value",
                                    cmd->opts[k].name);
        return 0;
}

int vmmctl_args_parse(char *const *argv, VmmctlArgs *ret, VmmError *error)
{
        VmmctlArgs a = {0};
        bool only_data = false;
        int r;

        if (!argv || !argv[0])
                return vmmctl_error(error, -EINVAL, "no command given");
        a.cmd = vmmctl_command_find(argv[0]);
        if (!a.cmd)
                return vmmctl_error(error, -EINVAL, "unknown command: '%s'", argv[0]);
        for (size_t i = 1; argv[i]; i++) {
                const char *w = argv[i];

                if (!only_data && strcmp(w, "--") == 0) {
                        only_data = true;
                        continue;
                }
                if (!only_data && w[0] == '-' && w[1] == '-' && w[2]) {
                        r = args_parse_option(argv, &i, &a, error);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!only_data && w[0] == '-' && w[1] && w[1] != '-')
                        return vmmctl_error(error, -EINVAL,
                                            "command '%s' doesn't support option %s", a.cmd->name,
                                            w);
                r = opt_next_positional(a.cmd, &a);
                if (r < 0)
                        return vmmctl_error(error, -EINVAL, "unexpected data '%s'", w);
                if (!a.values[r]) {
                        a.values[r] = w;
                } else {
                        if (a.n_more == VMMCTL_MAX_MORE)
                                return vmmctl_error(error, -E2BIG,
                                                    "too many values for <%s> (at most %d)",
                                                    a.cmd->opts[r].name, VMMCTL_MAX_MORE + 1);
                        a.more[a.n_more++] = w;
                }
        }
        for (int i = 0; a.cmd->opts && a.cmd->opts[i].name; i++)
                if ((a.cmd->opts[i].flags & VMMCTL_OPT_REQUIRED) && !a.values[i])
                        return vmmctl_error(error, -EINVAL, "command '%s' requires <%s> option",
                                            a.cmd->name, a.cmd->opts[i].name);
        *ret = a;
        return 0;
}

const char *vmmctl_args_get(const VmmctlArgs *args, const char *name)
{
        int k = opt_index(args->cmd, name, strlen(name));

        return k < 0 ? NULL : args->values[k];
}

bool vmmctl_args_has(const VmmctlArgs *args, const char *name)
{
        return vmmctl_args_get(args, name) != NULL;
}
