/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-priv.h: the layout of VmmDomainDef and its sections, and the
 * entry points of the section files (domain-os.c, domain-cpu.c, ...).
 * libvmm/conf/domain*.c include it, and drivers that turn a definition
 * into something else (the qemu command line); everyone else uses
 * domain.h.
 *
 * Conventions: sizes in KiB; tristates are -1 (absent), 0, 1; enums are -1
 * when absent; counts of 0 mean absent where 0 is not a valid value.
 */
#pragma once

#include "domain-device.h"
#include "domain-enums.h"
#include "domain-util.h"
#include "domain.h"

/* ---- enums (one table each, in the section file named) ---- */

typedef enum VmmDomainVirtType { /* domain.c */
                                 VMM_DOMAIN_VIRT_NONE,
                                 VMM_DOMAIN_VIRT_QEMU,
                                 VMM_DOMAIN_VIRT_KQEMU,
                                 VMM_DOMAIN_VIRT_KVM,
                                 VMM_DOMAIN_VIRT_XEN,
                                 VMM_DOMAIN_VIRT_LXC,
                                 VMM_DOMAIN_VIRT_UML,
                                 VMM_DOMAIN_VIRT_OPENVZ,
                                 VMM_DOMAIN_VIRT_TEST,
                                 VMM_DOMAIN_VIRT_VMWARE,
                                 VMM_DOMAIN_VIRT_HYPERV,
                                 VMM_DOMAIN_VIRT_VBOX,
                                 VMM_DOMAIN_VIRT_PHYP,
                                 VMM_DOMAIN_VIRT_PARALLELS,
                                 VMM_DOMAIN_VIRT_BHYVE,
                                 VMM_DOMAIN_VIRT_VZ,
                                 VMM_DOMAIN_VIRT_HVF,
                                 _VMM_DOMAIN_VIRT_MAX
} VmmDomainVirtType;
extern const char *const vmm_domain_virt_table[_VMM_DOMAIN_VIRT_MAX];

typedef enum VmmDomainLifecycleAction { /* domain-misc.c */
                                        VMM_DOMAIN_LIFECYCLE_DESTROY,
                                        VMM_DOMAIN_LIFECYCLE_RESTART,
                                        VMM_DOMAIN_LIFECYCLE_RENAME_RESTART,
                                        VMM_DOMAIN_LIFECYCLE_PRESERVE,
                                        VMM_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
                                        VMM_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
                                        _VMM_DOMAIN_LIFECYCLE_MAX
} VmmDomainLifecycleAction;

/* ---- <os> (domain-os.c) ---- */

typedef struct VmmDomainFwFeature {
        char *name;
        int enabled; /* tristate */
} VmmDomainFwFeature;

typedef struct VmmDomainOs {
        int type; /* hvm, linux, xen, exe, ... ; -1 when <type> absent */
        char *arch;
        char *machine;
        int firmware; /* bios / efi, -1 */
        VmmDomainFwFeature *fw_features;
        size_t n_fw_features;
        /* <loader> */
        bool has_loader;
        char *loader_path;
        int loader_readonly;  /* tristate yes/no */
        int loader_type;      /* rom / pflash, -1 */
        int loader_secure;    /* tristate */
        int loader_stateless; /* tristate */
        char *loader_format;
        /* <nvram> */
        bool has_nvram;
        char *nvram_path;
        char *nvram_template;
        char *nvram_type;
        char *nvram_format;
        char *nvram_template_format;
        VmmXmlUnknown nvram_source; /* <source> kept verbatim */
        /* direct kernel boot */
        char *kernel, *initrd, *cmdline, *dtb, *root;
        /* container boot */
        char *init, *initdir, *inituser, *initgroup;
        char **initargs;
        size_t n_initargs;
        /* <boot dev=...> in order */
        int boot[4];
        size_t n_boot;
        int bootmenu_enable; /* tristate yes/no */
        unsigned int bootmenu_timeout;
        bool has_bootmenu_timeout;
        int smbios_mode;    /* emulate / host / sysinfo, -1 */
        int bios_useserial; /* tristate yes/no */
        int bios_reboot_timeout;
        bool has_bios;
        bool has_bios_reboot_timeout;
        /* <acpi><table type='slic'>path</table></acpi>, by type */
        char *acpi_tables[4]; /* raw, rawset, slic, msdm */
        bool has_acpi;
        VmmXmlUnknown unknown;
} VmmDomainOs;

