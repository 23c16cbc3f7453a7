/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * handles.c: the object handles drivers hand out (see object.h): their
 * constructors, reference counting and the cached identity getters of the
 * public API. A handle holds a reference on its connection, dropped when
 * the handle's last reference goes.
 */
#include <stdlib.h>
#include <string.h>

#include "driver/object.h"
#include "util/uuid.h"

/* Drops one reference; true when it was the last. */
static bool handle_release(atomic_int *refs)
{
        int old = atomic_fetch_sub(refs, 1);

        return old == 1;
}

static char *handle_strdup(const char *s, bool *ok)
{
        char *copy;

        if (!s)
                return NULL;
        copy = strdup(s);
        if (!copy)
                *ok = false;
        return copy;
}

/* Writes the text form of `uuid`, or "" for a NULL handle. */
static void handle_uuid_string(const uint8_t *uuid, char ret_uuid[VMM_UUID_STRING_BUFLEN])
{
        if (!ret_uuid)
                return;
        if (uuid)
                vmm_uuid_format(uuid, ret_uuid);
        else
                ret_uuid[0] = '\0';
}

/* --- domains --- */

VmmDomain *vmm_domain_handle_new(VmmConnect *conn, const char *name,
                                 const uint8_t uuid[VMM_UUID_BUFLEN], int id)
{
        size_t len = name ? strlen(name) + 1 : 0;
        VmmDomain *dom = calloc(1, sizeof(*dom) + len);

        if (!dom)
                return NULL;
        if (name)
                dom->name = memcpy(dom->name_buf, name, len);
        atomic_init(&dom->refs, 1);
        memcpy(dom->uuid, uuid, VMM_UUID_BUFLEN);
        dom->id = id;
        dom->conn = vmm_connect_ref(conn);
        return dom;
}

VMM_EXPORT VmmDomain *vmm_domain_ref(VmmDomain *dom)
{
        if (dom)
                atomic_fetch_add(&dom->refs, 1);
        return dom;
}

VMM_EXPORT VmmDomain *vmm_domain_unref(VmmDomain *dom)
{
        if (!dom || !handle_release(&dom->refs))
                return NULL;
        vmm_connect_unref(dom->conn);
        free(dom);
        return NULL;
}

VMM_EXPORT const char *vmm_domain_get_name(VmmDomain *dom)
{
        return dom ? dom->name : NULL;
}

VMM_EXPORT void vmm_domain_get_uuid(VmmDomain *dom, uint8_t ret_uuid[VMM_UUID_BUFLEN])
{
        if (!ret_uuid)
                return;
        if (dom)
                memcpy(ret_uuid, dom->uuid, VMM_UUID_BUFLEN);
        else
                memset(ret_uuid, 0, VMM_UUID_BUFLEN);
}

VMM_EXPORT void vmm_domain_get_uuid_string(VmmDomain *dom,
                                           char ret_uuid[VMM_UUID_STRING_BUFLEN])
{
        handle_uuid_string(dom ? dom->uuid : NULL, ret_uuid);
}

VMM_EXPORT VmmConnect *vmm_domain_get_connect(VmmDomain *dom)
{
        return dom ? dom->conn : NULL;
}

/* --- networks --- */

VmmNetwork *vmm_network_handle_new(VmmConnect *conn, const char *name,
                                   const uint8_t uuid[VMM_UUID_BUFLEN])
{
        VmmNetwork *net = calloc(1, sizeof(*net));
        bool ok = true;

        if (!net)
                return NULL;
        net->name = handle_strdup(name, &ok);
        if (!ok) {
                free(net);
                return NULL;
        }
        atomic_init(&net->refs, 1);
        memcpy(net->uuid, uuid, VMM_UUID_BUFLEN);
        net->conn = vmm_connect_ref(conn);
        return net;
}

VMM_EXPORT VmmNetwork *vmm_network_ref(VmmNetwork *net)
{
        if (net)
                atomic_fetch_add(&net->refs, 1);
        return net;
}

VMM_EXPORT VmmNetwork *vmm_network_unref(VmmNetwork *net)
{
        if (!net || !handle_release(&net->refs))
                return NULL;
        vmm_connect_unref(net->conn);
        free(net->name);
        free(net);
        return NULL;
}

VMM_EXPORT const char *vmm_network_get_name(VmmNetwork *net)
{
        return net ? net->name : NULL;
}

VMM_EXPORT void vmm_network_get_uuid_string(VmmNetwork *net,
                                            char ret_uuid[VMM_UUID_STRING_BUFLEN])
{
        handle_uuid_string(net ? net->uuid : NULL, ret_uuid);
}

/* --- storage pools --- */

VmmStoragePool *vmm_storage_pool_handle_new(VmmConnect *conn, const char *name,
                                            const uint8_t uuid[VMM_UUID_BUFLEN])
{
        VmmStoragePool *pool = calloc(1, sizeof(*pool));
        bool ok = true;

        if (!pool)
                return NULL;
        pool->name = handle_strdup(name, &ok);
        if (!ok) {
                free(pool);
                return NULL;
        }
        atomic_init(&pool->refs, 1);
        memcpy(pool->uuid, uuid, VMM_UUID_BUFLEN);
        pool->conn = vmm_connect_ref(conn);
        return pool;
}

