/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-forward.c: <forward>: the mode, its devices (interfaces, PCI
 * functions, a PF), the hostdev driver, and NAT address and port ranges. */
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

static const char *const forward_mode_table[_VMM_NETWORK_FORWARD_MAX] = {
    [VMM_NETWORK_FORWARD_NAT] = "nat",
    [VMM_NETWORK_FORWARD_ROUTE] = "route",
    [VMM_NETWORK_FORWARD_OPEN] = "open",
    [VMM_NETWORK_FORWARD_BRIDGE] = "bridge",
    [VMM_NETWORK_FORWARD_PRIVATE] = "private",
    [VMM_NETWORK_FORWARD_VEPA] = "vepa",
    [VMM_NETWORK_FORWARD_PASSTHROUGH] = "passthrough",
    [VMM_NETWORK_FORWARD_HOSTDEV] = "hostdev",
};
VMM_DEFINE_ENUM_TABLE(vmm_network_forward_mode, VmmNetworkForwardMode, forward_mode_table,
                      _VMM_NETWORK_FORWARD_MAX)

static int forward_hex_prop(xmlNodePtr node, const char *attr, unsigned int max, unsigned int *ret,
                            VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        unsigned long n;
        char *end;

        if (!v)
                return vmm_xml_error(error, node, "missing attribute '%s'", attr);
        errno = 0;
        n = strtoul(v, &end, 0);
        if (!*v || *end || errno || n > max || v[0] == '-')
                return vmm_xml_attr_error(error, node, attr,
                                          "\"%s\" is not valid (expected a number from 0 to "
                                          "0x%x, e.g. \"0x03\")",
                                          v, max);
        *ret = (unsigned int)n;
        return 0;
}

static int forward_parse_address(xmlNodePtr c, VmmNetworkForward *fwd, VmmError *error)
{
        static const char *const attrs[] = {"type",     "domain",      "bus", "slot",
                                            "function", "connections", NULL};
        _cleanup_free_ char *type = vmm_xml_get_prop(c, "type");
        VmmNetworkPciAddr *a;
        int r;

        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        if (!type || strcmp(type, "pci") != 0)
                return vmm_xml_attr_error(error, c, "type",
                                          "\"%s\" is not valid (expected "
                                          "\"pci\")",
                                          type ? type : "");
        a = vmm_network_array_add((void **)&fwd->addrs, &fwd->n_addrs, sizeof(*a));
        if (!a)
                return vmm_error_oom(error);
        if ((r = forward_hex_prop(c, "domain", 0xffff, &a->domain, error)) < 0 ||
            (r = forward_hex_prop(c, "bus", 0xff, &a->bus, error)) < 0 ||
            (r = forward_hex_prop(c, "slot", 0x1f, &a->slot, error)) < 0 ||
            (r = forward_hex_prop(c, "function", 0x7, &a->function, error)) < 0)
                return r;
        r = vmm_xml_prop_uint(c, "connections", &a->connections, error);
        return r < 0 ? r : 0;
}

static int forward_parse_interface(xmlNodePtr c, VmmNetworkForward *fwd, VmmError *error)
{
        static const char *const attrs[] = {"dev", "connections", NULL};
        VmmNetworkForwardIf *i;
        int r;

        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        i = vmm_network_array_add((void **)&fwd->ifs, &fwd->n_ifs, sizeof(*i));
        if (!i)
                return vmm_error_oom(error);
        i->dev = vmm_xml_get_prop(c, "dev");
        if (!i->dev || !*i->dev)
                return vmm_xml_error(error, c,
                                     "missing attribute 'dev' (expected a host "
                                     "interface name, e.g. \"eth0\")");
        r = vmm_xml_prop_uint(c, "connections", &i->connections, error);
        return r < 0 ? r : 0;
}

