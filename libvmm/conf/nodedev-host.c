/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nodedev-host.c: capabilities of host hardware: system, USB, network
 * interfaces, SCSI hosts, targets and units, and storage drives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "nodedev-priv.h"
#include "util/error.h"
#include "xml-util.h"

/* --- system --- */

int vmm_nodedev_system_parse(xmlNodePtr node, VmmNodedevSystem *s, VmmError *error)
{
        static const char *const hw_children[] = {"vendor", "version", "serial", "uuid", NULL};
        static const char *const fw_children[] = {"vendor", "version", "release_date", NULL};
        _cleanup_free_ char *uuid = NULL;
        xmlNodePtr hw = vmm_xml_child(node, "hardware"), fw = vmm_xml_child(node, "firmware");
        VmmError e = VMM_ERROR_INIT;
        int r;

        if ((r = vmm_nodedev_text(node, "product", false, &s->product, error)) < 0)
                return r;
        if (!hw || !fw)
                return vmm_nodedev_cap_error(error, node, "needs <hardware> and <firmware>");
        if ((r = vmm_xml_check_node(hw, hw_children, NULL, 0, NULL, error)) < 0 ||
            (r = vmm_xml_check_node(fw, fw_children, NULL, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_text(hw, "vendor", false, &s->hw_vendor, error)) < 0 ||
            (r = vmm_nodedev_text(hw, "version", false, &s->hw_version, error)) < 0 ||
            (r = vmm_nodedev_text(hw, "serial", false, &s->hw_serial, error)) < 0 ||
            (r = vmm_nodedev_text(hw, "uuid", true, &uuid, error)) < 0 ||
            (r = vmm_nodedev_text(fw, "vendor", false, &s->fw_vendor, error)) < 0 ||
            (r = vmm_nodedev_text(fw, "version", false, &s->fw_version, error)) < 0 ||
            (r = vmm_nodedev_text(fw, "release_date", false, &s->fw_release_date, error)) < 0)
                return r;
        if (vmm_uuid_parse(uuid, s->hw_uuid, &e) < 0) {
                r = vmm_xml_error(error, vmm_xml_child(hw, "uuid"), "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
                return r;
        }
        return 0;
}

void vmm_nodedev_system_format(const VmmNodedevSystem *s, xmlNodePtr cap)
{
        char buf[VMM_UUID_STRLEN];
        xmlNodePtr hw, fw;

        vmm_nodedev_add_text(cap, "product", s->product);
        hw = vmm_xml_new_child(cap, "hardware", NULL);
        vmm_nodedev_add_text(hw, "vendor", s->hw_vendor);
        vmm_nodedev_add_text(hw, "version", s->hw_version);
        vmm_nodedev_add_text(hw, "serial", s->hw_serial);
        vmm_xml_new_child(hw, "uuid", vmm_uuid_format(s->hw_uuid, buf));
        fw = vmm_xml_new_child(cap, "firmware", NULL);
        vmm_nodedev_add_text(fw, "vendor", s->fw_vendor);
        vmm_nodedev_add_text(fw, "version", s->fw_version);
        vmm_nodedev_add_text(fw, "release_date", s->fw_release_date);
}

bool vmm_nodedev_system_equal(const VmmNodedevSystem *a, const VmmNodedevSystem *b, const char *w,
                              char **d)
{
        return vmm_diff_str(d, w, "product", a->product, b->product) &&
               vmm_diff_str(d, w, "hardware vendor", a->hw_vendor, b->hw_vendor) &&
               vmm_diff_str(d, w, "hardware version", a->hw_version, b->hw_version) &&
               vmm_diff_str(d, w, "hardware serial", a->hw_serial, b->hw_serial) &&
               vmm_diff_bytes(d, w, "hardware uuid", a->hw_uuid, b->hw_uuid, VMM_UUID_LEN) &&
               vmm_diff_str(d, w, "firmware vendor", a->fw_vendor, b->fw_vendor) &&
               vmm_diff_str(d, w, "firmware version", a->fw_version, b->fw_version) &&
               vmm_diff_str(d, w, "firmware release_date", a->fw_release_date, b->fw_release_date);
}

/* --- usb_device, usb --- */

static int usb_id_parse(xmlNodePtr node, const char *name, unsigned int *id, char **text,
                        VmmError *error)
{
        static const char *const attrs[] = {"id", NULL};
        xmlNodePtr c = vmm_xml_child(node, name);
        int r;

        if (!c)
                return vmm_nodedev_cap_error(error, node, "missing <%s id='0x...'>", name);
        if ((r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(c, "id", true, 0xffff, id, error)) < 0 ||
            (r = vmm_nodedev_text(node, name, false, text, error)) < 0)
                return r;
        if (!**text) {
                free(*text);
                *text = NULL;
        }
        return 0;
}

int vmm_nodedev_usb_device_parse(xmlNodePtr node, VmmNodedevUsbDevice *u, VmmError *error)
{
        int r;

        if ((r = vmm_nodedev_num(node, "bus", true, UINT64_MAX, &u->bus, error)) < 0 ||
            (r = vmm_nodedev_num(node, "device", true, UINT64_MAX, &u->device, error)) < 0 ||
            (r = usb_id_parse(node, "product", &u->product_id, &u->product, error)) < 0 ||
            (r = usb_id_parse(node, "vendor", &u->vendor_id, &u->vendor, error)) < 0)
                return r;
        return 0;
}

int vmm_nodedev_usb_parse(xmlNodePtr node, VmmNodedevUsb *u, VmmError *error)
{
        int r;

        if ((r = vmm_nodedev_num(node, "number", true, UINT64_MAX, &u->number, error)) < 0 ||
            (r = vmm_nodedev_num(node, "class", true, UINT64_MAX, &u->klass, error)) < 0 ||
            (r = vmm_nodedev_num(node, "subclass", true, UINT64_MAX, &u->subclass, error)) < 0 ||
            (r = vmm_nodedev_num(node, "protocol", true, UINT64_MAX, &u->protocol, error)) < 0 ||
            (r = vmm_nodedev_text(node, "description", false, &u->description, error)) < 0)
                return r;
        return 0;
}

/* --- net --- */

int vmm_nodedev_net_parse(xmlNodePtr node, VmmNodedevNet *n, VmmError *error)
{
        static const char *const link_attrs[] = {"speed", "state", NULL};
        static const char *const feat_attrs[] = {"name", NULL};
        static const char *const type_attr[] = {"type", NULL};
        xmlNodePtr l;
        int r;

        if ((r = vmm_nodedev_text(node, "interface", true, &n->interface, error)) < 0 ||
            (r = vmm_nodedev_text(node, "address", false, &n->address, error)) < 0)
                return r;
        for (char *p = n->address; p && *p; p++)
                *p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
        if ((l = vmm_xml_child(node, "link"))) {
                if ((r = vmm_xml_check_node(l, NULL, link_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_uint(l, "speed", &n->link_speed, error)) < 0)
                        return r;
                n->has_link = true;
                n->link_state = vmm_xml_get_prop(l, "state");
        }
        for (xmlNodePtr c = node->children; c; c = c->next) {
                if (vmm_xml_is(c, "feature")) {
                        char **f = vmm_nodedev_array_add((void **)&n->features, &n->n_features,
                                                         sizeof(*f));
                        if ((r = vmm_xml_check_node(c, NULL, feat_attrs, 0, NULL, error)) < 0)
                                return r;
                        if (!f)
                                return vmm_error_oom(error);
                        *f = vmm_xml_get_prop(c, "name");
                        if (!*f)
                                return vmm_xml_error(error, c, "missing attribute 'name'");
                } else if (vmm_xml_is(c, "capability")) {
                        _cleanup_free_ char *t = vmm_nodedev_subcap_type(c, error);
                        if (!t)
                                return -EINVAL;
                        if ((r = vmm_xml_check_node(c, NULL, type_attr, 0, NULL, error)) < 0)
                                return r;
                        if (strcmp(t, "80203") == 0)
                                n->subcap = VMM_NODEDEV_NET_SUBCAP_80203;
                        else if (strcmp(t, "80211") == 0)
                                n->subcap = VMM_NODEDEV_NET_SUBCAP_80211;
                        else
                                return vmm_nodedev_subcap_unknown(error, c, t,
                                                                  "\"80203\" or \"80211\"");
                }
        }
        return 0;
}

void vmm_nodedev_net_format(const VmmNodedevNet *n, xmlNodePtr cap)
{
        xmlNodePtr l;

        vmm_nodedev_add_text(cap, "interface", n->interface);
        vmm_nodedev_add_text(cap, "address", n->address);
        if (n->has_link) {
                l = vmm_xml_new_child(cap, "link", NULL);
                if (n->link_speed)
                        vmm_xml_set_propf(l, "speed", "%u", n->link_speed);
                vmm_xml_set_prop(l, "state", n->link_state);
        }
        for (size_t i = 0; i < n->n_features; i++)
                vmm_xml_set_prop(vmm_xml_new_child(cap, "feature", NULL), "name", n->features[i]);
        if (n->subcap != VMM_NODEDEV_NET_SUBCAP_NONE)
                vmm_xml_set_prop(vmm_xml_new_child(cap, "capability", NULL), "type",
                                 n->subcap == VMM_NODEDEV_NET_SUBCAP_80203 ? "80203" : "80211");
}

bool vmm_nodedev_net_equal(const VmmNodedevNet *a, const VmmNodedevNet *b, const char *w, char **d)
{
        if (!vmm_diff_str(d, w, "interface", a->interface, b->interface) ||
            !vmm_diff_str(d, w, "address", a->address, b->address) ||
            !vmm_diff_bool(d, w, "link", a->has_link, b->has_link) ||
            !vmm_diff_u64(d, w, "link speed", a->link_speed, b->link_speed) ||
            !vmm_diff_str(d, w, "link state", a->link_state, b->link_state) ||
            !vmm_diff_int(d, w, "subcapability", a->subcap, b->subcap) ||
            !vmm_diff_u64(d, w, "feature count", a->n_features, b->n_features))
                return false;
        for (size_t i = 0; i < a->n_features; i++)
                if (!vmm_diff_str(d, w, "feature", a->features[i], b->features[i]))
                        return false;
        return true;
}

/* --- scsi_host, scsi_target, scsi --- */

int vmm_nodedev_scsi_host_parse(xmlNodePtr node, VmmNodedevScsiHost *h, VmmError *error)
{
        static const char *const fc_children[] = {"wwnn", "wwpn", "fabric_wwn", NULL};
        static const char *const vp_children[] = {"max_vports", "vports", NULL};
        static const char *const type_attr[] = {"type", NULL};
        int r;

        if ((r = vmm_nodedev_num(node, "host", true, UINT64_MAX, &h->host, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "unique_id", false, UINT32_MAX, &h->unique_id, error)) < 0)
                return r;
        h->has_unique_id = r > 0;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                _cleanup_free_ char *t = NULL;

                if (!vmm_xml_is(c, "capability"))
                        continue;
                if (!(t = vmm_nodedev_subcap_type(c, error)))
                        return -EINVAL;
                if (strcmp(t, "fc_host") == 0) {
                        h->has_fc_host = true;
                        if ((r = vmm_xml_check_node(c, fc_children, type_attr, 0, NULL, error)) <
                                0 ||
                            (r = vmm_nodedev_text(c, "wwnn", true, &h->wwnn, error)) < 0 ||
                            (r = vmm_nodedev_text(c, "wwpn", true, &h->wwpn, error)) < 0 ||
                            (r = vmm_nodedev_text(c, "fabric_wwn", false, &h->fabric_wwn, error)) <
                                0)
                                return r;
                } else if (strcmp(t, "vport_ops") == 0) {
                        h->has_vport_ops = true;
                        if ((r = vmm_xml_check_node(c, vp_children, type_attr, 0, NULL, error)) <
                                0 ||
                            (r = vmm_nodedev_uint(c, "max_vports", true, UINT32_MAX, &h->max_vports,
                                                  error)) < 0 ||
                            (r = vmm_nodedev_uint(c, "vports", true, UINT32_MAX, &h->vports,
                                                  error)) < 0)
                                return r;
                } else
                        return vmm_nodedev_subcap_unknown(error, c, t,
                                                          "\"fc_host\" or \"vport_ops\"");
        }
        return 0;
}

void vmm_nodedev_scsi_host_format(const VmmNodedevScsiHost *h, xmlNodePtr cap)
{
        xmlNodePtr c;

        vmm_nodedev_add_textf(cap, "host", "%llu", (unsigned long long)h->host);
        if (h->has_unique_id)
                vmm_nodedev_add_textf(cap, "unique_id", "%u", h->unique_id);
        if (h->has_fc_host) {
                c = vmm_xml_new_child(cap, "capability", NULL);
                vmm_xml_set_prop(c, "type", "fc_host");
                vmm_nodedev_add_text(c, "wwnn", h->wwnn);
                vmm_nodedev_add_text(c, "wwpn", h->wwpn);
                vmm_nodedev_add_text(c, "fabric_wwn", h->fabric_wwn);
        }
        if (h->has_vport_ops) {
                c = vmm_xml_new_child(cap, "capability", NULL);
                vmm_xml_set_prop(c, "type", "vport_ops");
                vmm_nodedev_add_textf(c, "max_vports", "%u", h->max_vports);
                vmm_nodedev_add_textf(c, "vports", "%u", h->vports);
        }
}

bool vmm_nodedev_scsi_host_equal(const VmmNodedevScsiHost *a, const VmmNodedevScsiHost *b,
                                 const char *w, char **d)
{
        return vmm_diff_u64(d, w, "host", a->host, b->host) &&
               vmm_diff_bool(d, w, "unique_id given", a->has_unique_id, b->has_unique_id) &&
               vmm_diff_u64(d, w, "unique_id", a->unique_id, b->unique_id) &&
               vmm_diff_bool(d, w, "fc_host", a->has_fc_host, b->has_fc_host) &&
               vmm_diff_str(d, w, "wwnn", a->wwnn, b->wwnn) &&
               vmm_diff_str(d, w, "wwpn", a->wwpn, b->wwpn) &&
               vmm_diff_str(d, w, "fabric_wwn", a->fabric_wwn, b->fabric_wwn) &&
               vmm_diff_bool(d, w, "vport_ops", a->has_vport_ops, b->has_vport_ops) &&
               vmm_diff_u64(d, w, "max_vports", a->max_vports, b->max_vports) &&
               vmm_diff_u64(d, w, "vports", a->vports, b->vports);
}

int vmm_nodedev_scsi_target_parse(xmlNodePtr node, VmmNodedevScsiTarget *t, VmmError *error)
{
        static const char *const rp_children[] = {"rport", "wwpn", NULL};
        static const char *const type_attr[] = {"type", NULL};
        xmlNodePtr c = vmm_xml_child(node, "capability");
        _cleanup_free_ char *type = NULL;
        int r;

        if ((r = vmm_nodedev_text(node, "target", true, &t->target, error)) < 0)
                return r;
        if (!c)
                return 0;
        if (!(type = vmm_nodedev_subcap_type(c, error)))
                return -EINVAL;
        if (strcmp(type, "fc_remote_port") != 0)
                return vmm_nodedev_subcap_unknown(error, c, type, "\"fc_remote_port\"");
        t->has_fc_rport = true;
        if ((r = vmm_xml_check_node(c, rp_children, type_attr, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_text(c, "rport", true, &t->rport, error)) < 0 ||
            (r = vmm_nodedev_text(c, "wwpn", true, &t->wwpn, error)) < 0)
                return r;
        return 0;
}

int vmm_nodedev_scsi_parse(xmlNodePtr node, VmmNodedevScsi *s, VmmError *error)
{
        int r;

        if ((r = vmm_nodedev_num(node, "host", true, UINT64_MAX, &s->host, error)) < 0 ||
            (r = vmm_nodedev_num(node, "bus", true, UINT64_MAX, &s->bus, error)) < 0 ||
            (r = vmm_nodedev_num(node, "target", true, UINT64_MAX, &s->target, error)) < 0 ||
            (r = vmm_nodedev_num(node, "lun", true, UINT64_MAX, &s->lun, error)) < 0 ||
            (r = vmm_nodedev_text(node, "type", false, &s->type, error)) < 0)
                return r;
        return 0;
}

/* --- storage --- */

static int storage_parse_removable(xmlNodePtr c, VmmNodedevStorage *s, VmmError *error)
{
        static const char *const children[] = {"media_available",    "media_size", "media_label",
                                               "logical_block_size", "num_blocks", NULL};
        static const char *const type_attr[] = {"type", NULL};
        uint64_t avail;
        int r;

        if (s->removable)
                return vmm_nodedev_cap_error(error, c, "appears more than once");
        s->removable = true;
        if ((r = vmm_xml_check_node(c, children, type_attr, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_num(c, "media_available", true, 1, &avail, error)) < 0 ||
            (r = vmm_nodedev_num(c, "media_size", true, UINT64_MAX, &s->media_size, error)) < 0 ||
            (r = vmm_nodedev_text(c, "media_label", false, &s->media_label, error)) < 0)
                return r;
        s->media_available = (int)avail;
        if ((r = vmm_nodedev_num(c, "logical_block_size", false, UINT64_MAX, &s->logical_block_size,
                                 error)) < 0)
                return r;
        s->has_block_data = r > 0;
        if ((r = vmm_nodedev_num(c, "num_blocks", s->has_block_data, UINT64_MAX, &s->num_blocks,
                                 error)) < 0)
                return r;
        return 0;
}

int vmm_nodedev_storage_parse(xmlNodePtr node, VmmNodedevStorage *s, VmmError *error)
{
        static const char *const type_attr[] = {"type", NULL};
        int r;

        if ((r = vmm_nodedev_text(node, "block", true, &s->block, error)) < 0 ||
            (r = vmm_nodedev_text(node, "bus", false, &s->bus, error)) < 0 ||
            (r = vmm_nodedev_text(node, "drive_type", false, &s->drive_type, error)) < 0 ||
            (r = vmm_nodedev_text(node, "model", false, &s->model, error)) < 0 ||
            (r = vmm_nodedev_text(node, "vendor", false, &s->vendor, error)) < 0 ||
            (r = vmm_nodedev_text(node, "serial", false, &s->serial, error)) < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                _cleanup_free_ char *t = NULL;

                if (!vmm_xml_is(c, "capability"))
                        continue;
                if (!(t = vmm_nodedev_subcap_type(c, error)))
                        return -EINVAL;
                if (strcmp(t, "removable") == 0)
                        r = storage_parse_removable(c, s, error);
                else if (strcmp(t, "hotpluggable") == 0) {
                        s->hotpluggable = true;
                        r = vmm_xml_check_node(c, NULL, type_attr, 0, NULL, error);
                } else
                        r = vmm_nodedev_subcap_unknown(error, c, t,
                                                       "\"removable\" or \"hotpluggable\"");
                if (r < 0)
                        return r;
        }
        if (s->removable) {
                if (vmm_xml_child(node, "size") || vmm_xml_child(node, "num_blocks"))
                        return vmm_nodedev_cap_error(error, node,
                                                     "a removable drive has its "
                                                     "sizes in <capability "
                                                     "type='removable'>");
                return 0;
        }
        if ((r = vmm_nodedev_num(node, "size", true, UINT64_MAX, &s->size, error)) < 0 ||
            (r = vmm_nodedev_num(node, "logical_block_size", false, UINT64_MAX,
                                 &s->logical_block_size, error)) < 0)
                return r;
        s->has_block_data = r > 0;
        r = vmm_nodedev_num(node, "num_blocks", s->has_block_data, UINT64_MAX, &s->num_blocks,
                            error);
        return r < 0 ? r : 0;
}

static void storage_block_data(const VmmNodedevStorage *s, xmlNodePtr parent)
{
        if (!s->has_block_data)
                return;
        vmm_nodedev_add_textf(parent, "logical_block_size", "%llu",
                              (unsigned long long)s->logical_block_size);
        vmm_nodedev_add_textf(parent, "num_blocks", "%llu", (unsigned long long)s->num_blocks);
}

void vmm_nodedev_storage_format(const VmmNodedevStorage *s, xmlNodePtr cap)
{
        vmm_nodedev_add_text(cap, "block", s->block);
        vmm_nodedev_add_text(cap, "bus", s->bus);
        vmm_nodedev_add_text(cap, "drive_type", s->drive_type);
        vmm_nodedev_add_text(cap, "model", s->model);
        vmm_nodedev_add_text(cap, "vendor", s->vendor);
        vmm_nodedev_add_text(cap, "serial", s->serial);
        if (s->removable) {
                xmlNodePtr c = vmm_xml_new_child(cap, "capability", NULL);
                vmm_xml_set_prop(c, "type", "removable");
                vmm_nodedev_add_textf(c, "media_available", "%d", s->media_available);
                vmm_nodedev_add_textf(c, "media_size", "%llu", (unsigned long long)s->media_size);
                vmm_nodedev_add_text(c, "media_label", s->media_label);
                storage_block_data(s, c);
        } else {
                vmm_nodedev_add_textf(cap, "size", "%llu", (unsigned long long)s->size);
                storage_block_data(s, cap);
        }
        if (s->hotpluggable)
                vmm_xml_set_prop(vmm_xml_new_child(cap, "capability", NULL), "type",
                                 "hotpluggable");
}

bool vmm_nodedev_storage_equal(const VmmNodedevStorage *a, const VmmNodedevStorage *b,
                               const char *w, char **d)
{
        return vmm_diff_str(d, w, "block", a->block, b->block) &&
               vmm_diff_str(d, w, "bus", a->bus, b->bus) &&
               vmm_diff_str(d, w, "drive_type", a->drive_type, b->drive_type) &&
               vmm_diff_str(d, w, "model", a->model, b->model) &&
               vmm_diff_str(d, w, "vendor", a->vendor, b->vendor) &&
               vmm_diff_str(d, w, "serial", a->serial, b->serial) &&
               vmm_diff_bool(d, w, "removable", a->removable, b->removable) &&
               vmm_diff_int(d, w, "media_available", a->media_available, b->media_available) &&
               vmm_diff_u64(d, w, "media_size", a->media_size, b->media_size) &&
               vmm_diff_str(d, w, "media_label", a->media_label, b->media_label) &&
               vmm_diff_u64(d, w, "size", a->size, b->size) &&
               vmm_diff_bool(d, w, "block data", a->has_block_data, b->has_block_data) &&
               vmm_diff_u64(d, w, "logical_block_size", a->logical_block_size,
                            b->logical_block_size) &&
               vmm_diff_u64(d, w, "num_blocks", a->num_blocks, b->num_blocks) &&
               vmm_diff_bool(d, w, "hotpluggable", a->hotpluggable, b->hotpluggable);
}
