/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-defaults.c: what a define leaves to the host: a random UUID,
 * <currentMemory> equal to <memory> (or <memory> from the NUMA cells),
 * one vCPU, the usual life cycle actions, and the devices' own defaults.
 * Idempotent: a second call changes nothing.
 */
#include <errno.h>

#include "domain-priv.h"

int vmm_domain_def_fill_defaults(VmmDomainDef *def, VmmError *error)
{
        int r;

        vmm_check_arg(def, error, "def");
        if (!def->has_uuid) {
                r = vmm_uuid_generate(def->uuid);
                if (r < 0)
                        return vmm_error_set_errno(error, r, "domain '%s': cannot generate a UUID",
                                                   strna(def->name));
                def->has_uuid = true;
        }
        /* NUMA cells, when given, define the memory size (as in libvirt) */
        if (vmm_domain_numa_total_kib(&def->cpu.numa))
                def->memory_kib = vmm_domain_numa_total_kib(&def->cpu.numa);
        if (!def->current_memory_kib)
                def->current_memory_kib = def->memory_kib;
        if (!def->vcpus_max)
                def->vcpus_max = 1;
        if (def->on_poweroff < 0)
                def->on_poweroff = VMM_DOMAIN_LIFECYCLE_DESTROY;
        if (def->on_reboot < 0)
                def->on_reboot = VMM_DOMAIN_LIFECYCLE_RESTART;
        if (def->on_crash < 0)
                def->on_crash = VMM_DOMAIN_LIFECYCLE_DESTROY;
        if (!def->devices) {
                def->devices = vmm_domain_devices_new();
                if (!def->devices)
                        return vmm_error_oom(error);
        }
        r = vmm_domain_devices_fill_defaults(def->devices, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "domain '%s': ", strna(def->name));
        return 0;
}
