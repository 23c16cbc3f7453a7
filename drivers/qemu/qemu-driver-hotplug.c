/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-hotplug.c: attach-device and detach-device on the qemu
 * driver (see qemu-driver-hotplug.h for the choices). One HpOp per call
 * walks a short sequence of QMP commands on the daemon's loop:
 *   attach: add[0..n) (blockdev-add/netdev_add..., device_add); on a
 *           failure, the backends created so far are deleted again;
 *   detach: device_del, DEVICE_DELETED, then del[] (blockdev-del...).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/domain-device-edit.h"
#include "conf/domain-disk.h"
#include "conf/domain-net.h"
#include "qemu-arg.h"
#include "qemu-command-hotplug.h"
#include "qemu-driver-hotplug.h"
#include "qemu-driver-priv.h"
#include "qemu-process-hotplug.h"
#include "qemu-process-qmp.h"
#include "qemu-tap.h"
#include "util/error.h"
#include "util/log.h"

DEFINE_CLEANUP(json_object, json_object_put)

#define HP_MAX_CMDS 12

typedef struct HpCmd {
        const char *command;
        json_object *args;
        int fd;         /* passed with the command (getfd), -1: none */
        bool undo_only; /* closefd of a getfd: only when netdev_add did not run */
} HpCmd;

typedef enum HpPhase {
        HP_ADD,      /* add[] in order */
        HP_UNDO,     /* attach failed: del[] of what was created */
        HP_DEL,      /* device_del sent, reply pending */
        HP_WAIT,     /* waiting for DEVICE_DELETED */
        HP_BACKENDS, /* del[] after the device is gone */
} HpPhase;

typedef struct HpOp {
        VmmQemuDriver *drv;
        VmmQemuProcess *proc; /* a reference */
        uint8_t uuid[VMM_UUID_LEN];
        char *name;
        const char *op; /* "attach" or "detach" */
        bool attach, config;
        VmmDomainDevices *one; /* the device as the caller gave it */
        VmmDomainDeviceKind kind;
        char what[128]; /* "disk 'vdb'" */
        char *dev_id;
        VmmDomainDef *new_live;
        VmmQemuTapHost tap; /* a tap-backed interface's host side, until QEMU has it */
        HpCmd add[HP_MAX_CMDS], del[HP_MAX_CMDS];
        size_t n_add, n_del, next, del_next, del_end;
        HpPhase phase;
        bool deleted;   /* DEVICE_DELETED came before device_del's reply */
        bool fds_taken; /* netdev_add ran: QEMU took the fds passed with getfd */
        VmmQemuDeviceWait *wait;
        int status;
        char *message;
        VmmQemuDriverDoneFn done;
        void *userdata;
        void (*after_config)(struct HpOp *op); /* once the definition's side is stored */
} HpOp;

static void hp_reply(VmmQemuProcess *proc, int status, json_object *ret, const char *error_class,
                     const char *message, void *userdata);

static void hp_free(HpOp *op)
{
        for (size_t i = 0; i < op->n_add; i++)
                json_object_put(op->add[i].args);
        for (size_t i = 0; i < op->n_del; i++)
                json_object_put(op->del[i].args);
        vmm_domain_def_free(op->new_live);
        vmm_qemu_tap_host_done(&op->tap); /* QEMU holds its own copies by now */
        vmm_domain_devices_free(op->one);
        vmm_qemu_process_unref(op->proc);
        free(op->dev_id);
        free(op->name);
        free(op->message);
        free(op);
}

static void hp_finish(HpOp *op)
{
        op->done(op->status, op->message, op->userdata);
        hp_free(op);
}

/* Records the first failure of the operation. */
_printf_(3, 4) static void hp_fail(HpOp *op, int status, const char *fmt, ...)
{
        va_list ap;
        char *detail = NULL;

        if (op->status < 0)
                return;
        va_start(ap, fmt);
        if (vasprintf(&detail, fmt, ap) < 0)
                detail = NULL;
        va_end(ap);
        op->status = status;
        if (asprintf(&op->message, "%s device to domain '%s': %s: %s", op->op, op->name, op->what,
                     detail ? detail : "out of memory") < 0)
                op->message = NULL;
        free(detail);
}

