/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-redefine.c: the driver's own changes of a persistent
 * definition (set-memory --config, attach/detach-device --config). As a
 * client's define, the write (the journal record's sync, or a file and its
 * fsync) runs on libuv's thread pool, never on the loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-driver-priv.h"
#include "util/error.h"

typedef struct Redefine {
        uv_work_t work;
        VmmQemuDriver *drv;
        VmmQemuDefine *op;
        char *what;
        VmmQemuDriverDoneFn done;
        void *userdata;
} Redefine;

static void redefine_work(uv_work_t *w)
{
        vmm_qemu_define_write(((Redefine *)w->data)->op);
}

static void redefine_done(uv_work_t *w, int status)
{
        Redefine *rd = w->data;
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated = false;
        int r;

        if (status < 0)
                r = vmm_error_set(&err, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                  "cancelled, the daemon is stopping");
        else
                r = vmm_qemu_domains_define_commit(rd->drv->store, rd->op, &dom, &updated, &err);
        vmm_qemu_define_free(rd->drv->store, rd->op);
        if (r < 0)
                r = vmm_error_prefix(&err, r, "%s: ", rd->what);
        rd->done(r < 0 ? r : 0, r < 0 ? vmm_error_message(&err) : NULL, rd->userdata);
        vmm_error_clear(&err);
        free(rd->what);
        free(rd);
}

int qemu_driver_redefine(VmmQemuDriver *drv, const char *what, const char *xml,
                         VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        Redefine *rd = calloc(1, sizeof(*rd));
        int r;

        if (!rd || !(rd->what = strdup(what))) {
                free(rd);
                return vmm_error_oom(error);
        }
        rd->drv = drv;
        rd->done = done;
        rd->userdata = userdata;
        rd->work.data = rd;
        r = vmm_qemu_domains_define_prepare(drv->store, xml, VMM_DOMAIN_DEFINE_KEEP_UNKNOWN,
                                            &rd->op, error);
        if (r >= 0) {
                r = uv_queue_work(drv->loop, &rd->work, redefine_work, redefine_done);
                if (r < 0) {
                        vmm_qemu_define_free(drv->store, rd->op);
                        r = vmm_error_set(error, r, VMM_ERR_INTERNAL,
                                          "cannot queue the write: %s", uv_strerror(r));
                }
        }
        if (r < 0) {
                r = vmm_error_prefix(error, r, "%s: ", what);
                free(rd->what);
                free(rd);
        }
        return r;
}
