/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-tap.c: taps for guest NICs (see qemu-tap.h for the rules): opened
 * on /dev/net/tun, configured through rtnetlink with libnl-route-3.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "qemu-tap.h"
#include "util/log.h"

#define TUN_PATH "/dev/net/tun"
#define VHOST_NET_PATH "/dev/vhost-net"
#define TAP_MAX_QUEUES 256 /* the kernel's MAX_TAP_QUEUES */

/* --- pure helpers --- */

int vmm_qemu_tap_host_mac(const char *guest_mac, uint8_t ret_mac[6])
{
        uint8_t mac[6];

        if (vmm_net_mac_parse(guest_mac, mac) < 0)
                return -EINVAL;
        mac[0] = 0xFE;
        memcpy(ret_mac, mac, sizeof(mac));
        return 0;
}

bool vmm_qemu_tap_name_valid(const char *name)
{
        size_t n = name ? strlen(name) : 0;

        if (n == 0 || n > VMM_QEMU_TAP_NAME_MAX || strcmp(name, ".") == 0 ||
            strcmp(name, "..") == 0)
                return false;
        for (const char *p = name; *p; p++)
                if (*p == '/' || *p == ':' || *p == '%' || *p <= ' ' || *p == 0x7f)
                        return false;
        return true;
}

bool vmm_qemu_tap_name_reserved(const char *name)
{
        size_t k = strlen(VMM_QEMU_TAP_PREFIX);

        if (!name || strncmp(name, VMM_QEMU_TAP_PREFIX, k) != 0 || !name[k])
                return false;
        return strspn(name + k, "0123456789") == strlen(name + k);
}

bool vmm_qemu_tap_wanted(const VmmDomainNet *net)
{
        return net->type == VMM_NET_TYPE_ETHERNET || net->type == VMM_NET_TYPE_BRIDGE;
}

/* The <target dev> that names the tap, NULL: allocate one. */
static const char *tap_wanted_name(const VmmDomainNet *net)
{
        if (!net->target_dev || vmm_qemu_tap_name_reserved(net->target_dev))
                return NULL;
        return net->target_dev;
}

static size_t tap_queues(const VmmDomainNet *net)
{
        return net->queues != VMM_DEV_UNSET && net->queues > 1 ? (size_t)net->queues : 1;
}

static bool tap_vhost(const VmmDomainNet *net)
{
        return net->driver_name && strcmp(net->driver_name, "vhost") == 0;
}

void vmm_qemu_tap_host_done(VmmQemuTapHost *h)
{
        if (!h)
                return;
        for (size_t i = 0; i < h->n_fds; i++)
                if (h->fds[i] >= 0)
                        close(h->fds[i]);
        for (size_t i = 0; i < h->n_vhost_fds; i++)
                if (h->vhost_fds[i] >= 0)
                        close(h->vhost_fds[i]);
        free(h->fds);
        free(h->vhost_fds);
        *h = (VmmQemuTapHost)VMM_QEMU_TAP_HOST_INIT;
}

/* --- rtnetlink --- */

static inline void nl_socket_freep(struct nl_sock **sk)
{
        if (*sk)
                nl_socket_free(*sk);
}

static inline void rtnl_link_putp(struct rtnl_link **l)
{
        if (*l)
                rtnl_link_put(*l);
}

/* A negative errno for a libnl error code. */
static int nl_errno(int nlerr)
{
        static const struct {
                int nl, e;
        } map[] = {
            {NLE_NODEV, ENODEV},    {NLE_OBJ_NOTFOUND, ENODEV},  {NLE_PERM, EPERM},
            {NLE_EXIST, EEXIST},    {NLE_BUSY, EBUSY},           {NLE_INVAL, EINVAL},
            {NLE_RANGE, ERANGE},    {NLE_OPNOTSUPP, EOPNOTSUPP}, {NLE_NOMEM, ENOMEM},
            {NLE_NOACCESS, EACCES},
        };
        int v = nlerr < 0 ? -nlerr : nlerr;

        for (size_t i = 0; i < ARRAY_SIZE(map); i++)
                if (map[i].nl == v)
                        return -map[i].e;
        return -EIO;
}

static int nl_open(struct nl_sock **ret, const char *who, VmmError *error)
{
        struct nl_sock *sk = nl_socket_alloc();
        int r;

        if (!sk)
                return vmm_error_oom(error);
        r = nl_connect(sk, NETLINK_ROUTE);
        if (r < 0) {
                nl_socket_free(sk);
                return vmm_error_set(error, nl_errno(r), VMM_ERR_SYSTEM,
                                     "%s: cannot open an rtnetlink socket: %s", who,
                                     nl_geterror(r));
        }
        *ret = sk;
        return 0;
}

