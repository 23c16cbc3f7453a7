/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-spin.c: a caller that leads polls the socket for its reply
 * without sleeping for a short, adaptive window before it blocks (see
 * spin.h for why and for the window's rules). At most half the CPUs (at
 * least one) spin at once in a process: the daemon needs one too, and
 * eight threads each waiting on a connection of its own would otherwise
 * take them all. */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "rpc/client-internal.h"
#include "util/log.h"

void rpc_client_spin_init(VmmRpcClient *c)
{
        unsigned us = VMM_RPC_SPIN_DEFAULT_US;

        if (c->opts.spin_us >= 0)
                us = (unsigned)c->opts.spin_us;
        else if (vmm_rpc_spin_from_env(&us) < 0)
                vmm_log_debug("rpc client %s: VMM_RPC_SPIN_US: \"%s\" is not a number of "
                              "microseconds from 0 to %u, using %u",
                              c->name, getenv("VMM_RPC_SPIN_US"), VMM_RPC_SPIN_MAX_US, us);
        vmm_rpc_spin_init(&c->spin, us);
}

static atomic_int spinners;
static atomic_int waiting; /* calls waiting for their reply, all connections */

bool rpc_client_spin_wait_begin(void)
{
        return atomic_fetch_add(&waiting, 1) == 0;
}

void rpc_client_spin_wait_end(void)
{
        atomic_fetch_sub(&waiting, 1);
}

static int spin_max_spinners(void)
{
        static atomic_int max;
        int m = atomic_load_explicit(&max, memory_order_relaxed);

        if (m == 0) {
                long n = sysconf(_SC_NPROCESSORS_ONLN);
                m = n >= 4 ? (int)(n / 2) : 1;
                atomic_store_explicit(&max, m, memory_order_relaxed);
        }
        return m;
}

static int spin_poll(VmmRpcClient *c, uint64_t until_ns, bool *ret_preempted)
{
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        uint64_t last = vmm_rpc_spin_now_ns(), now;
        int n;

        for (;;) {
                n = poll(&pfd, 1, 0);
                if (n != 0 && !(n < 0 && errno == EINTR))
                        return n;
                now = vmm_rpc_spin_now_ns();
                if (now >= until_ns)
                        return 0;
                if (now - last > VMM_RPC_SPIN_PREEMPT_US * 1000ull) {
                        /* the CPU went to someone else: stop taking it */
                        *ret_preempted = true;
                        return 0;
                }
                last = now;
        }
}

int rpc_client_spin_poll(VmmRpcClient *c, uint64_t until_ns, bool *ret_preempted)
{
        int n;

        *ret_preempted = false;
        if (atomic_fetch_add(&spinners, 1) >= spin_max_spinners()) {
                /* enough threads spin already: as if this one lost its CPU */
                atomic_fetch_sub(&spinners, 1);
                *ret_preempted = true;
                return 0;
        }
        n = spin_poll(c, until_ns, ret_preempted);
        atomic_fetch_sub(&spinners, 1);
        return n;
}
