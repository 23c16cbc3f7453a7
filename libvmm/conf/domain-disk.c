/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-disk.c: <disk>: type file/block/dir/network/volume/nvme/vhostuser,
 * device disk/cdrom/floppy/lun, <driver>, <source> (with hosts, auth,
 * encryption, seclabels, slices, cookies, reservations), <backingStore>
 * chains, <mirror>, <target>, <iotune> and the flags and identifiers.
 */
#include <errno.h>
#include <string.h>

#include "domain-disk.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const disk_type_table[_VMM_DISK_TYPE_MAX] = {
    [VMM_DISK_TYPE_FILE] = "file",
    [VMM_DISK_TYPE_BLOCK] = "block",
    [VMM_DISK_TYPE_DIR] = "dir",
    [VMM_DISK_TYPE_NETWORK] = "network",
    [VMM_DISK_TYPE_VOLUME] = "volume",
    [VMM_DISK_TYPE_NVME] = "nvme",
    [VMM_DISK_TYPE_VHOSTUSER] = "vhostuser",
    [VMM_DISK_TYPE_VHOSTVDPA] = "vhostvdpa",
};
VMM_DEFINE_ENUM_TABLE(vmm_disk_type, VmmDiskType, disk_type_table, _VMM_DISK_TYPE_MAX)

static const char *const disk_device_table[_VMM_DISK_DEVICE_MAX] = {
    [VMM_DISK_DEVICE_DISK] = "disk",
    [VMM_DISK_DEVICE_CDROM] = "cdrom",
    [VMM_DISK_DEVICE_FLOPPY] = "floppy",
    [VMM_DISK_DEVICE_LUN] = "lun",
};

static const char *const disk_bus_table[_VMM_DISK_BUS_MAX] = {
    [VMM_DISK_BUS_IDE] = "ide",       [VMM_DISK_BUS_FDC] = "fdc",   [VMM_DISK_BUS_SCSI] = "scsi",
    [VMM_DISK_BUS_VIRTIO] = "virtio", [VMM_DISK_BUS_XEN] = "xen",   [VMM_DISK_BUS_USB] = "usb",
    [VMM_DISK_BUS_UML] = "uml",       [VMM_DISK_BUS_SATA] = "sata", [VMM_DISK_BUS_SD] = "sd",
    [VMM_DISK_BUS_NVME] = "nvme",
};
VMM_DEFINE_ENUM_TABLE(vmm_disk_bus, VmmDiskBus, disk_bus_table, _VMM_DISK_BUS_MAX)

static const char *const disk_cache_table[_VMM_DISK_CACHE_MAX] = {
    [VMM_DISK_CACHE_DEFAULT] = "default",           [VMM_DISK_CACHE_NONE] = "none",
    [VMM_DISK_CACHE_WRITETHROUGH] = "writethrough", [VMM_DISK_CACHE_WRITEBACK] = "writeback",
    [VMM_DISK_CACHE_DIRECTSYNC] = "directsync",     [VMM_DISK_CACHE_UNSAFE] = "unsafe",
};

static const char *const disk_model_table[] = {NULL, "virtio", "virtio-transitional",
                                               "virtio-non-transitional"};
static const char *const disk_snapshot_table[] = {NULL, "no", "internal", "external", "manual"};
static const char *const disk_sgio_table[] = {NULL, "filtered", "unfiltered"};
static const char *const disk_io_table[] = {NULL, "threads", "native", "io_uring"};
static const char *const disk_discard_table[] = {NULL, "unmap", "ignore"};
static const char *const disk_error_policy_table[] = {NULL, "stop", "report", "ignore", "enospace"};
static const char *const disk_rerror_policy_table[] = {NULL, "stop", "report", "ignore"};
static const char *const disk_detect_zeroes_table[] = {NULL, "off", "on", "unmap"};
static const char *const disk_tray_table[] = {NULL, "open", "closed"};
static const char *const disk_protocol_table[] = {NULL,    "nbd",  "rbd",   "sheepdog", "gluster",
                                                  "iscsi", "http", "https", "ftp",      "ftps",
                                                  "tftp",  "ssh",  "vxhs",  "nfs"};
