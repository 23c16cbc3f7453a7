/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlsave.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "util/units.h"
#include "xml-util.h"

#define XML_CAST(s) ((const xmlChar *)(s))

/* --- parsing --- */

static void xml_refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
        xmlParserCtxtPtr ctxt = ctx;

        /* A DOCTYPE is where entities are declared: refuse it before any
         * declaration is read, so no entity can ever be expanded. */
        ctxt->_private = (void *)1;
        xmlStopParser(ctxt);
}

int vmm_xml_parse(const char *data, size_t len, const char *what, xmlDocPtr *ret_doc,
                  VmmError *error)
{
        xmlParserCtxtPtr ctxt;
        xmlDocPtr doc;
        bool doctype;

        if (!data)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "%s: no XML given", what);
        if (len == (size_t)-1)
                len = strnlen(data, (size_t)VMM_XML_MAX_SIZE + 1);
        if (len > VMM_XML_MAX_SIZE)
                return vmm_error_set(error, -EFBIG, VMM_ERR_XML,
                                     "%s: document is larger than the limit of %u MiB", what,
                                     VMM_XML_MAX_SIZE / (1024 * 1024));
        if (len == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "%s: document is empty", what);

        ctxt = xmlNewParserCtxt();
        if (!ctxt)
                return vmm_error_oom(error);
        ctxt->sax->internalSubset = xml_refuse_doctype;
        ctxt->_private = NULL;
        doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
        doctype = ctxt->_private != NULL;
        if (doctype || !doc || !ctxt->wellFormed) {
                const xmlError *e = xmlCtxtGetLastError(ctxt);
                int r;

                if (doctype)
                        r = vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                          "%s: line %d: a DOCTYPE is not allowed (vmm never "
                                          "reads DTDs or entities)",
                                          what, ctxt->input ? ctxt->input->line : 0);
                else if (e && e->message) {
                        char msg[512];
                        size_t n;

                        snprintf(msg, sizeof(msg), "%s", e->message);
                        n = strlen(msg);
                        while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                                msg[--n] = '\0';
                        r = vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                          "%s: line %d, column %d: malformed XML: %s", what,
                                          e->line, e->int2, msg);
                } else
                        r = vmm_error_set(error, -EINVAL, VMM_ERR_XML, "%s: malformed XML",
                                          what);
                xmlFreeDoc(doc);
                xmlFreeParserCtxt(ctxt);
                return r;
        }
        xmlFreeParserCtxt(ctxt);
        if (doc->intSubset || doc->extSubset) {
                xmlFreeDoc(doc);
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: a DOCTYPE is not allowed", what);
        }
        *ret_doc = doc;
        return 0;
}

int vmm_xml_check_root(xmlDocPtr doc, const char *name, xmlNodePtr *ret_root, VmmError *error)
{
        xmlNodePtr root = xmlDocGetRootElement(doc);

        if (!root)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "document has no root element");
        if (!vmm_xml_is(root, name))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "line %ld: root element is <%s>, expected <%s>",
                                     xmlGetLineNo(root), (const char *)root->name, name);
        *ret_root = root;
        return 0;
}

/* --- schemas --- */

typedef struct SchemaCache {
        char kind[32];
        xmlRelaxNGPtr schema;
} SchemaCache;

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static SchemaCache schema_cache[16];

static bool dir_has_schemas(const char *dir)
{
        char path[4096];
        struct stat st;

        snprintf(path, sizeof(path), "%s/domain.rng", dir);
        return stat(path, &st) == 0;
}

const char *vmm_xml_schema_dir(void)
{
        const char *env = getenv("VMM_SCHEMA_DIR");

        if (env && *env)
                return env;
        if (dir_has_schemas(VMM_SCHEMA_INSTALL_DIR))
                return VMM_SCHEMA_INSTALL_DIR;
        return VMM_SCHEMA_SOURCE_DIR;
}

static void schema_collect_error(void *userdata, xmlErrorPtr e)
{
        VmmBuf *buf = userdata;
        const char *msg = e->message ? e->message : "invalid";
        size_t n = strlen(msg);

        while (n > 0 && msg[n - 1] == '\n')
                n--;
        if (buf->len > 4096)
                return; /* enough to act on */
        if (buf->len)
                vmm_buf_add(buf, "; ");
        vmm_buf_addf(buf, "line %d: ", e->line);
        vmm_buf_addn(buf, msg, n);
}