static int hp_send_cmd(HpOp *op, const HpCmd *c, VmmError *error)
{
        if (c->fd >= 0)
                return vmm_qemu_process_qmp_fd(op->proc, c->command, json_object_get(c->args),
                                               c->fd, hp_reply, op, error);
        return vmm_qemu_process_qmp(op->proc, c->command, json_object_get(c->args), hp_reply, op,
                                    error);
}

static int hp_send(HpOp *op, const char *command, json_object *args)
{
        VmmError err = VMM_ERROR_INIT;
        HpCmd c = {.command = command, .args = args, .fd = -1};
        int r = hp_send_cmd(op, &c, &err);

        if (r < 0) {
                hp_fail(op, r, "%s", err.message ? err.message : "the monitor is gone");
                vmm_error_clear(&err);
        }
        return r;
}

/* Sends the next backend removal of del[del_next..del_end); at the end
 * finishes (undo) or completes the detach. */
static void hp_del_next(HpOp *op);

static void hp_detached(HpOp *op);

static void hp_del_next(HpOp *op)
{
        while (op->del_next < op->del_end) {
                HpCmd *c = &op->del[op->del_next++];

                if (c->undo_only && (op->phase != HP_UNDO || op->fds_taken))
                        continue;
                if (hp_send_cmd(op, c, NULL) >= 0)
                        return;
                vmm_log_warning("domain '%s': %s after removing %s failed, ignoring", op->name,
                                c->command, op->what);
        }
        if (op->phase == HP_UNDO || op->attach)
                hp_finish(op); /* the error is recorded */
        else
                hp_detached(op);
}

static void hp_undo(HpOp *op)
{
        /* add[i] for i < next succeeded; del[] lists their removals
         * newest first, device_add (always last) has none */
        size_t created = op->next < op->n_del ? op->next : op->n_del;

        op->phase = HP_UNDO;
        op->del_next = op->n_del - created;
        op->del_end = op->n_del;
        hp_del_next(op);
}

static void hp_backends(HpOp *op)
{
        op->phase = HP_BACKENDS;
        op->del_next = 0;
        op->del_end = op->n_del;
        hp_del_next(op);
}

static void hp_wait_done(VmmQemuProcess *proc, int status, void *userdata)
{
        HpOp *op = userdata;

        (void)proc;
        op->wait = NULL;
        if (status < 0) {
                hp_fail(op, -ETIMEDOUT,
                        "the guest did not release the device within %d s (it is still "
                        "attached; the guest may lack ACPI PCI hot-plug support, or not be "
                        "running an OS yet)",
                        VMM_QEMU_UNPLUG_TIMEOUT_MS / 1000);
                hp_finish(op);
        } else if (op->phase == HP_DEL)
                op->deleted = true;
        else
                hp_backends(op);
}

/* device_del, then DEVICE_DELETED (also to undo an attach). */
static void hp_unplug(HpOp *op)
{
        _cleanup_(json_object_putp) json_object *args = json_object_new_object();
        VmmError err = VMM_ERROR_INIT;

        op->phase = HP_DEL;
        if (!args || json_object_object_add(args, "id", json_object_new_string(op->dev_id)) < 0) {
                hp_fail(op, -ENOMEM, "out of memory");
                hp_finish(op);
                return;
        }
        if (vmm_qemu_process_wait_device_deleted(op->proc, op->dev_id, VMM_QEMU_UNPLUG_TIMEOUT_MS,
                                                 hp_wait_done, op, &op->wait, &err) < 0) {
                hp_fail(op, err.code, "%s", err.message);
                vmm_error_clear(&err);
                hp_finish(op);
                return;
        }
        if (hp_send(op, "device_del", args) < 0) {
                vmm_qemu_device_wait_cancel(TAKE_PTR(op->wait));
                hp_finish(op);
        }
}

/* The persistent definition with the edit applied: only checked
 * (`ret_xml` NULL) or formatted for the redefinition. */
