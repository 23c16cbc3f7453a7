/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1 /* asprintf */
/*
 * test-load.c: a test driver state from a <node> document, in the shape of
 * libvirt's test driver files:
 *
 *   <node>
 *     <domain file='dom1.xml'/>              a file relative to this one
 *     <domain state='shutoff'> ... </domain> inline; state= running (default),
 *                                            paused or shutoff; autostart='yes'
 *     <network file='net.xml'/>              networks and pools start active
 *                                            unless active='no'; autostart='yes'
 *     <pool file='pool.xml'>
 *       <volume file='vol.xml'/>             volumes of that pool
 *     </pool>
 *     <cpu>...</cpu> <memory>...</memory>    host facts, accepted and ignored
 *   </node>
 *
 * Every error names the file (or "test:///default") and the line.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"
#include "util/error.h"
#include "util/fileutil.h"

/* One object element of the node document, resolved to the element that
 * holds its definition: itself, or the root of the file it names. */
typedef struct LoadItem {
        xmlDocPtr doc;   /* the referenced file's document, or NULL */
        xmlNodePtr root; /* the definition's element */
        char *where;     /* the file the definition is in (heap) */
} LoadItem;

static void load_item_done(LoadItem *item)
{
        xmlFreeDoc(item->doc);
        free(item->where);
        *item = (LoadItem){0};
}

/* Gives an error in a definition its place: the line of the node file,
 * and for a referenced file, that file too. Returns `r`. */
static int load_item_error(const LoadItem *item, xmlNodePtr node, const char *what, int r,
                           VmmError *error)
{
        if (!item->doc)
                return vmm_error_prefix(error, r, "%s: ", what);
        return vmm_error_prefix(error, r, "%s: line %ld: %s: ", what, xmlGetLineNo(node),
                                item->where);
}

static int load_resolve(xmlNodePtr node, const char *what, const char *base_dir, LoadItem *item,
                        VmmError *error)
{
        _cleanup_xmlfree_ xmlChar *file = xmlGetProp(node, (const xmlChar *)"file");
        _cleanup_free_ char *data = NULL;
        _cleanup_free_ char *path = NULL;
        size_t len;
        int r;

        *item = (LoadItem){.root = node};
        if (!file) {
                item->where = strdup(what);
                return item->where ? 0 : vmm_error_oom(error);
        }
        if (!base_dir)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: line %ld: <%s file='%s'>: file references are not "
                                     "allowed here",
                                     what, xmlGetLineNo(node), (const char *)node->name,
                                     (const char *)file);
        if (file[0] == '/')
                path = strdup((const char *)file);
        else if (asprintf(&path, "%s/%s", base_dir, (const char *)file) < 0)
                path = NULL;
        if (!path)
                return vmm_error_oom(error);
        r = vmm_file_read_all(path, VMM_XML_MAX_SIZE, &data, &len, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: line %ld: <%s file='%s'>: ", what,
                                        xmlGetLineNo(node), (const char *)node->name,
                                        (const char *)file);
        r = vmm_xml_parse(data, len, path, &item->doc, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: line %ld: ", what, xmlGetLineNo(node));
        r = vmm_xml_check_root(item->doc, (const char *)node->name, &item->root, error);
        if (r < 0) {
                load_item_done(item);
                return vmm_error_prefix(error, r, "%s: line %ld: %s: ", what, xmlGetLineNo(node),
                                        path);
        }
        item->where = TAKE_PTR(path);
        return 0;
}

/* Reads a yes/no hint attribute of a node-level element and removes it:
 * the hints are the node file's, not part of the object's format. */
static int load_yesno_hint(xmlNodePtr node, const char *name, const char *what, bool dflt,
                           bool *ret, VmmError *error)
{
        int value = dflt ? 1 : 0;
        int r = vmm_xml_prop_yesno(node, name, &value, error);

        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", what);
        xmlUnsetProp(node, (const xmlChar *)name);
        *ret = value == 1;
        return 0;
}

