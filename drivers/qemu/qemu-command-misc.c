/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-misc.c: controllers (PCI, USB, SCSI, SATA, virtio-serial),
 * VNC graphics, video, input, memballoon and rng; and the list of device
 * kinds the builder cannot express, each refused by name.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "qemu-command-priv.h"

enum {
        BALLOON_VIRTIO = 1,
        BALLOON_VIRTIO_TRANS,
        BALLOON_VIRTIO_NON_TRANS,
        BALLOON_XEN,
        BALLOON_NONE
};
enum { RNG_RANDOM = 1, RNG_EGD, RNG_BUILTIN };
enum {
        WATCHDOG_RESET = 1,
        WATCHDOG_SHUTDOWN,
        WATCHDOG_POWEROFF,
        WATCHDOG_PAUSE,
        WATCHDOG_NONE,
        WATCHDOG_DUMP,
        WATCHDOG_INJECT_NMI
};

int vmm_qemu_command_check_devices(VmmQemuBuild *b)
{
        /* kinds handled by one of the builders */
        static const VmmDomainDeviceKind handled[] = {
            VMM_DOMAIN_DEVICE_EMULATOR,  VMM_DOMAIN_DEVICE_DISK,       VMM_DOMAIN_DEVICE_CONTROLLER,
            VMM_DOMAIN_DEVICE_INTERFACE, VMM_DOMAIN_DEVICE_SERIAL,     VMM_DOMAIN_DEVICE_CONSOLE,
            VMM_DOMAIN_DEVICE_CHANNEL,   VMM_DOMAIN_DEVICE_INPUT,      VMM_DOMAIN_DEVICE_GRAPHICS,
            VMM_DOMAIN_DEVICE_VIDEO,     VMM_DOMAIN_DEVICE_MEMBALLOON, VMM_DOMAIN_DEVICE_RNG,
            VMM_DOMAIN_DEVICE_WATCHDOG,  VMM_DOMAIN_DEVICE_PANIC,
        };

        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++) {
                bool ok = false;
                size_t n;

                for (size_t i = 0; i < ARRAY_SIZE(handled); i++)
                        ok = ok || (int)handled[i] == k;
                qemu_build_devices(b, (VmmDomainDeviceKind)k, &n);
                if (n && !ok)
                        return vmm_qemu_build_unsupported(
                            b, "<%s>", vmm_domain_device_kind_to_string((VmmDomainDeviceKind)k));
        }
        if (b->def->devices->unknown.n_nodes)
                return vmm_qemu_build_unsupported(
                    b, "<%s>", (const char *)b->def->devices->unknown.nodes[0]->name);
        return 0;
}

/* ---- controllers ---- */