static int schema_get(const char *kind, xmlRelaxNGPtr *ret, VmmError *error)
{
        _cleanup_free_ char *path = NULL;
        xmlRelaxNGParserCtxtPtr pctxt;
        VmmBuf errors = VMM_BUF_INIT;
        xmlRelaxNGPtr schema;
        size_t i;
        int r = 0;

        pthread_mutex_lock(&schema_lock);
        for (i = 0; i < sizeof(schema_cache) / sizeof(schema_cache[0]); i++) {
                if (schema_cache[i].schema && strcmp(schema_cache[i].kind, kind) == 0) {
                        *ret = schema_cache[i].schema;
                        goto out;
                }
        }
        if (asprintf(&path, "%s/%s.rng", vmm_xml_schema_dir(), kind) < 0) {
                r = vmm_error_oom(error);
                goto out;
        }
        pctxt = xmlRelaxNGNewParserCtxt(path);
        if (!pctxt) {
                r = vmm_error_oom(error);
                goto out;
        }
        xmlRelaxNGSetParserStructuredErrors(pctxt, schema_collect_error, &errors);
        schema = xmlRelaxNGParse(pctxt);
        xmlRelaxNGFreeParserCtxt(pctxt);
        if (!schema) {
                r = vmm_error_set(error, -ENOENT, VMM_ERR_INTERNAL,
                                  "cannot load schema '%s' (set VMM_SCHEMA_DIR?): %s", path,
                                  errors.len ? vmm_buf_str(&errors) : "not found");
                goto out;
        }
        for (i = 0; i < sizeof(schema_cache) / sizeof(schema_cache[0]); i++) {
                if (!schema_cache[i].schema) {
                        snprintf(schema_cache[i].kind, sizeof(schema_cache[i].kind), "%s", kind);
                        schema_cache[i].schema = schema;
                        break;
                }
        }
        /* six kinds fit the cache: a schema is compiled once per process */
        *ret = schema;
out:
        pthread_mutex_unlock(&schema_lock);
        vmm_buf_done(&errors);
        return r;
}

int vmm_xml_validate(xmlDocPtr doc, const char *kind, VmmError *error)
{
        VmmBuf errors = VMM_BUF_INIT;
        xmlRelaxNGValidCtxtPtr vctxt;
        xmlRelaxNGPtr schema = NULL;
        int r;

        r = schema_get(kind, &schema, error);
        if (r < 0)
                return r;
        vctxt = xmlRelaxNGNewValidCtxt(schema);
        if (!vctxt)
                return vmm_error_oom(error);
        xmlRelaxNGSetValidStructuredErrors(vctxt, schema_collect_error, &errors);
        r = xmlRelaxNGValidateDoc(vctxt, doc);
        xmlRelaxNGFreeValidCtxt(vctxt);
        if (r != 0) {
                r = vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                  "does not match the %s schema: %s", kind,
                                  errors.len ? vmm_buf_str(&errors) : "invalid");
                vmm_buf_done(&errors);
                return r;
        }
        vmm_buf_done(&errors);
        return 0;
}

/* --- reading helpers --- */

static int xml_errorv(VmmError *error, xmlNodePtr node, const char *attr, const char *fmt,
                      va_list ap)
{
        _cleanup_free_ char *msg = NULL;

        if (vasprintf(&msg, fmt, ap) < 0)
                return vmm_error_oom(error);
        if (attr)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "line %ld: <%s %s=...>: %s",
                                     node ? xmlGetLineNo(node) : 0L,
                                     node ? (const char *)node->name : "?", attr, msg);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "line %ld: <%s>: %s",
                             node ? xmlGetLineNo(node) : 0L,
                             node ? (const char *)node->name : "?", msg);
}

int vmm_xml_error(VmmError *error, xmlNodePtr node, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = xml_errorv(error, node, NULL, fmt, ap);
        va_end(ap);
        return r;
}

int vmm_xml_attr_error(VmmError *error, xmlNodePtr node, const char *attr, const char *fmt,
                       ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = xml_errorv(error, node, attr, fmt, ap);
        va_end(ap);
        return r;
}

bool vmm_xml_is(xmlNodePtr node, const char *name)
{
        return node && node->type == XML_ELEMENT_NODE && !node->ns &&
               xmlStrEqual(node->name, XML_CAST(name));
}

