/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-test-driver.c: the embedded test driver through the public API:
 * the default state, the domain state machine, define/undefine rules,
 * list filters, bad input leaving the state alone, and threads.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <vmm/vmm.h>

#define DEFAULT_URI "test:///default"

static VmmConnect *open_default(void)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        int r = vmm_connect_open(DEFAULT_URI, 0, &conn, &error);

        if (r < 0)
                fail_msg("open %s: %s", DEFAULT_URI, vmm_error_message(&error));
        return conn;
}

static char *domain_xml(const char *name, const char *uuid, unsigned int mem_mib)
{
        char *xml;

        if (asprintf(&xml,
                     "<domain type='test'>\n"
                     "  <name>%s</name>\n"
                     "  <uuid>%s</uuid>\n"
                     "  <memory unit='MiB'>%u</memory>\n"
                     "  <vcpu>1</vcpu>\n"
                     "  <os><type>hvm</type></os>\n"
                     "</domain>\n",
                     name, uuid, mem_mib) < 0)
                fail_msg("out of memory");
        return xml;
}

static VmmDomain *define(VmmConnect *conn, const char *name, const char *uuid, unsigned int mem_mib)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char *xml = domain_xml(name, uuid, mem_mib);
        int r = vmm_domain_define_xml(conn, xml, 0, &dom, &error);

        free(xml);
        if (r < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&error));
        return dom;
}

static VmmDomain *lookup(VmmConnect *conn, const char *name)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;

        if (vmm_domain_lookup_by_name(conn, name, &dom, &error) < 0)
                fail_msg("lookup %s: %s", name, vmm_error_message(&error));
        return dom;
}

/* The names of the listed domains, comma separated, in list order. */
static char *list_names(VmmConnect *conn, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain **doms = NULL;
        size_t n = 0;
        char *out = calloc(1, 1);
        int r = vmm_domain_list_all(conn, flags, &doms, &n, &error);

        if (r < 0)
                fail_msg("list 0x%x: %s", flags, vmm_error_message(&error));
        assert_int_equal(r, (int)n);
        for (size_t i = 0; i < n; i++) {
                char *next;

                if (asprintf(&next, "%s%s%s", out, i ? "," : "", vmm_domain_get_name(doms[i])) < 0)
                        fail_msg("out of memory");
                free(out);
                out = next;
        }
        vmm_domain_list_free(doms, n);
        return out;
}

static size_t count_domains(VmmConnect *conn)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain **doms = NULL;
        size_t n = 0;

        assert_true(vmm_domain_list_all(conn, 0, &doms, &n, &error) >= 0);
        vmm_domain_list_free(doms, n);
        return n;
}

static char *get_xml(VmmDomain *dom, unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;

        if (vmm_domain_get_xml(dom, flags, &xml, &error) < 0)
                fail_msg("XML of %s: %s", vmm_domain_get_name(dom), vmm_error_message(&error));
        return xml;
}

static void assert_state(VmmDomain *dom, VmmDomainState want, int want_reason)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomainState st;
        int reason;

        assert_int_equal(vmm_domain_get_state(dom, &st, &reason, &error), 0);
        if (st != want || reason != want_reason)
                fail_msg("domain %s: state %s/%s, expected %s/%s", vmm_domain_get_name(dom),
                         vmm_domain_state_to_string(st),
                         vmm_domain_state_reason_to_string(st, reason),
                         vmm_domain_state_to_string(want),
                         vmm_domain_state_reason_to_string(want, want_reason));
}

