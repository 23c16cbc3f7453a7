/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-tap: the taps vmm-qemud makes for guest NICs
 * (drivers/qemu/qemu-tap.c).
 *
 * The pure parts (host MAC, name rules, the checks that refuse a
 * definition) run everywhere. The rest runs in a private network
 * namespace the test makes for itself (unshare(CLONE_NEWNET): root
 * needed), so the host's links are never touched and parallel runs never
 * collide: name allocation (vmmN, skipping a name already taken), MAC /
 * MTU / up / bridge port as the kernel reports them through rtnetlink,
 * existing taps used as they are, taps gone when their fds close, and
 * errors that leave no link behind. Those tests skip with a message
 * without namespaces or /dev/net/tun.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "qemu-command.h"
#include "qemu-tap.h"
#include "util/error.h"

static bool netns_ok;
static const char *netns_why = "";
static struct nl_sock *sk;

/* --- helpers --- */

/* A domain with the given <interface> elements (parsed with defaults). */
static VmmDomainDef *domain_with(const char *ifaces)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;
        char *xml;

        assert_true(asprintf(&xml,
                             "<domain type='qemu'><name>tapdom</name><memory unit='MiB'>64"
                             "</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm"
                             "</type></os><devices>%s</devices></domain>",
                             ifaces) > 0);
        if (vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &error) < 0 ||
            vmm_domain_def_fill_defaults(def, &error) < 0)
                fail_msg("%s: %s", xml, error.message);
        free(xml);
        return def;
}

static VmmDomainNet *net_of(VmmDomainDef *def, size_t i)
{
        size_t n = 0;
        void *const *nets = vmm_domain_devices_get(vmm_domain_def_get_devices(def),
                                                   VMM_DOMAIN_DEVICE_INTERFACE, &n);

        assert_true(i < n);
        return nets[i];
}

static bool link_exists(const char *name)
{
        return if_nametoindex(name) != 0;
}

/* The kernel's view of a link; NULL when absent. */
static struct rtnl_link *link_get(const char *name)
{
        struct rtnl_link *l = NULL;
        unsigned int index = if_nametoindex(name);

        if (index == 0 || rtnl_link_get_kernel(sk, (int)index, NULL, &l) < 0)
                return NULL;
        return l;
}

static void bridge_add(const char *name, unsigned int mtu)
{
        struct rtnl_link *l = rtnl_link_bridge_alloc();

        assert_non_null(l);
        rtnl_link_set_name(l, name);
        if (mtu)
                rtnl_link_set_mtu(l, mtu);
        assert_int_equal(rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL), 0);
        rtnl_link_put(l);
        assert_true(link_exists(name));
}

static void link_del(const char *name)
{
        struct rtnl_link *l = rtnl_link_alloc();

        rtnl_link_set_name(l, name);
        rtnl_link_delete(sk, l);
        rtnl_link_put(l);
        assert_false(link_exists(name));
}

/* A tap (or tun) made the way an administrator would (`ip tuntap add`):
 * persistent, held by nobody after this. Or, without `persist`, a
 * non-persistent one whose fd is returned. */
static int tun_make(const char *name, short type, bool persist)
{
        struct ifreq ifr = {0};
        int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

        assert_true(fd >= 0);
        ifr.ifr_flags = type | IFF_NO_PI;
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
        assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
        if (!persist)
                return fd;
        assert_int_equal(ioctl(fd, TUNSETPERSIST, 1), 0);
        close(fd);
        return -1;
}

static int tap_make(const char *name, bool persist)
{
        return tun_make(name, IFF_TAP, persist);
}

static size_t link_count(void)
{
        struct if_nameindex *all = if_nameindex(), *p;
        size_t n = 0;

        assert_non_null(all);
        for (p = all; p->if_index; p++)
                n++;
        if_freenameindex(all);
        return n;
}

static void need_netns(void)
{
        if (!netns_ok) {
                fprintf(stderr, "SKIP: %s\n", netns_why);
                skip();
        }
}

