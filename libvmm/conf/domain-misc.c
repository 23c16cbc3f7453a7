/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-misc.c: the smaller top-level sections: <pm>, <idmap>,
 * <seclabel>, <keywrap>, <launchSecurity>, <resource>, <perf>,
 * <bootloader>, <bootloader_args>. <sysinfo> is in
 * domain-sysinfo.c.
 */
#include <errno.h>

#include "domain-priv.h"
#include "util/units.h"

static const char *const seclabel_type_table[] = {"dynamic", "static", "none"};
static const char *const cipher_table[] = {"aes", "dea"};
static const char *const ls_type_table[] = {"sev", "sev-snp", "s390-pv"};

#define N(t) ((int)ARRAY_SIZE(t))

void vmm_domain_misc_init(VmmDomainMisc *misc)
{
        memset(misc, 0, sizeof(*misc));
        misc->pm_suspend_to_mem = misc->pm_suspend_to_disk = DOMAIN_ABSENT;
        misc->keywrap[0] = misc->keywrap[1] = DOMAIN_ABSENT;
        misc->ls_type = misc->ls_kernel_hashes = DOMAIN_ABSENT;
}

void vmm_domain_misc_done(VmmDomainMisc *misc)
{
        free(misc->uids);
        free(misc->gids);
        for (size_t i = 0; i < misc->n_seclabels; i++) {
                VmmDomainSeclabel *s = &misc->seclabels[i];

                free(s->model);
                free(s->label);
                free(s->imagelabel);
                free(s->baselabel);
        }
        free(misc->seclabels);
        vmm_domain_sysinfo_free(misc->sysinfos, misc->n_sysinfos);
        free(misc->ls_policy);
        free(misc->ls_dh_cert);
        free(misc->ls_session);
        free(misc->resource_partition);
        for (size_t i = 0; i < misc->n_perf_events; i++)
                free(misc->perf_events[i]);
        free(misc->perf_events);
        free(misc->perf_enabled);
        free(misc->bootloader);
        free(misc->bootloader_args);
        for (size_t i = 0; i < ARRAY_SIZE(misc->unknown); i++)
                vmm_xml_unknown_done(&misc->unknown[i]);
        vmm_domain_misc_init(misc);
}

static int misc_parse_pm(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc, VmmError *error)
{
        static const char *const children[] = {"suspend-to-mem", "suspend-to-disk", NULL};
        static const char *const attrs[] = {"enabled", NULL};
        int *fields[] = {&misc->pm_suspend_to_mem, &misc->pm_suspend_to_disk};
        int r;

        misc->pm = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &misc->unknown[0], error);
        for (size_t i = 0; r >= 0 && i < 2; i++) {
                xmlNodePtr c = vmm_xml_child(node, children[i]);

                if (!c)
                        continue;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "enabled", fields[i], error);
                if (r == 0)
                        r = vmm_xml_error(error, c, "missing attribute 'enabled'");
        }
        return r < 0 ? r : 0;
}

static int misc_parse_idmap(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc,
                            VmmError *error)
{
        static const char *const children[] = {"uid", "gid", NULL};
        static const char *const attrs[] = {"start", "target", "count", NULL};
        int r;

        misc->idmap = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &misc->unknown[1], error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                bool uid = vmm_xml_is(c, "uid");
                VmmDomainIdmapEntry *e;

                if (!uid && !vmm_xml_is(c, "gid"))
                        continue;
                e = uid ? vmm_domain_util_grow(&misc->uids, &misc->n_uids, sizeof(*e))
                        : vmm_domain_util_grow(&misc->gids, &misc->n_gids, sizeof(*e));
                if (!e)
                        return vmm_error_oom(error);
                r = vmm_domain_util_check(c, NULL, attrs, error);
                for (size_t i = 0; r >= 0 && i < 3; i++) {
                        unsigned int *f[] = {&e->start, &e->target, &e->count};

                        r = vmm_xml_prop_uint(c, attrs[i], f[i], error);
                        if (r == 0)
                                r = vmm_xml_error(error, c, "missing attribute '%s'", attrs[i]);
                }
        }
        return r < 0 ? r : 0;
}

