/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-storage.c: the public storage pool and volume calls (vmm-storage.h). */
#include <errno.h>
#include <stdlib.h>

#include "driver/api.h"
#include "util/enumtable.h"
#include "util/error.h"

#define POOL_LIST_FLAGS 0x3fu
#define POOL_XML_INACTIVE 0x1u /* as libvirt's VIR_STORAGE_XML_INACTIVE */

static const char *const pool_state_table[_VMM_STORAGE_POOL_STATE_MAX] = {
        [VMM_STORAGE_POOL_INACTIVE] = "inactive", [VMM_STORAGE_POOL_BUILDING] = "building",
        [VMM_STORAGE_POOL_RUNNING] = "running",   [VMM_STORAGE_POOL_DEGRADED] = "degraded",
        [VMM_STORAGE_POOL_INACCESSIBLE] = "inaccessible",
};

static const char *const vol_type_table[_VMM_STORAGE_VOL_TYPE_MAX] = {
        [VMM_STORAGE_VOL_FILE] = "file",       [VMM_STORAGE_VOL_BLOCK] = "block",
        [VMM_STORAGE_VOL_DIR] = "dir",         [VMM_STORAGE_VOL_NETWORK] = "network",
        [VMM_STORAGE_VOL_NETDIR] = "netdir",   [VMM_STORAGE_VOL_PLOOP] = "ploop",
};

VMM_EXPORT const char *vmm_storage_pool_state_to_string(VmmStoragePoolState state)
{
        const char *s = vmm_enum_to_string(pool_state_table, _VMM_STORAGE_POOL_STATE_MAX,
                                           (int)state);

        return s ? s : "unknown";
}

VMM_EXPORT const char *vmm_storage_vol_type_to_string(VmmStorageVolType type)
{
        const char *s = vmm_enum_to_string(vol_type_table, _VMM_STORAGE_VOL_TYPE_MAX, (int)type);

        return s ? s : "unknown";
}

static int pool_check(VmmStoragePool *pool, const char *func, VmmError *error)
{
        return vmm_api_check_handle(pool, pool ? pool->conn : NULL, "storage pool", func,
                                    VMM_API_READ, error);
}

static int vol_check(VmmStorageVol *vol, const char *func, VmmError *error)
{
        return vmm_api_check_handle(vol, vol ? vol->conn : NULL, "storage volume", func,
                                    VMM_API_READ, error);
}

/* --- pools --- */

VMM_EXPORT int vmm_storage_pool_list_all(VmmConnect *conn, unsigned int flags,
                                         VmmStoragePool ***ret_pools, size_t *ret_count,
                                         VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_pools, error, "ret_pools is NULL");
        vmm_check_arg(ret_count, error, "ret_count is NULL");
        r = vmm_api_check_flags(flags, POOL_LIST_FLAGS, __func__, error);
        if (r < 0)
                return r;
        if (!conn->driver->pool_list_all)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->pool_list_all(conn, flags, ret_pools, ret_count,
                                                          error),
                              __func__, error);
}

VMM_EXPORT void vmm_storage_pool_list_free(VmmStoragePool **pools, size_t count)
{
        if (!pools)
                return;
        for (size_t i = 0; i < count; i++)
                vmm_storage_pool_unref(pools[i]);
        free(pools);
}

VMM_EXPORT int vmm_storage_pool_lookup_by_name(VmmConnect *conn, const char *name,
                                               VmmStoragePool **ret_pool, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(name && *name, error, "name is NULL or empty");
        vmm_check_arg(ret_pool, error, "ret_pool is NULL");
        if (!conn->driver->pool_lookup_by_name)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->pool_lookup_by_name(conn, name, ret_pool, error),
                              __func__, error);
}

VMM_EXPORT int vmm_storage_pool_get_xml(VmmStoragePool *pool, unsigned int flags,
                                        char **ret_xml, VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_xml, error, "ret_xml is NULL");
        r = vmm_api_check_flags(flags, POOL_XML_INACTIVE, __func__, error);
        if (r < 0)
                return r;
        if (!pool->conn->driver->pool_get_xml)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->pool_get_xml(pool, flags, ret_xml, error),
                              __func__, error);
}

VMM_EXPORT int vmm_storage_pool_get_info(VmmStoragePool *pool, VmmStoragePoolInfo *ret_info,
                                         VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_info, error, "ret_info is NULL");
        if (!pool->conn->driver->pool_get_info)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->pool_get_info(pool, ret_info, error), __func__,
                              error);
}

VMM_EXPORT int vmm_storage_pool_is_active(VmmStoragePool *pool, VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        if (!pool->conn->driver->pool_is_active)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->pool_is_active(pool, error), __func__, error);
}

VMM_EXPORT int vmm_storage_pool_is_persistent(VmmStoragePool *pool, VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        if (!pool->conn->driver->pool_is_persistent)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->pool_is_persistent(pool, error), __func__,
                              error);
}

VMM_EXPORT int vmm_storage_pool_get_autostart(VmmStoragePool *pool, bool *ret_autostart,
                                              VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_autostart, error, "ret_autostart is NULL");
        if (!pool->conn->driver->pool_get_autostart)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->pool_get_autostart(pool, ret_autostart, error),
                              __func__, error);
}

/* --- volumes --- */

VMM_EXPORT int vmm_storage_vol_list_all(VmmStoragePool *pool, unsigned int flags,
                                        VmmStorageVol ***ret_vols, size_t *ret_count,
                                        VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_vols, error, "ret_vols is NULL");
        vmm_check_arg(ret_count, error, "ret_count is NULL");
        r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        if (!pool->conn->driver->vol_list_all)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->vol_list_all(pool, flags, ret_vols, ret_count,
                                                               error),
                              __func__, error);
}

VMM_EXPORT void vmm_storage_vol_list_free(VmmStorageVol **vols, size_t count)
{
        if (!vols)
                return;
        for (size_t i = 0; i < count; i++)
                vmm_storage_vol_unref(vols[i]);
        free(vols);
}

VMM_EXPORT int vmm_storage_vol_lookup_by_name(VmmStoragePool *pool, const char *name,
                                              VmmStorageVol **ret_vol, VmmError *error)
{
        int r = pool_check(pool, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(name && *name, error, "name is NULL or empty");
        vmm_check_arg(ret_vol, error, "ret_vol is NULL");
        if (!pool->conn->driver->vol_lookup_by_name)
                return vmm_api_no_support(pool->conn, __func__, error);
        return vmm_api_result(pool->conn->driver->vol_lookup_by_name(pool, name, ret_vol, error),
                              __func__, error);
}

VMM_EXPORT int vmm_storage_vol_get_xml(VmmStorageVol *vol, unsigned int flags, char **ret_xml,
                                       VmmError *error)
{
        int r = vol_check(vol, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_xml, error, "ret_xml is NULL");
        r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        if (!vol->conn->driver->vol_get_xml)
                return vmm_api_no_support(vol->conn, __func__, error);
        return vmm_api_result(vol->conn->driver->vol_get_xml(vol, flags, ret_xml, error),
                              __func__, error);
}

VMM_EXPORT int vmm_storage_vol_get_info(VmmStorageVol *vol, VmmStorageVolInfo *ret_info,
                                        VmmError *error)
{
        int r = vol_check(vol, __func__, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_info, error, "ret_info is NULL");
        if (!vol->conn->driver->vol_get_info)
                return vmm_api_no_support(vol->conn, __func__, error);
        return vmm_api_result(vol->conn->driver->vol_get_info(vol, ret_info, error), __func__,
                              error);
}
