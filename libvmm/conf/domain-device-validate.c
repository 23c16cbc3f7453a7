/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-device-validate.c: semantic checks of <devices>, after parsing:
 * each device alone (the source fits the type, a MAC is a MAC, ...) and
 * across devices (duplicate disk targets, MACs and aliases, two devices
 * on one address, two controllers with one type and index, more than one
 * <emulator>). Each message names the device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain-chr.h"
#include "domain-controller.h"
#include "domain-device-internal.h"
#include "domain-disk.h"
#include "domain-graphics.h"
#include "domain-hostdev.h"
#include "domain-input.h"
#include "domain-misc-dev.h"
#include "domain-net.h"
#include "domain-video.h"
#include "util/error.h"

static int check_disk(const void *dev, VmmError *error)
{
        return vmm_domain_disk_check(dev, error);
}
static int check_net(const void *dev, VmmError *error)
{
        return vmm_domain_net_check(dev, error);
}
static int check_serial(const void *dev, VmmError *error)
{
        return vmm_domain_chr_check("serial", dev, error);
}
static int check_console(const void *dev, VmmError *error)
{
        return vmm_domain_chr_check("console", dev, error);
}
static int check_parallel(const void *dev, VmmError *error)
{
        return vmm_domain_chr_check("parallel", dev, error);
}
static int check_channel(const void *dev, VmmError *error)
{
        return vmm_domain_chr_check("channel", dev, error);
}
static int check_graphics(const void *dev, VmmError *error)
{
        return vmm_domain_graphics_check(dev, error);
}
static int check_video(const void *dev, VmmError *error)
{
        return vmm_domain_video_check(dev, error);
}
static int check_input(const void *dev, VmmError *error)
{
        return vmm_domain_input_check(dev, error);
}
static int check_controller(const void *dev, VmmError *error)
{
        return vmm_domain_controller_check(dev, error);
}
static int check_rng(const void *dev, VmmError *error)
{
        return vmm_domain_rng_check(dev, error);
}
static int check_emulator(const void *dev, VmmError *error)
{
        return vmm_domain_emulator_check(dev, error);
}
static int check_hostdev(const void *dev, VmmError *error)
{
        return vmm_domain_hostdev_check(dev, error);
}
static int check_shmem(const void *dev, VmmError *error)
{
        return vmm_domain_shmem_check(dev, error);
}
static int check_iommu(const void *dev, VmmError *error)
{
        return vmm_domain_iommu_check(dev, error);
}
static int check_filesystem(const void *dev, VmmError *error)
{
        return vmm_domain_filesystem_check(dev, error);
}

static const char *label_disk(const void *dev, char *buf, size_t size)
{
        const VmmDomainDisk *d = dev;

        return d->target_dev ? (snprintf(buf, size, "%s", d->target_dev), buf) : NULL;
}
static const char *label_net(const void *dev, char *buf, size_t size)
{
        const VmmDomainNet *n = dev;

        return n->mac ? (snprintf(buf, size, "%s", n->mac), buf) : NULL;
}
static const char *label_controller(const void *dev, char *buf, size_t size)
{
        const VmmDomainController *c = dev;

        if (!c->type || c->index == VMM_DEV_UNSET)
                return NULL;
        snprintf(buf, size, "%s %lld", vmm_controller_type_to_string(c->type), (long long)c->index);
        return buf;
}

static const char *label_graphics(const void *dev, char *buf, size_t size)
{
        const char *type = vmm_graphics_type_to_string(((const VmmDomainGraphics *)dev)->type);

        if (!type)
                return NULL;
        snprintf(buf, size, "%s", type);
        return buf;
}

