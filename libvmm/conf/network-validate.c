/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-validate.c: semantic checks of a parsed network, separate from
 * parsing: addresses in their subnet, duplicates, modes and their
 * elements. Every message starts with "network '<name>': ". */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "network-priv.h"
#include "util/error.h"

static int net_invalid(VmmError *error, const VmmNetworkDef *def, const char *fmt, ...)
    _printf_(3, 4);

static int net_invalid(VmmError *error, const VmmNetworkDef *def, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "network '%s': %s",
                             def->name ? def->name : "?", msg);
}

static const char *addr_str(const VmmNetAddr *a, char *buf)
{
        return vmm_netaddr_format(a, buf, INET6_ADDRSTRLEN);
}

static int validate_ip_range(const VmmNetworkDef *def, const VmmNetworkIp *ip, int af, int prefix,
                             VmmError *error)
{
        char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], n[INET6_ADDRSTRLEN];

        for (size_t i = 0; i < ip->n_ranges; i++) {
                const VmmNetworkDhcpRange *r = &ip->ranges[i];

                if (r->start.family != af || r->end.family != af)
                        return net_invalid(error, def,
                                           "<ip address='%s'>: dhcp <range start='%s' "
                                           "end='%s'> is not of the <ip>'s address family",
                                           addr_str(&ip->address, n), addr_str(&r->start, a),
                                           addr_str(&r->end, b));
                if (!vmm_netaddr_in_subnet(&r->start, &ip->address, prefix) ||
                    !vmm_netaddr_in_subnet(&r->end, &ip->address, prefix))
                        return net_invalid(error, def,
                                           "dhcp <range start='%s' end='%s'> is outside the "
                                           "subnet %s/%d",
                                           addr_str(&r->start, a), addr_str(&r->end, b),
                                           addr_str(&ip->address, n), prefix);
                if (vmm_netaddr_cmp(&r->start, &r->end) > 0)
                        return net_invalid(error, def,
                                           "dhcp <range start='%s' end='%s'>: start is after "
                                           "end",
                                           addr_str(&r->start, a), addr_str(&r->end, b));
        }
        return 0;
}

static int validate_ip_hosts(const VmmNetworkDef *def, const VmmNetworkIp *ip, int af, int prefix,
                             VmmError *error)
{
        char a[INET6_ADDRSTRLEN], n[INET6_ADDRSTRLEN];

        for (size_t i = 0; i < ip->n_hosts; i++) {
                const VmmNetworkDhcpHost *h = &ip->hosts[i];

                if (h->ip.family != af || !vmm_netaddr_in_subnet(&h->ip, &ip->address, prefix))
                        return net_invalid(error, def,
                                           "dhcp <host ip='%s'> is outside the subnet %s/%d",
                                           addr_str(&h->ip, a), addr_str(&ip->address, n), prefix);
                if (af == AF_INET6 && h->has_mac)
                        return net_invalid(error, def,
                                           "dhcp <host ip='%s'>: an IPv6 host is identified "
                                           "by 'id' or 'name', not 'mac'",
                                           addr_str(&h->ip, a));
                if (af == AF_INET && !h->has_mac && !h->name)
                        return net_invalid(error, def,
                                           "dhcp <host ip='%s'>: an IPv4 host needs 'mac' or "
                                           "'name'",
                                           addr_str(&h->ip, a));
                for (size_t j = 0; j < i; j++) {
                        const VmmNetworkDhcpHost *o = &ip->hosts[j];
                        if (vmm_netaddr_equal(&h->ip, &o->ip))
                                return net_invalid(error, def, "dhcp <host ip='%s'> appears twice",
                                                   addr_str(&h->ip, a));
                        if (h->has_mac && o->has_mac && memcmp(h->mac, o->mac, 6) == 0)
                                return net_invalid(error, def,
                                                   "dhcp <host mac='%02x:%02x:%02x:%02x:%02x:"
                                                   "%02x'> appears twice",
                                                   h->mac[0], h->mac[1], h->mac[2], h->mac[3],
                                                   h->mac[4], h->mac[5]);
                }
        }
        return 0;
}