static const char *const disk_startup_table[] = {NULL, "mandatory", "requisite", "optional"};
static const char *const disk_enc_format_table[] = {NULL,   "default", "qcow",
                                                    "luks", "luks2",   "luks-any"};
static const char *const disk_enc_engine_table[] = {NULL, "default", "qemu", "librbd"};

#define DESC(T, elem, id, tbl)                                                                     \
        {                                                                                          \
                .name = elem, .rng_id = id, .size = sizeof(T), .fields = tbl,                      \
                .n_fields = ARRAY_SIZE(tbl), .extra_offset = offsetof(T, extra)                    \
        }

static const VmmDevField secret_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, VmmDiskSecret, type),
    VMM_DEVF(NULL, "usage", VMM_DEVF_STR, VmmDiskSecret, usage),
    VMM_DEVF(NULL, "uuid", VMM_DEVF_STR, VmmDiskSecret, uuid),
};
static const VmmDevDesc secret_desc =
    DESC(VmmDiskSecret, "secret", "dev-disk-secret", secret_fields);

static const VmmDevField host_fields[] = {
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, VmmDiskHost, name),
    VMM_DEVF(NULL, "port", VMM_DEVF_UINT, VmmDiskHost, port),
    VMM_DEVF(NULL, "transport", VMM_DEVF_STR, VmmDiskHost, transport),
    VMM_DEVF(NULL, "socket", VMM_DEVF_STR, VmmDiskHost, socket),
};
static const VmmDevDesc host_desc = DESC(VmmDiskHost, "host", "dev-disk-host", host_fields);

static const VmmDevField auth_fields[] = {
    VMM_DEVF(NULL, "username", VMM_DEVF_STR, VmmDiskAuth, username),
    VMM_DEVF_S(NULL, "secret", VmmDiskAuth, secret, &secret_desc),
};
const VmmDevDesc vmm_disk_auth_desc = DESC(VmmDiskAuth, "auth", "dev-disk-auth", auth_fields);

#define E VmmDiskEncryption
static const VmmDevField encryption_fields[] = {
    VMM_DEVF_E(NULL, "format", E, format, disk_enc_format_table),
    VMM_DEVF_E(NULL, "engine", E, engine, disk_enc_engine_table),
    VMM_DEVF_L(NULL, "secret", E, secrets, n_secrets, &secret_desc),
    VMM_DEVF("cipher", "name", VMM_DEVF_STR, E, cipher_name),
    VMM_DEVF("cipher", "size", VMM_DEVF_UINT, E, cipher_size),
    VMM_DEVF("cipher", "mode", VMM_DEVF_STR, E, cipher_mode),
    VMM_DEVF("cipher", "hash", VMM_DEVF_STR, E, cipher_hash),
    VMM_DEVF("ivgen", "name", VMM_DEVF_STR, E, ivgen_name),
    VMM_DEVF("ivgen", "hash", VMM_DEVF_STR, E, ivgen_hash),
};
#undef E
static const VmmDevDesc encryption_desc =
    DESC(VmmDiskEncryption, "encryption", "dev-disk-encryption", encryption_fields);

static const VmmDevField seclabel_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, VmmDiskSeclabel, model),
    VMM_DEVF(NULL, "relabel", VMM_DEVF_STR, VmmDiskSeclabel, relabel),
    VMM_DEVF(NULL, "labelskip", VMM_DEVF_STR, VmmDiskSeclabel, labelskip),
    VMM_DEVF("label", NULL, VMM_DEVF_STR, VmmDiskSeclabel, label),
};
static const VmmDevDesc seclabel_desc =
    DESC(VmmDiskSeclabel, "seclabel", "dev-disk-seclabel", seclabel_fields);

static const VmmDevField slice_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, VmmDiskSlice, type),
    VMM_DEVF(NULL, "offset", VMM_DEVF_UINT, VmmDiskSlice, offset),
    VMM_DEVF(NULL, "size", VMM_DEVF_UINT, VmmDiskSlice, size),
};
static const VmmDevDesc slice_desc = DESC(VmmDiskSlice, "slice", "dev-disk-slice", slice_fields);
static const VmmDevField slices_fields[] = {
    VMM_DEVF_L(NULL, "slice", VmmDiskSlices, slices, n_slices, &slice_desc),
};
static const VmmDevDesc slices_desc =
    DESC(VmmDiskSlices, "slices", "dev-disk-slices", slices_fields);

