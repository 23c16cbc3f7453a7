/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-parse.c: the <domain> parser, top level: values read from
 * fixtures, error messages for bad input (with line numbers), safety
 * limits (size, entities), order independence, unknown content, and
 * parse -> format -> parse equality.
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

static char *read_fixture(const char *name)
{
        char path[1024];
        FILE *f;
        char *buf;
        long n;

        snprintf(path, sizeof(path), "%s/domain/%s", VMM_TEST_DATA_DIR, name);
        f = fopen(path, "re");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        rewind(f);
        buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

static VmmDomainDef *parse_fixture(const char *name, unsigned int flags)
{
        _cleanup_free_ char *xml = read_fixture(name);
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;
        int r = vmm_domain_def_parse(xml, (size_t)-1, flags, &def, &error);

        if (r < 0)
                fail_msg("%s: %s", name, vmm_error_message(&error));
        return def;
}

static void test_parse_full_values(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = parse_fixture("full.xml", 0);
        static const uint8_t uuid[VMM_UUID_LEN] = {0xc7, 0xa5, 0xfd, 0xbd, 0xed, 0xaf, 0x94, 0x55,
                                                   0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09};
        uint8_t got[VMM_UUID_LEN];

        assert_string_equal(vmm_domain_def_get_name(def), "web1");
        assert_string_equal(vmm_domain_def_get_virt_type(def), "kvm");
        vmm_domain_def_get_uuid(def, got);
        assert_memory_equal(got, uuid, VMM_UUID_LEN);
        assert_string_equal(def->title, "Web server");
        assert_string_equal(def->description, "Front end & cache");
        assert_int_equal(def->metadata.n_nodes, 1);
        /* sizes in KiB whatever the unit given */
        assert_int_equal(vmm_domain_def_get_memory_kib(def), 1024 * 1024);
        assert_int_equal(vmm_domain_def_get_current_memory_kib(def), 512 * 1024);
        assert_int_equal(def->max_memory_kib, 8 * 1024 * 1024);
        assert_int_equal(def->max_memory_slots, 16);
        assert_int_equal(def->memory_backing.pages[0].size_kib, 2048);
        assert_int_equal(vmm_domain_def_get_max_vcpus(def), 4);
        assert_int_equal(vmm_domain_def_get_vcpus(def), 2);
        assert_string_equal(def->vcpu_cpuset, "0-3,^2");
        /* os */
        assert_string_equal(vmm_domain_def_get_os_type(def), "hvm");
        assert_string_equal(def->os.arch, "x86_64");
        assert_string_equal(def->os.machine, "q35");
        assert_string_equal(def->os.loader_path, "/usr/share/OVMF/OVMF_CODE.fd");
        assert_int_equal(def->os.loader_readonly, 1);
        assert_int_equal(def->os.loader_secure, 0);
        assert_string_equal(def->os.cmdline, "console=ttyS0 root=/dev/vda1");
        assert_int_equal(def->os.n_boot, 2);
        assert_string_equal(def->os.acpi_tables[2], "/var/lib/vmm/slic.dat");
        assert_int_equal(def->os.bootmenu_timeout, 3000);
        /* features: present ones only */
        assert_true(def->features.f[VMM_DOMAIN_FEATURE_ACPI].present);
        assert_true(def->features.f[VMM_DOMAIN_FEATURE_PAE].present);
        assert_string_equal(def->features.f[VMM_DOMAIN_FEATURE_APIC].attr, "on");
        assert_false(def->features.f[VMM_DOMAIN_FEATURE_HAP].present);
        assert_true(vmm_domain_def_has_feature(def, "acpi"));
        assert_true(vmm_domain_def_has_feature(def, "smm"));
        assert_false(vmm_domain_def_has_feature(def, "hap"));
        assert_false(vmm_domain_def_has_feature(def, "warp-drive"));
        assert_string_equal(vmm_domain_def_get_arch(def), "x86_64");
        assert_string_equal(vmm_domain_def_get_machine(def), "q35");
        assert_string_equal(vmm_domain_def_get_kernel(def), "/boot/vmlinuz");
        assert_string_equal(vmm_domain_def_get_initrd(def), "/boot/initrd.img");
        assert_int_equal(def->features.f[VMM_DOMAIN_FEATURE_SMM].size_kib, 48 * 1024);
        assert_int_equal(def->features.f[VMM_DOMAIN_FEATURE_HYPERV].n_children, 3);
        assert_string_equal(def->features.f[VMM_DOMAIN_FEATURE_HYPERV].children[1].value, "4096");
        /* cpu */
        assert_string_equal(def->cpu.model, "Haswell");
        assert_int_equal(def->cpu.cores, 2);
        assert_int_equal(def->cpu.threads, 2);
        assert_int_equal(def->cpu.n_features, 2);
        assert_string_equal(def->cpu.features[1].name, "pcid");
        assert_int_equal(def->cpu.numa.n_cells, 1);
        assert_int_equal(def->cpu.numa.cells[0].memory_kib, 1024 * 1024);
        /* clock */
        assert_string_equal(def->clock.adjustment, "-3600");
        assert_int_equal(def->clock.n_timers, 2);
        assert_int_equal(def->clock.timers[0].catchup_limit, 10000);
        assert_int_equal(def->clock.timers[1].present, 0);
        /* life cycle, tuning, misc */
        assert_int_equal(def->on_crash, VMM_DOMAIN_LIFECYCLE_COREDUMP_RESTART);
        assert_int_equal(def->tune.value[VMM_CPUTUNE_QUOTA], -1);
        assert_int_equal(def->tune.n_iothreadids, 2);
        assert_int_equal(def->tune.iothreadids[0].poll_max, 32768);
        assert_int_equal(def->misc.pm_suspend_to_disk, 1);
        assert_int_equal(def->misc.n_perf_events, 2);
        assert_string_equal(def->misc.perf_events[1], "mbmt");
        assert_int_equal(def->misc.perf_enabled[1], 0);
        assert_string_equal(def->misc.seclabels[0].baselabel, "system_u:system_r:svirt_t:s0");
        /* the namespaced qemu:commandline is kept */
        assert_int_equal(def->extensions.n_nodes, 1);
        assert_int_equal(vmm_domain_def_get_id(def), -1);
}

typedef struct BadCase {
        const char *what;
        const char *xml;
        int code;
        const char *expect[3]; /* substrings the message must hold */
} BadCase;

#define HEAD "<domain type='kvm'><name>d</name>"

static const BadCase bad_cases[] = {
    {"malformed XML names line and column",
     "<domain type='kvm'>\n  <name>d</name>\n  <memory>1</memry>\n</domain>",
     -EINVAL,
     {"line 3", "column", "malformed XML"}},
    {"unknown top-level element",
     "<domain type='kvm'>\n<name>d</name>\n<memory>1</memory>\n<frobnicate/>\n</domain>",
     -EINVAL,
     {"line 4", "unknown element <frobnicate>", NULL}},
    {"unknown attribute in a section",
     HEAD "<memory>1</memory>\n<os colour='red'><type>hvm</type></os></domain>",
     -EINVAL,
     {"line 2", "<os>", "unknown attribute 'colour'"}},
    {"unknown element in a section",
     HEAD "<memory>1</memory><cpu>\n<turbo/></cpu></domain>",
     -EINVAL,
     {"line 2", "<cpu>", "unknown element <turbo>"}},
    {"memory not a number",
     HEAD "\n<memory unit='MiB'>abc</memory></domain>",
     -EINVAL,
     {"line 2", "<memory>", "\"abc\" is not a number"}},
    {"memory unit unknown",
     HEAD "<memory unit='furlongs'>3</memory></domain>",
     -EINVAL,
     {"<memory>", "furlongs", NULL}},
    {"missing name",
     "<domain type='kvm'>\n<memory>1</memory></domain>",
     -EINVAL,
     {"<domain>", "missing <name>", NULL}},
    {"missing type",
     "<domain><name>d</name></domain>",
     -EINVAL,
     {"<domain>", "missing attribute 'type'", NULL}},
    {"unknown virtualization type",
     "<domain type='potato'><name>d</name></domain>",
     -EINVAL,
     {"type", "\"potato\" is not valid", "\"kvm\""}},
    {"bad uuid", HEAD "<uuid>not-a-uuid</uuid></domain>", -EINVAL, {"<uuid>", "not-a-uuid", NULL}},
    {"vcpu not a number",
     HEAD "<vcpu>two</vcpu></domain>",
     -EINVAL,
     {"<vcpu>", "\"two\" is not a number", NULL}},
    {"bad life cycle action",
     HEAD "<on_crash>explode</on_crash></domain>",
     -EINVAL,
     {"<on_crash>", "\"explode\" is not valid", "\"coredump-restart\""}},
    {"element given twice",
     HEAD "<memory>1</memory>\n<memory>2</memory></domain>",
     -EINVAL,
     {"line 2", "<memory>", "given twice"}},
    {"os without type",
     HEAD "<os><boot dev='hd'/></os></domain>",
     -EINVAL,
     {"<os>", "missing <type>", NULL}},
    {"bad boot device",
     HEAD "<os><type>hvm</type><boot dev='usb'/></os></domain>",
     -EINVAL,
     {"<boot dev=...>", "\"usb\"", "\"network\""}},
    {"bad feature value",
     HEAD "<features><apic eoi='maybe'/></features></domain>",
     -EINVAL,
     {"<apic eoi=...>", "\"maybe\"", "\"on\""}},
    {"bad clock offset",
     HEAD "<clock offset='mars'/></domain>",
     -EINVAL,
     {"<clock offset=...>", "\"mars\"", NULL}},
    {"duplicate timer",
     HEAD "<clock offset='utc'><timer name='rtc'/>\n<timer name='rtc'/></clock></domain>",
     -EINVAL,
     {"line 2", "timer 'rtc' given twice", NULL}},
    {"topology of zero",
     HEAD "<cpu><topology sockets='0'/></cpu></domain>",
     -EINVAL,
     {"<topology sockets=...>", "at least 1", NULL}},
    {"entity reading a file",
     "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
     "<domain type='kvm'><name>&x;</name></domain>",
     -EINVAL,
     {"DOCTYPE", NULL, NULL}},
    {"ACPI table given twice",
     HEAD "<os><type>hvm</type><acpi><table type='slic'>/a</table>\n"
          "<table type='slic'>/b</table></acpi></os></domain>",
     -EINVAL,
     {"line 2", "<table>", "ACPI table type 'slic' given twice"}},
    {"no vCPU", HEAD "<vcpu>0</vcpu></domain>", -EINVAL, {"<vcpu>", "at least 1", NULL}},
    {"wrong root",
     "<network><name>n</name></network>",
     -EINVAL,
     {"<network>", "expected <domain>", NULL}},
    {"empty document", "", -EINVAL, {"empty", NULL, NULL}},
};

static void test_parse_errors(void **state)
{
        for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
                const BadCase *c = &bad_cases[i];
                VmmError error = VMM_ERROR_INIT;
                VmmDomainDef *def = NULL;
                int r = vmm_domain_def_parse(c->xml, (size_t)-1, 0, &def, &error);

                if (r != c->code)
                        fail_msg("%s: returned %d (%s), expected %d", c->what, r,
                                 vmm_error_message(&error), c->code);
                assert_null(def);
                assert_int_equal(error.kind, VMM_ERR_XML);
                for (size_t j = 0; j < ARRAY_SIZE(c->expect) && c->expect[j]; j++)
                        if (!strstr(vmm_error_message(&error), c->expect[j]))
                                fail_msg("%s: message \"%s\" lacks \"%s\"", c->what,
                                         vmm_error_message(&error), c->expect[j]);
                vmm_error_clear(&error);
        }
}

