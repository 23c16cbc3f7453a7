/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-driver.c: the embedded test driver, "test":
 *   test:///default     the process-wide shared default state
 *   test:///PATH.xml    a private state loaded from a <node> file
 * No transport, no host: everything runs in the calling process.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-driver.h"
#include "util/error.h"

static int test_probe(const VmmUri *uri)
{
        return uri->driver && strcmp(uri->driver, "test") == 0 && !uri->transport &&
               (!uri->host || !*uri->host);
}

static int test_open(VmmConnect *conn, const VmmUri *uri, unsigned int flags, VmmError *error)
{
        TestState *state = NULL;
        int r;

        if (strcmp(uri->path, "/default") == 0)
                r = test_state_default_acquire(&state, error);
        else
                r = test_state_load_file(uri->path, &state, error);
        if (r < 0)
                return r;
        conn->priv = state;
        return 0;
}

static void test_close(VmmConnect *conn)
{
        test_event_conn_close(conn);
        test_state_release(conn->priv);
        conn->priv = NULL;
}

static int test_get_hypervisor_version(VmmConnect *conn, unsigned long *ret_version,
                                       VmmError *error)
{
        *ret_version = vmm_version_number();
        return 0;
}

static int test_get_hostname(VmmConnect *conn, char **ret_hostname, VmmError *error)
{
        char name[HOST_NAME_MAX + 1];
        char *s;

        if (gethostname(name, sizeof(name)) < 0)
                return vmm_error_set_errno(error, -errno, "cannot read the host name");
        name[HOST_NAME_MAX] = '\0';
        s = strdup(name);
        if (!s)
                return vmm_error_oom(error);
        *ret_hostname = s;
        return 0;
}

static bool test_is_alive(VmmConnect *conn)
{
        return conn->priv != NULL;
}

const VmmDriver vmm_test_driver = {
    .name = "test",
    .probe = test_probe,
    .open = test_open,
    .close = test_close,
    .get_hypervisor_version = test_get_hypervisor_version,
    .get_hostname = test_get_hostname,
    .is_alive = test_is_alive,

    .domain_lookup_by_name = test_domain_lookup_by_name,
    .domain_lookup_by_uuid = test_domain_lookup_by_uuid,
    .domain_lookup_by_id = test_domain_lookup_by_id,
    .domain_list_all = test_domain_list_all,
    .domain_define_xml = test_domain_define_xml,
    .domain_create_xml = test_domain_create_xml,
    .domain_undefine = test_domain_undefine,
    .domain_get_xml = test_domain_get_xml,
    .domain_start = test_domain_start,
    .domain_shutdown = test_domain_shutdown,
    .domain_destroy = test_domain_destroy,
    .domain_suspend = test_domain_suspend,
    .domain_resume = test_domain_resume,
    .domain_reboot = test_domain_reboot,
    .domain_reset = test_domain_reset,
    .domain_get_info = test_domain_get_info,
    .domain_get_state = test_domain_get_state,
    .domain_get_id = test_domain_get_id,
    .domain_is_active = test_domain_is_active,
    .domain_is_persistent = test_domain_is_persistent,
    .domain_get_os_type = test_domain_get_os_type,
    .domain_get_autostart = test_domain_get_autostart,
    .domain_set_autostart = test_domain_set_autostart,
    .domain_event_register = test_event_register,
    .domain_event_deregister = test_event_deregister,
    .domain_set_memory = test_domain_set_memory,
    .domain_open_console = test_domain_open_console,
    .domain_attach_device = test_domain_attach_device,
    .domain_detach_device = test_domain_detach_device,
    .domain_get_stats = test_domain_get_stats,
    .domain_save = test_domain_save,
    .domain_restore = test_domain_restore,
    .domain_save_image_get_xml = test_domain_save_image_get_xml,
    .domain_managed_save = test_domain_managed_save,
    .domain_has_managed_save = test_domain_has_managed_save,
    .domain_managed_save_remove = test_domain_managed_save_remove,
    .event_fd = test_event_fd,
    .dispatch_events = test_event_dispatch,

    .network_list_all = test_network_list_all,
    .network_lookup_by_name = test_network_lookup_by_name,
    .network_lookup_by_uuid = test_network_lookup_by_uuid,
    .network_get_xml = test_network_get_xml,
    .network_is_active = test_network_is_active,
    .network_is_persistent = test_network_is_persistent,
    .network_get_autostart = test_network_get_autostart,
    .network_get_bridge_name = test_network_get_bridge_name,

    .pool_list_all = test_pool_list_all,
    .pool_lookup_by_name = test_pool_lookup_by_name,
    .pool_get_xml = test_pool_get_xml,
    .pool_get_info = test_pool_get_info,
    .pool_is_active = test_pool_is_active,
    .pool_is_persistent = test_pool_is_persistent,
    .pool_get_autostart = test_pool_get_autostart,
    .vol_list_all = test_vol_list_all,
    .vol_lookup_by_name = test_vol_lookup_by_name,
    .vol_get_xml = test_vol_get_xml,
    .vol_get_info = test_vol_get_info,
};
