/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime operations of the public API on the test driver:
 * vmm_domain_set_memory (live, config, current; the limits), the
 * statistics calls (groups, list filters, order, the fields a user reads)
 * and vmm_domain_qemu_monitor_command (not supported without QEMU), with
 * their argument checks. Each test defines domains of its own names on
 * test:///default.
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
#include <vmm/vmm-qemu.h>
#include <vmm/vmm.h>

static VmmConnect *open_default(unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        if (vmm_connect_open("test:///default", flags, &conn, &error) < 0)
                fail_msg("open test:///default: %s", vmm_error_message(&error));
        return conn;
}

/* A persistent domain with 1 GiB <memory>, 512 MiB current, one disk and
 * one NIC. */
static VmmDomain *define(VmmConnect *conn, const char *name)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char xml[1024];

        snprintf(xml, sizeof(xml),
                 "<domain type='test'><name>%s</name>"
                 "<memory unit='MiB'>1024</memory><currentMemory unit='MiB'>512</currentMemory>"
                 "<vcpu current='1'>2</vcpu><os><type>hvm</type></os><devices>"
                 "<disk type='file' device='disk'><source file='/img/%s.qcow2'/>"
                 "<target dev='vdb' bus='virtio'/></disk>"
                 "<interface type='network'><source network='default'/>"
                 "<target dev='tap-%s'/></interface></devices></domain>",
                 name, name, name);
        if (vmm_domain_define_xml(conn, xml, 0, &dom, &error) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&error));
        return dom;
}

static uint64_t current_kib(VmmDomain *dom)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainInfo info;

        assert_int_equal(vmm_domain_get_info(dom, &info, &error), 0);
        return info.memory_kib;
}

static bool inactive_xml_has(VmmDomain *dom, const char *text)
{
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;
        bool found;

        assert_int_equal(vmm_domain_get_xml(dom, VMM_DOMAIN_XML_INACTIVE, &xml, &error), 0);
        found = strstr(xml, text) != NULL;
        free(xml);
        return found;
}

static void test_set_memory(void **state)
{
        VmmConnect *conn = open_default(0);
        VmmDomain *dom = define(conn, "ops-mem");
        VmmError error = VMM_ERROR_INIT;

        /* shut off: CURRENT is the definition, LIVE is refused */
        assert_int_equal(vmm_domain_set_memory(dom, 600 * 1024, 0, &error), 0);
        assert_true(inactive_xml_has(dom, ">614400</currentMemory>"));
        assert_int_equal(vmm_domain_set_memory(dom, 100 * 1024, VMM_DOMAIN_AFFECT_LIVE, &error),
                         -EBUSY);
        assert_non_null(strstr(vmm_error_message(&error), "'ops-mem'"));
        vmm_error_clear(&error);

        /* running: CURRENT is the guest, the definition stays */
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_int_equal(current_kib(dom), 614400);
        assert_int_equal(vmm_domain_set_memory(dom, 256 * 1024, 0, &error), 0);
        assert_int_equal(current_kib(dom), 262144);
        assert_true(inactive_xml_has(dom, ">614400</currentMemory>"));
        /* CONFIG only: the guest stays */
        assert_int_equal(vmm_domain_set_memory(dom, 768 * 1024, VMM_DOMAIN_AFFECT_CONFIG, &error),
                         0);
        assert_true(inactive_xml_has(dom, ">786432</currentMemory>"));
        assert_int_equal(current_kib(dom), 262144);
        /* both */
        assert_int_equal(vmm_domain_set_memory(dom, 300 * 1024,
                                               VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG,
                                               &error),
                         0);
        assert_int_equal(current_kib(dom), 307200);
        assert_true(inactive_xml_has(dom, ">307200</currentMemory>"));

        /* limits: above <memory>, zero, unknown flags; nothing changes */
        assert_int_equal(vmm_domain_set_memory(dom, 2048 * 1024, 0, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "2097152 KiB"));
        assert_non_null(strstr(vmm_error_message(&error), "1048576 KiB"));
        assert_int_equal(vmm_domain_set_memory(dom, 0, 0, &error), -EINVAL);
        assert_int_equal(vmm_domain_set_memory(dom, 1024, 1u << 7, &error), -EINVAL);
        assert_int_equal(vmm_domain_set_memory(NULL, 1024, 0, &error), -EINVAL);
        assert_int_equal(current_kib(dom), 307200);
        vmm_error_clear(&error);

        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static const VmmDomainStatField *field(const VmmDomainStatsRecord *rec, const char *key)
{
        for (size_t i = 0; i < rec->n_fields; i++)
                if (strcmp(rec->fields[i].key, key) == 0)
                        return &rec->fields[i];
        return NULL;
}

static const VmmDomainStatsRecord *record_of(const VmmDomainStatsRecord *recs, size_t n,
                                             const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(vmm_domain_get_name(recs[i].dom), name) == 0)
                        return &recs[i];
        return NULL;
}

