/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network-compare.c: model equality, accessors and defaults of networks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "confdiff.h"
#include "network-priv.h"
#include "util/error.h"
#include "xml-util.h"

static bool network_metadata_equal(xmlNodePtr a, xmlNodePtr b, char **d)
{
        _cleanup_free_ char *x = NULL, *y = NULL;

        if (!a || !b)
                return vmm_diff_bool(d, "", "metadata", a != NULL, b != NULL);
        x = vmm_xml_node_to_string(a);
        y = vmm_xml_node_to_string(b);
        return vmm_diff_str(d, "", "metadata", x, y);
}

static bool network_head_equal(const VmmNetworkDef *a, const VmmNetworkDef *b, char **d)
{
        return vmm_diff_str(d, "", "name", a->name, b->name) &&
               vmm_diff_bool(d, "", "uuid given", a->has_uuid, b->has_uuid) &&
               vmm_diff_bytes(d, "", "uuid", a->uuid, b->uuid, VMM_UUID_LEN) &&
               vmm_diff_str(d, "", "title", a->title, b->title) &&
               vmm_diff_str(d, "", "description", a->description, b->description) &&
               network_metadata_equal(a->metadata, b->metadata, d) &&
               vmm_diff_u64(d, "", "connections", a->connections, b->connections) &&
               vmm_diff_tristate(d, "", "ipv6", a->ipv6, b->ipv6) &&
               vmm_diff_tristate(d, "", "trustGuestRxFilters", a->trust_guest_rx_filters,
                                 b->trust_guest_rx_filters) &&
               vmm_diff_bool(d, "", "bridge", a->has_bridge, b->has_bridge) &&
               vmm_diff_str(d, "bridge ", "name", a->bridge_name, b->bridge_name) &&
               vmm_diff_str(d, "bridge ", "zone", a->bridge_zone, b->bridge_zone) &&
               vmm_diff_tristate(d, "bridge ", "stp", a->bridge_stp, b->bridge_stp) &&
               vmm_diff_bool(d, "bridge ", "delay given", a->has_bridge_delay,
                             b->has_bridge_delay) &&
               vmm_diff_u64(d, "bridge ", "delay", a->bridge_delay, b->bridge_delay) &&
               vmm_diff_int(d, "bridge ", "macTableManager", a->mac_table_manager,
                            b->mac_table_manager) &&
               vmm_diff_u64(d, "", "mtu", a->mtu, b->mtu) &&
               vmm_diff_bool(d, "", "mac given", a->has_mac, b->has_mac) &&
               vmm_diff_bytes(d, "", "mac", a->mac, b->mac, 6) &&
               vmm_diff_str(d, "", "domain name", a->domain_name, b->domain_name) &&
               vmm_diff_tristate(d, "domain ", "localOnly", a->domain_local_only,
                                 b->domain_local_only) &&
               vmm_diff_tristate(d, "domain ", "register", a->domain_register,
                                 b->domain_register) &&
               vmm_diff_tristate(d, "port ", "isolated", a->port_isolated, b->port_isolated);
}

