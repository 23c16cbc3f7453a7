/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain-disk.c: <disk> parsing, formatting, roundtrip and errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/domain-disk.h"
#include "devices-helpers.h"

static const char *const file_disk =
    "<devices>\n"
    "  <disk type='file' device='disk'>\n"
    "    <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>\n"
    "    <source file='/var/lib/vmm/images/web1.qcow2'/>\n"
    "    <backingStore type='file'>\n"
    "      <format type='raw'/>\n"
    "      <source file='/var/lib/vmm/images/base.img'/>\n"
    "    </backingStore>\n"
    "    <target dev='vda' bus='virtio'/>\n"
    "    <serial>WD-1234</serial>\n"
    "    <boot order='1'/>\n"
    "    <alias name='virtio-disk0'/>\n"
    "    <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>\n"
    "  </disk>\n"
    "  <disk type='block' device='cdrom'>\n"
    "    <source dev='/dev/sr0'/>\n"
    "    <target dev='hdc' bus='ide' tray='open'/>\n"
    "    <readonly/>\n"
    "    <address type='drive' controller='0' bus='1' target='0' unit='0'/>\n"
    "  </disk>\n"
    "</devices>\n";

static VmmDomainDisk *disk_at(VmmDomainDevices *devs, size_t i)
{
        size_t n;
        void *const *disks = vmm_domain_devices_get(devs, VMM_DOMAIN_DEVICE_DISK, &n);

        assert_true(i < n);
        return disks[i];
}

static void test_disk_file_values(void **state)
{
        VmmDomainDevices *devs = devs_parse(file_disk);
        VmmDomainDisk *d = disk_at(devs, 0);

        assert_int_equal(vmm_domain_devices_count_disks(devs), 2);
        assert_int_equal(d->type, VMM_DISK_TYPE_FILE);
        assert_int_equal(d->device, VMM_DISK_DEVICE_DISK);
        assert_string_equal(d->driver_name, "qemu");
        assert_string_equal(d->driver_type, "qcow2");
        assert_int_equal(d->cache, VMM_DISK_CACHE_NONE);
        assert_string_equal(d->source->file, "/var/lib/vmm/images/web1.qcow2");
        assert_non_null(d->backing);
        assert_string_equal(d->backing->format, "raw");
        assert_string_equal(d->backing->source->file, "/var/lib/vmm/images/base.img");
        assert_null(d->backing->backing);
        assert_string_equal(d->target_dev, "vda");
        assert_int_equal(d->target_bus, VMM_DISK_BUS_VIRTIO);
        assert_string_equal(d->serial, "WD-1234");
        assert_int_equal(d->info.boot_order, 1);
        assert_string_equal(d->info.alias, "virtio-disk0");
        assert_int_equal(d->info.address->type, VMM_DEV_ADDRESS_PCI);
        assert_int_equal(d->info.address->slot, 4);
        assert_int_equal(d->info.address->function, 0);
        assert_false(d->readonly);

        d = disk_at(devs, 1);
        assert_int_equal(d->type, VMM_DISK_TYPE_BLOCK);
        assert_int_equal(d->device, VMM_DISK_DEVICE_CDROM);
        assert_string_equal(d->source->dev, "/dev/sr0");
        assert_true(d->readonly);
        assert_int_equal(d->info.address->type, VMM_DEV_ADDRESS_DRIVE);
        assert_int_equal(d->info.address->bus, 1);
        assert_int_equal(d->info.address->unit, 0);
        assert_int_equal(d->info.boot_order, VMM_DEV_UNSET);
        devs_validate_ok(devs);
        vmm_domain_devices_free(devs);
}

