/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-disk.h: <disk> and the storage source pieces it shares with
 * <backingStore> and <mirror>. */
#pragma once

#include "domain-address.h"

typedef enum VmmDiskType {
        VMM_DISK_TYPE_NONE = 0,
        VMM_DISK_TYPE_FILE,
        VMM_DISK_TYPE_BLOCK,
        VMM_DISK_TYPE_DIR,
        VMM_DISK_TYPE_NETWORK,
        VMM_DISK_TYPE_VOLUME,
        VMM_DISK_TYPE_NVME,
        VMM_DISK_TYPE_VHOSTUSER,
        VMM_DISK_TYPE_VHOSTVDPA,
        _VMM_DISK_TYPE_MAX
} VmmDiskType;

typedef enum VmmDiskDevice {
        VMM_DISK_DEVICE_NONE = 0, /* "disk" by default */
        VMM_DISK_DEVICE_DISK,
        VMM_DISK_DEVICE_CDROM,
        VMM_DISK_DEVICE_FLOPPY,
        VMM_DISK_DEVICE_LUN,
        _VMM_DISK_DEVICE_MAX
} VmmDiskDevice;

typedef enum VmmDiskBus {
        VMM_DISK_BUS_NONE = 0,
        VMM_DISK_BUS_IDE,
        VMM_DISK_BUS_FDC,
        VMM_DISK_BUS_SCSI,
        VMM_DISK_BUS_VIRTIO,
        VMM_DISK_BUS_XEN,
        VMM_DISK_BUS_USB,
        VMM_DISK_BUS_UML,
        VMM_DISK_BUS_SATA,
        VMM_DISK_BUS_SD,
        VMM_DISK_BUS_NVME,
        _VMM_DISK_BUS_MAX
} VmmDiskBus;

typedef enum VmmDiskCache {
        VMM_DISK_CACHE_NONE_SET = 0,
        VMM_DISK_CACHE_DEFAULT,
        VMM_DISK_CACHE_NONE, /* "none": O_DIRECT */
        VMM_DISK_CACHE_WRITETHROUGH,
        VMM_DISK_CACHE_WRITEBACK,
        VMM_DISK_CACHE_DIRECTSYNC,
        VMM_DISK_CACHE_UNSAFE,
        _VMM_DISK_CACHE_MAX
} VmmDiskCache;

typedef struct VmmDiskSecret {
        char *type, *usage, *uuid;
        VmmDevExtra extra;
} VmmDiskSecret;

typedef struct VmmDiskHost {
        char *name, *transport, *socket;
        int64_t port;
        VmmDevExtra extra;
} VmmDiskHost;

typedef struct VmmDiskAuth {
        char *username;
        VmmDiskSecret *secret;
        VmmDevExtra extra;
} VmmDiskAuth;

typedef struct VmmDiskEncryption {
        int format, engine;
        VmmDiskSecret **secrets;
        size_t n_secrets;
        char *cipher_name, *cipher_mode, *cipher_hash, *ivgen_name, *ivgen_hash;
        int64_t cipher_size;
        VmmDevExtra extra;
} VmmDiskEncryption;

typedef struct VmmDiskSeclabel {
        char *model, *relabel, *labelskip, *label;
        VmmDevExtra extra;
} VmmDiskSeclabel;

typedef struct VmmDiskSlice {
        char *type;
        int64_t offset, size;
        VmmDevExtra extra;
} VmmDiskSlice;

typedef struct VmmDiskSlices {
        VmmDiskSlice **slices;
        size_t n_slices;
        VmmDevExtra extra;
} VmmDiskSlices;

typedef struct VmmDiskCookie {
        char *name, *value;
        VmmDevExtra extra;
} VmmDiskCookie;

typedef struct VmmDiskCookies {
        VmmDiskCookie **cookies;
        size_t n_cookies;
        VmmDevExtra extra;
} VmmDiskCookies;

typedef struct VmmDiskReservations {
        int enabled, managed;
        char *source_type, *source_path, *source_mode;
        VmmDevExtra extra;
} VmmDiskReservations;

typedef struct VmmDiskInitiator {
        char *iqn;
        VmmDevExtra extra;
} VmmDiskInitiator;