int vmm_domain_os_parse(xmlNodePtr node, unsigned int flags, VmmDomainOs *os, VmmError *error);
int vmm_domain_os_format(const VmmDomainOs *os, xmlNodePtr parent);
bool vmm_domain_os_equal(const VmmDomainOs *a, const VmmDomainOs *b, char **diff);
void vmm_domain_os_init(VmmDomainOs *os);
void vmm_domain_os_done(VmmDomainOs *os);
const char *vmm_domain_os_type_to_string(int type);

/* ---- <cpu>, <vcpu>, <vcpus> (domain-cpu.c, domain-numa.c) ---- */

typedef struct VmmDomainCpuFeature {
        char *name;
        int policy; /* force, require, optional, disable, forbid; -1 */
} VmmDomainCpuFeature;

typedef struct VmmDomainNumaSibling {
        unsigned int id;
        unsigned int value;
} VmmDomainNumaSibling;

typedef struct VmmDomainNumaCell {
        int id; /* -1 when absent */
        char *cpus;
        uint64_t memory_kib;
        int mem_access; /* shared / private, -1 */
        int discard;    /* tristate yes/no */
        VmmDomainNumaSibling *distances;
        size_t n_distances;
        VmmXmlUnknown caches; /* <cache> kept verbatim */
} VmmDomainNumaCell;

typedef struct VmmDomainNuma {
        VmmDomainNumaCell *cells;
        size_t n_cells;
        VmmXmlUnknown interconnects; /* kept verbatim */
        VmmXmlUnknown unknown;
} VmmDomainNuma;

typedef struct VmmDomainCpu {
        bool present;
        int mode;       /* custom, host-model, host-passthrough, maximum; -1 */
        int match;      /* minimum, exact, strict; -1 */
        int check;      /* none, partial, full; -1 */
        int migratable; /* tristate on/off */
        char *model;
        int model_fallback; /* allow / forbid, -1 */
        char *model_vendor_id;
        char *vendor;
        bool has_topology;
        unsigned int sockets, dies, clusters, cores, threads; /* 0: absent */
        VmmDomainCpuFeature *features;
        size_t n_features;
        bool has_cache;
        int cache_level; /* -1 */
        int cache_mode;  /* emulate, passthrough, disable; -1 */
        bool has_maxphysaddr;
        int maxphysaddr_mode;                             /* emulate / passthrough */
        unsigned int maxphysaddr_bits, maxphysaddr_limit; /* 0: absent */
        VmmDomainNuma numa;
        VmmXmlUnknown unknown;
} VmmDomainCpu;

typedef struct VmmDomainVcpuInfo {
        unsigned int id;
        int enabled;        /* tristate yes/no */
        int hotpluggable;   /* tristate yes/no */
        unsigned int order; /* 0: absent */
} VmmDomainVcpuInfo;

int vmm_domain_cpu_parse(xmlNodePtr node, unsigned int flags, VmmDomainCpu *cpu, VmmError *error);
void vmm_domain_cpu_format(const VmmDomainCpu *cpu, xmlNodePtr parent);
bool vmm_domain_cpu_equal(const VmmDomainCpu *a, const VmmDomainCpu *b, char **diff);
void vmm_domain_cpu_init(VmmDomainCpu *cpu);
void vmm_domain_cpu_done(VmmDomainCpu *cpu);

int vmm_domain_numa_parse(xmlNodePtr node, unsigned int flags, VmmDomainNuma *numa,
                          VmmError *error);
void vmm_domain_numa_format(const VmmDomainNuma *numa, xmlNodePtr parent);
bool vmm_domain_numa_equal(const VmmDomainNuma *a, const VmmDomainNuma *b, char **diff);
void vmm_domain_numa_done(VmmDomainNuma *numa);
uint64_t vmm_domain_numa_total_kib(const VmmDomainNuma *numa);

/* ---- <features> (domain-features.c) ---- */

