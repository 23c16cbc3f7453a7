/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-stats.h: building the statistics of one domain (the public
 * VmmDomainStatsRecord fields) in drivers: a growing list of key/value
 * fields, and the groups every driver fills the same way from a
 * definition (vCPUs, balloon maximum, device names).
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <vmm/vmm-domain.h>

#include "conf/domain.h"
#include "util/error.h"

typedef struct VmmStatList {
        VmmDomainStatField *fields;
        size_t n_fields;
        size_t cap;
        int oom; /* set by a failed add; reported by _take() */
} VmmStatList;

/* Adds a number or a string under a printf-made key. Failures are kept
 * in list->oom (the list stays usable). */
void vmm_stat_list_add_u(VmmStatList *list, uint64_t value, const char *key_fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vmm_stat_list_add_s(VmmStatList *list, const char *value, const char *key_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Moves the fields into `rec` (rec->dom is left alone); -ENOMEM when an
 * add failed (the list is then emptied). */
int vmm_stat_list_take(VmmStatList *list, VmmDomainStatsRecord *rec, VmmError *error);
void vmm_stat_list_done(VmmStatList *list);

/* The counts and names a definition gives: block.count and
 * block.N.name/path for each disk; net.count and net.N.name (the target
 * dev, else the MAC) for each NIC. Return the count; the counters
 * (block.N.rd.bytes...) are the caller's to add. */
size_t vmm_stat_list_disks(VmmStatList *list, const VmmDomainDef *def);
size_t vmm_stat_list_nets(VmmStatList *list, const VmmDomainDef *def);
