/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network.c: the <network> document: top-level elements, parse and format
 * entry points, comparison and defaults. Sections live in network-*.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

#define NETWORK_DNSMASQ_NS "http://libvirt.org/schemas/network/dnsmasq/1.0"

static const char *const mac_table_table[_VMM_NETWORK_MAC_TABLE_MAX] = {
    [VMM_NETWORK_MAC_TABLE_KERNEL] = "kernel",
    [VMM_NETWORK_MAC_TABLE_LIBVIRT] = "libvirt",
};

static const char *const network_children[] = {
    "name", "uuid",    "title",       "description", "metadata", "bridge", "mtu",
    "mac",  "forward", "virtualport", "portgroup",   "domain",   "dns",    "bandwidth",
    "vlan", "port",    "ip",          "route",       NULL,
};
static const char *const network_attrs[] = {"connections", "ipv6", "trustGuestRxFilters", NULL};

VmmNetworkDef *vmm_network_def_free(VmmNetworkDef *def)
{
        if (!def)
                return NULL;
        free(def->name);
        free(def->title);
        free(def->description);
        if (def->metadata)
                xmlFreeNode(def->metadata);
        free(def->bridge_name);
        free(def->bridge_zone);
        vmm_network_forward_done(&def->forward);
        vmm_network_virtualport_done(&def->virtualport);
        for (size_t i = 0; i < def->n_portgroups; i++)
                vmm_network_portgroup_done(&def->portgroups[i]);
        free(def->portgroups);
        free(def->domain_name);
        vmm_network_dns_done(&def->dns);
        vmm_network_vlan_done(&def->vlan);
        for (size_t i = 0; i < def->n_ips; i++)
                vmm_network_ip_done(&def->ips[i]);
        free(def->ips);
        free(def->routes);
        for (size_t i = 0; i < def->n_dnsmasq_options; i++)
                free(def->dnsmasq_options[i]);
        free(def->dnsmasq_options);
        vmm_xml_unknown_done(&def->unknown);
        free(def);
        return NULL;
}

static bool network_is_dnsmasq(xmlNodePtr node, const char *name)
{
        return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
               xmlStrEqual(node->ns->href, (const xmlChar *)NETWORK_DNSMASQ_NS) &&
               xmlStrEqual(node->name, (const xmlChar *)name);
}

static bool network_name_in(const char *const *names, const xmlChar *name)
{
        for (; *names; names++)
                if (xmlStrEqual((const xmlChar *)*names, name))
                        return true;
        return false;
}

/* As vmm_xml_check_node(), but <dnsmasq:options> is known content. */
static int network_check_root(xmlNodePtr root, unsigned int flags, VmmXmlUnknown *keep,
                              VmmError *error)
{
        bool keeping = flags & VMM_XML_KEEP_UNKNOWN;

        for (xmlAttrPtr a = root->properties; a; a = a->next) {
                xmlAttrPtr *attrs, copy;
                xmlChar *value;

                if (!a->ns && network_name_in(network_attrs, a->name))
                        continue;
                if (!keeping)
                        return vmm_xml_error(error, root, "unknown attribute '%s'",
                                             (const char *)a->name);
                attrs = realloc(keep->attrs, (keep->n_attrs + 1) * sizeof(*attrs));
                if (!attrs)
                        return vmm_error_oom(error);
                keep->attrs = attrs;
                /* a copy of its own: xmlCopyProp(NULL, a) would take the name
                 * from the source document's dictionary, freed with it */
                value = xmlNodeGetContent((xmlNodePtr)a);
                copy = xmlNewProp(NULL, a->name, value);
                xmlFree(value);
                if (!copy)
                        return vmm_error_oom(error);
                keep->attrs[keep->n_attrs++] = copy;
        }
        for (xmlNodePtr c = root->children; c; c = c->next) {
                xmlNodePtr *nodes, copy;

                if (c->type != XML_ELEMENT_NODE || network_is_dnsmasq(c, "options") ||
                    (!c->ns && network_name_in(network_children, c->name)))
                        continue;
                if (!keeping)
                        return vmm_error_set(
                            error, -EINVAL, VMM_ERR_XML,
                            "line %ld: <network>: unknown element <%s%s%s>", xmlGetLineNo(c),
                            c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
                            c->ns && c->ns->prefix ? ":" : "", (const char *)c->name);
                nodes = realloc(keep->nodes, (keep->n_nodes + 1) * sizeof(*nodes));
                if (!nodes)
                        return vmm_error_oom(error);
                keep->nodes = nodes;
                copy = xmlCopyNode(c, 1);
                if (!copy)
                        return vmm_error_oom(error);
                keep->nodes[keep->n_nodes++] = copy;
        }
        return 0;
}

