/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-ops.c: the test driver's runtime operations: set-memory (the live
 * definition stands for the balloon) and statistics. The test driver has
 * no devices behind its definitions, so its statistics carry state, CPU
 * time, balloon, vCPUs and the device names, and no I/O counters.
 */
#include <errno.h>
#include <stdlib.h>

#include "driver/domain-stats.h"
#include "test-driver.h"
#include "util/error.h"

static int set_memory_check(const TestDomain *dom, const VmmDomainDef *def, uint64_t kib,
                            const char *which, VmmError *error)
{
        uint64_t max = vmm_domain_def_get_memory_kib(def);

        if (kib > max)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': memory %llu KiB is above the %s maximum of "
                                     "%llu KiB (<memory>)",
                                     dom->obj.name, (unsigned long long)kib, which,
                                     (unsigned long long)max);
        return 0;
}

int test_domain_set_memory(VmmDomain *handle, uint64_t kib, unsigned int flags, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        bool live, config;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        live = flags & VMM_DOMAIN_AFFECT_LIVE;
        config = flags & VMM_DOMAIN_AFFECT_CONFIG;
        if (!live && !config) {
                live = dom->live != NULL;
                config = !live;
        }
        if (live && !dom->live)
                r = vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                  "set memory of domain '%s': the domain is not running (state: "
                                  "%s; use --config to change the definition)",
                                  dom->obj.name, vmm_domain_state_to_string(dom->state));
        else if (config && !dom->def)
                r = vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                  "set memory of domain '%s': the domain is transient (no "
                                  "persistent definition to change)",
                                  dom->obj.name);
        if (r >= 0 && live)
                r = set_memory_check(dom, dom->live, kib, "live", error);
        if (r >= 0 && config)
                r = set_memory_check(dom, dom->def, kib, "configured", error);
        if (r >= 0 && live)
                vmm_domain_def_set_current_memory_kib(dom->live, kib);
        if (r >= 0 && config)
                vmm_domain_def_set_current_memory_kib(dom->def, kib);
        pthread_mutex_unlock(&state->lock);
        return r;
}

static void stats_collect(const TestDomain *dom, unsigned int stats, VmmStatList *list)
{
        const VmmDomainDef *def = test_domain_current_def(dom);
        uint64_t cpu = test_domain_cpu_time(dom);

        if (stats & VMM_DOMAIN_STATS_STATE) {
                vmm_stat_list_add_u(list, dom->state, "state.state");
                vmm_stat_list_add_u(list, (uint64_t)dom->reason, "state.reason");
        }
        if ((stats & VMM_DOMAIN_STATS_CPU_TOTAL) && dom->live) {
                /* the test driver's guests spend their time in the guest: user */
                vmm_stat_list_add_u(list, cpu, "cpu.time");
                vmm_stat_list_add_u(list, cpu, "cpu.user");
                vmm_stat_list_add_u(list, 0, "cpu.system");
        }
        if (stats & VMM_DOMAIN_STATS_BALLOON) {
                vmm_stat_list_add_u(list, vmm_domain_def_get_current_memory_kib(def),
                                    "balloon.current");
                vmm_stat_list_add_u(list, vmm_domain_def_get_memory_kib(def), "balloon.maximum");
        }
        if (stats & VMM_DOMAIN_STATS_VCPU) {
                vmm_stat_list_add_u(list, vmm_domain_def_get_vcpus(def), "vcpu.current");
                vmm_stat_list_add_u(list, vmm_domain_def_get_max_vcpus(def), "vcpu.maximum");
        }
        if (stats & VMM_DOMAIN_STATS_INTERFACE)
                vmm_stat_list_nets(list, def);
        if (stats & VMM_DOMAIN_STATS_BLOCK)
                vmm_stat_list_disks(list, def);
}

static int stats_one(VmmDomain *handle, unsigned int stats, VmmDomainStatsRecord *rec,
                     VmmError *error)
{
        VmmStatList list = {0};
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        stats_collect(dom, stats, &list);
        pthread_mutex_unlock(&state->lock);
        r = vmm_stat_list_take(&list, rec, error);
        if (r < 0)
                return r;
        rec->dom = vmm_domain_ref(handle);
        return 0;
}

int test_domain_get_stats(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms,
                          unsigned int stats, unsigned int flags,
                          VmmDomainStatsRecord **ret_records, size_t *ret_count, VmmError *error)
{
        VmmDomain **all = NULL;
        VmmDomainStatsRecord *records;
        size_t n = n_doms;
        int r = 0;

        if (!doms) {
                r = test_domain_list_all(conn, flags, &all, &n, error);
                if (r < 0)
                        return r;
                doms = all;
        }
        records = calloc(n ? n : 1, sizeof(*records));
        if (!records)
                r = vmm_error_oom(error);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = stats_one(doms[i], stats, &records[i], error);
                /* a domain that went away while listing is left out */
                if (r == -ENOENT && all) {
                        vmm_error_clear(error);
                        r = 0;
                }
        }
        if (all)
                vmm_domain_list_free(all, n);
        if (r < 0) {
                vmm_domain_stats_free(records, n);
                return r;
        }
        /* compact the records of vanished domains */
        *ret_count = 0;
        for (size_t i = 0; i < n; i++)
                if (records[i].dom)
                        records[(*ret_count)++] = records[i];
        *ret_records = records;
        return 0;
}
