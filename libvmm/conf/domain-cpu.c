/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-cpu.c: <cpu mode match check migratable>: the CPU model with its
 * fallback and vendor_id, <vendor>, <topology sockets dies clusters cores
 * threads>, <feature policy name>, <cache>, <maxphysaddr>, and <numa>
 * (read by domain-numa.c).
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const cpu_mode_table[_VMM_DOMAIN_CPU_MAX] = {
        [VMM_DOMAIN_CPU_CUSTOM] = "custom",
        [VMM_DOMAIN_CPU_HOST_MODEL] = "host-model",
        [VMM_DOMAIN_CPU_HOST_PASSTHROUGH] = "host-passthrough",
        [VMM_DOMAIN_CPU_MAXIMUM] = "maximum",
};
static const char *const cpu_match_table[] = {"minimum", "exact", "strict"};
static const char *const cpu_check_table[] = {"none", "partial", "full"};
static const char *const cpu_fallback_table[] = {"allow", "forbid"};
static const char *const cpu_policy_table[_VMM_DOMAIN_CPU_POLICY_MAX] = {
        [VMM_DOMAIN_CPU_POLICY_FORCE] = "force",
        [VMM_DOMAIN_CPU_POLICY_REQUIRE] = "require",
        [VMM_DOMAIN_CPU_POLICY_OPTIONAL] = "optional",
        [VMM_DOMAIN_CPU_POLICY_DISABLE] = "disable",
        [VMM_DOMAIN_CPU_POLICY_FORBID] = "forbid",
};
static const char *const cpu_cache_mode_table[_VMM_DOMAIN_CPU_CACHE_MAX] = {
        [VMM_DOMAIN_CPU_CACHE_EMULATE] = "emulate",
        [VMM_DOMAIN_CPU_CACHE_PASSTHROUGH] = "passthrough",
        [VMM_DOMAIN_CPU_CACHE_DISABLE] = "disable",
};
static const char *const cpu_physaddr_mode_table[] = {"emulate", "passthrough"};

#define N(t) ((int)ARRAY_SIZE(t))

void vmm_domain_cpu_init(VmmDomainCpu *cpu)
{
        memset(cpu, 0, sizeof(*cpu));
        cpu->mode = cpu->match = cpu->check = cpu->migratable = DOMAIN_ABSENT;
        cpu->model_fallback = cpu->cache_level = cpu->cache_mode = DOMAIN_ABSENT;
        cpu->maxphysaddr_mode = DOMAIN_ABSENT;
}

void vmm_domain_cpu_done(VmmDomainCpu *cpu)
{
        free(cpu->model);
        free(cpu->model_vendor_id);
        free(cpu->vendor);
        for (size_t i = 0; i < cpu->n_features; i++)
                free(cpu->features[i].name);
        free(cpu->features);
        vmm_domain_numa_done(&cpu->numa);
        vmm_xml_unknown_done(&cpu->unknown);
        vmm_domain_cpu_init(cpu);
}

static int cpu_parse_model(xmlNodePtr node, VmmDomainCpu *cpu, VmmError *error)
{
        static const char *const attrs[] = {"fallback", "vendor_id", NULL};
        int r;

        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "fallback", cpu_fallback_table, N(cpu_fallback_table),
                                      &cpu->model_fallback, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "vendor_id", &cpu->model_vendor_id);
        cpu->model = vmm_xml_get_text(node);
        return cpu->model ? 0 : vmm_error_oom(error);
}

static int cpu_parse_topology(xmlNodePtr node, VmmDomainCpu *cpu, VmmError *error)
{
        static const char *const attrs[] = {"sockets", "dies",    "clusters",
                                            "cores",   "threads", NULL};
        unsigned int *fields[] = {&cpu->sockets, &cpu->dies, &cpu->clusters, &cpu->cores,
                                  &cpu->threads};
        int r;

        cpu->has_topology = true;
        r = vmm_domain_util_check(node, NULL, attrs, error);
        for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(fields); i++) {
                r = vmm_xml_prop_uint(node, attrs[i], fields[i], error);
                if (r > 0 && *fields[i] == 0)
                        return vmm_xml_attr_error(error, node, attrs[i], "must be at least 1");
        }
        return r < 0 ? r : 0;
}

static int cpu_parse_feature(xmlNodePtr node, VmmDomainCpu *cpu, VmmError *error)
{
        static const char *const attrs[] = {"policy", "name", NULL};
        VmmDomainCpuFeature *f;
        int r;

        f = vmm_domain_util_grow(&cpu->features, &cpu->n_features, sizeof(*f));
        if (!f)
                return vmm_error_oom(error);
        f->policy = DOMAIN_ABSENT;
        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "policy", cpu_policy_table, N(cpu_policy_table),
                                      &f->policy, error);
        if (r < 0)
                return r;
        if (!vmm_domain_util_str(node, "name", &f->name))
                return vmm_xml_error(error, node, "missing attribute 'name'");
        for (size_t i = 0; i + 1 < cpu->n_features; i++)
                if (strcmp(cpu->features[i].name, f->name) == 0)
                        return vmm_xml_error(error, node, "CPU feature '%s' given twice", f->name);
        return 0;
}