static void assert_contains(const char *haystack, const char *needle)
{
        if (!haystack || !strstr(haystack, needle))
                fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

/* --- the default state --- */

static void test_default_domain(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = NULL;
        VmmDomainInfo info;
        char *names = list_names(conn, 0), *xml, *os = NULL;
        bool autostart = true;
        unsigned long version = 0;
        char *hostname = NULL, expect_host[256] = "";

        assert_string_equal(names, "test");
        free(names);
        assert_string_equal(vmm_connect_get_driver_name(conn), "test");
        assert_int_equal(vmm_connect_get_hypervisor_version(conn, &version, &error), 0);
        assert_int_equal(version, vmm_version_number());
        assert_int_equal(vmm_connect_get_hostname(conn, &hostname, &error), 0);
        assert_int_equal(gethostname(expect_host, sizeof(expect_host)), 0);
        assert_string_equal(hostname, expect_host);
        free(hostname);

        assert_int_equal(vmm_domain_lookup_by_id(conn, 1, &dom, &error), 0);
        assert_string_equal(vmm_domain_get_name(dom), "test");
        assert_int_equal(vmm_domain_get_id(dom), 1);
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_int_equal(vmm_domain_is_active(dom, &error), 1);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);
        assert_int_equal(vmm_domain_get_autostart(dom, &autostart, &error), 0);
        assert_false(autostart);
        assert_int_equal(vmm_domain_get_os_type(dom, &os, &error), 0);
        assert_string_equal(os, "hvm");
        free(os);

        assert_int_equal(vmm_domain_get_info(dom, &info, &error), 0);
        assert_int_equal(info.state, VMM_DOMAIN_RUNNING);
        assert_int_equal(info.max_memory_kib, 8ull * 1024 * 1024);
        assert_int_equal(info.memory_kib, 2ull * 1024 * 1024);
        assert_int_equal(info.vcpus, 2);

        xml = get_xml(dom, 0);
        assert_contains(xml, "<name>test</name>");
        assert_contains(xml, "id=\"1\"");
        assert_contains(xml, "vda");
        assert_contains(xml, "default");
        free(xml);
        xml = get_xml(dom, VMM_DOMAIN_XML_INACTIVE);
        assert_null(strstr(xml, "id=\"1\""));
        free(xml);

        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_default_network_and_pool(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmNetwork **nets = NULL, *net = NULL;
        VmmStoragePool **pools = NULL, *pool = NULL;
        VmmStorageVol **vols = NULL, *vol = NULL;
        VmmStoragePoolInfo pinfo;
        VmmStorageVolInfo vinfo;
        size_t n = 0;
        char *bridge = NULL, *xml = NULL, uuid[VMM_UUID_STRING_BUFLEN];
        bool autostart = true;

        assert_int_equal(vmm_network_list_all(conn, 0, &nets, &n, &error), 1);
        assert_string_equal(vmm_network_get_name(nets[0]), "default");
        vmm_network_list_free(nets, n);
        assert_int_equal(vmm_network_lookup_by_name(conn, "default", &net, &error), 0);
        assert_int_equal(vmm_network_is_active(net, &error), 1);
        assert_int_equal(vmm_network_is_persistent(net, &error), 1);
        assert_int_equal(vmm_network_get_bridge_name(net, &bridge, &error), 0);
        assert_string_equal(bridge, "virbr0");
        assert_int_equal(vmm_network_get_xml(net, 0, &xml, &error), 0);
        assert_contains(xml, "nat");
        assert_contains(xml, "192.168.122.1");
        assert_contains(xml, "192.168.122.254");
        free(xml);
        free(bridge);
        vmm_network_get_uuid_string(net, uuid);
        vmm_network_unref(net);
        assert_int_equal(vmm_network_lookup_by_uuid_string(conn, uuid, &net, &error), 0);
        assert_string_equal(vmm_network_get_name(net), "default");
        assert_int_equal(vmm_network_get_autostart(net, &autostart, &error), 0);
        assert_false(autostart);
        vmm_network_unref(net);
        assert_int_equal(vmm_network_lookup_by_name(conn, "nope", &net, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_NETWORK);
        vmm_error_clear(&error);

        assert_int_equal(vmm_storage_pool_list_all(conn, 0, &pools, &n, &error), 1);
        assert_string_equal(vmm_storage_pool_get_name(pools[0]), "default-pool");
        vmm_storage_pool_list_free(pools, n);
        assert_int_equal(vmm_storage_pool_lookup_by_name(conn, "default-pool", &pool, &error), 0);
        assert_int_equal(vmm_storage_pool_is_active(pool, &error), 1);
        assert_int_equal(vmm_storage_pool_is_persistent(pool, &error), 1);
        autostart = true;
        assert_int_equal(vmm_storage_pool_get_autostart(pool, &autostart, &error), 0);
        assert_false(autostart);
        assert_int_equal(vmm_storage_pool_get_info(pool, &pinfo, &error), 0);
        assert_int_equal(pinfo.state, VMM_STORAGE_POOL_RUNNING);
        assert_int_equal(pinfo.capacity, 107374182400ull);
        assert_int_equal(pinfo.allocation, 4294967296ull);
        assert_int_equal(pinfo.available, 103079215104ull);
        assert_int_equal(vmm_storage_pool_get_xml(pool, 0, &xml, &error), 0);
        assert_contains(xml, "/default-pool");
        free(xml);

        assert_int_equal(vmm_storage_vol_list_all(pool, 0, &vols, &n, &error), 2);
        assert_string_equal(vmm_storage_vol_get_name(vols[0]), "disk1.img");
        assert_string_equal(vmm_storage_vol_get_name(vols[1]), "disk2.qcow2");
        vmm_storage_vol_list_free(vols, n);
        assert_int_equal(vmm_storage_vol_lookup_by_name(pool, "disk1.img", &vol, &error), 0);
        assert_string_equal(vmm_storage_vol_get_path(vol), "/default-pool/disk1.img");
        assert_string_equal(vmm_storage_vol_get_pool_name(vol), "default-pool");
        /* Without a <key>, a directory pool's volume is keyed by its path. */
        assert_string_equal(vmm_storage_vol_get_key(vol), "/default-pool/disk1.img");
        assert_int_equal(vmm_storage_vol_get_info(vol, &vinfo, &error), 0);
        assert_int_equal(vinfo.type, VMM_STORAGE_VOL_FILE);
        assert_int_equal(vinfo.capacity, 10737418240ull);
        assert_int_equal(vinfo.allocation, 2147483648ull);
        assert_int_equal(vmm_storage_vol_get_xml(vol, 0, &xml, &error), 0);
        assert_contains(xml, "disk1.img");
        free(xml);
        vmm_storage_vol_unref(vol);
        assert_int_equal(vmm_storage_vol_lookup_by_name(pool, "nope", &vol, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_STORAGE_VOL);
        vmm_error_clear(&error);
        vmm_storage_pool_unref(pool);
        vmm_connect_close(conn);
}

/* All connections to test:///default share one state while any is open;
 * when the last closes, the next open starts afresh. */
static void test_default_shared(void **s)
{
        VmmConnect *a = open_default(), *b = open_default();
        char *names;

        vmm_domain_unref(define(a, "shared1", "11111111-2222-4333-8444-555555555555", 128));
        names = list_names(b, 0);
        assert_string_equal(names, "shared1,test");
        free(names);
        vmm_connect_close(a);
        names = list_names(b, 0);
        assert_string_equal(names, "shared1,test");
        free(names);
        vmm_connect_close(b);

        a = open_default();
        names = list_names(a, 0);
        assert_string_equal(names, "test");
        free(names);
        vmm_connect_close(a);
}

/* --- the state machine --- */

typedef enum Op {
        OP_START,
        OP_START_PAUSED,
        OP_SHUTDOWN,
        OP_DESTROY,
        OP_SUSPEND,
        OP_RESUME,
        OP_REBOOT,
        OP_RESET,
        _OP_MAX
} Op;

static const char *const op_names[_OP_MAX] = {
    "start", "start-paused", "shutdown", "destroy", "suspend", "resume", "reboot", "reset",
};

static int apply(VmmDomain *dom, Op op, VmmError *error)
{
        switch (op) {
        case OP_START:
                return vmm_domain_start(dom, 0, error);
        case OP_START_PAUSED:
                return vmm_domain_start(dom, VMM_DOMAIN_START_PAUSED, error);
        case OP_SHUTDOWN:
                return vmm_domain_shutdown(dom, 0, error);
        case OP_DESTROY:
                return vmm_domain_destroy(dom, 0, error);
        case OP_SUSPEND:
                return vmm_domain_suspend(dom, error);
        case OP_RESUME:
                return vmm_domain_resume(dom, error);
        case OP_REBOOT:
                return vmm_domain_reboot(dom, 0, error);
        case OP_RESET:
                return vmm_domain_reset(dom, 0, error);
        default:
                return -EINVAL;
        }
}

typedef struct Transition {
        VmmDomainState from;
        Op op;
        bool allowed;
        VmmDomainState to;
        int reason;
} Transition;

#define OK(f, o, t, r)                                                                             \
        {                                                                                          \
                VMM_DOMAIN_##f, OP_##o, true, VMM_DOMAIN_##t, r                                    \
        }
#define NO(f, o)                                                                                   \
        {                                                                                          \
                VMM_DOMAIN_##f, OP_##o, false, 0, 0                                                \
        }

static const Transition transitions[] = {
    OK(SHUTOFF, START, RUNNING, VMM_DOMAIN_RUNNING_BOOTED),
    OK(SHUTOFF, START_PAUSED, PAUSED, VMM_DOMAIN_PAUSED_USER),
    NO(SHUTOFF, SHUTDOWN),
    NO(SHUTOFF, DESTROY),
    NO(SHUTOFF, SUSPEND),
    NO(SHUTOFF, RESUME),
    NO(SHUTOFF, REBOOT),
    NO(SHUTOFF, RESET),
    NO(RUNNING, START),
    NO(RUNNING, START_PAUSED),
    OK(RUNNING, SHUTDOWN, SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN),
    OK(RUNNING, DESTROY, SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED),
    OK(RUNNING, SUSPEND, PAUSED, VMM_DOMAIN_PAUSED_USER),
    NO(RUNNING, RESUME),
    OK(RUNNING, REBOOT, RUNNING, VMM_DOMAIN_RUNNING_BOOTED),
    OK(RUNNING, RESET, RUNNING, VMM_DOMAIN_RUNNING_BOOTED),
    NO(PAUSED, START),
    NO(PAUSED, START_PAUSED),
    NO(PAUSED, SHUTDOWN),
    OK(PAUSED, DESTROY, SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED),
    NO(PAUSED, SUSPEND),
    OK(PAUSED, RESUME, RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED),
    NO(PAUSED, REBOOT),
    OK(PAUSED, RESET, PAUSED, VMM_DOMAIN_PAUSED_USER),
};

/* Brings a freshly defined (shut off) domain into `st`. */
static void bring_to(VmmDomain *dom, VmmDomainState st)
{
        VmmError error = VMM_ERROR_INIT;

        if (st == VMM_DOMAIN_SHUTOFF)
                return;
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        if (st == VMM_DOMAIN_PAUSED)
                assert_int_equal(vmm_domain_suspend(dom, &error), 0);
}

static void test_state_machine(void **s)
{
        VmmConnect *conn = open_default();

        for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
                const Transition *t = &transitions[i];
                VmmError error = VMM_ERROR_INIT;
                VmmDomainState before_state;
                int before_reason, before_id, r;
                VmmDomain *dom = define(conn, "sm", "0a0b0c0d-1111-4222-8333-444455556666", 256);
                char *before_xml;

                bring_to(dom, t->from);
                assert_int_equal(vmm_domain_get_state(dom, &before_state, &before_reason, &error),
                                 0);
                before_id = vmm_domain_get_id(dom);
                before_xml = get_xml(dom, 0);
                r = apply(dom, t->op, &error);
                if (t->allowed) {
                        if (r < 0)
                                fail_msg("%s from %s: refused: %s", op_names[t->op],
                                         vmm_domain_state_to_string(t->from),
                                         vmm_error_message(&error));
                        assert_state(dom, t->to, t->reason);
                        assert_int_equal(vmm_domain_is_active(dom, &error),
                                         t->to != VMM_DOMAIN_SHUTOFF);
                        if (t->to == VMM_DOMAIN_SHUTOFF)
                                assert_int_equal(vmm_domain_get_id(dom), -1);
                        else
                                assert_true(vmm_domain_get_id(dom) > 0);
                } else {
                        char *after_xml;

                        if (r != -EBUSY)
                                fail_msg("%s from %s: got %d (%s), expected -EBUSY",
                                         op_names[t->op], vmm_domain_state_to_string(t->from), r,
                                         vmm_error_message(&error));
                        assert_int_equal(error.kind, VMM_ERR_OPERATION_INVALID);
                        assert_contains(vmm_error_message(&error), "domain 'sm'");
                        assert_state(dom, before_state, before_reason);
                        assert_int_equal(vmm_domain_get_id(dom), before_id);
                        after_xml = get_xml(dom, 0);
                        assert_string_equal(after_xml, before_xml);
                        free(after_xml);
                }
                free(before_xml);
                vmm_error_clear(&error);
                if (vmm_domain_is_active(dom, NULL) == 1)
                        assert_int_equal(vmm_domain_destroy(dom, 0, NULL), 0);
                assert_int_equal(vmm_domain_undefine(dom, 0, NULL), 0);
                vmm_domain_unref(dom);
        }
        vmm_connect_close(conn);
}

static void test_state_messages(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "web1", "0a0b0c0d-1111-4222-8333-444455556677", 256);

        assert_int_equal(vmm_domain_suspend(dom, &error), -EBUSY);
        assert_string_equal(vmm_error_message(&error),
                            "domain 'web1' is not running (state: shut off)");
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_start(dom, 0, &error), -EBUSY);
        assert_string_equal(vmm_error_message(&error), "domain 'web1' is already running");
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_cpu_time(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = lookup(conn, "test");
        VmmDomainInfo a, b;
        struct timespec ten_ms = {0, 10 * 1000 * 1000};

        assert_int_equal(vmm_domain_get_info(dom, &a, &error), 0);
        nanosleep(&ten_ms, NULL);
        assert_int_equal(vmm_domain_get_info(dom, &b, &error), 0);
        assert_true(b.cpu_time_ns >= a.cpu_time_ns + 10 * 1000 * 1000);

        assert_int_equal(vmm_domain_suspend(dom, &error), 0);
        assert_int_equal(vmm_domain_get_info(dom, &a, &error), 0);
        nanosleep(&ten_ms, NULL);
        assert_int_equal(vmm_domain_get_info(dom, &b, &error), 0);
        assert_int_equal(a.cpu_time_ns, b.cpu_time_ns);
        assert_int_equal(b.state, VMM_DOMAIN_PAUSED);

        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_get_info(dom, &a, &error), 0);
        assert_int_equal(a.cpu_time_ns, 0);
        assert_int_equal(a.state, VMM_DOMAIN_SHUTOFF);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

/* --- define, redefine, undefine --- */

#define UUID1 "6f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0"
#define UUID2 "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"

static void test_define_redefine(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "web1", UUID1, 512), *again;
        char *xml, uuid[VMM_UUID_STRING_BUFLEN];

        assert_int_equal(count_domains(conn), 2);
        vmm_domain_get_uuid_string(dom, uuid);
        assert_string_equal(uuid, UUID1);
        assert_int_equal(vmm_domain_get_id(dom), -1);
        assert_state(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_UNKNOWN);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);

        /* Same name and UUID: a redefinition, not a new domain. */
        again = define(conn, "web1", UUID1, 768);
        assert_int_equal(count_domains(conn), 2);
        xml = get_xml(again, VMM_DOMAIN_XML_INACTIVE);
        assert_contains(xml, "786432");
        free(xml);
        vmm_domain_unref(again);

        /* A running domain keeps its live definition until its next start. */
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        vmm_domain_unref(define(conn, "web1", UUID1, 1024));
        xml = get_xml(dom, 0);
        assert_contains(xml, "786432");
        free(xml);
        xml = get_xml(dom, VMM_DOMAIN_XML_INACTIVE);
        assert_contains(xml, "1048576");
        free(xml);
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        xml = get_xml(dom, 0);
        assert_contains(xml, "1048576");
        free(xml);

        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_define_duplicates(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "web1", UUID1, 512), *other = NULL;
        char *before = get_xml(dom, VMM_DOMAIN_XML_INACTIVE), *after, *xml;

        /* The name with another UUID. */
        xml = domain_xml("web1", UUID2, 640);
        assert_int_equal(vmm_domain_define_xml(conn, xml, 0, &other, &error), -EEXIST);
        assert_int_equal(error.kind, VMM_ERR_DUPLICATE);
        assert_contains(vmm_error_message(&error), "'web1'");
        assert_contains(vmm_error_message(&error), UUID1);
        assert_null(other);
        free(xml);
        vmm_error_clear(&error);

        /* The UUID with another name. */
        xml = domain_xml("web2", UUID1, 640);
        assert_int_equal(vmm_domain_define_xml(conn, xml, 0, &other, &error), -EEXIST);
        assert_int_equal(error.kind, VMM_ERR_DUPLICATE);
        assert_contains(vmm_error_message(&error), UUID1);
        assert_contains(vmm_error_message(&error), "'web1'");
        free(xml);
        vmm_error_clear(&error);

        /* Creating (transient) under a taken name fails the same way. */
        xml = domain_xml("web1", UUID2, 640);
        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &other, &error), -EEXIST);
        free(xml);
        vmm_error_clear(&error);

        assert_int_equal(count_domains(conn), 2);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "web2", &other, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_DOMAIN);
        vmm_error_clear(&error);
        after = get_xml(dom, VMM_DOMAIN_XML_INACTIVE);
        assert_string_equal(before, after);
        free(before);
        free(after);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

