/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-tune.c: host-side tuning: <cputune> (shares, periods and quotas,
 * vcpupin, emulatorpin, iothreadpin, vcpusched, iothreadsched,
 * emulatorsched), <numatune> (<memory>, <memnode>) and <blkiotune>.
 */
#include <errno.h>

#include "domain-priv.h"
#include "util/units.h"

static const char *const cputune_names[_VMM_CPUTUNE_VALUE_MAX] = {
    [VMM_CPUTUNE_SHARES] = "shares",
    [VMM_CPUTUNE_PERIOD] = "period",
    [VMM_CPUTUNE_QUOTA] = "quota",
    [VMM_CPUTUNE_GLOBAL_PERIOD] = "global_period",
    [VMM_CPUTUNE_GLOBAL_QUOTA] = "global_quota",
    [VMM_CPUTUNE_EMULATOR_PERIOD] = "emulator_period",
    [VMM_CPUTUNE_EMULATOR_QUOTA] = "emulator_quota",
    [VMM_CPUTUNE_IOTHREAD_PERIOD] = "iothread_period",
    [VMM_CPUTUNE_IOTHREAD_QUOTA] = "iothread_quota",
};
static const char *const sched_table[] = {"other", "batch", "idle", "fifo", "rr"};
static const char *const numa_mode_table[] = {"strict", "preferred", "interleave", "restrictive"};
static const char *const numa_placement_table[] = {"static", "auto"};
static const char *const blkio_names[4] = {"read_bytes_sec", "write_bytes_sec", "read_iops_sec",
                                           "write_iops_sec"};

#define N(t) ((int)ARRAY_SIZE(t))

void vmm_domain_tune_init(VmmDomainTune *tune)
{
        memset(tune, 0, sizeof(*tune));
        tune->numa_mode = tune->numa_placement = DOMAIN_ABSENT;
        tune->default_pool_min = tune->default_pool_max = DOMAIN_ABSENT;
}

static void sched_done(VmmDomainSched *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(s[i].ids);
        free(s);
}

void vmm_domain_tune_done(VmmDomainTune *tune)
{
        for (size_t i = 0; i < tune->n_vcpupins; i++)
                free(tune->vcpupins[i].cpuset);
        free(tune->vcpupins);
        for (size_t i = 0; i < tune->n_iothreadpins; i++)
                free(tune->iothreadpins[i].cpuset);
        free(tune->iothreadpins);
        free(tune->emulatorpin);
        sched_done(tune->vcpuscheds, tune->n_vcpuscheds);
        sched_done(tune->iothreadscheds, tune->n_iothreadscheds);
        free(tune->emulatorsched.ids);
        free(tune->numa_nodeset);
        for (size_t i = 0; i < tune->n_memnodes; i++)
                free(tune->memnodes[i].nodeset);
        free(tune->memnodes);
        for (size_t i = 0; i < tune->n_blkio_devices; i++)
                free(tune->blkio_devices[i].path);
        free(tune->blkio_devices);
        free(tune->iothreadids);
        for (size_t i = 0; i < ARRAY_SIZE(tune->unknown); i++)
                vmm_xml_unknown_done(&tune->unknown[i]);
        vmm_domain_tune_init(tune);
}

static int tune_parse_pin(xmlNodePtr node, const char *id_attr, VmmDomainPin **pins, size_t *n,
                          VmmError *error)
{
        const char *const attrs[] = {id_attr, "cpuset", NULL};
        VmmDomainPin *p = vmm_domain_util_grow(pins, n, sizeof(*p));
        int r;

        if (!p)
                return vmm_error_oom(error);
        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_uint(node, id_attr, &p->id, error);
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute '%s'", id_attr);
        if (r >= 0 && !vmm_domain_util_str(node, "cpuset", &p->cpuset))
                return vmm_xml_error(error, node, "missing attribute 'cpuset'");
        return r < 0 ? r : 0;
}

