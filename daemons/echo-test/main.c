/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-echo-test: a daemon built on the skeleton that serves the test
 * program (libvmm/rpc/program-test.c), so the test suite can drive the
 * skeleton and the client over real sockets: echo (read-only), sleep
 * (slow, replies later), set/get (a write and a read), whoami (the identity
 * the daemon sees), subscribe (TICK events every 50 ms) and stream (an
 * echoing stream, echo-stream.c). Not installed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "echo-stream.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

#define ECHO_MAX_KEYS 64
#define TICK_INTERVAL_MS 50

typedef struct Sleeper {
        uv_timer_t timer;
        VmmDaemonCall *call;
        struct Sleeper *next, *prev;
        struct EchoState *state;
} Sleeper;

typedef struct EchoState {
        VmmDaemon *daemon;
        char *keys[ECHO_MAX_KEYS], *values[ECHO_MAX_KEYS];
        Sleeper *sleepers;
        VmmDaemonClient **subscribers;
        size_t n_subscribers;
        uv_timer_t tick_timer;
        unsigned ticks;
} EchoState;

static int echo_echo(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error)
{
        const Vmm__TestEchoRequest *req = (const Vmm__TestEchoRequest *)request;
        Vmm__TestEchoReply reply = VMM__TEST_ECHO_REPLY__INIT;

        reply.text = req->text;
        reply.n_items = req->n_items;
        reply.items = req->items;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static void sleeper_closed(uv_handle_t *h)
{
        free(h->data);
}

static void sleeper_unlink(Sleeper *s)
{
        if (s->prev)
                s->prev->next = s->next;
        else
                s->state->sleepers = s->next;
        if (s->next)
                s->next->prev = s->prev;
}

static void on_sleep_done(uv_timer_t *t)
{
        Sleeper *s = t->data;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        sleeper_unlink(s);
        vmm_daemon_call_reply(s->call, &empty.base);
        uv_close((uv_handle_t *)&s->timer, sleeper_closed);
}

static int echo_sleep(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__TestSleepRequest *req = (const Vmm__TestSleepRequest *)request;
        EchoState *st = userdata;
        Sleeper *s;

        if (req->milliseconds > 60000)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "sleep: %u ms is too long (expected at most 60000)",
                                     req->milliseconds);
        s = calloc(1, sizeof(*s));
        if (!s)
                return vmm_error_oom(error);
        s->call = call;
        s->state = st;
        uv_timer_init(vmm_daemon_loop(st->daemon), &s->timer);
        s->timer.data = s;
        uv_timer_start(&s->timer, on_sleep_done, req->milliseconds, 0);
        s->next = st->sleepers;
        if (st->sleepers)
                st->sleepers->prev = s;
        st->sleepers = s;
        return VMM_DAEMON_REPLY_LATER;
}

static int find_key(EchoState *st, const char *key)
{
        for (int i = 0; i < ECHO_MAX_KEYS; i++)
                if (st->keys[i] && strcmp(st->keys[i], key) == 0)
                        return i;
        return -1;
}