static const VmmDevField cookie_fields[] = {
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, VmmDiskCookie, name),
    VMM_DEVF(NULL, NULL, VMM_DEVF_STR, VmmDiskCookie, value),
};
static const VmmDevDesc cookie_desc =
    DESC(VmmDiskCookie, "cookie", "dev-disk-cookie", cookie_fields);
static const VmmDevField cookies_fields[] = {
    VMM_DEVF_L(NULL, "cookie", VmmDiskCookies, cookies, n_cookies, &cookie_desc),
};
static const VmmDevDesc cookies_desc =
    DESC(VmmDiskCookies, "cookies", "dev-disk-cookies", cookies_fields);

#define R VmmDiskReservations
static const VmmDevField reservations_fields[] = {
    VMM_DEVF_E(NULL, "enabled", R, enabled, vmm_dev_yesno_table),
    VMM_DEVF_E(NULL, "managed", R, managed, vmm_dev_yesno_table),
    VMM_DEVF("source", "type", VMM_DEVF_STR, R, source_type),
    VMM_DEVF("source", "path", VMM_DEVF_STR, R, source_path),
    VMM_DEVF("source", "mode", VMM_DEVF_STR, R, source_mode),
};
#undef R
static const VmmDevDesc reservations_desc =
    DESC(VmmDiskReservations, "reservations", "dev-disk-reservations", reservations_fields);

static const VmmDevField initiator_fields[] = {
    VMM_DEVF("iqn", "name", VMM_DEVF_STR, VmmDiskInitiator, iqn),
};
const VmmDevDesc vmm_disk_initiator_desc =
    DESC(VmmDiskInitiator, "initiator", "dev-disk-initiator", initiator_fields);

#define S VmmDiskSource
static const VmmDevField source_fields[] = {
    VMM_DEVF(NULL, "file", VMM_DEVF_STR, S, file),
    VMM_DEVF(NULL, "dev", VMM_DEVF_STR, S, dev),
    VMM_DEVF(NULL, "dir", VMM_DEVF_STR, S, dir),
    VMM_DEVF_E(NULL, "protocol", S, protocol, disk_protocol_table),
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, S, name),
    VMM_DEVF(NULL, "query", VMM_DEVF_STR, S, query),
    VMM_DEVF(NULL, "pool", VMM_DEVF_STR, S, pool),
    VMM_DEVF(NULL, "volume", VMM_DEVF_STR, S, volume),
    VMM_DEVF(NULL, "mode", VMM_DEVF_STR, S, mode),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, S, type),
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, S, path),
    VMM_DEVF_E(NULL, "managed", S, managed, vmm_dev_yesno_table),
    VMM_DEVF(NULL, "namespace", VMM_DEVF_UINT, S, namespace_id),
    VMM_DEVF(NULL, "index", VMM_DEVF_UINT, S, index),
    VMM_DEVF_E(NULL, "startupPolicy", S, startup_policy, disk_startup_table),
    VMM_DEVF_E(NULL, "tls", S, tls, vmm_dev_yesno_table),
    VMM_DEVF(NULL, "tlsHostname", VMM_DEVF_STR, S, tls_hostname),
    VMM_DEVF(NULL, "fdgroup", VMM_DEVF_STR, S, fdgroup),
    VMM_DEVF_L(NULL, "host", S, hosts, n_hosts, &host_desc),
    VMM_DEVF("snapshot", "name", VMM_DEVF_STR, S, snapshot),
    VMM_DEVF("config", "file", VMM_DEVF_STR, S, config_file),
    VMM_DEVF_S(NULL, "auth", S, auth, &vmm_disk_auth_desc),
    VMM_DEVF_S(NULL, "encryption", S, encryption, &encryption_desc),
    VMM_DEVF_S(NULL, "reservations", S, reservations, &reservations_desc),
    VMM_DEVF_S(NULL, "initiator", S, initiator, &vmm_disk_initiator_desc),
    VMM_DEVF_L(NULL, "seclabel", S, seclabels, n_seclabels, &seclabel_desc),
    VMM_DEVF_S(NULL, "slices", S, slices, &slices_desc),
    VMM_DEVF_S(NULL, "cookies", S, cookies, &cookies_desc),
    VMM_DEVF("ssl", "verify", VMM_DEVF_STR, S, ssl_verify),
    VMM_DEVF("readahead", "size", VMM_DEVF_UINT, S, readahead),
    VMM_DEVF("timeout", "seconds", VMM_DEVF_UINT, S, timeout),
    VMM_DEVF_E("reconnect", "enabled", S, reconnect_enabled, vmm_dev_yesno_table),
    VMM_DEVF("reconnect", "delay", VMM_DEVF_UINT, S, reconnect_delay),
    VMM_DEVF("reconnect", "timeout", VMM_DEVF_UINT, S, reconnect_timeout),
    VMM_DEVF("identity", "username", VMM_DEVF_STR, S, identity_user),
    VMM_DEVF("identity", "keyfile", VMM_DEVF_STR, S, identity_keyfile),
    VMM_DEVF("identity", "agentsock", VMM_DEVF_STR, S, identity_agentsock),
    VMM_DEVF("knownHosts", "path", VMM_DEVF_STR, S, known_hosts),
    VMM_DEVF_S(NULL, "address", S, address, &vmm_dev_host_address_desc),
};
#undef S
static const VmmDevDesc source_desc =
    DESC(VmmDiskSource, "source", "dev-disk-source", source_fields);

