/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-domains.c: the persistent domain store of vmm-qemud: indexes by
 * name and UUID (libxml2 hash tables), define, undefine, autostart, list.
 * Loading from disk is in qemu-domains-load.c.
 */
#include <errno.h>
#include <libxml/hash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vmm/vmm-domain.h>

#include "qemu-domains-internal.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define XC(s) ((const xmlChar *)(s))

VmmQemuDomain *qemu_domain_free(VmmQemuDomain *dom)
{
        if (!dom)
                return NULL;
        vmm_domain_def_free(dom->def);
        free(dom->name);
        free(dom);
        return NULL;
}

int vmm_qemu_domains_new(const char *config_dir, VmmQemuDomains **ret_store, VmmError *error)
{
        _cleanup_(vmm_qemu_domains_freep) VmmQemuDomains *s = calloc(1, sizeof(*s));
        int r;

        if (!s)
                return vmm_error_oom(error);
        s->config_dir = strdup(config_dir);
        if (!s->config_dir || asprintf(&s->autostart_dir, "%s/autostart", config_dir) < 0) {
                s->autostart_dir = NULL;
                return vmm_error_oom(error);
        }
        s->by_name = xmlHashCreate(64);
        s->by_uuid = xmlHashCreate(64);
        s->pending_names = xmlHashCreate(16);
        s->pending_uuids = xmlHashCreate(16);
        if (!s->by_name || !s->by_uuid || !s->pending_names || !s->pending_uuids)
                return vmm_error_oom(error);
        r = vmm_mkdir_p(s->autostart_dir, 0700, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "domain store \"%s\": ", config_dir);
        *ret_store = TAKE_PTR(s);
        return 0;
}

static void domain_hash_free(void *payload, const xmlChar *name)
{
        qemu_domain_free(payload);
}

VmmQemuDomains *vmm_qemu_domains_free(VmmQemuDomains *s)
{
        if (!s)
                return NULL;
        s->journal = vmm_qemu_journal_free(s->journal);
        if (s->pending_names)
                xmlHashFree(s->pending_names, NULL);
        if (s->pending_uuids)
                xmlHashFree(s->pending_uuids, NULL);
        if (s->by_uuid)
                xmlHashFree(s->by_uuid, NULL);
        if (s->by_name)
                xmlHashFree(s->by_name, domain_hash_free);
        free(s->sorted);
        free(s->config_dir);
        free(s->autostart_dir);
        free(s);
        return NULL;
}

size_t vmm_qemu_domains_count(const VmmQemuDomains *s)
{
        return s->count;
}

uint64_t vmm_qemu_domains_changes(const VmmQemuDomains *s)
{
        return s->changes;
}

VmmQemuDomain *vmm_qemu_domains_find_by_name(VmmQemuDomains *s, const char *name)
{
        return xmlHashLookup(s->by_name, XC(name));
}

VmmQemuDomain *vmm_qemu_domains_find_by_uuid(VmmQemuDomains *s, const uint8_t uuid[VMM_UUID_LEN])
{
        char buf[VMM_UUID_STRLEN];

        return xmlHashLookup(s->by_uuid, XC(vmm_uuid_format(uuid, buf)));
}

int qemu_domains_path(const VmmQemuDomains *s, bool autostart, const char *name, char **ret_path,
                      VmmError *error)
{
        if (asprintf(ret_path, "%s/%s.xml", autostart ? s->autostart_dir : s->config_dir, name) <
            0) {
                *ret_path = NULL;
                return vmm_error_oom(error);
        }
        return 0;
}

/* Makes an object around `def` (taken on success). */
int qemu_domain_new(VmmDomainDef *def, VmmQemuDomain **ret_dom, VmmError *error)
{
        VmmQemuDomain *dom = calloc(1, sizeof(*dom));

        if (!dom || !(dom->name = strdup(vmm_domain_def_get_name(def)))) {
                free(dom);
                return vmm_error_oom(error);
        }
        vmm_domain_def_get_uuid(def, dom->uuid);
        vmm_uuid_format(dom->uuid, dom->uuid_str);
        dom->def = def;
        *ret_dom = dom;
        return 0;
}