const VmmDeviceKindInfo vmm_device_kinds[_VMM_DOMAIN_DEVICE_MAX] = {
    [VMM_DOMAIN_DEVICE_EMULATOR] = {.check = check_emulator},
    [VMM_DOMAIN_DEVICE_DISK] = {.check = check_disk, .label = label_disk},
    [VMM_DOMAIN_DEVICE_CONTROLLER] = {.check = check_controller, .label = label_controller},
    [VMM_DOMAIN_DEVICE_FILESYSTEM] = {.check = check_filesystem},
    [VMM_DOMAIN_DEVICE_INTERFACE] = {.check = check_net, .label = label_net},
    [VMM_DOMAIN_DEVICE_SERIAL] = {.check = check_serial},
    [VMM_DOMAIN_DEVICE_PARALLEL] = {.check = check_parallel},
    [VMM_DOMAIN_DEVICE_CONSOLE] = {.check = check_console},
    [VMM_DOMAIN_DEVICE_CHANNEL] = {.check = check_channel},
    [VMM_DOMAIN_DEVICE_INPUT] = {.check = check_input},
    [VMM_DOMAIN_DEVICE_GRAPHICS] = {.check = check_graphics, .label = label_graphics},
    [VMM_DOMAIN_DEVICE_VIDEO] = {.check = check_video},
    [VMM_DOMAIN_DEVICE_HOSTDEV] = {.check = check_hostdev},
    [VMM_DOMAIN_DEVICE_RNG] = {.check = check_rng},
    [VMM_DOMAIN_DEVICE_SHMEM] = {.check = check_shmem},
    [VMM_DOMAIN_DEVICE_IOMMU] = {.check = check_iommu},
};

char *vmm_domain_device_name(VmmDomainDeviceKind kind, const void *dev, size_t index, char *buf,
                             size_t size)
{
        const char *kname = vmm_domain_device_kind_to_string(kind);
        char label[96];

        if (vmm_device_kinds[kind].label && vmm_device_kinds[kind].label(dev, label, sizeof(label)))
                snprintf(buf, size, "%s '%s'", kname, label);
        else
                snprintf(buf, size, "%s #%zu", kname, index + 1);
        return buf;
}

/* The VmmDevInfo of a device, or NULL for kinds without one. */
static const VmmDevInfo *device_info(VmmDomainDeviceKind kind, const void *dev)
{
        switch (kind) {
        case VMM_DOMAIN_DEVICE_DISK:
                return &((const VmmDomainDisk *)dev)->info;
        case VMM_DOMAIN_DEVICE_CONTROLLER:
                return &((const VmmDomainController *)dev)->info;
        case VMM_DOMAIN_DEVICE_FILESYSTEM:
                return &((const VmmDomainFilesystem *)dev)->info;
        case VMM_DOMAIN_DEVICE_INTERFACE:
                return &((const VmmDomainNet *)dev)->info;
        case VMM_DOMAIN_DEVICE_SMARTCARD:
                return &((const VmmDomainSmartcard *)dev)->info;
        case VMM_DOMAIN_DEVICE_SERIAL:
        case VMM_DOMAIN_DEVICE_PARALLEL:
        case VMM_DOMAIN_DEVICE_CONSOLE:
        case VMM_DOMAIN_DEVICE_CHANNEL:
                return &((const VmmDomainChr *)dev)->info;
        case VMM_DOMAIN_DEVICE_INPUT:
                return &((const VmmDomainInput *)dev)->info;
        case VMM_DOMAIN_DEVICE_TPM:
                return &((const VmmDomainTpm *)dev)->info;
        case VMM_DOMAIN_DEVICE_SOUND:
                return &((const VmmDomainSound *)dev)->info;
        case VMM_DOMAIN_DEVICE_VIDEO:
                return &((const VmmDomainVideo *)dev)->info;
        case VMM_DOMAIN_DEVICE_HOSTDEV:
                return &((const VmmDomainHostdev *)dev)->info;
        case VMM_DOMAIN_DEVICE_REDIRDEV:
                return &((const VmmDomainRedirdev *)dev)->info;
        case VMM_DOMAIN_DEVICE_NVRAM:
        case VMM_DOMAIN_DEVICE_HUB:
        case VMM_DOMAIN_DEVICE_PANIC:
                return &((const VmmDomainSimpleDev *)dev)->info;
        case VMM_DOMAIN_DEVICE_WATCHDOG:
                return &((const VmmDomainWatchdog *)dev)->info;
        case VMM_DOMAIN_DEVICE_MEMBALLOON:
                return &((const VmmDomainMemballoon *)dev)->info;
        case VMM_DOMAIN_DEVICE_RNG:
                return &((const VmmDomainRng *)dev)->info;
        case VMM_DOMAIN_DEVICE_SHMEM:
                return &((const VmmDomainShmem *)dev)->info;
        case VMM_DOMAIN_DEVICE_MEMORY:
                return &((const VmmDomainMemory *)dev)->info;
        case VMM_DOMAIN_DEVICE_IOMMU:
                return &((const VmmDomainIommu *)dev)->info;
        case VMM_DOMAIN_DEVICE_VSOCK:
                return &((const VmmDomainVsock *)dev)->info;
        case VMM_DOMAIN_DEVICE_CRYPTO:
                return &((const VmmDomainCrypto *)dev)->info;
        case VMM_DOMAIN_DEVICE_PSTORE:
                return &((const VmmDomainPstore *)dev)->info;
        default:
                return NULL;
        }
}

