/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-validate.c: semantic checks that parsing leaves to
 * vmm_domain_def_validate(): each bad definition is well-formed and
 * parses, and validation names the element and the value at fault.
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

#include "conf/domain.h"
#include "util/error.h"
#include "util/macros.h"

#define DOM(name, body) "<domain type='kvm'><name>" name "</name>" body "</domain>"
#define MEM "<memory unit='MiB'>512</memory>"

typedef struct Case {
        const char *what;
        const char *xml;
        const char *expect[2]; /* NULL: must validate */
} Case;

static const Case cases[] = {
    {"a plain definition", DOM("ok", MEM "<vcpu>2</vcpu>"), {NULL, NULL}},
    {"numatune nodeset with automatic placement",
     DOM("n", MEM "<numatune><memory mode='strict' placement='auto' nodeset='0'/></numatune>"),
     {"<numatune><memory>: nodeset='0' cannot be given with placement='auto'", NULL}},
    {"spapr-vio serial on a pc machine",
     DOM("s", MEM "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><serial "
                  "type='pty'><target type='spapr-vio-serial'/></serial></devices>"),
     {"<serial><target type='spapr-vio-serial'>: only for pSeries machines, not machine 'pc'",
      NULL}},
    {"spapr-vio serial on a pseries machine",
     DOM("s", MEM "<os><type arch='ppc64' machine='pseries'>hvm</type></os><devices><serial "
                  "type='pty'><target type='spapr-vio-serial'/></serial></devices>"),
     {NULL, NULL}},
    {"cipher in a domain disk's encryption",
     DOM("e", MEM "<devices><disk type='file'><source file='/x.img'/><target dev='vda'/>"
                  "<encryption format='luks'><secret type='passphrase' "
                  "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><cipher name='aes' "
                  "size='256'/></encryption></disk></devices>"),
     {"disk 'vda': <encryption> of a domain disk takes no <cipher>", NULL}},
    {"device seclabel relabel=yes without a label",
     DOM("l", MEM "<devices><disk type='file'><source file='/x.img'><seclabel model='selinux' "
                  "relabel='yes'/></source><target dev='vda'/></disk></devices>"),
     {"disk 'vda': <seclabel model='selinux' relabel='yes'> needs a <label>", NULL}},
    {"device seclabel relabel=no with a label",
     DOM("l", MEM "<devices><disk type='file'><source file='/x.img'><seclabel model='selinux' "
                  "relabel='no'><label>x</label></seclabel></source><target dev='vda'/></disk>"
                  "</devices>"),
     {"a <label> cannot be given with relabel='no'", NULL}},
    {"current memory equal to memory",
     DOM("ok", MEM "<currentMemory unit='KiB'>524288</currentMemory>"),
     {NULL, NULL}},
    {"current memory above memory",
     DOM("m", MEM "<currentMemory unit='GiB'>1</currentMemory>"),
     {"<currentMemory>: 1048576 KiB is more than <memory> 524288 KiB", NULL}},
    {"no memory", DOM("m", ""), {"<memory>: missing or 0", NULL}},
    {"maxMemory below memory",
     DOM("m", MEM "<maxMemory slots='1'>1024</maxMemory>"),
     {"<maxMemory>: 1024 KiB is less than <memory>", NULL}},
    {"current vCPUs above the maximum",
     DOM("v", MEM "<vcpu current='3'>2</vcpu>"),
     {"<vcpu current=...>: 3 current vCPUs is more than the maximum of 2", NULL}},
    {"empty name", DOM("", MEM), {"<name>: must not be empty", NULL}},
    {"name with a slash", DOM("a/b", MEM), {"<name>: \"a/b\" must not contain '/'", NULL}},
    {"name too long",
     DOM("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         MEM),
     {"<name>: is 253 bytes long (at most 251)", NULL}},
    {"title on two lines",
     DOM("t", MEM "<title>a\nb</title>"),
     {"<title>: must be a single line", NULL}},
    {"topology not matching vcpu",
     DOM("t", MEM "<vcpu>4</vcpu><cpu><topology sockets='1' cores='2' threads='1'/></cpu>"),
     {"<cpu><topology>: gives 2 vCPUs but <vcpu> is 4", NULL}},
    {"bad cpuset",
     DOM("c", MEM "<vcpu cpuset='aaa'>2</vcpu>"),
     {"<vcpu cpuset=...>: \"aaa\" is not a valid set", NULL}},
    {"empty nodeset",
     DOM("c", MEM "<numatune><memory mode='strict' nodeset='0,^0'/></numatune>"),
     {"<numatune><memory nodeset=...>: \"0,^0\" is an empty set", NULL}},
    {"NUMA cell beyond the vCPUs",
     DOM("n", MEM "<vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-2' memory='512' "
                  "unit='MiB'/></numa></cpu>"),
     {"<cpu><numa><cell id='0'>: vCPU 2 is above the maximum id 1", NULL}},
    {"vCPU in two NUMA cells",
     DOM("n", MEM "<vcpu>2</vcpu><cpu><numa><cell id='0' cpus='0-1' memory='256' "
                  "unit='MiB'/><cell id='1' cpus='1' memory='256' unit='MiB'/></numa></cpu>"),
     {"<cpu><numa><cell id='1'>: vCPU 1 is already in another cell", NULL}},
    {"NUMA cells given out of order are fine",
     DOM("n", MEM "<vcpu>2</vcpu><cpu><numa><cell id='1' cpus='1' memory='256' "
                  "unit='MiB'/><cell id='0' cpus='0' memory='256' unit='MiB'/></numa></cpu>"),
     {NULL, NULL}},
    {"memnode of a missing cell",
     DOM("n", MEM "<numatune><memnode cellid='0' mode='strict' nodeset='0'/></numatune>"),
     {"<numatune><memnode cellid='0'>: no such NUMA cell (the domain has 0)", NULL}},
    {"vcpupin of a missing vCPU",
     DOM("p", MEM "<vcpu>2</vcpu><cputune><vcpupin vcpu='2' cpuset='0'/></cputune>"),
     {"<cputune><vcpupin vcpu='2'>: no such vCPU (the domain has 2)", NULL}},
    {"overlapping vcpusched",
     DOM("s", MEM "<vcpu>4</vcpu><cputune><vcpusched vcpus='0-1' scheduler='fifo'/>"
                  "<vcpusched vcpus='1-2' scheduler='rr'/></cputune>"),
     {"<cputune><vcpusched vcpus=...>: 1 is given more than once", NULL}},
    {"iothreadsched of a missing thread",
     DOM("s", MEM "<iothreads>1</iothreads><cputune><iothreadsched iothreads='2' "
                  "scheduler='batch'/></cputune>"),
     {"<cputune><iothreadsched iothreads=...>: 2 is not an existing id", NULL}},
    {"boot menu timeout too long",
     DOM("b", MEM "<os><type>hvm</type><bootmenu enable='yes' timeout='65536'/></os>"),
     {"<os><bootmenu timeout=...>: 65536 is above 65535 ms", NULL}},
    {"tseg not in whole MiB",
     DOM("f", MEM "<features><smm state='on'><tseg unit='KiB'>12345</tseg></smm></features>"),
     {"<features><smm><tseg>: 12345 KiB is not a whole number of MiB", NULL}},
    {"restrictive memory with a strict memnode",
     DOM("r", MEM "<numatune><memory mode='restrictive' nodeset='0'/>"
                  "<memnode cellid='0' mode='strict' nodeset='0'/></numatune>"
                  "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/></numa></cpu>"),
     {"<numatune><memnode cellid='0'>: mode 'restrictive' must be used by <memory> and "
      "every <memnode> or by none",
      NULL}},
    {"restrictive everywhere is fine",
     DOM("r", MEM "<numatune><memory mode='restrictive' nodeset='0'/>"
                  "<memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>"
                  "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/></numa></cpu>"),
     {NULL, NULL}},
    {"pSeries feature on a PC",
     DOM("p", MEM "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                  "<features><hpt resizing='enabled'/></features>"),
     {"<features><hpt>: only for pSeries machines, not machine 'pc'", NULL}},
    {"pSeries feature on pSeries",
     DOM("p", MEM "<os><type arch='ppc64' machine='pseries'>hvm</type></os>"
                  "<features><hpt resizing='enabled'/></features>"),
     {NULL, NULL}},
    {"GIC on a non-ARM guest",
     DOM("g", MEM "<os><type arch='ppc64' machine='pseries'>hvm</type></os>"
                  "<features><gic version='3'/></features>"),
     {"<features><gic>: only for ARM guests, not arch 'ppc64'", NULL}},
    {"timezone offset without a zone",
     DOM("c", MEM "<clock offset='timezone'/>"),
     {"<clock offset='timezone'>: missing attribute 'timezone'", NULL}},
};

static void test_validate_cases(void **state)
{
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                const Case *c = &cases[i];
                _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
                VmmError error = VMM_ERROR_INIT;
                int r;

                if (vmm_domain_def_parse(c->xml, (size_t)-1, 0, &def, &error) < 0)
                        fail_msg("%s: does not parse: %s", c->what, vmm_error_message(&error));
                r = vmm_domain_def_validate(def, &error);
                if (!c->expect[0]) {
                        if (r < 0)
                                fail_msg("%s: refused: %s", c->what, vmm_error_message(&error));
                        continue;
                }
                if (r != -EINVAL)
                        fail_msg("%s: validate returned %d, expected -EINVAL", c->what, r);
                /* the domain is named first, then the element at fault */
                if (strncmp(vmm_error_message(&error), "domain '", 8) != 0 ||
                    !strstr(vmm_error_message(&error), c->expect[0]))
                        fail_msg("%s: message \"%s\" lacks \"%s\"", c->what,
                                 vmm_error_message(&error), c->expect[0]);
                vmm_error_clear(&error);
        }
}

/* The fixtures used by the parser tests are valid definitions. */
static void test_validate_fixtures(void **state)
{
        static const char *const names[] = {"full.xml", "minimal.xml"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
                _cleanup_free_ char *xml = NULL;
                VmmError error = VMM_ERROR_INIT;
                char path[1024];
                FILE *f;
                size_t n = 0;

                snprintf(path, sizeof(path), "%s/domain/%s", VMM_TEST_DATA_DIR, names[i]);
                f = fopen(path, "re");
                assert_non_null(f);
                xml = calloc(1, 1 << 16);
                assert_non_null(xml);
                n = fread(xml, 1, (1 << 16) - 1, f);
                fclose(f);
                assert_true(n > 0);
                if (vmm_domain_def_parse(xml, n, 0, &def, &error) < 0 ||
                    vmm_domain_def_validate(def, &error) < 0)
                        fail_msg("%s: %s", names[i], vmm_error_message(&error));
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_validate_cases),
            cmocka_unit_test(test_validate_fixtures),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