typedef enum VmmDomainFeatureName {
        VMM_DOMAIN_FEATURE_ACPI,
        VMM_DOMAIN_FEATURE_APIC,
        VMM_DOMAIN_FEATURE_PAE,
        VMM_DOMAIN_FEATURE_HAP,
        VMM_DOMAIN_FEATURE_VIRIDIAN,
        VMM_DOMAIN_FEATURE_PRIVNET,
        VMM_DOMAIN_FEATURE_HYPERV,
        VMM_DOMAIN_FEATURE_KVM,
        VMM_DOMAIN_FEATURE_XEN,
        VMM_DOMAIN_FEATURE_PVSPINLOCK,
        VMM_DOMAIN_FEATURE_CAPABILITIES,
        VMM_DOMAIN_FEATURE_PMU,
        VMM_DOMAIN_FEATURE_VMPORT,
        VMM_DOMAIN_FEATURE_GIC,
        VMM_DOMAIN_FEATURE_SMM,
        VMM_DOMAIN_FEATURE_IOAPIC,
        VMM_DOMAIN_FEATURE_HPT,
        VMM_DOMAIN_FEATURE_VMCOREINFO,
        VMM_DOMAIN_FEATURE_HTM,
        VMM_DOMAIN_FEATURE_NESTED_HV,
        VMM_DOMAIN_FEATURE_MSRS,
        VMM_DOMAIN_FEATURE_CCF_ASSIST,
        VMM_DOMAIN_FEATURE_CFPC,
        VMM_DOMAIN_FEATURE_SBBC,
        VMM_DOMAIN_FEATURE_IBS,
        VMM_DOMAIN_FEATURE_TCG,
        VMM_DOMAIN_FEATURE_ASYNC_TEARDOWN,
        VMM_DOMAIN_FEATURE_RAS,
        VMM_DOMAIN_FEATURE_PS2,
        VMM_DOMAIN_FEATURE_AIA,
        _VMM_DOMAIN_FEATURE_MAX
} VmmDomainFeatureName;

/* A child of <hyperv>, <kvm>, <xen> or <capabilities>: <relaxed state='on'/>,
 * <spinlocks state='on' retries='4096'/>, <vendor_id value='...'/>. */
typedef struct VmmDomainFeatureChild {
        char *name;
        int state;              /* tristate on/off */
        char *value;            /* value=, retries=, size=, ... in `value_attr` */
        const char *value_attr; /* static string, NULL when none */
        VmmXmlUnknown children; /* nested content (<stimer><direct/>) verbatim */
} VmmDomainFeatureChild;

typedef struct VmmDomainFeature {
        bool present;
        char *attr;    /* the one attribute the feature has (state, eoi, version, ...) */
        bool has_size; /* <smm><tseg>, <hpt><maxpagesize>, <tcg><tb-cache> */
        uint64_t size_kib;
        VmmDomainFeatureChild *children;
        size_t n_children;
} VmmDomainFeature;

typedef struct VmmDomainFeatures {
        bool present;
        VmmDomainFeature f[_VMM_DOMAIN_FEATURE_MAX];
        VmmXmlUnknown unknown;
} VmmDomainFeatures;

int vmm_domain_features_parse(xmlNodePtr node, unsigned int flags, VmmDomainFeatures *f,
                              VmmError *error);
void vmm_domain_features_format(const VmmDomainFeatures *f, xmlNodePtr parent);
bool vmm_domain_features_equal(const VmmDomainFeatures *a, const VmmDomainFeatures *b, char **diff);
void vmm_domain_features_done(VmmDomainFeatures *f);

/* ---- <clock> (domain-clock.c) ---- */

typedef struct VmmDomainTimer {
        int name;           /* platform, pit, rtc, hpet, tsc, kvmclock, hypervclock, armvtimer */
        int present;        /* tristate yes/no */
        int tickpolicy;     /* delay, catchup, merge, discard; -1 */
        int track;          /* boot, guest, wall, realtime; -1 */
        int mode;           /* auto, native, emulate, paravirt, smpsafe; -1 */
        uint64_t frequency; /* 0: absent */
        bool has_catchup;
        unsigned int catchup_threshold, catchup_slew, catchup_limit; /* 0: absent */
} VmmDomainTimer;

typedef struct VmmDomainClock {
        bool present;
        int offset;       /* utc, localtime, timezone, variable, absolute; -1 */
        char *adjustment; /* "reset" or a signed number of seconds */
        int basis;        /* utc / localtime, -1 */
        char *timezone;
        bool has_start;
        uint64_t start;
        VmmDomainTimer *timers;
        size_t n_timers;
        VmmXmlUnknown unknown;
} VmmDomainClock;

int vmm_domain_clock_parse(xmlNodePtr node, unsigned int flags, VmmDomainClock *clock,
                           VmmError *error);
void vmm_domain_clock_format(const VmmDomainClock *clock, xmlNodePtr parent);
bool vmm_domain_clock_equal(const VmmDomainClock *a, const VmmDomainClock *b, char **diff);
void vmm_domain_clock_done(VmmDomainClock *clock);

/* ---- memory and tuning (domain-memory.c, domain-tune.c) ---- */

typedef struct VmmDomainHugepage {
        uint64_t size_kib; /* 0: default size */
        char *nodeset;
} VmmDomainHugepage;

