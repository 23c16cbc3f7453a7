/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-net.c: <interface> of every type (network, bridge, user, direct,
 * ethernet, vhostuser, hostdev, ...), with MAC, model, source, target,
 * driver and offloads, backend, link, mtu, ip and route, bandwidth, vlan,
 * virtualport, filterref, port forwarding; MAC checks and generation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "domain-net.h"
#include "util/error.h"

static const char *const net_type_table[_VMM_NET_TYPE_MAX] = {
    [VMM_NET_TYPE_USER] = "user",
    [VMM_NET_TYPE_ETHERNET] = "ethernet",
    [VMM_NET_TYPE_VHOSTUSER] = "vhostuser",
    [VMM_NET_TYPE_SERVER] = "server",
    [VMM_NET_TYPE_CLIENT] = "client",
    [VMM_NET_TYPE_MCAST] = "mcast",
    [VMM_NET_TYPE_NETWORK] = "network",
    [VMM_NET_TYPE_BRIDGE] = "bridge",
    [VMM_NET_TYPE_INTERNAL] = "internal",
    [VMM_NET_TYPE_DIRECT] = "direct",
    [VMM_NET_TYPE_HOSTDEV] = "hostdev",
    [VMM_NET_TYPE_UDP] = "udp",
    [VMM_NET_TYPE_VDPA] = "vdpa",
    [VMM_NET_TYPE_NULL] = "null",
    [VMM_NET_TYPE_VDS] = "vds",
};
static const char *const net_link_table[] = {NULL, "up", "down"};

#define DESC(T, elem, id, tbl)                                                                     \
        {                                                                                          \
                .name = elem, .rng_id = id, .size = sizeof(T), .fields = tbl,                      \
                .n_fields = ARRAY_SIZE(tbl), .extra_offset = offsetof(T, extra)                    \
        }

static const VmmDevField ip_fields[] = {
    VMM_DEVF(NULL, "address", VMM_DEVF_STR, VmmNetIp, address),
    VMM_DEVF(NULL, "family", VMM_DEVF_STR, VmmNetIp, family),
    VMM_DEVF(NULL, "prefix", VMM_DEVF_UINT, VmmNetIp, prefix),
    VMM_DEVF(NULL, "peer", VMM_DEVF_STR, VmmNetIp, peer),
};
static const VmmDevDesc ip_desc = DESC(VmmNetIp, "ip", "dev-net-ip", ip_fields);
static const VmmDevField route_fields[] = {
    VMM_DEVF(NULL, "family", VMM_DEVF_STR, VmmNetIp, family),
    VMM_DEVF(NULL, "address", VMM_DEVF_STR, VmmNetIp, address),
    VMM_DEVF(NULL, "prefix", VMM_DEVF_UINT, VmmNetIp, prefix),
    VMM_DEVF(NULL, "gateway", VMM_DEVF_STR, VmmNetIp, gateway),
};
static const VmmDevDesc route_desc = DESC(VmmNetIp, "route", "dev-net-route", route_fields);

#define S VmmNetSource
static const VmmDevField source_fields[] = {
    VMM_DEVF(NULL, "network", VMM_DEVF_STR, S, network),
    VMM_DEVF(NULL, "portgroup", VMM_DEVF_STR, S, portgroup),
    VMM_DEVF(NULL, "portid", VMM_DEVF_STR, S, portid),
    VMM_DEVF(NULL, "bridge", VMM_DEVF_STR, S, bridge),
    VMM_DEVF(NULL, "dev", VMM_DEVF_STR, S, dev),
    VMM_DEVF(NULL, "mode", VMM_DEVF_STR, S, mode),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, S, type),
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, S, path),
    VMM_DEVF(NULL, "address", VMM_DEVF_STR, S, address),
    VMM_DEVF(NULL, "port", VMM_DEVF_UINT, S, port),
    VMM_DEVF("local", "address", VMM_DEVF_STR, S, local_address),
    VMM_DEVF("local", "port", VMM_DEVF_UINT, S, local_port),
    VMM_DEVF_L(NULL, "ip", S, ips, n_ips, &ip_desc),
    VMM_DEVF_L(NULL, "route", S, routes, n_routes, &route_desc),
    VMM_DEVF_S(NULL, "address", S, address_dev, &vmm_dev_address_desc),
};
#undef S
static const VmmDevDesc source_desc = DESC(VmmNetSource, "source", "dev-net-source", source_fields);

