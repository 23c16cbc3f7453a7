/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network.h: the virtual network model (libvirt's <network> format). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <libxml/tree.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"
#include "util/uuid.h"

typedef struct VmmNetworkDef VmmNetworkDef;

/* `flags`: VmmXmlFlags. `len` may be (size_t)-1 for a NUL-terminated string. */
int vmm_network_def_parse(const char *xml, size_t len, unsigned int flags,
                          VmmNetworkDef **ret_def, VmmError *error);
int vmm_network_def_parse_node(xmlNodePtr root, unsigned int flags, VmmNetworkDef **ret_def,
                               VmmError *error);
int vmm_network_def_format(const VmmNetworkDef *def, unsigned int flags, char **ret_xml,
                           VmmError *error);
/* UUID when none, bridge name (virbrN) for forward modes that need one, MAC. */
int vmm_network_def_fill_defaults(VmmNetworkDef *def, VmmError *error);
int vmm_network_def_validate(const VmmNetworkDef *def, VmmError *error);
bool vmm_network_def_equal(const VmmNetworkDef *a, const VmmNetworkDef *b, char **ret_diff);
VmmNetworkDef *vmm_network_def_free(VmmNetworkDef *def);
DEFINE_CLEANUP(VmmNetworkDef, vmm_network_def_free)

const char *vmm_network_def_get_name(const VmmNetworkDef *def);
void vmm_network_def_get_uuid(const VmmNetworkDef *def, uint8_t ret_uuid[VMM_UUID_LEN]);
/* NULL when the network has no bridge. */
const char *vmm_network_def_get_bridge(const VmmNetworkDef *def);
