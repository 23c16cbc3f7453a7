/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-save.c: save, restore and managed save in the qemu driver.
 *
 * Save: the image (conf/save-image.h: our header with the domain XML, then
 * QEMU's migration stream) is written to a temporary file next to the
 * target (".NAME.XXXXXX", mode 0600); once QEMU wrote its state, the file
 * is fsync'ed and renamed over the target (replacing an existing file, as
 * libvirt does, but atomically) in libuv's thread pool, and only then is
 * QEMU stopped: the domain is shut off/saved (event STOPPED/SAVED) and
 * the call completes. Any failure before that removes the temporary file
 * and leaves the guest running as before.
 *
 * Restore: the header is read and checked (a corrupt file is refused
 * before anything starts), QEMU starts from the stored XML (or a
 * replacement with the same name and UUID) with `-incoming defer` and the
 * image's fd, positioned at QEMU's stream; see qemu-process-save.c.
 *
 * Managed save: the image is <save_dir>/<name>.save; `start` of a domain
 * that has one restores from it and removes it once the guest runs (a
 * failed restore keeps it); undefine refuses while it exists, unless asked
 * to remove it too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vmm/vmm-domain-save.h>

#include "conf/domain-device.h"
#include "conf/domain.h"
#include "conf/save-image.h"
#include "qemu-driver-priv.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define SAVE_FLAGS_STATE (VMM_DOMAIN_SAVE_RUNNING | VMM_DOMAIN_SAVE_PAUSED)

/* --- save --- */

typedef struct SaveOp {
        VmmQemuDriver *drv;
        VmmQemuProcess *proc; /* reference */
        char *name;
        char *path;
        char *tmp; /* until renamed */
        int fd;
        bool was_running;
        VmmQemuDriverDoneFn done;
        void *userdata;
        uv_work_t work;
        int work_status;
        VmmError work_error;
} SaveOp;

static void save_op_free(SaveOp *op)
{
        if (op->fd >= 0)
                close(op->fd);
        if (op->tmp)
                unlink(op->tmp);
        vmm_qemu_process_unref(op->proc);
        vmm_error_clear(&op->work_error);
        free(op->tmp);
        free(op->path);
        free(op->name);
        free(op);
}

static void save_fail(SaveOp *op, int status, const char *message)
{
        char msg[1024];

        snprintf(msg, sizeof(msg), "save domain '%s' to \"%s\": %s", op->name, op->path,
                 message ? message : "failed");
        vmm_log_error("%s", msg);
        if (op->done)
                op->done(status, msg, op->userdata);
        save_op_free(op);
}

static void save_stopped(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        SaveOp *op = userdata;

        /* the image is complete whatever QEMU's end looked like */
        vmm_log_info("domain '%s' saved to \"%s\"", op->name, op->path);
        if (op->done)
                op->done(0, NULL, op->userdata);
        save_op_free(op);
}

static void save_resume_done(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        if (status < 0)
                vmm_log_warning("domain '%s': resume after a failed save: %s, ignoring",
                                vmm_qemu_process_get_name(proc), message);
}

static void save_commit_work(uv_work_t *w)
{
        SaveOp *op = w->data;

        op->work_status = vmm_save_image_commit(op->fd, op->tmp, op->path, &op->work_error);
}

static void save_committed(uv_work_t *w, int status)
{
        SaveOp *op = w->data;
        _cleanup_(vmm_error_clear) VmmError err = VMM_ERROR_INIT;
        int r;

        if (status < 0 || op->work_status < 0) {
                if (op->was_running &&
                    vmm_qemu_process_resume(op->proc, save_resume_done, NULL, &err) < 0)
                        vmm_log_warning("%s, ignoring", err.message);
                save_fail(op, op->work_status < 0 ? op->work_status : -ECANCELED,
                          op->work_error.message);
                return;
        }
        free(op->tmp); /* renamed: it is the image now */
        op->tmp = NULL;
        vmm_qemu_process_set_saved(op->proc);
        r = vmm_qemu_process_destroy(op->proc, save_stopped, op, &err);
        if (r < 0) {
                vmm_log_warning("domain '%s': stopping QEMU after the save: %s, ignoring", op->name,
                                err.message);
                save_stopped(op->proc, 0, NULL, op);
        }
}

