/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage pool XML: parsed values, formatted output, errors, round trips. */
/* cmocka.h needs the standard headers before it */
/* clang-format off */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "conf/storage-pool-priv.h"
#include "conf/xml-util.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/macros.h"

#define GiB (UINT64_C(1024) * 1024 * 1024)

static char *read_file(const char *path)
{
        FILE *f = fopen(path, "re");
        char *buf;
        long n;

        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        rewind(f);
        buf = calloc(1, (size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        return buf;
}

static VmmStoragePoolDef *parse_ok(const char *xml, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStoragePoolDef *def = NULL;
        int r = vmm_storage_pool_def_parse(xml, (size_t)-1, flags, &def, &error);

        if (r < 0)
                fail_msg("parse failed: %s", vmm_error_message(&error));
        vmm_error_clear(&error);
        return def;
}

/* Parses `xml` (or formats its model) and checks it against both schemas. */
static void assert_schema_valid(const char *xml)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_xml_parse(xml, (size_t)-1, "test", &doc, &error), 0);
        if (vmm_xml_validate(doc, "storagepool", &error) < 0)
                fail_msg("schema rejects:\n%s\n%s", xml, vmm_error_message(&error));
}

static void test_parse_iscsi_values(void **state)
{
        static const char xml[] =
            "<pool type='iscsi'>\n"
            "  <name>san1</name>\n"
            "  <uuid>e9392370-2917-565e-692b-d057f46512d6</uuid>\n"
            "  <capacity unit='GiB'>2</capacity>\n"
            "  <allocation unit='MiB'>512</allocation>\n"
            "  <available>1610612736</available>\n"
            "  <source>\n"
            "    <host name='iscsi.example.com' port='3261'/>\n"
            "    <device path='iqn.2013-06.com.example:disks'/>\n"
            "    <initiator><iqn name='iqn.2013-06.com.example:host1'/></initiator>\n"
            "    <auth type='chap' username='admin'>\n"
            "      <secret usage='libvirtiscsi'/>\n"
            "    </auth>\n"
            "  </source>\n"
            "  <target>\n"
            "    <path>/dev/disk/by-path/</path>\n"
            "    <permissions><mode>0750</mode><owner>0</owner><group>6</group>"
            "<label>system_u:object_r:fixed_disk_device_t:s0</label></permissions>\n"
            "  </target>\n"
            "</pool>\n";
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = parse_ok(xml, 0);
        uint8_t uuid[VMM_UUID_LEN];
        unsigned int port = 0;
        VmmError error = VMM_ERROR_INIT;

        assert_string_equal(vmm_storage_pool_def_get_name(def), "san1");
        assert_string_equal(vmm_storage_pool_def_get_type(def), "iscsi");
        vmm_storage_pool_def_get_uuid(def, uuid);
        assert_int_equal(uuid[0], 0xe9);
        assert_int_equal(uuid[15], 0xd6);
        assert_true(vmm_storage_pool_def_get_capacity(def) == 2 * GiB);
        assert_true(vmm_storage_pool_def_get_allocation(def) == 512 * 1024 * 1024);
        assert_true(vmm_storage_pool_def_get_available(def) == UINT64_C(1610612736));
        assert_int_equal(vmm_storage_pool_def_get_n_source_hosts(def), 1);
        assert_string_equal(vmm_storage_pool_def_get_source_host(def, 0, &port),
                            "iscsi.example.com");
        assert_int_equal(port, 3261);
        assert_null(vmm_storage_pool_def_get_source_host(def, 1, NULL));
        assert_string_equal(vmm_storage_pool_def_get_source_device(def, 0),
                            "iqn.2013-06.com.example:disks");
        assert_string_equal(def->source.initiator_iqn, "iqn.2013-06.com.example:host1");
        assert_true(def->source.auth.present);
        assert_int_equal(def->source.auth.type, VMM_STORAGE_POOL_AUTH_CHAP);
        assert_string_equal(def->source.auth.username, "admin");
        assert_false(def->source.auth.secret_has_uuid);
        assert_string_equal(def->source.auth.secret_usage, "libvirtiscsi");
        /* the trailing slash goes, as libvirt cleans target paths */
        assert_string_equal(vmm_storage_pool_def_get_target_path(def), "/dev/disk/by-path");
        assert_true(def->target_perms.has_mode);
        assert_int_equal(def->target_perms.mode, 0750);
        assert_int_equal(def->target_perms.owner, 0);
        assert_int_equal(def->target_perms.group, 6);
        assert_string_equal(def->target_perms.label, "system_u:object_r:fixed_disk_device_t:s0");
        assert_int_equal(vmm_storage_pool_def_validate(def, &error), 0);
}

