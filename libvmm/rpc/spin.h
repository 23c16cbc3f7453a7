/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spin.h: bounded, adaptive busy-polling for request/reply round trips.
 *
 * On a virtual machine an idle vCPU halts, and waking it costs tens of
 * microseconds: a sequential caller pays that twice per round trip (the
 * daemon wakes for the request, the caller for the reply). So the side
 * that waits polls without sleeping for a short window first, and sleeps
 * only when nothing came within it. The client polls for its reply after
 * a call; a daemon keeps its loop from blocking for a while after the
 * last frame it received.
 *
 * The window adapts to what the waits show: a wait answered inside it is
 * a hit (the window follows the answers' latency, between
 * VMM_RPC_SPIN_MIN_US and the configured ceiling); after
 * VMM_RPC_SPIN_MISS_LIMIT waits in a row that outlasted it (slow
 * procedures, a client that thinks between calls) spinning stops, and one
 * wait in `probe interval` spins at the full ceiling to find out whether
 * answers got fast again (the interval doubles after each failed probe,
 * up to VMM_RPC_SPIN_PROBE_MAX). So spinning costs at most one window per
 * VMM_RPC_SPIN_PROBE_MAX waits where it does not pay; the cap is kept low
 * so that a connection comes back to fast round trips within a few dozen
 * calls after a run of slow ones (defines waiting for fsync, say).
 *
 * Spinning only pays while the CPUs are otherwise idle. When the poller
 * loses its CPU in the middle of a window (two polls more than
 * VMM_RPC_SPIN_PREEMPT_US apart: another task or the hypervisor took
 * it), the CPU is contended, and the wait counts as a miss: on a busy
 * host spinning turns itself off, and the work it would steal CPU from
 * runs instead.
 *
 * The ceiling comes from $VMM_RPC_SPIN_US (microseconds, 0 disables; the
 * daemons also take --spin-us), default VMM_RPC_SPIN_DEFAULT_US.
 *
 * Pure functions, no locking: the owner serialises calls.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VMM_RPC_SPIN_DEFAULT_US 200u
#define VMM_RPC_SPIN_MAX_US 10000u /* the largest ceiling accepted */
#define VMM_RPC_SPIN_MIN_US 10u    /* the narrowest window while spinning */
#define VMM_RPC_SPIN_MISS_LIMIT 3u
#define VMM_RPC_SPIN_PROBE_MIN 16u
#define VMM_RPC_SPIN_PROBE_MAX 64u
#define VMM_RPC_SPIN_PREEMPT_US 20u /* a gap between two polls that means preemption */

typedef struct VmmRpcSpin {
        unsigned max_us;    /* ceiling; 0: never spin */
        unsigned window_us; /* current window; 0: off (probing) */
        unsigned misses;    /* waits in a row that outlasted the window */
        unsigned skip;      /* while off: waits left before the next probe */
        unsigned probe;     /* while off: the probe interval */
        uint64_t est_ns;    /* running average of the latencies of hits */
} VmmRpcSpin;

/* Starts at the full ceiling `max_us` (clamped to VMM_RPC_SPIN_MAX_US). */
void vmm_rpc_spin_init(VmmRpcSpin *s, unsigned max_us);

/* The window for the next wait, in microseconds (0: do not spin). While
 * spinning is off, this counts the waits down to the next probe. */
unsigned vmm_rpc_spin_next(VmmRpcSpin *s);

/* What a wait that spun `used_us` (the value vmm_rpc_spin_next gave)
 * learned: the answer came after `latency_ns`. A wait with used_us == 0
 * teaches nothing. */
void vmm_rpc_spin_update(VmmRpcSpin *s, unsigned used_us, uint64_t latency_ns);

/* A wait that spun `used_us` lost its CPU meanwhile: a miss, whatever
 * its latency. */
void vmm_rpc_spin_contended(VmmRpcSpin *s, unsigned used_us);

/* The ceiling from $VMM_RPC_SPIN_US, or VMM_RPC_SPIN_DEFAULT_US when it is
 * unset. A value that is not a number up to VMM_RPC_SPIN_MAX_US is
 * refused: -EINVAL, *ret_us set to the default. */
int vmm_rpc_spin_from_env(unsigned *ret_us);

/* Parses a window in microseconds ("0" .. VMM_RPC_SPIN_MAX_US). */
int vmm_rpc_spin_parse(const char *text, unsigned *ret_us);

/* Monotonic clock in nanoseconds. */
uint64_t vmm_rpc_spin_now_ns(void);
