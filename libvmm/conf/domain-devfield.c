/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain-devfield-internal.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

#define XC(s) ((const xmlChar *)(s))

static char *trim(char *s);

/* The variant is picked from the value as the field parser reads it
 * (trimmed), so both agree on what type='ccw ' is. */
static const VmmDevDesc *variant_of_node(const VmmDevDesc *d, xmlNodePtr node)
{
        _cleanup_free_ char *v = NULL;

        if (!d->variants)
                return d;
        v = vmm_xml_get_prop(node, d->fields[0].name);
        return variant_of_value(d, vmm_enum_from_string(d->fields[0].table,
                                                        d->fields[0].n_table,
                                                        v ? trim(v) : NULL));
}

void *vmm_devfield_new(const VmmDevDesc *d)
{
        void *obj = calloc(1, d->size);

        if (!obj)
                return NULL;
        for (size_t i = 0; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];

                if (f->kind == VMM_DEVF_UINT || f->kind == VMM_DEVF_INT ||
                    f->kind == VMM_DEVF_HEX || f->kind == VMM_DEVF_SIZE ||
                    f->kind == VMM_DEVF_BYTES)
                        *(int64_t *)fptr(obj, f->offset) = VMM_DEV_UNSET;
        }
        return obj;
}

/* --- parsing --- */

VmmXmlUnknown *vmm_devfield_extra_group(VmmDevExtra *x, const char *elem, bool create)
{
        VmmDevExtraGroup *g;

        for (size_t i = 0; i < x->n_groups; i++)
                if (strcmp(x->groups[i].elem, elem) == 0)
                        return &x->groups[i].unknown;
        if (!create)
                return NULL;
        g = realloc(x->groups, (x->n_groups + 1) * sizeof(*g));
        if (!g)
                return NULL;
        x->groups = g;
        g = &x->groups[x->n_groups];
        memset(g, 0, sizeof(*g));
        g->elem = strdup(elem);
        if (!g->elem)
                return NULL;
        x->n_groups++;
        return &g->unknown;
}

/* The names the element `group` (NULL: the device element) may hold. */
static int check_element(const VmmDevDesc *d, xmlNodePtr node, const char *group,
                         unsigned int flags, VmmXmlUnknown *keep, VmmError *error)
{
        _cleanup_free_ const char **attrs = calloc(d->n_fields + 2, sizeof(char *));
        _cleanup_free_ const char **children = calloc(d->n_fields + 1, sizeof(char *));
        size_t na = 0, nc = 0;

        if (!attrs || !children)
                return vmm_error_oom(error);
        for (size_t i = 0; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];

                if (same_elem(f->elem, group)) {
                        if (!is_scalar(f->kind))
                                children[nc++] = f->name;
                        else if (f->name)
                                attrs[na++] = f->name;
                        else if (f->kind == VMM_DEVF_SIZE || f->kind == VMM_DEVF_BYTES)
                                attrs[na++] = "unit";
                } else if (!group && f->elem && first_of_group(d, i))
                        children[nc++] = f->elem;
        }
        return vmm_xml_check_node(node, children, attrs, flags, keep, error);
}

static char *trim(char *s)
{
        char *end;

        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
                s++;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
                *--end = '\0';
        return s;
}

/* The element's own text (not that of its children); NULL when it has
 * child elements and only blanks between them. */
