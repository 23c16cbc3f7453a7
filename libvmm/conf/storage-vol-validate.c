/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-vol-validate.c: semantic checks of a parsed volume. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-vol-priv.h"
#include "util/cleanup.h"
#include "util/error.h"

static int vol_invalid(VmmError *error, const VmmStorageVolDef *def, const char *fmt, ...)
    _printf_(3, 4);

static int vol_invalid(VmmError *error, const VmmStorageVolDef *def, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return vmm_error_oom(error);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "volume '%s': %s", strna(def->name), msg);
}

static int vol_validate_source(const VmmStorageVolDef *def, VmmError *error)
{
        for (size_t i = 0; i < def->n_devices; i++) {
                const VmmStorageVolDevice *d = &def->devices[i];

                for (size_t j = 0; j < d->n_extents; j++)
                        if (d->extents[j].end < d->extents[j].start)
                                return vol_invalid(error, def,
                                                   "<device path='%s'>: extent ends (%" PRIu64
                                                   ") before it starts (%" PRIu64 ")",
                                                   d->path, d->extents[j].end, d->extents[j].start);
        }
        return 0;
}

/* compat, clusterSize and features describe a qcow2 image. */
static int vol_validate_qcow2(const VmmStorageVolDef *def, VmmError *error)
{
        const VmmStorageVolTarget *t = &def->target;
        const char *fmt = vmm_storage_vol_format_to_string(t->format);
        const char *what = t->compat                 ? "<compat>"
                           : t->cluster_size.present ? "<clusterSize>"
                           : t->has_features         ? "<features>"
                                                     : NULL;

        if (!what)
                return 0;
        if (fmt && strcmp(fmt, "qcow2") != 0)
                return vol_invalid(error, def,
                                   "%s applies to qcow2 volumes only, not to "
                                   "format '%s'",
                                   what, fmt);
        if (t->lazy_refcounts && t->compat && strcmp(t->compat, "0.10") == 0)
                return vol_invalid(error, def,
                                   "<lazy_refcounts/> needs <compat>1.1</compat> "
                                   "or later, not \"%s\"",
                                   t->compat);
        if (t->cluster_size.present &&
            (t->cluster_size.bytes < 512 || t->cluster_size.bytes > 2 * 1024 * 1024 ||
             (t->cluster_size.bytes & (t->cluster_size.bytes - 1))))
                return vol_invalid(error, def,
                                   "<clusterSize> of %" PRIu64 " bytes is not valid (expected "
                                   "a power of two from 512 bytes to 2 MiB, e.g. 64 KiB)",
                                   t->cluster_size.bytes);
        return 0;
}

/* Volumes of these pools are block devices carved at their full size. */
static bool vol_pool_is_block(int pool_type)
{
        return pool_type == VMM_STORAGE_POOL_LOGICAL || pool_type == VMM_STORAGE_POOL_DISK ||
               pool_type == VMM_STORAGE_POOL_ZFS;
}

int vmm_storage_vol_def_validate(const VmmStorageVolDef *def, VmmError *error)
{
        int r;

        vmm_check_arg(def, error, "def");
        if (!def->name || !*def->name)
                return vol_invalid(error, def, "the name is empty");
        if (strchr(def->name, '/'))
                return vol_invalid(error, def, "the name must not contain '/'");
        r = vol_validate_source(def, error);
        if (r < 0)
                return r;
        if (def->target.path && def->target.path[0] != '/' &&
            def->type != VMM_STORAGE_VOL_NETWORK && def->type != VMM_STORAGE_VOL_NETDIR &&
            def->pool_type != VMM_STORAGE_POOL_RBD && def->pool_type != VMM_STORAGE_POOL_GLUSTER)
                return vol_invalid(error, def, "<target><path> \"%s\" is not an absolute path",
                                   def->target.path);
        if (def->backing.present && (!def->backing.path || !*def->backing.path))
                return vol_invalid(error, def, "<backingStore> has no <path>");
        if (vol_pool_is_block(def->pool_type) && def->capacity.present && def->allocation.present &&
            def->allocation.bytes > def->capacity.bytes)
                return vol_invalid(error, def,
                                   "<allocation> (%" PRIu64 " bytes) is larger than "
                                   "<capacity> (%" PRIu64 " bytes), which a volume of a "
                                   "'%s' pool cannot be",
                                   def->allocation.bytes, def->capacity.bytes,
                                   vmm_storage_pool_type_to_string(def->pool_type));
        r = vol_validate_qcow2(def, error);
        if (r < 0)
                return r;
        if (def->target.encryption) {
                r = vmm_storage_encryption_validate(def->target.encryption, error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "volume '%s': ", strna(def->name));
        }
        return 0;
}
