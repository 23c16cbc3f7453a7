/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-disk.c: each <disk> as two -blockdev nodes (the protocol
 * node "vmm-<target>-storage": file or host_device; the format node
 * "vmm-<target>-format": raw or qcow2) and a -device (virtio-blk-pci,
 * ide-hd/ide-cd, scsi-hd/scsi-cd on a SCSI controller, ide-hd on SATA).
 * An empty CD-ROM has no -blockdev.
 *
 * Cache modes, as libvirt maps them: cache.direct (O_DIRECT) and
 * cache.no-flush on both nodes, write-cache on the device:
 *   writeback: direct=off no-flush=off write-cache=on
 *   none:      direct=on  no-flush=off write-cache=on
 *   writethrough: direct=off no-flush=off write-cache=off
 *   directsync:   direct=on  no-flush=off write-cache=off
 *   unsafe:    direct=off no-flush=on  write-cache=on
 * 'default' (or no cache=) leaves all three to QEMU.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "qemu-command-priv.h"

enum { DISK_IO_THREADS = 1, DISK_IO_NATIVE, DISK_IO_URING };
enum { DISK_DISCARD_UNMAP = 1, DISK_DISCARD_IGNORE };
enum { DISK_ERR_STOP = 1, DISK_ERR_REPORT, DISK_ERR_IGNORE, DISK_ERR_ENOSPACE };

typedef struct DiskCache {
        int direct, no_flush, write_cache; /* -1: leave to QEMU */
} DiskCache;

static DiskCache disk_cache(const VmmDomainDisk *d)
{
        switch (d->cache) {
        case VMM_DISK_CACHE_WRITEBACK:
                return (DiskCache){0, 0, 1};
        case VMM_DISK_CACHE_NONE:
                return (DiskCache){1, 0, 1};
        case VMM_DISK_CACHE_WRITETHROUGH:
                return (DiskCache){0, 0, 0};
        case VMM_DISK_CACHE_DIRECTSYNC:
                return (DiskCache){1, 0, 0};
        case VMM_DISK_CACHE_UNSAFE:
                return (DiskCache){0, 1, 1};
        default:
                return (DiskCache){-1, -1, -1};
        }
}

static bool disk_is_cdrom(const VmmDomainDisk *d)
{
        return d->device == VMM_DISK_DEVICE_CDROM;
}

/* The index a target name implies: "vda" 0, "hdc" 2, "sdab" 27. */
static int64_t disk_name_index(const char *dev)
{
        size_t skip = strncmp(dev, "xvd", 3) == 0 ? 3 : 2;
        int64_t idx = 0;

        if (strlen(dev) <= skip)
                return -1;
        for (const char *p = dev + skip; *p; p++) {
                if (*p < 'a' || *p > 'z' || idx > 100000)
                        return -1;
                idx = idx * 26 + (*p - 'a') + 1;
        }
        return idx - 1;
}

static int disk_check_target(VmmQemuBuild *b, const VmmDomainDisk *d)
{
        const char *t = d->target_dev;

        if (!t || !*t)
                return vmm_qemu_build_error(b, "disk: <target dev=...> is missing (expected "
                                               "e.g. <target dev='vda' bus='virtio'/>)");
        if (strlen(t) > 16 || strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(t) ||
            t[0] < 'a' || t[0] > 'z')
                return vmm_qemu_build_error(b,
                                            "disk '%s': the target name is not usable as a "
                                            "QEMU id (expected up to 16 lower-case letters "
                                            "and digits, e.g. 'vda')",
                                            t);
        return 0;
}

