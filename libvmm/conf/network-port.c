/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-port.c: <bandwidth>, <vlan>, <virtualport> and <portgroup>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

/* --- bandwidth --- */

static int bandwidth_rate_parse(xmlNodePtr node, VmmNetworkBandwidthRate *rate, VmmError *error)
{
        static const char *const attrs[] = {"average", "peak", "floor", "burst", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        rate->present = true;
        if ((r = vmm_xml_prop_uint64(node, "average", &rate->average, error)) < 0 ||
            (r = vmm_xml_prop_uint64(node, "peak", &rate->peak, error)) < 0 ||
            (r = vmm_xml_prop_uint64(node, "floor", &rate->floor, error)) < 0 ||
            (r = vmm_xml_prop_uint(node, "burst", &rate->burst, error)) < 0)
                return r;
        return 0;
}

int vmm_network_bandwidth_parse(xmlNodePtr node, VmmNetworkBandwidth *bw, VmmError *error)
{
        static const char *const children[] = {"inbound", "outbound", NULL};
        static const char *const attrs[] = {"classID", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        bw->present = true;
        r = vmm_xml_prop_uint(node, "classID", &bw->class_id, error);
        if (r < 0)
                return r;
        if (r > 0 && bw->class_id == 0)
                return vmm_xml_attr_error(error, node, "classID",
                                          "0 is not valid (expected a positive number)");
        if ((r = vmm_network_check_once(node, "inbound", error)) < 0 ||
            (r = vmm_network_check_once(node, "outbound", error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "inbound")) &&
            (r = bandwidth_rate_parse(c, &bw->inbound, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "outbound")) &&
            (r = bandwidth_rate_parse(c, &bw->outbound, error)) < 0)
                return r;
        return 0;
}

static void bandwidth_rate_format(const VmmNetworkBandwidthRate *rate, const char *name,
                                  xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!rate->present)
                return;
        n = vmm_xml_new_child(parent, name, NULL);
        if (rate->average)
                vmm_xml_set_propf(n, "average", "%llu", (unsigned long long)rate->average);
        if (rate->peak)
                vmm_xml_set_propf(n, "peak", "%llu", (unsigned long long)rate->peak);
        if (rate->floor)
                vmm_xml_set_propf(n, "floor", "%llu", (unsigned long long)rate->floor);
        if (rate->burst)
                vmm_xml_set_propf(n, "burst", "%u", rate->burst);
}

void vmm_network_bandwidth_format(const VmmNetworkBandwidth *bw, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!bw->present)
                return;
        n = vmm_xml_new_child(parent, "bandwidth", NULL);
        if (bw->class_id)
                vmm_xml_set_propf(n, "classID", "%u", bw->class_id);
        bandwidth_rate_format(&bw->inbound, "inbound", n);
        bandwidth_rate_format(&bw->outbound, "outbound", n);
}

static bool bandwidth_rate_equal(const VmmNetworkBandwidthRate *a, const VmmNetworkBandwidthRate *b,
                                 const char *where, char **d)
{
        return vmm_diff_bool(d, where, "present", a->present, b->present) &&
               vmm_diff_u64(d, where, "average", a->average, b->average) &&
               vmm_diff_u64(d, where, "peak", a->peak, b->peak) &&
               vmm_diff_u64(d, where, "floor", a->floor, b->floor) &&
               vmm_diff_u64(d, where, "burst", a->burst, b->burst);
}

bool vmm_network_bandwidth_equal(const VmmNetworkBandwidth *a, const VmmNetworkBandwidth *b,
                                 const char *where, char **d)
{
        char w[256];

        if (!vmm_diff_bool(d, where, "bandwidth", a->present, b->present) ||
            !vmm_diff_u64(d, where, "bandwidth classID", a->class_id, b->class_id))
                return false;
        snprintf(w, sizeof(w), "%sbandwidth inbound ", where);
        if (!bandwidth_rate_equal(&a->inbound, &b->inbound, w, d))
                return false;
        snprintf(w, sizeof(w), "%sbandwidth outbound ", where);
        return bandwidth_rate_equal(&a->outbound, &b->outbound, w, d);
}

/* --- vlan --- */

static const char *const vlan_native_table[_VMM_NETWORK_VLAN_NATIVE_MAX] = {
    [VMM_NETWORK_VLAN_NATIVE_TAGGED] = "tagged",
    [VMM_NETWORK_VLAN_NATIVE_UNTAGGED] = "untagged",
};

