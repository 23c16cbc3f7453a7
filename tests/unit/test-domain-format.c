/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-format.c: the formatter's normalized output: sizes in KiB,
 * defaults shown after vmm_domain_def_fill_defaults(), the live id only
 * for active output, and idempotent defaults.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/domain-priv.h"
#include "util/error.h"
#include "util/macros.h"

static VmmDomainDef *parse(const char *xml)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;

        if (vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &error) < 0)
                fail_msg("%s", vmm_error_message(&error));
        return def;
}

static char *format(const VmmDomainDef *def, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;

        if (vmm_domain_def_format(def, flags, &xml, &error) < 0)
                fail_msg("%s", vmm_error_message(&error));
        return xml;
}

/* A minimal definition, once given defaults, shows them all. */
static void test_format_defaults_shown(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='qemu'><name>tiny</name>"
                  "<uuid>00000000-1111-2222-3333-444444444444</uuid>"
                  "<memory unit='MiB'>128</memory><os><type>hvm</type></os></domain>");
        _cleanup_free_ char *xml = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_def_fill_defaults(def, &error), 0);
        xml = format(def, 0);
        assert_string_equal(xml, "<domain type=\"qemu\">\n"
                                 "  <name>tiny</name>\n"
                                 "  <uuid>00000000-1111-2222-3333-444444444444</uuid>\n"
                                 "  <memory unit=\"KiB\">131072</memory>\n"
                                 "  <currentMemory unit=\"KiB\">131072</currentMemory>\n"
                                 "  <vcpu>1</vcpu>\n"
                                 "  <os>\n"
                                 "    <type>hvm</type>\n"
                                 "  </os>\n"
                                 "  <on_poweroff>destroy</on_poweroff>\n"
                                 "  <on_reboot>restart</on_reboot>\n"
                                 "  <on_crash>destroy</on_crash>\n"
                                 "</domain>\n");
}

/* Every size comes out in KiB, whatever unit it was given in. */
static void test_format_units_normalized(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='kvm'><name>u</name>"
                  "<maxMemory slots='2' unit='GiB'>4</maxMemory>"
                  "<memory unit='G'>2</memory><currentMemory unit='bytes'>1048576</currentMemory>"
                  "<memtune><hard_limit unit='MB'>1</hard_limit></memtune>"
                  "<features><smm state='on'><tseg>8</tseg></smm></features>"
                  "<cpu><numa><cell id='0' cpus='0' memory='1' unit='GiB'/></numa></cpu>"
                  "</domain>");
        _cleanup_free_ char *xml = format(def, 0);

        assert_non_null(strstr(xml, "<maxMemory unit=\"KiB\" slots=\"2\">4194304</maxMemory>"));
        assert_non_null(strstr(xml, "<memory unit=\"KiB\">2097152</memory>"));
        assert_non_null(strstr(xml, "<currentMemory unit=\"KiB\">1024</currentMemory>"));
        /* 1 MB = 1000000 bytes, rounded up to whole KiB */
        assert_non_null(strstr(xml, "<hard_limit unit=\"KiB\">977</hard_limit>"));
        /* <tseg> without a unit is in MiB */
        assert_non_null(strstr(xml, "<tseg unit=\"KiB\">8192</tseg>"));
        assert_non_null(strstr(xml, "<cell id=\"0\" cpus=\"0\" memory=\"1048576\" unit=\"KiB\"/>"));
}

/* The live id is shown only for active output. */
static void test_format_live_id(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='kvm' id='3'><name>l</name><memory>1024</memory></domain>");
        _cleanup_free_ char *active = NULL, *inactive = NULL;

        assert_int_equal(vmm_domain_def_get_id(def), 3);
        vmm_domain_def_set_id(def, 12);
        active = format(def, 0);
        inactive = format(def, VMM_DOMAIN_DEF_INACTIVE);
        assert_true(strncmp(active, "<domain type=\"kvm\" id=\"12\">\n", 28) == 0);
        assert_true(strncmp(inactive, "<domain type=\"kvm\">\n", 20) == 0);
}

/* Defaults are idempotent; a missing UUID becomes a random one, a given
 * one is kept. */
