/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage volume XML: parsed values, pool context, output, errors, round trips. */
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

#include "conf/storage-vol-priv.h"
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

static char *read_fixture(const char *name)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/storage/%s", VMM_TEST_DATA_DIR, name);
        return read_file(path);
}

static VmmStorageVolDef *parse_ok(const char *xml, const char *pool_type, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStorageVolDef *def = NULL;
        int r = vmm_storage_vol_def_parse(xml, (size_t)-1, pool_type, flags, &def, &error);

        if (r < 0)
                fail_msg("parse failed: %s", vmm_error_message(&error));
        vmm_error_clear(&error);
        return def;
}

static void test_parse_values(void **state)
{
        _cleanup_free_ char *xml = read_fixture("vol-qcow2-full.xml");
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = NULL;
        const VmmStorageEncryption *enc;
        VmmError error = VMM_ERROR_INIT;

        assert_non_null(xml);
        def = parse_ok(xml, "dir", 0);
        assert_string_equal(vmm_storage_vol_def_get_name(def), "web1.qcow2");
        assert_string_equal(vmm_storage_vol_def_get_key(def), "/var/lib/vmm/images/web1.qcow2");
        assert_string_equal(vmm_storage_vol_def_get_path(def), "/var/lib/vmm/images/web1.qcow2");
        assert_string_equal(vmm_storage_vol_def_get_type(def), "file");
        assert_string_equal(vmm_storage_vol_def_get_pool_type(def), "dir");
        assert_string_equal(vmm_storage_vol_def_get_format(def), "qcow2");
        assert_true(vmm_storage_vol_def_get_capacity(def) == 20 * GiB);
        assert_true(vmm_storage_vol_def_get_allocation(def) == 196 * 1024);
        assert_true(def->physical.present && def->physical.bytes == 200 * 1024);
        assert_int_equal(def->target.perms.mode, 0600);
        assert_int_equal(def->target.perms.owner, 107);
        assert_true(def->target.timestamps.atime.sec == 1341933637);
        assert_int_equal(def->target.timestamps.atime.nsec, 273190990);
        assert_int_equal(def->target.timestamps.mtime.nsec, 47245000);
        assert_true(def->target.timestamps.ctime.present);
        assert_int_equal(def->target.timestamps.ctime.nsec, 0);
        assert_false(def->target.timestamps.btime.present);
        assert_string_equal(def->target.compat, "1.1");
        assert_true(def->target.cluster_size.bytes == 64 * 1024);
        assert_true(def->target.nocow);
        assert_true(def->target.lazy_refcounts);
        assert_false(def->target.extended_l2);
        assert_true(vmm_storage_vol_def_is_encrypted(def));
        enc = def->target.encryption;
        assert_int_equal(enc->format, VMM_STORAGE_ENCRYPTION_LUKS2);
        assert_int_equal(enc->engine, VMM_STORAGE_ENCRYPTION_ENGINE_QEMU);
        assert_int_equal(enc->n_secrets, 1);
        assert_false(enc->secrets[0].has_uuid);
        assert_string_equal(enc->secrets[0].usage, "/var/lib/vmm/images/web1.qcow2");
        assert_string_equal(vmm_storage_vol_def_get_backing_path(def),
                            "/var/lib/vmm/images/base.qcow2");
        assert_string_equal(vmm_storage_vol_def_get_backing_format(def), "qcow2");
        assert_true(def->backing.timestamps.mtime.sec == 1341930000);
        assert_int_equal(vmm_storage_vol_def_validate(def, &error), 0);
}

