/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-chr.c: <serial>, <console> and <channel> as a -chardev
 * (pty, file, unix or tcp socket, pipe, host tty, null; logged to a file,
 * see vmm_qemu_build_chr_log()) and the guest-side -device: isa-serial or
 * pci-serial, virtconsole, virtserialport.
 *
 * A <console> with target type 'serial' (or none) is the first serial
 * port itself, as in libvirt: it adds nothing when a <serial> exists, and
 * stands for serial port 0 when none does.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "qemu-command-priv.h"

/* The chardev type QEMU uses for `chr`, NULL when there is none. */
static const char *chr_backend_type(const VmmDomainChr *chr)
{
        switch (chr->type) {
        case VMM_CHR_TYPE_PTY:
                return "pty";
        case VMM_CHR_TYPE_NULL:
                return "null";
        case VMM_CHR_TYPE_FILE:
                return "file";
        case VMM_CHR_TYPE_PIPE:
                return "pipe";
        case VMM_CHR_TYPE_DEV:
                return "tty";
        case VMM_CHR_TYPE_UNIX:
        case VMM_CHR_TYPE_TCP:
                return "socket";
        default:
                return NULL;
        }
}

/* A channel's unix socket left to the host: <runtime_dir>/<target
 * name>.sock (e.g. the guest agent's). */
static int chr_default_socket(VmmQemuBuild *b, const VmmDomainChr *chr, const char *who, VmmBuf *o)
{
        const char *name = chr->target_name;

        if (!b->ctx->runtime_dir || !name || strncmp(who, "channel", 7) != 0)
                return vmm_qemu_build_error(b, "%s: <source path=...> is missing", who);
        if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return vmm_qemu_build_error(b,
                                            "%s: target name '%s' cannot name a socket file "
                                            "(expected no '/')",
                                            who, name);
        /* sun_path holds 107 characters and the NUL */
        if (strlen(b->ctx->runtime_dir) + strlen(name) + 6 > 107)
                return vmm_qemu_build_error(b,
                                            "%s: the socket path \"%s/%s.sock\" would be longer "
                                            "than 107 characters (give <source path=...> or "
                                            "use a shorter runtime directory)",
                                            who, b->ctx->runtime_dir, name);
        vmm_qemu_opt_addf(o, "path", "%s/%s.sock", b->ctx->runtime_dir, name);
        return 0;
}

static int chr_backend_source(VmmQemuBuild *b, const VmmDomainChr *chr, const char *who, VmmBuf *o)
{
        const VmmChrSource *src = chr->n_sources ? chr->sources[0] : NULL;
        const char *path = src ? src->path : NULL;
        bool server = !src || !src->mode || strcmp(src->mode, "bind") == 0;

        switch (chr->type) {
        case VMM_CHR_TYPE_UNIX:
                if (!path) {
                        int r = chr_default_socket(b, chr, who, o);

                        if (r < 0)
                                return r;
                        break;
                }
                vmm_qemu_opt_add(o, "path", path);
                break;
        case VMM_CHR_TYPE_FILE:
        case VMM_CHR_TYPE_PIPE:
        case VMM_CHR_TYPE_DEV:
                if (!path)
                        return vmm_qemu_build_error(b, "%s: <source path=...> is missing", who);
                vmm_qemu_opt_add(o, "path", path);
                if (chr->type == VMM_CHR_TYPE_FILE && src->append > 0)
                        vmm_qemu_opt_bool(o, "append", src->append == VMM_DEV_ON);
                break;
        case VMM_CHR_TYPE_TCP:
                if (!src || !src->service)
                        return vmm_qemu_build_error(b,
                                                    "%s: <source service=...> (the port) is "
                                                    "missing",
                                                    who);
                vmm_qemu_opt_add(o, "host", src->host ? src->host : "127.0.0.1");
                vmm_qemu_opt_add(o, "port", src->service);
                if (chr->protocol && strcmp(chr->protocol, "telnet") == 0)
                        vmm_qemu_opt_bool(o, "telnet", true);
                break;
        default:
                return 0;
        }
        if (chr->type == VMM_CHR_TYPE_UNIX || chr->type == VMM_CHR_TYPE_TCP) {
                vmm_qemu_opt_bool(o, "server", server);
                if (server)
                        vmm_qemu_opt_bool(o, "wait", false);
        }
        return 0;
}

/* The -chardev "char<id>". `log`: whether output goes to the per-domain
 * log file when the XML names none (serial ports and consoles that are
 * not already files). */
static int chr_backend(VmmQemuBuild *b, const VmmDomainChr *chr, const char *id, const char *who,
                       bool log)
{
        const char *type = chr_backend_type(chr);
        VmmBuf o = VMM_BUF_INIT;
        int r;

        if (!type)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: a character device of this type "
                                                  "(expected pty, file, unix, tcp, pipe, dev "
                                                  "or null)",
                                                  who);
        vmm_qemu_opt_add(&o, NULL, type);
        vmm_qemu_opt_addf(&o, "id", "char%s", id);
        r = chr_backend_source(b, chr, who, &o);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        if (chr->log_file ||
            (log && chr->type != VMM_CHR_TYPE_FILE && chr->type != VMM_CHR_TYPE_NULL))
                vmm_qemu_build_chr_log(b, &o, chr, id);
        vmm_qemu_args_add_opts(&b->args, "-chardev", &o);
        return 0;
}

