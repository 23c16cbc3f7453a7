/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-ip.c: <ip> (address, netmask or prefix, tftp, DHCP ranges, hosts
 * and bootp) and <route>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

static const char *const ip_family_table[_VMM_NETWORK_IP_FAMILY_MAX] = {
    [VMM_NETWORK_IP_FAMILY_IPV4] = "ipv4",
    [VMM_NETWORK_IP_FAMILY_IPV6] = "ipv6",
};

int vmm_network_ip_af(VmmNetworkIpFamily family, const VmmNetAddr *address)
{
        if (family == VMM_NETWORK_IP_FAMILY_IPV4)
                return AF_INET;
        if (family == VMM_NETWORK_IP_FAMILY_IPV6)
                return AF_INET6;
        return address->family ? address->family : AF_INET;
}

int vmm_network_ip_prefix(const VmmNetworkIp *ip)
{
        if (ip->prefix >= 0)
                return ip->prefix;
        if (ip->netmask.family)
                return vmm_netaddr_netmask_prefix(&ip->netmask);
        if (ip->address.family == AF_INET) {
                /* the classful default, as libvirt does */
                uint8_t b = ip->address.bytes[0];
                return b < 128 ? 8 : b < 192 ? 16 : b < 224 ? 24 : -1;
        }
        if (ip->address.family == AF_INET6)
                return 64;
        return -1;
}

/* family=, then netmask= or prefix= (not both), common to <ip> and <route>. */
static int ip_parse_family_mask(xmlNodePtr node, VmmNetworkIpFamily *family, VmmNetAddr *mask,
                                int *prefix, VmmError *error)
{
        int fam = VMM_NETWORK_IP_FAMILY_NONE;
        unsigned int p;
        int r;

        r = vmm_xml_prop_enum(node, "family", ip_family_table, _VMM_NETWORK_IP_FAMILY_MAX, &fam,
                              error);
        if (r < 0)
                return r;
        *family = fam;
        *prefix = -1;
        if (xmlHasProp(node, (const xmlChar *)"netmask") &&
            xmlHasProp(node, (const xmlChar *)"prefix"))
                return vmm_xml_error(error, node,
                                     "has both 'netmask' and 'prefix' (expected "
                                     "one of them)");
        r = vmm_netaddr_prop(node, "netmask", AF_INET, mask, error);
        if (r < 0)
                return r;
        if (r > 0 && vmm_netaddr_netmask_prefix(mask) < 0) {
                char buf[64];
                return vmm_xml_attr_error(error, node, "netmask",
                                          "\"%s\" is not a netmask (expected contiguous "
                                          "bits, e.g. \"255.255.255.0\")",
                                          vmm_netaddr_format(mask, buf, sizeof(buf)));
        }
        r = vmm_xml_prop_uint(node, "prefix", &p, error);
        if (r < 0)
                return r;
        if (r > 0) {
                if (p > 128)
                        return vmm_xml_attr_error(error, node, "prefix",
                                                  "%u is out of range (expected 0 to 128)", p);
                *prefix = (int)p;
        }
        return 0;
}