static void test_parse_extents_and_cipher(void **state)
{
        static const char xml[] =
            "<volume type='block'><name>lv0</name>"
            "<source><device path='/dev/sda2'><extent start='0' end='4194304'/>"
            "<extent start='8388608' end='12582912'/></device>"
            "<device path='/dev/sdb1'/></source>"
            "<target><path>/dev/vg/lv0</path><encryption format='luks'>"
            "<secret type='passphrase' uuid='f52a81b2-424e-490c-823d-6bd4235bc572'/>"
            "<cipher name='aes' size='256' mode='xts' hash='sha256'/>"
            "<ivgen name='plain64' hash='sha256'/></encryption></target></volume>";
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = parse_ok(xml, "logical", 0);
        const VmmStorageEncryption *enc = def->target.encryption;
        VmmError error = VMM_ERROR_INIT;

        assert_string_equal(vmm_storage_vol_def_get_type(def), "block");
        assert_int_equal(def->n_devices, 2);
        assert_int_equal(def->devices[0].n_extents, 2);
        assert_true(def->devices[0].extents[1].start == 8388608);
        assert_true(def->devices[0].extents[1].end == 12582912);
        assert_string_equal(def->devices[1].path, "/dev/sdb1");
        assert_int_equal(def->devices[1].n_extents, 0);
        assert_false(def->capacity.present);
        assert_true(enc->secrets[0].has_uuid);
        assert_int_equal(enc->secrets[0].uuid[0], 0xf5);
        assert_string_equal(enc->cipher_name, "aes");
        assert_int_equal(enc->cipher_size, 256);
        assert_string_equal(enc->cipher_mode, "xts");
        assert_string_equal(enc->ivgen_name, "plain64");
        assert_string_equal(enc->ivgen_hash, "sha256");
        assert_int_equal(vmm_storage_vol_def_validate(def, &error), 0);
}

/* The same document read for different pools: the format names differ. */
static void test_pool_context(void **state)
{
        static const char partition[] = "<volume><name>sda1</name>"
                                        "<target><format type='linux-lvm'/></target></volume>";
        static const char qcow2[] = "<volume><name>a</name>"
                                    "<target><format type='qcow2'/></target></volume>";
        static const struct {
                const char *xml;
                const char *pool;
                const char *message; /* NULL: accepted */
        } cases[] = {
            {partition, "disk", NULL},
            {partition, NULL, NULL},
            {partition, "dir",
             "line 1: <format type=...>: \"linux-lvm\" is not valid for a volume of a 'dir' "
             "pool (expected one of \"raw\", \"dir\", \"bochs\", \"cloop\", \"dmg\", "
             "\"iso\", \"vpc\", \"vdi\", \"fat\", \"vhd\", \"ploop\", \"luks\", \"cow\", "
             "\"qcow\", \"qcow2\", \"qed\", \"vmdk\")"},
            {qcow2, "dir", NULL},
            {qcow2, "netfs", NULL},
            {qcow2, NULL, NULL},
            {qcow2, "disk",
             "line 1: <format type=...>: \"qcow2\" is not valid for a volume of a 'disk' "
             "pool (expected one of \"none\", \"linux\", \"fat16\", \"fat32\", "
             "\"linux-swap\", \"linux-lvm\", \"linux-raid\", \"extended\")"},
            {qcow2, "logical", "line 1: <format>: a volume of a 'logical' pool has no format"},
            {qcow2, "iscsi", "line 1: <format>: a volume of a 'iscsi' pool has no format"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmStorageVolDef *def = NULL;
                VmmError error = VMM_ERROR_INIT;
                int r = vmm_storage_vol_def_parse(cases[i].xml, (size_t)-1, cases[i].pool, 0, &def,
                                                  &error);

                if (!cases[i].message) {
                        if (r < 0)
                                fail_msg("case %zu: %s", i, vmm_error_message(&error));
                        assert_non_null(vmm_storage_vol_def_get_format(def));
                        vmm_storage_vol_def_free(def);
                        continue;
                }
                assert_int_equal(r, -EINVAL);
                assert_null(def);
                assert_string_equal(vmm_error_message(&error), cases[i].message);
                vmm_error_clear(&error);
        }
}

static void test_unknown_pool_type(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStorageVolDef *def = NULL;

        assert_int_equal(vmm_storage_vol_def_parse("<volume><name>a</name></volume>", (size_t)-1,
                                                   "floppy", 0, &def, &error),
                         -EINVAL);
        assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
        assert_string_equal(vmm_error_message(&error),
                            "volume: pool type \"floppy\" is unknown (expected e.g. \"dir\", "
                            "\"logical\", \"disk\")");
        vmm_error_clear(&error);
        assert_null(def);
}

static void test_format_output(void **state)
{
        static const char in[] = "<volume type='file'>"
                                 "<target><permissions><mode>0644</mode></permissions>"
                                 "<format type='raw'/><path>/images/a.img</path></target>"
                                 "<allocation unit='M'>10</allocation>"
                                 "<capacity unit='G'>1</capacity><name>a.img</name>"
                                 "</volume>";
        static const char expected[] = "<volume type=\"file\">\n"
                                       "  <name>a.img</name>\n"
                                       "  <capacity unit=\"bytes\">1073741824</capacity>\n"
                                       "  <allocation unit=\"bytes\">10485760</allocation>\n"
                                       "  <target>\n"
                                       "    <path>/images/a.img</path>\n"
                                       "    <format type=\"raw\"/>\n"
                                       "    <permissions>\n"
                                       "      <mode>0644</mode>\n"
                                       "    </permissions>\n"
                                       "  </target>\n"
                                       "</volume>\n";
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = parse_ok(in, "dir", 0);
        _cleanup_free_ char *out = NULL, *out2 = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_storage_vol_def_format(def, 0, &out, &error), 0);
        assert_string_equal(out, expected);

        /* what a driver fills in shows in the output */
        assert_int_equal(vmm_storage_vol_def_set_path(def, "/pool/a.img"), 0);
        assert_int_equal(vmm_storage_vol_def_set_key(def, "/pool/a.img"), 0);
        vmm_storage_vol_def_set_sizes(def, 2048, 1024);
        assert_int_equal(vmm_storage_vol_def_format(def, 0, &out2, &error), 0);
        assert_non_null(strstr(out2, "  <key>/pool/a.img</key>\n"
                                     "  <capacity unit=\"bytes\">2048</capacity>\n"
                                     "  <allocation unit=\"bytes\">1024</allocation>\n"
                                     "  <target>\n    <path>/pool/a.img</path>\n"));
}

