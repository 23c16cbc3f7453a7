/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-lifecycle.c: vmm-qemud's handlers that run guests: start, create
 * (transient), shutdown, destroy, suspend, resume, reboot, reset, and the
 * live get-info. Each resolves the domain, asks the qemu driver, and
 * answers when the driver's operation completes (start: the guest runs;
 * destroy: QEMU is gone; shutdown and reboot: QEMU took the power button).
 * The driver's events and busy state reach the clients and the skeleton
 * from here too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vmm/vmm-domain.h>

#include "qemud.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

/* --- driver callbacks --- */

static void driver_event(VmmQemuDriver *drv, const char *name, const uint8_t uuid[VMM_UUID_LEN],
                         int id, int event, int detail, void *userdata)
{
        qemud_emit(userdata, name, uuid, id, (uint32_t)event, detail);
}

/* No idle exit while guests run (the skeleton's hold). */
static void driver_busy(VmmQemuDriver *drv, bool busy, void *userdata)
{
        Qemud *q = userdata;

        if (!q->daemon || busy == q->held)
                return;
        q->held = busy;
        if (busy)
                vmm_daemon_hold(q->daemon);
        else
                vmm_daemon_release(q->daemon);
}

const VmmQemuDriverCallbacks qemud_driver_callbacks = {
    .event = driver_event,
    .busy = driver_busy,
};

/* --- replies of asynchronous operations --- */

void qemud_call_finish(VmmDaemonCall *call, int status, const char *message, VmmErrorKind kind)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;

        if (status >= 0) {
                vmm_daemon_call_reply(call, &empty.base);
                return;
        }
        vmm_error_set(&err, status, kind, "%s", message ? message : "operation failed");
        vmm_daemon_call_fail(call, &err);
        vmm_error_clear(&err);
}

static void call_finish(VmmDaemonCall *call, int status, const char *message)
{
        qemud_call_finish(call, status, message, VMM_ERR_OPERATION_INVALID);
}

static void call_done(int status, const char *message, void *userdata)
{
        call_finish(userdata, status, message);
}

int qemud_h_start(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                  VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_start(q->drv, &d, req->has_flags ? req->flags : 0, call_done,
                                          call, error);
        if (r < 0) {
                vmm_log_error("%s", error->message);
                return r;
        }
        return VMM_DAEMON_REPLY_LATER;
}

static VmmQemuDriverOp op_of_proc(uint32_t number)
{
        switch (number) {
        case VMM_RPC_DOMAIN_SHUTDOWN:
                return VMM_QEMU_DRIVER_SHUTDOWN;
        case VMM_RPC_DOMAIN_SUSPEND:
                return VMM_QEMU_DRIVER_SUSPEND;
        case VMM_RPC_DOMAIN_RESUME:
                return VMM_QEMU_DRIVER_RESUME;
        case VMM_RPC_DOMAIN_REBOOT:
                return VMM_QEMU_DRIVER_REBOOT;
        case VMM_RPC_DOMAIN_RESET:
                return VMM_QEMU_DRIVER_RESET;
        default:
                return VMM_QEMU_DRIVER_DESTROY;
        }
}

/* shutdown, destroy, suspend, resume, reboot, reset */
int qemud_h_op(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
               VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        VmmQemuDriverOp op = op_of_proc(vmm_daemon_call_proc(call)->number);
        unsigned int flags = req->has_flags ? req->flags : 0;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0 && (op == VMM_QEMU_DRIVER_SHUTDOWN || op == VMM_QEMU_DRIVER_REBOOT))
                /* the mode: ACPI power button and/or guest agent */
                r = vmm_qemu_driver_shutdown_mode(q->drv, &d, op, flags, call_done, call, error);
        else if (r >= 0)
                r = vmm_qemu_driver_op(q->drv, &d, op, call_done, call, error);
        if (r < 0)
                return r;
        return VMM_DAEMON_REPLY_LATER;
}

/* --- create --- */

void qemud_started_done(int status, const char *message, void *userdata)
{
        QemudStartedCall *sc = userdata;
        VmmQemuDriverDomain d = {.name = sc->name, .id = -1};
        Vmm__DomainDefineXmlReply created = VMM__DOMAIN_DEFINE_XML_REPLY__INIT;
        Vmm__DomainLookupReply restored = VMM__DOMAIN_LOOKUP_REPLY__INIT;
        Vmm__DomainRef ref;

        if (status < 0) {
                qemud_call_finish(sc->call, status, message,
                                  sc->restore && status == -ENOENT ? VMM_ERR_INVALID_ARG
                                                                   : VMM_ERR_OPERATION_INVALID);
        } else {
                /* the domain may have stopped already: the reference stands */
                if (vmm_qemu_driver_find_uuid(sc->q->drv, sc->uuid, &d, NULL) < 0)
                        memcpy(d.uuid, sc->uuid, VMM_UUID_LEN);
                qemud_ref_fill(&ref, &d);
                created.dom = restored.dom = &ref;
                vmm_daemon_call_reply(sc->call, sc->restore ? &restored.base : &created.base);
        }
        free(sc->name);
        free(sc);
}

int qemud_h_create_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error)
{
        const Vmm__DomainDefineXmlRequest *req = (const void *)request;
        Qemud *q = userdata;
        QemudStartedCall *cc;
        int r;

        cc = calloc(1, sizeof(*cc));
        if (!cc)
                return vmm_error_oom(error);
        cc->call = call;
        cc->q = q;
        r = vmm_qemu_driver_create(q->drv, req->xml, req->has_flags ? req->flags : 0, &cc->name,
                                   cc->uuid, qemud_started_done, cc, error);
        if (r < 0) {
                vmm_log_error("%s", error->message);
                free(cc);
                return r;
        }
        return VMM_DAEMON_REPLY_LATER;
}

/* --- live info --- */

static void info_done(int status, const VmmDomainInfo *info, const char *message, void *userdata)
{
        Vmm__DomainGetInfoReply reply = VMM__DOMAIN_GET_INFO_REPLY__INIT;

        if (status < 0) {
                call_finish(userdata, status, message);
                return;
        }
        reply.state = info->state;
        reply.max_memory_kib = info->max_memory_kib;
        reply.memory_kib = info->memory_kib;
        reply.vcpus = info->vcpus;
        reply.cpu_time_ns = info->cpu_time_ns;
        vmm_daemon_call_reply(userdata, &reply.base);
}

int qemud_h_get_info(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error)
{
        const Vmm__DomainRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_get_info(q->drv, &d, info_done, call, error);
        if (r < 0)
                return r;
        return VMM_DAEMON_REPLY_LATER;
}
