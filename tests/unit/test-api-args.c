/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public API layer's own behaviour, before and around the driver:
 * argument checks, closed and read-only connections, unsupported
 * operations, URIs no driver serves, handle reference counting. A fake
 * driver (opened with vmm_connect_open_driver()) stands in for a real one.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <cmocka.h>

#include "driver/api.h"
#include "util/error.h"
#include "util/macros.h"

/* --- the fake driver --- */

static struct {
        int opens, closes;
        int start_calls;
        unsigned int start_flags;
        int start_result; /* what domain_start returns, without a message */
} fake;

static int fake_open(VmmConnect *conn, const VmmUri *uri, unsigned int flags, VmmError *error)
{
        if (strcmp(uri->path, "/fail") == 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_SYSTEM, "fake: no state \"%s\"",
                                     uri->path);
        fake.opens++;
        conn->priv = &fake;
        return 0;
}

static void fake_close(VmmConnect *conn)
{
        assert_ptr_equal(conn->priv, &fake);
        fake.closes++;
}

static int fake_domain_start(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        fake.start_calls++;
        fake.start_flags = flags;
        return fake.start_result;
}

/* Only start is implemented: everything else is "not supported". */
static const VmmDriver fake_driver = {
        .name = "fake",
        .open = fake_open,
        .close = fake_close,
        .domain_start = fake_domain_start,
};

static const uint8_t some_uuid[VMM_UUID_BUFLEN] = {
        0xc7, 0xa5, 0xfd, 0xbd, 0xcd, 0xaf, 0x94, 0x55,
        0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09,
};

static VmmConnect *fake_connect(unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        if (vmm_connect_open_driver(&fake_driver, "fake:///default", flags, &conn, &error) < 0)
                fail_msg("open fake:///default: %s", vmm_error_message(&error));
        return conn;
}

/* --- every call, through one signature --- */

#define UUID_TEXT "c7a5fdbd-cdaf-9455-926a-d65c16db1809"

typedef struct Handles {
        VmmConnect *conn;
        VmmDomain *dom;
        VmmNetwork *net;
        VmmStoragePool *pool;
        VmmStorageVol *vol;
} Handles;

typedef int (*ApiCall)(Handles *h, VmmError *error);

static int call_vmm_connect_get_hypervisor_version(Handles *h, VmmError *error)
{
        unsigned long v;

        return vmm_connect_get_hypervisor_version(h->conn, &v, error);
}

static int call_vmm_connect_get_hostname(Handles *h, VmmError *error)
{
        char *s;

        return vmm_connect_get_hostname(h->conn, &s, error);
}

static int call_vmm_domain_lookup_by_name(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_lookup_by_name(h->conn, "web1", &d, error);
}

static int call_vmm_domain_lookup_by_uuid(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_lookup_by_uuid(h->conn, some_uuid, &d, error);
}

static int call_vmm_domain_lookup_by_uuid_string(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_lookup_by_uuid_string(h->conn, UUID_TEXT, &d, error);
}

static int call_vmm_domain_lookup_by_id(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_lookup_by_id(h->conn, 1, &d, error);
}

static int call_vmm_domain_list_all(Handles *h, VmmError *error)
{
        VmmDomain **d;
        size_t n;

        return vmm_domain_list_all(h->conn, 0, &d, &n, error);
}

static int call_vmm_domain_define_xml(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_define_xml(h->conn, "<domain/>", 0, &d, error);
}

static int call_vmm_domain_create_xml(Handles *h, VmmError *error)
{
        VmmDomain *d;

        return vmm_domain_create_xml(h->conn, "<domain/>", 0, &d, error);
}

static int call_vmm_domain_undefine(Handles *h, VmmError *error)
{
        return vmm_domain_undefine(h->dom, 0, error);
}

static int call_vmm_domain_get_xml(Handles *h, VmmError *error)
{
        char *s;

        return vmm_domain_get_xml(h->dom, 0, &s, error);
}

static int call_vmm_domain_shutdown(Handles *h, VmmError *error)
{
        return vmm_domain_shutdown(h->dom, 0, error);
}

static int call_vmm_domain_destroy(Handles *h, VmmError *error)
{
        return vmm_domain_destroy(h->dom, 0, error);
}

static int call_vmm_domain_suspend(Handles *h, VmmError *error)
{
        return vmm_domain_suspend(h->dom, error);
}