static int disk_check(VmmQemuBuild *b, const VmmDomainDisk *d)
{
        const char *t = d->target_dev;
        int r = disk_check_target(b, d);

        if (r < 0)
                return r;
        if (d->type != VMM_DISK_TYPE_FILE && d->type != VMM_DISK_TYPE_BLOCK)
                return vmm_qemu_build_unsupported(b, "disk '%s': <disk type='%s'>", t,
                                                  strna(vmm_disk_type_to_string(d->type)));
        if (d->device != VMM_DISK_DEVICE_NONE && d->device != VMM_DISK_DEVICE_DISK &&
            !disk_is_cdrom(d))
                return vmm_qemu_build_unsupported(
                    b,
                    "disk '%s': device '%s' (expected 'disk' or "
                    "'cdrom')",
                    t, d->device == VMM_DISK_DEVICE_FLOPPY ? "floppy" : "lun");
        if (d->driver_name && strcmp(d->driver_name, "qemu") != 0)
                return vmm_qemu_build_error(b, "disk '%s': <driver name='%s'> (expected 'qemu')", t,
                                            d->driver_name);
        if (d->driver_type && strcmp(d->driver_type, "raw") != 0 &&
            strcmp(d->driver_type, "qcow2") != 0)
                return vmm_qemu_build_unsupported(b,
                                                  "disk '%s': format '%s' (expected 'raw' or "
                                                  "'qcow2')",
                                                  t, d->driver_type);
        if (d->iotune)
                return vmm_qemu_build_unsupported(b, "disk '%s': <iotune>", t);
        if (d->encryption || (d->source && d->source->encryption))
                return vmm_qemu_build_unsupported(b, "disk '%s': <encryption>", t);
        if (d->transient)
                return vmm_qemu_build_unsupported(b, "disk '%s': <transient>", t);
        if (d->metadata_cache || d->copy_on_read > 0)
                return vmm_qemu_build_unsupported(b,
                                                  "disk '%s': <driver copy_on_read> or "
                                                  "<metadata_cache>",
                                                  t);
        if (d->source && d->source->fdgroup)
                return vmm_qemu_build_unsupported(b, "disk '%s': <source fdgroup=...>", t);
        if (d->target_bus != VMM_DISK_BUS_VIRTIO &&
            (d->iommu > 0 || d->ats > 0 || d->packed > 0 || d->ioeventfd > 0 || d->event_idx > 0 ||
             d->iothread != VMM_DEV_UNSET || d->queues != VMM_DEV_UNSET))
                return vmm_qemu_build_error(b,
                                            "disk '%s': virtio options in <driver> on a disk "
                                            "whose bus is not virtio",
                                            t);
        if (d->geometry_cyls != VMM_DEV_UNSET || d->wwn || d->vendor || d->product)
                return vmm_qemu_build_unsupported(b,
                                                  "disk '%s': <geometry>, <wwn>, <vendor> "
                                                  "or <product>",
                                                  t);
        if (d->io == DISK_IO_NATIVE && disk_cache(d).direct != 1)
                return vmm_qemu_build_error(b,
                                            "disk '%s': io='native' needs cache='none' or "
                                            "cache='directsync' (O_DIRECT)",
                                            t);
        if (!d->source || (!d->source->file && !d->source->dev)) {
                if (!disk_is_cdrom(d))
                        return vmm_qemu_build_error(b,
                                                    "disk '%s': <source> is missing (only a "
                                                    "CD-ROM may be empty)",
                                                    t);
        }
        return 0;
}

static void disk_cache_opts(VmmBuf *o, DiskCache c)
{
        if (c.direct >= 0)
                vmm_qemu_opt_bool(o, "cache.direct", c.direct);
        if (c.no_flush >= 0)
                vmm_qemu_opt_bool(o, "cache.no-flush", c.no_flush);
}