int qemu_domains_insert(VmmQemuDomains *s, VmmQemuDomain *dom, VmmError *error)
{
        if (xmlHashAddEntry(s->by_name, XC(dom->name), dom) < 0)
                return vmm_error_oom(error);
        if (xmlHashAddEntry(s->by_uuid, XC(dom->uuid_str), dom) < 0) {
                xmlHashRemoveEntry(s->by_name, XC(dom->name), NULL);
                return vmm_error_oom(error);
        }
        s->count++;
        s->changes++;
        s->sorted_valid = false;
        return 0;
}

static void domains_remove(VmmQemuDomains *s, VmmQemuDomain *dom)
{
        xmlHashRemoveEntry(s->by_uuid, XC(dom->uuid_str), NULL);
        xmlHashRemoveEntry(s->by_name, XC(dom->name), NULL);
        s->count--;
        s->changes++;
        s->sorted_valid = false;
}

/* -EBUSY while a define, undefine or autostart change of the name or the
 * UUID is in flight (its op holds both in the pending tables). */
static int pending_check(VmmQemuDomains *s, const char *name, const char *uuid_str,
                         const char *what, VmmError *error)
{
        if (xmlHashLookup(s->pending_names, XC(name)) ||
            xmlHashLookup(s->pending_uuids, XC(uuid_str)))
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s '%s' (UUID %s): a change of its definition is in "
                                     "progress, try again",
                                     what, name, uuid_str);
        return 0;
}

/* Holds `name` (owned by `op`) and `uuid_str` for `op`. */
static int pending_hold(VmmQemuDomains *s, const char *name, const char *uuid_str, void *op,
                        VmmError *error)
{
        if (xmlHashAddEntry(s->pending_names, XC(name), op) < 0)
                return vmm_error_oom(error);
        if (xmlHashAddEntry(s->pending_uuids, XC(uuid_str), op) < 0) {
                xmlHashRemoveEntry(s->pending_names, XC(name), NULL);
                return vmm_error_oom(error);
        }
        return 0;
}

static void pending_release(VmmQemuDomains *s, const char *name, const char *uuid_str)
{
        xmlHashRemoveEntry(s->pending_names, XC(name), NULL);
        xmlHashRemoveEntry(s->pending_uuids, XC(uuid_str), NULL);
}

/* Name and UUID rules of a define: a new domain must not reuse either; a
 * redefinition keeps both. Sets *ret_old to the domain redefined. */
static int define_check_clash(VmmQemuDomains *s, VmmQemuDomain *new_dom, VmmQemuDomain **ret_old,
                              VmmError *error)
{
        VmmQemuDomain *by_uuid = xmlHashLookup(s->by_uuid, XC(new_dom->uuid_str));
        VmmQemuDomain *by_name = xmlHashLookup(s->by_name, XC(new_dom->name));
        int r = pending_check(s, new_dom->name, new_dom->uuid_str, "define domain", error);

        if (r < 0)
                return r;

        if (by_uuid && strcmp(by_uuid->name, new_dom->name) != 0)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "domain '%s': UUID %s is already used by domain '%s' "
                                     "(renaming through define is not supported)",
                                     new_dom->name, new_dom->uuid_str, by_uuid->name);
        if (by_name && by_name != by_uuid)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "domain '%s' already exists with UUID %s (the new "
                                     "definition has UUID %s; give the existing UUID to "
                                     "redefine it)",
                                     new_dom->name, by_name->uuid_str, new_dom->uuid_str);
        *ret_old = by_uuid;
        return 0;
}

static int define_parse(const char *xml, unsigned int flags, VmmDomainDef **ret_def,
                        VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        unsigned int pflags = 0;
        const char *name;
        int r;

        if (flags & VMM_DOMAIN_DEFINE_VALIDATE)
                pflags |= VMM_DOMAIN_DEF_VALIDATE;
        if (flags & VMM_DOMAIN_DEFINE_KEEP_UNKNOWN)
                pflags |= VMM_DOMAIN_DEF_KEEP_UNKNOWN;
        r = vmm_domain_def_parse(xml, (size_t)-1, pflags, &def, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0)
                return r;
        name = vmm_domain_def_get_name(def);
        if (!name || !*name || strchr(name, '/') || name[0] == '.' || strlen(name) > 200)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<name>: \"%s\" cannot name a domain here (expected 1 to "
                                     "200 characters, no '/', not starting with '.')",
                                     name ? name : "");
        *ret_def = TAKE_PTR(def);
        return 0;
}