static int call_vmm_domain_resume(Handles *h, VmmError *error)
{
        return vmm_domain_resume(h->dom, error);
}

static int call_vmm_domain_reboot(Handles *h, VmmError *error)
{
        return vmm_domain_reboot(h->dom, 0, error);
}

static int call_vmm_domain_reset(Handles *h, VmmError *error)
{
        return vmm_domain_reset(h->dom, 0, error);
}

static int call_vmm_domain_get_info(Handles *h, VmmError *error)
{
        VmmDomainInfo i;

        return vmm_domain_get_info(h->dom, &i, error);
}

static int call_vmm_domain_get_state(Handles *h, VmmError *error)
{
        VmmDomainState s;

        return vmm_domain_get_state(h->dom, &s, NULL, error);
}

static int call_vmm_domain_is_active(Handles *h, VmmError *error)
{
        return vmm_domain_is_active(h->dom, error);
}

static int call_vmm_domain_is_persistent(Handles *h, VmmError *error)
{
        return vmm_domain_is_persistent(h->dom, error);
}

static int call_vmm_domain_get_os_type(Handles *h, VmmError *error)
{
        char *s;

        return vmm_domain_get_os_type(h->dom, &s, error);
}

static int call_vmm_domain_get_autostart(Handles *h, VmmError *error)
{
        bool b;

        return vmm_domain_get_autostart(h->dom, &b, error);
}

static int call_vmm_domain_set_autostart(Handles *h, VmmError *error)
{
        return vmm_domain_set_autostart(h->dom, true, error);
}

static int call_vmm_network_list_all(Handles *h, VmmError *error)
{
        VmmNetwork **n;
        size_t c;

        return vmm_network_list_all(h->conn, 0, &n, &c, error);
}

static int call_vmm_network_lookup_by_name(Handles *h, VmmError *error)
{
        VmmNetwork *n;

        return vmm_network_lookup_by_name(h->conn, "default", &n, error);
}

static int call_vmm_network_lookup_by_uuid_string(Handles *h, VmmError *error)
{
        VmmNetwork *n;

        return vmm_network_lookup_by_uuid_string(h->conn, UUID_TEXT, &n, error);
}

static int call_vmm_network_get_xml(Handles *h, VmmError *error)
{
        char *s;

        return vmm_network_get_xml(h->net, 0, &s, error);
}

static int call_vmm_network_is_active(Handles *h, VmmError *error)
{
        return vmm_network_is_active(h->net, error);
}

static int call_vmm_network_is_persistent(Handles *h, VmmError *error)
{
        return vmm_network_is_persistent(h->net, error);
}

static int call_vmm_network_get_autostart(Handles *h, VmmError *error)
{
        bool b;

        return vmm_network_get_autostart(h->net, &b, error);
}

static int call_vmm_network_get_bridge_name(Handles *h, VmmError *error)
{
        char *s;

        return vmm_network_get_bridge_name(h->net, &s, error);
}

static int call_vmm_storage_pool_list_all(Handles *h, VmmError *error)
{
        VmmStoragePool **p;
        size_t c;

        return vmm_storage_pool_list_all(h->conn, 0, &p, &c, error);
}

static int call_vmm_storage_pool_lookup_by_name(Handles *h, VmmError *error)
{
        VmmStoragePool *p;

        return vmm_storage_pool_lookup_by_name(h->conn, "default", &p, error);
}

static int call_vmm_storage_pool_get_xml(Handles *h, VmmError *error)
{
        char *s;

        return vmm_storage_pool_get_xml(h->pool, 0, &s, error);
}

static int call_vmm_storage_pool_get_info(Handles *h, VmmError *error)
{
        VmmStoragePoolInfo i;

        return vmm_storage_pool_get_info(h->pool, &i, error);
}

static int call_vmm_storage_pool_is_active(Handles *h, VmmError *error)
{
        return vmm_storage_pool_is_active(h->pool, error);
}

static int call_vmm_storage_pool_is_persistent(Handles *h, VmmError *error)
{
        return vmm_storage_pool_is_persistent(h->pool, error);
}

static int call_vmm_storage_pool_get_autostart(Handles *h, VmmError *error)
{
        bool b;

        return vmm_storage_pool_get_autostart(h->pool, &b, error);
}