#define O VmmNetOffload
#define OFF(n) VMM_DEVF_E(NULL, #n, O, n, vmm_dev_onoff_table)
static const VmmDevField offload_fields[] = {
    OFF(csum), OFF(gso), OFF(tso4), OFF(tso6), OFF(ecn), OFF(ufo), OFF(mrg_rxbuf),
};
#undef OFF
#undef O
static const VmmDevDesc host_desc = DESC(VmmNetOffload, "host", "dev-net-host", offload_fields);
static const VmmDevDesc guest_desc = DESC(VmmNetOffload, "guest", "dev-net-guest", offload_fields);

#define B VmmNetBandwidth
static const VmmDevField bandwidth_fields[] = {
    VMM_DEVF("inbound", "average", VMM_DEVF_UINT, B, in_average),
    VMM_DEVF("inbound", "peak", VMM_DEVF_UINT, B, in_peak),
    VMM_DEVF("inbound", "burst", VMM_DEVF_UINT, B, in_burst),
    VMM_DEVF("inbound", "floor", VMM_DEVF_UINT, B, in_floor),
    VMM_DEVF("outbound", "average", VMM_DEVF_UINT, B, out_average),
    VMM_DEVF("outbound", "peak", VMM_DEVF_UINT, B, out_peak),
    VMM_DEVF("outbound", "burst", VMM_DEVF_UINT, B, out_burst),
};
#undef B
static const VmmDevDesc bandwidth_desc =
    DESC(VmmNetBandwidth, "bandwidth", "dev-net-bandwidth", bandwidth_fields);

static const VmmDevField tag_fields[] = {
    VMM_DEVF(NULL, "id", VMM_DEVF_UINT, VmmNetVlanTag, id),
    VMM_DEVF(NULL, "nativeMode", VMM_DEVF_STR, VmmNetVlanTag, native_mode),
};
static const VmmDevDesc tag_desc = DESC(VmmNetVlanTag, "tag", "dev-net-vlan-tag", tag_fields);
static const VmmDevField vlan_fields[] = {
    VMM_DEVF_E(NULL, "trunk", VmmNetVlan, trunk, vmm_dev_yesno_table),
    VMM_DEVF_L(NULL, "tag", VmmNetVlan, tags, n_tags, &tag_desc),
};
static const VmmDevDesc vlan_desc = DESC(VmmNetVlan, "vlan", "dev-net-vlan", vlan_fields);

#define V VmmNetVirtualPort
static const VmmDevField vport_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, V, type),
    VMM_DEVF("parameters", "managerid", VMM_DEVF_STR, V, managerid),
    VMM_DEVF("parameters", "typeid", VMM_DEVF_STR, V, typeid),
    VMM_DEVF("parameters", "typeidversion", VMM_DEVF_STR, V, typeidversion),
    VMM_DEVF("parameters", "instanceid", VMM_DEVF_STR, V, instanceid),
    VMM_DEVF("parameters", "profileid", VMM_DEVF_STR, V, profileid),
    VMM_DEVF("parameters", "interfaceid", VMM_DEVF_STR, V, interfaceid),
};
#undef V
static const VmmDevDesc vport_desc =
    DESC(VmmNetVirtualPort, "virtualport", "dev-net-virtualport", vport_fields);

static const VmmDevField param_fields[] = {
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, VmmNetFilterParam, name),
    VMM_DEVF(NULL, "value", VMM_DEVF_STR, VmmNetFilterParam, value),
};
static const VmmDevDesc param_desc =
    DESC(VmmNetFilterParam, "parameter", "dev-net-filterparam", param_fields);
static const VmmDevField filterref_fields[] = {
    VMM_DEVF(NULL, "filter", VMM_DEVF_STR, VmmNetFilterRef, filter),
    VMM_DEVF_L(NULL, "parameter", VmmNetFilterRef, params, n_params, &param_desc),
};
static const VmmDevDesc filterref_desc =
    DESC(VmmNetFilterRef, "filterref", "dev-net-filterref", filterref_fields);

static const VmmDevField range_fields[] = {
    VMM_DEVF(NULL, "start", VMM_DEVF_UINT, VmmNetPortRange, start),
    VMM_DEVF(NULL, "end", VMM_DEVF_UINT, VmmNetPortRange, end),
    VMM_DEVF(NULL, "to", VMM_DEVF_UINT, VmmNetPortRange, to),
    VMM_DEVF_E(NULL, "exclude", VmmNetPortRange, exclude, vmm_dev_yesno_table),
};
static const VmmDevDesc range_desc =
    DESC(VmmNetPortRange, "range", "dev-net-portrange", range_fields);