static void test_parse_any_order_and_optional_name(void **state)
{
        /* children in any order; a gluster pool takes its name from the source */
        static const char xml[] = "<pool type='gluster'>"
                                  "<source><dir path='/sub'/><host name='gl1'/>"
                                  "<name>vol1</name></source>"
                                  "<uuid>65fcba04-5b13-bd93-cff3-52ce48e11ad8</uuid>"
                                  "</pool>";
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = parse_ok(xml, 0);

        assert_string_equal(vmm_storage_pool_def_get_name(def), "vol1");
        assert_string_equal(vmm_storage_pool_def_get_source_name(def), "vol1");
        assert_string_equal(vmm_storage_pool_def_get_source_dir(def), "/sub");
        assert_null(vmm_storage_pool_def_get_target_path(def));
        assert_null(vmm_storage_pool_def_get_source_format(def));
}

static void test_format_output(void **state)
{
        static const char in[] = "<pool type='netfs'>"
                                 "<target><permissions><owner>-1</owner><mode>755</mode>"
                                 "</permissions><path>/mnt/nfs</path></target>"
                                 "<source><format type='nfs'/><dir path='/export'/>"
                                 "<host name='nas'/><protocol ver='4'/></source>"
                                 "<capacity unit='KiB'>1</capacity>"
                                 "<name>nfs1</name><features><cow state='yes'/></features>"
                                 "</pool>";
        static const char expected[] = "<pool type=\"netfs\">\n"
                                       "  <name>nfs1</name>\n"
                                       "  <capacity unit=\"bytes\">1024</capacity>\n"
                                       "  <features>\n"
                                       "    <cow state=\"yes\"/>\n"
                                       "  </features>\n"
                                       "  <source>\n"
                                       "    <host name=\"nas\"/>\n"
                                       "    <dir path=\"/export\"/>\n"
                                       "    <format type=\"nfs\"/>\n"
                                       "    <protocol ver=\"4\"/>\n"
                                       "  </source>\n"
                                       "  <target>\n"
                                       "    <path>/mnt/nfs</path>\n"
                                       "    <permissions>\n"
                                       "      <mode>0755</mode>\n"
                                       "      <owner>-1</owner>\n"
                                       "    </permissions>\n"
                                       "  </target>\n"
                                       "</pool>\n";
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = parse_ok(in, 0);
        _cleanup_free_ char *out = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_storage_pool_def_format(def, 0, &out, &error), 0);
        assert_string_equal(out, expected);
        assert_string_equal(vmm_storage_pool_def_get_source_format(def), "nfs");
        assert_schema_valid(out);
}

static void expect_parse_error(const char *xml, const char *message)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStoragePoolDef *def = NULL;
        int r = vmm_storage_pool_def_parse(xml, (size_t)-1, 0, &def, &error);

        if (r >= 0)
                fail_msg("accepted: %s", xml);
        assert_int_equal(r, -EINVAL);
        assert_null(def);
        assert_int_equal(error.kind, VMM_ERR_XML);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

