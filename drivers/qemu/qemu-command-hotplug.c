/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command-hotplug.c: one device's QEMU objects for hot-plug, from
 * the command-line builder (qemu-command-hotplug.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-command-hotplug.h"
#include "qemu-command-priv.h"

DEFINE_CLEANUP(json_object, json_object_put)

int vmm_qemu_command_device_args(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                                 const VmmQemuTap *tap, char ***ret_argv, VmmError *error)
{
        const VmmQemuCommandContext ctx = {.taps = tap, .n_taps = tap ? 1 : 0};
        const char *machine = def->os.machine ? def->os.machine : "pc";
        VmmDomainDevices only = {0};
        VmmDomainDef view = *def; /* read-only: the domain with this device alone */
        void *item = (void *)dev;
        int64_t boot[2] = {0, 0};
        VmmQemuBuild b = {.def = &view, .ctx = &ctx, .error = error, .args = VMM_QEMU_ARGS_INIT};
        char **argv;
        int r;

        vmm_check_arg(kind == VMM_DOMAIN_DEVICE_DISK || kind == VMM_DOMAIN_DEVICE_INTERFACE, error,
                      "kind (disk or interface)");
        only.items[kind] = &item;
        only.n[kind] = 1;
        view.devices = &only;
        b.name = def->name ? def->name : "?";
        b.q35 = strncmp(machine, "q35", 3) == 0 || strncmp(machine, "pc-q35", 6) == 0;
        b.pci_root = b.q35 ? "pcie.0" : "pci.0";
        b.disk_boot = boot;
        b.net_boot = boot;
        if (kind == VMM_DOMAIN_DEVICE_DISK) {
                const VmmDomainDisk *d = dev;

                boot[0] = d->info.boot_order > 0 ? d->info.boot_order : 0;
                r = vmm_qemu_command_disks(&b);
        } else {
                const VmmDomainNet *n = dev;

                boot[0] = n->info.boot_order > 0 ? n->info.boot_order : 0;
                r = vmm_qemu_command_nets(&b);
        }
        if (r >= 0 && vmm_qemu_args_failed(&b.args))
                r = vmm_error_oom(error);
        free(b.fds); /* the tap's fds: the caller passes them over QMP */
        if (r < 0) {
                vmm_qemu_args_done(&b.args);
                return r;
        }
        argv = vmm_qemu_args_steal(&b.args);
        if (!argv)
                return vmm_error_oom(error);
        *ret_argv = argv;
        return 0;
}

/* --- option lists to QMP --- */

/* Properties QEMU reads as booleans / integers over QMP. Anything else
 * stays a string (QEMU's enums such as write-cache=on are strings). */
static const char *const bool_keys[] = {
    "read-only",   "auto-read-only", "direct",         "no-flush",  "share-rw",
    "ioeventfd",   "event_idx",      "iommu_platform", "ats",       "packed",
    "page-per-vq", "vhost",          "csum",           "gso",       "host_tso4",
    "host_tso6",   "host_ecn",       "host_ufo",       "mrg_rxbuf", "guest_csum",
    "guest_tso4",  "guest_tso6",     "guest_ecn",      "guest_ufo",
};
static const char *const int_keys[] = {
    "bootindex",
    "unit",
    "channel",
    "scsi-id",
    "lun",
    "logical_block_size",
    "physical_block_size",
    "num-queues",
    "queue-size",
    "host_mtu",
    "rx_queue_size",
    "tx_queue_size",
    "rombar",
};

static bool key_in(const char *key, const char *const *keys, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(key, keys[i]) == 0)
                        return true;
        return false;
}

static int opts_value(const char *leaf, const char *value, json_object **ret, VmmError *error)
{
        if (key_in(leaf, bool_keys, ARRAY_SIZE(bool_keys))) {
                if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "option '%s': '%s' is not on/off", leaf, value);
                *ret = json_object_new_boolean(strcmp(value, "on") == 0);
        } else if (key_in(leaf, int_keys, ARRAY_SIZE(int_keys))) {
                char *end;
                long long v;

                errno = 0;
                v = strtoll(value, &end, 0);
                if (!*value || *end || errno)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "option '%s': '%s' is not an integer", leaf, value);
                *ret = json_object_new_int64(v);
        } else
                *ret = json_object_new_string(value);
        return *ret ? 0 : vmm_error_oom(error);
}

/* Stores `key` (dotted: nested) = `value` in `obj`. */
static int opts_store(json_object *obj, char *key, const char *value, VmmError *error)
{
        char *dot;
        json_object *v = NULL, *sub;
        int r;

        while ((dot = strchr(key, '.'))) {
                *dot = '\0';
                if (!json_object_object_get_ex(obj, key, &sub)) {
                        sub = json_object_new_object();
                        if (!sub || json_object_object_add(obj, key, sub) < 0)
                                return vmm_error_oom(error);
                } else if (!json_object_is_type(sub, json_type_object))
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "option '%s' is both a value and a group", key);
                obj = sub;
                key = dot + 1;
        }
        r = opts_value(key, value, &v, error);
        if (r < 0)
                return r;
        if (json_object_object_add(obj, key, v) < 0) {
                json_object_put(v);
                return vmm_error_oom(error);
        }
        return 0;
}

/* The next element of the list at *p (unescaped, heap) and where it ends. */
static char *opts_next(const char **p)
{
        VmmBuf out = VMM_BUF_INIT;
        const char *s = *p;

        for (; *s; s++) {
                if (*s == ',' && s[1] == ',') {
                        vmm_buf_add(&out, ",");
                        s++;
                        continue;
                }
                if (*s == ',')
                        break;
                vmm_buf_addc(&out, *s);
        }
        *p = *s ? s + 1 : s;
        vmm_buf_add(&out, "");
        return vmm_buf_steal(&out);
}

int vmm_qemu_opts_to_qmp(const char *opts, const char *first_key, json_object **ret_args,
                         VmmError *error)
{
        _cleanup_(json_object_putp) json_object *obj = json_object_new_object();
        const char *p = opts;
        bool first = true;
        int r;

        vmm_check_arg(opts && ret_args, error, "opts and ret_args");
        if (!obj)
                return vmm_error_oom(error);
        while (*p) {
                _cleanup_free_ char *item = opts_next(&p);
                char *eq;

                if (!item)
                        return vmm_error_oom(error);
                eq = strchr(item, '=');
                if (!eq && first && first_key) {
                        json_object *v = json_object_new_string(item);

                        r = v && json_object_object_add(obj, first_key, v) >= 0
                                ? 0
                                : vmm_error_oom(error);
                        if (r < 0)
                                json_object_put(v);
                } else if (!eq || eq == item)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                             "option list '%s': '%s' is not key=value", opts, item);
                else {
                        *eq = '\0';
                        r = opts_store(obj, item, eq + 1, error);
                }
                if (r < 0)
                        return r;
                first = false;
        }
        *ret_args = TAKE_PTR(obj);
        return 0;
}
