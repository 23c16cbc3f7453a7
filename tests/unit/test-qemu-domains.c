/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-domains: vmm-qemud's persistent domain store: define and
 * redefine, name and UUID clashes, bad definitions leaving nothing behind,
 * list filters, autostart links, defines in progress, undefine, and
 * loading (bad files skipped, a second load picking up only new files).
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
#include <vmm/vmm-domain.h>

#include "qemu-domains.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/macros.h"

static char dir[64];

static int setup(void **state)
{
        snprintf(dir, sizeof(dir), "/tmp/test-qemu-domains-XXXXXX");
        assert_non_null(mkdtemp(dir));
        vmm_log_set_level(VMM_LOG_ERROR);
        return 0;
}

static int teardown(void **state)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static char *xml_for(const char *name, const char *uuid, unsigned mib)
{
        char *xml;

        assert_true(asprintf(&xml,
                             "<domain type='qemu'><name>%s</name>%s%s%s"
                             "<memory unit='MiB'>%u</memory><os><type>hvm</type></os></domain>",
                             name, uuid ? "<uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>" : "",
                             mib) > 0);
        return xml;
}

static VmmQemuDomain *define_ok(VmmQemuDomains *s, const char *name, const char *uuid,
                                unsigned mib, bool expect_updated)
{
        _cleanup_free_ char *xml = xml_for(name, uuid, mib);
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated = !expect_updated;

        if (vmm_qemu_domains_define(s, xml, 0, &dom, &updated, &err) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&err));
        assert_int_equal(updated, expect_updated);
        assert_string_equal(dom->name, name);
        return dom;
}

static void define_fails(VmmQemuDomains *s, const char *xml, int code, const char *what)
{
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated;

        assert_int_equal(vmm_qemu_domains_define(s, xml, 0, &dom, &updated, &err), code);
        if (!strstr(vmm_error_message(&err), what))
                fail_msg("error \"%s\" does not say \"%s\"", vmm_error_message(&err), what);
        vmm_error_clear(&err);
}

static size_t files_in(const char *d)
{
        char cmd[256];
        FILE *p;
        size_t n = 0;

        snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '\\.xml$'", d);
        p = popen(cmd, "r");
        assert_non_null(p);
        assert_int_equal(fscanf(p, "%zu", &n), 1);
        pclose(p);
        return n;
}

static void test_define_redefine_clash(void **state)
{
        _cleanup_(vmm_qemu_domains_freep) VmmQemuDomains *s = NULL;
        const char *u1 = "11111111-2222-3333-4444-555555555555";
        VmmQemuDomain *a;

        assert_int_equal(vmm_qemu_domains_new(dir, &s, NULL), 0);
        a = define_ok(s, "alpha", u1, 64, false);
        assert_string_equal(a->uuid_str, u1);
        assert_int_equal(vmm_domain_def_get_memory_kib(a->def), 65536);
        /* same name and UUID: a redefinition, the same object */
        assert_ptr_equal(define_ok(s, "alpha", u1, 128, true), a);
        assert_int_equal(vmm_domain_def_get_memory_kib(a->def), 131072);
        assert_int_equal(vmm_qemu_domains_count(s), 1);

        _cleanup_free_ char *x1 = xml_for("alpha", "99999999-2222-3333-4444-555555555555", 64);
        define_fails(s, x1, -EEXIST, "already exists with UUID " "11111111");
        _cleanup_free_ char *x2 = xml_for("beta", u1, 64);
        define_fails(s, x2, -EEXIST, "already used by domain 'alpha'");
        define_fails(s, "<domain type='qemu'><name>bad</name>", -EINVAL, "");
        _cleanup_free_ char *x3 = xml_for("a/b", NULL, 64);
        define_fails(s, x3, -EINVAL, "a/b");
        _cleanup_free_ char *x4 = xml_for(".hidden", NULL, 64);
        define_fails(s, x4, -EINVAL, ".hidden");
        assert_int_equal(files_in(dir), 1);
        assert_int_equal(vmm_qemu_domains_count(s), 1);
        /* the file holds the latest definition */
        _cleanup_free_ char *path = NULL, *text = NULL;
        assert_true(asprintf(&path, "%s/alpha.xml", dir) > 0);
        assert_int_equal(vmm_file_read_all(path, 1 << 20, &text, NULL, NULL), 0);
        assert_non_null(strstr(text, "131072"));
}

