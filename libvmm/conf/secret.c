/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* secret.c: parse, format, check and compare <secret> documents. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "secret.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

static const char *const secret_usage_table[_VMM_SECRET_USAGE_MAX] = {
    [VMM_SECRET_USAGE_NONE] = "none", [VMM_SECRET_USAGE_VOLUME] = "volume",
    [VMM_SECRET_USAGE_CEPH] = "ceph", [VMM_SECRET_USAGE_ISCSI] = "iscsi",
    [VMM_SECRET_USAGE_TLS] = "tls",   [VMM_SECRET_USAGE_VTPM] = "vtpm",
};
VMM_DEFINE_ENUM_TABLE(vmm_secret_usage_type, VmmSecretUsageType, secret_usage_table,
                      _VMM_SECRET_USAGE_MAX)

/* The element naming the object a usage type is for. */
static const char *const secret_usage_child[_VMM_SECRET_USAGE_MAX] = {
    [VMM_SECRET_USAGE_VOLUME] = "volume", [VMM_SECRET_USAGE_CEPH] = "name",
    [VMM_SECRET_USAGE_ISCSI] = "target",  [VMM_SECRET_USAGE_TLS] = "name",
    [VMM_SECRET_USAGE_VTPM] = "name",
};

VmmSecretDef *vmm_secret_def_free(VmmSecretDef *def)
{
        if (!def)
                return NULL;
        free(def->description);
        free(def->usage_id);
        vmm_xml_unknown_done(&def->unknown);
        free(def);
        return NULL;
}

/* Text of the only child `name` of `node`; NULL (and 0) when absent. */
static int secret_single_text(xmlNodePtr node, const char *name, char **ret, VmmError *error)
{
        xmlNodePtr c = vmm_xml_child(node, name);

        *ret = NULL;
        if (!c)
                return 0;
        if (vmm_xml_count_children(node, name) > 1)
                return vmm_xml_error(error, c, "appears more than once (expected at most one)");
        *ret = vmm_xml_get_text(c);
        return *ret ? 1 : vmm_error_oom(error);
}

static int secret_parse_usage(xmlNodePtr usage, unsigned int flags, VmmSecretDef *def,
                              VmmError *error)
{
        static const char *const attrs[] = {"type", NULL};
        const char *children[2] = {NULL, NULL};
        _cleanup_free_ char *type = vmm_xml_get_prop(usage, "type");
        int t, r;

        if (!type)
                return vmm_xml_error(error, usage,
                                     "missing attribute 'type' (expected one of \"volume\", "
                                     "\"ceph\", \"iscsi\", \"tls\", \"vtpm\")");
        r = vmm_xml_prop_enum(usage, "type", secret_usage_table, _VMM_SECRET_USAGE_MAX, &t, error);
        if (r < 0)
                return r;
        if (t == VMM_SECRET_USAGE_NONE)
                return vmm_xml_attr_error(error, usage, "type",
                                          "\"none\" is not a usage (omit <usage> instead)");
        children[0] = secret_usage_child[t];
        r = vmm_xml_check_node(usage, children, attrs, flags & ~VMM_XML_KEEP_UNKNOWN, NULL, error);
        if (r < 0)
                return r;
        def->usage_type = t;
        r = secret_single_text(usage, children[0], &def->usage_id, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, usage, "usage type '%s' needs a <%s> element", type,
                                     children[0]);
        return 0;
}

