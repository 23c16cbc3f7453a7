/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm_domain_attach_device / vmm_domain_detach_device on the test driver
 * through the public API: the flag rules (CURRENT, LIVE on a shut-off
 * domain, CONFIG on a transient one, LIVE|CONFIG), what a user reads back
 * (live and inactive XML), the errors that name the device (target in
 * use, absent device, unsupported kind, bad XML with its line) and that a
 * failed call changes nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <vmm/vmm.h>

static const char disk_vdc[] = "<disk type='file' device='disk'><source file='/img/c.raw'/>"
                               "<target dev='vdc' bus='virtio'/></disk>";
static const char nic[] = "<interface type='user'><mac address='52:54:00:aa:bb:01'/>"
                          "<model type='virtio'/></interface>";

static VmmConnect *open_default(void)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        if (vmm_connect_open("test:///default", 0, &conn, &error) < 0)
                fail_msg("open test:///default: %s", vmm_error_message(&error));
        return conn;
}

/* A persistent domain with disk vdb, shut off. */
static VmmDomain *define(VmmConnect *conn, const char *name)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char xml[1024];

        snprintf(xml, sizeof(xml),
                 "<domain type='test'><name>%s</name><memory unit='MiB'>256</memory>"
                 "<os><type>hvm</type></os><devices>"
                 "<disk type='file' device='disk'><source file='/img/%s.raw'/>"
                 "<target dev='vdb' bus='virtio'/></disk></devices></domain>",
                 name, name);
        if (vmm_domain_define_xml(conn, xml, 0, &dom, &error) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&error));
        return dom;
}

/* not inlined: GCC 12 at -O2 takes the result for a pointer to `xml` itself */
__attribute__((noinline)) static char *xml_of(VmmDomain *dom, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;

        assert_int_equal(vmm_domain_get_xml(dom, flags, &xml, &error), 0);
        return xml;
}

static bool has(VmmDomain *dom, unsigned int flags, const char *text)
{
        char *xml = xml_of(dom, flags);
        bool found = strstr(xml, text) != NULL;

        free(xml);
        return found;
}

/* Both documents hold one <mac address=...>, the same. */
static bool same_mac(const char *a, const char *b)
{
        char ma[18] = "", mb[18] = "";
        const char *pa = strstr(a, "<mac address=\""), *pb = strstr(b, "<mac address=\"");

        if (!pa || !pb || sscanf(pa, "<mac address=\"%17[0-9a-f:]", ma) != 1 ||
            sscanf(pb, "<mac address=\"%17[0-9a-f:]", mb) != 1)
                return false;
        return strlen(ma) == 17 && strcmp(ma, mb) == 0;
}

#define LIVE 0
#define INACTIVE VMM_DOMAIN_XML_INACTIVE

static void expect_error(int r, int code, VmmError *error, const char *part)
{
        assert_int_equal(r, code);
        if (!strstr(vmm_error_message(error), part))
                fail_msg("error '%s' does not contain '%s'", vmm_error_message(error), part);
        vmm_error_clear(error);
}

