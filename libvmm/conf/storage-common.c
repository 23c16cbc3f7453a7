/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-common.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

/* The text of `node` without surrounding blanks (heap), NULL on OOM. */
static char *storage_text_trimmed(xmlNodePtr node)
{
        char *text = vmm_xml_get_text(node);
        size_t start = 0, len;

        if (!text)
                return NULL;
        while (text[start] && isspace((unsigned char)text[start]))
                start++;
        len = strlen(text + start);
        while (len > 0 && isspace((unsigned char)text[start + len - 1]))
                len--;
        memmove(text, text + start, len);
        text[len] = '\0';
        return text;
}

static int storage_parse_mode(xmlNodePtr node, VmmStoragePerms *perms, VmmError *error)
{
        _cleanup_free_ char *text = storage_text_trimmed(node);
        unsigned long v;
        char *end;

        if (!text)
                return vmm_error_oom(error);
        errno = 0;
        v = strtoul(text, &end, 8);
        if (!*text || *end || errno || !isdigit((unsigned char)text[0]) || (v & ~0777UL))
                return vmm_xml_error(error, node,
                                     "\"%s\" is not a valid mode (expected an octal mode "
                                     "from 0000 to 0777, e.g. \"0755\")",
                                     text);
        perms->has_mode = true;
        perms->mode = (unsigned int)v;
        return 0;
}

static int storage_parse_id(xmlNodePtr node, const char *kind, int64_t *ret, VmmError *error)
{
        _cleanup_free_ char *text = storage_text_trimmed(node);
        unsigned long long v;
        char *end;

        if (!text)
                return vmm_error_oom(error);
        if (strcmp(text, "-1") == 0) {
                *ret = -1;
                return 0;
        }
        errno = 0;
        v = strtoull(text, &end, 10);
        if (!isdigit((unsigned char)text[0]) || *end || errno || v > UINT32_MAX - 1)
                return vmm_xml_error(error, node,
                                     "\"%s\" is not a valid %s (expected a number from 0 to "
                                     "4294967294, or -1)",
                                     text, kind);
        *ret = (int64_t)v;
        return 0;
}