static void test_fill_defaults(void **state)
{
        const char *xml = "<domain type='test'><name>n</name><memory>2048</memory>"
                          "<currentMemory>1024</currentMemory></domain>";
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *a = parse(xml);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *b = parse(xml);
        _cleanup_free_ char *x1 = NULL, *x2 = NULL;
        VmmError error = VMM_ERROR_INIT;
        uint8_t ua[VMM_UUID_LEN], ub[VMM_UUID_LEN];

        assert_int_equal(vmm_domain_def_fill_defaults(a, &error), 0);
        assert_int_equal(vmm_domain_def_fill_defaults(b, &error), 0);
        vmm_domain_def_get_uuid(a, ua);
        vmm_domain_def_get_uuid(b, ub);
        assert_false(vmm_uuid_is_null(ua));
        assert_memory_not_equal(ua, ub, VMM_UUID_LEN);
        /* currentMemory given: kept */
        assert_int_equal(vmm_domain_def_get_current_memory_kib(a), 1024);
        x1 = format(a, 0);
        assert_int_equal(vmm_domain_def_fill_defaults(a, &error), 0);
        x2 = format(a, 0);
        assert_string_equal(x1, x2);
        vmm_domain_def_get_uuid(a, ub);
        assert_memory_equal(ua, ub, VMM_UUID_LEN);
}

/* With NUMA cells the memory size is their sum, as libvirt has it. */
static void test_fill_defaults_numa_memory(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='kvm'><name>n</name><vcpu>2</vcpu>"
                  "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/>"
                  "<cell id='1' cpus='1' memory='256' unit='MiB'/></numa></cpu></domain>");
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_def_fill_defaults(def, &error), 0);
        assert_int_equal(vmm_domain_def_get_memory_kib(def), 768 * 1024);
        assert_int_equal(vmm_domain_def_get_current_memory_kib(def), 768 * 1024);
}

static void test_set_current_memory_clamped(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='kvm'><name>m</name><memory>4096</memory></domain>");

        vmm_domain_def_set_current_memory_kib(def, 1024);
        assert_int_equal(vmm_domain_def_get_current_memory_kib(def), 1024);
        vmm_domain_def_set_current_memory_kib(def, 99999);
        assert_int_equal(vmm_domain_def_get_current_memory_kib(def), 4096);
}

/* Tristates keep their form: yes/no attributes stay yes/no, on/off stay
 * on/off, and absent ones stay absent. */
static void test_format_tristates(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = parse(
            "<domain type='kvm'><name>t</name><memory dumpCore='on'>1024</memory>"
            "<os><type>hvm</type><loader readonly='no'>/l.fd</loader><bootmenu enable='no'/></os>"
            "<cpu mode='host-model' migratable='off'/>"
            "<clock offset='utc'><timer name='pit' present='yes'/><timer name='tsc'/></clock>"
            "</domain>");
        _cleanup_free_ char *xml = format(def, 0);

        assert_non_null(strstr(xml, "<memory unit=\"KiB\" dumpCore=\"on\">1024</memory>"));
        assert_non_null(strstr(xml, "<loader readonly=\"no\">/l.fd</loader>"));
        assert_non_null(strstr(xml, "<bootmenu enable=\"no\"/>"));
        assert_non_null(strstr(xml, "<cpu mode=\"host-model\" migratable=\"off\"/>"));
        assert_non_null(strstr(xml, "<timer name=\"pit\" present=\"yes\"/>"));
        assert_non_null(strstr(xml, "<timer name=\"tsc\"/>"));
}

/* Text is escaped on output. */
static void test_format_escapes(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def =
            parse("<domain type='kvm'><name>a&amp;b</name><memory>1024</memory>"
                  "<description>&lt;b&gt; &quot;x&quot;</description>"
                  "<os><type>hvm</type><cmdline>a=&apos;1&apos; &amp;&amp; b</cmdline></os>"
                  "</domain>");
        _cleanup_free_ char *xml = format(def, 0);

        assert_string_equal(vmm_domain_def_get_name(def), "a&b");
        assert_non_null(strstr(xml, "<name>a&amp;b</name>"));
        assert_non_null(strstr(xml, "<description>&lt;b&gt; \"x\"</description>"));
        assert_non_null(strstr(xml, "<cmdline>a='1' &amp;&amp; b</cmdline>"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_format_defaults_shown),
            cmocka_unit_test(test_format_units_normalized),
            cmocka_unit_test(test_format_live_id),
            cmocka_unit_test(test_fill_defaults),
            cmocka_unit_test(test_fill_defaults_numa_memory),
            cmocka_unit_test(test_set_current_memory_clamped),
            cmocka_unit_test(test_format_tristates),
            cmocka_unit_test(test_format_escapes),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
