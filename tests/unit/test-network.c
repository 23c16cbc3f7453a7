/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The <network> model: parsing, formatting, semantic checks, comparison,
 * defaults, kept unknown content, and libvirt's network corpus. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "conf/network.h"
#include "conf/xml-util.h"
#include "util/error.h"

static VmmNetworkDef *parse_ok(const char *xml, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmNetworkDef *def = NULL;

        if (vmm_network_def_parse(xml, (size_t)-1, flags, &def, &error) < 0)
                fail_msg("parse failed: %s", vmm_error_message(&error));
        assert_non_null(def);
        return def;
}

static void assert_parse_error(const char *xml, const char *message)
{
        VmmError error = VMM_ERROR_INIT;
        VmmNetworkDef *def = NULL;

        assert_int_equal(vmm_network_def_parse(xml, (size_t)-1, 0, &def, &error), -EINVAL);
        assert_null(def);
        assert_int_equal(error.kind, VMM_ERR_XML);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

static void assert_invalid(const char *xml, const char *message)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = parse_ok(xml, 0);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_network_def_validate(def, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

static const char *addr(const VmmNetAddr *a, char *buf)
{
        return inet_ntop(a->family, a->bytes, buf, INET6_ADDRSTRLEN);
}

static const char full_xml[] =
    "<network ipv6='yes'>\n"
    "  <name>lab</name>\n"
    "  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
    "  <forward mode='nat' dev='eth0'>\n"
    "    <nat><address start='10.0.0.1' end='10.0.0.9'/><port start='1024' end='65535'/></nat>\n"
    "  </forward>\n"
    "  <bridge name='virbr7' stp='off' delay='2'/>\n"
    "  <mtu size='9000'/>\n"
    "  <mac address='52:54:00:AB:CD:EF'/>\n"
    "  <domain name='lab.example' localOnly='yes'/>\n"
    "  <dns forwardPlainNames='no'>\n"
    "    <forwarder addr='8.8.8.8'/>\n"
    "    <txt name='example' value='some text'/>\n"
    "    <host ip='192.168.7.1'><hostname>gw</hostname><hostname>router</hostname></host>\n"
    "  </dns>\n"
    "  <ip address='192.168.7.1' netmask='255.255.255.0' localPtr='yes'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.7.100' end='192.168.7.199'>\n"
    "        <lease expiry='1' unit='hours'/>\n"
    "      </range>\n"
    "      <host mac='00:16:3e:77:e2:ed' name='a' ip='192.168.7.10'/>\n"
    "      <bootp file='pxelinux.0' server='192.168.7.2'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "  <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'/>\n"
    "  <route address='192.168.222.0' prefix='24' gateway='192.168.7.2' metric='5'/>\n"
    "</network>\n";

static void test_network_parse_values(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = parse_ok(full_xml, 0);
        static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};
        char buf[INET6_ADDRSTRLEN];
        const VmmNetworkIp *ip;

        assert_string_equal(vmm_network_def_get_name(def), "lab");
        assert_string_equal(vmm_network_def_get_bridge(def), "virbr7");
        assert_int_equal(def->ipv6, 1);
        assert_int_equal(def->bridge_stp, 0);
        assert_int_equal(def->bridge_delay, 2);
        assert_int_equal(def->mtu, 9000);
        assert_memory_equal(def->mac, mac, 6);
        assert_true(def->forward.present);
        assert_int_equal(def->forward.mode, VMM_NETWORK_FORWARD_NAT);
        assert_string_equal(def->forward.dev, "eth0");
        assert_string_equal(addr(&def->forward.nat_start, buf), "10.0.0.1");
        assert_string_equal(addr(&def->forward.nat_end, buf), "10.0.0.9");
        assert_int_equal(def->forward.nat_port_start, 1024);
        assert_int_equal(def->forward.nat_port_end, 65535);
        assert_string_equal(def->domain_name, "lab.example");
        assert_int_equal(def->domain_local_only, 1);
        assert_int_equal(def->dns.forward_plain_names, 0);
        assert_int_equal(def->dns.n_forwarders, 1);
        assert_string_equal(def->dns.txts[0].value, "some text");
        assert_int_equal(def->dns.hosts[0].n_hostnames, 2);
        assert_string_equal(def->dns.hosts[0].hostnames[1], "router");

        assert_int_equal(def->n_ips, 2);
        ip = &def->ips[0];
        assert_string_equal(addr(&ip->address, buf), "192.168.7.1");
        assert_string_equal(addr(&ip->netmask, buf), "255.255.255.0");
        assert_int_equal(ip->local_ptr, 1);
        assert_int_equal(ip->n_ranges, 1);
        assert_string_equal(addr(&ip->ranges[0].start, buf), "192.168.7.100");
        assert_int_equal(ip->ranges[0].lease.expiry, 1);
        assert_string_equal(ip->ranges[0].lease.unit, "hours");
        assert_int_equal(ip->n_hosts, 1);
        assert_string_equal(ip->hosts[0].name, "a");
        assert_string_equal(ip->bootp_file, "pxelinux.0");
        assert_int_equal(def->ips[1].family, VMM_NETWORK_IP_FAMILY_IPV6);
        assert_int_equal(def->ips[1].prefix, 64);
        assert_int_equal(def->n_routes, 1);
        assert_int_equal(def->routes[0].metric, 5);

        VmmError error = VMM_ERROR_INIT;
        assert_int_equal(vmm_network_def_validate(def, &error), 0);
}

static void test_network_format(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def =
            parse_ok("<network><ip netmask='255.255.255.0' address='192.168.9.1'/>"
                     "<bridge name='virbr9'/><name>small</name><forward/>"
                     "<mac address='52:54:00:AB:CD:EF'/></network>",
                     0);
        _cleanup_free_ char *xml = NULL;
        VmmError error = VMM_ERROR_INIT;

        /* libvirt's order, canonical MAC, <forward> without mode is NAT */
        assert_int_equal(vmm_network_def_format(def, 0, &xml, &error), 0);
        assert_string_equal(xml, "<network>\n"
                                 "  <name>small</name>\n"
                                 "  <forward mode=\"nat\"/>\n"
                                 "  <bridge name=\"virbr9\"/>\n"
                                 "  <mac address=\"52:54:00:ab:cd:ef\"/>\n"
                                 "  <ip address=\"192.168.9.1\" netmask=\"255.255.255.0\"/>\n"
                                 "</network>\n");
}

static void test_network_roundtrip_full(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *a = parse_ok(full_xml, 0);
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *b = NULL;
        _cleanup_free_ char *xml = NULL, *xml2 = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_network_def_format(a, 0, &xml, &error), 0);
        b = parse_ok(xml, VMM_XML_VALIDATE);
        if (!vmm_network_def_equal(a, b, &diff))
                fail_msg("models differ: %s", diff);
        assert_int_equal(vmm_network_def_format(b, 0, &xml2, &error), 0);
        assert_string_equal(xml, xml2);
}

