/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-numa.c: the guest NUMA topology <cpu><numa><cell id cpus memory
 * unit memAccess discard> with <distances><sibling id value/>. The HMAT
 * parts (<cell><cache>, <interconnects>) are kept verbatim.
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const mem_access_table[] = {"shared", "private"};

static int numa_parse_distances(xmlNodePtr node, VmmDomainNumaCell *cell, VmmError *error)
{
        static const char *const children[] = {"sibling", NULL};
        static const char *const attrs[] = {"id", "value", NULL};
        int r;

        r = vmm_domain_util_check(node, children, NULL, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainNumaSibling *s;

                if (!vmm_xml_is(c, "sibling"))
                        continue;
                s = vmm_domain_util_grow(&cell->distances, &cell->n_distances, sizeof(*s));
                if (!s)
                        return vmm_error_oom(error);
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "id", &s->id, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'id'");
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "value", &s->value, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'value'");
        }
        return r < 0 ? r : 0;
}

static int numa_parse_cell(xmlNodePtr node, VmmDomainNumaCell *cell, VmmError *error)
{
        static const char *const children[] = {"distances", "cache", NULL};
        static const char *const attrs[] = {"id",        "cpus",    "memory", "unit",
                                            "memAccess", "discard", NULL};
        xmlNodePtr c;
        int r;

        cell->id = cell->mem_access = cell->discard = DOMAIN_ABSENT;
        r = vmm_domain_util_check(node, children, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_int(node, "id", &cell->id, error);
        if (r >= 0)
                r = vmm_domain_util_attr_size_kib(node, "memory", "unit", &cell->memory_kib, error);
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'memory' (expected e.g. memory='512' "
                                     "unit='MiB')");
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "memAccess", mem_access_table,
                                      (int)ARRAY_SIZE(mem_access_table), &cell->mem_access, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "discard", &cell->discard, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "cpus", &cell->cpus);
        if ((c = vmm_xml_child(node, "distances"))) {
                r = numa_parse_distances(c, cell, error);
                if (r < 0)
                        return r;
        }
        for (c = node->children; c; c = c->next)
                if (vmm_xml_is(c, "cache") && vmm_domain_util_keep(&cell->caches, c) < 0)
                        return vmm_error_oom(error);
        return 0;
}

int vmm_domain_numa_parse(xmlNodePtr node, unsigned int flags, VmmDomainNuma *numa, VmmError *error)
{
        static const char *const children[] = {"cell", "interconnects", NULL};
        xmlNodePtr ic;
        int r;

        r = vmm_xml_check_node(node, children, NULL, flags, &numa->unknown, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainNumaCell *cell;

                if (!vmm_xml_is(c, "cell"))
                        continue;
                cell = vmm_domain_util_grow(&numa->cells, &numa->n_cells, sizeof(*cell));
                if (!cell)
                        return vmm_error_oom(error);
                r = numa_parse_cell(c, cell, error);
        }
        if (r < 0)
                return r;
        ic = vmm_xml_child(node, "interconnects");
        if (ic && vmm_domain_util_keep(&numa->interconnects, ic) < 0)
                return vmm_error_oom(error);
        return 0;
}

void vmm_domain_numa_format(const VmmDomainNuma *numa, xmlNodePtr parent)
{
        xmlNodePtr node;

        if (!numa->n_cells && !numa->interconnects.n_nodes && !numa->unknown.n_nodes &&
            !numa->unknown.n_attrs)
                return;
        node = vmm_xml_new_child(parent, "numa", NULL);
        for (size_t i = 0; i < numa->n_cells; i++) {
                const VmmDomainNumaCell *cell = &numa->cells[i];
                xmlNodePtr n = vmm_xml_new_child(node, "cell", NULL);

                if (cell->id >= 0)
                        vmm_xml_set_propf(n, "id", "%d", cell->id);
                vmm_xml_set_prop(n, "cpus", cell->cpus);
                vmm_domain_util_set_u64(n, "memory", cell->memory_kib);
                vmm_xml_set_prop(n, "unit", "KiB");
                vmm_domain_util_set_enum(n, "memAccess", mem_access_table,
                                         (int)ARRAY_SIZE(mem_access_table), cell->mem_access);
                vmm_domain_util_set_tristate(n, "discard", cell->discard, false);
                if (cell->n_distances) {
                        xmlNodePtr d = vmm_xml_new_child(n, "distances", NULL);

                        for (size_t j = 0; j < cell->n_distances; j++) {
                                xmlNodePtr s = vmm_xml_new_child(d, "sibling", NULL);

                                vmm_domain_util_set_uint(s, "id", cell->distances[j].id);
                                vmm_domain_util_set_uint(s, "value", cell->distances[j].value);
                        }
                }
                vmm_xml_unknown_format(&cell->caches, n);
        }
        vmm_xml_unknown_format(&numa->interconnects, node);
        vmm_xml_unknown_format(&numa->unknown, node);
}

bool vmm_domain_numa_equal(const VmmDomainNuma *a, const VmmDomainNuma *b, char **diff)
{
        if (!d_eq_int(diff, "numa cells", (long long)a->n_cells, (long long)b->n_cells))
                return false;
        for (size_t i = 0; i < a->n_cells; i++) {
                const VmmDomainNumaCell *x = &a->cells[i], *y = &b->cells[i];

                if (!d_eq_int(diff, "numa cell id", x->id, y->id) ||
                    !d_eq_str(diff, "numa cell cpus", x->cpus, y->cpus) ||
                    !d_eq_u64(diff, "numa cell memory (KiB)", x->memory_kib, y->memory_kib) ||
                    !d_eq_int(diff, "numa cell memAccess", x->mem_access, y->mem_access) ||
                    !d_eq_int(diff, "numa cell discard", x->discard, y->discard) ||
                    !d_eq_int(diff, "numa cell distances", (long long)x->n_distances,
                              (long long)y->n_distances) ||
                    !d_eq_unknown(diff, "numa cell cache", &x->caches, &y->caches))
                        return false;
                for (size_t j = 0; j < x->n_distances; j++)
                        if (!d_eq_int(diff, "numa sibling id", x->distances[j].id,
                                      y->distances[j].id) ||
                            !d_eq_int(diff, "numa sibling value", x->distances[j].value,
                                      y->distances[j].value))
                                return false;
        }
        return d_eq_unknown(diff, "numa interconnects", &a->interconnects, &b->interconnects) &&
               d_eq_unknown(diff, "numa unknown content", &a->unknown, &b->unknown);
}

void vmm_domain_numa_done(VmmDomainNuma *numa)
{
        for (size_t i = 0; i < numa->n_cells; i++) {
                free(numa->cells[i].cpus);
                free(numa->cells[i].distances);
                vmm_xml_unknown_done(&numa->cells[i].caches);
        }
        free(numa->cells);
        vmm_xml_unknown_done(&numa->interconnects);
        vmm_xml_unknown_done(&numa->unknown);
        memset(numa, 0, sizeof(*numa));
}

uint64_t vmm_domain_numa_total_kib(const VmmDomainNuma *numa)
{
        uint64_t total = 0;

        for (size_t i = 0; i < numa->n_cells; i++)
                total += numa->cells[i].memory_kib;
        return total;
}
