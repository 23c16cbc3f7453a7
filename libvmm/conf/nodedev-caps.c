/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nodedev-caps.c: the capability kinds other than PCI, and the dispatch
 * by type for all of them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "nodedev-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

static const char *const cap_type_table[_VMM_NODEDEV_CAP_MAX] = {
    [VMM_NODEDEV_CAP_SYSTEM] = "system",
    [VMM_NODEDEV_CAP_PCI] = "pci",
    [VMM_NODEDEV_CAP_USB_DEVICE] = "usb_device",
    [VMM_NODEDEV_CAP_USB] = "usb",
    [VMM_NODEDEV_CAP_NET] = "net",
    [VMM_NODEDEV_CAP_SCSI_HOST] = "scsi_host",
    [VMM_NODEDEV_CAP_SCSI_TARGET] = "scsi_target",
    [VMM_NODEDEV_CAP_SCSI] = "scsi",
    [VMM_NODEDEV_CAP_STORAGE] = "storage",
    [VMM_NODEDEV_CAP_SCSI_GENERIC] = "scsi_generic",
    [VMM_NODEDEV_CAP_DRM] = "drm",
    [VMM_NODEDEV_CAP_MDEV] = "mdev",
    [VMM_NODEDEV_CAP_CCW] = "ccw",
    [VMM_NODEDEV_CAP_CSS] = "css",
    [VMM_NODEDEV_CAP_VDPA] = "vdpa",
    [VMM_NODEDEV_CAP_AP_CARD] = "ap_card",
    [VMM_NODEDEV_CAP_AP_QUEUE] = "ap_queue",
    [VMM_NODEDEV_CAP_AP_MATRIX] = "ap_matrix",
};
VMM_DEFINE_ENUM_TABLE(vmm_nodedev_cap_type, VmmNodedevCapType, cap_type_table, _VMM_NODEDEV_CAP_MAX)

static const char *const drm_type_table[] = {"primary", "control", "render"};

/* Children each kind knows, checked before parsing (NULL ends a list). */
static const char *const cap_children[_VMM_NODEDEV_CAP_MAX][12] = {
    [VMM_NODEDEV_CAP_SYSTEM] = {"product", "hardware", "firmware"},
    [VMM_NODEDEV_CAP_PCI] = {"class", "domain", "bus", "slot", "function", "product", "vendor",
                             "capability", "iommuGroup", "numa", "pci-express"},
    [VMM_NODEDEV_CAP_USB_DEVICE] = {"bus", "device", "product", "vendor"},
    [VMM_NODEDEV_CAP_USB] = {"number", "class", "subclass", "protocol", "description"},
    [VMM_NODEDEV_CAP_NET] = {"interface", "address", "link", "feature", "capability"},
    [VMM_NODEDEV_CAP_SCSI_HOST] = {"host", "unique_id", "capability"},
    [VMM_NODEDEV_CAP_SCSI_TARGET] = {"target", "capability"},
    [VMM_NODEDEV_CAP_SCSI] = {"host", "bus", "target", "lun", "type"},
    [VMM_NODEDEV_CAP_STORAGE] = {"block", "bus", "drive_type", "model", "vendor", "serial", "size",
                                 "logical_block_size", "num_blocks", "capability"},
    [VMM_NODEDEV_CAP_SCSI_GENERIC] = {"char"},
    [VMM_NODEDEV_CAP_DRM] = {"type"},
    [VMM_NODEDEV_CAP_MDEV] = {"type", "iommuGroup", "uuid", "parent_addr", "attr"},
    [VMM_NODEDEV_CAP_CCW] = {"cssid", "ssid", "devno"},
    [VMM_NODEDEV_CAP_CSS] = {"cssid", "ssid", "devno", "channel_dev_addr", "capability"},
    [VMM_NODEDEV_CAP_VDPA] = {"chardev"},
    [VMM_NODEDEV_CAP_AP_CARD] = {"ap-adapter"},
    [VMM_NODEDEV_CAP_AP_QUEUE] = {"ap-adapter", "ap-domain"},
    [VMM_NODEDEV_CAP_AP_MATRIX] = {"capability"},
};

/* --- mdev --- */

