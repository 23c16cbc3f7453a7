/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-vol.c: the <volume> document: parser, formatter, equality, accessors. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-vol-priv.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const vol_type_table[_VMM_STORAGE_VOL_TYPE_MAX] = {
    [VMM_STORAGE_VOL_FILE] = "file",     [VMM_STORAGE_VOL_BLOCK] = "block",
    [VMM_STORAGE_VOL_DIR] = "dir",       [VMM_STORAGE_VOL_NETWORK] = "network",
    [VMM_STORAGE_VOL_NETDIR] = "netdir", [VMM_STORAGE_VOL_PLOOP] = "ploop",
};

/* --- parsing --- */

static int vol_device_parse(xmlNodePtr node, VmmStorageVolDef *def, VmmError *error)
{
        static const char *const attrs[] = {"path", NULL};
        static const char *const children[] = {"extent", NULL};
        VmmStorageVolDevice *devs, *dev;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        devs = realloc(def->devices, (def->n_devices + 1) * sizeof(*devs));
        if (!devs)
                return vmm_error_oom(error);
        def->devices = devs;
        dev = &devs[def->n_devices++];
        memset(dev, 0, sizeof(*dev));
        r = vmm_storage_required_attr(node, "path", &dev->path, error);
        if (r < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmStorageExtent *ext;

                if (!vmm_xml_is(c, "extent"))
                        continue;
                ext = realloc(dev->extents, (dev->n_extents + 1) * sizeof(*ext));
                if (!ext)
                        return vmm_error_oom(error);
                dev->extents = ext;
                r = vmm_storage_extent_parse(c, &ext[dev->n_extents++], error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int vol_source_parse(xmlNodePtr node, VmmStorageVolDef *def, VmmError *error)
{
        static const char *const children[] = {"device", NULL};
        int r;

        r = vmm_xml_check_node(node, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        def->has_source = true;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                if (!vmm_xml_is(c, "device"))
                        continue;
                r = vol_device_parse(c, def, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int vol_parse_body(xmlNodePtr root, unsigned int flags, VmmStorageVolDef *def,
                          VmmError *error)
{
        static const char *const size_names[] = {"capacity", "allocation", "physical"};
        VmmStorageSize *sizes[] = {&def->capacity, &def->allocation, &def->physical};
        xmlNodePtr c;
        int r;

        c = vmm_xml_child(root, "name");
        if (!c)
                return vmm_xml_error(error, root, "missing <name>");
        if (!(def->name = vmm_xml_get_text(c)))
                return vmm_error_oom(error);
        if ((c = vmm_xml_child(root, "key")) && !(def->key = vmm_xml_get_text(c)))
                return vmm_error_oom(error);
        if ((c = vmm_xml_child(root, "source")) && (r = vol_source_parse(c, def, error)) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_SIZE(size_names); i++) {
                if ((c = vmm_xml_child(root, size_names[i])) &&
                    (r = vmm_storage_size_parse(c, sizes[i], error)) < 0)
                        return r;
        }
        if ((c = vmm_xml_child(root, "target")) &&
            (r = vmm_storage_vol_target_parse(c, def->pool_type, false, flags, &def->target,
                                              error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "backingStore")) &&
            (r = vmm_storage_vol_target_parse(c, def->pool_type, true, flags, &def->backing,
                                              error)) < 0)
                return r;
        return 0;
}

static VmmStorageVolDef *vol_def_new(int pool_type)
{
        VmmStorageVolDef *def = calloc(1, sizeof(*def));

        if (!def)
                return NULL;
        def->pool_type = pool_type;
        def->type = -1;
        def->target.format = -1;
        def->backing.format = -1;
        return def;
}

int vmm_storage_vol_def_parse_node(xmlNodePtr root, const char *pool_type, unsigned int flags,
                                   VmmStorageVolDef **ret_def, VmmError *error)
{
        static const char *const children[] = {"name",     "key",          "source",
                                               "capacity", "allocation",   "physical",
                                               "target",   "backingStore", NULL};
        static const char *const attrs[] = {"type", NULL};
        _cleanup_(vmm_storage_vol_def_freep) VmmStorageVolDef *def = NULL;
        int ptype = -1;
        int r;

        vmm_check_arg(root, error, "root");
        vmm_check_arg(ret_def, error, "ret_def");
        if (pool_type) {
                ptype = vmm_storage_pool_type_from_string(pool_type);
                if (ptype < 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "volume: pool type \"%s\" is unknown (expected "
                                             "e.g. \"dir\", \"logical\", \"disk\")",
                                             pool_type);
        }
        if (!vmm_xml_is(root, "volume"))
                return vmm_xml_error(error, root, "not a storage volume (expected <volume>)");
        def = vol_def_new(ptype);
        if (!def)
                return vmm_error_oom(error);
        r = vmm_xml_check_node(root, children, attrs, flags, &def->unknown, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(root, children, error);
        if (r < 0)
                return r;
        r = vmm_storage_parse_enum_attr(root, "type", vol_type_table, _VMM_STORAGE_VOL_TYPE_MAX,
                                        NULL, &def->type, error);
        if (r < 0)
                return r;
        r = vol_parse_body(root, flags, def, error);
        if (r < 0)
                return r;
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_storage_vol_def_parse(const char *xml, size_t len, const char *pool_type,
                              unsigned int flags, VmmStorageVolDef **ret_def, VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, "storage volume XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "volume", &root, error);
        if (r < 0)
                return r;
        if (flags & VMM_XML_VALIDATE) {
                r = vmm_xml_validate(doc, "storagevol", error);
                if (r < 0)
                        return r;
        }
        return vmm_storage_vol_def_parse_node(root, pool_type, flags, ret_def, error);
}

/* --- formatting --- */

static void vol_source_format(const VmmStorageVolDef *def, xmlNodePtr root)
{
        xmlNodePtr node = vmm_xml_new_child(root, "source", NULL);

        for (size_t i = 0; i < def->n_devices; i++) {
                const VmmStorageVolDevice *d = &def->devices[i];
                xmlNodePtr dev = vmm_xml_new_child(node, "device", NULL);

                vmm_xml_set_prop(dev, "path", d->path);
                for (size_t j = 0; j < d->n_extents; j++) {
                        xmlNodePtr e = vmm_xml_new_child(dev, "extent", NULL);

                        vmm_xml_set_propf(e, "start", "%" PRIu64, d->extents[j].start);
                        vmm_xml_set_propf(e, "end", "%" PRIu64, d->extents[j].end);
                }
        }
}

int vmm_storage_vol_def_format(const VmmStorageVolDef *def, unsigned int flags, char **ret_xml,
                               VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;

        vmm_check_arg(def, error, "def");
        vmm_check_arg(ret_xml, error, "ret_xml");
        doc = vmm_xml_new_doc("volume", &root);
        if (!doc)
                return vmm_error_oom(error);
        if (def->type >= 0)
                vmm_xml_set_prop(root, "type", vol_type_table[def->type]);
        vmm_xml_new_child(root, "name", def->name);
        if (def->key)
                vmm_xml_new_child(root, "key", def->key);
        if (def->has_source)
                vol_source_format(def, root);
        vmm_storage_size_format(&def->capacity, "capacity", "bytes", root);
        vmm_storage_size_format(&def->allocation, "allocation", "bytes", root);
        vmm_storage_size_format(&def->physical, "physical", "bytes", root);
        vmm_storage_vol_target_format(&def->target, "target", root);
        vmm_storage_vol_target_format(&def->backing, "backingStore", root);
        vmm_xml_unknown_format(&def->unknown, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}

/* --- lifetime, equality --- */

VmmStorageVolDef *vmm_storage_vol_def_free(VmmStorageVolDef *def)
{
        if (!def)
                return NULL;
        free(def->name);
        free(def->key);
        for (size_t i = 0; i < def->n_devices; i++) {
                free(def->devices[i].path);
                free(def->devices[i].extents);
        }
        free(def->devices);
        vmm_storage_vol_target_done(&def->target);
        vmm_storage_vol_target_done(&def->backing);
        vmm_xml_unknown_done(&def->unknown);
        free(def);
        return NULL;
}

static void vol_source_diff(VmmBuf *diff, const VmmStorageVolDef *a, const VmmStorageVolDef *b)
{
        vmm_storage_diff_bool(diff, "source", a->has_source, b->has_source);
        vmm_storage_diff_int(diff, "source devices", (int64_t)a->n_devices, (int64_t)b->n_devices);
        for (size_t i = 0; i < a->n_devices && i < b->n_devices; i++) {
                const VmmStorageVolDevice *x = &a->devices[i], *y = &b->devices[i];

                vmm_storage_diff_str(diff, "source device path", x->path, y->path);
                vmm_storage_diff_int(diff, "source device extents", (int64_t)x->n_extents,
                                     (int64_t)y->n_extents);
                for (size_t j = 0; j < x->n_extents && j < y->n_extents; j++) {
                        vmm_storage_diff_int(diff, "source device extent start",
                                             (int64_t)x->extents[j].start,
                                             (int64_t)y->extents[j].start);
                        vmm_storage_diff_int(diff, "source device extent end",
                                             (int64_t)x->extents[j].end,
                                             (int64_t)y->extents[j].end);
                }
        }
}

bool vmm_storage_vol_def_equal(const VmmStorageVolDef *a, const VmmStorageVolDef *b,
                               char **ret_diff)
{
        VmmBuf diff = VMM_BUF_INIT;

        vmm_storage_diff_int(&diff, "pool type", a->pool_type, b->pool_type);
        vmm_storage_diff_int(&diff, "type", a->type, b->type);
        vmm_storage_diff_str(&diff, "name", a->name, b->name);
        vmm_storage_diff_str(&diff, "key", a->key, b->key);
        vol_source_diff(&diff, a, b);
        vmm_storage_diff_size(&diff, "capacity", &a->capacity, &b->capacity);
        vmm_storage_diff_size(&diff, "allocation", &a->allocation, &b->allocation);
        vmm_storage_diff_size(&diff, "physical", &a->physical, &b->physical);
        vmm_storage_vol_target_diff(&diff, "target", &a->target, &b->target);
        vmm_storage_vol_target_diff(&diff, "backingStore", &a->backing, &b->backing);
        vmm_storage_diff_unknown(&diff, "volume", &a->unknown, &b->unknown);
        return vmm_storage_diff_finish(&diff, ret_diff);
}

/* --- accessors --- */

const char *vmm_storage_vol_def_get_name(const VmmStorageVolDef *def)
{
        return def->name;
}

const char *vmm_storage_vol_def_get_key(const VmmStorageVolDef *def)
{
        return def->key;
}

const char *vmm_storage_vol_def_get_path(const VmmStorageVolDef *def)
{
        return def->target.path;
}

int vmm_storage_vol_def_set_path(VmmStorageVolDef *def, const char *path)
{
        char *copy = NULL;

        if (path && !(copy = strdup(path)))
                return -ENOMEM;
        free(def->target.path);
        def->target.path = copy;
        def->target.present = def->target.present || copy;
        return 0;
}

int vmm_storage_vol_def_set_key(VmmStorageVolDef *def, const char *key)
{
        char *copy = NULL;

        if (key && !(copy = strdup(key)))
                return -ENOMEM;
        free(def->key);
        def->key = copy;
        return 0;
}

uint64_t vmm_storage_vol_def_get_capacity(const VmmStorageVolDef *def)
{
        return def->capacity.bytes;
}

uint64_t vmm_storage_vol_def_get_allocation(const VmmStorageVolDef *def)
{
        return def->allocation.bytes;
}

void vmm_storage_vol_def_set_sizes(VmmStorageVolDef *def, uint64_t capacity, uint64_t allocation)
{
        def->capacity = (VmmStorageSize){true, capacity};
        def->allocation = (VmmStorageSize){true, allocation};
}

const char *vmm_storage_vol_def_get_type(const VmmStorageVolDef *def)
{
        return def->type >= 0 ? vol_type_table[def->type] : "file";
}

const char *vmm_storage_vol_def_get_pool_type(const VmmStorageVolDef *def)
{
        return def->pool_type >= 0 ? vmm_storage_pool_type_to_string(def->pool_type) : NULL;
}

const char *vmm_storage_vol_def_get_format(const VmmStorageVolDef *def)
{
        return vmm_storage_vol_format_to_string(def->target.format);
}

const char *vmm_storage_vol_def_get_backing_path(const VmmStorageVolDef *def)
{
        return def->backing.path;
}

const char *vmm_storage_vol_def_get_backing_format(const VmmStorageVolDef *def)
{
        return vmm_storage_vol_format_to_string(def->backing.format);
}

bool vmm_storage_vol_def_is_encrypted(const VmmStorageVolDef *def)
{
        return def->target.encryption != NULL;
}
