/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-storage.c: storage pools and their volumes in the test driver (read side). */
#define _GNU_SOURCE 1 /* asprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"
#include "util/enumtable.h"
#include "util/error.h"

#define XC(s) ((const xmlChar *)(s))

int test_pool_add_loaded(TestState *state, VmmStoragePoolDef *def, bool active, bool autostart,
                         TestPool **ret_pool, VmmError *error)
{
        TestPool *pool = calloc(1, sizeof(*pool));
        int r;

        if (pool) {
                pool->obj.name = strdup(vmm_storage_pool_def_get_name(def));
                pool->volumes = xmlHashCreate(16);
        }
        if (!pool || !pool->obj.name || !pool->volumes) {
                test_pool_free(pool);
                vmm_storage_pool_def_free(def);
                return vmm_error_oom(error);
        }
        vmm_storage_pool_def_get_uuid(def, pool->obj.uuid);
        pool->def = def;
        pool->active = active;
        pool->persistent = true;
        pool->autostart = autostart;
        r = test_index_add(&state->pools, &pool->obj);
        if (r < 0) {
                r = r == -EEXIST
                        ? vmm_error_set(error, r, VMM_ERR_DUPLICATE,
                                        "pool '%s': its name or UUID is used twice", pool->obj.name)
                        : vmm_error_oom(error);
                test_pool_free(pool);
                return r;
        }
        *ret_pool = pool;
        return 0;
}

int test_pool_add_volume(TestPool *pool, VmmStorageVolDef *def, VmmError *error)
{
        const char *target = vmm_storage_pool_def_get_target_path(pool->def);
        TestVolume *vol = calloc(1, sizeof(*vol));
        const char *path, *key;
        int r;

        if (!vol) {
                vmm_storage_vol_def_free(def);
                return vmm_error_oom(error);
        }
        vol->def = def;
        vol->name = strdup(vmm_storage_vol_def_get_name(def));
        if (!vol->name)
                goto oom;
        if (!vmm_storage_vol_def_get_path(def) && target) {
                _cleanup_free_ char *p = NULL;

                if (asprintf(&p, "%s/%s", target, vol->name) < 0) {
                        p = NULL;
                        goto oom;
                }
                if (vmm_storage_vol_def_set_path(def, p) < 0)
                        goto oom;
        }
        path = vmm_storage_vol_def_get_path(def);
        if (path && !(vol->path = strdup(path)))
                goto oom;
        /* Without a <key>, the path is the key, as for directory pools. */
        if (!vmm_storage_vol_def_get_key(def) && path && vmm_storage_vol_def_set_key(def, path) < 0)
                goto oom;
        key = vmm_storage_vol_def_get_key(def);
        if (key && !(vol->key = strdup(key)))
                goto oom;
        if (xmlHashLookup(pool->volumes, XC(vol->name))) {
                r = vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                  "pool '%s': volume '%s' is defined twice", pool->obj.name,
                                  vol->name);
                test_volume_free(vol);
                return r;
        }
        if (xmlHashAddEntry(pool->volumes, XC(vol->name), vol) < 0)
                goto oom;
        return 0;
oom:
        test_volume_free(vol);
        return vmm_error_oom(error);
}

static int pool_get_locked(VmmStoragePool *handle, TestState **ret_state, TestPool **ret_pool,
                           VmmError *error)
{
        TestState *state = test_state_of(handle->conn);
        TestPool *pool = NULL;

        pthread_mutex_lock(&state->lock);
        pool = test_index_find_uuid(&state->pools, handle->uuid);
        if (!pool) {
                pthread_mutex_unlock(&state->lock);
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_STORAGE_POOL,
                                     "pool '%s' no longer exists", handle->name);
        }
        *ret_state = state;
        *ret_pool = pool;
        return 0;
}

static bool pool_filter(void *obj, void *userdata)
{
        const TestPool *pool = obj;
        unsigned int f = *(const unsigned int *)userdata;

        return test_filter_pass(f, VMM_STORAGE_POOL_LIST_ACTIVE, VMM_STORAGE_POOL_LIST_INACTIVE,
                                pool->active) &&
               test_filter_pass(f, VMM_STORAGE_POOL_LIST_PERSISTENT,
                                VMM_STORAGE_POOL_LIST_TRANSIENT, pool->persistent) &&
               test_filter_pass(f, VMM_STORAGE_POOL_LIST_AUTOSTART,
                                VMM_STORAGE_POOL_LIST_NO_AUTOSTART, pool->autostart);
}