static void save_migrated(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        SaveOp *op = userdata;

        if (status < 0) {
                save_fail(op, status, message);
                return;
        }
        op->work.data = op;
        if (uv_queue_work(op->drv->loop, &op->work, save_commit_work, save_committed) < 0)
                save_committed(&op->work, -ECANCELED);
}

/* The XML stored in the image: `dxml` checked, else the live one. */
static int save_xml(const VmmQemuDriverDomain *d, const char *dxml, char **ret_xml, VmmError *error)
{
        if (dxml)
                return vmm_save_image_check_dxml(dxml, d->name, d->uuid, ret_xml, error);
        return vmm_domain_def_format(vmm_qemu_process_get_def(d->proc),
                                     VMM_DOMAIN_DEVICES_FORMAT_SECURE | VMM_DOMAIN_DEF_INACTIVE,
                                     ret_xml, error);
}

static int save_prepare(SaveOp *op, const VmmQemuDriverDomain *d, const char *dxml,
                        unsigned int flags, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        VmmDomainState st = vmm_qemu_process_get_state(d->proc, NULL);
        bool run_after = st == VMM_DOMAIN_RUNNING;
        int r;

        if (flags & VMM_DOMAIN_SAVE_RUNNING)
                run_after = true;
        else if (flags & VMM_DOMAIN_SAVE_PAUSED)
                run_after = false;
        op->was_running = st == VMM_DOMAIN_RUNNING;
        r = save_xml(d, dxml, &xml, error);
        if (r >= 0)
                r = vmm_save_image_create_tmp(op->path, &op->tmp, &op->fd, error);
        if (r >= 0)
                r = vmm_save_image_write_fd(
                    op->fd, op->path, xml, run_after ? VMM_SAVE_IMAGE_WAS_RUNNING : 0, NULL, error);
        return r;
}

int vmm_qemu_driver_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *path,
                         const char *dxml, unsigned int flags, VmmQemuDriverDoneFn done,
                         void *userdata, VmmError *error)
{
        SaveOp *op;
        int r;

        if (!d->proc)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "save domain '%s': the domain is not running (state shut "
                                     "off)",
                                     d->name);
        if (!path || path[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "save domain '%s': file \"%s\" is not an absolute path",
                                     d->name, path ? path : "");
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        *op = (SaveOp){.drv = drv, .fd = -1, .done = done, .userdata = userdata};
        op->proc = vmm_qemu_process_ref(d->proc);
        op->name = strdup(d->name);
        op->path = strdup(path);
        if (!op->name || !op->path)
                r = vmm_error_oom(error);
        else
                r = save_prepare(op, d, dxml, flags, error);
        if (r >= 0)
                r = vmm_qemu_process_save(d->proc, op->fd, 0, save_migrated, op, error);
        if (r < 0) {
                vmm_error_prefix(error, r, "save domain '%s': ", d->name);
                op->done = NULL;
                save_op_free(op);
                return r;
        }
        vmm_log_info("domain '%s': saving to \"%s\"", d->name, path);
        return 0;
}

/* --- restore --- */

typedef struct RestoreOp {
        char *name;
        char *path;
        char *managed; /* managed save image to remove once running, or NULL */
        VmmQemuDriverDoneFn done;
        void *userdata;
} RestoreOp;

static void restore_op_free(RestoreOp *op)
{
        free(op->name);
        free(op->path);
        free(op->managed);
        free(op);
}

static void restore_started(int status, const char *message, void *userdata)
{
        RestoreOp *op = userdata;
        char msg[1024];

        if (status < 0) {
                snprintf(msg, sizeof(msg), "restore domain '%s' from \"%s\"%s: %s", op->name,
                         op->path, op->managed ? " (the managed save image is kept)" : "",
                         message ? message : "failed");
                message = msg;
        } else {
                vmm_log_info("domain '%s' restored from \"%s\"", op->name, op->path);
                if (op->managed && unlink(op->managed) < 0 && errno != ENOENT)
                        vmm_log_warning("domain '%s': removing \"%s\": %s, ignoring", op->name,
                                        op->managed, strerror(errno));
        }
        if (op->done)
                op->done(status, message, op->userdata);
        restore_op_free(op);
}