static void expect_parse_error(const char *xml, const char *pool, const char *message)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStorageVolDef *def = NULL;
        int r = vmm_storage_vol_def_parse(xml, (size_t)-1, pool, 0, &def, &error);

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
            {"<volume><key>k</key></volume>", "line 1: <volume>: missing <name>"},
            {"<volume type='tape'><name>a</name></volume>",
             "line 1: <volume type=...>: \"tape\" is not valid (expected one of \"file\", "
             "\"block\", \"dir\", \"network\", \"netdir\", \"ploop\")"},
            {"<volume><name>a</name>\n<capacity unit='furlongs'>3</capacity></volume>",
             "line 2: <capacity>: capacity: unit \"furlongs\" is unknown (expected one of b, "
             "bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E, "
             "EiB)"},
            {"<volume><name>a</name><size>3</size></volume>",
             "line 1: <volume>: unknown element <size>"},
            {"<volume><name>a</name><source><device path='/dev/sda'>\n"
             "<extent start='0'/></device></source></volume>",
             "line 2: <extent>: missing attribute 'end'"},
            {"<volume><name>a</name><source><device path='/dev/sda'>"
             "<extent start='0' end='-5'/></device></source></volume>",
             "line 1: <extent end=...>: end: \"-5\" is not a number"},
            {"<volume><name>a</name><target>\n<encryption format='aes'/></target></volume>",
             "line 2: <encryption format=...>: \"aes\" is not valid (expected one of "
             "\"default\", \"qcow\", \"luks\", \"luks2\", \"luks-any\")"},
            {"<volume><name>a</name><target><encryption format='luks'>"
             "<secret type='passphrase' uuid='f52a81b2-424e-490c-823d-6bd4235bc572' "
             "usage='x'/></encryption></target></volume>",
             "line 1: <secret>: both 'uuid' and 'usage' are given (expected one of them)"},
            {"<volume><name>a</name><target><encryption format='luks'>"
             "<secret type='key' usage='x'/></encryption></target></volume>",
             "line 1: <secret type=...>: \"key\" is not valid (expected one of "
             "\"passphrase\")"},
            {"<volume><name>a</name><target><encryption format='luks'>"
             "<secret type='passphrase'/></encryption></target></volume>",
             "line 1: <secret>: missing attribute 'uuid' or 'usage' naming the secret"},
            {"<volume><name>a</name><target><encryption format='luks'>"
             "<cipher name='aes'/></encryption></target></volume>",
             "line 1: <cipher>: missing attribute 'size' (the key size in bits, e.g. 256)"},
            {"<volume><name>a</name><target><encryption>"
             "</encryption></target></volume>",
             "line 1: <encryption>: missing attribute 'format' (expected e.g. \"luks\")"},
            {"<volume><name>a</name><target><compat>one</compat></target></volume>",
             "line 1: <compat>: \"one\" is not a valid version (expected e.g. \"1.1\")"},
            {"<volume><name>a</name><target><timestamps>\n<atime>yesterday</atime>"
             "</timestamps></target></volume>",
             "line 2: <atime>: \"yesterday\" is not a valid time (expected seconds since "
             "the epoch with up to 9 decimals, e.g. \"1341933637.273190990\")"},
            {"<volume><name>a</name><backingStore><path>/b</path>\n"
             "<encryption format='luks'/></backingStore></volume>",
             "line 2: <backingStore>: unknown element <encryption>"},
            {"<volume><name>a</name><target><features><zstd/></features></target>"
             "</volume>",
             "line 1: <features>: unknown element <zstd>"},
            {"<volume><name>a</name><target><permissions><mode>rwx</mode>"
             "</permissions></target></volume>",
             "line 1: <mode>: \"rwx\" is not a valid mode (expected an octal mode from "
             "0000 to 0777, e.g. \"0755\")"},
            {"<volume><name>a</name><target><path>/a</path>\n<path>/b</path></target>"
             "</volume>",
             "line 2: <target>: <path> is given twice (expected at most one)"},
            {"<volume><name>a</name><capacity>1</capacity><capacity>2</capacity>"
             "</volume>",
             "line 1: <volume>: <capacity> is given twice (expected at most one)"},
            {"<volume><name>a</name><target><encryption format='luks'>"
             "<cipher name='aes' size='256'/><cipher name='aes' size='128'/>"
             "</encryption></target></volume>",
             "line 1: <encryption>: <cipher> is given twice (expected at most one)"},
            {"<volume><name>a</name><target><format/></target></volume>",
             "line 1: <format>: missing attribute 'type' (e.g. \"qcow2\")"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                expect_parse_error(cases[i].xml, NULL, cases[i].message);
}