static void test_parse_errors(void **state)
{
        static const struct {
                const char *xml;
                const char *message;
        } cases[] = {
            {"<pool><name>a</name></pool>",
             "line 1: <pool>: missing attribute 'type' (expected e.g. \"dir\")"},
            {"<pool type='floppy'><name>a</name></pool>",
             "line 1: <pool type=...>: \"floppy\" is not valid (expected one of \"dir\", "
             "\"fs\", \"netfs\", \"logical\", \"disk\", \"iscsi\", \"iscsi-direct\", "
             "\"scsi\", \"mpath\", \"rbd\", \"gluster\", \"zfs\", \"vstorage\")"},
            {"<pool type='dir'>\n<name>a</name>\n<colour/>\n</pool>",
             "line 3: <pool>: unknown element <colour>"},
            {"<pool type='dir' size='big'><name>a</name></pool>",
             "line 1: <pool>: unknown attribute 'size'"},
            {"<pool type='dir'><name>a</name>\n<target><path>/p</path>\n<permissions>\n"
             "<mode>0999</mode></permissions></target></pool>",
             "line 4: <mode>: \"0999\" is not a valid mode (expected an octal mode from "
             "0000 to 0777, e.g. \"0755\")"},
            {"<pool type='dir'><name>a</name><target><path>/p</path><permissions>"
             "<mode>04755</mode></permissions></target></pool>",
             "line 1: <mode>: \"04755\" is not a valid mode (expected an octal mode from "
             "0000 to 0777, e.g. \"0755\")"},
            {"<pool type='dir'><name>a</name><target><path>/p</path><permissions>"
             "<owner>bob</owner></permissions></target></pool>",
             "line 1: <owner>: \"bob\" is not a valid uid (expected a number from 0 to "
             "4294967294, or -1)"},
            {"<pool type='dir'><name>a</name><target><path>/p</path><permissions>"
             "<group>-2</group></permissions></target></pool>",
             "line 1: <group>: \"-2\" is not a valid gid (expected a number from 0 to "
             "4294967294, or -1)"},
            {"<pool type='dir'><name>a</name>\n\n<capacity>lots</capacity></pool>",
             "line 3: <capacity>: capacity: \"lots\" is not a number (expected e.g. "
             "\"512 MiB\")"},
            {"<pool type='dir'><name>a</name><uuid>1234</uuid></pool>",
             "line 1: <uuid>: UUID \"1234\" is malformed (expected 32 hexadecimal digits "
             "as \"c7a5fdbd-cdaf-9455-926a-d65c16db1809\")"},
            {"<pool type='logical'><name>vg</name><source><format type='gpt'/></source>"
             "</pool>",
             "line 1: <format type=...>: \"gpt\" is not valid for a 'logical' pool "
             "(expected one of \"unknown\", \"lvm2\")"},
            {"<pool type='dir'><name>a</name><source><format type='auto'/></source></pool>",
             "line 1: <format>: a 'dir' pool has no source format"},
            {"<pool type='netfs'><name>a</name><source><host name='h' port='70000'/>"
             "</source></pool>",
             "line 1: <host port=...>: \"70000\" is not a valid port (expected 1 to 65535)"},
            {"<pool type='netfs'><name>a</name><source><host port='22'/></source></pool>",
             "line 1: <host>: missing attribute 'name'"},
            {"<pool type='iscsi'><name>a</name><source>\n<auth type='chap' username='u'/>"
             "</source></pool>",
             "line 2: <auth>: missing <secret> (expected <secret uuid='...'/> or "
             "<secret usage='...'/>)"},
            {"<pool type='iscsi'><name>a</name><source><auth type='kerberos' "
             "username='u'><secret usage='x'/></auth></source></pool>",
             "line 1: <auth type=...>: \"kerberos\" is not valid (expected one of "
             "\"chap\", \"ceph\")"},
            {"<pool type='rbd'><name>a</name><source><auth type='ceph' username='u'>"
             "<secret uuid='2ec115d7-3a88-3ceb-bc12-0ac909a6fd87' usage='x'/></auth>"
             "</source></pool>",
             "line 1: <secret>: expected exactly one of the attributes 'uuid' and "
             "'usage'"},
            {"<pool type='scsi'><name>a</name><source><adapter type='fc' name='h'/>"
             "</source></pool>",
             "line 1: <adapter type=...>: \"fc\" is not valid (expected one of "
             "\"scsi_host\", \"fc_host\")"},
            {"<pool type='scsi'><name>a</name><source><adapter><parentaddr>"
             "<address domain='0' bus='0' slot='0x20' function='0'/></parentaddr>"
             "</adapter></source></pool>",
             "line 1: <address slot=...>: \"0x20\" is not valid (expected a number from 0 "
             "to 0x1f, e.g. \"0x1f\")"},
            {"<pool type='dir' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'>"
             "<name>a</name>\n<fs:mount_opts><fs:option name='ro'/></fs:mount_opts></pool>",
             "line 2: <mount_opts>: mount options apply to 'fs' and 'netfs' pools only, "
             "not to a 'dir' pool"},
            {"<pool type='fs' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'>"
             "<name>a</name><fs:mount_opts>\n<fs:option name='ro' value='1'/>"
             "</fs:mount_opts></pool>",
             "line 2: <option>: unknown attribute 'value'"},
            {"<pool type='fs' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'>"
             "<name>a</name><fs:mount_opts/>\n<fs:mount_opts/></pool>",
             "line 2: <mount_opts>: given twice (expected at most one)"},
            {"<pool type='rbd' xmlns:x='http://example.com/x'><name>a</name>\n"
             "<x:extra/></pool>",
             "line 2: <pool>: unknown element <x:extra>"},
            {"<pool type='logical'><source><device path='/dev/sdb'/></source></pool>",
             "line 1: <pool>: missing <name> (or <source><name> to take it from)"},
            {"<pool type='dir'><uuid>65fcba04-5b13-bd93-cff3-52ce48e11ad8</uuid></pool>",
             "line 1: <pool>: missing <name>"},
            {"<pool type='dir'><name>a</name><features><cow state='maybe'/></features>"
             "</pool>",
             "line 1: <cow state=...>: \"maybe\" is not valid (expected \"yes\" or "
             "\"no\")"},
            {"<pool type='dir'><name>a</name>\n<name>b</name></pool>",
             "line 2: <pool>: <name> is given twice (expected at most one)"},
            {"<pool type='netfs'><name>a</name><source><host name='h1'/><host name='h2'/>"
             "<dir path='/a'/>\n<dir path='/b'/></source></pool>",
             "line 2: <source>: <dir> is given twice (expected at most one)"},
            {"<pool type='dir'><name>a</name><target><path>/a</path><permissions>"
             "<mode>0700</mode><mode>0755</mode></permissions></target></pool>",
             "line 1: <permissions>: <mode> is given twice (expected at most one)"},
            {"<pool type='rbd'><name>a</name><refresh><volume allocation='all'/>"
             "</refresh></pool>",
             "line 1: <volume allocation=...>: \"all\" is not valid (expected one of "
             "\"default\", \"capacity\")"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                expect_parse_error(cases[i].xml, cases[i].message);
}

static void test_malformed_xml(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStoragePoolDef *def = NULL;

        assert_int_equal(vmm_storage_pool_def_parse("<pool type='dir'><name>a</pool>", (size_t)-1,
                                                    0, &def, &error),
                         -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "storage pool XML: line 1"));
        vmm_error_clear(&error);
        assert_int_equal(vmm_storage_pool_def_parse("<volume><name>a</name></volume>", (size_t)-1,
                                                    0, &def, &error),
                         -EINVAL);
        assert_string_equal(vmm_error_message(&error),
                            "line 1: root element is <volume>, expected <pool>");
        vmm_error_clear(&error);
        assert_null(def);
}

static void test_validate_errors(void **state)
{
        static const struct {
                const char *xml;
                const char *message;
        } cases[] = {
            {"<pool type='netfs'><name>nfs</name><source><dir path='/e'/></source>"
             "<target><path>/mnt</path></target></pool>",
             "pool 'nfs' (type 'netfs'): missing <source><host name='...'/>"},
            {"<pool type='netfs'><name>nfs</name><source><host name='h'/></source>"
             "<target><path>/mnt</path></target></pool>",
             "pool 'nfs' (type 'netfs'): missing <source><dir path='...'/>"},
            {"<pool type='fs'><name>f</name><target><path>/mnt</path></target></pool>",
             "pool 'f' (type 'fs'): missing <source><device path='...'/>"},
            {"<pool type='disk'><name>d</name><source><device path='/dev/sda'/>"
             "<device path='/dev/sdb'/></source><target><path>/dev</path></target></pool>",
             "pool 'd' (type 'disk'): 2 <source><device> elements given (expected one)"},
            {"<pool type='dir'><name>d</name></pool>",
             "pool 'd' (type 'dir'): missing <target><path>"},
            {"<pool type='dir'><name>d</name><target><path>images</path></target></pool>",
             "pool 'd' (type 'dir'): <target><path> \"images\" is not an absolute path"},
            {"<pool type='dir'><name>a/b</name><target><path>/p</path></target></pool>",
             "pool 'a/b' (type 'dir'): the name must not contain '/'"},
            {"<pool type='scsi'><name>s</name><target><path>/dev</path></target></pool>",
             "pool 's' (type 'scsi'): missing <source><adapter .../>"},
            {"<pool type='scsi'><name>s</name><source><adapter type='fc_host' "
             "wwnn='20000000c9831b4b'/></source><target><path>/dev</path></target></pool>",
             "pool 's' (type 'scsi'): <adapter type='fc_host'> needs both 'wwnn' and "
             "'wwpn'"},
            {"<pool type='scsi'><name>s</name><source><adapter type='fc_host' "
             "wwnn='20000000c9831b4b' wwpn='xyz'/></source><target><path>/dev</path>"
             "</target></pool>",
             "pool 's' (type 'scsi'): <adapter wwpn='xyz'>: not a WWN (expected 16 hex "
             "digits, e.g. \"20000000c9831b4b\")"},
            {"<pool type='scsi'><name>s</name><source><adapter name='host0' "
             "wwnn='20000000c9831b4b'/></source><target><path>/dev</path></target></pool>",
             "pool 's' (type 'scsi'): <adapter>: 'wwnn', 'wwpn', 'parent*' and 'managed' "
             "apply to type='fc_host' only"},
            {"<pool type='scsi'><name>s</name><source><adapter type='scsi_host'/>"
             "</source><target><path>/dev</path></target></pool>",
             "pool 's' (type 'scsi'): <adapter> needs 'name' (e.g. \"host0\") or "
             "<parentaddr>"},
            {"<pool type='iscsi-direct'><name>i</name><source><host name='h'/>"
             "<device path='iqn.2013-06.com.example:t'/></source></pool>",
             "pool 'i' (type 'iscsi-direct'): missing <source><initiator><iqn "
             "name='...'/>"},
            {"<pool type='rbd'><name>r</name><source><name>p</name><host name='m'/>"
             "<auth type='chap' username='u'><secret usage='s'/></auth></source></pool>",
             "pool 'r' (type 'rbd'): <auth type='chap'> does not apply to this pool type "
             "(chap is for iSCSI, ceph for rbd)"},
            {"<pool type='rbd'><name>r</name><source><host name='m'/></source></pool>",
             "pool 'r' (type 'rbd'): missing <source><name>"},
            {"<pool type='netfs'><name>n</name><source><host name='h'/>"
             "<dir path='export'/><format type='nfs'/></source>"
             "<target><path>/mnt</path></target></pool>",
             "pool 'n' (type 'netfs'): <source><dir path='export'> is not an absolute "
             "path"},
            {"<pool type='dir'><name>d</name><capacity>100</capacity>"
             "<allocation>200</allocation><target><path>/p</path></target></pool>",
             "pool 'd' (type 'dir'): <allocation> (200 bytes) is larger than <capacity> "
             "(100 bytes)"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def =
                    parse_ok(cases[i].xml, 0);
                VmmError error = VMM_ERROR_INIT;

                assert_int_equal(vmm_storage_pool_def_validate(def, &error), -EINVAL);
                assert_string_equal(vmm_error_message(&error), cases[i].message);
                vmm_error_clear(&error);
        }
}

static void test_validate_accepts(void **state)
{
        /* a cifs share's directory is relative to the share */
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def =
            parse_ok("<pool type='netfs'><name>c</name><source><host name='srv'/>"
                     "<dir path='share'/><format type='cifs'/></source>"
                     "<target><path>/mnt/c</path></target></pool>",
                     0);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_storage_pool_def_validate(def, &error), 0);
}

/* What the parser leaves to the schema: elements that do not belong to
 * the pool's type. */
static void test_schema_rejects(void **state)
{
        static const char *const docs[] = {
            "<pool type='dir'><name>d</name><source><host name='h'/></source>"
            "<target><path>/p</path></target></pool>",
            "<pool type='iscsi-direct'><name>i</name><source><host name='h'/>"
            "<device path='iqn.2013-06.com.example:t'/><initiator><iqn name='x'/>"
            "</initiator></source><target><path>/p</path></target></pool>",
            "<pool type='scsi'><name>s</name><source><adapter type='fc_host' "
            "wwnn='1' wwpn='2'/></source><target><path>/p</path></target></pool>",
        };

        for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmStoragePoolDef *def = NULL;

                assert_int_equal(
                    vmm_storage_pool_def_parse(docs[i], (size_t)-1, VMM_XML_VALIDATE, &def, &error),
                    -EINVAL);
                assert_null(def);
                if (strncmp(vmm_error_message(&error),
                            "does not match the storagepool schema: ", 38) != 0)
                        fail_msg("doc %zu: %s", i, vmm_error_message(&error));
                vmm_error_clear(&error);
                /* without the schema the parser takes it */
                def = parse_ok(docs[i], 0);
                vmm_storage_pool_def_free(def);
        }
}

