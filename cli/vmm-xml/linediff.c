/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linediff.h"
#include "util/cleanup.h"

/* Beyond this many cells the table would be too large to be worth it. */
#define LINEDIFF_MAX_CELLS (16u * 1024 * 1024)

typedef struct Lines {
        char **v;
        size_t n;
} Lines;

static void lines_done(Lines *l)
{
        free(l->v);
}

/* Splits `text` in place (it is a private copy) into lines. */
static int lines_split(char *text, Lines *l)
{
        size_t cap = 16;

        l->n = 0;
        l->v = malloc(cap * sizeof(*l->v));
        if (!l->v)
                return -1;
        for (char *p = text; *p;) {
                char *nl = strchr(p, '\n');

                if (l->n == cap) {
                        char **v = realloc(l->v, 2 * cap * sizeof(*l->v));

                        if (!v)
                                return -1;
                        l->v = v;
                        cap *= 2;
                }
                l->v[l->n++] = p;
                if (!nl)
                        break;
                *nl = '\0';
                p = nl + 1;
        }
        return 0;
}

int vmm_linediff_print(FILE *out, const char *a, const char *b)
{
        _cleanup_free_ char *ca = strdup(a), *cb = strdup(b);
        _cleanup_free_ uint32_t *lcs = NULL;
        _cleanup_(lines_done) Lines la = {0}, lb = {0};
        size_t i, j, w;
        int n = 0;

        if (!ca || !cb || lines_split(ca, &la) < 0 || lines_split(cb, &lb) < 0)
                return -1;
        w = lb.n + 1;
        if ((la.n + 1) * w > LINEDIFF_MAX_CELLS) {
                fprintf(out, "(documents too large to list line differences)\n");
                return 0;
        }
        lcs = calloc((la.n + 1) * w, sizeof(*lcs));
        if (!lcs)
                return -1;
        /* lcs[i][j]: common subsequence length of la[i..] and lb[j..] */
        for (i = la.n; i-- > 0;)
                for (j = lb.n; j-- > 0;)
                        lcs[i * w + j] =
                            strcmp(la.v[i], lb.v[j]) == 0 ? lcs[(i + 1) * w + j + 1] + 1
                            : lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
                                                                        : lcs[i * w + j + 1];
        for (i = 0, j = 0; i < la.n || j < lb.n;) {
                if (i < la.n && j < lb.n && strcmp(la.v[i], lb.v[j]) == 0) {
                        i++;
                        j++;
                } else if (j >= lb.n || (i < la.n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
                        fprintf(out, "-%zu: %s\n", i + 1, la.v[i]);
                        i++;
                        n++;
                } else {
                        fprintf(out, "+%zu: %s\n", j + 1, lb.v[j]);
                        j++;
                        n++;
                }
        }
        return n;
}
