/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-priv.h: the state shared by the qemu-command*.c files
 * while one command line is built, and the section builders each file
 * provides. Only qemu-command*.c include it.
 */
#pragma once

#include <stdint.h>

#include "conf/domain-chr.h"
#include "conf/domain-device-internal.h"
#include "conf/domain-disk.h"
#include "conf/domain-graphics.h"
#include "conf/domain-misc-dev.h"
#include "conf/domain-net.h"
#include "conf/domain-priv.h"
#include "conf/domain-video.h"
#include "qemu-arg.h"
#include "qemu-command.h"
#include "util/error.h"

typedef struct VmmQemuBuild {
        const VmmDomainDef *def;
        const VmmQemuCommandContext *ctx;
        VmmError *error;
        const char *name; /* the domain's, for messages */
        VmmQemuArgs args;
        int *fds; /* to pass to the child */
        size_t n_fds;
        bool q35;             /* a q35 machine (PCIe root, built-in AHCI) */
        bool kvm;             /* -accel kvm */
        const char *pci_root; /* "pci.0" or "pcie.0" */
        int64_t *disk_boot;   /* bootindex per disk / interface, 0: none */
        int64_t *net_boot;
        bool usb;           /* a USB controller "usb" is on the command line */
        bool virtio_serial; /* "virtio-serial0" is on the command line */
} VmmQemuBuild;

/* The devices of one kind. */
static inline void *const *qemu_build_devices(const VmmQemuBuild *b, VmmDomainDeviceKind kind,
                                              size_t *ret_n)
{
        return vmm_domain_devices_get(b->def->devices, kind, ret_n);
}

/* "domain '<name>': <message>": -EINVAL, kind VMM_ERR_XML (a definition
 * QEMU cannot run as given). */
int vmm_qemu_build_error(VmmQemuBuild *b, const char *fmt, ...) _printf_(2, 3);
/* "domain '<name>': <what> is not supported by the qemu driver yet":
 * -ENOTSUP, kind VMM_ERR_NO_SUPPORT. */
int vmm_qemu_build_unsupported(VmmQemuBuild *b, const char *fmt, ...) _printf_(2, 3);
/* Adds bus=/addr= for a PCI <address> of `what` (nothing when absent);
 * other address types are an error. */
int vmm_qemu_build_pci_address(VmmQemuBuild *b, VmmBuf *opts, const VmmDevInfo *info,
                               const char *what);
/* Adds bootindex= when `index` > 0. */
void vmm_qemu_build_bootindex(VmmBuf *opts, int64_t index);
/* Adds iommu_platform=, ats=, packed=, page-per-vq= for the on/off
 * enums (0 absent) of a virtio device's <driver>. */
void vmm_qemu_build_virtio(VmmBuf *opts, int iommu, int ats, int packed, int page_per_vq);
/* Records an fd the child must inherit. */
int vmm_qemu_build_pass_fd(VmmQemuBuild *b, int fd);
/* The chardev log file options (logfile=, logappend=) for chardev `id`. */
void vmm_qemu_build_chr_log(VmmQemuBuild *b, VmmBuf *opts, const VmmDomainChr *chr, const char *id);

/* qemu-command-disk.c: -blockdev and -device of every <disk>. */
int vmm_qemu_command_disks(VmmQemuBuild *b);
/* qemu-command-net.c: -netdev and -device of every <interface>. */
int vmm_qemu_command_nets(VmmQemuBuild *b);
/* qemu-command-chr.c: <serial>, <console>, <channel>. */
int vmm_qemu_command_chrs(VmmQemuBuild *b);
/* qemu-command-misc.c: controllers (before disks), then graphics, video,
 * input, memballoon, rng, watchdog, panic; and the check that refuses device kinds the
 * builder cannot express. */
int vmm_qemu_command_check_devices(VmmQemuBuild *b);
int vmm_qemu_command_controllers(VmmQemuBuild *b);
int vmm_qemu_command_graphics(VmmQemuBuild *b);
int vmm_qemu_command_video_input(VmmQemuBuild *b);
int vmm_qemu_command_balloon_rng(VmmQemuBuild *b);
int vmm_qemu_command_watchdog_panic(VmmQemuBuild *b);