int test_pool_list_all(VmmConnect *conn, unsigned int flags, VmmStoragePool ***ret_pools,
                       size_t *ret_count, VmmError *error)
{
        const unsigned int known = (VMM_STORAGE_POOL_LIST_NO_AUTOSTART << 1) - 1;
        TestState *state = test_state_of(conn);
        _cleanup_free_ void **objs = NULL;
        VmmStoragePool **pools;
        size_t n = 0;
        int r;

        if (flags & ~known)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "list pools: unknown flags 0x%x", flags & ~known);
        pthread_mutex_lock(&state->lock);
        r = test_index_sorted(&state->pools, pool_filter, &flags, &objs, &n);
        pools = r < 0 ? NULL : calloc(n + 1, sizeof(*pools));
        for (size_t i = 0; pools && i < n; i++) {
                const TestPool *pool = objs[i];

                pools[i] = vmm_storage_pool_handle_new(conn, pool->obj.name, pool->obj.uuid);
                if (!pools[i]) {
                        vmm_storage_pool_list_free(pools, i);
                        pools = NULL;
                }
        }
        pthread_mutex_unlock(&state->lock);
        if (!pools)
                return vmm_error_oom(error);
        *ret_pools = pools;
        *ret_count = n;
        return (int)n;
}

int test_pool_lookup_by_name(VmmConnect *conn, const char *name, VmmStoragePool **ret_pool,
                             VmmError *error)
{
        TestState *state = test_state_of(conn);
        TestPool *pool = NULL;
        int r = 0;

        pthread_mutex_lock(&state->lock);
        pool = test_index_find_name(&state->pools, name);
        if (!pool)
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_STORAGE_POOL,
                                  "no storage pool named '%s'", name);
        else if (!(*ret_pool = vmm_storage_pool_handle_new(conn, pool->obj.name, pool->obj.uuid)))
                r = vmm_error_oom(error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_pool_get_xml(VmmStoragePool *handle, unsigned int flags, char **ret_xml, VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        int r;

        r = pool_get_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        r = vmm_storage_pool_def_format(pool->def, 0, ret_xml, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_pool_get_info(VmmStoragePool *handle, VmmStoragePoolInfo *ret_info, VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        int r;

        r = pool_get_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        *ret_info = (VmmStoragePoolInfo){
            .state = pool->active ? VMM_STORAGE_POOL_RUNNING : VMM_STORAGE_POOL_INACTIVE,
            .capacity = vmm_storage_pool_def_get_capacity(pool->def),
            .allocation = vmm_storage_pool_def_get_allocation(pool->def),
            .available = vmm_storage_pool_def_get_available(pool->def),
        };
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_pool_is_active(VmmStoragePool *handle, VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        int r;

        r = pool_get_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        r = pool->active;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_pool_is_persistent(VmmStoragePool *handle, VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        int r;

        r = pool_get_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        r = pool->persistent;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_pool_get_autostart(VmmStoragePool *handle, bool *ret_autostart, VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        int r;

        r = pool_get_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        *ret_autostart = pool->autostart;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

/* --- volumes --- */

static int pool_get_active_locked(VmmStoragePool *handle, TestState **ret_state,
                                  TestPool **ret_pool, VmmError *error)
{
        int r = pool_get_locked(handle, ret_state, ret_pool, error);

        if (r < 0)
                return r;
        if (!(*ret_pool)->active) {
                pthread_mutex_unlock(&(*ret_state)->lock);
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "storage pool '%s' is not active", handle->name);
        }
        return 0;
}

static VmmStorageVol *vol_handle(VmmConnect *conn, const TestPool *pool, const TestVolume *vol)
{
        return vmm_storage_vol_handle_new(conn, pool->obj.name, vol->name, vol->key, vol->path);
}

int test_vol_list_all(VmmStoragePool *handle, unsigned int flags, VmmStorageVol ***ret_vols,
                      size_t *ret_count, VmmError *error)
{
        _cleanup_free_ void **objs = NULL;
        VmmStorageVol **vols;
        TestState *state = NULL;
        TestPool *pool = NULL;
        size_t n = 0;
        int r;

        if (flags)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "list volumes: unknown flags 0x%x", flags);
        r = pool_get_active_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        r = test_hash_sorted(pool->volumes, &objs, &n);
        vols = r < 0 ? NULL : calloc(n + 1, sizeof(*vols));
        for (size_t i = 0; vols && i < n; i++) {
                vols[i] = vol_handle(handle->conn, pool, objs[i]);
                if (!vols[i]) {
                        vmm_storage_vol_list_free(vols, i);
                        vols = NULL;
                }
        }
        pthread_mutex_unlock(&state->lock);
        if (!vols)
                return vmm_error_oom(error);
        *ret_vols = vols;
        *ret_count = n;
        return (int)n;
}

int test_vol_lookup_by_name(VmmStoragePool *handle, const char *name, VmmStorageVol **ret_vol,
                            VmmError *error)
{
        TestState *state = NULL;
        TestPool *pool = NULL;
        TestVolume *vol = NULL;
        int r;

        r = pool_get_active_locked(handle, &state, &pool, error);
        if (r < 0)
                return r;
        vol = xmlHashLookup(pool->volumes, XC(name));
        if (!vol)
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_STORAGE_VOL,
                                  "storage pool '%s' has no volume named '%s'", pool->obj.name,
                                  name);
        else if (!(*ret_vol = vol_handle(handle->conn, pool, vol)))
                r = vmm_error_oom(error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

/* The volume of a handle, with the state locked. */
static int vol_get_locked(VmmStorageVol *handle, TestState **ret_state, TestVolume **ret_vol,
                          VmmError *error)
{
        TestState *state = test_state_of(handle->conn);
        TestPool *pool = NULL;
        TestVolume *vol = NULL;

        pthread_mutex_lock(&state->lock);
        pool = test_index_find_name(&state->pools, handle->pool_name);
        if (pool && pool->active)
                vol = xmlHashLookup(pool->volumes, XC(handle->name));
        if (!vol) {
                pthread_mutex_unlock(&state->lock);
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_STORAGE_VOL,
                                     "volume '%s' of storage pool '%s' no longer exists",
                                     handle->name, handle->pool_name);
        }
        *ret_state = state;
        *ret_vol = vol;
        return 0;
}

int test_vol_get_xml(VmmStorageVol *handle, unsigned int flags, char **ret_xml, VmmError *error)
{
        TestState *state = NULL;
        TestVolume *vol = NULL;
        int r;

        r = vol_get_locked(handle, &state, &vol, error);
        if (r < 0)
                return r;
        r = vmm_storage_vol_def_format(vol->def, 0, ret_xml, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

static const char *const vol_type_table[_VMM_STORAGE_VOL_TYPE_MAX] = {
    [VMM_STORAGE_VOL_FILE] = "file",     [VMM_STORAGE_VOL_BLOCK] = "block",
    [VMM_STORAGE_VOL_DIR] = "dir",       [VMM_STORAGE_VOL_NETWORK] = "network",
    [VMM_STORAGE_VOL_NETDIR] = "netdir", [VMM_STORAGE_VOL_PLOOP] = "ploop",
};

int test_vol_get_info(VmmStorageVol *handle, VmmStorageVolInfo *ret_info, VmmError *error)
{
        const char *type;
        TestState *state = NULL;
        TestVolume *vol = NULL;
        int r, t;

        r = vol_get_locked(handle, &state, &vol, error);
        if (r < 0)
                return r;
        type = vmm_storage_vol_def_get_type(vol->def);
        t = vmm_enum_from_string(vol_type_table, _VMM_STORAGE_VOL_TYPE_MAX, type ? type : "file");
        *ret_info = (VmmStorageVolInfo){
            .type = t >= 0 ? (VmmStorageVolType)t : VMM_STORAGE_VOL_FILE,
            .capacity = vmm_storage_vol_def_get_capacity(vol->def),
            .allocation = vmm_storage_vol_def_get_allocation(vol->def),
        };
        pthread_mutex_unlock(&state->lock);
        return 0;
}