static int tune_parse_sched(xmlNodePtr node, const char *ids_attr, VmmDomainSched *s,
                            VmmError *error)
{
        const char *const attrs[] = {"scheduler", "priority", ids_attr, NULL};
        int r;

        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "scheduler", sched_table, N(sched_table), &s->scheduler,
                                      error);
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'scheduler'");
        if (r >= 0)
                r = vmm_xml_prop_int(node, "priority", &s->priority, error);
        s->has_priority = r > 0;
        if (r >= 0 && ids_attr)
                vmm_domain_util_str(node, ids_attr, &s->ids);
        return r < 0 ? r : 0;
}

static int tune_parse_cputune_value(xmlNodePtr c, VmmDomainTune *tune, int i, VmmError *error)
{
        _cleanup_free_ char *text = vmm_xml_get_text(c);
        long long v;
        char *end;
        int r;

        if (!text)
                return vmm_error_oom(error);
        r = vmm_domain_util_check(c, NULL, NULL, error);
        if (r < 0)
                return r;
        errno = 0;
        v = strtoll(text, &end, 10);
        if (!*text || *end || errno)
                return vmm_xml_error(error, c, "\"%s\" is not a number", text);
        tune->value[i] = v;
        tune->has_value[i] = true;
        return 0;
}

static int tune_parse_cputune(xmlNodePtr node, unsigned int flags, VmmDomainTune *tune,
                              VmmError *error)
{
        static const char *const children[] = {
            "shares",         "period",          "quota",          "global_period",
            "global_quota",   "emulator_period", "emulator_quota", "iothread_period",
            "iothread_quota", "vcpupin",         "emulatorpin",    "iothreadpin",
            "vcpusched",      "iothreadsched",   "emulatorsched",  NULL,
        };
        int r;

        tune->cputune = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &tune->unknown[0], error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainSched *s;
                int i;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                i = vmm_enum_from_string(cputune_names, _VMM_CPUTUNE_VALUE_MAX,
                                         (const char *)c->name);
                if (i >= 0)
                        r = tune_parse_cputune_value(c, tune, i, error);
                else if (vmm_xml_is(c, "vcpupin"))
                        r = tune_parse_pin(c, "vcpu", &tune->vcpupins, &tune->n_vcpupins, error);
                else if (vmm_xml_is(c, "iothreadpin"))
                        r = tune_parse_pin(c, "iothread", &tune->iothreadpins,
                                           &tune->n_iothreadpins, error);
                else if (vmm_xml_is(c, "emulatorpin")) {
                        static const char *const attrs[] = {"cpuset", NULL};

                        r = vmm_domain_util_check(c, NULL, attrs, error);
                        if (r >= 0 && !vmm_domain_util_str(c, "cpuset", &tune->emulatorpin))
                                r = vmm_xml_error(error, c, "missing attribute 'cpuset'");
                } else if (vmm_xml_is(c, "emulatorsched")) {
                        tune->has_emulatorsched = true;
                        r = tune_parse_sched(c, NULL, &tune->emulatorsched, error);
                } else if (vmm_xml_is(c, "vcpusched") || vmm_xml_is(c, "iothreadsched")) {
                        bool vcpu = vmm_xml_is(c, "vcpusched");

                        s = vcpu ? vmm_domain_util_grow(&tune->vcpuscheds, &tune->n_vcpuscheds,
                                                        sizeof(*s))
                                 : vmm_domain_util_grow(&tune->iothreadscheds,
                                                        &tune->n_iothreadscheds, sizeof(*s));
                        if (!s)
                                return vmm_error_oom(error);
                        r = tune_parse_sched(c, vcpu ? "vcpus" : "iothreads", s, error);
                }
        }
        return r < 0 ? r : 0;
}