VMM_EXPORT VmmStoragePool *vmm_storage_pool_ref(VmmStoragePool *pool)
{
        if (pool)
                atomic_fetch_add(&pool->refs, 1);
        return pool;
}

VMM_EXPORT VmmStoragePool *vmm_storage_pool_unref(VmmStoragePool *pool)
{
        if (!pool || !handle_release(&pool->refs))
                return NULL;
        vmm_connect_unref(pool->conn);
        free(pool->name);
        free(pool);
        return NULL;
}

VMM_EXPORT const char *vmm_storage_pool_get_name(VmmStoragePool *pool)
{
        return pool ? pool->name : NULL;
}

VMM_EXPORT void vmm_storage_pool_get_uuid_string(VmmStoragePool *pool,
                                                 char ret_uuid[VMM_UUID_STRING_BUFLEN])
{
        handle_uuid_string(pool ? pool->uuid : NULL, ret_uuid);
}

/* --- storage volumes --- */

static void storage_vol_free(VmmStorageVol *vol)
{
        free(vol->pool_name);
        free(vol->name);
        free(vol->key);
        free(vol->path);
        free(vol);
}

VmmStorageVol *vmm_storage_vol_handle_new(VmmConnect *conn, const char *pool_name,
                                          const char *name, const char *key,
                                          const char *path)
{
        VmmStorageVol *vol = calloc(1, sizeof(*vol));
        bool ok = true;

        if (!vol)
                return NULL;
        vol->pool_name = handle_strdup(pool_name, &ok);
        vol->name = handle_strdup(name, &ok);
        vol->key = handle_strdup(key, &ok);
        vol->path = handle_strdup(path, &ok);
        if (!ok) {
                storage_vol_free(vol);
                return NULL;
        }
        atomic_init(&vol->refs, 1);
        vol->conn = vmm_connect_ref(conn);
        return vol;
}

VMM_EXPORT VmmStorageVol *vmm_storage_vol_ref(VmmStorageVol *vol)
{
        if (vol)
                atomic_fetch_add(&vol->refs, 1);
        return vol;
}

VMM_EXPORT VmmStorageVol *vmm_storage_vol_unref(VmmStorageVol *vol)
{
        if (!vol || !handle_release(&vol->refs))
                return NULL;
        vmm_connect_unref(vol->conn);
        storage_vol_free(vol);
        return NULL;
}

VMM_EXPORT const char *vmm_storage_vol_get_name(VmmStorageVol *vol)
{
        return vol ? vol->name : NULL;
}

VMM_EXPORT const char *vmm_storage_vol_get_key(VmmStorageVol *vol)
{
        return vol ? vol->key : NULL;
}

VMM_EXPORT const char *vmm_storage_vol_get_path(VmmStorageVol *vol)
{
        return vol ? vol->path : NULL;
}

VMM_EXPORT const char *vmm_storage_vol_get_pool_name(VmmStorageVol *vol)
{
        return vol ? vol->pool_name : NULL;
}

/* --- secrets --- */

VmmSecret *vmm_secret_handle_new(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                 int usage_type, const char *usage_id)
{
        VmmSecret *secret = calloc(1, sizeof(*secret));
        bool ok = true;

        if (!secret)
                return NULL;
        secret->usage_id = handle_strdup(usage_id, &ok);
        if (!ok) {
                free(secret);
                return NULL;
        }
        atomic_init(&secret->refs, 1);
        memcpy(secret->uuid, uuid, VMM_UUID_BUFLEN);
        secret->usage_type = usage_type;
        secret->conn = vmm_connect_ref(conn);
        return secret;
}

VMM_EXPORT VmmSecret *vmm_secret_ref(VmmSecret *secret)
{
        if (secret)
                atomic_fetch_add(&secret->refs, 1);
        return secret;
}

VMM_EXPORT VmmSecret *vmm_secret_unref(VmmSecret *secret)
{
        if (!secret || !handle_release(&secret->refs))
                return NULL;
        vmm_connect_unref(secret->conn);
        free(secret->usage_id);
        free(secret);
        return NULL;
}

/* --- node devices --- */

VmmNodeDevice *vmm_node_device_handle_new(VmmConnect *conn, const char *name,
                                          const char *parent)
{
        VmmNodeDevice *dev = calloc(1, sizeof(*dev));
        bool ok = true;

        if (!dev)
                return NULL;
        dev->name = handle_strdup(name, &ok);
        dev->parent = handle_strdup(parent, &ok);
        if (!ok) {
                free(dev->name);
                free(dev->parent);
                free(dev);
                return NULL;
        }
        atomic_init(&dev->refs, 1);
        dev->conn = vmm_connect_ref(conn);
        return dev;
}

VMM_EXPORT VmmNodeDevice *vmm_node_device_ref(VmmNodeDevice *dev)
{
        if (dev)
                atomic_fetch_add(&dev->refs, 1);
        return dev;
}

VMM_EXPORT VmmNodeDevice *vmm_node_device_unref(VmmNodeDevice *dev)
{
        if (!dev || !handle_release(&dev->refs))
                return NULL;
        vmm_connect_unref(dev->conn);
        free(dev->name);
        free(dev->parent);
        free(dev);
        return NULL;
}
