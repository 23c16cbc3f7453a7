/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The QMP arguments of a hot-plugged device (qemu-command-hotplug.h): the
 * command-line builder's option lists turned into blockdev-add,
 * netdev_add and device_add arguments (escaped commas, nested cache
 * options, booleans and integers typed as QEMU wants them over QMP), and
 * the objects one disk and one NIC give, with the node names the command
 * line uses at start. Also the device parser of attach/detach
 * (conf/domain-device-edit.h): matching and the copy-on-write edits.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/domain-device-edit.h"
#include "qemu-arg.h"
#include "qemu-command-hotplug.h"
#include "util/error.h"

static char *qmp_json(const char *opts, const char *first_key)
{
        VmmError error = VMM_ERROR_INIT;
        json_object *o = NULL;
        char *s;

        if (vmm_qemu_opts_to_qmp(opts, first_key, &o, &error) < 0)
                fail_msg("%s: %s", opts, vmm_error_message(&error));
        s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return s;
}

static void test_opts_to_qmp(void **state)
{
        static const struct {
                const char *opts, *first, *json;
        } cases[] = {
            {"driver=file,filename=/a,,b c,node-name=vmm-vdb-storage,auto-read-only=on,"
             "discard=unmap,cache.direct=on,cache.no-flush=off",
             NULL,
             "{\"driver\":\"file\",\"filename\":\"/a,b c\",\"node-name\":\"vmm-vdb-storage\","
             "\"auto-read-only\":true,\"discard\":\"unmap\",\"cache\":{\"direct\":true,"
             "\"no-flush\":false}}"},
            {"virtio-blk-pci,drive=vmm-vdb-format,id=vdb,bootindex=2,write-cache=on,addr=0x5",
             "driver",
             "{\"driver\":\"virtio-blk-pci\",\"drive\":\"vmm-vdb-format\",\"id\":\"vdb\","
             "\"bootindex\":2,\"write-cache\":\"on\",\"addr\":\"0x5\"}"},
            {"user,id=hostnet0", "type", "{\"type\":\"user\",\"id\":\"hostnet0\"}"},
            {"", NULL, "{}"},
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *s = qmp_json(cases[i].opts, cases[i].first);

                assert_string_equal(s, cases[i].json);
                free(s);
        }
}

static void test_opts_bad(void **state)
{
        static const char *const bad[] = {"virtio-blk-pci", "a=1,=2", "read-only=yes",
                                          "bootindex=two", "cache=x,cache.direct=on"};
        VmmError error = VMM_ERROR_INIT;
        json_object *o = NULL;

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                assert_int_equal(vmm_qemu_opts_to_qmp(bad[i], NULL, &o, &error), -EINVAL);
                assert_null(o);
                vmm_error_clear(&error);
        }
}

static VmmDomainDef *domain(void)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;

        if (vmm_domain_def_parse("<domain type='qemu'><name>hp</name><memory>65536</memory>"
                                 "<os><type machine='pc'>hvm</type></os><devices>"
                                 "<disk type='file'><source file='/i/a.raw'/>"
                                 "<target dev='vda' bus='virtio'/></disk>"
                                 "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                                 "</interface></devices></domain>",
                                 (size_t)-1, 0, &def, &error) < 0 ||
            vmm_domain_def_fill_defaults(def, &error) < 0)
                fail_msg("domain: %s", vmm_error_message(&error));
        return def;
}

static void *parse_one(const char *xml, VmmDomainDevices **ret_one, VmmDomainDeviceKind *kind)
{
        VmmError error = VMM_ERROR_INIT;

        if (vmm_domain_device_parse_xml(xml, ret_one, kind, &error) < 0 ||
            vmm_domain_devices_fill_defaults(*ret_one, &error) < 0)
                fail_msg("%s: %s", xml, vmm_error_message(&error));
        return vmm_domain_device_first(*ret_one, *kind);
}

