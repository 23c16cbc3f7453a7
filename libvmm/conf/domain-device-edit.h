/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-device-edit.h: one device element on its own, for attach-device
 * and detach-device. It is parsed with the checks a full domain gets
 * (unknown content is an error naming the line), matched against a
 * definition as libvirt matches it (a disk by <target dev>, an interface
 * by MAC, else by alias or <target dev>), and added to or removed from a
 * COPY of a definition, which is validated whole: the original is never
 * half changed.
 */
#pragma once

#include <stddef.h>

#include "domain-device.h"
#include "domain.h"

/* Parses `xml`, whose root must be one device element (<disk>,
 * <interface>, ...), into a device list that holds it alone; *ret_kind
 * is its kind. No defaults are filled (see vmm_domain_devices_fill_defaults()
 * for an attach: it gives an interface its MAC). */
int vmm_domain_device_parse_xml(const char *xml, VmmDomainDevices **ret_one,
                                VmmDomainDeviceKind *ret_kind, VmmError *error);

/* The only device of a list made by vmm_domain_device_parse_xml(). */
void *vmm_domain_device_first(const VmmDomainDevices *one, VmmDomainDeviceKind kind);

/* 0 for the kinds attach/detach support (disk, interface), else -ENOTSUP
 * (kind NO_SUPPORT) naming the kind; `op` is "attach" or "detach". */
int vmm_domain_device_check_hotplug_kind(VmmDomainDeviceKind kind, const char *op, VmmError *error);

/* The index (among the devices of `kind` in `def`) of the device that
 * `dev` designates. -ENOENT (kind INVALID_ARG) naming the device when
 * there is none, -EINVAL when several interfaces match. */
int vmm_domain_device_find(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                           size_t *ret_index, VmmError *error);

/* A copy of `def` with a copy of `dev` appended, defaults filled and the
 * whole definition validated. A disk whose target is already used, or an
 * interface whose MAC is, is refused (-EEXIST) naming the conflict. */
int vmm_domain_def_with_device(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                               VmmDomainDef **ret_def, VmmError *error);

/* A copy of `def` without the `index`th device of `kind`. */
int vmm_domain_def_without_device(const VmmDomainDef *def, VmmDomainDeviceKind kind, size_t index,
                                  VmmDomainDef **ret_def, VmmError *error);

/* "disk 'vdb'", "interface '52:54:00:..'" for messages (into `buf`). */
const char *vmm_domain_device_describe(VmmDomainDeviceKind kind, const void *dev, char *buf,
                                       size_t size);