/* The link named `name` from the kernel; -ENODEV when there is none. */
static int link_get(struct nl_sock *sk, const char *name, struct rtnl_link **ret)
{
        unsigned int index = if_nametoindex(name);
        int r;

        if (index == 0)
                return -ENODEV;
        r = rtnl_link_get_kernel(sk, (int)index, NULL, ret);
        return r < 0 ? nl_errno(r) : 0;
}

/* One change to link `ifname`: `changes` describes it, `what` names it
 * in the error ("set MAC fe:54:..."). */
static int link_change(struct nl_sock *sk, const char *ifname, struct rtnl_link *changes,
                       const char *who, const char *what, VmmError *error)
{
        _cleanup_(rtnl_link_putp) struct rtnl_link *orig = NULL;
        int r;

        r = link_get(sk, ifname, &orig);
        if (r >= 0) {
                r = rtnl_link_change(sk, orig, changes, 0);
                if (r < 0)
                        return vmm_error_set(error, nl_errno(r), VMM_ERR_SYSTEM,
                                             "%s: tap '%s': cannot %s: %s", who, ifname, what,
                                             nl_geterror(r));
                return 0;
        }
        return vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: tap '%s' vanished before it was set up",
                             who, ifname);
}

/* The bridge named in <source bridge>: must exist and be a bridge. */
static int bridge_lookup(struct nl_sock *sk, const char *bridge, const char *who, int *ret_index,
                         unsigned int *ret_mtu, VmmError *error)
{
        _cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;
        const char *kind;
        int r;

        r = link_get(sk, bridge, &link);
        if (r == -ENODEV)
                return vmm_error_set(error, -ENODEV, VMM_ERR_OPERATION_INVALID,
                                     "%s: <source bridge='%s'>: bridge '%s' does not exist "
                                     "(expected an existing bridge link on the host)",
                                     who, bridge, bridge);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM,
                                     "%s: <source bridge='%s'>: cannot look it up: %s", who, bridge,
                                     strerror(-r));
        kind = rtnl_link_get_type(link);
        if (!kind || strcmp(kind, "bridge") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "%s: <source bridge='%s'>: '%s' is not a bridge (link "
                                     "kind: %s%s%s)",
                                     who, bridge, bridge, kind ? "'" : "", kind ? kind : "none",
                                     kind ? "'" : "");
        if (ret_index)
                *ret_index = rtnl_link_get_ifindex(link);
        if (ret_mtu)
                *ret_mtu = rtnl_link_get_mtu(link);
        return 0;
}

/* --- checks before anything is created --- */

static int check_type(const VmmDomainNet *net, const char *who, VmmError *error)
{
        if (net->script || net->downscript)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: <script>/<downscript> is not allowed (vmm never runs "
                                     "scripts: it creates and configures taps itself)",
                                     who);
        if (net->type == VMM_NET_TYPE_NETWORK)
                return vmm_error_set(
                    error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                    "%s: <source network='%s'>: virtual networks need vmm-networkd, which is "
                    "not available yet (use <interface type='bridge'> with <source bridge=...> "
                    "or type='ethernet')",
                    who, net->source && net->source->network ? net->source->network : "");
        if (net->type == VMM_NET_TYPE_DIRECT)
                return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                     "%s: <interface type='direct'> (macvtap) is not supported "
                                     "by the qemu driver yet",
                                     who);
        return 0;
}

/* An existing link named by <target dev> must be a tun/tap device (the
 * kernel tells tun from tap when we attach). */
static int check_existing_tap(struct nl_sock *sk, const char *name, const char *who,
                              VmmError *error)
{
        _cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;
        const char *kind;
        int r;

        r = link_get(sk, name, &link);
        if (r == -ENODEV)
                return 0; /* gone meanwhile: created as a new tap */
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM,
                                     "%s: <target dev='%s'>: cannot look it up: %s", who, name,
                                     strerror(-r));
        kind = rtnl_link_get_type(link);
        if (!kind || strcmp(kind, "tun") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "%s: <target dev='%s'>: '%s' exists and is not a tap (link "
                                     "kind: %s%s%s; expected a tap, or a name no link has)",
                                     who, name, name, kind ? "'" : "", kind ? kind : "none",
                                     kind ? "'" : "");
        return 0;
}