static const VmmDevField cache_fields[] = {
    VMM_DEVF("max_size", NULL, VMM_DEVF_BYTES, VmmDiskMetadataCache, max_size),
};
static const VmmDevDesc cache_desc =
    DESC(VmmDiskMetadataCache, "metadata_cache", "dev-disk-metadata-cache", cache_fields);

#define B VmmDiskBackingStore
static const VmmDevDesc backing_desc;
static const VmmDevField backing_fields[] = {
    VMM_DEVF_E(NULL, "type", B, type, disk_type_table),
    VMM_DEVF(NULL, "index", VMM_DEVF_UINT, B, index),
    VMM_DEVF("format", "type", VMM_DEVF_STR, B, format),
    VMM_DEVF_S("format", "metadata_cache", B, format_cache, &cache_desc),
    VMM_DEVF_S(NULL, "source", B, source, &source_desc),
    VMM_DEVF_S(NULL, "backingStore", B, backing, &backing_desc),
};
#undef B
static const VmmDevDesc backing_desc =
    DESC(VmmDiskBackingStore, "backingStore", "dev-disk-backingstore", backing_fields);

#define M VmmDiskMirror
static const VmmDevField mirror_fields[] = {
    VMM_DEVF_E(NULL, "type", M, type, disk_type_table),
    VMM_DEVF(NULL, "job", VMM_DEVF_STR, M, job),
    VMM_DEVF(NULL, "ready", VMM_DEVF_STR, M, ready),
    VMM_DEVF(NULL, "file", VMM_DEVF_STR, M, file),
    VMM_DEVF(NULL, "format", VMM_DEVF_STR, M, format_attr),
    VMM_DEVF("format", "type", VMM_DEVF_STR, M, format),
    VMM_DEVF_S("format", "metadata_cache", M, format_cache, &cache_desc),
    VMM_DEVF_S(NULL, "source", M, source, &source_desc),
    VMM_DEVF_S(NULL, "backingStore", M, backing, &backing_desc),
};
#undef M
static const VmmDevDesc mirror_desc =
    DESC(VmmDiskMirror, "mirror", "dev-disk-mirror", mirror_fields);

#define I VmmDiskIotune
#define IOT(n) VMM_DEVF(#n, NULL, VMM_DEVF_UINT, I, n)
static const VmmDevField iotune_fields[] = {
    IOT(total_bytes_sec),
    IOT(read_bytes_sec),
    IOT(write_bytes_sec),
    IOT(total_iops_sec),
    IOT(read_iops_sec),
    IOT(write_iops_sec),
    IOT(total_bytes_sec_max),
    IOT(read_bytes_sec_max),
    IOT(write_bytes_sec_max),
    IOT(total_iops_sec_max),
    IOT(read_iops_sec_max),
    IOT(write_iops_sec_max),
    VMM_DEVF("group_name", NULL, VMM_DEVF_STR, I, group_name),
    IOT(total_bytes_sec_max_length),
    IOT(read_bytes_sec_max_length),
    IOT(write_bytes_sec_max_length),
    IOT(total_iops_sec_max_length),
    IOT(read_iops_sec_max_length),
    IOT(write_iops_sec_max_length),
    IOT(size_iops_sec),
};
#undef IOT
#undef I
static const VmmDevDesc iotune_desc =
    DESC(VmmDiskIotune, "iotune", "dev-disk-iotune", iotune_fields);

