/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * object.h: what the public handles are inside. A handle names an object
 * on one connection and caches its identity; drivers look the object up
 * by UUID (or, for volumes, by pool and name) on every call. Reference
 * counts are atomic, the rest of a handle never changes after creation,
 * so handles are safe to share between threads.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm.h>

#include "util/uri.h"

typedef struct VmmDriver VmmDriver;

struct VmmConnect {
        atomic_int refs;
        atomic_bool closed;
        const VmmDriver *driver;
        void *priv; /* the driver's per-connection state */
        VmmUri *uri;
        char *uri_string;
        unsigned int flags; /* VmmConnectFlags */
        atomic_int call_timeout_ms; /* default deadline of calls; 0: none (api-timeout.c) */
};

struct VmmDomain {
        atomic_int refs;
        VmmConnect *conn; /* holds a reference */
        char *name;
        uint8_t uuid[VMM_UUID_BUFLEN];
        int id; /* at the time the handle was made; -1 when inactive */
        bool has_call_timeout; /* calls on this handle use call_timeout_ms, */
        int call_timeout_ms;   /* not the connection's (api-timeout.c) */
        char name_buf[];       /* `name` points here: one allocation per handle */
};

struct VmmNetwork {
        atomic_int refs;
        VmmConnect *conn;
        char *name;
        uint8_t uuid[VMM_UUID_BUFLEN];
};

struct VmmStoragePool {
        atomic_int refs;
        VmmConnect *conn;
        char *name;
        uint8_t uuid[VMM_UUID_BUFLEN];
};

struct VmmStorageVol {
        atomic_int refs;
        VmmConnect *conn;
        char *pool_name;
        char *name;
        char *key;
        char *path;
};

struct VmmSecret {
        atomic_int refs;
        VmmConnect *conn;
        uint8_t uuid[VMM_UUID_BUFLEN];
        int usage_type;
        char *usage_id;
};

struct VmmNodeDevice {
        atomic_int refs;
        VmmConnect *conn;
        char *name;
        char *parent;
};

/* Constructors used by drivers: each returns a handle with one reference
 * (and takes a reference on `conn`), or NULL when out of memory. */
VmmConnect *vmm_connect_ref(VmmConnect *conn);
VmmConnect *vmm_connect_unref(VmmConnect *conn);
VmmDomain *vmm_domain_handle_new(VmmConnect *conn, const char *name,
                                 const uint8_t uuid[VMM_UUID_BUFLEN], int id);
VmmNetwork *vmm_network_handle_new(VmmConnect *conn, const char *name,
                                   const uint8_t uuid[VMM_UUID_BUFLEN]);
VmmStoragePool *vmm_storage_pool_handle_new(VmmConnect *conn, const char *name,
                                            const uint8_t uuid[VMM_UUID_BUFLEN]);
VmmStorageVol *vmm_storage_vol_handle_new(VmmConnect *conn, const char *pool_name,
                                          const char *name, const char *key,
                                          const char *path);
VmmSecret *vmm_secret_handle_new(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                 int usage_type, const char *usage_id);
VmmNodeDevice *vmm_node_device_handle_new(VmmConnect *conn, const char *name,
                                          const char *parent);
