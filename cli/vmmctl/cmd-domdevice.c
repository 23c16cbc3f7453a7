/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-domdevice.c: attach-device, detach-device, and virsh's shorthands
 * attach-disk, detach-disk, attach-interface, detach-interface. The
 * shorthands write the device XML here (with libxml2, so values are
 * escaped) and go through the same two public calls.
 *
 * Flags as virsh: --live, --config, --current (exclusive with the two),
 * --persistent (the definition, and the guest too when it runs).
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "output.h"
#include "vmmctl.h"

/* Device XML files are small; larger ones are refused here. */
#define DEVICE_FILE_MAX (256 * 1024)

static inline void domdevice_domain_unrefp(VmmDomain **d)
{
        vmm_domain_unref(*d);
}

static inline void domdevice_doc_freep(xmlDoc **d)
{
        if (*d)
                xmlFreeDoc(*d);
}

static int domdevice_read_file(const char *path, char **ret, VmmError *error)
{
        _cleanup_fclose_ FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "re");
        FILE *in = strcmp(path, "-") == 0 ? stdin : f;
        _cleanup_free_ char *data = malloc(DEVICE_FILE_MAX + 1);
        size_t len = 0, n;

        if (!in)
                return vmmctl_error(error, -errno, "cannot read '%s': %s", path, strerror(errno));
        if (!data)
                return vmmctl_error(error, -ENOMEM, "out of memory");
        while ((n = fread(data + len, 1, DEVICE_FILE_MAX + 1 - len, in)) > 0) {
                len += n;
                if (len > DEVICE_FILE_MAX)
                        return vmmctl_error(error, -EFBIG,
                                            "'%s' is larger than %d bytes (expected one device "
                                            "element)",
                                            path, DEVICE_FILE_MAX);
        }
        if (ferror(in))
                return vmmctl_error(error, -EIO, "cannot read '%s'", path);
        data[len] = '\0';
        *ret = TAKE_PTR(data);
        return 0;
}

static int domdevice_flags(const VmmctlArgs *args, VmmDomain *dom, unsigned int *ret_flags,
                           VmmError *error)
{
        bool live = vmmctl_args_has(args, "live"), config = vmmctl_args_has(args, "config");
        bool current = vmmctl_args_has(args, "current");
        bool persistent = vmmctl_args_has(args, "persistent");
        unsigned int flags = 0;
        int r;

        if (current && (live || config || persistent))
                return vmmctl_error(error, -EINVAL,
                                    "options --current and --live/--config/--persistent are "
                                    "mutually exclusive");
        if (live)
                flags |= VMM_DOMAIN_AFFECT_LIVE;
        if (config || persistent)
                flags |= VMM_DOMAIN_AFFECT_CONFIG;
        if (persistent) {
                r = vmm_domain_is_active(dom, error);
                if (r < 0)
                        return r;
                if (r > 0)
                        flags |= VMM_DOMAIN_AFFECT_LIVE;
        }
        *ret_flags = flags;
        return 0;
}

/* Looks the domain up and attaches or detaches `xml`. */
static int domdevice_run(VmmctlCtx *ctx, const VmmctlArgs *args, const char *xml, bool attach,
                         const char *what, VmmError *error)
{
        _cleanup_(domdevice_domain_unrefp) VmmDomain *dom = NULL;
        unsigned int flags = 0;
        int r;

        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = domdevice_flags(args, dom, &flags, error);
        if (r < 0)
                return r;
        r = attach ? vmm_domain_attach_device(dom, xml, flags, error)
                   : vmm_domain_detach_device(dom, xml, flags, error);
        if (r < 0)
                return r;
        if (ctx->json)
                vmmctl_json_print_action("domain", vmm_domain_get_name(dom));
        else if (!ctx->quiet)
                printf("%s %s successfully\n\n", what, attach ? "attached" : "detached");
        return 0;
}

static int domdevice_file(VmmctlCtx *ctx, const VmmctlArgs *args, bool attach, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        int r = domdevice_read_file(vmmctl_args_get(args, "file"), &xml, error);

        if (r < 0)
                return r;
        return domdevice_run(ctx, args, xml, attach, "Device", error);
}

int vmmctl_cmd_attach_device(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        return domdevice_file(ctx, args, true, error);
}

int vmmctl_cmd_detach_device(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        return domdevice_file(ctx, args, false, error);
}

/* --- building device XML --- */

static xmlNode *domdevice_node(xmlNode *parent, const char *name)
{
        return parent ? xmlNewChild(parent, NULL, (const xmlChar *)name, NULL)
                      : xmlNewNode(NULL, (const xmlChar *)name);
}

