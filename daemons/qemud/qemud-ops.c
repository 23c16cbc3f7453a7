/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-ops.c: vmm-qemud's handlers of the runtime operations: set-memory,
 * get-stats (any number of domains in one call: the driver's queries for
 * all of them run at once, the reply goes when the last one is in) and
 * the raw QEMU monitor command (logged as a warning at every use).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-driver-ops.h"
#include "qemud.h"
#include "util/error.h"
#include "util/log.h"
#include "util/uuid.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static VmmErrorKind ops_kind(int status)
{
        switch (status) {
        case -EINVAL:
                return VMM_ERR_INVALID_ARG;
        case -ENOENT:
                return VMM_ERR_NO_DOMAIN;
        default:
                return VMM_ERR_OPERATION_INVALID;
        }
}

static void ops_fail(VmmDaemonCall *call, int status, const char *message)
{
        VmmError err = VMM_ERROR_INIT;

        vmm_error_set(&err, status, ops_kind(status), "%s", message ? message : "operation failed");
        vmm_daemon_call_fail(call, &err);
        vmm_error_clear(&err);
}

/* --- set-memory --- */

static void setmem_done(int status, const char *message, void *userdata)
{
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;

        if (status < 0)
                ops_fail(userdata, status, message);
        else
                vmm_daemon_call_reply(userdata, &empty.base);
}

int qemud_h_set_memory(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error)
{
        const Vmm__DomainSetMemoryRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r >= 0)
                r = vmm_qemu_driver_set_memory(q->drv, &d, req->kib,
                                               req->has_flags ? req->flags : 0, setmem_done, call,
                                               error);
        if (r < 0)
                return r;
        return VMM_DAEMON_REPLY_LATER;
}

/* --- get-stats --- */

typedef struct StatsCall {
        VmmDaemonCall *call;
        size_t n;
        size_t pending;
        int status;
        char *message;
        Vmm__DomainStatsRecord *records;
        Vmm__DomainStatsRecord **recp;
        Vmm__DomainRef *refs;
        char **names;
        uint8_t (*uuids)[VMM_UUID_LEN];
        Vmm__DomainStatField **fields; /* per record: its array */
} StatsCall;

typedef struct StatsSlot {
        StatsCall *sc;
        size_t i;
} StatsSlot;

static void stats_call_free(StatsCall *sc)
{
        for (size_t i = 0; i < sc->n; i++) {
                for (size_t k = 0; sc->records && k < sc->records[i].n_fields; k++) {
                        free(sc->fields[i][k].key);
                        free(sc->fields[i][k].s);
                }
                if (sc->fields)
                        free(sc->fields[i]);
                if (sc->records)
                        free(sc->records[i].fields);
                if (sc->names)
                        free(sc->names[i]);
        }
        free(sc->fields);
        free(sc->names);
        free(sc->uuids);
        free(sc->refs);
        free(sc->recp);
        free(sc->records);
        free(sc->message);
        free(sc);
}

static void stats_call_finish(StatsCall *sc)
{
        Vmm__DomainGetStatsReply reply = VMM__DOMAIN_GET_STATS_REPLY__INIT;

        if (sc->status < 0) {
                ops_fail(sc->call, sc->status, sc->message);
        } else {
                reply.records = sc->recp;
                reply.n_records = sc->n;
                vmm_daemon_call_reply(sc->call, &reply.base);
        }
        stats_call_free(sc);
}

/* Moves the driver's fields into record i (keys and strings taken). */
static void stats_done(int status, VmmStatList *list, const char *message, void *userdata)
{
        StatsSlot *slot = userdata;
        StatsCall *sc = slot->sc;
        size_t i = slot->i;

        free(slot);
        if (status < 0 && sc->status >= 0) {
                sc->status = status;
                sc->message = message ? strdup(message) : NULL;
        }
        if (status >= 0) {
                Vmm__DomainStatField *f = calloc(list->n_fields ? list->n_fields : 1, sizeof(*f));

                sc->fields[i] = f;
                sc->records[i].fields =
                    calloc(list->n_fields ? list->n_fields : 1, sizeof(*sc->records[i].fields));
                if (!f || !sc->records[i].fields) {
                        sc->status = -ENOMEM;
                } else {
                        for (size_t k = 0; k < list->n_fields; k++) {
                                VmmDomainStatField *src = &list->fields[k];

                                vmm__domain_stat_field__init(&f[k]);
                                f[k].key = src->key;
                                src->key = NULL;
                                if (src->type == VMM_DOMAIN_STAT_STRING) {
                                        f[k].s = src->s;
                                        src->s = NULL;
                                } else {
                                        f[k].has_u = true;
                                        f[k].u = src->u;
                                }
                                sc->records[i].fields[k] = &f[k];
                        }
                        sc->records[i].n_fields = list->n_fields;
                }
        }
        if (--sc->pending == 0)
                stats_call_finish(sc);
}