static void test_network_forward_modes(void **state)
{
        static const struct {
                const char *mode;
                VmmNetworkForwardMode expected;
        } modes[] = {
            {"nat", VMM_NETWORK_FORWARD_NAT},
            {"route", VMM_NETWORK_FORWARD_ROUTE},
            {"open", VMM_NETWORK_FORWARD_OPEN},
            {"bridge", VMM_NETWORK_FORWARD_BRIDGE},
            {"private", VMM_NETWORK_FORWARD_PRIVATE},
            {"vepa", VMM_NETWORK_FORWARD_VEPA},
            {"passthrough", VMM_NETWORK_FORWARD_PASSTHROUGH},
            {"hostdev", VMM_NETWORK_FORWARD_HOSTDEV},
        };

        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
                char xml[256];
                snprintf(xml, sizeof(xml), "<network><name>n</name><forward mode='%s'/></network>",
                         modes[i].mode);
                _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = parse_ok(xml, 0);
                assert_int_equal(def->forward.mode, modes[i].expected);
                assert_string_equal(vmm_network_forward_mode_to_string(def->forward.mode),
                                    modes[i].mode);
        }
}

static void test_network_hostdev_and_ports(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def =
            parse_ok("<network><name>hd</name>\n"
                     "<forward mode='hostdev' managed='yes'><driver name='vfio'/>\n"
                     "<address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>\n"
                     "</forward>\n"
                     "<portgroup name='engineering' default='yes'>\n"
                     "  <vlan><tag id='42'/></vlan>\n"
                     "  <bandwidth><inbound average='1000' peak='5000' burst='1024'/></bandwidth>\n"
                     "  <virtualport type='802.1Qbh'><parameters profileid='eng'/></virtualport>\n"
                     "</portgroup></network>",
                     0);
        const VmmNetworkPortGroup *pg = &def->portgroups[0];

        assert_int_equal(def->forward.managed, 1);
        assert_string_equal(def->forward.driver_name, "vfio");
        assert_int_equal(def->forward.n_addrs, 1);
        assert_int_equal(def->forward.addrs[0].bus, 3);
        assert_int_equal(def->forward.addrs[0].slot, 0x10);
        assert_int_equal(def->forward.addrs[0].function, 1);
        assert_string_equal(pg->name, "engineering");
        assert_int_equal(pg->is_default, 1);
        assert_int_equal(pg->vlan.tags[0].id, 42);
        assert_int_equal(pg->bandwidth.inbound.average, 1000);
        assert_int_equal(pg->bandwidth.inbound.peak, 5000);
        assert_int_equal(pg->bandwidth.inbound.burst, 1024);
        assert_int_equal(pg->virtualport.type, VMM_NETWORK_VPORT_8021QBH);
        assert_string_equal(pg->virtualport.profileid, "eng");
        assert_null(vmm_network_def_get_bridge(def));
}