int vmm_storage_perms_parse(xmlNodePtr node, unsigned int flags, VmmStoragePerms *perms,
                            VmmError *error)
{
        static const char *const children[] = {"mode", "owner", "group", "label", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, NULL, flags, &perms->unknown, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(node, children, error);
        if (r < 0)
                return r;
        perms->present = true;
        if ((c = vmm_xml_child(node, "mode"))) {
                r = storage_parse_mode(c, perms, error);
                if (r < 0)
                        return r;
        }
        if ((c = vmm_xml_child(node, "owner"))) {
                r = storage_parse_id(c, "uid", &perms->owner, error);
                if (r < 0)
                        return r;
                perms->has_owner = true;
        }
        if ((c = vmm_xml_child(node, "group"))) {
                r = storage_parse_id(c, "gid", &perms->group, error);
                if (r < 0)
                        return r;
                perms->has_group = true;
        }
        if ((c = vmm_xml_child(node, "label"))) {
                perms->label = storage_text_trimmed(c);
                if (!perms->label)
                        return vmm_error_oom(error);
        }
        return 0;
}

void vmm_storage_perms_format(const VmmStoragePerms *perms, xmlNodePtr parent)
{
        xmlNodePtr node;
        char buf[32];

        if (!perms->present)
                return;
        node = vmm_xml_new_child(parent, "permissions", NULL);
        if (!node)
                return;
        if (perms->has_mode) {
                snprintf(buf, sizeof(buf), "%04o", perms->mode);
                vmm_xml_new_child(node, "mode", buf);
        }
        if (perms->has_owner) {
                snprintf(buf, sizeof(buf), "%" PRId64, perms->owner);
                vmm_xml_new_child(node, "owner", buf);
        }
        if (perms->has_group) {
                snprintf(buf, sizeof(buf), "%" PRId64, perms->group);
                vmm_xml_new_child(node, "group", buf);
        }
        if (perms->label)
                vmm_xml_new_child(node, "label", perms->label);
        vmm_xml_unknown_format(&perms->unknown, node);
}

void vmm_storage_perms_done(VmmStoragePerms *perms)
{
        if (!perms)
                return;
        free(perms->label);
        vmm_xml_unknown_done(&perms->unknown);
        memset(perms, 0, sizeof(*perms));
}

int vmm_storage_perms_copy(const VmmStoragePerms *src, VmmStoragePerms *dst)
{
        *dst = *src;
        dst->label = NULL;
        memset(&dst->unknown, 0, sizeof(dst->unknown));
        if (src->label && !(dst->label = strdup(src->label)))
                return -ENOMEM;
        if (vmm_xml_unknown_copy(&src->unknown, &dst->unknown) < 0) {
                vmm_storage_perms_done(dst);
                return -ENOMEM;
        }
        return 0;
}

/* --- sizes --- */

int vmm_storage_size_parse(xmlNodePtr node, VmmStorageSize *size, VmmError *error)
{
        static const char *const attrs[] = {"unit", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_xml_node_size(node, 1, 1, &size->bytes, error);
        if (r < 0)
                return r;
        size->present = true;
        return 0;
}

void vmm_storage_size_format(const VmmStorageSize *size, const char *name, const char *unit,
                             xmlNodePtr parent)
{
        xmlNodePtr node;
        char buf[32];

        if (!size->present)
                return;
        snprintf(buf, sizeof(buf), "%" PRIu64, size->bytes);
        node = vmm_xml_new_child(parent, name, buf);
        vmm_xml_set_prop(node, "unit", unit);
}

/* --- timestamps --- */

static const char *const storage_time_names[] = {"atime", "mtime", "ctime", "btime", NULL};

static VmmStorageTime *storage_time_field(VmmStorageTimestamps *ts, int i)
{
        VmmStorageTime *fields[] = {&ts->atime, &ts->mtime, &ts->ctime, &ts->btime};

        return fields[i];
}

/* "1341933637.273190990": seconds, then up to 9 digits of fraction. */
static int storage_time_parse(xmlNodePtr node, VmmStorageTime *t, VmmError *error)
{
        _cleanup_free_ char *text = storage_text_trimmed(node);
        unsigned long long sec;
        unsigned long nsec = 0;
        char *end;
        int digits = 0;

        if (!text)
                return vmm_error_oom(error);
        errno = 0;
        sec = strtoull(text, &end, 10);
        if (!isdigit((unsigned char)text[0]) || errno || sec > INT64_MAX)
                goto invalid;
        if (*end == '.') {
                for (end++; isdigit((unsigned char)*end) && digits < 9; end++, digits++)
                        nsec = nsec * 10 + (unsigned long)(*end - '0');
                if (digits == 0)
                        goto invalid;
                for (; digits < 9; digits++)
                        nsec *= 10;
        }
        if (*end)
                goto invalid;
        t->present = true;
        t->sec = (int64_t)sec;
        t->nsec = nsec;
        return 0;
invalid:
        return vmm_xml_error(error, node,
                             "\"%s\" is not a valid time (expected seconds since the epoch "
                             "with up to 9 decimals, e.g. \"1341933637.273190990\")",
                             text);
}

int vmm_storage_timestamps_parse(xmlNodePtr node, VmmStorageTimestamps *ts, VmmError *error)
{
        int r;

        r = vmm_xml_check_node(node, storage_time_names, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_storage_check_single(node, storage_time_names, error);
        if (r < 0)
                return r;
        ts->present = true;
        for (int i = 0; storage_time_names[i]; i++) {
                xmlNodePtr c = vmm_xml_child(node, storage_time_names[i]);

                if (!c)
                        continue;
                r = storage_time_parse(c, storage_time_field(ts, i), error);
                if (r < 0)
                        return r;
        }
        return 0;
}

void vmm_storage_timestamps_format(const VmmStorageTimestamps *ts, xmlNodePtr parent)
{
        VmmStorageTimestamps copy = *ts;
        xmlNodePtr node;
        char buf[64];

        if (!ts->present)
                return;
        node = vmm_xml_new_child(parent, "timestamps", NULL);
        for (int i = 0; storage_time_names[i]; i++) {
                const VmmStorageTime *t = storage_time_field(&copy, i);

                if (!t->present)
                        continue;
                if (t->nsec)
                        snprintf(buf, sizeof(buf), "%" PRId64 ".%09lu", t->sec, t->nsec);
                else
                        snprintf(buf, sizeof(buf), "%" PRId64, t->sec);
                vmm_xml_new_child(node, storage_time_names[i], buf);
        }
}

/* --- attributes --- */

int vmm_storage_extent_parse(xmlNodePtr node, VmmStorageExtent *extent, VmmError *error)
{
        static const char *const attrs[] = {"start", "end", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        for (int i = 0; attrs[i]; i++) {
                uint64_t *field = i == 0 ? &extent->start : &extent->end;

                r = vmm_xml_prop_uint64(node, attrs[i], field, error);
                if (r < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, node, "missing attribute '%s'", attrs[i]);
        }
        return 0;
}

int vmm_storage_parse_enum_attr(xmlNodePtr node, const char *attr, const char *const *table, int n,
                                const char *context, int *ret, VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        char expected[512];
        int r;

        if (!v)
                return 0;
        r = vmm_enum_from_string(table, n, v);
        if (r < 0)
                return vmm_xml_attr_error(error, node, attr,
                                          "\"%s\" is not valid%s%s (expected one of %s)", v,
                                          context ? " " : "", context ? context : "",
                                          vmm_enum_list(table, n, expected, sizeof(expected)));
        *ret = r;
        return 1;
}

int vmm_storage_check_single(xmlNodePtr node, const char *const *names, VmmError *error)
{
        for (xmlNodePtr c = node->children; c; c = c->next) {
                bool listed = false;

                if (c->type != XML_ELEMENT_NODE || c->ns)
                        continue;
                for (size_t i = 0; names[i] && !listed; i++)
                        listed = xmlStrEqual(c->name, (const xmlChar *)names[i]);
                if (!listed)
                        continue;
                for (xmlNodePtr p = c->prev; p; p = p->prev)
                        if (vmm_xml_is(p, (const char *)c->name))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "line %ld: <%s>: <%s> is given twice "
                                                     "(expected at most one)",
                                                     xmlGetLineNo(c), (const char *)node->name,
                                                     (const char *)c->name);
        }
        return 0;
}

int vmm_storage_required_attr(xmlNodePtr node, const char *attr, char **ret, VmmError *error)
{
        char *v = vmm_xml_get_prop(node, attr);

        if (!v)
                return vmm_xml_error(error, node, "missing attribute '%s'", attr);
        *ret = v;
        return 0;
}

/* --- differences --- */

void vmm_storage_diff_str(VmmBuf *diff, const char *what, const char *a, const char *b)
{
        if (!a && !b)
                return;
        if (a && b && strcmp(a, b) == 0)
                return;
        vmm_buf_addf(diff, "%s%s: %s%s%s != %s%s%s", diff->len ? "; " : "", what, a ? "\"" : "",
                     a ? a : "(none)", a ? "\"" : "", b ? "\"" : "", b ? b : "(none)",
                     b ? "\"" : "");
}

void vmm_storage_diff_int(VmmBuf *diff, const char *what, int64_t a, int64_t b)
{
        if (a != b)
                vmm_buf_addf(diff, "%s%s: %" PRId64 " != %" PRId64, diff->len ? "; " : "", what, a,
                             b);
}

void vmm_storage_diff_bool(VmmBuf *diff, const char *what, bool a, bool b)
{
        if (a != b)
                vmm_buf_addf(diff, "%s%s: %s != %s", diff->len ? "; " : "", what, a ? "yes" : "no",
                             b ? "yes" : "no");
}

void vmm_storage_diff_size(VmmBuf *diff, const char *what, const VmmStorageSize *a,
                           const VmmStorageSize *b)
{
        if (a->present != b->present)
                vmm_buf_addf(diff, "%s%s: %s != %s", diff->len ? "; " : "", what,
                             a->present ? "present" : "absent", b->present ? "present" : "absent");
        else if (a->bytes != b->bytes)
                vmm_buf_addf(diff, "%s%s: %" PRIu64 " bytes != %" PRIu64 " bytes",
                             diff->len ? "; " : "", what, a->bytes, b->bytes);
}

void vmm_storage_diff_perms(VmmBuf *diff, const char *what, const VmmStoragePerms *a,
                            const VmmStoragePerms *b)
{
        char name[128];

        snprintf(name, sizeof(name), "%s present", what);
        vmm_storage_diff_bool(diff, name, a->present, b->present);
        snprintf(name, sizeof(name), "%s mode", what);
        vmm_storage_diff_int(diff, name, a->has_mode ? (int64_t)a->mode : -2,
                             b->has_mode ? (int64_t)b->mode : -2);
        snprintf(name, sizeof(name), "%s owner", what);
        vmm_storage_diff_int(diff, name, a->has_owner ? a->owner : -2,
                             b->has_owner ? b->owner : -2);
        snprintf(name, sizeof(name), "%s group", what);
        vmm_storage_diff_int(diff, name, a->has_group ? a->group : -2,
                             b->has_group ? b->group : -2);
        snprintf(name, sizeof(name), "%s label", what);
        vmm_storage_diff_str(diff, name, a->label, b->label);
        vmm_storage_diff_unknown(diff, what, &a->unknown, &b->unknown);
}

void vmm_storage_diff_timestamps(VmmBuf *diff, const char *what, const VmmStorageTimestamps *a,
                                 const VmmStorageTimestamps *b)
{
        VmmStorageTimestamps x = *a, y = *b;
        char name[128];

        vmm_storage_diff_bool(diff, what, a->present, b->present);
        for (int i = 0; storage_time_names[i]; i++) {
                const VmmStorageTime *p = storage_time_field(&x, i);
                const VmmStorageTime *q = storage_time_field(&y, i);

                snprintf(name, sizeof(name), "%s %s", what, storage_time_names[i]);
                if (p->present != q->present || p->sec != q->sec || p->nsec != q->nsec)
                        vmm_buf_addf(diff, "%s%s differs", diff->len ? "; " : "", name);
        }
}

void vmm_storage_diff_unknown(VmmBuf *diff, const char *what, const VmmXmlUnknown *a,
                              const VmmXmlUnknown *b)
{
        if (!vmm_xml_unknown_equal(a, b))
                vmm_buf_addf(diff, "%s%s: kept unknown content differs", diff->len ? "; " : "",
                             what);
}

bool vmm_storage_diff_finish(VmmBuf *diff, char **ret_diff)
{
        bool equal = diff->len == 0;

        if (!equal && ret_diff)
                *ret_diff = vmm_buf_steal(diff);
        vmm_buf_done(diff);
        return equal;
}