struct VmmQemuDefine {
        VmmQemuDomain *dom; /* the new object (its definition) */
        VmmQemuDomain *old; /* the domain redefined, or NULL */
        char *path;
        char *xml;  /* the file's content */
        char *name; /* held in the pending tables while registered */
        char uuid_str[VMM_UUID_STRLEN];
        VmmQemuJournal *journal; /* the store's, or NULL */
        bool registered;
        VmmError write_error; /* from vmm_qemu_define_write() */
        int write_result;
};

void vmm_qemu_define_free(VmmQemuDomains *s, VmmQemuDefine *op)
{
        if (!op)
                return;
        if (op->registered)
                pending_release(s, op->name, op->uuid_str);
        qemu_domain_free(op->dom);
        free(op->name);
        free(op->path);
        free(op->xml);
        vmm_error_clear(&op->write_error);
        free(op);
}

static int define_register(VmmQemuDomains *s, VmmQemuDefine *op, VmmError *error)
{
        op->name = strdup(op->dom->name);
        memcpy(op->uuid_str, op->dom->uuid_str, sizeof(op->uuid_str));
        if (!op->name)
                return vmm_error_oom(error);
        if (pending_hold(s, op->name, op->uuid_str, op, error) < 0)
                return -ENOMEM;
        op->registered = true;
        return 0;
}

int vmm_qemu_domains_define_prepare(VmmQemuDomains *s, const char *xml, unsigned int flags,
                                    VmmQemuDefine **ret_op, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmQemuDefine *op;
        int r;

        r = define_parse(xml, flags, &def, error);
        if (r < 0)
                return r;
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        r = qemu_domain_new(def, &op->dom, error);
        if (r < 0) {
                free(op);
                return r;
        }
        def = NULL;
        r = define_check_clash(s, op->dom, &op->old, error);
        if (r >= 0)
                r = vmm_domain_def_format(op->dom->def, VMM_DOMAIN_DEF_INACTIVE, &op->xml, error);
        if (r >= 0)
                r = qemu_domains_path(s, false, op->dom->name, &op->path, error);
        if (r >= 0)
                r = define_register(s, op, error);
        op->journal = s->journal;
        if (r < 0) {
                vmm_qemu_define_free(s, op);
                return r;
        }
        *ret_op = op;
        return 0;
}

void vmm_qemu_define_write(VmmQemuDefine *op)
{
        if (op->journal)
                op->write_result = qemu_domains_journal_write(
                    op->journal, op->name, op->path, op->xml, op->old == NULL, &op->write_error);
        else
                op->write_result = vmm_file_write_atomic(op->path, op->xml, strlen(op->xml), 0600,
                                                         &op->write_error);
}

int vmm_qemu_domains_define_commit(VmmQemuDomains *s, VmmQemuDefine *op, VmmQemuDomain **ret_dom,
                                   bool *ret_updated, VmmError *error)
{
        VmmQemuDomain *dom;
        int r;

        if (op->write_result < 0) {
                r = vmm_error_propagate(error, &op->write_error);
                return vmm_error_prefix(error, r, "define '%s': ", op->name);
        }
        if (op->old) {
                /* Same name and UUID: swap the definition, keep the object. */
                VmmDomainDef *tmp = op->old->def;
                op->old->def = op->dom->def;
                op->dom->def = tmp;
                dom = op->old;
                s->changes++;
        } else {
                r = qemu_domains_insert(s, op->dom, error);
                if (r < 0)
                        return r;
                dom = TAKE_PTR(op->dom); /* the store owns it now */
        }
        *ret_dom = dom;
        *ret_updated = op->old != NULL;
        return 0;
}

int vmm_qemu_domains_define(VmmQemuDomains *s, const char *xml, unsigned int flags,
                            VmmQemuDomain **ret_dom, bool *ret_updated, VmmError *error)
{
        VmmQemuDefine *op = NULL;
        int r;

        r = vmm_qemu_domains_define_prepare(s, xml, flags, &op, error);
        if (r < 0)
                return r;
        vmm_qemu_define_write(op);
        r = vmm_qemu_domains_define_commit(s, op, ret_dom, ret_updated, error);
        vmm_qemu_define_free(s, op);
        return r;
}

