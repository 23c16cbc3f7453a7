/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Save, restore and managed save through the public API on the test
 * driver (test:///default): the image file a user gets (header, XML,
 * mode), the states and reasons after each step, managed save through
 * start and undefine, and the errors of bad calls (shut-off domain,
 * relative or missing path, garbage file, clashing flags, replacement XML
 * of another domain), after which nothing changed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <vmm/vmm.h>

static VmmConnect *open_default(void)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        if (vmm_connect_open("test:///default", 0, &conn, &error) < 0)
                fail_msg("open test:///default: %s", vmm_error_message(&error));
        return conn;
}

static VmmDomain *define_started(VmmConnect *conn, const char *name, bool start)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char xml[512];

        snprintf(xml, sizeof(xml),
                 "<domain type='test'><name>%s</name><memory unit='MiB'>256</memory>"
                 "<vcpu>1</vcpu><os><type>hvm</type></os></domain>",
                 name);
        if (vmm_domain_define_xml(conn, xml, 0, &dom, &error) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&error));
        if (start && vmm_domain_start(dom, 0, &error) < 0)
                fail_msg("start %s: %s", name, vmm_error_message(&error));
        return dom;
}

static void assert_state(VmmDomain *dom, VmmDomainState want, int want_reason)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainState st;
        int reason = -1;

        assert_int_equal(vmm_domain_get_state(dom, &st, &reason, &error), 0);
        if (st != want || reason != want_reason)
                fail_msg("domain '%s' is %s (%s), expected %s (%s)", vmm_domain_get_name(dom),
                         vmm_domain_state_to_string(st),
                         vmm_domain_state_reason_to_string(st, reason),
                         vmm_domain_state_to_string(want),
                         vmm_domain_state_reason_to_string(want, want_reason));
}

static char *image_path(const char *dir, const char *name)
{
        char *p = NULL;

        assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
        return p;
}

