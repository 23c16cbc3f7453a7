/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command.h: the QEMU command line (argv, no shell) built from a
 * domain definition.
 *
 * The builder never touches the host: it does not create taps, files or
 * sockets, and it does not probe /dev/kvm. What it needs from the host
 * comes in a VmmQemuCommandContext decided by the caller (vmm-qemud).
 * Anything in the definition that it cannot express is an error naming
 * the element ("domain 'web1': <hostdev> is not supported by the qemu
 * driver yet"), never silently dropped.
 *
 * Choices (documented here because the lifecycle code relies on them):
 * - type='kvm' uses -accel kvm and needs ctx->kvm_available; type='qemu'
 *   uses -accel tcg. accel= is never put in -machine.
 * - <cpu mode='host-passthrough'> needs KVM: with TCG it is an error
 *   (TCG cannot give the guest the host's CPU); mode='host-model' and
 *   mode='maximum' become -cpu max under TCG (host-model is -cpu host
 *   under KVM).
 * - -no-shutdown is passed only when <on_poweroff> is not 'destroy': with
 *   the default 'destroy', QEMU exits by itself after the guest powers
 *   off, so a guest that powers off while vmm-qemud is down does not
 *   leave a QEMU behind. <on_reboot>destroy</on_reboot> gives -no-reboot.
 * - Boot order: <boot order='N'/> on devices, or <os><boot dev=...>
 *   (mapped onto the first device of each kind), become bootindex=;
 *   -boot always carries strict=on, never order=.
 * - A chardev with <log file=...> logs there. Serial ports and consoles
 *   without one (except type file and null) log to
 *   <log_dir>/<domain>-<serialN|consoleN>.log when ctx->log_dir is set;
 *   channels (guest agent traffic) are not logged unless asked.
 * - Device ids: disks use their target name ("vda", node names
 *   "vmm-vda-storage" and "vmm-vda-format"), interfaces "net<N>" with
 *   netdev "hostnet<N>", serials "serial<N>" with chardev
 *   "charserial<N>", balloon "balloon0", rng "rng<N>", video "video<N>",
 *   input "input<N>", USB controller "usb" (index 0), SCSI "scsi<N>",
 *   virtio-serial "virtio-serial<N>", PCI controllers "pci.<index>".
 * - VNC with a passwd gets password=on: the password itself must be set
 *   over QMP (set_password) after start; it never appears in argv.
 * - The memballoon's <stats period> is applied over QMP at run time.
 * - No <acpi/> in <features> means -machine ...,acpi=off (as libvirt): a
 *   guest that must obey the ACPI power button (shutdown, reboot) needs
 *   <features><acpi/></features>.
 * - A unix <channel> without a path listens on
 *   <runtime_dir>/<target name>.sock (e.g. org.qemu.guest_agent.0.sock).
 * - Host-side settings (<cputune>, <memtune>, <numatune>, <blkiotune>,
 *   <seclabel>, <resource>) are not command-line matters: the caller
 *   applies them; the builder neither uses nor refuses them.
 * - The emulator: ctx->emulator, else <emulator>, else
 *   VMM_QEMU_DEFAULT_EMULATOR.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"

typedef struct VmmDomainDef VmmDomainDef;

#define VMM_QEMU_DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

/* The host side of one <interface> prepared by the caller: an open tap
 * (or macvtap) fd to pass to QEMU, or the name of an existing tap. */
typedef struct VmmQemuTap {
        int fd;             /* >= 0: passed to QEMU (tap,fd=N); -1: none */
        const char *ifname; /* used when fd < 0; NULL: the XML's <target dev> */
        /* multiqueue (qemu-tap.c): fd < 0 and n_fds > 0: one fd per queue
         * (tap,fds=a:b) */
        const int *fds;
        size_t n_fds;
        /* /dev/vhost-net fds, one per queue (vhost=on,vhostfd=/vhostfds=) */
        const int *vhost_fds;
        size_t n_vhost_fds;
} VmmQemuTap;

typedef struct VmmQemuCommandContext {
        /* QEMU binary; NULL: the definition's <emulator>, else
         * VMM_QEMU_DEFAULT_EMULATOR */
        const char *emulator;
        /* QMP unix socket QEMU listens on; NULL: no monitor */
        const char *monitor_path;
        /* directory of the per-domain chardev log files; NULL: none */
        const char *log_dir;
        /* the domain's runtime directory (default VNC and channel sockets);
         * NULL: those need explicit paths in the XML */
        const char *runtime_dir;
        bool kvm_available;
        bool start_paused; /* -S */
        /* -incoming VALUE ("defer" for a restore: migrate-incoming follows
         * over QMP); NULL: none */
        const char *incoming;
        /* one entry per <interface>, in document order (may be shorter:
         * missing entries are { -1, NULL }) */
        const VmmQemuTap *taps;
        size_t n_taps;
} VmmQemuCommandContext;

typedef struct VmmQemuCommand {
        char **argv; /* NULL-terminated, argv[0] is the emulator */
        size_t argc;
        /* fds named in argv that the child must inherit (still owned by the
         * caller, who clears their FD_CLOEXEC in the child) */
        int *pass_fds;
        size_t n_pass_fds;
} VmmQemuCommand;

/* Builds the command line of `def` (parsed and given defaults). */
int vmm_qemu_command_build(const VmmDomainDef *def, const VmmQemuCommandContext *ctx,
                           VmmQemuCommand **ret_cmd, VmmError *error);
VmmQemuCommand *vmm_qemu_command_free(VmmQemuCommand *cmd);
DEFINE_CLEANUP(VmmQemuCommand, vmm_qemu_command_free)