/* Opens interface `i` of `ifaces`; expects an error containing `want`
 * (or success when `want` is NULL). */
static int open_one(const char *ifaces, const char *want, VmmQemuTapHost *h, VmmDomainDef **ret)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = domain_with(ifaces);
        int r = vmm_qemu_tap_open(net_of(def, 0), "interface 0", h, &error);

        if (want) {
                if (r >= 0)
                        fail_msg("expected an error with \"%s\", got tap '%s'", want, h->ifname);
                if (!strstr(error.message, want))
                        fail_msg("error \"%s\" does not contain \"%s\"", error.message, want);
        } else if (r < 0) {
                fail_msg("tap open failed: %s", error.message);
        }
        vmm_error_clear(&error);
        if (ret)
                *ret = def;
        else
                vmm_domain_def_free(def);
        return r;
}

/* --- pure --- */

static void test_host_mac(void **state)
{
        uint8_t mac[6];
        const uint8_t want[6] = {0xfe, 0x54, 0x00, 0x12, 0xab, 0xcd};

        assert_int_equal(vmm_qemu_tap_host_mac("52:54:00:12:AB:cd", mac), 0);
        assert_memory_equal(mac, want, 6);
        assert_int_equal(vmm_qemu_tap_host_mac("52:54:00:12:ab", mac), -EINVAL);
        assert_int_equal(vmm_qemu_tap_host_mac(NULL, mac), -EINVAL);
}

static void test_names(void **state)
{
        static const struct {
                const char *name;
                bool valid, reserved;
        } cases[] = {
            {"vmm0", true, true},
            {"vmm123", true, true},
            {"vmm", true, false},
            {"vmmops12", true, false},
            {"vmm1a", true, false},
            {"tap-web", true, false},
            {"abcdefghijklmno", true, false},
            {"abcdefghijklmnop", false, false},
            {"", false, false},
            {".", false, false},
            {"..", false, false},
            {"a/b", false, false},
            {"eth0:1", false, false},
            {"tap%d", false, false},
            {"tap 1", false, false},
            {"tap\t", false, false},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                if (vmm_qemu_tap_name_valid(cases[i].name) != cases[i].valid)
                        fail_msg("\"%s\": valid should be %d", cases[i].name, cases[i].valid);
                if (vmm_qemu_tap_name_reserved(cases[i].name) != cases[i].reserved)
                        fail_msg("\"%s\": reserved should be %d", cases[i].name, cases[i].reserved);
        }
        assert_false(vmm_qemu_tap_name_valid(NULL));
}

/* Definitions refused before anything is created (no namespace needed:
 * these fail before any netlink or tun call). */
static void test_check_refusals(void **state)
{
        static const struct {
                const char *iface, *want;
                int code;
        } cases[] = {
            {"<interface type='ethernet'><script path='/etc/qemu-ifup'/></interface>",
             "<script>/<downscript> is not allowed", -EINVAL},
            {"<interface type='bridge'><source bridge='br0'/><downscript path='/x'/></interface>",
             "never runs scripts", -EINVAL},
            {"<interface type='network'><source network='default'/></interface>",
             "<source network='default'>: virtual networks need vmm-networkd, which is not "
             "available yet",
             -ENOTSUP},
            {"<interface type='direct'><source dev='eth0' mode='bridge'/></interface>",
             "type='direct'> (macvtap) is not supported", -ENOTSUP},
            {"<interface type='ethernet'><driver queues='300'/><model type='virtio'/>"
             "</interface>",
             "<driver queues='300'>: at most 256 queues", -EINVAL},
            {"<interface type='ethernet'><target dev='x' managed='no'/><model type='virtio'/>"
             "</interface>",
             NULL, 0}, /* decided later (needs the host) */
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomainDef *def = domain_with(cases[i].iface);
                int r;

                if (!cases[i].want) {
                        vmm_domain_def_free(def);
                        continue;
                }
                r = vmm_qemu_tap_check(net_of(def, 0), "domain 'd': interface 'm'", &error);
                assert_int_equal(r, cases[i].code);
                if (!strstr(error.message, cases[i].want) ||
                    !strstr(error.message, "domain 'd': interface 'm'"))
                        fail_msg("case %zu: \"%s\" lacks \"%s\" or the interface's name", i,
                                 error.message, cases[i].want);
                vmm_error_clear(&error);
                vmm_domain_def_free(def);
        }
}

