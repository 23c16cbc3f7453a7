/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdarg.h>

#include "domain-util.h"
#include "util/units.h"

int vmm_domain_util_size_kib(xmlNodePtr node, uint64_t *ret_kib, VmmError *error)
{
        return vmm_domain_util_size_kib_scaled(node, 1024, ret_kib, error);
}

int vmm_domain_util_size_kib_scaled(xmlNodePtr node, uint64_t default_scale, uint64_t *ret_kib,
                                    VmmError *error)
{
        _cleanup_free_ char *text = vmm_xml_get_text(node);
        _cleanup_free_ char *unit = vmm_xml_get_prop(node, "unit");
        const char *what = (const char *)node->name;
        VmmError e = VMM_ERROR_INIT;
        uint64_t bytes;
        char *s, *end;
        int r;

        if (!text)
                return vmm_error_oom(error);
        for (s = text; *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'; s++)
                ;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
                *--end = '\0';
        r = vmm_parse_size(s, unit, default_scale, 1024, UINT64_MAX, &bytes, what, &e);
        if (r < 0) {
                const char *msg = vmm_error_message(&e);
                size_t n = strlen(what);

                /* the element is named by the line prefix already */
                if (strncmp(msg, what, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
                        msg += n + 2;
                r = vmm_xml_error(error, node, "%s", msg);
                vmm_error_clear(&e);
                return r;
        }
        *ret_kib = bytes / 1024;
        return 0;
}

int vmm_domain_util_attr_size_kib(xmlNodePtr node, const char *value_attr, const char *unit_attr,
                                  uint64_t *ret_kib, VmmError *error)
{
        _cleanup_free_ char *value = vmm_xml_get_prop(node, value_attr);
        _cleanup_free_ char *unit = vmm_xml_get_prop(node, unit_attr);
        VmmError e = VMM_ERROR_INIT;
        uint64_t bytes;
        int r;

        if (!value)
                return 0;
        r = vmm_parse_size(value, unit, 1024, 1024, UINT64_MAX, &bytes, value_attr, &e);
        if (r < 0) {
                r = vmm_xml_attr_error(error, node, value_attr, "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
                return r;
        }
        *ret_kib = bytes / 1024;
        return 1;
}

int vmm_domain_util_str(xmlNodePtr node, const char *name, char **ret)
{
        char *v = vmm_xml_get_prop(node, name);

        if (!v)
                return 0;
        free(*ret);
        *ret = v;
        return 1;
}

int vmm_domain_util_child_str(xmlNodePtr node, const char *name, char **ret)
{
        xmlNodePtr c = vmm_xml_child(node, name);
        char *s;

        if (!c)
                return 0;
        s = vmm_xml_get_text(c);
        if (!s)
                return -ENOMEM;
        free(*ret);
        *ret = s;
        return 1;
}

int vmm_domain_util_keep(VmmXmlUnknown *keep, xmlNodePtr node)
{
        xmlNodePtr *n = realloc(keep->nodes, (keep->n_nodes + 1) * sizeof(*n));
        xmlNodePtr copy;

        if (!n)
                return -ENOMEM;
        keep->nodes = n;
        copy = xmlCopyNode(node, 1);
        if (!copy)
                return -ENOMEM;
        keep->nodes[keep->n_nodes++] = copy;
        return 0;
}

int vmm_domain_util_check_single(xmlNodePtr node, const char *const *names, VmmError *error)
{
        for (; *names; names++) {
                xmlNodePtr first = vmm_xml_child(node, *names);

                if (!first)
                        continue;
                for (xmlNodePtr c = first->next; c; c = c->next)
                        if (vmm_xml_is(c, *names))
                                return vmm_xml_error(error, c,
                                                     "element given twice (first on line %ld)",
                                                     xmlGetLineNo(first));
        }
        return 0;
}

void *vmm_domain_util_grow(void *array_ptr, size_t *n, size_t size)
{
        void **array = array_ptr;
        char *p = realloc(*array, (*n + 1) * size);

        if (!p)
                return NULL;
        *array = p;
        memset(p + *n * size, 0, size);
        return p + (*n)++ * size;
}

void vmm_domain_util_set_uint(xmlNodePtr node, const char *name, unsigned int v)
{
        vmm_xml_set_propf(node, name, "%u", v);
}

void vmm_domain_util_set_u64(xmlNodePtr node, const char *name, uint64_t v)
{
        vmm_xml_set_propf(node, name, "%" PRIu64, v);
}

void vmm_domain_util_set_tristate(xmlNodePtr node, const char *name, int v, bool onoff)
{
        if (v < 0)
                return;
        if (onoff)
                vmm_xml_set_prop(node, name, v ? "on" : "off");
        else
                vmm_xml_set_prop(node, name, v ? "yes" : "no");
}

void vmm_domain_util_set_enum(xmlNodePtr node, const char *name, const char *const *table, int n,
                              int v)
{
        const char *s = vmm_enum_to_string(table, n, v);

        if (s)
                vmm_xml_set_prop(node, name, s);
}

xmlNodePtr vmm_domain_util_new_size(xmlNodePtr parent, const char *name, uint64_t kib)
{
        char text[32];
        xmlNodePtr n;

        snprintf(text, sizeof(text), "%" PRIu64, kib);
        n = vmm_xml_new_child(parent, name, text);
        vmm_xml_set_prop(n, "unit", "KiB");
        return n;
}

bool vmm_domain_util_differ(char **diff, const char *fmt, ...)
{
        va_list ap;

        if (!diff || *diff)
                return false;
        va_start(ap, fmt);
        if (vasprintf(diff, fmt, ap) < 0)
                *diff = NULL;
        va_end(ap);
        return false;
}

bool vmm_domain_util_eq_str(char **diff, const char *what, const char *a, const char *b)
{
        if ((!a && !b) || (a && b && strcmp(a, b) == 0))
                return true;
        return vmm_domain_util_differ(diff, "%s: %s%s%s != %s%s%s", what, a ? "\"" : "",
                                      a ? a : "(none)", a ? "\"" : "", b ? "\"" : "",
                                      b ? b : "(none)", b ? "\"" : "");
}

bool vmm_domain_util_eq_int(char **diff, const char *what, long long a, long long b)
{
        if (a == b)
                return true;
        return vmm_domain_util_differ(diff, "%s: %lld != %lld", what, a, b);
}

bool vmm_domain_util_eq_u64(char **diff, const char *what, uint64_t a, uint64_t b)
{
        if (a == b)
                return true;
        return vmm_domain_util_differ(diff, "%s: %" PRIu64 " != %" PRIu64, what, a, b);
}

bool vmm_domain_util_eq_unknown(char **diff, const char *what, const VmmXmlUnknown *a,
                                const VmmXmlUnknown *b)
{
        if (vmm_xml_unknown_equal(a, b))
                return true;
        return vmm_domain_util_differ(diff, "%s: kept content differs", what);
}

/* "cpu/numa/cell[2]": the path of `node` below `root`. */
static char *util_path(xmlNodePtr root, xmlNodePtr node)
{
        char *path = NULL;

        for (xmlNodePtr n = node; n && n != root; n = n->parent) {
                unsigned int idx = 1;
                char *p;

                for (xmlNodePtr s = n->prev; s; s = s->prev)
                        if (s->type == XML_ELEMENT_NODE && !s->ns && xmlStrEqual(s->name, n->name))
                                idx++;
                if (asprintf(&p, "%s[%u]%s%s", (const char *)n->name, idx, path ? "/" : "",
                             path ? path : "") < 0) {
                        free(path);
                        return NULL;
                }
                free(path);
                path = p;
        }
        return path ? path : strdup("");
}

int vmm_domain_util_check(xmlNodePtr node, const char *const *children, const char *const *attrs,
                          VmmError *error)
{
        const VmmDomainParseScope *scope = node->doc ? node->doc->_private : NULL;
        VmmXmlUnknown u = {0};
        VmmDomainKept *k;
        int r;

        if (!scope || !(scope->flags & VMM_XML_KEEP_UNKNOWN))
                return vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        r = vmm_xml_check_node(node, children, attrs, VMM_XML_KEEP_UNKNOWN, &u, error);
        if (r < 0 || (!u.n_nodes && !u.n_attrs)) {
                vmm_xml_unknown_done(&u);
                return r;
        }
        k = vmm_domain_util_grow(&scope->kept->items, &scope->kept->n, sizeof(*k));
        if (!k || !(k->path = util_path(scope->root, node))) {
                vmm_xml_unknown_done(&u);
                return vmm_error_oom(error);
        }
        k->u = u;
        return 0;
}

/* The element at `path` below `root`. An element the formatter did not
 * write (it had nothing known in it, only kept content) is created when
 * it would be the next of its name, so the kept content is not lost. */
static xmlNodePtr util_find(xmlNodePtr root, const char *path)
{
        xmlNodePtr node = root;
        const char *p = path;

        while (node && *p) {
                xmlNodePtr parent = node;
                char name[128];
                unsigned int idx = 0, want;
                int len = 0;

                if (sscanf(p, "%127[^[][%u]%n", name, &idx, &len) != 2 || len <= 0)
                        return NULL;
                p += len;
                if (*p == '/')
                        p++;
                want = idx;
                for (node = parent->children; node; node = node->next)
                        if (vmm_xml_is(node, name) && --idx == 0)
                                break;
                if (!node && idx == 1 && want >= 1)
                        node = vmm_xml_new_child(parent, name, NULL);
        }
        return node;
}

void vmm_domain_util_kept_format(const VmmDomainKeptList *kept, xmlNodePtr root)
{
        for (size_t i = 0; i < kept->n; i++) {
                xmlNodePtr node = util_find(root, kept->items[i].path);

                if (node)
                        vmm_xml_unknown_format(&kept->items[i].u, node);
        }
}

bool vmm_domain_util_kept_equal(const VmmDomainKeptList *a, const VmmDomainKeptList *b, char **diff)
{
        if (!vmm_domain_util_eq_int(diff, "unknown content (count)", (long long)a->n,
                                    (long long)b->n))
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!vmm_domain_util_eq_str(diff, "unknown content at", a->items[i].path,
                                            b->items[i].path) ||
                    !vmm_domain_util_eq_unknown(diff, a->items[i].path, &a->items[i].u,
                                                &b->items[i].u))
                        return false;
        return true;
}

void vmm_domain_util_kept_done(VmmDomainKeptList *kept)
{
        for (size_t i = 0; i < kept->n; i++) {
                free(kept->items[i].path);
                vmm_xml_unknown_done(&kept->items[i].u);
        }
        free(kept->items);
        kept->items = NULL;
        kept->n = 0;
}
