/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-domops.c: runtime operations on domains: setmem, domstats and
 * qemu-monitor-command (the raw QMP passthrough of <vmm/vmm-qemu.h>).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <vmm/vmm-qemu.h>

#include "output.h"
#include "vmmctl.h"

static inline void domops_domain_unrefp(VmmDomain **d)
{
        vmm_domain_unref(*d);
}

/* A size as virsh takes it: a number with an optional unit, KiB without.
 * Units: b/bytes, k/KiB, KB, M/MiB, MB, G/GiB, GB, T/TiB, TB. */
int vmmctl_parse_size_kib(const char *s, uint64_t *ret_kib, VmmError *error)
{
        static const struct {
                const char *unit;
                uint64_t bytes;
        } units[] = {
            {"", 1024},
            {"b", 1},
            {"bytes", 1},
            {"k", 1024},
            {"kib", 1024},
            {"kb", 1000},
            {"m", 1u << 20},
            {"mib", 1u << 20},
            {"mb", 1000000},
            {"g", 1u << 30},
            {"gib", 1u << 30},
            {"gb", 1000000000},
            {"t", 1ull << 40},
            {"tib", 1ull << 40},
            {"tb", 1000000000000ull},
        };
        unsigned long long n;
        char *end;

        errno = 0;
        n = strtoull(s, &end, 10);
        if (end == s || *s == '-' || errno)
                goto bad;
        while (*end == ' ')
                end++;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                if (strcasecmp(end, units[i].unit) != 0)
                        continue;
                if (n > UINT64_MAX / units[i].bytes)
                        goto bad;
                *ret_kib = (n * units[i].bytes + 1023) / 1024;
                return 0;
        }
bad:
        return vmmctl_error(error, -EINVAL,
                            "size '%s' is not a number with an optional unit (expected e.g. "
                            "\"524288\" (KiB) or \"512MiB\")",
                            s);
}

int vmmctl_cmd_setmem(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(domops_domain_unrefp) VmmDomain *dom = NULL;
        unsigned int flags = 0;
        uint64_t kib = 0;
        int r;

        if (vmmctl_args_has(args, "current") &&
            (vmmctl_args_has(args, "live") || vmmctl_args_has(args, "config")))
                return vmmctl_error(error, -EINVAL,
                                    "options --current and --live/--config are mutually "
                                    "exclusive");
        if (vmmctl_args_has(args, "live"))
                flags |= VMM_DOMAIN_AFFECT_LIVE;
        if (vmmctl_args_has(args, "config"))
                flags |= VMM_DOMAIN_AFFECT_CONFIG;
        r = vmmctl_parse_size_kib(vmmctl_args_get(args, "size"), &kib, error);
        if (r >= 0)
                r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_set_memory(dom, kib, flags, error);
        if (r >= 0 && ctx->json)
                vmmctl_json_print_action("domain", vmm_domain_get_name(dom));
        return r;
}

/* --- domstats --- */

static unsigned int domstats_groups(const VmmctlArgs *args)
{
        static const struct {
                const char *opt;
                unsigned int group;
        } map[] = {
            {"state", VMM_DOMAIN_STATS_STATE},         {"cpu-total", VMM_DOMAIN_STATS_CPU_TOTAL},
            {"balloon", VMM_DOMAIN_STATS_BALLOON},     {"vcpu", VMM_DOMAIN_STATS_VCPU},
            {"interface", VMM_DOMAIN_STATS_INTERFACE}, {"block", VMM_DOMAIN_STATS_BLOCK},
        };
        unsigned int groups = 0;

        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (vmmctl_args_has(args, map[i].opt))
                        groups |= map[i].group;
        return groups;
}

static unsigned int domstats_list_flags(const VmmctlArgs *args)
{
        static const struct {
                const char *opt;
                unsigned int flag;
        } map[] = {
            {"list-active", VMM_DOMAIN_LIST_ACTIVE},
            {"list-inactive", VMM_DOMAIN_LIST_INACTIVE},
            {"list-persistent", VMM_DOMAIN_LIST_PERSISTENT},
            {"list-transient", VMM_DOMAIN_LIST_TRANSIENT},
            {"list-running", VMM_DOMAIN_LIST_RUNNING},
            {"list-paused", VMM_DOMAIN_LIST_PAUSED},
            {"list-shutoff", VMM_DOMAIN_LIST_SHUTOFF},
        };
        unsigned int flags = 0;

        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (vmmctl_args_has(args, map[i].opt))
                        flags |= map[i].flag;
        return flags;
}