static int misc_parse_seclabel(xmlNodePtr node, VmmDomainMisc *misc, VmmError *error)
{
        static const char *const children[] = {"label", "imagelabel", "baselabel", NULL};
        static const char *const attrs[] = {"type", "model", "relabel", NULL};
        VmmDomainSeclabel *s;
        int r;

        s = vmm_domain_util_grow(&misc->seclabels, &misc->n_seclabels, sizeof(*s));
        if (!s)
                return vmm_error_oom(error);
        s->type = s->relabel = DOMAIN_ABSENT;
        r = vmm_domain_util_check(node, children, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "type", seclabel_type_table, N(seclabel_type_table),
                                      &s->type, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "relabel", &s->relabel, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "model", &s->model);
        if (vmm_domain_util_child_str(node, "label", &s->label) < 0 ||
            vmm_domain_util_child_str(node, "imagelabel", &s->imagelabel) < 0 ||
            vmm_domain_util_child_str(node, "baselabel", &s->baselabel) < 0)
                return vmm_error_oom(error);
        return 0;
}

static int misc_parse_keywrap(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc,
                              VmmError *error)
{
        static const char *const children[] = {"cipher", NULL};
        static const char *const attrs[] = {"name", "state", NULL};
        int r;

        misc->keywrap_present = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &misc->unknown[2], error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                int name = -1, state = -1;

                if (!vmm_xml_is(c, "cipher"))
                        continue;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "name", cipher_table, N(cipher_table), &name,
                                              error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'name'");
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "state", &state, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'state'");
                if (r > 0 && misc->keywrap[name] >= 0)
                        return vmm_xml_error(error, c, "cipher '%s' given twice",
                                             cipher_table[name]);
                if (r > 0)
                        misc->keywrap[name] = state;
        }
        return r < 0 ? r : 0;
}

static int misc_parse_launch_security(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc,
                                      VmmError *error)
{
        static const char *const children[] = {"cbitpos", "reducedPhysBits", "policy",
                                               "dhCert",  "session",         NULL};
        static const char *const attrs[] = {"type", "kernelHashes", NULL};
        _cleanup_free_ char *cbit = NULL, *reduced = NULL;
        int r;

        misc->has_launch_security = true;
        r = vmm_xml_check_node(node, children, attrs, flags, &misc->unknown[3], error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "type", ls_type_table, N(ls_type_table), &misc->ls_type,
                                      error);
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'type'");
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "kernelHashes", &misc->ls_kernel_hashes, error);
        if (r < 0)
                return r;
        if (vmm_domain_util_child_str(node, "policy", &misc->ls_policy) < 0 ||
            vmm_domain_util_child_str(node, "dhCert", &misc->ls_dh_cert) < 0 ||
            vmm_domain_util_child_str(node, "session", &misc->ls_session) < 0 ||
            vmm_domain_util_child_str(node, "cbitpos", &cbit) < 0 ||
            vmm_domain_util_child_str(node, "reducedPhysBits", &reduced) < 0)
                return vmm_error_oom(error);
        if (cbit) {
                misc->has_ls_cbitpos = true;
                if (vmm_parse_uint(cbit, &misc->ls_cbitpos, "cbitpos", NULL) < 0)
                        return vmm_xml_error(error, vmm_xml_child(node, "cbitpos"),
                                             "\"%s\" is not a number", cbit);
        }
        if (reduced) {
                misc->has_ls_reduced_phys_bits = true;
                if (vmm_parse_uint(reduced, &misc->ls_reduced_phys_bits, "reducedPhysBits", NULL) <
                    0)
                        return vmm_xml_error(error, vmm_xml_child(node, "reducedPhysBits"),
                                             "\"%s\" is not a number", reduced);
        }
        return 0;
}

static int misc_parse_resource(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc,
                               VmmError *error)
{
        static const char *const children[] = {"partition", NULL};
        int r;

        misc->has_resource = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &misc->unknown[4], error);
        if (r < 0)
                return r;
        if (vmm_domain_util_child_str(node, "partition", &misc->resource_partition) < 0)
                return vmm_error_oom(error);
        return 0;
}

static int misc_parse_perf(xmlNodePtr node, unsigned int flags, VmmDomainMisc *misc,
                           VmmError *error)
{
        static const char *const children[] = {"event", NULL};
        static const char *const attrs[] = {"name", "enabled", NULL};
        int r;

        misc->perf = true;
        r = vmm_xml_check_node(node, children, NULL, flags, &misc->unknown[5], error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                size_t n = misc->n_perf_events;
                char **name;
                int *enabled;

                if (!vmm_xml_is(c, "event"))
                        continue;
                enabled = vmm_domain_util_grow(&misc->perf_enabled, &n, sizeof(*enabled));
                name = enabled ? vmm_domain_util_grow(&misc->perf_events, &misc->n_perf_events,
                                                      sizeof(*name))
                               : NULL;
                if (!name)
                        return vmm_error_oom(error);
                *enabled = DOMAIN_ABSENT;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0 && !vmm_domain_util_str(c, "name", name))
                        return vmm_xml_error(error, c, "missing attribute 'name'");
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "enabled", enabled, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'enabled'");
                for (size_t i = 0; r >= 0 && i + 1 < misc->n_perf_events; i++)
                        if (strcmp(misc->perf_events[i], *name) == 0)
                                return vmm_xml_error(error, c, "event '%s' given twice", *name);
        }
        return r < 0 ? r : 0;
}