static int mdev_parse(xmlNodePtr node, VmmNodedevMdev *m, VmmError *error)
{
        static const char *const id_attr[] = {"id", NULL};
        static const char *const num_attr[] = {"number", NULL};
        static const char *const attr_attrs[] = {"name", "value", NULL};
        _cleanup_free_ char *uuid = NULL;
        xmlNodePtr c;
        int r;

        if (!(c = vmm_xml_child(node, "type")))
                return vmm_nodedev_cap_error(error, node, "missing <type id='...'>");
        if ((r = vmm_xml_check_node(c, NULL, id_attr, 0, NULL, error)) < 0)
                return r;
        if (!(m->type = vmm_xml_get_prop(c, "id")))
                return vmm_xml_error(error, c, "missing attribute 'id'");
        if ((c = vmm_xml_child(node, "iommuGroup"))) {
                if ((r = vmm_xml_check_node(c, NULL, num_attr, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_uint(c, "number", &m->iommu_group, error)) < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'number'");
                m->has_iommu_group = true;
        }
        if ((r = vmm_nodedev_text(node, "uuid", false, &uuid, error)) < 0)
                return r;
        if (uuid) {
                VmmError e = VMM_ERROR_INIT;
                if (vmm_uuid_parse(uuid, m->uuid, &e) < 0) {
                        r = vmm_xml_error(error, vmm_xml_child(node, "uuid"), "%s",
                                          vmm_error_message(&e));
                        vmm_error_clear(&e);
                        return r;
                }
                m->has_uuid = true;
        }
        if ((r = vmm_nodedev_text(node, "parent_addr", false, &m->parent_addr, error)) < 0)
                return r;
        for (c = node->children; c; c = c->next) {
                VmmNodedevMdevAttr *a;

                if (!vmm_xml_is(c, "attr"))
                        continue;
                if ((r = vmm_xml_check_node(c, NULL, attr_attrs, 0, NULL, error)) < 0)
                        return r;
                a = vmm_nodedev_array_add((void **)&m->attrs, &m->n_attrs, sizeof(*a));
                if (!a)
                        return vmm_error_oom(error);
                a->name = vmm_xml_get_prop(c, "name");
                a->value = vmm_xml_get_prop(c, "value");
                if (!a->name || !a->value)
                        return vmm_xml_error(error, c, "needs 'name' and 'value'");
        }
        return 0;
}

static void mdev_format(const VmmNodedevMdev *m, xmlNodePtr cap)
{
        char buf[VMM_UUID_STRLEN];

        vmm_xml_set_prop(vmm_xml_new_child(cap, "type", NULL), "id", m->type);
        if (m->has_uuid)
                vmm_xml_new_child(cap, "uuid", vmm_uuid_format(m->uuid, buf));
        vmm_nodedev_add_text(cap, "parent_addr", m->parent_addr);
        if (m->has_iommu_group)
                vmm_xml_set_propf(vmm_xml_new_child(cap, "iommuGroup", NULL), "number", "%u",
                                  m->iommu_group);
        for (size_t i = 0; i < m->n_attrs; i++) {
                xmlNodePtr a = vmm_xml_new_child(cap, "attr", NULL);
                vmm_xml_set_prop(a, "name", m->attrs[i].name);
                vmm_xml_set_prop(a, "value", m->attrs[i].value);
        }
}

static bool mdev_equal(const VmmNodedevMdev *a, const VmmNodedevMdev *b, const char *w, char **d)
{
        if (!vmm_diff_str(d, w, "type", a->type, b->type) ||
            !vmm_diff_bool(d, w, "iommuGroup", a->has_iommu_group, b->has_iommu_group) ||
            !vmm_diff_u64(d, w, "iommuGroup number", a->iommu_group, b->iommu_group) ||
            !vmm_diff_bool(d, w, "uuid given", a->has_uuid, b->has_uuid) ||
            !vmm_diff_bytes(d, w, "uuid", a->uuid, b->uuid, VMM_UUID_LEN) ||
            !vmm_diff_str(d, w, "parent_addr", a->parent_addr, b->parent_addr) ||
            !vmm_diff_u64(d, w, "attr count", a->n_attrs, b->n_attrs))
                return false;
        for (size_t i = 0; i < a->n_attrs; i++)
                if (!vmm_diff_str(d, w, "attr name", a->attrs[i].name, b->attrs[i].name) ||
                    !vmm_diff_str(d, w, "attr value", a->attrs[i].value, b->attrs[i].value))
                        return false;
        return true;
}

/* --- ccw, css, ap --- */

static int ccw_addr_parse(xmlNodePtr node, VmmNodedevCcwAddr *a, VmmError *error)
{
        int r;

        if ((r = vmm_nodedev_uint(node, "cssid", true, 0xfe, &a->cssid, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "ssid", true, 0x3, &a->ssid, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "devno", true, 0xffff, &a->devno, error)) < 0)
                return r;
        return 0;
}

static void ccw_addr_format(const VmmNodedevCcwAddr *a, xmlNodePtr parent)
{
        vmm_nodedev_add_textf(parent, "cssid", "0x%x", a->cssid);
        vmm_nodedev_add_textf(parent, "ssid", "0x%x", a->ssid);
        vmm_nodedev_add_textf(parent, "devno", "0x%04x", a->devno);
}

static bool ccw_addr_equal(const VmmNodedevCcwAddr *a, const VmmNodedevCcwAddr *b, const char *w,
                           char **d)
{
        return vmm_diff_u64(d, w, "cssid", a->cssid, b->cssid) &&
               vmm_diff_u64(d, w, "ssid", a->ssid, b->ssid) &&
               vmm_diff_u64(d, w, "devno", a->devno, b->devno);
}

static int css_parse(xmlNodePtr node, VmmNodedevCss *css, VmmError *error)
{
        static const char *const addr_children[] = {"cssid", "ssid", "devno", NULL};
        xmlNodePtr c;
        int r;

        if ((r = ccw_addr_parse(node, &css->addr, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "channel_dev_addr"))) {
                if ((r = vmm_xml_check_node(c, addr_children, NULL, 0, NULL, error)) < 0 ||
                    (r = ccw_addr_parse(c, &css->channel_dev_addr, error)) < 0)
                        return r;
                css->has_channel_dev_addr = true;
        }
        for (c = node->children; c; c = c->next) {
                _cleanup_free_ char *t = NULL;

                if (!vmm_xml_is(c, "capability"))
                        continue;
                if (!(t = vmm_nodedev_subcap_type(c, error)))
                        return -EINVAL;
                if (strcmp(t, "mdev_types") != 0)
                        return vmm_nodedev_subcap_unknown(error, c, t, "\"mdev_types\"");
                if ((r = vmm_nodedev_mdev_types_parse(c, &css->mdev_types, error)) < 0)
                        return r;
        }
        return 0;
}

static int ap_parse(xmlNodePtr node, VmmNodedevCapType type, VmmNodedevAp *ap, VmmError *error)
{
        int r;

        if (type == VMM_NODEDEV_CAP_AP_MATRIX) {
                for (xmlNodePtr c = node->children; c; c = c->next) {
                        _cleanup_free_ char *t = NULL;

                        if (!vmm_xml_is(c, "capability"))
                                continue;
                        if (!(t = vmm_nodedev_subcap_type(c, error)))
                                return -EINVAL;
                        if (strcmp(t, "mdev_types") != 0)
                                return vmm_nodedev_subcap_unknown(error, c, t, "\"mdev_types\"");
                        if ((r = vmm_nodedev_mdev_types_parse(c, &ap->mdev_types, error)) < 0)
                                return r;
                }
                return 0;
        }
        if ((r = vmm_nodedev_uint(node, "ap-adapter", true, 0xff, &ap->adapter, error)) < 0)
                return r;
        if (type == VMM_NODEDEV_CAP_AP_QUEUE &&
            (r = vmm_nodedev_uint(node, "ap-domain", true, 0xff, &ap->domain, error)) < 0)
                return r;
        return 0;
}

/* --- dispatch --- */

static int cap_parse_kind(xmlNodePtr node, VmmNodedevCap *cap, VmmError *error)
{
        int r;

        switch (cap->type) {
        case VMM_NODEDEV_CAP_SYSTEM:
                return vmm_nodedev_system_parse(node, &cap->system, error);
        case VMM_NODEDEV_CAP_PCI:
                return vmm_nodedev_pci_parse(node, &cap->pci, error);
        case VMM_NODEDEV_CAP_USB_DEVICE:
                return vmm_nodedev_usb_device_parse(node, &cap->usb_device, error);
        case VMM_NODEDEV_CAP_USB:
                return vmm_nodedev_usb_parse(node, &cap->usb, error);
        case VMM_NODEDEV_CAP_NET:
                return vmm_nodedev_net_parse(node, &cap->net, error);
        case VMM_NODEDEV_CAP_SCSI_HOST:
                return vmm_nodedev_scsi_host_parse(node, &cap->scsi_host, error);
        case VMM_NODEDEV_CAP_SCSI_TARGET:
                return vmm_nodedev_scsi_target_parse(node, &cap->scsi_target, error);
        case VMM_NODEDEV_CAP_SCSI:
                return vmm_nodedev_scsi_parse(node, &cap->scsi, error);
        case VMM_NODEDEV_CAP_STORAGE:
                return vmm_nodedev_storage_parse(node, &cap->storage, error);
        case VMM_NODEDEV_CAP_SCSI_GENERIC:
                return vmm_nodedev_text(node, "char", true, &cap->scsi_generic_char, error);
        case VMM_NODEDEV_CAP_DRM: {
                _cleanup_free_ char *t = NULL;
                if ((r = vmm_nodedev_text(node, "type", true, &t, error)) < 0)
                        return r;
                cap->drm_type = vmm_enum_from_string(drm_type_table, 3, t);
                if (cap->drm_type < 0)
                        return vmm_xml_error(error, vmm_xml_child(node, "type"),
                                             "\"%s\" is not valid (expected \"primary\", "
                                             "\"control\" or \"render\")",
                                             t);
                return 0;
        }
        case VMM_NODEDEV_CAP_MDEV:
                return mdev_parse(node, &cap->mdev, error);
        case VMM_NODEDEV_CAP_CCW:
                return ccw_addr_parse(node, &cap->ccw, error);
        case VMM_NODEDEV_CAP_CSS:
                return css_parse(node, &cap->css, error);
        case VMM_NODEDEV_CAP_VDPA:
                return vmm_nodedev_text(node, "chardev", true, &cap->vdpa_chardev, error);
        case VMM_NODEDEV_CAP_AP_CARD:
        case VMM_NODEDEV_CAP_AP_QUEUE:
        case VMM_NODEDEV_CAP_AP_MATRIX:
                return ap_parse(node, cap->type, &cap->ap, error);
        default:
                return -EINVAL;
        }
}

int vmm_nodedev_cap_parse(xmlNodePtr node, unsigned int flags, VmmNodedevCap *cap, VmmError *error)
{
        static const char *const attrs[] = {"type", NULL};
        char expected[512];
        int type = -1, r;

        r = vmm_xml_prop_enum(node, "type", cap_type_table, _VMM_NODEDEV_CAP_MAX, &type, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'type' (expected one of %s)",
                                     vmm_enum_list(cap_type_table, _VMM_NODEDEV_CAP_MAX, expected,
                                                   sizeof(expected)));
        memset(cap, 0, sizeof(*cap));
        cap->type = type;
        r = vmm_xml_check_node(node, cap_children[type], attrs, flags, &cap->unknown, error);
        if (r < 0)
                return r;
        r = cap_parse_kind(node, cap, error);
        return r < 0 ? r : 0;
}

static void cap_format_kind(const VmmNodedevCap *cap, xmlNodePtr n)
{
        switch (cap->type) {
        case VMM_NODEDEV_CAP_SYSTEM:
                vmm_nodedev_system_format(&cap->system, n);
                break;
        case VMM_NODEDEV_CAP_PCI:
                vmm_nodedev_pci_format(&cap->pci, n);
                break;
        case VMM_NODEDEV_CAP_USB_DEVICE:
                vmm_nodedev_add_textf(n, "bus", "%llu", (unsigned long long)cap->usb_device.bus);
                vmm_nodedev_add_textf(n, "device", "%llu",
                                      (unsigned long long)cap->usb_device.device);
                vmm_xml_set_propf(vmm_xml_new_child(n, "product", cap->usb_device.product), "id",
                                  "0x%04x", cap->usb_device.product_id);
                vmm_xml_set_propf(vmm_xml_new_child(n, "vendor", cap->usb_device.vendor), "id",
                                  "0x%04x", cap->usb_device.vendor_id);
                break;
        case VMM_NODEDEV_CAP_USB:
                vmm_nodedev_add_textf(n, "number", "%llu", (unsigned long long)cap->usb.number);
                vmm_nodedev_add_textf(n, "class", "%llu", (unsigned long long)cap->usb.klass);
                vmm_nodedev_add_textf(n, "subclass", "%llu", (unsigned long long)cap->usb.subclass);
                vmm_nodedev_add_textf(n, "protocol", "%llu", (unsigned long long)cap->usb.protocol);
                vmm_nodedev_add_text(n, "description", cap->usb.description);
                break;
        case VMM_NODEDEV_CAP_NET:
                vmm_nodedev_net_format(&cap->net, n);
                break;
        case VMM_NODEDEV_CAP_SCSI_HOST:
                vmm_nodedev_scsi_host_format(&cap->scsi_host, n);
                break;
        case VMM_NODEDEV_CAP_SCSI_TARGET:
                vmm_nodedev_add_text(n, "target", cap->scsi_target.target);
                if (cap->scsi_target.has_fc_rport) {
                        xmlNodePtr c = vmm_xml_new_child(n, "capability", NULL);
                        vmm_xml_set_prop(c, "type", "fc_remote_port");
                        vmm_nodedev_add_text(c, "rport", cap->scsi_target.rport);
                        vmm_nodedev_add_text(c, "wwpn", cap->scsi_target.wwpn);
                }
                break;
        case VMM_NODEDEV_CAP_SCSI:
                vmm_nodedev_add_textf(n, "host", "%llu", (unsigned long long)cap->scsi.host);
                vmm_nodedev_add_textf(n, "bus", "%llu", (unsigned long long)cap->scsi.bus);
                vmm_nodedev_add_textf(n, "target", "%llu", (unsigned long long)cap->scsi.target);
                vmm_nodedev_add_textf(n, "lun", "%llu", (unsigned long long)cap->scsi.lun);
                vmm_nodedev_add_text(n, "type", cap->scsi.type);
                break;
        case VMM_NODEDEV_CAP_STORAGE:
                vmm_nodedev_storage_format(&cap->storage, n);
                break;
        case VMM_NODEDEV_CAP_SCSI_GENERIC:
                vmm_nodedev_add_text(n, "char", cap->scsi_generic_char);
                break;
        case VMM_NODEDEV_CAP_DRM:
                vmm_nodedev_add_text(n, "type", drm_type_table[cap->drm_type]);
                break;
        case VMM_NODEDEV_CAP_MDEV:
                mdev_format(&cap->mdev, n);
                break;
        case VMM_NODEDEV_CAP_CCW:
                ccw_addr_format(&cap->ccw, n);
                break;
        case VMM_NODEDEV_CAP_CSS:
                ccw_addr_format(&cap->css.addr, n);
                if (cap->css.has_channel_dev_addr)
                        ccw_addr_format(&cap->css.channel_dev_addr,
                                        vmm_xml_new_child(n, "channel_dev_addr", NULL));
                vmm_nodedev_mdev_types_format(&cap->css.mdev_types, n);
                break;
        case VMM_NODEDEV_CAP_VDPA:
                vmm_nodedev_add_text(n, "chardev", cap->vdpa_chardev);
                break;
        case VMM_NODEDEV_CAP_AP_CARD:
        case VMM_NODEDEV_CAP_AP_QUEUE:
                vmm_nodedev_add_textf(n, "ap-adapter", "0x%02x", cap->ap.adapter);
                if (cap->type == VMM_NODEDEV_CAP_AP_QUEUE)
                        vmm_nodedev_add_textf(n, "ap-domain", "0x%04x", cap->ap.domain);
                break;
        case VMM_NODEDEV_CAP_AP_MATRIX:
                vmm_nodedev_mdev_types_format(&cap->ap.mdev_types, n);
                break;
        default:
                break;
        }
}

void vmm_nodedev_cap_format(const VmmNodedevCap *cap, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "capability", NULL);

        vmm_xml_set_prop(n, "type", vmm_nodedev_cap_type_to_string(cap->type));
        cap_format_kind(cap, n);
        vmm_xml_unknown_format(&cap->unknown, n);
}

static bool cap_equal_small(const VmmNodedevCap *a, const VmmNodedevCap *b, const char *w, char **d)
{
        switch (a->type) {
        case VMM_NODEDEV_CAP_USB_DEVICE:
                return vmm_diff_u64(d, w, "bus", a->usb_device.bus, b->usb_device.bus) &&
                       vmm_diff_u64(d, w, "device", a->usb_device.device, b->usb_device.device) &&
                       vmm_diff_u64(d, w, "product id", a->usb_device.product_id,
                                    b->usb_device.product_id) &&
                       vmm_diff_str(d, w, "product", a->usb_device.product,
                                    b->usb_device.product) &&
                       vmm_diff_u64(d, w, "vendor id", a->usb_device.vendor_id,
                                    b->usb_device.vendor_id) &&
                       vmm_diff_str(d, w, "vendor", a->usb_device.vendor, b->usb_device.vendor);
        case VMM_NODEDEV_CAP_USB:
                return vmm_diff_u64(d, w, "number", a->usb.number, b->usb.number) &&
                       vmm_diff_u64(d, w, "class", a->usb.klass, b->usb.klass) &&
                       vmm_diff_u64(d, w, "subclass", a->usb.subclass, b->usb.subclass) &&
                       vmm_diff_u64(d, w, "protocol", a->usb.protocol, b->usb.protocol) &&
                       vmm_diff_str(d, w, "description", a->usb.description, b->usb.description);
        case VMM_NODEDEV_CAP_SCSI_TARGET:
                return vmm_diff_str(d, w, "target", a->scsi_target.target, b->scsi_target.target) &&
                       vmm_diff_bool(d, w, "fc_remote_port", a->scsi_target.has_fc_rport,
                                     b->scsi_target.has_fc_rport) &&
                       vmm_diff_str(d, w, "rport", a->scsi_target.rport, b->scsi_target.rport) &&
                       vmm_diff_str(d, w, "wwpn", a->scsi_target.wwpn, b->scsi_target.wwpn);
        case VMM_NODEDEV_CAP_SCSI:
                return vmm_diff_u64(d, w, "host", a->scsi.host, b->scsi.host) &&
                       vmm_diff_u64(d, w, "bus", a->scsi.bus, b->scsi.bus) &&
                       vmm_diff_u64(d, w, "target", a->scsi.target, b->scsi.target) &&
                       vmm_diff_u64(d, w, "lun", a->scsi.lun, b->scsi.lun) &&
                       vmm_diff_str(d, w, "type", a->scsi.type, b->scsi.type);
        case VMM_NODEDEV_CAP_SCSI_GENERIC:
                return vmm_diff_str(d, w, "char", a->scsi_generic_char, b->scsi_generic_char);
        case VMM_NODEDEV_CAP_DRM:
                return vmm_diff_int(d, w, "type", a->drm_type, b->drm_type);
        case VMM_NODEDEV_CAP_VDPA:
                return vmm_diff_str(d, w, "chardev", a->vdpa_chardev, b->vdpa_chardev);
        case VMM_NODEDEV_CAP_AP_CARD:
        case VMM_NODEDEV_CAP_AP_QUEUE:
        case VMM_NODEDEV_CAP_AP_MATRIX:
                return vmm_diff_u64(d, w, "ap-adapter", a->ap.adapter, b->ap.adapter) &&
                       vmm_diff_u64(d, w, "ap-domain", a->ap.domain, b->ap.domain) &&
                       vmm_nodedev_mdev_types_equal(&a->ap.mdev_types, &b->ap.mdev_types, w, d);
        default:
                return true;
        }
}

bool vmm_nodedev_cap_equal(const VmmNodedevCap *a, const VmmNodedevCap *b, const char *w, char **d)
{
        if (!vmm_diff_str(d, w, "type", vmm_nodedev_cap_type_to_string(a->type),
                          vmm_nodedev_cap_type_to_string(b->type)))
                return false;
        if (!vmm_xml_unknown_equal(&a->unknown, &b->unknown))
                return vmm_diff_set(d, "%sunknown content kept differs", w);
        switch (a->type) {
        case VMM_NODEDEV_CAP_SYSTEM:
                return vmm_nodedev_system_equal(&a->system, &b->system, w, d);
        case VMM_NODEDEV_CAP_PCI:
                return vmm_nodedev_pci_equal(&a->pci, &b->pci, w, d);
        case VMM_NODEDEV_CAP_NET:
                return vmm_nodedev_net_equal(&a->net, &b->net, w, d);
        case VMM_NODEDEV_CAP_SCSI_HOST:
                return vmm_nodedev_scsi_host_equal(&a->scsi_host, &b->scsi_host, w, d);
        case VMM_NODEDEV_CAP_STORAGE:
                return vmm_nodedev_storage_equal(&a->storage, &b->storage, w, d);
        case VMM_NODEDEV_CAP_MDEV:
                return mdev_equal(&a->mdev, &b->mdev, w, d);
        case VMM_NODEDEV_CAP_CCW:
                return ccw_addr_equal(&a->ccw, &b->ccw, w, d);
        case VMM_NODEDEV_CAP_CSS:
                return ccw_addr_equal(&a->css.addr, &b->css.addr, w, d) &&
                       vmm_diff_bool(d, w, "channel_dev_addr", a->css.has_channel_dev_addr,
                                     b->css.has_channel_dev_addr) &&
                       ccw_addr_equal(&a->css.channel_dev_addr, &b->css.channel_dev_addr, w, d) &&
                       vmm_nodedev_mdev_types_equal(&a->css.mdev_types, &b->css.mdev_types, w, d);
        default:
                return cap_equal_small(a, b, w, d);
        }
}

static void cap_done_strings(VmmNodedevCap *cap)
{
        char *strs[12] = {NULL};
        size_t n = 0;

        switch (cap->type) {
        case VMM_NODEDEV_CAP_SYSTEM: {
                VmmNodedevSystem *s = &cap->system;
                char *v[] = {s->product,   s->hw_vendor,  s->hw_version,     s->hw_serial,
                             s->fw_vendor, s->fw_version, s->fw_release_date};
                memcpy(strs, v, sizeof(v));
                n = ARRAY_SIZE(v);
                break;
        }
        case VMM_NODEDEV_CAP_USB_DEVICE:
                strs[n++] = cap->usb_device.product;
                strs[n++] = cap->usb_device.vendor;
                break;
        case VMM_NODEDEV_CAP_USB:
                strs[n++] = cap->usb.description;
                break;
        case VMM_NODEDEV_CAP_SCSI_HOST:
                strs[n++] = cap->scsi_host.wwnn;
                strs[n++] = cap->scsi_host.wwpn;
                strs[n++] = cap->scsi_host.fabric_wwn;
                break;
        case VMM_NODEDEV_CAP_SCSI_TARGET:
                strs[n++] = cap->scsi_target.target;
                strs[n++] = cap->scsi_target.rport;
                strs[n++] = cap->scsi_target.wwpn;
                break;
        case VMM_NODEDEV_CAP_SCSI:
                strs[n++] = cap->scsi.type;
                break;
        case VMM_NODEDEV_CAP_STORAGE: {
                VmmNodedevStorage *s = &cap->storage;
                char *v[] = {s->block,  s->bus,    s->drive_type, s->model,
                             s->vendor, s->serial, s->media_label};
                memcpy(strs, v, sizeof(v));
                n = ARRAY_SIZE(v);
                break;
        }
        case VMM_NODEDEV_CAP_SCSI_GENERIC:
                strs[n++] = cap->scsi_generic_char;
                break;
        case VMM_NODEDEV_CAP_VDPA:
                strs[n++] = cap->vdpa_chardev;
                break;
        default:
                break;
        }
        for (size_t i = 0; i < n; i++)
                free(strs[i]);
}

void vmm_nodedev_cap_done(VmmNodedevCap *cap)
{
        cap_done_strings(cap);
        vmm_xml_unknown_done(&cap->unknown);
        switch (cap->type) {
        case VMM_NODEDEV_CAP_PCI:
                vmm_nodedev_pci_done(&cap->pci);
                break;
        case VMM_NODEDEV_CAP_NET:
                free(cap->net.interface);
                free(cap->net.address);
                free(cap->net.link_state);
                for (size_t i = 0; i < cap->net.n_features; i++)
                        free(cap->net.features[i]);
                free(cap->net.features);
                break;
        case VMM_NODEDEV_CAP_MDEV:
                free(cap->mdev.type);
                free(cap->mdev.parent_addr);
                for (size_t i = 0; i < cap->mdev.n_attrs; i++) {
                        free(cap->mdev.attrs[i].name);
                        free(cap->mdev.attrs[i].value);
                }
                free(cap->mdev.attrs);
                break;
        case VMM_NODEDEV_CAP_CSS:
                vmm_nodedev_mdev_types_done(&cap->css.mdev_types);
                break;
        case VMM_NODEDEV_CAP_AP_MATRIX:
                vmm_nodedev_mdev_types_done(&cap->ap.mdev_types);
                break;
        default:
                break;
        }
        memset(cap, 0, sizeof(*cap));
        cap->type = _VMM_NODEDEV_CAP_MAX;
}
