/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nodedev.c: the <device> document (name, path, devnodes, parent, driver,
 * capabilities), its semantic checks, and helpers the capability files
 * share. */
#define _GNU_SOURCE 1 /* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "nodedev-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

static const char *const devnode_type_table[_VMM_NODEDEV_DEVNODE_MAX] = {
    [VMM_NODEDEV_DEVNODE_DEV] = "dev",
    [VMM_NODEDEV_DEVNODE_LINK] = "link",
};

/* --- helpers shared by the capability files --- */

int vmm_nodedev_cap_error(VmmError *error, xmlNodePtr node, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL, *type = vmm_xml_get_prop(node, "type");
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return vmm_error_oom(error);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "line %ld: <%s type='%s'>: %s",
                             xmlGetLineNo(node), (const char *)node->name, type ? type : "", msg);
}

int vmm_nodedev_text(xmlNodePtr node, const char *name, bool required, char **ret, VmmError *error)
{
        xmlNodePtr c = vmm_xml_child(node, name);

        if (!c) {
                if (required)
                        return vmm_nodedev_cap_error(error, node, "missing <%s>", name);
                return 0;
        }
        if (vmm_xml_count_children(node, name) > 1)
                return vmm_xml_error(error, c, "appears more than once (expected at most one)");
        free(*ret);
        *ret = vmm_xml_get_text(c);
        return *ret ? 1 : vmm_error_oom(error);
}

static int nodedev_parse_number(xmlNodePtr at, const char *attr, const char *s, uint64_t max,
                                uint64_t *ret, VmmError *error)
{
        unsigned long long v;
        char *end;

        while (*s == ' ' || *s == '\n' || *s == '\t')
                s++;
        errno = 0;
        v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
        while (*end == ' ' || *end == '\n' || *end == '\t')
                end++;
        if (!*s || *end || errno || s[0] == '-' || s[0] == '+' || v > max) {
                if (attr)
                        return vmm_xml_attr_error(error, at, attr,
                                                  "\"%s\" is not valid (expected a number from "
                                                  "0 to %llu or 0x%llx)",
                                                  s, (unsigned long long)max,
                                                  (unsigned long long)max);
                return vmm_xml_error(error, at,
                                     "\"%s\" is not valid (expected a number from 0 to %llu "
                                     "or 0x%llx)",
                                     s, (unsigned long long)max, (unsigned long long)max);
        }
        *ret = v;
        return 1;
}

int vmm_nodedev_num(xmlNodePtr node, const char *name, bool required, uint64_t max, uint64_t *ret,
                    VmmError *error)
{
        _cleanup_free_ char *text = NULL;
        int r = vmm_nodedev_text(node, name, required, &text, error);

        if (r <= 0)
                return r;
        return nodedev_parse_number(vmm_xml_child(node, name), NULL, text, max, ret, error);
}

int vmm_nodedev_uint(xmlNodePtr node, const char *name, bool required, unsigned int max,
                     unsigned int *ret, VmmError *error)
{
        uint64_t v;
        int r = vmm_nodedev_num(node, name, required, max, &v, error);

        if (r > 0)
                *ret = (unsigned int)v;
        return r;
}

int vmm_nodedev_hex_prop(xmlNodePtr node, const char *attr, bool required, unsigned int max,
                         unsigned int *ret, VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        uint64_t n;
        int r;

        if (!v) {
                if (required)
                        return vmm_xml_error(error, node, "missing attribute '%s'", attr);
                return 0;
        }
        r = nodedev_parse_number(node, attr, v, max, &n, error);
        if (r > 0)
                *ret = (unsigned int)n;
        return r;
}

void vmm_nodedev_add_text(xmlNodePtr parent, const char *name, const char *text)
{
        if (text)
                vmm_xml_new_child(parent, name, text);
}

xmlNodePtr vmm_nodedev_add_textf(xmlNodePtr parent, const char *name, const char *fmt, ...)
{
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : vmm_xml_new_child(parent, name, s);
}

void *vmm_nodedev_array_add(void **array, size_t *n, size_t size)
{
        char *a = realloc(*array, (*n + 1) * size);

        if (!a)
                return NULL;
        memset(a + *n * size, 0, size);
        *array = a;
        return a + (*n)++ * size;
}

/* Sub-capability type of a nested <capability>, or NULL with an error. */
char *vmm_nodedev_subcap_type(xmlNodePtr c, VmmError *error)
{
        char *t = vmm_xml_get_prop(c, "type");

        if (!t)
                vmm_xml_error(error, c, "missing attribute 'type'");
        return t;
}

