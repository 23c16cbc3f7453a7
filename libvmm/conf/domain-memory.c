/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-memory.c: <memory>, <maxMemory>, <currentMemory>, <memoryBacking>
 * and <memtune>. Sizes are read with their unit= and kept in KiB.
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const mb_source_table[] = {"file", "anonymous", "memfd"};
static const char *const mb_access_table[] = {"shared", "private"};
static const char *const mb_allocation_table[] = {"immediate", "ondemand"};
static const char *const memtune_names[4] = {"hard_limit", "soft_limit", "swap_hard_limit",
                                             "min_guarantee"};

int vmm_domain_memory_parse(xmlNodePtr root, unsigned int flags, VmmDomainDef *def, VmmError *error)
{
        static const char *const memory_attrs[] = {"unit", "dumpCore", NULL};
        static const char *const max_attrs[] = {"unit", "slots", NULL};
        static const char *const unit_attrs[] = {"unit", NULL};
        xmlNodePtr n;
        int r;

        if ((n = vmm_xml_child(root, "memory"))) {
                r = vmm_domain_util_check(n, NULL, memory_attrs, error);
                if (r >= 0)
                        r = vmm_domain_util_size_kib(n, &def->memory_kib, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(n, "dumpCore", &def->memory_dump_core, error);
                if (r < 0)
                        return r;
        }
        if ((n = vmm_xml_child(root, "maxMemory"))) {
                r = vmm_domain_util_check(n, NULL, max_attrs, error);
                if (r >= 0)
                        r = vmm_domain_util_size_kib(n, &def->max_memory_kib, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(n, "slots", &def->max_memory_slots, error);
                if (r < 0)
                        return r;
        }
        if ((n = vmm_xml_child(root, "currentMemory"))) {
                r = vmm_domain_util_check(n, NULL, unit_attrs, error);
                if (r >= 0)
                        r = vmm_domain_util_size_kib(n, &def->current_memory_kib, error);
                if (r < 0)
                        return r;
        }
        if ((n = vmm_xml_child(root, "memoryBacking"))) {
                r = vmm_domain_memory_backing_parse(n, flags, &def->memory_backing, error);
                if (r < 0)
                        return r;
        }
        if ((n = vmm_xml_child(root, "memtune")))
                return vmm_domain_memtune_parse(n, flags, &def->memtune, error);
        return 0;
}

void vmm_domain_memory_format(const VmmDomainDef *def, xmlNodePtr root)
{
        xmlNodePtr n;

        if (def->max_memory_kib) {
                n = vmm_domain_util_new_size(root, "maxMemory", def->max_memory_kib);
                if (def->max_memory_slots)
                        vmm_domain_util_set_uint(n, "slots", def->max_memory_slots);
        }
        n = vmm_domain_util_new_size(root, "memory", def->memory_kib);
        vmm_domain_util_set_tristate(n, "dumpCore", def->memory_dump_core, true);
        if (def->current_memory_kib)
                vmm_domain_util_new_size(root, "currentMemory", def->current_memory_kib);
        vmm_domain_memtune_format(&def->memtune, root);
        vmm_domain_memory_backing_format(&def->memory_backing, root);
}

bool vmm_domain_memory_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff)
{
        return d_eq_u64(diff, "memory (KiB)", a->memory_kib, b->memory_kib) &&
               d_eq_int(diff, "memory dumpCore", a->memory_dump_core, b->memory_dump_core) &&
               d_eq_u64(diff, "maxMemory (KiB)", a->max_memory_kib, b->max_memory_kib) &&
               d_eq_int(diff, "maxMemory slots", a->max_memory_slots, b->max_memory_slots) &&
               d_eq_u64(diff, "currentMemory (KiB)", a->current_memory_kib,
                        b->current_memory_kib) &&
               vmm_domain_memory_backing_equal(&a->memory_backing, &b->memory_backing, diff) &&
               vmm_domain_memtune_equal(&a->memtune, &b->memtune, diff);
}

/* --- <memoryBacking> --- */

static int mb_parse_hugepages(xmlNodePtr node, VmmDomainMemoryBacking *mb, VmmError *error)
{
        static const char *const children[] = {"page", NULL};
        static const char *const page_attrs[] = {"size", "unit", "nodeset", NULL};
        int r;

        mb->hugepages = true;
        r = vmm_domain_util_check(node, children, NULL, error);
        if (r < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmDomainHugepage *p;

                if (!vmm_xml_is(c, "page"))
                        continue;
                r = vmm_domain_util_check(c, NULL, page_attrs, error);
                if (r < 0)
                        return r;
                p = vmm_domain_util_grow(&mb->pages, &mb->n_pages, sizeof(*p));
                if (!p)
                        return vmm_error_oom(error);
                r = vmm_domain_util_attr_size_kib(c, "size", "unit", &p->size_kib, error);
                if (r < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'size'");
                vmm_domain_util_str(c, "nodeset", &p->nodeset);
        }
        return 0;
}

static int mb_parse_enum_child(xmlNodePtr node, const char *child, const char *attr,
                               const char *const *table, int n, int *ret, VmmError *error)
{
        const char *const attrs[] = {attr, NULL};
        xmlNodePtr c = vmm_xml_child(node, child);
        int r;

        if (!c)
                return 0;
        r = vmm_domain_util_check(c, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(c, attr, table, n, ret, error);
        if (r == 0)
                return vmm_xml_error(error, c, "missing attribute '%s'", attr);
        return r;
}

static int mb_parse_allocation(xmlNodePtr node, VmmDomainMemoryBacking *mb, VmmError *error)
{
        static const char *const attrs[] = {"mode", "threads", NULL};
        xmlNodePtr c = vmm_xml_child(node, "allocation");
        int r;

        if (!c)
                return 0;
        mb->has_allocation = true;
        r = vmm_domain_util_check(c, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(c, "mode", mb_allocation_table,
                                      (int)ARRAY_SIZE(mb_allocation_table), &mb->allocation, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(c, "threads", &mb->allocation_threads, error);
        return r;
}

int vmm_domain_memory_backing_parse(xmlNodePtr node, unsigned int flags, VmmDomainMemoryBacking *mb,
                                    VmmError *error)
{
        static const char *const children[] = {"hugepages", "nosharepages", "locked",  "source",
                                               "access",    "allocation",   "discard", NULL};
        xmlNodePtr c;
        int r;

        mb->present = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &mb->unknown, error);
        if (r < 0)
                return r;
        if ((c = vmm_xml_child(node, "hugepages"))) {
                r = mb_parse_hugepages(c, mb, error);
                if (r < 0)
                        return r;
        }
        mb->nosharepages = vmm_xml_child(node, "nosharepages") != NULL;
        mb->locked = vmm_xml_child(node, "locked") != NULL;
        mb->discard = vmm_xml_child(node, "discard") != NULL;
        r = mb_parse_enum_child(node, "source", "type", mb_source_table,
                                (int)ARRAY_SIZE(mb_source_table), &mb->source, error);
        if (r >= 0)
                r = mb_parse_enum_child(node, "access", "mode", mb_access_table,
                                        (int)ARRAY_SIZE(mb_access_table), &mb->access, error);
        if (r >= 0)
                r = mb_parse_allocation(node, mb, error);
        return r < 0 ? r : 0;
}

void vmm_domain_memory_backing_format(const VmmDomainMemoryBacking *mb, xmlNodePtr parent)
{
        xmlNodePtr node, n;

        if (!mb->present)
                return;
        node = vmm_xml_new_child(parent, "memoryBacking", NULL);
        if (mb->hugepages) {
                n = vmm_xml_new_child(node, "hugepages", NULL);
                for (size_t i = 0; i < mb->n_pages; i++) {
                        xmlNodePtr p = vmm_xml_new_child(n, "page", NULL);

                        vmm_domain_util_set_u64(p, "size", mb->pages[i].size_kib);
                        vmm_xml_set_prop(p, "unit", "KiB");
                        vmm_xml_set_prop(p, "nodeset", mb->pages[i].nodeset);
                }
        }
        if (mb->nosharepages)
                vmm_xml_new_child(node, "nosharepages", NULL);
        if (mb->locked)
                vmm_xml_new_child(node, "locked", NULL);
        if (mb->source >= 0)
                vmm_xml_set_prop(vmm_xml_new_child(node, "source", NULL), "type",
                                 mb_source_table[mb->source]);
        if (mb->access >= 0)
                vmm_xml_set_prop(vmm_xml_new_child(node, "access", NULL), "mode",
                                 mb_access_table[mb->access]);
        if (mb->has_allocation) {
                n = vmm_xml_new_child(node, "allocation", NULL);
                if (mb->allocation >= 0)
                        vmm_xml_set_prop(n, "mode", mb_allocation_table[mb->allocation]);
                if (mb->allocation_threads)
                        vmm_domain_util_set_uint(n, "threads", mb->allocation_threads);
        }
        if (mb->discard)
                vmm_xml_new_child(node, "discard", NULL);
        vmm_xml_unknown_format(&mb->unknown, node);
}

bool vmm_domain_memory_backing_equal(const VmmDomainMemoryBacking *a,
                                     const VmmDomainMemoryBacking *b, char **diff)
{
        if (!d_eq_int(diff, "memoryBacking", a->present, b->present) ||
            !d_eq_int(diff, "memoryBacking hugepages", a->hugepages, b->hugepages) ||
            !d_eq_int(diff, "memoryBacking hugepages count", (long long)a->n_pages,
                      (long long)b->n_pages))
                return false;
        for (size_t i = 0; i < a->n_pages; i++)
                if (!d_eq_u64(diff, "memoryBacking page size", a->pages[i].size_kib,
                              b->pages[i].size_kib) ||
                    !d_eq_str(diff, "memoryBacking page nodeset", a->pages[i].nodeset,
                              b->pages[i].nodeset))
                        return false;
        return d_eq_int(diff, "memoryBacking nosharepages", a->nosharepages, b->nosharepages) &&
               d_eq_int(diff, "memoryBacking locked", a->locked, b->locked) &&
               d_eq_int(diff, "memoryBacking source", a->source, b->source) &&
               d_eq_int(diff, "memoryBacking access", a->access, b->access) &&
               d_eq_int(diff, "memoryBacking allocation", a->has_allocation, b->has_allocation) &&
               d_eq_int(diff, "memoryBacking allocation mode", a->allocation, b->allocation) &&
               d_eq_int(diff, "memoryBacking allocation threads", a->allocation_threads,
                        b->allocation_threads) &&
               d_eq_int(diff, "memoryBacking discard", a->discard, b->discard) &&
               d_eq_unknown(diff, "memoryBacking unknown content", &a->unknown, &b->unknown);
}

void vmm_domain_memory_backing_done(VmmDomainMemoryBacking *mb)
{
        for (size_t i = 0; i < mb->n_pages; i++)
                free(mb->pages[i].nodeset);
        free(mb->pages);
        vmm_xml_unknown_done(&mb->unknown);
        mb->pages = NULL;
        mb->n_pages = 0;
}

/* --- <memtune> --- */

int vmm_domain_memtune_parse(xmlNodePtr node, unsigned int flags, VmmDomainMemtune *mt,
                             VmmError *error)
{
        static const char *const unit_attrs[] = {"unit", NULL};
        int r;

        mt->present = true;
        r = vmm_xml_check_node(node, memtune_names, NULL, flags, &mt->unknown, error);
        for (size_t i = 0; r >= 0 && i < 4; i++) {
                xmlNodePtr c = vmm_xml_child(node, memtune_names[i]);

                if (!c)
                        continue;
                r = vmm_domain_util_check(c, NULL, unit_attrs, error);
                if (r >= 0)
                        r = vmm_domain_util_size_kib(c, &mt->kib[i], error);
                mt->has[i] = true;
        }
        return r < 0 ? r : 0;
}

void vmm_domain_memtune_format(const VmmDomainMemtune *mt, xmlNodePtr parent)
{
        xmlNodePtr node;

        if (!mt->present)
                return;
        node = vmm_xml_new_child(parent, "memtune", NULL);
        for (size_t i = 0; i < 4; i++)
                if (mt->has[i])
                        vmm_domain_util_new_size(node, memtune_names[i], mt->kib[i]);
        vmm_xml_unknown_format(&mt->unknown, node);
}

bool vmm_domain_memtune_equal(const VmmDomainMemtune *a, const VmmDomainMemtune *b, char **diff)
{
        if (!d_eq_int(diff, "memtune", a->present, b->present))
                return false;
        for (size_t i = 0; i < 4; i++)
                if (!d_eq_int(diff, memtune_names[i], a->has[i], b->has[i]) ||
                    !d_eq_u64(diff, memtune_names[i], a->kib[i], b->kib[i]))
                        return false;
        return d_eq_unknown(diff, "memtune unknown content", &a->unknown, &b->unknown);
}
