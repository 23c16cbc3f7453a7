/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-ops.h: the qemu driver's runtime operations on domains:
 * memory through the balloon, statistics, and the raw QMP passthrough.
 * All asynchronous as the lifecycle operations of qemu-driver.h: on a
 * negative return `done` is not called; otherwise it is called once
 * (possibly before the function returns).
 *
 * Choices:
 * - set-memory: LIVE is QMP `balloon` (the guest's balloon driver takes
 *   it from there; dominfo and domstats show what query-balloon reports),
 *   CONFIG rewrites the persistent definition with the new
 *   <currentMemory> (a redefine, written synchronously: a small file).
 *   CURRENT means LIVE when running, CONFIG otherwise. Above <memory> is
 *   refused for each side changed.
 * - statistics: cpu.* from /proc/PID/stat, balloon.current from
 *   query-balloon (the configured size when QEMU has no balloon), block
 *   counters from query-blockstats matched to disks by their node names,
 *   net counters from /proc/net/dev for NICs with a host tap (as the
 *   guest sees them: the tap's tx is the guest's rx). User-mode NICs have
 *   no host device and QEMU 7.2 exposes no per-netdev counters: they get
 *   their name only.
 * - monitor command: one JSON object {"execute": ..., "arguments": ...};
 *   QEMU's error replies are answers, not failures.
 */
#pragma once

#include "driver/domain-stats.h"
#include "qemu-driver.h"

int vmm_qemu_driver_set_memory(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, uint64_t kib,
                               unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                               VmmError *error);

/* `list` holds the fields on success; the callee keeps nothing of it. */
typedef void (*VmmQemuDriverStatsFn)(int status, VmmStatList *list, const char *message,
                                     void *userdata);
int vmm_qemu_driver_get_stats(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                              unsigned int stats, VmmQemuDriverStatsFn done, void *userdata,
                              VmmError *error);

/* `reply`: QEMU's answer as JSON text (borrowed during the call). */
typedef void (*VmmQemuDriverReplyFn)(int status, const char *reply, const char *message,
                                     void *userdata);
int vmm_qemu_driver_monitor_command(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                    const char *command, VmmQemuDriverReplyFn done,
                                    void *userdata, VmmError *error);