static void test_fill_defaults(void **state)
{
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def =
            parse_ok("<pool type='logical'><name>vg0</name>"
                     "<source><device path='/dev/sdb1'/></source></pool>",
                     0);
        VmmError error = VMM_ERROR_INIT;
        uint8_t uuid[VMM_UUID_LEN], zero[VMM_UUID_LEN] = {0};

        assert_null(vmm_storage_pool_def_get_target_path(def));
        assert_int_equal(vmm_storage_pool_def_fill_defaults(def, &error), 0);
        assert_string_equal(vmm_storage_pool_def_get_source_name(def), "vg0");
        assert_string_equal(vmm_storage_pool_def_get_target_path(def), "/dev/vg0");
        vmm_storage_pool_def_get_uuid(def, uuid);
        assert_memory_not_equal(uuid, zero, VMM_UUID_LEN);
        assert_int_equal(vmm_storage_pool_def_validate(def, &error), 0);
}

static void test_keep_unknown(void **state)
{
        static const char xml[] = "<pool type='dir' colour='blue'><name>a</name>"
                                  "<future><knob level='3'/></future>"
                                  "<source><gadget/></source>"
                                  "<target><path>/p</path><extra>1</extra></target></pool>";
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = NULL;
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *again = NULL;
        _cleanup_free_ char *out = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        expect_parse_error(xml, "line 1: <pool>: unknown attribute 'colour'");
        def = parse_ok(xml, VMM_XML_KEEP_UNKNOWN);
        assert_int_equal(vmm_storage_pool_def_format(def, 0, &out, &error), 0);
        assert_non_null(strstr(out, "colour=\"blue\""));
        assert_non_null(strstr(out, "<future>\n    <knob level=\"3\"/>\n  </future>"));
        assert_non_null(strstr(out, "<gadget/>"));
        assert_non_null(strstr(out, "<extra>1</extra>"));
        again = parse_ok(out, VMM_XML_KEEP_UNKNOWN);
        if (!vmm_storage_pool_def_equal(def, again, &diff))
                fail_msg("kept content changed: %s", diff);
}

