/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uuid.h: UUIDs as 16 bytes, parsed from and formatted to the 8-4-4-4-12 form. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#define VMM_UUID_LEN 16
#define VMM_UUID_STRLEN 37

/* Accepts the canonical 8-4-4-4-12 form (either case), and also 32 hex
 * digits with or without dashes between byte pairs as libvirt does;
 * leading/trailing blanks are allowed. -EINVAL with a message otherwise. */
int vmm_uuid_parse(const char *s, uint8_t ret_uuid[VMM_UUID_LEN], VmmError *error);
/* Writes the lower-case canonical form; returns buf. */
char *vmm_uuid_format(const uint8_t uuid[VMM_UUID_LEN], char buf[VMM_UUID_STRLEN]);
/* A random (version 4) UUID from getrandom(). */
int vmm_uuid_generate(uint8_t ret_uuid[VMM_UUID_LEN]);
bool vmm_uuid_is_null(const uint8_t uuid[VMM_UUID_LEN]);
