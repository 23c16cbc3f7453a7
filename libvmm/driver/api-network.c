/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-network.c: the public network calls (vmm-network.h). */
#include <errno.h>
#include <stdlib.h>

#include "driver/api.h"
#include "util/error.h"
#include "util/uuid.h"

#define NETWORK_LIST_FLAGS 0x3fu
#define NETWORK_XML_INACTIVE 0x1u /* as libvirt's VIR_NETWORK_XML_INACTIVE */

static int network_check(VmmNetwork *net, const char *func, VmmError *error)
{
        return vmm_api_check_handle(net, net ? net->conn : NULL, "network", func, VMM_API_READ,
                                    error);
}

VMM_EXPORT int vmm_network_list_all(VmmConnect *conn, unsigned int flags, VmmNetwork ***ret_nets,
                                    size_t *ret_count, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_nets, error, "ret_nets is NULL");
        vmm_check_arg(ret_count, error, "ret_count is NULL");
        r = vmm_api_check_flags(flags, NETWORK_LIST_FLAGS, __func__, error);
        if (r < 0)
                return r;
        if (!conn->driver->network_list_all)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->network_list_all(conn, flags, ret_nets, ret_count,
                                                             error),
                              __func__, error);
}

VMM_EXPORT void vmm_network_list_free(VmmNetwork **nets, size_t count)
{
        if (!nets)
                return;
        for (size_t i = 0; i < count; i++)
                vmm_network_unref(nets[i]);
        free(nets);
}

VMM_EXPORT int vmm_network_lookup_by_name(VmmConnect *conn, const char *name,
                                          VmmNetwork **ret_net, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(name && *name, error, "name is NULL or empty");
        vmm_check_arg(ret_net, error, "ret_net is NULL");
        if (!conn->driver->network_lookup_by_name)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->network_lookup_by_name(conn, name, ret_net, error),
                              __func__, error);
}

VMM_EXPORT int vmm_network_lookup_by_uuid_string(VmmConnect *conn, const char *uuid,
                                                 VmmNetwork **ret_net, VmmError *error)
{
        uint8_t raw[VMM_UUID_LEN];
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(uuid, error, "uuid is NULL");
        vmm_check_arg(ret_net, error, "ret_net is NULL");
        r = vmm_uuid_parse(uuid, raw, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", __func__);
        if (!conn->driver->network_lookup_by_uuid)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->network_lookup_by_uuid(conn, raw, ret_net, error),
                              __func__, error);
}

VMM_EXPORT int vmm_network_get_xml(VmmNetwork *net, unsigned int flags, char **ret_xml,
                                   VmmError *error)
{
        int r = network_check(net, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_xml, error, "ret_xml is NULL");
        r = vmm_api_check_flags(flags, NETWORK_XML_INACTIVE, __func__, error);
        if (r < 0)
                return r;
        if (!net->conn->driver->network_get_xml)
                return vmm_api_no_support(net->conn, __func__, error);
        return vmm_api_result(net->conn->driver->network_get_xml(net, flags, ret_xml, error),
                              __func__, error);
}

VMM_EXPORT int vmm_network_is_active(VmmNetwork *net, VmmError *error)
{
        int r = network_check(net, __func__, error);

        if (r < 0)
                return r;
        if (!net->conn->driver->network_is_active)
                return vmm_api_no_support(net->conn, __func__, error);
        return vmm_api_result(net->conn->driver->network_is_active(net, error), __func__, error);
}

VMM_EXPORT int vmm_network_is_persistent(VmmNetwork *net, VmmError *error)
{
        int r = network_check(net, __func__, error);

        if (r < 0)
                return r;
        if (!net->conn->driver->network_is_persistent)
                return vmm_api_no_support(net->conn, __func__, error);
        return vmm_api_result(net->conn->driver->network_is_persistent(net, error), __func__,
                              error);
}

VMM_EXPORT int vmm_network_get_autostart(VmmNetwork *net, bool *ret_autostart, VmmError *error)
{
        int r = network_check(net, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_autostart, error, "ret_autostart is NULL");
        if (!net->conn->driver->network_get_autostart)
                return vmm_api_no_support(net->conn, __func__, error);
        return vmm_api_result(net->conn->driver->network_get_autostart(net, ret_autostart, error),
                              __func__, error);
}

VMM_EXPORT int vmm_network_get_bridge_name(VmmNetwork *net, char **ret_bridge, VmmError *error)
{
        int r = network_check(net, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_bridge, error, "ret_bridge is NULL");
        if (!net->conn->driver->network_get_bridge_name)
                return vmm_api_no_support(net->conn, __func__, error);
        return vmm_api_result(net->conn->driver->network_get_bridge_name(net, ret_bridge, error),
                              __func__, error);
}
