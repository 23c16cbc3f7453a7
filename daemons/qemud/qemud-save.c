/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-save.c: vmm-qemud's handlers for save, restore and managed save.
 * Save and restore run on the loop without blocking it (QEMU writes or
 * reads the stream; the fsync of the image runs in the thread pool): the
 * reply goes out when the driver's operation completes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemud.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static void save_call_finish(VmmDaemonCall *call, int status, const char *message)
{
        qemud_call_finish(call, status, message,
                          status == -ENOENT ? VMM_ERR_INVALID_ARG : VMM_ERR_OPERATION_INVALID);
}

static void save_done(int status, const char *message, void *userdata)
{
        save_call_finish(userdata, status, message);
}

static int save_later(int r, VmmError *error)
{
        if (r < 0) {
                vmm_log_error("%s", error->message);
                return r;
        }
        return VMM_DAEMON_REPLY_LATER;
}

int qemud_h_save(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                 VmmError *error)
{
        const Vmm__DomainSaveRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_save(q->drv, &d, req->path, req->dxml,
                                         req->has_flags ? req->flags : 0, save_done, call, error);
        return save_later(r, error);
}

int qemud_h_restore(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                    VmmError *error)
{
        const Vmm__DomainRestoreRequest *req = (const void *)request;
        Qemud *q = userdata;
        QemudStartedCall *rc;
        int r;

        rc = calloc(1, sizeof(*rc));
        if (!rc)
                return vmm_error_oom(error);
        rc->call = call;
        rc->q = q;
        rc->restore = true;
        r = vmm_qemu_driver_restore(q->drv, req->path, req->dxml, req->has_flags ? req->flags : 0,
                                    &rc->name, rc->uuid, qemud_started_done, rc, error);
        if (r < 0)
                free(rc);
        return save_later(r, error);
}

int qemud_h_managed_save(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                         VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_managed_save(q->drv, &d, req->has_flags ? req->flags : 0,
                                                 save_done, call, error);
        return save_later(r, error);
}

int qemud_h_has_managed_save(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                             VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__DomainBoolReply reply = VMM__DOMAIN_BOOL_REPLY__INIT;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_has_managed_save(q->drv, &d, error);
        if (r < 0)
                return r;
        reply.value = r > 0;
        vmm_daemon_call_reply(call, &reply.base);
        return 0;
}

int qemud_h_managed_save_remove(VmmDaemonCall *call, const ProtobufCMessage *request,
                                void *userdata, VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_managed_save_remove(q->drv, &d, error);
        if (r < 0)
                return r;
        vmm_log_info("domain '%s': managed save image removed", d.name);
        vmm_daemon_call_reply(call, &empty.base);
        return 0;
}
