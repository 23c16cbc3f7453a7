/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The node device <device> model: every capability kind, formatting,
 * errors, semantic checks, comparison, and libvirt's nodedev corpus. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/nodedev.h"
#include "conf/xml-util.h"
#include "util/error.h"

static VmmNodedevDef *parse_ok(const char *xml, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmNodedevDef *def = NULL;

        if (vmm_nodedev_def_parse(xml, (size_t)-1, flags, &def, &error) < 0)
                fail_msg("parse failed: %s\n%s", vmm_error_message(&error), xml);
        assert_non_null(def);
        return def;
}

static void assert_parse_error(const char *xml, const char *message)
{
        VmmError error = VMM_ERROR_INIT;
        VmmNodedevDef *def = NULL;

        assert_int_equal(vmm_nodedev_def_parse(xml, (size_t)-1, 0, &def, &error), -EINVAL);
        assert_null(def);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

static void assert_invalid(const char *xml, const char *message)
{
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *def = parse_ok(xml, 0);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_nodedev_def_validate(def, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

/* Schema (input and output), parse, checks, format, parse, same model.
 * Returns the formatted XML. */
static char *roundtrip_ok(const char *xml)
{
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *a = NULL, *b = NULL;
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL, out_doc = NULL;
        _cleanup_free_ char *diff = NULL;
        VmmError error = VMM_ERROR_INIT;
        char *out = NULL;

        if (vmm_xml_parse(xml, (size_t)-1, "input", &doc, &error) < 0 ||
            vmm_xml_validate(doc, "nodedev", &error) < 0 ||
            vmm_nodedev_def_parse(xml, (size_t)-1, 0, &a, &error) < 0 ||
            vmm_nodedev_def_validate(a, &error) < 0 ||
            vmm_nodedev_def_format(a, 0, &out, &error) < 0 ||
            vmm_xml_parse(out, (size_t)-1, "output", &out_doc, &error) < 0 ||
            vmm_xml_validate(out_doc, "nodedev", &error) < 0 ||
            vmm_nodedev_def_parse(out, (size_t)-1, 0, &b, &error) < 0)
                fail_msg("%s\n%s", vmm_error_message(&error), out ? out : xml);
        if (!vmm_nodedev_def_equal(a, b, &diff))
                fail_msg("models differ: %s", diff);
        return out;
}

static void test_nodedev_pci(void **state)
{
        static const char xml[] =
            "<device>\n"
            "  <name>pci_0000_02_10_7</name>\n"
            "  <path>/sys/devices/pci0000:00/0000:02:10.7</path>\n"
            "  <parent>pci_0000_00_04_0</parent>\n"
            "  <driver><name>igbvf</name></driver>\n"
            "  <capability type='pci'>\n"
            "    <class>0x020000</class>\n"
            "    <domain>0</domain><bus>2</bus><slot>16</slot><function>7</function>\n"
            "    <product id='0x10ca'>82576 Virtual Function</product>\n"
            "    <vendor id='0x8086'>Intel Corporation</vendor>\n"
            "    <capability type='phys_function'>\n"
            "      <address domain='0x0000' bus='0x02' slot='0x00' function='0x1'/>\n"
            "    </capability>\n"
            "    <capability type='virt_functions' maxCount='7'>\n"
            "      <address domain='0x0000' bus='0x02' slot='0x00' function='0x2'/>\n"
            "    </capability>\n"
            "    <iommuGroup number='31'>\n"
            "      <address domain='0x0000' bus='0x02' slot='0x10' function='0x7'/>\n"
            "    </iommuGroup>\n"
            "    <numa node='1'/>\n"
            "    <pci-express><link validity='cap' port='0' speed='2.5' width='4'/>"
            "<link validity='sta' width='0'/></pci-express>\n"
            "  </capability>\n"
            "</device>";
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *def = parse_ok(xml, 0);
        _cleanup_free_ char *out = roundtrip_ok(xml);
        const VmmNodedevCap *cap = vmm_nodedev_def_find_cap(def, VMM_NODEDEV_CAP_PCI);
        const VmmNodedevPci *pci;

        assert_string_equal(def->name, "pci_0000_02_10_7");
        assert_string_equal(def->parent, "pci_0000_00_04_0");
        assert_string_equal(def->driver, "igbvf");
        assert_non_null(cap);
        pci = &cap->pci;
        assert_int_equal(pci->klass, 0x020000);
        assert_int_equal(pci->slot, 16);
        assert_int_equal(pci->function, 7);
        assert_int_equal(pci->product_id, 0x10ca);
        assert_string_equal(pci->vendor, "Intel Corporation");
        assert_true(pci->has_phys_function_addr);
        assert_int_equal(pci->phys_function.function, 1);
        assert_int_equal(pci->virt_max_count, 7);
        assert_int_equal(pci->n_virt_functions, 1);
        assert_int_equal(pci->iommu_group, 31);
        assert_int_equal(pci->numa_node, 1);
        assert_int_equal(pci->n_links, 2);
        assert_string_equal(pci->links[0].speed, "2.5");
        assert_true(pci->links[1].is_sta);
        assert_null(pci->links[1].speed);
        assert_null(vmm_nodedev_def_find_cap(def, VMM_NODEDEV_CAP_NET));
        assert_non_null(strstr(out, "<class>0x020000</class>"));
        assert_non_null(
            strstr(out, "<link validity=\"cap\" port=\"0\" speed=\"2.5\" width=\"4\"/>"));
}

/* One document per capability kind libvirt documents: each must pass the
 * schema both ways and round-trip. */
static void test_nodedev_every_kind(void **state)
{
        static const char *const docs[] = {
            "<device><name>computer</name><capability type='system'>"
            "<product>2241B36</product><hardware><vendor>LENOVO</vendor>"
            "<version>ThinkPad T500</version><serial>R89055N</serial>"
            "<uuid>c9488981-5049-11cb-9c1c-993d0230b4cd</uuid></hardware><firmware>"
            "<vendor>LENOVO</vendor><version>6FET82WW (3.12 )</version>"
            "<release_date>11/26/2009</release_date></firmware></capability></device>",
            "<device><name>usb_1_5</name><parent>usb_usb1</parent>"
            "<capability type='usb_device'><bus>1</bus><device>5</device>"
            "<product id='0x4532'>Keyboard</product><vendor id='0x046d'/></capability>"
            "</device>",
            "<device><name>usb_1_5_1_0</name><capability type='usb'><number>0</number>"
            "<class>3</class><subclass>1</subclass><protocol>1</protocol>"
            "<description>Boot Interface</description></capability></device>",
            "<device><name>net_eth0</name><capability type='net'><interface>eth0"
            "</interface><address>00:13:02:B9:F9:D3</address><link speed='1000' "
            "state='up'/><feature name='rx'/><capability type='80203'/></capability>"
            "</device>",
            "<device><name>scsi_host5</name><capability type='scsi_host'><host>5</host>"
            "<unique_id>2</unique_id><capability type='fc_host'><wwnn>20000000c9831b4b"
            "</wwnn><wwpn>10000000c9831b4b</wwpn><fabric_wwn>2002000573de9a81"
            "</fabric_wwn></capability><capability type='vport_ops'><max_vports>127"
            "</max_vports><vports>1</vports></capability></capability></device>",
            "<device><name>scsi_target0_0_0</name><capability type='scsi_target'>"
            "<target>target0:0:0</target><capability type='fc_remote_port'><rport>"
            "rport-0:0-0</rport><wwpn>21000024ff0e2a1c</wwpn></capability>"
            "</capability></device>",
            "<device><name>scsi_0_0_0_0</name><capability type='scsi'><host>0</host>"
            "<bus>0</bus><target>0</target><lun>0</lun><type>disk</type></capability>"
            "</device>",
            "<device><name>block_sda</name><devnode type='dev'>/dev/sda</devnode>"
            "<capability type='storage'><block>/dev/sda</block><bus>ata</bus>"
            "<drive_type>disk</drive_type><size>500107862016</size>"
            "<logical_block_size>512</logical_block_size><num_blocks>976773168"
            "</num_blocks><capability type='hotpluggable'/></capability></device>",
            "<device><name>sg0</name><capability type='scsi_generic'><char>/dev/sg0"
            "</char></capability></device>",
            "<device><name>drm_renderD128</name><capability type='drm'><type>render"
            "</type></capability></device>",
            "<device><name>mdev_1</name><capability type='mdev'><type id='i915-GVTg'/>"
            "<uuid>d069d019-36ea-4111-8f0a-8c9a70e21366</uuid><iommuGroup number='4'/>"
            "<attr name='a' value='b'/></capability></device>",
            "<device><name>ccw_0_0_ffff</name><capability type='ccw'><cssid>0xfe</cssid>"
            "<ssid>0x3</ssid><devno>0xffff</devno></capability></device>",
            "<device><name>css_0_0_ffff</name><capability type='css'><cssid>0x0</cssid>"
            "<ssid>0x0</ssid><devno>0xffff</devno><channel_dev_addr><cssid>0x0</cssid>"
            "<ssid>0x0</ssid><devno>0x0815</devno></channel_dev_addr>"
            "<capability type='mdev_types'><type id='vfio_ccw-io'><name>I/O</name>"
            "<deviceAPI>vfio-ccw</deviceAPI><availableInstances>1</availableInstances>"
            "</type></capability></capability></device>",
            "<device><name>vdpa_vdpa0</name><capability type='vdpa'><chardev>"
            "/dev/vhost-vdpa-0</chardev></capability></device>",
            "<device><name>ap_card07</name><capability type='ap_card'><ap-adapter>0x07"
            "</ap-adapter></capability></device>",
            "<device><name>ap_07_0004</name><capability type='ap_queue'><ap-adapter>0x07"
            "</ap-adapter><ap-domain>0x0004</ap-domain></capability></device>",
            "<device><name>ap_matrix</name><capability type='ap_matrix'/></device>",
        };

        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
                _cleanup_free_ char *out = roundtrip_ok(docs[i]);
                assert_non_null(out);
        }
}

static void test_nodedev_kind_values(void **state)
{
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *net =
            parse_ok("<device><name>n</name><capability type='net'><interface>eth1</interface>"
                     "<address>00:15:58:2F:E9:55</address><feature name='tso'/>"
                     "<capability type='80211'/></capability></device>",
                     0);
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *dvd =
            parse_ok("<device><name>dvd</name><capability type='storage'><block>/dev/sr0</block>"
                     "<capability type='removable'><media_available>1</media_available>"
                     "<media_size>4700000000</media_size><media_label>DISC</media_label>"
                     "</capability></capability></device>",
                     0);
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *queue =
            parse_ok("<device><name>q</name><capability type='ap_queue'><ap-adapter>0x0a"
                     "</ap-adapter><ap-domain>12</ap-domain></capability></device>",
                     0);

        assert_string_equal(net->caps[0].net.address, "00:15:58:2f:e9:55");
        assert_int_equal(net->caps[0].net.subcap, VMM_NODEDEV_NET_SUBCAP_80211);
        assert_string_equal(net->caps[0].net.features[0], "tso");
        assert_true(dvd->caps[0].storage.removable);
        assert_int_equal(dvd->caps[0].storage.media_available, 1);
        assert_int_equal(dvd->caps[0].storage.media_size, 4700000000ULL);
        assert_string_equal(dvd->caps[0].storage.media_label, "DISC");
        assert_int_equal(queue->caps[0].ap.adapter, 10);
        assert_int_equal(queue->caps[0].ap.domain, 12);
}

static void test_nodedev_format(void **state)
{
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *def =
            parse_ok("<device><capability type='ccw'><devno>4660</devno><ssid>1</ssid>"
                     "<cssid>0</cssid></capability><parent>css_0_1_1234</parent>"
                     "<name>ccw_0_1_1234</name></device>",
                     0);
        _cleanup_free_ char *xml = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_nodedev_def_format(def, 0, &xml, &error), 0);
        assert_string_equal(xml, "<device>\n"
                                 "  <name>ccw_0_1_1234</name>\n"
                                 "  <parent>css_0_1_1234</parent>\n"
                                 "  <capability type=\"ccw\">\n"
                                 "    <cssid>0x0</cssid>\n"
                                 "    <ssid>0x1</ssid>\n"
                                 "    <devno>0x1234</devno>\n"
                                 "  </capability>\n"
                                 "</device>\n");
}

static void test_nodedev_parse_errors(void **state)
{
        assert_parse_error("<device><name>c</name><capability type='ccw'>\n"
                           "<cssid>0x0</cssid><ssid>0x0</ssid>\n<devno>0x10000</devno>"
                           "</capability></device>",
                           "line 3: <devno>: \"0x10000\" is not valid (expected a number from "
                           "0 to 65535 or 0xffff)");
        assert_parse_error("<device><name>c</name>\n<capability type='toaster'/></device>",
                           "line 2: <capability type=...>: \"toaster\" is not valid (expected "
                           "one of \"system\", \"pci\", \"usb_device\", \"usb\", \"net\", "
                           "\"scsi_host\", \"scsi_target\", \"scsi\", \"storage\", "
                           "\"scsi_generic\", \"drm\", \"mdev\", \"ccw\", \"css\", \"vdpa\", "
                           "\"ap_card\", \"ap_queue\", \"ap_matrix\")");
        assert_parse_error("<device><name>s</name>\n<capability type='scsi_host'>"
                           "<unique_id>1</unique_id></capability></device>",
                           "line 2: <capability type='scsi_host'>: missing <host>");
        assert_parse_error("<device><name>p</name>\n<capability type='pci'><domain>0</domain>"
                           "<bus>0</bus><slot>0</slot><function>0</function>\n"
                           "<product id='0x12345'/><vendor id='0x8086'/></capability></device>",
                           "line 3: <product id=...>: \"0x12345\" is not valid (expected a "
                           "number from 0 to 65535 or 0xffff)");
        assert_parse_error("<device><name>n</name><capability type='net'>\n"
                           "<interface>eth0</interface>\n<speed>10</speed></capability></device>",
                           "line 3: <capability>: unknown element <speed>");
        assert_parse_error("<device><name>f</name>\n<parent wwnn='20000000c9831b4b'/></device>",
                           "line 2: <parent>: needs both 'wwnn' and 'wwpn', or neither");
        assert_parse_error("<device>\n<path>/sys/x</path></device>",
                           "line 1: <device>: missing <name> (expected the device's name)");
        assert_parse_error("<device><name>d</name><capability type='drm'>\n<type>overlay</type>"
                           "</capability></device>",
                           "line 2: <type>: \"overlay\" is not valid (expected \"primary\", "
                           "\"control\" or \"render\")");
}

static void test_nodedev_validate(void **state)
{
        assert_invalid("<device><name>d</name><capability type='ccw'><cssid>0</cssid><ssid>0"
                       "</ssid><devno>1</devno></capability><capability type='ccw'><cssid>0"
                       "</cssid><ssid>0</ssid><devno>2</devno></capability></device>",
                       "node device 'd': <capability type='ccw'> appears twice");
        assert_invalid("<device><name>p</name><capability type='pci'><domain>0</domain>"
                       "<bus>0</bus><slot>0</slot><function>0</function><product id='0x1'/>"
                       "<vendor id='0x2'/><capability type='virt_functions' maxCount='1'>"
                       "<address domain='0' bus='0' slot='1' function='0'/>"
                       "<address domain='0' bus='0' slot='1' function='1'/></capability>"
                       "</capability></device>",
                       "node device 'p': <capability type='virt_functions' maxCount='1'> lists "
                       "2 functions");
        assert_invalid("<device><name>n</name><capability type='net'><interface>eth0"
                       "</interface><address>00:11:22:33:44</address></capability></device>",
                       "node device 'n': <address>: \"00:11:22:33:44\" is not a MAC address "
                       "(expected e.g. \"52:54:00:12:34:56\")");
        assert_invalid("<device><name>s</name><capability type='storage'><block>sda</block>"
                       "<size>1</size></capability></device>",
                       "node device 's': <block>: \"sda\" is not an absolute path");
        assert_invalid("<device><name>h</name><capability type='scsi_host'><host>1</host>"
                       "<capability type='fc_host'><wwnn>2000</wwnn><wwpn>10000000c9831b4b"
                       "</wwpn></capability></capability></device>",
                       "node device 'h': <capability type='fc_host'>: a WWN is not 16 hex "
                       "digits (expected e.g. \"2000f4e9d4eb02c9\")");
}

static void test_nodedev_equal_and_unknown(void **state)
{
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *a =
            parse_ok("<device><name>m</name><capability type='mdev'><type id='t1'/></capability>"
                     "</device>",
                     0);
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *b =
            parse_ok("<device><name>m</name><capability type='mdev'><type id='t2'/></capability>"
                     "</device>",
                     0);
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *k = NULL, *k2 = NULL;
        _cleanup_free_ char *diff = NULL, *out = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_false(vmm_nodedev_def_equal(a, b, &diff));
        assert_string_equal(diff, "capability[0] type: \"t1\" != \"t2\"");
        assert_parse_error("<device><name>x</name>\n<future/></device>",
                           "line 2: <device>: unknown element <future>");
        assert_parse_error("<device><name>x</name><capability type='drm'><type>render</type>\n"
                           "<gpu/></capability></device>",
                           "line 2: <capability>: unknown element <gpu>");
        k = parse_ok("<device><name>x</name>\n<future>y</future><capability type='drm'>"
                     "<type>render</type><gpu id='1'/></capability></device>",
                     VMM_XML_KEEP_UNKNOWN);
        assert_int_equal(vmm_nodedev_def_format(k, 0, &out, &error), 0);
        assert_non_null(strstr(out, "<future>y</future>"));
        assert_non_null(strstr(out, "<type>render</type>\n    <gpu id=\"1\"/>"));
        k2 = parse_ok(out, VMM_XML_KEEP_UNKNOWN);
        assert_true(vmm_nodedev_def_equal(k, k2, NULL));
}

static char *read_file(const char *path)
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
        return buf;
}