static void domstats_print(VmmctlCtx *ctx, const VmmDomainStatsRecord *recs, size_t n)
{
        json_object *list = ctx->json ? json_object_new_array() : NULL;

        for (size_t i = 0; i < n; i++) {
                json_object *o = list ? json_object_new_object() : NULL;

                if (o)
                        vmmctl_json_add_string(o, "name", vmm_domain_get_name(recs[i].dom));
                else
                        printf("Domain: '%s'\n", vmm_domain_get_name(recs[i].dom));
                for (size_t k = 0; k < recs[i].n_fields; k++) {
                        const VmmDomainStatField *f = &recs[i].fields[k];

                        if (o && f->type == VMM_DOMAIN_STAT_STRING)
                                vmmctl_json_add_string(o, f->key, f->s);
                        else if (o)
                                json_object_object_add(o, f->key, json_object_new_uint64(f->u));
                        else if (f->type == VMM_DOMAIN_STAT_STRING)
                                printf("  %s=%s\n", f->key, f->s);
                        else
                                printf("  %s=%" PRIu64 "\n", f->key, f->u);
                }
                if (o)
                        json_object_array_add(list, o);
                else
                        printf("\n");
        }
        if (list)
                vmmctl_json_print(list);
}

static void domstats_doms_free(VmmDomain **doms, size_t n)
{
        for (size_t i = 0; i < n; i++)
                vmm_domain_unref(doms[i]);
        free(doms);
}

int vmmctl_cmd_domstats(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        unsigned int groups = domstats_groups(args), flags = domstats_list_flags(args);
        VmmDomainStatsRecord *recs = NULL;
        VmmDomain **doms = NULL;
        size_t n = 0, n_doms = 0;
        int r = 0;

        if (vmmctl_args_has(args, "domain")) {
                VmmctlArgs one = *args;

                if (flags)
                        return vmmctl_error(error, -EINVAL,
                                            "domain names and --list-* options are mutually "
                                            "exclusive");
                doms = calloc(args->n_more + 1, sizeof(*doms));
                if (!doms)
                        return vmmctl_error(error, -ENOMEM, "out of memory");
                for (size_t i = 0; r >= 0 && i <= args->n_more; i++) {
                        /* each word looked up as the "domain" option */
                        for (size_t k = 0; args->cmd->opts[k].name; k++)
                                if (strcmp(args->cmd->opts[k].name, "domain") == 0)
                                        one.values[k] = i == 0 ? vmmctl_args_get(args, "domain")
                                                               : args->more[i - 1];
                        r = vmmctl_domain_lookup(ctx, &one, &doms[i], error);
                        if (r >= 0)
                                n_doms++;
                }
                if (r >= 0)
                        r = vmm_domain_list_get_stats(doms, n_doms, groups, 0, &recs, &n, error);
                domstats_doms_free(doms, n_doms);
        } else {
                r = vmm_connect_get_all_domain_stats(ctx->conn, groups, flags, &recs, &n, error);
        }
        if (r < 0)
                return r;
        domstats_print(ctx, recs, n);
        vmm_domain_stats_free(recs, n);
        return 0;
}

/* --- qemu-monitor-command --- */

int vmmctl_cmd_qemu_monitor_command(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(domops_domain_unrefp) VmmDomain *dom = NULL;
        _cleanup_free_ char *reply = NULL;
        const char *cmd = vmmctl_args_get(args, "cmd");
        int r;

        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_qemu_monitor_command(dom, cmd, &reply, 0, error);
        if (r < 0)
                return r;
        if (vmmctl_args_has(args, "pretty") || ctx->json) {
                _cleanup_json_ json_object *o = json_tokener_parse(reply);

                if (o) {
                        printf("%s\n", json_object_to_json_string_ext(
                                           o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
                        return 0;
                }
        }
        printf("%s\n", reply);
        return 0;
}