static int network_parse_dnsmasq(xmlNodePtr node, VmmNetworkDef *def, VmmError *error)
{
        def->has_dnsmasq_options = true;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                char **opt;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                if (!network_is_dnsmasq(c, "option"))
                        return vmm_xml_error(error, node,
                                             "unknown element <%s> (expected "
                                             "<dnsmasq:option value='...'/>)",
                                             (const char *)c->name);
                opt = vmm_network_array_add((void **)&def->dnsmasq_options, &def->n_dnsmasq_options,
                                            sizeof(*opt));
                if (!opt)
                        return vmm_error_oom(error);
                *opt = vmm_xml_get_prop(c, "value");
                if (!*opt)
                        return vmm_xml_error(error, c, "missing attribute 'value'");
        }
        return 0;
}

/* Drops whitespace-only text inside kept <metadata>: the formatter indents
 * it anew, so a parse -> format -> parse cycle stays a fixed point. */
static void network_strip_blanks(xmlNodePtr node)
{
        xmlNodePtr c = node->children;

        while (c) {
                xmlNodePtr next = c->next;

                if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
                        xmlUnlinkNode(c);
                        xmlFreeNode(c);
                } else if (c->type == XML_ELEMENT_NODE)
                        network_strip_blanks(c);
                c = next;
        }
}

static int network_parse_bridge(xmlNodePtr node, VmmNetworkDef *def, VmmError *error)
{
        static const char *const attrs[] = {"name", "zone", "stp", "delay", "macTableManager",
                                            NULL};
        int mtm = VMM_NETWORK_MAC_TABLE_DEFAULT, r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        def->has_bridge = true;
        def->bridge_name = vmm_xml_get_prop(node, "name");
        def->bridge_zone = vmm_xml_get_prop(node, "zone");
        if ((r = vmm_network_prop_tristate(node, "stp", &def->bridge_stp, error)) < 0 ||
            (r = vmm_xml_prop_uint64(node, "delay", &def->bridge_delay, error)) < 0)
                return r;
        def->has_bridge_delay = r > 0;
        r = vmm_xml_prop_enum(node, "macTableManager", mac_table_table, _VMM_NETWORK_MAC_TABLE_MAX,
                              &mtm, error);
        if (r < 0)
                return r;
        def->mac_table_manager = mtm;
        return 0;
}

