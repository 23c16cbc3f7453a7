/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-misc.h: the smaller top-level sections: <pm>, <idmap>,
 * <seclabel>, <keywrap>, <sysinfo>, <launchSecurity>, <resource>, <perf>,
 * <bootloader>.
 * Included by domain-priv.h only.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "xml-util.h"

typedef struct VmmDomainIdmapEntry {
        unsigned int start, target, count;
} VmmDomainIdmapEntry;

typedef struct VmmDomainSeclabel {
        int type; /* dynamic, static, none; -1 */
        char *model;
        int relabel; /* tristate yes/no */
        char *label, *imagelabel, *baselabel;
} VmmDomainSeclabel;

typedef struct VmmDomainSysinfoEntry {
        char *name;
        char *file;
        char *value;
} VmmDomainSysinfoEntry;

/* <bios>, <system>, <baseBoard>, <chassis>, <oemStrings> of smbios sysinfo */
typedef struct VmmDomainSysinfoGroup {
        int kind;
        VmmDomainSysinfoEntry *entries;
        size_t n_entries;
} VmmDomainSysinfoGroup;

typedef struct VmmDomainSysinfo {
        int type; /* smbios / fwcfg */
        VmmDomainSysinfoGroup *groups;
        size_t n_groups;
        VmmDomainSysinfoEntry *entries; /* fwcfg <entry> */
        size_t n_entries;
} VmmDomainSysinfo;

typedef struct VmmDomainMisc {
        int pm_suspend_to_mem;  /* tristate yes/no */
        int pm_suspend_to_disk; /* tristate yes/no */
        bool pm;
        VmmDomainIdmapEntry *uids, *gids;
        size_t n_uids, n_gids;
        VmmDomainSeclabel *seclabels;
        size_t n_seclabels;
        int keywrap[2]; /* aes, dea: tristate on/off */
        bool keywrap_present;
        VmmDomainSysinfo *sysinfos;
        size_t n_sysinfos;
        /* <launchSecurity> */
        bool has_launch_security;
        int ls_type;          /* sev, sev-snp, s390-pv */
        int ls_kernel_hashes; /* tristate yes/no */
        char *ls_policy, *ls_dh_cert, *ls_session;
        unsigned int ls_cbitpos, ls_reduced_phys_bits;
        bool has_ls_cbitpos, has_ls_reduced_phys_bits;
        char *resource_partition;
        bool has_resource;
        /* <perf><event name enabled/></perf> */
        bool perf;
        bool idmap;
        char **perf_events;
        int *perf_enabled; /* tristate yes/no, one per event */
        size_t n_perf_events;
        /* Xen's host-side boot loader */
        char *bootloader, *bootloader_args;
        /* unknown content kept (VMM_DOMAIN_DEF_KEEP_UNKNOWN) of <pm>, <idmap>,
         * <keywrap>, <launchSecurity>, <resource>, <perf> */
        VmmXmlUnknown unknown[6];
} VmmDomainMisc;

int vmm_domain_misc_parse(xmlNodePtr root, unsigned int flags, VmmDomainMisc *misc,
                          VmmError *error);
void vmm_domain_misc_format(const VmmDomainMisc *misc, xmlNodePtr root, int when);
bool vmm_domain_misc_equal(const VmmDomainMisc *a, const VmmDomainMisc *b, char **diff);
void vmm_domain_misc_init(VmmDomainMisc *misc);
void vmm_domain_misc_done(VmmDomainMisc *misc);

/* Which group of elements vmm_domain_misc_format() writes: libvirt's
 * element order puts them at different places. */
enum {
        VMM_DOMAIN_MISC_RESOURCE, /* after cputune/numatune: <resource> */
        VMM_DOMAIN_MISC_SYSINFO,  /* before <os>: <sysinfo>, <bootloader> */
        VMM_DOMAIN_MISC_PM,       /* after lifecycle: <pm>, <perf> */
        VMM_DOMAIN_MISC_IDMAP,    /* after <clock>... : <idmap> */
        VMM_DOMAIN_MISC_TAIL,     /* after <devices>: seclabel, keywrap, launchSecurity */
};

/* domain-sysinfo.c: <sysinfo type='smbios|fwcfg'> (may repeat) */
int vmm_domain_sysinfo_parse(xmlNodePtr node, VmmDomainSysinfo **sysinfos, size_t *n,
                             VmmError *error);
void vmm_domain_sysinfo_format(const VmmDomainSysinfo *sysinfos, size_t n, xmlNodePtr root);
bool vmm_domain_sysinfo_equal(const VmmDomainSysinfo *a, size_t na, const VmmDomainSysinfo *b,
                              size_t nb, char **diff);
void vmm_domain_sysinfo_free(VmmDomainSysinfo *sysinfos, size_t n);