static int call_vmm_storage_vol_list_all(Handles *h, VmmError *error)
{
        VmmStorageVol **v;
        size_t c;

        return vmm_storage_vol_list_all(h->pool, 0, &v, &c, error);
}

static int call_vmm_storage_vol_lookup_by_name(Handles *h, VmmError *error)
{
        VmmStorageVol *v;

        return vmm_storage_vol_lookup_by_name(h->pool, "a.img", &v, error);
}

static int call_vmm_storage_vol_get_xml(Handles *h, VmmError *error)
{
        char *s;

        return vmm_storage_vol_get_xml(h->vol, 0, &s, error);
}

static int call_vmm_storage_vol_get_info(Handles *h, VmmError *error)
{
        VmmStorageVolInfo i;

        return vmm_storage_vol_get_info(h->vol, &i, error);
}

typedef enum Target { ON_CONN, ON_DOM, ON_NET, ON_POOL, ON_VOL } Target;

static const struct {
        const char *name;
        ApiCall call;
        Target target;
        bool writes;
} calls[] = {
#define ENTRY(fn, target, writes) { #fn, call_##fn, target, writes }
        ENTRY(vmm_connect_get_hypervisor_version, ON_CONN, false),
        ENTRY(vmm_connect_get_hostname, ON_CONN, false),
        ENTRY(vmm_domain_lookup_by_name, ON_CONN, false),
        ENTRY(vmm_domain_lookup_by_uuid, ON_CONN, false),
        ENTRY(vmm_domain_lookup_by_uuid_string, ON_CONN, false),
        ENTRY(vmm_domain_lookup_by_id, ON_CONN, false),
        ENTRY(vmm_domain_list_all, ON_CONN, false),
        ENTRY(vmm_domain_define_xml, ON_CONN, true),
        ENTRY(vmm_domain_create_xml, ON_CONN, true),
        ENTRY(vmm_domain_undefine, ON_DOM, true),
        ENTRY(vmm_domain_get_xml, ON_DOM, false),
        ENTRY(vmm_domain_shutdown, ON_DOM, true),
        ENTRY(vmm_domain_destroy, ON_DOM, true),
        ENTRY(vmm_domain_suspend, ON_DOM, true),
        ENTRY(vmm_domain_resume, ON_DOM, true),
        ENTRY(vmm_domain_reboot, ON_DOM, true),
        ENTRY(vmm_domain_reset, ON_DOM, true),
        ENTRY(vmm_domain_get_info, ON_DOM, false),
        ENTRY(vmm_domain_get_state, ON_DOM, false),
        ENTRY(vmm_domain_is_active, ON_DOM, false),
        ENTRY(vmm_domain_is_persistent, ON_DOM, false),
        ENTRY(vmm_domain_get_os_type, ON_DOM, false),
        ENTRY(vmm_domain_get_autostart, ON_DOM, false),
        ENTRY(vmm_domain_set_autostart, ON_DOM, true),
        ENTRY(vmm_network_list_all, ON_CONN, false),
        ENTRY(vmm_network_lookup_by_name, ON_CONN, false),
        ENTRY(vmm_network_lookup_by_uuid_string, ON_CONN, false),
        ENTRY(vmm_network_get_xml, ON_NET, false),
        ENTRY(vmm_network_is_active, ON_NET, false),
        ENTRY(vmm_network_is_persistent, ON_NET, false),
        ENTRY(vmm_network_get_autostart, ON_NET, false),
        ENTRY(vmm_network_get_bridge_name, ON_NET, false),
        ENTRY(vmm_storage_pool_list_all, ON_CONN, false),
        ENTRY(vmm_storage_pool_lookup_by_name, ON_CONN, false),
        ENTRY(vmm_storage_pool_get_xml, ON_POOL, false),
        ENTRY(vmm_storage_pool_get_info, ON_POOL, false),
        ENTRY(vmm_storage_pool_is_active, ON_POOL, false),
        ENTRY(vmm_storage_pool_is_persistent, ON_POOL, false),
        ENTRY(vmm_storage_pool_get_autostart, ON_POOL, false),
        ENTRY(vmm_storage_vol_list_all, ON_POOL, false),
        ENTRY(vmm_storage_vol_lookup_by_name, ON_POOL, false),
        ENTRY(vmm_storage_vol_get_xml, ON_VOL, false),
        ENTRY(vmm_storage_vol_get_info, ON_VOL, false),
#undef ENTRY
};

