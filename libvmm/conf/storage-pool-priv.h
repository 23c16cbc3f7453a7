/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-pool-priv.h: the storage pool model's structures, shared by the
 * storage-pool*.c files (parser, source, formatter, validation) and by
 * code in libvmm that needs more than the accessors of storage-pool.h.
 */
#pragma once

#include "storage-common.h"
#include "storage-pool.h"

/* libvirt's fs and rbd pool namespaces, for <fs:mount_opts> and
 * <rbd:config_opts>. */
#define VMM_STORAGE_POOL_FS_NS "http://libvirt.org/schemas/storagepool/fs/1.0"
#define VMM_STORAGE_POOL_RBD_NS "http://libvirt.org/schemas/storagepool/rbd/1.0"

typedef struct VmmStoragePoolHost {
        char *name;
        bool has_port;
        unsigned int port;
} VmmStoragePoolHost;

typedef struct VmmStoragePoolDevice {
        char *path;
        int part_separator; /* -1 absent, 0 no, 1 yes */
        VmmStorageExtent *free_extents;
        size_t n_free_extents;
} VmmStoragePoolDevice;

typedef enum VmmStoragePoolAdapterType {
        VMM_STORAGE_POOL_ADAPTER_DEFAULT, /* no type=: a scsi_host by name */
        VMM_STORAGE_POOL_ADAPTER_SCSI_HOST,
        VMM_STORAGE_POOL_ADAPTER_FC_HOST,
        _VMM_STORAGE_POOL_ADAPTER_MAX
} VmmStoragePoolAdapterType;

typedef struct VmmStoragePoolAdapter {
        bool present;
        VmmStoragePoolAdapterType type;
        char *name; /* scsi_host name= */
        bool has_parentaddr;
        bool has_unique_id;
        unsigned int unique_id;
        unsigned int addr_domain, addr_bus, addr_slot, addr_function; /* PCI */
        char *parent;                                                 /* fc_host */
        char *parent_wwnn;
        char *parent_wwpn;
        char *parent_fabric_wwn;
        char *wwnn;
        char *wwpn;
        int managed; /* -1 absent, 0 no, 1 yes */
} VmmStoragePoolAdapter;

typedef enum VmmStoragePoolAuthType {
        VMM_STORAGE_POOL_AUTH_CHAP,
        VMM_STORAGE_POOL_AUTH_CEPH,
        _VMM_STORAGE_POOL_AUTH_MAX
} VmmStoragePoolAuthType;

typedef struct VmmStoragePoolAuth {
        bool present;
        VmmStoragePoolAuthType type;
        char *username;
        bool has_secret;
        bool secret_has_uuid;
        uint8_t secret_uuid[VMM_UUID_LEN];
        char *secret_usage;
} VmmStoragePoolAuth;

typedef struct VmmStoragePoolSource {
        bool present;
        VmmStoragePoolHost *hosts;
        size_t n_hosts;
        VmmStoragePoolDevice *devices;
        size_t n_devices;
        char *dir;
        VmmStoragePoolAdapter adapter;
        char *name;
        int format; /* index in the pool type's format table, -1 absent */
        char *vendor;
        char *product;
        VmmStoragePoolAuth auth;
        char *initiator_iqn;
        bool has_protocol_ver;
        unsigned int protocol_ver;
        VmmXmlUnknown unknown;
} VmmStoragePoolSource;

typedef struct VmmStoragePoolOption {
        char *name;
        char *value; /* rbd options only */
} VmmStoragePoolOption;

typedef enum VmmStoragePoolRefreshAlloc {
        VMM_STORAGE_POOL_REFRESH_DEFAULT,
        VMM_STORAGE_POOL_REFRESH_CAPACITY,
        _VMM_STORAGE_POOL_REFRESH_MAX
} VmmStoragePoolRefreshAlloc;

struct VmmStoragePoolDef {
        VmmStoragePoolType type;
        char *name;
        bool has_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        VmmStorageSize capacity;
        VmmStorageSize allocation;
        VmmStorageSize available;
        bool has_features;
        int cow; /* <features><cow state=>: -1 absent, 0 no, 1 yes */
        VmmStoragePoolSource source;
        bool has_target;
        char *target_path;
        VmmStoragePerms target_perms;
        VmmXmlUnknown target_unknown;
        bool has_refresh;
        bool has_refresh_volume;
        int refresh_allocation; /* VmmStoragePoolRefreshAlloc or -1 absent */
        bool has_mount_opts;    /* <fs:mount_opts> */
        VmmStoragePoolOption *mount_opts;
        size_t n_mount_opts;
        bool has_config_opts; /* <rbd:config_opts> */
        VmmStoragePoolOption *config_opts;
        size_t n_config_opts;
        VmmXmlUnknown unknown;
};

/* The table of <source><format type=...> names for a pool type; NULL
 * when the type takes no format. */
const char *const *vmm_storage_pool_format_table(VmmStoragePoolType type, int *ret_n);

/* storage-pool-source.c */
int vmm_storage_pool_source_parse(xmlNodePtr node, VmmStoragePoolType type, unsigned int flags,
                                  VmmStoragePoolSource *source, VmmError *error);
void vmm_storage_pool_source_format(const VmmStoragePoolSource *source, VmmStoragePoolType type,
                                    xmlNodePtr parent);
void vmm_storage_pool_source_done(VmmStoragePoolSource *source);
void vmm_storage_pool_source_diff(VmmBuf *diff, const VmmStoragePoolSource *a,
                                  const VmmStoragePoolSource *b);