static void test_network_parse_errors(void **state)
{
        assert_parse_error("<network>\n<name>n</name>\n<mac address='52:54:00:zz:00:01'/>"
                           "</network>",
                           "line 3: <mac address=...>: \"52:54:00:zz:00:01\" is not a MAC "
                           "address (expected e.g. \"52:54:00:12:34:56\")");
        assert_parse_error("<network><name>n</name>\n<ip address='192.168.1.300'/></network>",
                           "line 2: <ip address=...>: \"192.168.1.300\" is not an IP address "
                           "(expected e.g. \"192.168.122.1\")");
        assert_parse_error("<network><name>n</name>\n<ip family='ipv6' address='10.0.0.1'/>"
                           "</network>",
                           "line 2: <ip address=...>: \"10.0.0.1\" is not an IPv6 address "
                           "(expected e.g. \"2001:db8::1\")");
        assert_parse_error("<network><name>n</name>\n<forward mode='tunnel'/></network>",
                           "line 2: <forward mode=...>: \"tunnel\" is not valid (expected one "
                           "of \"nat\", \"route\", \"open\", \"bridge\", \"private\", "
                           "\"vepa\", \"passthrough\", \"hostdev\")");
        assert_parse_error("<network><name>n</name>\n<ip address='10.0.0.1' "
                           "netmask='255.0.0.0' prefix='8'/></network>",
                           "line 2: <ip>: has both 'netmask' and 'prefix' (expected one of "
                           "them)");
        assert_parse_error("<network><name>n</name>\n<ip address='10.0.0.1' "
                           "netmask='255.0.255.0'/></network>",
                           "line 2: <ip netmask=...>: \"255.0.255.0\" is not a netmask "
                           "(expected contiguous bits, e.g. \"255.255.255.0\")");
        assert_parse_error("<network><name>n</name><portgroup name='p'>\n"
                           "<vlan><tag id='4096'/></vlan></portgroup></network>",
                           "line 2: <tag id=...>: 4096 is out of range (expected 0 to 4095)");
        assert_parse_error("<network><name>n</name>\n<bridge name='a'/>\n<bridge name='b'/>"
                           "</network>",
                           "line 2: <bridge>: appears more than once (expected at most one)");
        assert_parse_error("<network>\n<name>n</name>\n<colour/></network>",
                           "line 3: <network>: unknown element <colour>");
        assert_parse_error("<network><name>n</name><ip address='10.0.0.1' prefix='8'>\n"
                           "<dhcp><host ip='10.0.0.5'/></dhcp></ip></network>",
                           "line 2: <host>: needs a 'mac', 'id' or 'name' attribute");
        assert_parse_error("<network><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>"
                           "</network>",
                           "line 1: <network>: missing <name> (expected the network's name)");
        assert_parse_error("<network><name>n</name>\n<forward mode='hostdev'>"
                           "<address type='pci' domain='0' bus='0x100' slot='0' function='0'/>"
                           "</forward></network>",
                           "line 2: <address bus=...>: \"0x100\" is not valid (expected a "
                           "number from 0 to 0xff, e.g. \"0x03\")");
}