static int tune_parse_numatune(xmlNodePtr node, unsigned int flags, VmmDomainTune *tune,
                               VmmError *error)
{
        static const char *const children[] = {"memory", "memnode", NULL};
        static const char *const mem_attrs[] = {"mode", "placement", "nodeset", NULL};
        static const char *const node_attrs[] = {"cellid", "mode", "nodeset", NULL};
        xmlNodePtr m;
        int r;

        tune->numatune = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &tune->unknown[1], error);
        if (r >= 0 && (m = vmm_xml_child(node, "memory"))) {
                tune->has_numa_memory = true;
                r = vmm_domain_util_check(m, NULL, mem_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(m, "mode", numa_mode_table, N(numa_mode_table),
                                              &tune->numa_mode, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(m, "placement", numa_placement_table,
                                              N(numa_placement_table), &tune->numa_placement,
                                              error);
                vmm_domain_util_str(m, "nodeset", &tune->numa_nodeset);
        }
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainNumaMemnode *mn;

                if (!vmm_xml_is(c, "memnode"))
                        continue;
                mn = vmm_domain_util_grow(&tune->memnodes, &tune->n_memnodes, sizeof(*mn));
                if (!mn)
                        return vmm_error_oom(error);
                mn->mode = DOMAIN_ABSENT;
                r = vmm_domain_util_check(c, NULL, node_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "cellid", &mn->cellid, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'cellid'");
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "mode", numa_mode_table, N(numa_mode_table),
                                              &mn->mode, error);
                if (r >= 0 && !vmm_domain_util_str(c, "nodeset", &mn->nodeset))
                        r = vmm_xml_error(error, c, "missing attribute 'nodeset'");
        }
        return r < 0 ? r : 0;
}

static int tune_parse_blkio_device(xmlNodePtr node, VmmDomainTune *tune, VmmError *error)
{
        static const char *const children[] = {
            "path",           "weight", "read_bytes_sec", "write_bytes_sec", "read_iops_sec",
            "write_iops_sec", NULL};
        VmmDomainBlkioDevice *d;
        _cleanup_free_ char *w = NULL;
        int r;

        d = vmm_domain_util_grow(&tune->blkio_devices, &tune->n_blkio_devices, sizeof(*d));
        if (!d)
                return vmm_error_oom(error);
        r = vmm_domain_util_check(node, children, NULL, error);
        if (r < 0)
                return r;
        if (vmm_domain_util_child_str(node, "path", &d->path) <= 0)
                return vmm_xml_error(error, node, "missing <path>");
        if (vmm_domain_util_child_str(node, "weight", &w) > 0 &&
            vmm_parse_uint(w, &d->weight, "weight", NULL) < 0)
                return vmm_xml_error(error, vmm_xml_child(node, "weight"), "\"%s\" is not a number",
                                     w);
        for (size_t i = 0; i < 4; i++) {
                _cleanup_free_ char *v = NULL;

                if (vmm_domain_util_child_str(node, blkio_names[i], &v) <= 0)
                        continue;
                if (vmm_parse_uint64(v, &d->v[i], blkio_names[i], NULL) < 0)
                        return vmm_xml_error(error, vmm_xml_child(node, blkio_names[i]),
                                             "\"%s\" is not a number", v);
                d->has[i] = true;
        }
        return 0;
}

static int tune_parse_blkiotune(xmlNodePtr node, unsigned int flags, VmmDomainTune *tune,
                                VmmError *error)
{
        static const char *const children[] = {"weight", "device", NULL};
        _cleanup_free_ char *w = NULL;
        int r;

        tune->blkiotune = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &tune->unknown[2], error);
        if (r < 0)
                return r;
        if (vmm_domain_util_child_str(node, "weight", &w) > 0 &&
            vmm_parse_uint(w, &tune->blkio_weight, "weight", NULL) < 0)
                return vmm_xml_error(error, vmm_xml_child(node, "weight"), "\"%s\" is not a number",
                                     w);
        for (xmlNodePtr c = node->children; c; c = c->next)
                if (vmm_xml_is(c, "device") && (r = tune_parse_blkio_device(c, tune, error)) < 0)
                        return r;
        return 0;
}

