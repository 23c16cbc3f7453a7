/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-pool.c: the <pool> document: parser, formatter, equality, accessors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-pool-priv.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const pool_type_table[_VMM_STORAGE_POOL_TYPE_MAX] = {
    [VMM_STORAGE_POOL_DIR] = "dir",
    [VMM_STORAGE_POOL_FS] = "fs",
    [VMM_STORAGE_POOL_NETFS] = "netfs",
    [VMM_STORAGE_POOL_LOGICAL] = "logical",
    [VMM_STORAGE_POOL_DISK] = "disk",
    [VMM_STORAGE_POOL_ISCSI] = "iscsi",
    [VMM_STORAGE_POOL_ISCSI_DIRECT] = "iscsi-direct",
    [VMM_STORAGE_POOL_SCSI] = "scsi",
    [VMM_STORAGE_POOL_MPATH] = "mpath",
    [VMM_STORAGE_POOL_RBD] = "rbd",
    [VMM_STORAGE_POOL_GLUSTER] = "gluster",
    [VMM_STORAGE_POOL_ZFS] = "zfs",
    [VMM_STORAGE_POOL_VSTORAGE] = "vstorage",
};
VMM_DEFINE_ENUM_TABLE(vmm_storage_pool_type, VmmStoragePoolType, pool_type_table,
                      _VMM_STORAGE_POOL_TYPE_MAX)

static const char *const pool_fs_formats[] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf",
    "gfs",  "gfs2", "vfat", "hfs+", "xfs", "ocfs2",   "vmfs",
};
static const char *const pool_netfs_formats[] = {"auto", "nfs", "glusterfs", "cifs"};
static const char *const pool_disk_formats[] = {
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
};
static const char *const pool_logical_formats[] = {"unknown", "lvm2"};

static const char *const pool_refresh_table[_VMM_STORAGE_POOL_REFRESH_MAX] = {
    [VMM_STORAGE_POOL_REFRESH_DEFAULT] = "default",
    [VMM_STORAGE_POOL_REFRESH_CAPACITY] = "capacity",
};

const char *const *vmm_storage_pool_format_table(VmmStoragePoolType type, int *ret_n)
{
        switch (type) {
        case VMM_STORAGE_POOL_FS:
                *ret_n = (int)ARRAY_SIZE(pool_fs_formats);
                return pool_fs_formats;
        case VMM_STORAGE_POOL_NETFS:
                *ret_n = (int)ARRAY_SIZE(pool_netfs_formats);
                return pool_netfs_formats;
        case VMM_STORAGE_POOL_DISK:
                *ret_n = (int)ARRAY_SIZE(pool_disk_formats);
                return pool_disk_formats;
        case VMM_STORAGE_POOL_LOGICAL:
                *ret_n = (int)ARRAY_SIZE(pool_logical_formats);
                return pool_logical_formats;
        default:
                *ret_n = 0;
                return NULL;
        }
}

/* --- parsing --- */

static bool pool_node_in_ns(xmlNodePtr node, const char *href, const char *name)
{
        return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
               xmlStrEqual(node->ns->href, (const xmlChar *)href) &&
               xmlStrEqual(node->name, (const xmlChar *)name);
}

/* Drops indentation (whitespace-only text between elements) from a kept
 * copy, as vmm_xml_check_node() does, so it compares equal once reformatted. */
static void pool_strip_blanks(xmlNodePtr node)
{
        bool has_element = false;
        xmlNodePtr c, next;

        for (c = node->children; c; c = c->next)
                has_element = has_element || c->type == XML_ELEMENT_NODE;
        for (c = node->children; c; c = next) {
                next = c->next;
                if (c->type == XML_ELEMENT_NODE)
                        pool_strip_blanks(c);
                else if (has_element && c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
                        xmlUnlinkNode(c);
                        xmlFreeNode(c);
                }
        }
}