static void test_validate_errors(void **state)
{
        static const struct {
                const char *xml;
                const char *pool;
                const char *message;
        } cases[] = {
            {"<volume><name>a/b</name></volume>", NULL,
             "volume 'a/b': the name must not contain '/'"},
            {"<volume><name>v</name><source><device path='/dev/sda'>"
             "<extent start='20' end='10'/></device></source></volume>",
             NULL,
             "volume 'v': <device path='/dev/sda'>: extent ends (10) before it "
             "starts (20)"},
            {"<volume><name>v</name><backingStore><format type='raw'/></backingStore>"
             "</volume>",
             NULL, "volume 'v': <backingStore> has no <path>"},
            {"<volume><name>lv</name><capacity>100</capacity>"
             "<allocation>200</allocation></volume>",
             "logical",
             "volume 'lv': <allocation> (200 bytes) is larger than <capacity> "
             "(100 bytes), which a volume of a 'logical' pool cannot be"},
            {"<volume><name>v</name><target><format type='raw'/>"
             "<clusterSize>65536</clusterSize></target></volume>",
             "dir",
             "volume 'v': <clusterSize> applies to qcow2 volumes only, not to "
             "format 'raw'"},
            {"<volume><name>v</name><target><format type='qcow2'/><compat>0.10</compat>"
             "<features><lazy_refcounts/></features></target></volume>",
             "dir",
             "volume 'v': <lazy_refcounts/> needs <compat>1.1</compat> or later, "
             "not \"0.10\""},
            {"<volume><name>v</name><target><format type='qcow2'/>"
             "<clusterSize>1000</clusterSize></target></volume>",
             "dir",
             "volume 'v': <clusterSize> of 1000 bytes is not valid (expected a "
             "power of two from 512 bytes to 2 MiB, e.g. 64 KiB)"},
            {"<volume><name>v</name><target><encryption format='luks'/></target></volume>", NULL,
             "volume 'v': <encryption format='luks'>: missing <secret "
             "type='passphrase'> (a LUKS volume needs its passphrase)"},
            {"<volume><name>v</name><target><encryption format='qcow'>"
             "<secret type='passphrase' usage='u'/><cipher name='aes' size='128'/>"
             "</encryption></target></volume>",
             NULL,
             "volume 'v': <encryption format='qcow'>: <cipher> and <ivgen> apply "
             "to LUKS encryption only (expected format='luks')"},
            {"<volume><name>v</name><target><path>images/a</path></target></volume>", "dir",
             "volume 'v': <target><path> \"images/a\" is not an absolute path"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def =
                    parse_ok(cases[i].xml, cases[i].pool, 0);
                VmmError error = VMM_ERROR_INIT;

                assert_int_equal(vmm_storage_vol_def_validate(def, &error), -EINVAL);
                assert_string_equal(vmm_error_message(&error), cases[i].message);
                vmm_error_clear(&error);
        }
}

static void test_validate_accepts(void **state)
{
        /* a qcow2 file may take more room than its virtual size */
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def =
            parse_ok("<volume><name>q</name><capacity>100</capacity>"
                     "<allocation>200</allocation><target><format type='qcow2'/>"
                     "</target></volume>",
                     "dir", 0);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_storage_vol_def_validate(def, &error), 0);
}