/* A document of 100 MiB is refused by size before any parsing. */
static void test_parse_too_big(void **state)
{
        const size_t size = 100u * 1024 * 1024;
        _cleanup_free_ char *xml = malloc(size + 1);
        VmmError error = VMM_ERROR_INIT;
        VmmDomainDef *def = NULL;
        const char *head = "<domain type='kvm'><name>big</name><description>";

        assert_non_null(xml);
        memset(xml, 'x', size);
        memcpy(xml, head, strlen(head));
        xml[size] = '\0';
        assert_int_equal(vmm_domain_def_parse(xml, size, 0, &def, &error), -EFBIG);
        assert_null(def);
        assert_non_null(strstr(vmm_error_message(&error), "larger than the limit"));
        vmm_error_clear(&error);
}

static void test_parse_order_independent(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *a = parse_fixture("full.xml", 0);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *b = parse_fixture("full-reordered.xml", 0);
        _cleanup_free_ char *diff = NULL;

        if (!vmm_domain_def_equal(a, b, &diff))
                fail_msg("reordered document differs: %s", diff);
}

static void roundtrip(const char *name, unsigned int flags)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *a = parse_fixture(name, flags);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *b = NULL;
        _cleanup_free_ char *x1 = NULL, *x2 = NULL, *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_def_format(a, 0, &x1, &error), 0);
        if (vmm_domain_def_parse(x1, (size_t)-1, flags, &b, &error) < 0)
                fail_msg("%s: formatted output does not parse: %s\n%s", name,
                         vmm_error_message(&error), x1);
        if (!vmm_domain_def_equal(a, b, &diff))
                fail_msg("%s: parse -> format -> parse differs: %s", name, diff);
        /* and the output is a fixed point */
        assert_int_equal(vmm_domain_def_format(b, 0, &x2, &error), 0);
        assert_string_equal(x1, x2);
}