typedef struct DevRef {
        VmmDomainDeviceKind kind;
        size_t index;
        const void *dev;
        const VmmDevInfo *info;
} DevRef;

static int conflict(VmmError *error, const DevRef *a, const DevRef *b, const char *what,
                    const char *value)
{
        char na[128], nb[128];

        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "%s and %s have the same %s '%s'",
                             vmm_domain_device_name(a->kind, a->dev, a->index, na, sizeof(na)),
                             vmm_domain_device_name(b->kind, b->dev, b->index, nb, sizeof(nb)),
                             what, value);
}

/* Aliases, boot orders and addresses must be unique across all devices. */
static int check_unique_info(const DevRef *refs, size_t n, VmmError *error)
{
        for (size_t i = 0; i < n; i++) {
                const VmmDevInfo *a = refs[i].info;

                for (size_t j = i + 1; j < n; j++) {
                        const VmmDevInfo *b = refs[j].info;
                        char buf[96];

                        if (a->alias && b->alias && strcmp(a->alias, b->alias) == 0)
                                return conflict(error, &refs[i], &refs[j], "alias", a->alias);
                        if (a->boot_order != VMM_DEV_UNSET && a->boot_order == b->boot_order) {
                                snprintf(buf, sizeof(buf), "%lld", (long long)a->boot_order);
                                return conflict(error, &refs[i], &refs[j], "boot order", buf);
                        }
                        if (a->address && a->address->type != VMM_DEV_ADDRESS_DRIVE &&
                            vmm_dev_address_same(a->address, b->address))
                                return conflict(
                                    error, &refs[i], &refs[j], "address",
                                    vmm_dev_address_string(a->address, buf, sizeof(buf)));
                }
        }
        return 0;
}

/* Two interfaces on one host segment (the same network, bridge or
 * device) cannot share a MAC; user-mode stacks are each their own. */
static bool nets_share_segment(const VmmDomainNet *a, const VmmDomainNet *b)
{
        const VmmNetSource *x = a->source, *y = b->source;

        if (a->type != b->type || !x || !y)
                return false;
        if (x->network && y->network)
                return strcmp(x->network, y->network) == 0;
        if (x->bridge && y->bridge)
                return strcmp(x->bridge, y->bridge) == 0;
        if (x->dev && y->dev)
                return strcmp(x->dev, y->dev) == 0;
        return false;
}

/* USB companion controllers (ich9-ehci1 with its uhci1-3) share an index. */
static bool usb_companion(const VmmDomainController *c)
{
        return c->type == VMM_CONTROLLER_TYPE_USB &&
               (c->master_startport != VMM_DEV_UNSET ||
                (c->model && strncmp(c->model, "ich9-", 5) == 0));
}

/* Drive addresses count per bus: ide 0:0:0:0 and fdc 0:0:0:0 differ. */
static int check_disk_drive_addresses(const VmmDomainDevices *d, VmmError *error)
{
        void **disks = d->items[VMM_DOMAIN_DEVICE_DISK];
        char buf[64];

        for (size_t i = 0; i < d->n[VMM_DOMAIN_DEVICE_DISK]; i++)
                for (size_t j = i + 1; j < d->n[VMM_DOMAIN_DEVICE_DISK]; j++) {
                        const VmmDomainDisk *a = disks[i], *b = disks[j];

                        if (a->target_bus != b->target_bus || !a->info.address ||
                            a->info.address->type != VMM_DEV_ADDRESS_DRIVE ||
                            !vmm_dev_address_same(a->info.address, b->info.address))
                                continue;
                        return vmm_error_set(
                            error, -EINVAL, VMM_ERR_XML,
                            "disk '%s' and disk '%s' have the same address "
                            "'%s' on bus '%s'",
                            strna(a->target_dev), strna(b->target_dev),
                            vmm_dev_address_string(a->info.address, buf, sizeof(buf)),
                            strna(vmm_disk_bus_to_string(a->target_bus)));
                }
        return 0;
}

/* SPICE with OpenGL renders itself; an egl-headless display beside it
 * would fight over the GPU. */
