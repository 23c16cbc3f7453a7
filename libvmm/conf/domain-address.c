/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain-address.h"
#include "util/enumtable.h"

const char *const vmm_dev_yesno_table[3] = {NULL, "yes", "no"};
const char *const vmm_dev_onoff_table[3] = {NULL, "on", "off"};

static const char *const address_type_table[_VMM_DEV_ADDRESS_MAX] = {
    [VMM_DEV_ADDRESS_PCI] = "pci",
    [VMM_DEV_ADDRESS_DRIVE] = "drive",
    [VMM_DEV_ADDRESS_VIRTIO_SERIAL] = "virtio-serial",
    [VMM_DEV_ADDRESS_CCID] = "ccid",
    [VMM_DEV_ADDRESS_USB] = "usb",
    [VMM_DEV_ADDRESS_SPAPR_VIO] = "spapr-vio",
    [VMM_DEV_ADDRESS_VIRTIO_S390] = "virtio-s390",
    [VMM_DEV_ADDRESS_CCW] = "ccw",
    [VMM_DEV_ADDRESS_VIRTIO_MMIO] = "virtio-mmio",
    [VMM_DEV_ADDRESS_ISA] = "isa",
    [VMM_DEV_ADDRESS_DIMM] = "dimm",
    [VMM_DEV_ADDRESS_UNASSIGNED] = "unassigned",
};

/* Each variant's type= table holds only its own name, at its own index,
 * so the schema of the variant accepts only that type. */
static const char *const t_pci[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_PCI] = "pci"};
static const char *const t_drive[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_DRIVE] = "drive"};
static const char *const t_vser[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_VIRTIO_SERIAL] =
                                                             "virtio-serial"};
static const char *const t_ccid[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_CCID] = "ccid"};
static const char *const t_usb[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_USB] = "usb"};
static const char *const t_spapr[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_SPAPR_VIO] =
                                                              "spapr-vio"};
static const char *const t_ccw[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_CCW] = "ccw"};
static const char *const t_isa[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_ISA] = "isa"};
static const char *const t_dimm[_VMM_DEV_ADDRESS_MAX] = {[VMM_DEV_ADDRESS_DIMM] = "dimm"};

#define A VmmDevAddress
#define DESC(id, tbl_fields)                                                                       \
        {                                                                                          \
                .name = "address", .rng_id = "dev-address-" id, .size = sizeof(A),                 \
                .fields = tbl_fields, .n_fields = ARRAY_SIZE(tbl_fields),                          \
                .extra_offset = offsetof(A, extra)                                                 \
        }

static const VmmDevField zpci_fields[] = {
    VMM_DEVF_X(NULL, "uid", VmmDevZpci, uid, 4),
    VMM_DEVF_X(NULL, "fid", VmmDevZpci, fid, 8),
};
static const VmmDevDesc zpci_desc = {
    .name = "zpci",
    .rng_id = "dev-zpci",
    .size = sizeof(VmmDevZpci),
    .fields = zpci_fields,
    .n_fields = ARRAY_SIZE(zpci_fields),
    .extra_offset = offsetof(VmmDevZpci, extra),
};