static void test_network_validate(void **state)
{
        assert_invalid("<network><name>v</name><ip address='192.168.1.1' prefix='24'><dhcp>"
                       "<range start='192.168.2.10' end='192.168.2.20'/></dhcp></ip></network>",
                       "network 'v': dhcp <range start='192.168.2.10' end='192.168.2.20'> is "
                       "outside the subnet 192.168.1.1/24");
        assert_invalid("<network><name>v</name><ip address='192.168.1.1' prefix='24'><dhcp>"
                       "<range start='192.168.1.20' end='192.168.1.10'/></dhcp></ip></network>",
                       "network 'v': dhcp <range start='192.168.1.20' end='192.168.1.10'>: "
                       "start is after end");
        assert_invalid("<network><name>v</name><ip address='192.168.1.1' prefix='24'><dhcp>"
                       "<host mac='00:16:3e:00:00:01' ip='192.168.1.10'/>"
                       "<host mac='00:16:3E:00:00:01' ip='192.168.1.11'/></dhcp></ip></network>",
                       "network 'v': dhcp <host mac='00:16:3e:00:00:01'> appears twice");
        assert_invalid("<network><name>v</name><ip address='192.168.1.1' prefix='24'><dhcp>"
                       "<host name='x' ip='10.1.1.1'/></dhcp></ip></network>",
                       "network 'v': dhcp <host ip='10.1.1.1'> is outside the subnet "
                       "192.168.1.1/24");
        assert_invalid("<network><name>v</name><ip family='ipv6' address='2001:db8::1' "
                       "prefix='64'><dhcp><host mac='00:16:3e:00:00:01' ip='2001:db8::5'/>"
                       "</dhcp></ip></network>",
                       "network 'v': dhcp <host ip='2001:db8::5'>: an IPv6 host is identified "
                       "by 'id' or 'name', not 'mac'");
        assert_invalid("<network><name>v</name><forward mode='bridge'/><bridge name='br0'/>"
                       "<ip address='192.168.1.1' prefix='24'/></network>",
                       "network 'v': <ip> is not supported with <forward mode='bridge'> (the "
                       "host does not route this network)");
        assert_invalid("<network><name>v</name><forward mode='route'><nat><port start='1' "
                       "end='2'/></nat></forward></network>",
                       "network 'v': <nat> is only allowed with <forward mode='nat'>, not "
                       "'route'");
        assert_invalid("<network><name>v</name><portgroup name='a' default='yes'/>"
                       "<portgroup name='b' default='yes'/></network>",
                       "network 'v': <portgroup name='b'> is a second default portgroup");
        assert_invalid("<network><name>v</name><ip address='10.0.0.1' prefix='33'/></network>",
                       "network 'v': <ip address='10.0.0.1'>: prefix 33 is too long for IPv4 "
                       "(expected 0 to 32)");
        assert_invalid("<network><name>v</name><ip address='192.168.1.1' prefix='24'>"
                       "<dhcp><range start='192.168.1.2' end='192.168.1.3'/></dhcp></ip>"
                       "<ip address='192.168.2.1' prefix='24'><dhcp><range start='192.168.2.2' "
                       "end='192.168.2.3'/></dhcp></ip></network>",
                       "network 'v': more than one IPv4 <ip> has <dhcp> (expected at most one "
                       "per family)");
        assert_invalid("<network><name>v</name><bridge name='averyveryverylongbr'/></network>",
                       "network 'v': <bridge name='averyveryverylongbr'> is not a valid "
                       "interface name (expected at most 15 characters, no '/' or blank)");
        assert_invalid("<network><name>v</name><forward mode='nat'/>"
                       "<virtualport type='openvswitch'/></network>",
                       "network 'v': <virtualport type='openvswitch'> needs <forward "
                       "mode='bridge'>");
        assert_invalid("<network><name>v</name><forward mode='bridge'/><portgroup name='p'>"
                       "<virtualport type='802.1Qbg'/></portgroup></network>",
                       "network 'v': <virtualport type='802.1Qbg'> needs <forward "
                       "mode='vepa'>, 'private' or 'passthrough'");
}

