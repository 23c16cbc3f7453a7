/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain-net.c: <interface> parsing, formatting, MAC checks and
 * generation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/domain-net.h"
#include "devices-helpers.h"

static VmmDomainNet *net_at(VmmDomainDevices *devs, size_t i)
{
        size_t n;
        void *const *nets = vmm_domain_devices_get(devs, VMM_DOMAIN_DEVICE_INTERFACE, &n);

        assert_true(i < n);
        return nets[i];
}

static const char *const nets_xml =
    "<devices>\n"
    "  <interface type='network'>\n"
    "    <mac address='52:54:00:aa:bb:cc'/>\n"
    "    <source network='default' portgroup='engineering'/>\n"
    "    <model type='virtio'/>\n"
    "    <driver name='vhost' queues='4' rx_queue_size='256'>\n"
    "      <host csum='off'/>\n"
    "      <guest tso4='off'/>\n"
    "    </driver>\n"
    "    <link state='down'/>\n"
    "    <mtu size='9000'/>\n"
    "    <boot order='2'/>\n"
    "    <bandwidth><inbound average='1000' peak='5000'/></bandwidth>\n"
    "    <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "  </interface>\n"
    "  <interface type='bridge'>\n"
    "    <source bridge='br0'/>\n"
    "    <target dev='vnet7'/>\n"
    "    <vlan trunk='yes'><tag id='42'/><tag id='43' nativeMode='untagged'/></vlan>\n"
    "    <virtualport type='openvswitch'>\n"
    "      <parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>\n"
    "    </virtualport>\n"
    "  </interface>\n"
    "  <interface type='direct'>\n"
    "    <mac address='52:54:00:11:22:33'/>\n"
    "    <source dev='eth0' mode='vepa'/>\n"
    "  </interface>\n"
    "  <interface type='user'>\n"
    "    <ip family='ipv4' address='10.0.2.15' prefix='24'/>\n"
    "    <portForward proto='tcp'><range start='2022' to='22'/></portForward>\n"
    "  </interface>\n"
    "</devices>\n";

