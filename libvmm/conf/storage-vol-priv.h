/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-vol-priv.h: the storage volume model's structures, shared by
 * the storage-vol*.c files and by code in libvmm that needs more than the
 * accessors of storage-vol.h.
 */
#pragma once

#include "storage-common.h"
#include "storage-encryption.h"
#include "storage-pool.h"
#include "storage-vol.h"

/* <device path=...> of a volume's <source>, with its extents. */
typedef struct VmmStorageVolDevice {
        char *path;
        VmmStorageExtent *extents;
        size_t n_extents;
} VmmStorageVolDevice;

/* <target> and <backingStore> share this shape; a backing store uses
 * only path, format, permissions and timestamps. */
typedef struct VmmStorageVolTarget {
        bool present;
        char *path;
        int format; /* index in the volume format table, -1 absent */
        VmmStoragePerms perms;
        VmmStorageTimestamps timestamps;
        VmmStorageEncryption *encryption;
        char *compat; /* "1.1" */
        bool nocow;
        bool has_features;
        bool lazy_refcounts;
        bool extended_l2;
        VmmStorageSize cluster_size;
        VmmXmlUnknown unknown;
} VmmStorageVolTarget;

struct VmmStorageVolDef {
        int pool_type; /* VmmStoragePoolType, or -1 when unknown */
        int type;      /* VmmStorageVolType, or -1 when absent */
        char *name;
        char *key;
        bool has_source;
        VmmStorageVolDevice *devices;
        size_t n_devices;
        VmmStorageSize capacity;
        VmmStorageSize allocation;
        VmmStorageSize physical;
        VmmStorageVolTarget target;
        VmmStorageVolTarget backing;
        VmmXmlUnknown unknown;
};

/* The volume formats: file formats (raw, qcow2...) then disk partition
 * types (none, linux...). `vmm_storage_vol_format_allowed()` says which
 * of them a pool type accepts. */
const char *vmm_storage_vol_format_to_string(int format);
int vmm_storage_vol_format_from_string(const char *s);
bool vmm_storage_vol_format_is_file(int format);

/* storage-vol-target.c */
int vmm_storage_vol_target_parse(xmlNodePtr node, int pool_type, bool backing, unsigned int flags,
                                 VmmStorageVolTarget *target, VmmError *error);
void vmm_storage_vol_target_format(const VmmStorageVolTarget *target, const char *name,
                                   xmlNodePtr parent);
void vmm_storage_vol_target_done(VmmStorageVolTarget *target);
void vmm_storage_vol_target_diff(VmmBuf *diff, const char *what, const VmmStorageVolTarget *a,
                                 const VmmStorageVolTarget *b);
