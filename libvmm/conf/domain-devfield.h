/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-devfield.h: devices described by tables instead of hand-written
 * parse/format/compare/copy/free code.
 *
 * A device (or a part of one, such as <address>) is a plain C struct and a
 * VmmDevDesc listing its fields: where each lives in the XML (an attribute
 * or the text of the element itself or of a child element), its kind, and
 * its offset in the struct. One engine then parses (checking unknown
 * content and naming the line of any bad value), formats, compares with a
 * message naming the first difference, copies, frees, and writes the
 * RelaxNG schema of the element, so the schema can never disagree with
 * the parser.
 *
 * Absent values: strings are NULL, numbers are VMM_DEV_UNSET, enums are 0
 * (every enum table used here has a NULL hole at index 0), flags false,
 * sub-structures NULL and lists empty.
 *
 * Adding a device kind: a struct ending in `VmmDevInfo info; VmmDevExtra
 * extra;`, a field table ending in VMM_DEVINFO_FIELDS(T), a VmmDevDesc
 * (VMM_DEV_DESC), a VMM_DOMAIN_DEVICE_* value and its kind_desc[] entry in
 * domain-device.c, its info in device_info() (domain-device-validate.c)
 * and, for semantic checks, a check function in vmm_device_kinds[]. Then
 * run test-domain-devices with VMM_UPDATE_SCHEMA=1 to regenerate
 * schemas/domain-devices.rng.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "util/buf.h"
#include "util/macros.h"
#include "xml-util.h"

#define VMM_DEV_UNSET INT64_MIN

typedef enum VmmDevFieldKind {
        VMM_DEVF_STR,   /* char * */
        VMM_DEVF_UINT,  /* int64_t, decimal, not negative */
        VMM_DEVF_INT,   /* int64_t, decimal, may be negative */
        VMM_DEVF_HEX,   /* int64_t, decimal or 0x-hex in, 0x-hex of `width` digits out */
        VMM_DEVF_SIZE,  /* int64_t KiB: the text, scaled by a unit= attribute */
        VMM_DEVF_BYTES, /* int64_t bytes: the text, scaled by unit= (default bytes) */
        VMM_DEVF_ENUM,  /* int: index in `table`, 0 when absent */
        VMM_DEVF_FLAG,  /* bool: the (empty) element `elem` is present */
        VMM_DEVF_SUB,   /* pointer to a struct of `sub`; `name` is its element */
        VMM_DEVF_LIST,  /* void ** array of `sub` structs, size_t count at count_offset */
} VmmDevFieldKind;

typedef struct VmmDevDesc VmmDevDesc;

typedef struct VmmDevField {
        const char *elem; /* child element holding the value; NULL: the element itself */
        const char *name; /* attribute; NULL: the text; SUB/LIST: the child element */
        VmmDevFieldKind kind;
        size_t offset;
        const char *const *table; /* ENUM */
        int n_table;
        const VmmDevDesc *sub; /* SUB, LIST */
        size_t count_offset;   /* LIST */
        int width;             /* HEX */
        bool secure;           /* a secret: formatted only with VMM_DEV_FORMAT_SECURE */
        bool required;         /* must be present (SUB and scalar attributes) */
        int64_t max;           /* numbers: the largest value allowed (0: none) */
        const char *pattern;   /* STR, HEX: the whole value matches (XSD/POSIX ERE subset) */
        const char *expect;    /* what `pattern` stands for, in messages */
} VmmDevField;

/* Format flag: include secure fields (passwords). Same bit as the
 * domain's format flag for it. */
#define VMM_DEV_FORMAT_SECURE (1u << 9)

/* Unknown content kept under VMM_XML_KEEP_UNKNOWN: the element's own, and
 * that of each child element a field lives in. */
typedef struct VmmDevExtraGroup {
        char *elem;
        VmmXmlUnknown unknown;
} VmmDevExtraGroup;

typedef struct VmmDevExtra {
        VmmXmlUnknown self;
        VmmDevExtraGroup *groups;
        size_t n_groups;
} VmmDevExtra;