static int chr_serial(VmmQemuBuild *b, const VmmDomainChr *chr, size_t i)
{
        const char *tt = chr->target_type;
        char id[32], who[48];
        VmmBuf o = VMM_BUF_INIT;
        int r;

        snprintf(id, sizeof(id), "serial%zu", i);
        snprintf(who, sizeof(who), "serial #%zu", i);
        if (tt && strcmp(tt, "isa-serial") != 0 && strcmp(tt, "pci-serial") != 0)
                return vmm_qemu_build_unsupported(b,
                                                  "%s: <target type='%s'> (expected "
                                                  "isa-serial or pci-serial)",
                                                  who, tt);
        r = chr_backend(b, chr, id, who, true);
        if (r < 0)
                return r;
        if (tt && strcmp(tt, "pci-serial") == 0) {
                vmm_qemu_opt_add(&o, NULL, "pci-serial");
                r = vmm_qemu_build_pci_address(b, &o, &chr->info, who);
                if (r < 0) {
                        vmm_buf_done(&o);
                        return r;
                }
        } else {
                vmm_qemu_opt_add(&o, NULL, "isa-serial");
                vmm_qemu_opt_addf(&o, "index", "%" PRId64,
                                  chr->target_port != VMM_DEV_UNSET ? chr->target_port
                                                                    : (int64_t)i);
        }
        vmm_qemu_opt_addf(&o, "chardev", "char%s", id);
        vmm_qemu_opt_add(&o, "id", id);
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

/* The virtio-serial bus for consoles and channels: the first
 * <controller type='virtio-serial'>, or one added here. */
static void chr_virtio_serial(VmmQemuBuild *b)
{
        if (b->virtio_serial)
                return;
        vmm_qemu_args_add(&b->args, "-device");
        vmm_qemu_args_add(&b->args, "virtio-serial-pci,id=virtio-serial0");
        b->virtio_serial = true;
}

static int chr_virtio_port(VmmQemuBuild *b, const VmmDomainChr *chr, const char *kind, size_t i)
{
        bool console = strcmp(kind, "console") == 0;
        char id[32], who[48];
        VmmBuf o = VMM_BUF_INIT;
        int r;
        snprintf(id, sizeof(id), "%s%zu", kind, i);
        snprintf(who, sizeof(who), "%s #%zu", kind, i);
        const VmmDevAddress *a = chr->info.address;

        r = chr_backend(b, chr, id, who, console);
        if (r < 0)
                return r;
        vmm_qemu_opt_add(&o, NULL, console ? "virtconsole" : "virtserialport");
        if (a && a->type == VMM_DEV_ADDRESS_VIRTIO_SERIAL) {
                /* on the controller the address names (which must exist) */
                vmm_qemu_opt_addf(&o, "bus", "virtio-serial%" PRId64 ".%" PRId64,
                                  a->controller != VMM_DEV_UNSET ? a->controller : 0,
                                  a->bus != VMM_DEV_UNSET ? a->bus : 0);
                if (a->port != VMM_DEV_UNSET)
                        vmm_qemu_opt_addf(&o, "nr", "%" PRId64, a->port);
        } else if (a && a->type != VMM_DEV_ADDRESS_NONE) {
                vmm_buf_done(&o);
                return vmm_qemu_build_unsupported(b,
                                                  "%s: an <address> that is not "
                                                  "virtio-serial",
                                                  who);
        } else {
                chr_virtio_serial(b);
                vmm_qemu_opt_add(&o, "bus", "virtio-serial0.0");
        }
        vmm_qemu_opt_addf(&o, "chardev", "char%s", id);
        vmm_qemu_opt_add(&o, "id", id);
        if (!console && chr->target_name)
                vmm_qemu_opt_add(&o, "name", chr->target_name);
        vmm_qemu_args_add_opts(&b->args, "-device", &o);
        return 0;
}

static int chr_consoles(VmmQemuBuild *b, size_t n_serials)
{
        size_t n;
        VmmDomainChr *const *cons =
            (VmmDomainChr *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_CONSOLE, &n);
        int r;

        for (size_t i = 0; i < n; i++) {
                const char *tt = cons[i]->target_type;

                if (!tt || strcmp(tt, "serial") == 0) {
                        if (i > 0 || n_serials > 0)
                                continue; /* the first serial port itself */
                        r = chr_serial(b, cons[i], 0);
                } else if (strcmp(tt, "virtio") == 0) {
                        r = chr_virtio_port(b, cons[i], "console", i);
                } else {
                        r = vmm_qemu_build_unsupported(b,
                                                       "console #%zu: <target type='%s'> "
                                                       "(expected serial or virtio)",
                                                       i, tt);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

static int chr_channels(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainChr *const *chans =
            (VmmDomainChr *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_CHANNEL, &n);
        int r;

        for (size_t i = 0; i < n; i++) {
                const char *tt = chans[i]->target_type;

                if (!tt || strcmp(tt, "virtio") != 0)
                        return vmm_qemu_build_unsupported(b,
                                                          "channel #%zu: <target type='%s'> "
                                                          "(expected virtio)",
                                                          i, strna(tt));
                if (!chans[i]->target_name)
                        return vmm_qemu_build_error(b,
                                                    "channel #%zu: <target name=...> is "
                                                    "missing (expected e.g. "
                                                    "'org.qemu.guest_agent.0')",
                                                    i);
                r = chr_virtio_port(b, chans[i], "channel", i);
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_qemu_command_chrs(VmmQemuBuild *b)
{
        size_t n;
        VmmDomainChr *const *serials =
            (VmmDomainChr *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_SERIAL, &n);
        int r;

        for (size_t i = 0; i < n; i++) {
                r = chr_serial(b, serials[i], i);
                if (r < 0)
                        return r;
        }
        r = chr_consoles(b, n);
        if (r < 0)
                return r;
        return chr_channels(b);
}
