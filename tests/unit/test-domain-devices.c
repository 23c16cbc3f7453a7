/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain-devices.c: the <devices> container, the device kinds without
 * a test file of their own (graphics, video, input, controller,
 * memballoon, rng, emulator, hostdev, tpm, ...), checks across devices,
 * unknown content, and the generated schema. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/domain-controller.h"
#include "conf/domain-graphics.h"
#include "conf/domain-hostdev.h"
#include "conf/domain-input.h"
#include "conf/domain-misc-dev.h"
#include "conf/domain-video.h"
#include "devices-helpers.h"

static void *dev_at(VmmDomainDevices *devs, VmmDomainDeviceKind kind, size_t i)
{
        size_t n;
        void *const *items = vmm_domain_devices_get(devs, kind, &n);

        if (i >= n)
                fail_msg("no %s #%zu (%zu present)", vmm_domain_device_kind_to_string(kind), i, n);
        return items[i];
}

static const char *const desktop =
    "<devices>\n"
    "  <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
    "  <controller type='pci' index='0' model='pcie-root'/>\n"
    "  <controller type='pci' index='1' model='pcie-root-port'>\n"
    "    <model name='pcie-root-port'/>\n"
    "    <target chassis='1' port='0x10'/>\n"
    "    <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' "
    "multifunction='on'/>\n"
    "  </controller>\n"
    "  <controller type='usb' index='0' model='qemu-xhci' ports='15'/>\n"
    "  <controller type='virtio-serial' index='0'/>\n"
    "  <input type='tablet' bus='usb'><address type='usb' bus='0' port='1.2'/></input>\n"
    "  <input type='keyboard' bus='ps2'/>\n"
    "  <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='s3cret'>\n"
    "    <listen type='address' address='127.0.0.1'/>\n"
    "  </graphics>\n"
    "  <graphics type='spice' autoport='yes'>\n"
    "    <listen type='network' network='default'/>\n"
    "    <channel name='main' mode='secure'/>\n"
    "    <image compression='auto_glz'/>\n"
    "    <gl enable='no'/>\n"
    "  </graphics>\n"
    "  <video>\n"
    "    <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'>\n"
    "      <acceleration accel3d='no'/>\n"
    "    </model>\n"
    "  </video>\n"
    "  <memballoon model='virtio'>\n"
    "    <stats period='10'/>\n"
    "  </memballoon>\n"
    "  <rng model='virtio'>\n"
    "    <backend model='random'>/dev/urandom</backend>\n"
    "    <rate bytes='1024' period='1000'/>\n"
    "  </rng>\n"
    "  <rng model='virtio'>\n"
    "    <backend model='egd' type='tcp'>\n"
    "      <source mode='connect' host='1.2.3.4' service='1234'/>\n"
    "      <protocol type='raw'/>\n"
    "    </backend>\n"
    "  </rng>\n"
    "  <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>\n"
    "  <watchdog model='i6300esb' action='reset'/>\n"
    "  <sound model='ich9'><codec type='duplex'/></sound>\n"
    "  <audio id='1' type='spice'/>\n"
    "  <hostdev mode='subsystem' type='pci' managed='yes'>\n"
    "    <source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source>\n"
    "  </hostdev>\n"
    "  <memory model='dimm'><target><size unit='MiB'>512</size><node>0</node></target>"
    "</memory>\n"
    "  <panic model='isa'/>\n"
    "  <lease><lockspace>somearea</lockspace><key>thequickbrownfoxjumpedoverthelazydog</key>"
    "<target path='/some/lease/path' offset='1024'/></lease>\n"
    "  <redirfilter><usbdev class='0x08' vendor='0x15E1' product='0x2007' version='1.10' "
    "allow='yes'/><usbdev allow='no'/></redirfilter>\n"
    "  <crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/></crypto>\n"
    "</devices>\n";