struct VmmDevDesc {
        const char *name;   /* element name */
        const char *rng_id; /* unique define name in the schema, "dev-" prefixed */
        size_t size;        /* of the struct */
        const VmmDevField *fields;
        size_t n_fields;
        size_t extra_offset; /* of a VmmDevExtra member */
        /* Variants: when set, fields[0] is an ENUM attribute (type=) whose
         * value picks variants[value] (all of the same struct, each listing
         * its own fields); values without a variant use this table. */
        const VmmDevDesc *const *variants;
        int n_variants;
};

/* Field table helpers (designated initialisers, no control flow). */
#define VMM_DEVF(e, n, k, type, member)                                                            \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = (k), .offset = offsetof(type, member)            \
        }
#define VMM_DEVF_E(e, n, type, member, tbl)                                                        \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_ENUM, .offset = offsetof(type, member), \
                .table = (tbl), .n_table = ARRAY_SIZE(tbl)                                         \
        }
#define VMM_DEVF_X(e, n, type, member, w)                                                          \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_HEX, .offset = offsetof(type, member),  \
                .width = (w)                                                                       \
        }
#define VMM_DEVF_S(e, n, type, member, d)                                                          \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_SUB, .offset = offsetof(type, member),  \
                .sub = (d)                                                                         \
        }
#define VMM_DEVF_L(e, n, type, member, count, d)                                                   \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_LIST, .offset = offsetof(type, member), \
                .count_offset = offsetof(type, count), .sub = (d)                                  \
        }

/* A required attribute (or text) of a non-enum kind. */
#define VMM_DEVF_R(e, n, k, type, member)                                                          \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = (k), .offset = offsetof(type, member),           \
                .required = true                                                                   \
        }

/* A required enum attribute. */
#define VMM_DEVF_ER(e, n, type, member, tbl)                                                       \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_ENUM, .offset = offsetof(type, member), \
                .table = (tbl), .n_table = ARRAY_SIZE(tbl), .required = true                       \
        }

/* A hex field with a value limit and the schema pattern that matches it. */
#define VMM_DEVF_XM(e, n, type, member, w, maxv, pat)                                              \
        {                                                                                          \
                .elem = (e), .name = (n), .kind = VMM_DEVF_HEX, .offset = offsetof(type, member),  \
                .width = (w), .max = (maxv), .pattern = (pat)                                      \
        }

/* A zeroed struct with every number VMM_DEV_UNSET; NULL on OOM. */
void *vmm_devfield_new(const VmmDevDesc *d);
/* Fills `obj` (from vmm_devfield_new) from `node`. */
int vmm_devfield_parse(const VmmDevDesc *d, xmlNodePtr node, unsigned int flags, void *obj,
                       VmmError *error);
/* Parses `node` into a new struct. */
int vmm_devfield_parse_new(const VmmDevDesc *d, xmlNodePtr node, unsigned int flags, void **ret_obj,
                           VmmError *error);
/* Appends a <name> element for `obj` to `parent`; returns it (NULL on OOM). */
xmlNodePtr vmm_devfield_format(const VmmDevDesc *d, const void *obj, xmlNodePtr parent,
                               unsigned int flags);
/* Compares; on difference appends "<what>: <a> != <b>" to `diff` (may be NULL). */
bool vmm_devfield_equal(const VmmDevDesc *d, const void *a, const void *b, VmmBuf *diff);
/* Deep copy into a new struct. */
int vmm_devfield_copy(const VmmDevDesc *d, const void *src, void **ret_copy);
/* Frees `obj` and all it owns; accepts NULL; returns NULL. */
void *vmm_devfield_free(const VmmDevDesc *d, void *obj);

/* Writes <define name="rng_id"> for `d` and, once each, for every
 * structure it contains; `done` tracks what was written already. */
typedef struct VmmDevRngDone {
        const VmmDevDesc *descs[256];
        size_t n;
} VmmDevRngDone;
void vmm_devfield_rng(const VmmDevDesc *d, VmmBuf *out, VmmDevRngDone *done);