static int hp_config(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN], const char *op,
                     bool attach, VmmDomainDeviceKind kind, const void *dev, char **ret_xml,
                     VmmError *error)
{
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_uuid(drv->store, uuid);
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        size_t index;
        int r;

        if (!dom)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "%s device: the domain was undefined meanwhile", op);
        if (attach)
                r = vmm_domain_def_with_device(dom->def, kind, dev, &def, error);
        else {
                r = vmm_domain_device_find(dom->def, kind, dev, &index, error);
                if (r >= 0)
                        r = vmm_domain_def_without_device(dom->def, kind, index, &def, error);
        }
        if (r < 0 || !ret_xml)
                return r;
        return vmm_domain_def_format(def, VMM_DOMAIN_DEF_INACTIVE | VMM_DOMAIN_DEVICES_FORMAT_SECURE,
                                     ret_xml, error);
}

/* Redefines the domain with the edit (the write runs on the thread
 * pool); `done` gets the result. */
static int hp_config_store(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN], const char *op,
                           bool attach, VmmDomainDeviceKind kind, const void *dev,
                           VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        char what[64];
        int r = hp_config(drv, uuid, op, attach, kind, dev, &xml, error);

        snprintf(what, sizeof(what), "%s device (config)", op);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", what);
        return qemu_driver_redefine(drv, what, xml, done, userdata, error);
}

static void hp_config_done(int status, const char *message, void *userdata)
{
        HpOp *op = userdata;

        if (status < 0)
                hp_fail(op, status, "the definition could not be changed: %s",
                        message ? message : "unknown error");
        op->after_config(op);
}

/* The definition's side of a live operation, then `after` (which sees
 * op->status < 0 when it failed). */
static void hp_config_commit(HpOp *op, void (*after)(HpOp *op))
{
        VmmError err = VMM_ERROR_INIT;
        int r;

        op->after_config = after;
        r = hp_config_store(op->drv, op->uuid, op->op, op->attach, op->kind,
                            vmm_domain_device_first(op->one, op->kind), hp_config_done, op, &err);
        if (r < 0) {
                hp_config_done(r, err.message, op);
                vmm_error_clear(&err);
        }
}

static void hp_install_live(HpOp *op)
{
        VmmError err = VMM_ERROR_INIT;

        if (vmm_qemu_process_set_def(op->proc, TAKE_PTR(op->new_live), &err) < 0)
                vmm_log_warning("domain '%s': live XML after %s of %s: %s, ignoring", op->name,
                                op->op, op->what, err.message);
        vmm_error_clear(&err);
}

static void hp_added_stored(HpOp *op)
{
        if (op->status < 0) {
                hp_unplug(op); /* both or neither: take the device out again */
                return;
        }
        hp_install_live(op);
        hp_finish(op);
}

static void hp_added(HpOp *op)
{
        if (op->config)
                hp_config_commit(op, hp_added_stored);
        else
                hp_added_stored(op);
}

static void hp_detached_stored(HpOp *op);

static void hp_detached(HpOp *op)
{
        if (op->config)
                hp_config_commit(op, hp_detached_stored); /* the device is gone live: say so */
        else
                hp_detached_stored(op);
}

static void hp_detached_stored(HpOp *op)
{
        if (op->status < 0 && op->message) {
                char *m = NULL;

                if (asprintf(&m, "%s (the device was removed from the running guest)",
                             op->message) >= 0) {
                        free(op->message);
                        op->message = m;
                }
        }
        hp_install_live(op);
        hp_finish(op);
}

static void hp_add_next(HpOp *op)
{
        VmmError err = VMM_ERROR_INIT;

        if (op->next == op->n_add) {
                hp_added(op);
                return;
        }
        if (hp_send_cmd(op, &op->add[op->next], &err) < 0) {
                hp_fail(op, err.code, "%s", err.message ? err.message : "the monitor is gone");
                vmm_error_clear(&err);
                hp_undo(op);
        }
}