static const VmmDevField pci_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_pci),
    VMM_DEVF_XM(NULL, "domain", A, domain, 4, 0xffff, "(0x[0-9a-fA-F]{1,4}|[0-9]{1,5})"),
    VMM_DEVF_XM(NULL, "bus", A, bus, 2, 0xff, "(0x[0-9a-fA-F]{1,2}|[0-9]{1,3})"),
    VMM_DEVF_XM(NULL, "slot", A, slot, 2, 0x1f, "(0x[01]?[0-9a-fA-F]|[0-9]{1,2})"),
    VMM_DEVF_XM(NULL, "function", A, function, 1, 7, "(0x)?[0-7]"),
    VMM_DEVF_E(NULL, "multifunction", A, multifunction, vmm_dev_onoff_table),
    VMM_DEVF_S(NULL, "zpci", A, zpci, &zpci_desc),
};
static const VmmDevField drive_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_drive),
    VMM_DEVF(NULL, "controller", VMM_DEVF_UINT, A, controller),
    VMM_DEVF(NULL, "bus", VMM_DEVF_UINT, A, bus),
    VMM_DEVF(NULL, "target", VMM_DEVF_UINT, A, target),
    VMM_DEVF(NULL, "unit", VMM_DEVF_UINT, A, unit),
};
static const VmmDevField vser_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_vser),
    VMM_DEVF(NULL, "controller", VMM_DEVF_UINT, A, controller),
    VMM_DEVF(NULL, "bus", VMM_DEVF_UINT, A, bus),
    VMM_DEVF(NULL, "port", VMM_DEVF_UINT, A, port),
};
static const VmmDevField ccid_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_ccid),
    VMM_DEVF(NULL, "controller", VMM_DEVF_UINT, A, controller),
    VMM_DEVF(NULL, "slot", VMM_DEVF_UINT, A, slot),
};
static const VmmDevField usb_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_usb),
    VMM_DEVF(NULL, "bus", VMM_DEVF_UINT, A, bus),
    {.name = "port",
     .kind = VMM_DEVF_STR,
     .offset = offsetof(A, usb_port),
     .pattern = "([0-9]{1,3}\\.){0,3}[0-9]{1,3}",
     .expect = "a port path of up to 4 levels, e.g. \"1.2\""},
};
static const VmmDevField spapr_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_spapr),
    VMM_DEVF_XM(NULL, "reg", A, reg, 8, 0xffffffff, "(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})"),
};
static const VmmDevField ccw_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_ccw),
    VMM_DEVF_X(NULL, "cssid", A, cssid, 0),
    VMM_DEVF_X(NULL, "ssid", A, ssid, 0),
    VMM_DEVF_X(NULL, "devno", A, devno, 4),
};
static const VmmDevField isa_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_isa),
    VMM_DEVF_X(NULL, "iobase", A, iobase, 0),
    VMM_DEVF_X(NULL, "irq", A, irq, 0),
};
static const VmmDevField dimm_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, t_dimm),
    VMM_DEVF(NULL, "slot", VMM_DEVF_UINT, A, slot),
    VMM_DEVF_X(NULL, "base", A, base, 0),
};
static const VmmDevField other_fields[] = {
    VMM_DEVF_E(NULL, "type", A, type, address_type_table),
};

static const VmmDevDesc pci_desc = DESC("pci", pci_fields);
static const VmmDevDesc drive_desc = DESC("drive", drive_fields);
static const VmmDevDesc vser_desc = DESC("virtio-serial", vser_fields);
static const VmmDevDesc ccid_desc = DESC("ccid", ccid_fields);
static const VmmDevDesc usb_desc = DESC("usb", usb_fields);
static const VmmDevDesc spapr_desc = DESC("spapr-vio", spapr_fields);
static const VmmDevDesc ccw_desc = DESC("ccw", ccw_fields);
static const VmmDevDesc isa_desc = DESC("isa", isa_fields);
static const VmmDevDesc dimm_desc = DESC("dimm", dimm_fields);

static const VmmDevDesc *const address_variants[_VMM_DEV_ADDRESS_MAX] = {
    [VMM_DEV_ADDRESS_PCI] = &pci_desc,
    [VMM_DEV_ADDRESS_DRIVE] = &drive_desc,
    [VMM_DEV_ADDRESS_VIRTIO_SERIAL] = &vser_desc,
    [VMM_DEV_ADDRESS_CCID] = &ccid_desc,
    [VMM_DEV_ADDRESS_USB] = &usb_desc,
    [VMM_DEV_ADDRESS_SPAPR_VIO] = &spapr_desc,
    [VMM_DEV_ADDRESS_CCW] = &ccw_desc,
    [VMM_DEV_ADDRESS_ISA] = &isa_desc,
    [VMM_DEV_ADDRESS_DIMM] = &dimm_desc,
};

const VmmDevDesc vmm_dev_address_desc = {
    .name = "address",
    .rng_id = "dev-address",
    .size = sizeof(A),
    .fields = other_fields,
    .n_fields = ARRAY_SIZE(other_fields),
    .extra_offset = offsetof(A, extra),
    .variants = address_variants,
    .n_variants = _VMM_DEV_ADDRESS_MAX,
};

