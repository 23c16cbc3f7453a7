/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-vol-target.c: a volume's <target> and <backingStore>. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-vol-priv.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

/* File formats first, then the partition types of a 'disk' pool. */
#define VOL_FIRST_DISK_FORMAT 17
static const char *const vol_format_table[] = {
    "raw",   "dir",   "bochs", "cloop",      "dmg",       "iso",        "vpc",      "vdi",  "fat",
    "vhd",   "ploop", "luks",  "cow",        "qcow",      "qcow2",      "qed",      "vmdk", "none",
    "linux", "fat16", "fat32", "linux-swap", "linux-lvm", "linux-raid", "extended",
};

const char *vmm_storage_vol_format_to_string(int format)
{
        return vmm_enum_to_string(vol_format_table, (int)ARRAY_SIZE(vol_format_table), format);
}

int vmm_storage_vol_format_from_string(const char *s)
{
        return vmm_enum_from_string(vol_format_table, (int)ARRAY_SIZE(vol_format_table), s);
}

bool vmm_storage_vol_format_is_file(int format)
{
        return format >= 0 && format < VOL_FIRST_DISK_FORMAT;
}

/* The slice of vol_format_table a pool type accepts; n = 0 for none. */
static const char *const *vol_formats_for_pool(int pool_type, int *ret_first, int *ret_n)
{
        int n = (int)ARRAY_SIZE(vol_format_table);

        *ret_first = 0;
        switch (pool_type) {
        case -1: /* pool unknown: any format */
                *ret_n = n;
                break;
        case VMM_STORAGE_POOL_DIR:
        case VMM_STORAGE_POOL_FS:
        case VMM_STORAGE_POOL_NETFS:
        case VMM_STORAGE_POOL_GLUSTER:
        case VMM_STORAGE_POOL_VSTORAGE:
        case VMM_STORAGE_POOL_RBD:
                *ret_n = VOL_FIRST_DISK_FORMAT;
                break;
        case VMM_STORAGE_POOL_DISK:
                *ret_first = VOL_FIRST_DISK_FORMAT;
                *ret_n = n - VOL_FIRST_DISK_FORMAT;
                break;
        default:
                *ret_n = 0;
                return NULL;
        }
        return vol_format_table + *ret_first;
}