/* The define flags reach the parser: KEEP_UNKNOWN keeps what it does not
 * know, VALIDATE checks the schema (which knows no <frobnicate>). */
static void test_define_flags(void **s)
{
        const char *xml = "<domain type='test'><name>keep1</name><memory>1024</memory>"
                          "<os><type>hvm</type></os><frobnicate colour='blue'/></domain>";
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = NULL;
        char *got;

        assert_int_equal(vmm_domain_define_xml(conn, xml, 0, &dom, &error), -EINVAL);
        assert_contains(vmm_error_message(&error), "frobnicate");
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_define_xml(
                             conn, xml, VMM_DOMAIN_DEFINE_KEEP_UNKNOWN | VMM_DOMAIN_DEFINE_VALIDATE,
                             &dom, &error),
                         -EINVAL);
        vmm_error_clear(&error);
        assert_int_equal(count_domains(conn), 1);
        assert_int_equal(
            vmm_domain_define_xml(conn, xml, VMM_DOMAIN_DEFINE_KEEP_UNKNOWN, &dom, &error), 0);
        got = get_xml(dom, VMM_DOMAIN_XML_INACTIVE);
        assert_contains(got, "<frobnicate colour=\"blue\"/>");
        free(got);
        vmm_domain_unref(dom);
        assert_int_equal(vmm_domain_define_xml(conn, xml, 1u << 7, &dom, &error), -EINVAL);
        vmm_error_clear(&error);
        vmm_connect_close(conn);
}