int vmm_domain_misc_parse(xmlNodePtr root, unsigned int flags, VmmDomainMisc *misc, VmmError *error)
{
        xmlNodePtr n;
        int r = 0;

        if ((n = vmm_xml_child(root, "pm")))
                r = misc_parse_pm(n, flags, misc, error);
        if (r >= 0 && (n = vmm_xml_child(root, "idmap")))
                r = misc_parse_idmap(n, flags, misc, error);
        if (r >= 0 && (n = vmm_xml_child(root, "keywrap")))
                r = misc_parse_keywrap(n, flags, misc, error);
        if (r >= 0 && (n = vmm_xml_child(root, "launchSecurity")))
                r = misc_parse_launch_security(n, flags, misc, error);
        if (r >= 0 && (n = vmm_xml_child(root, "resource")))
                r = misc_parse_resource(n, flags, misc, error);
        if (r >= 0 && (n = vmm_xml_child(root, "perf")))
                r = misc_parse_perf(n, flags, misc, error);
        if (r >= 0 &&
            (vmm_domain_util_child_str(root, "bootloader", &misc->bootloader) < 0 ||
             vmm_domain_util_child_str(root, "bootloader_args", &misc->bootloader_args) < 0))
                r = vmm_error_oom(error);
        for (n = root->children; r >= 0 && n; n = n->next) {
                if (vmm_xml_is(n, "seclabel"))
                        r = misc_parse_seclabel(n, misc, error);
                else if (vmm_xml_is(n, "sysinfo"))
                        r = vmm_domain_sysinfo_parse(n, &misc->sysinfos, &misc->n_sysinfos, error);
        }
        return r < 0 ? r : 0;
}

static void misc_format_idmap(const VmmDomainMisc *misc, xmlNodePtr root)
{
        xmlNodePtr node;

        if (!misc->idmap)
                return;
        node = vmm_xml_new_child(root, "idmap", NULL);
        vmm_xml_unknown_format(&misc->unknown[1], node);
        for (size_t k = 0; k < 2; k++) {
                const VmmDomainIdmapEntry *e = k ? misc->gids : misc->uids;
                size_t n = k ? misc->n_gids : misc->n_uids;

                for (size_t i = 0; i < n; i++) {
                        xmlNodePtr c = vmm_xml_new_child(node, k ? "gid" : "uid", NULL);

                        vmm_domain_util_set_uint(c, "start", e[i].start);
                        vmm_domain_util_set_uint(c, "target", e[i].target);
                        vmm_domain_util_set_uint(c, "count", e[i].count);
                }
        }
}

static void misc_format_tail(const VmmDomainMisc *misc, xmlNodePtr root)
{
        xmlNodePtr node;

        for (size_t i = 0; i < misc->n_seclabels; i++) {
                const VmmDomainSeclabel *s = &misc->seclabels[i];

                node = vmm_xml_new_child(root, "seclabel", NULL);
                vmm_domain_util_set_enum(node, "type", seclabel_type_table, N(seclabel_type_table),
                                         s->type);
                vmm_xml_set_prop(node, "model", s->model);
                vmm_domain_util_set_tristate(node, "relabel", s->relabel, false);
                if (s->label)
                        vmm_xml_new_child(node, "label", s->label);
                if (s->imagelabel)
                        vmm_xml_new_child(node, "imagelabel", s->imagelabel);
                if (s->baselabel)
                        vmm_xml_new_child(node, "baselabel", s->baselabel);
        }
        if (misc->keywrap_present) {
                node = vmm_xml_new_child(root, "keywrap", NULL);
                vmm_xml_unknown_format(&misc->unknown[2], node);
                for (int i = 0; i < 2; i++) {
                        xmlNodePtr c;

                        if (misc->keywrap[i] < 0)
                                continue;
                        c = vmm_xml_new_child(node, "cipher", NULL);
                        vmm_xml_set_prop(c, "name", cipher_table[i]);
                        vmm_domain_util_set_tristate(c, "state", misc->keywrap[i], true);
                }
        }
        if (misc->has_launch_security) {
                char text[16];

                node = vmm_xml_new_child(root, "launchSecurity", NULL);
                vmm_xml_unknown_format(&misc->unknown[3], node);
                vmm_domain_util_set_enum(node, "type", ls_type_table, N(ls_type_table),
                                         misc->ls_type);
                vmm_domain_util_set_tristate(node, "kernelHashes", misc->ls_kernel_hashes, false);
                if (misc->has_ls_cbitpos) {
                        snprintf(text, sizeof(text), "%u", misc->ls_cbitpos);
                        vmm_xml_new_child(node, "cbitpos", text);
                }
                if (misc->has_ls_reduced_phys_bits) {
                        snprintf(text, sizeof(text), "%u", misc->ls_reduced_phys_bits);
                        vmm_xml_new_child(node, "reducedPhysBits", text);
                }
                if (misc->ls_policy)
                        vmm_xml_new_child(node, "policy", misc->ls_policy);
                if (misc->ls_dh_cert)
                        vmm_xml_new_child(node, "dhCert", misc->ls_dh_cert);
                if (misc->ls_session)
                        vmm_xml_new_child(node, "session", misc->ls_session);
        }
}

