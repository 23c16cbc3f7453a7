/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain.h: the domain configuration model (libvirt's <domain> format),
 * its parser, formatter, defaults and comparison. Sections live in files
 * of their own (domain-os.c, domain-cpu.c, domain-disk.c, ...); this
 * header is the entry point every caller uses.
 *
 * Sizes are kept in KiB, as libvirt does.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"
#include "util/uuid.h"
#include "xml-util.h"

/* Contract fields used by drivers are marked [API]; their names and types
 * are stable across the model's growth. */
typedef struct VmmDomainDef VmmDomainDef;

/* Flags for parse and format. */
typedef enum VmmDomainDefFlags {
        VMM_DOMAIN_DEF_KEEP_UNKNOWN = VMM_XML_KEEP_UNKNOWN, /* parse: keep unknown elements */
        VMM_DOMAIN_DEF_VALIDATE = VMM_XML_VALIDATE,         /* parse: check the schema too */
        VMM_DOMAIN_DEF_INACTIVE = 1u << 8,                  /* format: no live-only data (id) */
} VmmDomainDefFlags;

/*
 * Parses a <domain> document. Errors name the element, attribute and line.
 * The result is not yet given defaults: call vmm_domain_def_fill_defaults()
 * when defining. `len` may be (size_t)-1 for a NUL-terminated string.
 */
int vmm_domain_def_parse(const char *xml, size_t len, unsigned int flags,
                         VmmDomainDef **ret_def, VmmError *error);
/* Parses from an already parsed <domain> node (used by the test driver's
 * state files, which hold several domains). With VMM_DOMAIN_DEF_VALIDATE
 * the node alone is checked against the domain schema. With
 * VMM_DOMAIN_DEF_KEEP_UNKNOWN, unknown elements and attributes are kept
 * where they were found and formatted back there. */
int vmm_domain_def_parse_node(xmlNodePtr root, unsigned int flags, VmmDomainDef **ret_def,
                              VmmError *error);

/* Formats to an indented XML string (heap). `flags`: VmmDomainDefFlags. */
int vmm_domain_def_format(const VmmDomainDef *def, unsigned int flags, char **ret_xml,
                          VmmError *error);

/* Fills what a define leaves to the host: a random UUID when none was
 * given, currentMemory = memory when absent, MAC addresses (52:54:00:...)
 * for interfaces without one, controller/device defaults. Idempotent. */
int vmm_domain_def_fill_defaults(VmmDomainDef *def, VmmError *error);

/* Semantic checks after parsing (separate from parsing): memory not above
 * max, vCPU counts, duplicate disk targets, MAC format... Each error names
 * the element. */
int vmm_domain_def_validate(const VmmDomainDef *def, VmmError *error);

/* Deep copy (e.g. live copy of the persistent definition at start). */
int vmm_domain_def_copy(const VmmDomainDef *def, VmmDomainDef **ret_copy, VmmError *error);

/* Model equality, field by field (the roundtrip check). When they differ
 * and `ret_diff` is not NULL, stores a heap string naming the first
 * differing field ("memory: 1048576 != 2097152"). */
bool vmm_domain_def_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **ret_diff);

VmmDomainDef *vmm_domain_def_free(VmmDomainDef *def);
DEFINE_CLEANUP(VmmDomainDef, vmm_domain_def_free)

/* Accessors for the [API] contract, so drivers need not know the layout. */
const char *vmm_domain_def_get_name(const VmmDomainDef *def);
void vmm_domain_def_get_uuid(const VmmDomainDef *def, uint8_t ret_uuid[VMM_UUID_LEN]);
/* "qemu", "kvm", "test", ... as in <domain type=...>. */
const char *vmm_domain_def_get_virt_type(const VmmDomainDef *def);
/* "hvm", "linux", ... as in <os><type>. */
const char *vmm_domain_def_get_os_type(const VmmDomainDef *def);
uint64_t vmm_domain_def_get_memory_kib(const VmmDomainDef *def);         /* <memory> */
uint64_t vmm_domain_def_get_current_memory_kib(const VmmDomainDef *def); /* <currentMemory> */
unsigned int vmm_domain_def_get_vcpus(const VmmDomainDef *def);          /* current vCPUs */
unsigned int vmm_domain_def_get_max_vcpus(const VmmDomainDef *def);      /* <vcpu> */
/* Live id shown as <domain id='N'> when formatting without INACTIVE; -1 none. */
int vmm_domain_def_get_id(const VmmDomainDef *def);
void vmm_domain_def_set_id(VmmDomainDef *def, int id);
/* Sets the current balloon size (KiB), clamped to <memory>. */
void vmm_domain_def_set_current_memory_kib(VmmDomainDef *def, uint64_t kib);
/* <os><type arch=... machine=...>, NULL when not given. */
const char *vmm_domain_def_get_arch(const VmmDomainDef *def);
const char *vmm_domain_def_get_machine(const VmmDomainDef *def);
/* Direct kernel boot: <os><kernel>, <initrd>, <cmdline>; NULL when absent. */
const char *vmm_domain_def_get_kernel(const VmmDomainDef *def);
const char *vmm_domain_def_get_initrd(const VmmDomainDef *def);
const char *vmm_domain_def_get_cmdline(const VmmDomainDef *def);
/* Whether <features> holds <name/> ("acpi", "apic", "pae", "smm", ...). */
bool vmm_domain_def_has_feature(const VmmDomainDef *def, const char *name);
/* The <devices> section (never NULL on a parsed definition). */
struct VmmDomainDevices;
const struct VmmDomainDevices *vmm_domain_def_get_devices(const VmmDomainDef *def);
