/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-storage.c: the storage pool and volume commands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

static inline void pool_unrefp(VmmStoragePool **p)
{
        vmm_storage_pool_unref(*p);
}
#define _cleanup_pool_ _cleanup_(pool_unrefp)

static inline void vol_unrefp(VmmStorageVol **v)
{
        vmm_storage_vol_unref(*v);
}
#define _cleanup_vol_ _cleanup_(vol_unrefp)

static const char *yes_no(int v)
{
        return v < 0 ? "unknown" : v ? "yes" : "no";
}

/* --- pools --- */

typedef struct PoolFacts {
        VmmStoragePoolInfo info;
        bool have_info;
        int active, persistent;
        bool autostart;
        char uuid[VMM_UUID_STRING_BUFLEN];
} PoolFacts;

static void pool_facts(VmmStoragePool *pool, PoolFacts *f)
{
        *f = (PoolFacts){0};
        f->have_info = vmm_storage_pool_get_info(pool, &f->info, NULL) >= 0;
        f->active = vmm_storage_pool_is_active(pool, NULL);
        f->persistent = vmm_storage_pool_is_persistent(pool, NULL);
        vmm_storage_pool_get_autostart(pool, &f->autostart, NULL);
        vmm_storage_pool_get_uuid_string(pool, f->uuid);
}

static json_object *pool_to_json(VmmStoragePool *pool)
{
        json_object *o = json_object_new_object();
        PoolFacts f;

        pool_facts(pool, &f);
        vmmctl_json_add_string(o, "name", vmm_storage_pool_get_name(pool));
        vmmctl_json_add_string(o, "uuid", f.uuid);
        vmmctl_json_add_string(o, "state",
                               f.have_info ? vmm_storage_pool_state_to_string(f.info.state) : NULL);
        vmmctl_json_add_bool(o, "active", f.active == 1);
        vmmctl_json_add_bool(o, "persistent", f.persistent == 1);
        vmmctl_json_add_bool(o, "autostart", f.autostart);
        if (f.have_info && f.active == 1) {
                vmmctl_json_add_int(o, "capacity", (int64_t)f.info.capacity);
                vmmctl_json_add_int(o, "allocation", (int64_t)f.info.allocation);
                vmmctl_json_add_int(o, "available", (int64_t)f.info.available);
        }
        return o;
}

static int pool_list_table(VmmStoragePool **pools, size_t n, bool details, bool quiet)
{
        static const char *const header[] = {"Name",     "State",      "Autostart", "Persistent",
                                             "Capacity", "Allocation", "Available"};
        size_t cols = details ? 7 : 3;
        VmmctlTable t;
        int r;

        r = vmmctl_table_init(&t, cols, header);
        for (size_t i = 0; i < n && r >= 0; i++) {
                char cap[32] = "-", alloc[32] = "-", avail[32] = "-";
                const char *row[7];
                PoolFacts f;

                pool_facts(pools[i], &f);
                if (f.have_info && f.active == 1) {
                        vmmctl_format_capacity(f.info.capacity, cap, sizeof(cap));
                        vmmctl_format_capacity(f.info.allocation, alloc, sizeof(alloc));
                        vmmctl_format_capacity(f.info.available, avail, sizeof(avail));
                }
                row[0] = vmm_storage_pool_get_name(pools[i]);
                if (details)
                        row[1] = f.have_info ? vmm_storage_pool_state_to_string(f.info.state)
                                             : "unknown";
                else
                        row[1] = f.active == 1 ? "active" : "inactive";
                row[2] = f.autostart ? "yes" : "no";
                row[3] = yes_no(f.persistent);
                row[4] = cap;
                row[5] = alloc;
                row[6] = avail;
                r = vmmctl_table_add_row(&t, row);
        }
        if (r >= 0)
                vmmctl_table_print(&t, stdout, quiet);
        vmmctl_table_done(&t);
        return r;
}