static void disk_blockdev(VmmQemuBuild *b, const VmmDomainDisk *d)
{
        static const char *const io[] = {NULL, "threads", "native", "io_uring"};
        static const char *const discard[] = {NULL, "unmap", "ignore"};
        static const char *const zeroes[] = {NULL, "off", "on", "unmap"};
        const char *t = d->target_dev;
        bool block = d->type == VMM_DISK_TYPE_BLOCK;
        bool ro = d->readonly || disk_is_cdrom(d);
        DiskCache c = disk_cache(d);
        VmmBuf o = VMM_BUF_INIT;

        vmm_qemu_opt_add(&o, "driver",
                         !block             ? "file"
                         : disk_is_cdrom(d) ? "host_cdrom"
                                            : "host_device");
        vmm_qemu_opt_add(&o, "filename", block ? d->source->dev : d->source->file);
        vmm_qemu_opt_addf(&o, "node-name", "vmm-%s-storage", t);
        if (ro)
                vmm_qemu_opt_bool(&o, "read-only", true);
        else
                vmm_qemu_opt_bool(&o, "auto-read-only", true);
        vmm_qemu_opt_add(&o, "discard", "unmap");
        if (d->io > 0 && d->io < (int)ARRAY_SIZE(io))
                vmm_qemu_opt_add(&o, "aio", io[d->io]);
        disk_cache_opts(&o, c);
        vmm_qemu_args_add_opts(&b->args, "-blockdev", &o);

        vmm_qemu_opt_addf(&o, "node-name", "vmm-%s-format", t);
        vmm_qemu_opt_bool(&o, "read-only", ro);
        if (d->discard > 0 && d->discard < (int)ARRAY_SIZE(discard))
                vmm_qemu_opt_add(&o, "discard", discard[d->discard]);
        if (d->detect_zeroes > 0 && d->detect_zeroes < (int)ARRAY_SIZE(zeroes))
                vmm_qemu_opt_add(&o, "detect-zeroes", zeroes[d->detect_zeroes]);
        disk_cache_opts(&o, c);
        vmm_qemu_opt_add(&o, "driver", d->driver_type ? d->driver_type : "raw");
        vmm_qemu_opt_addf(&o, "file", "vmm-%s-storage", t);
        vmm_qemu_args_add_opts(&b->args, "-blockdev", &o);
}

/* The drive address: given, or implied by the target name. */
static void disk_drive_address(const VmmDomainDisk *d, int64_t *ctrl, int64_t *bus, int64_t *target,
                               int64_t *unit)
{
        const VmmDevAddress *a = d->info.address;
        int64_t idx = disk_name_index(d->target_dev);

        if (idx < 0)
                idx = 0;
        if (a && a->type == VMM_DEV_ADDRESS_DRIVE) {
                *ctrl = a->controller != VMM_DEV_UNSET ? a->controller : 0;
                *bus = a->bus != VMM_DEV_UNSET ? a->bus : 0;
                *target = a->target != VMM_DEV_UNSET ? a->target : 0;
                *unit = a->unit != VMM_DEV_UNSET ? a->unit : 0;
                return;
        }
        *ctrl = 0;
        *target = 0;
        if (d->target_bus == VMM_DISK_BUS_IDE) {
                *bus = idx / 2;
                *unit = idx % 2;
        } else {
                *bus = 0;
                *unit = idx;
        }
}

static int disk_device_bus(VmmQemuBuild *b, const VmmDomainDisk *d, VmmBuf *o)
{
        bool cd = disk_is_cdrom(d);
        int64_t ctrl, bus, target, unit;

        disk_drive_address(d, &ctrl, &bus, &target, &unit);
        switch (d->target_bus) {
        case VMM_DISK_BUS_VIRTIO:
                if (cd)
                        return vmm_qemu_build_unsupported(b, "disk '%s': a CD-ROM on bus 'virtio'",
                                                          d->target_dev);
                vmm_qemu_opt_add(o, NULL, "virtio-blk-pci");
                return vmm_qemu_build_pci_address(b, o, &d->info, d->target_dev);
        case VMM_DISK_BUS_IDE:
                if (b->q35)
                        return vmm_qemu_build_error(b,
                                                    "disk '%s': a q35 machine has no IDE bus "
                                                    "(expected bus='sata')",
                                                    d->target_dev);
                if (ctrl != 0 || bus > 1 || unit > 1)
                        return vmm_qemu_build_error(b,
                                                    "disk '%s': IDE position controller %" PRId64
                                                    " bus %" PRId64 " unit %" PRId64
                                                    " does not exist (expected hda to hdd)",
                                                    d->target_dev, ctrl, bus, unit);
                vmm_qemu_opt_add(o, NULL, cd ? "ide-cd" : "ide-hd");
                vmm_qemu_opt_addf(o, "bus", "ide.%" PRId64, bus);
                vmm_qemu_opt_addf(o, "unit", "%" PRId64, unit);
                return 0;
        case VMM_DISK_BUS_SATA:
                vmm_qemu_opt_add(o, NULL, cd ? "ide-cd" : "ide-hd");
                if (b->q35 && ctrl == 0)
                        vmm_qemu_opt_addf(o, "bus", "ide.%" PRId64, unit);
                else
                        vmm_qemu_opt_addf(o, "bus", "sata%" PRId64 ".%" PRId64, ctrl, unit);
                return 0;
        case VMM_DISK_BUS_SCSI:
                vmm_qemu_opt_add(o, NULL, cd ? "scsi-cd" : "scsi-hd");
                vmm_qemu_opt_addf(o, "bus", "scsi%" PRId64 ".0", ctrl);
                vmm_qemu_opt_addf(o, "channel", "%" PRId64, bus);
                vmm_qemu_opt_addf(o, "scsi-id", "%" PRId64, target);
                vmm_qemu_opt_addf(o, "lun", "%" PRId64, unit);
                return 0;
        default:
                return vmm_qemu_build_unsupported(b,
                                                  "disk '%s': bus '%s' (expected virtio, ide, "
                                                  "sata or scsi)",
                                                  d->target_dev,
                                                  strna(vmm_disk_bus_to_string(d->target_bus)));
        }
}