/* The builder turns a prepared set into tap,fd=N and passes the fds. */
static void test_builder_view(void **state)
{
        const int vh[] = {41, 42};
        const int q[] = {43, 44};
        VmmQemuTap taps[] = {
            {.fd = 40, .ifname = "vmm0"},
            {.fd = -1, .ifname = "vmm1", .fds = q, .n_fds = 2, .vhost_fds = vh, .n_vhost_fds = 2},
        };
        VmmQemuCommandContext ctx = {.monitor_path = "/tmp/m.sock", .taps = taps, .n_taps = 2};
        VmmDomainDef *def = domain_with(
            "<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"
            "<interface type='ethernet'><model type='virtio'/><driver name='vhost' queues='2'/>"
            "</interface>");
        VmmError error = VMM_ERROR_INIT;
        VmmQemuCommand *cmd = NULL;
        int seen = 0;

        if (vmm_qemu_command_build(def, &ctx, &cmd, &error) < 0)
                fail_msg("%s", error.message);
        for (size_t i = 0; cmd->argv[i]; i++) {
                seen += strcmp(cmd->argv[i], "tap,fd=40,id=hostnet0") == 0;
                seen +=
                    strcmp(cmd->argv[i], "tap,fds=43:44,vhost=on,vhostfds=41:42,id=hostnet1") == 0;
        }
        assert_int_equal(seen, 2);
        assert_int_equal(cmd->n_pass_fds, 5);
        for (int fd = 40; fd <= 44; fd++) {
                bool found = false;

                for (size_t i = 0; i < cmd->n_pass_fds; i++)
                        found |= cmd->pass_fds[i] == fd;
                if (!found)
                        fail_msg("fd %d is not passed to QEMU", fd);
        }
        vmm_qemu_command_free(cmd);
        vmm_domain_def_free(def);
}

/* --- in the private network namespace --- */

static void test_allocate_names(void **state)
{
        VmmQemuTapHost a = VMM_QEMU_TAP_HOST_INIT, b = VMM_QEMU_TAP_HOST_INIT;
        VmmQemuTapHost c = VMM_QEMU_TAP_HOST_INIT, d = VMM_QEMU_TAP_HOST_INIT;
        VmmDomainDef *def = NULL;
        const char *eth = "<interface type='ethernet'><mac address='52:54:00:00:00:01'/>"
                          "<model type='virtio'/></interface>";

        need_netns();
        open_one(eth, NULL, &a, &def);
        assert_string_equal(a.ifname, "vmm0");
        assert_true(a.created);
        assert_int_equal(a.n_fds, 1);
        /* the live interface names its tap */
        assert_string_equal(net_of(def, 0)->target_dev, "vmm0");
        assert_int_not_equal(net_of(def, 0)->target_managed, VMM_DEV_NO);
        vmm_domain_def_free(def);
        open_one(eth, NULL, &b, NULL);
        assert_string_equal(b.ifname, "vmm1");
        /* a link already named vmm2 is skipped, not reused */
        bridge_add("vmm2", 0);
        open_one(eth, NULL, &c, NULL);
        assert_string_equal(c.ifname, "vmm3");
        /* a reserved name in the XML (from a live XML) is re-allocated */
        open_one("<interface type='ethernet'><target dev='vmm1'/><model type='virtio'/>"
                 "</interface>",
                 NULL, &d, NULL);
        assert_string_equal(d.ifname, "vmm4");
        /* closing our fds deletes the tap */
        vmm_qemu_tap_host_done(&a);
        assert_false(link_exists("vmm0"));
        assert_int_equal(a.n_fds, 0);
        open_one(eth, NULL, &a, NULL);
        assert_string_equal(a.ifname, "vmm0");
        vmm_qemu_tap_host_done(&a);
        vmm_qemu_tap_host_done(&b);
        vmm_qemu_tap_host_done(&c);
        vmm_qemu_tap_host_done(&d);
        link_del("vmm2");
        assert_false(link_exists("vmm1") || link_exists("vmm3") || link_exists("vmm4"));
}