/* The image carries QEMU's stream ("QEVM"), not only our header. */
static int restore_check_body(int fd, const char *path, const VmmSaveImageHeader *hdr,
                              VmmError *error)
{
        char magic[4];

        if (hdr->body_size < sizeof(magic) ||
            pread(fd, magic, sizeof(magic), (off_t)hdr->data_offset) != (ssize_t)sizeof(magic) ||
            memcmp(magic, "QEVM", sizeof(magic)) != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "save image \"%s\": body: no QEMU state at offset %llu "
                                     "(expected QEMU's migration stream, \"QEVM\"; %llu bytes "
                                     "there)",
                                     path, (unsigned long long)hdr->data_offset,
                                     (unsigned long long)hdr->body_size);
        return 0;
}

/* The definition to start: the image's XML, or `dxml` (same identity). */
static int restore_def(const VmmSaveImageHeader *hdr, const char *path, const char *dxml,
                       VmmDomainDef **ret_def, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_free_ char *replaced = NULL;
        uint8_t uuid[VMM_UUID_LEN];
        int r;

        r = vmm_domain_def_parse(hdr->xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, error);
        if (r >= 0 && dxml) {
                vmm_domain_def_get_uuid(def, uuid);
                r = vmm_save_image_check_dxml(dxml, vmm_domain_def_get_name(def), uuid, &replaced,
                                              error);
                vmm_domain_def_free(TAKE_PTR(def));
                if (r >= 0)
                        r = vmm_domain_def_parse(replaced, (size_t)-1, 0, &def, error);
        }
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "save image \"%s\": domain XML: ", path);
        *ret_def = TAKE_PTR(def);
        return 0;
}

/* A definition with the same name must have the same UUID and vice versa. */
static int restore_check_identity(VmmQemuDriver *drv, const VmmDomainDef *def, VmmError *error)
{
        const char *name = vmm_domain_def_get_name(def);
        VmmQemuDomain *by_name, *by_uuid;
        uint8_t uuid[VMM_UUID_LEN];

        vmm_domain_def_get_uuid(def, uuid);
        by_name = vmm_qemu_domains_find_by_name(drv->store, name);
        by_uuid = vmm_qemu_domains_find_by_uuid(drv->store, uuid);
        if (by_name != by_uuid)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE, "restore domain '%s': %s",
                                     name,
                                     by_name ? "a domain with this name is defined with "
                                               "another UUID"
                                             : "its UUID belongs to another defined domain");
        return 0;
}

static int restore_run(VmmQemuDriver *drv, const char *path, const char *dxml, unsigned int flags,
                       RestoreOp *op, uint8_t ret_uuid[VMM_UUID_LEN], VmmError *error)
{
        _cleanup_(vmm_save_image_header_done) VmmSaveImageHeader hdr = {0};
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_close_ int fd = -1;
        bool paused;
        int r;

        r = vmm_save_image_open(path, &hdr, &fd, error);
        if (r >= 0)
                r = restore_check_body(fd, path, &hdr, error);
        if (r >= 0)
                r = restore_def(&hdr, path, dxml, &def, error);
        if (r >= 0)
                r = restore_check_identity(drv, def, error);
        if (r < 0)
                return r;
        if (fd <= STDERR_FILENO) {
                /* a daemon started with a standard fd closed: QEMU keeps
                 * its 0-2, so the image needs a number above them */
                int high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

                if (high < 0)
                        return vmm_error_set_errno(error, -errno, "save image \"%s\": dup",
                                                   path);
                close(fd);
                fd = high;
        }
        op->name = strdup(vmm_domain_def_get_name(def));
        if (!op->name)
                return vmm_error_oom(error);
        paused = (flags & VMM_DOMAIN_START_PAUSED) || (flags & VMM_DOMAIN_SAVE_PAUSED) ||
                 (!(flags & VMM_DOMAIN_SAVE_RUNNING) && !(hdr.flags & VMM_SAVE_IMAGE_WAS_RUNNING));
        /* qemu_driver_start_def() builds -incoming defer and passes the fd */
        drv->restore_fd = fd;
        r = qemu_driver_start_def(drv, def, paused ? VMM_DOMAIN_START_PAUSED : 0, restore_started,
                                  op, error);
        drv->restore_fd = 0;
        if (r < 0)
                return r;
        vmm_domain_def_get_uuid(def, ret_uuid);
        return 0;
}