static void test_desktop_values(void **state)
{
        VmmDomainDevices *devs = devs_parse(desktop);
        VmmDomainEmulator *emu = dev_at(devs, VMM_DOMAIN_DEVICE_EMULATOR, 0);
        VmmDomainController *port = dev_at(devs, VMM_DOMAIN_DEVICE_CONTROLLER, 1);
        VmmDomainController *usb = dev_at(devs, VMM_DOMAIN_DEVICE_CONTROLLER, 2);
        VmmDomainInput *tablet = dev_at(devs, VMM_DOMAIN_DEVICE_INPUT, 0);
        VmmDomainGraphics *vnc = dev_at(devs, VMM_DOMAIN_DEVICE_GRAPHICS, 0);
        VmmDomainGraphics *spice = dev_at(devs, VMM_DOMAIN_DEVICE_GRAPHICS, 1);
        VmmDomainVideo *video = dev_at(devs, VMM_DOMAIN_DEVICE_VIDEO, 0);
        VmmDomainMemballoon *balloon = dev_at(devs, VMM_DOMAIN_DEVICE_MEMBALLOON, 0);
        VmmDomainRng *rng = dev_at(devs, VMM_DOMAIN_DEVICE_RNG, 0);
        VmmDomainRng *egd = dev_at(devs, VMM_DOMAIN_DEVICE_RNG, 1);
        VmmDomainHostdev *hostdev = dev_at(devs, VMM_DOMAIN_DEVICE_HOSTDEV, 0);
        VmmDomainMemory *mem = dev_at(devs, VMM_DOMAIN_DEVICE_MEMORY, 0);
        VmmDomainLease *lease = dev_at(devs, VMM_DOMAIN_DEVICE_LEASE, 0);
        VmmDomainRedirfilter *filter = dev_at(devs, VMM_DOMAIN_DEVICE_REDIRFILTER, 0);
        VmmDomainCrypto *crypto = dev_at(devs, VMM_DOMAIN_DEVICE_CRYPTO, 0);

        assert_string_equal(emu->path, "/usr/bin/qemu-system-x86_64");
        assert_int_equal(port->type, VMM_CONTROLLER_TYPE_PCI);
        assert_int_equal(port->index, 1);
        assert_string_equal(port->model, "pcie-root-port");
        assert_string_equal(port->model_name, "pcie-root-port");
        assert_int_equal(port->target->chassis, 1);
        assert_int_equal(port->target->port, 0x10);
        assert_int_equal(port->info.address->multifunction, VMM_DEV_ON);
        assert_int_equal(usb->ports, 15);
        assert_int_equal(tablet->type, VMM_INPUT_TYPE_TABLET);
        assert_int_equal(tablet->bus, VMM_INPUT_BUS_USB);
        assert_string_equal(tablet->info.address->usb_port, "1.2");
        assert_int_equal(vnc->type, VMM_GRAPHICS_TYPE_VNC);
        assert_int_equal(vnc->port, -1);
        assert_int_equal(vnc->autoport, VMM_DEV_YES);
        assert_string_equal(vnc->passwd, "s3cret");
        assert_int_equal(vnc->n_listens, 1);
        assert_int_equal(vnc->listens[0]->type, VMM_GRAPHICS_LISTEN_ADDRESS);
        assert_int_equal(spice->listens[0]->type, VMM_GRAPHICS_LISTEN_NETWORK);
        assert_string_equal(spice->listens[0]->network, "default");
        assert_string_equal(spice->channels[0]->mode, "secure");
        assert_int_equal(video->model->type, VMM_VIDEO_MODEL_QXL);
        assert_int_equal(video->model->vram, 65536);
        assert_int_equal(video->model->heads, 1);
        assert_int_equal(video->model->primary, VMM_DEV_YES);
        assert_int_equal(video->model->accel3d, VMM_DEV_NO);
        assert_int_equal(balloon->stats_period, 10);
        assert_string_equal(rng->backend->device, "/dev/urandom");
        assert_int_equal(rng->rate_bytes, 1024);
        assert_null(egd->backend->device);
        assert_string_equal(egd->backend->sources[0]->host, "1.2.3.4");
        assert_string_equal(egd->backend->protocol, "raw");
        assert_int_equal(hostdev->source->address->bus, 6);
        assert_int_equal(hostdev->source->address->function, 5);
        assert_int_equal(mem->target->size, 512 * 1024);
        assert_int_equal(mem->target->node, 0);
        assert_string_equal(lease->lockspace, "somearea");
        assert_int_equal(lease->target_offset, 1024);
        assert_int_equal(filter->n_usbdevs, 2);
        assert_string_equal(filter->usbdevs[0]->vendor, "0x15E1");
        assert_int_equal(filter->usbdevs[1]->allow, VMM_DEV_NO);
        assert_int_equal(crypto->backend_queues, 1);
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

static void test_desktop_roundtrip(void **state)
{
        VmmDomainDevices *devs = devs_parse(desktop);
        _cleanup_free_ char *text = devs_roundtrip(devs);
        _cleanup_free_ char *insecure = devs_format(devs);

        assert_contains(text, "<emulator>/usr/bin/qemu-system-x86_64</emulator>");
        assert_contains(text, "<backend model=\"random\">/dev/urandom</backend>");
        assert_contains(text, "<size unit=\"KiB\">524288</size>");
        assert_contains(text, "<target chassis=\"1\" port=\"0x10\"/>");
        /* devices come out grouped by kind in libvirt's order */
        assert_true(strstr(text, "<controller") < strstr(text, "<input"));
        assert_true(strstr(text, "<input") < strstr(text, "<graphics"));
        assert_true(strstr(text, "<video") < strstr(text, "<hostdev"));
        /* the VNC password is a secret: only in secure output */
        assert_contains(text, "passwd=\"s3cret\"");
        assert_null(strstr(insecure, "s3cret"));
        vmm_domain_devices_free(devs);
}

static void test_document_order_and_diff(void **state)
{
        VmmDomainDevices *a =
            devs_parse("<devices><controller type='usb' index='0'/><input type='mouse' bus='ps2'/>"
                       "<controller type='sata' index='0'/></devices>");
        VmmDomainDevices *b = devs_parse(
            "<devices><controller type='usb' index='0'/><controller type='sata' index='0'>"
            "<driver queues='4'/></controller><input type='mouse' bus='ps2'/></devices>");
        VmmDomainDevices *c = devs_parse("<devices><controller type='usb' index='0'/></devices>");
        VmmDomainDevices *g1 =
            devs_parse("<devices><graphics type='spice' autoport='yes'/></devices>");
        VmmDomainDevices *g2 =
            devs_parse("<devices><graphics type='spice' autoport='no'/></devices>");
        VmmDomainController *second = dev_at(a, VMM_DOMAIN_DEVICE_CONTROLLER, 1);
        char *diff = NULL;

        assert_int_equal(second->type, VMM_CONTROLLER_TYPE_SATA);
        assert_false(vmm_domain_devices_equal(a, b, &diff));
        assert_string_equal(diff, "controller 'sata 0': driver queues: (none) != 4");
        free(diff);
        diff = NULL;
        assert_false(vmm_domain_devices_equal(a, c, &diff));
        assert_string_equal(diff, "controller: 2 != 1 devices");
        free(diff);
        diff = NULL;
        assert_false(vmm_domain_devices_equal(g1, g2, &diff));
        assert_string_equal(diff, "graphics 'spice': autoport: yes != no");
        free(diff);
        vmm_domain_devices_free(g1);
        vmm_domain_devices_free(g2);
        vmm_domain_devices_free(a);
        vmm_domain_devices_free(b);
        vmm_domain_devices_free(c);
}

static void test_unknown_content(void **state)
{
        static const char *const xml =
            "<devices>\n"
            "  <video><model type='vga' sparkle='yes'/><turbo level='9'/></video>\n"
            "  <teleporter range='far'/>\n"
            "  <disk type='file'><driver name='qemu' turbo='on'><nitro/></driver>"
            "<target dev='vda'/></disk>\n"
            "</devices>\n";
        _cleanup_free_ char *msg = devs_parse_error(xml);
        VmmDomainDevices *devs = devs_parse_flags(xml, VMM_XML_KEEP_UNKNOWN);
        /* kept unknown content is not schema-valid, by definition */
        _cleanup_free_ char *text = devs_roundtrip_schema(devs, false);
        _cleanup_free_ char *msg2 = devs_parse_error(
            "<devices>\n\n<video><model type='vga'/></video><teleporter/></devices>");
        _cleanup_free_ char *msg4 =
            devs_parse_error("<devices colour='red'><input type='mouse'/></devices>");
        _cleanup_free_ char *msg3 =
            devs_parse_error("<devices><video><model type='vga' sparkle='yes'/></video></devices>");

        assert_contains(msg, "line 2: <video>: unknown element <turbo>");
        assert_contains(msg2, "line 3: <devices>: unknown element <teleporter>");
        assert_contains(msg3, "<model>: unknown attribute 'sparkle'");
        assert_contains(msg4, "line 1: <devices>: unknown attribute 'colour'");
        assert_contains(text, "sparkle=\"yes\"");
        assert_contains(text, "<turbo level=\"9\"/>");
        assert_contains(text, "<teleporter range=\"far\"/>");
        /* unknown content of a child element stays in that element */
        assert_contains(text, "<driver name=\"qemu\" turbo=\"on\">");
        assert_contains(text, "<nitro/>");
        {
                VmmDomainDevices *copy = NULL;
                VmmError e = VMM_ERROR_INIT;
                VmmDomainDevices *plain = devs_parse_flags(
                    "<devices><video><model type='vga'/></video>"
                    "<disk type='file'><driver name='qemu'/><target dev='vda'/></disk>"
                    "</devices>",
                    VMM_XML_KEEP_UNKNOWN);
                char *diff = NULL;

                assert_int_equal(vmm_domain_devices_copy(devs, &copy, &e), 0);
                assert_true(vmm_domain_devices_equal(devs, copy, NULL));
                /* the same devices without the unknown parts are not equal */
                assert_false(vmm_domain_devices_equal(devs, plain, &diff));
                assert_contains(diff, "unknown content differs");
                free(diff);
                vmm_domain_devices_free(plain);
                vmm_domain_devices_free(copy);
        }
        vmm_domain_devices_free(devs);
}

static void test_misc_errors(void **state)
{
        static const struct {
                const char *xml;
                const char *message;
        } cases[] = {
            {"<devices><graphics type='vnc' port='fifty'/></devices>",
             "<graphics port=...>: \"fifty\" is not a number (expected an integer)"},
            {"<devices><graphics type='hologram'/></devices>",
             "\"hologram\" is not valid (expected one of \"sdl\", \"vnc\""},
            {"<devices><graphics type='vnc'><listen type='carrier-pigeon'/></graphics>"
             "</devices>",
             "<listen type=...>: \"carrier-pigeon\" is not valid (expected one of "
             "\"address\", \"network\", \"socket\", \"none\")"},
            {"<devices><video><model type='cga'/></video></devices>",
             "<model type=...>: \"cga\" is not valid"},
            {"<devices><input type='joystick'/></devices>",
             "<input type=...>: \"joystick\" is not valid (expected one of \"mouse\""},
            {"<devices><controller type='pci' index='-1'/></devices>",
             "<controller index=...>: \"-1\" is not a number"},
            {"<devices><memballoon model='virtio' autodeflate='maybe'/></devices>",
             "<memballoon autodeflate=...>: \"maybe\" is not valid (expected one of "
             "\"on\", \"off\")"},
            {"<devices><memory model='dimm'><target><size unit='parsecs'>1</size>"
             "</target></memory></devices>",
             "<size>:"},
            {"<devices><video><address type='pci' slot='0x20'/></video></devices>",
             "<address slot=...>: \"0x20\" is too large (expected at most 0x1f)"},
            {"<devices><video><address type='pci' bus='0x100'/></video></devices>",
             "<address bus=...>: \"0x100\" is too large (expected at most 0xff)"},
            {"<devices><input type='tablet' bus='usb'><address type='usb' bus='0' "
             "port='1.1.1.1.1'/></input></devices>",
             "<address port=...>: \"1.1.1.1.1\" is not valid (expected a port path of up "
             "to 4 levels, e.g. \"1.2\")"},
            {"<devices><hostdev mode='subsystem' type='pci'><boot order='1' "
             "loadparm='sys1?'/></hostdev></devices>",
             "<boot loadparm=...>: \"sys1?\" is not valid (expected 1 to 8 letters, "
             "digits, dots or blanks)"},
            {"<devices><memballoon/></devices>",
             "<memballoon>: attribute 'model' is missing (expected one of \"virtio\", "
             "\"virtio-transitional\", \"virtio-non-transitional\", \"xen\", \"none\")"},
            {"<devices>\n<tpm model='tpm-tis'>\n</tpm></devices>",
             "line 2: <tpm>: <backend> is missing"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_free_ char *msg = devs_parse_error(cases[i].xml);

                assert_contains(msg, cases[i].message);
        }
}

static void test_validate_across_devices(void **state)
{
        _cleanup_free_ char *alias = devs_validate_error(
            "<devices><input type='mouse' bus='ps2'><alias name='ua-x'/></input>"
            "<video><model type='vga'/><alias name='ua-x'/></video></devices>");
        _cleanup_free_ char *ctrl = devs_validate_error(
            "<devices><controller type='usb' index='0'/><controller type='usb' index='0'/>"
            "</devices>");
        _cleanup_free_ char *emu = devs_validate_error(
            "<devices><emulator>/a</emulator><emulator>/b</emulator></devices>");
        _cleanup_free_ char *rng = devs_validate_error("<devices><rng model='virtio'/></devices>");
        _cleanup_free_ char *boot = devs_validate_error(
            "<devices><disk type='file'><source file='/a'/><target dev='vda'/>"
            "<boot order='1'/></disk><interface type='user'><boot order='1'/></interface>"
            "</devices>");
        _cleanup_free_ char *port =
            devs_validate_error("<devices><graphics type='vnc' port='70000'/></devices>");
        _cleanup_free_ char *listen =
            devs_validate_error("<devices><graphics type='vnc' listen='127.0.0.1'>"
                                "<listen type='address' address='0.0.0.0'/></graphics></devices>");
        _cleanup_free_ char *heads =
            devs_validate_error("<devices><video><model type='vga' heads='0'/></video></devices>");

        assert_contains(alias, "input #1 and video #1 have the same alias 'ua-x'");
        assert_contains(ctrl, "controller 'usb 0' is defined twice");
        assert_contains(emu, "2 <emulator> elements (expected at most one)");
        assert_contains(rng, "rng virtio: <backend> is missing");
        assert_contains(boot, "disk 'vda' and interface #1 have the same boot order '1'");
        assert_contains(heads, "heads \"0\" is not valid (expected at least 1)");
        assert_contains(port, "graphics vnc: port \"70000\" is out of range (expected -1 for "
                              "automatic, or 0 to 65535)");
        assert_contains(listen, "graphics vnc: listen='127.0.0.1' does not match the first "
                                "<listen address='0.0.0.0'>");
}

static void test_fill_defaults(void **state)
{
        VmmDomainDevices *devs =
            devs_parse("<devices><controller type='usb' index='0'/><controller type='usb'/>"
                       "<controller type='scsi'/><controller type='usb' index='2'/>"
                       "<controller type='usb'/></devices>");
        VmmError e = VMM_ERROR_INIT;
        _cleanup_free_ char *text = NULL;
        VmmDomainController *usb1 = dev_at(devs, VMM_DOMAIN_DEVICE_CONTROLLER, 1);
        VmmDomainController *scsi = dev_at(devs, VMM_DOMAIN_DEVICE_CONTROLLER, 2);
        VmmDomainController *usb3 = dev_at(devs, VMM_DOMAIN_DEVICE_CONTROLLER, 4);

        assert_int_equal(vmm_domain_devices_fill_defaults(devs, &e), 0);
        /* the lowest free index of the controller's own type */
        assert_int_equal(usb1->index, 1);
        assert_int_equal(scsi->index, 0);
        assert_int_equal(usb3->index, 3);
        devs_validate_ok(devs);
        text = devs_roundtrip(devs);
        assert_contains(text, "<controller type=\"usb\" index=\"3\"/>");
        vmm_domain_devices_free(devs);
}

static void test_empty_devices(void **state)
{
        VmmDomainDevices *devs = vmm_domain_devices_new();
        _cleanup_free_ char *text = devs_format(devs);

        /* no <devices> element at all for an empty list */
        assert_null(strstr(text, "<devices"));
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

/* schemas/domain-devices.rng is generated from the device tables: it must
 * be what the tables give now. VMM_UPDATE_SCHEMA=1 rewrites it. */
static void test_schema_is_current(void **state)
{
        _cleanup_free_ char *want = vmm_domain_devices_schema();
        char path[4096];
        FILE *f;
        size_t n;
        _cleanup_free_ char *have = NULL;

        assert_non_null(want);
        snprintf(path, sizeof(path), "%s/schemas/domain-devices.rng", VMM_SOURCE_DIR);
        if (getenv("VMM_UPDATE_SCHEMA")) {
                f = fopen(path, "we");
                assert_non_null(f);
                fputs(want, f);
                assert_int_equal(fclose(f), 0);
        }
        f = fopen(path, "re");
        if (!f)
                fail_msg("%s is missing: run with VMM_UPDATE_SCHEMA=1", path);
        have = calloc(1, strlen(want) + 2);
        n = fread(have, 1, strlen(want) + 1, f);
        fclose(f);
        if (n != strlen(want) || memcmp(have, want, n) != 0)
                fail_msg("%s is out of date with the device tables: run the test with "
                         "VMM_UPDATE_SCHEMA=1",
                         path);
}

/* The schema is not a catch-all: it refuses what the parser refuses. */
static void test_schema_rejects(void **state)
{
        static const char *const bad[] = {
            "<domain><devices><disk type='tape'/></devices></domain>",
            "<domain><devices><disk type='file'><colour/></disk></devices></domain>",
            "<domain><devices><graphics type='vnc' port='x'/></devices></domain>",
            "<domain><devices><teleporter/></devices></domain>",
            "<domain><devices><video><model type='vga' heads='-1'/></video></devices></domain>",
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
                VmmError e = VMM_ERROR_INIT;

                assert_int_equal(vmm_xml_parse(bad[i], (size_t)-1, "test", &doc, &e), 0);
                if (devs_schema_check(doc, false) == 0)
                        fail_msg("schema accepted %s", bad[i]);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_schema_is_current),
            cmocka_unit_test(test_schema_rejects),
            cmocka_unit_test(test_desktop_values),
            cmocka_unit_test(test_desktop_roundtrip),
            cmocka_unit_test(test_document_order_and_diff),
            cmocka_unit_test(test_unknown_content),
            cmocka_unit_test(test_misc_errors),
            cmocka_unit_test(test_validate_across_devices),
            cmocka_unit_test(test_fill_defaults),
            cmocka_unit_test(test_empty_devices),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
