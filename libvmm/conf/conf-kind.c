/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "conf-kind.h"
#include "domain.h"
#include "network.h"
#include "nodedev.h"
#include "secret.h"
#include "storage-pool.h"
#include "storage-vol.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/macros.h"
#include "xml-util.h"

/* --- adapters: each model's typed calls behind one signature --- */

static int domain_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                        VmmError *error)
{
        VmmDomainDef *def = NULL;
        int r = vmm_domain_def_parse(xml, len, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int domain_validate(const void *def, VmmError *error)
{
        return vmm_domain_def_validate(def, error);
}

static int domain_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_domain_def_format(def, flags, ret_xml, error);
}

static bool domain_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_domain_def_equal(a, b, ret_diff);
}

static void domain_free(void *def)
{
        vmm_domain_def_free(def);
}

static int network_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                         VmmError *error)
{
        VmmNetworkDef *def = NULL;
        int r = vmm_network_def_parse(xml, len, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int network_validate(const void *def, VmmError *error)
{
        return vmm_network_def_validate(def, error);
}

static int network_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_network_def_format(def, flags, ret_xml, error);
}

static bool network_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_network_def_equal(a, b, ret_diff);
}

static void network_free(void *def)
{
        vmm_network_def_free(def);
}

static int pool_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                      VmmError *error)
{
        VmmStoragePoolDef *def = NULL;
        int r = vmm_storage_pool_def_parse(xml, len, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int pool_validate(const void *def, VmmError *error)
{
        return vmm_storage_pool_def_validate(def, error);
}

static int pool_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_storage_pool_def_format(def, flags, ret_xml, error);
}

static bool pool_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_storage_pool_def_equal(a, b, ret_diff);
}

static void pool_free(void *def)
{
        vmm_storage_pool_def_free(def);
}

/* A volume is parsed without its pool's context here: tools and the
 * corpus see a lone <volume> document. */
static int volume_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                        VmmError *error)
{
        VmmStorageVolDef *def = NULL;
        int r = vmm_storage_vol_def_parse(xml, len, NULL, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int volume_validate(const void *def, VmmError *error)
{
        return vmm_storage_vol_def_validate(def, error);
}

static int volume_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_storage_vol_def_format(def, flags, ret_xml, error);
}

static bool volume_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_storage_vol_def_equal(a, b, ret_diff);
}

static void volume_free(void *def)
{
        vmm_storage_vol_def_free(def);
}

static int secret_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                        VmmError *error)
{
        VmmSecretDef *def = NULL;
        int r = vmm_secret_def_parse(xml, len, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int secret_validate(const void *def, VmmError *error)
{
        return vmm_secret_def_validate(def, error);
}

static int secret_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_secret_def_format(def, flags, ret_xml, error);
}

static bool secret_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_secret_def_equal(a, b, ret_diff);
}

static void secret_free(void *def)
{
        vmm_secret_def_free(def);
}

static int nodedev_parse(const char *xml, size_t len, unsigned int flags, void **ret_def,
                         VmmError *error)
{
        VmmNodedevDef *def = NULL;
        int r = vmm_nodedev_def_parse(xml, len, flags, &def, error);

        if (r >= 0)
                *ret_def = def;
        return r;
}

static int nodedev_validate(const void *def, VmmError *error)
{
        return vmm_nodedev_def_validate(def, error);
}

static int nodedev_format(const void *def, unsigned int flags, char **ret_xml, VmmError *error)
{
        return vmm_nodedev_def_format(def, flags, ret_xml, error);
}

static bool nodedev_equal(const void *a, const void *b, char **ret_diff)
{
        return vmm_nodedev_def_equal(a, b, ret_diff);
}

static void nodedev_free(void *def)
{
        vmm_nodedev_def_free(def);
}

/* --- the table --- */

/* clang-format off */
static const VmmConfKind conf_kinds[_VMM_CONF_KIND_MAX] = {
        [VMM_CONF_KIND_DOMAIN] = {
                .id = VMM_CONF_KIND_DOMAIN, .name = "domain", .root = "domain",
                .schema = "domain", .parse = domain_parse, .validate = domain_validate,
                .format = domain_format, .equal = domain_equal, .free = domain_free,
        },
        [VMM_CONF_KIND_NETWORK] = {
                .id = VMM_CONF_KIND_NETWORK, .name = "network", .root = "network",
                .schema = "network", .parse = network_parse, .validate = network_validate,
                .format = network_format, .equal = network_equal, .free = network_free,
        },
        [VMM_CONF_KIND_POOL] = {
                .id = VMM_CONF_KIND_POOL, .name = "pool", .root = "pool",
                .schema = "storagepool", .parse = pool_parse, .validate = pool_validate,
                .format = pool_format, .equal = pool_equal, .free = pool_free,
        },
        [VMM_CONF_KIND_VOLUME] = {
                .id = VMM_CONF_KIND_VOLUME, .name = "volume", .root = "volume",
                .schema = "storagevol", .parse = volume_parse, .validate = volume_validate,
                .format = volume_format, .equal = volume_equal, .free = volume_free,
        },
        [VMM_CONF_KIND_SECRET] = {
                .id = VMM_CONF_KIND_SECRET, .name = "secret", .root = "secret",
                .schema = "secret", .parse = secret_parse, .validate = secret_validate,
                .format = secret_format, .equal = secret_equal, .free = secret_free,
        },
        [VMM_CONF_KIND_NODEDEV] = {
                .id = VMM_CONF_KIND_NODEDEV, .name = "nodedev", .root = "device",
                .schema = "nodedev", .parse = nodedev_parse, .validate = nodedev_validate,
                .format = nodedev_format, .equal = nodedev_equal, .free = nodedev_free,
        },
};
/* clang-format on */