int vmm_secret_def_parse_node(xmlNodePtr root, unsigned int flags, VmmSecretDef **ret_def,
                              VmmError *error)
{
        static const char *const children[] = {"uuid", "description", "usage", NULL};
        static const char *const attrs[] = {"ephemeral", "private", NULL};
        _cleanup_(vmm_secret_def_freep) VmmSecretDef *def = NULL;
        _cleanup_free_ char *uuid = NULL;
        xmlNodePtr usage;
        int v, r;

        if (!vmm_xml_is(root, "secret"))
                return vmm_xml_error(error, root, "root element is not <secret>");
        def = calloc(1, sizeof(*def));
        if (!def)
                return vmm_error_oom(error);
        r = vmm_xml_check_node(root, children, attrs, flags, &def->unknown, error);
        if (r < 0)
                return r;
        v = 0;
        r = vmm_xml_prop_yesno(root, "ephemeral", &v, error);
        if (r < 0)
                return r;
        def->ephemeral = v == 1;
        v = 0;
        r = vmm_xml_prop_yesno(root, "private", &v, error);
        if (r < 0)
                return r;
        def->is_private = v == 1;

        r = secret_single_text(root, "uuid", &uuid, error);
        if (r < 0)
                return r;
        if (r > 0) {
                VmmError e = VMM_ERROR_INIT;

                if (vmm_uuid_parse(uuid, def->uuid, &e) < 0) {
                        r = vmm_xml_error(error, vmm_xml_child(root, "uuid"), "%s",
                                          vmm_error_message(&e));
                        vmm_error_clear(&e);
                        return r;
                }
                def->has_uuid = true;
        }
        r = secret_single_text(root, "description", &def->description, error);
        if (r < 0)
                return r;
        usage = vmm_xml_child(root, "usage");
        if (usage) {
                if (vmm_xml_count_children(root, "usage") > 1)
                        return vmm_xml_error(error, usage,
                                             "appears more than once (expected at most one)");
                r = secret_parse_usage(usage, flags, def, error);
                if (r < 0)
                        return r;
        }
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_secret_def_parse(const char *xml, size_t len, unsigned int flags, VmmSecretDef **ret_def,
                         VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root;
        int r;

        r = vmm_xml_parse(xml, len, "secret XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "secret", &root, error);
        if (r < 0)
                return r;
        if (flags & VMM_XML_VALIDATE) {
                r = vmm_xml_validate(doc, "secret", error);
                if (r < 0)
                        return r;
        }
        return vmm_secret_def_parse_node(root, flags, ret_def, error);
}

int vmm_secret_def_format(const VmmSecretDef *def, unsigned int flags, char **ret_xml,
                          VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root, usage;

        doc = vmm_xml_new_doc("secret", &root);
        if (!doc)
                return vmm_error_oom(error);
        vmm_xml_set_prop(root, "ephemeral", def->ephemeral ? "yes" : "no");
        vmm_xml_set_prop(root, "private", def->is_private ? "yes" : "no");
        if (def->has_uuid) {
                char buf[VMM_UUID_STRLEN];
                vmm_xml_new_child(root, "uuid", vmm_uuid_format(def->uuid, buf));
        }
        if (def->description)
                vmm_xml_new_child(root, "description", def->description);
        if (def->usage_type != VMM_SECRET_USAGE_NONE) {
                usage = vmm_xml_new_child(root, "usage", NULL);
                vmm_xml_set_prop(usage, "type", vmm_secret_usage_type_to_string(def->usage_type));
                vmm_xml_new_child(usage, secret_usage_child[def->usage_type],
                                  def->usage_id ? def->usage_id : "");
        }
        vmm_xml_unknown_format(&def->unknown, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}

int vmm_secret_def_fill_defaults(VmmSecretDef *def, VmmError *error)
{
        if (!def->has_uuid) {
                int r = vmm_uuid_generate(def->uuid);
                if (r < 0)
                        return vmm_error_set_errno(error, r, "secret: cannot generate a UUID");
                def->has_uuid = true;
        }
        return 0;
}

int vmm_secret_def_validate(const VmmSecretDef *def, VmmError *error)
{
        const char *type = vmm_secret_usage_type_to_string(def->usage_type);

        if (def->usage_type == VMM_SECRET_USAGE_NONE)
                return 0;
        if (!def->usage_id || !*def->usage_id)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "secret: <usage type='%s'>: <%s> is empty (expected %s)", type,
                                     secret_usage_child[def->usage_type],
                                     def->usage_type == VMM_SECRET_USAGE_VOLUME
                                         ? "an absolute volume path"
                                         : "a name");
        if (def->usage_type == VMM_SECRET_USAGE_VOLUME && def->usage_id[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "secret: <usage type='volume'>: \"%s\" is not an absolute "
                                     "path (expected e.g. \"/var/lib/vmm/images/disk.img\")",
                                     def->usage_id);
        return 0;
}

bool vmm_secret_def_equal(const VmmSecretDef *a, const VmmSecretDef *b, char **ret_diff)
{
        return vmm_diff_bool(ret_diff, "", "ephemeral", a->ephemeral, b->ephemeral) &&
               vmm_diff_bool(ret_diff, "", "private", a->is_private, b->is_private) &&
               vmm_diff_bool(ret_diff, "", "uuid given", a->has_uuid, b->has_uuid) &&
               vmm_diff_bytes(ret_diff, "", "uuid", a->uuid, b->uuid, VMM_UUID_LEN) &&
               vmm_diff_str(ret_diff, "", "description", a->description, b->description) &&
               vmm_diff_str(ret_diff, "", "usage type",
                            vmm_secret_usage_type_to_string(a->usage_type),
                            vmm_secret_usage_type_to_string(b->usage_type)) &&
               vmm_diff_str(ret_diff, "usage ", "id", a->usage_id, b->usage_id) &&
               (vmm_xml_unknown_equal(&a->unknown, &b->unknown) ||
                vmm_diff_set(ret_diff, "unknown content kept differs"));
}
