/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-kind.h: one table of the XML configuration kinds vmm understands
 * (domain, network, pool, volume, secret, node device), so that tools
 * (vmm-xml, the corpus test) handle any document the same way: the kind is
 * picked from the root element, and each kind's model is reached through
 * the same parse / validate / format / equal / free calls.
 *
 *   const VmmConfKind *k = vmm_conf_kind_by_root("network");
 *   void *def;
 *   r = k->parse(xml, len, VMM_XML_KEEP_UNKNOWN, &def, &error);
 *
 * A kind whose model is not built into this binary has `parse` == NULL;
 * vmm_conf_kind_check_available() turns that into an error message.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <vmm/vmm-common.h>

typedef enum VmmConfKindId {
        VMM_CONF_KIND_DOMAIN,
        VMM_CONF_KIND_NETWORK,
        VMM_CONF_KIND_POOL,
        VMM_CONF_KIND_VOLUME,
        VMM_CONF_KIND_SECRET,
        VMM_CONF_KIND_NODEDEV,
        _VMM_CONF_KIND_MAX
} VmmConfKindId;

typedef struct VmmConfKind {
        VmmConfKindId id;
        const char *name;   /* "domain", "network", "pool", "volume", "secret", "nodedev" */
        const char *root;   /* root element: "domain", ..., "volume", "device" for nodedev */
        const char *schema; /* schemas/<schema>.rng */
        /* `flags`: VmmXmlFlags (VMM_XML_KEEP_UNKNOWN...). */
        int (*parse)(const char *xml, size_t len, unsigned int flags, void **ret_def,
                     VmmError *error);
        /* Semantic checks after parsing; NULL when the kind has none. */
        int (*validate)(const void *def, VmmError *error);
        int (*format)(const void *def, unsigned int flags, char **ret_xml, VmmError *error);
        bool (*equal)(const void *a, const void *b, char **ret_diff);
        void (*free)(void *def);
} VmmConfKind;

/* The kind with that id, name or root element; NULL when there is none. */
const VmmConfKind *vmm_conf_kind_get(VmmConfKindId id);
const VmmConfKind *vmm_conf_kind_by_name(const char *name);
const VmmConfKind *vmm_conf_kind_by_root(const char *root);

/*
 * Reads just enough of `xml` to find the root element and returns its
 * kind. Errors: -EINVAL (kind VMM_ERR_XML) for malformed XML or a root
 * element that names no known kind ("root element <foo> is not a known
 * configuration (expected <domain>, <network>, ...)"); `what` names the
 * input in messages. `len` may be (size_t)-1 for a NUL-terminated string.
 */
int vmm_conf_kind_detect(const char *xml, size_t len, const char *what,
                         const VmmConfKind **ret_kind, VmmError *error);

/* 0 when the kind's model is built in, -ENOTSUP with a message otherwise. */
int vmm_conf_kind_check_available(const VmmConfKind *kind, VmmError *error);

/* --- checking a document end to end (vmm-xml, the corpus test) --- */

/* Where a check stopped. The first three are the input's fault (or a gap
 * in the model); the others mean the formatter and parser disagree. */
typedef enum VmmConfStage {
        VMM_CONF_STAGE_OK = 0,
        VMM_CONF_STAGE_PARSE,         /* malformed XML, unknown root, model parser */
        VMM_CONF_STAGE_SCHEMA,        /* the input does not match our schema */
        VMM_CONF_STAGE_VALIDATE,      /* semantic checks */
        VMM_CONF_STAGE_FORMAT,        /* the formatter failed */
        VMM_CONF_STAGE_OUTPUT_SCHEMA, /* the formatted XML does not match our schema */
        VMM_CONF_STAGE_REPARSE,       /* the formatted XML does not parse back */
        VMM_CONF_STAGE_EQUAL,         /* the two models differ */
        VMM_CONF_STAGE_FIXED_POINT,   /* equal models format to different XML */
        _VMM_CONF_STAGE_MAX
} VmmConfStage;

/* "ok", "parse", "schema", "validate", "format", "output-schema",
 * "reparse", "equal", "fixed-point". */
const char *vmm_conf_stage_to_string(VmmConfStage stage);

/* True for the stages after the input was accepted: a round-trip bug. */
static inline bool vmm_conf_stage_is_roundtrip(VmmConfStage stage)
{
        return stage >= VMM_CONF_STAGE_FORMAT;
}

typedef enum VmmConfCheckFlags {
        /* keep unknown elements (VMM_XML_KEEP_UNKNOWN); the schema checks
         * are then skipped, as kept content is by definition not in it */
        VMM_CONF_CHECK_KEEP_UNKNOWN = 1u << 0,
        VMM_CONF_CHECK_ROUNDTRIP = 1u << 1, /* format, re-parse and compare */
        VMM_CONF_CHECK_NO_SCHEMA = 1u << 2, /* skip the schema checks */
} VmmConfCheckFlags;

typedef struct VmmConfCheck {
        const VmmConfKind *kind; /* NULL when the root element was not recognised */
        VmmConfStage stage;      /* VMM_CONF_STAGE_OK or where it failed */
        VmmError error;          /* the failure's message */
        char *formatted;         /* normalized XML, once formatting succeeded */
} VmmConfCheck;

#define VMM_CONF_CHECK_INIT                                                                        \
        {                                                                                          \
                NULL, VMM_CONF_STAGE_OK, VMM_ERROR_INIT, NULL                                      \
        }

/*
 * Checks one document: detect the kind, parse the model, match our
 * schema, run the semantic checks and, with VMM_CONF_CHECK_ROUNDTRIP,
 * format, match the schema again, parse the output and compare the two
 * models. Fills *check (release with vmm_conf_check_done()); returns 0
 * when every stage passed, the failing stage's negative errno otherwise.
 */
int vmm_conf_check(const char *xml, size_t len, const char *what, unsigned int flags,
                   VmmConfCheck *check);
void vmm_conf_check_done(VmmConfCheck *check);

/* Parses a document of a known kind with `flags` (VmmXmlFlags) and runs
 * its semantic checks; *ret_def is freed with kind->free. */
int vmm_conf_parse_checked(const VmmConfKind *kind, const char *xml, size_t len, unsigned int flags,
                           void **ret_def, VmmError *error);
