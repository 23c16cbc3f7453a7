/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * network-priv.h: what the network*.c files share and nobody else uses:
 * the section parsers, formatters, comparisons and destructors, and the
 * address helpers.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>

#include "network.h"

/* --- addresses (network-addr.c) --- */

/* Reads attribute `attr` of `node` as an IPv4 or IPv6 address (only
 * `family` when not 0). Returns 0 when absent, 1 when read. */
int vmm_netaddr_prop(xmlNodePtr node, const char *attr, int family, VmmNetAddr *ret,
                     VmmError *error);
/* Text form ("192.168.122.1", "2001:db8::1") into buf (INET6_ADDRSTRLEN). */
const char *vmm_netaddr_format(const VmmNetAddr *addr, char *buf, size_t size);
void vmm_netaddr_set_prop(xmlNodePtr node, const char *attr, const VmmNetAddr *addr);
bool vmm_netaddr_equal(const VmmNetAddr *a, const VmmNetAddr *b);
bool vmm_netaddr_diff(char **d, const char *where, const char *field, const VmmNetAddr *a,
                      const VmmNetAddr *b);
/* Prefix length of an IPv4 netmask, or -1 when not contiguous. */
int vmm_netaddr_netmask_prefix(const VmmNetAddr *mask);
/* Whether `addr` lies in `net`/`prefix`. */
bool vmm_netaddr_in_subnet(const VmmNetAddr *addr, const VmmNetAddr *net, int prefix);
/* -1, 0, 1 comparing two addresses of one family as numbers. */
int vmm_netaddr_cmp(const VmmNetAddr *a, const VmmNetAddr *b);

/* MAC "52:54:00:e6:a2:c9" (either case) from attribute `attr`. */
int vmm_mac_prop(xmlNodePtr node, const char *attr, uint8_t ret_mac[6], VmmError *error);
void vmm_mac_set_prop(xmlNodePtr node, const char *attr, const uint8_t mac[6]);

/* Tri-state helpers: -1 absent. */
int vmm_network_prop_tristate(xmlNodePtr node, const char *attr, int *ret, VmmError *error);
void vmm_network_set_tristate(xmlNodePtr node, const char *attr, int value, bool onoff);
/* Text of the only child `name` (NULL and 0 when absent). */
int vmm_network_single_text(xmlNodePtr node, const char *name, char **ret, VmmError *error);
/* An error when child `name` appears more than once. */
int vmm_network_check_once(xmlNodePtr node, const char *name, VmmError *error);

/* --- <ip>, <route> (network-ip.c) --- */
int vmm_network_ip_parse(xmlNodePtr node, unsigned int flags, VmmNetworkIp *ip, VmmError *error);
void vmm_network_ip_format(const VmmNetworkIp *ip, xmlNodePtr parent);
bool vmm_network_ip_equal(const VmmNetworkIp *a, const VmmNetworkIp *b, const char *where,
                          char **d);
void vmm_network_ip_done(VmmNetworkIp *ip);
int vmm_network_route_parse(xmlNodePtr node, unsigned int flags, VmmNetworkRoute *route,
                            VmmError *error);
void vmm_network_route_format(const VmmNetworkRoute *route, xmlNodePtr parent);
bool vmm_network_route_equal(const VmmNetworkRoute *a, const VmmNetworkRoute *b, const char *where,
                             char **d);
/* The IP family an <ip>/<route> really has (explicit or from the address). */
int vmm_network_ip_af(VmmNetworkIpFamily family, const VmmNetAddr *address);
/* Prefix of an <ip>: prefix=, else netmask=, else the class default; -1 unknown. */
int vmm_network_ip_prefix(const VmmNetworkIp *ip);

/* --- <dns>, <domain> (network-dns.c) --- */
int vmm_network_dns_parse(xmlNodePtr node, unsigned int flags, VmmNetworkDns *dns, VmmError *error);
void vmm_network_dns_format(const VmmNetworkDns *dns, xmlNodePtr parent);
bool vmm_network_dns_equal(const VmmNetworkDns *a, const VmmNetworkDns *b, char **d);
void vmm_network_dns_done(VmmNetworkDns *dns);

/* --- <forward> (network-forward.c) --- */
int vmm_network_forward_parse(xmlNodePtr node, unsigned int flags, VmmNetworkForward *fwd,
                              VmmError *error);
void vmm_network_forward_format(const VmmNetworkForward *fwd, xmlNodePtr parent);
bool vmm_network_forward_equal(const VmmNetworkForward *a, const VmmNetworkForward *b, char **d);
void vmm_network_forward_done(VmmNetworkForward *fwd);

/* --- <bandwidth>, <vlan>, <virtualport>, <portgroup> (network-port.c) --- */
int vmm_network_bandwidth_parse(xmlNodePtr node, VmmNetworkBandwidth *bw, VmmError *error);
void vmm_network_bandwidth_format(const VmmNetworkBandwidth *bw, xmlNodePtr parent);
bool vmm_network_bandwidth_equal(const VmmNetworkBandwidth *a, const VmmNetworkBandwidth *b,
                                 const char *where, char **d);
int vmm_network_vlan_parse(xmlNodePtr node, VmmNetworkVlan *vlan, VmmError *error);
void vmm_network_vlan_format(const VmmNetworkVlan *vlan, xmlNodePtr parent);
bool vmm_network_vlan_equal(const VmmNetworkVlan *a, const VmmNetworkVlan *b, const char *where,
                            char **d);
void vmm_network_vlan_done(VmmNetworkVlan *vlan);
int vmm_network_virtualport_parse(xmlNodePtr node, VmmNetworkVirtualPort *vp, VmmError *error);
void vmm_network_virtualport_format(const VmmNetworkVirtualPort *vp, xmlNodePtr parent);
bool vmm_network_virtualport_equal(const VmmNetworkVirtualPort *a, const VmmNetworkVirtualPort *b,
                                   const char *where, char **d);
void vmm_network_virtualport_done(VmmNetworkVirtualPort *vp);
int vmm_network_portgroup_parse(xmlNodePtr node, unsigned int flags, VmmNetworkPortGroup *pg,
                                VmmError *error);
void vmm_network_portgroup_format(const VmmNetworkPortGroup *pg, xmlNodePtr parent);
bool vmm_network_portgroup_equal(const VmmNetworkPortGroup *a, const VmmNetworkPortGroup *b,
                                 const char *where, char **d);
void vmm_network_portgroup_done(VmmNetworkPortGroup *pg);

/* Grows an array by one zeroed element; returns it or NULL on OOM. */
void *vmm_network_array_add(void **array, size_t *n, size_t size);