/* <source>: which attributes apply depends on the disk type. */
typedef struct VmmDiskSource {
        char *file, *dev, *dir, *name, *pool, *volume, *mode, *type, *path, *query;
        char *fdgroup, *tls_hostname, *snapshot, *config_file, *ssl_verify;
        char *identity_user, *identity_keyfile, *identity_agentsock, *known_hosts;
        int protocol, startup_policy, managed, tls;
        int64_t index, namespace_id, reconnect_delay, timeout, readahead;
        int reconnect_enabled;
        int64_t reconnect_timeout;
        VmmDiskHost **hosts;
        size_t n_hosts;
        VmmDiskAuth *auth;
        VmmDiskEncryption *encryption;
        VmmDiskSeclabel **seclabels;
        size_t n_seclabels;
        VmmDiskReservations *reservations;
        VmmDiskInitiator *initiator;
        VmmDiskSlices *slices;
        VmmDiskCookies *cookies;
        VmmHostdevAddress *address; /* nvme: the host PCI device */
        VmmDevExtra extra;
} VmmDiskSource;

typedef struct VmmDiskMetadataCache {
        int64_t max_size; /* bytes */
        VmmDevExtra extra;
} VmmDiskMetadataCache;

typedef struct VmmDiskBackingStore VmmDiskBackingStore;
struct VmmDiskBackingStore {
        int type; /* VmmDiskType */
        int64_t index;
        char *format;
        VmmDiskMetadataCache *format_cache;
        VmmDiskSource *source;
        VmmDiskBackingStore *backing;
        VmmDevExtra extra;
};

typedef struct VmmDiskMirror {
        int type;
        char *job, *ready, *file, *format_attr, *format;
        VmmDiskMetadataCache *format_cache;
        VmmDiskSource *source;
        VmmDiskBackingStore *backing;
        VmmDevExtra extra;
} VmmDiskMirror;

typedef struct VmmDiskIotune {
        int64_t total_bytes_sec, read_bytes_sec, write_bytes_sec;
        int64_t total_iops_sec, read_iops_sec, write_iops_sec;
        int64_t total_bytes_sec_max, read_bytes_sec_max, write_bytes_sec_max;
        int64_t total_iops_sec_max, read_iops_sec_max, write_iops_sec_max;
        int64_t total_bytes_sec_max_length, read_bytes_sec_max_length;
        int64_t write_bytes_sec_max_length, total_iops_sec_max_length;
        int64_t read_iops_sec_max_length, write_iops_sec_max_length;
        int64_t size_iops_sec;
        char *group_name;
        VmmDevExtra extra;
} VmmDiskIotune;

typedef struct VmmDomainDisk {
        int type;   /* VmmDiskType */
        int device; /* VmmDiskDevice */
        int model, snapshot, rawio, sgio;
        /* <driver> */
        char *driver_name, *driver_type;
        int cache, io, discard, error_policy, rerror_policy, detect_zeroes;
        int ioeventfd, event_idx, copy_on_read, iommu, ats, packed, page_per_vq;
        int64_t iothread, queues, queue_size;
        VmmDiskMetadataCache *metadata_cache;
        VmmDiskSource *source;
        VmmDiskBackingStore *backing;
        VmmDiskMirror *mirror;
        /* <target> */
        char *target_dev;
        int target_bus, tray, removable;
        int64_t rotation_rate;
        bool readonly, shareable, transient;
        char *serial, *wwn, *vendor, *product;
        int64_t geometry_cyls, geometry_heads, geometry_secs;
        char *geometry_trans;
        int64_t logical_block_size, physical_block_size, discard_granularity;
        VmmDiskIotune *iotune;
        VmmDiskEncryption *encryption;
        VmmDiskAuth *auth;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainDisk;

extern const VmmDevDesc vmm_domain_disk_desc;
/* <auth> and <initiator>, shared with <hostdev> sources. */
extern const VmmDevDesc vmm_disk_auth_desc;
extern const VmmDevDesc vmm_disk_initiator_desc;

const char *vmm_disk_bus_to_string(VmmDiskBus v);
int vmm_disk_bus_from_string(const char *s);
const char *vmm_disk_type_to_string(VmmDiskType v);
int vmm_disk_type_from_string(const char *s);
/* Checks that the source fits the disk type; names the disk. */
int vmm_domain_disk_check(const VmmDomainDisk *disk, VmmError *error);