static int validate_ip(const VmmNetworkDef *def, const VmmNetworkIp *ip, VmmError *error)
{
        char a[INET6_ADDRSTRLEN];
        int af = vmm_network_ip_af(ip->family, &ip->address);
        int prefix, r;

        if (!ip->address.family)
                return net_invalid(error, def,
                                   "<ip> has no 'address' (expected e.g. "
                                   "address='192.168.122.1')");
        if (ip->address.family != af)
                return net_invalid(error, def,
                                   "<ip family='%s' address='%s'>: the address is "
                                   "not of that family",
                                   af == AF_INET ? "ipv4" : "ipv6", addr_str(&ip->address, a));
        if (af == AF_INET6 && ip->netmask.family)
                return net_invalid(error, def,
                                   "<ip address='%s'>: 'netmask' is for IPv4 only "
                                   "(expected prefix='64')",
                                   addr_str(&ip->address, a));
        if (af == AF_INET && ip->prefix > 32)
                return net_invalid(error, def,
                                   "<ip address='%s'>: prefix %d is too long for "
                                   "IPv4 (expected 0 to 32)",
                                   addr_str(&ip->address, a), ip->prefix);
        prefix = vmm_network_ip_prefix(ip);
        if (prefix < 0)
                return net_invalid(error, def,
                                   "<ip address='%s'> needs a 'netmask' or "
                                   "'prefix'",
                                   addr_str(&ip->address, a));
        if ((ip->n_ranges || ip->n_hosts) && af == AF_INET6 && prefix != 64)
                return net_invalid(error, def,
                                   "<ip address='%s'>: DHCPv6 needs prefix 64, "
                                   "not %d",
                                   addr_str(&ip->address, a), prefix);
        if ((r = validate_ip_range(def, ip, af, prefix, error)) < 0 ||
            (r = validate_ip_hosts(def, ip, af, prefix, error)) < 0)
                return r;
        return 0;
}

static int validate_ips(const VmmNetworkDef *def, VmmError *error)
{
        bool dhcp4 = false, dhcp6 = false;
        int r;

        for (size_t i = 0; i < def->n_ips; i++) {
                const VmmNetworkIp *ip = &def->ips[i];
                bool *seen;

                if ((r = validate_ip(def, ip, error)) < 0)
                        return r;
                if (!ip->n_ranges && !ip->n_hosts)
                        continue;
                seen = ip->address.family == AF_INET ? &dhcp4 : &dhcp6;
                if (*seen)
                        return net_invalid(error, def,
                                           "more than one %s <ip> has <dhcp> "
                                           "(expected at most one per family)",
                                           ip->address.family == AF_INET ? "IPv4" : "IPv6");
                *seen = true;
        }
        for (size_t i = 0; i < def->n_routes; i++) {
                const VmmNetworkRoute *rt = &def->routes[i];
                char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
                int af = vmm_network_ip_af(rt->family, &rt->address);

                if (rt->address.family != af || rt->gateway.family != af)
                        return net_invalid(error, def,
                                           "<route address='%s' gateway='%s'>: the addresses "
                                           "are not of the route's family",
                                           addr_str(&rt->address, a), addr_str(&rt->gateway, g));
                if ((af == AF_INET6 && rt->netmask.family) || (af == AF_INET && rt->prefix > 32))
                        return net_invalid(error, def,
                                           "<route address='%s'>: the netmask or prefix does not "
                                           "fit the address family",
                                           addr_str(&rt->address, a));
        }
        return 0;
}

static bool forward_has_bridge_semantics(VmmNetworkForwardMode m)
{
        return m == VMM_NETWORK_FORWARD_BRIDGE || m == VMM_NETWORK_FORWARD_PRIVATE ||
               m == VMM_NETWORK_FORWARD_VEPA || m == VMM_NETWORK_FORWARD_PASSTHROUGH ||
               m == VMM_NETWORK_FORWARD_HOSTDEV;
}

