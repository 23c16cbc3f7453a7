/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-features.c: <features>. Each feature is described once in
 * feature_specs: its element name, the one attribute it may carry with
 * the values allowed, a size child (<smm><tseg>) and whether it holds a
 * list of switches (<hyperv><relaxed state='on'/>...</hyperv>).
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const onoff[] = {"on", "off", NULL};
static const char *const yesno[] = {"yes", "no", NULL};
static const char *const gic_versions[] = {"2", "3", "host", NULL};
static const char *const ioapic_drivers[] = {"kvm", "qemu", NULL};
static const char *const hpt_resizing[] = {"enabled", "disabled", "required", NULL};
static const char *const msrs_unknown[] = {"ignore", "fault", NULL};
static const char *const cap_policies[] = {"default", "allow", "deny", NULL};
static const char *const spapr_values[] = {"broken", "workaround", "fixed", NULL};
static const char *const ibs_values[] = {"broken",    "workaround", "fixed-ibs",
                                         "fixed-ccd", "fixed-na",   NULL};
static const char *const aia_values[] = {"aplic", "aplic-imsic", "none", NULL};
static const char *const hyperv_modes[] = {"custom", "passthrough", NULL};

typedef struct FeatureSpec {
        const char *name;
        const char *attr;          /* NULL: no attribute */
        const char *const *values; /* allowed values of attr */
        const char *size_child;    /* <tseg>, <maxpagesize>, <tb-cache> */
        bool size_in_mib;          /* its unit when unit= is absent: MiB, else KiB */
        bool has_children;         /* a list of switches */
} FeatureSpec;

static const FeatureSpec feature_specs[_VMM_DOMAIN_FEATURE_MAX] = {
    [VMM_DOMAIN_FEATURE_ACPI] = {"acpi", NULL, NULL, NULL, false, false},
    [VMM_DOMAIN_FEATURE_APIC] = {"apic", "eoi", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_PAE] = {"pae", NULL, NULL, NULL, false, false},
    [VMM_DOMAIN_FEATURE_HAP] = {"hap", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_VIRIDIAN] = {"viridian", NULL, NULL, NULL, false, false},
    [VMM_DOMAIN_FEATURE_PRIVNET] = {"privnet", NULL, NULL, NULL, false, false},
    [VMM_DOMAIN_FEATURE_HYPERV] = {"hyperv", "mode", hyperv_modes, NULL, false, true},
    [VMM_DOMAIN_FEATURE_KVM] = {"kvm", NULL, NULL, NULL, false, true},
    [VMM_DOMAIN_FEATURE_XEN] = {"xen", NULL, NULL, NULL, false, true},
    [VMM_DOMAIN_FEATURE_PVSPINLOCK] = {"pvspinlock", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_CAPABILITIES] = {"capabilities", "policy", cap_policies, NULL, false, true},
    [VMM_DOMAIN_FEATURE_PMU] = {"pmu", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_VMPORT] = {"vmport", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_GIC] = {"gic", "version", gic_versions, NULL, false, false},
    [VMM_DOMAIN_FEATURE_SMM] = {"smm", "state", onoff, "tseg", true, false},
    [VMM_DOMAIN_FEATURE_IOAPIC] = {"ioapic", "driver", ioapic_drivers, NULL, false, false},
    [VMM_DOMAIN_FEATURE_HPT] = {"hpt", "resizing", hpt_resizing, "maxpagesize", false, false},
    [VMM_DOMAIN_FEATURE_VMCOREINFO] = {"vmcoreinfo", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_HTM] = {"htm", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_NESTED_HV] = {"nested-hv", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_MSRS] = {"msrs", "unknown", msrs_unknown, NULL, false, false},
    [VMM_DOMAIN_FEATURE_CCF_ASSIST] = {"ccf-assist", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_CFPC] = {"cfpc", "value", spapr_values, NULL, false, false},
    [VMM_DOMAIN_FEATURE_SBBC] = {"sbbc", "value", spapr_values, NULL, false, false},
    [VMM_DOMAIN_FEATURE_IBS] = {"ibs", "value", ibs_values, NULL, false, false},
    [VMM_DOMAIN_FEATURE_TCG] = {"tcg", NULL, NULL, "tb-cache", true, false},
    [VMM_DOMAIN_FEATURE_ASYNC_TEARDOWN] = {"async-teardown", "enabled", yesno, NULL, false, false},
    [VMM_DOMAIN_FEATURE_RAS] = {"ras", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_PS2] = {"ps2", "state", onoff, NULL, false, false},
    [VMM_DOMAIN_FEATURE_AIA] = {"aia", "value", aia_values, NULL, false, false},
};