static void test_equal_reports_difference(void **state)
{
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *a =
            parse_ok("<pool type='dir'><name>a</name><target><path>/p</path>"
                     "<permissions><mode>0700</mode></permissions></target></pool>",
                     0);
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *b =
            parse_ok("<pool type='dir'><name>a</name><target><path>/q</path>"
                     "<permissions><mode>0711</mode></permissions></target></pool>",
                     0);
        _cleanup_free_ char *diff = NULL;

        assert_true(vmm_storage_pool_def_equal(a, a, NULL));
        assert_false(vmm_storage_pool_def_equal(a, b, &diff));
        assert_string_equal(diff, "target path: \"/p\" != \"/q\"; target permissions mode: 448 "
                                  "!= 457");
}

/* parse -> schema -> validate -> format -> schema -> parse -> equal */
static void roundtrip_file(const char *path)
{
        _cleanup_free_ char *xml = read_file(path);
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *a = NULL;
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *b = NULL;
        _cleanup_free_ char *out = NULL, *out2 = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_non_null(xml);
        if (vmm_storage_pool_def_parse(xml, (size_t)-1, VMM_XML_VALIDATE, &a, &error) < 0 ||
            vmm_storage_pool_def_validate(a, &error) < 0 ||
            vmm_storage_pool_def_format(a, 0, &out, &error) < 0 ||
            vmm_storage_pool_def_parse(out, (size_t)-1, VMM_XML_VALIDATE, &b, &error) < 0 ||
            vmm_storage_pool_def_format(b, 0, &out2, &error) < 0)
                fail_msg("%s: %s", path, vmm_error_message(&error));
        if (!vmm_storage_pool_def_equal(a, b, &diff))
                fail_msg("%s: models differ: %s", path, diff);
        assert_string_equal(out, out2);
}

