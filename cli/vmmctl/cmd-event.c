/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-event.c: `vmmctl event [--all|DOMAIN] [--loop] [--timeout SECONDS]`,
 * printing domain lifecycle events as virsh does:
 *   event 'lifecycle' for domain 'web1': Started Booted
 * (with --json, one compact JSON object per line). It opens a second,
 * pollable connection to the same URI and waits in poll() on its event fd
 * and on a pipe that Ctrl-C writes to, so events are printed from this
 * thread and an interrupt ends the loop cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "vmmctl.h"

typedef struct EventCli {
        bool json;
        bool filter;
        uint8_t uuid[VMM_UUID_BUFLEN];
        unsigned count;
} EventCli;

static int event_sigpipe[2] = {-1, -1};

static void event_on_sigint(int sig)
{
        int saved = errno;

        (void)!write(event_sigpipe[1], "", 1);
        errno = saved;
}

static void event_print(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        EventCli *cli = userdata;
        uint8_t uuid[VMM_UUID_BUFLEN];

        vmm_domain_get_uuid(dom, uuid);
        if (cli->filter && memcmp(uuid, cli->uuid, sizeof(uuid)) != 0)
                return;
        cli->count++;
        if (cli->json) {
                _cleanup_json_ json_object *obj = json_object_new_object();
                char text[VMM_UUID_STRING_BUFLEN];

                vmm_domain_get_uuid_string(dom, text);
                vmmctl_json_add_string(obj, "event", "lifecycle");
                vmmctl_json_add_string(obj, "domain", vmm_domain_get_name(dom));
                vmmctl_json_add_string(obj, "uuid", text);
                vmmctl_json_add_string(obj, "type", vmm_domain_event_type_to_string(event));
                vmmctl_json_add_string(obj, "detail",
                                       vmm_domain_event_detail_to_string(event, detail));
                vmmctl_json_add_int(obj, "type_number", event);
                vmmctl_json_add_int(obj, "detail_number", detail);
                printf("%s\n", json_object_to_json_string_ext(
                                   obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        } else {
                printf("event 'lifecycle' for domain '%s': %s %s\n", vmm_domain_get_name(dom),
                       vmm_domain_event_type_to_string(event),
                       vmm_domain_event_detail_to_string(event, detail));
        }
        fflush(stdout);
}

/* --timeout SECONDS: a whole number > 0; 0 when not given (no limit). */
static int event_parse_timeout(const char *s, long *ret_ms, VmmError *error)
{
        char *end;
        long v;

        *ret_ms = -1;
        if (!s)
                return 0;
        errno = 0;
        v = strtol(s, &end, 10);
        if (!*s || *end || errno || v <= 0 || v > INT_MAX / 1000)
                return vmmctl_error(error, -EINVAL,
                                    "--timeout: \"%s\" is not a number of seconds (expected a "
                                    "whole number from 1 to %d)",
                                    s, INT_MAX / 1000);
        *ret_ms = v * 1000;
        return 0;
}

static long event_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

typedef enum EventEnd { EVENT_END_DONE, EVENT_END_TIMEOUT, EVENT_END_INTERRUPT } EventEnd;

/* Polls until the first event (or forever with `loop`), the deadline,
 * Ctrl-C, or the connection's loss. */
static int event_wait(VmmConnect *econn, EventCli *cli, bool loop, long timeout_ms,
                      EventEnd *ret_end, VmmError *error)
{
        long deadline = timeout_ms > 0 ? event_now_ms() + timeout_ms : -1;
        int fd = vmm_connect_event_fd(econn, error);

        if (fd < 0)
                return fd;
        for (;;) {
                struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                                      {.fd = event_sigpipe[0], .events = POLLIN}};
                long wait = 1000; /* wake up now and then to notice a lost connection */
                int r;

                if (deadline >= 0) {
                        long left = deadline - event_now_ms();
                        if (left <= 0) {
                                *ret_end = EVENT_END_TIMEOUT;
                                return 0;
                        }
                        wait = left < wait ? left : wait;
                }
                r = poll(p, 2, (int)wait);
                if (r < 0 && errno != EINTR)
                        return vmmctl_error(error, -errno, "cannot wait for events: %s",
                                            strerror(errno));
                if (r > 0 && (p[1].revents & POLLIN)) {
                        *ret_end = EVENT_END_INTERRUPT;
                        return 0;
                }
                if (r > 0 && (p[0].revents & POLLIN)) {
                        r = vmm_connect_dispatch_events(econn, error);
                        if (r < 0)
                                return r;
                        if (!loop && cli->count > 0) {
                                *ret_end = EVENT_END_DONE;
                                return 0;
                        }
                }
                if (!vmm_connect_is_alive(econn))
                        return vmmctl_error(error, -ECONNRESET,
                                            "connection to '%s' lost while waiting for events",
                                            vmm_connect_get_uri(econn));
        }
}

static int event_setup_filter(VmmctlCtx *ctx, const VmmctlArgs *args, EventCli *cli,
                              VmmError *error)
{
        bool all = vmmctl_args_has(args, "all");
        VmmDomain *dom = NULL;
        int r;

        if (all && vmmctl_args_get(args, "domain"))
                return vmmctl_error(error, -EINVAL,
                                    "--all and a domain exclude each other (expected one)");
        if (all)
                return 0;
        if (!vmmctl_args_get(args, "domain"))
                return vmmctl_error(error, -EINVAL,
                                    "which domain's events? (expected --all or a domain)");
        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        vmm_domain_get_uuid(dom, cli->uuid);
        vmm_domain_unref(dom);
        cli->filter = true;
        return 0;
}

/* Registers on a second, pollable connection and waits. */
static int event_run(VmmctlCtx *ctx, EventCli *cli, bool loop, long timeout_ms, EventEnd *ret_end,
                     VmmError *error)
{
        unsigned flags = VMM_CONNECT_EVENTS_POLLABLE | (ctx->readonly ? VMM_CONNECT_READ_ONLY : 0);
        VmmConnect *econn = NULL;
        int id = 0, r;

        r = vmm_connect_open(vmm_connect_get_uri(ctx->conn), flags, &econn, error);
        if (r < 0)
                return r;
        r = vmm_connect_domain_event_register(econn, event_print, cli, NULL, &id, error);
        if (r >= 0)
                r = event_wait(econn, cli, loop, timeout_ms, ret_end, error);
        if (id > 0)
                vmm_connect_domain_event_deregister(econn, id, NULL);
        vmm_connect_close(econn);
        return r;
}

int vmmctl_cmd_event(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        EventCli cli = {.json = ctx->json};
        struct sigaction sa = {.sa_handler = event_on_sigint}, old;
        EventEnd end = EVENT_END_DONE;
        long timeout_ms;
        int r;

        r = event_parse_timeout(vmmctl_args_get(args, "timeout"), &timeout_ms, error);
        if (r >= 0)
                r = event_setup_filter(ctx, args, &cli, error);
        if (r < 0)
                return r;
        if (pipe2(event_sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
                return vmmctl_error(error, -errno, "cannot make a pipe: %s", strerror(errno));
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old);
        r = event_run(ctx, &cli, vmmctl_args_has(args, "loop"), timeout_ms, &end, error);
        sigaction(SIGINT, &old, NULL);
        close(event_sigpipe[0]);
        close(event_sigpipe[1]);
        event_sigpipe[0] = event_sigpipe[1] = -1;
        if (r < 0)
                return r;
        if (!ctx->json && !ctx->quiet) {
                if (end == EVENT_END_TIMEOUT)
                        printf("event loop timed out\n");
                else if (end == EVENT_END_INTERRUPT)
                        printf("event loop interrupted\n");
                printf("events received: %u\n", cli.count);
        }
        return 0;
}