/* Attributes a switch inside <hyperv>, <kvm>, <xen>, <capabilities> may
 * carry besides state= (spinlocks retries, vendor_id value, dirty-ring
 * size, xen passthrough mode). */
static const char *const switch_value_attrs[] = {"retries", "value", "size", "mode", NULL};

static bool value_allowed(const char *const *values, const char *v)
{
        for (; values && *values; values++)
                if (strcmp(*values, v) == 0)
                        return true;
        return !values;
}

static int feature_parse_switch(xmlNodePtr node, VmmDomainFeature *f, VmmError *error)
{
        static const char *const attrs[] = {"state", "retries", "value", "size", "mode", NULL};
        const char *nested[16];
        VmmDomainFeatureChild *c;
        size_t n = 0;
        int r;

        c = vmm_domain_util_grow(&f->children, &f->n_children, sizeof(*c));
        if (!c)
                return vmm_error_oom(error);
        c->state = DOMAIN_ABSENT;
        c->name = strdup((const char *)node->name);
        if (!c->name)
                return vmm_error_oom(error);
        /* nested switches (<stimer><direct/></stimer>) are kept verbatim */
        for (xmlNodePtr k = node->children; k && n < ARRAY_SIZE(nested) - 1; k = k->next)
                if (k->type == XML_ELEMENT_NODE && !k->ns)
                        nested[n++] = (const char *)k->name;
        nested[n] = NULL;
        r = vmm_domain_util_check(node, nested, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "state", &c->state, error);
        if (r < 0)
                return r;
        for (const char *const *a = switch_value_attrs; *a; a++) {
                if (vmm_domain_util_str(node, *a, &c->value)) {
                        c->value_attr = *a;
                        break;
                }
        }
        for (xmlNodePtr k = node->children; k; k = k->next)
                if (k->type == XML_ELEMENT_NODE && vmm_domain_util_keep(&c->children, k) < 0)
                        return vmm_error_oom(error);
        return 0;
}

static int feature_parse_one(xmlNodePtr node, const FeatureSpec *spec, VmmDomainFeature *f,
                             VmmError *error)
{
        const char *const attrs[] = {spec->attr, NULL};
        const char *const size_children[] = {spec->size_child, NULL};
        xmlNodePtr c;
        int r;

        f->present = true;
        if (!spec->has_children) {
                r = vmm_domain_util_check(node, size_children, attrs, error);
                if (r < 0)
                        return r;
        } else {
                for (xmlAttrPtr a = node->properties; a; a = a->next)
                        if (!spec->attr || !xmlStrEqual(a->name, BAD_CAST spec->attr))
                                return vmm_xml_error(error, node, "unknown attribute '%s'",
                                                     (const char *)a->name);
                for (c = node->children; c; c = c->next)
                        if (c->type == XML_ELEMENT_NODE &&
                            (r = feature_parse_switch(c, f, error)) < 0)
                                return r;
        }
        if (spec->attr && vmm_domain_util_str(node, spec->attr, &f->attr) &&
            !value_allowed(spec->values, f->attr)) {
                char expected[128] = "";

                for (const char *const *v = spec->values; *v; v++)
                        snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
                                 "%s\"%s\"", *expected ? ", " : "", *v);
                return vmm_xml_attr_error(error, node, spec->attr,
                                          "\"%s\" is not valid (expected one of %s)", f->attr,
                                          expected);
        }
        if (spec->size_child && (c = vmm_xml_child(node, spec->size_child))) {
                static const char *const unit_attrs[] = {"unit", NULL};

                r = vmm_domain_util_check(c, NULL, unit_attrs, error);
                if (r >= 0)
                        r = vmm_domain_util_size_kib_scaled(
                            c, spec->size_in_mib ? 1024 * 1024 : 1024, &f->size_kib, error);
                if (r < 0)
                        return r;
                f->has_size = true;
        }
        return 0;
}

