/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-common.h"
#include "storage-encryption.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const encryption_format_table[_VMM_STORAGE_ENCRYPTION_MAX] = {
    [VMM_STORAGE_ENCRYPTION_DEFAULT] = "default",   [VMM_STORAGE_ENCRYPTION_QCOW] = "qcow",
    [VMM_STORAGE_ENCRYPTION_LUKS] = "luks",         [VMM_STORAGE_ENCRYPTION_LUKS2] = "luks2",
    [VMM_STORAGE_ENCRYPTION_LUKS_ANY] = "luks-any",
};
VMM_DEFINE_ENUM_TABLE(vmm_storage_encryption_format, VmmStorageEncryptionFormat,
                      encryption_format_table, _VMM_STORAGE_ENCRYPTION_MAX)

/* index 0 is "no engine= attribute" and has no name */
static const char *const encryption_engine_table[_VMM_STORAGE_ENCRYPTION_ENGINE_MAX] = {
    [VMM_STORAGE_ENCRYPTION_ENGINE_QEMU] = "qemu",
    [VMM_STORAGE_ENCRYPTION_ENGINE_LIBRBD] = "librbd",
};

static const char *const secret_type_table[] = {"passphrase"};

static int encryption_secret_parse(xmlNodePtr node, VmmStorageEncryptionSecret *secret,
                                   VmmError *error)
{
        static const char *const attrs[] = {"type", "uuid", "usage", NULL};
        _cleanup_free_ char *uuid = NULL;
        int type = -1;
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_storage_parse_enum_attr(node, "type", secret_type_table,
                                        (int)ARRAY_SIZE(secret_type_table), NULL, &type, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'type' (expected \"passphrase\")");
        uuid = vmm_xml_get_prop(node, "uuid");
        secret->usage = vmm_xml_get_prop(node, "usage");
        if (uuid && secret->usage)
                return vmm_xml_error(error, node,
                                     "both 'uuid' and 'usage' are given (expected one of them)");
        if (!uuid && !secret->usage)
                return vmm_xml_error(error, node,
                                     "missing attribute 'uuid' or 'usage' naming the secret");
        if (uuid) {
                VmmError e = VMM_ERROR_INIT;

                r = vmm_uuid_parse(uuid, secret->uuid, &e);
                if (r < 0) {
                        r = vmm_xml_attr_error(error, node, "uuid", "%s", vmm_error_message(&e));
                        vmm_error_clear(&e);
                        return r;
                }
                secret->has_uuid = true;
        }
        return 0;
}

static int encryption_cipher_parse(xmlNodePtr node, VmmStorageEncryption *enc, VmmError *error)
{
        static const char *const attrs[] = {"name", "size", "mode", "hash", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_storage_required_attr(node, "name", &enc->cipher_name, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_uint(node, "size", &enc->cipher_size, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'size' (the key size in bits, e.g. 256)");
        enc->cipher_mode = vmm_xml_get_prop(node, "mode");
        enc->cipher_hash = vmm_xml_get_prop(node, "hash");
        enc->has_cipher = true;
        return 0;
}

static int encryption_ivgen_parse(xmlNodePtr node, VmmStorageEncryption *enc, VmmError *error)
{
        static const char *const attrs[] = {"name", "hash", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_storage_required_attr(node, "name", &enc->ivgen_name, error);
        if (r < 0)
                return r;
        enc->ivgen_hash = vmm_xml_get_prop(node, "hash");
        enc->has_ivgen = true;
        return 0;
}

int vmm_storage_encryption_parse(xmlNodePtr node, unsigned int flags,
                                 VmmStorageEncryption **ret_enc, VmmError *error)
{
        static const char *const children[] = {"secret", "cipher", "ivgen", NULL};
        static const char *const attrs[] = {"format", "engine", NULL};
        _cleanup_(vmm_storage_encryption_freep) VmmStorageEncryption *enc = NULL;
        int format = -1, engine = VMM_STORAGE_ENCRYPTION_ENGINE_DEFAULT;
        int r;

        enc = calloc(1, sizeof(*enc));
        if (!enc)
                return vmm_error_oom(error);
        r = vmm_xml_check_node(node, children, attrs, flags, &enc->unknown, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(node, children + 1, error); /* all but <secret> */
        if (r < 0)
                return r;
        r = vmm_storage_parse_enum_attr(node, "format", encryption_format_table,
                                        _VMM_STORAGE_ENCRYPTION_MAX, NULL, &format, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'format' (expected e.g. \"luks\")");
        enc->format = (VmmStorageEncryptionFormat)format;
        r = vmm_storage_parse_enum_attr(node, "engine", encryption_engine_table,
                                        _VMM_STORAGE_ENCRYPTION_ENGINE_MAX, NULL, &engine, error);
        if (r < 0)
                return r;
        enc->engine = (VmmStorageEncryptionEngine)engine;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                r = 0;
                if (vmm_xml_is(c, "secret")) {
                        VmmStorageEncryptionSecret *s;

                        s = realloc(enc->secrets, (enc->n_secrets + 1) * sizeof(*s));
                        if (!s)
                                return vmm_error_oom(error);
                        enc->secrets = s;
                        memset(&s[enc->n_secrets], 0, sizeof(*s));
                        r = encryption_secret_parse(c, &s[enc->n_secrets++], error);
                } else if (vmm_xml_is(c, "cipher")) {
                        r = encryption_cipher_parse(c, enc, error);
                } else if (vmm_xml_is(c, "ivgen")) {
                        r = encryption_ivgen_parse(c, enc, error);
                }
                if (r < 0)
                        return r;
        }
        *ret_enc = TAKE_PTR(enc);
        return 0;
}

void vmm_storage_encryption_format(const VmmStorageEncryption *enc, xmlNodePtr parent)
{
        xmlNodePtr node, c;

        if (!enc)
                return;
        node = vmm_xml_new_child(parent, "encryption", NULL);
        vmm_xml_set_prop(node, "format", encryption_format_table[enc->format]);
        if (enc->engine != VMM_STORAGE_ENCRYPTION_ENGINE_DEFAULT)
                vmm_xml_set_prop(node, "engine", encryption_engine_table[enc->engine]);
        for (size_t i = 0; i < enc->n_secrets; i++) {
                const VmmStorageEncryptionSecret *s = &enc->secrets[i];
                char buf[VMM_UUID_STRLEN];

                c = vmm_xml_new_child(node, "secret", NULL);
                vmm_xml_set_prop(c, "type", "passphrase");
                if (s->has_uuid)
                        vmm_xml_set_prop(c, "uuid", vmm_uuid_format(s->uuid, buf));
                vmm_xml_set_prop(c, "usage", s->usage);
        }
        if (enc->has_cipher) {
                c = vmm_xml_new_child(node, "cipher", NULL);
                vmm_xml_set_prop(c, "name", enc->cipher_name);
                vmm_xml_set_propf(c, "size", "%u", enc->cipher_size);
                vmm_xml_set_prop(c, "mode", enc->cipher_mode);
                vmm_xml_set_prop(c, "hash", enc->cipher_hash);
        }
        if (enc->has_ivgen) {
                c = vmm_xml_new_child(node, "ivgen", NULL);
                vmm_xml_set_prop(c, "name", enc->ivgen_name);
                vmm_xml_set_prop(c, "hash", enc->ivgen_hash);
        }
        vmm_xml_unknown_format(&enc->unknown, node);
}

int vmm_storage_encryption_validate(const VmmStorageEncryption *enc, VmmError *error)
{
        const char *fmt = encryption_format_table[enc->format];
        bool luks = enc->format == VMM_STORAGE_ENCRYPTION_LUKS ||
                    enc->format == VMM_STORAGE_ENCRYPTION_LUKS2 ||
                    enc->format == VMM_STORAGE_ENCRYPTION_LUKS_ANY;

        if (enc->n_secrets > 1)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<encryption format='%s'>: %zu <secret> elements given "
                                     "(expected one passphrase secret)",
                                     fmt, enc->n_secrets);
        if (luks && enc->n_secrets == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<encryption format='%s'>: missing <secret "
                                     "type='passphrase'> (a LUKS volume needs its passphrase)",
                                     fmt);
        if ((enc->has_cipher || enc->has_ivgen) && !luks)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<encryption format='%s'>: <cipher> and <ivgen> apply to "
                                     "LUKS encryption only (expected format='luks')",
                                     fmt);
        if (enc->has_cipher && enc->cipher_size == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<encryption format='%s'>: <cipher name='%s'> has size 0 "
                                     "(expected the key size in bits, e.g. 256)",
                                     fmt, enc->cipher_name);
        return 0;
}

VmmStorageEncryption *vmm_storage_encryption_free(VmmStorageEncryption *enc)
{
        if (!enc)
                return NULL;
        for (size_t i = 0; i < enc->n_secrets; i++)
                free(enc->secrets[i].usage);
        free(enc->secrets);
        free(enc->cipher_name);
        free(enc->cipher_mode);
        free(enc->cipher_hash);
        free(enc->ivgen_name);
        free(enc->ivgen_hash);
        vmm_xml_unknown_done(&enc->unknown);
        free(enc);
        return NULL;
}

void vmm_storage_encryption_diff(VmmBuf *diff, const char *what, const VmmStorageEncryption *a,
                                 const VmmStorageEncryption *b)
{
        char name[128];

        if (!a || !b) {
                if (a || b)
                        vmm_buf_addf(diff, "%s%s: %s != %s", diff->len ? "; " : "", what,
                                     a ? "present" : "absent", b ? "present" : "absent");
                return;
        }
        snprintf(name, sizeof(name), "%s format", what);
        vmm_storage_diff_str(diff, name, encryption_format_table[a->format],
                             encryption_format_table[b->format]);
        snprintf(name, sizeof(name), "%s engine", what);
        vmm_storage_diff_int(diff, name, a->engine, b->engine);
        snprintf(name, sizeof(name), "%s secrets", what);
        vmm_storage_diff_int(diff, name, (int64_t)a->n_secrets, (int64_t)b->n_secrets);
        for (size_t i = 0; i < a->n_secrets && i < b->n_secrets; i++) {
                const VmmStorageEncryptionSecret *x = &a->secrets[i], *y = &b->secrets[i];

                snprintf(name, sizeof(name), "%s secret %zu", what, i + 1);
                if (x->has_uuid != y->has_uuid ||
                    (x->has_uuid && memcmp(x->uuid, y->uuid, VMM_UUID_LEN) != 0))
                        vmm_buf_addf(diff, "%s%s uuid differs", diff->len ? "; " : "", name);
                vmm_storage_diff_str(diff, name, x->usage, y->usage);
        }
        snprintf(name, sizeof(name), "%s cipher", what);
        vmm_storage_diff_bool(diff, name, a->has_cipher, b->has_cipher);
        vmm_storage_diff_str(diff, name, a->cipher_name, b->cipher_name);
        vmm_storage_diff_int(diff, name, a->cipher_size, b->cipher_size);
        vmm_storage_diff_str(diff, name, a->cipher_mode, b->cipher_mode);
        vmm_storage_diff_str(diff, name, a->cipher_hash, b->cipher_hash);
        snprintf(name, sizeof(name), "%s ivgen", what);
        vmm_storage_diff_bool(diff, name, a->has_ivgen, b->has_ivgen);
        vmm_storage_diff_str(diff, name, a->ivgen_name, b->ivgen_name);
        vmm_storage_diff_str(diff, name, a->ivgen_hash, b->ivgen_hash);
        vmm_storage_diff_unknown(diff, what, &a->unknown, &b->unknown);
}
