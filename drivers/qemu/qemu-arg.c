/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-arg.c: the argv array and QEMU option-list escaping. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-arg.h"
#include "util/cleanup.h"

static bool args_grow(VmmQemuArgs *args)
{
        char **n;
        size_t cap;

        if (args->oom)
                return false;
        if (args->argc + 2 <= args->cap)
                return true;
        cap = args->cap ? args->cap * 2 : 32;
        n = realloc(args->argv, cap * sizeof(*n));
        if (!n) {
                args->oom = true;
                return false;
        }
        args->argv = n;
        args->cap = cap;
        return true;
}

/* Takes ownership of `s` (NULL means an allocation failed). */
static void args_take(VmmQemuArgs *args, char *s)
{
        if (!s) {
                args->oom = true;
                return;
        }
        if (!args_grow(args)) {
                free(s);
                return;
        }
        args->argv[args->argc++] = s;
        args->argv[args->argc] = NULL;
}

void vmm_qemu_args_add(VmmQemuArgs *args, const char *arg)
{
        args_take(args, strdup(arg));
}

void vmm_qemu_args_addf(VmmQemuArgs *args, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        args_take(args, s);
}

void vmm_qemu_args_add_opts(VmmQemuArgs *args, const char *option, VmmBuf *opts)
{
        vmm_qemu_args_add(args, option);
        if (opts->oom) {
                args->oom = true;
                vmm_buf_done(opts);
                return;
        }
        args_take(args, vmm_buf_steal(opts));
}

bool vmm_qemu_args_failed(const VmmQemuArgs *args)
{
        return args->oom;
}

char **vmm_qemu_args_steal(VmmQemuArgs *args)
{
        char **argv;

        if (args->oom || !args_grow(args)) {
                vmm_qemu_args_done(args);
                return NULL;
        }
        args->argv[args->argc] = NULL;
        argv = args->argv;
        *args = (VmmQemuArgs)VMM_QEMU_ARGS_INIT;
        return argv;
}

char **vmm_qemu_argv_free(char **argv)
{
        for (size_t i = 0; argv && argv[i]; i++)
                free(argv[i]);
        free(argv);
        return NULL;
}

void vmm_qemu_args_done(VmmQemuArgs *args)
{
        for (size_t i = 0; i < args->argc; i++)
                free(args->argv[i]);
        free(args->argv);
        *args = (VmmQemuArgs)VMM_QEMU_ARGS_INIT;
}

char *vmm_qemu_argv_to_string(char *const *argv)
{
        static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_=,./:@+%";
        VmmBuf buf = VMM_BUF_INIT;

        for (size_t i = 0; argv[i]; i++) {
                const char *a = argv[i];

                if (i)
                        vmm_buf_addc(&buf, ' ');
                if (*a && strspn(a, plain) == strlen(a)) {
                        vmm_buf_add(&buf, a);
                        continue;
                }
                vmm_buf_addc(&buf, '\'');
                for (; *a; a++) {
                        if (*a == '\'')
                                vmm_buf_add(&buf, "'\\''");
                        else
                                vmm_buf_addc(&buf, *a);
                }
                vmm_buf_addc(&buf, '\'');
        }
        return vmm_buf_steal(&buf);
}

void vmm_qemu_opt_escape(VmmBuf *buf, const char *value)
{
        const char *comma;

        while ((comma = strchr(value, ','))) {
                vmm_buf_addn(buf, value, (size_t)(comma - value) + 1);
                vmm_buf_addc(buf, ',');
                value = comma + 1;
        }
        vmm_buf_add(buf, value);
}

void vmm_qemu_opt_add(VmmBuf *buf, const char *key, const char *value)
{
        if (buf->len)
                vmm_buf_addc(buf, ',');
        if (key) {
                vmm_buf_add(buf, key);
                vmm_buf_addc(buf, '=');
        }
        vmm_qemu_opt_escape(buf, value);
}

void vmm_qemu_opt_addf(VmmBuf *buf, const char *key, const char *fmt, ...)
{
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0) {
                s = NULL;
                buf->oom = 1;
                return;
        }
        vmm_qemu_opt_add(buf, key, s);
}

void vmm_qemu_opt_bool(VmmBuf *buf, const char *key, bool value)
{
        vmm_qemu_opt_add(buf, key, value ? "on" : "off");
}