int vmm_domain_features_parse(xmlNodePtr node, unsigned int flags, VmmDomainFeatures *f,
                              VmmError *error)
{
        const char *names[_VMM_DOMAIN_FEATURE_MAX + 1];
        int r;

        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++)
                names[i] = feature_specs[i].name;
        names[_VMM_DOMAIN_FEATURE_MAX] = NULL;
        f->present = true;
        r = vmm_xml_check_node(node, names, NULL, flags, &f->unknown, error);
        if (r >= 0)
                r = vmm_domain_util_check_single(node, names, error);
        if (r < 0)
                return r;
        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++) {
                xmlNodePtr c = vmm_xml_child(node, feature_specs[i].name);

                if (!c)
                        continue;
                r = feature_parse_one(c, &feature_specs[i], &f->f[i], error);
                if (r < 0)
                        return r;
        }
        return 0;
}

void vmm_domain_features_format(const VmmDomainFeatures *f, xmlNodePtr parent)
{
        xmlNodePtr node;

        if (!f->present)
                return;
        node = vmm_xml_new_child(parent, "features", NULL);
        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++) {
                const FeatureSpec *spec = &feature_specs[i];
                const VmmDomainFeature *x = &f->f[i];
                xmlNodePtr n;

                if (!x->present)
                        continue;
                n = vmm_xml_new_child(node, spec->name, NULL);
                if (spec->attr)
                        vmm_xml_set_prop(n, spec->attr, x->attr);
                if (x->has_size)
                        vmm_domain_util_new_size(n, spec->size_child, x->size_kib);
                for (size_t j = 0; j < x->n_children; j++) {
                        const VmmDomainFeatureChild *c = &x->children[j];
                        xmlNodePtr k = vmm_xml_new_child(n, c->name, NULL);

                        vmm_domain_util_set_tristate(k, "state", c->state, true);
                        if (c->value_attr)
                                vmm_xml_set_prop(k, c->value_attr, c->value);
                        vmm_xml_unknown_format(&c->children, k);
                }
        }
        vmm_xml_unknown_format(&f->unknown, node);
}

static bool feature_equal(const char *name, const VmmDomainFeature *a, const VmmDomainFeature *b,
                          char **diff)
{
        if (!a->present && !b->present)
                return true;
        if (a->present != b->present)
                return vmm_domain_util_differ(diff, "features: <%s> %s != %s", name,
                                              a->present ? "present" : "absent",
                                              b->present ? "present" : "absent");
        if (!d_eq_str(diff, name, a->attr, b->attr) ||
            !d_eq_int(diff, name, a->has_size, b->has_size) ||
            !d_eq_u64(diff, name, a->size_kib, b->size_kib) ||
            !d_eq_int(diff, name, (long long)a->n_children, (long long)b->n_children))
                return false;
        for (size_t i = 0; i < a->n_children; i++) {
                const VmmDomainFeatureChild *x = &a->children[i], *y = &b->children[i];

                if (!d_eq_str(diff, name, x->name, y->name) ||
                    !d_eq_int(diff, x->name, x->state, y->state) ||
                    !d_eq_str(diff, x->name, x->value_attr, y->value_attr) ||
                    !d_eq_str(diff, x->name, x->value, y->value) ||
                    !d_eq_unknown(diff, x->name, &x->children, &y->children))
                        return false;
        }
        return true;
}

bool vmm_domain_features_equal(const VmmDomainFeatures *a, const VmmDomainFeatures *b, char **diff)
{
        if (!d_eq_int(diff, "features", a->present, b->present))
                return false;
        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++)
                if (!feature_equal(feature_specs[i].name, &a->f[i], &b->f[i], diff))
                        return false;
        return d_eq_unknown(diff, "features unknown content", &a->unknown, &b->unknown);
}

void vmm_domain_features_done(VmmDomainFeatures *f)
{
        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++) {
                VmmDomainFeature *x = &f->f[i];

                free(x->attr);
                for (size_t j = 0; j < x->n_children; j++) {
                        free(x->children[j].name);
                        free(x->children[j].value);
                        vmm_xml_unknown_done(&x->children[j].children);
                }
                free(x->children);
        }
        vmm_xml_unknown_done(&f->unknown);
        memset(f, 0, sizeof(*f));
}

bool vmm_domain_def_has_feature(const VmmDomainDef *def, const char *name)
{
        for (int i = 0; i < _VMM_DOMAIN_FEATURE_MAX; i++)
                if (strcmp(feature_specs[i].name, name) == 0)
                        return def->features.f[i].present;
        return false;
}
