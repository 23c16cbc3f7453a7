/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-list.c: list-all's reply, kept between calls. Listing 1,000
 * domains asks the driver for every domain, sorts them and builds a
 * reference per domain; between two changes the answer is the same, so
 * the built reply (names and UUIDs copied into one block) is kept for the
 * last filter used. Every change of the list is a lifecycle event (define,
 * undefine, start, stop: the contract), and qemud_emit() drops
 * the kept reply; the store's change counter is checked as well.
 */
#include <stdlib.h>
#include <string.h>

#include "qemud.h"
#include "util/error.h"

struct QemudListCache {
        bool valid;
        unsigned int flags;
        uint64_t store_changes;
        Vmm__DomainListAllReply reply;
        Vmm__DomainRef *refs;
        Vmm__DomainRef **ptrs;
        char *names; /* every name, NUL-terminated, one after the other */
        uint8_t *uuids;
};

static void list_cache_clear(QemudListCache *c)
{
        free(c->refs);
        free(c->ptrs);
        free(c->names);
        free(c->uuids);
        *c = (QemudListCache){0};
}

void qemud_list_invalidate(Qemud *q)
{
        if (q->list_cache)
                q->list_cache->valid = false;
}

QemudListCache *qemud_list_cache_free(QemudListCache *c)
{
        if (c) {
                list_cache_clear(c);
                free(c);
        }
        return NULL;
}

/* Copies the driver's answer into `c` (names and UUIDs included). */
static int list_cache_fill(QemudListCache *c, const VmmQemuDriverDomain *doms, size_t n,
                           VmmError *error)
{
        size_t names_len = 0;
        char *p;

        for (size_t i = 0; i < n; i++)
                names_len += strlen(doms[i].name) + 1;
        c->refs = calloc(n + 1, sizeof(*c->refs));
        c->ptrs = calloc(n + 1, sizeof(*c->ptrs));
        c->names = malloc(names_len + 1);
        c->uuids = malloc(n * VMM_UUID_LEN + 1);
        if (!c->refs || !c->ptrs || !c->names || !c->uuids)
                return vmm_error_oom(error);
        p = c->names;
        for (size_t i = 0; i < n; i++) {
                size_t len = strlen(doms[i].name) + 1;

                memcpy(p, doms[i].name, len);
                memcpy(c->uuids + i * VMM_UUID_LEN, doms[i].uuid, VMM_UUID_LEN);
                vmm__domain_ref__init(&c->refs[i]);
                c->refs[i].name = p;
                c->refs[i].uuid.data = c->uuids + i * VMM_UUID_LEN;
                c->refs[i].uuid.len = VMM_UUID_LEN;
                c->refs[i].has_id = true;
                c->refs[i].id = doms[i].id;
                c->ptrs[i] = &c->refs[i];
                p += len;
        }
        vmm__domain_list_all_reply__init(&c->reply);
        c->reply.n_doms = n;
        c->reply.doms = c->ptrs;
        return 0;
}

int qemud_list_reply(Qemud *q, unsigned int flags, const Vmm__DomainListAllReply **ret_reply,
                     VmmError *error)
{
        _cleanup_free_ VmmQemuDriverDomain *doms = NULL;
        uint64_t changes = vmm_qemu_domains_changes(q->store);
        QemudListCache *c = q->list_cache;
        size_t n = 0;
        int r;

        if (c && c->valid && c->flags == flags && c->store_changes == changes) {
                *ret_reply = &c->reply;
                return 0;
        }
        if (!c) {
                c = q->list_cache = calloc(1, sizeof(*c));
                if (!c)
                        return vmm_error_oom(error);
        }
        list_cache_clear(c);
        r = vmm_qemu_driver_list(q->drv, flags, &doms, &n, error);
        if (r < 0)
                return r;
        r = list_cache_fill(c, doms, n, error);
        if (r < 0) {
                list_cache_clear(c);
                return r;
        }
        c->flags = flags;
        c->store_changes = changes;
        c->valid = true;
        *ret_reply = &c->reply;
        return 0;
}
