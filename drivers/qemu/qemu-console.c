/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-console.c: from a console's name to its host side (see
 * qemu-console.h): the device in the live definition, its chardev id on
 * QEMU's command line, and the pty QEMU reports for it in query-chardev.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/domain-chr.h"
#include "conf/domain-device.h"
#include "qemu-console.h"
#include "qemu-process-qmp.h"
#include "util/error.h"

typedef struct ConsoleOp {
        VmmQemuConsoleFn done;
        void *userdata;
        char alias[32];
        char chardev[40]; /* "charserial0" */
} ConsoleOp;

typedef struct ConsoleDev {
        const VmmDomainChr *chr;
        char alias[32];   /* the device the stream reaches ("serial0") */
        char chardev[40]; /* its -chardev id */
} ConsoleDev;

static bool console_target_serial(const VmmDomainChr *chr)
{
        return !chr->target_type || strcmp(chr->target_type, "serial") == 0;
}

/* The names the domain answers to, for messages: "serial0, console0". */
static void console_names(const VmmDomainDef *def, char *buf, size_t size)
{
        size_t ns, nc, off = 0;

        vmm_domain_devices_get(vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_SERIAL, &ns);
        vmm_domain_devices_get(vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_CONSOLE, &nc);
        buf[0] = '\0';
        for (size_t i = 0; i < ns && off < size; i++)
                off += (size_t)snprintf(buf + off, size - off, "%sserial%zu", off ? ", " : "", i);
        for (size_t i = 0; i < nc && off < size; i++)
                off += (size_t)snprintf(buf + off, size - off, "%sconsole%zu", off ? ", " : "", i);
        if (!buf[0])
                snprintf(buf, size, "none");
}

/* Parses "serial3" / "console0" into the kind and index. */
static bool console_parse_name(const char *name, bool *ret_serial, size_t *ret_index)
{
        const char *num;
        char *end;
        unsigned long v;

        if (strncmp(name, "serial", 6) == 0)
                num = name + 6, *ret_serial = true;
        else if (strncmp(name, "console", 7) == 0)
                num = name + 7, *ret_serial = false;
        else
                return false;
        if (*num < '0' || *num > '9')
                return false;
        v = strtoul(num, &end, 10);
        if (*end || v > 4096)
                return false;
        *ret_index = v;
        return true;
}

static int console_find(const char *domain, const VmmDomainDef *def, const char *dev_name,
                        ConsoleDev *ret, VmmError *error)
{
        size_t ns, nc, index = 0;
        VmmDomainChr *const *serials = (VmmDomainChr *const *)vmm_domain_devices_get(
            vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_SERIAL, &ns);
        VmmDomainChr *const *cons = (VmmDomainChr *const *)vmm_domain_devices_get(
            vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_CONSOLE, &nc);
        bool serial = true;
        char names[256];

        if (!dev_name && ns == 0 && nc == 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_SUPPORT,
                                     "domain '%s' has no serial port or console", domain);
        if (!dev_name)
                serial = ns > 0;
        else if (!console_parse_name(dev_name, &serial, &index) || index >= (serial ? ns : nc) ||
                 (!serial && index > 0 && console_target_serial(cons[index]))) {
                console_names(def, names, sizeof(names));
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                                     "domain '%s' has no console device '%s' (it has: %s)", domain,
                                     dev_name, names);
        }
        if (serial) {
                ret->chr = serials[index];
                snprintf(ret->alias, sizeof(ret->alias), "serial%zu", index);
        } else if (console_target_serial(cons[index])) {
                /* console 0 of target serial is serial port 0 */
                ret->chr = ns > 0 ? serials[0] : cons[0];
                snprintf(ret->alias, sizeof(ret->alias), "serial0");
        } else {
                ret->chr = cons[index];
                snprintf(ret->alias, sizeof(ret->alias), "console%zu", index);
        }
        snprintf(ret->chardev, sizeof(ret->chardev), "char%s", ret->alias);
        return 0;
}

static const char *console_type_name(int type)
{
        switch (type) {
        case VMM_CHR_TYPE_NULL:
                return "null";
        case VMM_CHR_TYPE_FILE:
                return "file";
        case VMM_CHR_TYPE_TCP:
                return "tcp";
        case VMM_CHR_TYPE_PIPE:
                return "pipe";
        case VMM_CHR_TYPE_DEV:
                return "dev";
        default:
                return "other";
        }
}

/* query-chardev: [{"label": "charserial0", "filename": "pty:/dev/pts/3"}...] */
static void console_chardev_reply(VmmQemuProcess *proc, int status, json_object *ret,
                                  const char *error_class, const char *message, void *userdata)
{
        ConsoleOp *op = userdata;
        VmmQemuConsole console = {.alias = op->alias, .kind = VMM_QEMU_CONSOLE_PTY};
        char why[256];
        size_t n = status >= 0 && json_object_is_type(ret, json_type_array)
                       ? json_object_array_length(ret)
                       : 0;

        for (size_t i = 0; i < n && !console.path; i++) {
                json_object *e = json_object_array_get_idx(ret, i), *label, *file;
                const char *f;

                if (!json_object_object_get_ex(e, "label", &label) ||
                    strcmp(json_object_get_string(label), op->chardev) != 0 ||
                    !json_object_object_get_ex(e, "filename", &file))
                        continue;
                f = json_object_get_string(file);
                if (f && strncmp(f, "pty:", 4) == 0)
                        console.path = f + 4;
        }
        if (console.path)
                op->done(0, &console, NULL, op->userdata);
        else if (status < 0)
                op->done(status, NULL, message ? message : "query-chardev failed", op->userdata);
        else {
                snprintf(why, sizeof(why), "domain '%s': QEMU reports no pty for %s (chardev '%s')",
                         vmm_qemu_process_get_name(proc), op->alias, op->chardev);
                op->done(-ENODEV, NULL, why, op->userdata);
        }
        free(op);
}

int vmm_qemu_driver_console(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *dev_name,
                            VmmQemuConsoleFn done, void *userdata, VmmError *error)
{
        const VmmChrSource *src;
        ConsoleDev dev = {0};
        VmmQemuConsole console;
        ConsoleOp *op;
        int r;

        (void)drv;
        if (!d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "console of domain '%s': the domain is not running", d->name);
        r = console_find(d->name, vmm_qemu_process_get_def(d->proc), dev_name, &dev, error);
        if (r < 0)
                return r;
        src = dev.chr->n_sources ? dev.chr->sources[0] : NULL;
        if (dev.chr->type == VMM_CHR_TYPE_UNIX && src && src->path &&
            (!src->mode || strcmp(src->mode, "bind") == 0)) {
                console = (VmmQemuConsole){dev.alias, VMM_QEMU_CONSOLE_UNIX, src->path};
                done(0, &console, NULL, userdata);
                return 0;
        }
        if (dev.chr->type != VMM_CHR_TYPE_PTY)
                return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                     "console of domain '%s': %s is a '%s' character device "
                                     "(a console needs type 'pty', or 'unix' with mode "
                                     "'bind')",
                                     d->name, dev.alias,
                                     dev.chr->type == VMM_CHR_TYPE_UNIX
                                         ? "unix (mode connect)"
                                         : console_type_name(dev.chr->type));
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        op->done = done;
        op->userdata = userdata;
        memcpy(op->alias, dev.alias, sizeof(op->alias));
        memcpy(op->chardev, dev.chardev, sizeof(op->chardev));
        r = vmm_qemu_process_qmp(d->proc, "query-chardev", NULL, console_chardev_reply, op, error);
        if (r < 0)
                free(op);
        return r;
}
