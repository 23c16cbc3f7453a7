/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-net.h: <interface>. */
#pragma once

#include "domain-address.h"

typedef enum VmmNetType {
        VMM_NET_TYPE_NONE = 0,
        VMM_NET_TYPE_USER,
        VMM_NET_TYPE_ETHERNET,
        VMM_NET_TYPE_VHOSTUSER,
        VMM_NET_TYPE_SERVER,
        VMM_NET_TYPE_CLIENT,
        VMM_NET_TYPE_MCAST,
        VMM_NET_TYPE_NETWORK,
        VMM_NET_TYPE_BRIDGE,
        VMM_NET_TYPE_INTERNAL,
        VMM_NET_TYPE_DIRECT,
        VMM_NET_TYPE_HOSTDEV,
        VMM_NET_TYPE_UDP,
        VMM_NET_TYPE_VDPA,
        VMM_NET_TYPE_NULL,
        VMM_NET_TYPE_VDS,
        _VMM_NET_TYPE_MAX
} VmmNetType;

typedef struct VmmNetIp {
        char *address, *family, *peer, *gateway;
        int64_t prefix;
        VmmDevExtra extra;
} VmmNetIp;

typedef struct VmmNetSource {
        char *network, *bridge, *dev, *mode, *portgroup, *address, *path, *type, *portid;
        int64_t port;
        char *local_address;
        int64_t local_port;
        VmmNetIp **ips;
        size_t n_ips;
        VmmNetIp **routes;
        size_t n_routes;
        VmmDevAddress *address_dev; /* type='hostdev': the host PCI device */
        VmmDevExtra extra;
} VmmNetSource;

typedef struct VmmNetOffload { /* <driver><host .../> and <guest .../> */
        int csum, gso, tso4, tso6, ecn, ufo, mrg_rxbuf;
        VmmDevExtra extra;
} VmmNetOffload;

typedef struct VmmNetBandwidth {
        int64_t in_average, in_peak, in_burst, in_floor;
        int64_t out_average, out_peak, out_burst;
        VmmDevExtra extra;
} VmmNetBandwidth;

typedef struct VmmNetVlanTag {
        int64_t id;
        char *native_mode;
        VmmDevExtra extra;
} VmmNetVlanTag;

typedef struct VmmNetVlan {
        int trunk;
        VmmNetVlanTag **tags;
        size_t n_tags;
        VmmDevExtra extra;
} VmmNetVlan;

typedef struct VmmNetVirtualPort {
        char *type, *managerid, *typeid, *typeidversion, *instanceid, *profileid, *interfaceid;
        VmmDevExtra extra;
} VmmNetVirtualPort;

typedef struct VmmNetFilterParam {
        char *name, *value;
        VmmDevExtra extra;
} VmmNetFilterParam;

typedef struct VmmNetFilterRef {
        char *filter;
        VmmNetFilterParam **params;
        size_t n_params;
        VmmDevExtra extra;
} VmmNetFilterRef;

typedef struct VmmNetPortRange {
        int64_t start, end, to;
        int exclude;
        VmmDevExtra extra;
} VmmNetPortRange;

typedef struct VmmNetPortForward {
        char *proto, *address, *dev;
        VmmNetPortRange **ranges;
        size_t n_ranges;
        VmmDevExtra extra;
} VmmNetPortForward;

typedef struct VmmNetTune {
        int64_t sndbuf;
        VmmDevExtra extra;
} VmmNetTune;

typedef struct VmmNetCoalesceRx {
        int64_t frames_max;
        VmmDevExtra extra;
} VmmNetCoalesceRx;

typedef struct VmmNetCoalesce {
        VmmNetCoalesceRx *rx;
        VmmDevExtra extra;
} VmmNetCoalesce;

typedef struct VmmDomainNet {
        int type; /* VmmNetType */
        int managed, trust_guest_rx_filters;
        char *mac, *mac_type, *mac_check;
        VmmNetSource *source;
        char *target_dev;
        int target_managed;
        char *model;
        char *driver_name, *driver_txmode;
        int ioeventfd, event_idx, iommu, ats, packed, page_per_vq, rss, rss_hash_report;
        int64_t queues, rx_queue_size, tx_queue_size;
        VmmNetOffload *driver_host, *driver_guest;
        char *backend_tap, *backend_vhost, *backend_type, *backend_logfile;
        int link_state;
        int64_t mtu;
        char *script, *downscript;
        char *guest_dev, *guest_actual;
        VmmNetIp **ips;
        size_t n_ips;
        VmmNetIp **routes;
        size_t n_routes;
        VmmNetBandwidth *bandwidth;
        VmmNetVlan *vlan;
        VmmNetVirtualPort *virtualport;
        VmmNetFilterRef *filterref;
        VmmNetTune *tune;
        VmmNetCoalesce *coalesce;
        char *teaming_type, *teaming_persistent;
        VmmNetPortForward **port_forwards;
        size_t n_port_forwards;
        int rom_bar, rom_enabled;
        char *rom_file;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainNet;

extern const VmmDevDesc vmm_domain_net_desc;

/* Checks the MAC address format and what the type needs; names the
 * interface by MAC or position. */
int vmm_domain_net_check(const VmmDomainNet *net, VmmError *error);
/* Gives an interface without a MAC one from 52:54:00:xx:xx:xx. */
int vmm_domain_net_fill_defaults(VmmDomainNet *net, VmmError *error);
/* Whether `s` is six colon-separated hex octets. */
bool vmm_net_mac_valid(const char *s);
/* Parses a MAC into 6 bytes; -EINVAL when malformed. */
int vmm_net_mac_parse(const char *s, uint8_t ret_mac[6]);