int vmm_domain_tune_parse(xmlNodePtr root, unsigned int flags, VmmDomainTune *tune, VmmError *error)
{
        xmlNodePtr n;
        int r = 0;

        if ((n = vmm_xml_child(root, "cputune")))
                r = tune_parse_cputune(n, flags, tune, error);
        if (r >= 0 && (n = vmm_xml_child(root, "numatune")))
                r = tune_parse_numatune(n, flags, tune, error);
        if (r >= 0 && (n = vmm_xml_child(root, "blkiotune")))
                r = tune_parse_blkiotune(n, flags, tune, error);
        if (r >= 0)
                r = vmm_domain_iothread_parse(root, tune, error);
        return r;
}

static void tune_format_sched(xmlNodePtr parent, const char *name, const char *ids_attr,
                              const VmmDomainSched *s)
{
        xmlNodePtr n = vmm_xml_new_child(parent, name, NULL);

        if (ids_attr)
                vmm_xml_set_prop(n, ids_attr, s->ids);
        vmm_domain_util_set_enum(n, "scheduler", sched_table, N(sched_table), s->scheduler);
        if (s->has_priority)
                vmm_xml_set_propf(n, "priority", "%d", s->priority);
}

static void tune_format_cputune(const VmmDomainTune *tune, xmlNodePtr root)
{
        xmlNodePtr node = vmm_xml_new_child(root, "cputune", NULL);
        char text[32];

        for (int i = 0; i < _VMM_CPUTUNE_VALUE_MAX; i++) {
                if (!tune->has_value[i])
                        continue;
                snprintf(text, sizeof(text), "%lld", tune->value[i]);
                vmm_xml_new_child(node, cputune_names[i], text);
        }
        for (size_t i = 0; i < tune->n_vcpupins; i++) {
                xmlNodePtr n = vmm_xml_new_child(node, "vcpupin", NULL);

                vmm_domain_util_set_uint(n, "vcpu", tune->vcpupins[i].id);
                vmm_xml_set_prop(n, "cpuset", tune->vcpupins[i].cpuset);
        }
        if (tune->emulatorpin)
                vmm_xml_set_prop(vmm_xml_new_child(node, "emulatorpin", NULL), "cpuset",
                                 tune->emulatorpin);
        for (size_t i = 0; i < tune->n_iothreadpins; i++) {
                xmlNodePtr n = vmm_xml_new_child(node, "iothreadpin", NULL);

                vmm_domain_util_set_uint(n, "iothread", tune->iothreadpins[i].id);
                vmm_xml_set_prop(n, "cpuset", tune->iothreadpins[i].cpuset);
        }
        for (size_t i = 0; i < tune->n_vcpuscheds; i++)
                tune_format_sched(node, "vcpusched", "vcpus", &tune->vcpuscheds[i]);
        for (size_t i = 0; i < tune->n_iothreadscheds; i++)
                tune_format_sched(node, "iothreadsched", "iothreads", &tune->iothreadscheds[i]);
        if (tune->has_emulatorsched)
                tune_format_sched(node, "emulatorsched", NULL, &tune->emulatorsched);
        vmm_xml_unknown_format(&tune->unknown[0], node);
}

static void tune_format_numatune(const VmmDomainTune *tune, xmlNodePtr root)
{
        xmlNodePtr node = vmm_xml_new_child(root, "numatune", NULL);

        if (tune->has_numa_memory) {
                xmlNodePtr m = vmm_xml_new_child(node, "memory", NULL);

                vmm_domain_util_set_enum(m, "mode", numa_mode_table, N(numa_mode_table),
                                         tune->numa_mode);
                vmm_domain_util_set_enum(m, "placement", numa_placement_table,
                                         N(numa_placement_table), tune->numa_placement);
                vmm_xml_set_prop(m, "nodeset", tune->numa_nodeset);
        }
        for (size_t i = 0; i < tune->n_memnodes; i++) {
                xmlNodePtr m = vmm_xml_new_child(node, "memnode", NULL);

                vmm_domain_util_set_uint(m, "cellid", tune->memnodes[i].cellid);
                vmm_domain_util_set_enum(m, "mode", numa_mode_table, N(numa_mode_table),
                                         tune->memnodes[i].mode);
                vmm_xml_set_prop(m, "nodeset", tune->memnodes[i].nodeset);
        }
        vmm_xml_unknown_format(&tune->unknown[1], node);
}