/* Keeps a copy of an unknown child or attribute of <pool>. */
static int pool_keep_unknown(VmmXmlUnknown *u, xmlNodePtr node, xmlAttrPtr attr)
{
        if (node) {
                xmlNodePtr *nodes = realloc(u->nodes, (u->n_nodes + 1) * sizeof(*nodes));

                if (!nodes)
                        return -ENOMEM;
                u->nodes = nodes;
                if (!(nodes[u->n_nodes] = xmlCopyNode(node, 1)))
                        return -ENOMEM;
                pool_strip_blanks(nodes[u->n_nodes]);
                u->n_nodes++;
        } else {
                xmlAttrPtr *attrs = realloc(u->attrs, (u->n_attrs + 1) * sizeof(*attrs));
                xmlChar *value;

                if (!attrs)
                        return -ENOMEM;
                u->attrs = attrs;
                /* a copy outside any document owns its name (see xml-util.c) */
                value = xmlNodeGetContent((xmlNodePtr)attr);
                attrs[u->n_attrs] = xmlNewProp(NULL, attr->name, value);
                xmlFree(value);
                if (!attrs[u->n_attrs])
                        return -ENOMEM;
                u->n_attrs++;
        }
        return 0;
}

static const char *const pool_children[] = {"name",      "uuid",   "capacity", "allocation",
                                            "available", "source", "target",   "features",
                                            "refresh",   NULL};

static bool pool_known_child(xmlNodePtr c)
{
        for (size_t i = 0; !c->ns && pool_children[i]; i++)
                if (xmlStrEqual(c->name, (const xmlChar *)pool_children[i]))
                        return true;
        return pool_node_in_ns(c, VMM_STORAGE_POOL_FS_NS, "mount_opts") ||
               pool_node_in_ns(c, VMM_STORAGE_POOL_RBD_NS, "config_opts");
}

/* Like vmm_xml_check_node() for <pool>, which also has children in the fs
 * and rbd namespaces. */
static int pool_check_root(xmlNodePtr root, unsigned int flags, VmmStoragePoolDef *def,
                           VmmError *error)
{
        bool keeping = flags & VMM_XML_KEEP_UNKNOWN;

        for (xmlAttrPtr a = root->properties; a; a = a->next) {
                if (!a->ns && xmlStrEqual(a->name, (const xmlChar *)"type"))
                        continue;
                if (!keeping)
                        return vmm_xml_error(error, root, "unknown attribute '%s'",
                                             (const char *)a->name);
                if (pool_keep_unknown(&def->unknown, NULL, a) < 0)
                        return vmm_error_oom(error);
        }
        for (xmlNodePtr c = root->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE || pool_known_child(c))
                        continue;
                if (!keeping)
                        return vmm_error_set(
                            error, -EINVAL, VMM_ERR_XML,
                            "line %ld: <pool>: unknown element <%s%s%s>", xmlGetLineNo(c),
                            c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
                            c->ns && c->ns->prefix ? ":" : "", (const char *)c->name);
                if (pool_keep_unknown(&def->unknown, c, NULL) < 0)
                        return vmm_error_oom(error);
        }
        return vmm_storage_check_single(root, pool_children, error);
}

/* <fs:mount_opts><fs:option name=/></fs:mount_opts> and
 * <rbd:config_opts><rbd:option name= value=/></rbd:config_opts>. */