static int load_domain_state(xmlNodePtr node, const char *what, VmmDomainState *ret_state,
                             bool *ret_autostart, VmmError *error)
{
        static const char *const states[] = {"running", "paused", "shutoff"};
        static const VmmDomainState values[] = {VMM_DOMAIN_RUNNING, VMM_DOMAIN_PAUSED,
                                                VMM_DOMAIN_SHUTOFF};
        int idx = 0, r;

        r = vmm_xml_prop_enum(node, "state", states, 3, &idx, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", what);
        xmlUnsetProp(node, (const xmlChar *)"state");
        *ret_state = values[idx];
        return load_yesno_hint(node, "autostart", what, false, ret_autostart, error);
}

static int load_domain(TestState *state, xmlNodePtr node, const char *what, const char *base_dir,
                       VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        LoadItem item;
        VmmDomainState dom_state = VMM_DOMAIN_RUNNING;
        bool autostart = false;
        int r;

        r = load_domain_state(node, what, &dom_state, &autostart, error);
        if (r < 0)
                return r;
        r = load_resolve(node, what, base_dir, &item, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_parse_node(item.root, 0, &def, error);
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_domain_def_validate(def, error);
        if (r < 0) {
                r = load_item_error(&item, node, what, r, error);
                goto out;
        }
        /* A clash with another object is the node file's fault. */
        r = test_domain_add_loaded(state, TAKE_PTR(def), dom_state, autostart, error);
        if (r < 0)
                r = vmm_error_prefix(error, r, "%s: line %ld: ", what, xmlGetLineNo(node));
out:
        load_item_done(&item);
        return r;
}

static int load_network(TestState *state, xmlNodePtr node, const char *what, const char *base_dir,
                        VmmError *error)
{
        _cleanup_(vmm_network_def_freep) VmmNetworkDef *def = NULL;
        bool active = true, autostart = false;
        LoadItem item;
        int r;

        r = load_yesno_hint(node, "active", what, true, &active, error);
        if (r >= 0)
                r = load_yesno_hint(node, "autostart", what, false, &autostart, error);
        if (r >= 0)
                r = load_resolve(node, what, base_dir, &item, error);
        if (r < 0)
                return r;
        r = vmm_network_def_parse_node(item.root, 0, &def, error);
        if (r >= 0)
                r = vmm_network_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_network_def_validate(def, error);
        if (r < 0) {
                r = load_item_error(&item, node, what, r, error);
                goto out;
        }
        /* A clash with another object is the node file's fault. */
        r = test_network_add_loaded(state, TAKE_PTR(def), active, autostart, error);
        if (r < 0)
                r = vmm_error_prefix(error, r, "%s: line %ld: ", what, xmlGetLineNo(node));
out:
        load_item_done(&item);
        return r;
}

static int load_volume(TestPool *pool, const char *pool_type, xmlNodePtr node, const char *what,
                       const char *base_dir, VmmError *error)
{
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = NULL;
        LoadItem item;
        int r;

        r = load_resolve(node, what, base_dir, &item, error);
        if (r < 0)
                return r;
        r = vmm_storage_vol_def_parse_node(item.root, pool_type, 0, &def, error);
        if (r >= 0)
                r = vmm_storage_vol_def_validate(def, error);
        if (r >= 0)
                r = test_pool_add_volume(pool, TAKE_PTR(def), error);
        if (r < 0)
                r = load_item_error(&item, node, what, r, error);
        load_item_done(&item);
        return r;
}

/* The <volume> children of a node-level <pool>, detached so that the pool
 * parser does not see them (they are not part of the pool format). */
static xmlNodePtr detach_volumes(xmlNodePtr pool_node)
{
        xmlNodePtr list = NULL, *tail = &list;

        for (xmlNodePtr c = pool_node->children, next; c; c = next) {
                next = c->next;
                if (!vmm_xml_is(c, "volume"))
                        continue;
                xmlUnlinkNode(c);
                *tail = c;
                tail = &c->next;
        }
        return list;
}

static int load_pool(TestState *state, xmlNodePtr node, const char *what, const char *base_dir,
                     VmmError *error)
{
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = NULL;
        xmlNodePtr volumes = detach_volumes(node);
        TestPool *pool = NULL;
        bool active = true, autostart = false;
        LoadItem item;
        int r;

        r = load_yesno_hint(node, "active", what, true, &active, error);
        if (r >= 0)
                r = load_yesno_hint(node, "autostart", what, false, &autostart, error);
        if (r >= 0)
                r = load_resolve(node, what, base_dir, &item, error);
        if (r < 0)
                goto out;
        r = vmm_storage_pool_def_parse_node(item.root, 0, &def, error);
        if (r >= 0)
                r = vmm_storage_pool_def_fill_defaults(def, error);
        if (r >= 0)
                r = vmm_storage_pool_def_validate(def, error);
        if (r < 0)
                r = load_item_error(&item, node, what, r, error);
        load_item_done(&item);
        if (r < 0)
                goto out;
        r = test_pool_add_loaded(state, TAKE_PTR(def), active, autostart, &pool, error);
        if (r < 0)
                r = vmm_error_prefix(error, r, "%s: line %ld: ", what, xmlGetLineNo(node));
        for (xmlNodePtr v = volumes; r >= 0 && v; v = v->next)
                r = load_volume(pool, vmm_storage_pool_def_get_type(pool->def), v, what, base_dir,
                                error);
out:
        xmlFreeNodeList(volumes);
        return r;
}

int test_state_load_xml(TestState *state, const char *xml, size_t len, const char *what,
                        const char *base_dir, VmmError *error)
{
        static const char *const known[] = {"domain", "network", "pool", "cpu", "memory", NULL};
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, what, &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "node", &root, error);
        if (r >= 0)
                r = vmm_xml_check_node(root, known, NULL, 0, NULL, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", what);

        pthread_mutex_lock(&state->lock);
        for (xmlNodePtr c = root->children; r >= 0 && c; c = c->next) {
                if (vmm_xml_is(c, "domain"))
                        r = load_domain(state, c, what, base_dir, error);
                else if (vmm_xml_is(c, "network"))
                        r = load_network(state, c, what, base_dir, error);
                else if (vmm_xml_is(c, "pool"))
                        r = load_pool(state, c, what, base_dir, error);
        }
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_state_load_file(const char *path, TestState **ret_state, VmmError *error)
{
        _cleanup_free_ char *data = NULL;
        _cleanup_free_ char *dir_copy = NULL;
        TestState *state = NULL;
        size_t len;
        int r;

        r = vmm_file_read_all(path, VMM_XML_MAX_SIZE, &data, &len, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "test driver state file: ");
        dir_copy = strdup(path);
        if (!dir_copy)
                return vmm_error_oom(error);
        r = test_state_new(&state, error);
        if (r < 0)
                return r;
        r = test_state_load_xml(state, data, len, path, dirname(dir_copy), error);
        if (r < 0) {
                test_state_free(state);
                return r;
        }
        *ret_state = state;
        return 0;
}
