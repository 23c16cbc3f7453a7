/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secret.h: the secret model (libvirt's <secret> format): a passphrase or
 * key's metadata, never its value.
 *
 *   <secret ephemeral='no' private='yes'>
 *     <uuid>...</uuid>
 *     <description>...</description>
 *     <usage type='volume'><volume>/path</volume></usage>
 *   </secret>
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/xml-util.h"
#include "util/cleanup.h"
#include "util/uuid.h"

typedef enum VmmSecretUsageType {
        VMM_SECRET_USAGE_NONE,   /* no <usage> */
        VMM_SECRET_USAGE_VOLUME, /* <volume>path</volume> */
        VMM_SECRET_USAGE_CEPH,   /* <name>...</name> */
        VMM_SECRET_USAGE_ISCSI,  /* <target>...</target> */
        VMM_SECRET_USAGE_TLS,    /* <name>...</name> */
        VMM_SECRET_USAGE_VTPM,   /* <name>...</name> */
        _VMM_SECRET_USAGE_MAX
} VmmSecretUsageType;

typedef struct VmmSecretDef {
        bool ephemeral;
        bool is_private;
        bool has_uuid;
        uint8_t uuid[VMM_UUID_LEN];
        char *description;
        VmmSecretUsageType usage_type;
        char *usage_id;        /* the volume path, ceph/tls/vtpm name or iscsi target */
        VmmXmlUnknown unknown; /* with VMM_XML_KEEP_UNKNOWN */
} VmmSecretDef;

/* `flags`: VmmXmlFlags. `len` may be (size_t)-1 for a NUL-terminated string. */
int vmm_secret_def_parse(const char *xml, size_t len, unsigned int flags, VmmSecretDef **ret_def,
                         VmmError *error);
int vmm_secret_def_parse_node(xmlNodePtr root, unsigned int flags, VmmSecretDef **ret_def,
                              VmmError *error);
int vmm_secret_def_format(const VmmSecretDef *def, unsigned int flags, char **ret_xml,
                          VmmError *error);
/* A random UUID when none was given. */
int vmm_secret_def_fill_defaults(VmmSecretDef *def, VmmError *error);
/* Semantic checks: a usage names its object, a volume path is absolute. */
int vmm_secret_def_validate(const VmmSecretDef *def, VmmError *error);
bool vmm_secret_def_equal(const VmmSecretDef *a, const VmmSecretDef *b, char **ret_diff);
VmmSecretDef *vmm_secret_def_free(VmmSecretDef *def);
DEFINE_CLEANUP(VmmSecretDef, vmm_secret_def_free)

const char *vmm_secret_usage_type_to_string(VmmSecretUsageType v);
int vmm_secret_usage_type_from_string(const char *s);
