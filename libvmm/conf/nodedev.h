/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nodedev.h: the node device model (libvirt's <device> format): a host
 * device with its name, sysfs path, device nodes, parent, driver and a
 * list of capabilities (system, pci, usb_device, usb, net, scsi_host,
 * scsi_target, scsi, storage, scsi_generic, drm, mdev, ccw, css, vdpa,
 * ap_card, ap_queue, ap_matrix).
 *
 * nodedev.c holds the top level, nodedev-pci.c the PCI capability (with
 * SR-IOV, mdev types, VPD, PCIe links), nodedev-host.c system, USB, net,
 * SCSI and storage, nodedev-caps.c the other kinds and the dispatch by
 * type, nodedev-validate.c the semantic checks.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/xml-util.h"
#include "util/cleanup.h"
#include "util/uuid.h"

typedef enum VmmNodedevCapType {
        VMM_NODEDEV_CAP_SYSTEM,
        VMM_NODEDEV_CAP_PCI,
        VMM_NODEDEV_CAP_USB_DEVICE,
        VMM_NODEDEV_CAP_USB,
        VMM_NODEDEV_CAP_NET,
        VMM_NODEDEV_CAP_SCSI_HOST,
        VMM_NODEDEV_CAP_SCSI_TARGET,
        VMM_NODEDEV_CAP_SCSI,
        VMM_NODEDEV_CAP_STORAGE,
        VMM_NODEDEV_CAP_SCSI_GENERIC,
        VMM_NODEDEV_CAP_DRM,
        VMM_NODEDEV_CAP_MDEV,
        VMM_NODEDEV_CAP_CCW,
        VMM_NODEDEV_CAP_CSS,
        VMM_NODEDEV_CAP_VDPA,
        VMM_NODEDEV_CAP_AP_CARD,
        VMM_NODEDEV_CAP_AP_QUEUE,
        VMM_NODEDEV_CAP_AP_MATRIX,
        _VMM_NODEDEV_CAP_MAX
} VmmNodedevCapType;

typedef struct VmmNodedevPciAddr {
        unsigned int domain, bus, slot, function;
} VmmNodedevPciAddr;

typedef struct VmmNodedevMdevType {
        char *id;
        char *name;
        char *device_api; /* vfio-pci, vfio-ccw, vfio-ap */
        unsigned int available_instances;
} VmmNodedevMdevType;

typedef struct VmmNodedevMdevTypes {
        bool present;
        VmmNodedevMdevType *types;
        size_t n_types;
} VmmNodedevMdevTypes;

typedef struct VmmNodedevVpdField {
        char index; /* '0'-'9', 'A'-'Z' */
        char *value;
} VmmNodedevVpdField;

typedef struct VmmNodedevVpd {
        char *name;
        bool has_ro;
        char *change_level, *manufacture_id, *part_number, *serial_number;
        VmmNodedevVpdField *ro_vendor;
        size_t n_ro_vendor;
        bool has_rw;
        char *asset_tag;
        VmmNodedevVpdField *rw_vendor;
        size_t n_rw_vendor;
        VmmNodedevVpdField *rw_system;
        size_t n_rw_system;
} VmmNodedevVpd;

typedef struct VmmNodedevPciLink {
        bool is_sta; /* validity: cap or sta */
        int port;    /* -1 when not given */
        char *speed; /* "2.5", "16"; NULL when not given */
        unsigned int width;
} VmmNodedevPciLink;

typedef enum VmmNodedevPciBridge {
        VMM_NODEDEV_PCI_BRIDGE_NONE,
        VMM_NODEDEV_PCI_BRIDGE_PCI,
        VMM_NODEDEV_PCI_BRIDGE_CARDBUS,
        _VMM_NODEDEV_PCI_BRIDGE_MAX
} VmmNodedevPciBridge;

typedef struct VmmNodedevPci {
        bool has_class;
        unsigned int klass; /* 24 bits */
        unsigned int domain, bus, slot, function;
        unsigned int product_id, vendor_id;
        char *product, *vendor; /* NULL when the element is empty */
        bool has_phys_function;
        bool has_phys_function_addr;
        VmmNodedevPciAddr phys_function;
        bool has_virt_functions;
        int virt_max_count; /* -1 when not given */
        VmmNodedevPciAddr *virt_functions;
        size_t n_virt_functions;
        VmmNodedevPciBridge bridge;
        VmmNodedevMdevTypes mdev_types;
        VmmNodedevVpd *vpd;
        bool has_iommu_group;
        unsigned int iommu_group;
        VmmNodedevPciAddr *iommu_addrs;
        size_t n_iommu_addrs;
        bool has_numa;
        bool has_numa_node;
        int numa_node;
        bool has_pci_express;
        VmmNodedevPciLink *links;
        size_t n_links;
} VmmNodedevPci;

typedef struct VmmNodedevSystem {
        char *product;
        char *hw_vendor, *hw_version, *hw_serial;
        uint8_t hw_uuid[VMM_UUID_LEN];
        char *fw_vendor, *fw_version, *fw_release_date;
} VmmNodedevSystem;

typedef struct VmmNodedevUsbDevice {
        uint64_t bus, device;
        unsigned int product_id, vendor_id;
        char *product, *vendor;
} VmmNodedevUsbDevice;

typedef struct VmmNodedevUsb {
        uint64_t number, klass, subclass, protocol;
        char *description;
} VmmNodedevUsb;

typedef enum VmmNodedevNetSubcap {
        VMM_NODEDEV_NET_SUBCAP_NONE,
        VMM_NODEDEV_NET_SUBCAP_80203,
        VMM_NODEDEV_NET_SUBCAP_80211,
        _VMM_NODEDEV_NET_SUBCAP_MAX
} VmmNodedevNetSubcap;

typedef struct VmmNodedevNet {
        char *interface;
        char *address; /* MAC, lower case */
        bool has_link;
        unsigned int link_speed; /* Mb/s, 0 = not given */
        char *link_state;        /* up, down, ...; NULL when not given */
        char **features;
        size_t n_features;
        VmmNodedevNetSubcap subcap;
} VmmNodedevNet;

typedef struct VmmNodedevScsiHost {
        uint64_t host;
        bool has_unique_id;
        unsigned int unique_id;
        bool has_fc_host;
        char *wwnn, *wwpn, *fabric_wwn;
        bool has_vport_ops;
        unsigned int max_vports, vports;
} VmmNodedevScsiHost;

typedef struct VmmNodedevScsiTarget {
        char *target;
        bool has_fc_rport;
        char *rport, *wwpn;
} VmmNodedevScsiTarget;

typedef struct VmmNodedevScsi {
        uint64_t host, bus, target, lun;
        char *type;
} VmmNodedevScsi;

typedef struct VmmNodedevStorage {
        char *block;
        char *bus, *drive_type, *model, *vendor, *serial;
        bool removable;
        int media_available; /* removable: 0/1 */
        uint64_t media_size; /* removable */
        char *media_label;   /* removable */
        uint64_t size;       /* fixed */
        bool has_block_data;
        uint64_t logical_block_size, num_blocks;
        bool hotpluggable;
} VmmNodedevStorage;

typedef struct VmmNodedevMdevAttr {
        char *name, *value;
} VmmNodedevMdevAttr;

typedef struct VmmNodedevMdev {
        char *type;
        bool has_iommu_group;
        unsigned int iommu_group;
        bool has_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        char *parent_addr;
        VmmNodedevMdevAttr *attrs;
        size_t n_attrs;
} VmmNodedevMdev;

typedef struct VmmNodedevCcwAddr {
        unsigned int cssid, ssid, devno;
} VmmNodedevCcwAddr;

typedef struct VmmNodedevCss {
        VmmNodedevCcwAddr addr;
        bool has_channel_dev_addr;
        VmmNodedevCcwAddr channel_dev_addr;
        VmmNodedevMdevTypes mdev_types;
} VmmNodedevCss;

typedef struct VmmNodedevAp {
        unsigned int adapter;
        unsigned int domain;            /* ap_queue only */
        VmmNodedevMdevTypes mdev_types; /* ap_matrix only */
} VmmNodedevAp;

typedef struct VmmNodedevCap {
        VmmNodedevCapType type;
        union {
                VmmNodedevSystem system;
                VmmNodedevPci pci;
                VmmNodedevUsbDevice usb_device;
                VmmNodedevUsb usb;
                VmmNodedevNet net;
                VmmNodedevScsiHost scsi_host;
                VmmNodedevScsiTarget scsi_target;
                VmmNodedevScsi scsi;
                VmmNodedevStorage storage;
                char *scsi_generic_char;
                int drm_type; /* 0 primary, 1 control, 2 render */
                VmmNodedevMdev mdev;
                VmmNodedevCcwAddr ccw;
                VmmNodedevCss css;
                char *vdpa_chardev;
                VmmNodedevAp ap; /* ap_card, ap_queue, ap_matrix */
        };
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmNodedevCap;

typedef enum VmmNodedevDevnodeType {
        VMM_NODEDEV_DEVNODE_DEV,
        VMM_NODEDEV_DEVNODE_LINK,
        _VMM_NODEDEV_DEVNODE_MAX
} VmmNodedevDevnodeType;

typedef struct VmmNodedevDevnode {
        VmmNodedevDevnodeType type;
        char *path;
} VmmNodedevDevnode;

typedef struct VmmNodedevDef {
        char *name;
        char *path;
        VmmNodedevDevnode *devnodes;
        size_t n_devnodes;
        char *parent; /* parent device name (text of <parent>) */
        char *parent_wwnn, *parent_wwpn, *parent_fabric_wwn; /* vHBA parents */
        char *driver;
        VmmNodedevCap *caps;
        size_t n_caps;
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmNodedevDef;

/* `flags`: VmmXmlFlags. `len` may be (size_t)-1 for a NUL-terminated string. */
int vmm_nodedev_def_parse(const char *xml, size_t len, unsigned int flags, VmmNodedevDef **ret_def,
                          VmmError *error);
int vmm_nodedev_def_parse_node(xmlNodePtr root, unsigned int flags, VmmNodedevDef **ret_def,
                               VmmError *error);
int vmm_nodedev_def_format(const VmmNodedevDef *def, unsigned int flags, char **ret_xml,
                           VmmError *error);
/* Semantic checks: ranges (CCW devno up to 0xffff, AP domain), a vHBA
 * parent with both WWNs, a storage capability with its block device... */
int vmm_nodedev_def_validate(const VmmNodedevDef *def, VmmError *error);
bool vmm_nodedev_def_equal(const VmmNodedevDef *a, const VmmNodedevDef *b, char **ret_diff);
VmmNodedevDef *vmm_nodedev_def_free(VmmNodedevDef *def);
DEFINE_CLEANUP(VmmNodedevDef, vmm_nodedev_def_free)

/* The first capability of `type`, or NULL. */
const VmmNodedevCap *vmm_nodedev_def_find_cap(const VmmNodedevDef *def, VmmNodedevCapType type);

const char *vmm_nodedev_cap_type_to_string(VmmNodedevCapType v);
int vmm_nodedev_cap_type_from_string(const char *s);