static void test_undefine(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "web1", UUID1, 512), *found = NULL;

        /* Shut off: gone at once. */
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "web1", &found, &error), -ENOENT);
        assert_int_equal(vmm_domain_is_active(dom, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_DOMAIN);
        vmm_error_clear(&error);
        vmm_domain_unref(dom);

        /* Running: becomes transient, gone when it stops. */
        dom = define(conn, "web1", UUID1, 512);
        assert_int_equal(vmm_domain_set_autostart(dom, true, &error), 0);
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 0);
        assert_int_equal(vmm_domain_is_active(dom, &error), 1);
        assert_int_equal(count_domains(conn), 2);
        assert_int_equal(vmm_domain_undefine(dom, 0, &error), -EBUSY);
        assert_int_equal(error.kind, VMM_ERR_OPERATION_INVALID);
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_set_autostart(dom, true, &error), -EINVAL);
        assert_contains(vmm_error_message(&error), "transient");
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_shutdown(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "web1", &found, &error), -ENOENT);
        vmm_error_clear(&error);
        assert_int_equal(count_domains(conn), 1);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_transient(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = NULL, *found = NULL;
        char *xml = domain_xml("tmp1", UUID2, 128);
        int id;

        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &dom, &error), 0);
        assert_state(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 0);
        id = vmm_domain_get_id(dom);
        assert_true(id > 1);
        assert_int_equal(vmm_domain_lookup_by_id(conn, id, &found, &error), 0);
        assert_string_equal(vmm_domain_get_name(found), "tmp1");
        vmm_domain_unref(found);
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "tmp1", &found, &error), -ENOENT);
        assert_int_equal(vmm_domain_lookup_by_id(conn, id, &found, &error), -ENOENT);
        vmm_error_clear(&error);
        assert_int_equal(count_domains(conn), 1);
        vmm_domain_unref(dom);

        /* Started paused; the next id is a new one. */
        assert_int_equal(vmm_domain_create_xml(conn, xml, VMM_DOMAIN_START_PAUSED, &dom, &error),
                         0);
        assert_state(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_true(vmm_domain_get_id(dom) > id);
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_int_equal(count_domains(conn), 1);
        vmm_domain_unref(dom);

        /* Defining a running transient domain makes it persistent: it
         * stays, shut off, when it stops. */
        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &dom, &error), 0);
        vmm_domain_unref(define(conn, "tmp1", UUID2, 128));
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);
        assert_int_equal(vmm_domain_is_active(dom, &error), 1);
        assert_int_equal(vmm_domain_destroy(dom, 0, &error), 0);
        assert_state(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED);
        assert_int_equal(count_domains(conn), 2);
        /* Creating it again runs it from the given XML, keeping it persistent. */
        vmm_domain_unref(dom);
        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &dom, &error), 0);
        assert_int_equal(vmm_domain_is_persistent(dom, &error), 1);
        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &found, &error), -EBUSY);
        assert_contains(vmm_error_message(&error), "already running");
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        free(xml);
        vmm_connect_close(conn);
}