static void test_network_equal_diff(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *a = parse_ok(full_xml, 0);
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *b = NULL;
        _cleanup_free_ char *diff = NULL;
        char *xml = strdup(full_xml), *p;

        p = strstr(xml, "192.168.7.199");
        memcpy(p, "192.168.7.198", 13);
        b = parse_ok(xml, 0);
        free(xml);
        assert_false(vmm_network_def_equal(a, b, &diff));
        assert_string_equal(diff, "ip[0] dhcp range[0] end: 192.168.7.199 != 192.168.7.198");
        assert_true(vmm_network_def_equal(a, a, NULL));

        /* an attribute given on one side only */
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *x =
            parse_ok("<network><name>t</name><bridge name='br1' stp='on'/></network>", 0);
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *y =
            parse_ok("<network><name>t</name><bridge name='br1'/></network>", 0);
        _cleanup_free_ char *diff2 = NULL;
        assert_false(vmm_network_def_equal(x, y, &diff2));
        assert_string_equal(diff2, "bridge stp: yes != (none)");
}

static void test_network_defaults(void **state)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = parse_ok(
            "<network><name>d</name><ip address='192.168.50.1' prefix='24'/></network>", 0);
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *bridged = parse_ok(
            "<network><name>b</name><forward mode='bridge'/><bridge name='br0'/></network>", 0);
        VmmError error = VMM_ERROR_INIT;
        uint8_t uuid[VMM_UUID_LEN];

        assert_int_equal(vmm_network_def_fill_defaults(def, &error), 0);
        vmm_network_def_get_uuid(def, uuid);
        assert_false(vmm_uuid_is_null(uuid));
        assert_string_equal(vmm_network_def_get_bridge(def), "virbr%d");
        assert_int_equal(def->bridge_stp, 1);
        assert_true(def->has_mac);
        assert_int_equal(def->mac[0], 0x52);
        assert_int_equal(def->mac[1], 0x54);
        assert_int_equal(def->mac[2], 0x00);
        /* a host bridge network gets no MAC of its own */
        assert_int_equal(vmm_network_def_fill_defaults(bridged, &error), 0);
        assert_false(bridged->has_mac);
        assert_string_equal(vmm_network_def_get_bridge(bridged), "br0");
}

static void test_network_keep_unknown_and_namespaces(void **state)
{
        static const char xml[] =
            "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0' "
            "trustGuestR4Filters='no'>\n"
            "  <name>k</name>\n"
            "  <future mode='x'>content</future>\n"
            "  <metadata><app:info xmlns:app='http://example.org/'>kept</app:info>"
            "</metadata>\n"
            "  <dnsmasq:options><dnsmasq:option value='log-queries'/></dnsmasq:options>\n"
            "  <ip address='10.0.0.1' prefix='8'><extra level='2'/></ip>\n"
            "  <forward mode='nat'><tunnel/></forward>\n"
            "</network>";
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = NULL, *again = NULL;
        _cleanup_free_ char *out = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_network_def_parse(xml, (size_t)-1, 0, &def, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error),
                            "line 1: <network>: unknown attribute 'trustGuestR4Filters'");
        vmm_error_clear(&error);
        def = parse_ok(xml, VMM_XML_KEEP_UNKNOWN);
        assert_int_equal(def->n_dnsmasq_options, 1);
        assert_string_equal(def->dnsmasq_options[0], "log-queries");
        assert_int_equal(vmm_network_def_format(def, 0, &out, &error), 0);
        assert_non_null(strstr(out, "<future mode=\"x\">content</future>"));
        /* the source document is gone: the kept attribute is a copy of its own */
        assert_non_null(strstr(out, " trustGuestR4Filters=\"no\""));
        assert_non_null(strstr(out, "<app:info xmlns:app=\"http://example.org/\">kept</app:info>"));
        assert_non_null(strstr(out, "<dnsmasq:option value=\"log-queries\"/>"));
        /* unknown content inside known elements stays where it was */
        assert_non_null(strstr(out, "<ip address=\"10.0.0.1\" prefix=\"8\">\n"
                                    "    <extra level=\"2\"/>\n  </ip>"));
        assert_non_null(strstr(out, "<forward mode=\"nat\">\n    <tunnel/>\n  </forward>"));
        again = parse_ok(out, VMM_XML_KEEP_UNKNOWN);
        if (!vmm_network_def_equal(def, again, &diff))
                fail_msg("models differ: %s\n%s", diff, out);
}