static const VmmDevField pf_fields[] = {
    VMM_DEVF(NULL, "proto", VMM_DEVF_STR, VmmNetPortForward, proto),
    VMM_DEVF(NULL, "address", VMM_DEVF_STR, VmmNetPortForward, address),
    VMM_DEVF(NULL, "dev", VMM_DEVF_STR, VmmNetPortForward, dev),
    VMM_DEVF_L(NULL, "range", VmmNetPortForward, ranges, n_ranges, &range_desc),
};
static const VmmDevDesc pf_desc =
    DESC(VmmNetPortForward, "portForward", "dev-net-portforward", pf_fields);

static const VmmDevField rx_fields[] = {
    VMM_DEVF("frames", "max", VMM_DEVF_UINT, VmmNetCoalesceRx, frames_max),
};
static const VmmDevDesc rx_desc = DESC(VmmNetCoalesceRx, "rx", "dev-net-coalesce-rx", rx_fields);
static const VmmDevField coalesce_fields[] = {
    VMM_DEVF_S(NULL, "rx", VmmNetCoalesce, rx, &rx_desc),
};
static const VmmDevDesc coalesce_desc =
    DESC(VmmNetCoalesce, "coalesce", "dev-net-coalesce", coalesce_fields);

static const VmmDevField tune_fields[] = {
    VMM_DEVF("sndbuf", NULL, VMM_DEVF_UINT, VmmNetTune, sndbuf),
};
static const VmmDevDesc tune_desc = DESC(VmmNetTune, "tune", "dev-net-tune", tune_fields);

#define N VmmDomainNet
static const VmmDevField net_fields[] = {
    VMM_DEVF_ER(NULL, "type", N, type, net_type_table),
    VMM_DEVF_E(NULL, "managed", N, managed, vmm_dev_yesno_table),
    VMM_DEVF_E(NULL, "trustGuestRxFilters", N, trust_guest_rx_filters, vmm_dev_yesno_table),
    VMM_DEVF_R("mac", "address", VMM_DEVF_STR, N, mac),
    VMM_DEVF("mac", "type", VMM_DEVF_STR, N, mac_type),
    VMM_DEVF("mac", "check", VMM_DEVF_STR, N, mac_check),
    VMM_DEVF_S(NULL, "source", N, source, &source_desc),
    VMM_DEVF_S(NULL, "virtualport", N, virtualport, &vport_desc),
    VMM_DEVF_L(NULL, "ip", N, ips, n_ips, &ip_desc),
    VMM_DEVF_L(NULL, "route", N, routes, n_routes, &route_desc),
    VMM_DEVF("script", "path", VMM_DEVF_STR, N, script),
    VMM_DEVF("downscript", "path", VMM_DEVF_STR, N, downscript),
    VMM_DEVF("backend", "type", VMM_DEVF_STR, N, backend_type),
    VMM_DEVF("backend", "tap", VMM_DEVF_STR, N, backend_tap),
    VMM_DEVF("backend", "vhost", VMM_DEVF_STR, N, backend_vhost),
    VMM_DEVF("backend", "logFile", VMM_DEVF_STR, N, backend_logfile),
    VMM_DEVF("target", "dev", VMM_DEVF_STR, N, target_dev),
    VMM_DEVF_E("target", "managed", N, target_managed, vmm_dev_yesno_table),
    VMM_DEVF("guest", "dev", VMM_DEVF_STR, N, guest_dev),
    VMM_DEVF("guest", "actual", VMM_DEVF_STR, N, guest_actual),
    VMM_DEVF_R("model", "type", VMM_DEVF_STR, N, model),
    VMM_DEVF("driver", "name", VMM_DEVF_STR, N, driver_name),
    VMM_DEVF("driver", "txmode", VMM_DEVF_STR, N, driver_txmode),
    VMM_DEVF_E("driver", "ioeventfd", N, ioeventfd, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "event_idx", N, event_idx, vmm_dev_onoff_table),
    VMM_DEVF("driver", "queues", VMM_DEVF_UINT, N, queues),
    VMM_DEVF("driver", "rx_queue_size", VMM_DEVF_UINT, N, rx_queue_size),
    VMM_DEVF("driver", "tx_queue_size", VMM_DEVF_UINT, N, tx_queue_size),
    VMM_DEVF_E("driver", "iommu", N, iommu, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "ats", N, ats, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "packed", N, packed, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "page_per_vq", N, page_per_vq, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "rss", N, rss, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "rss_hash_report", N, rss_hash_report, vmm_dev_onoff_table),
    VMM_DEVF_S("driver", "host", N, driver_host, &host_desc),
    VMM_DEVF_S("driver", "guest", N, driver_guest, &guest_desc),
    VMM_DEVF_S(NULL, "bandwidth", N, bandwidth, &bandwidth_desc),
    VMM_DEVF_S(NULL, "vlan", N, vlan, &vlan_desc),
    VMM_DEVF_S(NULL, "filterref", N, filterref, &filterref_desc),
    VMM_DEVF_S(NULL, "tune", N, tune, &tune_desc),
    VMM_DEVF_E("link", "state", N, link_state, net_link_table),
    VMM_DEVF("mtu", "size", VMM_DEVF_UINT, N, mtu),
    VMM_DEVF_S(NULL, "coalesce", N, coalesce, &coalesce_desc),
    VMM_DEVF("teaming", "type", VMM_DEVF_STR, N, teaming_type),
    VMM_DEVF("teaming", "persistent", VMM_DEVF_STR, N, teaming_persistent),
    VMM_DEVF_L(NULL, "portForward", N, port_forwards, n_port_forwards, &pf_desc),
    VMM_DEVF_E("rom", "bar", N, rom_bar, vmm_dev_onoff_table),
    VMM_DEVF_E("rom", "enabled", N, rom_enabled, vmm_dev_yesno_table),
    VMM_DEVF("rom", "file", VMM_DEVF_STR, N, rom_file),
    VMM_DEVINFO_FIELDS(N),
};
#undef N

