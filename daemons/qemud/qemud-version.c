/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-version.c: the get-version procedure: the version of the QEMU
 * binary vmm-qemud starts guests with ($VMM_QEMU_EMULATOR, else
 * /usr/bin/qemu-system-x86_64), from its `--version`, run once on the
 * thread pool (never on the loop) and cached for the daemon's life; a
 * failed probe is not cached, so installing QEMU later is noticed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-command.h"
#include "qemu-version.h"
#include "qemud.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-domain.pb-c.h"

typedef struct VersionWork {
        uv_work_t work;
        VmmDaemonCall *call;
        char *binary;
        uint64_t version;
        int r;
        VmmError err;
} VersionWork;

/* The loop's own: only touched from the loop thread. */
static uint64_t cached_version;

static void version_reply(VmmDaemonCall *call, uint64_t version)
{
        Vmm__DomainVersionReply reply = VMM__DOMAIN_VERSION_REPLY__INIT;

        reply.hv_type = (char *)"QEMU";
        reply.hv_version = version;
        reply.daemon_version = vmm_version_number();
        vmm_daemon_call_reply(call, &reply.base);
}

static void version_work(uv_work_t *req)
{
        VersionWork *w = req->data;

        w->r = vmm_qemu_version_probe(w->binary, VMM_QEMU_VERSION_TIMEOUT_MS, &w->version, &w->err);
}

static void version_done(uv_work_t *req, int status)
{
        VersionWork *w = req->data;

        if (status < 0 && w->r >= 0)
                w->r = vmm_error_set(&w->err, -ECANCELED, VMM_ERR_OPERATION_INVALID,
                                     "get-version: cancelled, the daemon is stopping");
        if (w->r < 0) {
                vmm_log_warning("%s", vmm_error_message(&w->err));
                vmm_daemon_call_fail(w->call, &w->err);
        } else {
                cached_version = w->version;
                version_reply(w->call, w->version);
        }
        vmm_error_clear(&w->err);
        free(w->binary);
        free(w);
}

int qemud_h_get_version(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                        VmmError *error)
{
        const char *binary = getenv("VMM_QEMU_EMULATOR");
        Qemud *q = userdata;
        VersionWork *w;
        int r;

        if (cached_version) {
                version_reply(call, cached_version);
                return 0;
        }
        w = calloc(1, sizeof(*w));
        if (!w)
                return vmm_error_oom(error);
        w->binary = strdup(binary && *binary ? binary : VMM_QEMU_DEFAULT_EMULATOR);
        if (!w->binary) {
                free(w);
                return vmm_error_oom(error);
        }
        w->call = call;
        w->work.data = w;
        r = uv_queue_work(vmm_daemon_loop(q->daemon), &w->work, version_work, version_done);
        if (r < 0) {
                free(w->binary);
                free(w);
                return vmm_error_set(error, r, VMM_ERR_INTERNAL,
                                     "get-version: cannot queue the probe: %s", uv_strerror(r));
        }
        return VMM_DAEMON_REPLY_LATER;
}
