/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

int vmmctl_error(VmmError *error, int code, const char *fmt, ...)
{
        va_list ap;
        char *msg = NULL;
        int n;

        if (!error)
                return code;
        vmm_error_clear(error);
        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        error->code = code;
        error->kind = code == -ENOMEM ? VMM_ERR_INTERNAL : VMM_ERR_INVALID_ARG;
        error->message = n < 0 ? NULL : msg;
        return code;
}

/* --- tables --- */

int vmmctl_table_init(VmmctlTable *t, size_t n_cols, const char *const *header)
{
        *t = (VmmctlTable){.n_cols = n_cols};
        return vmmctl_table_add_row(t, header);
}

int vmmctl_table_add_row(VmmctlTable *t, const char *const *cells)
{
        char **nc = realloc(t->cells, (t->n_cells + t->n_cols) * sizeof(*nc));

        if (!nc)
                return -ENOMEM;
        t->cells = nc;
        for (size_t i = 0; i < t->n_cols; i++) {
                char *c = strdup(cells[i] ? cells[i] : "-");

                if (!c)
                        return -ENOMEM;
                t->cells[t->n_cells++] = c;
        }
        return 0;
}

void vmmctl_table_done(VmmctlTable *t)
{
        for (size_t i = 0; i < t->n_cells; i++)
                free(t->cells[i]);
        free(t->cells);
        *t = (VmmctlTable){0};
}

static void table_print_row(const VmmctlTable *t, size_t row, const size_t *widths, FILE *out)
{
        for (size_t c = 0; c < t->n_cols; c++) {
                const char *cell = t->cells[row * t->n_cols + c];

                if (c + 1 < t->n_cols)
                        fprintf(out, " %-*s  ", (int)widths[c], cell);
                else
                        fprintf(out, " %s\n", cell);
        }
}

void vmmctl_table_print(const VmmctlTable *t, FILE *out, bool quiet)
{
        size_t n_rows = t->n_cols ? t->n_cells / t->n_cols : 0;
        size_t widths[16] = {0};
        size_t total = 0;

        if (t->n_cols == 0 || t->n_cols > 16)
                return;
        for (size_t r = 0; r < n_rows; r++)
                for (size_t c = 0; c < t->n_cols; c++) {
                        size_t w = strlen(t->cells[r * t->n_cols + c]);

                        if (w > widths[c])
                                widths[c] = w;
                }
        for (size_t c = 0; c < t->n_cols; c++)
                total += widths[c] + 3;
        if (!quiet) {
                table_print_row(t, 0, widths, out);
                for (size_t i = 0; i < total; i++)
                        fputc('-', out);
                fputc('\n', out);
        }
        for (size_t r = 1; r < n_rows; r++)
                table_print_row(t, r, widths, out);
        if (!quiet)
                fputc('\n', out);
}

/* --- key/value blocks and sizes --- */

void vmmctl_print_kv(const char *label, const char *fmt, ...)
{
        va_list ap;
        char key[64];

        snprintf(key, sizeof(key), "%s:", label);
        printf("%-15s ", key);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
}

void vmmctl_format_capacity(uint64_t bytes, char *buf, size_t size)
{
        static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = (double)bytes;
        size_t u = 0;

        while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
                v /= 1024.0;
                u++;
        }
        snprintf(buf, size, "%.2f %s", v, units[u]);
}

/* --- JSON --- */

void vmmctl_json_print(json_object *obj)
{
        const char *s =
            json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE);

        printf("%s\n", s ? s : "null");
        json_object_put(obj);
}

void vmmctl_json_add_string(json_object *obj, const char *key, const char *value)
{
        json_object_object_add(obj, key, value ? json_object_new_string(value) : NULL);
}

void vmmctl_json_add_int(json_object *obj, const char *key, int64_t value)
{
        json_object_object_add(obj, key, json_object_new_int64(value));
}

void vmmctl_json_add_bool(json_object *obj, const char *key, bool value)
{
        json_object_object_add(obj, key, json_object_new_boolean(value));
}

void vmmctl_json_print_action(const char *what, const char *name)
{
        json_object *obj = json_object_new_object();

        vmmctl_json_add_string(obj, "result", "ok");
        vmmctl_json_add_string(obj, what, name);
        vmmctl_json_print(obj);
}