struct VmmQemuChange {
        VmmQemuDomain *dom;
        bool undefine; /* else: autostart := `autostart` */
        bool autostart;
        char *name; /* held in the pending tables while registered */
        char uuid_str[VMM_UUID_STRLEN];
        char *path, *link;
        VmmQemuJournal *journal; /* the store's, or NULL */
        bool registered;
        VmmError write_error;
        int write_result;
};

void vmm_qemu_change_free(VmmQemuDomains *s, VmmQemuChange *op)
{
        if (!op)
                return;
        if (op->registered)
                pending_release(s, op->name, op->uuid_str);
        free(op->name);
        free(op->path);
        free(op->link);
        vmm_error_clear(&op->write_error);
        free(op);
}

/* Registers a change of `dom` (its name and UUID are busy until freed). */
static int change_prepare(VmmQemuDomains *s, VmmQemuDomain *dom, bool undefine, bool autostart,
                          VmmQemuChange **ret_op, VmmError *error)
{
        VmmQemuChange *op;
        int r;

        r = pending_check(s, dom->name, dom->uuid_str, undefine ? "undefine" : "autostart", error);
        if (r < 0)
                return r;
        op = calloc(1, sizeof(*op));
        if (!op)
                return vmm_error_oom(error);
        op->dom = dom;
        op->undefine = undefine;
        op->autostart = autostart;
        op->journal = s->journal;
        memcpy(op->uuid_str, dom->uuid_str, sizeof(op->uuid_str));
        r = qemu_domains_path(s, false, dom->name, &op->path, error);
        if (r >= 0)
                r = qemu_domains_path(s, true, dom->name, &op->link, error);
        if (r >= 0 && !(op->name = strdup(dom->name)))
                r = vmm_error_oom(error);
        if (r >= 0)
                r = pending_hold(s, op->name, op->uuid_str, op, error);
        if (r < 0) {
                vmm_qemu_change_free(s, op);
                return r;
        }
        op->registered = true;
        *ret_op = op;
        return 0;
}

int vmm_qemu_domains_undefine_prepare(VmmQemuDomains *s, VmmQemuDomain *dom, VmmQemuChange **ret_op,
                                      VmmError *error)
{
        return change_prepare(s, dom, true, false, ret_op, error);
}

int vmm_qemu_domains_autostart_prepare(VmmQemuDomains *s, VmmQemuDomain *dom, bool autostart,
                                       VmmQemuChange **ret_op, VmmError *error)
{
        *ret_op = NULL;
        if (dom->autostart == autostart)
                return 0;
        return change_prepare(s, dom, false, autostart, ret_op, error);
}

static int autostart_link(const VmmQemuChange *op, VmmError *error)
{
        _cleanup_free_ char *target = NULL;

        if (!op->autostart)
                return vmm_file_unlink(op->link, error);
        if (asprintf(&target, "../%s.xml", op->name) < 0) {
                target = NULL;
                return vmm_error_oom(error);
        }
        (void)unlink(op->link);
        if (symlink(target, op->link) < 0)
                return vmm_error_set_errno(error, -errno, "cannot create \"%s\"", op->link);
        return 0;
}

void vmm_qemu_change_write(VmmQemuChange *op)
{
        VmmError *error = &op->write_error;
        int r;

        if (op->journal && op->undefine)
                r = qemu_domains_journal_unlink(op->journal, op->name, error);
        else if (op->journal)
                r = qemu_domains_journal_autostart(op->journal, op->name, op->autostart, error);
        else if (!op->undefine)
                r = autostart_link(op, error);
        else {
                r = vmm_file_unlink(op->link, error);
                if (r >= 0)
                        r = vmm_file_unlink(op->path, error);
        }
        op->write_result = r;
}

int vmm_qemu_domains_change_commit(VmmQemuDomains *s, VmmQemuChange *op, VmmError *error)
{
        int r;

        if (op->write_result < 0) {
                r = vmm_error_propagate(error, &op->write_error);
                return vmm_error_prefix(
                    error, r, "%s '%s': ", op->undefine ? "undefine" : "autostart", op->name);
        }
        if (!op->undefine) {
                op->dom->autostart = op->autostart;
                return 0;
        }
        domains_remove(s, op->dom);
        op->dom = qemu_domain_free(op->dom);
        return 0;
}