static void handles_make(Handles *h, VmmConnect *conn)
{
        h->conn = conn;
        h->dom = vmm_domain_handle_new(conn, "web1", some_uuid, -1);
        h->net = vmm_network_handle_new(conn, "default", some_uuid);
        h->pool = vmm_storage_pool_handle_new(conn, "default", some_uuid);
        h->vol = vmm_storage_vol_handle_new(conn, "default", "a.img", "/p/a.img", "/p/a.img");
        assert_true(h->dom && h->net && h->pool && h->vol);
}

static void handles_drop(Handles *h)
{
        vmm_domain_unref(h->dom);
        vmm_network_unref(h->net);
        vmm_storage_pool_unref(h->pool);
        vmm_storage_vol_unref(h->vol);
}

/* Message must start with "<function>: " and contain `part`. */
static void check_message(const char *fn, const VmmError *error, const char *part)
{
        size_t n = strlen(fn);

        if (strncmp(error->message, fn, n) != 0 || error->message[n] != ':' ||
            !strstr(error->message, part))
                fail_msg("%s: message \"%s\" (expected \"%s: ...%s...\")", fn, error->message, fn,
                         part);
}

static void test_api_null_target(void **state)
{
        static const char *const what[] = {
                [ON_CONN] = "the connection is NULL",
                [ON_DOM] = "the domain handle is NULL",
                [ON_NET] = "the network handle is NULL",
                [ON_POOL] = "the storage pool handle is NULL",
                [ON_VOL] = "the storage volume handle is NULL",
        };
        Handles none = { 0 };

        for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
                VmmError error = VMM_ERROR_INIT;

                assert_int_equal(calls[i].call(&none, &error), -EINVAL);
                assert_int_equal(error.code, -EINVAL);
                assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
                check_message(calls[i].name, &error, what[calls[i].target]);
                vmm_error_clear(&error);
        }
}

static void test_api_not_supported(void **state)
{
        Handles h;

        handles_make(&h, fake_connect(0));
        for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
                VmmError error = VMM_ERROR_INIT;

                assert_int_equal(calls[i].call(&h, &error), -ENOTSUP);
                assert_int_equal(error.kind, VMM_ERR_NO_SUPPORT);
                check_message(calls[i].name, &error, "not supported by the fake driver");
                vmm_error_clear(&error);
        }
        handles_drop(&h);
        vmm_connect_close(h.conn);
}

static void test_api_read_only(void **state)
{
        Handles h;

        handles_make(&h, fake_connect(VMM_CONNECT_READ_ONLY));
        for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
                VmmError error = VMM_ERROR_INIT;
                int r = calls[i].call(&h, &error);

                if (calls[i].writes) {
                        assert_int_equal(r, -EPERM);
                        assert_int_equal(error.kind, VMM_ERR_ACCESS_DENIED);
                        check_message(calls[i].name, &error,
                                      "not allowed on the read-only connection to "
                                      "\"fake:///default\"");
                } else {
                        assert_int_equal(r, -ENOTSUP); /* passed the check, reached the driver */
                }
                vmm_error_clear(&error);
        }
        handles_drop(&h);
        vmm_connect_close(h.conn);
}

static void test_api_closed_connection(void **state)
{
        Handles h;

        fake.closes = 0;
        handles_make(&h, fake_connect(0));
        /* Closing leaves the handles' memory valid, but every call fails. */
        assert_null(vmm_connect_close(h.conn));
        assert_false(vmm_connect_is_alive(h.conn));
        assert_string_equal(vmm_connect_get_uri(h.conn), "fake:///default");
        for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
                VmmError error = VMM_ERROR_INIT;

                assert_int_equal(calls[i].call(&h, &error), -ENOTCONN);
                assert_int_equal(error.kind, VMM_ERR_NO_CONNECT);
                check_message(calls[i].name, &error,
                              "the connection to \"fake:///default\" is closed");
                vmm_error_clear(&error);
        }
        assert_int_equal(vmm_domain_get_id(h.dom), -1);
        assert_string_equal(vmm_domain_get_name(h.dom), "web1");
        /* The driver's state goes with the last reference. */
        assert_int_equal(fake.closes, 0);
        handles_drop(&h);
        assert_int_equal(fake.closes, 1);
}

