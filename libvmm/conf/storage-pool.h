/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-pool.h: the storage pool model (libvirt's <pool> format). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <libxml/tree.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"
#include "util/uuid.h"

typedef struct VmmStoragePoolDef VmmStoragePoolDef;

int vmm_storage_pool_def_parse(const char *xml, size_t len, unsigned int flags,
                               VmmStoragePoolDef **ret_def, VmmError *error);
int vmm_storage_pool_def_parse_node(xmlNodePtr root, unsigned int flags,
                                    VmmStoragePoolDef **ret_def, VmmError *error);
int vmm_storage_pool_def_format(const VmmStoragePoolDef *def, unsigned int flags,
                                char **ret_xml, VmmError *error);
int vmm_storage_pool_def_fill_defaults(VmmStoragePoolDef *def, VmmError *error);
int vmm_storage_pool_def_validate(const VmmStoragePoolDef *def, VmmError *error);
bool vmm_storage_pool_def_equal(const VmmStoragePoolDef *a, const VmmStoragePoolDef *b,
                                char **ret_diff);
VmmStoragePoolDef *vmm_storage_pool_def_free(VmmStoragePoolDef *def);
DEFINE_CLEANUP(VmmStoragePoolDef, vmm_storage_pool_def_free)

const char *vmm_storage_pool_def_get_name(const VmmStoragePoolDef *def);
void vmm_storage_pool_def_get_uuid(const VmmStoragePoolDef *def, uint8_t ret_uuid[VMM_UUID_LEN]);
/* "dir", "fs", "logical", ... */
const char *vmm_storage_pool_def_get_type(const VmmStoragePoolDef *def);
/* <target><path>, or NULL. */
const char *vmm_storage_pool_def_get_target_path(const VmmStoragePoolDef *def);
/* Sizes from the <capacity>/<allocation>/<available> elements, bytes. */
uint64_t vmm_storage_pool_def_get_capacity(const VmmStoragePoolDef *def);
uint64_t vmm_storage_pool_def_get_allocation(const VmmStoragePoolDef *def);
uint64_t vmm_storage_pool_def_get_available(const VmmStoragePoolDef *def);

/* The pool types (<pool type=...>). */
typedef enum VmmStoragePoolType {
        VMM_STORAGE_POOL_DIR,
        VMM_STORAGE_POOL_FS,
        VMM_STORAGE_POOL_NETFS,
        VMM_STORAGE_POOL_LOGICAL,
        VMM_STORAGE_POOL_DISK,
        VMM_STORAGE_POOL_ISCSI,
        VMM_STORAGE_POOL_ISCSI_DIRECT,
        VMM_STORAGE_POOL_SCSI,
        VMM_STORAGE_POOL_MPATH,
        VMM_STORAGE_POOL_RBD,
        VMM_STORAGE_POOL_GLUSTER,
        VMM_STORAGE_POOL_ZFS,
        VMM_STORAGE_POOL_VSTORAGE,
        _VMM_STORAGE_POOL_TYPE_MAX
} VmmStoragePoolType;

const char *vmm_storage_pool_type_to_string(VmmStoragePoolType type);
/* The type named `s`, or -EINVAL. */
int vmm_storage_pool_type_from_string(const char *s);

/* <source><name> (the volume group, RBD pool, gluster volume...), or NULL. */
const char *vmm_storage_pool_def_get_source_name(const VmmStoragePoolDef *def);
/* <source><format type=...>, or NULL when absent. */
const char *vmm_storage_pool_def_get_source_format(const VmmStoragePoolDef *def);
/* Number of <source><host> and <source><device> elements, and each one. */
size_t vmm_storage_pool_def_get_n_source_hosts(const VmmStoragePoolDef *def);
const char *vmm_storage_pool_def_get_source_host(const VmmStoragePoolDef *def, size_t i,
                                                 unsigned int *ret_port);
size_t vmm_storage_pool_def_get_n_source_devices(const VmmStoragePoolDef *def);
const char *vmm_storage_pool_def_get_source_device(const VmmStoragePoolDef *def, size_t i);
/* <source><dir path=...>, or NULL. */
const char *vmm_storage_pool_def_get_source_dir(const VmmStoragePoolDef *def);
/* Sets the sizes (drivers fill them in after a refresh); present afterwards. */
void vmm_storage_pool_def_set_sizes(VmmStoragePoolDef *def, uint64_t capacity, uint64_t allocation,
                                    uint64_t available);
