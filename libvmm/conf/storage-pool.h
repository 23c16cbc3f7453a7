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