static int echo_set(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                    VmmError *error)
{
        const Vmm__TestSetRequest *req = (const Vmm__TestSetRequest *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        EchoState *st = userdata;
        int i = find_key(st, req->key);
        char *value;

        for (int j = 0; i < 0 && j < ECHO_MAX_KEYS; j++)
                if (!st->keys[j])
                        i = j;
        if (i < 0)
                return vmm_error_set(error, -ENOSPC, VMM_ERR_OPERATION_INVALID,
                                     "set '%s': all %d keys are in use", req->key, ECHO_MAX_KEYS);
        value = strdup(req->value);
        if (!value || (!st->keys[i] && !(st->keys[i] = strdup(req->key)))) {
                free(value);
                return vmm_error_oom(error);
        }
        free(st->values[i]);
        st->values[i] = value;
        vmm_daemon_call_reply(call, &empty.base);
        return 0;
}

static int echo_get(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                    VmmError *error)
{
        const Vmm__TestGetRequest *req = (const Vmm__TestGetRequest *)request;
        Vmm__TestGetReply reply = VMM__TEST_GET_REPLY__INIT;
        int i = find_key(userdata, req->key);

        if (i < 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG, "get: no key '%s'",
                                     req->key);
        reply.value = ((EchoState *)userdata)->values[i];
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static int echo_whoami(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error)
{
        const VmmDaemonIdentity *id = vmm_daemon_call_identity(call);
        Vmm__TestWhoamiReply reply = VMM__TEST_WHOAMI_REPLY__INIT;

        reply.uid = id->uid;
        reply.gid = id->gid;
        reply.pid = id->pid;
        reply.read_only = id->read_only;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

static void on_tick(uv_timer_t *t)
{
        EchoState *st = t->data;
        Vmm__TestTickEvent ev = VMM__TEST_TICK_EVENT__INIT;
        char text[32];
        size_t kept = 0;

        st->ticks++;
        snprintf(text, sizeof(text), "tick %u", st->ticks);
        ev.count = st->ticks;
        ev.text = text;
        for (size_t i = 0; i < st->n_subscribers; i++) {
                VmmDaemonClient *c = st->subscribers[i];
                if (vmm_daemon_client_is_open(c) &&
                    vmm_daemon_client_send_event(c, &vmm_rpc_program_test, VMM_RPC_TEST_TICK,
                                                 &ev.base) >= 0)
                        st->subscribers[kept++] = c;
                else
                        vmm_daemon_client_unref(c);
        }
        st->n_subscribers = kept;
        if (kept == 0)
                uv_timer_stop(&st->tick_timer);
}

/* Attached to a subscriber: runs when it disconnects (on_tick then drops
 * its reference at the next tick). */
static void subscription_gone(void *data)
{
        pid_t *pid = data;

        vmm_log_info("vmm-echo-test: subscriber pid %d gone", (int)*pid);
        free(pid);
}

static int echo_subscribe(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        EchoState *st = userdata;
        VmmDaemonClient **s;

        s = realloc(st->subscribers, (st->n_subscribers + 1) * sizeof(*s));
        if (!s)
                return vmm_error_oom(error);
        st->subscribers = s;
        if (!vmm_daemon_client_get_data(vmm_daemon_call_client(call), &vmm_rpc_program_test)) {
                pid_t *pid = malloc(sizeof(*pid));
                if (!pid)
                        return vmm_error_oom(error);
                *pid = vmm_daemon_call_identity(call)->pid;
                if (vmm_daemon_client_set_data(vmm_daemon_call_client(call), &vmm_rpc_program_test,
                                               pid, subscription_gone) < 0) {
                        free(pid);
                        return vmm_error_oom(error);
                }
        }
        s[st->n_subscribers++] = vmm_daemon_client_ref(vmm_daemon_call_client(call));
        if (!uv_is_active((uv_handle_t *)&st->tick_timer))
                uv_timer_start(&st->tick_timer, on_tick, TICK_INTERVAL_MS, TICK_INTERVAL_MS);
        vmm_daemon_call_reply(call, &empty.base);
        return 0;
}

static int echo_stream_h(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                         VmmError *error)
{
        EchoState *st = userdata;

        return echo_stream(call, request, vmm_daemon_loop(st->daemon), error); /* echo-stream.c */
}

static const VmmDaemonHandler echo_handlers[] = {
    [VMM_RPC_TEST_ECHO - 1] = echo_echo,     [VMM_RPC_TEST_SLEEP - 1] = echo_sleep,
    [VMM_RPC_TEST_SET - 1] = echo_set,       [VMM_RPC_TEST_GET - 1] = echo_get,
    [VMM_RPC_TEST_WHOAMI - 1] = echo_whoami, [VMM_RPC_TEST_SUBSCRIBE - 1] = echo_subscribe,
    [VMM_RPC_TEST_TICK - 1] = NULL,          [VMM_RPC_TEST_STREAM - 1] = echo_stream_h,
};

/* $VMM_ECHO_TEST_DENY names one permission nobody is granted, so tests can
 * see the skeleton's access check at work. */
static int echo_access(const VmmDaemonIdentity *id, const VmmRpcProgram *prog,
                       const VmmRpcProc *proc, void *userdata, VmmError *error)
{
        const char *deny = userdata;

        if (strcmp(proc->permission, deny) != 0)
                return 0;
        return vmm_error_set(error, -EACCES, VMM_ERR_ACCESS_DENIED,
                             "access denied: '%s.%s' needs permission '%s', which uid %u "
                             "does not have",
                             prog->name, proc->name, proc->permission, (unsigned)id->uid);
}

static int echo_reload(VmmDaemon *d, void *userdata)
{
        vmm_log_warning("vmm-echo-test: reloaded");
        return 0;
}

/* Everything the program owns on the loop is closed here: calls still
 * sleeping (their clients are gone), the tick timer, subscriptions. */
static int echo_shutdown(VmmDaemon *d, void *userdata)
{
        VmmError err = VMM_ERROR_INIT;
        EchoState *st = userdata;

        vmm_error_set(&err, -ESHUTDOWN, VMM_ERR_OPERATION_INVALID, "the daemon is stopping");
        while (st->sleepers) {
                Sleeper *s = st->sleepers;
                sleeper_unlink(s);
                vmm_daemon_call_fail(s->call, &err);
                uv_close((uv_handle_t *)&s->timer, sleeper_closed);
        }
        vmm_error_clear(&err);
        for (size_t i = 0; i < st->n_subscribers; i++)
                vmm_daemon_client_unref(st->subscribers[i]);
        st->n_subscribers = 0;
        uv_close((uv_handle_t *)&st->tick_timer, NULL);
        return 0;
}

int main(int argc, char **argv)
{
        VmmDaemonOptions opts = VMM_DAEMON_OPTIONS_INIT("vmm-echo-test");
        VmmError err = VMM_ERROR_INIT;
        VmmDaemon *d = NULL;
        EchoState st = {0};
        int r;

        r = vmm_daemon_parse_args(argc, argv, &opts, &err);
        if (r != 0)
                goto out;
        vmm_daemon_log_setup(opts.name, opts.verbose);
        r = vmm_daemon_new(&opts, &d, &err);
        if (r < 0)
                goto out;
        st.daemon = d;
        uv_timer_init(vmm_daemon_loop(d), &st.tick_timer);
        st.tick_timer.data = &st;
        r = vmm_daemon_add_program(d, &vmm_rpc_program_test, echo_handlers,
                                   ARRAY_SIZE(echo_handlers), &st, &err);
        if (r < 0) {
                uv_close((uv_handle_t *)&st.tick_timer, NULL);
                uv_run(vmm_daemon_loop(d), UV_RUN_DEFAULT);
                goto out;
        }
        if (getenv("VMM_ECHO_TEST_DENY"))
                vmm_daemon_set_access_check(d, echo_access, getenv("VMM_ECHO_TEST_DENY"));
        vmm_daemon_set_reload_hook(d, echo_reload, &st);
        vmm_daemon_set_shutdown_hook(d, echo_shutdown, &st);
        r = vmm_daemon_run(d, &err);
out:
        if (r < 0)
                fprintf(stderr, "vmm-echo-test: %s\n", vmm_error_message(&err));
        vmm_daemon_free(d);
        for (int i = 0; i < ECHO_MAX_KEYS; i++) {
                free(st.keys[i]);
                free(st.values[i]);
        }
        free(st.subscribers);
        vmm_error_clear(&err);
        return r < 0 ? 1 : 0;
}