xmlNodePtr vmm_xml_child(xmlNodePtr node, const char *name)
{
        for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
                if (vmm_xml_is(c, name))
                        return c;
        return NULL;
}

int vmm_xml_count_children(xmlNodePtr node, const char *name)
{
        int n = 0;

        for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
                if (vmm_xml_is(c, name))
                        n++;
        return n;
}

char *vmm_xml_get_prop(xmlNodePtr node, const char *name)
{
        xmlChar *v = xmlGetNoNsProp(node, XML_CAST(name));
        char *s;

        if (!v)
                return NULL;
        s = strdup((const char *)v);
        xmlFree(v);
        return s;
}

char *vmm_xml_get_text(xmlNodePtr node)
{
        VmmBuf buf = VMM_BUF_INIT;

        /* The element's own text only: text inside child elements belongs
         * to them (xmlNodeGetContent() would merge it in, and the formatter
         * would then write it twice). */
        vmm_buf_add(&buf, "");
        for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
                if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
                        vmm_buf_add(&buf, (const char *)c->content);
        return vmm_buf_steal(&buf);
}

char *vmm_xml_child_text(xmlNodePtr node, const char *name)
{
        xmlNodePtr c = vmm_xml_child(node, name);

        return c ? vmm_xml_get_text(c) : NULL;
}

#define PROP_READER(fname, type, parser)                                                     \
        int fname(xmlNodePtr node, const char *name, type *ret, VmmError *error)             \
        {                                                                                    \
                _cleanup_free_ char *v = vmm_xml_get_prop(node, name);                       \
                VmmError e = VMM_ERROR_INIT;                                                 \
                type val;                                                                    \
                int r;                                                                       \
                                                                                             \
                if (!v)                                                                      \
                        return 0;                                                            \
                r = parser(v, &val, name, &e);                                               \
                if (r < 0) {                                                                 \
                        r = vmm_xml_attr_error(error, node, name, "%s", vmm_error_message(&e)); \
                        vmm_error_clear(&e);                                                 \
                        return r;                                                            \
                }                                                                            \
                *ret = val;                                                                  \
                return 1;                                                                    \
        }

PROP_READER(vmm_xml_prop_uint, unsigned int, vmm_parse_uint)
PROP_READER(vmm_xml_prop_int, int, vmm_parse_int)
PROP_READER(vmm_xml_prop_uint64, uint64_t, vmm_parse_uint64)

int vmm_xml_prop_yesno(xmlNodePtr node, const char *name, int *ret, VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, name);

        if (!v)
                return 0;
        if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0)
                *ret = 1;
        else if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0)
                *ret = 0;
        else
                return vmm_xml_attr_error(error, node, name,
                                          "\"%s\" is not valid (expected \"yes\" or \"no\")", v);
        return 1;
}

int vmm_xml_prop_enum(xmlNodePtr node, const char *name, const char *const *table, int n,
                      int *ret, VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, name);
        char expected[512];
        int r;

        if (!v)
                return 0;
        r = vmm_enum_from_string(table, n, v);
        if (r < 0)
                return vmm_xml_attr_error(error, node, name,
                                          "\"%s\" is not valid (expected one of %s)", v,
                                          vmm_enum_list(table, n, expected, sizeof(expected)));
        *ret = r;
        return 1;
}