int vmmctl_cmd_pool_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        unsigned int flags = VMM_STORAGE_POOL_LIST_ACTIVE;
        VmmStoragePool **pools = NULL;
        size_t n = 0;
        int r;

        if (vmmctl_args_has(args, "inactive"))
                flags = VMM_STORAGE_POOL_LIST_INACTIVE;
        if (vmmctl_args_has(args, "all"))
                flags = 0;
        r = vmm_storage_pool_list_all(ctx->conn, flags, &pools, &n, error);
        if (r < 0)
                return r;
        r = 0;
        if (ctx->json) {
                json_object *arr = json_object_new_array();

                for (size_t i = 0; i < n; i++)
                        json_object_array_add(arr, pool_to_json(pools[i]));
                vmmctl_json_print(arr);
        } else if (vmmctl_args_has(args, "name")) {
                for (size_t i = 0; i < n; i++)
                        printf("%s\n", vmm_storage_pool_get_name(pools[i]));
        } else
                r = pool_list_table(pools, n, vmmctl_args_has(args, "details"), ctx->quiet);
        vmm_storage_pool_list_free(pools, n);
        return r < 0 ? vmmctl_error(error, r, "out of memory") : 0;
}

int vmmctl_cmd_pool_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_pool_ VmmStoragePool *pool = NULL;
        char buf[32];
        PoolFacts f;
        int r;

        r = vmm_storage_pool_lookup_by_name(ctx->conn, vmmctl_args_get(args, "pool"), &pool, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                vmmctl_json_print(pool_to_json(pool));
                return 0;
        }
        pool_facts(pool, &f);
        vmmctl_print_kv("Name", "%s", vmm_storage_pool_get_name(pool));
        vmmctl_print_kv("UUID", "%s", f.uuid);
        if (f.have_info)
                vmmctl_print_kv("State", "%s", vmm_storage_pool_state_to_string(f.info.state));
        vmmctl_print_kv("Persistent", "%s", yes_no(f.persistent));
        vmmctl_print_kv("Autostart", "%s", f.autostart ? "yes" : "no");
        if (f.have_info && f.active == 1) {
                vmmctl_format_capacity(f.info.capacity, buf, sizeof(buf));
                vmmctl_print_kv("Capacity", "%s", buf);
                vmmctl_format_capacity(f.info.allocation, buf, sizeof(buf));
                vmmctl_print_kv("Allocation", "%s", buf);
                vmmctl_format_capacity(f.info.available, buf, sizeof(buf));
                vmmctl_print_kv("Available", "%s", buf);
        }
        if (!ctx->quiet)
                putchar('\n');
        return 0;
}

int vmmctl_cmd_pool_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_pool_ VmmStoragePool *pool = NULL;
        _cleanup_free_ char *xml = NULL;
        int r;

        r = vmm_storage_pool_lookup_by_name(ctx->conn, vmmctl_args_get(args, "pool"), &pool, error);
        if (r >= 0)
                r = vmm_storage_pool_get_xml(pool, 0, &xml, error);
        if (r < 0)
                return r;
        vmmctl_print_xml(ctx, xml);
        return 0;
}

/* --- volumes --- */

static json_object *vol_to_json(VmmStorageVol *vol)
{
        json_object *o = json_object_new_object();
        VmmStorageVolInfo info;

        vmmctl_json_add_string(o, "name", vmm_storage_vol_get_name(vol));
        vmmctl_json_add_string(o, "pool", vmm_storage_vol_get_pool_name(vol));
        vmmctl_json_add_string(o, "path", vmm_storage_vol_get_path(vol));
        vmmctl_json_add_string(o, "key", vmm_storage_vol_get_key(vol));
        if (vmm_storage_vol_get_info(vol, &info, NULL) >= 0) {
                vmmctl_json_add_string(o, "type", vmm_storage_vol_type_to_string(info.type));
                vmmctl_json_add_int(o, "capacity", (int64_t)info.capacity);
                vmmctl_json_add_int(o, "allocation", (int64_t)info.allocation);
        }
        return o;
}

static int vol_list_table(VmmStorageVol **vols, size_t n, bool details, bool quiet)
{
        static const char *const header[] = {"Name", "Path", "Type", "Capacity", "Allocation"};
        VmmctlTable t;
        int r;

        r = vmmctl_table_init(&t, details ? 5 : 2, header);
        for (size_t i = 0; i < n && r >= 0; i++) {
                char cap[32] = "-", alloc[32] = "-";
                const char *row[5] = {vmm_storage_vol_get_name(vols[i]),
                                      vmm_storage_vol_get_path(vols[i]), "-", cap, alloc};
                VmmStorageVolInfo info;

                if (details && vmm_storage_vol_get_info(vols[i], &info, NULL) >= 0) {
                        row[2] = vmm_storage_vol_type_to_string(info.type);
                        vmmctl_format_capacity(info.capacity, cap, sizeof(cap));
                        vmmctl_format_capacity(info.allocation, alloc, sizeof(alloc));
                }
                r = vmmctl_table_add_row(&t, row);
        }
        if (r >= 0)
                vmmctl_table_print(&t, stdout, quiet);
        vmmctl_table_done(&t);
        return r;
}

