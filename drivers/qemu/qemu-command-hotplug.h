/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-hotplug.h: the QEMU objects of ONE device hot-plugged into
 * a running domain, built by the command-line builder's own code (the
 * same node names, ids and options as at start), then turned into the
 * arguments of the QMP commands that create the same objects.
 *
 * A disk gives "-blockdev" (storage node "vmm-<target>-storage"),
 * "-blockdev" (format node "vmm-<target>-format") and "-device" (id
 * <target>); an interface gives "-netdev" and "-device", whose ids the
 * caller chooses (a hot-plugged NIC cannot take the builder's positional
 * "hostnetN"/"netN", which may be in use).
 */
#pragma once

#include <json-c/json.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "qemu-command.h"

/* The option pairs ("-blockdev", "driver=file,..." ...) of `dev` (a
 * VmmDomainDisk or VmmDomainNet) in the domain `def` (its machine type
 * decides the PCI root), as a NULL-terminated heap argv. `tap`: the host
 * side prepared for a tap-backed interface (its fd numbers appear in the
 * -netdev options as fd=/fds=/vhostfd=; the caller hands the fds to QEMU
 * under names, see getfd), else NULL. Unsupported options fail as at
 * start, naming the device. */
int vmm_qemu_command_device_args(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                                 const VmmQemuTap *tap, char ***ret_argv, VmmError *error);

/*
 * One option list as the builder writes it ("driver=file,filename=/a,,b,
 * read-only=on") as QMP arguments: a leading value without '=' gets the
 * key `first_key` ("driver" for device_add, NULL when there is none),
 * ",," is a comma, dotted keys ("cache.direct") become nested objects, and
 * the properties QEMU types strictly over QMP get JSON booleans and
 * integers. -EINVAL naming the option when the list is malformed.
 */
int vmm_qemu_opts_to_qmp(const char *opts, const char *first_key, json_object **ret_args,
                         VmmError *error);