const VmmConfKind *vmm_conf_kind_get(VmmConfKindId id)
{
        if ((unsigned int)id >= _VMM_CONF_KIND_MAX)
                return NULL;
        return &conf_kinds[id];
}

const VmmConfKind *vmm_conf_kind_by_name(const char *name)
{
        if (!name)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(conf_kinds); i++)
                if (strcmp(conf_kinds[i].name, name) == 0)
                        return &conf_kinds[i];
        /* libvirt's folder and command names for two kinds */
        if (strcmp(name, "vol") == 0)
                return &conf_kinds[VMM_CONF_KIND_VOLUME];
        if (strcmp(name, "storagepool") == 0)
                return &conf_kinds[VMM_CONF_KIND_POOL];
        return NULL;
}

const VmmConfKind *vmm_conf_kind_by_root(const char *root)
{
        if (!root)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(conf_kinds); i++)
                if (strcmp(conf_kinds[i].root, root) == 0)
                        return &conf_kinds[i];
        return NULL;
}

int vmm_conf_kind_check_available(const VmmConfKind *kind, VmmError *error)
{
        if (!kind)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG, "no configuration kind");
        if (!kind->parse)
                return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                     "<%s> documents (%s) are not supported by this build yet",
                                     kind->root, kind->name);
        return 0;
}

static char *conf_kind_root_list(void)
{
        VmmBuf buf = VMM_BUF_INIT;

        for (size_t i = 0; i < ARRAY_SIZE(conf_kinds); i++)
                vmm_buf_addf(&buf, "%s<%s>", i ? ", " : "", conf_kinds[i].root);
        return vmm_buf_steal(&buf);
}

int vmm_conf_kind_detect(const char *xml, size_t len, const char *what,
                         const VmmConfKind **ret_kind, VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        _cleanup_free_ char *roots = NULL;
        const VmmConfKind *kind;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, what, &doc, error);
        if (r < 0)
                return r;
        root = xmlDocGetRootElement(doc);
        if (!root)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: document has no root element", what);
        kind = vmm_conf_kind_by_root((const char *)root->name);
        if (!kind || root->ns) {
                roots = conf_kind_root_list();
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: line %ld: root element <%s> is not a known "
                                     "configuration (expected one of %s)",
                                     what, xmlGetLineNo(root), (const char *)root->name,
                                     strempty(roots));
        }
        *ret_kind = kind;
        return 0;
}

/* --- end-to-end check --- */

/* clang-format off */
static const char *const conf_stage_names[_VMM_CONF_STAGE_MAX] = {
        [VMM_CONF_STAGE_OK] = "ok",
        [VMM_CONF_STAGE_PARSE] = "parse",
        [VMM_CONF_STAGE_SCHEMA] = "schema",
        [VMM_CONF_STAGE_VALIDATE] = "validate",
        [VMM_CONF_STAGE_FORMAT] = "format",
        [VMM_CONF_STAGE_OUTPUT_SCHEMA] = "output-schema",
        [VMM_CONF_STAGE_REPARSE] = "reparse",
        [VMM_CONF_STAGE_EQUAL] = "equal",
        [VMM_CONF_STAGE_FIXED_POINT] = "fixed-point",
};
/* clang-format on */

const char *vmm_conf_stage_to_string(VmmConfStage stage)
{
        if ((unsigned int)stage >= _VMM_CONF_STAGE_MAX || !conf_stage_names[stage])
                return "unknown";
        return conf_stage_names[stage];
}

void vmm_conf_check_done(VmmConfCheck *check)
{
        if (!check)
                return;
        vmm_error_clear(&check->error);
        free(check->formatted);
        check->formatted = NULL;
        check->kind = NULL;
        check->stage = VMM_CONF_STAGE_OK;
}

static int conf_check_fail(VmmConfCheck *check, VmmConfStage stage, int r)
{
        check->stage = stage;
        if (!vmm_error_is_set(&check->error))
                vmm_error_set(&check->error, r < 0 ? r : -EINVAL, VMM_ERR_INTERNAL,
                              "%s failed without a message", vmm_conf_stage_to_string(stage));
        return r < 0 ? r : -EINVAL;
}

static int conf_schema_check(const VmmConfKind *kind, const char *xml, size_t len, const char *what,
                             VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        int r;

        r = vmm_xml_parse(xml, len, what, &doc, error);
        if (r < 0)
                return r;
        return vmm_xml_validate(doc, kind->schema, error);
}