int vmm_nodedev_subcap_unknown(VmmError *error, xmlNodePtr c, const char *type,
                               const char *expected)
{
        return vmm_xml_attr_error(error, c, "type", "\"%s\" is not valid here (expected %s)", type,
                                  expected);
}

/* --- the device --- */

VmmNodedevDef *vmm_nodedev_def_free(VmmNodedevDef *def)
{
        if (!def)
                return NULL;
        free(def->name);
        free(def->path);
        for (size_t i = 0; i < def->n_devnodes; i++)
                free(def->devnodes[i].path);
        free(def->devnodes);
        free(def->parent);
        free(def->parent_wwnn);
        free(def->parent_wwpn);
        free(def->parent_fabric_wwn);
        free(def->driver);
        for (size_t i = 0; i < def->n_caps; i++)
                vmm_nodedev_cap_done(&def->caps[i]);
        free(def->caps);
        vmm_xml_unknown_done(&def->unknown);
        free(def);
        return NULL;
}

static int nodedev_parse_parent(xmlNodePtr root, VmmNodedevDef *def, VmmError *error)
{
        static const char *const attrs[] = {"wwnn", "wwpn", "fabric_wwn", NULL};
        xmlNodePtr c = vmm_xml_child(root, "parent");
        int r;

        if (!c)
                return 0;
        if (vmm_xml_count_children(root, "parent") > 1)
                return vmm_xml_error(error, c, "appears more than once (expected at most one)");
        r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        def->parent_wwnn = vmm_xml_get_prop(c, "wwnn");
        def->parent_wwpn = vmm_xml_get_prop(c, "wwpn");
        def->parent_fabric_wwn = vmm_xml_get_prop(c, "fabric_wwn");
        if (!def->parent_wwnn != !def->parent_wwpn)
                return vmm_xml_error(error, c, "needs both 'wwnn' and 'wwpn', or neither");
        def->parent = vmm_xml_get_text(c);
        if (!def->parent)
                return vmm_error_oom(error);
        if (!*def->parent) {
                free(def->parent);
                def->parent = NULL;
        }
        return 0;
}

