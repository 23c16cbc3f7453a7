/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-domain-save.h: saving a domain's memory and device state to a file
 * and starting it again from there (restore), and the managed save image
 * a host keeps per domain (`start` resumes from it). Included by vmm.h.
 */
#pragma once

#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- save and restore (api-domain-save.c) --- */

/* Flags of save, restore and managed save, numbered as libvirt's
 * virDomainSaveRestoreFlags. RUNNING / PAUSED choose the state after the
 * restore (default: the state the guest had when it was saved). */
typedef enum VmmDomainSaveRestoreFlags {
        VMM_DOMAIN_SAVE_BYPASS_CACHE = 1u << 0, /* accepted; the image is fsync'ed anyway */
        VMM_DOMAIN_SAVE_RUNNING = 1u << 1,
        VMM_DOMAIN_SAVE_PAUSED = 1u << 2,
} VmmDomainSaveRestoreFlags;

/* Flags of vmm_domain_undefine(), numbered as libvirt's. */
typedef enum VmmDomainUndefineFlags {
        VMM_DOMAIN_UNDEFINE_MANAGED_SAVE = 1u << 0, /* also remove a managed save image */
} VmmDomainUndefineFlags;

/*
 * Saves the memory and device state of a running or paused domain to
 * `path` (absolute; written by the host side, mode 0600, an existing file
 * replaced atomically) and stops it: shut off, reason "saved". `dxml`
 * (NULL: the live XML) is the definition stored in the image (same name
 * and UUID). On failure the guest keeps running as before and no file is
 * left behind.
 */
VMM_EXPORT int vmm_domain_save(VmmDomain *dom, const char *path, const char *dxml,
                               unsigned int flags, VmmError *error);
/* Starts the domain saved in `path`; running/restored (or paused with
 * VMM_DOMAIN_SAVE_PAUSED). *ret_dom (may be NULL) is a handle on it. */
VMM_EXPORT int vmm_domain_restore(VmmConnect *conn, const char *path, const char *dxml,
                                  unsigned int flags, VmmDomain **ret_dom, VmmError *error);
/* The domain XML stored in a save image (heap, for the caller to free()). */
VMM_EXPORT int vmm_domain_save_image_get_xml_desc(VmmConnect *conn, const char *path,
                                                  unsigned int flags, char **ret_xml,
                                                  VmmError *error);
/* Saves a persistent domain to an image the host manages; its next start
 * resumes from it (and removes it). */
VMM_EXPORT int vmm_domain_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error);
/* 1 when the domain has a managed save image, 0 when not, negative on error. */
VMM_EXPORT int vmm_domain_has_managed_save(VmmDomain *dom, unsigned int flags,
                                           VmmError *error);
/* Removes the managed save image (none: success). */
VMM_EXPORT int vmm_domain_managed_save_remove(VmmDomain *dom, unsigned int flags,
                                              VmmError *error);

#ifdef __cplusplus
}
#endif