static int pool_options_parse(xmlNodePtr node, const char *href, bool with_value,
                              VmmStoragePoolOption **ret_opts, size_t *ret_n, VmmError *error)
{
        static const char *const name_only[] = {"name", NULL};
        static const char *const name_value[] = {"name", "value", NULL};

        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmStoragePoolOption *opts, *o;
                int r;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                if (!pool_node_in_ns(c, href, "option"))
                        return vmm_xml_error(error, node,
                                             "unknown element <%s> (expected <%s%soption>)",
                                             (const char *)c->name,
                                             node->ns->prefix ? (const char *)node->ns->prefix : "",
                                             node->ns->prefix ? ":" : "");
                r = vmm_xml_check_node(c, NULL, with_value ? name_value : name_only, 0, NULL,
                                       error);
                if (r < 0)
                        return r;
                opts = realloc(*ret_opts, (*ret_n + 1) * sizeof(*opts));
                if (!opts)
                        return vmm_error_oom(error);
                *ret_opts = opts;
                o = &opts[(*ret_n)++];
                memset(o, 0, sizeof(*o));
                r = vmm_storage_required_attr(c, "name", &o->name, error);
                if (r < 0)
                        return r;
                if (with_value) {
                        r = vmm_storage_required_attr(c, "value", &o->value, error);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* Collapses repeated slashes and drops a trailing one, as libvirt does for
 * a pool's target path: "///var//lib/" becomes "/var/lib". */
static void pool_clean_path(char *path)
{
        char *w = path;

        for (const char *r = path; *r; r++)
                if (!(*r == '/' && w > path && w[-1] == '/'))
                        *w++ = *r;
        if (w - path > 1 && w[-1] == '/')
                w--;
        *w = '\0';
}

static int pool_target_parse(xmlNodePtr node, unsigned int flags, VmmStoragePoolDef *def,
                             VmmError *error)
{
        static const char *const children[] = {"path", "permissions", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, NULL, flags, &def->target_unknown, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(node, children, error);
        if (r < 0)
                return r;
        def->has_target = true;
        if ((c = vmm_xml_child(node, "path"))) {
                def->target_path = vmm_xml_get_text(c);
                if (!def->target_path)
                        return vmm_error_oom(error);
                pool_clean_path(def->target_path);
        }
        if ((c = vmm_xml_child(node, "permissions")))
                return vmm_storage_perms_parse(c, flags, &def->target_perms, error);
        return 0;
}

static int pool_features_parse(xmlNodePtr node, VmmStoragePoolDef *def, VmmError *error)
{
        static const char *const children[] = {"cow", NULL};
        static const char *const cow_attrs[] = {"state", NULL};
        xmlNodePtr cow;
        int r;

        r = vmm_xml_check_node(node, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        def->has_features = true;
        cow = vmm_xml_child(node, "cow");
        if (!cow)
                return 0;
        r = vmm_xml_check_node(cow, NULL, cow_attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_yesno(cow, "state", &def->cow, error);
        if (r == 0)
                return vmm_xml_error(error, cow,
                                     "missing attribute 'state' (expected \"yes\" "
                                     "or \"no\")");
        return r < 0 ? r : 0;
}

static int pool_refresh_parse(xmlNodePtr node, VmmStoragePoolDef *def, VmmError *error)
{
        static const char *const children[] = {"volume", NULL};
        static const char *const vol_attrs[] = {"allocation", NULL};
        xmlNodePtr vol;
        int r;

        r = vmm_xml_check_node(node, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        def->has_refresh = true;
        vol = vmm_xml_child(node, "volume");
        if (!vol)
                return 0;
        r = vmm_xml_check_node(vol, NULL, vol_attrs, 0, NULL, error);
        if (r < 0)
                return r;
        def->has_refresh_volume = true;
        r = vmm_storage_parse_enum_attr(vol, "allocation", pool_refresh_table,
                                        _VMM_STORAGE_POOL_REFRESH_MAX, NULL,
                                        &def->refresh_allocation, error);
        return r < 0 ? r : 0;
}

static int pool_parse_uuid(xmlNodePtr node, VmmStoragePoolDef *def, VmmError *error)
{
        _cleanup_free_ char *text = vmm_xml_get_text(node);
        VmmError e = VMM_ERROR_INIT;
        int r;

        if (!text)
                return vmm_error_oom(error);
        r = vmm_uuid_parse(text, def->uuid, &e);
        if (r < 0) {
                r = vmm_xml_error(error, node, "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
                return r;
        }
        def->has_uuid = true;
        return 0;
}

static int pool_parse_namespaces(xmlNodePtr root, VmmStoragePoolDef *def, VmmError *error)
{
        const char *type = pool_type_table[def->type];
        int r;

        for (xmlNodePtr c = root->children; c; c = c->next) {
                if ((pool_node_in_ns(c, VMM_STORAGE_POOL_FS_NS, "mount_opts") &&
                     def->has_mount_opts) ||
                    (pool_node_in_ns(c, VMM_STORAGE_POOL_RBD_NS, "config_opts") &&
                     def->has_config_opts))
                        return vmm_xml_error(error, c, "given twice (expected at most one)");
                if (pool_node_in_ns(c, VMM_STORAGE_POOL_FS_NS, "mount_opts")) {
                        if (def->type != VMM_STORAGE_POOL_FS && def->type != VMM_STORAGE_POOL_NETFS)
                                return vmm_xml_error(error, c,
                                                     "mount options apply to 'fs' and 'netfs' "
                                                     "pools only, not to a '%s' pool",
                                                     type);
                        def->has_mount_opts = true;
                        r = pool_options_parse(c, VMM_STORAGE_POOL_FS_NS, false, &def->mount_opts,
                                               &def->n_mount_opts, error);
                } else if (pool_node_in_ns(c, VMM_STORAGE_POOL_RBD_NS, "config_opts")) {
                        if (def->type != VMM_STORAGE_POOL_RBD)
                                return vmm_xml_error(error, c,
                                                     "config options apply to 'rbd' pools "
                                                     "only, not to a '%s' pool",
                                                     type);
                        def->has_config_opts = true;
                        r = pool_options_parse(c, VMM_STORAGE_POOL_RBD_NS, true, &def->config_opts,
                                               &def->n_config_opts, error);
                } else
                        continue;
                if (r < 0)
                        return r;
        }
        return 0;
}

static int pool_parse_sizes(xmlNodePtr root, VmmStoragePoolDef *def, VmmError *error)
{
        static const char *const names[] = {"capacity", "allocation", "available"};
        VmmStorageSize *fields[] = {&def->capacity, &def->allocation, &def->available};
        int r;

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                xmlNodePtr c = vmm_xml_child(root, names[i]);

                if (!c)
                        continue;
                r = vmm_storage_size_parse(c, fields[i], error);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Types whose pool name may be left out: it then comes from <source><name>. */
static bool pool_name_optional(VmmStoragePoolType type)
{
        return type == VMM_STORAGE_POOL_LOGICAL || type == VMM_STORAGE_POOL_RBD ||
               type == VMM_STORAGE_POOL_GLUSTER || type == VMM_STORAGE_POOL_ZFS ||
               type == VMM_STORAGE_POOL_VSTORAGE;
}

static int pool_parse_body(xmlNodePtr root, unsigned int flags, VmmStoragePoolDef *def,
                           VmmError *error)
{
        xmlNodePtr c;
        int r;

        if ((c = vmm_xml_child(root, "name")) && !(def->name = vmm_xml_get_text(c)))
                return vmm_error_oom(error);
        if ((c = vmm_xml_child(root, "uuid")) && (r = pool_parse_uuid(c, def, error)) < 0)
                return r;
        if ((r = pool_parse_sizes(root, def, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "features")) && (r = pool_features_parse(c, def, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "source")) &&
            (r = vmm_storage_pool_source_parse(c, def->type, flags, &def->source, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "target")) &&
            (r = pool_target_parse(c, flags, def, error)) < 0)
                return r;
        if ((c = vmm_xml_child(root, "refresh")) && (r = pool_refresh_parse(c, def, error)) < 0)
                return r;
        if ((r = pool_parse_namespaces(root, def, error)) < 0)
                return r;
        if (!def->name && pool_name_optional(def->type) && def->source.name &&
            !(def->name = strdup(def->source.name)))
                return vmm_error_oom(error);
        if (!def->name)
                return vmm_xml_error(
                    error, root, "missing <name>%s",
                    pool_name_optional(def->type) ? " (or <source><name> to take it from)" : "");
        return 0;
}

static VmmStoragePoolDef *pool_def_new(void)
{
        VmmStoragePoolDef *def = calloc(1, sizeof(*def));

        if (!def)
                return NULL;
        def->cow = -1;
        def->refresh_allocation = -1;
        def->source.format = -1;
        return def;
}

int vmm_storage_pool_def_parse_node(xmlNodePtr root, unsigned int flags,
                                    VmmStoragePoolDef **ret_def, VmmError *error)
{
        _cleanup_(vmm_storage_pool_def_freep) VmmStoragePoolDef *def = NULL;
        int type = -1;
        int r;

        vmm_check_arg(root, error, "root");
        vmm_check_arg(ret_def, error, "ret_def");
        if (!vmm_xml_is(root, "pool"))
                return vmm_xml_error(error, root, "not a storage pool (expected <pool>)");
        def = pool_def_new();
        if (!def)
                return vmm_error_oom(error);
        r = vmm_storage_parse_enum_attr(root, "type", pool_type_table, _VMM_STORAGE_POOL_TYPE_MAX,
                                        NULL, &type, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, root,
                                     "missing attribute 'type' (expected e.g. "
                                     "\"dir\")");
        def->type = (VmmStoragePoolType)type;
        r = pool_check_root(root, flags, def, error);
        if (r < 0)
                return r;
        r = pool_parse_body(root, flags, def, error);
        if (r < 0)
                return r;
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_storage_pool_def_parse(const char *xml, size_t len, unsigned int flags,
                               VmmStoragePoolDef **ret_def, VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, "storage pool XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "pool", &root, error);
        if (r < 0)
                return r;
        if (flags & VMM_XML_VALIDATE) {
                r = vmm_xml_validate(doc, "storagepool", error);
                if (r < 0)
                        return r;
        }
        return vmm_storage_pool_def_parse_node(root, flags, ret_def, error);
}

/* --- formatting --- */

static void pool_options_format(xmlNodePtr root, const char *href, const char *prefix,
                                const char *name, const VmmStoragePoolOption *opts, size_t n)
{
        xmlNsPtr ns = xmlNewNs(root, (const xmlChar *)href, (const xmlChar *)prefix);
        xmlNodePtr node = xmlNewChild(root, ns, (const xmlChar *)name, NULL);

        for (size_t i = 0; node && i < n; i++) {
                xmlNodePtr o = xmlNewChild(node, ns, (const xmlChar *)"option", NULL);

                vmm_xml_set_prop(o, "name", opts[i].name);
                vmm_xml_set_prop(o, "value", opts[i].value);
        }
}

static void pool_format_body(const VmmStoragePoolDef *def, xmlNodePtr root)
{
        char uuid[VMM_UUID_STRLEN];
        xmlNodePtr c;

        vmm_xml_new_child(root, "name", def->name);
        if (def->has_uuid)
                vmm_xml_new_child(root, "uuid", vmm_uuid_format(def->uuid, uuid));
        vmm_storage_size_format(&def->capacity, "capacity", "bytes", root);
        vmm_storage_size_format(&def->allocation, "allocation", "bytes", root);
        vmm_storage_size_format(&def->available, "available", "bytes", root);
        if (def->has_features) {
                c = vmm_xml_new_child(root, "features", NULL);
                if (def->cow >= 0)
                        vmm_xml_set_prop(vmm_xml_new_child(c, "cow", NULL), "state",
                                         def->cow ? "yes" : "no");
        }
        vmm_storage_pool_source_format(&def->source, def->type, root);
        if (def->has_target) {
                c = vmm_xml_new_child(root, "target", NULL);
                if (def->target_path)
                        vmm_xml_new_child(c, "path", def->target_path);
                vmm_storage_perms_format(&def->target_perms, c);
                vmm_xml_unknown_format(&def->target_unknown, c);
        }
        if (def->has_refresh) {
                c = vmm_xml_new_child(root, "refresh", NULL);
                if (def->has_refresh_volume) {
                        c = vmm_xml_new_child(c, "volume", NULL);
                        if (def->refresh_allocation >= 0)
                                vmm_xml_set_prop(c, "allocation",
                                                 pool_refresh_table[def->refresh_allocation]);
                }
        }
}

int vmm_storage_pool_def_format(const VmmStoragePoolDef *def, unsigned int flags, char **ret_xml,
                                VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;

        vmm_check_arg(def, error, "def");
        vmm_check_arg(ret_xml, error, "ret_xml");
        doc = vmm_xml_new_doc("pool", &root);
        if (!doc)
                return vmm_error_oom(error);
        vmm_xml_set_prop(root, "type", pool_type_table[def->type]);
        pool_format_body(def, root);
        if (def->has_mount_opts)
                pool_options_format(root, VMM_STORAGE_POOL_FS_NS, "fs", "mount_opts",
                                    def->mount_opts, def->n_mount_opts);
        if (def->has_config_opts)
                pool_options_format(root, VMM_STORAGE_POOL_RBD_NS, "rbd", "config_opts",
                                    def->config_opts, def->n_config_opts);
        vmm_xml_unknown_format(&def->unknown, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}

/* --- lifetime, equality --- */

static void pool_options_free(VmmStoragePoolOption *opts, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(opts[i].name);
                free(opts[i].value);
        }
        free(opts);
}

VmmStoragePoolDef *vmm_storage_pool_def_free(VmmStoragePoolDef *def)
{
        if (!def)
                return NULL;
        free(def->name);
        vmm_storage_pool_source_done(&def->source);
        free(def->target_path);
        vmm_storage_perms_done(&def->target_perms);
        vmm_xml_unknown_done(&def->target_unknown);
        pool_options_free(def->mount_opts, def->n_mount_opts);
        pool_options_free(def->config_opts, def->n_config_opts);
        vmm_xml_unknown_done(&def->unknown);
        free(def);
        return NULL;
}

static void pool_options_diff(VmmBuf *diff, const char *what, const VmmStoragePoolOption *a,
                              size_t na, const VmmStoragePoolOption *b, size_t nb)
{
        vmm_storage_diff_int(diff, what, (int64_t)na, (int64_t)nb);
        for (size_t i = 0; i < na && i < nb; i++) {
                vmm_storage_diff_str(diff, what, a[i].name, b[i].name);
                vmm_storage_diff_str(diff, what, a[i].value, b[i].value);
        }
}

bool vmm_storage_pool_def_equal(const VmmStoragePoolDef *a, const VmmStoragePoolDef *b,
                                char **ret_diff)
{
        VmmBuf diff = VMM_BUF_INIT;

        vmm_storage_diff_str(&diff, "type", pool_type_table[a->type], pool_type_table[b->type]);
        vmm_storage_diff_str(&diff, "name", a->name, b->name);
        if (a->has_uuid != b->has_uuid || memcmp(a->uuid, b->uuid, VMM_UUID_LEN) != 0)
                vmm_buf_addf(&diff, "%suuid differs", diff.len ? "; " : "");
        vmm_storage_diff_size(&diff, "capacity", &a->capacity, &b->capacity);
        vmm_storage_diff_size(&diff, "allocation", &a->allocation, &b->allocation);
        vmm_storage_diff_size(&diff, "available", &a->available, &b->available);
        vmm_storage_diff_bool(&diff, "features", a->has_features, b->has_features);
        vmm_storage_diff_int(&diff, "features cow", a->cow, b->cow);
        vmm_storage_pool_source_diff(&diff, &a->source, &b->source);
        vmm_storage_diff_bool(&diff, "target", a->has_target, b->has_target);
        vmm_storage_diff_str(&diff, "target path", a->target_path, b->target_path);
        vmm_storage_diff_perms(&diff, "target permissions", &a->target_perms, &b->target_perms);
        vmm_storage_diff_unknown(&diff, "target", &a->target_unknown, &b->target_unknown);
        vmm_storage_diff_bool(&diff, "refresh", a->has_refresh, b->has_refresh);
        vmm_storage_diff_bool(&diff, "refresh volume", a->has_refresh_volume,
                              b->has_refresh_volume);
        vmm_storage_diff_int(&diff, "refresh volume allocation", a->refresh_allocation,
                             b->refresh_allocation);
        vmm_storage_diff_bool(&diff, "fs:mount_opts", a->has_mount_opts, b->has_mount_opts);
        pool_options_diff(&diff, "fs:mount_opts option", a->mount_opts, a->n_mount_opts,
                          b->mount_opts, b->n_mount_opts);
        vmm_storage_diff_bool(&diff, "rbd:config_opts", a->has_config_opts, b->has_config_opts);
        pool_options_diff(&diff, "rbd:config_opts option", a->config_opts, a->n_config_opts,
                          b->config_opts, b->n_config_opts);
        vmm_storage_diff_unknown(&diff, "pool", &a->unknown, &b->unknown);
        return vmm_storage_diff_finish(&diff, ret_diff);
}

/* --- accessors --- */

const char *vmm_storage_pool_def_get_name(const VmmStoragePoolDef *def)
{
        return def->name;
}

void vmm_storage_pool_def_get_uuid(const VmmStoragePoolDef *def, uint8_t ret_uuid[VMM_UUID_LEN])
{
        memcpy(ret_uuid, def->uuid, VMM_UUID_LEN);
}

const char *vmm_storage_pool_def_get_type(const VmmStoragePoolDef *def)
{
        return pool_type_table[def->type];
}

const char *vmm_storage_pool_def_get_target_path(const VmmStoragePoolDef *def)
{
        return def->target_path;
}

uint64_t vmm_storage_pool_def_get_capacity(const VmmStoragePoolDef *def)
{
        return def->capacity.bytes;
}

uint64_t vmm_storage_pool_def_get_allocation(const VmmStoragePoolDef *def)
{
        return def->allocation.bytes;
}

uint64_t vmm_storage_pool_def_get_available(const VmmStoragePoolDef *def)
{
        return def->available.bytes;
}

const char *vmm_storage_pool_def_get_source_name(const VmmStoragePoolDef *def)
{
        return def->source.name;
}

const char *vmm_storage_pool_def_get_source_format(const VmmStoragePoolDef *def)
{
        const char *const *table;
        int n;

        table = vmm_storage_pool_format_table(def->type, &n);
        if (!table || def->source.format < 0 || def->source.format >= n)
                return NULL;
        return table[def->source.format];
}

size_t vmm_storage_pool_def_get_n_source_hosts(const VmmStoragePoolDef *def)
{
        return def->source.n_hosts;
}

const char *vmm_storage_pool_def_get_source_host(const VmmStoragePoolDef *def, size_t i,
                                                 unsigned int *ret_port)
{
        if (i >= def->source.n_hosts)
                return NULL;
        if (ret_port)
                *ret_port = def->source.hosts[i].has_port ? def->source.hosts[i].port : 0;
        return def->source.hosts[i].name;
}

size_t vmm_storage_pool_def_get_n_source_devices(const VmmStoragePoolDef *def)
{
        return def->source.n_devices;
}

const char *vmm_storage_pool_def_get_source_device(const VmmStoragePoolDef *def, size_t i)
{
        return i < def->source.n_devices ? def->source.devices[i].path : NULL;
}

const char *vmm_storage_pool_def_get_source_dir(const VmmStoragePoolDef *def)
{
        return def->source.dir;
}

void vmm_storage_pool_def_set_sizes(VmmStoragePoolDef *def, uint64_t capacity, uint64_t allocation,
                                    uint64_t available)
{
        def->capacity = (VmmStorageSize){true, capacity};
        def->allocation = (VmmStorageSize){true, allocation};
        def->available = (VmmStorageSize){true, available};
}
