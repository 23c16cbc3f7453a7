/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon.c: the daemon's lifecycle: options, programs, the loop, signals,
 * idle exit, drain and shutdown. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "daemon-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"

static int parse_uint(const char *opt, const char *value, unsigned max, unsigned *ret,
                      VmmError *error)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(value, &end, 10);
        if (errno || end == value || *end || value[0] == '-' || v > max)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: \"%s\" is not a number from 0 to %u", opt, value, max);
        *ret = (unsigned)v;
        return 0;
}

static void print_help(const VmmDaemonOptions *o)
{
        printf("Usage: %s [OPTIONS]\n\n"
               "  --listen PATH         bind the read-write socket at PATH\n"
               "  --listen-ro PATH      bind the read-only socket at PATH\n"
               "  --timeout SECONDS     exit when idle that long (default %u, 0: never)\n"
               "  --max-clients N       clients at once (default %u)\n"
               "  --max-calls N         calls in flight per client (default %u)\n"
               "  --frame-timeout MS    drop a client stalled mid-frame (default %u)\n"
               "  --spin-us US          poll without sleeping up to US after a request\n"
               "                        (default $VMM_RPC_SPIN_US, else %u; 0: never)\n"
               "  --verbose             log more\n"
               "  --help                show this text\n\n"
               "Without --listen, the sockets come from systemd (names \"rw\" and \"ro\").\n",
               o->name, o->timeout_s, o->max_clients, o->max_calls, o->frame_timeout_ms,
               VMM_RPC_SPIN_DEFAULT_US);
}

int vmm_daemon_parse_args(int argc, char **argv, VmmDaemonOptions *o, VmmError *error)
{
        static const struct option longopts[] = {
            {"listen", required_argument, NULL, 'l'},
            {"listen-ro", required_argument, NULL, 'r'},
            {"timeout", required_argument, NULL, 't'},
            {"max-clients", required_argument, NULL, 'c'},
            {"max-calls", required_argument, NULL, 'n'},
            {"frame-timeout", required_argument, NULL, 'f'},
            {"spin-us", required_argument, NULL, 's'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {},
        };
        unsigned spin = 0;
        int opt, r = 0;

        optind = 1;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
                switch (opt) {
                case 'l':
                        o->listen_path = optarg;
                        break;
                case 'r':
                        o->listen_ro_path = optarg;
                        break;
                case 't':
                        r = parse_uint("--timeout", optarg, INT_MAX / 1000, &o->timeout_s, error);
                        break;
                case 'c':
                        r = parse_uint("--max-clients", optarg, 65536, &o->max_clients, error);
                        break;
                case 'n':
                        r = parse_uint("--max-calls", optarg, 65536, &o->max_calls, error);
                        break;
                case 'f':
                        r = parse_uint("--frame-timeout", optarg, INT_MAX, &o->frame_timeout_ms,
                                       error);
                        break;
                case 's':
                        r = parse_uint("--spin-us", optarg, VMM_RPC_SPIN_MAX_US, &spin, error);
                        o->spin_us = (int)spin;
                        break;
                case 'v':
                        o->verbose = true;
                        break;
                case 'h':
                        print_help(o);
                        return 1;
                default:
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "%s: unknown option or missing value: \"%s\" "
                                             "(see --help)",
                                             o->name, argv[optind - 1]);
                }
                if (r < 0)
                        return r;
        }
        if (optind < argc)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: unexpected argument \"%s\" (see --help)", o->name,
                                     argv[optind]);
        if (o->max_clients == 0 || o->max_calls == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: --max-clients and --max-calls must be at least 1",
                                     o->name);
        return 0;
}

int vmm_daemon_new(const VmmDaemonOptions *opts, VmmDaemon **ret_daemon, VmmError *error)
{
        VmmDaemon *d;
        int r;

        vmm_check_arg(opts && opts->name, error, "opts");
        d = calloc(1, sizeof(*d));
        if (!d)
                return vmm_error_oom(error);
        d->opts = *opts;
        d->name = strdup(opts->name);
        d->listen_path = opts->listen_path ? strdup(opts->listen_path) : NULL;
        d->listen_ro_path = opts->listen_ro_path ? strdup(opts->listen_ro_path) : NULL;
        d->opts.name = d->name;
        d->opts.listen_path = d->listen_path;
        d->opts.listen_ro_path = d->listen_ro_path;
        if (!d->name || (opts->listen_path && !d->listen_path) ||
            (opts->listen_ro_path && !d->listen_ro_path)) {
                vmm_daemon_free(d);
                return vmm_error_oom(error);
        }
        r = uv_loop_init(&d->loop);
        if (r < 0) {
                vmm_daemon_free(d);
                return vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: event loop: %s", opts->name,
                                     uv_strerror(r));
        }
        d->loop_open = true;
        d->loop.data = d;
        r = vmm_daemon_add_program(d, &vmm_rpc_program_control, daemon_control_handlers,
                                   ARRAY_SIZE(daemon_control_handlers), d, error);
        if (r < 0) {
                vmm_daemon_free(d);
                return r;
        }
        *ret_daemon = d;
        return 0;
}