static int network_parse_simple(xmlNodePtr root, VmmNetworkDef *def, VmmError *error)
{
        static const char *const mtu_attrs[] = {"size", NULL};
        static const char *const mac_attrs[] = {"address", NULL};
        static const char *const domain_attrs[] = {"name", "localOnly", "register", NULL};
        static const char *const port_attrs[] = {"isolated", NULL};
        xmlNodePtr c;
        int r;

        if ((c = vmm_xml_child(root, "mtu"))) {
                if ((r = vmm_xml_check_node(c, NULL, mtu_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_uint(c, "size", &def->mtu, error)) < 0)
                        return r;
                if (r == 0 || def->mtu == 0 || def->mtu > 65535)
                        return vmm_xml_error(error, c, "needs a 'size' from 1 to 65535");
        }
        if ((c = vmm_xml_child(root, "mac"))) {
                if ((r = vmm_xml_check_node(c, NULL, mac_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_mac_prop(c, "address", def->mac, error)) < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'address'");
                def->has_mac = true;
        }
        if ((c = vmm_xml_child(root, "domain"))) {
                if ((r = vmm_xml_check_node(c, NULL, domain_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_network_prop_tristate(c, "localOnly", &def->domain_local_only,
                                                   error)) < 0 ||
                    (r = vmm_network_prop_tristate(c, "register", &def->domain_register, error)) <
                        0)
                        return r;
                def->domain_name = vmm_xml_get_prop(c, "name");
                if (!def->domain_name || !*def->domain_name)
                        return vmm_xml_error(error, c, "missing attribute 'name'");
        }
        if ((c = vmm_xml_child(root, "port"))) {
                if ((r = vmm_xml_check_node(c, NULL, port_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_yesno(c, "isolated", &def->port_isolated, error)) < 0)
                        return r;
                if (r == 0)
                        def->port_isolated = 0; /* <port/> alone */
        }
        if ((c = vmm_xml_child(root, "bridge")) && (r = network_parse_bridge(c, def, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "metadata"))) {
                def->metadata = xmlCopyNode(c, 1);
                if (!def->metadata)
                        return vmm_error_oom(error);
                network_strip_blanks(def->metadata);
        }
        return 0;
}

static int network_parse_ident(xmlNodePtr root, VmmNetworkDef *def, VmmError *error)
{
        _cleanup_free_ char *uuid = NULL;
        int r;

        r = vmm_network_single_text(root, "name", &def->name, error);
        if (r < 0)
                return r;
        if (r == 0 || !*def->name)
                return vmm_xml_error(error, root, "missing <name> (expected the network's name)");
        if (strchr(def->name, '/'))
                return vmm_xml_error(error, vmm_xml_child(root, "name"),
                                     "\"%s\" contains '/' (not allowed in a name)", def->name);
        r = vmm_network_single_text(root, "uuid", &uuid, error);
        if (r < 0)
                return r;
        if (r > 0) {
                VmmError e = VMM_ERROR_INIT;

                if (vmm_uuid_parse(uuid, def->uuid, &e) < 0) {
                        r = vmm_xml_error(error, vmm_xml_child(root, "uuid"), "%s",
                                          vmm_error_message(&e));
                        vmm_error_clear(&e);
                        return r;
                }
                def->has_uuid = true;
        }
        if ((r = vmm_network_single_text(root, "title", &def->title, error)) < 0 ||
            (r = vmm_network_single_text(root, "description", &def->description, error)) < 0)
                return r;
        if (def->title && strchr(def->title, '\n'))
                return vmm_xml_error(error, vmm_xml_child(root, "title"), "must be a single line");
        if ((r = vmm_xml_prop_uint(root, "connections", &def->connections, error)) < 0 ||
            (r = vmm_network_prop_tristate(root, "ipv6", &def->ipv6, error)) < 0 ||
            (r = vmm_network_prop_tristate(root, "trustGuestRxFilters",
                                           &def->trust_guest_rx_filters, error)) < 0)
                return r;
        return 0;
}

static int network_parse_lists(xmlNodePtr root, unsigned int flags, VmmNetworkDef *def,
                               VmmError *error)
{
        int r = 0;

        for (xmlNodePtr c = root->children; c; c = c->next) {
                if (vmm_xml_is(c, "ip")) {
                        VmmNetworkIp *ip =
                            vmm_network_array_add((void **)&def->ips, &def->n_ips, sizeof(*ip));
                        if (!ip)
                                return vmm_error_oom(error);
                        r = vmm_network_ip_parse(c, flags, ip, error);
                } else if (vmm_xml_is(c, "route")) {
                        VmmNetworkRoute *rt = vmm_network_array_add((void **)&def->routes,
                                                                    &def->n_routes, sizeof(*rt));
                        if (!rt)
                                return vmm_error_oom(error);
                        r = vmm_network_route_parse(c, flags, rt, error);
                } else if (vmm_xml_is(c, "portgroup")) {
                        VmmNetworkPortGroup *pg = vmm_network_array_add(
                            (void **)&def->portgroups, &def->n_portgroups, sizeof(*pg));
                        if (!pg)
                                return vmm_error_oom(error);
                        r = vmm_network_portgroup_parse(c, flags, pg, error);
                } else if (network_is_dnsmasq(c, "options")) {
                        if (def->has_dnsmasq_options)
                                return vmm_xml_error(error, c,
                                                     "appears more than once "
                                                     "(expected at most one)");
                        r = network_parse_dnsmasq(c, def, error);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_network_def_parse_node(xmlNodePtr root, unsigned int flags, VmmNetworkDef **ret_def,
                               VmmError *error)
{
        static const char *const once[] = {"bridge",      "mtu",    "mac",      "forward",
                                           "virtualport", "domain", "dns",      "bandwidth",
                                           "vlan",        "port",   "metadata", NULL};
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = NULL;
        xmlNodePtr c;
        int r;

        if (!vmm_xml_is(root, "network"))
                return vmm_xml_error(error, root, "root element is not <network>");
        def = calloc(1, sizeof(*def));
        if (!def)
                return vmm_error_oom(error);
        def->ipv6 = def->trust_guest_rx_filters = def->bridge_stp = -1;
        def->domain_local_only = def->domain_register = def->port_isolated = -1;
        def->forward.managed = def->forward.nat_ipv6 = -1;
        def->dns.enable = def->dns.forward_plain_names = -1;
        if ((r = network_check_root(root, flags, &def->unknown, error)) < 0)
                return r;
        for (size_t i = 0; once[i]; i++)
                if ((r = vmm_network_check_once(root, once[i], error)) < 0)
                        return r;
        if ((r = network_parse_ident(root, def, error)) < 0 ||
            (r = network_parse_simple(root, def, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "forward")) &&
            (r = vmm_network_forward_parse(c, flags, &def->forward, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "virtualport")) &&
            (r = vmm_network_virtualport_parse(c, &def->virtualport, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "dns")) &&
            (r = vmm_network_dns_parse(c, flags, &def->dns, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "bandwidth")) &&
            (r = vmm_network_bandwidth_parse(c, &def->bandwidth, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "vlan")) &&
            (r = vmm_network_vlan_parse(c, &def->vlan, error)) < 0)
                return r;
        if ((r = network_parse_lists(root, flags, def, error)) < 0)
                return r;
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_network_def_parse(const char *xml, size_t len, unsigned int flags, VmmNetworkDef **ret_def,
                          VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, "network XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "network", &root, error);
        if (r < 0)
                return r;
        if (flags & VMM_XML_VALIDATE) {
                r = vmm_xml_validate(doc, "network", error);
                if (r < 0)
                        return r;
        }
        return vmm_network_def_parse_node(root, flags, ret_def, error);
}

static void network_format_head(const VmmNetworkDef *def, xmlNodePtr root)
{
        char buf[VMM_UUID_STRLEN];

        if (def->connections)
                vmm_xml_set_propf(root, "connections", "%u", def->connections);
        vmm_network_set_tristate(root, "ipv6", def->ipv6, false);
        vmm_network_set_tristate(root, "trustGuestRxFilters", def->trust_guest_rx_filters, false);
        vmm_xml_new_child(root, "name", def->name);
        if (def->has_uuid)
                vmm_xml_new_child(root, "uuid", vmm_uuid_format(def->uuid, buf));
        if (def->title)
                vmm_xml_new_child(root, "title", def->title);
        if (def->description)
                vmm_xml_new_child(root, "description", def->description);
        if (def->metadata) {
                xmlNodePtr m = xmlDocCopyNode(def->metadata, root->doc, 1);
                if (m)
                        xmlAddChild(root, m);
        }
}

static void network_format_body(const VmmNetworkDef *def, xmlNodePtr root)
{
        vmm_network_forward_format(&def->forward, root);
        if (def->has_bridge) {
                xmlNodePtr b = vmm_xml_new_child(root, "bridge", NULL);
                vmm_xml_set_prop(b, "name", def->bridge_name);
                vmm_xml_set_prop(b, "zone", def->bridge_zone);
                vmm_network_set_tristate(b, "stp", def->bridge_stp, true);
                if (def->has_bridge_delay)
                        vmm_xml_set_propf(b, "delay", "%llu",
                                          (unsigned long long)def->bridge_delay);
                vmm_xml_set_prop(b, "macTableManager",
                                 vmm_enum_to_string(mac_table_table, _VMM_NETWORK_MAC_TABLE_MAX,
                                                    (int)def->mac_table_manager));
        }
        if (def->mtu)
                vmm_xml_set_propf(vmm_xml_new_child(root, "mtu", NULL), "size", "%u", def->mtu);
        if (def->has_mac)
                vmm_mac_set_prop(vmm_xml_new_child(root, "mac", NULL), "address", def->mac);
        if (def->domain_name) {
                xmlNodePtr d = vmm_xml_new_child(root, "domain", NULL);
                vmm_xml_set_prop(d, "name", def->domain_name);
                vmm_network_set_tristate(d, "localOnly", def->domain_local_only, false);
                vmm_network_set_tristate(d, "register", def->domain_register, false);
        }
        vmm_network_dns_format(&def->dns, root);
        vmm_network_bandwidth_format(&def->bandwidth, root);
        vmm_network_vlan_format(&def->vlan, root);
        if (def->port_isolated >= 0) {
                xmlNodePtr p = vmm_xml_new_child(root, "port", NULL);
                if (def->port_isolated)
                        vmm_xml_set_prop(p, "isolated", "yes");
        }
        vmm_network_virtualport_format(&def->virtualport, root);
        for (size_t i = 0; i < def->n_portgroups; i++)
                vmm_network_portgroup_format(&def->portgroups[i], root);
        for (size_t i = 0; i < def->n_ips; i++)
                vmm_network_ip_format(&def->ips[i], root);
        for (size_t i = 0; i < def->n_routes; i++)
                vmm_network_route_format(&def->routes[i], root);
}

int vmm_network_def_format(const VmmNetworkDef *def, unsigned int flags, char **ret_xml,
                           VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;

        doc = vmm_xml_new_doc("network", &root);
        if (!doc)
                return vmm_error_oom(error);
        network_format_head(def, root);
        network_format_body(def, root);
        if (def->has_dnsmasq_options) {
                xmlNsPtr ns =
                    xmlNewNs(root, (const xmlChar *)NETWORK_DNSMASQ_NS, (const xmlChar *)"dnsmasq");
                xmlNodePtr opts = xmlNewChild(root, ns, (const xmlChar *)"options", NULL);

                for (size_t i = 0; opts && i < def->n_dnsmasq_options; i++) {
                        xmlNodePtr o = xmlNewChild(opts, ns, (const xmlChar *)"option", NULL);
                        vmm_xml_set_prop(o, "value", def->dnsmasq_options[i]);
                }
        }
        vmm_xml_unknown_format(&def->unknown, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}