static int cpu_parse_extras(xmlNodePtr node, unsigned int flags, VmmDomainCpu *cpu, VmmError *error)
{
        static const char *const cache_attrs[] = {"level", "mode", NULL};
        static const char *const phys_attrs[] = {"mode", "bits", "limit", NULL};
        xmlNodePtr c;
        int r = 0;

        if ((c = vmm_xml_child(node, "cache"))) {
                cpu->has_cache = true;
                r = vmm_domain_util_check(c, NULL, cache_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_int(c, "level", &cpu->cache_level, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "mode", cpu_cache_mode_table,
                                              N(cpu_cache_mode_table), &cpu->cache_mode, error);
                if (r == 0)
                        r = vmm_xml_error(error, c, "missing attribute 'mode'");
        }
        if (r >= 0 && (c = vmm_xml_child(node, "maxphysaddr"))) {
                cpu->has_maxphysaddr = true;
                r = vmm_domain_util_check(c, NULL, phys_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "mode", cpu_physaddr_mode_table,
                                              N(cpu_physaddr_mode_table), &cpu->maxphysaddr_mode,
                                              error);
                if (r == 0)
                        r = vmm_xml_error(error, c, "missing attribute 'mode'");
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "bits", &cpu->maxphysaddr_bits, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "limit", &cpu->maxphysaddr_limit, error);
        }
        if (r >= 0 && (c = vmm_xml_child(node, "numa")))
                r = vmm_domain_numa_parse(c, flags, &cpu->numa, error);
        return r < 0 ? r : 0;
}

int vmm_domain_cpu_parse(xmlNodePtr node, unsigned int flags, VmmDomainCpu *cpu, VmmError *error)
{
        static const char *const children[] = {"model", "vendor",      "topology", "feature",
                                               "cache", "maxphysaddr", "numa",     NULL};
        static const char *const single[] = {"model",       "vendor", "topology", "cache",
                                             "maxphysaddr", "numa",   NULL};
        static const char *const attrs[] = {"mode", "match", "check", "migratable", NULL};
        xmlNodePtr c;
        int r;

        cpu->present = true;
        r = vmm_xml_check_node(node, children, attrs, flags, &cpu->unknown, error);
        if (r >= 0)
                r = vmm_domain_util_check_single(node, single, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "mode", cpu_mode_table, N(cpu_mode_table), &cpu->mode,
                                      error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "match", cpu_match_table, N(cpu_match_table),
                                      &cpu->match, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "check", cpu_check_table, N(cpu_check_table),
                                      &cpu->check, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "migratable", &cpu->migratable, error);
        if (r >= 0 && (c = vmm_xml_child(node, "model")))
                r = cpu_parse_model(c, cpu, error);
        if (r >= 0 && vmm_domain_util_child_str(node, "vendor", &cpu->vendor) < 0)
                r = vmm_error_oom(error);
        if (r >= 0 && (c = vmm_xml_child(node, "topology")))
                r = cpu_parse_topology(c, cpu, error);
        for (c = node->children; r >= 0 && c; c = c->next)
                if (vmm_xml_is(c, "feature"))
                        r = cpu_parse_feature(c, cpu, error);
        if (r >= 0)
                r = cpu_parse_extras(node, flags, cpu, error);
        return r < 0 ? r : 0;
}

static void cpu_format_topology(const VmmDomainCpu *cpu, xmlNodePtr node)
{
        static const char *const names[] = {"sockets", "dies", "clusters", "cores", "threads"};
        const unsigned int values[] = {cpu->sockets, cpu->dies, cpu->clusters, cpu->cores,
                                       cpu->threads};
        xmlNodePtr n = vmm_xml_new_child(node, "topology", NULL);

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (values[i])
                        vmm_domain_util_set_uint(n, names[i], values[i]);
}