int vmmctl_cmd_vol_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_pool_ VmmStoragePool *pool = NULL;
        VmmStorageVol **vols = NULL;
        size_t n = 0;
        int r;

        r = vmm_storage_pool_lookup_by_name(ctx->conn, vmmctl_args_get(args, "pool"), &pool, error);
        if (r >= 0)
                r = vmm_storage_vol_list_all(pool, 0, &vols, &n, error);
        if (r < 0)
                return r;
        r = 0;
        if (ctx->json) {
                json_object *arr = json_object_new_array();

                for (size_t i = 0; i < n; i++)
                        json_object_array_add(arr, vol_to_json(vols[i]));
                vmmctl_json_print(arr);
        } else
                r = vol_list_table(vols, n, vmmctl_args_has(args, "details"), ctx->quiet);
        vmm_storage_vol_list_free(vols, n);
        return r < 0 ? vmmctl_error(error, r, "out of memory") : 0;
}

static bool vol_matches(VmmStorageVol *vol, const char *s)
{
        const char *path = vmm_storage_vol_get_path(vol), *key = vmm_storage_vol_get_key(vol);

        return strcmp(vmm_storage_vol_get_name(vol), s) == 0 || (path && strcmp(path, s) == 0) ||
               (key && strcmp(key, s) == 0);
}

/* A volume by name, path or key, in the pool given or in any active pool. */
static int vol_lookup(VmmctlCtx *ctx, const VmmctlArgs *args, VmmStorageVol **ret, VmmError *error)
{
        const char *name = vmmctl_args_get(args, "vol"), *pool_name = vmmctl_args_get(args, "pool");
        VmmStoragePool **pools = NULL;
        size_t n_pools = 0;
        int r;

        if (pool_name) {
                _cleanup_pool_ VmmStoragePool *pool = NULL;

                r = vmm_storage_pool_lookup_by_name(ctx->conn, pool_name, &pool, error);
                if (r >= 0)
                        r = vmm_storage_vol_lookup_by_name(pool, name, ret, error);
                return r;
        }
        r = vmm_storage_pool_list_all(ctx->conn, VMM_STORAGE_POOL_LIST_ACTIVE, &pools, &n_pools,
                                      error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_pools && !*ret; i++) {
                VmmStorageVol **vols = NULL;
                size_t n_vols = 0;

                if (vmm_storage_vol_list_all(pools[i], 0, &vols, &n_vols, NULL) < 0)
                        continue;
                for (size_t k = 0; k < n_vols && !*ret; k++)
                        if (vol_matches(vols[k], name))
                                *ret = vmm_storage_vol_ref(vols[k]);
                vmm_storage_vol_list_free(vols, n_vols);
        }
        vmm_storage_pool_list_free(pools, n_pools);
        if (!*ret)
                return vmmctl_error(error, -ENOENT,
                                    "no storage vol with matching name, path or key '%s' "
                                    "(give the pool with --pool)",
                                    name);
        return 0;
}

int vmmctl_cmd_vol_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_vol_ VmmStorageVol *vol = NULL;
        VmmStorageVolInfo info;
        char buf[32];
        int r;

        r = vol_lookup(ctx, args, &vol, error);
        if (r >= 0)
                r = vmm_storage_vol_get_info(vol, &info, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                vmmctl_json_print(vol_to_json(vol));
                return 0;
        }
        vmmctl_print_kv("Name", "%s", vmm_storage_vol_get_name(vol));
        vmmctl_print_kv("Type", "%s", vmm_storage_vol_type_to_string(info.type));
        vmmctl_format_capacity(info.capacity, buf, sizeof(buf));
        vmmctl_print_kv("Capacity", "%s", buf);
        vmmctl_format_capacity(info.allocation, buf, sizeof(buf));
        vmmctl_print_kv("Allocation", "%s", buf);
        if (!ctx->quiet)
                putchar('\n');
        return 0;
}

int vmmctl_cmd_vol_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_vol_ VmmStorageVol *vol = NULL;
        _cleanup_free_ char *xml = NULL;
        int r;

        r = vol_lookup(ctx, args, &vol, error);
        if (r >= 0)
                r = vmm_storage_vol_get_xml(vol, 0, &xml, error);
        if (r < 0)
                return r;
        vmmctl_print_xml(ctx, xml);
        return 0;
}