static void test_flags_shutoff(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "dev-off");
        VmmError error = VMM_ERROR_INIT;
        char *before = xml_of(dom, INACTIVE), *after;

        (void)state;
        /* LIVE on a shut-off domain: refused, nothing changed */
        expect_error(vmm_domain_attach_device(dom, disk_vdc, VMM_DOMAIN_AFFECT_LIVE, &error),
                     -EBUSY, &error, "not running");
        expect_error(vmm_domain_attach_device(
                         dom, disk_vdc, VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG, &error),
                     -EBUSY, &error, "not running");
        after = xml_of(dom, INACTIVE);
        assert_string_equal(before, after);
        free(after);
        /* CURRENT on a shut-off domain is the definition */
        assert_int_equal(vmm_domain_attach_device(dom, disk_vdc, 0, &error), 0);
        assert_true(has(dom, INACTIVE, "<target dev=\"vdc\""));
        /* the definition is validated whole: the same target again is named */
        expect_error(vmm_domain_attach_device(dom, disk_vdc, VMM_DOMAIN_AFFECT_CONFIG, &error),
                     -EEXIST, &error, "target dev 'vdc' is already used");
        assert_int_equal(vmm_domain_detach_device(dom, "<disk><target dev='vdc'/></disk>",
                                                  VMM_DOMAIN_AFFECT_CONFIG, &error),
                         0);
        after = xml_of(dom, INACTIVE);
        assert_string_equal(before, after);
        free(after);
        free(before);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_live_and_config(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "dev-run");
        VmmError error = VMM_ERROR_INIT;
        char *live, *inactive;

        (void)state;
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        /* CURRENT on a running domain is the guest only */
        assert_int_equal(vmm_domain_attach_device(dom, disk_vdc, 0, &error), 0);
        assert_true(has(dom, LIVE, "<target dev=\"vdc\""));
        assert_false(has(dom, INACTIVE, "<target dev=\"vdc\""));
        /* LIVE|CONFIG: both or neither. vdc is live only, so the live side
         * refuses and the definition stays as it was */
        inactive = xml_of(dom, INACTIVE);
        expect_error(vmm_domain_attach_device(
                         dom, disk_vdc, VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG, &error),
                     -EEXIST, &error, "(live)");
        live = xml_of(dom, INACTIVE);
        assert_string_equal(inactive, live);
        free(live);
        free(inactive);
        /* a NIC on both sides gets one MAC (generated when absent) */
        assert_int_equal(vmm_domain_attach_device(dom, "<interface type='user'/>",
                                                  VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG,
                                                  &error),
                         0);
        live = xml_of(dom, LIVE);
        inactive = xml_of(dom, INACTIVE);
        assert_true(same_mac(live, inactive));
        free(live);
        free(inactive);
        /* detach: live only; then the definition's copy */
        assert_int_equal(vmm_domain_attach_device(dom, nic, VMM_DOMAIN_AFFECT_LIVE, &error), 0);
        assert_int_equal(
            vmm_domain_detach_device(dom,
                                     "<interface type='user'><mac address='52:54:00:AA:BB:01'/>"
                                     "</interface>",
                                     0, &error),
            0);
        assert_false(has(dom, LIVE, "52:54:00:aa:bb:01"));
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_errors(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "dev-err");
        VmmError error = VMM_ERROR_INIT;
        char *before = xml_of(dom, INACTIVE), *after;

        (void)state;
        expect_error(vmm_domain_detach_device(dom, "<disk><target dev='vdq'/></disk>", 0, &error),
                     -ENOENT, &error, "no disk 'vdq'");
        expect_error(vmm_domain_detach_device(dom, nic, 0, &error), -ENOENT, &error,
                     "interface '52:54:00:aa:bb:01'");
        assert_int_equal(vmm_domain_attach_device(dom, "<controller type='usb'/>", 0, &error),
                         -ENOTSUP);
        assert_int_equal(error.kind, VMM_ERR_NO_SUPPORT);
        expect_error(-ENOTSUP, -ENOTSUP, &error, "<controller>");
        expect_error(vmm_domain_attach_device(dom, "<disk>\n  <bogus/>\n</disk>", 0, &error),
                     -EINVAL, &error, "line 2");
        expect_error(vmm_domain_attach_device(dom, "<domain/>", 0, &error), -EINVAL, &error,
                     "not a device element");
        expect_error(vmm_domain_attach_device(dom, "<disk", 0, &error), -EINVAL, &error,
                     "malformed");
        expect_error(vmm_domain_attach_device(dom, "", 0, &error), -EINVAL, &error,
                     "no device XML");
        expect_error(vmm_domain_attach_device(dom, disk_vdc, 1u << 5, &error), -EINVAL, &error,
                     "flags");
        expect_error(vmm_domain_attach_device(NULL, disk_vdc, 0, &error), -EINVAL, &error, "");
        /* a MAC already used by the domain is named */
        assert_int_equal(vmm_domain_attach_device(dom, nic, 0, &error), 0);
        expect_error(vmm_domain_attach_device(dom, nic, 0, &error), -EEXIST, &error,
                     "MAC address '52:54:00:aa:bb:01' is already used");
        assert_int_equal(vmm_domain_detach_device(dom, nic, 0, &error), 0);
        after = xml_of(dom, INACTIVE);
        assert_string_equal(before, after);
        free(after);
        free(before);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_transient(void **state)
{
        VmmConnect *conn = open_default();
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;

        (void)state;
        assert_int_equal(vmm_domain_create_xml(conn,
                                               "<domain type='test'><name>dev-tr</name>"
                                               "<memory unit='MiB'>64</memory>"
                                               "<os><type>hvm</type></os></domain>",
                                               0, &dom, &error),
                         0);
        expect_error(vmm_domain_attach_device(dom, disk_vdc, VMM_DOMAIN_AFFECT_CONFIG, &error),
                     -EINVAL, &error, "transient");
        assert_int_equal(vmm_domain_attach_device(dom, disk_vdc, 0, &error), 0);
        assert_true(has(dom, LIVE, "<target dev=\"vdc\""));
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_flags_shutoff),
            cmocka_unit_test(test_live_and_config),
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_transient),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
