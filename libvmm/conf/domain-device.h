/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-device.h: the <devices> section of a domain, as one unit that
 * domain.c parses, formats, compares, copies and fills. Each device kind
 * lives in a file of its own (domain-disk.c, domain-net.c, domain-chr.c,
 * domain-graphics.c, domain-controller.c, ...).
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <vmm/vmm-common.h>

typedef struct VmmDomainDevices VmmDomainDevices;

/* Parses a <devices> element. `flags`: VmmXmlFlags. */
int vmm_domain_devices_parse(xmlNodePtr devices, unsigned int flags,
                             VmmDomainDevices **ret_devices, VmmError *error);
/* An empty device list (for domains without <devices>). */
VmmDomainDevices *vmm_domain_devices_new(void);
/* Appends a <devices> element to `parent` (only when it has content or
 * always_emit is true). */
int vmm_domain_devices_format(const VmmDomainDevices *devices, xmlNodePtr parent,
                              unsigned int flags, VmmError *error);
int vmm_domain_devices_fill_defaults(VmmDomainDevices *devices, VmmError *error);
int vmm_domain_devices_validate(const VmmDomainDevices *devices, VmmError *error);
int vmm_domain_devices_copy(const VmmDomainDevices *src, VmmDomainDevices **ret_copy,
                            VmmError *error);
/* On difference, *ret_diff (when not NULL) names the first difference
 * ("disk 'vda': cache: none != writeback"). */
bool vmm_domain_devices_equal(const VmmDomainDevices *a, const VmmDomainDevices *b,
                              char **ret_diff);
VmmDomainDevices *vmm_domain_devices_free(VmmDomainDevices *devices);

/* Counts, for drivers and vmmctl (domblklist, domiflist come later). */
size_t vmm_domain_devices_count_disks(const VmmDomainDevices *devices);
size_t vmm_domain_devices_count_interfaces(const VmmDomainDevices *devices);
