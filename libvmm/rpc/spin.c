/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spin.c: the adaptive busy-poll window's rules (see spin.h). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "rpc/spin.h"

void vmm_rpc_spin_init(VmmRpcSpin *s, unsigned max_us)
{
        if (max_us > VMM_RPC_SPIN_MAX_US)
                max_us = VMM_RPC_SPIN_MAX_US;
        *s = (VmmRpcSpin){
            .max_us = max_us,
            .window_us = max_us,
            .probe = VMM_RPC_SPIN_PROBE_MIN,
        };
}

unsigned vmm_rpc_spin_next(VmmRpcSpin *s)
{
        if (s->max_us == 0)
                return 0;
        if (s->window_us > 0)
                return s->window_us;
        if (s->skip > 0) {
                s->skip--;
                return 0;
        }
        return s->max_us; /* a probe */
}

/* A window a few times the usual latency: room for the spread of answers
 * without spinning long on one that is not coming. */
static unsigned spin_window_for(const VmmRpcSpin *s)
{
        uint64_t us = (s->est_ns * 4 + 999) / 1000;

        if (us < VMM_RPC_SPIN_MIN_US)
                us = VMM_RPC_SPIN_MIN_US;
        if (us > s->max_us)
                us = s->max_us;
        return (unsigned)us;
}

static void spin_off(VmmRpcSpin *s)
{
        s->window_us = 0;
        s->misses = 0;
        s->skip = s->probe;
}

void vmm_rpc_spin_update(VmmRpcSpin *s, unsigned used_us, uint64_t latency_ns)
{
        if (s->max_us == 0 || used_us == 0)
                return;
        if (latency_ns <= (uint64_t)used_us * 1000u) {
                s->est_ns = s->est_ns ? (s->est_ns * 3 + latency_ns) / 4 : latency_ns;
                s->misses = 0;
                s->probe = VMM_RPC_SPIN_PROBE_MIN;
                s->window_us = spin_window_for(s);
                return;
        }
        if (s->window_us == 0) {
                /* a failed probe: wait twice as long before the next one */
                s->probe =
                    s->probe * 2 > VMM_RPC_SPIN_PROBE_MAX ? VMM_RPC_SPIN_PROBE_MAX : s->probe * 2;
                spin_off(s);
                return;
        }
        if (++s->misses >= VMM_RPC_SPIN_MISS_LIMIT) {
                spin_off(s);
                return;
        }
        /* maybe the window had narrowed too far: the ceiling next time */
        s->window_us = s->max_us;
}

void vmm_rpc_spin_contended(VmmRpcSpin *s, unsigned used_us)
{
        vmm_rpc_spin_update(s, used_us, UINT64_MAX);
}

int vmm_rpc_spin_parse(const char *text, unsigned *ret_us)
{
        char *end;
        unsigned long v;

        if (!text || *text < '0' || *text > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(text, &end, 10);
        if (errno || *end || v > VMM_RPC_SPIN_MAX_US)
                return -EINVAL;
        *ret_us = (unsigned)v;
        return 0;
}

int vmm_rpc_spin_from_env(unsigned *ret_us)
{
        const char *env = getenv("VMM_RPC_SPIN_US");

        *ret_us = VMM_RPC_SPIN_DEFAULT_US;
        if (!env || !*env)
                return 0;
        return vmm_rpc_spin_parse(env, ret_us);
}

uint64_t vmm_rpc_spin_now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