static void test_setup_ethernet(void **state)
{
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        struct rtnl_link *l;
        char buf[64];

        need_netns();
        open_one("<interface type='ethernet'><mac address='52:54:00:ab:cd:ef'/>"
                 "<target dev='tap-web'/><model type='virtio'/><mtu size='1400'/></interface>",
                 NULL, &h, NULL);
        assert_string_equal(h.ifname, "tap-web");
        assert_true(h.created);
        l = link_get("tap-web");
        assert_non_null(l);
        assert_string_equal(nl_addr2str(rtnl_link_get_addr(l), buf, sizeof(buf)),
                            "fe:54:00:ab:cd:ef");
        assert_int_equal(rtnl_link_get_mtu(l), 1400);
        assert_true(rtnl_link_get_flags(l) & IFF_UP);
        assert_int_equal(rtnl_link_get_master(l), 0);
        assert_string_equal(rtnl_link_get_type(l), "tun");
        rtnl_link_put(l);
        vmm_qemu_tap_host_done(&h);
        assert_false(link_exists("tap-web"));
}

static void test_bridge_port(void **state)
{
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        struct rtnl_link *l;
        unsigned int br = 0;

        need_netns();
        bridge_add("br-t", 1450);
        br = if_nametoindex("br-t");
        open_one("<interface type='bridge'><mac address='52:54:00:00:00:02'/>"
                 "<source bridge='br-t'/><model type='virtio'/></interface>",
                 NULL, &h, NULL);
        l = link_get(h.ifname);
        assert_non_null(l);
        assert_int_equal(rtnl_link_get_master(l), (int)br);
        /* no <mtu>: the bridge's */
        assert_int_equal(rtnl_link_get_mtu(l), 1450);
        assert_true(rtnl_link_get_flags(l) & IFF_UP);
        rtnl_link_put(l);
        vmm_qemu_tap_host_done(&h);
        link_del("br-t");
}

static void test_bridge_errors(void **state)
{
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        size_t before;

        need_netns();
        before = link_count();
        assert_int_equal(open_one("<interface type='bridge'><source bridge='br-missing'/>"
                                  "<model type='virtio'/></interface>",
                                  "bridge 'br-missing' does not exist", &h, NULL),
                         -ENODEV);
        assert_int_equal(open_one("<interface type='bridge'><source bridge='lo'/>"
                                  "<model type='virtio'/></interface>",
                                  "'lo' is not a bridge (link kind: none)", &h, NULL),
                         -EINVAL);
        bridge_add("br-u", 0);
        tap_make("ext-b", true);
        assert_int_equal(open_one("<interface type='bridge'><source bridge='br-u'/>"
                                  "<target dev='ext-b'/><model type='virtio'/></interface>",
                                  "a link 'ext-b' already exists", &h, NULL),
                         -EEXIST);
        link_del("ext-b");
        link_del("br-u");
        assert_int_equal(link_count(), before);
        assert_int_equal(h.n_fds, 0);
}

