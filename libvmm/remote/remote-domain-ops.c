/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-domain-ops.c: the remote driver's runtime operations: set-memory,
 * get-stats (one round trip for any number of domains) and the raw QEMU
 * monitor command. Wired into the vtable in remote-domain.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "remote-internal.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"

static void ops_ref_fill(Vmm__DomainRef *ref, VmmDomain *dom)
{
        vmm__domain_ref__init(ref);
        ref->name = dom->name;
        ref->uuid.data = dom->uuid;
        ref->uuid.len = VMM_UUID_BUFLEN;
        ref->has_id = true;
        ref->id = dom->id;
}

int remote_domain_set_memory(VmmDomain *dom, uint64_t kib, unsigned int flags, VmmError *error)
{
        Vmm__DomainSetMemoryRequest req = VMM__DOMAIN_SET_MEMORY_REQUEST__INIT;
        Vmm__DomainRef ref;

        ops_ref_fill(&ref, dom);
        req.dom = &ref;
        req.kib = kib;
        req.has_flags = flags != 0;
        req.flags = flags;
        return remote_call(dom->conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_SET_MEMORY, &req.base,
                           NULL, error);
}

static int ops_record_from_wire(VmmConnect *conn, const Vmm__DomainStatsRecord *w,
                                VmmDomainStatsRecord *rec, VmmError *error)
{
        const Vmm__DomainRef *ref = w->dom;

        if (!ref || !ref->name || ref->uuid.len != VMM_UUID_BUFLEN)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "daemon sent statistics without a valid domain reference");
        rec->dom =
            vmm_domain_handle_new(conn, ref->name, ref->uuid.data, ref->has_id ? ref->id : -1);
        rec->fields = calloc(w->n_fields ? w->n_fields : 1, sizeof(*rec->fields));
        if (!rec->dom || !rec->fields)
                return vmm_error_oom(error);
        for (size_t i = 0; i < w->n_fields; i++) {
                const Vmm__DomainStatField *f = w->fields[i];
                VmmDomainStatField *out = &rec->fields[rec->n_fields];

                if (!f->key || (!f->has_u && !f->s))
                        return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                             "daemon sent a statistic of domain '%s' without a "
                                             "key or value",
                                             ref->name);
                out->key = strdup(f->key);
                if (f->s) {
                        out->type = VMM_DOMAIN_STAT_STRING;
                        out->s = strdup(f->s);
                } else {
                        out->type = VMM_DOMAIN_STAT_UINT64;
                        out->u = f->u;
                }
                rec->n_fields++;
                if (!out->key || (f->s && !out->s))
                        return vmm_error_oom(error);
        }
        return 0;
}

int remote_domain_get_stats(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms,
                            unsigned int stats, unsigned int flags,
                            VmmDomainStatsRecord **ret_records, size_t *ret_count, VmmError *error)
{
        Vmm__DomainGetStatsRequest req = VMM__DOMAIN_GET_STATS_REQUEST__INIT;
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *reply = NULL;
        _cleanup_free_ Vmm__DomainRef *refs = NULL;
        _cleanup_free_ Vmm__DomainRef **refp = NULL;
        const Vmm__DomainGetStatsReply *rep;
        VmmDomainStatsRecord *records;
        int r;

        if (doms && n_doms > 0) {
                refs = calloc(n_doms, sizeof(*refs));
                refp = calloc(n_doms, sizeof(*refp));
                if (!refs || !refp)
                        return vmm_error_oom(error);
                for (size_t i = 0; i < n_doms; i++) {
                        ops_ref_fill(&refs[i], doms[i]);
                        refp[i] = &refs[i];
                }
                req.doms = refp;
                req.n_doms = n_doms;
        }
        req.has_stats = true;
        req.stats = stats;
        req.has_flags = flags != 0;
        req.flags = flags;
        r = remote_call(conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_GET_STATS, &req.base, &reply,
                        error);
        if (r < 0)
                return r;
        rep = (const Vmm__DomainGetStatsReply *)reply;
        records = calloc(rep->n_records ? rep->n_records : 1, sizeof(*records));
        if (!records)
                return vmm_error_oom(error);
        for (size_t i = 0; i < rep->n_records; i++) {
                r = ops_record_from_wire(conn, rep->records[i], &records[i], error);
                if (r < 0) {
                        vmm_domain_stats_free(records, i + 1);
                        return r;
                }
        }
        *ret_records = records;
        *ret_count = rep->n_records;
        return 0;
}

int remote_domain_qemu_monitor_command(VmmDomain *dom, const char *command, char **ret_reply,
                                       unsigned int flags, VmmError *error)
{
        Vmm__DomainMonitorCommandRequest req = VMM__DOMAIN_MONITOR_COMMAND_REQUEST__INIT;
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *reply = NULL;
        Vmm__DomainRef ref;
        char *s;
        int r;

        ops_ref_fill(&ref, dom);
        req.dom = &ref;
        req.command = (char *)command;
        req.has_flags = flags != 0;
        req.flags = flags;
        r = remote_call(dom->conn, &vmm_rpc_program_domain, VMM_RPC_DOMAIN_QEMU_MONITOR_COMMAND,
                        &req.base, &reply, error);
        if (r < 0)
                return r;
        s = strdup(((const Vmm__DomainMonitorCommandReply *)reply)->reply);
        if (!s)
                return vmm_error_oom(error);
        *ret_reply = s;
        return 0;
}