static int check_graphics_combination(const VmmDomainDevices *d, VmmError *error)
{
        bool spice_gl = false, egl = false;

        for (size_t i = 0; i < d->n[VMM_DOMAIN_DEVICE_GRAPHICS]; i++) {
                const VmmDomainGraphics *g = d->items[VMM_DOMAIN_DEVICE_GRAPHICS][i];

                spice_gl |= g->type == VMM_GRAPHICS_TYPE_SPICE && g->gl_enable == VMM_DEV_YES;
                egl |= g->type == VMM_GRAPHICS_TYPE_EGL_HEADLESS;
        }
        if (spice_gl && egl)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "graphics: egl-headless cannot be combined with spice "
                                     "<gl enable='yes'/> (spice already renders with OpenGL)");
        return 0;
}

static int check_unique_disks_nets(const VmmDomainDevices *d, VmmError *error)
{
        void **disks = d->items[VMM_DOMAIN_DEVICE_DISK];
        void **nets = d->items[VMM_DOMAIN_DEVICE_INTERFACE];
        void **ctrls = d->items[VMM_DOMAIN_DEVICE_CONTROLLER];

        for (size_t i = 0; i < d->n[VMM_DOMAIN_DEVICE_DISK]; i++)
                for (size_t j = i + 1; j < d->n[VMM_DOMAIN_DEVICE_DISK]; j++) {
                        const VmmDomainDisk *a = disks[i], *b = disks[j];

                        if (a->target_dev && b->target_dev &&
                            strcmp(a->target_dev, b->target_dev) == 0)
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "disk '%s': target dev '%s' is used by "
                                                     "two disks (#%zu and #%zu)",
                                                     a->target_dev, a->target_dev, i + 1, j + 1);
                }
        for (size_t i = 0; i < d->n[VMM_DOMAIN_DEVICE_INTERFACE]; i++)
                for (size_t j = i + 1; j < d->n[VMM_DOMAIN_DEVICE_INTERFACE]; j++) {
                        const VmmDomainNet *a = nets[i], *b = nets[j];

                        if (a->mac && b->mac && strcasecmp(a->mac, b->mac) == 0 &&
                            nets_share_segment(a, b))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "interface '%s': MAC address is used by "
                                                     "two interfaces on one network (#%zu "
                                                     "and #%zu)",
                                                     a->mac, i + 1, j + 1);
                }
        for (size_t i = 0; i < d->n[VMM_DOMAIN_DEVICE_CONTROLLER]; i++)
                for (size_t j = i + 1; j < d->n[VMM_DOMAIN_DEVICE_CONTROLLER]; j++) {
                        const VmmDomainController *a = ctrls[i], *b = ctrls[j];

                        if (a->type == b->type && a->index != VMM_DEV_UNSET &&
                            a->index == b->index && !usb_companion(a) && !usb_companion(b))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "controller '%s %lld' is defined twice",
                                                     vmm_controller_type_to_string(a->type),
                                                     (long long)a->index);
                }
        return 0;
}

int vmm_domain_devices_validate(const VmmDomainDevices *devices, VmmError *error)
{
        _cleanup_free_ DevRef *refs = NULL;
        size_t n_refs = 0, total = 0;
        int r;

        if (devices->n[VMM_DOMAIN_DEVICE_EMULATOR] > 1)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "devices: %zu <emulator> elements (expected at most one)",
                                     devices->n[VMM_DOMAIN_DEVICE_EMULATOR]);
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++) {
                total += devices->n[k];
                if (!vmm_device_kinds[k].check)
                        continue;
                for (size_t i = 0; i < devices->n[k]; i++) {
                        r = vmm_device_kinds[k].check(devices->items[k][i], error);
                        if (r < 0)
                                return r;
                }
        }
        r = check_unique_disks_nets(devices, error);
        if (r < 0)
                return r;
        r = check_disk_drive_addresses(devices, error);
        if (r < 0)
                return r;
        r = check_graphics_combination(devices, error);
        if (r < 0)
                return r;
        refs = calloc(total + 1, sizeof(*refs));
        if (!refs)
                return vmm_error_oom(error);
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                for (size_t i = 0; i < devices->n[k]; i++) {
                        const VmmDevInfo *info = device_info(k, devices->items[k][i]);

                        if (info)
                                refs[n_refs++] = (DevRef){k, i, devices->items[k][i], info};
                }
        return check_unique_info(refs, n_refs, error);
}
