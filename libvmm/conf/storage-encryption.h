/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-encryption.h: libvirt's storage encryption element, shared by
 * volumes (and usable by disks):
 *   <encryption format='luks' [engine='qemu']>
 *     <secret type='passphrase' uuid='...'|usage='...'/>
 *     <cipher name='aes' size='256' [mode='xts' hash='sha256']/>
 *     <ivgen name='plain64' [hash='sha256']/>
 *   </encryption>
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/xml-util.h"
#include "util/buf.h"
#include "util/uuid.h"

typedef enum VmmStorageEncryptionFormat {
        VMM_STORAGE_ENCRYPTION_DEFAULT,
        VMM_STORAGE_ENCRYPTION_QCOW,
        VMM_STORAGE_ENCRYPTION_LUKS,
        VMM_STORAGE_ENCRYPTION_LUKS2,
        VMM_STORAGE_ENCRYPTION_LUKS_ANY,
        _VMM_STORAGE_ENCRYPTION_MAX
} VmmStorageEncryptionFormat;

typedef enum VmmStorageEncryptionEngine {
        VMM_STORAGE_ENCRYPTION_ENGINE_DEFAULT, /* no engine= attribute */
        VMM_STORAGE_ENCRYPTION_ENGINE_QEMU,
        VMM_STORAGE_ENCRYPTION_ENGINE_LIBRBD,
        _VMM_STORAGE_ENCRYPTION_ENGINE_MAX
} VmmStorageEncryptionEngine;

const char *vmm_storage_encryption_format_to_string(VmmStorageEncryptionFormat v);
int vmm_storage_encryption_format_from_string(const char *s);

/* <secret type='passphrase' uuid= | usage=/>: exactly one of the two. */
typedef struct VmmStorageEncryptionSecret {
        bool has_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        char *usage;
} VmmStorageEncryptionSecret;

typedef struct VmmStorageEncryption {
        VmmStorageEncryptionFormat format;
        VmmStorageEncryptionEngine engine;
        VmmStorageEncryptionSecret *secrets;
        size_t n_secrets;
        bool has_cipher;
        char *cipher_name;
        unsigned int cipher_size; /* bits */
        char *cipher_mode;        /* NULL when absent */
        char *cipher_hash;
        bool has_ivgen;
        char *ivgen_name;
        char *ivgen_hash;
        VmmXmlUnknown unknown;
} VmmStorageEncryption;

/* Parses <encryption> `node` into a new object. */
int vmm_storage_encryption_parse(xmlNodePtr node, unsigned int flags,
                                 VmmStorageEncryption **ret_enc, VmmError *error);
void vmm_storage_encryption_format(const VmmStorageEncryption *enc, xmlNodePtr parent);
/* Semantic checks: LUKS needs a passphrase secret; cipher size not 0. */
int vmm_storage_encryption_validate(const VmmStorageEncryption *enc, VmmError *error);
VmmStorageEncryption *vmm_storage_encryption_free(VmmStorageEncryption *enc);
DEFINE_CLEANUP(VmmStorageEncryption, vmm_storage_encryption_free)
/* Appends what differs to `diff` ("<what> ...: a != b"). */
void vmm_storage_encryption_diff(VmmBuf *diff, const char *what, const VmmStorageEncryption *a,
                                 const VmmStorageEncryption *b);