static int misc_pci_controller(VmmQemuBuild *b, const VmmDomainController *c, VmmBuf *o,
                               const char *who)
{
        const char *model = c->model;
        const VmmControllerTarget *t = c->target;

        if (!model || strcmp(model, "pci-root") == 0 || strcmp(model, "pcie-root") == 0) {
                if (c->index != 0)
                        return vmm_qemu_build_error(b, "%s: a root bus must have index 0", who);
                return 1; /* built into the machine */
        }
        if (strcmp(model, "pcie-root-port") == 0) {
                const char *name = c->model_name ? c->model_name : "pcie-root-port";

                if (strcmp(name, "pcie-root-port") != 0 && strcmp(name, "ioh3420") != 0)
                        return vmm_qemu_build_unsupported(b,
                                                          "%s: <model name='%s'> (expected "
                                                          "pcie-root-port or ioh3420)",
                                                          who, name);
                vmm_qemu_opt_add(o, NULL, name);
                if (t && t->port != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(o, "port", "0x%" PRIx64, t->port);
                vmm_qemu_opt_addf(o, "chassis", "%" PRId64,
                                  t && t->chassis != VMM_DEV_UNSET ? t->chassis : c->index);
        } else if (strcmp(model, "pci-bridge") == 0) {
                vmm_qemu_opt_add(o, NULL, "pci-bridge");
                vmm_qemu_opt_addf(o, "chassis_nr", "%" PRId64,
                                  t && t->chassis_nr != VMM_DEV_UNSET ? t->chassis_nr : c->index);
        } else if (strcmp(model, "dmi-to-pci-bridge") == 0) {
                vmm_qemu_opt_add(o, NULL, "i82801b11-bridge");
        } else if (strcmp(model, "pcie-to-pci-bridge") == 0) {
                vmm_qemu_opt_add(o, NULL, "pcie-pci-bridge");
        } else {
                return vmm_qemu_build_unsupported(b, "%s: model '%s'", who, model);
        }
        vmm_qemu_opt_addf(o, "id", "pci.%" PRId64, c->index);
        return 0;
}

static int misc_usb_controller(VmmQemuBuild *b, const VmmDomainController *c, VmmBuf *o,
                               const char *who)
{
        static const struct {
                const char *model, *device;
        } models[] = {
            {"piix3-uhci", "piix3-usb-uhci"},
            {"piix4-uhci", "piix4-usb-uhci"},
            {"qemu-xhci", "qemu-xhci"},
            {"nec-xhci", "nec-usb-xhci"},
        };
        const char *dev = NULL;

        if (c->model && strcmp(c->model, "none") == 0)
                return 1;
        if (!c->model)
                dev = b->q35 ? "qemu-xhci" : "piix3-usb-uhci";
        for (size_t i = 0; !dev && i < ARRAY_SIZE(models); i++)
                if (strcmp(models[i].model, c->model) == 0)
                        dev = models[i].device;
        if (!dev)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: model '%s' (expected piix3-uhci, "
                                                  "piix4-uhci, qemu-xhci, nec-xhci or none)",
                                                  who, c->model);
        vmm_qemu_opt_add(o, NULL, dev);
        if (c->index == 0) {
                vmm_qemu_opt_add(o, "id", "usb");
                b->usb = true;
        } else {
                vmm_qemu_opt_addf(o, "id", "usb%" PRId64, c->index);
        }
        return 0;
}

static int misc_scsi_controller(VmmQemuBuild *b, const VmmDomainController *c, VmmBuf *o,
                                const char *who)
{
        const char *m = c->model;

        if (!m || strcmp(m, "lsilogic") == 0)
                vmm_qemu_opt_add(o, NULL, "lsi53c895a");
        else if (strcmp(m, "virtio-scsi") == 0)
                vmm_qemu_opt_add(o, NULL, "virtio-scsi-pci");
        else
                return vmm_qemu_build_unsupported(b,
                                                  "%s: model '%s' (expected virtio-scsi or "
                                                  "lsilogic)",
                                                  who, m);
        vmm_qemu_opt_addf(o, "id", "scsi%" PRId64, c->index);
        if (m && strcmp(m, "virtio-scsi") == 0 && c->iothread != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(o, "iothread", "iothread%" PRId64, c->iothread);
        if (m && strcmp(m, "virtio-scsi") == 0 && c->queues != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(o, "num_queues", "%" PRId64, c->queues);
        if (m && strcmp(m, "virtio-scsi") == 0)
                vmm_qemu_build_virtio(o, c->virtio.iommu, c->virtio.ats, c->virtio.packed,
                                      c->virtio.page_per_vq);
        return 0;
}

/* Fills `o` with the controller's device; returns 1 when it needs none. */
static int misc_controller(VmmQemuBuild *b, const VmmDomainController *c, VmmBuf *o)
{
        char who[64];

        snprintf(who, sizeof(who), "controller '%s' index %" PRId64,
                 strna(vmm_controller_type_to_string(c->type)), c->index);
        switch (c->type) {
        case VMM_CONTROLLER_TYPE_PCI:
                return misc_pci_controller(b, c, o, who);
        case VMM_CONTROLLER_TYPE_USB:
                return misc_usb_controller(b, c, o, who);
        case VMM_CONTROLLER_TYPE_SCSI:
                return misc_scsi_controller(b, c, o, who);
        case VMM_CONTROLLER_TYPE_IDE:
                if (b->q35 || c->index != 0)
                        return vmm_qemu_build_unsupported(b,
                                                          "%s (a pc machine has one IDE "
                                                          "controller, q35 none)",
                                                          who);
                return 1;
        case VMM_CONTROLLER_TYPE_SATA:
                if (b->q35 && c->index == 0)
                        return 1; /* q35's built-in AHCI ("ide") */
                vmm_qemu_opt_add(o, NULL, "ich9-ahci");
                vmm_qemu_opt_addf(o, "id", "sata%" PRId64, c->index);
                return 0;
        case VMM_CONTROLLER_TYPE_VIRTIO_SERIAL:
                vmm_qemu_opt_add(o, NULL, "virtio-serial-pci");
                vmm_qemu_opt_addf(o, "id", "virtio-serial%" PRId64, c->index);
                if (c->ports != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(o, "max_ports", "%" PRId64, c->ports);
                if (c->vectors != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(o, "vectors", "%" PRId64, c->vectors);
                vmm_qemu_build_virtio(o, c->virtio.iommu, c->virtio.ats, c->virtio.packed,
                                      c->virtio.page_per_vq);
                b->virtio_serial = b->virtio_serial || c->index == 0;
                return 0;
        default:
                return vmm_qemu_build_unsupported(b, "%s", who);
        }
}

/* Whether a disk on `bus` needs a controller the XML did not list. */
static bool misc_needs_scsi(const VmmQemuBuild *b)
{
        size_t nd, nc;
        VmmDomainDisk *const *disks =
            (VmmDomainDisk *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_DISK, &nd);
        VmmDomainController *const *ctrls =
            (VmmDomainController *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_CONTROLLER, &nc);
        bool scsi_disk = false;

        for (size_t i = 0; i < nd; i++)
                scsi_disk = scsi_disk || disks[i]->target_bus == VMM_DISK_BUS_SCSI;
        for (size_t i = 0; i < nc; i++)
                if (ctrls[i]->type == VMM_CONTROLLER_TYPE_SCSI)
                        return false;
        return scsi_disk;
}

int vmm_qemu_command_controllers(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainController *const *ctrls =
            (VmmDomainController *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_CONTROLLER, &n);

        /* PCI controllers first (others may sit on their buses), by index */
        for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < n; i++) {
                        const VmmDomainController *c = ctrls[i];
                        VmmBuf o = VMM_BUF_INIT;
                        char who[64];
                        int r;

                        if ((c->type == VMM_CONTROLLER_TYPE_PCI) != (pass == 0))
                                continue;
                        r = misc_controller(b, c, &o);
                        if (r == 0) {
                                snprintf(who, sizeof(who), "controller #%zu", i);
                                r = vmm_qemu_build_pci_address(b, &o, &c->info, who);
                        }
                        if (r < 0 || r == 1) {
                                vmm_buf_done(&o);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        vmm_qemu_args_add_opts(&b->args, "-device", &o);
                }
        }
        if (misc_needs_scsi(b)) {
                vmm_qemu_args_add(&b->args, "-device");
                vmm_qemu_args_add(&b->args, "lsi53c895a,id=scsi0");
        }
        return 0;
}

/* ---- graphics ---- */

static int misc_vnc_listen(VmmQemuBuild *b, const VmmDomainGraphics *g, VmmBuf *o)
{
        const VmmGraphicsListen *l = g->n_listens ? g->listens[0] : NULL;
        const char *addr = l && l->address ? l->address : g->listen;
        int64_t port = g->port;
        bool autoport = g->autoport == VMM_DEV_YES || port == VMM_DEV_UNSET || port < 0;

        if (l && l->type == VMM_GRAPHICS_LISTEN_NONE) {
                vmm_qemu_opt_add(o, NULL, "none");
                return 0;
        }
        if (l && l->type == VMM_GRAPHICS_LISTEN_NETWORK)
                return vmm_qemu_build_unsupported(b, "graphics vnc: <listen type='network'>");
        if ((l && l->type == VMM_GRAPHICS_LISTEN_SOCKET) || g->socket) {
                const char *path = l && l->socket ? l->socket : g->socket;

                if (path)
                        vmm_qemu_opt_addf(o, NULL, "unix:%s", path);
                else if (b->ctx->runtime_dir)
                        vmm_qemu_opt_addf(o, NULL, "unix:%s/vnc.sock", b->ctx->runtime_dir);
                else
                        return vmm_qemu_build_error(b, "graphics vnc: <listen type='socket'> "
                                                       "needs a socket path");
                return 0;
        }
        if (!autoport && (port < 5900 || port > 65535))
                return vmm_qemu_build_error(b,
                                            "graphics vnc: port %" PRId64 " (expected 5900 "
                                            "to 65535, or autoport='yes')",
                                            port);
        if (!addr)
                addr = "127.0.0.1";
        /* QEMU takes a display number (port - 5900); to= lets it pick the
         * first free one from 5900 on */
        if (strchr(addr, ':'))
                vmm_qemu_opt_addf(o, NULL, "[%s]:%" PRId64, addr, autoport ? 0 : port - 5900);
        else
                vmm_qemu_opt_addf(o, NULL, "%s:%" PRId64, addr, autoport ? 0 : port - 5900);
        if (autoport)
                vmm_qemu_opt_add(o, "to", "100");
        return 0;
}

static const char *misc_graphics_name(int type)
{
        static const char *const names[_VMM_GRAPHICS_TYPE_MAX] = {
            [VMM_GRAPHICS_TYPE_SDL] = "sdl",     [VMM_GRAPHICS_TYPE_VNC] = "vnc",
            [VMM_GRAPHICS_TYPE_RDP] = "rdp",     [VMM_GRAPHICS_TYPE_DESKTOP] = "desktop",
            [VMM_GRAPHICS_TYPE_SPICE] = "spice", [VMM_GRAPHICS_TYPE_EGL_HEADLESS] = "egl-headless",
            [VMM_GRAPHICS_TYPE_DBUS] = "dbus",
        };

        return type > 0 && type < _VMM_GRAPHICS_TYPE_MAX && names[type] ? names[type] : "?";
}

int vmm_qemu_command_graphics(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainGraphics *const *gs =
            (VmmDomainGraphics *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_GRAPHICS, &n);
        VmmBuf o = VMM_BUF_INIT;
        int r;

        for (size_t i = 0; i < n; i++) {
                const VmmDomainGraphics *g = gs[i];

                if (g->type != VMM_GRAPHICS_TYPE_VNC)
                        return vmm_qemu_build_unsupported(b,
                                                          "graphics #%zu: <graphics type='%s'> "
                                                          "(only vnc is)",
                                                          i, misc_graphics_name(g->type));
                if (i > 0)
                        return vmm_qemu_build_unsupported(b, "a second <graphics>");
                r = misc_vnc_listen(b, g, &o);
                if (r < 0) {
                        vmm_buf_done(&o);
                        return r;
                }
                if (g->websocket != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "websocket", "%" PRId64, g->websocket);
                if (g->share_policy)
                        vmm_qemu_opt_add(&o, "share", g->share_policy);
                if (g->passwd)
                        vmm_qemu_opt_bool(&o, "password", true);
                vmm_qemu_args_add_opts(&b->args, "-vnc", &o);
                if (g->keymap) {
                        vmm_qemu_args_add(&b->args, "-k");
                        vmm_qemu_args_add(&b->args, g->keymap);
                }
        }
        return 0;
}

/* ---- video and input ---- */

static int misc_video(VmmQemuBuild *b, const VmmDomainVideo *v, size_t i)
{
        const VmmVideoModel *m = v->model;
        int type = m ? m->type : VMM_VIDEO_MODEL_VGA;
        const char *dev;
        VmmBuf o = VMM_BUF_INIT;
        char who[32];
        int r;

        snprintf(who, sizeof(who), "video #%zu", i);
        switch (type) {
        case VMM_VIDEO_MODEL_NONE:
                return 0;
        case VMM_VIDEO_MODEL_VGA:
                dev = i == 0 ? "VGA" : "secondary-vga";
                break;
        case VMM_VIDEO_MODEL_CIRRUS:
                dev = "cirrus-vga";
                break;
        case VMM_VIDEO_MODEL_VMVGA:
                dev = "vmware-svga";
                break;
        case VMM_VIDEO_MODEL_QXL:
                dev = i == 0 ? "qxl-vga" : "qxl";
                break;
        case VMM_VIDEO_MODEL_VIRTIO:
                dev = i == 0 ? "virtio-vga" : "virtio-gpu-pci";
                break;
        case VMM_VIDEO_MODEL_BOCHS:
                dev = "bochs-display";
                break;
        default:
                return vmm_qemu_build_unsupported(b,
                                                  "%s: this model (expected vga, cirrus, "
                                                  "vmvga, qxl, virtio, bochs or none)",
                                                  who);
        }
        if (m && (m->accel3d > 0 || m->accel2d > 0))
                return vmm_qemu_build_unsupported(b, "%s: <acceleration>", who);
        vmm_qemu_opt_add(&o, NULL, dev);
        vmm_qemu_opt_addf(&o, "id", "video%zu", i);
        if (m && (type == VMM_VIDEO_MODEL_VGA || type == VMM_VIDEO_MODEL_VMVGA) &&
            m->vram != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "vgamem_mb", "%" PRId64, m->vram / 1024);
        if (m && type == VMM_VIDEO_MODEL_QXL) {
                if (m->ram != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "ram_size", "%" PRId64, m->ram * 1024);
                if (m->vram != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "vram_size", "%" PRId64, m->vram * 1024);
                if (m->vgamem != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "vgamem_mb", "%" PRId64, m->vgamem / 1024);
        }
        if (m && type == VMM_VIDEO_MODEL_VIRTIO && m->heads != VMM_DEV_UNSET)
                vmm_qemu_opt_addf(&o, "max_outputs", "%" PRId64, m->heads);
        if (type == VMM_VIDEO_MODEL_VIRTIO)
                vmm_qemu_build_virtio(&o, v->virtio.iommu, v->virtio.ats, v->virtio.packed,
                                      v->virtio.page_per_vq);
        r = vmm_qemu_build_pci_address(b, &o, &v->info, who);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

static int misc_input(VmmQemuBuild *b, const VmmDomainInput *in, size_t i)
{
        static const char *const usb[] = {[VMM_INPUT_TYPE_MOUSE] = "usb-mouse",
                                          [VMM_INPUT_TYPE_TABLET] = "usb-tablet",
                                          [VMM_INPUT_TYPE_KEYBOARD] = "usb-kbd"};
        static const char *const virtio[] = {[VMM_INPUT_TYPE_MOUSE] = "virtio-mouse-pci",
                                             [VMM_INPUT_TYPE_TABLET] = "virtio-tablet-pci",
                                             [VMM_INPUT_TYPE_KEYBOARD] = "virtio-keyboard-pci"};
        int bus = in->bus;
        VmmBuf o = VMM_BUF_INIT;
        char who[32];
        int r = 0;

        snprintf(who, sizeof(who), "input #%zu", i);
        if (in->type < VMM_INPUT_TYPE_MOUSE || in->type > VMM_INPUT_TYPE_KEYBOARD)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: this type (expected mouse, tablet or "
                                                  "keyboard)",
                                                  who);
        if (bus == VMM_INPUT_BUS_DEFAULT)
                bus = in->type == VMM_INPUT_TYPE_TABLET ? VMM_INPUT_BUS_USB : VMM_INPUT_BUS_PS2;
        if (bus == VMM_INPUT_BUS_PS2 && in->type != VMM_INPUT_TYPE_TABLET)
                return 0; /* the PS/2 mouse and keyboard are built into the machine */
        if (bus == VMM_INPUT_BUS_USB) {
                if (!b->usb)
                        return vmm_qemu_build_error(b,
                                                    "%s: a USB input device needs a USB "
                                                    "controller (expected <controller "
                                                    "type='usb' model='qemu-xhci'/>)",
                                                    who);
                vmm_qemu_opt_add(&o, NULL, usb[in->type]);
                vmm_qemu_opt_add(&o, "bus", "usb.0");
                if (in->info.address && in->info.address->type == VMM_DEV_ADDRESS_USB &&
                    in->info.address->usb_port)
                        vmm_qemu_opt_add(&o, "port", in->info.address->usb_port);
        } else if (bus == VMM_INPUT_BUS_VIRTIO) {
                vmm_qemu_opt_add(&o, NULL, virtio[in->type]);
                vmm_qemu_build_virtio(&o, in->virtio.iommu, in->virtio.ats, in->virtio.packed,
                                      in->virtio.page_per_vq);
                r = vmm_qemu_build_pci_address(b, &o, &in->info, who);
        } else {
                return vmm_qemu_build_unsupported(b,
                                                  "%s: this bus (expected ps2, usb or "
                                                  "virtio)",
                                                  who);
        }
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_opt_addf(&o, "id", "input%zu", i);
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

int vmm_qemu_command_video_input(VmmQemuBuild *b)
{
        size_t nv, ni;
        VmmDomainVideo *const *videos =
            (VmmDomainVideo *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_VIDEO, &nv);
        VmmDomainInput *const *inputs =
            (VmmDomainInput *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_INPUT, &ni);
        int r;

        for (size_t i = 0; i < nv; i++) {
                r = misc_video(b, videos[i], i);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ni; i++) {
                r = misc_input(b, inputs[i], i);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- memballoon and rng ---- */

static int misc_balloon(VmmQemuBuild *b, const VmmDomainMemballoon *m)
{
        static const char *const devs[] = {NULL, "virtio-balloon-pci",
                                           "virtio-balloon-pci-transitional",
                                           "virtio-balloon-pci-non-transitional"};
        VmmBuf o = VMM_BUF_INIT;
        int r;

        if (m->model == BALLOON_NONE)
                return 0;
        if (m->model < BALLOON_VIRTIO || m->model > BALLOON_VIRTIO_NON_TRANS)
                return vmm_qemu_build_unsupported(b, "<memballoon> of this model (expected "
                                                     "virtio or none)");
        vmm_qemu_opt_add(&o, NULL, devs[m->model]);
        vmm_qemu_opt_add(&o, "id", "balloon0");
        if (m->autodeflate > 0)
                vmm_qemu_opt_bool(&o, "deflate-on-oom", m->autodeflate == VMM_DEV_ON);
        if (m->free_page_reporting > 0)
                vmm_qemu_opt_bool(&o, "free-page-reporting", m->free_page_reporting == VMM_DEV_ON);
        vmm_qemu_build_virtio(&o, m->virtio.iommu, m->virtio.ats, m->virtio.packed,
                              m->virtio.page_per_vq);
        r = vmm_qemu_build_pci_address(b, &o, &m->info, "memballoon");
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

static int misc_rng(VmmQemuBuild *b, const VmmDomainRng *rng, size_t i)
{
        const VmmRngBackend *be = rng->backend;
        VmmBuf o = VMM_BUF_INIT;
        char who[32];
        int r;

        snprintf(who, sizeof(who), "rng #%zu", i);
        if (rng->model && strcmp(rng->model, "virtio") != 0)
                return vmm_qemu_build_unsupported(b, "%s: model '%s' (expected virtio)", who,
                                                  rng->model);
        if (!be || (be->model != RNG_RANDOM && be->model != RNG_BUILTIN))
                return vmm_qemu_build_unsupported(b,
                                                  "%s: this backend (expected random or "
                                                  "builtin)",
                                                  who);
        vmm_qemu_opt_add(&o, NULL, be->model == RNG_RANDOM ? "rng-random" : "rng-builtin");
        vmm_qemu_opt_addf(&o, "id", "objrng%zu", i);
        if (be->model == RNG_RANDOM)
                vmm_qemu_opt_add(&o, "filename", be->device ? be->device : "/dev/urandom");
        vmm_qemu_args_add_opts(&b->args, "-object", &o);

        vmm_qemu_opt_add(&o, NULL, "virtio-rng-pci");
        vmm_qemu_opt_addf(&o, "rng", "objrng%zu", i);
        vmm_qemu_opt_addf(&o, "id", "rng%zu", i);
        if (rng->rate_bytes != VMM_DEV_UNSET) {
                vmm_qemu_opt_addf(&o, "max-bytes", "%" PRId64, rng->rate_bytes);
                vmm_qemu_opt_addf(&o, "period", "%" PRId64,
                                  rng->rate_period != VMM_DEV_UNSET ? rng->rate_period : 1000);
        }
        vmm_qemu_build_virtio(&o, rng->virtio.iommu, rng->virtio.ats, rng->virtio.packed,
                              rng->virtio.page_per_vq);
        r = vmm_qemu_build_pci_address(b, &o, &rng->info, who);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

int vmm_qemu_command_balloon_rng(VmmQemuBuild *b)
{
        size_t nb, nr;
        VmmDomainMemballoon *const *balloons =
            (VmmDomainMemballoon *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_MEMBALLOON, &nb);
        VmmDomainRng *const *rngs =
            (VmmDomainRng *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_RNG, &nr);
        int r;

        if (nb > 1)
                return vmm_qemu_build_error(b, "only one <memballoon> is allowed");
        if (nb) {
                r = misc_balloon(b, balloons[0]);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < nr; i++) {
                r = misc_rng(b, rngs[i], i);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- watchdog and panic ---- */

static int misc_watchdog(VmmQemuBuild *b, const VmmDomainWatchdog *w)
{
        static const char *const actions[] = {
            [WATCHDOG_RESET] = "reset",       [WATCHDOG_SHUTDOWN] = "shutdown",
            [WATCHDOG_POWEROFF] = "poweroff", [WATCHDOG_PAUSE] = "pause",
            [WATCHDOG_NONE] = "none",         [WATCHDOG_INJECT_NMI] = "inject-nmi",
        };
        const char *model = w->model ? w->model : "";
        VmmBuf o = VMM_BUF_INIT;
        int r = 0;

        if (strcmp(model, "i6300esb") != 0 && strcmp(model, "ib700") != 0)
                return vmm_qemu_build_unsupported(b,
                                                  "<watchdog model='%s'> (expected i6300esb "
                                                  "or ib700)",
                                                  model);
        if (w->action == WATCHDOG_DUMP || w->action < 0 || w->action >= (int)ARRAY_SIZE(actions) ||
            (w->action && !actions[w->action]))
                return vmm_qemu_build_unsupported(b, "<watchdog action='dump'>");
        vmm_qemu_opt_add(&o, NULL, model);
        vmm_qemu_opt_add(&o, "id", "watchdog0");
        if (strcmp(model, "i6300esb") == 0)
                r = vmm_qemu_build_pci_address(b, &o, &w->info, "watchdog");
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        vmm_qemu_args_add(&b->args, "-action");
        vmm_qemu_args_addf(&b->args, "watchdog=%s",
                           actions[w->action ? w->action : WATCHDOG_RESET]);
        return 0;
}

/* The pvpanic device lets QEMU report GUEST_PANICKED (for <on_crash>). */
static int misc_panic(VmmQemuBuild *b, const VmmDomainSimpleDev *p)
{
        const char *model = p->model ? p->model : "isa";
        const VmmDevAddress *a = p->info.address;
        VmmBuf o = VMM_BUF_INIT;
        int r = 0;

        if (strcmp(model, "isa") == 0) {
                vmm_qemu_opt_add(&o, NULL, "pvpanic");
                if (a && a->type == VMM_DEV_ADDRESS_ISA && a->iobase != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "ioport", "%" PRId64, a->iobase);
        } else if (strcmp(model, "pci") == 0) {
                vmm_qemu_opt_add(&o, NULL, "pvpanic-pci");
                r = vmm_qemu_build_pci_address(b, &o, &p->info, "panic");
        } else {
                return vmm_qemu_build_unsupported(b, "<panic model='%s'> (expected isa or pci)",
                                                  model);
        }
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_opt_add(&o, "id", "panic0");
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

int vmm_qemu_command_watchdog_panic(VmmQemuBuild *b)
{
        size_t nw, np;
        VmmDomainWatchdog *const *wds =
            (VmmDomainWatchdog *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_WATCHDOG, &nw);
        VmmDomainSimpleDev *const *panics =
            (VmmDomainSimpleDev *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_PANIC, &np);
        int r;

        if (nw > 1 || np > 1)
                return vmm_qemu_build_unsupported(b, "more than one <watchdog> or <panic>");
        if (nw) {
                r = misc_watchdog(b, wds[0]);
                if (r < 0)
                        return r;
        }
        return np ? misc_panic(b, panics[0]) : 0;
}