int vmm_qemu_driver_restore(VmmQemuDriver *drv, const char *path, const char *dxml,
                            unsigned int flags, char **ret_name, uint8_t ret_uuid[VMM_UUID_LEN],
                            VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        RestoreOp *op;
        char *name;
        int r;

        if (!path || path[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "restore: file \"%s\" is not an absolute path",
                                     path ? path : "");
        op = calloc(1, sizeof(*op));
        if (!op || !(op->path = strdup(path))) {
                free(op);
                return vmm_error_oom(error);
        }
        op->done = done;
        op->userdata = userdata;
        r = restore_run(drv, path, dxml, flags & SAVE_FLAGS_STATE, op, ret_uuid, error);
        name = r >= 0 ? strdup(op->name) : NULL;
        if (r < 0 || !name) {
                restore_op_free(op);
                return r < 0 ? vmm_error_prefix(error, r, "restore: ") : vmm_error_oom(error);
        }
        *ret_name = name;
        return 0;
}

/* --- managed save --- */

static int managed_path(VmmQemuDriver *drv, const char *name, char **ret, VmmError *error)
{
        if (!drv->save_dir)
                return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                     "domain '%s': managed save has no directory here", name);
        if (asprintf(ret, "%s/%s.save", drv->save_dir, name) < 0) {
                *ret = NULL;
                return vmm_error_oom(error);
        }
        return 0;
}

bool qemu_driver_has_managed_save(VmmQemuDriver *drv, const char *name)
{
        _cleanup_free_ char *path = NULL;

        return managed_path(drv, name, &path, NULL) >= 0 && access(path, F_OK) == 0;
}

int vmm_qemu_driver_managed_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                 unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                 VmmError *error)
{
        _cleanup_free_ char *path = NULL;
        int r;

        if (!d->persistent)
                return vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                     "managed save of domain '%s': the domain is transient "
                                     "(expected a persistent domain; use save FILE)",
                                     d->name);
        r = managed_path(drv, d->name, &path, error);
        if (r >= 0)
                r = vmm_mkdir_p(drv->save_dir, 0700, error);
        if (r < 0)
                return r;
        return vmm_qemu_driver_save(drv, d, path, NULL, flags, done, userdata, error);
}

int vmm_qemu_driver_has_managed_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                     VmmError *error)
{
        return d->persistent && qemu_driver_has_managed_save(drv, d->name) ? 1 : 0;
}

int vmm_qemu_driver_managed_save_remove(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                        VmmError *error)
{
        _cleanup_free_ char *path = NULL;
        int r = managed_path(drv, d->name, &path, error);

        if (r < 0)
                return r;
        if (unlink(path) < 0 && errno != ENOENT)
                return vmm_error_set(error, -errno, VMM_ERR_SYSTEM,
                                     "domain '%s': cannot remove the managed save image \"%s\": "
                                     "%s",
                                     d->name, path, strerror(errno));
        return 0;
}

int vmm_qemu_driver_undefine_check(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                   unsigned int flags, VmmError *error)
{
        if (!d->persistent || !qemu_driver_has_managed_save(drv, d->name))
                return 0;
        if (!(flags & VMM_DOMAIN_UNDEFINE_MANAGED_SAVE))
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "undefine domain '%s': the domain has a managed save image "
                                     "(remove it with managedsave-remove, or undefine "
                                     "--managed-save)",
                                     d->name);
        return vmm_qemu_driver_managed_save_remove(drv, d, error);
}

int qemu_driver_start_managed(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int flags,
                              VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        uint8_t uuid[VMM_UUID_LEN];
        RestoreOp *op;
        int r;

        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        op->done = done;
        op->userdata = userdata;
        r = managed_path(drv, d->name, &op->managed, error);
        if (r >= 0 && !(op->path = strdup(op->managed)))
                r = vmm_error_oom(error);
        if (r >= 0)
                r = restore_run(drv, op->path, NULL, flags & VMM_DOMAIN_START_PAUSED, op, uuid,
                                error);
        if (r < 0) {
                restore_op_free(op);
                return vmm_error_prefix(
                    error, r, "start domain '%s' from its managed save image (kept): ", d->name);
        }
        if (memcmp(uuid, d->uuid, VMM_UUID_LEN) != 0)
                vmm_log_warning("domain '%s': the managed save image has another UUID, ignoring",
                                d->name);
        return 0;
}
