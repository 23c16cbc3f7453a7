/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-test-driver-file.c: test:///PATH.xml, a private test driver state
 * loaded from a libvirt-style <node> file (fixtures in
 * tests/data/test-driver/): contents, file references, state hints, and
 * bad files failing the open with the file and line named.
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
#include <vmm/vmm.h>

#define FIXTURES VMM_TEST_DATA_DIR "/test-driver/"

static VmmConnect *open_fixture(const char *file)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        char uri[4096];

        snprintf(uri, sizeof(uri), "test://%s%s", FIXTURES, file);
        if (vmm_connect_open(uri, 0, &conn, &error) < 0)
                fail_msg("open %s: %s", uri, vmm_error_message(&error));
        return conn;
}

static void assert_contains(const char *haystack, const char *needle)
{
        if (!haystack || !strstr(haystack, needle))
                fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

static void assert_domain(VmmConnect *conn, const char *name, VmmDomainState want, uint64_t max_kib,
                          unsigned int vcpus, bool autostart)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        VmmDomainInfo info;
        bool got_autostart;

        if (vmm_domain_lookup_by_name(conn, name, &dom, &error) < 0)
                fail_msg("lookup %s: %s", name, vmm_error_message(&error));
        assert_int_equal(vmm_domain_get_info(dom, &info, &error), 0);
        if (info.state != want)
                fail_msg("%s: state %s, expected %s", name, vmm_domain_state_to_string(info.state),
                         vmm_domain_state_to_string(want));
        assert_int_equal(info.max_memory_kib, max_kib);
        assert_int_equal(info.vcpus, vcpus);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);
        assert_int_equal(vmm_domain_get_autostart(dom, &got_autostart, &error), 0);
        assert_int_equal(got_autostart, autostart);
        if (want == VMM_DOMAIN_SHUTOFF)
                assert_int_equal(vmm_domain_get_id(dom), -1);
        else
                assert_true(vmm_domain_get_id(dom) > 0);
        vmm_domain_unref(dom);
}

static void test_node_file(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_fixture("node.xml");
        VmmDomain **doms = NULL;
        VmmNetwork *net = NULL;
        VmmStoragePool *pool = NULL;
        VmmStorageVol **vols = NULL, *vol = NULL;
        VmmStoragePoolInfo pinfo;
        VmmStorageVolInfo vinfo;
        size_t n = 0;
        char *bridge = NULL;

        assert_int_equal(vmm_domain_list_all(conn, 0, &doms, &n, &error), 3);
        assert_string_equal(vmm_domain_get_name(doms[0]), "cache");
        assert_string_equal(vmm_domain_get_name(doms[1]), "db1");
        assert_string_equal(vmm_domain_get_name(doms[2]), "web1");
        vmm_domain_list_free(doms, n);
        assert_domain(conn, "web1", VMM_DOMAIN_RUNNING, 1024 * 1024, 2, false);
        assert_domain(conn, "cache", VMM_DOMAIN_PAUSED, 256 * 1024, 1, false);
        assert_domain(conn, "db1", VMM_DOMAIN_SHUTOFF, 2048 * 1024, 4, true);

        assert_int_equal(vmm_network_lookup_by_name(conn, "lan", &net, &error), 0);
        assert_int_equal(vmm_network_is_active(net, &error), 1);
        assert_int_equal(vmm_network_get_bridge_name(net, &bridge, &error), 0);
        assert_string_equal(bridge, "br-lan");
        free(bridge);
        vmm_network_unref(net);
        /* Nothing of test:///default leaks into a file's state. */
        assert_int_equal(vmm_network_lookup_by_name(conn, "default", &net, &error), -ENOENT);
        vmm_error_clear(&error);

        assert_int_equal(vmm_storage_pool_lookup_by_name(conn, "images", &pool, &error), 0);
        assert_int_equal(vmm_storage_pool_get_info(pool, &pinfo, &error), 0);
        assert_int_equal(pinfo.capacity, 100ull << 30);
        assert_int_equal(pinfo.available, 80ull << 30);
        assert_int_equal(vmm_storage_vol_list_all(pool, 0, &vols, &n, &error), 2);
        assert_string_equal(vmm_storage_vol_get_name(vols[0]), "data.img");
        assert_string_equal(vmm_storage_vol_get_name(vols[1]), "root.qcow2");
        vmm_storage_vol_list_free(vols, n);
        assert_int_equal(vmm_storage_vol_lookup_by_name(pool, "root.qcow2", &vol, &error), 0);
        assert_string_equal(vmm_storage_vol_get_path(vol), "/srv/images/root.qcow2");
        assert_int_equal(vmm_storage_vol_get_info(vol, &vinfo, &error), 0);
        assert_int_equal(vinfo.capacity, 20ull << 30);
        assert_int_equal(vinfo.allocation, 3ull << 30);
        vmm_storage_vol_unref(vol);
        vmm_storage_pool_unref(pool);
        vmm_connect_close(conn);
}