VmmDaemon *vmm_daemon_free(VmmDaemon *d)
{
        if (!d)
                return NULL;
        if (d->loop_open && uv_loop_close(&d->loop) < 0)
                vmm_log_error("%s: event loop still has handles at exit", d->name);
        free(d->name);
        free(d->listen_path);
        free(d->listen_ro_path);
        free(d);
        return NULL;
}

int vmm_daemon_add_program(VmmDaemon *d, const VmmRpcProgram *table,
                           const VmmDaemonHandler *handlers, size_t n_handlers, void *userdata,
                           VmmError *error)
{
        int r;

        vmm_check_arg(d && table && handlers, error, "daemon, table and handlers");
        r = vmm_rpc_program_validate(table, error);
        if (r < 0)
                return r;
        if (n_handlers != table->n_procs)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "program '%s': %zu handlers for %zu procedures", table->name,
                                     n_handlers, table->n_procs);
        for (size_t i = 0; i < table->n_procs; i++) {
                bool is_call = table->procs[i].kind == VMM_RPC_PROC_CALL;
                if (is_call != (handlers[i] != NULL))
                        return vmm_error_set(
                            error, -EINVAL, VMM_ERR_INTERNAL, "program '%s': procedure '%s' %s",
                            table->name, table->procs[i].name,
                            is_call ? "has no handler" : "is an event but has a handler");
        }
        for (size_t i = 0; i < d->n_programs; i++)
                if (d->programs[i].table->number == table->number)
                        return vmm_error_set(error, -EEXIST, VMM_ERR_INTERNAL,
                                             "program '%s' is already served", table->name);
        if (d->n_programs >= DAEMON_MAX_PROGRAMS)
                return vmm_error_set(error, -ENOSPC, VMM_ERR_INTERNAL,
                                     "program '%s': at most %d programs per daemon", table->name,
                                     DAEMON_MAX_PROGRAMS);
        d->programs[d->n_programs++] = (DaemonProgram){table, handlers, userdata};
        return 0;
}

void vmm_daemon_set_reload_hook(VmmDaemon *d, VmmDaemonHook reload, void *userdata)
{
        d->reload = reload;
        d->reload_userdata = userdata;
}

void vmm_daemon_set_access_check(VmmDaemon *d, VmmDaemonAccessCheck check, void *userdata)
{
        d->access_check = check;
        d->access_userdata = userdata;
}

void vmm_daemon_set_shutdown_hook(VmmDaemon *d, VmmDaemonHook shutdown, void *userdata)
{
        d->shutdown = shutdown;
        d->shutdown_userdata = userdata;
}

uv_loop_t *vmm_daemon_loop(VmmDaemon *d)
{
        return &d->loop;
}

const VmmDaemonOptions *vmm_daemon_options(const VmmDaemon *d)
{
        return &d->opts;
}

unsigned vmm_daemon_n_clients(const VmmDaemon *d)
{
        return d->n_clients;
}

void vmm_daemon_hold(VmmDaemon *d)
{
        d->holds++;
        daemon_state_changed(d);
}

void vmm_daemon_release(VmmDaemon *d)
{
        if (d->holds > 0)
                d->holds--;
        daemon_state_changed(d);
}

static void on_idle_timeout(uv_timer_t *t)
{
        VmmDaemon *d = t->data;

        vmm_log_info("%s: no client for %u s, exiting", d->name, d->opts.timeout_s);
        vmm_daemon_stop(d);
}

static void on_handle_closed(uv_handle_t *h)
{
}

static void daemon_finish(VmmDaemon *d)
{
        if (d->finished)
                return;
        d->finished = true;
        if (d->handles_open) {
                uv_close((uv_handle_t *)&d->idle_timer, on_handle_closed);
                uv_close((uv_handle_t *)&d->drain_timer, on_handle_closed);
                uv_close((uv_handle_t *)&d->sig_term, on_handle_closed);
                uv_close((uv_handle_t *)&d->sig_int, on_handle_closed);
                uv_close((uv_handle_t *)&d->sig_hup, on_handle_closed);
                daemon_spin_close(d);
                d->handles_open = false;
        }
        if (d->shutdown)
                d->shutdown(d, d->shutdown_userdata);
}

