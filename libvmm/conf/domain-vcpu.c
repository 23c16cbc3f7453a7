/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-vcpu.c: the vCPU count <vcpu placement cpuset current> and the
 * per-vCPU hotplug state <vcpus><vcpu id enabled hotpluggable order/>. */
#include <errno.h>

#include "domain-priv.h"
#include "util/units.h"

static const char *const placement_table[] = {"static", "auto"};

static int vcpu_parse_count(xmlNodePtr node, VmmDomainDef *def, VmmError *error)
{
        static const char *const attrs[] = {"placement", "cpuset", "current", NULL};
        _cleanup_free_ char *text = NULL;
        VmmError e = VMM_ERROR_INIT;
        int r;

        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r < 0)
                return r;
        text = vmm_xml_get_text(node);
        if (!text)
                return vmm_error_oom(error);
        r = vmm_parse_uint(text, &def->vcpus_max, "vcpu", &e);
        if (r < 0) {
                r = vmm_xml_error(error, node, "\"%s\" is not a number of vCPUs (expected e.g. 2)",
                                  text);
                vmm_error_clear(&e);
                return r;
        }
        if (def->vcpus_max == 0)
                return vmm_xml_error(error, node, "must be at least 1 vCPU");
        r = vmm_xml_prop_enum(node, "placement", placement_table, (int)ARRAY_SIZE(placement_table),
                              &def->vcpu_placement, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(node, "current", &def->vcpus_current, error);
        if (r >= 0)
                vmm_domain_util_str(node, "cpuset", &def->vcpu_cpuset);
        return r < 0 ? r : 0;
}

static int vcpu_parse_info(xmlNodePtr node, VmmDomainDef *def, VmmError *error)
{
        static const char *const children[] = {"vcpu", NULL};
        static const char *const attrs[] = {"id", "enabled", "hotpluggable", "order", NULL};
        int r;

        r = vmm_domain_util_check(node, children, NULL, error);
        if (r < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmDomainVcpuInfo *v;

                if (!vmm_xml_is(c, "vcpu"))
                        continue;
                v = vmm_domain_util_grow(&def->vcpu_info, &def->n_vcpu_info, sizeof(*v));
                if (!v)
                        return vmm_error_oom(error);
                v->enabled = v->hotpluggable = DOMAIN_ABSENT;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "id", &v->id, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'id'");
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "enabled", &v->enabled, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "hotpluggable", &v->hotpluggable, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "order", &v->order, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_domain_vcpu_parse(xmlNodePtr root, VmmDomainDef *def, VmmError *error)
{
        xmlNodePtr n;
        int r;

        if ((n = vmm_xml_child(root, "vcpu"))) {
                r = vcpu_parse_count(n, def, error);
                if (r < 0)
                        return r;
        }
        if ((n = vmm_xml_child(root, "vcpus")))
                return vcpu_parse_info(n, def, error);
        return 0;
}

void vmm_domain_vcpu_format(const VmmDomainDef *def, xmlNodePtr root)
{
        char text[16];
        xmlNodePtr n;

        if (def->vcpus_max) {
                snprintf(text, sizeof(text), "%u", def->vcpus_max);
                n = vmm_xml_new_child(root, "vcpu", text);
                vmm_domain_util_set_enum(n, "placement", placement_table,
                                         (int)ARRAY_SIZE(placement_table), def->vcpu_placement);
                vmm_xml_set_prop(n, "cpuset", def->vcpu_cpuset);
                if (def->vcpus_current)
                        vmm_domain_util_set_uint(n, "current", def->vcpus_current);
        }
        if (!def->n_vcpu_info)
                return;
        n = vmm_xml_new_child(root, "vcpus", NULL);
        for (size_t i = 0; i < def->n_vcpu_info; i++) {
                const VmmDomainVcpuInfo *v = &def->vcpu_info[i];
                xmlNodePtr c = vmm_xml_new_child(n, "vcpu", NULL);

                vmm_domain_util_set_uint(c, "id", v->id);
                vmm_domain_util_set_tristate(c, "enabled", v->enabled, false);
                vmm_domain_util_set_tristate(c, "hotpluggable", v->hotpluggable, false);
                if (v->order)
                        vmm_domain_util_set_uint(c, "order", v->order);
        }
}

bool vmm_domain_vcpu_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff)
{
        if (!d_eq_int(diff, "vcpu", a->vcpus_max, b->vcpus_max) ||
            !d_eq_int(diff, "vcpu current", a->vcpus_current, b->vcpus_current) ||
            !d_eq_int(diff, "vcpu placement", a->vcpu_placement, b->vcpu_placement) ||
            !d_eq_str(diff, "vcpu cpuset", a->vcpu_cpuset, b->vcpu_cpuset) ||
            !d_eq_int(diff, "vcpus count", (long long)a->n_vcpu_info, (long long)b->n_vcpu_info))
                return false;
        for (size_t i = 0; i < a->n_vcpu_info; i++) {
                const VmmDomainVcpuInfo *x = &a->vcpu_info[i], *y = &b->vcpu_info[i];

                if (!d_eq_int(diff, "vcpus/vcpu id", x->id, y->id) ||
                    !d_eq_int(diff, "vcpus/vcpu enabled", x->enabled, y->enabled) ||
                    !d_eq_int(diff, "vcpus/vcpu hotpluggable", x->hotpluggable, y->hotpluggable) ||
                    !d_eq_int(diff, "vcpus/vcpu order", x->order, y->order))
                        return false;
        }
        return true;
}