int vmm_network_vlan_parse(xmlNodePtr node, VmmNetworkVlan *vlan, VmmError *error)
{
        static const char *const children[] = {"tag", NULL};
        static const char *const attrs[] = {"trunk", NULL};
        static const char *const tag_attrs[] = {"id", "nativeMode", NULL};
        int trunk = 0, r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        vlan->present = true;
        r = vmm_xml_prop_yesno(node, "trunk", &trunk, error);
        if (r < 0)
                return r;
        vlan->trunk = trunk == 1;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmNetworkVlanTag *tag;
                int mode = VMM_NETWORK_VLAN_NATIVE_NONE;

                if (!vmm_xml_is(c, "tag"))
                        continue;
                r = vmm_xml_check_node(c, NULL, tag_attrs, 0, NULL, error);
                if (r < 0)
                        return r;
                tag = vmm_network_array_add((void **)&vlan->tags, &vlan->n_tags, sizeof(*tag));
                if (!tag)
                        return vmm_error_oom(error);
                r = vmm_xml_prop_uint(c, "id", &tag->id, error);
                if (r < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c,
                                             "missing attribute 'id' (expected a VLAN "
                                             "id from 0 to 4095)");
                if (tag->id > 4095)
                        return vmm_xml_attr_error(
                            error, c, "id", "%u is out of range (expected 0 to 4095)", tag->id);
                r = vmm_xml_prop_enum(c, "nativeMode", vlan_native_table,
                                      _VMM_NETWORK_VLAN_NATIVE_MAX, &mode, error);
                if (r < 0)
                        return r;
                tag->native_mode = mode;
        }
        if (vlan->n_tags == 0)
                return vmm_xml_error(error, node, "has no <tag> (expected at least one)");
        return 0;
}

void vmm_network_vlan_format(const VmmNetworkVlan *vlan, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!vlan->present)
                return;
        n = vmm_xml_new_child(parent, "vlan", NULL);
        if (vlan->trunk)
                vmm_xml_set_prop(n, "trunk", "yes");
        for (size_t i = 0; i < vlan->n_tags; i++) {
                xmlNodePtr t = vmm_xml_new_child(n, "tag", NULL);
                vmm_xml_set_propf(t, "id", "%u", vlan->tags[i].id);
                vmm_xml_set_prop(t, "nativeMode",
                                 vmm_enum_to_string(vlan_native_table, _VMM_NETWORK_VLAN_NATIVE_MAX,
                                                    (int)vlan->tags[i].native_mode));
        }
}

bool vmm_network_vlan_equal(const VmmNetworkVlan *a, const VmmNetworkVlan *b, const char *where,
                            char **d)
{
        if (!vmm_diff_bool(d, where, "vlan", a->present, b->present) ||
            !vmm_diff_bool(d, where, "vlan trunk", a->trunk, b->trunk) ||
            !vmm_diff_u64(d, where, "vlan tag count", a->n_tags, b->n_tags))
                return false;
        for (size_t i = 0; i < a->n_tags; i++) {
                char w[256];

                snprintf(w, sizeof(w), "%svlan tag[%zu] ", where, i);
                if (!vmm_diff_u64(d, w, "id", a->tags[i].id, b->tags[i].id) ||
                    !vmm_diff_int(d, w, "nativeMode", a->tags[i].native_mode,
                                  b->tags[i].native_mode))
                        return false;
        }
        return true;
}

void vmm_network_vlan_done(VmmNetworkVlan *vlan)
{
        free(vlan->tags);
        memset(vlan, 0, sizeof(*vlan));
}

/* --- virtualport --- */

static const char *const vport_type_table[_VMM_NETWORK_VPORT_MAX] = {
    [VMM_NETWORK_VPORT_8021QBG] = "802.1Qbg",
    [VMM_NETWORK_VPORT_8021QBH] = "802.1Qbh",
    [VMM_NETWORK_VPORT_OPENVSWITCH] = "openvswitch",
    [VMM_NETWORK_VPORT_MIDONET] = "midonet",
};

