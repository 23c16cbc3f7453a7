/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain-chr.c: <serial>, <console>, <parallel>, <channel>. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/domain-chr.h"
#include "devices-helpers.h"

static VmmDomainChr *chr_at(VmmDomainDevices *devs, VmmDomainDeviceKind kind, size_t i)
{
        size_t n;
        void *const *items = vmm_domain_devices_get(devs, kind, &n);

        assert_true(i < n);
        return items[i];
}

static const char *const chr_xml =
    "<devices>\n"
    "  <serial type='pty'>\n"
    "    <target type='isa-serial' port='0'><model name='isa-serial'/></target>\n"
    "    <log file='/var/log/vmm/web1-serial0.log' append='on'/>\n"
    "  </serial>\n"
    "  <serial type='tcp'>\n"
    "    <source mode='bind' host='127.0.0.1' service='4555' tls='yes'/>\n"
    "    <protocol type='telnet'/>\n"
    "    <target port='1'/>\n"
    "  </serial>\n"
    "  <serial type='udp'>\n"
    "    <source mode='bind' host='0.0.0.0' service='9998'/>\n"
    "    <source mode='connect' host='192.0.2.1' service='9999'/>\n"
    "    <target port='2'/>\n"
    "  </serial>\n"
    "  <parallel type='file'>\n"
    "    <source path='/tmp/parallel.out'/>\n"
    "    <target port='0'/>\n"
    "  </parallel>\n"
    "  <console type='pty' tty='/dev/pts/3'>\n"
    "    <target type='serial' port='0'/>\n"
    "  </console>\n"
    "  <channel type='unix'>\n"
    "    <source mode='bind' path='/run/vmm/web1.agent'>\n"
    "      <reconnect enabled='yes' timeout='10'/>\n"
    "    </source>\n"
    "    <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>\n"
    "    <address type='virtio-serial' controller='0' bus='0' port='1'/>\n"
    "  </channel>\n"
    "  <channel type='spicevmc'>\n"
    "    <target type='virtio' name='com.redhat.spice.0'/>\n"
    "  </channel>\n"
    "</devices>\n";

static void test_chr_values(void **state)
{
        VmmDomainDevices *devs = devs_parse(chr_xml);
        VmmDomainChr *c = chr_at(devs, VMM_DOMAIN_DEVICE_SERIAL, 0);

        assert_int_equal(c->type, VMM_CHR_TYPE_PTY);
        assert_string_equal(c->target_type, "isa-serial");
        assert_int_equal(c->target_port, 0);
        assert_string_equal(c->target_model->name, "isa-serial");
        assert_string_equal(c->log_file, "/var/log/vmm/web1-serial0.log");
        assert_int_equal(c->log_append, VMM_DEV_ON);

        c = chr_at(devs, VMM_DOMAIN_DEVICE_SERIAL, 1);
        assert_int_equal(c->type, VMM_CHR_TYPE_TCP);
        assert_string_equal(c->sources[0]->service, "4555");
        assert_int_equal(c->sources[0]->tls, VMM_DEV_YES);
        assert_string_equal(c->protocol, "telnet");

        c = chr_at(devs, VMM_DOMAIN_DEVICE_SERIAL, 2);
        assert_int_equal(c->n_sources, 2);
        assert_string_equal(c->sources[1]->mode, "connect");
        assert_string_equal(c->sources[1]->host, "192.0.2.1");

        c = chr_at(devs, VMM_DOMAIN_DEVICE_PARALLEL, 0);
        assert_string_equal(c->sources[0]->path, "/tmp/parallel.out");

        c = chr_at(devs, VMM_DOMAIN_DEVICE_CONSOLE, 0);
        assert_string_equal(c->tty, "/dev/pts/3");
        assert_string_equal(c->target_type, "serial");

        c = chr_at(devs, VMM_DOMAIN_DEVICE_CHANNEL, 0);
        assert_int_equal(c->type, VMM_CHR_TYPE_UNIX);
        assert_int_equal(c->sources[0]->reconnect_enabled, VMM_DEV_YES);
        assert_int_equal(c->sources[0]->reconnect_timeout, 10);
        assert_string_equal(c->target_name, "org.qemu.guest_agent.0");
        assert_int_equal(c->info.address->type, VMM_DEV_ADDRESS_VIRTIO_SERIAL);
        assert_int_equal(c->info.address->port, 1);
        assert_int_equal(chr_at(devs, VMM_DOMAIN_DEVICE_CHANNEL, 1)->type, VMM_CHR_TYPE_SPICEVMC);
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

static void test_chr_roundtrip(void **state)
{
        VmmDomainDevices *devs = devs_parse(chr_xml);
        _cleanup_free_ char *text = devs_roundtrip(devs);

        assert_contains(text, "<serial type=\"udp\">");
        assert_contains(text, "<source mode=\"connect\" host=\"192.0.2.1\" service=\"9999\"/>");
        assert_contains(text, "<log file=\"/var/log/vmm/web1-serial0.log\" append=\"on\"/>");
        assert_contains(text, "<console type=\"pty\" tty=\"/dev/pts/3\">");
        assert_contains(text, "<address type=\"virtio-serial\" controller=\"0\" bus=\"0\" "
                              "port=\"1\"/>");
        /* the serial devices come before parallel, console and channel */
        assert_true(strstr(text, "<serial") < strstr(text, "<parallel"));
        assert_true(strstr(text, "<parallel") < strstr(text, "<console"));
        assert_true(strstr(text, "<console") < strstr(text, "<channel"));
        vmm_domain_devices_free(devs);
}

static void test_chr_errors(void **state)
{
        _cleanup_free_ char *type =
            devs_parse_error("<devices>\n<serial type='telegraph'/></devices>");
        _cleanup_free_ char *port = devs_parse_error(
            "<devices><serial type='pty'>\n<target port='one'/></serial></devices>");
        _cleanup_free_ char *unknown =
            devs_parse_error("<devices><channel type='pty'>\n<colour/></channel></devices>");
        _cleanup_free_ char *nopath = devs_validate_error(
            "<devices><serial type='file'><target port='0'/></serial></devices>");
        _cleanup_free_ char *noservice = devs_validate_error(
            "<devices><console type='tcp'><source mode='bind' host='::'/></console>"
            "</devices>");
        _cleanup_free_ char *addr = devs_validate_error(
            "<devices><channel type='pty'><address type='virtio-serial' controller='0' "
            "bus='0' port='1'/></channel><channel type='pty'><address type='virtio-serial' "
            "controller='0' bus='0' port='1'/></channel></devices>");

        assert_contains(type, "line 2: <serial type=...>: \"telegraph\" is not valid (expected "
                              "one of \"null\", \"vc\", \"pty\"");
        assert_contains(port, "line 2: <target port=...>: \"one\" is not a number");
        assert_contains(unknown, "line 2: <channel>: unknown element <colour>");
        assert_contains(nopath, "serial of type 'file': <source path='...'/> is missing");
        assert_contains(noservice, "console of type 'tcp': <source service='...'/>");
        assert_contains(addr,
                        "channel #1 and channel #2 have the same address 'virtio-serial 0:0:1'");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_chr_values),
            cmocka_unit_test(test_chr_roundtrip),
            cmocka_unit_test(test_chr_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
