/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-fuzz-regressions: documents the fuzzer found that did not survive
 * format -> parse unchanged, reduced by hand. Each must either be refused
 * with a message or round-trip exactly, strictly and keeping unknown
 * content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf-kind.h"

#define DOM(os, devices)                                                                    \
        "<domain type='qemu'><name>f</name><memory>131072</memory><os><type>hvm</type>" os \
        "</os><devices>" devices "</devices></domain>"

static const struct {
        const char *what;
        const char *xml;
} cases[] = {
        /* text beside a child element was read with the child's text */
        {"nvram text around <source>",
         DOM("<nvram>/a<source file='/b'/>/c</nvram>", "")},
        /* an element holding only kept content was not written back */
        {"bootmenu with only an unknown attribute", DOM("<bootmenu colour='blue'/>", "")},
        /* the address variant and the type field read 'ccw ' differently */
        {"address type with a trailing blank",
         DOM("", "<disk type='file'><source file='/x.img'/><target dev='vda' bus='virtio'/>"
                 "<address type='ccw ' cssid='0xfe' ssid='0x0' devno='0x0000'/></disk>")},
};

static void check(const char *what, const char *xml, unsigned int flags)
{
        VmmConfCheck c = VMM_CONF_CHECK_INIT;
        int r = vmm_conf_check(xml, strlen(xml), what, flags | VMM_CONF_CHECK_ROUNDTRIP, &c);

        if (r < 0 && vmm_conf_stage_is_roundtrip(c.stage))
                fail_msg("%s (flags %u): %s: %s", what, flags, vmm_conf_stage_to_string(c.stage),
                         vmm_error_message(&c.error));
        if (r < 0)
                assert_true(strlen(vmm_error_message(&c.error)) > 0);
        vmm_conf_check_done(&c);
}

static void test_regressions(void **state)
{
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                check(cases[i].what, cases[i].xml, VMM_CONF_CHECK_NO_SCHEMA);
                check(cases[i].what, cases[i].xml,
                      VMM_CONF_CHECK_NO_SCHEMA | VMM_CONF_CHECK_KEEP_UNKNOWN);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_regressions),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
