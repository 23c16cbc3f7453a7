/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-hotplug.h: what device hot-plug needs from the process
 * manager: replacing the live definition (the state file is rewritten
 * atomically, so a restarted daemon sees the devices as they are), and
 * waiting for QEMU's DEVICE_DELETED event of one device id (the guest
 * released it).
 */
#pragma once

#include <json-c/json.h>
#include <stdint.h>

#include "qemu-process-qmp.h"
#include "qemu-process.h"

/* Installs `def` (taken, also on failure) as the live definition and
 * queues the state file's rewrite. */
int vmm_qemu_process_set_def(VmmQemuProcess *proc, VmmDomainDef *def, VmmError *error);

typedef struct VmmQemuDeviceWait VmmQemuDeviceWait;

/* `status` 0: DEVICE_DELETED came for the id; -ETIMEDOUT: not within the
 * deadline. */
typedef void (*VmmQemuDeviceDeletedFn)(VmmQemuProcess *proc, int status, void *userdata);

/* Starts waiting for DEVICE_DELETED of device `id` (register it before
 * sending device_del: the event may come before the reply). `done` is
 * called once, unless the wait is cancelled first. */
int vmm_qemu_process_wait_device_deleted(VmmQemuProcess *proc, const char *id, uint64_t timeout_ms,
                                         VmmQemuDeviceDeletedFn done, void *userdata,
                                         VmmQemuDeviceWait **ret_wait, VmmError *error);
/* Stops a wait without calling its `done`. */
void vmm_qemu_device_wait_cancel(VmmQemuDeviceWait *wait);

/* For the monitor's event dispatch: a DEVICE_DELETED event arrived. */
void vmm_qemu_process_device_deleted(VmmQemuProcess *proc, json_object *data);