static void domdevice_prop(xmlNode *node, const char *name, const char *value)
{
        if (node && value)
                xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

/* The element as a string (heap), then freed. */
static int domdevice_dump(xmlNode *root, char **ret_xml, VmmError *error)
{
        _cleanup_(domdevice_doc_freep) xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
        xmlBuffer *buf = xmlBufferCreate();
        int r = -ENOMEM;

        if (doc && root && buf) {
                xmlDocSetRootElement(doc, root);
                root = NULL;
                if (xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 0) >= 0) {
                        *ret_xml = strdup((const char *)xmlBufferContent(buf));
                        r = *ret_xml ? 0 : -ENOMEM;
                }
        }
        if (root)
                xmlFreeNode(root);
        if (buf)
                xmlBufferFree(buf);
        return r < 0 ? vmmctl_error(error, r, "out of memory") : 0;
}

static int disk_check_choice(const char *opt, const char *value, const char *const *allowed,
                             VmmError *error)
{
        if (!value)
                return 0;
        for (size_t i = 0; allowed[i]; i++)
                if (strcmp(value, allowed[i]) == 0)
                        return 0;
        return vmmctl_error(error, -EINVAL, "--%s: '%s' is not a valid value", opt, value);
}

static int disk_xml(const VmmctlArgs *args, char **ret_xml, VmmError *error)
{
        static const char *const modes[] = {"readonly", "shareable", NULL};
        static const char *const caches[] = {
            "default", "none", "writethrough", "writeback", "directsync", "unsafe", NULL};
        static const char *const types[] = {"disk", "cdrom", NULL};
        const char *source = vmmctl_args_get(args, "source");
        const char *mode = vmmctl_args_get(args, "mode"), *cache = vmmctl_args_get(args, "cache");
        const char *type = vmmctl_args_get(args, "type");
        struct stat st;
        bool block = stat(source, &st) == 0 && S_ISBLK(st.st_mode);
        xmlNode *disk, *driver;
        int r;

        r = disk_check_choice("mode", mode, modes, error);
        if (r >= 0)
                r = disk_check_choice("cache", cache, caches, error);
        if (r >= 0)
                r = disk_check_choice("type", type, types, error);
        if (r < 0)
                return r;
        disk = domdevice_node(NULL, "disk");
        domdevice_prop(disk, "type", block ? "block" : "file");
        domdevice_prop(disk, "device", type ? type : "disk");
        if (vmmctl_args_has(args, "driver") || vmmctl_args_has(args, "subdriver") || cache) {
                driver = domdevice_node(disk, "driver");
                domdevice_prop(driver, "name", vmmctl_args_get(args, "driver"));
                domdevice_prop(driver, "type", vmmctl_args_get(args, "subdriver"));
                domdevice_prop(driver, "cache", cache);
        }
        domdevice_prop(domdevice_node(disk, "source"), block ? "dev" : "file", source);
        driver = domdevice_node(disk, "target");
        domdevice_prop(driver, "dev", vmmctl_args_get(args, "target"));
        domdevice_prop(driver, "bus", vmmctl_args_get(args, "targetbus"));
        if (mode)
                domdevice_node(disk, mode);
        return domdevice_dump(disk, ret_xml, error);
}

int vmmctl_cmd_attach_disk(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        int r = disk_xml(args, &xml, error);

        if (r < 0)
                return r;
        return domdevice_run(ctx, args, xml, true, "Disk", error);
}

int vmmctl_cmd_detach_disk(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        xmlNode *disk = domdevice_node(NULL, "disk");
        int r;

        domdevice_prop(domdevice_node(disk, "target"), "dev", vmmctl_args_get(args, "target"));
        r = domdevice_dump(disk, &xml, error);
        if (r < 0)
                return r;
        return domdevice_run(ctx, args, xml, false, "Disk", error);
}