static int node_text(xmlNodePtr node, char **ret)
{
        VmmBuf b = VMM_BUF_INIT;
        bool children = false, blank = true;

        for (xmlNodePtr c = node->children; c; c = c->next) {
                if (c->type == XML_ELEMENT_NODE)
                        children = true;
                else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                         c->content)
                        vmm_buf_add(&b, (const char *)c->content);
        }
        for (const char *p = vmm_buf_str(&b); *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                        blank = false;
        if (children && blank) {
                vmm_buf_done(&b);
                *ret = NULL;
                return 0;
        }
        *ret = vmm_buf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

static int parse_number(VmmDevFieldKind kind, const char *s, int64_t *ret)
{
        const char *p = s;
        bool hex = false, neg = false;
        uint64_t v = 0;

        if (kind == VMM_DEVF_INT && *p == '-') {
                neg = true;
                p++;
        } else if (kind == VMM_DEVF_HEX && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
                hex = true;
                p += 2;
        }
        if (!*p)
                return -EINVAL;
        for (; *p; p++) {
                unsigned int digit;

                if (*p >= '0' && *p <= '9')
                        digit = (unsigned int)(*p - '0');
                else if (hex && *p >= 'a' && *p <= 'f')
                        digit = (unsigned int)(*p - 'a' + 10);
                else if (hex && *p >= 'A' && *p <= 'F')
                        digit = (unsigned int)(*p - 'A' + 10);
                else
                        return -EINVAL;
                if (v > ((uint64_t)INT64_MAX - digit) / (hex ? 16 : 10))
                        return -ERANGE;
                v = v * (hex ? 16 : 10) + digit;
        }
        *ret = neg ? -(int64_t)v : (int64_t)v;
        return 0;
}

static const char *number_expected(VmmDevFieldKind kind)
{
        switch (kind) {
        case VMM_DEVF_INT:
                return "an integer";
        case VMM_DEVF_HEX:
                return "a decimal or 0x-prefixed hexadecimal number";
        default:
                return "a non-negative integer";
        }
}

/* "\"<value>\" is <problem> (expected <expected>)" on the attribute or text. */
static int value_error(VmmError *error, xmlNodePtr node, const char *attr, const char *problem,
                       const char *value, const char *expected)
{
        if (attr)
                return vmm_xml_attr_error(error, node, attr, "\"%s\" is %s (expected %s)", value,
                                          problem, expected);
        return vmm_xml_error(error, node, "\"%s\" is %s (expected %s)", value, problem, expected);
}

static bool pattern_matches(const char *pattern, const char *value)
{
        _cleanup_free_ char *anchored = NULL;
        regex_t re;
        bool match;

        if (asprintf(&anchored, "^(%s)$", pattern) < 0 ||
            regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0)
                return true; /* a table bug, not the user's: let it pass */
        match = regexec(&re, value, 0, NULL, 0) == 0;
        regfree(&re);
        return match;
}

static int parse_scalar(const VmmDevField *f, xmlNodePtr node, void *obj, VmmError *error)
{
        _cleanup_free_ char *raw = NULL;
        void *p = fptr(obj, f->offset);
        char *v;
        int r;

        if (f->kind == VMM_DEVF_FLAG) {
                *(bool *)p = true;
                return 0;
        }
        if (f->kind == VMM_DEVF_SIZE || f->kind == VMM_DEVF_BYTES) {
                bool kib = f->kind == VMM_DEVF_SIZE;
                uint64_t bytes;

                r = vmm_xml_node_size(node, kib ? 1024 : 1, kib ? 1024 : 1, &bytes, error);
                if (r < 0)
                        return r;
                if (bytes > INT64_MAX)
                        return vmm_xml_error(error, node, "size is too large");
                *(int64_t *)p = (int64_t)(kib ? bytes / 1024 : bytes);
                return 0;
        }
        if (f->name)
                raw = vmm_xml_get_prop(node, f->name);
        else if (node_text(node, &raw) < 0)
                return vmm_error_oom(error);
        if (!raw) {
                if (f->required && f->kind == VMM_DEVF_ENUM) {
                        char list[480];

                        return vmm_xml_error(
                            error, node, "attribute '%s' is missing (expected one of %s)", f->name,
                            vmm_enum_list(f->table, f->n_table, list, sizeof(list)));
                }
                if (f->required)
                        return vmm_xml_error(error, node, "attribute '%s' is missing", f->name);
                return 0;
        }
        /* numbers are held to `max` here; their pattern is the schema's form of it */
        if (f->pattern && !f->max && !pattern_matches(f->pattern, raw))
                return value_error(error, node, f->name, "not valid", raw,
                                   f->expect ? f->expect : f->pattern);
        if (f->kind == VMM_DEVF_STR) {
                free(*(char **)p);
                *(char **)p = TAKE_PTR(raw);
                return 0;
        }
        v = trim(raw);
        if (f->kind == VMM_DEVF_ENUM) {
                char list[480], expected[512];

                r = vmm_enum_from_string(f->table, f->n_table, v);
                if (r <= 0) {
                        snprintf(expected, sizeof(expected), "one of %s",
                                 vmm_enum_list(f->table, f->n_table, list, sizeof(list)));
                        return value_error(error, node, f->name, "not valid", v, expected);
                }
                *(int *)p = r;
                return 0;
        }
        r = parse_number(f->kind, v, (int64_t *)p);
        if (r == -ERANGE)
                return value_error(error, node, f->name, "too large", v, number_expected(f->kind));
        if (r < 0)
                return value_error(error, node, f->name, "not a number", v,
                                   number_expected(f->kind));
        if (f->max && *(int64_t *)p > f->max) {
                char expected[64];

                snprintf(expected, sizeof(expected), "at most %s%" PRIx64,
                         f->kind == VMM_DEVF_HEX ? "0x" : "", (uint64_t)f->max);
                if (f->kind != VMM_DEVF_HEX)
                        snprintf(expected, sizeof(expected), "at most %" PRId64, f->max);
                return value_error(error, node, f->name, "too large", v, expected);
        }
        return 0;
}

int vmm_devfield_list_append(void ***items, size_t *n, void *item)
{
        void **a = realloc(*items, (*n + 1) * sizeof(*a));

        if (!a)
                return -ENOMEM;
        a[(*n)++] = item;
        *items = a;
        return 0;
}

static int parse_children(const VmmDevField *f, xmlNodePtr node, unsigned int flags, void *obj,
                          VmmError *error)
{
        void **slot = fptr(obj, f->offset);
        int r;

        if (f->kind == VMM_DEVF_SUB) {
                xmlNodePtr c = vmm_xml_child(node, f->name);

                if (!c && f->required)
                        return vmm_xml_error(error, node, "<%s> is missing", f->name);
                if (!c)
                        return 0;
                if (vmm_xml_count_children(node, f->name) > 1)
                        return vmm_xml_error(error, node,
                                             "more than one <%s> (expected at most one)", f->name);
                return vmm_devfield_parse_new(f->sub, c, flags, slot, error);
        }
        for (xmlNodePtr c = node->children; c; c = c->next) {
                void *item;

                if (!vmm_xml_is(c, f->name))
                        continue;
                r = vmm_devfield_parse_new(f->sub, c, flags, &item, error);
                if (r < 0)
                        return r;
                if (vmm_devfield_list_append((void ***)slot, fptr(obj, f->count_offset), item) <
                    0) {
                        vmm_devfield_free(f->sub, item);
                        return vmm_error_oom(error);
                }
        }
        return 0;
}

static int parse_group(const VmmDevDesc *d, size_t first, xmlNodePtr node, unsigned int flags,
                       void *obj, VmmError *error)
{
        const char *elem = d->fields[first].elem;
        VmmXmlUnknown *keep = NULL;
        xmlNodePtr c = vmm_xml_child(node, elem);
        int r;

        if (!c)
                return 0;
        if (vmm_xml_count_children(node, elem) > 1)
                return vmm_xml_error(error, node, "more than one <%s> (expected at most one)",
                                     elem);
        if (flags & VMM_XML_KEEP_UNKNOWN) {
                keep = vmm_devfield_extra_group(devfield_extra(d, obj), elem, true);
                if (!keep)
                        return vmm_error_oom(error);
        }
        r = check_element(d, c, elem, flags, keep, error);
        if (r < 0)
                return r;
        for (size_t i = first; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];

                if (!same_elem(f->elem, elem))
                        continue;
                r = is_scalar(f->kind) ? parse_scalar(f, c, obj, error)
                                       : parse_children(f, c, flags, obj, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_devfield_parse(const VmmDevDesc *d, xmlNodePtr node, unsigned int flags, void *obj,
                       VmmError *error)
{
        int r;

        d = variant_of_node(d, node);
        r = check_element(d, node, NULL, flags, &devfield_extra(d, obj)->self, error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];

                if (f->elem) {
                        if (first_of_group(d, i))
                                r = parse_group(d, i, node, flags, obj, error);
                } else if (is_scalar(f->kind))
                        r = parse_scalar(f, node, obj, error);
                else
                        r = parse_children(f, node, flags, obj, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_devfield_parse_new(const VmmDevDesc *d, xmlNodePtr node, unsigned int flags, void **ret_obj,
                           VmmError *error)
{
        void *obj;
        int r;

        d = variant_of_node(d, node);
        obj = vmm_devfield_new(d);
        if (!obj)
                return vmm_error_oom(error);
        r = vmm_devfield_parse(d, node, flags, obj, error);
        if (r < 0) {
                vmm_devfield_free(d, obj);
                return r;
        }
        *ret_obj = obj;
        return 0;
}
