/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xml-util.h: the one place that reads and writes XML with libxml2 for
 * every configuration format.
 *
 * Reading is safe by construction: documents are size-bounded, never touch
 * the network, never load a DTD or an external entity, and a document with
 * a DOCTYPE is refused outright. Errors name the line (and column for
 * syntax errors) and the element or attribute at fault:
 *     line 12: <memory>: "abc" is not a number (expected e.g. "512 MiB")
 *
 * Parsers check what they did not understand with vmm_xml_check_node():
 * an unknown element or attribute is an error naming it and its line,
 * unless VMM_XML_KEEP_UNKNOWN asks to keep it (see VmmXmlUnknown).
 *
 * Writing builds an xmlDoc tree (vmm_xml_new_child() and friends) and
 * serializes it indented with vmm_xml_doc_to_string().
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"

/* The largest document any parser accepts. */
#define VMM_XML_MAX_SIZE (10u * 1024 * 1024)

typedef enum VmmXmlFlags {
        VMM_XML_KEEP_UNKNOWN = 1u << 0, /* keep unknown elements instead of failing */
        VMM_XML_VALIDATE = 1u << 1,     /* also validate against the RelaxNG schema */
} VmmXmlFlags;

/* Parses `len` bytes (or strlen when len is (size_t)-1) into a document.
 * `what` names the input in messages ("domain XML", a file name).
 * Errors: -EFBIG over VMM_XML_MAX_SIZE, -EINVAL (kind VMM_ERR_XML) for
 * malformed XML ("line 3, column 7: ..."), a DOCTYPE or an entity. */
int vmm_xml_parse(const char *data, size_t len, const char *what, xmlDocPtr *ret_doc,
                  VmmError *error);

/* Fails unless the root element is named `name`. */
int vmm_xml_check_root(xmlDocPtr doc, const char *name, xmlNodePtr *ret_root, VmmError *error);

/* Validates against schemas/<kind>.rng ("domain", "network", ...), found in
 * $VMM_SCHEMA_DIR, the installed schema dir, or the source tree. Errors
 * list the schema's complaints with lines. Compiled schemas are cached. */
int vmm_xml_validate(xmlDocPtr doc, const char *kind, VmmError *error);

/* The directory schemas are read from (see vmm_xml_validate()). */
const char *vmm_xml_schema_dir(void);

/* --- reading --- */

/* Sets an XML error on `node`: "line N: <name>: <message>". Returns -EINVAL. */
int vmm_xml_error(VmmError *error, xmlNodePtr node, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The same for attribute `attr` of `node`: "line N: <name attr=...>: ...". */
int vmm_xml_attr_error(VmmError *error, xmlNodePtr node, const char *attr, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

/* True when `node` is an element named `name` (no namespace). */
bool vmm_xml_is(xmlNodePtr node, const char *name);

/* First element child named `name`, or NULL. */
xmlNodePtr vmm_xml_child(xmlNodePtr node, const char *name);
/* Number of element children named `name`. */
int vmm_xml_count_children(xmlNodePtr node, const char *name);

/* Attribute value (heap, caller frees) or NULL when absent. */
char *vmm_xml_get_prop(xmlNodePtr node, const char *name);
/* Text content of `node` (heap, caller frees), never NULL unless OOM. */
char *vmm_xml_get_text(xmlNodePtr node);
/* Text content of child `name`, or NULL when there is no such child. */
char *vmm_xml_child_text(xmlNodePtr node, const char *name);

/* Typed attribute readers: absent leaves *ret unchanged and returns 0;
 * present and valid returns 1; invalid returns -EINVAL naming the element,
 * attribute, line and the expected form. */
int vmm_xml_prop_uint(xmlNodePtr node, const char *name, unsigned int *ret, VmmError *error);
int vmm_xml_prop_int(xmlNodePtr node, const char *name, int *ret, VmmError *error);
int vmm_xml_prop_uint64(xmlNodePtr node, const char *name, uint64_t *ret, VmmError *error);
/* yes/no (and on/off), as libvirt's tristate attributes: *ret becomes
 * 1 for yes/on, 0 for no/off. */
int vmm_xml_prop_yesno(xmlNodePtr node, const char *name, int *ret, VmmError *error);
/* An enum attribute: index into `table` (n entries, NULL holes allowed). */
int vmm_xml_prop_enum(xmlNodePtr node, const char *name, const char *const *table, int n,
                      int *ret, VmmError *error);
/* A size element's text with its `unit=` attribute, in bytes rounded up to
 * `granularity` (e.g. <memory unit='MiB'>512</memory>). */
int vmm_xml_node_size(xmlNodePtr node, uint64_t default_scale, uint64_t granularity,
                      uint64_t *ret_bytes, VmmError *error);

/* Unknown content. Each parser lists the element and attribute names it
 * understands for a node; anything else is an error
 *     line 9: <devices>: unknown element <foo>
 *     line 9: <disk>: unknown attribute 'colour'
 * Namespaced children (metadata, qemu:commandline) are the caller's to
 * handle: pass them in `known` with their prefix-free name to accept.
 * With VMM_XML_KEEP_UNKNOWN, unknown children are copied into *keep (which
 * the caller formats back with vmm_xml_unknown_format()) and unknown
 * attributes are kept too. `keep` may be NULL when the caller never keeps. */
typedef struct VmmXmlUnknown {
        xmlNodePtr *nodes; /* deep copies, owned */
        size_t n_nodes;
        xmlAttrPtr *attrs; /* owned copies */
        size_t n_attrs;
} VmmXmlUnknown;

int vmm_xml_check_node(xmlNodePtr node, const char *const *known_children,
                       const char *const *known_attrs, unsigned int flags, VmmXmlUnknown *keep,
                       VmmError *error);
void vmm_xml_unknown_done(VmmXmlUnknown *u);
/* Appends the kept children and attributes to `node`. */
void vmm_xml_unknown_format(const VmmXmlUnknown *u, xmlNodePtr node);
bool vmm_xml_unknown_equal(const VmmXmlUnknown *a, const VmmXmlUnknown *b);
int vmm_xml_unknown_copy(const VmmXmlUnknown *src, VmmXmlUnknown *dst);

/* Serialises a node and its children to a heap string (for keeping
 * verbatim content such as <metadata> and comparing it). */
char *vmm_xml_node_to_string(xmlNodePtr node);

/* --- writing --- */

/* A new document with root element `name`; NULL on OOM. */
xmlDocPtr vmm_xml_new_doc(const char *root_name, xmlNodePtr *ret_root);
/* Adds child element `name` with optional text (escaped). */
xmlNodePtr vmm_xml_new_child(xmlNodePtr parent, const char *name, const char *text);
/* Sets an attribute from a printf format. */
void vmm_xml_set_propf(xmlNodePtr node, const char *name, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Sets an attribute when `value` is not NULL. */
void vmm_xml_set_prop(xmlNodePtr node, const char *name, const char *value);
/* Indented serialisation without the XML declaration; heap string. */
int vmm_xml_doc_to_string(xmlDocPtr doc, char **ret, VmmError *error);

DEFINE_CLEANUP(xmlDoc, xmlFreeDoc)
static inline void xml_freep(void *p)
{
        xmlFree(*(void **)p);
}
#define _cleanup_xmlfree_ _cleanup_(xml_freep)