static void test_schema_rejects(void **state)
{
        static const char *const docs[] = {
            "<volume><name>a</name><target><compat>1</compat></target></volume>",
            "<volume><name>a</name><target><encryption format='luks'>"
            "<secret type='passphrase' uuid='not-a-uuid'/></encryption></target></volume>",
            "<volume><name>a</name><capacity unit='G'>-1</capacity></volume>",
        };

        for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmStorageVolDef *def = NULL;

                assert_int_equal(vmm_storage_vol_def_parse(docs[i], (size_t)-1, NULL,
                                                           VMM_XML_VALIDATE, &def, &error),
                                 -EINVAL);
                assert_null(def);
                if (strncmp(vmm_error_message(&error),
                            "does not match the storagevol schema: ", 37) != 0)
                        fail_msg("doc %zu: %s", i, vmm_error_message(&error));
                vmm_error_clear(&error);
        }
}

static void test_keep_unknown(void **state)
{
        static const char xml[] = "<volume><name>a</name><hint>fast</hint>"
                                  "<target><path>/a</path><tier level='2'/></target></volume>";
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = NULL;
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *again = NULL;
        _cleanup_free_ char *out = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        expect_parse_error(xml, NULL, "line 1: <volume>: unknown element <hint>");
        def = parse_ok(xml, NULL, VMM_XML_KEEP_UNKNOWN);
        assert_int_equal(vmm_storage_vol_def_format(def, 0, &out, &error), 0);
        assert_non_null(strstr(out, "<hint>fast</hint>"));
        assert_non_null(strstr(out, "<tier level=\"2\"/>"));
        again = parse_ok(out, NULL, VMM_XML_KEEP_UNKNOWN);
        if (!vmm_storage_vol_def_equal(def, again, &diff))
                fail_msg("kept content changed: %s", diff);
}