static void test_existing_tap(void **state)
{
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        VmmDomainDef *def = NULL;
        struct rtnl_link *l;
        char mac_before[64], buf[64];
        int held;

        need_netns();
        tap_make("ext0", true);
        l = link_get("ext0");
        nl_addr2str(rtnl_link_get_addr(l), mac_before, sizeof(mac_before));
        rtnl_link_put(l);
        open_one("<interface type='ethernet'><mac address='52:54:00:00:00:03'/>"
                 "<target dev='ext0'/><model type='virtio'/><mtu size='1300'/></interface>",
                 NULL, &h, &def);
        assert_false(h.created);
        assert_string_equal(net_of(def, 0)->target_dev, "ext0");
        assert_int_equal(net_of(def, 0)->target_managed, VMM_DEV_NO);
        vmm_domain_def_free(def);
        /* left as it was: not ours to configure or delete */
        l = link_get("ext0");
        assert_string_equal(nl_addr2str(rtnl_link_get_addr(l), buf, sizeof(buf)), mac_before);
        assert_int_not_equal(rtnl_link_get_mtu(l), 1300);
        rtnl_link_put(l);
        vmm_qemu_tap_host_done(&h);
        assert_true(link_exists("ext0"));
        /* managed='no' uses it too */
        open_one("<interface type='ethernet'><target dev='ext0' managed='no'/>"
                 "<model type='virtio'/></interface>",
                 NULL, &h, NULL);
        vmm_qemu_tap_host_done(&h);
        link_del("ext0");
        /* ...and needs it to exist */
        open_one("<interface type='ethernet'><target dev='ext0' managed='no'/>"
                 "<model type='virtio'/></interface>",
                 "tap 'ext0' does not exist", &h, NULL);
        assert_false(link_exists("ext0"));
        /* held by another process */
        held = tap_make("busy0", false);
        open_one("<interface type='ethernet'><target dev='busy0'/><model type='virtio'/>"
                 "</interface>",
                 "tap 'busy0' is in use by another process", &h, NULL);
        close(held);
        assert_false(link_exists("busy0"));
        /* not a tap at all */
        bridge_add("notap0", 0);
        open_one("<interface type='ethernet'><target dev='notap0'/><model type='virtio'/>"
                 "</interface>",
                 "'notap0' exists and is not a tap (link kind: 'bridge'", &h, NULL);
        link_del("notap0");
        /* a tun (layer 3) device is no tap either: the kernel refuses */
        tun_make("tun0", IFF_TUN, true);
        open_one("<interface type='ethernet'><target dev='tun0'/><model type='virtio'/>"
                 "</interface>",
                 "'tun0' is not a tap vmm can attach to", &h, NULL);
        assert_true(link_exists("tun0"));
        link_del("tun0");
}

static void test_multiqueue_vhost(void **state)
{
        VmmQemuTapHost h = VMM_QEMU_TAP_HOST_INIT;
        bool vhost = access("/dev/vhost-net", R_OK | W_OK) == 0;

        need_netns();
        open_one("<interface type='ethernet'><target dev='mq0'/><model type='virtio'/>"
                 "<driver queues='3'/></interface>",
                 NULL, &h, NULL);
        assert_int_equal(h.n_fds, 3);
        assert_int_equal(h.n_vhost_fds, 0);
        for (size_t i = 0; i < h.n_fds; i++)
                assert_true(h.fds[i] >= 0 && (fcntl(h.fds[i], F_GETFD) & FD_CLOEXEC));
        vmm_qemu_tap_host_done(&h);
        assert_false(link_exists("mq0"));
        if (vhost) {
                open_one("<interface type='ethernet'><model type='virtio'/>"
                         "<driver name='vhost' queues='2'/></interface>",
                         NULL, &h, NULL);
                assert_int_equal(h.n_vhost_fds, 2);
                vmm_qemu_tap_host_done(&h);
        } else {
                open_one("<interface type='ethernet'><model type='virtio'/>"
                         "<driver name='vhost'/></interface>",
                         "<driver name='vhost'>: /dev/vhost-net cannot be used", &h, NULL);
        }
}

/* A domain: every interface checked before any tap is made; a failure
 * on the third leaves no tap of the first two. */
