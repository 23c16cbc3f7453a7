/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-devices.c: vmm-qemud's handlers of attach-device and
 * detach-device. The driver runs the QMP steps on the loop (a detach
 * waits for the guest to release the device, up to a few seconds, without
 * blocking the loop); the reply goes when the operation is over.
 */
#include <errno.h>

#include "qemu-driver-hotplug.h"
#include "qemud.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static VmmErrorKind devices_kind(int status)
{
        switch (status) {
        case -EINVAL:
        case -ENOENT: /* the device, not the domain: that was resolved */
        case -EEXIST:
                return VMM_ERR_INVALID_ARG;
        case -ENOTSUP:
                return VMM_ERR_NO_SUPPORT;
        case -ETIMEDOUT:
                return VMM_ERR_TIMEOUT;
        default:
                return VMM_ERR_OPERATION_INVALID;
        }
}

static void devices_done(int status, const char *message, void *userdata)
{
        VmmDaemonCall *call = userdata;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;

        if (status >= 0) {
                vmm_daemon_call_reply(call, &empty.base);
                return;
        }
        vmm_error_set(&err, status, devices_kind(status), "%s",
                      message ? message : "device operation failed");
        vmm_daemon_call_fail(call, &err);
        vmm_error_clear(&err);
}

static int devices_call(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                        bool attach, VmmError *error)
{
        const Vmm__DomainDeviceRequest *req = (const void *)request;
        unsigned int flags = req->has_flags ? req->flags : 0;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = attach ? vmm_qemu_driver_attach_device(q->drv, &d, req->xml, flags,
                                                           devices_done, call, error)
                           : vmm_qemu_driver_detach_device(q->drv, &d, req->xml, flags,
                                                           devices_done, call, error);
        if (r < 0)
                return r;
        return VMM_DAEMON_REPLY_LATER;
}

int qemud_h_attach_device(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error)
{
        return devices_call(call, request, userdata, true, error);
}

int qemud_h_detach_device(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error)
{
        return devices_call(call, request, userdata, false, error);
}