static int vol_format_parse(xmlNodePtr node, int pool_type, VmmStorageVolTarget *target,
                            VmmError *error)
{
        static const char *const attrs[] = {"type", NULL};
        const char *const *table;
        char context[64] = "";
        int first, n, idx = -1;
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        table = vol_formats_for_pool(pool_type, &first, &n);
        if (!table)
                return vmm_xml_error(error, node, "a volume of a '%s' pool has no format",
                                     vmm_storage_pool_type_to_string(pool_type));
        if (pool_type >= 0)
                snprintf(context, sizeof(context), "for a volume of a '%s' pool",
                         vmm_storage_pool_type_to_string(pool_type));
        r = vmm_storage_parse_enum_attr(node, "type", table, n, pool_type >= 0 ? context : NULL,
                                        &idx, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'type' (e.g. \"qcow2\")");
        target->format = first + idx;
        return 0;
}

static int vol_compat_parse(xmlNodePtr node, VmmStorageVolTarget *target, VmmError *error)
{
        char *s = vmm_xml_get_text(node);
        size_t i = 0, major = 0, minor = 0;

        if (!s)
                return vmm_error_oom(error);
        target->compat = s;
        while (isdigit((unsigned char)s[i]))
                i++, major++;
        if (s[i] == '.')
                for (i++; isdigit((unsigned char)s[i]); i++)
                        minor++;
        if (!major || !minor || s[i])
                return vmm_xml_error(error, node,
                                     "\"%s\" is not a valid version (expected e.g. \"1.1\")", s);
        return 0;
}

static int vol_features_parse(xmlNodePtr node, VmmStorageVolTarget *target, VmmError *error)
{
        static const char *const children[] = {"lazy_refcounts", "extended_l2", NULL};
        int r;

        r = vmm_xml_check_node(node, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        target->has_features = true;
        target->lazy_refcounts = vmm_xml_child(node, "lazy_refcounts") != NULL;
        target->extended_l2 = vmm_xml_child(node, "extended_l2") != NULL;
        return 0;
}

/* The children only a <target> has (not a <backingStore>). */
static int vol_target_extra_parse(xmlNodePtr node, unsigned int flags, VmmStorageVolTarget *target,
                                  VmmError *error)
{
        xmlNodePtr c;
        int r;

        if ((c = vmm_xml_child(node, "encryption")) &&
            (r = vmm_storage_encryption_parse(c, flags, &target->encryption, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "compat")) && (r = vol_compat_parse(c, target, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "features")) && (r = vol_features_parse(c, target, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "clusterSize")) &&
            (r = vmm_storage_size_parse(c, &target->cluster_size, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "nocow"))) {
                r = vmm_xml_check_node(c, NULL, NULL, 0, NULL, error);
                if (r < 0)
                        return r;
                target->nocow = true;
        }
        return 0;
}

int vmm_storage_vol_target_parse(xmlNodePtr node, int pool_type, bool backing, unsigned int flags,
                                 VmmStorageVolTarget *target, VmmError *error)
{
        static const char *const target_children[] = {
            "path",   "format", "permissions", "timestamps",  "encryption",
            "compat", "nocow",  "features",    "clusterSize", NULL};
        static const char *const backing_children[] = {"path", "format", "permissions",
                                                       "timestamps", NULL};
        xmlNodePtr c;
        int r;

        target->format = -1;
        r = vmm_xml_check_node(node, backing ? backing_children : target_children, NULL, flags,
                               &target->unknown, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(node, backing ? backing_children : target_children, error);
        if (r < 0)
                return r;
        target->present = true;
        if ((c = vmm_xml_child(node, "path")) && !(target->path = vmm_xml_get_text(c)))
                return vmm_error_oom(error);
        if ((c = vmm_xml_child(node, "format")) &&
            (r = vol_format_parse(c, pool_type, target, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "permissions")) &&
            (r = vmm_storage_perms_parse(c, flags, &target->perms, error)) < 0)
                return r;
        if ((c = vmm_xml_child(node, "timestamps")) &&
            (r = vmm_storage_timestamps_parse(c, &target->timestamps, error)) < 0)
                return r;
        if (!backing)
                return vol_target_extra_parse(node, flags, target, error);
        return 0;
}

void vmm_storage_vol_target_format(const VmmStorageVolTarget *target, const char *name,
                                   xmlNodePtr parent)
{
        xmlNodePtr node, c;

        if (!target->present)
                return;
        node = vmm_xml_new_child(parent, name, NULL);
        if (target->path)
                vmm_xml_new_child(node, "path", target->path);
        if (target->format >= 0)
                vmm_xml_set_prop(vmm_xml_new_child(node, "format", NULL), "type",
                                 vmm_storage_vol_format_to_string(target->format));
        vmm_storage_perms_format(&target->perms, node);
        vmm_storage_timestamps_format(&target->timestamps, node);
        if (target->compat)
                vmm_xml_new_child(node, "compat", target->compat);
        vmm_storage_size_format(&target->cluster_size, "clusterSize", "B", node);
        if (target->nocow)
                vmm_xml_new_child(node, "nocow", NULL);
        if (target->has_features) {
                c = vmm_xml_new_child(node, "features", NULL);
                if (target->lazy_refcounts)
                        vmm_xml_new_child(c, "lazy_refcounts", NULL);
                if (target->extended_l2)
                        vmm_xml_new_child(c, "extended_l2", NULL);
        }
        vmm_storage_encryption_format(target->encryption, node);
        vmm_xml_unknown_format(&target->unknown, node);
}

void vmm_storage_vol_target_done(VmmStorageVolTarget *target)
{
        free(target->path);
        vmm_storage_perms_done(&target->perms);
        target->encryption = vmm_storage_encryption_free(target->encryption);
        free(target->compat);
        vmm_xml_unknown_done(&target->unknown);
        memset(target, 0, sizeof(*target));
        target->format = -1;
}

void vmm_storage_vol_target_diff(VmmBuf *diff, const char *what, const VmmStorageVolTarget *a,
                                 const VmmStorageVolTarget *b)
{
        char name[128];

        vmm_storage_diff_bool(diff, what, a->present, b->present);
        snprintf(name, sizeof(name), "%s path", what);
        vmm_storage_diff_str(diff, name, a->path, b->path);
        snprintf(name, sizeof(name), "%s format", what);
        vmm_storage_diff_str(diff, name, vmm_storage_vol_format_to_string(a->format),
                             vmm_storage_vol_format_to_string(b->format));
        snprintf(name, sizeof(name), "%s permissions", what);
        vmm_storage_diff_perms(diff, name, &a->perms, &b->perms);
        snprintf(name, sizeof(name), "%s timestamps", what);
        vmm_storage_diff_timestamps(diff, name, &a->timestamps, &b->timestamps);
        snprintf(name, sizeof(name), "%s encryption", what);
        vmm_storage_encryption_diff(diff, name, a->encryption, b->encryption);
        snprintf(name, sizeof(name), "%s compat", what);
        vmm_storage_diff_str(diff, name, a->compat, b->compat);
        snprintf(name, sizeof(name), "%s nocow", what);
        vmm_storage_diff_bool(diff, name, a->nocow, b->nocow);
        snprintf(name, sizeof(name), "%s features", what);
        vmm_storage_diff_bool(diff, name, a->has_features, b->has_features);
        snprintf(name, sizeof(name), "%s features lazy_refcounts", what);
        vmm_storage_diff_bool(diff, name, a->lazy_refcounts, b->lazy_refcounts);
        snprintf(name, sizeof(name), "%s features extended_l2", what);
        vmm_storage_diff_bool(diff, name, a->extended_l2, b->extended_l2);
        snprintf(name, sizeof(name), "%s clusterSize", what);
        vmm_storage_diff_size(diff, name, &a->cluster_size, &b->cluster_size);
        vmm_storage_diff_unknown(diff, what, &a->unknown, &b->unknown);
}
