/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-pool-validate.c: semantic checks of a parsed pool, and defaults. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-pool-priv.h"
#include "util/cleanup.h"
#include "util/error.h"

/* What each pool type needs in its <source> and <target>. */
enum {
        NEED_HOST = 1 << 0,
        NEED_DEVICE = 1 << 1,
        NEED_DIR = 1 << 2,
        NEED_ADAPTER = 1 << 3,
        NEED_NAME = 1 << 4,
        NEED_INITIATOR = 1 << 5,
        NEED_TARGET_PATH = 1 << 6,
        ONE_DEVICE = 1 << 7, /* at most one <device> */
        AUTH_CHAP = 1 << 8,  /* <auth type='chap'> allowed */
        AUTH_CEPH = 1 << 9,
};

static unsigned int pool_needs(VmmStoragePoolType type)
{
        switch (type) {
        case VMM_STORAGE_POOL_DIR:
        case VMM_STORAGE_POOL_MPATH:
                return NEED_TARGET_PATH;
        case VMM_STORAGE_POOL_FS:
        case VMM_STORAGE_POOL_DISK:
                return NEED_DEVICE | ONE_DEVICE | NEED_TARGET_PATH;
        case VMM_STORAGE_POOL_NETFS:
                return NEED_HOST | NEED_DIR | NEED_TARGET_PATH;
        case VMM_STORAGE_POOL_LOGICAL:
                return 0; /* name from the pool's, target from the name */
        case VMM_STORAGE_POOL_ISCSI:
                return NEED_HOST | NEED_DEVICE | ONE_DEVICE | NEED_TARGET_PATH | AUTH_CHAP;
        case VMM_STORAGE_POOL_ISCSI_DIRECT:
                return NEED_HOST | NEED_DEVICE | ONE_DEVICE | NEED_INITIATOR | AUTH_CHAP;
        case VMM_STORAGE_POOL_SCSI:
                return NEED_ADAPTER | NEED_TARGET_PATH;
        case VMM_STORAGE_POOL_RBD:
                return NEED_HOST | NEED_NAME | AUTH_CEPH;
        case VMM_STORAGE_POOL_GLUSTER:
                return NEED_HOST | NEED_NAME;
        case VMM_STORAGE_POOL_ZFS:
                return NEED_NAME | ONE_DEVICE;
        case VMM_STORAGE_POOL_VSTORAGE:
                return NEED_NAME | NEED_TARGET_PATH;
        default:
                return 0;
        }
}

static int pool_invalid(VmmError *error, const VmmStoragePoolDef *def, const char *fmt, ...)
    _printf_(3, 4);

static int pool_invalid(VmmError *error, const VmmStoragePoolDef *def, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return vmm_error_oom(error);
        return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "pool '%s' (type '%s'): %s",
                             strna(def->name), vmm_storage_pool_type_to_string(def->type), msg);
}

/* A WWN: 16 hex digits, as in "20000000c9831b4b". */
static bool pool_is_wwn(const char *s)
{
        size_t i;

        if (s && (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0))
                s += 2;
        for (i = 0; s && s[i]; i++)
                if (!isxdigit((unsigned char)s[i]))
                        return false;
        return i == 16;
}

static int pool_validate_adapter(const VmmStoragePoolDef *def, VmmError *error)
{
        const VmmStoragePoolAdapter *a = &def->source.adapter;
        const char *wwns[] = {a->wwnn, a->wwpn, a->parent_wwnn, a->parent_wwpn,
                              a->parent_fabric_wwn};
        const char *names[] = {"wwnn", "wwpn", "parent_wwnn", "parent_wwpn", "parent_fabric_wwn"};

        if (a->type == VMM_STORAGE_POOL_ADAPTER_FC_HOST) {
                if (!a->wwnn || !a->wwpn)
                        return pool_invalid(error, def,
                                            "<adapter type='fc_host'> needs both "
                                            "'wwnn' and 'wwpn'");
                for (size_t i = 0; i < ARRAY_SIZE(wwns); i++)
                        if (wwns[i] && !pool_is_wwn(wwns[i]))
                                return pool_invalid(error, def,
                                                    "<adapter %s='%s'>: not a WWN (expected "
                                                    "16 hex digits, e.g. \"20000000c9831b4b\")",
                                                    names[i], wwns[i]);
                if (a->name || a->has_parentaddr)
                        return pool_invalid(error, def,
                                            "<adapter type='fc_host'> takes no "
                                            "'name' or <parentaddr> (those are for "
                                            "type='scsi_host')");
                return 0;
        }
        if (a->wwnn || a->wwpn || a->parent || a->parent_wwnn || a->parent_wwpn ||
            a->parent_fabric_wwn || a->managed >= 0)
                return pool_invalid(error, def,
                                    "<adapter>: 'wwnn', 'wwpn', 'parent*' and "
                                    "'managed' apply to type='fc_host' only");
        if (!a->name && !a->has_parentaddr)
                return pool_invalid(error, def,
                                    "<adapter> needs 'name' (e.g. \"host0\") or "
                                    "<parentaddr>");
        if (a->name && a->has_parentaddr)
                return pool_invalid(error, def,
                                    "<adapter> has both 'name' and <parentaddr> "
                                    "(expected one of them)");
        return 0;
}