/* --- listing --- */

static void test_list_filters(void **s)
{
        static const struct {
                unsigned int flags;
                const char *names;
        } cases[] = {
            {0, "off1,pause1,test,tmp1"},
            {VMM_DOMAIN_LIST_ACTIVE, "pause1,test,tmp1"},
            {VMM_DOMAIN_LIST_INACTIVE, "off1"},
            {VMM_DOMAIN_LIST_ACTIVE | VMM_DOMAIN_LIST_INACTIVE, "off1,pause1,test,tmp1"},
            {VMM_DOMAIN_LIST_PERSISTENT, "off1,pause1,test"},
            {VMM_DOMAIN_LIST_TRANSIENT, "tmp1"},
            {VMM_DOMAIN_LIST_RUNNING, "test,tmp1"},
            {VMM_DOMAIN_LIST_PAUSED, "pause1"},
            {VMM_DOMAIN_LIST_SHUTOFF, "off1"},
            {VMM_DOMAIN_LIST_OTHER, ""},
            {VMM_DOMAIN_LIST_PAUSED | VMM_DOMAIN_LIST_SHUTOFF, "off1,pause1"},
            {VMM_DOMAIN_LIST_AUTOSTART, "off1"},
            {VMM_DOMAIN_LIST_NO_AUTOSTART, "pause1,test,tmp1"},
            {VMM_DOMAIN_LIST_PERSISTENT | VMM_DOMAIN_LIST_RUNNING, "test"},
            {VMM_DOMAIN_LIST_TRANSIENT | VMM_DOMAIN_LIST_INACTIVE, ""},
            {VMM_DOMAIN_LIST_ACTIVE | VMM_DOMAIN_LIST_NO_AUTOSTART | VMM_DOMAIN_LIST_PERSISTENT,
             "pause1,test"},
        };
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *off = define(conn, "off1", "10000000-0000-4000-8000-000000000001", 128);
        VmmDomain *pause = define(conn, "pause1", "10000000-0000-4000-8000-000000000002", 128);
        VmmDomain *tmp = NULL, **doms = NULL;
        char *xml = domain_xml("tmp1", "10000000-0000-4000-8000-000000000003", 128);
        size_t n;

        assert_int_equal(vmm_domain_set_autostart(off, true, &error), 0);
        assert_int_equal(vmm_domain_start(pause, VMM_DOMAIN_START_PAUSED, &error), 0);
        assert_int_equal(vmm_domain_create_xml(conn, xml, 0, &tmp, &error), 0);
        free(xml);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *names = list_names(conn, cases[i].flags);

                if (strcmp(names, cases[i].names) != 0)
                        fail_msg("flags 0x%x: listed \"%s\", expected \"%s\"", cases[i].flags,
                                 names, cases[i].names);
                free(names);
        }
        assert_int_equal(vmm_domain_list_all(conn, 1u << 20, &doms, &n, &error), -EINVAL);
        vmm_error_clear(&error);
        vmm_domain_unref(off);
        vmm_domain_unref(pause);
        vmm_domain_unref(tmp);
        vmm_connect_close(conn);
}