void vmm_domain_cpu_format(const VmmDomainCpu *cpu, xmlNodePtr parent)
{
        xmlNodePtr node, n;

        if (!cpu->present)
                return;
        node = vmm_xml_new_child(parent, "cpu", NULL);
        vmm_domain_util_set_enum(node, "mode", cpu_mode_table, N(cpu_mode_table), cpu->mode);
        vmm_domain_util_set_enum(node, "match", cpu_match_table, N(cpu_match_table), cpu->match);
        vmm_domain_util_set_enum(node, "check", cpu_check_table, N(cpu_check_table), cpu->check);
        vmm_domain_util_set_tristate(node, "migratable", cpu->migratable, true);
        if (cpu->model) {
                n = vmm_xml_new_child(node, "model", cpu->model);
                vmm_domain_util_set_enum(n, "fallback", cpu_fallback_table, N(cpu_fallback_table),
                                         cpu->model_fallback);
                vmm_xml_set_prop(n, "vendor_id", cpu->model_vendor_id);
        }
        if (cpu->vendor)
                vmm_xml_new_child(node, "vendor", cpu->vendor);
        if (cpu->has_topology)
                cpu_format_topology(cpu, node);
        if (cpu->has_cache) {
                n = vmm_xml_new_child(node, "cache", NULL);
                if (cpu->cache_level >= 0)
                        vmm_xml_set_propf(n, "level", "%d", cpu->cache_level);
                vmm_domain_util_set_enum(n, "mode", cpu_cache_mode_table, N(cpu_cache_mode_table),
                                         cpu->cache_mode);
        }
        if (cpu->has_maxphysaddr) {
                n = vmm_xml_new_child(node, "maxphysaddr", NULL);
                vmm_domain_util_set_enum(n, "mode", cpu_physaddr_mode_table,
                                         N(cpu_physaddr_mode_table), cpu->maxphysaddr_mode);
                if (cpu->maxphysaddr_bits)
                        vmm_domain_util_set_uint(n, "bits", cpu->maxphysaddr_bits);
                if (cpu->maxphysaddr_limit)
                        vmm_domain_util_set_uint(n, "limit", cpu->maxphysaddr_limit);
        }
        for (size_t i = 0; i < cpu->n_features; i++) {
                n = vmm_xml_new_child(node, "feature", NULL);
                vmm_domain_util_set_enum(n, "policy", cpu_policy_table, N(cpu_policy_table),
                                         cpu->features[i].policy);
                vmm_xml_set_prop(n, "name", cpu->features[i].name);
        }
        vmm_domain_numa_format(&cpu->numa, node);
        vmm_xml_unknown_format(&cpu->unknown, node);
}

static bool cpu_equal_parts(const VmmDomainCpu *a, const VmmDomainCpu *b, char **diff)
{
        return d_eq_int(diff, "cpu topology", a->has_topology, b->has_topology) &&
               d_eq_int(diff, "cpu topology sockets", a->sockets, b->sockets) &&
               d_eq_int(diff, "cpu topology dies", a->dies, b->dies) &&
               d_eq_int(diff, "cpu topology clusters", a->clusters, b->clusters) &&
               d_eq_int(diff, "cpu topology cores", a->cores, b->cores) &&
               d_eq_int(diff, "cpu topology threads", a->threads, b->threads) &&
               d_eq_int(diff, "cpu cache", a->has_cache, b->has_cache) &&
               d_eq_int(diff, "cpu cache level", a->cache_level, b->cache_level) &&
               d_eq_int(diff, "cpu cache mode", a->cache_mode, b->cache_mode) &&
               d_eq_int(diff, "cpu maxphysaddr", a->has_maxphysaddr, b->has_maxphysaddr) &&
               d_eq_int(diff, "cpu maxphysaddr mode", a->maxphysaddr_mode, b->maxphysaddr_mode) &&
               d_eq_int(diff, "cpu maxphysaddr bits", a->maxphysaddr_bits, b->maxphysaddr_bits) &&
               d_eq_int(diff, "cpu maxphysaddr limit", a->maxphysaddr_limit, b->maxphysaddr_limit);
}

bool vmm_domain_cpu_equal(const VmmDomainCpu *a, const VmmDomainCpu *b, char **diff)
{
        if (!d_eq_int(diff, "cpu", a->present, b->present) ||
            !d_eq_int(diff, "cpu mode", a->mode, b->mode) ||
            !d_eq_int(diff, "cpu match", a->match, b->match) ||
            !d_eq_int(diff, "cpu check", a->check, b->check) ||
            !d_eq_int(diff, "cpu migratable", a->migratable, b->migratable) ||
            !d_eq_str(diff, "cpu model", a->model, b->model) ||
            !d_eq_int(diff, "cpu model fallback", a->model_fallback, b->model_fallback) ||
            !d_eq_str(diff, "cpu model vendor_id", a->model_vendor_id, b->model_vendor_id) ||
            !d_eq_str(diff, "cpu vendor", a->vendor, b->vendor) || !cpu_equal_parts(a, b, diff) ||
            !d_eq_int(diff, "cpu features", (long long)a->n_features, (long long)b->n_features))
                return false;
        for (size_t i = 0; i < a->n_features; i++)
                if (!d_eq_str(diff, "cpu feature", a->features[i].name, b->features[i].name) ||
                    !d_eq_int(diff, "cpu feature policy", a->features[i].policy,
                              b->features[i].policy))
                        return false;
        return vmm_domain_numa_equal(&a->numa, &b->numa, diff) &&
               d_eq_unknown(diff, "cpu unknown content", &a->unknown, &b->unknown);
}
