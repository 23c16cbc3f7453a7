/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-sysinfo.c: <sysinfo type='smbios'> with <bios>, <system>,
 * <baseBoard>, <chassis> (<entry name='...'>value</entry>) and
 * <oemStrings> (<string>value</string>); <sysinfo type='fwcfg'> with
 * <entry name='...' file='...'>value</entry>.
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const sysinfo_type_table[] = {"smbios", "fwcfg"};
static const char *const group_table[] = {"bios", "system", "baseBoard", "chassis", "oemStrings"};
enum { GROUP_OEM_STRINGS = 4 };

#define N(t) ((int)ARRAY_SIZE(t))

static void entries_free(VmmDomainSysinfoEntry *e, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(e[i].name);
                free(e[i].file);
                free(e[i].value);
        }
        free(e);
}

void vmm_domain_sysinfo_free(VmmDomainSysinfo *sysinfos, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                for (size_t j = 0; j < sysinfos[i].n_groups; j++)
                        entries_free(sysinfos[i].groups[j].entries,
                                     sysinfos[i].groups[j].n_entries);
                free(sysinfos[i].groups);
                entries_free(sysinfos[i].entries, sysinfos[i].n_entries);
        }
        free(sysinfos);
}

static int sysinfo_parse_entries(xmlNodePtr node, const char *child, bool file,
                                 VmmDomainSysinfoEntry **entries, size_t *n, VmmError *error)
{
        const char *const children[] = {child, NULL};
        const char *const attrs[] = {"name", file ? "file" : NULL, NULL};
        const char *const parent_attrs[] = {file ? "type" : NULL, NULL};
        bool named = strcmp(child, "entry") == 0;
        int r;

        r = vmm_domain_util_check(node, children, parent_attrs, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainSysinfoEntry *e;
                _cleanup_free_ char *text = NULL;

                if (!vmm_xml_is(c, child))
                        continue;
                e = vmm_domain_util_grow(entries, n, sizeof(*e));
                if (!e)
                        return vmm_error_oom(error);
                r = vmm_domain_util_check(c, NULL, named ? attrs : NULL, error);
                if (r < 0)
                        return r;
                if (named && !vmm_domain_util_str(c, "name", &e->name))
                        return vmm_xml_error(error, c, "missing attribute 'name'");
                if (file)
                        vmm_domain_util_str(c, "file", &e->file);
                text = vmm_xml_get_text(c);
                if (!text)
                        return vmm_error_oom(error);
                if (*text || !e->file)
                        e->value = TAKE_PTR(text);
        }
        return r < 0 ? r : 0;
}

int vmm_domain_sysinfo_parse(xmlNodePtr node, VmmDomainSysinfo **sysinfos, size_t *n,
                             VmmError *error)
{
        static const char *const attrs[] = {"type", NULL};
        VmmDomainSysinfo *s;
        int r;

        s = vmm_domain_util_grow(sysinfos, n, sizeof(*s));
        if (!s)
                return vmm_error_oom(error);
        r = vmm_xml_prop_enum(node, "type", sysinfo_type_table, N(sysinfo_type_table), &s->type,
                              error);
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'type' (expected \"smbios\" or \"fwcfg\")");
        if (r < 0)
                return r;
        if (s->type == 1)
                return sysinfo_parse_entries(node, "entry", true, &s->entries, &s->n_entries,
                                             error);
        r = vmm_domain_util_check(node, group_table, attrs, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainSysinfoGroup *g;
                int kind;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                kind = vmm_enum_from_string(group_table, N(group_table), (const char *)c->name);
                g = vmm_domain_util_grow(&s->groups, &s->n_groups, sizeof(*g));
                if (!g)
                        return vmm_error_oom(error);
                g->kind = kind;
                r = sysinfo_parse_entries(c, kind == GROUP_OEM_STRINGS ? "string" : "entry", false,
                                          &g->entries, &g->n_entries, error);
        }
        return r < 0 ? r : 0;
}

static void sysinfo_format_entries(const VmmDomainSysinfoEntry *e, size_t n, const char *child,
                                   xmlNodePtr parent)
{
        for (size_t i = 0; i < n; i++) {
                xmlNodePtr c = vmm_xml_new_child(parent, child, e[i].value);

                vmm_xml_set_prop(c, "name", e[i].name);
                vmm_xml_set_prop(c, "file", e[i].file);
        }
}

void vmm_domain_sysinfo_format(const VmmDomainSysinfo *sysinfos, size_t n, xmlNodePtr root)
{
        for (size_t i = 0; i < n; i++) {
                const VmmDomainSysinfo *s = &sysinfos[i];
                xmlNodePtr node = vmm_xml_new_child(root, "sysinfo", NULL);

                vmm_xml_set_prop(node, "type", sysinfo_type_table[s->type]);
                sysinfo_format_entries(s->entries, s->n_entries, "entry", node);
                for (size_t j = 0; j < s->n_groups; j++) {
                        const VmmDomainSysinfoGroup *g = &s->groups[j];
                        xmlNodePtr c = vmm_xml_new_child(node, group_table[g->kind], NULL);

                        sysinfo_format_entries(g->entries, g->n_entries,
                                               g->kind == GROUP_OEM_STRINGS ? "string" : "entry",
                                               c);
                }
        }
}

static bool entries_equal(const VmmDomainSysinfoEntry *a, size_t na, const VmmDomainSysinfoEntry *b,
                          size_t nb, char **diff)
{
        if (!d_eq_int(diff, "sysinfo entries", (long long)na, (long long)nb))
                return false;
        for (size_t i = 0; i < na; i++)
                if (!d_eq_str(diff, "sysinfo entry name", a[i].name, b[i].name) ||
                    !d_eq_str(diff, "sysinfo entry file", a[i].file, b[i].file) ||
                    !d_eq_str(diff, "sysinfo entry", a[i].value, b[i].value))
                        return false;
        return true;
}

bool vmm_domain_sysinfo_equal(const VmmDomainSysinfo *a, size_t na, const VmmDomainSysinfo *b,
                              size_t nb, char **diff)
{
        if (!d_eq_int(diff, "sysinfo", (long long)na, (long long)nb))
                return false;
        for (size_t i = 0; i < na; i++) {
                if (!d_eq_int(diff, "sysinfo type", a[i].type, b[i].type) ||
                    !entries_equal(a[i].entries, a[i].n_entries, b[i].entries, b[i].n_entries,
                                   diff) ||
                    !d_eq_int(diff, "sysinfo groups", (long long)a[i].n_groups,
                              (long long)b[i].n_groups))
                        return false;
                for (size_t j = 0; j < a[i].n_groups; j++)
                        if (!d_eq_int(diff, "sysinfo group", a[i].groups[j].kind,
                                      b[i].groups[j].kind) ||
                            !entries_equal(a[i].groups[j].entries, a[i].groups[j].n_entries,
                                           b[i].groups[j].entries, b[i].groups[j].n_entries, diff))
                                return false;
        }
        return true;
}