static void hp_reply(VmmQemuProcess *proc, int status, json_object *ret, const char *error_class,
                     const char *message, void *userdata)
{
        HpOp *op = userdata;

        (void)proc;
        (void)ret;
        (void)error_class;
        switch (op->phase) {
        case HP_ADD:
                if (status < 0) {
                        hp_fail(op, status, "%s", message ? message : "QEMU failed");
                        hp_undo(op);
                        return;
                }
                op->fds_taken |= strcmp(op->add[op->next].command, "netdev_add") == 0;
                op->next++;
                hp_add_next(op);
                return;
        case HP_DEL:
                if (status < 0) {
                        vmm_qemu_device_wait_cancel(TAKE_PTR(op->wait));
                        hp_fail(op, status, "%s", message ? message : "QEMU failed");
                        hp_finish(op);
                } else if (op->deleted)
                        hp_backends(op);
                else
                        op->phase = HP_WAIT;
                return;
        case HP_UNDO:
        case HP_BACKENDS:
                if (status < 0)
                        vmm_log_warning("domain '%s': removing a backend of %s: %s, ignoring",
                                        op->name, op->what, message ? message : "failed");
                hp_del_next(op);
                return;
        case HP_WAIT:
                return;
        }
}

/* --- building an operation --- */

static int hp_cmd(HpCmd *cmds, size_t *n, bool front, const char *command, json_object *args,
                  VmmError *error)
{
        HpCmd c = {.command = command, .args = args, .fd = -1};

        if (!args)
                return vmm_error_oom(error);
        if (*n == HP_MAX_CMDS) {
                json_object_put(args);
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL, "too many QMP steps");
        }
        if (front) {
                memmove(&cmds[1], &cmds[0], *n * sizeof(*cmds));
                cmds[0] = c;
        } else
                cmds[*n] = c;
        (*n)++;
        return 0;
}

static json_object *hp_args1(const char *key, const char *value)
{
        json_object *o = json_object_new_object();

        if (o && json_object_object_add(o, key, json_object_new_string(value)) < 0) {
                json_object_put(o);
                o = NULL;
        }
        return o;
}

static int hp_set_str(json_object *o, const char *key, const char *value, VmmError *error)
{
        json_object *v = json_object_new_string(value);

        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return vmm_error_oom(error);
        }
        return 0;
}

/* The backend removals of a device, newest first. */
static int hp_backend_dels(HpOp *op, const void *dev, VmmError *error)
{
        char node[64];
        int r = 0;

        if (op->kind == VMM_DOMAIN_DEVICE_INTERFACE) {
                snprintf(node, sizeof(node), "host%s", op->dev_id);
                return hp_cmd(op->del, &op->n_del, true, "netdev_del", hp_args1("id", node), error);
        }
        if (!((const VmmDomainDisk *)dev)->source)
                return 0; /* an empty CD-ROM has no nodes */
        snprintf(node, sizeof(node), "vmm-%s-format", op->dev_id);
        r = hp_cmd(op->del, &op->n_del, false, "blockdev-del", hp_args1("node-name", node), error);
        snprintf(node, sizeof(node), "vmm-%s-storage", op->dev_id);
        if (r >= 0)
                r = hp_cmd(op->del, &op->n_del, false, "blockdev-del", hp_args1("node-name", node),
                           error);
        return r;
}

/* The monitor name a tap fd is given with getfd: "<id>-fdN" /
 * "<id>-vhostfdN"; NULL for a number that is not one of ours. */
static const char *hp_fd_name(const HpOp *op, int fd, char *buf, size_t size)
{
        for (size_t i = 0; i < op->tap.n_fds; i++)
                if (op->tap.fds[i] == fd)
                        return snprintf(buf, size, "%s-fd%zu", op->dev_id, i), buf;
        for (size_t i = 0; i < op->tap.n_vhost_fds; i++)
                if (op->tap.vhost_fds[i] == fd)
                        return snprintf(buf, size, "%s-vhostfd%zu", op->dev_id, i), buf;
        return NULL;
}

/* In netdev_add's arguments, the builder's fd numbers (fd=, fds=a:b,
 * vhostfd=, vhostfds=) become the names the fds were passed under. */