static int check_target(struct nl_sock *sk, const VmmDomainNet *net, const char *who,
                        VmmError *error)
{
        const char *name = tap_wanted_name(net);

        if (net->target_dev && !vmm_qemu_tap_name_valid(net->target_dev))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: <target dev='%s'>: not a valid link name (expected 1 "
                                     "to 15 characters, no '/', ':', '%%' or spaces)",
                                     who, net->target_dev);
        if (net->target_managed == VMM_DEV_NO && !name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: <target managed='no'> needs <target dev=...> naming an "
                                     "existing tap",
                                     who);
        if (!name || if_nametoindex(name) == 0) {
                if (net->target_managed == VMM_DEV_NO)
                        return vmm_error_set(error, -ENODEV, VMM_ERR_OPERATION_INVALID,
                                             "%s: <target dev='%s' managed='no'>: tap '%s' does "
                                             "not exist (expected an existing tap)",
                                             who, name, name);
                return 0;
        }
        if (net->type == VMM_NET_TYPE_BRIDGE)
                return vmm_error_set(error, -EEXIST, VMM_ERR_OPERATION_INVALID,
                                     "%s: <target dev='%s'>: a link '%s' already exists (type "
                                     "'bridge' needs a tap vmm creates; an existing tap can "
                                     "be used with type='ethernet')",
                                     who, name, name);
        return check_existing_tap(sk, name, who, error);
}

int vmm_qemu_tap_check(const VmmDomainNet *net, const char *who, VmmError *error)
{
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
        int r;

        r = check_type(net, who, error);
        if (r < 0 || !vmm_qemu_tap_wanted(net))
                return r;
        if (tap_queues(net) > TAP_MAX_QUEUES)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: <driver queues='%lld'>: at most %d queues", who,
                                     (long long)net->queues, TAP_MAX_QUEUES);
        if (tap_vhost(net) && access(VHOST_NET_PATH, R_OK | W_OK) < 0)
                return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                                     "%s: <driver name='vhost'>: %s cannot be used: %s (load "
                                     "the vhost_net module, or drop name='vhost' to use "
                                     "QEMU's own backend)",
                                     who, VHOST_NET_PATH, strerror(errno));
        r = nl_open(&sk, who, error);
        if (r >= 0)
                r = check_target(sk, net, who, error);
        if (r >= 0 && net->type == VMM_NET_TYPE_BRIDGE)
                r = bridge_lookup(sk, net->source->bridge, who, NULL, NULL, error);
        return r;
}

/* --- /dev/net/tun --- */

/* Opens one queue of tap `name` (a "%d" template creates a new one);
 * the kernel's name is written to `ret_name`. */
static int tun_open_queue(const char *name, bool multi, char ret_name[IFNAMSIZ], int *ret_fd)
{
        _cleanup_close_ int fd = open(TUN_PATH, O_RDWR | O_CLOEXEC);
        struct ifreq ifr = {0};

        if (fd < 0)
                return -errno;
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (multi ? IFF_MULTI_QUEUE : 0);
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
        if (ioctl(fd, TUNSETIFF, &ifr) < 0)
                return -errno;
        memcpy(ret_name, ifr.ifr_name, IFNAMSIZ);
        ret_name[IFNAMSIZ - 1] = '\0';
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int tun_error(int r, const char *who, const char *name, bool existing, VmmError *error)
{
        if (r == -ENOENT || r == -ENODEV)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM,
                                     "%s: cannot open %s: %s (expected the tun driver)", who,
                                     TUN_PATH, strerror(-r));
        if (r == -EPERM || r == -EACCES)
                return vmm_error_set(error, r, VMM_ERR_ACCESS_DENIED,
                                     "%s: cannot %s tap '%s': %s (taps need CAP_NET_ADMIN)", who,
                                     existing ? "attach to" : "create", name, strerror(-r));
        if (existing && r == -EBUSY)
                return vmm_error_set(error, r, VMM_ERR_OPERATION_INVALID,
                                     "%s: <target dev='%s'>: tap '%s' is in use by another "
                                     "process (expected a tap nobody holds)",
                                     who, name, name);
        if (existing && r == -EINVAL)
                return vmm_error_set(error, r, VMM_ERR_OPERATION_INVALID,
                                     "%s: <target dev='%s'>: '%s' is not a tap vmm can attach "
                                     "to (a tun device, or a tap whose multiqueue setting "
                                     "differs from <driver queues>)",
                                     who, name, name);
        return vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: cannot %s tap '%s': %s", who,
                             existing ? "attach to" : "create", name, strerror(-r));
}