static void test_list_filters_autostart(void **state)
{
        _cleanup_(vmm_qemu_domains_freep) VmmQemuDomains *s = NULL;
        static const struct {
                unsigned int flags;
                const char *expect;
        } cases[] = {
            {0, "a b c "},
            {VMM_DOMAIN_LIST_INACTIVE, "a b c "},
            {VMM_DOMAIN_LIST_ACTIVE, ""},
            {VMM_DOMAIN_LIST_PERSISTENT, "a b c "},
            {VMM_DOMAIN_LIST_TRANSIENT, ""},
            {VMM_DOMAIN_LIST_SHUTOFF, "a b c "},
            {VMM_DOMAIN_LIST_RUNNING | VMM_DOMAIN_LIST_PAUSED, ""},
            {VMM_DOMAIN_LIST_AUTOSTART, "b "},
            {VMM_DOMAIN_LIST_NO_AUTOSTART, "a c "},
            {VMM_DOMAIN_LIST_AUTOSTART | VMM_DOMAIN_LIST_NO_AUTOSTART, "a b c "},
            {VMM_DOMAIN_LIST_AUTOSTART | VMM_DOMAIN_LIST_ACTIVE, ""},
        };
        char link[128];
        struct stat st;

        assert_int_equal(vmm_qemu_domains_new(dir, &s, NULL), 0);
        define_ok(s, "c", NULL, 64, false);
        define_ok(s, "a", NULL, 64, false);
        assert_int_equal(vmm_qemu_domains_set_autostart(s, define_ok(s, "b", NULL, 64, false),
                                                        true, NULL),
                         0);
        snprintf(link, sizeof(link), "%s/autostart/b.xml", dir);
        assert_int_equal(lstat(link, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(stat(link, &st), 0); /* it points at the definition */
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmQemuDomain **doms = NULL;
                size_t n = 0;
                char got[64] = "";

                assert_int_equal(vmm_qemu_domains_list(s, cases[i].flags, &doms, &n, NULL), 0);
                for (size_t k = 0; k < n; k++) {
                        strcat(got, doms[k]->name);
                        strcat(got, " ");
                }
                free(doms);
                if (strcmp(got, cases[i].expect) != 0)
                        fail_msg("flags 0x%x: \"%s\" (expected \"%s\")", cases[i].flags, got,
                                 cases[i].expect);
        }
        assert_int_equal(vmm_qemu_domains_set_autostart(
                                 s, vmm_qemu_domains_find_by_name(s, "b"), false, NULL),
                         0);
        assert_int_equal(lstat(link, &st), -1);
}

static void test_pending_define_blocks(void **state)
{
        _cleanup_(vmm_qemu_domains_freep) VmmQemuDomains *s = NULL;
        _cleanup_free_ char *x1 = xml_for("slow", "22222222-2222-3333-4444-555555555555", 64);
        _cleanup_free_ char *x2 = xml_for("other", "22222222-2222-3333-4444-555555555555", 64);
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDefine *op = NULL;
        VmmQemuDomain *dom = NULL;
        bool updated;

        assert_int_equal(vmm_qemu_domains_new(dir, &s, NULL), 0);
        assert_int_equal(vmm_qemu_domains_define_prepare(s, x1, 0, &op, &err), 0);
        /* not visible, and its name and UUID are held */
        assert_null(vmm_qemu_domains_find_by_name(s, "slow"));
        define_fails(s, x1, -EBUSY, "in progress");
        define_fails(s, x2, -EBUSY, "in progress");
        vmm_qemu_define_write(op);
        assert_int_equal(vmm_qemu_domains_define_commit(s, op, &dom, &updated, &err), 0);
        vmm_qemu_define_free(s, op);
        assert_ptr_equal(vmm_qemu_domains_find_by_name(s, "slow"), dom);
        assert_false(updated);
        /* released: a redefinition goes through */
        define_ok(s, "slow", "22222222-2222-3333-4444-555555555555", 32, true);

        /* an abandoned op releases its name too */
        _cleanup_free_ char *x3 = xml_for("gone", NULL, 64);
        op = NULL;
        assert_int_equal(vmm_qemu_domains_define_prepare(s, x3, 0, &op, &err), 0);
        vmm_qemu_define_free(s, op);
        define_ok(s, "gone", NULL, 64, false);
}

static void test_undefine_and_load(void **state)
{
        _cleanup_(vmm_qemu_domains_freep) VmmQemuDomains *s = NULL, *s2 = NULL;
        char path[128];
        FILE *f;

        assert_int_equal(vmm_qemu_domains_new(dir, &s, NULL), 0);
        define_ok(s, "keep", "33333333-2222-3333-4444-555555555555", 64, false);
        define_ok(s, "drop", NULL, 64, false);
        assert_int_equal(vmm_qemu_domains_set_autostart(
                                 s, vmm_qemu_domains_find_by_name(s, "keep"), true, NULL),
                         0);
        assert_int_equal(vmm_qemu_domains_undefine(s, vmm_qemu_domains_find_by_name(s, "drop"),
                                                   NULL),
                         0);
        assert_null(vmm_qemu_domains_find_by_name(s, "drop"));
        snprintf(path, sizeof(path), "%s/drop.xml", dir);
        assert_int_equal(access(path, F_OK), -1);

        /* junk a fresh daemon must skip */
        snprintf(path, sizeof(path), "%s/junk.xml", dir);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs("<domain", f);
        fclose(f);
        snprintf(path, sizeof(path), "%s/.tmp.xml", dir);
        f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);

        assert_int_equal(vmm_qemu_domains_new(dir, &s2, NULL), 0);
        assert_int_equal(vmm_qemu_domains_load(s2), 1);
        assert_non_null(vmm_qemu_domains_find_by_name(s2, "keep"));
        assert_true(vmm_qemu_domains_find_by_name(s2, "keep")->autostart);
        /* again: nothing new */
        assert_int_equal(vmm_qemu_domains_load(s2), 0);
        /* a definition written by the other store shows up on reload */
        define_ok(s, "late", NULL, 64, false);
        assert_int_equal(vmm_qemu_domains_load(s2), 1);
        assert_non_null(vmm_qemu_domains_find_by_name(s2, "late"));
        assert_int_equal(vmm_qemu_domains_count(s2), 2);
}