static char *network_names(VmmConnect *conn, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmNetwork **nets = NULL;
        size_t n = 0;
        char buf[256] = "";

        if (vmm_network_list_all(conn, flags, &nets, &n, &error) < 0)
                fail_msg("list networks 0x%x: %s", flags, vmm_error_message(&error));
        for (size_t i = 0; i < n; i++) {
                strncat(buf, i ? "," : "", sizeof(buf) - strlen(buf) - 1);
                strncat(buf, vmm_network_get_name(nets[i]), sizeof(buf) - strlen(buf) - 1);
        }
        vmm_network_list_free(nets, n);
        return strdup(buf);
}

static char *pool_names(VmmConnect *conn, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmStoragePool **pools = NULL;
        size_t n = 0;
        char buf[256] = "";

        if (vmm_storage_pool_list_all(conn, flags, &pools, &n, &error) < 0)
                fail_msg("list pools 0x%x: %s", flags, vmm_error_message(&error));
        for (size_t i = 0; i < n; i++) {
                strncat(buf, i ? "," : "", sizeof(buf) - strlen(buf) - 1);
                strncat(buf, vmm_storage_pool_get_name(pools[i]), sizeof(buf) - strlen(buf) - 1);
        }
        vmm_storage_pool_list_free(pools, n);
        return strdup(buf);
}

/* active='no' and autostart='yes' hints on networks and pools, and the
 * list filters over them. */
static void test_network_pool_hints(void **s)
{
        static const struct {
                unsigned int flags;
                const char *names;
        } net_cases[] =
            {
                {0, "isolated,lan"},
                {VMM_NETWORK_LIST_ACTIVE, "lan"},
                {VMM_NETWORK_LIST_INACTIVE, "isolated"},
                {VMM_NETWORK_LIST_AUTOSTART, "isolated"},
                {VMM_NETWORK_LIST_NO_AUTOSTART | VMM_NETWORK_LIST_ACTIVE, "lan"},
                {VMM_NETWORK_LIST_TRANSIENT, ""},
                {VMM_NETWORK_LIST_PERSISTENT | VMM_NETWORK_LIST_INACTIVE, "isolated"},
            },
          pool_cases[] = {
              {0, "cold,images"},
              {VMM_STORAGE_POOL_LIST_ACTIVE, "images"},
              {VMM_STORAGE_POOL_LIST_INACTIVE, "cold"},
              {VMM_STORAGE_POOL_LIST_AUTOSTART, ""},
              {VMM_STORAGE_POOL_LIST_PERSISTENT, "cold,images"},
          };
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_fixture("node.xml");
        VmmNetwork *net = NULL;
        VmmStoragePool *pool = NULL;
        VmmStorageVol **vols = NULL, *vol = NULL;
        VmmStoragePoolInfo info;
        size_t n = 0;
        bool autostart = false;

        for (size_t i = 0; i < sizeof(net_cases) / sizeof(net_cases[0]); i++) {
                char *names = network_names(conn, net_cases[i].flags);

                if (strcmp(names, net_cases[i].names) != 0)
                        fail_msg("networks 0x%x: \"%s\", expected \"%s\"", net_cases[i].flags,
                                 names, net_cases[i].names);
                free(names);
        }
        for (size_t i = 0; i < sizeof(pool_cases) / sizeof(pool_cases[0]); i++) {
                char *names = pool_names(conn, pool_cases[i].flags);

                if (strcmp(names, pool_cases[i].names) != 0)
                        fail_msg("pools 0x%x: \"%s\", expected \"%s\"", pool_cases[i].flags, names,
                                 pool_cases[i].names);
                free(names);
        }

        assert_int_equal(vmm_network_lookup_by_name(conn, "isolated", &net, &error), 0);
        assert_int_equal(vmm_network_is_active(net, &error), 0);
        assert_int_equal(vmm_network_get_autostart(net, &autostart, &error), 0);
        assert_true(autostart);
        vmm_network_unref(net);

        /* An inactive pool has no volumes to list. */
        assert_int_equal(vmm_storage_pool_lookup_by_name(conn, "cold", &pool, &error), 0);
        assert_int_equal(vmm_storage_pool_get_info(pool, &info, &error), 0);
        assert_int_equal(info.state, VMM_STORAGE_POOL_INACTIVE);
        assert_int_equal(vmm_storage_vol_list_all(pool, 0, &vols, &n, &error), -EBUSY);
        assert_contains(vmm_error_message(&error), "'cold'");
        assert_int_equal(vmm_storage_vol_lookup_by_name(pool, "x", &vol, &error), -EBUSY);
        vmm_error_clear(&error);
        vmm_storage_pool_unref(pool);
        vmm_connect_close(conn);
}