static int nodedev_parse_driver(xmlNodePtr root, VmmNodedevDef *def, VmmError *error)
{
        static const char *const children[] = {"name", NULL};
        xmlNodePtr c = vmm_xml_child(root, "driver");
        int r;

        if (!c)
                return 0;
        if (vmm_xml_count_children(root, "driver") > 1)
                return vmm_xml_error(error, c, "appears more than once (expected at most one)");
        r = vmm_xml_check_node(c, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_nodedev_text(c, "name", false, &def->driver, error);
        if (r == 0)
                return vmm_xml_error(error, c, "missing <name> (expected the driver's name)");
        return r < 0 ? r : 0;
}

static int nodedev_parse_children(xmlNodePtr root, unsigned int flags, VmmNodedevDef *def,
                                  VmmError *error)
{
        int r = 0;

        for (xmlNodePtr c = root->children; c; c = c->next) {
                if (vmm_xml_is(c, "devnode")) {
                        static const char *const attrs[] = {"type", NULL};
                        VmmNodedevDevnode *dn;
                        int type = -1;

                        if ((r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0 ||
                            (r = vmm_xml_prop_enum(c, "type", devnode_type_table,
                                                   _VMM_NODEDEV_DEVNODE_MAX, &type, error)) < 0)
                                return r;
                        if (r == 0)
                                return vmm_xml_error(error, c,
                                                     "missing attribute 'type' "
                                                     "(expected \"dev\" or \"link\")");
                        dn = vmm_nodedev_array_add((void **)&def->devnodes, &def->n_devnodes,
                                                   sizeof(*dn));
                        if (!dn || !(dn->path = vmm_xml_get_text(c)))
                                return vmm_error_oom(error);
                        dn->type = type;
                } else if (vmm_xml_is(c, "capability")) {
                        VmmNodedevCap *cap =
                            vmm_nodedev_array_add((void **)&def->caps, &def->n_caps, sizeof(*cap));
                        if (!cap)
                                return vmm_error_oom(error);
                        cap->type = _VMM_NODEDEV_CAP_MAX; /* nothing to free yet */
                        r = vmm_nodedev_cap_parse(c, flags, cap, error);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int vmm_nodedev_def_parse_node(xmlNodePtr root, unsigned int flags, VmmNodedevDef **ret_def,
                               VmmError *error)
{
        static const char *const children[] = {"name",   "path",       "devnode", "parent",
                                               "driver", "capability", NULL};
        _cleanup_(vmm_nodedev_def_freep) VmmNodedevDef *def = NULL;
        int r;

        if (!vmm_xml_is(root, "device"))
                return vmm_xml_error(error, root, "root element is not <device>");
        def = calloc(1, sizeof(*def));
        if (!def)
                return vmm_error_oom(error);
        r = vmm_xml_check_node(root, children, NULL, flags, &def->unknown, error);
        if (r < 0)
                return r;
        r = vmm_nodedev_text(root, "name", false, &def->name, error);
        if (r < 0)
                return r;
        if (r == 0 || !*def->name)
                return vmm_xml_error(error, root, "missing <name> (expected the device's name)");
        if ((r = vmm_nodedev_text(root, "path", false, &def->path, error)) < 0 ||
            (r = nodedev_parse_parent(root, def, error)) < 0 ||
            (r = nodedev_parse_driver(root, def, error)) < 0 ||
            (r = nodedev_parse_children(root, flags, def, error)) < 0)
                return r;
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_nodedev_def_parse(const char *xml, size_t len, unsigned int flags, VmmNodedevDef **ret_def,
                          VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, "node device XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "device", &root, error);
        if (r < 0)
                return r;
        if (flags & VMM_XML_VALIDATE) {
                r = vmm_xml_validate(doc, "nodedev", error);
                if (r < 0)
                        return r;
        }
        return vmm_nodedev_def_parse_node(root, flags, ret_def, error);
}

int vmm_nodedev_def_format(const VmmNodedevDef *def, unsigned int flags, char **ret_xml,
                           VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;

        doc = vmm_xml_new_doc("device", &root);
        if (!doc)
                return vmm_error_oom(error);
        vmm_xml_new_child(root, "name", def->name);
        vmm_nodedev_add_text(root, "path", def->path);
        for (size_t i = 0; i < def->n_devnodes; i++) {
                xmlNodePtr n = vmm_xml_new_child(root, "devnode", def->devnodes[i].path);
                vmm_xml_set_prop(n, "type",
                                 vmm_enum_to_string(devnode_type_table, _VMM_NODEDEV_DEVNODE_MAX,
                                                    (int)def->devnodes[i].type));
        }
        if (def->parent || def->parent_wwnn || def->parent_fabric_wwn) {
                xmlNodePtr p = vmm_xml_new_child(root, "parent", def->parent);
                vmm_xml_set_prop(p, "wwnn", def->parent_wwnn);
                vmm_xml_set_prop(p, "wwpn", def->parent_wwpn);
                vmm_xml_set_prop(p, "fabric_wwn", def->parent_fabric_wwn);
        }
        if (def->driver)
                vmm_xml_new_child(vmm_xml_new_child(root, "driver", NULL), "name", def->driver);
        for (size_t i = 0; i < def->n_caps; i++)
                vmm_nodedev_cap_format(&def->caps[i], root);
        vmm_xml_unknown_format(&def->unknown, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}

bool vmm_nodedev_def_equal(const VmmNodedevDef *a, const VmmNodedevDef *b, char **ret_diff)
{
        char **d = ret_diff;

        if (!vmm_diff_str(d, "", "name", a->name, b->name) ||
            !vmm_diff_str(d, "", "path", a->path, b->path) ||
            !vmm_diff_u64(d, "", "devnode count", a->n_devnodes, b->n_devnodes) ||
            !vmm_diff_str(d, "", "parent", a->parent, b->parent) ||
            !vmm_diff_str(d, "parent ", "wwnn", a->parent_wwnn, b->parent_wwnn) ||
            !vmm_diff_str(d, "parent ", "wwpn", a->parent_wwpn, b->parent_wwpn) ||
            !vmm_diff_str(d, "parent ", "fabric_wwn", a->parent_fabric_wwn, b->parent_fabric_wwn) ||
            !vmm_diff_str(d, "", "driver", a->driver, b->driver) ||
            !vmm_diff_u64(d, "", "capability count", a->n_caps, b->n_caps))
                return false;
        for (size_t i = 0; i < a->n_devnodes; i++)
                if (!vmm_diff_int(d, "devnode ", "type", a->devnodes[i].type,
                                  b->devnodes[i].type) ||
                    !vmm_diff_str(d, "devnode ", "path", a->devnodes[i].path, b->devnodes[i].path))
                        return false;
        for (size_t i = 0; i < a->n_caps; i++) {
                char w[64];

                snprintf(w, sizeof(w), "capability[%zu] ", i);
                if (!vmm_nodedev_cap_equal(&a->caps[i], &b->caps[i], w, d))
                        return false;
        }
        return vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
               vmm_diff_set(d, "unknown content kept differs");
}

const VmmNodedevCap *vmm_nodedev_def_find_cap(const VmmNodedevDef *def, VmmNodedevCapType type)
{
        for (size_t i = 0; i < def->n_caps; i++)
                if (def->caps[i].type == type)
                        return &def->caps[i];
        return NULL;
}