static int pool_validate_source(const VmmStoragePoolDef *def, VmmError *error)
{
        const VmmStoragePoolSource *s = &def->source;
        unsigned int needs = pool_needs(def->type);

        if ((needs & NEED_HOST) && s->n_hosts == 0)
                return pool_invalid(error, def, "missing <source><host name='...'/>");
        if ((needs & NEED_DEVICE) && s->n_devices == 0)
                return pool_invalid(error, def, "missing <source><device path='...'/>");
        if ((needs & ONE_DEVICE) && s->n_devices > 1)
                return pool_invalid(error, def,
                                    "%zu <source><device> elements given "
                                    "(expected one)",
                                    s->n_devices);
        if ((needs & NEED_DIR) && !s->dir)
                return pool_invalid(error, def, "missing <source><dir path='...'/>");
        if ((needs & NEED_ADAPTER) && !s->adapter.present)
                return pool_invalid(error, def, "missing <source><adapter .../>");
        if ((needs & NEED_NAME) && (!s->name || !*s->name))
                return pool_invalid(error, def, "missing <source><name>");
        if ((needs & NEED_INITIATOR) && !s->initiator_iqn)
                return pool_invalid(error, def, "missing <source><initiator><iqn name='...'/>");
        if (s->auth.present) {
                bool chap = s->auth.type == VMM_STORAGE_POOL_AUTH_CHAP;

                if ((chap && !(needs & AUTH_CHAP)) || (!chap && !(needs & AUTH_CEPH)))
                        return pool_invalid(error, def,
                                            "<auth type='%s'> does not apply to "
                                            "this pool type (chap is for iSCSI, "
                                            "ceph for rbd)",
                                            chap ? "chap" : "ceph");
                if (!*s->auth.username)
                        return pool_invalid(error, def, "<auth>: 'username' is empty");
        }
        if (s->adapter.present)
                return pool_validate_adapter(def, error);
        return 0;
}

static int pool_validate_sizes(const VmmStoragePoolDef *def, VmmError *error)
{
        if (def->capacity.present && def->allocation.present && def->capacity.bytes > 0 &&
            def->allocation.bytes > def->capacity.bytes)
                return pool_invalid(error, def,
                                    "<allocation> (%" PRIu64 " bytes) is larger than "
                                    "<capacity> (%" PRIu64 " bytes)",
                                    def->allocation.bytes, def->capacity.bytes);
        return 0;
}

/* A gluster volume's directory, and a glusterfs or cifs share's, are
 * relative to the volume or share; NFS exports are absolute paths. */
static bool pool_dir_may_be_relative(const VmmStoragePoolDef *def)
{
        const char *format = vmm_storage_pool_def_get_source_format(def);

        if (def->type == VMM_STORAGE_POOL_GLUSTER)
                return true;
        return def->type == VMM_STORAGE_POOL_NETFS && format &&
               (strcmp(format, "glusterfs") == 0 || strcmp(format, "cifs") == 0);
}

int vmm_storage_pool_def_validate(const VmmStoragePoolDef *def, VmmError *error)
{
        unsigned int needs;
        int r;

        vmm_check_arg(def, error, "def");
        needs = pool_needs(def->type);
        if (!def->name || !*def->name)
                return pool_invalid(error, def, "the name is empty");
        if (strchr(def->name, '/'))
                return pool_invalid(error, def, "the name must not contain '/'");
        r = pool_validate_source(def, error);
        if (r < 0)
                return r;
        if ((needs & NEED_TARGET_PATH) && !def->target_path)
                return pool_invalid(error, def, "missing <target><path>");
        if (def->target_path && def->target_path[0] != '/')
                return pool_invalid(error, def, "<target><path> \"%s\" is not an absolute path",
                                    def->target_path);
        if (def->source.dir && def->source.dir[0] != '/' && !pool_dir_may_be_relative(def))
                return pool_invalid(error, def,
                                    "<source><dir path='%s'> is not an absolute "
                                    "path",
                                    def->source.dir);
        return pool_validate_sizes(def, error);
}

int vmm_storage_pool_def_fill_defaults(VmmStoragePoolDef *def, VmmError *error)
{
        vmm_check_arg(def, error, "def");
        if (!def->has_uuid) {
                int r = vmm_uuid_generate(def->uuid);

                if (r < 0)
                        return vmm_error_set_errno(error, r, "pool '%s': cannot make a UUID",
                                                   strna(def->name));
                def->has_uuid = true;
        }
        /* a volume group is named after its pool unless told otherwise,
         * and its volumes appear under /dev/<vg> */
        if (def->type == VMM_STORAGE_POOL_LOGICAL) {
                if (!def->source.name) {
                        if (!(def->source.name = strdup(def->name)))
                                return vmm_error_oom(error);
                        def->source.present = true;
                }
                if (!def->target_path) {
                        if (asprintf(&def->target_path, "/dev/%s", def->source.name) < 0) {
                                def->target_path = NULL;
                                return vmm_error_oom(error);
                        }
                        def->has_target = true;
                }
        }
        return 0;
}