static void test_parse_roundtrip(void **state)
{
        roundtrip("full.xml", 0);
        roundtrip("minimal.xml", 0);
        roundtrip("unknown.xml", VMM_DOMAIN_DEF_KEEP_UNKNOWN);
}

/* Equality notices a single changed field and names it. */
static void test_equal_names_difference(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *a = parse_fixture("full.xml", 0);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *b = parse_fixture("full.xml", 0);
        _cleanup_free_ char *diff = NULL;

        assert_true(vmm_domain_def_equal(a, b, NULL));
        b->memory_kib *= 2;
        assert_false(vmm_domain_def_equal(a, b, &diff));
        assert_string_equal(diff, "memory (KiB): 1048576 != 2097152");
        b->memory_kib = a->memory_kib;
        free(TAKE_PTR(diff));
        b->cpu.features[1].policy = 0;
        assert_false(vmm_domain_def_equal(a, b, &diff));
        assert_non_null(strstr(diff, "cpu feature policy"));
        free(TAKE_PTR(diff));
        b->cpu.features[1].policy = a->cpu.features[1].policy;
        b->os.boot[0] = b->os.boot[1];
        assert_false(vmm_domain_def_equal(a, b, &diff));
        assert_non_null(strstr(diff, "os boot dev"));
}

/* Unknown content is an error by default and kept on request. */
static void test_parse_keep_unknown(void **state)
{
        _cleanup_free_ char *xml = read_fixture("unknown.xml");
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_free_ char *out = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "unknown attribute 'sparkle'"));
        vmm_error_clear(&error);
        assert_int_equal(
            vmm_domain_def_parse(xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, &error), 0);
        assert_int_equal(vmm_domain_def_format(def, 0, &out, &error), 0);
        assert_true(strncmp(out, "<domain type=\"kvm\" sparkle=\"yes\">", 33) == 0);
        assert_non_null(strstr(out, "<sparkle-engine mode=\"fast\">"));
        assert_non_null(strstr(out, "<event name=\"cmt\" enabled=\"yes\"/>"));
        assert_non_null(strstr(out, "<bootloader-hint>/boot/hint.efi</bootloader-hint>"));
        assert_non_null(strstr(out, "<sparkle level=\"3\"/>"));
        assert_non_null(strstr(out, "<shimmer/>"));
        assert_non_null(strstr(out, "<turbo-boost level=\"2\"/>"));
        assert_non_null(strstr(out, "<suspend-to-dream enabled=\"yes\"/>"));
        /* below the section level too, at the same place */
        assert_non_null(strstr(out, "<memory unit=\"KiB\" colour=\"blue\">262144</memory>"));
        assert_non_null(strstr(out, "<vcpu flavour=\"spicy\">2</vcpu>"));
        assert_non_null(strstr(out, "<feature policy=\"require\" name=\"pcid\" weight=\"5\"/>"));
        assert_non_null(strstr(out, "<feature policy=\"disable\" name=\"vmx\">\n"
                                    "      <reason>tests</reason>"));
        assert_non_null(strstr(out, "<timer name=\"rtc\" wobble=\"3\">\n"
                                    "      <catchup threshold=\"1\" jitter=\"2\"/>"));
        assert_non_null(strstr(out, "<timer name=\"pit\">\n      <gear/>"));
}

