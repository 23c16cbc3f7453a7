/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-spin.c: after the daemon served what a read brought, its loop
 * polls without blocking for a short, adaptive window, so that the next
 * request of a sequential client finds it awake (see rpc/spin.h). An idle
 * handle does it: while active, uv_run polls with a zero timeout; it stops
 * itself when the window has passed without a frame, and then the loop
 * blocks as before (an idle daemon uses no CPU). When two rounds of the
 * loop are far apart with nothing served in between, the daemon lost its
 * CPU: it stops spinning and the window counts as a miss. */
#include <stdlib.h>

#include "daemon-internal.h"
#include "util/log.h"

static void on_spin_idle(uv_idle_t *h)
{
        VmmDaemon *d = h->data;
        uint64_t now = vmm_rpc_spin_now_ns();

        if (d->spin_tick_ns && now - d->spin_tick_ns > VMM_RPC_SPIN_PREEMPT_US * 1000ull) {
                d->spin_preempted = true;
                uv_idle_stop(h);
                return;
        }
        d->spin_tick_ns = now;
        if (now >= d->spin_until_ns)
                uv_idle_stop(h);
}

static void spin_start(VmmDaemon *d, uint64_t now)
{
        d->spin_from_ns = now;
        d->spin_until_ns = now + d->spin_window_us * 1000ull;
        d->spin_tick_ns = 0;
        if (!uv_is_active((uv_handle_t *)&d->spin_idle))
                uv_idle_start(&d->spin_idle, on_spin_idle);
}

void daemon_spin_init(VmmDaemon *d)
{
        unsigned us = VMM_RPC_SPIN_DEFAULT_US;

        if (d->opts.spin_us >= 0)
                us = (unsigned)d->opts.spin_us;
        else if (vmm_rpc_spin_from_env(&us) < 0)
                vmm_log_warning("%s: VMM_RPC_SPIN_US: \"%s\" is not a number of microseconds "
                                "from 0 to %u, using %u, ignoring",
                                d->name, getenv("VMM_RPC_SPIN_US"), VMM_RPC_SPIN_MAX_US, us);
        vmm_rpc_spin_init(&d->spin, us);
        uv_idle_init(&d->loop, &d->spin_idle);
        d->spin_idle.data = d;
        /* a spinning loop is no reason to stay alive */
        uv_unref((uv_handle_t *)&d->spin_idle);
        d->spin_open = true;
        vmm_log_debug("%s: spin window up to %u us after each read", d->name, us);
}

void daemon_spin_close(VmmDaemon *d)
{
        if (!d->spin_open)
                return;
        d->spin_open = false;
        uv_close((uv_handle_t *)&d->spin_idle, NULL);
}

void vmm_daemon_note_activity(VmmDaemon *d, const void *source)
{
        bool others;
        uint64_t now;

        if (!d->spin_open || d->spin.max_us == 0)
                return;
        now = vmm_rpc_spin_now_ns();
        /* another client was served within the ceiling: several clients
         * keep the loop busy, and spinning would only take CPU from them */
        others = d->spin_source != source && now - d->spin_source_ns < d->spin.max_us * 1000ull;
        d->spin_source = source;
        d->spin_source_ns = now;
        /* the last window's lesson: did this come while it was open? */
        if (d->spin_window_us && d->spin_preempted)
                vmm_rpc_spin_contended(&d->spin, d->spin_window_us);
        else if (d->spin_window_us)
                vmm_rpc_spin_update(&d->spin, d->spin_window_us, now - d->spin_from_ns);
        d->spin_preempted = false;
        if (others) {
                d->spin_window_us = 0;
                uv_idle_stop(&d->spin_idle);
                return;
        }
        d->spin_window_us = vmm_rpc_spin_next(&d->spin);
        if (d->spin_window_us)
                spin_start(d, now);
}

void daemon_spin_reopen(VmmDaemon *d)
{
        uint64_t now;

        if (!d->spin_open || d->spin_window_us == 0 || d->spin_preempted)
                return;
        now = vmm_rpc_spin_now_ns();
        spin_start(d, now);
}

void daemon_spin_pipelined(VmmDaemon *d)
{
        if (!d->spin_open || d->spin_window_us == 0)
                return;
        d->spin_window_us = 0;
        uv_idle_stop(&d->spin_idle);
}