static int forward_parse_nat(xmlNodePtr nat, VmmNetworkForward *fwd, VmmError *error)
{
        static const char *const children[] = {"address", "port", NULL};
        static const char *const attrs[] = {"ipv6", NULL};
        static const char *const range_attrs[] = {"start", "end", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(nat, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        fwd->has_nat = true;
        if ((r = vmm_network_prop_tristate(nat, "ipv6", &fwd->nat_ipv6, error)) < 0 ||
            (r = vmm_network_check_once(nat, "address", error)) < 0 ||
            (r = vmm_network_check_once(nat, "port", error)) < 0)
                return r;
        if ((c = vmm_xml_child(nat, "address"))) {
                if ((r = vmm_xml_check_node(c, NULL, range_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_netaddr_prop(c, "start", AF_INET, &fwd->nat_start, error)) < 0 ||
                    (r = vmm_netaddr_prop(c, "end", AF_INET, &fwd->nat_end, error)) < 0)
                        return r;
                if (!fwd->nat_start.family || !fwd->nat_end.family)
                        return vmm_xml_error(error, c, "needs both 'start' and 'end'");
        }
        if ((c = vmm_xml_child(nat, "port"))) {
                if ((r = vmm_xml_check_node(c, NULL, range_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_uint(c, "start", &fwd->nat_port_start, error)) < 0 ||
                    (r = vmm_xml_prop_uint(c, "end", &fwd->nat_port_end, error)) < 0)
                        return r;
                if (fwd->nat_port_start == 0 || fwd->nat_port_end == 0 ||
                    fwd->nat_port_start > 65535 || fwd->nat_port_end > 65535)
                        return vmm_xml_error(error, c,
                                             "needs 'start' and 'end' ports from 1 to 65535");
        }
        return 0;
}

static int forward_parse_children(xmlNodePtr node, VmmNetworkForward *fwd, VmmError *error)
{
        static const char *const one_attr[] = {"dev", NULL};
        static const char *const driver_attrs[] = {"name", NULL};
        xmlNodePtr c;
        int r;

        for (c = node->children; c; c = c->next) {
                if (vmm_xml_is(c, "interface"))
                        r = forward_parse_interface(c, fwd, error);
                else if (vmm_xml_is(c, "address"))
                        r = forward_parse_address(c, fwd, error);
                else
                        r = 0;
                if (r < 0)
                        return r;
        }
        if (fwd->n_ifs && fwd->n_addrs)
                return vmm_xml_error(error, node,
                                     "has both <interface> and <address> "
                                     "elements (expected one kind)");
        if ((r = vmm_network_check_once(node, "pf", error)) < 0 ||
            (r = vmm_network_check_once(node, "driver", error)) < 0 ||
            (r = vmm_network_check_once(node, "nat", error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "pf"))) {
                if ((r = vmm_xml_check_node(c, NULL, one_attr, 0, NULL, error)) < 0)
                        return r;
                fwd->pf_dev = vmm_xml_get_prop(c, "dev");
                if (!fwd->pf_dev)
                        return vmm_xml_error(error, c, "missing attribute 'dev'");
        }
        if ((c = vmm_xml_child(node, "driver"))) {
                if ((r = vmm_xml_check_node(c, NULL, driver_attrs, 0, NULL, error)) < 0)
                        return r;
                fwd->driver_name = vmm_xml_get_prop(c, "name");
                if (!fwd->driver_name)
                        return vmm_xml_error(error, c, "missing attribute 'name'");
        }
        if ((c = vmm_xml_child(node, "nat")))
                return forward_parse_nat(c, fwd, error);
        return 0;
}

int vmm_network_forward_parse(xmlNodePtr node, unsigned int flags, VmmNetworkForward *fwd,
                              VmmError *error)
{
        static const char *const children[] = {"interface", "address", "pf", "driver", "nat", NULL};
        static const char *const attrs[] = {"dev", "mode", "managed", NULL};
        int mode = VMM_NETWORK_FORWARD_NAT, r;

        r = vmm_xml_check_node(node, children, attrs, flags, &fwd->unknown, error);
        if (r < 0)
                return r;
        fwd->present = true;
        r = vmm_xml_prop_enum(node, "mode", forward_mode_table, _VMM_NETWORK_FORWARD_MAX, &mode,
                              error);
        if (r < 0)
                return r;
        fwd->mode = mode;
        fwd->dev = vmm_xml_get_prop(node, "dev");
        r = vmm_network_prop_tristate(node, "managed", &fwd->managed, error);
        if (r < 0)
                return r;
        return forward_parse_children(node, fwd, error);
}

void vmm_network_forward_format(const VmmNetworkForward *fwd, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!fwd->present)
                return;
        n = vmm_xml_new_child(parent, "forward", NULL);
        vmm_xml_set_prop(n, "dev", fwd->dev);
        vmm_xml_set_prop(n, "mode", vmm_network_forward_mode_to_string(fwd->mode));
        vmm_network_set_tristate(n, "managed", fwd->managed, false);
        if (fwd->driver_name)
                vmm_xml_set_prop(vmm_xml_new_child(n, "driver", NULL), "name", fwd->driver_name);
        if (fwd->pf_dev)
                vmm_xml_set_prop(vmm_xml_new_child(n, "pf", NULL), "dev", fwd->pf_dev);
        for (size_t i = 0; i < fwd->n_ifs; i++) {
                xmlNodePtr c = vmm_xml_new_child(n, "interface", NULL);
                vmm_xml_set_prop(c, "dev", fwd->ifs[i].dev);
                if (fwd->ifs[i].connections)
                        vmm_xml_set_propf(c, "connections", "%u", fwd->ifs[i].connections);
        }
        for (size_t i = 0; i < fwd->n_addrs; i++) {
                const VmmNetworkPciAddr *a = &fwd->addrs[i];
                xmlNodePtr c = vmm_xml_new_child(n, "address", NULL);
                vmm_xml_set_prop(c, "type", "pci");
                vmm_xml_set_propf(c, "domain", "0x%04x", a->domain);
                vmm_xml_set_propf(c, "bus", "0x%02x", a->bus);
                vmm_xml_set_propf(c, "slot", "0x%02x", a->slot);
                vmm_xml_set_propf(c, "function", "0x%x", a->function);
                if (a->connections)
                        vmm_xml_set_propf(c, "connections", "%u", a->connections);
        }
        if (fwd->has_nat) {
                xmlNodePtr nat = vmm_xml_new_child(n, "nat", NULL);
                vmm_network_set_tristate(nat, "ipv6", fwd->nat_ipv6, false);
                if (fwd->nat_start.family) {
                        xmlNodePtr a = vmm_xml_new_child(nat, "address", NULL);
                        vmm_netaddr_set_prop(a, "start", &fwd->nat_start);
                        vmm_netaddr_set_prop(a, "end", &fwd->nat_end);
                }
                if (fwd->nat_port_start) {
                        xmlNodePtr p = vmm_xml_new_child(nat, "port", NULL);
                        vmm_xml_set_propf(p, "start", "%u", fwd->nat_port_start);
                        vmm_xml_set_propf(p, "end", "%u", fwd->nat_port_end);
                }
        }
        vmm_xml_unknown_format(&fwd->unknown, n);
}

static bool forward_lists_equal(const VmmNetworkForward *a, const VmmNetworkForward *b, char **d)
{
        char w[64];

        if (!vmm_diff_u64(d, "forward ", "interface count", a->n_ifs, b->n_ifs) ||
            !vmm_diff_u64(d, "forward ", "address count", a->n_addrs, b->n_addrs))
                return false;
        for (size_t i = 0; i < a->n_ifs; i++) {
                snprintf(w, sizeof(w), "forward interface[%zu] ", i);
                if (!vmm_diff_str(d, w, "dev", a->ifs[i].dev, b->ifs[i].dev) ||
                    !vmm_diff_u64(d, w, "connections", a->ifs[i].connections,
                                  b->ifs[i].connections))
                        return false;
        }
        for (size_t i = 0; i < a->n_addrs; i++) {
                const VmmNetworkPciAddr *x = &a->addrs[i], *y = &b->addrs[i];
                snprintf(w, sizeof(w), "forward address[%zu] ", i);
                if (!vmm_diff_u64(d, w, "domain", x->domain, y->domain) ||
                    !vmm_diff_u64(d, w, "bus", x->bus, y->bus) ||
                    !vmm_diff_u64(d, w, "slot", x->slot, y->slot) ||
                    !vmm_diff_u64(d, w, "function", x->function, y->function) ||
                    !vmm_diff_u64(d, w, "connections", x->connections, y->connections))
                        return false;
        }
        return true;
}

bool vmm_network_forward_equal(const VmmNetworkForward *a, const VmmNetworkForward *b, char **d)
{
        const char *w = "forward ";

        return vmm_diff_bool(d, "", "forward", a->present, b->present) &&
               vmm_diff_str(d, w, "mode", vmm_network_forward_mode_to_string(a->mode),
                            vmm_network_forward_mode_to_string(b->mode)) &&
               vmm_diff_str(d, w, "dev", a->dev, b->dev) &&
               vmm_diff_tristate(d, w, "managed", a->managed, b->managed) &&
               forward_lists_equal(a, b, d) && vmm_diff_str(d, w, "pf dev", a->pf_dev, b->pf_dev) &&
               vmm_diff_str(d, w, "driver name", a->driver_name, b->driver_name) &&
               vmm_diff_bool(d, w, "nat", a->has_nat, b->has_nat) &&
               vmm_diff_tristate(d, w, "nat ipv6", a->nat_ipv6, b->nat_ipv6) &&
               vmm_netaddr_diff(d, w, "nat address start", &a->nat_start, &b->nat_start) &&
               vmm_netaddr_diff(d, w, "nat address end", &a->nat_end, &b->nat_end) &&
               vmm_diff_u64(d, w, "nat port start", a->nat_port_start, b->nat_port_start) &&
               vmm_diff_u64(d, w, "nat port end", a->nat_port_end, b->nat_port_end) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(d, "forward: unknown content kept differs"));
}

void vmm_network_forward_done(VmmNetworkForward *fwd)
{
        for (size_t i = 0; i < fwd->n_ifs; i++)
                free(fwd->ifs[i].dev);
        free(fwd->ifs);
        free(fwd->addrs);
        free(fwd->dev);
        free(fwd->pf_dev);
        free(fwd->driver_name);
        vmm_xml_unknown_done(&fwd->unknown);
        memset(fwd, 0, sizeof(*fwd));
}