/* Each open of a file gets a private state. */
static void test_file_states_are_private(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *a = open_fixture("node.xml"), *b = open_fixture("node.xml");
        VmmDomain *dom = NULL;
        VmmDomainState st;

        assert_int_equal(vmm_domain_lookup_by_name(a, "web1", &dom, &error), 0);
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        assert_int_equal(vmm_domain_lookup_by_name(b, "web1", &dom, &error), 0);
        assert_int_equal(vmm_domain_get_state(dom, &st, NULL, &error), 0);
        assert_int_equal(st, VMM_DOMAIN_RUNNING);
        vmm_domain_unref(dom);
        vmm_connect_close(a);
        vmm_connect_close(b);
}

static void test_bad_files(void **s)
{
        static const struct {
                const char *file;
                int code;
                const char *parts[3]; /* what the message must name */
        } cases[] = {
            {"bad-memory.xml", -EINVAL, {"bad-memory.xml", "line 5", "lots"}},
            {"bad-ref.xml", -ENOENT, {"bad-ref.xml", "line 4", "no-such-domain.xml"}},
            {"bad-element.xml", -EINVAL, {"bad-element.xml", "line 5", "frobnicate"}},
            {"bad-syntax.xml", -EINVAL, {"bad-syntax.xml", "line 6", "malformed"}},
            {"bad-inner.xml",
             -EINVAL,
             {"bad-inner.xml: line 4", "dom-bad-vcpu.xml: line 5", "two"}},
            {"bad-hint.xml", -EINVAL, {"bad-hint.xml", "line 3", "sleeping"}},
            {"bad-duplicate.xml", -EEXIST, {"bad-duplicate.xml", "line 4", "'web1'"}},
            {"no-such-file.xml", -ENOENT, {"no-such-file.xml", NULL, NULL}},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmConnect *conn = NULL;
                char uri[4096];
                int r;

                snprintf(uri, sizeof(uri), "test://%s%s", FIXTURES, cases[i].file);
                r = vmm_connect_open(uri, 0, &conn, &error);
                if (r != cases[i].code)
                        fail_msg("%s: got %d (%s), expected %d", cases[i].file, r,
                                 vmm_error_message(&error), cases[i].code);
                assert_null(conn);
                for (int j = 0; j < 3 && cases[i].parts[j]; j++)
                        assert_contains(vmm_error_message(&error), cases[i].parts[j]);
                vmm_error_clear(&error);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_node_file),
            cmocka_unit_test(test_network_pool_hints),
            cmocka_unit_test(test_file_states_are_private),
            cmocka_unit_test(test_bad_files),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