static void test_save_restore(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define_started(conn, "save-a", true), *back = NULL;
        VmmError error = VMM_ERROR_INIT;
        char dir[] = "/tmp/test-api-save.XXXXXX", head[9] = {0}, *img, *xml = NULL;
        struct stat st;
        FILE *f;

        assert_non_null(mkdtemp(dir));
        img = image_path(dir, "a.img");
        assert_int_equal(vmm_domain_save(dom, img, NULL, 0, &error), 0);
        assert_state(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SAVED);
        assert_int_equal(vmm_domain_is_active(dom, &error), 0);
        assert_int_equal(stat(img, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(st.st_size, 4096); /* the header; no QEMU state here */
        f = fopen(img, "re");
        assert_int_equal(fread(head, 1, 8, f), 8);
        fclose(f);
        assert_string_equal(head, "VMMSAVE1");
        assert_int_equal(vmm_domain_save_image_get_xml_desc(conn, img, 0, &xml, &error), 0);
        assert_non_null(strstr(xml, "<name>save-a</name>"));
        free(xml);

        /* saving again: the domain does not run */
        assert_int_equal(vmm_domain_save(dom, img, NULL, 0, &error), -EBUSY);
        assert_non_null(strstr(vmm_error_message(&error), "save-a"));

        assert_int_equal(vmm_domain_restore(conn, img, NULL, 0, &back, &error), 0);
        assert_string_equal(vmm_domain_get_name(back), "save-a");
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
        assert_true(vmm_domain_get_id(back) > 0);
        /* a second restore of a running domain is refused */
        assert_int_equal(vmm_domain_restore(conn, img, NULL, 0, NULL, &error), -EBUSY);

        /* --paused: restored paused; --running wins over a paused save */
        assert_int_equal(vmm_domain_save(dom, img, NULL, VMM_DOMAIN_SAVE_PAUSED, &error), 0);
        assert_int_equal(vmm_domain_restore(conn, img, NULL, 0, NULL, &error), 0);
        assert_state(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_int_equal(vmm_domain_save(dom, img, NULL, 0, &error), 0);
        assert_int_equal(vmm_domain_restore(conn, img, NULL, VMM_DOMAIN_SAVE_RUNNING, NULL, &error),
                         0);
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);

        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        unlink(img);
        assert_int_equal(rmdir(dir), 0); /* no temporary file left */
        free(img);
        vmm_domain_unref(back);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_bad_calls(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define_started(conn, "save-b", true);
        VmmError error = VMM_ERROR_INIT;
        char dir[] = "/tmp/test-api-save.XXXXXX", *img, *garbage, *missing;
        FILE *f;

        assert_non_null(mkdtemp(dir));
        img = image_path(dir, "b.img");
        garbage = image_path(dir, "garbage.img");
        missing = image_path(dir, "no/such/dir/b.img");

        assert_int_equal(vmm_domain_save(dom, "b.img", NULL, 0, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "absolute"));
        assert_int_equal(vmm_domain_save(dom, img, NULL,
                                         VMM_DOMAIN_SAVE_RUNNING | VMM_DOMAIN_SAVE_PAUSED, &error),
                         -EINVAL);
        assert_int_equal(vmm_domain_save(dom, img, NULL, 0x100, &error), -EINVAL);
        assert_int_equal(vmm_domain_save(dom, missing, NULL, 0, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "cannot create a file in"));
        assert_int_equal(vmm_domain_save(dom, img,
                                         "<domain type='test'><name>other</name>"
                                         "<memory>1024</memory><os><type>hvm</type></os>"
                                         "</domain>",
                                         0, &error),
                         -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "<name>"));
        /* none of that changed anything */
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_int_equal(access(img, F_OK), -1);

        f = fopen(garbage, "we");
        fputs("definitely not a save image\n", f);
        fclose(f);
        assert_int_equal(vmm_domain_restore(conn, garbage, NULL, 0, NULL, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "magic"));
        assert_int_equal(vmm_domain_restore(conn, img, NULL, 0, NULL, &error), -ENOENT);
        assert_int_equal(vmm_domain_restore(conn, "rel.img", NULL, 0, NULL, &error), -EINVAL);

        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        unlink(garbage);
        assert_int_equal(rmdir(dir), 0);
        vmm_error_clear(&error);
        free(img);
        free(garbage);
        free(missing);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

/* Whether the list with `flags` has the domain `name`. */
static bool listed(VmmConnect *conn, unsigned int flags, const char *name)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain **doms = NULL;
        size_t n = 0;
        bool found = false;

        assert_true(vmm_domain_list_all(conn, flags, &doms, &n, &error) >= 0);
        for (size_t i = 0; i < n; i++)
                found |= strcmp(vmm_domain_get_name(doms[i]), name) == 0;
        vmm_domain_list_free(doms, n);
        return found;
}

static void test_managed_save(void **state)
{
        VmmConnect *conn = open_default();
        VmmDomain *dom = define_started(conn, "save-m", true);
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_domain_has_managed_save(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_managed_save(dom, 0, &error), 0);
        assert_state(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SAVED);
        assert_int_equal(vmm_domain_has_managed_save(dom, 0, &error), 1);
        assert_true(listed(conn, VMM_DOMAIN_LIST_MANAGED_SAVE, "save-m"));
        assert_false(listed(conn, VMM_DOMAIN_LIST_NO_MANAGED_SAVE, "save-m"));
        assert_true(listed(conn, VMM_DOMAIN_LIST_NO_MANAGED_SAVE, "test"));
        /* undefine refuses without the flag and changes nothing */
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), -EBUSY);
        assert_non_null(strstr(vmm_error_message(&error), "managed save"));
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);
        /* start resumes from it and drops it */
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
        assert_int_equal(vmm_domain_has_managed_save(dom, 0, &error), 0);
        /* managed save of a shut-off domain is refused */
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_managed_save(dom, 0, &error), -EBUSY);
        /* remove, and undefine with the flag */
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_managed_save(dom, VMM_DOMAIN_SAVE_PAUSED, &error), 0);
        assert_int_equal(vmm_domain_managed_save_remove(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_has_managed_save(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_int_equal(vmm_domain_managed_save(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, VMM_DOMAIN_UNDEFINE_MANAGED_SAVE, &error), 0);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), -ENOENT);
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_save_restore),
            cmocka_unit_test(test_bad_calls),
            cmocka_unit_test(test_managed_save),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