/* Metadata and namespaced elements come back verbatim. */
static void test_parse_verbatim(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = parse_fixture("full.xml", 0);
        _cleanup_free_ char *out = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_def_format(def, 0, &out, &error), 0);
        assert_non_null(strstr(out, "<app:tag xmlns:app=\"http://example.org/app/1.0\" "
                                    "tier=\"front\">blue</app:tag>"));
        assert_non_null(strstr(out, "<qemu:arg value=\"-trace\"/>"));
}

/* VMM_DOMAIN_DEF_VALIDATE also checks the schema. */
static void test_parse_schema(void **state)
{
        _cleanup_free_ char *xml = read_fixture("full.xml");
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmError error = VMM_ERROR_INIT;
        const char *bad = "<domain type='kvm'><name>d</name><memory>1</memory>"
                          "<clock offset='utc'><timer name='rtc' tickpolicy='sometimes'/>"
                          "</clock></domain>";
        int r;

        r = vmm_domain_def_parse(xml, (size_t)-1, VMM_DOMAIN_DEF_VALIDATE, &def, &error);
        if (r == -ENOENT)
                skip(); /* the devices schema is not written yet */
        if (r < 0)
                fail_msg("%s", vmm_error_message(&error));
        vmm_domain_def_free(TAKE_PTR(def));
        assert_int_equal(
            vmm_domain_def_parse(bad, (size_t)-1, VMM_DOMAIN_DEF_VALIDATE, &def, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "domain schema"));
        vmm_error_clear(&error);
}