static void test_roundtrip_fixtures(void **state)
{
        static const char *const files[] = {"pool-fs-mountopts.xml", "pool-rbd-config.xml",
                                            "pool-disk-extents.xml", "pool-fc-host.xml",
                                            "pool-vstorage.xml"};
        char path[4096];

        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                snprintf(path, sizeof(path), "%s/storage/%s", VMM_TEST_DATA_DIR, files[i]);
                roundtrip_file(path);
        }
}

static void test_fixture_values(void **state)
{
        char path[4096];
        _cleanup_free_ char *xml = NULL;
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = NULL;

        snprintf(path, sizeof(path), "%s/storage/pool-rbd-config.xml", VMM_TEST_DATA_DIR);
        xml = read_file(path);
        def = parse_ok(xml, 0);
        assert_int_equal(def->n_config_opts, 2);
        assert_string_equal(def->config_opts[1].name, "rados_osd_op_timeout");
        assert_string_equal(def->config_opts[1].value, "20");
        assert_int_equal(def->refresh_allocation, VMM_STORAGE_POOL_REFRESH_CAPACITY);
        assert_int_equal(def->source.n_hosts, 2);
        assert_false(def->source.hosts[1].has_port);
        free(xml);

        snprintf(path, sizeof(path), "%s/storage/pool-disk-extents.xml", VMM_TEST_DATA_DIR);
        xml = read_file(path);
        def = vmm_storage_pool_def_free(def);
        def = parse_ok(xml, 0);
        assert_true(vmm_storage_pool_def_get_capacity(def) == 16 * GiB);
        assert_int_equal(def->source.devices[0].part_separator, 1);
        assert_int_equal(def->source.devices[0].n_free_extents, 1);
        assert_true(def->source.devices[0].free_extents[0].end == UINT64_C(17179852288));
        assert_string_equal(vmm_storage_pool_def_get_source_format(def), "gpt");
}

