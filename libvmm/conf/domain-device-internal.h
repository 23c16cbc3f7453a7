/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-device-internal.h: the device container's layout, shared by
 * domain-device.c and domain-device-validate.c. */
#pragma once

#include "domain-devfield.h"
#include "domain-device.h"

struct VmmDomainDevices {
        void **items[_VMM_DOMAIN_DEVICE_MAX];
        size_t n[_VMM_DOMAIN_DEVICE_MAX];
        VmmXmlUnknown unknown; /* unknown device elements, kept with KEEP_UNKNOWN */
};

typedef struct VmmDeviceKindInfo {
        /* checks of one device alone; NULL when none */
        int (*check)(const void *dev, VmmError *error);
        /* the name in messages ("vda", a MAC, "pci 0"); NULL: its position */
        const char *(*label)(const void *dev, char *buf, size_t size);
} VmmDeviceKindInfo;

extern const VmmDeviceKindInfo vmm_device_kinds[_VMM_DOMAIN_DEVICE_MAX];

/* "disk 'vda'" or "video #2", for messages. */
char *vmm_domain_device_name(VmmDomainDeviceKind kind, const void *dev, size_t index, char *buf,
                             size_t size);