void vmm_domain_misc_format(const VmmDomainMisc *misc, xmlNodePtr root, int when)
{
        xmlNodePtr node;

        switch (when) {
        case VMM_DOMAIN_MISC_RESOURCE:
                if (misc->has_resource) {
                        node = vmm_xml_new_child(root, "resource", NULL);
                        vmm_xml_unknown_format(&misc->unknown[4], node);
                        if (misc->resource_partition)
                                vmm_xml_new_child(node, "partition", misc->resource_partition);
                }
                break;
        case VMM_DOMAIN_MISC_SYSINFO:
                vmm_domain_sysinfo_format(misc->sysinfos, misc->n_sysinfos, root);
                if (misc->bootloader)
                        vmm_xml_new_child(root, "bootloader", misc->bootloader);
                if (misc->bootloader_args)
                        vmm_xml_new_child(root, "bootloader_args", misc->bootloader_args);
                break;
        case VMM_DOMAIN_MISC_PM:
                if (misc->pm) {
                        node = vmm_xml_new_child(root, "pm", NULL);
                        vmm_xml_unknown_format(&misc->unknown[0], node);
                        if (misc->pm_suspend_to_mem >= 0)
                                vmm_domain_util_set_tristate(
                                    vmm_xml_new_child(node, "suspend-to-mem", NULL), "enabled",
                                    misc->pm_suspend_to_mem, false);
                        if (misc->pm_suspend_to_disk >= 0)
                                vmm_domain_util_set_tristate(
                                    vmm_xml_new_child(node, "suspend-to-disk", NULL), "enabled",
                                    misc->pm_suspend_to_disk, false);
                }
                if (misc->perf) {
                        node = vmm_xml_new_child(root, "perf", NULL);
                        vmm_xml_unknown_format(&misc->unknown[5], node);
                        for (size_t i = 0; i < misc->n_perf_events; i++) {
                                xmlNodePtr e = vmm_xml_new_child(node, "event", NULL);

                                vmm_xml_set_prop(e, "name", misc->perf_events[i]);
                                vmm_domain_util_set_tristate(e, "enabled", misc->perf_enabled[i],
                                                             false);
                        }
                }
                break;
        case VMM_DOMAIN_MISC_IDMAP:
                misc_format_idmap(misc, root);
                break;
        case VMM_DOMAIN_MISC_TAIL:
                misc_format_tail(misc, root);
                break;
        }
}

static bool misc_idmap_equal(const char *what, const VmmDomainIdmapEntry *a, size_t na,
                             const VmmDomainIdmapEntry *b, size_t nb, char **diff)
{
        if (!d_eq_int(diff, what, (long long)na, (long long)nb))
                return false;
        for (size_t i = 0; i < na; i++)
                if (!d_eq_int(diff, what, a[i].start, b[i].start) ||
                    !d_eq_int(diff, what, a[i].target, b[i].target) ||
                    !d_eq_int(diff, what, a[i].count, b[i].count))
                        return false;
        return true;
}