static int hp_name_fds(const HpOp *op, json_object *args, VmmError *error)
{
        static const char *const keys[] = {"fd", "fds", "vhostfd", "vhostfds"};

        for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                _cleanup_free_ char *list = NULL;
                VmmBuf out = VMM_BUF_INIT;
                json_object *v;
                char *save = NULL;
                int r = 0;

                if (!json_object_object_get_ex(args, keys[k], &v))
                        continue;
                list = strdup(json_object_get_string(v));
                if (!list)
                        return vmm_error_oom(error);
                for (char *t = strtok_r(list, ":", &save); t && r >= 0;
                     t = strtok_r(NULL, ":", &save)) {
                        char name[96];
                        const char *n = hp_fd_name(op, atoi(t), name, sizeof(name));

                        if (!n)
                                r = vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                                  "netdev option %s=%s names no tap fd", keys[k],
                                                  t);
                        else
                                vmm_buf_addf(&out, "%s%s", out.len ? ":" : "", n);
                }
                if (r >= 0)
                        r = hp_set_str(args, keys[k], vmm_buf_str(&out), error);
                vmm_buf_done(&out);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* getfd of each tap fd before netdev_add; closefd undoes one as long as
 * netdev_add (which takes them) has not run. */
static int hp_pass_fds(HpOp *op, VmmError *error)
{
        size_t n = op->tap.n_fds + op->tap.n_vhost_fds;
        int r = 0;

        for (size_t i = 0; i < n && r >= 0; i++) {
                int fd = i < op->tap.n_fds ? op->tap.fds[i] : op->tap.vhost_fds[i - op->tap.n_fds];
                char name[96];

                hp_fd_name(op, fd, name, sizeof(name));
                r = hp_cmd(op->add, &op->n_add, false, "getfd", hp_args1("fdname", name), error);
                if (r >= 0)
                        r = hp_cmd(op->del, &op->n_del, true, "closefd", hp_args1("fdname", name),
                                   error);
                if (r >= 0) {
                        op->add[op->n_add - 1].fd = fd;
                        op->del[0].undo_only = true;
                }
        }
        return r;
}

/* One option pair of the builder as a QMP step of the attach. */
static int hp_add_step(HpOp *op, const char *option, const char *opts, VmmError *error)
{
        bool netdev = strcmp(option, "-netdev") == 0, device = strcmp(option, "-device") == 0;
        json_object *args = NULL;
        char backend[64];
        int r;

        if (!netdev && !device && strcmp(option, "-blockdev") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "unexpected option %s for a hot-plugged device", option);
        r = vmm_qemu_opts_to_qmp(opts, netdev ? "type" : device ? "driver" : NULL, &args, error);
        if (r < 0)
                return r;
        snprintf(backend, sizeof(backend), "host%s", op->dev_id);
        /* an interface takes the ids chosen here, not the builder's "netN" */
        if (netdev)
                r = hp_set_str(args, "id", backend, error);
        if (netdev && r >= 0)
                r = hp_name_fds(op, args, error);
        else if (device && op->kind == VMM_DOMAIN_DEVICE_INTERFACE)
                r = hp_set_str(args, "netdev", backend, error);
        if (r >= 0 && device)
                r = hp_set_str(args, "id", op->dev_id, error);
        if (r < 0) {
                json_object_put(args);
                return r;
        }
        return hp_cmd(op->add, &op->n_add, false,
                      netdev   ? "netdev_add"
                      : device ? "device_add"
                               : "blockdev-add",
                      args, error);
}

static int hp_build_attach(HpOp *op, const VmmDomainDef *live, const void *dev, VmmError *error)
{
        VmmQemuTap view = {.fd = -1};
        char **argv = NULL;
        int r;

        if (op->tap.n_fds) {
                view.ifname = op->tap.ifname;
                view.fds = op->tap.fds;
                view.n_fds = op->tap.n_fds;
                view.vhost_fds = op->tap.vhost_fds;
                view.n_vhost_fds = op->tap.n_vhost_fds;
                r = hp_pass_fds(op, error);
                if (r < 0)
                        return r;
        }
        r = vmm_qemu_command_device_args(live, op->kind, dev, op->tap.n_fds ? &view : NULL, &argv,
                                         error);
        if (r < 0)
                return vmm_error_prefix(error, r, "attach device: ");
        for (size_t i = 0; argv[i] && r >= 0; i += 2)
                r = argv[i + 1] ? hp_add_step(op, argv[i], argv[i + 1], error)
                                : vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                                "option %s without a value", argv[i]);
        vmm_qemu_argv_free(argv);
        if (r >= 0)
                r = hp_backend_dels(op, dev, error);
        return r;
}

/* The ids the builder gave the interfaces at start ("net0"...), kept as
 * aliases from the first live change on. */
