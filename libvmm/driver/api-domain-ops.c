/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-domain-ops.c: the public runtime operations on domains: memory
 * (vmm-domain.h), statistics, and the raw QEMU monitor (vmm-qemu.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <vmm/vmm-qemu.h>

#include "driver/api.h"
#include "util/error.h"

#define STATS_ALL                                                                                  \
        (VMM_DOMAIN_STATS_STATE | VMM_DOMAIN_STATS_CPU_TOTAL | VMM_DOMAIN_STATS_BALLOON |          \
         VMM_DOMAIN_STATS_VCPU | VMM_DOMAIN_STATS_INTERFACE | VMM_DOMAIN_STATS_BLOCK)
#define LIST_ALL (VMM_DOMAIN_LIST_NO_AUTOSTART * 2u - 1u)

VMM_EXPORT int vmm_domain_set_memory(VmmDomain *dom, uint64_t kib, unsigned int flags,
                                     VmmError *error)
{
        int r = vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", __func__, VMM_API_WRITE,
                                     error);

        if (r < 0)
                return r;
        r = vmm_api_check_flags(flags, VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG, __func__,
                                error);
        if (r < 0)
                return r;
        if (kib == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: domain '%s': memory 0 KiB (expected a size above 0)",
                                     __func__, dom->name);
        if (!dom->conn->driver->domain_set_memory)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_set_memory(dom, kib, flags, error),
                              __func__, error);
}

static int stats_call(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms, unsigned int stats,
                      unsigned int flags, VmmDomainStatsRecord **ret_records, size_t *ret_count,
                      const char *func, VmmError *error)
{
        VmmDomainStatsRecord *records = NULL;
        size_t count = 0;
        int r;

        r = vmm_api_check_flags(stats, STATS_ALL, func, error);
        if (r >= 0)
                r = vmm_api_check_flags(flags, LIST_ALL, func, error);
        if (r < 0)
                return r;
        if (!conn->driver->domain_get_stats)
                return vmm_api_no_support(conn, func, error);
        r = conn->driver->domain_get_stats(conn, doms, n_doms, stats ? stats : STATS_ALL, flags,
                                           &records, &count, error);
        if (r < 0)
                return vmm_api_result(r, func, error);
        *ret_records = records;
        *ret_count = count;
        return (int)count;
}

VMM_EXPORT int vmm_connect_get_all_domain_stats(VmmConnect *conn, unsigned int stats,
                                                unsigned int flags,
                                                VmmDomainStatsRecord **ret_records,
                                                size_t *ret_count, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_records && ret_count, error, "ret_records or ret_count is NULL");
        return stats_call(conn, NULL, 0, stats, flags, ret_records, ret_count, __func__, error);
}

VMM_EXPORT int vmm_domain_list_get_stats(VmmDomain *const *doms, size_t n_doms, unsigned int stats,
                                         unsigned int flags, VmmDomainStatsRecord **ret_records,
                                         size_t *ret_count, VmmError *error)
{
        VmmConnect *conn;
        int r;

        vmm_error_clear(error);
        vmm_check_arg(doms && n_doms > 0, error, "no domain given");
        vmm_check_arg(ret_records && ret_count, error, "ret_records or ret_count is NULL");
        conn = doms[0] ? doms[0]->conn : NULL;
        for (size_t i = 0; i < n_doms; i++) {
                r = vmm_api_check_handle(doms[i], doms[i] ? doms[i]->conn : NULL, "domain",
                                         __func__, VMM_API_READ, error);
                if (r < 0)
                        return r;
                if (doms[i]->conn != conn)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "%s: domain '%s' belongs to another connection "
                                             "than domain '%s' (expected one connection)",
                                             __func__, doms[i]->name, doms[0]->name);
        }
        return stats_call(conn, doms, n_doms, stats, flags, ret_records, ret_count, __func__,
                          error);
}

VMM_EXPORT void vmm_domain_stats_free(VmmDomainStatsRecord *records, size_t count)
{
        if (!records)
                return;
        for (size_t i = 0; i < count; i++) {
                for (size_t k = 0; k < records[i].n_fields; k++) {
                        free(records[i].fields[k].key);
                        free(records[i].fields[k].s);
                }
                free(records[i].fields);
                vmm_domain_unref(records[i].dom);
        }
        free(records);
}

VMM_EXPORT int vmm_domain_qemu_monitor_command(VmmDomain *dom, const char *command,
                                               char **ret_reply, unsigned int flags,
                                               VmmError *error)
{
        int r = vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", __func__, VMM_API_WRITE,
                                     error);

        if (r < 0)
                return r;
        vmm_check_arg(command && *command, error, "command is NULL or empty");
        vmm_check_arg(ret_reply, error, "ret_reply is NULL");
        r = vmm_api_check_flags(flags, 0, __func__, error);
        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_qemu_monitor_command)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(
            dom->conn->driver->domain_qemu_monitor_command(dom, command, ret_reply, flags, error),
            __func__, error);
}
