/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nodedev-priv.h: what the nodedev*.c files share: child-element readers
 * and writers, and each capability kind's parse / format / equal / done.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>

#include "nodedev.h"

/* Text of the only child `name` of `node` into *ret (heap). Absent: 0, or
 * an error when `required`. Surrounding blanks are trimmed. */
int vmm_nodedev_text(xmlNodePtr node, const char *name, bool required, char **ret, VmmError *error);
/* The only child `name` as a number (decimal, or hex with 0x) up to `max`.
 * Returns 1 when read, 0 when absent (an error when `required`). */
int vmm_nodedev_num(xmlNodePtr node, const char *name, bool required, uint64_t max, uint64_t *ret,
                    VmmError *error);
int vmm_nodedev_uint(xmlNodePtr node, const char *name, bool required, unsigned int max,
                     unsigned int *ret, VmmError *error);
/* A hex attribute such as <product id='0x10ca'> or <address bus='0x02'>. */
int vmm_nodedev_hex_prop(xmlNodePtr node, const char *attr, bool required, unsigned int max,
                         unsigned int *ret, VmmError *error);
/* Adds <name>text</name> when text is not NULL. */
void vmm_nodedev_add_text(xmlNodePtr parent, const char *name, const char *text);
xmlNodePtr vmm_nodedev_add_textf(xmlNodePtr parent, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Grows an array by one zeroed element; NULL on OOM. */
void *vmm_nodedev_array_add(void **array, size_t *n, size_t size);
/* An error naming the capability: "line N: <capability type='pci'>: ...". */
int vmm_nodedev_cap_error(VmmError *error, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* PCI addresses <address domain= bus= slot= function=/>. */
int vmm_nodedev_pci_addr_parse(xmlNodePtr node, VmmNodedevPciAddr *addr, VmmError *error);
void vmm_nodedev_pci_addr_format(const VmmNodedevPciAddr *addr, xmlNodePtr parent);
bool vmm_nodedev_pci_addrs_equal(const VmmNodedevPciAddr *a, size_t na, const VmmNodedevPciAddr *b,
                                 size_t nb, const char *where, char **d);

/* <capability type='mdev_types'>, shared by pci, css and ap_matrix. */
int vmm_nodedev_mdev_types_parse(xmlNodePtr node, VmmNodedevMdevTypes *mt, VmmError *error);
void vmm_nodedev_mdev_types_format(const VmmNodedevMdevTypes *mt, xmlNodePtr parent);
bool vmm_nodedev_mdev_types_equal(const VmmNodedevMdevTypes *a, const VmmNodedevMdevTypes *b,
                                  const char *where, char **d);
void vmm_nodedev_mdev_types_done(VmmNodedevMdevTypes *mt);

/* A nested <capability>'s type (heap), or NULL with an error set. */
char *vmm_nodedev_subcap_type(xmlNodePtr c, VmmError *error);
/* "... is not valid here (expected <expected>)" for a nested capability. */
int vmm_nodedev_subcap_unknown(VmmError *error, xmlNodePtr c, const char *type,
                               const char *expected);

/* Host hardware kinds (nodedev-host.c). */
int vmm_nodedev_system_parse(xmlNodePtr node, VmmNodedevSystem *s, VmmError *error);
void vmm_nodedev_system_format(const VmmNodedevSystem *s, xmlNodePtr cap);
bool vmm_nodedev_system_equal(const VmmNodedevSystem *a, const VmmNodedevSystem *b, const char *w,
                              char **d);
int vmm_nodedev_usb_device_parse(xmlNodePtr node, VmmNodedevUsbDevice *u, VmmError *error);
int vmm_nodedev_usb_parse(xmlNodePtr node, VmmNodedevUsb *u, VmmError *error);
int vmm_nodedev_net_parse(xmlNodePtr node, VmmNodedevNet *n, VmmError *error);
void vmm_nodedev_net_format(const VmmNodedevNet *n, xmlNodePtr cap);
bool vmm_nodedev_net_equal(const VmmNodedevNet *a, const VmmNodedevNet *b, const char *w, char **d);
int vmm_nodedev_scsi_host_parse(xmlNodePtr node, VmmNodedevScsiHost *h, VmmError *error);
void vmm_nodedev_scsi_host_format(const VmmNodedevScsiHost *h, xmlNodePtr cap);
bool vmm_nodedev_scsi_host_equal(const VmmNodedevScsiHost *a, const VmmNodedevScsiHost *b,
                                 const char *w, char **d);
int vmm_nodedev_scsi_target_parse(xmlNodePtr node, VmmNodedevScsiTarget *t, VmmError *error);
int vmm_nodedev_scsi_parse(xmlNodePtr node, VmmNodedevScsi *s, VmmError *error);
int vmm_nodedev_storage_parse(xmlNodePtr node, VmmNodedevStorage *s, VmmError *error);
void vmm_nodedev_storage_format(const VmmNodedevStorage *s, xmlNodePtr cap);
bool vmm_nodedev_storage_equal(const VmmNodedevStorage *a, const VmmNodedevStorage *b,
                               const char *w, char **d);

/* Each capability kind (node is the <capability> element). */
int vmm_nodedev_pci_parse(xmlNodePtr node, VmmNodedevPci *pci, VmmError *error);
void vmm_nodedev_pci_format(const VmmNodedevPci *pci, xmlNodePtr cap);
bool vmm_nodedev_pci_equal(const VmmNodedevPci *a, const VmmNodedevPci *b, const char *where,
                           char **d);
void vmm_nodedev_pci_done(VmmNodedevPci *pci);

/* `flags`: VmmXmlFlags (unknown children of the capability may be kept). */
int vmm_nodedev_cap_parse(xmlNodePtr node, unsigned int flags, VmmNodedevCap *cap, VmmError *error);
void vmm_nodedev_cap_format(const VmmNodedevCap *cap, xmlNodePtr parent);
bool vmm_nodedev_cap_equal(const VmmNodedevCap *a, const VmmNodedevCap *b, const char *where,
                           char **d);
void vmm_nodedev_cap_done(VmmNodedevCap *cap);