static int hp_pin_aliases(VmmDomainDef *def, VmmError *error)
{
        size_t n = 0;
        VmmDomainNet *const *nets = (VmmDomainNet *const *)vmm_domain_devices_get(
            vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_INTERFACE, &n);

        for (size_t i = 0; i < n; i++)
                if (!nets[i]->info.alias && asprintf(&nets[i]->info.alias, "net%zu", i) < 0) {
                        nets[i]->info.alias = NULL;
                        return vmm_error_oom(error);
                }
        return 0;
}

/* The lowest "netN" no interface of `def` uses. */
static int hp_free_alias(const VmmDomainDef *def, char **ret, VmmError *error)
{
        size_t n = 0;
        VmmDomainNet *const *nets = (VmmDomainNet *const *)vmm_domain_devices_get(
            vmm_domain_def_get_devices(def), VMM_DOMAIN_DEVICE_INTERFACE, &n);

        for (size_t k = 0;; k++) {
                char name[32];
                bool used = false;

                snprintf(name, sizeof(name), "net%zu", k);
                for (size_t i = 0; i < n && !used; i++)
                        used = nets[i]->info.alias && strcmp(nets[i]->info.alias, name) == 0;
                if (!used)
                        return (*ret = strdup(name)) ? 0 : vmm_error_oom(error);
        }
}

static int hp_check_source(const HpOp *op, const VmmDomainDisk *disk, VmmError *error)
{
        const char *path = !disk->source                       ? NULL
                           : disk->type == VMM_DISK_TYPE_BLOCK ? disk->source->dev
                                                               : disk->source->file;
        struct stat st;

        if (!path || stat(path, &st) == 0)
                return 0;
        return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                             "attach device to domain '%s': %s: source \"%s\" cannot be used: %s "
                             "(expected an existing file)",
                             op->name, op->what, path, strerror(errno));
}

/* The host tap of a tap-backed interface (named in the live XML's
 * <target dev>); it goes away with our fds unless QEMU took it. */
static int hp_open_tap(HpOp *op, VmmDomainNet *net, VmmError *error)
{
        char who[192];
        int r;

        snprintf(who, sizeof(who), "domain '%s': %s", op->name, op->what);
        r = vmm_qemu_tap_check(net, who, error);
        if (r >= 0)
                r = vmm_qemu_tap_open(net, who, &op->tap, error);
        if (r >= 0 && op->tap.n_fds == 0)
                r = vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                  "%s: no tap fd to hand to the running QEMU", who);
        return r < 0 ? vmm_error_prefix(error, r, "attach device: ") : 0;
}

/* The live side: the new live definition and the QMP steps. */
static int hp_prepare_live(HpOp *op, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *pinned = NULL;
        const void *dev = vmm_domain_device_first(op->one, op->kind);
        void *const *items;
        size_t index = 0, n = 0;
        int r;

        r = vmm_domain_def_copy(vmm_qemu_process_get_def(op->proc), &pinned, error);
        if (r >= 0)
                r = hp_pin_aliases(pinned, error);
        if (r < 0)
                return r;
        if (!op->attach) {
                r = vmm_domain_device_find(pinned, op->kind, dev, &index, error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "detach device (live): ");
                items = vmm_domain_devices_get(vmm_domain_def_get_devices(pinned), op->kind, &n);
                dev = items[index];
                vmm_domain_device_describe(op->kind, dev, op->what, sizeof(op->what));
                op->dev_id = strdup(op->kind == VMM_DOMAIN_DEVICE_DISK
                                        ? ((const VmmDomainDisk *)dev)->target_dev
                                        : ((const VmmDomainNet *)dev)->info.alias);
                if (!op->dev_id)
                        return vmm_error_oom(error);
                r = hp_backend_dels(op, dev, error);
                if (r >= 0)
                        r = vmm_domain_def_without_device(pinned, op->kind, index, &op->new_live,
                                                          error);
                return r;
        }
        r = vmm_domain_def_with_device(pinned, op->kind, dev, &op->new_live, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "attach device (live): ");
        items = vmm_domain_devices_get(vmm_domain_def_get_devices(op->new_live), op->kind, &n);
        dev = items[n - 1];
        if (op->kind == VMM_DOMAIN_DEVICE_INTERFACE) {
                VmmDomainNet *net = items[n - 1];

                if (!net->info.alias && hp_free_alias(pinned, &net->info.alias, error) < 0)
                        return -ENOMEM;
                op->dev_id = strdup(net->info.alias);
                if (op->dev_id && vmm_qemu_tap_wanted(net)) {
                        r = hp_open_tap(op, net, error);
                        if (r < 0)
                                return r;
                }
        } else {
                r = hp_check_source(op, dev, error);
                if (r < 0)
                        return r;
                op->dev_id = strdup(((const VmmDomainDisk *)dev)->target_dev);
        }
        if (!op->dev_id)
                return vmm_error_oom(error);
        return hp_build_attach(op, pinned, dev, error);
}

