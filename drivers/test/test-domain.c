/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain.c: domain lookup, listing, definition and XML for the test driver. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"
#include "util/error.h"

static int domain_not_found_uuid(VmmError *error, const char *name,
                                 const uint8_t uuid[VMM_UUID_LEN])
{
        char s[VMM_UUID_STRLEN];

        vmm_uuid_format(uuid, s);
        if (name)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "domain '%s' (UUID %s) no longer exists", name, s);
        return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no domain with UUID %s", s);
}

int test_domain_get_locked(VmmDomain *handle, TestState **ret_state, TestDomain **ret_dom,
                           VmmError *error)
{
        TestState *state = test_state_of(handle->conn);
        TestDomain *dom = NULL;

        pthread_mutex_lock(&state->lock);
        dom = test_index_find_uuid(&state->domains, handle->uuid);
        if (!dom) {
                pthread_mutex_unlock(&state->lock);
                return domain_not_found_uuid(error, handle->name, handle->uuid);
        }
        *ret_state = state;
        *ret_dom = dom;
        return 0;
}

const VmmDomainDef *test_domain_current_def(const TestDomain *dom)
{
        return dom->live ? dom->live : dom->def;
}

static int domain_handle(VmmConnect *conn, const TestDomain *dom, int id, VmmDomain **ret,
                         VmmError *error)
{
        VmmDomain *h = vmm_domain_handle_new(conn, dom->obj.name, dom->obj.uuid, id);

        if (!h)
                return vmm_error_oom(error);
        *ret = h;
        return 0;
}

static TestDomain *domain_new(VmmDomainDef *def)
{
        TestDomain *dom = calloc(1, sizeof(*dom));

        if (!dom)
                return NULL;
        dom->obj.name = strdup(vmm_domain_def_get_name(def));
        if (!dom->obj.name) {
                free(dom);
                return NULL;
        }
        vmm_domain_def_get_uuid(def, dom->obj.uuid);
        dom->state = VMM_DOMAIN_SHUTOFF;
        dom->reason = VMM_DOMAIN_SHUTOFF_UNKNOWN;
        dom->id = -1;
        return dom;
}

/*
 * The domain that `def` would redefine (*ret_same, NULL when it is new),
 * or -EEXIST when its name and UUID belong to different domains.
 */
static int domain_check_identity(TestState *state, const VmmDomainDef *def, TestDomain **ret_same,
                                 VmmError *error)
{
        const char *name = vmm_domain_def_get_name(def);
        uint8_t uuid[VMM_UUID_LEN];
        char s[VMM_UUID_STRLEN], other[VMM_UUID_STRLEN];
        TestDomain *by_name, *by_uuid;

        vmm_domain_def_get_uuid(def, uuid);
        by_name = test_index_find_name(&state->domains, name);
        by_uuid = test_index_find_uuid(&state->domains, uuid);
        if (by_name && by_name != by_uuid)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "domain '%s' already exists with UUID %s (the XML "
                                     "gives UUID %s)",
                                     name, vmm_uuid_format(by_name->obj.uuid, other),
                                     vmm_uuid_format(uuid, s));
        if (by_uuid && by_uuid != by_name)
                return vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                     "UUID %s already belongs to domain '%s' (the XML names "
                                     "it '%s')",
                                     vmm_uuid_format(uuid, s), by_uuid->obj.name, name);
        *ret_same = by_name;
        return 0;
}

int test_domain_add_loaded(TestState *state, VmmDomainDef *def, VmmDomainState dom_state,
                           bool autostart, VmmError *error)
{
        TestDomain *dom = domain_new(def);
        int r;

        if (!dom) {
                vmm_domain_def_free(def);
                return vmm_error_oom(error);
        }
        dom->def = def;
        dom->autostart = autostart;
        r = test_index_add(&state->domains, &dom->obj);
        if (r < 0) {
                if (r == -EEXIST)
                        r = vmm_error_set(error, r, VMM_ERR_DUPLICATE,
                                          "domain '%s': its name or UUID is already taken "
                                          "by another domain",
                                          dom->obj.name);
                else
                        r = vmm_error_oom(error);
                test_domain_free(dom);
                return r;
        }
        if (dom_state == VMM_DOMAIN_SHUTOFF)
                return 0;
        r = test_domain_run(state, dom, NULL, dom_state == VMM_DOMAIN_PAUSED, error);
        if (r < 0) {
                test_index_remove(&state->domains, &dom->obj);
                test_domain_free(dom);
        }
        return r;
}

