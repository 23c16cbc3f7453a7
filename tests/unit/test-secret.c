/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The <secret> model: parsing, formatting, checks, comparison, and the
 * corpus of libvirt's secret documents. */
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

#include "conf/secret.h"
#include "conf/xml-util.h"
#include "util/error.h"

static VmmSecretDef *parse_ok(const char *xml, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmSecretDef *def = NULL;
        int r = vmm_secret_def_parse(xml, (size_t)-1, flags, &def, &error);

        if (r < 0)
                fail_msg("parse failed: %s", vmm_error_message(&error));
        assert_non_null(def);
        return def;
}

static void assert_parse_error(const char *xml, const char *message)
{
        VmmError error = VMM_ERROR_INIT;
        VmmSecretDef *def = NULL;

        assert_int_equal(vmm_secret_def_parse(xml, (size_t)-1, 0, &def, &error), -EINVAL);
        assert_null(def);
        assert_int_equal(error.kind, VMM_ERR_XML);
        assert_string_equal(vmm_error_message(&error), message);
        vmm_error_clear(&error);
}

static void test_secret_parse_values(void **state)
{
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *def =
            parse_ok("<secret ephemeral='yes' private='no'>\n"
                     "  <description>disk passphrase</description>\n"
                     "  <uuid>22E1353D-C27E-4D6D-BF15-465053E6BA0B</uuid>\n"
                     "  <usage type='volume'><volume>/var/lib/vmm/images/a.img</volume></usage>\n"
                     "</secret>",
                     0);
        char buf[VMM_UUID_STRLEN];

        assert_true(def->ephemeral);
        assert_false(def->is_private);
        assert_true(def->has_uuid);
        assert_string_equal(vmm_uuid_format(def->uuid, buf),
                            "22e1353d-c27e-4d6d-bf15-465053e6ba0b");
        assert_string_equal(def->description, "disk passphrase");
        assert_int_equal(def->usage_type, VMM_SECRET_USAGE_VOLUME);
        assert_string_equal(def->usage_id, "/var/lib/vmm/images/a.img");
}

static void test_secret_usage_kinds(void **state)
{
        static const struct {
                const char *xml;
                VmmSecretUsageType type;
                const char *id;
        } cases[] = {
            {"<secret><usage type='ceph'><name>client.admin secret</name></usage></secret>",
             VMM_SECRET_USAGE_CEPH, "client.admin secret"},
            {"<secret><usage type='iscsi'><target>libvirtiscsi</target></usage></secret>",
             VMM_SECRET_USAGE_ISCSI, "libvirtiscsi"},
            {"<secret><usage type='tls'><name>webcert</name></usage></secret>",
             VMM_SECRET_USAGE_TLS, "webcert"},
            {"<secret><usage type='vtpm'><name>VTPM_example</name></usage></secret>",
             VMM_SECRET_USAGE_VTPM, "VTPM_example"},
            {"<secret/>", VMM_SECRET_USAGE_NONE, NULL},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_(vmm_secret_def_freep) VmmSecretDef *def = parse_ok(cases[i].xml, 0);

                assert_int_equal(def->usage_type, cases[i].type);
                if (cases[i].id)
                        assert_string_equal(def->usage_id, cases[i].id);
                else
                        assert_null(def->usage_id);
                /* absent attributes mean "no" */
                assert_false(def->ephemeral);
                assert_false(def->is_private);
        }
}

static void test_secret_format(void **state)
{
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *def =
            parse_ok("<secret private='yes'><usage type='iscsi'><target>t1</target></usage>"
                     "<uuid>27f25d34aea64e2abe85fa2c18380be8</uuid></secret>",
                     0);
        _cleanup_free_ char *xml = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_secret_def_format(def, 0, &xml, &error), 0);
        assert_string_equal(xml, "<secret ephemeral=\"no\" private=\"yes\">\n"
                                 "  <uuid>27f25d34-aea6-4e2a-be85-fa2c18380be8</uuid>\n"
                                 "  <usage type=\"iscsi\">\n"
                                 "    <target>t1</target>\n"
                                 "  </usage>\n"
                                 "</secret>\n");
}

static void test_secret_parse_errors(void **state)
{
        assert_parse_error("<secret ephemeral='maybe'/>",
                           "line 1: <secret ephemeral=...>: \"maybe\" is not valid (expected "
                           "\"yes\" or \"no\")");
        assert_parse_error("<secret>\n<usage type='disk'><name>x</name></usage></secret>",
                           "line 2: <usage type=...>: \"disk\" is not valid (expected one of "
                           "\"none\", \"volume\", \"ceph\", \"iscsi\", \"tls\", \"vtpm\")");
        assert_parse_error("<secret>\n<usage type='ceph'>\n<volume>/a</volume></usage></secret>",
                           "line 3: <usage>: unknown element <volume>");
        assert_parse_error("<secret>\n<usage type='tls'/></secret>",
                           "line 2: <usage>: usage type 'tls' needs a <name> element");
        assert_parse_error("<secret>\n<uuid>1234</uuid></secret>",
                           "line 2: <uuid>: UUID \"1234\" is malformed (expected 32 hexadecimal "
                           "digits as \"c7a5fdbd-cdaf-9455-926a-d65c16db1809\")");
        assert_parse_error("<secret>\n<colour>red</colour></secret>",
                           "line 2: <secret>: unknown element <colour>");
        assert_parse_error("<secret>\n<uuid>22e1353d-c27e-4d6d-bf15-465053e6ba0b</uuid>\n"
                           "<uuid>22e1353d-c27e-4d6d-bf15-465053e6ba0c</uuid></secret>",
                           "line 2: <uuid>: appears more than once (expected at most one)");
        assert_parse_error("<network/>", "line 1: root element is <network>, expected <secret>");
}