static void test_stats(void **state)
{
        VmmConnect *conn = open_default(0);
        VmmDomain *a = define(conn, "ops-a"), *b = define(conn, "ops-b");
        VmmError error = VMM_ERROR_INIT;
        VmmDomainStatsRecord *recs = NULL;
        const VmmDomainStatsRecord *ra, *rb;
        size_t n = 0;

        assert_int_equal(vmm_domain_start(a, 0, &error), 0);

        /* everything, for every domain */
        assert_true(vmm_connect_get_all_domain_stats(conn, 0, 0, &recs, &n, &error) >= 2);
        ra = record_of(recs, n, "ops-a");
        rb = record_of(recs, n, "ops-b");
        assert_non_null(ra);
        assert_non_null(rb);
        assert_int_equal(field(ra, "state.state")->u, VMM_DOMAIN_RUNNING);
        assert_int_equal(field(rb, "state.state")->u, VMM_DOMAIN_SHUTOFF);
        assert_non_null(field(ra, "cpu.time"));
        assert_null(field(rb, "cpu.time")); /* not running: no CPU time */
        assert_int_equal(field(ra, "balloon.current")->u, 524288);
        assert_int_equal(field(ra, "balloon.maximum")->u, 1048576);
        assert_int_equal(field(ra, "vcpu.current")->u, 1);
        assert_int_equal(field(ra, "vcpu.maximum")->u, 2);
        assert_int_equal(field(ra, "block.count")->u, 1);
        assert_int_equal(field(ra, "block.0.name")->type, VMM_DOMAIN_STAT_STRING);
        assert_string_equal(field(ra, "block.0.name")->s, "vdb");
        assert_string_equal(field(ra, "block.0.path")->s, "/img/ops-a.qcow2");
        assert_int_equal(field(ra, "net.count")->u, 1);
        assert_string_equal(field(ra, "net.0.name")->s, "tap-ops-a");
        vmm_domain_stats_free(recs, n);

        /* groups and list filters */
        assert_true(vmm_connect_get_all_domain_stats(conn, VMM_DOMAIN_STATS_BALLOON,
                                                     VMM_DOMAIN_LIST_INACTIVE, &recs, &n,
                                                     &error) >= 1);
        assert_null(record_of(recs, n, "ops-a"));
        rb = record_of(recs, n, "ops-b");
        assert_non_null(rb);
        assert_int_equal(rb->n_fields, 2);
        assert_non_null(field(rb, "balloon.current"));
        assert_null(field(rb, "state.state"));
        vmm_domain_stats_free(recs, n);

        /* given domains, in the given order */
        {
                VmmDomain *doms[] = {b, a};

                assert_int_equal(vmm_domain_list_get_stats(doms, 2, VMM_DOMAIN_STATS_STATE, 0,
                                                           &recs, &n, &error),
                                 2);
                assert_string_equal(vmm_domain_get_name(recs[0].dom), "ops-b");
                assert_string_equal(vmm_domain_get_name(recs[1].dom), "ops-a");
                vmm_domain_stats_free(recs, n);
        }

        /* argument checks */
        assert_int_equal(vmm_connect_get_all_domain_stats(NULL, 0, 0, &recs, &n, &error), -EINVAL);
        assert_int_equal(vmm_connect_get_all_domain_stats(conn, 1u << 20, 0, &recs, &n, &error),
                         -EINVAL);
        assert_int_equal(vmm_connect_get_all_domain_stats(conn, 0, 0, NULL, &n, &error), -EINVAL);
        assert_int_equal(vmm_domain_list_get_stats(&a, 0, 0, 0, &recs, &n, &error), -EINVAL);
        vmm_domain_stats_free(NULL, 3);
        vmm_error_clear(&error);

        assert_int_equal(vmm_domain_destroy(a, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(a, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(b, 0, &error), 0);
        vmm_domain_unref(a);
        vmm_domain_unref(b);
        vmm_connect_close(conn);
}

static void test_monitor_command(void **state)
{
        VmmConnect *conn = open_default(0), *ro = open_default(VMM_CONNECT_READ_ONLY);
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL, *rodom = NULL;
        char *reply = NULL;

        assert_int_equal(vmm_domain_lookup_by_name(conn, "test", &dom, &error), 0);
        assert_int_equal(vmm_domain_lookup_by_name(ro, "test", &rodom, &error), 0);
        assert_int_equal(vmm_domain_qemu_monitor_command(dom, "{\"execute\":\"query-status\"}",
                                                         &reply, 0, &error),
                         -ENOTSUP);
        assert_int_equal(error.kind, VMM_ERR_NO_SUPPORT);
        assert_int_equal(vmm_domain_qemu_monitor_command(dom, NULL, &reply, 0, &error), -EINVAL);
        assert_int_equal(vmm_domain_qemu_monitor_command(dom, "{}", &reply, 1, &error), -EINVAL);
        /* a write operation: refused on a read-only connection */
        assert_int_equal(
            vmm_domain_qemu_monitor_command(rodom, "{\"execute\":\"stop\"}", &reply, 0, &error),
            -EPERM);
        assert_int_equal(vmm_domain_set_memory(rodom, 1024, 0, &error), -EPERM);
        assert_null(reply);
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        vmm_domain_unref(rodom);
        vmm_connect_close(conn);
        vmm_connect_close(ro);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_set_memory),
            cmocka_unit_test(test_stats),
            cmocka_unit_test(test_monitor_command),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
