/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-domdev.c: domblklist and domiflist, the device tables of a domain.
 *
 * Both read the domain's XML (live, or the persistent definition with
 * --inactive) through the public vmm_domain_get_xml() and pick the
 * devices out with libxml2 here, in the client: the XML is already the
 * complete, stable description of the devices, so no extra wire call or
 * public struct is needed, and the commands work on every driver.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

static inline void domdev_domain_unrefp(VmmDomain **d)
{
        vmm_domain_unref(*d);
}

static inline void domdev_doc_freep(xmlDoc **d)
{
        if (*d)
                xmlFreeDoc(*d);
}

/* An attribute as a heap string, NULL when absent. */
static char *domdev_attr(xmlNode *node, const char *name)
{
        xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
        char *s;

        if (!v)
                return NULL;
        s = strdup((const char *)v);
        xmlFree(v);
        return s;
}

static xmlNode *domdev_child(xmlNode *node, const char *name)
{
        for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
                        return c;
        return NULL;
}

/* The domain's XML parsed: no network access, no entities expanded. */
static int domdev_load(VmmctlCtx *ctx, const VmmctlArgs *args, VmmDomain **ret_dom,
                       xmlDoc **ret_doc, VmmError *error)
{
        unsigned int flags = vmmctl_args_has(args, "inactive") ? VMM_DOMAIN_XML_INACTIVE : 0;
        _cleanup_free_ char *xml = NULL;
        xmlDoc *doc;
        int r;

        r = vmmctl_domain_lookup(ctx, args, ret_dom, error);
        if (r < 0)
                return r;
        r = vmm_domain_get_xml(*ret_dom, flags, &xml, error);
        if (r < 0)
                return r;
        doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc || !xmlDocGetRootElement(doc)) {
                if (doc)
                        xmlFreeDoc(doc);
                return vmmctl_error(error, -EPROTO,
                                    "domain '%s': the XML received is not "
                                    "well-formed",
                                    vmm_domain_get_name(*ret_dom));
        }
        *ret_doc = doc;
        return 0;
}

/* What a disk's <source> points at, as virsh shows it ("-" for none). */
static char *domdev_disk_source(xmlNode *disk)
{
        static const char *const attrs[] = {"file", "dev", "dir", "name", "volume"};
        xmlNode *src = domdev_child(disk, "source");
        _cleanup_free_ char *pool = NULL;
        char *s;

        if (!src)
                return NULL;
        pool = domdev_attr(src, "pool");
        for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
                s = domdev_attr(src, attrs[i]);
                if (!s)
                        continue;
                if (pool && strcmp(attrs[i], "volume") == 0) {
                        char *full = NULL;

                        if (asprintf(&full, "%s/%s", pool, s) < 0)
                                full = NULL;
                        free(s);
                        return full;
                }
                return s;
        }
        return NULL;
}

typedef struct DomdevRow {
        char *cells[5];
} DomdevRow;

static void domdev_row_done(DomdevRow *row)
{
        for (size_t i = 0; i < 5; i++) {
                free(row->cells[i]);
                row->cells[i] = NULL;
        }
}

static const char *dash(const char *s)
{
        return s && *s ? s : "-";
}

/* Prints the rows as a table, or as a JSON array of objects with `keys`. */
static int domdev_print(VmmctlCtx *ctx, const char *const *header, const char *const *keys,
                        size_t n_cols, DomdevRow *rows, size_t n_rows, VmmError *error)
{
        VmmctlTable t;
        int r;

        if (ctx->json) {
                json_object *list = json_object_new_array();

                for (size_t i = 0; i < n_rows; i++) {
                        json_object *o = json_object_new_object();

                        for (size_t c = 0; c < n_cols; c++)
                                vmmctl_json_add_string(o, keys[c], rows[i].cells[c]);
                        json_object_array_add(list, o);
                }
                vmmctl_json_print(list);
                return 0;
        }
        r = vmmctl_table_init(&t, n_cols, header);
        for (size_t i = 0; r >= 0 && i < n_rows; i++) {
                const char *cells[5];

                for (size_t c = 0; c < n_cols; c++)
                        cells[c] = dash(rows[i].cells[c]);
                r = vmmctl_table_add_row(&t, cells);
        }
        if (r >= 0)
                vmmctl_table_print(&t, stdout, ctx->quiet);
        vmmctl_table_done(&t);
        return r < 0 ? vmmctl_error(error, -ENOMEM, "out of memory") : 0;
}

