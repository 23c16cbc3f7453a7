/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-net.c: each <interface> as a -netdev and a -device.
 *
 * type='user' is QEMU's user-mode network (-netdev user). The tap-backed
 * types ('ethernet', 'bridge', 'network', 'direct') use what the caller
 * prepared for that interface (VmmQemuCommandContext.taps, by position):
 * an open fd (tap,fd=N, and the fd is listed in pass_fds) or a tap name
 * (tap,ifname=...,script=no,downscript=no), several fds for multiqueue
 * (tap,fds=a:b) and vhost-net fds (vhostfd=/vhostfds=); a type='ethernet' interface
 * may also name an existing tap in <target dev=...>. QEMU never runs a
 * script and never creates a tap by itself.
 *
 * Models: virtio (virtio-net-pci), e1000, e1000e, rtl8139 (the default,
 * as libvirt's on x86).
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "qemu-command-priv.h"

enum { NET_LINK_DOWN = 2 };

static const char *net_type_name(int type)
{
        static const char *const names[_VMM_NET_TYPE_MAX] = {
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

        return type > 0 && type < _VMM_NET_TYPE_MAX && names[type] ? names[type] : "?";
}

static const char *net_model(const VmmDomainNet *n)
{
        static const struct {
                const char *model, *device;
        } models[] = {
            {"virtio", "virtio-net-pci"},
            {"e1000", "e1000"},
            {"e1000e", "e1000e"},
            {"rtl8139", "rtl8139"},
        };

        if (!n->model)
                return "rtl8139";
        for (size_t i = 0; i < ARRAY_SIZE(models); i++)
                if (strcmp(models[i].model, n->model) == 0)
                        return models[i].device;
        return NULL;
}

static int net_check(VmmQemuBuild *b, const VmmDomainNet *n, const char *who)
{
        if (!net_model(n))
                return vmm_qemu_build_unsupported(b,
                                                  "%s: model '%s' (expected virtio, e1000, "
                                                  "e1000e or rtl8139)",
                                                  who, n->model);
        if (n->link_state == NET_LINK_DOWN)
                return vmm_qemu_build_unsupported(b, "%s: <link state='down'>", who);
        if (n->bandwidth || n->vlan || n->virtualport || n->filterref || n->n_port_forwards)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: <bandwidth>, <vlan>, <virtualport>, "
                                                  "<filterref> or <portForward>",
                                                  who);
        if (n->backend_type || n->n_ips || n->n_routes)
                return vmm_qemu_build_unsupported(b, "%s: <backend type>, <ip> or <route>", who);
        if (n->queues != VMM_DEV_UNSET && n->queues > 1 &&
            strcmp(net_model(n), "virtio-net-pci") != 0)
                return vmm_qemu_build_error(b,
                                            "%s: <driver queues='%" PRId64 "'>: multiqueue "
                                            "needs <model type='virtio'/>",
                                            who, n->queues);
        if (n->coalesce || n->tune || n->rss > 0 || n->rss_hash_report > 0 || n->teaming_type)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: <coalesce>, <tune>, <teaming> or "
                                                  "<driver rss>",
                                                  who);
        if (strcmp(net_model(n), "virtio-net-pci") != 0 &&
            (n->driver_host || n->driver_guest || n->driver_txmode || n->iommu > 0 || n->ats > 0 ||
             n->packed > 0 || n->ioeventfd > 0 || n->event_idx > 0 ||
             n->rx_queue_size != VMM_DEV_UNSET || n->tx_queue_size != VMM_DEV_UNSET ||
             n->mtu != VMM_DEV_UNSET))
                return vmm_qemu_build_error(b,
                                            "%s: <driver> virtio options or <mtu> on a "
                                            "model that is not virtio",
                                            who);
        if (n->script || n->downscript)
                return vmm_qemu_build_error(b,
                                            "%s: <script> is not allowed (vmm never runs "
                                            "scripts for QEMU)",
                                            who);
        return 0;
}