static void tune_format_blkiotune(const VmmDomainTune *tune, xmlNodePtr root)
{
        xmlNodePtr node = vmm_xml_new_child(root, "blkiotune", NULL);
        char text[32];

        if (tune->blkio_weight) {
                snprintf(text, sizeof(text), "%u", tune->blkio_weight);
                vmm_xml_new_child(node, "weight", text);
        }
        for (size_t i = 0; i < tune->n_blkio_devices; i++) {
                const VmmDomainBlkioDevice *d = &tune->blkio_devices[i];
                xmlNodePtr n = vmm_xml_new_child(node, "device", NULL);

                vmm_xml_new_child(n, "path", d->path);
                if (d->weight) {
                        snprintf(text, sizeof(text), "%u", d->weight);
                        vmm_xml_new_child(n, "weight", text);
                }
                for (size_t j = 0; j < 4; j++) {
                        if (!d->has[j])
                                continue;
                        snprintf(text, sizeof(text), "%" PRIu64, d->v[j]);
                        vmm_xml_new_child(n, blkio_names[j], text);
                }
        }
        vmm_xml_unknown_format(&tune->unknown[2], node);
}

/* The caller's element order (libvirt's): blkiotune comes right after
 * memory, the rest after the vCPU elements; domain.c calls this once, at
 * the later place, which the schema's interleave allows. */
void vmm_domain_tune_format(const VmmDomainTune *tune, xmlNodePtr root)
{
        if (tune->blkiotune)
                tune_format_blkiotune(tune, root);
        vmm_domain_iothread_format(tune, root);
        if (tune->cputune)
                tune_format_cputune(tune, root);
        if (tune->numatune)
                tune_format_numatune(tune, root);
}

static bool tune_sched_equal(const char *what, const VmmDomainSched *a, const VmmDomainSched *b,
                             char **diff)
{
        return d_eq_str(diff, what, a->ids, b->ids) &&
               d_eq_int(diff, what, a->scheduler, b->scheduler) &&
               d_eq_int(diff, what, a->has_priority, b->has_priority) &&
               d_eq_int(diff, what, a->priority, b->priority);
}

static bool tune_pins_equal(const char *what, const VmmDomainPin *a, size_t na,
                            const VmmDomainPin *b, size_t nb, char **diff)
{
        if (!d_eq_int(diff, what, (long long)na, (long long)nb))
                return false;
        for (size_t i = 0; i < na; i++)
                if (!d_eq_int(diff, what, a[i].id, b[i].id) ||
                    !d_eq_str(diff, what, a[i].cpuset, b[i].cpuset))
                        return false;
        return true;
}