static void test_secret_validate(void **state)
{
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *rel = parse_ok(
            "<secret><usage type='volume'><volume>images/a.img</volume></usage></secret>", 0);
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *empty =
            parse_ok("<secret><usage type='ceph'><name></name></usage></secret>", 0);
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *good =
            parse_ok("<secret><usage type='ceph'><name>client.admin</name></usage></secret>", 0);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_secret_def_validate(rel, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error),
                            "secret: <usage type='volume'>: \"images/a.img\" is not an absolute "
                            "path (expected e.g. \"/var/lib/vmm/images/disk.img\")");
        vmm_error_clear(&error);
        assert_int_equal(vmm_secret_def_validate(empty, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error),
                            "secret: <usage type='ceph'>: <name> is empty (expected a name)");
        vmm_error_clear(&error);
        assert_int_equal(vmm_secret_def_validate(good, &error), 0);
}

static void test_secret_equal_and_defaults(void **state)
{
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *a =
            parse_ok("<secret><usage type='tls'><name>a</name></usage></secret>", 0);
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *b =
            parse_ok("<secret><usage type='tls'><name>b</name></usage></secret>", 0);
        _cleanup_free_ char *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_false(vmm_secret_def_equal(a, b, &diff));
        assert_string_equal(diff, "usage id: \"a\" != \"b\"");
        assert_false(a->has_uuid);
        assert_int_equal(vmm_secret_def_fill_defaults(a, &error), 0);
        assert_true(a->has_uuid);
        assert_false(vmm_uuid_is_null(a->uuid));
}

static void test_secret_keep_unknown(void **state)
{
        static const char xml[] = "<secret private='yes' colour='red'>\n"
                                  "  <future>kept</future>\n"
                                  "</secret>";
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *def = parse_ok(xml, VMM_XML_KEEP_UNKNOWN);
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *again = NULL;
        _cleanup_free_ char *out = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_secret_def_format(def, 0, &out, &error), 0);
        assert_non_null(strstr(out, "<future>kept</future>"));
        assert_non_null(strstr(out, "colour=\"red\""));
        assert_int_equal(
            vmm_secret_def_parse(out, (size_t)-1, VMM_XML_KEEP_UNKNOWN, &again, &error), 0);
        assert_true(vmm_secret_def_equal(def, again, NULL));
}

/* Every document of ../shared/corpus/secret: schema, parse, check,
 * format, schema again, parse again, same model. */
static void test_secret_corpus(void **state)
{
        char dir[4096];
        struct dirent *de;
        size_t n = 0;
        DIR *d;

        snprintf(dir, sizeof(dir), "%s/secret", VMM_CORPUS_DIR);
        d = opendir(dir);
        if (!d)
                skip();
        while ((de = readdir(d))) {
                _cleanup_(vmm_secret_def_freep) VmmSecretDef *a = NULL, *b = NULL;
                _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL, out_doc = NULL;
                _cleanup_free_ char *xml = NULL, *out = NULL, *diff = NULL;
                VmmError error = VMM_ERROR_INIT;
                char path[8192];
                FILE *f;
                long len;

                if (!strstr(de->d_name, ".xml"))
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                f = fopen(path, "r");
                assert_non_null(f);
                fseek(f, 0, SEEK_END);
                len = ftell(f);
                rewind(f);
                xml = calloc(1, (size_t)len + 1);
                assert_int_equal(fread(xml, 1, (size_t)len, f), (size_t)len);
                fclose(f);
                if (vmm_xml_parse(xml, (size_t)len, de->d_name, &doc, &error) < 0 ||
                    vmm_xml_validate(doc, "secret", &error) < 0 ||
                    vmm_secret_def_parse(xml, (size_t)len, 0, &a, &error) < 0 ||
                    vmm_secret_def_validate(a, &error) < 0 ||
                    vmm_secret_def_format(a, 0, &out, &error) < 0 ||
                    vmm_xml_parse(out, (size_t)-1, "output", &out_doc, &error) < 0 ||
                    vmm_xml_validate(out_doc, "secret", &error) < 0 ||
                    vmm_secret_def_parse(out, (size_t)-1, 0, &b, &error) < 0)
                        fail_msg("%s: %s", de->d_name, vmm_error_message(&error));
                if (!vmm_secret_def_equal(a, b, &diff))
                        fail_msg("%s: models differ: %s", de->d_name, diff);
                n++;
        }
        closedir(d);
        assert_int_equal(n, 5);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_secret_parse_values),
            cmocka_unit_test(test_secret_usage_kinds),
            cmocka_unit_test(test_secret_format),
            cmocka_unit_test(test_secret_parse_errors),
            cmocka_unit_test(test_secret_validate),
            cmocka_unit_test(test_secret_equal_and_defaults),
            cmocka_unit_test(test_secret_keep_unknown),
            cmocka_unit_test(test_secret_corpus),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
