/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-agent.c: shutdown and reboot by mode (libvirt's flags):
 * the ACPI power button (the default, QMP system_powerdown / the reboot
 * the driver already does), or the guest agent's guest-shutdown through
 * the domain's org.qemu.guest_agent.0 channel. With both, the agent is
 * tried first and the power button used when the agent fails (libvirt's
 * order). The agent exchange blocks, so it runs on the thread pool with a
 * deadline ($VMM_QEMU_AGENT_TIMEOUT_MS, default 5 s).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vmm/vmm-domain.h>

#include "conf/domain-chr.h"
#include "conf/domain-device.h"
#include "conf/domain-priv.h"
#include "qemu-agent.h"
#include "qemu-driver-priv.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"

#define MODE_ACPI VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN
#define MODE_AGENT VMM_DOMAIN_SHUTDOWN_GUEST_AGENT

typedef struct AgentOp {
        uv_work_t work;
        VmmQemuDriver *drv;
        VmmQemuDriverOp which;
        bool fallback_acpi;
        uint8_t uuid[VMM_UUID_LEN];
        char *name;
        char *path;
        int timeout_ms;
        int r;
        VmmError err;
        VmmQemuDriverDoneFn done;
        void *userdata;
} AgentOp;

/* The unix socket of the domain's guest agent channel (its <source
 * path>, or the one the driver chose in the channel directory when the XML
 * left it out), or NULL when it has none. */
static char *agent_socket(VmmQemuDriver *drv, const char *name, const VmmDomainDef *def)
{
        size_t n = 0;
        VmmDomainChr *const *chans = (VmmDomainChr *const *)vmm_domain_devices_get(
            def->devices, VMM_DOMAIN_DEVICE_CHANNEL, &n);
        _cleanup_free_ char *dir = NULL;
        VmmError err = VMM_ERROR_INIT;
        char *path = NULL;

        for (size_t i = 0; i < n; i++) {
                const VmmDomainChr *c = chans[i];

                if (c->type != VMM_CHR_TYPE_UNIX || !c->target_type ||
                    strcmp(c->target_type, "virtio") != 0 || !c->target_name ||
                    strcmp(c->target_name, VMM_QEMU_AGENT_CHANNEL) != 0)
                        continue;
                if (c->n_sources && c->sources[0]->path)
                        return strdup(c->sources[0]->path);
                if (vmm_qemu_manager_channel_dir(drv->mgr, name, &dir, &err) < 0 ||
                    asprintf(&path, "%s/%s.sock", dir, c->target_name) < 0) {
                        vmm_error_clear(&err);
                        return NULL;
                }
                return path;
        }
        return NULL;
}

static int agent_timeout_ms(void)
{
        const char *s = getenv("VMM_QEMU_AGENT_TIMEOUT_MS");
        long v = s ? strtol(s, NULL, 10) : 0;

        return v > 0 && v <= 600000 ? (int)v : VMM_QEMU_AGENT_TIMEOUT_MS;
}

static AgentOp *agent_op_free(AgentOp *op)
{
        vmm_error_clear(&op->err);
        free(op->name);
        free(op->path);
        free(op);
        return NULL;
}

static void agent_work(uv_work_t *req)
{
        AgentOp *op = req->data;

        op->r = vmm_qemu_agent_shutdown(
            op->path, op->name,
            op->which == VMM_QEMU_DRIVER_REBOOT ? VMM_QEMU_AGENT_REBOOT : VMM_QEMU_AGENT_POWERDOWN,
            op->timeout_ms, &op->err);
}

static void agent_work_done(uv_work_t *req, int status)
{
        AgentOp *op = req->data;
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDriverDomain d;
        int r;

        if (status < 0 && op->r >= 0)
                op->r = vmm_error_set(&op->err, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                      "domain '%s': cancelled, the daemon is stopping", op->name);
        if (op->r >= 0) {
                vmm_log_info("domain '%s': the guest agent accepted guest-shutdown", op->name);
                if (op->done)
                        op->done(0, NULL, op->userdata);
                agent_op_free(op);
                return;
        }
        if (!op->fallback_acpi || status < 0) {
                if (op->done)
                        op->done(op->r, vmm_error_message(&op->err), op->userdata);
                agent_op_free(op);
                return;
        }
        vmm_log_warning("%s; using the ACPI power button", vmm_error_message(&op->err));
        /* the domain may have stopped meanwhile: look it up again */
        r = vmm_qemu_driver_find_uuid(op->drv, op->uuid, &d, &err);
        if (r >= 0)
                r = vmm_qemu_driver_op(op->drv, &d, op->which, op->done, op->userdata, &err);
        if (r < 0 && op->done)
                op->done(r, vmm_error_message(&err), op->userdata);
        vmm_error_clear(&err);
        agent_op_free(op);
}

static int agent_start(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, VmmQemuDriverOp which,
                       const char *path, bool fallback, VmmQemuDriverDoneFn done, void *userdata,
                       VmmError *error)
{
        AgentOp *op = calloc(1, sizeof(*op));
        int r;

        if (!op)
                return vmm_error_oom(error);
        *op = (AgentOp){.drv = drv,
                        .which = which,
                        .fallback_acpi = fallback,
                        .timeout_ms = agent_timeout_ms(),
                        .done = done,
                        .userdata = userdata};
        memcpy(op->uuid, d->uuid, VMM_UUID_LEN);
        op->name = strdup(d->name);
        op->path = strdup(path);
        if (!op->name || !op->path) {
                agent_op_free(op);
                return vmm_error_oom(error);
        }
        op->work.data = op;
        r = uv_queue_work(drv->loop, &op->work, agent_work, agent_work_done);
        if (r < 0) {
                agent_op_free(op);
                return vmm_error_set(error, r, VMM_ERR_INTERNAL,
                                     "domain '%s': cannot queue the guest agent exchange: %s",
                                     d->name, uv_strerror(r));
        }
        vmm_log_info("domain '%s': %s through the guest agent requested", d->name,
                     which == VMM_QEMU_DRIVER_REBOOT ? "reboot" : "shutdown");
        return 0;
}

int vmm_qemu_driver_shutdown_mode(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                  VmmQemuDriverOp which, unsigned int flags,
                                  VmmQemuDriverDoneFn done, void *userdata, VmmError *error)
{
        const char *what = which == VMM_QEMU_DRIVER_REBOOT ? "reboot" : "shutdown";
        _cleanup_free_ char *path = NULL;

        if (which != VMM_QEMU_DRIVER_SHUTDOWN && which != VMM_QEMU_DRIVER_REBOOT)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INTERNAL,
                                     "%s domain '%s': modes apply to shutdown and reboot only",
                                     what, d->name);
        if (flags & ~(unsigned)(MODE_ACPI | MODE_AGENT))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s domain '%s': unknown mode flags 0x%x (expected "
                                     "ACPI_POWER_BTN 0x1 and/or GUEST_AGENT 0x2)",
                                     what, d->name, flags & ~(unsigned)(MODE_ACPI | MODE_AGENT));
        if (!(flags & MODE_AGENT) || !d->proc)
                return vmm_qemu_driver_op(drv, d, which, done, userdata, error);
        path = agent_socket(drv, d->name, vmm_qemu_process_get_def(d->proc));
        if (!path && (flags & MODE_ACPI))
                return vmm_qemu_driver_op(drv, d, which, done, userdata, error);
        if (!path)
                return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                     "%s: domain '%s' has no guest agent channel "
                                     "(" VMM_QEMU_AGENT_CHANNEL ")",
                                     what, d->name);
        if (vmm_qemu_process_get_state(d->proc, NULL) != VMM_DOMAIN_RUNNING && !(flags & MODE_ACPI))
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s: domain '%s' is not running (a paused guest's agent "
                                     "cannot answer)",
                                     what, d->name);
        return agent_start(drv, d, which, path, flags & MODE_ACPI, done, userdata, error);
}
