/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-qmp.h: any QMP command on a running QEMU, for the driver's
 * runtime operations (statistics, the raw monitor passthrough). The
 * reply's "return" value is handed over as json-c; the process is kept
 * alive (a reference) until the reply.
 */
#pragma once

#include <json-c/json.h>

#include "qemu-process.h"

/* `status` 0 with `ret` (borrowed, valid during the call), or negative
 * (-EIO: QEMU refused; `error_class` and `message` say why; -ETIMEDOUT;
 * -ECONNRESET/-ECANCELED: the monitor went away). */
typedef void (*VmmQemuQmpFn)(VmmQemuProcess *proc, int status, json_object *ret,
                             const char *error_class, const char *message, void *userdata);

/* Sends `command` with `args` (taken; may be NULL) under the manager's
 * command deadline. On a negative return `done` is not called. */
int vmm_qemu_process_qmp(VmmQemuProcess *proc, const char *command, json_object *args,
                         VmmQemuQmpFn done, void *userdata, VmmError *error);

/* Records a balloon target in the live definition (the live XML's
 * <currentMemory>). The state file keeps the size it was last written
 * with until the next state change rewrites it. */
/* vmm_qemu_process_qmp() passing a copy of `fd` with the command
 * (SCM_RIGHTS; for getfd). The caller keeps `fd`. */
int vmm_qemu_process_qmp_fd(VmmQemuProcess *proc, const char *command, json_object *args, int fd,
                            VmmQemuQmpFn done, void *userdata, VmmError *error);
void vmm_qemu_process_set_current_memory(VmmQemuProcess *proc, uint64_t kib);
