/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-vol.h: the storage volume model (libvirt's <volume> format),
 * parsed in the context of its pool's type where that matters. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <libxml/tree.h>
#include <vmm/vmm-common.h>
#include <vmm/vmm-storage.h>

#include "util/cleanup.h"

typedef struct VmmStorageVolDef VmmStorageVolDef;

/* `pool_type` ("dir", "logical", "disk"...) or NULL when unknown. */
int vmm_storage_vol_def_parse(const char *xml, size_t len, const char *pool_type,
                              unsigned int flags, VmmStorageVolDef **ret_def, VmmError *error);
int vmm_storage_vol_def_parse_node(xmlNodePtr root, const char *pool_type, unsigned int flags,
                                   VmmStorageVolDef **ret_def, VmmError *error);
int vmm_storage_vol_def_format(const VmmStorageVolDef *def, unsigned int flags,
                               char **ret_xml, VmmError *error);
int vmm_storage_vol_def_validate(const VmmStorageVolDef *def, VmmError *error);
bool vmm_storage_vol_def_equal(const VmmStorageVolDef *a, const VmmStorageVolDef *b,
                               char **ret_diff);
VmmStorageVolDef *vmm_storage_vol_def_free(VmmStorageVolDef *def);
DEFINE_CLEANUP(VmmStorageVolDef, vmm_storage_vol_def_free)

const char *vmm_storage_vol_def_get_name(const VmmStorageVolDef *def);
/* <key>, or NULL when the XML has none (the driver then uses the path). */
const char *vmm_storage_vol_def_get_key(const VmmStorageVolDef *def);
/* <target><path>, or NULL. */
const char *vmm_storage_vol_def_get_path(const VmmStorageVolDef *def);
/* Sets the target path (drivers derive it from the pool's target). */
int vmm_storage_vol_def_set_path(VmmStorageVolDef *def, const char *path);
uint64_t vmm_storage_vol_def_get_capacity(const VmmStorageVolDef *def);   /* bytes */
uint64_t vmm_storage_vol_def_get_allocation(const VmmStorageVolDef *def); /* bytes */
/* "file", "block", "dir", "network", "netdir", "ploop" (<volume type=>),
 * "file" when absent. */
const char *vmm_storage_vol_def_get_type(const VmmStorageVolDef *def);

/* The volume types (VmmStorageVolType, <volume type=...>) are those of the
 * public API, <vmm/vmm-storage.h>. */

/* The pool type the volume was parsed for ("dir", ...), or NULL. */
const char *vmm_storage_vol_def_get_pool_type(const VmmStorageVolDef *def);
/* <target><format type=...> ("qcow2", "raw", "linux"...), or NULL. */
const char *vmm_storage_vol_def_get_format(const VmmStorageVolDef *def);
/* <backingStore><path>, or NULL. */
const char *vmm_storage_vol_def_get_backing_path(const VmmStorageVolDef *def);
/* <backingStore><format type=...>, or NULL. */
const char *vmm_storage_vol_def_get_backing_format(const VmmStorageVolDef *def);
/* Whether the volume has <target><encryption>. */
bool vmm_storage_vol_def_is_encrypted(const VmmStorageVolDef *def);
/* Sets the sizes (drivers fill them in after a refresh); present afterwards. */
void vmm_storage_vol_def_set_sizes(VmmStorageVolDef *def, uint64_t capacity, uint64_t allocation);
/* Sets <key>. */
int vmm_storage_vol_def_set_key(VmmStorageVolDef *def, const char *key);