#define H VmmHostdevAddress
static const VmmDevField haddr_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, H, type),
    VMM_DEVF_X(NULL, "domain", H, domain, 4),
    VMM_DEVF_X(NULL, "bus", H, bus, 2),
    VMM_DEVF_X(NULL, "slot", H, slot, 2),
    VMM_DEVF_X(NULL, "function", H, function, 1),
    VMM_DEVF(NULL, "device", VMM_DEVF_UINT, H, device),
    VMM_DEVF(NULL, "target", VMM_DEVF_UINT, H, target),
    VMM_DEVF(NULL, "unit", VMM_DEVF_UINT, H, unit),
    VMM_DEVF(NULL, "uuid", VMM_DEVF_STR, H, uuid),
};
#undef H
const VmmDevDesc vmm_dev_host_address_desc =
    VMM_DEV_DESC(VmmHostdevAddress, "address", "dev-host-address", haddr_fields);

/* v in hex of `width` digits, or decimal when width is 0; an absent
 * number reads as 0, as the hypervisor would take it */
static void num(char *buf, size_t size, int width, int64_t v)
{
        if (v == VMM_DEV_UNSET)
                v = 0;
        if (width)
                snprintf(buf, size, "%0*" PRIx64, width, (uint64_t)v);
        else
                snprintf(buf, size, "%" PRId64, v);
}

char *vmm_dev_address_string(const VmmDevAddress *a, char *buf, size_t size)
{
        char n[4][24];
        const char *type = vmm_enum_to_string(address_type_table, _VMM_DEV_ADDRESS_MAX, a->type);

        switch (a->type) {
        case VMM_DEV_ADDRESS_PCI:
                num(n[0], sizeof(n[0]), 4, a->domain);
                num(n[1], sizeof(n[1]), 2, a->bus);
                num(n[2], sizeof(n[2]), 2, a->slot);
                num(n[3], sizeof(n[3]), 1, a->function);
                snprintf(buf, size, "pci %s:%s:%s.%s", n[0], n[1], n[2], n[3]);
                break;
        case VMM_DEV_ADDRESS_DRIVE:
                num(n[0], sizeof(n[0]), 0, a->controller);
                num(n[1], sizeof(n[1]), 0, a->bus);
                num(n[2], sizeof(n[2]), 0, a->target);
                num(n[3], sizeof(n[3]), 0, a->unit);
                snprintf(buf, size, "drive %s:%s:%s:%s", n[0], n[1], n[2], n[3]);
                break;
        case VMM_DEV_ADDRESS_VIRTIO_SERIAL:
                num(n[0], sizeof(n[0]), 0, a->controller);
                num(n[1], sizeof(n[1]), 0, a->bus);
                num(n[2], sizeof(n[2]), 0, a->port);
                snprintf(buf, size, "virtio-serial %s:%s:%s", n[0], n[1], n[2]);
                break;
        case VMM_DEV_ADDRESS_CCW:
                num(n[0], sizeof(n[0]), 1, a->cssid);
                num(n[1], sizeof(n[1]), 1, a->ssid);
                num(n[2], sizeof(n[2]), 4, a->devno);
                snprintf(buf, size, "ccw %s.%s.%s", n[0], n[1], n[2]);
                break;
        default:
                snprintf(buf, size, "%s", type ? type : "none");
                break;
        }
        return buf;
}

/* Missing numbers count as 0, as the hypervisor would read them. */
static int64_t z(int64_t v)
{
        return v == VMM_DEV_UNSET ? 0 : v;
}

bool vmm_dev_address_same(const VmmDevAddress *a, const VmmDevAddress *b)
{
        if (!a || !b || a->type != b->type)
                return false;
        switch (a->type) {
        case VMM_DEV_ADDRESS_PCI:
                return z(a->domain) == z(b->domain) && z(a->bus) == z(b->bus) &&
                       a->slot != VMM_DEV_UNSET && a->slot == b->slot &&
                       z(a->function) == z(b->function);
        case VMM_DEV_ADDRESS_DRIVE:
                return z(a->controller) == z(b->controller) && z(a->bus) == z(b->bus) &&
                       z(a->target) == z(b->target) && z(a->unit) == z(b->unit);
        case VMM_DEV_ADDRESS_VIRTIO_SERIAL:
                return z(a->controller) == z(b->controller) && z(a->bus) == z(b->bus) &&
                       a->port != VMM_DEV_UNSET && a->port == b->port;
        case VMM_DEV_ADDRESS_CCW:
                return z(a->cssid) == z(b->cssid) && z(a->ssid) == z(b->ssid) &&
                       a->devno != VMM_DEV_UNSET && a->devno == b->devno;
        default:
                return false;
        }
}