void test_domain_forget(TestState *state, TestDomain *dom)
{
        test_index_remove(&state->domains, &dom->obj);
        test_domain_free(dom);
}

/* --- lookup and listing --- */

int test_domain_lookup_by_name(VmmConnect *conn, const char *name, VmmDomain **ret_dom,
                               VmmError *error)
{
        TestState *state = test_state_of(conn);
        TestDomain *dom = NULL;
        int r;

        pthread_mutex_lock(&state->lock);
        dom = test_index_find_name(&state->domains, name);
        if (dom)
                r = domain_handle(conn, dom, dom->id, ret_dom, error);
        else
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no domain named '%s'", name);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                               VmmDomain **ret_dom, VmmError *error)
{
        TestState *state = test_state_of(conn);
        TestDomain *dom = NULL;
        int r;

        pthread_mutex_lock(&state->lock);
        dom = test_index_find_uuid(&state->domains, uuid);
        if (dom)
                r = domain_handle(conn, dom, dom->id, ret_dom, error);
        else
                r = domain_not_found_uuid(error, NULL, uuid);
        pthread_mutex_unlock(&state->lock);
        return r;
}

typedef struct FindId {
        int id;
        TestDomain *found;
} FindId;

static void find_id(void *payload, void *data, const xmlChar *name)
{
        TestDomain *dom = payload;
        FindId *f = data;

        if (dom->id == f->id)
                f->found = dom;
}

int test_domain_lookup_by_id(VmmConnect *conn, int id, VmmDomain **ret_dom, VmmError *error)
{
        TestState *state = test_state_of(conn);
        FindId f = {.id = id};
        int r;

        if (id < 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                     "no running domain with id %d", id);
        pthread_mutex_lock(&state->lock);
        xmlHashScan(state->domains.by_name, find_id, &f);
        if (f.found)
                r = domain_handle(conn, f.found, f.found->id, ret_dom, error);
        else
                r = vmm_error_set(error, -ENOENT, VMM_ERR_NO_DOMAIN, "no running domain with id %d",
                                  id);
        pthread_mutex_unlock(&state->lock);
        return r;
}

static bool domain_state_pass(unsigned int flags, VmmDomainState st)
{
        const unsigned int group = VMM_DOMAIN_LIST_RUNNING | VMM_DOMAIN_LIST_PAUSED |
                                   VMM_DOMAIN_LIST_SHUTOFF | VMM_DOMAIN_LIST_OTHER;

        if (!(flags & group))
                return true;
        switch (st) {
        case VMM_DOMAIN_RUNNING:
                return flags & VMM_DOMAIN_LIST_RUNNING;
        case VMM_DOMAIN_PAUSED:
                return flags & VMM_DOMAIN_LIST_PAUSED;
        case VMM_DOMAIN_SHUTOFF:
                return flags & VMM_DOMAIN_LIST_SHUTOFF;
        default:
                return flags & VMM_DOMAIN_LIST_OTHER;
        }
}

static bool domain_filter(void *obj, void *userdata)
{
        const TestDomain *dom = obj;
        unsigned int flags = *(const unsigned int *)userdata;

        return test_filter_pass(flags, VMM_DOMAIN_LIST_ACTIVE, VMM_DOMAIN_LIST_INACTIVE,
                                dom->state != VMM_DOMAIN_SHUTOFF) &&
               test_filter_pass(flags, VMM_DOMAIN_LIST_PERSISTENT, VMM_DOMAIN_LIST_TRANSIENT,
                                dom->def != NULL) &&
               test_filter_pass(flags, VMM_DOMAIN_LIST_AUTOSTART, VMM_DOMAIN_LIST_NO_AUTOSTART,
                                dom->autostart) &&
               test_filter_pass(flags, VMM_DOMAIN_LIST_MANAGED_SAVE,
                                VMM_DOMAIN_LIST_NO_MANAGED_SAVE, dom->managed_save_xml != NULL) &&
               domain_state_pass(flags, dom->state);
}

int test_domain_list_all(VmmConnect *conn, unsigned int flags, VmmDomain ***ret_doms,
                         size_t *ret_count, VmmError *error)
{
        const unsigned int known = (VMM_DOMAIN_LIST_NO_MANAGED_SAVE << 1) - 1;
        TestState *state = test_state_of(conn);
        _cleanup_free_ void **objs = NULL;
        VmmDomain **doms;
        size_t n = 0;
        int r;

        if (flags & ~known)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "list domains: unknown flags 0x%x", flags & ~known);
        pthread_mutex_lock(&state->lock);
        r = test_index_sorted(&state->domains, flags ? domain_filter : NULL, &flags, &objs, &n);
        doms = r < 0 ? NULL : calloc(n + 1, sizeof(*doms));
        for (size_t i = 0; doms && i < n; i++) {
                const TestDomain *dom = objs[i];

                doms[i] = vmm_domain_handle_new(conn, dom->obj.name, dom->obj.uuid, dom->id);
                if (!doms[i]) {
                        vmm_domain_list_free(doms, i);
                        doms = NULL;
                }
        }
        pthread_mutex_unlock(&state->lock);
        if (!doms)
                return vmm_error_oom(error);
        *ret_doms = doms;
        *ret_count = n;
        return (int)n;
}