static void test_disk_format_roundtrip(void **state)
{
        VmmDomainDevices *devs = devs_parse(file_disk);
        _cleanup_free_ char *text = devs_roundtrip(devs);

        assert_contains(text, "<disk type=\"file\" device=\"disk\">");
        assert_contains(text, "<driver name=\"qemu\" type=\"qcow2\" cache=\"none\"");
        assert_contains(text, "<target dev=\"vda\" bus=\"virtio\"/>");
        assert_contains(text, "<address type=\"pci\" domain=\"0x0000\" bus=\"0x00\" "
                              "slot=\"0x04\" function=\"0x0\"/>");
        assert_contains(text, "<address type=\"drive\" controller=\"0\" bus=\"1\" target=\"0\" "
                              "unit=\"0\"/>");
        assert_contains(text, "<readonly/>");
        assert_contains(text, "<serial>WD-1234</serial>");
        vmm_domain_devices_free(devs);
}

static void test_disk_network(void **state)
{
        VmmDomainDevices *devs =
            devs_parse("<devices><disk type='network' device='disk'>"
                       "<source protocol='rbd' name='pool/image'>"
                       "<host name='mon1.example.org' port='6789'/>"
                       "<host name='mon2.example.org' port='6789'/>"
                       "<auth username='admin'><secret type='ceph' usage='client.admin'/></auth>"
                       "</source><target dev='vdb' bus='virtio'/>"
                       "<iotune><total_bytes_sec>10485760</total_bytes_sec></iotune>"
                       "</disk></devices>");
        VmmDomainDisk *d = disk_at(devs, 0);
        _cleanup_free_ char *text = NULL;

        assert_int_equal(d->type, VMM_DISK_TYPE_NETWORK);
        assert_string_equal(d->source->name, "pool/image");
        assert_int_equal(d->source->n_hosts, 2);
        assert_string_equal(d->source->hosts[1]->name, "mon2.example.org");
        assert_int_equal(d->source->hosts[1]->port, 6789);
        assert_string_equal(d->source->auth->username, "admin");
        assert_string_equal(d->source->auth->secret->usage, "client.admin");
        assert_int_equal(d->iotune->total_bytes_sec, 10485760);
        devs_validate_ok(devs);
        text = devs_roundtrip(devs);
        assert_contains(text, "<host name=\"mon2.example.org\" port=\"6789\"/>");
        vmm_domain_devices_free(devs);
}