int vmm_conf_parse_checked(const VmmConfKind *kind, const char *xml, size_t len, unsigned int flags,
                           void **ret_def, VmmError *error)
{
        void *def = NULL;
        int r;

        r = vmm_conf_kind_check_available(kind, error);
        if (r < 0)
                return r;
        r = kind->parse(xml, len, flags, &def, error);
        if (r < 0)
                return r;
        if (kind->validate) {
                r = kind->validate(def, error);
                if (r < 0) {
                        kind->free(def);
                        return r;
                }
        }
        *ret_def = def;
        return 0;
}

/* Formatting the re-parsed model must give the same text: when it does
 * not, the kind's equal() missed a field (or the formatter is not
 * deterministic). Names the first line that differs. */
static int conf_check_fixed_point(VmmConfCheck *check, const void *def2, const char *what)
{
        _cleanup_free_ char *xml2 = NULL;
        const char *a = check->formatted, *b;
        int r, line = 1;

        r = check->kind->format(def2, 0, &xml2, &check->error);
        if (r < 0) {
                vmm_error_prefix(&check->error, r, "formatting the re-parsed model: ");
                return conf_check_fail(check, VMM_CONF_STAGE_FIXED_POINT, r);
        }
        b = xml2;
        if (strcmp(a, b) == 0)
                return 0;
        while (*a && *a == *b) {
                if (*a == '\n')
                        line++;
                a++;
                b++;
        }
        while (a > check->formatted && a[-1] != '\n') {
                a--;
                b--;
        }
        vmm_error_set(&check->error, -EINVAL, VMM_ERR_INTERNAL,
                      "%s: equal models format differently (the comparison misses a field): "
                      "line %d: \"%.*s\" then \"%.*s\"",
                      what, line, (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
        return conf_check_fail(check, VMM_CONF_STAGE_FIXED_POINT, -EINVAL);
}

/* Formats `def`, checks the output against the schema, parses it back,
 * compares the models and the text formatted from each. */
static int conf_check_roundtrip(VmmConfCheck *check, const void *def, const char *what,
                                unsigned int xml_flags, bool schema)
{
        const VmmConfKind *kind = check->kind;
        _cleanup_free_ char *diff = NULL;
        void *def2 = NULL;
        int r;

        r = kind->format(def, 0, &check->formatted, &check->error);
        if (r < 0)
                return conf_check_fail(check, VMM_CONF_STAGE_FORMAT, r);
        if (schema) {
                r = conf_schema_check(kind, check->formatted, (size_t)-1, "formatted XML",
                                      &check->error);
                if (r < 0)
                        return conf_check_fail(check, VMM_CONF_STAGE_OUTPUT_SCHEMA, r);
        }
        r = kind->parse(check->formatted, (size_t)-1, xml_flags, &def2, &check->error);
        if (r < 0) {
                vmm_error_prefix(&check->error, r, "formatted XML: ");
                return conf_check_fail(check, VMM_CONF_STAGE_REPARSE, r);
        }
        if (!kind->equal(def, def2, &diff)) {
                kind->free(def2);
                vmm_error_set(&check->error, -EINVAL, VMM_ERR_INTERNAL,
                              "%s: models differ after format and parse: %s", what,
                              diff ? diff : "(no detail)");
                return conf_check_fail(check, VMM_CONF_STAGE_EQUAL, -EINVAL);
        }
        r = conf_check_fixed_point(check, def2, what);
        kind->free(def2);
        return r;
}

int vmm_conf_check(const char *xml, size_t len, const char *what, unsigned int flags,
                   VmmConfCheck *check)
{
        unsigned int xml_flags = 0;
        bool schema = !(flags & (VMM_CONF_CHECK_KEEP_UNKNOWN | VMM_CONF_CHECK_NO_SCHEMA));
        void *def = NULL;
        int r;

        if (flags & VMM_CONF_CHECK_KEEP_UNKNOWN)
                xml_flags |= VMM_XML_KEEP_UNKNOWN;
        r = vmm_conf_kind_detect(xml, len, what, &check->kind, &check->error);
        if (r < 0)
                return conf_check_fail(check, VMM_CONF_STAGE_PARSE, r);
        r = vmm_conf_kind_check_available(check->kind, &check->error);
        if (r < 0)
                return conf_check_fail(check, VMM_CONF_STAGE_PARSE, r);
        r = check->kind->parse(xml, len, xml_flags, &def, &check->error);
        if (r < 0)
                return conf_check_fail(check, VMM_CONF_STAGE_PARSE, r);
        if (schema) {
                r = conf_schema_check(check->kind, xml, len, what, &check->error);
                if (r < 0) {
                        check->kind->free(def);
                        return conf_check_fail(check, VMM_CONF_STAGE_SCHEMA, r);
                }
        }
        if (check->kind->validate) {
                r = check->kind->validate(def, &check->error);
                if (r < 0) {
                        check->kind->free(def);
                        return conf_check_fail(check, VMM_CONF_STAGE_VALIDATE, r);
                }
        }
        if (flags & VMM_CONF_CHECK_ROUNDTRIP)
                r = conf_check_roundtrip(check, def, what, xml_flags, schema);
        check->kind->free(def);
        return r < 0 ? r : 0;
}
