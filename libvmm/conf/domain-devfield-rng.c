/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-devfield-rng.c: the RelaxNG schema of a table-described element,
 * written from the same table the parser reads, so that
 * schemas/domain-devices.rng accepts exactly what the parser accepts
 * (tests/unit/test-domain-devices.c checks the file is current).
 */
#include <string.h>

#include "domain-devfield.h"

static void rng_indent(VmmBuf *out, int depth)
{
        for (int i = 0; i < depth; i++)
                vmm_buf_add(out, "  ");
}

static void rng_value_type(const VmmDevField *f, VmmBuf *out, int depth)
{
        rng_indent(out, depth);
        switch (f->kind) {
        case VMM_DEVF_STR:
                if (f->pattern)
                        vmm_buf_addf(out,
                                     "<data type=\"string\"><param name=\"pattern\">%s"
                                     "</param></data>\n",
                                     f->pattern);
                else
                        vmm_buf_add(out, "<text/>\n");
                break;
        case VMM_DEVF_UINT:
        case VMM_DEVF_SIZE:
        case VMM_DEVF_BYTES:
                vmm_buf_add(out, "<data type=\"unsignedLong\"/>\n");
                break;
        case VMM_DEVF_INT:
                vmm_buf_add(out, "<data type=\"long\"/>\n");
                break;
        case VMM_DEVF_HEX:
                vmm_buf_addf(out,
                             "<data type=\"string\"><param name=\"pattern\">%s"
                             "</param></data>\n",
                             f->pattern ? f->pattern : "(0x[0-9a-fA-F]+|[0-9]+)");
                break;
        case VMM_DEVF_ENUM:
                vmm_buf_add(out, "<choice>\n");
                for (int i = 1; i < f->n_table; i++) {
                        if (!f->table[i])
                                continue;
                        rng_indent(out, depth + 1);
                        vmm_buf_addf(out, "<value>%s</value>\n", f->table[i]);
                }
                rng_indent(out, depth);
                vmm_buf_add(out, "</choice>\n");
                break;
        default:
                vmm_buf_add(out, "<empty/>\n");
                break;
        }
}