/* Every pool document of libvirt's corpus that libvirt accepts. */
static void test_corpus(void **state)
{
        char dir[4096], path[4096 + 256];
        DIR *d;
        int n = 0;

        snprintf(dir, sizeof(dir), "%s/pool", VMM_CORPUS_DIR);
        d = opendir(dir);
        if (!d)
                skip();
        for (struct dirent *e; (e = readdir(d));) {
                size_t len = strlen(e->d_name);

                if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
                roundtrip_file(path);
                n++;
        }
        closedir(d);
        assert_int_equal(n, 24);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_iscsi_values),
            cmocka_unit_test(test_parse_any_order_and_optional_name),
            cmocka_unit_test(test_format_output),
            cmocka_unit_test(test_parse_errors),
            cmocka_unit_test(test_malformed_xml),
            cmocka_unit_test(test_validate_errors),
            cmocka_unit_test(test_validate_accepts),
            cmocka_unit_test(test_schema_rejects),
            cmocka_unit_test(test_fill_defaults),
            cmocka_unit_test(test_keep_unknown),
            cmocka_unit_test(test_equal_reports_difference),
            cmocka_unit_test(test_roundtrip_fixtures),
            cmocka_unit_test(test_fixture_values),
            cmocka_unit_test(test_corpus),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
