/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-storage.h: storage pools and the volumes in them. Handles are
 * reference counted as domain handles are (see vmm-domain.h); a volume
 * handle names its pool.
 */
#pragma once

#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VmmStoragePool VmmStoragePool;
typedef struct VmmStorageVol VmmStorageVol;

typedef enum VmmStoragePoolState {
        VMM_STORAGE_POOL_INACTIVE = 0,
        VMM_STORAGE_POOL_BUILDING = 1,
        VMM_STORAGE_POOL_RUNNING = 2,
        VMM_STORAGE_POOL_DEGRADED = 3,
        VMM_STORAGE_POOL_INACCESSIBLE = 4,
        _VMM_STORAGE_POOL_STATE_MAX
} VmmStoragePoolState;

typedef struct VmmStoragePoolInfo {
        VmmStoragePoolState state;
        uint64_t capacity;   /* bytes */
        uint64_t allocation; /* bytes */
        uint64_t available;  /* bytes */
} VmmStoragePoolInfo;

typedef enum VmmStorageVolType {
        VMM_STORAGE_VOL_FILE = 0,
        VMM_STORAGE_VOL_BLOCK = 1,
        VMM_STORAGE_VOL_DIR = 2,
        VMM_STORAGE_VOL_NETWORK = 3,
        VMM_STORAGE_VOL_NETDIR = 4,
        VMM_STORAGE_VOL_PLOOP = 5,
        _VMM_STORAGE_VOL_TYPE_MAX
} VmmStorageVolType;

typedef struct VmmStorageVolInfo {
        VmmStorageVolType type;
        uint64_t capacity;   /* bytes */
        uint64_t allocation; /* bytes */
} VmmStorageVolInfo;

typedef enum VmmStoragePoolListFlags {
        VMM_STORAGE_POOL_LIST_ACTIVE = 1u << 0,
        VMM_STORAGE_POOL_LIST_INACTIVE = 1u << 1,
        VMM_STORAGE_POOL_LIST_PERSISTENT = 1u << 2,
        VMM_STORAGE_POOL_LIST_TRANSIENT = 1u << 3,
        VMM_STORAGE_POOL_LIST_AUTOSTART = 1u << 4,
        VMM_STORAGE_POOL_LIST_NO_AUTOSTART = 1u << 5,
} VmmStoragePoolListFlags;

/* "inactive", "building", "running", "degraded", "inaccessible". */
VMM_EXPORT const char *vmm_storage_pool_state_to_string(VmmStoragePoolState state);
/* "file", "block", "dir", "network", "netdir", "ploop". */
VMM_EXPORT const char *vmm_storage_vol_type_to_string(VmmStorageVolType type);

VMM_EXPORT VmmStoragePool *vmm_storage_pool_ref(VmmStoragePool *pool);
VMM_EXPORT VmmStoragePool *vmm_storage_pool_unref(VmmStoragePool *pool);
VMM_EXPORT const char *vmm_storage_pool_get_name(VmmStoragePool *pool);
VMM_EXPORT void vmm_storage_pool_get_uuid_string(VmmStoragePool *pool,
                                                 char ret_uuid[VMM_UUID_STRING_BUFLEN]);

/* Sorted by name; release with vmm_storage_pool_list_free(). */
VMM_EXPORT int vmm_storage_pool_list_all(VmmConnect *conn, unsigned int flags,
                                         VmmStoragePool ***ret_pools, size_t *ret_count,
                                         VmmError *error);
VMM_EXPORT void vmm_storage_pool_list_free(VmmStoragePool **pools, size_t count);
/* Errors: -ENOENT (kind VMM_ERR_NO_STORAGE_POOL). */
VMM_EXPORT int vmm_storage_pool_lookup_by_name(VmmConnect *conn, const char *name,
                                               VmmStoragePool **ret_pool, VmmError *error);
VMM_EXPORT int vmm_storage_pool_get_xml(VmmStoragePool *pool, unsigned int flags,
                                        char **ret_xml, VmmError *error);
VMM_EXPORT int vmm_storage_pool_get_info(VmmStoragePool *pool, VmmStoragePoolInfo *ret_info,
                                         VmmError *error);
VMM_EXPORT int vmm_storage_pool_is_active(VmmStoragePool *pool, VmmError *error);
VMM_EXPORT int vmm_storage_pool_is_persistent(VmmStoragePool *pool, VmmError *error);
VMM_EXPORT int vmm_storage_pool_get_autostart(VmmStoragePool *pool, bool *ret_autostart,
                                              VmmError *error);

VMM_EXPORT VmmStorageVol *vmm_storage_vol_ref(VmmStorageVol *vol);
VMM_EXPORT VmmStorageVol *vmm_storage_vol_unref(VmmStorageVol *vol);
VMM_EXPORT const char *vmm_storage_vol_get_name(VmmStorageVol *vol);
/* The volume's key and path (its target path); belong to the handle. */
VMM_EXPORT const char *vmm_storage_vol_get_key(VmmStorageVol *vol);
VMM_EXPORT const char *vmm_storage_vol_get_path(VmmStorageVol *vol);
/* The name of the pool the volume is in; belongs to the handle. */
VMM_EXPORT const char *vmm_storage_vol_get_pool_name(VmmStorageVol *vol);

/* The volumes of an active pool, sorted by name; release with
 * vmm_storage_vol_list_free(). Errors: -EBUSY when the pool is inactive. */
VMM_EXPORT int vmm_storage_vol_list_all(VmmStoragePool *pool, unsigned int flags,
                                        VmmStorageVol ***ret_vols, size_t *ret_count,
                                        VmmError *error);
VMM_EXPORT void vmm_storage_vol_list_free(VmmStorageVol **vols, size_t count);
/* Errors: -ENOENT (kind VMM_ERR_NO_STORAGE_VOL). */
VMM_EXPORT int vmm_storage_vol_lookup_by_name(VmmStoragePool *pool, const char *name,
                                              VmmStorageVol **ret_vol, VmmError *error);
VMM_EXPORT int vmm_storage_vol_get_xml(VmmStorageVol *vol, unsigned int flags,
                                       char **ret_xml, VmmError *error);
VMM_EXPORT int vmm_storage_vol_get_info(VmmStorageVol *vol, VmmStorageVolInfo *ret_info,
                                        VmmError *error);

#ifdef __cplusplus
}
#endif