static void test_equal_reports_difference(void **state)
{
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *a =
            parse_ok("<volume><name>a</name><capacity>1</capacity></volume>", NULL, 0);
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *b =
            parse_ok("<volume><name>a</name><capacity unit='KiB'>1</capacity>"
                     "<target><encryption format='qcow'/></target></volume>",
                     NULL, 0);
        _cleanup_free_ char *diff = NULL;

        assert_true(vmm_storage_vol_def_equal(a, a, NULL));
        assert_false(vmm_storage_vol_def_equal(a, b, &diff));
        assert_string_equal(diff, "capacity: 1 bytes != 1024 bytes; target: no != yes; "
                                  "target encryption: absent != present");
}

/* parse -> schema -> validate -> format -> schema -> parse -> equal */
static void roundtrip_file(const char *path, const char *pool)
{
        _cleanup_free_ char *xml = read_file(path);
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *a = NULL;
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *b = NULL;
        _cleanup_free_ char *out = NULL, *out2 = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;
        unsigned int flags = VMM_XML_VALIDATE;

        assert_non_null(xml);
        if (vmm_storage_vol_def_parse(xml, (size_t)-1, pool, flags, &a, &error) < 0 ||
            vmm_storage_vol_def_validate(a, &error) < 0 ||
            vmm_storage_vol_def_format(a, 0, &out, &error) < 0 ||
            vmm_storage_vol_def_parse(out, (size_t)-1, pool, flags, &b, &error) < 0 ||
            vmm_storage_vol_def_format(b, 0, &out2, &error) < 0)
                fail_msg("%s (pool %s): %s", path, strna(pool), vmm_error_message(&error));
        if (!vmm_storage_vol_def_equal(a, b, &diff))
                fail_msg("%s: models differ: %s", path, diff);
        assert_string_equal(out, out2);
}

static void test_roundtrip_fixtures(void **state)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/storage/vol-qcow2-full.xml", VMM_TEST_DATA_DIR);
        roundtrip_file(path, "dir");
        roundtrip_file(path, NULL);
        snprintf(path, sizeof(path), "%s/storage/vol-disk-partition.xml", VMM_TEST_DATA_DIR);
        roundtrip_file(path, "disk");
        roundtrip_file(path, NULL);
}

/* The pool libvirt's storagevolxml2xmltest reads each corpus file with. */
static const char *corpus_pool_type(const char *name)
{
        if (strncmp(name, "vol-logical", 11) == 0)
                return "logical";
        if (strncmp(name, "vol-", 4) == 0)
                return "dir";
        return NULL;
}

static void test_corpus(void **state)
{
        char dir[4096], path[4096 + 256];
        DIR *d;
        int n = 0;

        snprintf(dir, sizeof(dir), "%s/vol", VMM_CORPUS_DIR);
        d = opendir(dir);
        if (!d)
                skip();
        for (struct dirent *e; (e = readdir(d));) {
                size_t len = strlen(e->d_name);

                if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
                roundtrip_file(path, corpus_pool_type(e->d_name));
                roundtrip_file(path, NULL);
                n++;
        }
        closedir(d);
        assert_int_equal(n, 18);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_values),
            cmocka_unit_test(test_parse_extents_and_cipher),
            cmocka_unit_test(test_pool_context),
            cmocka_unit_test(test_unknown_pool_type),
            cmocka_unit_test(test_format_output),
            cmocka_unit_test(test_parse_errors),
            cmocka_unit_test(test_validate_errors),
            cmocka_unit_test(test_validate_accepts),
            cmocka_unit_test(test_schema_rejects),
            cmocka_unit_test(test_keep_unknown),
            cmocka_unit_test(test_equal_reports_difference),
            cmocka_unit_test(test_roundtrip_fixtures),
            cmocka_unit_test(test_corpus),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