static int lease_parse(xmlNodePtr parent, VmmNetworkLease *lease, VmmError *error)
{
        static const char *const attrs[] = {"expiry", "unit", NULL};
        xmlNodePtr c = vmm_xml_child(parent, "lease");
        int r;

        if (!c)
                return 0;
        if ((r = vmm_network_check_once(parent, "lease", error)) < 0 ||
            (r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0)
                return r;
        r = vmm_xml_prop_uint64(c, "expiry", &lease->expiry, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, c, "missing attribute 'expiry'");
        lease->present = true;
        lease->unit = vmm_xml_get_prop(c, "unit");
        if (lease->unit && strcmp(lease->unit, "seconds") != 0 &&
            strcmp(lease->unit, "minutes") != 0 && strcmp(lease->unit, "hours") != 0)
                return vmm_xml_attr_error(error, c, "unit",
                                          "\"%s\" is not valid (expected one of \"seconds\", "
                                          "\"minutes\", \"hours\")",
                                          lease->unit);
        return 0;
}

static int dhcp_parse_range(xmlNodePtr c, VmmNetworkIp *ip, VmmError *error)
{
        static const char *const children[] = {"lease", NULL};
        static const char *const attrs[] = {"start", "end", NULL};
        VmmNetworkDhcpRange *range;
        int r;

        r = vmm_xml_check_node(c, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        range = vmm_network_array_add((void **)&ip->ranges, &ip->n_ranges, sizeof(*range));
        if (!range)
                return vmm_error_oom(error);
        if ((r = vmm_netaddr_prop(c, "start", 0, &range->start, error)) < 0 ||
            (r = vmm_netaddr_prop(c, "end", 0, &range->end, error)) < 0)
                return r;
        if (!range->start.family || !range->end.family)
                return vmm_xml_error(error, c, "needs both 'start' and 'end' addresses");
        return lease_parse(c, &range->lease, error);
}

static int dhcp_parse_host(xmlNodePtr c, VmmNetworkIp *ip, VmmError *error)
{
        static const char *const children[] = {"lease", NULL};
        static const char *const attrs[] = {"mac", "id", "name", "ip", NULL};
        VmmNetworkDhcpHost *host;
        int r;

        r = vmm_xml_check_node(c, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        host = vmm_network_array_add((void **)&ip->hosts, &ip->n_hosts, sizeof(*host));
        if (!host)
                return vmm_error_oom(error);
        r = vmm_mac_prop(c, "mac", host->mac, error);
        if (r < 0)
                return r;
        host->has_mac = r > 0;
        host->id = vmm_xml_get_prop(c, "id");
        host->name = vmm_xml_get_prop(c, "name");
        if (!host->has_mac && !host->id && !host->name)
                return vmm_xml_error(error, c, "needs a 'mac', 'id' or 'name' attribute");
        if (host->has_mac && host->id)
                return vmm_xml_error(error, c, "has both 'mac' and 'id' (expected one of them)");
        r = vmm_netaddr_prop(c, "ip", 0, &host->ip, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, c, "missing attribute 'ip'");
        return lease_parse(c, &host->lease, error);
}

static int ip_parse_dhcp(xmlNodePtr dhcp, VmmNetworkIp *ip, VmmError *error)
{
        static const char *const children[] = {"range", "host", "bootp", NULL};
        static const char *const bootp_attrs[] = {"file", "server", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(dhcp, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        ip->has_dhcp = true;
        for (c = dhcp->children; c; c = c->next) {
                if (vmm_xml_is(c, "range"))
                        r = dhcp_parse_range(c, ip, error);
                else if (vmm_xml_is(c, "host"))
                        r = dhcp_parse_host(c, ip, error);
                if (r < 0)
                        return r;
        }
        if ((r = vmm_network_check_once(dhcp, "bootp", error)) < 0)
                return r;
        if ((c = vmm_xml_child(dhcp, "bootp"))) {
                if ((r = vmm_xml_check_node(c, NULL, bootp_attrs, 0, NULL, error)) < 0)
                        return r;
                ip->bootp_file = vmm_xml_get_prop(c, "file");
                ip->bootp_server = vmm_xml_get_prop(c, "server");
                if (!ip->bootp_file)
                        return vmm_xml_error(error, c, "missing attribute 'file'");
        }
        return 0;
}

int vmm_network_ip_parse(xmlNodePtr node, unsigned int flags, VmmNetworkIp *ip, VmmError *error)
{
        static const char *const children[] = {"tftp", "dhcp", NULL};
        static const char *const attrs[] = {"address", "netmask",  "prefix",
                                            "family",  "localPtr", NULL};
        static const char *const tftp_attrs[] = {"root", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, attrs, flags, &ip->unknown, error);
        if (r < 0)
                return r;
        r = ip_parse_family_mask(node, &ip->family, &ip->netmask, &ip->prefix, error);
        if (r < 0)
                return r;
        r = vmm_netaddr_prop(
            node, "address",
            ip->family == VMM_NETWORK_IP_FAMILY_NONE ? 0 : vmm_network_ip_af(ip->family, NULL),
            &ip->address, error);
        if (r < 0)
                return r;
        if ((r = vmm_network_prop_tristate(node, "localPtr", &ip->local_ptr, error)) < 0 ||
            (r = vmm_network_check_once(node, "tftp", error)) < 0 ||
            (r = vmm_network_check_once(node, "dhcp", error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "tftp"))) {
                if ((r = vmm_xml_check_node(c, NULL, tftp_attrs, 0, NULL, error)) < 0)
                        return r;
                ip->tftp_root = vmm_xml_get_prop(c, "root");
                if (!ip->tftp_root)
                        return vmm_xml_error(error, c, "missing attribute 'root'");
        }
        if ((c = vmm_xml_child(node, "dhcp")))
                return ip_parse_dhcp(c, ip, error);
        return 0;
}

static void lease_format(const VmmNetworkLease *lease, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!lease->present)
                return;
        n = vmm_xml_new_child(parent, "lease", NULL);
        vmm_xml_set_propf(n, "expiry", "%llu", (unsigned long long)lease->expiry);
        vmm_xml_set_prop(n, "unit", lease->unit);
}

static void ip_format_dhcp(const VmmNetworkIp *ip, xmlNodePtr n)
{
        xmlNodePtr dhcp = vmm_xml_new_child(n, "dhcp", NULL);

        for (size_t i = 0; i < ip->n_ranges; i++) {
                xmlNodePtr r = vmm_xml_new_child(dhcp, "range", NULL);
                vmm_netaddr_set_prop(r, "start", &ip->ranges[i].start);
                vmm_netaddr_set_prop(r, "end", &ip->ranges[i].end);
                lease_format(&ip->ranges[i].lease, r);
        }
        for (size_t i = 0; i < ip->n_hosts; i++) {
                const VmmNetworkDhcpHost *h = &ip->hosts[i];
                xmlNodePtr c = vmm_xml_new_child(dhcp, "host", NULL);
                if (h->has_mac)
                        vmm_mac_set_prop(c, "mac", h->mac);
                vmm_xml_set_prop(c, "id", h->id);
                vmm_xml_set_prop(c, "name", h->name);
                vmm_netaddr_set_prop(c, "ip", &h->ip);
                lease_format(&h->lease, c);
        }
        if (ip->bootp_file) {
                xmlNodePtr b = vmm_xml_new_child(dhcp, "bootp", NULL);
                vmm_xml_set_prop(b, "file", ip->bootp_file);
                vmm_xml_set_prop(b, "server", ip->bootp_server);
        }
}

void vmm_network_ip_format(const VmmNetworkIp *ip, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "ip", NULL);

        vmm_xml_set_prop(
            n, "family",
            vmm_enum_to_string(ip_family_table, _VMM_NETWORK_IP_FAMILY_MAX, (int)ip->family));
        vmm_netaddr_set_prop(n, "address", &ip->address);
        vmm_netaddr_set_prop(n, "netmask", &ip->netmask);
        if (ip->prefix >= 0)
                vmm_xml_set_propf(n, "prefix", "%d", ip->prefix);
        vmm_network_set_tristate(n, "localPtr", ip->local_ptr, false);
        if (ip->tftp_root)
                vmm_xml_set_prop(vmm_xml_new_child(n, "tftp", NULL), "root", ip->tftp_root);
        if (ip->has_dhcp)
                ip_format_dhcp(ip, n);
        vmm_xml_unknown_format(&ip->unknown, n);
}

static bool lease_equal(const VmmNetworkLease *a, const VmmNetworkLease *b, const char *w, char **d)
{
        return vmm_diff_bool(d, w, "lease", a->present, b->present) &&
               vmm_diff_u64(d, w, "lease expiry", a->expiry, b->expiry) &&
               vmm_diff_str(d, w, "lease unit", a->unit, b->unit);
}

static bool dhcp_equal(const VmmNetworkIp *a, const VmmNetworkIp *b, const char *where, char **d)
{
        char w[256];

        if (!vmm_diff_u64(d, where, "dhcp range count", a->n_ranges, b->n_ranges) ||
            !vmm_diff_u64(d, where, "dhcp host count", a->n_hosts, b->n_hosts))
                return false;
        for (size_t i = 0; i < a->n_ranges; i++) {
                snprintf(w, sizeof(w), "%sdhcp range[%zu] ", where, i);
                if (!vmm_netaddr_diff(d, w, "start", &a->ranges[i].start, &b->ranges[i].start) ||
                    !vmm_netaddr_diff(d, w, "end", &a->ranges[i].end, &b->ranges[i].end) ||
                    !lease_equal(&a->ranges[i].lease, &b->ranges[i].lease, w, d))
                        return false;
        }
        for (size_t i = 0; i < a->n_hosts; i++) {
                const VmmNetworkDhcpHost *x = &a->hosts[i], *y = &b->hosts[i];
                snprintf(w, sizeof(w), "%sdhcp host[%zu] ", where, i);
                if (!vmm_diff_bool(d, w, "mac given", x->has_mac, y->has_mac) ||
                    !vmm_diff_bytes(d, w, "mac", x->mac, y->mac, 6) ||
                    !vmm_diff_str(d, w, "id", x->id, y->id) ||
                    !vmm_diff_str(d, w, "name", x->name, y->name) ||
                    !vmm_netaddr_diff(d, w, "ip", &x->ip, &y->ip) ||
                    !lease_equal(&x->lease, &y->lease, w, d))
                        return false;
        }
        return vmm_diff_str(d, where, "bootp file", a->bootp_file, b->bootp_file) &&
               vmm_diff_str(d, where, "bootp server", a->bootp_server, b->bootp_server);
}

bool vmm_network_ip_equal(const VmmNetworkIp *a, const VmmNetworkIp *b, const char *where, char **d)
{
        return vmm_diff_int(d, where, "family", a->family, b->family) &&
               vmm_netaddr_diff(d, where, "address", &a->address, &b->address) &&
               vmm_netaddr_diff(d, where, "netmask", &a->netmask, &b->netmask) &&
               vmm_diff_int(d, where, "prefix", a->prefix, b->prefix) &&
               vmm_diff_tristate(d, where, "localPtr", a->local_ptr, b->local_ptr) &&
               vmm_diff_str(d, where, "tftp root", a->tftp_root, b->tftp_root) &&
               vmm_diff_bool(d, where, "dhcp", a->has_dhcp, b->has_dhcp) &&
               dhcp_equal(a, b, where, d) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(d, "%sunknown content kept differs", where));
}

void vmm_network_ip_done(VmmNetworkIp *ip)
{
        for (size_t i = 0; i < ip->n_ranges; i++)
                free(ip->ranges[i].lease.unit);
        for (size_t i = 0; i < ip->n_hosts; i++) {
                free(ip->hosts[i].id);
                free(ip->hosts[i].name);
                free(ip->hosts[i].lease.unit);
        }
        free(ip->ranges);
        free(ip->hosts);
        free(ip->tftp_root);
        free(ip->bootp_file);
        free(ip->bootp_server);
        vmm_xml_unknown_done(&ip->unknown);
        memset(ip, 0, sizeof(*ip));
}

int vmm_network_route_parse(xmlNodePtr node, unsigned int flags, VmmNetworkRoute *route,
                            VmmError *error)
{
        static const char *const attrs[] = {"family",  "address", "netmask", "prefix",
                                            "gateway", "metric",  NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = ip_parse_family_mask(node, &route->family, &route->netmask, &route->prefix, error);
        if (r < 0)
                return r;
        if ((r = vmm_netaddr_prop(node, "address", 0, &route->address, error)) < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'address'");
        if ((r = vmm_netaddr_prop(node, "gateway", 0, &route->gateway, error)) < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'gateway'");
        r = vmm_xml_prop_uint(node, "metric", &route->metric, error);
        if (r < 0)
                return r;
        route->has_metric = r > 0;
        return 0;
}

void vmm_network_route_format(const VmmNetworkRoute *route, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "route", NULL);

        vmm_xml_set_prop(
            n, "family",
            vmm_enum_to_string(ip_family_table, _VMM_NETWORK_IP_FAMILY_MAX, (int)route->family));
        vmm_netaddr_set_prop(n, "address", &route->address);
        vmm_netaddr_set_prop(n, "netmask", &route->netmask);
        if (route->prefix >= 0)
                vmm_xml_set_propf(n, "prefix", "%d", route->prefix);
        vmm_netaddr_set_prop(n, "gateway", &route->gateway);
        if (route->has_metric)
                vmm_xml_set_propf(n, "metric", "%u", route->metric);
}

bool vmm_network_route_equal(const VmmNetworkRoute *a, const VmmNetworkRoute *b, const char *where,
                             char **d)
{
        return vmm_diff_int(d, where, "family", a->family, b->family) &&
               vmm_netaddr_diff(d, where, "address", &a->address, &b->address) &&
               vmm_netaddr_diff(d, where, "netmask", &a->netmask, &b->netmask) &&
               vmm_diff_int(d, where, "prefix", a->prefix, b->prefix) &&
               vmm_netaddr_diff(d, where, "gateway", &a->gateway, &b->gateway) &&
               vmm_diff_bool(d, where, "metric given", a->has_metric, b->has_metric) &&
               vmm_diff_u64(d, where, "metric", a->metric, b->metric);
}