/* Opens every queue of the tap into `h` (and vhost fds when asked). */
static int tap_open_fds(const VmmDomainNet *net, const char *name, bool existing, const char *who,
                        VmmQemuTapHost *h, VmmError *error)
{
        size_t queues = tap_queues(net);
        bool vhost = tap_vhost(net);
        char kname[IFNAMSIZ];
        int r;

        h->fds = calloc(queues, sizeof(int));
        h->vhost_fds = vhost ? calloc(queues, sizeof(int)) : NULL;
        if (!h->fds || (vhost && !h->vhost_fds))
                return vmm_error_oom(error);
        for (size_t i = 0; i < queues; i++) {
                r = tun_open_queue(i == 0 ? name : h->ifname, queues > 1, kname, &h->fds[i]);
                if (r < 0)
                        return tun_error(r, who, i == 0 ? name : h->ifname, existing, error);
                h->n_fds++;
                if (i == 0) {
                        memcpy(h->ifname, kname, sizeof(h->ifname));
                        h->created = !existing;
                }
        }
        for (size_t i = 0; vhost && i < queues; i++) {
                h->vhost_fds[i] = open(VHOST_NET_PATH, O_RDWR | O_CLOEXEC);
                if (h->vhost_fds[i] < 0)
                        return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                                             "%s: <driver name='vhost'>: cannot open %s: %s", who,
                                             VHOST_NET_PATH, strerror(errno));
                h->n_vhost_fds++;
        }
        return 0;
}

/* MAC, MTU, bridge port and link up of a tap we created. */
static int tap_setup(struct nl_sock *sk, const VmmDomainNet *net, const VmmQemuTapHost *h,
                     const char *who, VmmError *error)
{
        _cleanup_(rtnl_link_putp) struct rtnl_link *ch = rtnl_link_alloc();
        _cleanup_(rtnl_link_putp) struct rtnl_link *up = rtnl_link_alloc();
        struct nl_addr *addr = NULL;
        uint8_t mac[6];
        unsigned int mtu = net->mtu != VMM_DEV_UNSET ? (unsigned int)net->mtu : 0;
        int bridge = 0, r;
        char what[96];

        if (!ch || !up)
                return vmm_error_oom(error);
        if (net->type == VMM_NET_TYPE_BRIDGE) {
                r = bridge_lookup(sk, net->source->bridge, who, &bridge, mtu ? NULL : &mtu, error);
                if (r < 0)
                        return r;
        }
        if (net->mac && vmm_qemu_tap_host_mac(net->mac, mac) >= 0) {
                addr = nl_addr_build(AF_LLC, mac, sizeof(mac));
                if (!addr)
                        return vmm_error_oom(error);
                rtnl_link_set_addr(ch, addr);
                nl_addr_put(addr);
        }
        if (mtu)
                rtnl_link_set_mtu(ch, mtu);
        snprintf(what, sizeof(what), "set its MAC address and MTU %u", mtu);
        r = link_change(sk, h->ifname, ch, who, what, error);
        if (r >= 0 && bridge > 0) {
                rtnl_link_put(TAKE_PTR(ch));
                ch = rtnl_link_alloc();
                if (!ch)
                        return vmm_error_oom(error);
                rtnl_link_set_master(ch, bridge);
                snprintf(what, sizeof(what), "add it to bridge '%s'", net->source->bridge);
                r = link_change(sk, h->ifname, ch, who, what, error);
        }
        if (r < 0)
                return r;
        rtnl_link_set_flags(up, IFF_UP);
        return link_change(sk, h->ifname, up, who, "set it up", error);
}