static void test_api_reaches_driver(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = fake_connect(0);
        VmmDomain *dom = vmm_domain_handle_new(conn, "web1", some_uuid, 3);

        memset(&fake.start_calls, 0, sizeof(fake) - offsetof(typeof(fake), start_calls));
        assert_int_equal(vmm_domain_start(dom, VMM_DOMAIN_START_PAUSED, &error), 0);
        assert_int_equal(fake.start_calls, 1);
        assert_int_equal(fake.start_flags, VMM_DOMAIN_START_PAUSED);
        assert_false(vmm_error_is_set(&error));

        /* Unknown flags stop at the boundary. */
        assert_int_equal(vmm_domain_start(dom, 0x80, &error), -EINVAL);
        assert_int_equal(fake.start_calls, 1);
        check_message("vmm_domain_start", &error, "unknown flags 0x80");

        /* A success clears an earlier error. */
        assert_int_equal(vmm_domain_start(dom, 0, &error), 0);
        assert_false(vmm_error_is_set(&error));
        assert_null(error.message);

        /* A driver failing without a message still gives one. */
        fake.start_result = -EBUSY;
        assert_int_equal(vmm_domain_start(dom, 0, &error), -EBUSY);
        assert_int_equal(error.kind, VMM_ERR_OPERATION_INVALID);
        check_message("vmm_domain_start", &error, "busy");
        fake.start_result = 0;

        /* The cached id, when the driver has no get_id. */
        assert_int_equal(vmm_domain_get_id(dom), 3);
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_api_bad_arguments(void **state)
{
        VmmConnect *conn = fake_connect(VMM_CONNECT_READ_ONLY);
        VmmDomain *dom = vmm_domain_handle_new(conn, "web1", some_uuid, -1), *out = NULL;
        VmmDomain **list = NULL;
        VmmError error = VMM_ERROR_INIT;
        char *xml = NULL;
        size_t n;

        assert_int_equal(vmm_domain_lookup_by_name(conn, NULL, &out, &error), -EINVAL);
        check_message("vmm_domain_lookup_by_name", &error, "name is NULL or empty");
        assert_int_equal(vmm_domain_lookup_by_name(conn, "", &out, &error), -EINVAL);
        assert_int_equal(vmm_domain_lookup_by_name(conn, "x", NULL, &error), -EINVAL);
        check_message("vmm_domain_lookup_by_name", &error, "ret_dom is NULL");
        assert_int_equal(vmm_domain_lookup_by_id(conn, -5, &out, &error), -EINVAL);
        check_message("vmm_domain_lookup_by_id", &error, "id -5 is negative");
        assert_int_equal(vmm_domain_lookup_by_uuid_string(conn, "not-a-uuid", &out, &error),
                         -EINVAL);
        check_message("vmm_domain_lookup_by_uuid_string", &error,
                      "UUID \"not-a-uuid\" is malformed");
        assert_int_equal(vmm_network_lookup_by_uuid_string(conn, "1234", NULL, &error), -EINVAL);
        check_message("vmm_network_lookup_by_uuid_string", &error, "ret_net is NULL");
        assert_int_equal(vmm_domain_list_all(conn, 0, &list, NULL, &error), -EINVAL);
        check_message("vmm_domain_list_all", &error, "ret_count is NULL");
        assert_int_equal(vmm_domain_list_all(conn, 1u << 12, &list, &n, &error), -EINVAL);
        check_message("vmm_domain_list_all", &error, "unknown flags 0x1000");
        assert_int_equal(vmm_domain_get_xml(dom, 0, NULL, &error), -EINVAL);
        check_message("vmm_domain_get_xml", &error, "ret_xml is NULL");
        /* Secure XML is refused on a read-only connection. */
        assert_int_equal(vmm_domain_get_xml(dom, VMM_DOMAIN_XML_SECURE, &xml, &error), -EPERM);
        assert_int_equal(error.kind, VMM_ERR_ACCESS_DENIED);
        check_message("vmm_domain_get_xml", &error, "VMM_DOMAIN_XML_SECURE");
        assert_int_equal(vmm_storage_vol_get_xml(NULL, 0, &xml, &error), -EINVAL);
        assert_int_equal(vmm_connect_get_hostname(conn, NULL, &error), -EINVAL);
        check_message("vmm_connect_get_hostname", &error, "ret_hostname is NULL");
        assert_int_equal(vmm_connect_default_uri(NULL, &error), -EINVAL);
        assert_null(out);
        assert_null(list);
        assert_null(xml);
        vmm_error_clear(&error);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_connect_open_errors(void **state)
{
        static const struct {
                const char *uri;
                unsigned int flags;
                int r;
                VmmErrorKind kind;
                const char *message; /* exact */
        } cases[] = {
                { "qemu+tls://host.example/system", 0, -ENOTSUP, VMM_ERR_NO_CONNECT,
                  "no driver for \"qemu+tls://host.example/system\": remote connections "
                  "(transport tls) need the vmm-proxyd daemon, which this build cannot reach "
                  "yet" },
                { "test+tls://h/default", 0, -ENOTSUP, VMM_ERR_NO_CONNECT,
                  "no driver for \"test+tls://h/default\": the test driver serves only local "
                  "URIs such as \"test:///default\"" },
                { "xen:///system", 0, -ENOTSUP, VMM_ERR_NO_CONNECT,
                  "no driver for \"xen:///system\": unknown driver \"xen\" (expected one of "
                  "\"test\", or \"qemu\" through its daemon)" },
                { "test:///default", 0x10, -EINVAL, VMM_ERR_INVALID_ARG,
                  "vmm_connect_open: invalid argument: unknown flags 0x10 (expected a mask of "
                  "0x3)" },
                { "qemu:/system", 0, -EINVAL, VMM_ERR_INVALID_ARG,
                  "URI \"qemu:/system\" is malformed: there is no \"driver://\" at its start "
                  "(expected e.g. \"qemu:///system\" or \"qemu+tls://host.example/system\")" },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmConnect *conn = NULL;

                assert_int_equal(vmm_connect_open(cases[i].uri, cases[i].flags, &conn, &error),
                                 cases[i].r);
                assert_null(conn);
                assert_int_equal(error.code, cases[i].r);
                assert_int_equal(error.kind, cases[i].kind);
                assert_string_equal(error.message, cases[i].message);
                vmm_error_clear(&error);
        }
}

static void test_connect_open_default_and_fail(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        char *saved = getenv("VMM_DEFAULT_URI") ? strdup(getenv("VMM_DEFAULT_URI")) : NULL;

        assert_int_equal(vmm_connect_open("test:///default", 0, NULL, &error), -EINVAL);
        assert_string_equal(error.message, "vmm_connect_open: invalid argument: ret_conn is NULL");

        /* A NULL URI means the default one. */
        setenv("VMM_DEFAULT_URI", "qemu+ssh://root@h/system", 1);
        assert_int_equal(vmm_connect_open(NULL, 0, &conn, &error), -ENOTSUP);
        assert_non_null(strstr(error.message, "\"qemu+ssh://root@h/system\""));
        setenv("VMM_DEFAULT_URI", "bad", 1);
        assert_int_equal(vmm_connect_open(NULL, 0, &conn, &error), -EINVAL);
        assert_non_null(strstr(error.message, "URI \"bad\" is malformed"));
        if (saved)
                setenv("VMM_DEFAULT_URI", saved, 1);
        else
                unsetenv("VMM_DEFAULT_URI");
        free(saved);

        /* A driver whose open() fails: no connection, its message, no close(). */
        fake.closes = 0;
        assert_int_equal(vmm_connect_open_driver(&fake_driver, "fake:///fail", 0, &conn, &error),
                         -ENOENT);
        assert_null(conn);
        assert_string_equal(error.message, "fake: no state \"/fail\"");
        assert_int_equal(fake.closes, 0);
        vmm_error_clear(&error);
}

static void test_connect_accessors(void **state)
{
        VmmConnect *conn = fake_connect(0);

        assert_string_equal(vmm_connect_get_uri(conn), "fake:///default");
        assert_string_equal(vmm_connect_get_driver_name(conn), "fake");
        assert_true(vmm_connect_is_alive(conn)); /* no is_alive entry: open is alive */
        assert_null(vmm_connect_get_uri(NULL));
        assert_null(vmm_connect_get_driver_name(NULL));
        assert_false(vmm_connect_is_alive(NULL));
        assert_null(vmm_connect_close(NULL));
        vmm_connect_close(conn);
}

static void test_handles_refcount(void **state)
{
        VmmConnect *conn;
        VmmDomain *dom, **list;
        char uuid[VMM_UUID_STRING_BUFLEN];
        uint8_t raw[VMM_UUID_BUFLEN];
        VmmStorageVol *vol;
        VmmSecret *secret;
        VmmNodeDevice *dev;

        fake.closes = 0;
        conn = fake_connect(0);
        assert_int_equal(atomic_load(&conn->refs), 1);
        dom = vmm_domain_handle_new(conn, "web1", some_uuid, 7);
        assert_int_equal(atomic_load(&conn->refs), 2);
        assert_ptr_equal(vmm_domain_ref(dom), dom);
        assert_int_equal(atomic_load(&dom->refs), 2);
        assert_ptr_equal(vmm_domain_get_connect(dom), conn);
        assert_string_equal(vmm_domain_get_name(dom), "web1");
        vmm_domain_get_uuid_string(dom, uuid);
        assert_string_equal(uuid, "c7a5fdbd-cdaf-9455-926a-d65c16db1809");
        vmm_domain_get_uuid(dom, raw);
        assert_memory_equal(raw, some_uuid, VMM_UUID_BUFLEN);
        assert_null(vmm_domain_unref(dom));
        assert_int_equal(atomic_load(&conn->refs), 2);

        /* A list holds references; freeing it drops them. */
        list = calloc(2, sizeof(*list));
        list[0] = vmm_domain_ref(dom);
        list[1] = vmm_domain_handle_new(conn, "web2", some_uuid, -1);
        assert_int_equal(atomic_load(&conn->refs), 3);
        vmm_domain_list_free(list, 2);
        vmm_domain_list_free(NULL, 0);
        assert_int_equal(atomic_load(&conn->refs), 2);

        vol = vmm_storage_vol_handle_new(conn, "pool1", "a.img", "key-a", "/p/a.img");
        assert_string_equal(vmm_storage_vol_get_pool_name(vol), "pool1");
        assert_string_equal(vmm_storage_vol_get_name(vol), "a.img");
        assert_string_equal(vmm_storage_vol_get_key(vol), "key-a");
        assert_string_equal(vmm_storage_vol_get_path(vol), "/p/a.img");
        secret = vmm_secret_handle_new(conn, some_uuid, 1, "vol1");
        dev = vmm_node_device_handle_new(conn, "net_eth0", "computer");
        assert_ptr_equal(vmm_secret_ref(secret), secret);
        assert_ptr_equal(vmm_node_device_ref(dev), dev);
        assert_int_equal(atomic_load(&conn->refs), 5);
        vmm_secret_unref(secret);
        vmm_node_device_unref(dev);
        assert_int_equal(atomic_load(&conn->refs), 5);
        vmm_secret_unref(secret);
        vmm_node_device_unref(dev);
        vmm_storage_vol_unref(vol);
        assert_int_equal(atomic_load(&conn->refs), 2);

        /* The last handle keeps the connection; the last unref closes it. */
        vmm_connect_close(conn);
        assert_int_equal(fake.closes, 0);
        vmm_domain_unref(dom);
        assert_int_equal(fake.closes, 1);

        /* NULL handles are accepted everywhere. */
        assert_null(vmm_domain_ref(NULL));
        assert_null(vmm_domain_unref(NULL));
        assert_null(vmm_domain_get_name(NULL));
        vmm_domain_get_uuid_string(NULL, uuid);
        assert_string_equal(uuid, "");
        assert_int_equal(vmm_domain_get_id(NULL), -1);
        assert_null(vmm_network_unref(NULL));
        assert_null(vmm_storage_pool_unref(NULL));
        assert_null(vmm_storage_vol_get_path(NULL));
        assert_null(vmm_secret_unref(NULL));
        assert_null(vmm_node_device_unref(NULL));
}

static void *refcount_worker(void *data)
{
        VmmDomain *dom = data;

        for (int i = 0; i < 100000; i++)
                vmm_domain_unref(vmm_domain_ref(dom));
        return NULL;
}

static void test_handles_refcount_threads(void **state)
{
        VmmConnect *conn = fake_connect(0);
        VmmDomain *dom = vmm_domain_handle_new(conn, "web1", some_uuid, -1);
        pthread_t threads[4];

        /* Concurrent ref/unref pairs must never lose a count (and free early). */
        for (size_t i = 0; i < ARRAY_SIZE(threads); i++)
                assert_int_equal(pthread_create(&threads[i], NULL, refcount_worker, dom), 0);
        for (size_t i = 0; i < ARRAY_SIZE(threads); i++)
                assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(atomic_load(&dom->refs), 1);
        assert_int_equal(atomic_load(&conn->refs), 2);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

static void test_state_names(void **state)
{
        static const struct {
                VmmDomainState state;
                int reason;
                const char *name, *reason_name;
        } cases[] = {
                { VMM_DOMAIN_NOSTATE, 0, "no state", "unknown" },
                { VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED, "running", "booted" },
                { VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED, "running", "unpaused" },
                { VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_WAKEUP, "running", "event wakeup" },
                { VMM_DOMAIN_BLOCKED, 0, "idle", "unknown" },
                { VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER, "paused", "user" },
                { VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_IOERROR, "paused", "I/O error" },
                { VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_SNAPSHOT, "paused", "creating snapshot" },
                { VMM_DOMAIN_SHUTDOWN, VMM_DOMAIN_SHUTDOWN_USER, "in shutdown", "user" },
                { VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN, "shut off", "shutdown" },
                { VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED, "shut off", "destroyed" },
                { VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DAEMON, "shut off", "daemon" },
                { VMM_DOMAIN_SHUTOFF, 99, "shut off", "unknown" },
                { VMM_DOMAIN_CRASHED, VMM_DOMAIN_CRASHED_PANICKED, "crashed", "panicked" },
                { VMM_DOMAIN_PMSUSPENDED, 0, "pmsuspended", "unknown" },
                { (VmmDomainState)42, 0, "unknown", "unknown" },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                assert_string_equal(vmm_domain_state_to_string(cases[i].state), cases[i].name);
                assert_string_equal(vmm_domain_state_reason_to_string(cases[i].state,
                                                                      cases[i].reason),
                                    cases[i].reason_name);
        }
        assert_string_equal(vmm_storage_pool_state_to_string(VMM_STORAGE_POOL_INACTIVE),
                            "inactive");
        assert_string_equal(vmm_storage_pool_state_to_string(VMM_STORAGE_POOL_RUNNING), "running");
        assert_string_equal(vmm_storage_pool_state_to_string(VMM_STORAGE_POOL_INACCESSIBLE),
                            "inaccessible");
        assert_string_equal(vmm_storage_pool_state_to_string(_VMM_STORAGE_POOL_STATE_MAX),
                            "unknown");
        assert_string_equal(vmm_storage_vol_type_to_string(VMM_STORAGE_VOL_FILE), "file");
        assert_string_equal(vmm_storage_vol_type_to_string(VMM_STORAGE_VOL_PLOOP), "ploop");
        assert_string_equal(vmm_storage_vol_type_to_string((VmmStorageVolType)-1), "unknown");
}

static void test_version(void **state)
{
        char expected[32];

        snprintf(expected, sizeof(expected), "%lu.%lu.%lu", vmm_version_number() / 1000000,
                 vmm_version_number() / 1000 % 1000, vmm_version_number() % 1000);
        assert_string_equal(vmm_version_string(), expected);
        assert_string_equal(vmm_version_string(), VMM_VERSION_STRING);
        assert_true(vmm_version_number() == (unsigned long)VMM_VERSION_MAJOR * 1000000 +
                                                    VMM_VERSION_MINOR * 1000 + VMM_VERSION_PATCH);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_api_null_target),
                cmocka_unit_test(test_api_not_supported),
                cmocka_unit_test(test_api_read_only),
                cmocka_unit_test(test_api_closed_connection),
                cmocka_unit_test(test_api_reaches_driver),
                cmocka_unit_test(test_api_bad_arguments),
                cmocka_unit_test(test_connect_open_errors),
                cmocka_unit_test(test_connect_open_default_and_fail),
                cmocka_unit_test(test_connect_accessors),
                cmocka_unit_test(test_handles_refcount),
                cmocka_unit_test(test_handles_refcount_threads),
                cmocka_unit_test(test_state_names),
                cmocka_unit_test(test_version),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