int vmm_xml_node_size(xmlNodePtr node, uint64_t default_scale, uint64_t granularity,
                      uint64_t *ret_bytes, VmmError *error)
{
        _cleanup_free_ char *text = vmm_xml_get_text(node);
        _cleanup_free_ char *unit = vmm_xml_get_prop(node, "unit");
        VmmError e = VMM_ERROR_INIT;
        char *s, *end;
        int r;

        if (!text)
                return vmm_error_oom(error);
        /* surrounding blanks are formatting, not content */
        for (s = text; *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'; s++)
                ;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
                *--end = '\0';
        r = vmm_parse_size(s, unit, default_scale, granularity, UINT64_MAX, ret_bytes,
                           (const char *)node->name, &e);
        if (r < 0) {
                r = vmm_xml_error(error, node, "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
        }
        return r;
}

/* --- unknown content --- */

static bool name_in(const char *const *names, const xmlChar *name)
{
        for (; names && *names; names++)
                if (xmlStrEqual(XML_CAST(*names), name))
                        return true;
        return false;
}

/* Drops whitespace-only text between the child elements of `node` (and
 * below): it is indentation, which the formatter redoes, so kept content
 * compares equal after a parse -> format -> parse round trip. */
static void unknown_strip_blanks(xmlNodePtr node)
{
        bool has_element = false;
        xmlNodePtr c, next;

        for (c = node->children; c; c = c->next)
                has_element = has_element || c->type == XML_ELEMENT_NODE;
        for (c = node->children; c; c = next) {
                next = c->next;
                if (c->type == XML_ELEMENT_NODE)
                        unknown_strip_blanks(c);
                else if (has_element && c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
                        xmlUnlinkNode(c);
                        xmlFreeNode(c);
                }
        }
}

static int unknown_add_node(VmmXmlUnknown *u, xmlNodePtr node)
{
        xmlNodePtr *n = realloc(u->nodes, (u->n_nodes + 1) * sizeof(*n));
        xmlNodePtr copy;

        if (!n)
                return -ENOMEM;
        u->nodes = n;
        copy = xmlCopyNode(node, 1);
        if (!copy)
                return -ENOMEM;
        unknown_strip_blanks(copy);
        u->nodes[u->n_nodes++] = copy;
        return 0;
}

static int unknown_add_attr(VmmXmlUnknown *u, xmlAttrPtr attr)
{
        xmlAttrPtr *a = realloc(u->attrs, (u->n_attrs + 1) * sizeof(*a));
        xmlAttrPtr copy;
        xmlChar *value;

        if (!a)
                return -ENOMEM;
        u->attrs = a;
        /* Not xmlCopyProp(NULL, attr): that names the copy from the source
         * document's dictionary, freed with the document. (A namespaced
         * attribute is kept without its namespace.) */
        value = xmlNodeGetContent((xmlNodePtr)attr);
        copy = xmlNewProp(NULL, attr->name, value);
        xmlFree(value);
        if (!copy)
                return -ENOMEM;
        u->attrs[u->n_attrs++] = copy;
        return 0;
}

int vmm_xml_check_node(xmlNodePtr node, const char *const *known_children,
                       const char *const *known_attrs, unsigned int flags, VmmXmlUnknown *keep,
                       VmmError *error)
{
        bool keeping = (flags & VMM_XML_KEEP_UNKNOWN) && keep;

        for (xmlAttrPtr a = node->properties; a; a = a->next) {
                if (!a->ns && name_in(known_attrs, a->name))
                        continue;
                if (keeping) {
                        if (unknown_add_attr(keep, a) < 0)
                                return vmm_error_oom(error);
                        continue;
                }
                return vmm_xml_error(error, node, "unknown attribute '%s%s%s'",
                                     a->ns && a->ns->prefix ? (const char *)a->ns->prefix : "",
                                     a->ns && a->ns->prefix ? ":" : "", (const char *)a->name);
        }
        for (xmlNodePtr c = node->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                        continue;
                if (!c->ns && name_in(known_children, c->name))
                        continue;
                if (keeping) {
                        if (unknown_add_node(keep, c) < 0)
                                return vmm_error_oom(error);
                        continue;
                }
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "line %ld: <%s>: unknown element <%s%s%s>",
                                     xmlGetLineNo(c), (const char *)node->name,
                                     c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
                                     c->ns && c->ns->prefix ? ":" : "", (const char *)c->name);
        }
        return 0;
}

void vmm_xml_unknown_done(VmmXmlUnknown *u)
{
        if (!u)
                return;
        for (size_t i = 0; i < u->n_nodes; i++)
                xmlFreeNode(u->nodes[i]);
        for (size_t i = 0; i < u->n_attrs; i++)
                xmlFreeProp(u->attrs[i]);
        free(u->nodes);
        free(u->attrs);
        memset(u, 0, sizeof(*u));
}

void vmm_xml_unknown_format(const VmmXmlUnknown *u, xmlNodePtr node)
{
        if (!u)
                return;
        for (size_t i = 0; i < u->n_attrs; i++) {
                xmlAttrPtr a = xmlCopyProp(node, u->attrs[i]);
                /* xmlCopyProp() sets a->parent, and xmlAddChild() does not
                 * link a node whose parent is already `node` */
                if (a) {
                        a->parent = NULL;
                        if (!xmlAddChild(node, (xmlNodePtr)a))
                                xmlFreeProp(a);
                }
        }
        for (size_t i = 0; i < u->n_nodes; i++) {
                xmlNodePtr c = xmlDocCopyNode(u->nodes[i], node->doc, 1);
                if (c)
                        xmlAddChild(node, c);
        }
}

char *vmm_xml_node_to_string(xmlNodePtr node)
{
        xmlBufferPtr b = xmlBufferCreate();
        char *s = NULL;

        if (!b)
                return NULL;
        if (xmlNodeDump(b, node->doc, node, 0, 0) >= 0)
                s = strdup((const char *)xmlBufferContent(b));
        xmlBufferFree(b);
        return s;
}

bool vmm_xml_unknown_equal(const VmmXmlUnknown *a, const VmmXmlUnknown *b)
{
        if (a->n_nodes != b->n_nodes || a->n_attrs != b->n_attrs)
                return false;
        for (size_t i = 0; i < a->n_nodes; i++) {
                _cleanup_free_ char *x = vmm_xml_node_to_string(a->nodes[i]);
                _cleanup_free_ char *y = vmm_xml_node_to_string(b->nodes[i]);
                if (!x || !y || strcmp(x, y) != 0)
                        return false;
        }
        for (size_t i = 0; i < a->n_attrs; i++) {
                xmlChar *x = xmlNodeGetContent((xmlNodePtr)a->attrs[i]);
                xmlChar *y = xmlNodeGetContent((xmlNodePtr)b->attrs[i]);
                bool same = xmlStrEqual(a->attrs[i]->name, b->attrs[i]->name) && xmlStrEqual(x, y);
                xmlFree(x);
                xmlFree(y);
                if (!same)
                        return false;
        }
        return true;
}

int vmm_xml_unknown_copy(const VmmXmlUnknown *src, VmmXmlUnknown *dst)
{
        memset(dst, 0, sizeof(*dst));
        for (size_t i = 0; i < src->n_nodes; i++)
                if (unknown_add_node(dst, src->nodes[i]) < 0)
                        goto oom;
        for (size_t i = 0; i < src->n_attrs; i++)
                if (unknown_add_attr(dst, src->attrs[i]) < 0)
                        goto oom;
        return 0;
oom:
        vmm_xml_unknown_done(dst);
        return -ENOMEM;
}

/* --- writing --- */

xmlDocPtr vmm_xml_new_doc(const char *root_name, xmlNodePtr *ret_root)
{
        xmlDocPtr doc = xmlNewDoc(XML_CAST("1.0"));
        xmlNodePtr root;

        if (!doc)
                return NULL;
        root = xmlNewDocNode(doc, NULL, XML_CAST(root_name), NULL);
        if (!root) {
                xmlFreeDoc(doc);
                return NULL;
        }
        xmlDocSetRootElement(doc, root);
        *ret_root = root;
        return doc;
}

xmlNodePtr vmm_xml_new_child(xmlNodePtr parent, const char *name, const char *text)
{
        /* xmlNewTextChild escapes the text; xmlNewChild would not */
        return xmlNewTextChild(parent, NULL, XML_CAST(name), XML_CAST(text));
}

void vmm_xml_set_prop(xmlNodePtr node, const char *name, const char *value)
{
        if (node && value)
                xmlSetProp(node, XML_CAST(name), XML_CAST(value));
}

void vmm_xml_set_propf(xmlNodePtr node, const char *name, const char *fmt, ...)
{
        _cleanup_free_ char *v = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&v, fmt, ap);
        va_end(ap);
        if (r >= 0)
                vmm_xml_set_prop(node, name, v);
}

int vmm_xml_doc_to_string(xmlDocPtr doc, char **ret, VmmError *error)
{
        xmlBufferPtr b = xmlBufferCreate();
        xmlSaveCtxtPtr save;
        char *s;

        if (!b)
                return vmm_error_oom(error);
        save = xmlSaveToBuffer(b, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
        if (!save) {
                xmlBufferFree(b);
                return vmm_error_oom(error);
        }
        xmlSaveDoc(save, doc);
        xmlSaveClose(save);
        s = strdup((const char *)xmlBufferContent(b));
        xmlBufferFree(b);
        if (!s)
                return vmm_error_oom(error);
        *ret = s;
        return 0;
}
