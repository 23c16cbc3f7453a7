/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * network.h: the virtual network model (libvirt's <network> format).
 *
 * The model is split by topic: network.c (top level, parse/format entry
 * points), network-ip.c (<ip>, DHCP, <route>), network-dns.c (<dns>),
 * network-forward.c (<forward>), network-port.c (bandwidth, vlan,
 * virtualport, portgroups), network-addr.c (IP/MAC helpers),
 * network-compare.c (equality, accessors, defaults) and
 * network-validate.c (semantic checks).
 *
 * Tri-state attributes (yes/no that may be absent) are ints: -1 absent,
 * 0 no, 1 yes.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/xml-util.h"
#include "util/cleanup.h"
#include "util/uuid.h"

typedef struct VmmNetworkDef VmmNetworkDef;

/* `flags`: VmmXmlFlags. `len` may be (size_t)-1 for a NUL-terminated string. */
int vmm_network_def_parse(const char *xml, size_t len, unsigned int flags, VmmNetworkDef **ret_def,
                          VmmError *error);
int vmm_network_def_parse_node(xmlNodePtr root, unsigned int flags, VmmNetworkDef **ret_def,
                               VmmError *error);
int vmm_network_def_format(const VmmNetworkDef *def, unsigned int flags, char **ret_xml,
                           VmmError *error);
/* Fills what a define leaves to the host: a random UUID when none; for
 * networks the host routes itself (no <forward>, nat, route, open): the
 * bridge name template "virbr%d" when none was given (the network driver
 * replaces %d with the first free index), stp on, delay 0, and a random
 * 52:54:00:xx:xx:xx MAC. Idempotent. */
int vmm_network_def_fill_defaults(VmmNetworkDef *def, VmmError *error);
int vmm_network_def_validate(const VmmNetworkDef *def, VmmError *error);
bool vmm_network_def_equal(const VmmNetworkDef *a, const VmmNetworkDef *b, char **ret_diff);
VmmNetworkDef *vmm_network_def_free(VmmNetworkDef *def);
DEFINE_CLEANUP(VmmNetworkDef, vmm_network_def_free)

const char *vmm_network_def_get_name(const VmmNetworkDef *def);
void vmm_network_def_get_uuid(const VmmNetworkDef *def, uint8_t ret_uuid[VMM_UUID_LEN]);
/* NULL when the network has no bridge. */
const char *vmm_network_def_get_bridge(const VmmNetworkDef *def);

/* --- the model --- */

/* An IPv4 or IPv6 address; family 0 when absent. */
typedef struct VmmNetAddr {
        int family; /* 0, AF_INET or AF_INET6 */
        uint8_t bytes[16];
} VmmNetAddr;

typedef enum VmmNetworkForwardMode {
        VMM_NETWORK_FORWARD_NAT,
        VMM_NETWORK_FORWARD_ROUTE,
        VMM_NETWORK_FORWARD_OPEN,
        VMM_NETWORK_FORWARD_BRIDGE,
        VMM_NETWORK_FORWARD_PRIVATE,
        VMM_NETWORK_FORWARD_VEPA,
        VMM_NETWORK_FORWARD_PASSTHROUGH,
        VMM_NETWORK_FORWARD_HOSTDEV,
        _VMM_NETWORK_FORWARD_MAX
} VmmNetworkForwardMode;

typedef enum VmmNetworkIpFamily {
        VMM_NETWORK_IP_FAMILY_NONE, /* not given: taken from the address */
        VMM_NETWORK_IP_FAMILY_IPV4,
        VMM_NETWORK_IP_FAMILY_IPV6,
        _VMM_NETWORK_IP_FAMILY_MAX
} VmmNetworkIpFamily;

typedef enum VmmNetworkVirtualPortType {
        VMM_NETWORK_VPORT_NONE, /* <virtualport> without type */
        VMM_NETWORK_VPORT_8021QBG,
        VMM_NETWORK_VPORT_8021QBH,
        VMM_NETWORK_VPORT_OPENVSWITCH,
        VMM_NETWORK_VPORT_MIDONET,
        _VMM_NETWORK_VPORT_MAX
} VmmNetworkVirtualPortType;

typedef struct VmmNetworkVirtualPort {
        bool present;
        VmmNetworkVirtualPortType type;
        bool has_parameters;
        bool has_managerid, has_typeid, has_typeidversion, has_instanceid, has_interfaceid;
        unsigned int managerid;     /* uint8 */
        unsigned int typeid;        /* uint24 */
        unsigned int typeidversion; /* uint8 */
        uint8_t instanceid[VMM_UUID_LEN];
        uint8_t interfaceid[VMM_UUID_LEN];
        char *profileid;
} VmmNetworkVirtualPort;

typedef struct VmmNetworkBandwidthRate {
        bool present;
        uint64_t average, peak, floor; /* kbytes/s, 0 = not given */
        unsigned int burst;            /* kbytes, 0 = not given */
} VmmNetworkBandwidthRate;

typedef struct VmmNetworkBandwidth {
        bool present;
        unsigned int class_id; /* 0 = not given */
        VmmNetworkBandwidthRate inbound, outbound;
} VmmNetworkBandwidth;

typedef enum VmmNetworkVlanNativeMode {
        VMM_NETWORK_VLAN_NATIVE_NONE,
        VMM_NETWORK_VLAN_NATIVE_TAGGED,
        VMM_NETWORK_VLAN_NATIVE_UNTAGGED,
        _VMM_NETWORK_VLAN_NATIVE_MAX
} VmmNetworkVlanNativeMode;

typedef struct VmmNetworkVlanTag {
        unsigned int id;
        VmmNetworkVlanNativeMode native_mode;
} VmmNetworkVlanTag;

typedef struct VmmNetworkVlan {
        bool present;
        bool trunk;
        VmmNetworkVlanTag *tags;
        size_t n_tags;
} VmmNetworkVlan;

typedef struct VmmNetworkPortGroup {
        char *name;
        int is_default;             /* tri-state */
        int trust_guest_rx_filters; /* tri-state */
        VmmNetworkVirtualPort virtualport;
        VmmNetworkBandwidth bandwidth;
        VmmNetworkVlan vlan;
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmNetworkPortGroup;

typedef struct VmmNetworkPciAddr {
        unsigned int domain, bus, slot, function;
        unsigned int connections; /* status only, 0 = not given */
} VmmNetworkPciAddr;

typedef struct VmmNetworkForwardIf {
        char *dev;
        unsigned int connections;
} VmmNetworkForwardIf;

typedef struct VmmNetworkForward {
        bool present;
        VmmNetworkForwardMode mode; /* nat when <forward> has no mode */
        char *dev;
        int managed; /* tri-state */
        VmmNetworkForwardIf *ifs;
        size_t n_ifs;
        VmmNetworkPciAddr *addrs;
        size_t n_addrs;
        char *pf_dev;
        char *driver_name; /* <driver name='vfio'/> for hostdev */
        bool has_nat;
        int nat_ipv6;                              /* tri-state */
        VmmNetAddr nat_start, nat_end;             /* family 0 when no <address> */
        unsigned int nat_port_start, nat_port_end; /* 0 when no <port> */
        VmmXmlUnknown unknown;                     /* with VMM_XML_KEEP_UNKNOWN */
} VmmNetworkForward;

typedef struct VmmNetworkLease {
        bool present;
        uint64_t expiry;
        char *unit; /* seconds, minutes, hours; NULL when not given */
} VmmNetworkLease;

typedef struct VmmNetworkDhcpRange {
        VmmNetAddr start, end;
        VmmNetworkLease lease;
} VmmNetworkDhcpRange;

typedef struct VmmNetworkDhcpHost {
        bool has_mac;
        uint8_t mac[6];
        char *id; /* DHCPv6 DUID */
        char *name;
        VmmNetAddr ip;
        VmmNetworkLease lease;
} VmmNetworkDhcpHost;

typedef struct VmmNetworkIp {
        VmmNetworkIpFamily family;
        VmmNetAddr address;
        VmmNetAddr netmask;
        int prefix;    /* -1 when not given */
        int local_ptr; /* tri-state */
        char *tftp_root;
        bool has_dhcp;
        VmmNetworkDhcpRange *ranges;
        size_t n_ranges;
        VmmNetworkDhcpHost *hosts;
        size_t n_hosts;
        char *bootp_file;
        char *bootp_server;
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmNetworkIp;

typedef struct VmmNetworkRoute {
        VmmNetworkIpFamily family;
        VmmNetAddr address, netmask, gateway;
        int prefix; /* -1 when not given */
        bool has_metric;
        unsigned int metric;
} VmmNetworkRoute;

typedef struct VmmNetworkDnsHost {
        VmmNetAddr ip;
        char **hostnames;
        size_t n_hostnames;
} VmmNetworkDnsHost;

typedef struct VmmNetworkDnsSrv {
        char *service, *protocol, *domain, *target;
        int port, priority, weight; /* -1 when not given */
} VmmNetworkDnsSrv;

typedef struct VmmNetworkDnsTxt {
        char *name, *value;
} VmmNetworkDnsTxt;

typedef struct VmmNetworkDnsForwarder {
        VmmNetAddr addr; /* family 0 when not given */
        char *domain;
} VmmNetworkDnsForwarder;

typedef struct VmmNetworkDns {
        bool present;
        int enable;              /* tri-state */
        int forward_plain_names; /* tri-state */
        VmmNetworkDnsForwarder *forwarders;
        size_t n_forwarders;
        VmmNetworkDnsTxt *txts;
        size_t n_txts;
        VmmNetworkDnsSrv *srvs;
        size_t n_srvs;
        VmmNetworkDnsHost *hosts;
        size_t n_hosts;
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmNetworkDns;

typedef enum VmmNetworkMacTableManager {
        VMM_NETWORK_MAC_TABLE_DEFAULT,
        VMM_NETWORK_MAC_TABLE_KERNEL,
        VMM_NETWORK_MAC_TABLE_LIBVIRT,
        _VMM_NETWORK_MAC_TABLE_MAX
} VmmNetworkMacTableManager;

struct VmmNetworkDef {
        char *name;
        bool has_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        char *title;
        char *description;
        xmlNodePtr metadata;        /* <metadata>, kept verbatim (own document) */
        unsigned int connections;   /* status only, 0 = not given */
        int ipv6;                   /* tri-state */
        int trust_guest_rx_filters; /* tri-state */

        bool has_bridge;
        char *bridge_name;
        char *bridge_zone;
        int bridge_stp; /* tri-state (on/off) */
        bool has_bridge_delay;
        uint64_t bridge_delay;
        VmmNetworkMacTableManager mac_table_manager;

        unsigned int mtu; /* 0 = not given */
        bool has_mac;
        uint8_t mac[6];

        VmmNetworkForward forward;
        VmmNetworkVirtualPort virtualport;
        VmmNetworkPortGroup *portgroups;
        size_t n_portgroups;

        char *domain_name;
        int domain_local_only; /* tri-state */
        int domain_register;   /* tri-state */

        VmmNetworkDns dns;
        VmmNetworkBandwidth bandwidth;
        VmmNetworkVlan vlan;
        int port_isolated; /* tri-state; -1 and no <port> element */

        VmmNetworkIp *ips;
        size_t n_ips;
        VmmNetworkRoute *routes;
        size_t n_routes;

        char **dnsmasq_options; /* <dnsmasq:options><dnsmasq:option value=.../> */
        size_t n_dnsmasq_options;
        bool has_dnsmasq_options;

        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
};

/* Enum names, as in the XML. */
const char *vmm_network_forward_mode_to_string(VmmNetworkForwardMode v);
int vmm_network_forward_mode_from_string(const char *s);