/* A <domain> inside a larger document (the test driver's state files)
 * parses, and VMM_DOMAIN_DEF_VALIDATE checks it alone against the schema. */
static void test_parse_node(void **state)
{
        const char *doc_xml =
            "<state>\n"
            "  <domain type='test'><name>one</name><memory>1024</memory></domain>\n"
            "  <domain type='test'><name>a/b</name><memory>1024</memory></domain>\n"
            "</state>";
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmError error = VMM_ERROR_INIT;
        xmlNodePtr first, second;
        int r;

        assert_int_equal(vmm_xml_parse(doc_xml, (size_t)-1, "state", &doc, &error), 0);
        first = vmm_xml_child(xmlDocGetRootElement(doc), "domain");
        for (second = first->next; !vmm_xml_is(second, "domain"); second = second->next)
                ;
        r = vmm_domain_def_parse_node(first, VMM_DOMAIN_DEF_VALIDATE, &def, &error);
        if (r == -ENOENT)
                skip();
        assert_int_equal(r, 0);
        assert_string_equal(vmm_domain_def_get_name(def), "one");
        vmm_domain_def_free(TAKE_PTR(def));
        /* the parser takes any name; the schema refuses a '/' in it */
        assert_int_equal(vmm_domain_def_parse_node(second, 0, &def, &error), 0);
        vmm_domain_def_free(TAKE_PTR(def));
        assert_int_equal(vmm_domain_def_parse_node(second, VMM_DOMAIN_DEF_VALIDATE, &def, &error),
                         -EINVAL);
        assert_null(def);
        assert_non_null(strstr(vmm_error_message(&error), "domain schema"));
        vmm_error_clear(&error);
}

/* The copy is equal and independent of the original. */
static void test_copy(void **state)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *a = parse_fixture("full.xml", 0);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *b = NULL;
        _cleanup_free_ char *diff = NULL;
        VmmError error = VMM_ERROR_INIT;

        vmm_domain_def_set_id(a, 7);
        assert_int_equal(vmm_domain_def_copy(a, &b, &error), 0);
        if (!vmm_domain_def_equal(a, b, &diff))
                fail_msg("copy differs: %s", diff);
        assert_int_equal(vmm_domain_def_get_id(b), 7);
        free(b->name);
        b->name = strdup("other");
        assert_string_equal(vmm_domain_def_get_name(a), "web1");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_full_values),
            cmocka_unit_test(test_parse_errors),
            cmocka_unit_test(test_parse_too_big),
            cmocka_unit_test(test_parse_order_independent),
            cmocka_unit_test(test_parse_roundtrip),
            cmocka_unit_test(test_equal_names_difference),
            cmocka_unit_test(test_parse_keep_unknown),
            cmocka_unit_test(test_parse_verbatim),
            cmocka_unit_test(test_parse_schema),
            cmocka_unit_test(test_parse_node),
            cmocka_unit_test(test_copy),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
