/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table of configuration kinds and the end-to-end document check
 * (libvmm/conf/conf-kind.c) that vmm-xml and the corpus test use. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf-kind.h"

/* One small document per kind, each valid and round-tripping. */
static const struct {
        const char *kind;
        const char *xml;
} docs[] = {
    {"domain", "<domain type='test'><name>a</name><memory unit='MiB'>64</memory>"
               "<vcpu>1</vcpu><os><type>hvm</type></os></domain>"},
    {"network", "<network><name>n1</name><bridge name='br9'/></network>"},
    {"pool", "<pool type='dir'><name>p1</name><target><path>/var/p1</path></target></pool>"},
    {"volume", "<volume><name>v1</name><capacity unit='MiB'>5</capacity>"
               "<target><path>/var/p1/v1</path></target></volume>"},
    {"secret", "<secret ephemeral='no' private='yes'><description>disk key</description>"
               "<usage type='volume'><volume>/var/p1/v1</volume></usage></secret>"},
    {"nodedev", "<device><name>net_eth0</name><parent>computer</parent>"
                "<capability type='net'><interface>eth0</interface>"
                "<address>52:54:00:00:00:01</address></capability></device>"},
};

static void test_lookup(void **state)
{
        static const struct {
                const char *name, *root, *schema;
        } expect[] = {
            {"domain", "domain", "domain"},  {"network", "network", "network"},
            {"pool", "pool", "storagepool"}, {"volume", "volume", "storagevol"},
            {"secret", "secret", "secret"},  {"nodedev", "device", "nodedev"},
        };

        for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
                const VmmConfKind *k = vmm_conf_kind_by_name(expect[i].name);

                assert_non_null(k);
                assert_ptr_equal(vmm_conf_kind_by_root(expect[i].root), k);
                assert_ptr_equal(vmm_conf_kind_get(k->id), k);
                assert_string_equal(k->schema, expect[i].schema);
                assert_int_equal(vmm_conf_kind_check_available(k, NULL), 0);
        }
        assert_ptr_equal(vmm_conf_kind_by_name("vol"), vmm_conf_kind_by_name("volume"));
        assert_null(vmm_conf_kind_by_name("frob"));
        assert_null(vmm_conf_kind_by_root("nodedev"));
        assert_null(vmm_conf_kind_get(_VMM_CONF_KIND_MAX));
}

static void test_detect(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        const VmmConfKind *k = NULL;

        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
                assert_int_equal(vmm_conf_kind_detect(docs[i].xml, (size_t)-1, "doc", &k, &error),
                                 0);
                assert_ptr_equal(k, vmm_conf_kind_by_name(docs[i].kind));
        }
        assert_int_equal(vmm_conf_kind_detect("<frob/>", (size_t)-1, "x.xml", &k, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "x.xml: line 1: root element <frob> "
                                                          "is not a known configuration"));
        assert_non_null(strstr(vmm_error_message(&error), "<domain>"));
        assert_int_equal(vmm_conf_kind_detect("<domain>", (size_t)-1, "x.xml", &k, &error),
                         -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "malformed XML"));
        vmm_error_clear(&error);
}

static void test_roundtrip_each_kind(void **state)
{
        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
                VmmConfCheck check = VMM_CONF_CHECK_INIT;

                if (vmm_conf_check(docs[i].xml, (size_t)-1, "doc", VMM_CONF_CHECK_ROUNDTRIP,
                                   &check) < 0)
                        fail_msg("%s: %s: %s", docs[i].kind, vmm_conf_stage_to_string(check.stage),
                                 vmm_error_message(&check.error));
                assert_int_equal(check.stage, VMM_CONF_STAGE_OK);
                assert_string_equal(check.kind->name, docs[i].kind);
                assert_non_null(check.formatted);
                /* the formatted document checks again, to the same text */
                {
                        VmmConfCheck again = VMM_CONF_CHECK_INIT;

                        assert_int_equal(vmm_conf_check(check.formatted, (size_t)-1, "formatted",
                                                        VMM_CONF_CHECK_ROUNDTRIP, &again),
                                         0);
                        assert_string_equal(again.formatted, check.formatted);
                        vmm_conf_check_done(&again);
                }
                vmm_conf_check_done(&check);
        }
}

static void test_failure_stages(void **state)
{
        static const struct {
                const char *xml;
                VmmConfStage stage;
                const char *message; /* a part of the message */
        } cases[] = {
            {"<domain", VMM_CONF_STAGE_PARSE, "malformed XML"},
            {"<frob/>", VMM_CONF_STAGE_PARSE, "<frob>"},
            {"<domain type='test'><name>a</name><memory>abc</memory>"
             "<os><type>hvm</type></os></domain>",
             VMM_CONF_STAGE_PARSE, "<memory>"},
            {"<domain type='test'><name>a</name><memory unit='MiB'>64</memory>"
             "<currentMemory unit='MiB'>128</currentMemory><vcpu>1</vcpu>"
             "<os><type>hvm</type></os></domain>",
             VMM_CONF_STAGE_VALIDATE, "<currentMemory>"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmConfCheck check = VMM_CONF_CHECK_INIT;

                assert_true(vmm_conf_check(cases[i].xml, (size_t)-1, "doc",
                                           VMM_CONF_CHECK_ROUNDTRIP, &check) < 0);
                if (check.stage != cases[i].stage)
                        fail_msg("case %zu: stage %s, expected %s (%s)", i,
                                 vmm_conf_stage_to_string(check.stage),
                                 vmm_conf_stage_to_string(cases[i].stage),
                                 vmm_error_message(&check.error));
                if (!strstr(vmm_error_message(&check.error), cases[i].message))
                        fail_msg("case %zu: message '%s' lacks '%s'", i,
                                 vmm_error_message(&check.error), cases[i].message);
                assert_false(vmm_conf_stage_is_roundtrip(check.stage));
                assert_null(check.formatted);
                vmm_conf_check_done(&check);
        }
}

static void test_stage_names(void **state)
{
        assert_string_equal(vmm_conf_stage_to_string(VMM_CONF_STAGE_OK), "ok");
        assert_string_equal(vmm_conf_stage_to_string(VMM_CONF_STAGE_OUTPUT_SCHEMA),
                            "output-schema");
        assert_string_equal(vmm_conf_stage_to_string(VMM_CONF_STAGE_EQUAL), "equal");
        assert_string_equal(vmm_conf_stage_to_string(VMM_CONF_STAGE_FIXED_POINT), "fixed-point");
        assert_true(vmm_conf_stage_is_roundtrip(VMM_CONF_STAGE_FIXED_POINT));
        assert_string_equal(vmm_conf_stage_to_string(_VMM_CONF_STAGE_MAX), "unknown");
        assert_true(vmm_conf_stage_is_roundtrip(VMM_CONF_STAGE_REPARSE));
        assert_false(vmm_conf_stage_is_roundtrip(VMM_CONF_STAGE_SCHEMA));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_lookup),
            cmocka_unit_test(test_detect),
            cmocka_unit_test(test_roundtrip_each_kind),
            cmocka_unit_test(test_failure_stages),
            cmocka_unit_test(test_stage_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
