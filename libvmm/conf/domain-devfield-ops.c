/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-devfield-ops.c: the table engine's formatting, comparison, deep
 * copy and free (parsing is in domain-devfield.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain-devfield-internal.h"
#include "util/enumtable.h"

#define XC(s) ((const xmlChar *)(s))

/* --- formatting --- */

/* The value as text, or NULL when absent. */
static const char *scalar_string(const VmmDevField *f, const void *obj, char *buf, size_t size)
{
        const void *p = fptr(obj, f->offset);
        int64_t n;

        switch (f->kind) {
        case VMM_DEVF_STR:
                return *(char *const *)p;
        case VMM_DEVF_ENUM:
                return *(const int *)p ? vmm_enum_to_string(f->table, f->n_table, *(const int *)p)
                                       : NULL;
        case VMM_DEVF_FLAG:
                return *(const bool *)p ? "present" : NULL;
        case VMM_DEVF_UINT:
        case VMM_DEVF_INT:
        case VMM_DEVF_SIZE:
        case VMM_DEVF_BYTES:
        case VMM_DEVF_HEX:
                n = *(const int64_t *)p;
                if (n == VMM_DEV_UNSET)
                        return NULL;
                if (f->kind == VMM_DEVF_HEX)
                        snprintf(buf, size, "0x%0*" PRIx64, f->width, (uint64_t)n);
                else
                        snprintf(buf, size, "%" PRId64, n);
                return buf;
        default:
                return NULL;
        }
}

static bool field_has_value(const VmmDevField *f, const void *obj)
{
        char buf[32];

        if (f->kind == VMM_DEVF_SUB)
                return *(void *const *)fptr(obj, f->offset) != NULL;
        if (f->kind == VMM_DEVF_LIST)
                return *(const size_t *)fptr(obj, f->count_offset) > 0;
        return scalar_string(f, obj, buf, sizeof(buf)) != NULL;
}

static void format_field(const VmmDevField *f, const void *obj, xmlNodePtr node, unsigned int flags)
{
        char buf[32];
        const char *v;

        if (f->kind == VMM_DEVF_SUB) {
                const void *sub = *(void *const *)fptr(obj, f->offset);

                if (sub)
                        vmm_devfield_format(f->sub, sub, node, flags);
                return;
        }
        if (f->kind == VMM_DEVF_LIST) {
                void *const *items = *(void *const *)fptr(obj, f->offset);
                size_t n = *(const size_t *)fptr(obj, f->count_offset);

                for (size_t i = 0; i < n; i++)
                        vmm_devfield_format(f->sub, items[i], node, flags);
                return;
        }
        v = scalar_string(f, obj, buf, sizeof(buf));
        if (!v || f->kind == VMM_DEVF_FLAG || (f->secure && !(flags & VMM_DEV_FORMAT_SECURE)))
                return;
        if (f->name) {
                vmm_xml_set_prop(node, f->name, v);
                return;
        }
        xmlNodeAddContent(node, XC(v));
        if (f->kind == VMM_DEVF_SIZE)
                vmm_xml_set_prop(node, "unit", "KiB");
        else if (f->kind == VMM_DEVF_BYTES)
                vmm_xml_set_prop(node, "unit", "bytes");
}

static void format_group(const VmmDevDesc *d, size_t first, const void *obj, xmlNodePtr node,
                         unsigned int flags)
{
        const char *elem = d->fields[first].elem;
        VmmXmlUnknown *keep = vmm_devfield_extra_group(devfield_extra(d, obj), elem, false);
        bool content = keep && (keep->n_nodes || keep->n_attrs);
        xmlNodePtr c;

        for (size_t i = first; i < d->n_fields && !content; i++)
                if (same_elem(d->fields[i].elem, elem))
                        content = field_has_value(&d->fields[i], obj);
        if (!content)
                return;
        c = xmlNewChild(node, NULL, XC(elem), NULL);
        if (!c)
                return;
        for (size_t i = first; i < d->n_fields; i++)
                if (same_elem(d->fields[i].elem, elem))
                        format_field(&d->fields[i], obj, c, flags);
        vmm_xml_unknown_format(keep, c);
}

xmlNodePtr vmm_devfield_format(const VmmDevDesc *d, const void *obj, xmlNodePtr parent,
                               unsigned int flags)
{
        xmlNodePtr node;

        d = variant_of_obj(d, obj);
        node = xmlNewChild(parent, NULL, XC(d->name), NULL);
        if (!node)
                return NULL;
        for (size_t i = 0; i < d->n_fields; i++) {
                if (!d->fields[i].elem)
                        format_field(&d->fields[i], obj, node, flags);
                else if (first_of_group(d, i))
                        format_group(d, i, obj, node, flags);
        }
        vmm_xml_unknown_format(&devfield_extra(d, obj)->self, node);
        return node;
}

/* --- comparing --- */

static void field_label(const VmmDevField *f, const char *prefix, char *buf, size_t size)
{
        const char *name = f->name ? f->name : (f->elem ? "" : "text");

        snprintf(buf, size, "%s%s%s%s%s", prefix, *prefix ? " " : "", f->elem ? f->elem : "",
                 f->elem && *name ? " " : "", name);
}

static bool equal_impl(const VmmDevDesc *d, const void *a, const void *b, VmmBuf *diff,
                       const char *prefix);

static bool field_equal(const VmmDevField *f, const void *a, const void *b, VmmBuf *diff,
                        const char *prefix)
{
        char label[256], ba[32], bb[32];
        const char *va, *vb;

        field_label(f, prefix, label, sizeof(label));
        if (f->kind == VMM_DEVF_SUB) {
                const void *sa = *(void *const *)fptr(a, f->offset);
                const void *sb = *(void *const *)fptr(b, f->offset);

                if (!sa || !sb) {
                        if (sa != sb && diff)
                                vmm_buf_addf(diff, "%s: %s != %s", label, sa ? "present" : "absent",
                                             sb ? "present" : "absent");
                        return sa == sb;
                }
                return equal_impl(f->sub, sa, sb, diff, label);
        }
        if (f->kind == VMM_DEVF_LIST) {
                void *const *ia = *(void *const *)fptr(a, f->offset);
                void *const *ib = *(void *const *)fptr(b, f->offset);
                size_t na = *(const size_t *)fptr(a, f->count_offset);
                size_t nb = *(const size_t *)fptr(b, f->count_offset);

                if (na != nb) {
                        if (diff)
                                vmm_buf_addf(diff, "%s: %zu != %zu elements", label, na, nb);
                        return false;
                }
                for (size_t i = 0; i < na; i++) {
                        char item[300];

                        snprintf(item, sizeof(item), "%s[%zu]", label, i);
                        if (!equal_impl(f->sub, ia[i], ib[i], diff, item))
                                return false;
                }
                return true;
        }
        va = scalar_string(f, a, ba, sizeof(ba));
        vb = scalar_string(f, b, bb, sizeof(bb));
        if (va && vb ? strcmp(va, vb) == 0 : va == vb)
                return true;
        if (diff)
                vmm_buf_addf(diff, "%s: %s != %s", label, va ? va : "(none)", vb ? vb : "(none)");
        return false;
}

static bool extra_equal(const VmmDevExtra *a, const VmmDevExtra *b)
{
        static const VmmXmlUnknown none;

        if (!vmm_xml_unknown_equal(&a->self, &b->self))
                return false;
        for (size_t i = 0; i < a->n_groups; i++) {
                const VmmXmlUnknown *ub =
                    vmm_devfield_extra_group((VmmDevExtra *)b, a->groups[i].elem, false);
                if (!vmm_xml_unknown_equal(&a->groups[i].unknown, ub ? ub : &none))
                        return false;
        }
        for (size_t i = 0; i < b->n_groups; i++) {
                const VmmXmlUnknown *ua =
                    vmm_devfield_extra_group((VmmDevExtra *)a, b->groups[i].elem, false);
                if (!vmm_xml_unknown_equal(&b->groups[i].unknown, ua ? ua : &none))
                        return false;
        }
        return true;
}

static bool equal_impl(const VmmDevDesc *d, const void *a, const void *b, VmmBuf *diff,
                       const char *prefix)
{
        d = variant_of_obj(d, a);
        for (size_t i = 0; i < d->n_fields; i++)
                if (!field_equal(&d->fields[i], a, b, diff, prefix))
                        return false;
        if (!extra_equal(devfield_extra(d, a), devfield_extra(d, b))) {
                if (diff)
                        vmm_buf_addf(diff, "%s%sunknown content differs", prefix,
                                     *prefix ? ": " : "");
                return false;
        }
        return true;
}

bool vmm_devfield_equal(const VmmDevDesc *d, const void *a, const void *b, VmmBuf *diff)
{
        return equal_impl(d, a, b, diff, "");
}

/* --- copying and freeing --- */

static int extra_copy(const VmmDevExtra *src, VmmDevExtra *dst)
{
        if (vmm_xml_unknown_copy(&src->self, &dst->self) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < src->n_groups; i++) {
                VmmXmlUnknown *u = vmm_devfield_extra_group(dst, src->groups[i].elem, true);

                if (!u || vmm_xml_unknown_copy(&src->groups[i].unknown, u) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int field_copy(const VmmDevField *f, const void *src, void *dst)
{
        void *d = fptr(dst, f->offset);
        const void *s = fptr(src, f->offset);

        switch (f->kind) {
        case VMM_DEVF_STR:
                if (*(char *const *)s && !(*(char **)d = strdup(*(char *const *)s)))
                        return -ENOMEM;
                return 0;
        case VMM_DEVF_SUB:
                if (!*(void *const *)s)
                        return 0;
                return vmm_devfield_copy(f->sub, *(void *const *)s, (void **)d);
        case VMM_DEVF_LIST: {
                void *const *items = *(void *const *)s;
                size_t n = *(const size_t *)fptr(src, f->count_offset);

                for (size_t i = 0; i < n; i++) {
                        void *copy;

                        if (vmm_devfield_copy(f->sub, items[i], &copy) < 0)
                                return -ENOMEM;
                        if (vmm_devfield_list_append((void ***)d, fptr(dst, f->count_offset),
                                                     copy) < 0) {
                                vmm_devfield_free(f->sub, copy);
                                return -ENOMEM;
                        }
                }
                return 0;
        }
        case VMM_DEVF_ENUM:
                *(int *)d = *(const int *)s;
                return 0;
        case VMM_DEVF_FLAG:
                *(bool *)d = *(const bool *)s;
                return 0;
        default:
                *(int64_t *)d = *(const int64_t *)s;
                return 0;
        }
}

int vmm_devfield_copy(const VmmDevDesc *d, const void *src, void **ret_copy)
{
        void *dst;

        d = variant_of_obj(d, src);
        dst = vmm_devfield_new(d);
        if (!dst)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_fields; i++) {
                if (field_copy(&d->fields[i], src, dst) < 0) {
                        vmm_devfield_free(d, dst);
                        return -ENOMEM;
                }
        }
        if (extra_copy(devfield_extra(d, src), devfield_extra(d, dst)) < 0) {
                vmm_devfield_free(d, dst);
                return -ENOMEM;
        }
        *ret_copy = dst;
        return 0;
}

void *vmm_devfield_free(const VmmDevDesc *d, void *obj)
{
        VmmDevExtra *x;

        if (!obj)
                return NULL;
        d = variant_of_obj(d, obj);
        for (size_t i = 0; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];
                void *p = fptr(obj, f->offset);

                if (f->kind == VMM_DEVF_STR) {
                        free(*(char **)p);
                } else if (f->kind == VMM_DEVF_SUB) {
                        vmm_devfield_free(f->sub, *(void **)p);
                } else if (f->kind == VMM_DEVF_LIST) {
                        void **items = *(void **)p;
                        size_t n = *(size_t *)fptr(obj, f->count_offset);

                        for (size_t j = 0; j < n; j++)
                                vmm_devfield_free(f->sub, items[j]);
                        free(items);
                }
        }
        x = devfield_extra(d, obj);
        vmm_xml_unknown_done(&x->self);
        for (size_t i = 0; i < x->n_groups; i++) {
                free(x->groups[i].elem);
                vmm_xml_unknown_done(&x->groups[i].unknown);
        }
        free(x->groups);
        free(obj);
        return NULL;
}