static void test_lookups(void **s)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = open_default();
        VmmDomain *dom = define(conn, "web1", UUID1, 512), *found = NULL;

        assert_int_equal(vmm_domain_lookup_by_uuid_string(conn, UUID1, &found, &error), 0);
        assert_string_equal(vmm_domain_get_name(found), "web1");
        vmm_domain_unref(found);
        assert_int_equal(vmm_domain_lookup_by_uuid_string(conn, UUID2, &found, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_DOMAIN);
        assert_contains(vmm_error_message(&error), UUID2);
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "nope", &found, &error), -ENOENT);
        assert_contains(vmm_error_message(&error), "'nope'");
        vmm_error_clear(&error);
        /* A shut-off domain has no id to be found by. */
        assert_int_equal(vmm_domain_lookup_by_id(conn, 2, &found, &error), -ENOENT);
        vmm_error_clear(&error);
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_int_equal(vmm_domain_lookup_by_id(conn, vmm_domain_get_id(dom), &found, &error), 0);
        assert_string_equal(vmm_domain_get_name(found), "web1");
        vmm_domain_unref(found);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

/* --- bad input leaves the state alone --- */

static char *huge_document(void)
{
        const size_t size = 100u * 1024 * 1024;
        const char *head = "<domain type='test'><name>huge</name><description>";
        char *doc = malloc(size + 1);

        assert_non_null(doc);
        memset(doc, 'x', size);
        memcpy(doc, head, strlen(head));
        strcpy(doc + size - strlen("</description></domain>"), "</description></domain>");
        return doc;
}

