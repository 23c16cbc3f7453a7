/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-hotplug.h: attach-device and detach-device for disks and
 * interfaces, live and/or config. Asynchronous as the operations of
 * qemu-driver.h: on a negative return nothing changed and `done` is not
 * called; otherwise `done` is called once (possibly before the return).
 *
 * Choices:
 * - Flags as libvirt's: CURRENT is LIVE when running, else CONFIG; LIVE
 *   on a shut-off domain is -EBUSY; CONFIG on a transient one -EINVAL.
 *   LIVE|CONFIG does both or neither: the live part runs first, then the
 *   definition is rewritten; when that write fails the live part is
 *   undone (the device is unplugged again).
 * - Live attach of a disk: blockdev-add of the storage node, then of the
 *   format node, then device_add, with the node names, ids and options
 *   the command-line builder gives the same disk at start (it builds them:
 *   qemu-command-hotplug.h). An interface: netdev_add + device_add (type
 *   'user'; tap-backed types are refused live). A failed step removes
 *   what the earlier steps created (blockdev-del, netdev_del).
 * - Ids: a disk is "<target>" (nodes "vmm-<target>-storage/-format"). An
 *   interface is its <alias name>, its backend "host<alias>"; the first
 *   live change pins the positional ids the builder gave at start
 *   ("net0" ...) as aliases in the live XML, and a new interface takes
 *   the lowest free "netN". The live XML is saved in the state file, so
 *   detach and re-attach work after a daemon restart.
 * - Live detach: device_del, then QEMU's DEVICE_DELETED once the guest
 *   released the device (at most VMM_QEMU_UNPLUG_TIMEOUT_MS; after that
 *   -ETIMEDOUT, the live XML and the definition unchanged), then
 *   blockdev-del / netdev_del. The live XML changes only once the device
 *   is gone.
 */
#pragma once

#include "qemu-driver.h"

#define VMM_QEMU_UNPLUG_TIMEOUT_MS 5000

int vmm_qemu_driver_attach_device(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *xml,
                                  unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                  VmmError *error);
int vmm_qemu_driver_detach_device(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *xml,
                                  unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                  VmmError *error);