/* prepare, write and commit in a row */
static int change_now(VmmQemuDomains *s, VmmQemuChange *op, VmmError *error)
{
        int r;

        if (!op)
                return 0;
        vmm_qemu_change_write(op);
        r = vmm_qemu_domains_change_commit(s, op, error);
        vmm_qemu_change_free(s, op);
        return r;
}

int vmm_qemu_domains_undefine(VmmQemuDomains *s, VmmQemuDomain *dom, VmmError *error)
{
        VmmQemuChange *op = NULL;
        int r = vmm_qemu_domains_undefine_prepare(s, dom, &op, error);

        return r < 0 ? r : change_now(s, op, error);
}

int vmm_qemu_domains_set_autostart(VmmQemuDomains *s, VmmQemuDomain *dom, bool autostart,
                                   VmmError *error)
{
        VmmQemuChange *op = NULL;
        int r = vmm_qemu_domains_autostart_prepare(s, dom, autostart, &op, error);

        return r < 0 ? r : change_now(s, op, error);
}

static bool domain_matches(const VmmQemuDomain *dom, unsigned int flags)
{
        const unsigned int active = VMM_DOMAIN_LIST_ACTIVE | VMM_DOMAIN_LIST_INACTIVE;
        const unsigned int persist = VMM_DOMAIN_LIST_PERSISTENT | VMM_DOMAIN_LIST_TRANSIENT;
        const unsigned int state = VMM_DOMAIN_LIST_RUNNING | VMM_DOMAIN_LIST_PAUSED |
                                   VMM_DOMAIN_LIST_SHUTOFF | VMM_DOMAIN_LIST_OTHER;
        const unsigned int autostart = VMM_DOMAIN_LIST_AUTOSTART | VMM_DOMAIN_LIST_NO_AUTOSTART;

        /* Every domain of this first cut is defined, inactive and shut off. */
        if ((flags & active) && !(flags & VMM_DOMAIN_LIST_INACTIVE))
                return false;
        if ((flags & persist) && !(flags & VMM_DOMAIN_LIST_PERSISTENT))
                return false;
        if ((flags & state) && !(flags & VMM_DOMAIN_LIST_SHUTOFF))
                return false;
        if ((flags & autostart) &&
            !(flags & (dom->autostart ? VMM_DOMAIN_LIST_AUTOSTART : VMM_DOMAIN_LIST_NO_AUTOSTART)))
                return false;
        return true;
}

typedef struct ListCollect {
        VmmQemuDomain **doms;
        size_t n;
} ListCollect;

static void list_collect(void *payload, void *data, const xmlChar *name)
{
        ListCollect *c = data;

        c->doms[c->n++] = payload;
}

static int domain_cmp_name(const void *a, const void *b)
{
        const VmmQemuDomain *const *x = a, *const *y = b;

        return strcmp((*x)->name, (*y)->name);
}

/* The name order is kept between changes, so listing is a filtered copy. */
static int domains_sort(VmmQemuDomains *s, VmmError *error)
{
        ListCollect c = {0};

        if (s->sorted_valid)
                return 0;
        c.doms = realloc(s->sorted, (s->count + 1) * sizeof(*c.doms));
        if (!c.doms)
                return vmm_error_oom(error);
        s->sorted = c.doms;
        xmlHashScan(s->by_name, list_collect, &c);
        qsort(c.doms, c.n, sizeof(*c.doms), domain_cmp_name);
        s->sorted_valid = true;
        return 0;
}

int vmm_qemu_domains_list(VmmQemuDomains *s, unsigned int flags, VmmQemuDomain ***ret_doms,
                          size_t *ret_count, VmmError *error)
{
        VmmQemuDomain **doms;
        size_t n = 0;
        int r;

        r = domains_sort(s, error);
        if (r < 0)
                return r;
        doms = calloc(s->count + 1, sizeof(*doms));
        if (!doms)
                return vmm_error_oom(error);
        if (flags == 0) {
                memcpy(doms, s->sorted, s->count * sizeof(*doms));
                n = s->count;
        } else {
                for (size_t i = 0; i < s->count; i++)
                        if (domain_matches(s->sorted[i], flags))
                                doms[n++] = s->sorted[i];
        }
        *ret_doms = doms;
        *ret_count = n;
        return 0;
}