/* key=N for one fd, keys=a:b:c for several; each fd passed to QEMU. */
static int net_fd_list(VmmQemuBuild *b, VmmBuf *o, const char *key, const char *keys,
                       const int *fds, size_t n)
{
        VmmBuf list = VMM_BUF_INIT;
        int r = 0;

        for (size_t k = 0; k < n && r >= 0; k++) {
                r = vmm_qemu_build_pass_fd(b, fds[k]);
                vmm_buf_addf(&list, "%s%d", k ? ":" : "", fds[k]);
        }
        if (r >= 0)
                vmm_qemu_opt_add(o, n == 1 ? key : keys, vmm_buf_str(&list));
        vmm_buf_done(&list);
        return r;
}

static int net_tap(VmmQemuBuild *b, const VmmDomainNet *n, size_t i, const char *who, VmmBuf *o)
{
        const VmmQemuTap *tap = i < b->ctx->n_taps ? &b->ctx->taps[i] : NULL;
        const char *ifname = tap ? tap->ifname : NULL;
        int r;

        vmm_qemu_opt_add(o, NULL, "tap");
        if (tap && (tap->fd >= 0 || tap->n_fds > 0)) {
                r = tap->fd >= 0 ? net_fd_list(b, o, "fd", "fds", &tap->fd, 1)
                                 : net_fd_list(b, o, "fd", "fds", tap->fds, tap->n_fds);
                if (r < 0)
                        return r;
        } else {
                if (!ifname && n->type == VMM_NET_TYPE_ETHERNET)
                        ifname = n->target_dev;
                if (!ifname)
                        return vmm_qemu_build_error(
                            b,
                            "%s (type '%s'): no tap device was prepared for it (expected "
                            "a tap fd or name from the caller, or <target dev=...> naming "
                            "an existing tap for type 'ethernet')",
                            who, net_type_name(n->type));
                vmm_qemu_opt_add(o, "ifname", ifname);
                vmm_qemu_opt_add(o, "script", "no");
                vmm_qemu_opt_add(o, "downscript", "no");
                if (n->queues != VMM_DEV_UNSET && n->queues > 1)
                        vmm_qemu_opt_addf(o, "queues", "%" PRId64, n->queues);
        }
        if (n->driver_name && strcmp(n->driver_name, "vhost") == 0)
                vmm_qemu_opt_bool(o, "vhost", true);
        if (tap && tap->n_vhost_fds > 0)
                return net_fd_list(b, o, "vhostfd", "vhostfds", tap->vhost_fds, tap->n_vhost_fds);
        return 0;
}

static int net_netdev(VmmQemuBuild *b, const VmmDomainNet *n, size_t i, const char *who)
{
        VmmBuf o = VMM_BUF_INIT;
        int r = 0;

        switch (n->type) {
        case VMM_NET_TYPE_USER:
                vmm_qemu_opt_add(&o, NULL, "user");
                break;
        case VMM_NET_TYPE_ETHERNET:
        case VMM_NET_TYPE_BRIDGE:
        case VMM_NET_TYPE_NETWORK:
        case VMM_NET_TYPE_DIRECT:
                r = net_tap(b, n, i, who, &o);
                break;
        default:
                vmm_buf_done(&o);
                return vmm_qemu_build_unsupported(b, "%s: <interface type='%s'>", who,
                                                  net_type_name(n->type));
        }
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_opt_addf(&o, "id", "hostnet%zu", i);
        vmm_qemu_args_add_opts(&b->args, "-netdev", &o);
        return 0;
}