static bool rng_same(const char *a, const char *b)
{
        return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

static void rng_attribute(const char *name, const VmmDevField *f, VmmBuf *out, int depth)
{
        bool optional = !f || !f->required;

        if (!optional) {
                rng_indent(out, depth);
                vmm_buf_addf(out, "<attribute name=\"%s\">\n", name);
                rng_value_type(f, out, depth + 1);
                rng_indent(out, depth);
                vmm_buf_add(out, "</attribute>\n");
                return;
        }
        rng_indent(out, depth);
        vmm_buf_addf(out, "<optional>\n");
        rng_indent(out, depth + 1);
        vmm_buf_addf(out, "<attribute name=\"%s\">\n", name);
        if (f)
                rng_value_type(f, out, depth + 2);
        else {
                rng_indent(out, depth + 2);
                vmm_buf_add(out, "<data type=\"string\"><param name=\"pattern\">"
                                 "[a-zA-Z]+</param></data>\n");
        }
        rng_indent(out, depth + 1);
        vmm_buf_add(out, "</attribute>\n");
        rng_indent(out, depth);
        vmm_buf_add(out, "</optional>\n");
}

static void rng_element_content(const VmmDevDesc *d, const char *group, VmmBuf *out, int depth);

/* One child: a group element (always optional: `required` on its fields
 * applies once it is there), a sub-structure (optional unless required)
 * or a list. */
static void rng_child(const VmmDevDesc *d, size_t i, bool top, VmmBuf *out, int depth)
{
        const VmmDevField *f = &d->fields[i];
        bool group = top && f->elem;
        const char *wrap = f->kind == VMM_DEVF_LIST ? "zeroOrMore"
                           : f->required && !group  ? "group"
                                                    : "optional";

        rng_indent(out, depth);
        vmm_buf_addf(out, "<%s>\n", wrap);
        rng_indent(out, depth + 1);
        if (top && f->elem) {
                vmm_buf_addf(out, "<element name=\"%s\">\n", f->elem);
                rng_element_content(d, f->elem, out, depth + 2);
                rng_indent(out, depth + 1);
                vmm_buf_add(out, "</element>\n");
        } else
                vmm_buf_addf(out, "<ref name=\"%s\"/>\n", f->sub->rng_id);
        rng_indent(out, depth);
        vmm_buf_addf(out, "</%s>\n", wrap);
}

static bool rng_is_child(const VmmDevDesc *d, size_t i, const char *group)
{
        const VmmDevField *f = &d->fields[i];

        if (!group && f->elem) {
                for (size_t j = 0; j < i; j++)
                        if (rng_same(d->fields[j].elem, f->elem))
                                return false;
                return true;
        }
        return rng_same(f->elem, group) && (f->kind == VMM_DEVF_SUB || f->kind == VMM_DEVF_LIST);
}

/* Attributes, then text or the children of element `group` (NULL: the
 * described element itself). */
static void rng_element_content(const VmmDevDesc *d, const char *group, VmmBuf *out, int depth)
{
        const VmmDevField *text = NULL;
        size_t n_children = 0, n_attrs = 0;

        for (size_t i = 0; i < d->n_fields; i++) {
                const VmmDevField *f = &d->fields[i];

                if (rng_is_child(d, i, group))
                        n_children++;
                if (!rng_same(f->elem, group) || f->kind == VMM_DEVF_SUB ||
                    f->kind == VMM_DEVF_LIST || f->kind == VMM_DEVF_FLAG)
                        continue;
                if (f->name) {
                        rng_attribute(f->name, f, out, depth);
                        n_attrs++;
                } else
                        text = f;
        }
        if (text && (text->kind == VMM_DEVF_SIZE || text->kind == VMM_DEVF_BYTES))
                rng_attribute("unit", NULL, out, depth);
        if (text && n_children == 0) {
                rng_value_type(text, out, depth);
                return;
        }
        if (text) {
                rng_indent(out, depth++);
                vmm_buf_add(out, "<choice>\n");
                rng_value_type(text, out, depth);
        }
        if (n_children == 0) {
                if (n_attrs == 0) {
                        rng_indent(out, depth);
                        vmm_buf_add(out, "<empty/>\n");
                }
                return;
        }
        if (n_children > 1) {
                rng_indent(out, depth);
                vmm_buf_add(out, "<interleave>\n");
        }
        for (size_t i = 0; i < d->n_fields; i++)
                if (rng_is_child(d, i, group))
                        rng_child(d, i, group == NULL, out, depth + (n_children > 1));
        if (n_children > 1) {
                rng_indent(out, depth);
                vmm_buf_add(out, "</interleave>\n");
        }
        if (text) {
                rng_indent(out, depth - 1);
                vmm_buf_add(out, "</choice>\n");
        }
}

static bool rng_done(VmmDevRngDone *done, const VmmDevDesc *d)
{
        for (size_t i = 0; i < done->n; i++)
                if (done->descs[i] == d)
                        return true;
        if (done->n < sizeof(done->descs) / sizeof(done->descs[0]))
                done->descs[done->n++] = d;
        return false;
}

void vmm_devfield_rng(const VmmDevDesc *d, VmmBuf *out, VmmDevRngDone *done)
{
        if (rng_done(done, d))
                return;
        vmm_buf_addf(out, "  <define name=\"%s\">\n", d->rng_id);
        if (d->variants) {
                vmm_buf_add(out, "    <choice>\n");
                for (int v = 0; v < d->n_variants; v++)
                        if (d->variants[v])
                                vmm_buf_addf(out, "      <ref name=\"%s\"/>\n",
                                             d->variants[v]->rng_id);
        }
        vmm_buf_addf(out, "    <element name=\"%s\">\n", d->name);
        rng_element_content(d, NULL, out, 3);
        vmm_buf_add(out, "    </element>\n");
        if (d->variants)
                vmm_buf_add(out, "    </choice>\n");
        vmm_buf_add(out, "  </define>\n");
        for (size_t i = 0; i < d->n_fields; i++)
                if (d->fields[i].sub)
                        vmm_devfield_rng(d->fields[i].sub, out, done);
        for (int v = 0; v < d->n_variants; v++)
                if (d->variants[v])
                        vmm_devfield_rng(d->variants[v], out, done);
}
