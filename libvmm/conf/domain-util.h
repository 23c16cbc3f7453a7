/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-util.h: small helpers the domain section files share for reading
 * attributes, writing them back and comparing fields with a message naming
 * the first difference. Internal to libvmm/conf/domain*.c.
 *
 * Tristates: -1 absent, 0 no/off, 1 yes/on.
 */
#pragma once

#include <inttypes.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

#define DOMAIN_ABSENT (-1)

/* --- reading --- */

/* A size element (<memory unit='MiB'>512</memory>) in KiB. */
int vmm_domain_util_size_kib(xmlNodePtr node, uint64_t *ret_kib, VmmError *error);
/* The same with another unit when unit= is absent (e.g. 1024 * 1024: MiB). */
int vmm_domain_util_size_kib_scaled(xmlNodePtr node, uint64_t default_scale, uint64_t *ret_kib,
                                    VmmError *error);
/* A size given as two attributes (<cell memory='512' unit='MiB'/>), in KiB. */
int vmm_domain_util_attr_size_kib(xmlNodePtr node, const char *value_attr, const char *unit_attr,
                                  uint64_t *ret_kib, VmmError *error);
/* Reads string attribute `name` into *ret (freeing what was there). */
int vmm_domain_util_str(xmlNodePtr node, const char *name, char **ret);
/* Text of child `name` (trimmed), or leaves *ret NULL. */
int vmm_domain_util_child_str(xmlNodePtr node, const char *name, char **ret);
/* Keeps a deep copy of `node` in `keep` (verbatim content). */
int vmm_domain_util_keep(VmmXmlUnknown *keep, xmlNodePtr node);
/* Fails when `node` has more than one child `name` (a duplicate element). */
int vmm_domain_util_check_single(xmlNodePtr node, const char *const *names, VmmError *error);
/* Grows *array of n elements of `size` bytes by one zeroed element; returns
 * a pointer to it or NULL on OOM. */
void *vmm_domain_util_grow(void *array_ptr, size_t *n, size_t size);

/*
 * Unknown content below the section level (an attribute of <timer>, a
 * child of <cell>) is kept by where it was found: its parent's path from
 * <domain> ("clock/timer[2]", indexes count same-named siblings from 1),
 * and put back at the same path of the formatted tree.
 */
typedef struct VmmDomainKept {
        char *path;
        VmmXmlUnknown u;
} VmmDomainKept;

typedef struct VmmDomainKeptList {
        VmmDomainKept *items;
        size_t n;
} VmmDomainKeptList;

/* What a parse keeps; while a <domain> is parsed, its document's _private
 * points here, so the section parsers need not pass it along. */
typedef struct VmmDomainParseScope {
        unsigned int flags;
        xmlNodePtr root; /* the <domain> element */
        VmmDomainKeptList *kept;
} VmmDomainParseScope;

/* vmm_xml_check_node() for elements below the section level: with
 * VMM_XML_KEEP_UNKNOWN in the scope's flags, unknown content goes to the
 * scope's kept list instead of failing. */
int vmm_domain_util_check(xmlNodePtr node, const char *const *children, const char *const *attrs,
                          VmmError *error);
/* Puts kept content back into the formatted tree under `root`. */
void vmm_domain_util_kept_format(const VmmDomainKeptList *kept, xmlNodePtr root);
bool vmm_domain_util_kept_equal(const VmmDomainKeptList *a, const VmmDomainKeptList *b,
                                char **diff);
void vmm_domain_util_kept_done(VmmDomainKeptList *kept);

/* --- writing --- */

void vmm_domain_util_set_uint(xmlNodePtr node, const char *name, unsigned int v);
void vmm_domain_util_set_u64(xmlNodePtr node, const char *name, uint64_t v);
/* Writes yes/no (or on/off when `onoff`) unless the tristate is absent. */
void vmm_domain_util_set_tristate(xmlNodePtr node, const char *name, int v, bool onoff);
/* Writes table[v] unless v is negative. */
void vmm_domain_util_set_enum(xmlNodePtr node, const char *name, const char *const *table, int n,
                              int v);
/* <name unit='KiB'>kib</name> */
xmlNodePtr vmm_domain_util_new_size(xmlNodePtr parent, const char *name, uint64_t kib);

/* --- comparing: each returns true when equal, else stores the first
 * difference in *diff (when diff is not NULL and still empty). --- */

bool vmm_domain_util_eq_str(char **diff, const char *what, const char *a, const char *b);
bool vmm_domain_util_eq_int(char **diff, const char *what, long long a, long long b);
bool vmm_domain_util_eq_u64(char **diff, const char *what, uint64_t a, uint64_t b);
bool vmm_domain_util_eq_unknown(char **diff, const char *what, const VmmXmlUnknown *a,
                                const VmmXmlUnknown *b);
/* Sets the difference message from a format (for counts, names). */
bool vmm_domain_util_differ(char **diff, const char *fmt, ...) _printf_(2, 3);

/* Short local names for the section files. */
#define d_eq_str vmm_domain_util_eq_str
#define d_eq_int vmm_domain_util_eq_int
#define d_eq_u64 vmm_domain_util_eq_u64
#define d_eq_unknown vmm_domain_util_eq_unknown