static char *read_file(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "r");
        char *buf;
        long len;

        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        buf = calloc(1, (size_t)len + 1);
        if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        *ret_len = (size_t)len;
        return buf;
}

/* Schema, parse, checks, format, schema again, parse again, same model. */
static int roundtrip(const char *xml, size_t len, char **ret_msg)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *a = NULL, *b = NULL;
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL, out_doc = NULL;
        _cleanup_free_ char *out = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        if (vmm_xml_parse(xml, len, "input", &doc, &error) < 0 ||
            vmm_xml_validate(doc, "network", &error) < 0 ||
            vmm_network_def_parse(xml, len, 0, &a, &error) < 0 ||
            vmm_network_def_validate(a, &error) < 0 ||
            vmm_network_def_format(a, 0, &out, &error) < 0 ||
            vmm_xml_parse(out, (size_t)-1, "output", &out_doc, &error) < 0 ||
            vmm_xml_validate(out_doc, "network", &error) < 0 ||
            vmm_network_def_parse(out, (size_t)-1, 0, &b, &error) < 0) {
                *ret_msg = strdup(vmm_error_message(&error));
                vmm_error_clear(&error);
                return -1;
        }
        if (!vmm_network_def_equal(a, b, &diff)) {
                *ret_msg = TAKE_PTR(diff);
                return -1;
        }
        return 0;
}

static void test_network_corpus(void **state)
{
        char path[4096], line[1024];
        size_t ok = 0, rejected = 0;
        FILE *manifest;

        snprintf(path, sizeof(path), "%s/MANIFEST.tsv", VMM_CORPUS_DIR);
        manifest = fopen(path, "r");
        if (!manifest)
                skip();
        while (fgets(line, sizeof(line), manifest)) {
                char kind[64], file[512], expect[16];
                _cleanup_free_ char *xml = NULL, *msg = NULL;
                size_t len = 0;
                int r;

                if (sscanf(line, "%63[^\t]\t%511[^\t]\t%15[^\t]", kind, file, expect) != 3 ||
                    strcmp(kind, "network") != 0)
                        continue;
                snprintf(path, sizeof(path), "%s/network/%s", VMM_CORPUS_DIR, file);
                xml = read_file(path, &len);
                assert_non_null(xml);
                r = roundtrip(xml, len, &msg);
                if (strcmp(expect, "ok") == 0) {
                        if (r < 0)
                                fail_msg("%s: %s", file, msg);
                        ok++;
                } else if (r < 0) {
                        rejected++;
                }
        }
        fclose(manifest);
        /* 22 documents libvirt accepts; hostdev-duplicate.xml lists one PCI
         * function twice and must be refused */
        assert_int_equal(ok, 22);
        assert_int_equal(rejected, 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_network_parse_values),
            cmocka_unit_test(test_network_format),
            cmocka_unit_test(test_network_roundtrip_full),
            cmocka_unit_test(test_network_forward_modes),
            cmocka_unit_test(test_network_hostdev_and_ports),
            cmocka_unit_test(test_network_parse_errors),
            cmocka_unit_test(test_network_validate),
            cmocka_unit_test(test_network_equal_diff),
            cmocka_unit_test(test_network_defaults),
            cmocka_unit_test(test_network_keep_unknown_and_namespaces),
            cmocka_unit_test(test_network_corpus),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
