/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-shutdown-mode.c: shutdown and reboot modes through the public API
 * on the test driver (test:///default): the flags' values are libvirt's;
 * GUEST_AGENT alone needs the agent's channel (-ENOTSUP naming it, the
 * domain left running); with the channel, or with ACPI too, the operation
 * happens; unknown bits are refused. And vmmctl's --mode parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <vmm/vmm.h>

#include "vmmctl.h"

static const char agent_xml[] =
    "<domain type='test'><name>withagent</name><memory unit='MiB'>64</memory>"
    "<os><type>hvm</type></os><devices>"
    "<channel type='unix'><source mode='bind' path='/tmp/withagent.agent'/>"
    "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    "</devices></domain>";

static void test_flag_values(void **state)
{
        /* libvirt's virDomainShutdownFlagValues / virDomainRebootFlagValues */
        assert_int_equal(VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, 1);
        assert_int_equal(VMM_DOMAIN_SHUTDOWN_GUEST_AGENT, 2);
        assert_int_equal(VMM_DOMAIN_REBOOT_ACPI_POWER_BTN, 1);
        assert_int_equal(VMM_DOMAIN_REBOOT_GUEST_AGENT, 2);
}

static VmmDomainState state_of(VmmDomain *dom)
{
        VmmError err = VMM_ERROR_INIT;
        VmmDomainState st;
        int reason;

        assert_int_equal(vmm_domain_get_state(dom, &st, &reason, &err), 0);
        return st;
}

static void test_agent_without_channel(void **state)
{
        VmmConnect *conn = NULL;
        VmmDomain *dom = NULL;
        VmmError err = VMM_ERROR_INIT;

        assert_int_equal(vmm_connect_open("test:///default", 0, &conn, &err), 0);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "test", &dom, &err), 0);
        assert_int_equal(state_of(dom), VMM_DOMAIN_RUNNING);

        assert_int_equal(vmm_domain_shutdown(dom, VMM_DOMAIN_SHUTDOWN_GUEST_AGENT, &err), -ENOTSUP);
        assert_non_null(strstr(vmm_error_message(&err), "domain 'test' has no guest agent channel "
                                                        "(org.qemu.guest_agent.0)"));
        assert_int_equal(state_of(dom), VMM_DOMAIN_RUNNING);
        vmm_error_clear(&err);
        assert_int_equal(vmm_domain_reboot(dom, VMM_DOMAIN_REBOOT_GUEST_AGENT, &err), -ENOTSUP);
        vmm_error_clear(&err);

        /* unknown bits: refused, nothing done */
        assert_int_equal(vmm_domain_shutdown(dom, 1u << 2, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "unknown flags 0x4"));
        vmm_error_clear(&err);
        assert_int_equal(state_of(dom), VMM_DOMAIN_RUNNING);

        /* agent then ACPI: the power button does it */
        assert_int_equal(
            vmm_domain_reboot(dom, VMM_DOMAIN_REBOOT_GUEST_AGENT | VMM_DOMAIN_REBOOT_ACPI_POWER_BTN,
                              &err),
            0);
        assert_int_equal(
            vmm_domain_shutdown(
                dom, VMM_DOMAIN_SHUTDOWN_GUEST_AGENT | VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, &err),
            0);
        assert_int_equal(state_of(dom), VMM_DOMAIN_SHUTOFF);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_agent_with_channel(void **state)
{
        VmmConnect *conn = NULL;
        VmmDomain *dom = NULL;
        VmmError err = VMM_ERROR_INIT;

        assert_int_equal(vmm_connect_open("test:///default", 0, &conn, &err), 0);
        assert_int_equal(vmm_domain_define_xml(conn, agent_xml, 0, &dom, &err), 0);
        assert_int_equal(vmm_domain_start(dom, 0, &err), 0);
        assert_int_equal(vmm_domain_reboot(dom, VMM_DOMAIN_REBOOT_GUEST_AGENT, &err), 0);
        assert_int_equal(state_of(dom), VMM_DOMAIN_RUNNING);
        assert_int_equal(vmm_domain_shutdown(dom, VMM_DOMAIN_SHUTDOWN_GUEST_AGENT, &err), 0);
        assert_int_equal(state_of(dom), VMM_DOMAIN_SHUTOFF);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_vmmctl_mode_parse(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        unsigned int flags = 99;

        assert_int_equal(vmmctl_shutdown_mode_parse(NULL, &flags, &err), 0);
        assert_int_equal(flags, 0);
        assert_int_equal(vmmctl_shutdown_mode_parse("acpi", &flags, &err), 0);
        assert_int_equal(flags, VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN);
        assert_int_equal(vmmctl_shutdown_mode_parse("agent", &flags, &err), 0);
        assert_int_equal(flags, VMM_DOMAIN_SHUTDOWN_GUEST_AGENT);
        assert_int_equal(vmmctl_shutdown_mode_parse("agent,acpi", &flags, &err), 0);
        assert_int_equal(flags,
                         VMM_DOMAIN_SHUTDOWN_GUEST_AGENT | VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN);

        flags = 7;
        assert_int_equal(vmmctl_shutdown_mode_parse("acpi,agnet", &flags, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "unknown mode 'agnet'"));
        assert_int_equal(flags, 7); /* untouched on failure */
        vmm_error_clear(&err);
        assert_int_equal(vmmctl_shutdown_mode_parse("initctl", &flags, &err), -ENOTSUP);
        assert_non_null(strstr(vmm_error_message(&err), "'initctl' is not supported"));
        vmm_error_clear(&err);
        assert_int_equal(vmmctl_shutdown_mode_parse(",", &flags, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "names no mode"));
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_flag_values),
            cmocka_unit_test(test_agent_without_channel),
            cmocka_unit_test(test_agent_with_channel),
            cmocka_unit_test(test_vmmctl_mode_parse),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