typedef struct VmmDomainMemoryBacking {
        bool present;
        bool hugepages;
        VmmDomainHugepage *pages;
        size_t n_pages;
        bool nosharepages;
        bool locked;
        int source; /* file, anonymous, memfd; -1 */
        int access; /* shared / private; -1 */
        bool has_allocation;
        int allocation;                  /* immediate / ondemand; -1 */
        unsigned int allocation_threads; /* 0: absent */
        bool discard;
        VmmXmlUnknown unknown;
} VmmDomainMemoryBacking;

typedef struct VmmDomainMemtune {
        bool present;
        bool has[4]; /* hard_limit, soft_limit, swap_hard_limit, min_guarantee */
        uint64_t kib[4];
        VmmXmlUnknown unknown;
} VmmDomainMemtune;

int vmm_domain_memory_backing_parse(xmlNodePtr node, unsigned int flags, VmmDomainMemoryBacking *mb,
                                    VmmError *error);
void vmm_domain_memory_backing_format(const VmmDomainMemoryBacking *mb, xmlNodePtr parent);
bool vmm_domain_memory_backing_equal(const VmmDomainMemoryBacking *a,
                                     const VmmDomainMemoryBacking *b, char **diff);
void vmm_domain_memory_backing_done(VmmDomainMemoryBacking *mb);
int vmm_domain_memtune_parse(xmlNodePtr node, unsigned int flags, VmmDomainMemtune *mt,
                             VmmError *error);
void vmm_domain_memtune_format(const VmmDomainMemtune *mt, xmlNodePtr parent);
bool vmm_domain_memtune_equal(const VmmDomainMemtune *a, const VmmDomainMemtune *b, char **diff);

#include "domain-misc.h"
#include "domain-tune.h"

/* ---- the definition ---- */

struct VmmDomainDef {
        int virt_type;
        int id; /* live id, -1 */
        char *name;
        uint8_t uuid[VMM_UUID_LEN];
        bool has_uuid;
        bool has_genid;
        bool genid_auto; /* <genid/> without a value */
        uint8_t genid[VMM_UUID_LEN];
        char *title;
        char *description;
        VmmXmlUnknown metadata; /* children of <metadata>, verbatim */
        bool has_metadata;
        VmmXmlUnknown extensions; /* namespaced top-level elements (qemu:commandline) */

        uint64_t memory_kib;
        int memory_dump_core;    /* tristate on/off */
        uint64_t max_memory_kib; /* 0: no <maxMemory> */
        unsigned int max_memory_slots;
        uint64_t current_memory_kib; /* 0: absent */
        VmmDomainMemoryBacking memory_backing;
        VmmDomainMemtune memtune;

        unsigned int vcpus_max;     /* <vcpu> */
        unsigned int vcpus_current; /* current=, 0: absent */
        int vcpu_placement;         /* static / auto, -1 */
        char *vcpu_cpuset;
        VmmDomainVcpuInfo *vcpu_info; /* <vcpus> */
        size_t n_vcpu_info;
        VmmDomainCpu cpu;

        VmmDomainTune tune;
        VmmDomainOs os;
        VmmDomainFeatures features;
        VmmDomainClock clock;
        VmmDomainMisc misc;

        int on_poweroff, on_reboot, on_crash; /* VmmDomainLifecycleAction, -1 */
        int on_lockfailure;                   /* poweroff, restart, pause, ignore; -1 */

        VmmDomainDevices *devices;
        VmmXmlUnknown unknown;
        VmmDomainKeptList kept; /* unknown content below the sections */
};

/* domain-vcpu.c: <vcpu>, <vcpus> */
int vmm_domain_vcpu_parse(xmlNodePtr root, VmmDomainDef *def, VmmError *error);
void vmm_domain_vcpu_format(const VmmDomainDef *def, xmlNodePtr root);
bool vmm_domain_vcpu_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff);

/* domain-memory.c: <memory>, <maxMemory>, <currentMemory> */
int vmm_domain_memory_parse(xmlNodePtr root, unsigned int flags, VmmDomainDef *def,
                            VmmError *error);
void vmm_domain_memory_format(const VmmDomainDef *def, xmlNodePtr root);
bool vmm_domain_memory_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff);

/* domain-lifecycle.c: <on_poweroff>, <on_reboot>, <on_crash>, <on_lockfailure> */
int vmm_domain_lifecycle_parse(xmlNodePtr root, VmmDomainDef *def, VmmError *error);
void vmm_domain_lifecycle_format(const VmmDomainDef *def, xmlNodePtr root);
bool vmm_domain_lifecycle_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff);
