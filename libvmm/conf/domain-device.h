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

/* The device kinds, in the order they are formatted (libvirt's order).
 * The structs are in domain-disk.h, domain-net.h, domain-chr.h,
 * domain-graphics.h, domain-video.h, domain-input.h, domain-controller.h,
 * domain-misc-dev.h and domain-hostdev.h. */
typedef enum VmmDomainDeviceKind {
        VMM_DOMAIN_DEVICE_EMULATOR,    /* VmmDomainEmulator */
        VMM_DOMAIN_DEVICE_DISK,        /* VmmDomainDisk */
        VMM_DOMAIN_DEVICE_CONTROLLER,  /* VmmDomainController */
        VMM_DOMAIN_DEVICE_LEASE,       /* VmmDomainLease */
        VMM_DOMAIN_DEVICE_FILESYSTEM,  /* VmmDomainFilesystem */
        VMM_DOMAIN_DEVICE_INTERFACE,   /* VmmDomainNet */
        VMM_DOMAIN_DEVICE_SMARTCARD,   /* VmmDomainSmartcard */
        VMM_DOMAIN_DEVICE_SERIAL,      /* VmmDomainChr */
        VMM_DOMAIN_DEVICE_PARALLEL,    /* VmmDomainChr */
        VMM_DOMAIN_DEVICE_CONSOLE,     /* VmmDomainChr */
        VMM_DOMAIN_DEVICE_CHANNEL,     /* VmmDomainChr */
        VMM_DOMAIN_DEVICE_INPUT,       /* VmmDomainInput */
        VMM_DOMAIN_DEVICE_TPM,         /* VmmDomainTpm */
        VMM_DOMAIN_DEVICE_GRAPHICS,    /* VmmDomainGraphics */
        VMM_DOMAIN_DEVICE_SOUND,       /* VmmDomainSound */
        VMM_DOMAIN_DEVICE_AUDIO,       /* VmmDomainAudio */
        VMM_DOMAIN_DEVICE_VIDEO,       /* VmmDomainVideo */
        VMM_DOMAIN_DEVICE_HOSTDEV,     /* VmmDomainHostdev */
        VMM_DOMAIN_DEVICE_REDIRDEV,    /* VmmDomainRedirdev */
        VMM_DOMAIN_DEVICE_REDIRFILTER, /* VmmDomainRedirfilter */
        VMM_DOMAIN_DEVICE_HUB,         /* VmmDomainSimpleDev */
        VMM_DOMAIN_DEVICE_WATCHDOG,    /* VmmDomainWatchdog */
        VMM_DOMAIN_DEVICE_MEMBALLOON,  /* VmmDomainMemballoon */
        VMM_DOMAIN_DEVICE_RNG,         /* VmmDomainRng */
        VMM_DOMAIN_DEVICE_NVRAM,       /* VmmDomainSimpleDev */
        VMM_DOMAIN_DEVICE_PANIC,       /* VmmDomainSimpleDev */
        VMM_DOMAIN_DEVICE_SHMEM,       /* VmmDomainShmem */
        VMM_DOMAIN_DEVICE_MEMORY,      /* VmmDomainMemory */
        VMM_DOMAIN_DEVICE_IOMMU,       /* VmmDomainIommu */
        VMM_DOMAIN_DEVICE_VSOCK,       /* VmmDomainVsock */
        VMM_DOMAIN_DEVICE_CRYPTO,      /* VmmDomainCrypto */
        VMM_DOMAIN_DEVICE_PSTORE,      /* VmmDomainPstore */
        _VMM_DOMAIN_DEVICE_MAX
} VmmDomainDeviceKind;

/* Format flag: write secrets (graphics passwd). Same bit as the domain's. */
#define VMM_DOMAIN_DEVICES_FORMAT_SECURE (1u << 9)

/* Parses a <devices> element. `flags`: VmmXmlFlags. */
int vmm_domain_devices_parse(xmlNodePtr devices, unsigned int flags, VmmDomainDevices **ret_devices,
                             VmmError *error);
/* An empty device list (for domains without <devices>). */
VmmDomainDevices *vmm_domain_devices_new(void);
/* Appends a <devices> element to `parent`, only when there is a device (or
 * kept unknown content) to write. `flags`: VMM_DOMAIN_DEVICES_FORMAT_SECURE
 * to include secrets. */
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

/* The devices of one kind in document order (cast to the kind's struct);
 * *ret_n gets their number. */
void *const *vmm_domain_devices_get(const VmmDomainDevices *devices, VmmDomainDeviceKind kind,
                                    size_t *ret_n);
/* The element name of a kind ("disk", "interface", ...). */
const char *vmm_domain_device_kind_to_string(VmmDomainDeviceKind kind);
/* Takes ownership of `dev` (a struct of the kind) and appends it; for
 * drivers and tests building definitions in code. */
int vmm_domain_devices_add(VmmDomainDevices *devices, VmmDomainDeviceKind kind, void *dev,
                           VmmError *error);
/* Writes the RelaxNG grammar of <devices> (schemas/domain-devices.rng)
 * into a heap string. */
char *vmm_domain_devices_schema(void);

#include "util/cleanup.h"
DEFINE_CLEANUP(VmmDomainDevices, vmm_domain_devices_free)