/* --- definition --- */

static int domain_parse(const char *xml, unsigned int flags, VmmDomainDef **ret_def,
                        VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        unsigned int parse_flags = 0;
        int r;

        if (flags & VMM_DOMAIN_DEFINE_VALIDATE)
                parse_flags |= VMM_DOMAIN_DEF_VALIDATE;
        if (flags & VMM_DOMAIN_DEFINE_KEEP_UNKNOWN)
                parse_flags |= VMM_DOMAIN_DEF_KEEP_UNKNOWN;
        r = vmm_domain_def_parse(xml, (size_t)-1, parse_flags, &def, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "domain '%s': ", vmm_domain_def_get_name(def));
        *ret_def = TAKE_PTR(def);
        return 0;
}

int test_domain_define_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                           VmmDomain **ret_dom, VmmError *error)
{
        const unsigned int known = VMM_DOMAIN_DEFINE_VALIDATE | VMM_DOMAIN_DEFINE_KEEP_UNKNOWN;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        TestState *state = test_state_of(conn);
        TestDomain *same = NULL, *dom = NULL;
        VmmDomain *handle = NULL;
        int r;

        if (flags & ~known)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "define: unknown flags 0x%x", flags & ~known);
        r = domain_parse(xml, flags, &def, error);
        if (r < 0)
                return r;

        pthread_mutex_lock(&state->lock);
        r = domain_check_identity(state, def, &same, error);
        if (r < 0)
                goto out;
        dom = same ? same : domain_new(def);
        if (dom)
                handle = vmm_domain_handle_new(conn, dom->obj.name, dom->obj.uuid, dom->id);
        if (!dom || !handle) {
                r = vmm_error_oom(error);
                goto out;
        }
        if (!same) {
                r = test_index_add(&state->domains, &dom->obj);
                if (r < 0) {
                        r = vmm_error_oom(error);
                        goto out;
                }
        }
        /* Commit: a running domain keeps its live definition. */
        vmm_domain_def_free(dom->def);
        dom->def = TAKE_PTR(def);
        test_event_emit(state, dom, VMM_DOMAIN_EVENT_DEFINED,
                        same ? VMM_DOMAIN_EVENT_DEFINED_UPDATED : VMM_DOMAIN_EVENT_DEFINED_ADDED);
        dom = NULL;
        *ret_dom = TAKE_PTR(handle);
out:
        pthread_mutex_unlock(&state->lock);
        if (dom && dom != same)
                test_domain_free(dom);
        vmm_domain_unref(handle);
        return r;
}