static bool misc_seclabels_equal(const VmmDomainMisc *a, const VmmDomainMisc *b, char **diff)
{
        if (!d_eq_int(diff, "seclabels", (long long)a->n_seclabels, (long long)b->n_seclabels))
                return false;
        for (size_t i = 0; i < a->n_seclabels; i++) {
                const VmmDomainSeclabel *x = &a->seclabels[i], *y = &b->seclabels[i];

                if (!d_eq_int(diff, "seclabel type", x->type, y->type) ||
                    !d_eq_str(diff, "seclabel model", x->model, y->model) ||
                    !d_eq_int(diff, "seclabel relabel", x->relabel, y->relabel) ||
                    !d_eq_str(diff, "seclabel label", x->label, y->label) ||
                    !d_eq_str(diff, "seclabel imagelabel", x->imagelabel, y->imagelabel) ||
                    !d_eq_str(diff, "seclabel baselabel", x->baselabel, y->baselabel))
                        return false;
        }
        return true;
}

static bool misc_perf_equal(const VmmDomainMisc *a, const VmmDomainMisc *b, char **diff)
{
        if (!d_eq_int(diff, "perf", a->perf, b->perf) ||
            !d_eq_int(diff, "perf events", (long long)a->n_perf_events,
                      (long long)b->n_perf_events))
                return false;
        for (size_t i = 0; i < a->n_perf_events; i++)
                if (!d_eq_str(diff, "perf event", a->perf_events[i], b->perf_events[i]) ||
                    !d_eq_int(diff, "perf event enabled", a->perf_enabled[i], b->perf_enabled[i]))
                        return false;
        return d_eq_str(diff, "bootloader", a->bootloader, b->bootloader) &&
               d_eq_str(diff, "bootloader_args", a->bootloader_args, b->bootloader_args);
}

bool vmm_domain_misc_equal(const VmmDomainMisc *a, const VmmDomainMisc *b, char **diff)
{
        for (size_t i = 0; i < ARRAY_SIZE(a->unknown); i++)
                if (!d_eq_unknown(diff,
                                  "pm/idmap/keywrap/launchSecurity/resource/perf unknown content",
                                  &a->unknown[i], &b->unknown[i]))
                        return false;
        return d_eq_int(diff, "idmap", a->idmap, b->idmap) && misc_perf_equal(a, b, diff) &&
               d_eq_int(diff, "pm", a->pm, b->pm) &&
               d_eq_int(diff, "pm suspend-to-mem", a->pm_suspend_to_mem, b->pm_suspend_to_mem) &&
               d_eq_int(diff, "pm suspend-to-disk", a->pm_suspend_to_disk, b->pm_suspend_to_disk) &&
               misc_idmap_equal("idmap uid", a->uids, a->n_uids, b->uids, b->n_uids, diff) &&
               misc_idmap_equal("idmap gid", a->gids, a->n_gids, b->gids, b->n_gids, diff) &&
               misc_seclabels_equal(a, b, diff) &&
               d_eq_int(diff, "keywrap", a->keywrap_present, b->keywrap_present) &&
               d_eq_int(diff, "keywrap aes", a->keywrap[0], b->keywrap[0]) &&
               d_eq_int(diff, "keywrap dea", a->keywrap[1], b->keywrap[1]) &&
               vmm_domain_sysinfo_equal(a->sysinfos, a->n_sysinfos, b->sysinfos, b->n_sysinfos,
                                        diff) &&
               d_eq_int(diff, "launchSecurity", a->has_launch_security, b->has_launch_security) &&
               d_eq_int(diff, "launchSecurity type", a->ls_type, b->ls_type) &&
               d_eq_int(diff, "launchSecurity kernelHashes", a->ls_kernel_hashes,
                        b->ls_kernel_hashes) &&
               d_eq_str(diff, "launchSecurity policy", a->ls_policy, b->ls_policy) &&
               d_eq_str(diff, "launchSecurity dhCert", a->ls_dh_cert, b->ls_dh_cert) &&
               d_eq_str(diff, "launchSecurity session", a->ls_session, b->ls_session) &&
               d_eq_int(diff, "launchSecurity cbitpos", a->has_ls_cbitpos, b->has_ls_cbitpos) &&
               d_eq_int(diff, "launchSecurity cbitpos", a->ls_cbitpos, b->ls_cbitpos) &&
               d_eq_int(diff, "launchSecurity reducedPhysBits", a->has_ls_reduced_phys_bits,
                        b->has_ls_reduced_phys_bits) &&
               d_eq_int(diff, "launchSecurity reducedPhysBits", a->ls_reduced_phys_bits,
                        b->ls_reduced_phys_bits) &&
               d_eq_int(diff, "resource", a->has_resource, b->has_resource) &&
               d_eq_str(diff, "resource partition", a->resource_partition, b->resource_partition);
}