void daemon_state_changed(VmmDaemon *d)
{
        if (!d->handles_open)
                return;
        if (d->stopping) {
                if (d->n_clients == 0)
                        daemon_finish(d);
                return;
        }
        if (d->opts.timeout_s > 0 && d->n_clients == 0 && d->holds == 0) {
                if (!uv_is_active((uv_handle_t *)&d->idle_timer))
                        uv_timer_start(&d->idle_timer, on_idle_timeout,
                                       (uint64_t)d->opts.timeout_s * 1000u, 0);
        } else {
                uv_timer_stop(&d->idle_timer);
        }
}

static void on_drain_timeout(uv_timer_t *t)
{
        VmmDaemon *d = t->data;

        vmm_log_warning("%s: %u client(s) still busy after %u ms, closing them", d->name,
                        d->n_clients, d->opts.drain_timeout_ms);
        while (d->clients)
                daemon_client_close(d->clients);
}

void vmm_daemon_stop(VmmDaemon *d)
{
        if (d->stopping)
                return;
        d->stopping = true;
        sd_notify(0, "STOPPING=1\nSTATUS=stopping");
        daemon_listen_close(d);
        if (!d->handles_open)
                return;
        uv_timer_stop(&d->idle_timer);
        if (d->n_clients > 0) {
                uv_timer_start(&d->drain_timer, on_drain_timeout, d->opts.drain_timeout_ms, 0);
                uv_unref((uv_handle_t *)&d->drain_timer);
                for (VmmDaemonClient *c = d->clients, *next; c; c = next) {
                        next = c->next;
                        daemon_client_drain(c);
                }
        }
        daemon_state_changed(d);
}

static void on_signal(uv_signal_t *s, int signum)
{
        VmmDaemon *d = s->data;

        if (signum == SIGHUP) {
                vmm_log_info("%s: SIGHUP: reloading", d->name);
                sd_notify(0, "RELOADING=1");
                if (d->reload && d->reload(d, d->reload_userdata) < 0)
                        vmm_log_warning("%s: reload failed, keeping the old configuration",
                                        d->name);
                sd_notify(0, "READY=1");
                return;
        }
        vmm_log_info("%s: %s: stopping", d->name, strsignal(signum));
        vmm_daemon_stop(d);
}

static void daemon_init_handles(VmmDaemon *d)
{
        uv_timer_init(&d->loop, &d->idle_timer);
        uv_timer_init(&d->loop, &d->drain_timer);
        uv_signal_init(&d->loop, &d->sig_term);
        uv_signal_init(&d->loop, &d->sig_int);
        uv_signal_init(&d->loop, &d->sig_hup);
        d->idle_timer.data = d->drain_timer.data = d;
        d->sig_term.data = d->sig_int.data = d->sig_hup.data = d;
        uv_signal_start(&d->sig_term, on_signal, SIGTERM);
        uv_signal_start(&d->sig_int, on_signal, SIGINT);
        uv_signal_start(&d->sig_hup, on_signal, SIGHUP);
        /* Signals alone do not keep the loop alive. */
        uv_unref((uv_handle_t *)&d->sig_term);
        uv_unref((uv_handle_t *)&d->sig_int);
        uv_unref((uv_handle_t *)&d->sig_hup);
        daemon_spin_init(d);
        d->handles_open = true;
}

static void walk_report(uv_handle_t *h, void *arg)
{
        VmmDaemon *d = arg;
        vmm_log_error("%s: handle left open at exit: %s%s", d->name,
                      uv_handle_type_name(uv_handle_get_type(h)),
                      uv_is_closing(h) ? " (closing)" : "");
}

int vmm_daemon_run(VmmDaemon *d, VmmError *error)
{
        int r;

        vmm_check_arg(d && d->loop_open, error, "daemon");
        signal(SIGPIPE, SIG_IGN);
        daemon_init_handles(d);
        r = daemon_listen_open(d, error);
        if (r < 0) {
                vmm_daemon_stop(d);
                daemon_finish(d);
                uv_run(&d->loop, UV_RUN_DEFAULT);
        } else {
                sd_notifyf(0, "READY=1\nSTATUS=%s: serving %zu socket(s)", d->name, d->n_listeners);
                vmm_log_info("%s: ready, %zu socket(s)", d->name, d->n_listeners);
                daemon_state_changed(d);
                uv_run(&d->loop, UV_RUN_DEFAULT);
        }
        if (uv_loop_close(&d->loop) < 0) {
                uv_walk(&d->loop, walk_report, d);
                return vmm_error_set(error, -EBUSY, VMM_ERR_INTERNAL,
                                     "%s: the event loop still has handles after shutdown",
                                     d->name);
        }
        d->loop_open = false;
        vmm_log_info("%s: stopped", d->name);
        return r;
}