static bool network_lists_equal(const VmmNetworkDef *a, const VmmNetworkDef *b, char **d)
{
        char w[64];

        if (!vmm_diff_u64(d, "", "portgroup count", a->n_portgroups, b->n_portgroups) ||
            !vmm_diff_u64(d, "", "ip count", a->n_ips, b->n_ips) ||
            !vmm_diff_u64(d, "", "route count", a->n_routes, b->n_routes) ||
            !vmm_diff_bool(d, "", "dnsmasq:options", a->has_dnsmasq_options,
                           b->has_dnsmasq_options) ||
            !vmm_diff_u64(d, "", "dnsmasq:option count", a->n_dnsmasq_options,
                          b->n_dnsmasq_options))
                return false;
        for (size_t i = 0; i < a->n_portgroups; i++) {
                snprintf(w, sizeof(w), "portgroup[%zu] ", i);
                if (!vmm_network_portgroup_equal(&a->portgroups[i], &b->portgroups[i], w, d))
                        return false;
        }
        for (size_t i = 0; i < a->n_ips; i++) {
                snprintf(w, sizeof(w), "ip[%zu] ", i);
                if (!vmm_network_ip_equal(&a->ips[i], &b->ips[i], w, d))
                        return false;
        }
        for (size_t i = 0; i < a->n_routes; i++) {
                snprintf(w, sizeof(w), "route[%zu] ", i);
                if (!vmm_network_route_equal(&a->routes[i], &b->routes[i], w, d))
                        return false;
        }
        for (size_t i = 0; i < a->n_dnsmasq_options; i++)
                if (!vmm_diff_str(d, "dnsmasq:", "option", a->dnsmasq_options[i],
                                  b->dnsmasq_options[i]))
                        return false;
        return true;
}

bool vmm_network_def_equal(const VmmNetworkDef *a, const VmmNetworkDef *b, char **ret_diff)
{
        return network_head_equal(a, b, ret_diff) &&
               vmm_network_forward_equal(&a->forward, &b->forward, ret_diff) &&
               vmm_network_virtualport_equal(&a->virtualport, &b->virtualport, "", ret_diff) &&
               vmm_network_dns_equal(&a->dns, &b->dns, ret_diff) &&
               vmm_network_bandwidth_equal(&a->bandwidth, &b->bandwidth, "", ret_diff) &&
               vmm_network_vlan_equal(&a->vlan, &b->vlan, "", ret_diff) &&
               network_lists_equal(a, b, ret_diff) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(ret_diff, "unknown content kept differs"));
}

const char *vmm_network_def_get_name(const VmmNetworkDef *def)
{
        return def->name;
}

void vmm_network_def_get_uuid(const VmmNetworkDef *def, uint8_t ret_uuid[VMM_UUID_LEN])
{
        memcpy(ret_uuid, def->uuid, VMM_UUID_LEN);
}

const char *vmm_network_def_get_bridge(const VmmNetworkDef *def)
{
        return def->has_bridge ? def->bridge_name : NULL;
}

/* Modes where the host owns a bridge it creates (needs a name). */
static bool network_needs_own_bridge(const VmmNetworkDef *def)
{
        return !def->forward.present || def->forward.mode == VMM_NETWORK_FORWARD_NAT ||
               def->forward.mode == VMM_NETWORK_FORWARD_ROUTE ||
               def->forward.mode == VMM_NETWORK_FORWARD_OPEN;
}

int vmm_network_def_fill_defaults(VmmNetworkDef *def, VmmError *error)
{
        int r;

        if (!def->has_uuid) {
                r = vmm_uuid_generate(def->uuid);
                if (r < 0)
                        return vmm_error_set_errno(error, r,
                                                   "network '%s': cannot generate a "
                                                   "UUID",
                                                   def->name);
                def->has_uuid = true;
        }
        if (!network_needs_own_bridge(def))
                return 0;
        if (!def->bridge_name) {
                /* the driver renames virbr%d to a free index when defining */
                def->bridge_name = strdup("virbr%d");
                if (!def->bridge_name)
                        return vmm_error_oom(error);
                def->has_bridge = true;
        }
        if (def->bridge_stp < 0)
                def->bridge_stp = 1;
        if (!def->has_bridge_delay) {
                def->has_bridge_delay = true;
                def->bridge_delay = 0;
        }
        if (!def->has_mac) {
                uint8_t rnd[3];
                if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
                        return vmm_error_set_errno(error, -errno,
                                                   "network '%s': cannot "
                                                   "generate a MAC",
                                                   def->name);
                def->mac[0] = 0x52;
                def->mac[1] = 0x54;
                def->mac[2] = 0x00;
                memcpy(def->mac + 3, rnd, 3);
                def->has_mac = true;
        }
        return 0;
}