static void test_net_values(void **state)
{
        VmmDomainDevices *devs = devs_parse(nets_xml);
        VmmDomainNet *n = net_at(devs, 0);

        assert_int_equal(vmm_domain_devices_count_interfaces(devs), 4);
        assert_int_equal(n->type, VMM_NET_TYPE_NETWORK);
        assert_string_equal(n->mac, "52:54:00:aa:bb:cc");
        assert_string_equal(n->source->network, "default");
        assert_string_equal(n->source->portgroup, "engineering");
        assert_string_equal(n->model, "virtio");
        assert_string_equal(n->driver_name, "vhost");
        assert_int_equal(n->queues, 4);
        assert_int_equal(n->driver_host->csum, VMM_DEV_OFF);
        assert_int_equal(n->driver_guest->tso4, VMM_DEV_OFF);
        assert_int_equal(n->mtu, 9000);
        assert_int_equal(n->info.boot_order, 2);
        assert_int_equal(n->bandwidth->in_peak, 5000);
        assert_int_equal(n->info.address->bus, 1);

        n = net_at(devs, 1);
        assert_int_equal(n->type, VMM_NET_TYPE_BRIDGE);
        assert_null(n->mac);
        assert_string_equal(n->source->bridge, "br0");
        assert_string_equal(n->target_dev, "vnet7");
        assert_int_equal(n->vlan->trunk, VMM_DEV_YES);
        assert_int_equal(n->vlan->n_tags, 2);
        assert_int_equal(n->vlan->tags[1]->id, 43);
        assert_string_equal(n->virtualport->interfaceid, "09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f");

        n = net_at(devs, 2);
        assert_string_equal(n->source->dev, "eth0");
        assert_string_equal(n->source->mode, "vepa");

        n = net_at(devs, 3);
        assert_string_equal(n->ips[0]->address, "10.0.2.15");
        assert_int_equal(n->ips[0]->prefix, 24);
        assert_int_equal(n->port_forwards[0]->ranges[0]->start, 2022);
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

static void test_net_roundtrip(void **state)
{
        VmmDomainDevices *devs = devs_parse(nets_xml);
        _cleanup_free_ char *text = devs_roundtrip(devs);

        assert_contains(text, "<interface type=\"network\">");
        assert_contains(text, "<mac address=\"52:54:00:aa:bb:cc\"/>");
        assert_contains(text, "<source network=\"default\" portgroup=\"engineering\"/>");
        assert_contains(text, "<host csum=\"off\"/>");
        assert_contains(text, "<link state=\"down\"/>");
        assert_contains(text, "<tag id=\"43\" nativeMode=\"untagged\"/>");
        vmm_domain_devices_free(devs);
}

static void test_net_mac_generation(void **state)
{
        VmmDomainDevices *devs = devs_parse(nets_xml);
        VmmError e = VMM_ERROR_INIT;
        uint8_t mac[6];
        char *first;

        assert_int_equal(vmm_domain_devices_fill_defaults(devs, &e), 0);
        /* the interface without a MAC got one in QEMU's 52:54:00 range */
        assert_non_null(net_at(devs, 1)->mac);
        assert_int_equal(vmm_net_mac_parse(net_at(devs, 1)->mac, mac), 0);
        assert_int_equal(mac[0], 0x52);
        assert_int_equal(mac[1], 0x54);
        assert_int_equal(mac[2], 0x00);
        /* a given MAC is kept, and filling again changes nothing */
        assert_string_equal(net_at(devs, 0)->mac, "52:54:00:aa:bb:cc");
        first = strdup(net_at(devs, 1)->mac);
        assert_int_equal(vmm_domain_devices_fill_defaults(devs, &e), 0);
        assert_string_equal(net_at(devs, 1)->mac, first);
        free(first);
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

static void test_net_mac_format(void **state)
{
        static const char *const good[] = {"52:54:00:12:34:56", "00:16:3E:AB:cd:EF"};
        static const char *const bad[] = {"52:54:00:12:34", "52-54-00-12-34-56",
                                          "52:54:00:12:34:5g", "52:54:00:12:34:567", ""};

        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
                assert_true(vmm_net_mac_valid(good[i]));
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_false(vmm_net_mac_valid(bad[i]));
}

static void test_net_validate_errors(void **state)
{
        _cleanup_free_ char *badmac = devs_validate_error(
            "<devices><interface type='user'><mac address='52:54:00:zz:00:01'/></interface>"
            "</devices>");
        _cleanup_free_ char *multicast = devs_validate_error(
            "<devices><interface type='user'><mac address='01:00:5e:00:00:01'/></interface>"
            "</devices>");
        _cleanup_free_ char *dup = devs_validate_error(
            "<devices><interface type='network'><mac address='52:54:00:00:00:01'/>"
            "<source network='default'/></interface>"
            "<interface type='network'><mac address='52:54:00:00:00:01'/>"
            "<source network='default'/></interface></devices>");
        _cleanup_free_ char *nonet = devs_validate_error(
            "<devices><interface type='network'><source bridge='br0'/></interface></devices>");

        assert_contains(badmac, "<mac address='52:54:00:zz:00:01'>: not a MAC address "
                                "(expected six hex octets, e.g. 52:54:00:12:34:56)");
        assert_contains(multicast, "a multicast address cannot name an interface");
        assert_contains(dup, "interface '52:54:00:00:00:01': MAC address is used by two "
                             "interfaces on one network (#1 and #2)");
        assert_contains(nonet, "type 'network' needs <source network='...'/>");
}

static void test_net_parse_errors(void **state)
{
        _cleanup_free_ char *type =
            devs_parse_error("<devices>\n<interface type='wormhole'/></devices>");
        _cleanup_free_ char *link = devs_parse_error(
            "<devices><interface type='user'>\n<link state='sideways'/></interface></devices>");
        _cleanup_free_ char *nomac =
            devs_parse_error("<devices><interface type='user'>\n\n<mac/></interface></devices>");
        _cleanup_free_ char *notype = devs_parse_error(
            "<devices>\n<interface><mac address='52:54:00:00:00:01'/></interface></devices>");
        _cleanup_free_ char *mtu = devs_parse_error(
            "<devices><interface type='user'><mtu size='big'/></interface></devices>");

        assert_contains(type, "line 2: <interface type=...>: \"wormhole\" is not valid "
                              "(expected one of \"user\", \"ethernet\"");
        assert_contains(link, "line 2: <link state=...>: \"sideways\" is not valid (expected "
                              "one of \"up\", \"down\")");
        assert_contains(nomac, "line 3: <mac>: attribute 'address' is missing");
        assert_contains(notype, "line 2: <interface>: attribute 'type' is missing (expected one of "
                                "\"user\", \"ethernet\"");
        assert_contains(mtu, "<mtu size=...>: \"big\" is not a number");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_net_values),          cmocka_unit_test(test_net_roundtrip),
            cmocka_unit_test(test_net_mac_generation),  cmocka_unit_test(test_net_mac_format),
            cmocka_unit_test(test_net_validate_errors), cmocka_unit_test(test_net_parse_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