int test_domain_create_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                           VmmDomain **ret_dom, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        TestState *state = test_state_of(conn);
        TestDomain *same = NULL, *dom = NULL;
        VmmDomain *handle = NULL;
        int r;

        if (flags & ~(unsigned int)VMM_DOMAIN_START_PAUSED)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "create: unknown flags 0x%x",
                                     flags & ~(unsigned int)VMM_DOMAIN_START_PAUSED);
        r = domain_parse(xml, 0, &def, error);
        if (r < 0)
                return r;

        pthread_mutex_lock(&state->lock);
        r = domain_check_identity(state, def, &same, error);
        if (r >= 0 && same && same->state != VMM_DOMAIN_SHUTOFF)
                r = vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                  "domain '%s' is already running", same->obj.name);
        if (r < 0)
                goto out;
        dom = same ? same : domain_new(def);
        if (dom)
                handle = vmm_domain_handle_new(conn, dom->obj.name, dom->obj.uuid, state->next_id);
        if (!dom || !handle) {
                r = vmm_error_oom(error);
                goto out;
        }
        if (!same && (r = test_index_add(&state->domains, &dom->obj)) < 0) {
                r = vmm_error_oom(error);
                goto out;
        }
        r = test_domain_run(state, dom, TAKE_PTR(def), flags & VMM_DOMAIN_START_PAUSED, error);
        if (r < 0) {
                if (!same)
                        test_index_remove(&state->domains, &dom->obj);
                goto out;
        }
        dom = NULL;
        *ret_dom = TAKE_PTR(handle);
out:
        pthread_mutex_unlock(&state->lock);
        if (dom && dom != same)
                test_domain_free(dom);
        vmm_domain_unref(handle);
        return r;
}

int test_domain_undefine(VmmDomain *handle, unsigned int flags, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        if (flags & ~(unsigned int)VMM_DOMAIN_UNDEFINE_MANAGED_SAVE)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "undefine: unknown flags 0x%x", flags);
        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        if (dom->managed_save_xml && !(flags & VMM_DOMAIN_UNDEFINE_MANAGED_SAVE))
                r = vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                  "undefine domain '%s': the domain has a managed save image "
                                  "(remove it with managedsave-remove, or undefine "
                                  "--managed-save)",
                                  dom->obj.name);
        else if (!dom->def)
                r = vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                  "domain '%s' is transient: it has no persistent "
                                  "definition to undefine",
                                  dom->obj.name);
        else if (dom->state != VMM_DOMAIN_SHUTOFF) {
                /* Stays running as a transient domain, gone when it stops. */
                dom->def = vmm_domain_def_free(dom->def);
                dom->autostart = false;
                test_event_emit(state, dom, VMM_DOMAIN_EVENT_UNDEFINED,
                                VMM_DOMAIN_EVENT_UNDEFINED_REMOVED);
        } else {
                test_event_emit(state, dom, VMM_DOMAIN_EVENT_UNDEFINED,
                                VMM_DOMAIN_EVENT_UNDEFINED_REMOVED);
                test_domain_forget(state, dom);
        }
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_get_xml(VmmDomain *handle, unsigned int flags, char **ret_xml, VmmError *error)
{
        const unsigned int known = VMM_DOMAIN_XML_INACTIVE | VMM_DOMAIN_XML_SECURE;
        const VmmDomainDef *def;
        unsigned int fmt_flags = VMM_DOMAIN_DEF_INACTIVE;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        if (flags & ~known)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "get XML: unknown flags 0x%x", flags & ~known);
        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        if ((flags & VMM_DOMAIN_XML_INACTIVE) && dom->def)
                def = dom->def;
        else if (dom->live) {
                def = dom->live;
                if (!(flags & VMM_DOMAIN_XML_INACTIVE))
                        fmt_flags = 0;
        } else
                def = dom->def;
        r = vmm_domain_def_format(def, fmt_flags, ret_xml, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_is_persistent(VmmDomain *handle, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = dom->def != NULL;
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_get_os_type(VmmDomain *handle, char **ret_os_type, VmmError *error)
{
        const char *os_type;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        char *s;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        os_type = vmm_domain_def_get_os_type(test_domain_current_def(dom));
        s = strdup(os_type ? os_type : "hvm");
        pthread_mutex_unlock(&state->lock);
        if (!s)
                return vmm_error_oom(error);
        *ret_os_type = s;
        return 0;
}

int test_domain_get_autostart(VmmDomain *handle, bool *ret_autostart, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        *ret_autostart = dom->autostart;
        pthread_mutex_unlock(&state->lock);
        return 0;
}

int test_domain_set_autostart(VmmDomain *handle, bool autostart, VmmError *error)
{
        TestState *state = NULL;
        TestDomain *dom = NULL;
        int r;

        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        if (!dom->def)
                r = vmm_error_set(error, -EINVAL, VMM_ERR_OPERATION_INVALID,
                                  "domain '%s' is transient: autostart needs a persistent "
                                  "domain",
                                  dom->obj.name);
        else
                dom->autostart = autostart;
        pthread_mutex_unlock(&state->lock);
        return r;
}