static void test_paths(void **state)
{
        VmmQemuPaths p;
        VmmError err = VMM_ERROR_INIT;

        assert_int_equal(vmm_qemu_paths_init(&p, "/r", false, &err), 0);
        assert_string_equal(p.config_dir, "/r/etc/vmm/qemu");
        assert_string_equal(p.state_dir, "/r/var/lib/vmm/qemu");
        assert_string_equal(p.run_dir, "/r/run/vmm");
        vmm_qemu_paths_done(&p);
        assert_int_equal(vmm_qemu_paths_init(&p, NULL, false, &err), 0);
        assert_string_equal(p.config_dir, "/etc/vmm/qemu");
        assert_string_equal(p.run_dir, "/run/vmm");
        vmm_qemu_paths_done(&p);
        setenv("XDG_CONFIG_HOME", "/c", 1);
        setenv("XDG_DATA_HOME", "/d", 1);
        setenv("XDG_RUNTIME_DIR", "/x", 1);
        assert_int_equal(vmm_qemu_paths_init(&p, NULL, true, &err), 0);
        assert_string_equal(p.config_dir, "/c/vmm/qemu");
        assert_string_equal(p.state_dir, "/d/vmm/qemu");
        assert_string_equal(p.run_dir, "/x/vmm");
        vmm_qemu_paths_done(&p);
        assert_int_equal(vmm_qemu_paths_init(&p, "rel", false, &err), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&err), "\"rel\""));
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_define_redefine_clash, setup, teardown),
            cmocka_unit_test_setup_teardown(test_list_filters_autostart, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pending_define_blocks, setup, teardown),
            cmocka_unit_test_setup_teardown(test_undefine_and_load, setup, teardown),
            cmocka_unit_test(test_paths),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