static int validate_forward(const VmmNetworkDef *def, VmmError *error)
{
        const VmmNetworkForward *f = &def->forward;
        const char *mode = vmm_network_forward_mode_to_string(f->mode);

        if (!f->present)
                return 0;
        if (forward_has_bridge_semantics(f->mode)) {
                const char *what = def->n_ips         ? "<ip>"
                                   : def->dns.present ? "<dns>"
                                   : def->domain_name ? "<domain>"
                                   : def->has_mac     ? "<mac>"
                                   : def->mtu         ? "<mtu>"
                                                      : NULL;
                if (what)
                        return net_invalid(error, def,
                                           "%s is not supported with <forward "
                                           "mode='%s'> (the host does not route "
                                           "this network)",
                                           what, mode);
        }
        if (f->n_addrs && f->mode != VMM_NETWORK_FORWARD_HOSTDEV)
                return net_invalid(error, def,
                                   "<forward mode='%s'>: PCI <address> elements "
                                   "need mode='hostdev'",
                                   mode);
        if (f->has_nat && f->mode != VMM_NETWORK_FORWARD_NAT)
                return net_invalid(error, def,
                                   "<nat> is only allowed with <forward "
                                   "mode='nat'>, not '%s'",
                                   mode);
        if (f->nat_start.family && vmm_netaddr_cmp(&f->nat_start, &f->nat_end) > 0)
                return net_invalid(error, def, "<nat><address>: start is after end");
        if (f->nat_port_start > f->nat_port_end)
                return net_invalid(error, def,
                                   "<nat><port start='%u' end='%u'>: start is "
                                   "after end",
                                   f->nat_port_start, f->nat_port_end);
        for (size_t i = 0; i < f->n_addrs; i++)
                for (size_t j = 0; j < i; j++)
                        if (memcmp(&f->addrs[i], &f->addrs[j], 4 * sizeof(unsigned int)) == 0)
                                return net_invalid(error, def,
                                                   "<forward>: PCI address "
                                                   "%04x:%02x:%02x.%x appears twice",
                                                   f->addrs[i].domain, f->addrs[i].bus,
                                                   f->addrs[i].slot, f->addrs[i].function);
        for (size_t i = 0; i < f->n_ifs; i++)
                for (size_t j = 0; j < i; j++)
                        if (strcmp(f->ifs[i].dev, f->ifs[j].dev) == 0)
                                return net_invalid(error, def,
                                                   "<forward>: <interface dev='%s'> appears "
                                                   "twice",
                                                   f->ifs[i].dev);
        if (f->dev && f->n_ifs && strcmp(f->dev, f->ifs[0].dev) != 0)
                return net_invalid(error, def,
                                   "<forward dev='%s'> differs from its first "
                                   "<interface dev='%s'>",
                                   f->dev, f->ifs[0].dev);
        return 0;
}

static int validate_ports(const VmmNetworkDef *def, VmmError *error)
{
        bool has_default = false;

        if (def->bandwidth.inbound.floor || def->bandwidth.outbound.floor)
                return net_invalid(error, def,
                                   "<bandwidth>: 'floor' is for portgroups and "
                                   "interfaces, not the network itself");
        for (size_t i = 0; i < def->n_portgroups; i++) {
                const VmmNetworkPortGroup *pg = &def->portgroups[i];

                for (size_t j = 0; j < i; j++)
                        if (strcmp(pg->name, def->portgroups[j].name) == 0)
                                return net_invalid(error, def,
                                                   "<portgroup name='%s'> appears "
                                                   "twice",
                                                   pg->name);
                if (pg->is_default == 1) {
                        if (has_default)
                                return net_invalid(error, def,
                                                   "<portgroup name='%s'> is a "
                                                   "second default portgroup",
                                                   pg->name);
                        has_default = true;
                }
                if (pg->vlan.present && !pg->vlan.trunk && pg->vlan.n_tags > 1)
                        return net_invalid(error, def,
                                           "<portgroup name='%s'>: several vlan "
                                           "tags need trunk='yes'",
                                           pg->name);
        }
        if (def->vlan.present && !def->vlan.trunk && def->vlan.n_tags > 1)
                return net_invalid(error, def, "<vlan>: several tags need trunk='yes'");
        return 0;
}