const VmmDevDesc vmm_domain_net_desc = DESC(VmmDomainNet, "interface", "dev-interface", net_fields);

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int vmm_net_mac_parse(const char *s, uint8_t ret_mac[6])
{
        uint8_t mac[6];

        if (!s || strlen(s) != 17)
                return -EINVAL;
        for (int i = 0; i < 6; i++) {
                int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);

                if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
                        return -EINVAL;
                mac[i] = (uint8_t)(hi * 16 + lo);
        }
        memcpy(ret_mac, mac, sizeof(mac));
        return 0;
}

bool vmm_net_mac_valid(const char *s)
{
        uint8_t mac[6];

        return vmm_net_mac_parse(s, mac) == 0;
}

int vmm_domain_net_check(const VmmDomainNet *net, VmmError *error)
{
        uint8_t mac[6];
        const char *type = net->type ? net_type_table[net->type] : NULL;

        if (!type)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "interface%s%s: type= is missing (expected \"network\", "
                                     "\"bridge\", \"user\", ...)",
                                     net->mac ? " " : "", net->mac ? net->mac : "");
        if (net->mac) {
                if (vmm_net_mac_parse(net->mac, mac) < 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "interface: <mac address='%s'>: not a MAC address "
                                             "(expected six hex octets, e.g. 52:54:00:12:34:56)",
                                             net->mac);
                if (mac[0] & 1)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "interface: <mac address='%s'>: a multicast "
                                             "address cannot name an interface (the first "
                                             "octet must be even)",
                                             net->mac);
        }
        switch (net->type) {
        case VMM_NET_TYPE_NETWORK:
                if (!net->source || !net->source->network)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "interface %s: type 'network' needs "
                                             "<source network='...'/>",
                                             strna(net->mac));
                break;
        case VMM_NET_TYPE_BRIDGE:
                if (!net->source || !net->source->bridge)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "interface %s: type 'bridge' needs "
                                             "<source bridge='...'/>",
                                             strna(net->mac));
                break;
        case VMM_NET_TYPE_DIRECT:
                if (!net->source || !net->source->dev)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "interface %s: type 'direct' needs "
                                             "<source dev='...'/>",
                                             strna(net->mac));
                break;
        default:
                break;
        }
        return 0;
}

int vmm_domain_net_fill_defaults(VmmDomainNet *net, VmmError *error)
{
        uint8_t r[3];
        char *mac;

        if (net->mac)
                return 0;
        if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
                return vmm_error_set_errno(error, -errno, "interface: cannot generate a MAC");
        if (asprintf(&mac, "52:54:00:%02x:%02x:%02x", r[0], r[1], r[2]) < 0)
                return vmm_error_oom(error);
        net->mac = mac;
        return 0;
}