#define D VmmDomainDisk
static const VmmDevField disk_fields[] = {
    VMM_DEVF_E(NULL, "type", D, type, disk_type_table),
    VMM_DEVF_E(NULL, "device", D, device, disk_device_table),
    VMM_DEVF_E(NULL, "model", D, model, disk_model_table),
    VMM_DEVF_E(NULL, "snapshot", D, snapshot, disk_snapshot_table),
    VMM_DEVF_E(NULL, "rawio", D, rawio, vmm_dev_yesno_table),
    VMM_DEVF_E(NULL, "sgio", D, sgio, disk_sgio_table),
    VMM_DEVF("driver", "name", VMM_DEVF_STR, D, driver_name),
    VMM_DEVF("driver", "type", VMM_DEVF_STR, D, driver_type),
    VMM_DEVF_E("driver", "cache", D, cache, disk_cache_table),
    VMM_DEVF_E("driver", "error_policy", D, error_policy, disk_error_policy_table),
    VMM_DEVF_E("driver", "rerror_policy", D, rerror_policy, disk_rerror_policy_table),
    VMM_DEVF_E("driver", "io", D, io, disk_io_table),
    VMM_DEVF_E("driver", "ioeventfd", D, ioeventfd, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "event_idx", D, event_idx, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "copy_on_read", D, copy_on_read, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "discard", D, discard, disk_discard_table),
    VMM_DEVF_E("driver", "detect_zeroes", D, detect_zeroes, disk_detect_zeroes_table),
    VMM_DEVF("driver", "iothread", VMM_DEVF_UINT, D, iothread),
    VMM_DEVF("driver", "queues", VMM_DEVF_UINT, D, queues),
    VMM_DEVF("driver", "queue_size", VMM_DEVF_UINT, D, queue_size),
    VMM_DEVF_E("driver", "iommu", D, iommu, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "ats", D, ats, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "packed", D, packed, vmm_dev_onoff_table),
    VMM_DEVF_E("driver", "page_per_vq", D, page_per_vq, vmm_dev_onoff_table),
    VMM_DEVF_S("driver", "metadata_cache", D, metadata_cache, &cache_desc),
    VMM_DEVF_S(NULL, "auth", D, auth, &vmm_disk_auth_desc),
    VMM_DEVF_S(NULL, "source", D, source, &source_desc),
    VMM_DEVF_S(NULL, "backingStore", D, backing, &backing_desc),
    VMM_DEVF_S(NULL, "mirror", D, mirror, &mirror_desc),
    VMM_DEVF("target", "dev", VMM_DEVF_STR, D, target_dev),
    VMM_DEVF_E("target", "bus", D, target_bus, disk_bus_table),
    VMM_DEVF_E("target", "tray", D, tray, disk_tray_table),
    VMM_DEVF_E("target", "removable", D, removable, vmm_dev_onoff_table),
    VMM_DEVF("target", "rotation_rate", VMM_DEVF_UINT, D, rotation_rate),
    VMM_DEVF("geometry", "cyls", VMM_DEVF_UINT, D, geometry_cyls),
    VMM_DEVF("geometry", "heads", VMM_DEVF_UINT, D, geometry_heads),
    VMM_DEVF("geometry", "secs", VMM_DEVF_UINT, D, geometry_secs),
    VMM_DEVF("geometry", "trans", VMM_DEVF_STR, D, geometry_trans),
    VMM_DEVF("blockio", "logical_block_size", VMM_DEVF_UINT, D, logical_block_size),
    VMM_DEVF("blockio", "physical_block_size", VMM_DEVF_UINT, D, physical_block_size),
    VMM_DEVF("blockio", "discard_granularity", VMM_DEVF_UINT, D, discard_granularity),
    VMM_DEVF_S(NULL, "iotune", D, iotune, &iotune_desc),
    VMM_DEVF("readonly", NULL, VMM_DEVF_FLAG, D, readonly),
    VMM_DEVF("shareable", NULL, VMM_DEVF_FLAG, D, shareable),
    VMM_DEVF("transient", NULL, VMM_DEVF_FLAG, D, transient),
    VMM_DEVF("serial", NULL, VMM_DEVF_STR, D, serial),
    VMM_DEVF("wwn", NULL, VMM_DEVF_STR, D, wwn),
    VMM_DEVF("vendor", NULL, VMM_DEVF_STR, D, vendor),
    VMM_DEVF("product", NULL, VMM_DEVF_STR, D, product),
    VMM_DEVF_S(NULL, "encryption", D, encryption, &encryption_desc),
    VMM_DEVINFO_FIELDS(D),
};
#undef D

