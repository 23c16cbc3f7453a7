/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-tap.h: the host side of tap-backed guest NICs, made by vmm-qemud
 * itself (no shell, no `ip`, no script): <interface type='ethernet'> and
 * <interface type='bridge'>.
 *
 * Choices:
 * - A tap is opened on /dev/net/tun with IFF_TAP|IFF_NO_PI|IFF_VNET_HDR
 *   (and IFF_MULTI_QUEUE, one fd per queue, for <driver queues='N'> with
 *   N > 1), NOT persistent: it lives while an fd is open. The fds go to
 *   QEMU at exec (tap,fd=N / fds=a:b) and the driver closes its own
 *   copies once QEMU runs, so the kernel deletes the tap when QEMU exits,
 *   however it exits (destroy, shutdown, crash, kill -9 while vmm-qemud is
 *   down). The driver never deletes a tap by name afterwards: the name may
 *   already belong to another guest's new tap.
 * - Names: <target dev='NAME'/> when given, else the kernel's "vmm%d"
 *   template (the first free vmmN, chosen by the kernel atomically, so it
 *   never collides with an existing link). Names "vmm<digits>" in the XML
 *   are treated as absent (left over from a live XML): they are reserved
 *   for the allocator.
 * - A tap the driver creates gets the guest MAC with its first byte
 *   replaced by 0xFE (a bridge takes the lowest MAC of its ports; the
 *   guest's own must differ from the host side's), the MTU of <mtu size>
 *   (for type='bridge' without <mtu>: the bridge's), is enslaved to the
 *   bridge for type='bridge' (the bridge must exist and be a bridge), and
 *   is set up, all through rtnetlink (libnl-route-3).
 * - A <target dev> that already exists is used only if it is a tap that
 *   can be attached (a persistent tap nobody holds), for type='ethernet',
 *   and it is left as it is (managed='no' semantics: no MAC, MTU, master
 *   or state change, not deleted). <target managed='no'/> requires such an
 *   existing tap. Anything else (not a tap, a tun, in use, type='bridge')
 *   is an error naming the device.
 * - vhost-net only when the XML asks (<driver name='vhost'/>): then
 *   /dev/vhost-net must open (one fd per queue, passed as vhostfd=), else
 *   an error. Without the request QEMU's own virtio-net backend is used.
 * - <script>/<downscript> are refused (vmm never runs scripts);
 *   type='network' is refused until vmm-networkd exists; type='direct'
 *   (macvtap) is not supported yet.
 * - On return the live interface names the tap: <target dev='vmmN'/>, plus
 *   managed='no' for an existing tap. The runtime state file keeps the
 *   live XML, so a restarted vmm-qemud knows every guest's taps and which
 *   of them it created (domiflist and domstats read them from there).
 *
 * Everything here runs on the daemon's loop: rtnetlink requests are
 * answered by the kernel at once (no I/O wait).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/domain-net.h"
#include "qemu-command.h"
#include "util/cleanup.h"
#include "util/error.h"

#define VMM_QEMU_TAP_PREFIX "vmm"
#define VMM_QEMU_TAP_NAME_MAX 15 /* IFNAMSIZ - 1 */

/* The host side of one tap-backed interface. */
typedef struct VmmQemuTapHost {
        char ifname[VMM_QEMU_TAP_NAME_MAX + 1]; /* "" when none */
        bool created;                           /* ours; false: an existing tap used as is */
        int *fds;                               /* one per queue, O_CLOEXEC, owned */
        size_t n_fds;
        int *vhost_fds; /* /dev/vhost-net, one per queue (none without vhost) */
        size_t n_vhost_fds;
} VmmQemuTapHost;

#define VMM_QEMU_TAP_HOST_INIT                                                                     \
        {                                                                                          \
                {0}, false, NULL, 0, NULL, 0                                                       \
        }

/* Closes the fds (a tap we created goes away with the last one) and
 * resets `h` to VMM_QEMU_TAP_HOST_INIT. Accepts a zeroed or half-built one. */
void vmm_qemu_tap_host_done(VmmQemuTapHost *h);

/* Whether the interface's host side is a tap this module prepares
 * (type ethernet or bridge). */
bool vmm_qemu_tap_wanted(const VmmDomainNet *net);

/*
 * Checks what can be checked before anything is created: no script, type
 * network/direct refused, the name valid, vhost requests, the bridge
 * present and a bridge. `who` names the interface in messages (e.g.
 * "domain 'web1': interface '52:54:00:aa:bb:cc'").
 */
int vmm_qemu_tap_check(const VmmDomainNet *net, const char *who, VmmError *error);

/*
 * Prepares the tap of one interface (vmm_qemu_tap_check first), as
 * described above, and records it in `net` (target dev, managed='no' for
 * an existing tap). Also for NIC hot-plug: pass ret->fds[] to QEMU
 * (getfd + netdev_add tap,fd=...), then vmm_qemu_tap_host_done(). On
 * failure nothing is left (no tap, no fd) and `net` is unchanged.
 */
int vmm_qemu_tap_open(VmmDomainNet *net, const char *who, VmmQemuTapHost *ret, VmmError *error);

/* The taps of every interface of a live definition, and the command line
 * builder's view of them (VmmQemuCommandContext.taps / n_taps). */
typedef struct VmmQemuTapSet {
        VmmQemuTapHost *hosts; /* one per <interface>, in document order */
        VmmQemuTap *taps;      /* the same, for the builder */
        size_t n;
} VmmQemuTapSet;

/* Prepares every tap-backed interface of `live` (all checked first; on
 * failure none is left). `domain` names the domain in messages. */
int vmm_qemu_tap_open_all(VmmDomainDef *live, VmmQemuTapSet **ret_set, VmmError *error);
/* Closes every fd (call once QEMU has them, or on failure). Accepts NULL. */
VmmQemuTapSet *vmm_qemu_tap_set_free(VmmQemuTapSet *set);
DEFINE_CLEANUP(VmmQemuTapSet, vmm_qemu_tap_set_free)

/* --- pure helpers (unit-tested) --- */

/* The host-side MAC of a tap for guest MAC `guest_mac` (first byte 0xFE). */
int vmm_qemu_tap_host_mac(const char *guest_mac, uint8_t ret_mac[6]);
/* Whether `name` may name a link (1..15 characters, not "." or "..", no
 * '/', ':', '%' or white space). */
bool vmm_qemu_tap_name_valid(const char *name);
/* Whether `name` is one the allocator hands out ("vmm<digits>"). */
bool vmm_qemu_tap_name_reserved(const char *name);
