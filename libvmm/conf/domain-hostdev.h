/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-hostdev.h: devices that pass host resources through: <hostdev>,
 * <redirdev>, <smartcard>, <filesystem>, <shmem>, <memory>, <pstore>. */
#pragma once

#include "domain-address.h"
#include "domain-chr.h"
#include "domain-disk.h"

typedef struct VmmHostdevHost {
        char *name;
        int64_t port;
        VmmDevExtra extra;
} VmmHostdevHost;

typedef struct VmmHostdevSource {
        char *startup_policy, *guest_reset, *write_filtering, *protocol, *name, *wwpn;
        int64_t vendor_id, product_id;
        VmmHostdevAddress *address;
        char *adapter_name;
        VmmDiskAuth *auth;
        VmmDiskInitiator *initiator;
        VmmHostdevHost **hosts;
        size_t n_hosts;
        char *block, *char_dev, *interface;
        VmmDevExtra extra;
} VmmHostdevSource;

typedef struct VmmDomainHostdev {
        char *mode, *type, *model, *display, *ramfb, *sgio, *rawio;
        int managed;
        VmmHostdevSource *source;
        char *driver_name, *driver_model;
        char *teaming_type, *teaming_persistent;
        int rom_bar, rom_enabled;
        char *rom_file;
        bool readonly, shareable;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainHostdev;

typedef struct VmmDomainRedirdev {
        char *bus, *type, *protocol;
        VmmChrSource **sources;
        size_t n_sources;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainRedirdev;

typedef struct VmmSmartcardCert {
        char *path;
        VmmDevExtra extra;
} VmmSmartcardCert;

typedef struct VmmDomainSmartcard {
        char *mode, *type, *database, *protocol;
        VmmSmartcardCert **certificates;
        size_t n_certificates;
        VmmChrSource **sources;
        size_t n_sources;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainSmartcard;

/* <binary>: virtiofsd options */
typedef struct VmmFsBinary {
        char *path, *xattr, *cache_mode, *sandbox_mode, *lock_posix, *lock_flock;
        VmmDevExtra extra;
} VmmFsBinary;

typedef struct VmmDomainFilesystem {
        char *type, *accessmode, *model, *multidevs, *fmode, *dmode;
        char *driver_type, *driver_format, *driver_wrpolicy;
        int64_t driver_queue;
        VmmDevVirtio virtio;
        VmmFsBinary *binary;
        char *source_dir, *source_file, *source_name, *source_socket, *source_usage_units;
        int64_t source_usage;
        char *target_dir;
        bool readonly;
        int64_t space_hard_limit, space_soft_limit;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainFilesystem;

typedef struct VmmDomainShmem {
        char *name, *role, *model, *server_path;
        int64_t size, msi_vectors;
        int msi_ioeventfd;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainShmem;

typedef struct VmmMemorySource {
        int64_t pagesize, alignsize;
        char *nodemask, *path;
        bool pmem;
        VmmDevExtra extra;
} VmmMemorySource;

typedef struct VmmMemoryLabel {
        int64_t size;
        VmmDevExtra extra;
} VmmMemoryLabel;

typedef struct VmmMemoryTarget {
        int64_t size, node, block, requested, current, address_base;
        VmmMemoryLabel *label;
        bool readonly;
        VmmDevExtra extra;
} VmmMemoryTarget;

typedef struct VmmDomainMemory {
        char *model, *access;
        int discard;
        VmmMemorySource *source;
        VmmMemoryTarget *target;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainMemory;

typedef struct VmmDomainPstore {
        char *backend, *path;
        int64_t size;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainPstore;

extern const VmmDevDesc vmm_domain_hostdev_desc;
extern const VmmDevDesc vmm_domain_redirdev_desc;
extern const VmmDevDesc vmm_domain_smartcard_desc;
extern const VmmDevDesc vmm_domain_filesystem_desc;
extern const VmmDevDesc vmm_domain_shmem_desc;
extern const VmmDevDesc vmm_domain_memory_desc;
extern const VmmDevDesc vmm_domain_pstore_desc;

int vmm_domain_hostdev_check(const VmmDomainHostdev *hostdev, VmmError *error);
int vmm_domain_shmem_check(const VmmDomainShmem *shmem, VmmError *error);
int vmm_domain_filesystem_check(const VmmDomainFilesystem *fs, VmmError *error);