/* <driver><host/> and <guest/> offloads as virtio-net properties. */
static void net_offloads(VmmBuf *o, const VmmNetOffload *h, const VmmNetOffload *g)
{
        const struct {
                const VmmNetOffload *off;
                const char *name;
                size_t offset;
        } map[] = {
            {h, "csum", offsetof(VmmNetOffload, csum)},
            {h, "gso", offsetof(VmmNetOffload, gso)},
            {h, "host_tso4", offsetof(VmmNetOffload, tso4)},
            {h, "host_tso6", offsetof(VmmNetOffload, tso6)},
            {h, "host_ecn", offsetof(VmmNetOffload, ecn)},
            {h, "host_ufo", offsetof(VmmNetOffload, ufo)},
            {h, "mrg_rxbuf", offsetof(VmmNetOffload, mrg_rxbuf)},
            {g, "guest_csum", offsetof(VmmNetOffload, csum)},
            {g, "guest_tso4", offsetof(VmmNetOffload, tso4)},
            {g, "guest_tso6", offsetof(VmmNetOffload, tso6)},
            {g, "guest_ecn", offsetof(VmmNetOffload, ecn)},
            {g, "guest_ufo", offsetof(VmmNetOffload, ufo)},
        };

        for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
                int v;

                if (!map[i].off)
                        continue;
                v = *(const int *)(const void *)((const char *)map[i].off + map[i].offset);
                if (v > 0)
                        vmm_qemu_opt_bool(o, map[i].name, v == VMM_DEV_ON);
        }
}

static void net_virtio_opts(VmmBuf *o, const VmmDomainNet *n)
{
        if (n->driver_txmode)
                vmm_qemu_opt_add(
                    o, "tx", strcmp(n->driver_txmode, "iothread") == 0 ? "bh" : n->driver_txmode);
        if (n->ioeventfd > 0)
                vmm_qemu_opt_bool(o, "ioeventfd", n->ioeventfd == VMM_DEV_ON);
        if (n->event_idx > 0)
                vmm_qemu_opt_bool(o, "event_idx", n->event_idx == VMM_DEV_ON);
        net_offloads(o, n->driver_host, n->driver_guest);
        vmm_qemu_build_virtio(o, n->iommu, n->ats, n->packed, n->page_per_vq);
}

static int net_device(VmmQemuBuild *b, const VmmDomainNet *n, size_t i, const char *who)
{
        const char *model = net_model(n);
        bool virtio = strcmp(model, "virtio-net-pci") == 0;
        VmmBuf o = VMM_BUF_INIT;
        int r;

        vmm_qemu_opt_add(&o, NULL, model);
        vmm_qemu_opt_addf(&o, "netdev", "hostnet%zu", i);
        vmm_qemu_opt_addf(&o, "id", "net%zu", i);
        if (n->mac)
                vmm_qemu_opt_add(&o, "mac", n->mac);
        vmm_qemu_build_bootindex(&o, b->net_boot[i]);
        if (virtio && n->queues != VMM_DEV_UNSET && n->queues > 1) {
                /* a vector per rx and tx queue, one for config, one for control */
                vmm_qemu_opt_bool(&o, "mq", true);
                vmm_qemu_opt_addf(&o, "vectors", "%" PRId64, 2 * n->queues + 2);
        }
        if (virtio && n->mtu != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "host_mtu", "%" PRId64, n->mtu);
        if (virtio && n->rx_queue_size != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "rx_queue_size", "%" PRId64, n->rx_queue_size);
        if (virtio && n->tx_queue_size != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "tx_queue_size", "%" PRId64, n->tx_queue_size);
        if (virtio)
                net_virtio_opts(&o, n);
        if (n->rom_enabled == VMM_DEV_NO)
                vmm_qemu_opt_add(&o, "romfile", "");
        else if (n->rom_file)
                vmm_qemu_opt_add(&o, "romfile", n->rom_file);
        if (n->rom_bar == VMM_DEV_OFF)
                vmm_qemu_opt_addf(&o, "rombar", "0");
        r = vmm_qemu_build_pci_address(b, &o, &n->info, who);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

int vmm_qemu_command_nets(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainNet *const *nets =
            (VmmDomainNet *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_INTERFACE, &n);
        int r;

        for (size_t i = 0; i < n; i++) {
                char who[64];

                if (nets[i]->mac)
                        snprintf(who, sizeof(who), "interface '%s'", nets[i]->mac);
                else
                        snprintf(who, sizeof(who), "interface #%zu", i + 1);
                r = net_check(b, nets[i], who);
                if (r >= 0)
                        r = net_netdev(b, nets[i], i, who);
                if (r >= 0)
                        r = net_device(b, nets[i], i, who);
                if (r < 0)
                        return r;
        }
        return 0;
}