static int disk_device(VmmQemuBuild *b, const VmmDomainDisk *d, int64_t bootindex)
{
        static const char *const policy[] = {NULL, "stop", "report", "ignore", "enospc"};
        DiskCache c = disk_cache(d);
        VmmBuf o = VMM_BUF_INIT;
        int r;

        r = disk_device_bus(b, d, &o);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        if (d->source && (d->source->file || d->source->dev))
                vmm_qemu_opt_addf(&o, "drive", "vmm-%s-format", d->target_dev);
        vmm_qemu_opt_add(&o, "id", d->target_dev);
        vmm_qemu_build_bootindex(&o, bootindex);
        if (d->serial)
                vmm_qemu_opt_add(&o, "serial", d->serial);
        if (c.write_cache >= 0)
                vmm_qemu_opt_bool(&o, "write-cache", c.write_cache);
        if (d->shareable)
                vmm_qemu_opt_bool(&o, "share-rw", true);
        if (d->error_policy > 0 && d->error_policy < (int)ARRAY_SIZE(policy))
                vmm_qemu_opt_add(&o, "werror", policy[d->error_policy]);
        if (d->rerror_policy > 0 && d->rerror_policy < DISK_ERR_ENOSPACE)
                vmm_qemu_opt_add(&o, "rerror", policy[d->rerror_policy]);
        if (d->logical_block_size != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "logical_block_size", "%" PRId64, d->logical_block_size);
        if (d->physical_block_size != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "physical_block_size", "%" PRId64, d->physical_block_size);
        if (d->target_bus == VMM_DISK_BUS_VIRTIO) {
                if (d->queues != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "num-queues", "%" PRId64, d->queues);
                if (d->queue_size != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "queue-size", "%" PRId64, d->queue_size);
                if (d->iothread != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "iothread", "iothread%" PRId64, d->iothread);
                if (d->ioeventfd > 0)
                        vmm_qemu_opt_bool(&o, "ioeventfd", d->ioeventfd == VMM_DEV_ON);
                if (d->event_idx > 0)
                        vmm_qemu_opt_bool(&o, "event_idx", d->event_idx == VMM_DEV_ON);
                vmm_qemu_build_virtio(&o, d->iommu, d->ats, d->packed, d->page_per_vq);
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

int vmm_qemu_command_disks(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainDisk *const *disks =
            (VmmDomainDisk *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_DISK, &n);
        int r;

        for (size_t i = 0; i < n; i++) {
                const VmmDomainDisk *d = disks[i];

                r = disk_check(b, d);
                if (r < 0)
                        return r;
                for (size_t j = 0; j < i; j++)
                        if (strcmp(disks[j]->target_dev, d->target_dev) == 0)
                                return vmm_qemu_build_error(b,
                                                            "disk '%s': the target name is "
                                                            "used twice",
                                                            d->target_dev);
                if (d->source && (d->source->file || d->source->dev))
                        disk_blockdev(b, d);
                r = disk_device(b, d, b->disk_boot[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}