/* Collects one row per <devices> child named `element`. */
static int domdev_collect(xmlDoc *doc, const char *element,
                          void (*fill)(xmlNode *dev, DomdevRow *row, bool details), bool details,
                          DomdevRow **ret_rows, size_t *ret_n)
{
        xmlNode *devices = domdev_child(xmlDocGetRootElement(doc), "devices");
        DomdevRow *rows = NULL;
        size_t n = 0;

        for (xmlNode *c = devices ? devices->children : NULL; c; c = c->next) {
                DomdevRow *nr;

                if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, element) != 0)
                        continue;
                nr = realloc(rows, (n + 1) * sizeof(*rows));
                if (!nr) {
                        for (size_t i = 0; i < n; i++)
                                domdev_row_done(&rows[i]);
                        free(rows);
                        return -ENOMEM;
                }
                rows = nr;
                memset(&rows[n], 0, sizeof(rows[n]));
                fill(c, &rows[n], details);
                n++;
        }
        *ret_rows = rows;
        *ret_n = n;
        return 0;
}

static void domdev_fill_disk(xmlNode *disk, DomdevRow *row, bool details)
{
        size_t c = 0;

        if (details) {
                row->cells[c++] = domdev_attr(disk, "type");
                row->cells[c++] = domdev_attr(disk, "device");
        }
        row->cells[c++] = domdev_attr(domdev_child(disk, "target"), "dev");
        row->cells[c] = domdev_disk_source(disk);
}

static const char *domdev_iface_source_attr(const char *type)
{
        if (!type)
                return NULL;
        if (strcmp(type, "network") == 0)
                return "network";
        if (strcmp(type, "bridge") == 0)
                return "bridge";
        if (strcmp(type, "direct") == 0 || strcmp(type, "hostdev") == 0)
                return "dev";
        if (strcmp(type, "vhostuser") == 0 || strcmp(type, "server") == 0 ||
            strcmp(type, "client") == 0)
                return "path";
        return NULL;
}

static void domdev_fill_iface(xmlNode *iface, DomdevRow *row, bool details)
{
        const char *src_attr;

        (void)details;
        row->cells[0] = domdev_attr(domdev_child(iface, "target"), "dev");
        row->cells[1] = domdev_attr(iface, "type");
        src_attr = domdev_iface_source_attr(row->cells[1]);
        if (src_attr)
                row->cells[2] = domdev_attr(domdev_child(iface, "source"), src_attr);
        row->cells[3] = domdev_attr(domdev_child(iface, "model"), "type");
        row->cells[4] = domdev_attr(domdev_child(iface, "mac"), "address");
}

static int domdev_list(VmmctlCtx *ctx, const VmmctlArgs *args, const char *element,
                       void (*fill)(xmlNode *, DomdevRow *, bool), bool details,
                       const char *const *header, const char *const *keys, size_t n_cols,
                       VmmError *error)
{
        _cleanup_(domdev_domain_unrefp) VmmDomain *dom = NULL;
        _cleanup_(domdev_doc_freep) xmlDoc *doc = NULL;
        DomdevRow *rows = NULL;
        size_t n = 0;
        int r;

        r = domdev_load(ctx, args, &dom, &doc, error);
        if (r < 0)
                return r;
        if (domdev_collect(doc, element, fill, details, &rows, &n) < 0)
                return vmmctl_error(error, -ENOMEM, "out of memory");
        r = domdev_print(ctx, header, keys, n_cols, rows, n, error);
        for (size_t i = 0; i < n; i++)
                domdev_row_done(&rows[i]);
        free(rows);
        return r;
}

int vmmctl_cmd_domblklist(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        static const char *const header[] = {"Target", "Source"};
        static const char *const keys[] = {"target", "source"};
        static const char *const dheader[] = {"Type", "Device", "Target", "Source"};
        static const char *const dkeys[] = {"type", "device", "target", "source"};
        bool details = vmmctl_args_has(args, "details");

        return domdev_list(ctx, args, "disk", domdev_fill_disk, details, details ? dheader : header,
                           details ? dkeys : keys, details ? 4 : 2, error);
}

int vmmctl_cmd_domiflist(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        static const char *const header[] = {"Interface", "Type", "Source", "Model", "MAC"};
        static const char *const keys[] = {"interface", "type", "source", "model", "mac"};

        return domdev_list(ctx, args, "interface", domdev_fill_iface, false, header, keys, 5,
                           error);
}