static int vport_uuid_prop(xmlNodePtr node, const char *attr, uint8_t uuid[VMM_UUID_LEN], bool *has,
                           VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        VmmError e = VMM_ERROR_INIT;
        int r;

        if (!v)
                return 0;
        if (vmm_uuid_parse(v, uuid, &e) < 0) {
                r = vmm_xml_attr_error(error, node, attr, "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
                return r;
        }
        *has = true;
        return 1;
}

/* Which parameters each type allows: bit 0 managerid/typeid/typeidversion/
 * instanceid (802.1Qbg), bit 1 profileid, bit 2 interfaceid. */
static const unsigned int vport_allowed[_VMM_NETWORK_VPORT_MAX] = {
    [VMM_NETWORK_VPORT_NONE] = 7,    [VMM_NETWORK_VPORT_8021QBG] = 1,
    [VMM_NETWORK_VPORT_8021QBH] = 2, [VMM_NETWORK_VPORT_OPENVSWITCH] = 6,
    [VMM_NETWORK_VPORT_MIDONET] = 4,
};

static int vport_parse_params(xmlNodePtr p, VmmNetworkVirtualPort *vp, VmmError *error)
{
        static const char *const attrs[] = {
            "managerid", "typeid", "typeidversion", "instanceid", "profileid", "interfaceid", NULL};
        unsigned int allowed = vport_allowed[vp->type];
        int r;

        r = vmm_xml_check_node(p, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        vp->has_parameters = true;
        for (size_t i = 0; attrs[i]; i++) {
                unsigned int bit = i < 4 ? 1 : i == 4 ? 2 : 4;
                if (xmlHasProp(p, (const xmlChar *)attrs[i]) && !(allowed & bit))
                        return vmm_xml_attr_error(
                            error, p, attrs[i], "is not allowed for virtualport type '%s'",
                            vmm_enum_to_string(vport_type_table, _VMM_NETWORK_VPORT_MAX,
                                               (int)vp->type));
        }
        if ((r = vmm_xml_prop_uint(p, "managerid", &vp->managerid, error)) < 0)
                return r;
        vp->has_managerid = r > 0;
        if ((r = vmm_xml_prop_uint(p, "typeid", &vp->typeid, error)) < 0)
                return r;
        vp->has_typeid = r > 0;
        if ((r = vmm_xml_prop_uint(p, "typeidversion", &vp->typeidversion, error)) < 0)
                return r;
        vp->has_typeidversion = r > 0;
        if (vp->managerid > 255 || vp->typeidversion > 255)
                return vmm_xml_attr_error(error, p,
                                          vp->managerid > 255 ? "managerid" : "typeidversion",
                                          "%u is out of range (expected 0 to 255)",
                                          vp->managerid > 255 ? vp->managerid : vp->typeidversion);
        if (vp->typeid > 0xffffff)
                return vmm_xml_attr_error(
                    error, p, "typeid", "%u is out of range (expected 0 to 16777215)", vp->typeid);
        if ((r = vport_uuid_prop(p, "instanceid", vp->instanceid, &vp->has_instanceid, error)) <
                0 ||
            (r = vport_uuid_prop(p, "interfaceid", vp->interfaceid, &vp->has_interfaceid, error)) <
                0)
                return r;
        vp->profileid = vmm_xml_get_prop(p, "profileid");
        if (vp->profileid && strlen(vp->profileid) > 39)
                return vmm_xml_attr_error(error, p, "profileid",
                                          "\"%s\" is too long (expected at most 39 characters)",
                                          vp->profileid);
        return 0;
}

int vmm_network_virtualport_parse(xmlNodePtr node, VmmNetworkVirtualPort *vp, VmmError *error)
{
        static const char *const children[] = {"parameters", NULL};
        static const char *const attrs[] = {"type", NULL};
        int type = VMM_NETWORK_VPORT_NONE, r;
        xmlNodePtr p;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_enum(node, "type", vport_type_table, _VMM_NETWORK_VPORT_MAX, &type, error);
        if (r < 0)
                return r;
        vp->present = true;
        vp->type = type;
        r = vmm_network_check_once(node, "parameters", error);
        if (r < 0)
                return r;
        p = vmm_xml_child(node, "parameters");
        if (p)
                return vport_parse_params(p, vp, error);
        return 0;
}

void vmm_network_virtualport_format(const VmmNetworkVirtualPort *vp, xmlNodePtr parent)
{
        char buf[VMM_UUID_STRLEN];
        xmlNodePtr n, p;

        if (!vp->present)
                return;
        n = vmm_xml_new_child(parent, "virtualport", NULL);
        vmm_xml_set_prop(
            n, "type", vmm_enum_to_string(vport_type_table, _VMM_NETWORK_VPORT_MAX, (int)vp->type));
        if (!vp->has_parameters)
                return;
        p = vmm_xml_new_child(n, "parameters", NULL);
        if (vp->has_managerid)
                vmm_xml_set_propf(p, "managerid", "%u", vp->managerid);
        if (vp->has_typeid)
                vmm_xml_set_propf(p, "typeid", "%u", vp->typeid);
        if (vp->has_typeidversion)
                vmm_xml_set_propf(p, "typeidversion", "%u", vp->typeidversion);
        if (vp->has_instanceid)
                vmm_xml_set_prop(p, "instanceid", vmm_uuid_format(vp->instanceid, buf));
        vmm_xml_set_prop(p, "profileid", vp->profileid);
        if (vp->has_interfaceid)
                vmm_xml_set_prop(p, "interfaceid", vmm_uuid_format(vp->interfaceid, buf));
}

bool vmm_network_virtualport_equal(const VmmNetworkVirtualPort *a, const VmmNetworkVirtualPort *b,
                                   const char *where, char **d)
{
        char w[256];

        snprintf(w, sizeof(w), "%svirtualport ", where);
        return vmm_diff_bool(d, w, "present", a->present, b->present) &&
               vmm_diff_int(d, w, "type", a->type, b->type) &&
               vmm_diff_bool(d, w, "parameters", a->has_parameters, b->has_parameters) &&
               vmm_diff_bool(d, w, "managerid given", a->has_managerid, b->has_managerid) &&
               vmm_diff_u64(d, w, "managerid", a->managerid, b->managerid) &&
               vmm_diff_bool(d, w, "typeid given", a->has_typeid, b->has_typeid) &&
               vmm_diff_u64(d, w, "typeid", a->typeid, b->typeid) &&
               vmm_diff_bool(d, w, "typeidversion given", a->has_typeidversion,
                             b->has_typeidversion) &&
               vmm_diff_u64(d, w, "typeidversion", a->typeidversion, b->typeidversion) &&
               vmm_diff_bool(d, w, "instanceid given", a->has_instanceid, b->has_instanceid) &&
               vmm_diff_bytes(d, w, "instanceid", a->instanceid, b->instanceid, VMM_UUID_LEN) &&
               vmm_diff_bool(d, w, "interfaceid given", a->has_interfaceid, b->has_interfaceid) &&
               vmm_diff_bytes(d, w, "interfaceid", a->interfaceid, b->interfaceid, VMM_UUID_LEN) &&
               vmm_diff_str(d, w, "profileid", a->profileid, b->profileid);
}

void vmm_network_virtualport_done(VmmNetworkVirtualPort *vp)
{
        free(vp->profileid);
        memset(vp, 0, sizeof(*vp));
}

/* --- portgroup --- */

int vmm_network_portgroup_parse(xmlNodePtr node, unsigned int flags, VmmNetworkPortGroup *pg,
                                VmmError *error)
{
        static const char *const children[] = {"virtualport", "bandwidth", "vlan", NULL};
        static const char *const attrs[] = {"name", "default", "trustGuestRxFilters", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, attrs, flags, &pg->unknown, error);
        if (r < 0)
                return r;
        pg->name = vmm_xml_get_prop(node, "name");
        if (!pg->name || !*pg->name)
                return vmm_xml_error(error, node, "missing attribute 'name'");
        if ((r = vmm_network_prop_tristate(node, "default", &pg->is_default, error)) < 0 ||
            (r = vmm_network_prop_tristate(node, "trustGuestRxFilters", &pg->trust_guest_rx_filters,
                                           error)) < 0)
                return r;
        for (size_t i = 0; children[i]; i++)
                if ((r = vmm_network_check_once(node, children[i], error)) < 0)
                        return r;
        if ((c = vmm_xml_child(node, "virtualport")) &&
            (r = vmm_network_virtualport_parse(c, &pg->virtualport, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "bandwidth")) &&
            (r = vmm_network_bandwidth_parse(c, &pg->bandwidth, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "vlan")) &&
            (r = vmm_network_vlan_parse(c, &pg->vlan, error)) < 0)
                return r;
        return 0;
}

void vmm_network_portgroup_format(const VmmNetworkPortGroup *pg, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "portgroup", NULL);

        vmm_xml_set_prop(n, "name", pg->name);
        vmm_network_set_tristate(n, "default", pg->is_default, false);
        vmm_network_set_tristate(n, "trustGuestRxFilters", pg->trust_guest_rx_filters, false);
        vmm_network_vlan_format(&pg->vlan, n);
        vmm_network_virtualport_format(&pg->virtualport, n);
        vmm_network_bandwidth_format(&pg->bandwidth, n);
        vmm_xml_unknown_format(&pg->unknown, n);
}

bool vmm_network_portgroup_equal(const VmmNetworkPortGroup *a, const VmmNetworkPortGroup *b,
                                 const char *where, char **d)
{
        return vmm_diff_str(d, where, "name", a->name, b->name) &&
               vmm_diff_tristate(d, where, "default", a->is_default, b->is_default) &&
               vmm_diff_tristate(d, where, "trustGuestRxFilters", a->trust_guest_rx_filters,
                                 b->trust_guest_rx_filters) &&
               vmm_network_virtualport_equal(&a->virtualport, &b->virtualport, where, d) &&
               vmm_network_bandwidth_equal(&a->bandwidth, &b->bandwidth, where, d) &&
               vmm_network_vlan_equal(&a->vlan, &b->vlan, where, d) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(d, "%sunknown content kept differs", where));
}

void vmm_network_portgroup_done(VmmNetworkPortGroup *pg)
{
        free(pg->name);
        vmm_network_virtualport_done(&pg->virtualport);
        vmm_network_vlan_done(&pg->vlan);
        vmm_xml_unknown_done(&pg->unknown);
        memset(pg, 0, sizeof(*pg));
}