static void test_disk_args(void **state)
{
        VmmDomainDef *def = domain();
        VmmDomainDevices *one = NULL;
        VmmDomainDeviceKind kind;
        VmmError error = VMM_ERROR_INIT;
        void *dev = parse_one("<disk type='file'><driver name='qemu' type='qcow2' cache='none'/>"
                              "<source file='/i/b,1.qcow2'/><target dev='vdb'/><readonly/></disk>",
                              &one, &kind);
        char **argv = NULL;

        (void)state;
        assert_int_equal(kind, VMM_DOMAIN_DEVICE_DISK);
        assert_int_equal(vmm_qemu_command_device_args(def, kind, dev, NULL, &argv, &error), 0);
        /* the same nodes and options as on the command line at start */
        assert_string_equal(argv[0], "-blockdev");
        assert_string_equal(argv[1], "driver=file,filename=/i/b,,1.qcow2,"
                                     "node-name=vmm-vdb-storage,read-only=on,discard=unmap,"
                                     "cache.direct=on,cache.no-flush=off");
        assert_string_equal(argv[2], "-blockdev");
        assert_non_null(strstr(argv[3], "node-name=vmm-vdb-format"));
        assert_non_null(strstr(argv[3], "driver=qcow2,file=vmm-vdb-storage"));
        assert_string_equal(argv[4], "-device");
        assert_string_equal(argv[5], "virtio-blk-pci,drive=vmm-vdb-format,id=vdb,write-cache=on");
        assert_null(argv[6]);
        vmm_qemu_argv_free(argv);
        vmm_domain_devices_free(one);
        vmm_domain_def_free(def);
}

static void test_nic_args(void **state)
{
        VmmDomainDef *def = domain();
        VmmDomainDevices *one = NULL;
        VmmDomainDeviceKind kind;
        VmmError error = VMM_ERROR_INIT;
        void *dev = parse_one("<interface type='user'><mac address='52:54:00:00:00:02'/>"
                              "<model type='virtio'/></interface>",
                              &one, &kind);
        char **argv = NULL;

        (void)state;
        assert_int_equal(vmm_qemu_command_device_args(def, kind, dev, NULL, &argv, &error), 0);
        assert_string_equal(argv[0], "-netdev");
        assert_string_equal(argv[1], "user,id=hostnet0");
        assert_string_equal(argv[2], "-device");
        assert_string_equal(argv[3],
                            "virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:00:00:02");
        vmm_qemu_argv_free(argv);
        vmm_domain_devices_free(one);
        /* what the builder refuses at start is refused here too */
        dev = parse_one("<interface type='user'><model type='ne2k_pci'/></interface>", &one, &kind);
        assert_int_equal(vmm_qemu_command_device_args(def, kind, dev, NULL, &argv, &error),
                         -ENOTSUP);
        assert_non_null(strstr(vmm_error_message(&error), "ne2k_pci"));
        vmm_error_clear(&error);
        vmm_domain_devices_free(one);
        vmm_domain_def_free(def);
}

static void test_match_and_edit(void **state)
{
        VmmDomainDef *def = domain(), *with = NULL, *without = NULL;
        VmmDomainDevices *one = NULL;
        VmmDomainDeviceKind kind;
        VmmError error = VMM_ERROR_INIT;
        size_t index = 99;
        void *dev;

        (void)state;
        /* an interface by MAC, in any case */
        assert_int_equal(
            vmm_domain_device_parse_xml(
                "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>", &one,
                &kind, &error),
            0);
        dev = vmm_domain_device_first(one, kind);
        assert_int_equal(vmm_domain_device_find(def, kind, dev, &index, &error), 0);
        assert_int_equal(index, 0);
        assert_int_equal(vmm_domain_def_without_device(def, kind, index, &without, &error), 0);
        assert_int_equal(vmm_domain_devices_count_interfaces(vmm_domain_def_get_devices(without)),
                         0);
        assert_int_equal(vmm_domain_devices_count_interfaces(vmm_domain_def_get_devices(def)), 1);
        without = vmm_domain_def_free(without);
        vmm_domain_devices_free(one);
        /* a disk by target; the original definition is never changed */
        dev = parse_one("<disk type='file'><source file='/i/c.raw'/><target dev='vdc'/></disk>",
                        &one, &kind);
        assert_int_equal(vmm_domain_device_find(def, kind, dev, &index, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "no disk 'vdc' to detach"));
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_def_with_device(def, kind, dev, &with, &error), 0);
        assert_int_equal(vmm_domain_devices_count_disks(vmm_domain_def_get_devices(with)), 2);
        assert_int_equal(vmm_domain_devices_count_disks(vmm_domain_def_get_devices(def)), 1);
        assert_int_equal(vmm_domain_def_with_device(with, kind, dev, &without, &error), -EEXIST);
        assert_null(without);
        vmm_error_clear(&error);
        vmm_domain_devices_free(one);
        vmm_domain_def_free(with);
        vmm_domain_def_free(without);
        vmm_domain_def_free(def);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_opts_to_qmp),    cmocka_unit_test(test_opts_bad),
            cmocka_unit_test(test_disk_args),      cmocka_unit_test(test_nic_args),
            cmocka_unit_test(test_match_and_edit),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
