/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-network.h: virtual networks. Handles are reference counted as
 * domain handles are (see vmm-domain.h).
 */
#pragma once

#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VmmNetwork VmmNetwork;

typedef enum VmmNetworkListFlags {
        VMM_NETWORK_LIST_ACTIVE = 1u << 0,
        VMM_NETWORK_LIST_INACTIVE = 1u << 1,
        VMM_NETWORK_LIST_PERSISTENT = 1u << 2,
        VMM_NETWORK_LIST_TRANSIENT = 1u << 3,
        VMM_NETWORK_LIST_AUTOSTART = 1u << 4,
        VMM_NETWORK_LIST_NO_AUTOSTART = 1u << 5,
} VmmNetworkListFlags;

VMM_EXPORT VmmNetwork *vmm_network_ref(VmmNetwork *net);
VMM_EXPORT VmmNetwork *vmm_network_unref(VmmNetwork *net);
VMM_EXPORT const char *vmm_network_get_name(VmmNetwork *net);
VMM_EXPORT void vmm_network_get_uuid_string(VmmNetwork *net,
                                            char ret_uuid[VMM_UUID_STRING_BUFLEN]);

/* Sorted by name; release with vmm_network_list_free(). Returns the count. */
VMM_EXPORT int vmm_network_list_all(VmmConnect *conn, unsigned int flags,
                                    VmmNetwork ***ret_nets, size_t *ret_count,
                                    VmmError *error);
VMM_EXPORT void vmm_network_list_free(VmmNetwork **nets, size_t count);

/* Errors: -ENOENT (kind VMM_ERR_NO_NETWORK). */
VMM_EXPORT int vmm_network_lookup_by_name(VmmConnect *conn, const char *name,
                                          VmmNetwork **ret_net, VmmError *error);
VMM_EXPORT int vmm_network_lookup_by_uuid_string(VmmConnect *conn, const char *uuid,
                                                 VmmNetwork **ret_net, VmmError *error);

/* The network's XML; heap memory for the caller to free(). */
VMM_EXPORT int vmm_network_get_xml(VmmNetwork *net, unsigned int flags, char **ret_xml,
                                   VmmError *error);
/* 1/0, negative on error. */
VMM_EXPORT int vmm_network_is_active(VmmNetwork *net, VmmError *error);
VMM_EXPORT int vmm_network_is_persistent(VmmNetwork *net, VmmError *error);
VMM_EXPORT int vmm_network_get_autostart(VmmNetwork *net, bool *ret_autostart,
                                         VmmError *error);
/* The bridge device's name ("virbr0"); heap string for the caller to free(). */
VMM_EXPORT int vmm_network_get_bridge_name(VmmNetwork *net, char **ret_bridge,
                                           VmmError *error);

#ifdef __cplusplus
}
#endif