static int stats_call_new(VmmDaemonCall *call, size_t n, StatsCall **ret, VmmError *error)
{
        StatsCall *sc = calloc(1, sizeof(*sc));
        size_t m = n ? n : 1;

        if (!sc)
                return vmm_error_oom(error);
        sc->call = call;
        sc->n = n;
        sc->records = calloc(m, sizeof(*sc->records));
        sc->recp = calloc(m, sizeof(*sc->recp));
        sc->refs = calloc(m, sizeof(*sc->refs));
        sc->names = calloc(m, sizeof(*sc->names));
        sc->uuids = calloc(m, sizeof(*sc->uuids));
        sc->fields = calloc(m, sizeof(*sc->fields));
        if (!sc->records || !sc->recp || !sc->refs || !sc->names || !sc->uuids || !sc->fields) {
                stats_call_free(sc);
                return vmm_error_oom(error);
        }
        *ret = sc;
        return 0;
}

/* Starts the driver's collection for record i. */
static void stats_start_one(Qemud *q, StatsCall *sc, size_t i, const VmmQemuDriverDomain *d,
                            unsigned int stats)
{
        StatsSlot *slot = calloc(1, sizeof(*slot));
        VmmError err = VMM_ERROR_INIT;

        vmm__domain_stats_record__init(&sc->records[i]);
        sc->recp[i] = &sc->records[i];
        sc->names[i] = strdup(d->name);
        memcpy(sc->uuids[i], d->uuid, VMM_UUID_LEN);
        vmm__domain_ref__init(&sc->refs[i]);
        sc->refs[i].name = sc->names[i];
        sc->refs[i].uuid.data = sc->uuids[i];
        sc->refs[i].uuid.len = VMM_UUID_LEN;
        sc->refs[i].has_id = true;
        sc->refs[i].id = d->id;
        sc->records[i].dom = &sc->refs[i];
        if (!slot || !sc->names[i]) {
                free(slot);
                if (sc->status >= 0)
                        sc->status = -ENOMEM;
                return;
        }
        sc->pending++;
        *slot = (StatsSlot){.sc = sc, .i = i};
        if (vmm_qemu_driver_get_stats(q->drv, d, stats, stats_done, slot, &err) < 0)
                stats_done(err.code, NULL, err.message, slot);
        vmm_error_clear(&err);
}

static int stats_resolve_all(Qemud *q, const Vmm__DomainGetStatsRequest *req,
                             VmmQemuDriverDomain **ret_doms, size_t *ret_n, VmmError *error)
{
        VmmQemuDriverDomain *doms;
        int r;

        if (req->n_doms == 0)
                return vmm_qemu_driver_list(q->drv, req->has_flags ? req->flags : 0, ret_doms,
                                            ret_n, error);
        doms = calloc(req->n_doms, sizeof(*doms));
        if (!doms)
                return vmm_error_oom(error);
        for (size_t i = 0; i < req->n_doms; i++) {
                r = qemud_resolve(q, req->doms[i], &doms[i], error);
                if (r < 0) {
                        free(doms);
                        return r;
                }
        }
        *ret_doms = doms;
        *ret_n = req->n_doms;
        return 0;
}

int qemud_h_get_stats(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error)
{
        const Vmm__DomainGetStatsRequest *req = (const void *)request;
        unsigned int stats = req->has_stats && req->stats ? req->stats : ~0u;
        _cleanup_free_ VmmQemuDriverDomain *doms = NULL;
        StatsCall *sc = NULL;
        size_t n = 0;
        int r;

        r = stats_resolve_all(userdata, req, &doms, &n, error);
        if (r >= 0)
                r = stats_call_new(call, n, &sc, error);
        if (r < 0)
                return r;
        sc->pending = 1; /* held while the collections start */
        for (size_t i = 0; i < n; i++)
                stats_start_one(userdata, sc, i, &doms[i], stats);
        if (--sc->pending == 0)
                stats_call_finish(sc);
        return VMM_DAEMON_REPLY_LATER;
}

/* --- qemu-monitor-command --- */

static void monitor_done(int status, const char *reply, const char *message, void *userdata)
{
        Vmm__DomainMonitorCommandReply rep = VMM__DOMAIN_MONITOR_COMMAND_REPLY__INIT;

        if (status < 0) {
                ops_fail(userdata, status, message);
                return;
        }
        rep.reply = (char *)reply;
        vmm_daemon_call_reply(userdata, &rep.base);
}

int qemud_h_monitor_command(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error)
{
        const Vmm__DomainMonitorCommandRequest *req = (const void *)request;
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r < 0)
                return r;
        if (req->has_flags && req->flags)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "monitor command for domain '%s': unknown flags 0x%x "
                                     "(expected 0)",
                                     d.name, req->flags);
        vmm_log_warning("domain '%s': unsupported QEMU monitor command from a client, the "
                        "domain is tainted: %.200s",
                        d.name, req->command);
        r = vmm_qemu_driver_monitor_command(q->drv, &d, req->command, monitor_done, call, error);
        if (r < 0)
                return r;
        return VMM_DAEMON_REPLY_LATER;
}
