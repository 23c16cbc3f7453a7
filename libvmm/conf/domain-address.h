/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-address.h: what every device may carry: <address> (pci, drive,
 * usb, virtio-serial, ccid, ccw, isa, spapr-vio, dimm, virtio-mmio, ...),
 * <alias name>, <boot order> and <acpi index>; and the yes/no and on/off
 * tables the device files share.
 */
#pragma once

#include "domain-devfield.h"

typedef enum VmmDevAddressType {
        VMM_DEV_ADDRESS_NONE = 0,
        VMM_DEV_ADDRESS_PCI,
        VMM_DEV_ADDRESS_DRIVE,
        VMM_DEV_ADDRESS_VIRTIO_SERIAL,
        VMM_DEV_ADDRESS_CCID,
        VMM_DEV_ADDRESS_USB,
        VMM_DEV_ADDRESS_SPAPR_VIO,
        VMM_DEV_ADDRESS_VIRTIO_S390,
        VMM_DEV_ADDRESS_CCW,
        VMM_DEV_ADDRESS_VIRTIO_MMIO,
        VMM_DEV_ADDRESS_ISA,
        VMM_DEV_ADDRESS_DIMM,
        VMM_DEV_ADDRESS_UNASSIGNED,
        _VMM_DEV_ADDRESS_MAX
} VmmDevAddressType;

/* yes/no and on/off as enums: 0 absent, 1 yes/on, 2 no/off. */
enum { VMM_DEV_YES = 1, VMM_DEV_NO = 2, VMM_DEV_ON = 1, VMM_DEV_OFF = 2 };
extern const char *const vmm_dev_yesno_table[3];
extern const char *const vmm_dev_onoff_table[3];

typedef struct VmmDevZpci {
        int64_t uid, fid;
        VmmDevExtra extra;
} VmmDevZpci;

/* One struct for every type; each type reads and writes its own fields
 * (pci: domain bus slot function multifunction; drive: controller bus
 * target unit; virtio-serial: controller bus port; ccid: controller slot;
 * usb: bus usb_port; spapr-vio: reg; ccw: cssid ssid devno; isa: iobase
 * irq; dimm: slot base). */
typedef struct VmmDevAddress {
        int type; /* VmmDevAddressType */
        int64_t domain, bus, slot, function;
        int multifunction; /* on/off */
        int64_t controller, target, unit, port;
        char *usb_port; /* "1" or "1.2.3" */
        int64_t reg, cssid, ssid, devno, iobase, irq, base;
        VmmDevZpci *zpci;
        VmmDevExtra extra;
} VmmDevAddress;

extern const VmmDevDesc vmm_dev_address_desc;

/* A host-side address (of a <hostdev> or nvme disk source): PCI (domain
 * bus slot function), USB (bus device), SCSI (bus target unit), mdev
 * (uuid); type= is optional. */
typedef struct VmmHostdevAddress {
        char *type;
        int64_t domain, bus, slot, function, device, target, unit;
        char *uuid;
        VmmDevExtra extra;
} VmmHostdevAddress;

extern const VmmDevDesc vmm_dev_host_address_desc;

/* Embedded in every device struct as `info`. */
typedef struct VmmDevInfo {
        char *alias;
        int64_t boot_order;
        char *boot_loadparm;
        int64_t acpi_index;
        VmmDevAddress *address;
} VmmDevInfo;

/* The field table entries of `info` for a device struct T. */
#define VMM_DEVINFO_FIELDS(T)                                                                      \
        VMM_DEVF_R("alias", "name", VMM_DEVF_STR, T, info.alias),                                  \
            VMM_DEVF_R("boot", "order", VMM_DEVF_UINT, T, info.boot_order),                        \
            {.elem = "boot",                                                                       \
             .name = "loadparm",                                                                   \
             .kind = VMM_DEVF_STR,                                                                 \
             .offset = offsetof(T, info.boot_loadparm),                                            \
             .pattern = "[a-zA-Z0-9. ]{1,8}",                                                      \
             .expect = "1 to 8 letters, digits, dots or blanks"},                                  \
            VMM_DEVF("acpi", "index", VMM_DEVF_UINT, T, info.acpi_index),                          \
            VMM_DEVF_S(NULL, "address", T, info.address, &vmm_dev_address_desc)

/* "pci 0000:00:03.0", "drive 0:0:0:1", ... for messages; returns buf. */
char *vmm_dev_address_string(const VmmDevAddress *a, char *buf, size_t size);
/* Whether two addresses name the same slot (same type and same numbers). */
bool vmm_dev_address_same(const VmmDevAddress *a, const VmmDevAddress *b);

/* The virtio options of a device's <driver> element. */
typedef struct VmmDevVirtio {
        int iommu, ats, packed, page_per_vq; /* on/off */
} VmmDevVirtio;

#define VMM_DEVVIRTIO_FIELDS(T)                                                                    \
        VMM_DEVF_E("driver", "iommu", T, virtio.iommu, vmm_dev_onoff_table),                       \
            VMM_DEVF_E("driver", "ats", T, virtio.ats, vmm_dev_onoff_table),                       \
            VMM_DEVF_E("driver", "packed", T, virtio.packed, vmm_dev_onoff_table),                 \
            VMM_DEVF_E("driver", "page_per_vq", T, virtio.page_per_vq, vmm_dev_onoff_table)

/* The usual table description of struct T (with a VmmDevExtra `extra`). */
#define VMM_DEV_DESC(T, elem, id, tbl)                                                             \
        {                                                                                          \
                .name = elem, .rng_id = id, .size = sizeof(T), .fields = tbl,                      \
                .n_fields = ARRAY_SIZE(tbl), .extra_offset = offsetof(T, extra)                    \
        }