int vmmctl_cmd_attach_interface(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        static const struct {
                const char *type, *attr;
        } sources[] = {
            {"network", "network"}, {"bridge", "bridge"}, {"direct", "dev"},
            {"user", NULL},         {"ethernet", NULL},
        };
        const char *type = vmmctl_args_get(args, "type");
        const char *source = vmmctl_args_get(args, "source");
        _cleanup_free_ char *xml = NULL;
        xmlNode *net;
        size_t i;
        int r;

        for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
                if (strcmp(sources[i].type, type) == 0)
                        break;
        if (i == sizeof(sources) / sizeof(sources[0]))
                return vmmctl_error(error, -EINVAL,
                                    "interface type '%s' is not supported (expected network, "
                                    "bridge, direct, user or ethernet)",
                                    type);
        if (sources[i].attr && !source)
                return vmmctl_error(error, -EINVAL, "interface type '%s' needs a source (the %s)",
                                    type, sources[i].attr);
        net = domdevice_node(NULL, "interface");
        domdevice_prop(net, "type", type);
        if (sources[i].attr)
                domdevice_prop(domdevice_node(net, "source"), sources[i].attr, source);
        if (vmmctl_args_has(args, "mac"))
                domdevice_prop(domdevice_node(net, "mac"), "address", vmmctl_args_get(args, "mac"));
        if (vmmctl_args_has(args, "target"))
                domdevice_prop(domdevice_node(net, "target"), "dev",
                               vmmctl_args_get(args, "target"));
        if (vmmctl_args_has(args, "model"))
                domdevice_prop(domdevice_node(net, "model"), "type",
                               vmmctl_args_get(args, "model"));
        r = domdevice_dump(net, &xml, error);
        if (r < 0)
                return r;
        return domdevice_run(ctx, args, xml, true, "Interface", error);
}

/* The MAC of the only interface of `type` (with `mac` when given) in the
 * domain's live or persistent XML, as virsh finds it. */
static int iface_find_mac(VmmDomain *dom, unsigned int flags, const char *type, const char *mac,
                          char **ret_mac, VmmError *error)
{
        unsigned int xflags = (flags & VMM_DOMAIN_AFFECT_LIVE) ? 0 : VMM_DOMAIN_XML_INACTIVE;
        _cleanup_(domdevice_doc_freep) xmlDoc *doc = NULL;
        _cleanup_free_ char *xml = NULL, *found = NULL;
        xmlNode *devices = NULL, *root;
        size_t n = 0;
        int r;

        if (flags == 0 && vmm_domain_is_active(dom, NULL) > 0)
                xflags = 0;
        r = vmm_domain_get_xml(dom, xflags, &xml, error);
        if (r < 0)
                return r;
        doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        root = doc ? xmlDocGetRootElement(doc) : NULL;
        for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *)"devices"))
                        devices = c;
        for (xmlNode *c = devices ? devices->children : NULL; c; c = c->next) {
                xmlChar *t, *m = NULL;
                bool match;

                if (c->type != XML_ELEMENT_NODE ||
                    !xmlStrEqual(c->name, (const xmlChar *)"interface"))
                        continue;
                t = xmlGetProp(c, (const xmlChar *)"type");
                for (xmlNode *e = c->children; e && !m; e = e->next)
                        if (e->type == XML_ELEMENT_NODE &&
                            xmlStrEqual(e->name, (const xmlChar *)"mac"))
                                m = xmlGetProp(e, (const xmlChar *)"address");
                match = t && strcmp((const char *)t, type) == 0 &&
                        (!mac || (m && strcasecmp((const char *)m, mac) == 0));
                if (match && n++ == 0 && m)
                        found = strdup((const char *)m);
                xmlFree(t);
                xmlFree(m);
        }
        if (n == 0)
                return vmmctl_error(
                    error, -ENOENT, "domain '%s': no interface found whose type is '%s'%s%s%s",
                    vmm_domain_get_name(dom), type, mac ? " and MAC address is '" : "",
                    mac ? mac : "", mac ? "'" : "");
        if (n > 1)
                return vmmctl_error(error, -EINVAL,
                                    "domain '%s' has %zu interfaces of type '%s' (give the one "
                                    "to detach with --mac)",
                                    vmm_domain_get_name(dom), n, type);
        if (!found)
                return vmmctl_error(error, -EINVAL,
                                    "domain '%s': the interface of type '%s' has no MAC address",
                                    vmm_domain_get_name(dom), type);
        *ret_mac = TAKE_PTR(found);
        return 0;
}

int vmmctl_cmd_detach_interface(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(domdevice_domain_unrefp) VmmDomain *dom = NULL;
        _cleanup_free_ char *mac = NULL, *xml = NULL;
        const char *type = vmmctl_args_get(args, "type");
        unsigned int flags = 0;
        xmlNode *net;
        int r;

        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = domdevice_flags(args, dom, &flags, error);
        if (r >= 0)
                r = iface_find_mac(dom, flags, type, vmmctl_args_get(args, "mac"), &mac, error);
        if (r < 0)
                return r;
        net = domdevice_node(NULL, "interface");
        domdevice_prop(net, "type", type);
        domdevice_prop(domdevice_node(net, "mac"), "address", mac);
        r = domdevice_dump(net, &xml, error);
        if (r < 0)
                return r;
        return domdevice_run(ctx, args, xml, false, "Interface", error);
}