int vmm_qemu_tap_open(VmmDomainNet *net, const char *who, VmmQemuTapHost *ret, VmmError *error)
{
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        const char *name = tap_wanted_name(net);
        bool existing;
        char *dev;
        int r;

        r = vmm_qemu_tap_check(net, who, error);
        if (r < 0)
                return r;
        if (!vmm_qemu_tap_wanted(net))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "%s: an interface of this type has no tap", who);
        r = nl_open(&sk, who, error);
        if (r < 0)
                return r;
        existing = name && if_nametoindex(name) != 0;
        r = tap_open_fds(net, name ? name : VMM_QEMU_TAP_PREFIX "%d", existing, who, &h, error);
        if (r >= 0 && !existing)
                r = tap_setup(sk, net, &h, who, error);
        if (r >= 0 && !(dev = strdup(h.ifname)))
                r = vmm_error_oom(error);
        if (r < 0) {
                vmm_qemu_tap_host_done(&h); /* a tap we created goes with its fds */
                return r;
        }
        free(net->target_dev);
        net->target_dev = dev;
        if (existing)
                net->target_managed = VMM_DEV_NO;
        vmm_log_debug("%s: %s tap '%s' (%zu queue%s%s)", who, existing ? "attached to" : "created",
                      h.ifname, h.n_fds, h.n_fds == 1 ? "" : "s", h.n_vhost_fds ? ", vhost" : "");
        *ret = h;
        return 0;
}

/* --- every interface of a domain --- */

VmmQemuTapSet *vmm_qemu_tap_set_free(VmmQemuTapSet *set)
{
        if (!set)
                return NULL;
        for (size_t i = 0; set->hosts && i < set->n; i++)
                vmm_qemu_tap_host_done(&set->hosts[i]);
        free(set->hosts);
        free(set->taps);
        free(set);
        return NULL;
}

static void tap_who(const VmmDomainDef *def, const VmmDomainNet *net, size_t i, char *buf,
                    size_t size)
{
        const char *name = vmm_domain_def_get_name(def);

        if (net->mac)
                snprintf(buf, size, "domain '%s': interface '%s'", name ? name : "", net->mac);
        else
                snprintf(buf, size, "domain '%s': interface #%zu", name ? name : "", i + 1);
}

static void tap_set_view(VmmQemuTapSet *set, size_t i)
{
        const VmmQemuTapHost *h = &set->hosts[i];
        VmmQemuTap *t = &set->taps[i];

        *t = (VmmQemuTap){.fd = -1};
        if (h->n_fds == 0)
                return;
        t->ifname = h->ifname;
        if (h->n_fds == 1)
                t->fd = h->fds[0];
        else {
                t->fds = h->fds;
                t->n_fds = h->n_fds;
        }
        t->vhost_fds = h->vhost_fds;
        t->n_vhost_fds = h->n_vhost_fds;
}

/* Two interfaces of a domain cannot share a tap. */
static int tap_check_unique(VmmDomainNet *const *nets, size_t i, const char *who, VmmError *error)
{
        const char *name = vmm_qemu_tap_wanted(nets[i]) ? tap_wanted_name(nets[i]) : NULL;

        for (size_t k = 0; name && k < i; k++)
                if (vmm_qemu_tap_wanted(nets[k]) && tap_wanted_name(nets[k]) &&
                    strcmp(tap_wanted_name(nets[k]), name) == 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "%s: <target dev='%s'>: interface #%zu names the "
                                             "same tap (expected one tap per interface)",
                                             who, name, k + 1);
        return 0;
}

int vmm_qemu_tap_open_all(VmmDomainDef *live, VmmQemuTapSet **ret_set, VmmError *error)
{
        _cleanup_(vmm_qemu_tap_set_freep) VmmQemuTapSet *set = NULL;
        size_t n = 0;
        VmmDomainNet *const *nets = (VmmDomainNet *const *)vmm_domain_devices_get(
            vmm_domain_def_get_devices(live), VMM_DOMAIN_DEVICE_INTERFACE, &n);
        char who[160];
        int r;

        set = calloc(1, sizeof(*set));
        if (!set)
                return vmm_error_oom(error);
        set->n = n;
        set->hosts = calloc(n ? n : 1, sizeof(*set->hosts));
        set->taps = calloc(n ? n : 1, sizeof(*set->taps));
        if (!set->hosts || !set->taps)
                return vmm_error_oom(error);
        /* every interface checked before any tap exists */
        for (size_t i = 0; i < n; i++) {
                tap_who(live, nets[i], i, who, sizeof(who));
                r = vmm_qemu_tap_check(nets[i], who, error);
                if (r >= 0)
                        r = tap_check_unique(nets, i, who, error);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++) {
                if (vmm_qemu_tap_wanted(nets[i])) {
                        tap_who(live, nets[i], i, who, sizeof(who));
                        r = vmm_qemu_tap_open(nets[i], who, &set->hosts[i], error);
                        if (r < 0)
                                return r;
                }
                tap_set_view(set, i);
        }
        *ret_set = TAKE_PTR(set);
        return 0;
}
