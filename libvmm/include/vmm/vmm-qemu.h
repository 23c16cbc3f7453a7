/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-qemu.h: QEMU-specific calls for experts, kept apart from the stable
 * API (as libvirt keeps libvirt-qemu.h apart from libvirt.h). They are
 * unsupported: what they do to a guest behind the driver's back is the
 * caller's problem, and the daemon logs a warning naming the domain at
 * every use. Include it explicitly; <vmm/vmm.h> does not.
 */
#pragma once

#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Sends one raw QMP command, a JSON object such as
 * {"execute": "query-status"} or {"execute": "...", "arguments": {...}},
 * to the monitor of a running domain. *ret_reply (heap, for the caller to
 * free()) is QEMU's answer as JSON text: {"return": ...} on success, or
 * {"error": {"class": ..., "desc": ...}} when QEMU refused the command
 * (still a successful call). `flags` must be 0.
 * Errors: -EINVAL when `command` is not a JSON object with a string
 * "execute"; -EBUSY (kind VMM_ERR_OPERATION_INVALID) when the domain does
 * not run; -ETIMEDOUT when QEMU does not answer; -ENOTSUP on drivers
 * without QEMU.
 */
VMM_EXPORT int vmm_domain_qemu_monitor_command(VmmDomain *dom, const char *command,
                                               char **ret_reply, unsigned int flags,
                                               VmmError *error);

#ifdef __cplusplus
}
#endif