static bool tune_cputune_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff)
{
        if (!d_eq_int(diff, "cputune", a->cputune, b->cputune))
                return false;
        for (int i = 0; i < _VMM_CPUTUNE_VALUE_MAX; i++)
                if (!d_eq_int(diff, cputune_names[i], a->has_value[i], b->has_value[i]) ||
                    !d_eq_int(diff, cputune_names[i], a->value[i], b->value[i]))
                        return false;
        if (!tune_pins_equal("cputune vcpupin", a->vcpupins, a->n_vcpupins, b->vcpupins,
                             b->n_vcpupins, diff) ||
            !tune_pins_equal("cputune iothreadpin", a->iothreadpins, a->n_iothreadpins,
                             b->iothreadpins, b->n_iothreadpins, diff) ||
            !d_eq_str(diff, "cputune emulatorpin", a->emulatorpin, b->emulatorpin) ||
            !d_eq_int(diff, "cputune vcpusched", (long long)a->n_vcpuscheds,
                      (long long)b->n_vcpuscheds) ||
            !d_eq_int(diff, "cputune iothreadsched", (long long)a->n_iothreadscheds,
                      (long long)b->n_iothreadscheds) ||
            !d_eq_int(diff, "cputune emulatorsched", a->has_emulatorsched, b->has_emulatorsched) ||
            !tune_sched_equal("cputune emulatorsched", &a->emulatorsched, &b->emulatorsched, diff))
                return false;
        for (size_t i = 0; i < a->n_vcpuscheds; i++)
                if (!tune_sched_equal("cputune vcpusched", &a->vcpuscheds[i], &b->vcpuscheds[i],
                                      diff))
                        return false;
        for (size_t i = 0; i < a->n_iothreadscheds; i++)
                if (!tune_sched_equal("cputune iothreadsched", &a->iothreadscheds[i],
                                      &b->iothreadscheds[i], diff))
                        return false;
        return true;
}

static bool tune_numatune_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff)
{
        if (!d_eq_int(diff, "numatune", a->numatune, b->numatune) ||
            !d_eq_int(diff, "numatune memory", a->has_numa_memory, b->has_numa_memory) ||
            !d_eq_int(diff, "numatune memory mode", a->numa_mode, b->numa_mode) ||
            !d_eq_int(diff, "numatune memory placement", a->numa_placement, b->numa_placement) ||
            !d_eq_str(diff, "numatune memory nodeset", a->numa_nodeset, b->numa_nodeset) ||
            !d_eq_int(diff, "numatune memnodes", (long long)a->n_memnodes,
                      (long long)b->n_memnodes))
                return false;
        for (size_t i = 0; i < a->n_memnodes; i++)
                if (!d_eq_int(diff, "numatune memnode cellid", a->memnodes[i].cellid,
                              b->memnodes[i].cellid) ||
                    !d_eq_int(diff, "numatune memnode mode", a->memnodes[i].mode,
                              b->memnodes[i].mode) ||
                    !d_eq_str(diff, "numatune memnode nodeset", a->memnodes[i].nodeset,
                              b->memnodes[i].nodeset))
                        return false;
        return true;
}

static bool tune_blkiotune_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff)
{
        if (!d_eq_int(diff, "blkiotune", a->blkiotune, b->blkiotune) ||
            !d_eq_int(diff, "blkiotune weight", a->blkio_weight, b->blkio_weight) ||
            !d_eq_int(diff, "blkiotune devices", (long long)a->n_blkio_devices,
                      (long long)b->n_blkio_devices))
                return false;
        for (size_t i = 0; i < a->n_blkio_devices; i++) {
                const VmmDomainBlkioDevice *x = &a->blkio_devices[i], *y = &b->blkio_devices[i];

                if (!d_eq_str(diff, "blkiotune device path", x->path, y->path) ||
                    !d_eq_int(diff, "blkiotune device weight", x->weight, y->weight))
                        return false;
                for (size_t j = 0; j < 4; j++)
                        if (!d_eq_int(diff, blkio_names[j], x->has[j], y->has[j]) ||
                            !d_eq_u64(diff, blkio_names[j], x->v[j], y->v[j]))
                                return false;
        }
        return true;
}

bool vmm_domain_tune_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff)
{
        for (size_t i = 0; i < ARRAY_SIZE(a->unknown); i++)
                if (!d_eq_unknown(diff, "cputune/numatune/blkiotune unknown content",
                                  &a->unknown[i], &b->unknown[i]))
                        return false;
        return tune_cputune_equal(a, b, diff) && tune_numatune_equal(a, b, diff) &&
               tune_blkiotune_equal(a, b, diff) && vmm_domain_iothread_equal(a, b, diff);
}
