/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-tune.h: <cputune>, <numatune>, <blkiotune> and the I/O thread
 * elements (<iothreads>, <iothreadids>, <defaultiothread>). Included by
 * domain-priv.h only.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "xml-util.h"

typedef struct VmmDomainPin {
        unsigned int id; /* vcpu or iothread id */
        char *cpuset;
} VmmDomainPin;

typedef struct VmmDomainSched {
        char *ids;     /* vcpus= / iothreads= (a set) */
        int scheduler; /* other, batch, idle, fifo, rr */
        int priority;
        bool has_priority;
} VmmDomainSched;

/* <cputune> scalar children, in document order */
typedef enum VmmDomainCputuneValue {
        VMM_CPUTUNE_SHARES,
        VMM_CPUTUNE_PERIOD,
        VMM_CPUTUNE_QUOTA,
        VMM_CPUTUNE_GLOBAL_PERIOD,
        VMM_CPUTUNE_GLOBAL_QUOTA,
        VMM_CPUTUNE_EMULATOR_PERIOD,
        VMM_CPUTUNE_EMULATOR_QUOTA,
        VMM_CPUTUNE_IOTHREAD_PERIOD,
        VMM_CPUTUNE_IOTHREAD_QUOTA,
        _VMM_CPUTUNE_VALUE_MAX
} VmmDomainCputuneValue;

typedef struct VmmDomainNumaMemnode {
        unsigned int cellid;
        int mode; /* strict, preferred, interleave, restrictive; -1 */
        char *nodeset;
} VmmDomainNumaMemnode;

typedef struct VmmDomainBlkioDevice {
        char *path;
        unsigned int weight; /* 0: absent */
        uint64_t v[4];       /* read_bytes_sec, write_bytes_sec, read_iops_sec, write_iops_sec */
        bool has[4];
} VmmDomainBlkioDevice;

typedef struct VmmDomainIothread {
        unsigned int id;
        int pool_min, pool_max; /* -1: absent */
        bool has_poll;
        uint64_t poll_max, poll_grow, poll_shrink;
        bool has_poll_max, has_poll_grow, has_poll_shrink;
} VmmDomainIothread;

typedef struct VmmDomainTune {
        /* <cputune> */
        bool cputune;
        long long value[_VMM_CPUTUNE_VALUE_MAX];
        bool has_value[_VMM_CPUTUNE_VALUE_MAX];
        VmmDomainPin *vcpupins;
        size_t n_vcpupins;
        char *emulatorpin;
        VmmDomainPin *iothreadpins;
        size_t n_iothreadpins;
        VmmDomainSched *vcpuscheds;
        size_t n_vcpuscheds;
        VmmDomainSched *iothreadscheds;
        size_t n_iothreadscheds;
        VmmDomainSched emulatorsched;
        bool has_emulatorsched;
        /* <numatune> */
        bool numatune;
        bool has_numa_memory;
        int numa_mode;      /* -1 */
        int numa_placement; /* static / auto, -1 */
        char *numa_nodeset;
        VmmDomainNumaMemnode *memnodes;
        size_t n_memnodes;
        /* <blkiotune> */
        bool blkiotune;
        unsigned int blkio_weight; /* 0: absent */
        VmmDomainBlkioDevice *blkio_devices;
        size_t n_blkio_devices;
        /* I/O threads */
        unsigned int iothreads; /* <iothreads>, 0: absent */
        VmmDomainIothread *iothreadids;
        size_t n_iothreadids;
        bool has_default_iothread;
        int default_pool_min, default_pool_max; /* -1: absent */
        /* unknown content kept (VMM_DOMAIN_DEF_KEEP_UNKNOWN) of <cputune>,
         * <numatune>, <blkiotune> */
        VmmXmlUnknown unknown[3];
} VmmDomainTune;

/* Each parse reads its own top-level element(s) from the <domain> root. */
int vmm_domain_tune_parse(xmlNodePtr root, unsigned int flags, VmmDomainTune *tune,
                          VmmError *error);
void vmm_domain_tune_format(const VmmDomainTune *tune, xmlNodePtr root);
bool vmm_domain_tune_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff);
void vmm_domain_tune_init(VmmDomainTune *tune);
void vmm_domain_tune_done(VmmDomainTune *tune);

/* domain-iothread.c */
int vmm_domain_iothread_parse(xmlNodePtr root, VmmDomainTune *tune, VmmError *error);
void vmm_domain_iothread_format(const VmmDomainTune *tune, xmlNodePtr root);
bool vmm_domain_iothread_equal(const VmmDomainTune *a, const VmmDomainTune *b, char **diff);