/* Every expect=ok file round-trips; each "-invalid" file is refused by
 * the schema and, separately, by the parser. */
static void test_nodedev_corpus(void **state)
{
        char path[4096], line[1024];
        size_t ok = 0, invalid = 0;
        FILE *manifest;

        snprintf(path, sizeof(path), "%s/MANIFEST.tsv", VMM_CORPUS_DIR);
        manifest = fopen(path, "r");
        if (!manifest)
                skip();
        while (fgets(line, sizeof(line), manifest)) {
                char kind[64], file[512], expect[16];
                _cleanup_free_ char *xml = NULL;

                if (sscanf(line, "%63[^\t]\t%511[^\t]\t%15[^\t]", kind, file, expect) != 3 ||
                    strcmp(kind, "nodedev") != 0)
                        continue;
                snprintf(path, sizeof(path), "%s/nodedev/%s", VMM_CORPUS_DIR, file);
                xml = read_file(path);
                assert_non_null(xml);
                if (strcmp(expect, "ok") == 0) {
                        _cleanup_free_ char *out = roundtrip_ok(xml);
                        ok++;
                } else if (strstr(file, "-invalid")) {
                        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
                        VmmNodedevDef *def = NULL;
                        VmmError error = VMM_ERROR_INIT;

                        assert_int_equal(vmm_xml_parse(xml, (size_t)-1, file, &doc, &error), 0);
                        assert_int_equal(vmm_xml_validate(doc, "nodedev", &error), -EINVAL);
                        vmm_error_clear(&error);
                        assert_int_equal(vmm_nodedev_def_parse(xml, (size_t)-1, 0, &def, &error),
                                         -EINVAL);
                        assert_non_null(strstr(vmm_error_message(&error), "0x10000"));
                        vmm_error_clear(&error);
                        invalid++;
                }
        }
        fclose(manifest);
        assert_int_equal(ok, 25);
        assert_int_equal(invalid, 2);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_nodedev_pci),
            cmocka_unit_test(test_nodedev_every_kind),
            cmocka_unit_test(test_nodedev_kind_values),
            cmocka_unit_test(test_nodedev_format),
            cmocka_unit_test(test_nodedev_parse_errors),
            cmocka_unit_test(test_nodedev_validate),
            cmocka_unit_test(test_nodedev_equal_and_unknown),
            cmocka_unit_test(test_nodedev_corpus),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
