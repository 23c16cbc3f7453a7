/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-console.c: console DOMAIN [DEVNAME] [--force] [--safe]: the guest's
 * serial console on this terminal, as virsh's.
 *
 * - stdin a tty: the terminal goes raw (every key goes to the guest, Ctrl-C
 *   included), the banner names the escape key, Ctrl-] detaches and the
 *   terminal is restored (also on SIGTERM/SIGHUP).
 * - stdin not a tty (scripts, tests): stdin is copied to the console and
 *   the console to stdout, byte for byte; at the end of stdin, output is
 *   still copied until the console has been quiet for
 *   VMMCTL_CONSOLE_DRAIN_MS (at most VMMCTL_CONSOLE_DRAIN_MAX_MS), then the
 *   console detaches (QEMU notices a new pty reader only on its next
 *   check, up to a second later, so the quiet time is generous). The
 *   banner goes to stderr, so stdout is the console's.
 * - The guest stopping ends the console: a message on stderr, status 0.
 *   Another client taking the console over (--force) ends it with that
 *   client's message and status 1.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vmmctl.h"

#define VMMCTL_CONSOLE_ESCAPE 0x1d /* Ctrl-] */
#define VMMCTL_CONSOLE_DRAIN_MS 2000
#define VMMCTL_CONSOLE_DRAIN_MAX_MS 10000

const VmmctlOptSpec vmmctl_opts_console[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"devname", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL,
     "character device name (serial0, console0...; default: the first)"},
    {"force", VMMCTL_OPT_BOOL, 0, "take the console over from the client that holds it"},
    {"safe", VMMCTL_OPT_BOOL, 0, "only connect if safe console handling is supported (it is)"},
    {NULL, 0, 0, NULL},
};

typedef struct Console {
        VmmStream *st;
        const char *name;
        bool tty;
        bool stdin_open;
        struct termios saved;
        bool raw;
        long long drain_start, last_output; /* ms; drain_start 0: not draining */
} Console;

static volatile sig_atomic_t console_signal;

static void console_on_signal(int sig)
{
        console_signal = sig;
}

static long long console_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void console_raw(Console *c)
{
        struct sigaction sa = {.sa_handler = console_on_signal};
        struct termios t;

        if (tcgetattr(STDIN_FILENO, &c->saved) < 0)
                return;
        t = c->saved;
        cfmakeraw(&t);
        if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) < 0)
                return;
        c->raw = true;
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
}

static void console_restore(Console *c)
{
        if (!c->raw)
                return;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &c->saved);
        c->raw = false;
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
}

static int console_write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, buf, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Keys to the guest; 1 when the user detached (Ctrl-] on a tty). */
static int console_input(Console *c, VmmError *error)
{
        char buf[4096];
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        size_t len;
        char *esc;
        int r;

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return 0;
        if (n <= 0) {
                c->stdin_open = false;
                c->drain_start = c->last_output = console_now_ms();
                return 0;
        }
        len = (size_t)n;
        esc = c->tty ? memchr(buf, VMMCTL_CONSOLE_ESCAPE, len) : NULL;
        if (esc)
                len = (size_t)(esc - buf);
        if (len > 0) {
                r = vmm_stream_send(c->st, buf, len, error);
                if (r < 0)
                        return r;
        }
        return esc ? 1 : 0;
}

/* Guest output to stdout; 1 at the end of the stream. */
static int console_output(Console *c, VmmError *error)
{
        char buf[16384];
        int n;

        for (;;) {
                n = vmm_stream_recv(c->st, buf, sizeof(buf), 0, error);
                if (n == -EAGAIN) {
                        vmm_error_clear(error);
                        return 0;
                }
                if (n <= 0)
                        return n == 0 ? 1 : n;
                c->last_output = console_now_ms();
                if (console_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
                        return 1; /* nobody reads our output any more */
        }
}

/* How long poll may wait: forever, or until the drain is over (0). */
static int console_timeout(const Console *c)
{
        long long now, until;

        if (!c->drain_start)
                return -1;
        now = console_now_ms();
        until = c->last_output + VMMCTL_CONSOLE_DRAIN_MS;
        if (until > c->drain_start + VMMCTL_CONSOLE_DRAIN_MAX_MS)
                until = c->drain_start + VMMCTL_CONSOLE_DRAIN_MAX_MS;
        return until > now ? (int)(until - now) : 0;
}

/* Returns 0 on detach or the end of stdin, 1 at the end of the stream,
 * or a negative errno. */
static int console_loop(Console *c, VmmError *error)
{
        int fd = vmm_stream_event_fd(c->st, error);
        int r;

        if (fd < 0)
                return fd;
        while (!console_signal) {
                struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                                      {.fd = c->stdin_open ? STDIN_FILENO : -1, .events = POLLIN}};
                int timeout = console_timeout(c);

                if (timeout == 0)
                        return 0; /* drained after the end of stdin */
                if (poll(p, 2, timeout) < 0 && errno != EINTR)
                        return -errno;
                if (p[0].revents) {
                        r = console_output(c, error);
                        if (r != 0)
                                return r;
                }
                if (p[1].revents && c->stdin_open) {
                        r = console_input(c, error);
                        if (r != 0)
                                return r < 0 ? r : 0;
                }
        }
        return 0;
}

static int console_open(VmmctlCtx *ctx, const VmmctlArgs *args, VmmDomain *dom, VmmStream **ret,
                        VmmError *error)
{
        unsigned int flags = 0;
        int r;

        if (vmmctl_args_has(args, "force"))
                flags |= VMM_DOMAIN_CONSOLE_FORCE;
        if (vmmctl_args_has(args, "safe"))
                flags |= VMM_DOMAIN_CONSOLE_SAFE;
        r = vmm_stream_new(ctx->conn, 0, ret, error);
        if (r < 0)
                return r;
        r = vmm_domain_open_console(dom, vmmctl_args_get(args, "devname"), *ret, flags, error);
        if (r < 0)
                *ret = vmm_stream_free(*ret);
        return r;
}

int vmmctl_cmd_console(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        Console c = {.stdin_open = true};
        VmmDomain *dom = NULL;
        int r;

        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        r = console_open(ctx, args, dom, &c.st, error);
        if (r < 0) {
                vmm_domain_unref(dom);
                return r;
        }
        c.name = vmm_domain_get_name(dom);
        c.tty = isatty(STDIN_FILENO);
        console_signal = 0;
        fprintf(c.tty ? stdout : stderr,
                "Connected to domain '%s'\nEscape character is ^] (Ctrl + ])\n", c.name);
        fflush(c.tty ? stdout : stderr);
        if (c.tty)
                console_raw(&c);
        r = console_loop(&c, error);
        console_restore(&c);
        if (c.tty)
                printf("\n");
        fflush(stdout);
        if (r == 1) {
                fprintf(stderr, "Console of domain '%s' closed: the guest stopped\n", c.name);
                r = 0;
        } else if (r >= 0) {
                (void)vmm_stream_finish(c.st, NULL);
        }
        vmm_stream_free(c.st);
        vmm_domain_unref(dom);
        return r;
}