static int hp_flags(const VmmQemuDriverDomain *d, unsigned int flags, const char *op,
                    bool *ret_live, bool *ret_config, VmmError *error)
{
        bool live = flags & VMM_DOMAIN_AFFECT_LIVE, config = flags & VMM_DOMAIN_AFFECT_CONFIG;

        if (!live && !config) {
                live = d->proc != NULL;
                config = !live;
        }
        if (live && !d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s device to domain '%s': the domain is not running (use "
                                     "--config to change the definition)",
                                     op, d->name);
        if (config && !d->persistent)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s device to domain '%s': the domain is transient (no "
                                     "persistent definition to change)",
                                     op, d->name);
        *ret_live = live;
        *ret_config = config;
        return 0;
}

static int hp_parse(HpOp *op, const char *xml, VmmError *error)
{
        int r = vmm_domain_device_parse_xml(xml, &op->one, &op->kind, error);

        if (r >= 0)
                r = vmm_domain_device_check_hotplug_kind(op->kind, op->op, error);
        /* one MAC for both sides of LIVE|CONFIG */
        if (r >= 0 && op->attach)
                r = vmm_domain_devices_fill_defaults(op->one, error);
        if (r < 0)
                return r;
        vmm_domain_device_describe(op->kind, vmm_domain_device_first(op->one, op->kind), op->what,
                                   sizeof(op->what));
        return 0;
}

static int hp_start(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *xml,
                    unsigned int flags, bool attach, VmmQemuDriverDoneFn done, void *userdata,
                    VmmError *error)
{
        HpOp *op = calloc(1, sizeof(*op));
        bool live = false;
        int r;

        if (!op || !(op->name = strdup(d->name))) {
                free(op);
                return vmm_error_oom(error);
        }
        op->drv = drv;
        op->attach = attach;
        op->op = attach ? "attach" : "detach";
        op->done = done;
        op->userdata = userdata;
        memcpy(op->uuid, d->uuid, VMM_UUID_LEN);
        r = hp_flags(d, flags, op->op, &live, &op->config, error);
        if (r >= 0)
                r = hp_parse(op, xml, error);
        /* the definition's side is checked first: nothing runs if it cannot change */
        if (r >= 0 && op->config) {
                r = hp_config(drv, op->uuid, op->op, attach, op->kind,
                              vmm_domain_device_first(op->one, op->kind), NULL, error);
                if (r < 0)
                        r = vmm_error_prefix(error, r, "%s device (config): ", op->op);
        }
        if (r >= 0 && live) {
                op->proc = vmm_qemu_process_ref(d->proc);
                r = hp_prepare_live(op, error);
        }
        if (r >= 0 && !live)
                r = hp_config_store(drv, op->uuid, op->op, attach, op->kind,
                                    vmm_domain_device_first(op->one, op->kind), done, userdata,
                                    error);
        if (r < 0 || !live) {
                hp_free(op);
                return r;
        }
        if (attach) {
                op->phase = HP_ADD;
                hp_add_next(op);
        } else
                hp_unplug(op);
        return 0;
}

int vmm_qemu_driver_attach_device(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *xml,
                                  unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                  VmmError *error)
{
        return hp_start(drv, d, xml, flags, true, done, userdata, error);
}

int vmm_qemu_driver_detach_device(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *xml,
                                  unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                  VmmError *error)
{
        return hp_start(drv, d, xml, flags, false, done, userdata, error);
}