const VmmDevDesc vmm_domain_disk_desc = DESC(VmmDomainDisk, "disk", "dev-disk", disk_fields);

/* Which <source> attribute names the data for each disk type. */
static const char *disk_source_what(const VmmDomainDisk *disk)
{
        const VmmDiskSource *s = disk->source;

        switch (disk->type) {
        case VMM_DISK_TYPE_FILE:
                return s->file ? NULL : "file";
        case VMM_DISK_TYPE_BLOCK:
                return s->dev ? NULL : "dev";
        case VMM_DISK_TYPE_DIR:
                return s->dir ? NULL : "dir";
        case VMM_DISK_TYPE_NETWORK:
                return s->protocol ? NULL : "protocol";
        case VMM_DISK_TYPE_VOLUME:
                return s->pool && s->volume ? NULL : "pool' and 'volume";
        default:
                return NULL;
        }
}

static bool disk_has_cipher(const VmmDiskEncryption *e)
{
        return e && (e->cipher_name || e->ivgen_name);
}

/* A device-level label: relabel='yes' needs the <label> to apply,
 * relabel='no' has nothing to apply it to. */
static int disk_check_seclabels(const char *target, const VmmDiskSource *src, VmmError *error)
{
        for (size_t i = 0; src && i < src->n_seclabels; i++) {
                const VmmDiskSeclabel *l = src->seclabels[i];
                const char *model = l->model ? l->model : "?";

                if (l->relabel && strcmp(l->relabel, "yes") == 0 && !l->label)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "disk '%s': <seclabel model='%s' relabel='yes'> "
                                             "needs a <label> (or relabel='no')",
                                             target, model);
                if (l->relabel && strcmp(l->relabel, "no") == 0 && l->label)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "disk '%s': <seclabel model='%s'>: a <label> "
                                             "cannot be given with relabel='no'",
                                             target, model);
        }
        return 0;
}

int vmm_domain_disk_check(const VmmDomainDisk *disk, VmmError *error)
{
        const char *target = disk->target_dev ? disk->target_dev : "?";
        const char *missing;
        int r;

        if (!disk->target_dev)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "disk: <target dev=...> is missing (expected e.g. "
                                     "<target dev='vda' bus='virtio'/>)");
        /* the cipher is chosen when the volume is created, not by the guest */
        if (disk_has_cipher(disk->encryption) ||
            (disk->source && disk_has_cipher(disk->source->encryption)))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "disk '%s': <encryption> of a domain disk takes no "
                                     "<cipher> or <ivgen> (they belong to the volume's "
                                     "definition)",
                                     target);
        r = disk_check_seclabels(target, disk->source, error);
        if (r < 0)
                return r;
        /* an empty cdrom or floppy has no source */
        if (!disk->source)
                return disk->device == VMM_DISK_DEVICE_CDROM ||
                               disk->device == VMM_DISK_DEVICE_FLOPPY ||
                               disk->type == VMM_DISK_TYPE_FILE || disk->type == VMM_DISK_TYPE_BLOCK
                           ? 0
                           : vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                           "disk '%s': a %s disk needs a <source>", target,
                                           strna(disk_type_table[disk->type]));
        missing = disk_source_what(disk);
        if (missing && disk->device != VMM_DISK_DEVICE_CDROM &&
            disk->device != VMM_DISK_DEVICE_FLOPPY)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "disk '%s': <source> of a %s disk needs '%s'", target,
                                     disk_type_table[disk->type], missing);
        return 0;
}