static void test_disk_errors(void **state)
{
        static const struct {
                const char *xml;
                const char *message;
        } cases[] = {
            {"<devices>\n<disk type='file'>\n<target dev='vda' bus='floppybus'/></disk></devices>",
             "line 3: <target bus=...>: \"floppybus\" is not valid (expected one of \"ide\", "
             "\"fdc\", \"scsi\", \"virtio\""},
            {"<devices>\n<disk type='file'>\n\n<colour/></disk></devices>",
             "line 4: <disk>: unknown element <colour>"},
            {"<devices><disk type='file' shiny='yes'/></devices>",
             "line 1: <disk>: unknown attribute 'shiny'"},
            {"<devices><disk type='tape'/></devices>",
             "<disk type=...>: \"tape\" is not valid (expected one of \"file\", \"block\""},
            {"<devices>\n<disk type='file'><driver cache='sometimes'/></disk></devices>",
             "line 2: <driver cache=...>: \"sometimes\" is not valid (expected one of "
             "\"default\", \"none\", \"writethrough\""},
            {"<devices><disk type='file'><boot order='first'/></disk></devices>",
             "<boot order=...>: \"first\" is not a number (expected a non-negative integer)"},
            {"<devices><disk type='file'><target dev='a'/><target dev='b'/></disk></devices>",
             "<disk>: more than one <target>"},
            {"<devices><disk type='file'><address type='pci' slot='0xzz'/></disk></devices>",
             "<address slot=...>: \"0xzz\" is not a number (expected a decimal or "
             "0x-prefixed hexadecimal number)"},
            {"<devices><disk type='file'><address type='pci' unit='1'/></disk></devices>",
             "<address>: unknown attribute 'unit'"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_free_ char *msg = devs_parse_error(cases[i].xml);

                assert_contains(msg, cases[i].message);
        }
}

static void test_disk_validate(void **state)
{
        _cleanup_free_ char *dup = devs_validate_error(
            "<devices><disk type='file'><source file='/a'/><target dev='vda'/></disk>"
            "<disk type='file'><source file='/b'/><target dev='vda'/></disk></devices>");
        _cleanup_free_ char *notarget =
            devs_validate_error("<devices><disk type='file'><source file='/a'/></disk></devices>");
        _cleanup_free_ char *nosource = devs_validate_error(
            "<devices><disk type='network'><source name='x'/><target dev='vda'/></disk>"
            "</devices>");
        _cleanup_free_ char *slot = devs_validate_error(
            "<devices><disk type='file'><source file='/a'/><target dev='vda'/>"
            "<address type='pci' bus='0' slot='4'/></disk>"
            "<disk type='file'><source file='/b'/><target dev='vdb'/>"
            "<address type='pci' bus='0x00' slot='0x04' function='0'/></disk></devices>");
        _cleanup_free_ char *drive = devs_validate_error(
            "<devices><disk type='file'><source file='/a'/><target dev='hda' bus='ide'/>"
            "<address type='drive' unit='1'/></disk>"
            "<disk type='file'><source file='/b'/><target dev='sda' bus='scsi'/>"
            "<address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>"
            "<disk type='file'><source file='/c'/><target dev='sdb' bus='scsi'/>"
            "<address type='drive' controller='0' bus='0' unit='1'/></disk></devices>");

        assert_contains(dup, "disk 'vda': target dev 'vda' is used by two disks (#1 and #2)");
        assert_contains(notarget, "disk: <target dev=...> is missing");
        assert_contains(nosource, "disk 'vda': <source> of a network disk needs 'protocol'");
        assert_contains(slot, "disk 'vda' and disk 'vdb' have the same address 'pci 0000:00:04.0'");
        assert_contains(drive, "disk 'sda' and disk 'sdb' have the same address 'drive 0:0:0:1' "
                               "on bus 'scsi'");
}

static void test_disk_fill_defaults(void **state)
{
        VmmDomainDevices *devs =
            devs_parse("<devices><disk type='file'><source file='/a'/><target dev='sda'/></disk>"
                       "<disk type='file'><source file='/b'/><target dev='vdb' bus='usb'/></disk>"
                       "</devices>");
        VmmError e = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_devices_fill_defaults(devs, &e), 0);
        assert_int_equal(disk_at(devs, 0)->target_bus, VMM_DISK_BUS_SCSI);
        /* an explicit bus is left alone */
        assert_int_equal(disk_at(devs, 1)->target_bus, VMM_DISK_BUS_USB);
        vmm_domain_devices_free(devs);
}

static void test_disk_backing_chain_copy(void **state)
{
        VmmDomainDevices *devs = devs_parse(
            "<devices><disk type='file'><source file='/top'/>"
            "<backingStore type='file' index='1'><format type='qcow2'/><source file='/mid'/>"
            "<backingStore type='file' index='2'><format type='raw'/><source file='/base'/>"
            "</backingStore></backingStore><target dev='vda'/></disk></devices>");
        VmmDomainDevices *copy = NULL;
        VmmError e = VMM_ERROR_INIT;
        char *diff = NULL;

        assert_int_equal(vmm_domain_devices_copy(devs, &copy, &e), 0);
        assert_true(vmm_domain_devices_equal(devs, copy, NULL));
        free(disk_at(copy, 0)->backing->backing->source->file);
        disk_at(copy, 0)->backing->backing->source->file = strdup("/other");
        assert_false(vmm_domain_devices_equal(devs, copy, &diff));
        assert_string_equal(diff, "disk 'vda': backingStore backingStore source file: /base != "
                                  "/other");
        free(diff);
        free(devs_roundtrip(devs));
        vmm_domain_devices_free(copy);
        vmm_domain_devices_free(devs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_disk_file_values),
            cmocka_unit_test(test_disk_format_roundtrip),
            cmocka_unit_test(test_disk_network),
            cmocka_unit_test(test_disk_errors),
            cmocka_unit_test(test_disk_validate),
            cmocka_unit_test(test_disk_fill_defaults),
            cmocka_unit_test(test_disk_backing_chain_copy),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