static void test_open_all(void **state)
{
        VmmQemuTapSet *set = NULL;
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def;
        size_t before;
        int held;

        need_netns();
        before = link_count();
        def = domain_with("<interface type='ethernet'><model type='virtio'/></interface>"
                          "<interface type='user'/>"
                          "<interface type='ethernet'><target dev='t2'/></interface>"
                          "<interface type='bridge'><source bridge='nobr'/></interface>");
        assert_int_equal(vmm_qemu_tap_open_all(def, &set, &error), -ENODEV);
        assert_non_null(strstr(error.message, "domain 'tapdom': interface '"));
        assert_non_null(strstr(error.message, "bridge 'nobr' does not exist"));
        assert_null(set);
        assert_int_equal(link_count(), before);
        vmm_error_clear(&error);
        vmm_domain_def_free(def);

        /* a failure only the kernel reports (a tap held elsewhere), after
         * the first tap was made: that one goes too */
        held = tap_make("busy1", false);
        def = domain_with("<interface type='ethernet'><model type='virtio'/></interface>"
                          "<interface type='ethernet'><target dev='busy1'/></interface>");
        assert_int_equal(vmm_qemu_tap_open_all(def, &set, &error), -EBUSY);
        assert_non_null(strstr(error.message, "tap 'busy1' is in use"));
        assert_null(set);
        assert_int_equal(link_count(), before + 1); /* busy1 only */
        assert_false(link_exists("vmm0"));
        close(held);
        vmm_error_clear(&error);
        vmm_domain_def_free(def);

        /* two interfaces cannot share a tap */
        def = domain_with("<interface type='ethernet'><target dev='same0'/></interface>"
                          "<interface type='user'/>"
                          "<interface type='ethernet'><target dev='same0'/></interface>");
        assert_int_equal(vmm_qemu_tap_open_all(def, &set, &error), -EINVAL);
        assert_non_null(strstr(error.message, "<target dev='same0'>: interface #1 names the same "
                                              "tap"));
        assert_null(set);
        assert_int_equal(link_count(), before);
        vmm_error_clear(&error);
        vmm_domain_def_free(def);

        bridge_add("br-all", 0);
        def = domain_with("<interface type='ethernet'><model type='virtio'/></interface>"
                          "<interface type='user'/>"
                          "<interface type='bridge'><source bridge='br-all'/></interface>");
        if (vmm_qemu_tap_open_all(def, &set, &error) < 0)
                fail_msg("%s", error.message);
        assert_int_equal(set->n, 3);
        assert_int_equal(set->taps[0].fd, set->hosts[0].fds[0]);
        assert_string_equal(set->taps[0].ifname, "vmm0");
        assert_int_equal(set->taps[1].fd, -1);
        assert_null(set->taps[1].ifname);
        assert_string_equal(set->taps[2].ifname, "vmm1");
        assert_string_equal(net_of(def, 0)->target_dev, "vmm0");
        assert_null(net_of(def, 1)->target_dev);
        assert_string_equal(net_of(def, 2)->target_dev, "vmm1");
        assert_int_equal(link_count(), before + 3);
        vmm_qemu_tap_set_free(set);
        assert_int_equal(link_count(), before + 1);
        link_del("br-all");
        vmm_domain_def_free(def);
}

static int netns_setup(void **state)
{
        if (access("/dev/net/tun", R_OK | W_OK) < 0) {
                netns_why = "/dev/net/tun cannot be used here";
                return 0;
        }
        if (unshare(CLONE_NEWNET) < 0) {
                netns_why = "cannot make a private network namespace (unshare: root needed)";
                return 0;
        }
        sk = nl_socket_alloc();
        if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
                netns_why = "no rtnetlink socket";
                return 0;
        }
        netns_ok = true;
        return 0;
}

static int netns_teardown(void **state)
{
        if (sk)
                nl_socket_free(sk);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_host_mac),       cmocka_unit_test(test_names),
            cmocka_unit_test(test_check_refusals), cmocka_unit_test(test_builder_view),
            cmocka_unit_test(test_allocate_names), cmocka_unit_test(test_setup_ethernet),
            cmocka_unit_test(test_bridge_port),    cmocka_unit_test(test_bridge_errors),
            cmocka_unit_test(test_existing_tap),   cmocka_unit_test(test_multiqueue_vhost),
            cmocka_unit_test(test_open_all),
        };

        return cmocka_run_group_tests(tests, netns_setup, netns_teardown);
}