static void test_bad_input(void **s)
{
        static const struct {
                const char *what;
                const char *xml;
                int code;
                const char *message; /* a part of the expected message */
        } cases[] = {
            {"malformed", "<domain type='test'><name>bad</name>", -EINVAL, "line"},
            {"unknown element",
             "<domain type='test'><name>bad</name><memory>1024</memory>"
             "<os><type>hvm</type></os><frobnicate/></domain>",
             -EINVAL, "frobnicate"},
            {"memory not a number",
             "<domain type='test'><name>bad</name>\n<memory>abc</memory>"
             "<os><type>hvm</type></os></domain>",
             -EINVAL, "abc"},
            {"missing name",
             "<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>", -EINVAL,
             "name"},
            {"XXE entity",
             "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY xxe SYSTEM "
             "'file:///etc/passwd'>]>\n<domain type='test'><name>&xxe;</name>"
             "<memory>1024</memory><os><type>hvm</type></os></domain>",
             -EINVAL, "DOCTYPE"},
            {"100 MiB document", NULL, -EFBIG, "limit"},
            {"redefine with a broken body",
             "<domain type='test'><name>test</name><memory>many</memory>"
             "<os><type>hvm</type></os></domain>",
             -EINVAL, "many"},
        };
        VmmConnect *conn = open_default();
        VmmDomain *test = lookup(conn, "test");
        char *live_before = get_xml(test, 0), *conf_before = get_xml(test, VMM_DOMAIN_XML_INACTIVE);
        char *names_before = list_names(conn, 0);

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomain *dom = NULL;
                char *huge = cases[i].xml ? NULL : huge_document();
                const char *xml = cases[i].xml ? cases[i].xml : huge;
                char *names, *live, *conf;

                for (int create = 0; create <= 1; create++) {
                        int r = create ? vmm_domain_create_xml(conn, xml, 0, &dom, &error)
                                       : vmm_domain_define_xml(conn, xml, 0, &dom, &error);

                        if (r != cases[i].code)
                                fail_msg("%s (%s): got %d (%s), expected %d", cases[i].what,
                                         create ? "create" : "define", r, vmm_error_message(&error),
                                         cases[i].code);
                        assert_null(dom);
                        assert_contains(vmm_error_message(&error), cases[i].message);
                        vmm_error_clear(&error);
                }
                free(huge);
                names = list_names(conn, 0);
                live = get_xml(test, 0);
                conf = get_xml(test, VMM_DOMAIN_XML_INACTIVE);
                assert_string_equal(names, names_before);
                assert_string_equal(live, live_before);
                assert_string_equal(conf, conf_before);
                free(names);
                free(live);
                free(conf);
        }
        free(names_before);
        free(live_before);
        free(conf_before);
        vmm_domain_unref(test);
        vmm_connect_close(conn);
}