static int validate_dns(const VmmNetworkDef *def, VmmError *error)
{
        for (size_t i = 0; i < def->dns.n_srvs; i++) {
                const VmmNetworkDnsSrv *s = &def->dns.srvs[i];
                if ((s->port >= 0 || s->priority >= 0 || s->weight >= 0) && !s->target)
                        return net_invalid(error, def,
                                           "dns <srv service='%s'>: port, priority "
                                           "and weight need a 'target'",
                                           s->service);
        }
        if (def->dns.enable == 0 &&
            (def->dns.n_forwarders || def->dns.n_hosts || def->dns.n_srvs || def->dns.n_txts))
                return net_invalid(error, def,
                                   "<dns enable='no'> cannot have records or "
                                   "forwarders");
        return 0;
}

/* Linux interface names: at most 15 bytes (IFNAMSIZ - 1), no '/' or blank;
 * "virbr%d" templates are expanded by the driver before use. */
static bool network_ifname_ok(const char *name)
{
        return *name && strlen(name) <= 15 && !strpbrk(name, "/ \t\n");
}

static int validate_names(const VmmNetworkDef *def, VmmError *error)
{
        const VmmNetworkForward *f = &def->forward;

        if (def->bridge_name && !strstr(def->bridge_name, "%d") &&
            !network_ifname_ok(def->bridge_name))
                return net_invalid(error, def,
                                   "<bridge name='%s'> is not a valid interface name (expected "
                                   "at most 15 characters, no '/' or blank)",
                                   def->bridge_name);
        if (f->dev && !network_ifname_ok(f->dev))
                return net_invalid(error, def,
                                   "<forward dev='%s'> is not a valid interface name (expected "
                                   "at most 15 characters, no '/' or blank)",
                                   f->dev);
        return 0;
}

/* Which forward modes each virtualport type can serve. */
static int validate_virtualport(const VmmNetworkDef *def, const VmmNetworkVirtualPort *vp,
                                VmmError *error)
{
        VmmNetworkForwardMode m = def->forward.mode;
        bool present = def->forward.present;

        if (!vp->present)
                return 0;
        if (vp->type == VMM_NETWORK_VPORT_OPENVSWITCH &&
            !(present && m == VMM_NETWORK_FORWARD_BRIDGE))
                return net_invalid(error, def,
                                   "<virtualport type='openvswitch'> needs <forward "
                                   "mode='bridge'>");
        if ((vp->type == VMM_NETWORK_VPORT_8021QBG || vp->type == VMM_NETWORK_VPORT_8021QBH) &&
            !(present && (m == VMM_NETWORK_FORWARD_VEPA || m == VMM_NETWORK_FORWARD_PRIVATE ||
                          m == VMM_NETWORK_FORWARD_PASSTHROUGH)))
                return net_invalid(error, def,
                                   "<virtualport type='%s'> needs <forward "
                                   "mode='vepa'>, 'private' or 'passthrough'",
                                   vp->type == VMM_NETWORK_VPORT_8021QBG ? "802.1Qbg" : "802.1Qbh");
        return 0;
}

int vmm_network_def_validate(const VmmNetworkDef *def, VmmError *error)
{
        int r;

        if (!def->name || !*def->name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "network: no name");
        if ((r = validate_ips(def, error)) < 0 || (r = validate_forward(def, error)) < 0 ||
            (r = validate_ports(def, error)) < 0 || (r = validate_dns(def, error)) < 0 ||
            (r = validate_names(def, error)) < 0 ||
            (r = validate_virtualport(def, &def->virtualport, error)) < 0)
                return r;
        for (size_t i = 0; i < def->n_portgroups; i++)
                if ((r = validate_virtualport(def, &def->portgroups[i].virtualport, error)) < 0)
                        return r;
        return 0;
}