/* --- threads --- */

#define N_THREADS 8
#define N_PER_THREAD 40

typedef struct Worker {
        VmmConnect *conn;
        int index;
        int failures;
} Worker;

static void *worker_main(void *data)
{
        Worker *w = data;

        for (int i = 0; i < N_PER_THREAD; i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmDomain *dom = NULL, *found = NULL, **doms = NULL;
                char name[32], uuid[40], *xml = NULL, *got = NULL;
                size_t n = 0;

                snprintf(name, sizeof(name), "w%d-%03d", w->index, i);
                snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", w->index + 1, i);
                xml = domain_xml(name, uuid, 64);
                if (vmm_domain_define_xml(w->conn, xml, 0, &dom, &error) < 0 ||
                    vmm_domain_lookup_by_name(w->conn, name, &found, &error) < 0 ||
                    vmm_domain_get_xml(found, 0, &got, &error) < 0 || !strstr(got, name) ||
                    vmm_domain_list_all(w->conn, 0, &doms, &n, &error) < 2 ||
                    (i % 4 == 0 && vmm_domain_start(dom, 0, &error) < 0))
                        w->failures++;
                vmm_domain_list_free(doms, n);
                vmm_domain_unref(dom);
                vmm_domain_unref(found);
                vmm_error_clear(&error);
                free(xml);
                free(got);
        }
        return NULL;
}

static void test_threads(void **s)
{
        VmmConnect *conn = open_default();
        pthread_t threads[N_THREADS];
        Worker workers[N_THREADS];
        char *active;
        int n_active = 0;

        for (int i = 0; i < N_THREADS; i++) {
                workers[i] = (Worker){.conn = conn, .index = i};
                assert_int_equal(pthread_create(&threads[i], NULL, worker_main, &workers[i]), 0);
        }
        for (int i = 0; i < N_THREADS; i++) {
                pthread_join(threads[i], NULL);
                assert_int_equal(workers[i].failures, 0);
        }
        assert_int_equal(count_domains(conn), 1 + N_THREADS * N_PER_THREAD);
        active = list_names(conn, VMM_DOMAIN_LIST_ACTIVE);
        for (char *p = active; *p; p++)
                n_active += *p == ',';
        assert_int_equal(n_active + 1, 1 + N_THREADS * N_PER_THREAD / 4);
        free(active);
        vmm_connect_close(conn);
}

/*
 * Every test starts from a fresh test:///default: the shared state lives
 * while a connection is open, and a failed test may leave handles (and so
 * its connection) behind. Each test therefore runs in a child process of
 * its own, so one failure does not cascade into the next tests.
 */
static int run_isolated(const struct CMUnitTest *test)
{
        const struct CMUnitTest one[] = {*test};
        int status = 0;
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid < 0)
                return 1;
        if (pid == 0)
                _exit(cmocka_run_group_tests_name(test->name, one, NULL, NULL) ? 1 : 0);
        if (waitpid(pid, &status, 0) < 0)
                return 1;
        if (WIFSIGNALED(status))
                fprintf(stderr, "%s: killed by signal %d\n", test->name, WTERMSIG(status));
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_default_domain),  cmocka_unit_test(test_default_network_and_pool),
            cmocka_unit_test(test_default_shared),  cmocka_unit_test(test_state_machine),
            cmocka_unit_test(test_state_messages),  cmocka_unit_test(test_cpu_time),
            cmocka_unit_test(test_define_redefine), cmocka_unit_test(test_define_duplicates),
            cmocka_unit_test(test_define_flags),    cmocka_unit_test(test_undefine),
            cmocka_unit_test(test_transient),       cmocka_unit_test(test_list_filters),
            cmocka_unit_test(test_lookups),         cmocka_unit_test(test_bad_input),
            cmocka_unit_test(test_threads),
        };
        int failed = 0;

        for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
                failed += run_isolated(&tests[i]);
        if (failed)
                fprintf(stderr, "%d of %zu tests failed\n", failed,
                        sizeof(tests) / sizeof(tests[0]));
        return failed ? 1 : 0;
}
