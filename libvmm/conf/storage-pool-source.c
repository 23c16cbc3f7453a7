/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storage-pool-source.c: a pool's <source> element. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage-pool-priv.h"
#include "util/cleanup.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const pool_adapter_type_table[_VMM_STORAGE_POOL_ADAPTER_MAX] = {
    [VMM_STORAGE_POOL_ADAPTER_SCSI_HOST] = "scsi_host",
    [VMM_STORAGE_POOL_ADAPTER_FC_HOST] = "fc_host",
};

static const char *const pool_auth_type_table[_VMM_STORAGE_POOL_AUTH_MAX] = {
    [VMM_STORAGE_POOL_AUTH_CHAP] = "chap",
    [VMM_STORAGE_POOL_AUTH_CEPH] = "ceph",
};

/* Grows `*array` (of `*n` elements of `size` bytes) by one zeroed element. */
static void *pool_array_add(void **array, size_t *n, size_t size)
{
        char *p = realloc(*array, (*n + 1) * size);

        if (!p)
                return NULL;
        memset(p + *n * size, 0, size);
        *array = p;
        return p + (*n)++ * size;
}

static int pool_host_parse(xmlNodePtr node, VmmStoragePoolSource *source, VmmError *error)
{
        static const char *const attrs[] = {"name", "port", NULL};
        VmmStoragePoolHost *host;
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        host = pool_array_add((void **)&source->hosts, &source->n_hosts, sizeof(*host));
        if (!host)
                return vmm_error_oom(error);
        r = vmm_storage_required_attr(node, "name", &host->name, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_uint(node, "port", &host->port, error);
        if (r < 0)
                return r;
        if (r > 0 && (host->port == 0 || host->port > 65535))
                return vmm_xml_attr_error(error, node, "port",
                                          "\"%u\" is not a valid port (expected 1 to 65535)",
                                          host->port);
        host->has_port = r > 0;
        return 0;
}

static int pool_device_parse(xmlNodePtr node, VmmStoragePoolSource *source, VmmError *error)
{
        static const char *const attrs[] = {"path", "part_separator", NULL};
        static const char *const children[] = {"freeExtent", NULL};
        VmmStoragePoolDevice *dev;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        dev = pool_array_add((void **)&source->devices, &source->n_devices, sizeof(*dev));
        if (!dev)
                return vmm_error_oom(error);
        dev->part_separator = -1;
        r = vmm_storage_required_attr(node, "path", &dev->path, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_yesno(node, "part_separator", &dev->part_separator, error);
        if (r < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmStorageExtent *ext;

                if (!vmm_xml_is(c, "freeExtent"))
                        continue;
                ext =
                    pool_array_add((void **)&dev->free_extents, &dev->n_free_extents, sizeof(*ext));
                if (!ext)
                        return vmm_error_oom(error);
                r = vmm_storage_extent_parse(c, ext, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int pool_hex_attr(xmlNodePtr node, const char *attr, unsigned int max, unsigned int *ret,
                         VmmError *error)
{
        _cleanup_free_ char *v = vmm_xml_get_prop(node, attr);
        unsigned long n;
        char *end;

        if (!v)
                return vmm_xml_error(error, node, "missing attribute '%s'", attr);
        errno = 0;
        n = strtoul(v, &end, 0);
        if (!*v || *end || errno || n > max || v[0] == '-')
                return vmm_xml_attr_error(error, node, attr,
                                          "\"%s\" is not valid (expected a number from 0 to "
                                          "0x%x, e.g. \"0x%02x\")",
                                          v, max, max < 0x20 ? max : 0x1f);
        *ret = (unsigned int)n;
        return 0;
}

static int pool_parentaddr_parse(xmlNodePtr node, VmmStoragePoolAdapter *a, VmmError *error)
{
        static const char *const children[] = {"address", NULL};
        static const char *const attrs[] = {"unique_id", NULL};
        static const char *const addr_attrs[] = {"domain", "bus", "slot", "function", NULL};
        xmlNodePtr addr;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_uint(node, "unique_id", &a->unique_id, error);
        if (r < 0)
                return r;
        a->has_unique_id = r > 0;
        addr = vmm_xml_child(node, "address");
        if (!addr)
                return vmm_xml_error(error, node, "missing <address> (the PCI address of the HBA)");
        r = vmm_xml_check_node(addr, NULL, addr_attrs, 0, NULL, error);
        if (r < 0)
                return r;
        if ((r = pool_hex_attr(addr, "domain", 0xffff, &a->addr_domain, error)) < 0 ||
            (r = pool_hex_attr(addr, "bus", 0xff, &a->addr_bus, error)) < 0 ||
            (r = pool_hex_attr(addr, "slot", 0x1f, &a->addr_slot, error)) < 0 ||
            (r = pool_hex_attr(addr, "function", 0x7, &a->addr_function, error)) < 0)
                return r;
        a->has_parentaddr = true;
        return 0;
}

static int pool_adapter_parse(xmlNodePtr node, VmmStoragePoolAdapter *a, VmmError *error)
{
        static const char *const attrs[] = {
            "type",    "name", "parent", "parent_wwnn", "parent_wwpn", "parent_fabric_wwn",
            "managed", "wwnn", "wwpn",   NULL};
        static const char *const children[] = {"parentaddr", NULL};
        xmlNodePtr c;
        int type = VMM_STORAGE_POOL_ADAPTER_DEFAULT;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        a->present = true;
        a->managed = -1;
        r = vmm_storage_parse_enum_attr(node, "type", pool_adapter_type_table,
                                        _VMM_STORAGE_POOL_ADAPTER_MAX, NULL, &type, error);
        if (r < 0)
                return r;
        a->type = (VmmStoragePoolAdapterType)type;
        a->name = vmm_xml_get_prop(node, "name");
        a->parent = vmm_xml_get_prop(node, "parent");
        a->parent_wwnn = vmm_xml_get_prop(node, "parent_wwnn");
        a->parent_wwpn = vmm_xml_get_prop(node, "parent_wwpn");
        a->parent_fabric_wwn = vmm_xml_get_prop(node, "parent_fabric_wwn");
        a->wwnn = vmm_xml_get_prop(node, "wwnn");
        a->wwpn = vmm_xml_get_prop(node, "wwpn");
        r = vmm_xml_prop_yesno(node, "managed", &a->managed, error);
        if (r < 0)
                return r;
        if ((c = vmm_xml_child(node, "parentaddr")))
                return pool_parentaddr_parse(c, a, error);
        return 0;
}

static int pool_auth_parse(xmlNodePtr node, VmmStoragePoolAuth *auth, VmmError *error)
{
        static const char *const attrs[] = {"type", "username", NULL};
        static const char *const children[] = {"secret", NULL};
        static const char *const secret_attrs[] = {"uuid", "usage", NULL};
        _cleanup_free_ char *uuid = NULL;
        xmlNodePtr secret;
        int type = -1;
        int r;

        r = vmm_xml_check_node(node, children, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_storage_parse_enum_attr(node, "type", pool_auth_type_table,
                                        _VMM_STORAGE_POOL_AUTH_MAX, NULL, &type, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'type' (expected \"chap\" or \"ceph\")");
        auth->present = true;
        auth->type = (VmmStoragePoolAuthType)type;
        r = vmm_storage_required_attr(node, "username", &auth->username, error);
        if (r < 0)
                return r;
        secret = vmm_xml_child(node, "secret");
        if (!secret)
                return vmm_xml_error(error, node,
                                     "missing <secret> (expected <secret uuid='...'/> or "
                                     "<secret usage='...'/>)");
        r = vmm_xml_check_node(secret, NULL, secret_attrs, 0, NULL, error);
        if (r < 0)
                return r;
        auth->has_secret = true;
        uuid = vmm_xml_get_prop(secret, "uuid");
        auth->secret_usage = vmm_xml_get_prop(secret, "usage");
        if (!uuid == !auth->secret_usage)
                return vmm_xml_error(error, secret,
                                     "expected exactly one of the attributes 'uuid' and 'usage'");
        if (uuid) {
                VmmError e = VMM_ERROR_INIT;

                r = vmm_uuid_parse(uuid, auth->secret_uuid, &e);
                if (r < 0) {
                        r = vmm_xml_attr_error(error, secret, "uuid", "%s", vmm_error_message(&e));
                        vmm_error_clear(&e);
                        return r;
                }
                auth->secret_has_uuid = true;
        }
        return 0;
}

/* An element whose only content is one required attribute (<dir path=>,
 * <vendor name=>, <iqn name=>), read into *ret. */
static int pool_single_attr(xmlNodePtr node, const char *attr, char **ret, VmmError *error)
{
        const char *const attrs[] = {attr, NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        return vmm_storage_required_attr(node, attr, ret, error);
}

static int pool_format_parse(xmlNodePtr node, VmmStoragePoolType type, VmmStoragePoolSource *source,
                             VmmError *error)
{
        static const char *const attrs[] = {"type", NULL};
        const char *const *table;
        char context[64];
        int n, r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        table = vmm_storage_pool_format_table(type, &n);
        if (!table)
                return vmm_xml_error(error, node, "a '%s' pool has no source format",
                                     vmm_storage_pool_type_to_string(type));
        snprintf(context, sizeof(context), "for a '%s' pool",
                 vmm_storage_pool_type_to_string(type));
        r = vmm_storage_parse_enum_attr(node, "type", table, n, context, &source->format, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'type'");
        return 0;
}

static int pool_initiator_parse(xmlNodePtr node, VmmStoragePoolSource *source, VmmError *error)
{
        static const char *const children[] = {"iqn", NULL};
        xmlNodePtr iqn;
        int r;

        r = vmm_xml_check_node(node, children, NULL, 0, NULL, error);
        if (r < 0)
                return r;
        iqn = vmm_xml_child(node, "iqn");
        if (!iqn)
                return vmm_xml_error(error, node, "missing <iqn name='...'/>");
        return pool_single_attr(iqn, "name", &source->initiator_iqn, error);
}

static int pool_protocol_parse(xmlNodePtr node, VmmStoragePoolSource *source, VmmError *error)
{
        static const char *const attrs[] = {"ver", NULL};
        int r;

        r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_uint(node, "ver", &source->protocol_ver, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node, "missing attribute 'ver' (e.g. \"4\")");
        source->has_protocol_ver = true;
        return 0;
}

static int pool_source_child(xmlNodePtr c, VmmStoragePoolType type, VmmStoragePoolSource *source,
                             VmmError *error)
{
        if (vmm_xml_is(c, "host"))
                return pool_host_parse(c, source, error);
        if (vmm_xml_is(c, "device"))
                return pool_device_parse(c, source, error);
        if (vmm_xml_is(c, "dir"))
                return pool_single_attr(c, "path", &source->dir, error);
        if (vmm_xml_is(c, "adapter"))
                return pool_adapter_parse(c, &source->adapter, error);
        if (vmm_xml_is(c, "name")) {
                source->name = vmm_xml_get_text(c);
                return source->name ? 0 : vmm_error_oom(error);
        }
        if (vmm_xml_is(c, "format"))
                return pool_format_parse(c, type, source, error);
        if (vmm_xml_is(c, "vendor"))
                return pool_single_attr(c, "name", &source->vendor, error);
        if (vmm_xml_is(c, "product"))
                return pool_single_attr(c, "name", &source->product, error);
        if (vmm_xml_is(c, "auth"))
                return pool_auth_parse(c, &source->auth, error);
        if (vmm_xml_is(c, "initiator"))
                return pool_initiator_parse(c, source, error);
        if (vmm_xml_is(c, "protocol"))
                return pool_protocol_parse(c, source, error);
        return 0;
}

int vmm_storage_pool_source_parse(xmlNodePtr node, VmmStoragePoolType type, unsigned int flags,
                                  VmmStoragePoolSource *source, VmmError *error)
{
        static const char *const children[] = {"host", "device",    "dir",      "adapter",
                                               "name", "format",    "vendor",   "product",
                                               "auth", "initiator", "protocol", NULL};
        int r;

        source->format = -1;
        r = vmm_xml_check_node(node, children, NULL, flags, &source->unknown, error);
        if (r < 0)
                return r;
        /* every child but <host> and <device> comes once */
        r = vmm_storage_check_single(node, children + 2, error);
        if (r < 0)
                return r;
        source->present = true;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                r = pool_source_child(c, type, source, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void pool_adapter_format(const VmmStoragePoolAdapter *a, xmlNodePtr parent)
{
        xmlNodePtr node = vmm_xml_new_child(parent, "adapter", NULL);

        if (a->type != VMM_STORAGE_POOL_ADAPTER_DEFAULT)
                vmm_xml_set_prop(node, "type", pool_adapter_type_table[a->type]);
        vmm_xml_set_prop(node, "name", a->name);
        if (a->managed >= 0)
                vmm_xml_set_prop(node, "managed", a->managed ? "yes" : "no");
        vmm_xml_set_prop(node, "parent", a->parent);
        vmm_xml_set_prop(node, "parent_wwnn", a->parent_wwnn);
        vmm_xml_set_prop(node, "parent_wwpn", a->parent_wwpn);
        vmm_xml_set_prop(node, "parent_fabric_wwn", a->parent_fabric_wwn);
        vmm_xml_set_prop(node, "wwnn", a->wwnn);
        vmm_xml_set_prop(node, "wwpn", a->wwpn);
        if (a->has_parentaddr) {
                xmlNodePtr pa = vmm_xml_new_child(node, "parentaddr", NULL);
                xmlNodePtr addr;

                if (a->has_unique_id)
                        vmm_xml_set_propf(pa, "unique_id", "%u", a->unique_id);
                addr = vmm_xml_new_child(pa, "address", NULL);
                vmm_xml_set_propf(addr, "domain", "0x%04x", a->addr_domain);
                vmm_xml_set_propf(addr, "bus", "0x%02x", a->addr_bus);
                vmm_xml_set_propf(addr, "slot", "0x%02x", a->addr_slot);
                vmm_xml_set_propf(addr, "function", "0x%x", a->addr_function);
        }
}

static void pool_auth_format(const VmmStoragePoolAuth *auth, xmlNodePtr parent)
{
        xmlNodePtr node = vmm_xml_new_child(parent, "auth", NULL);
        xmlNodePtr secret;
        char buf[VMM_UUID_STRLEN];

        vmm_xml_set_prop(node, "type", pool_auth_type_table[auth->type]);
        vmm_xml_set_prop(node, "username", auth->username);
        if (!auth->has_secret)
                return;
        secret = vmm_xml_new_child(node, "secret", NULL);
        if (auth->secret_has_uuid)
                vmm_xml_set_prop(secret, "uuid", vmm_uuid_format(auth->secret_uuid, buf));
        vmm_xml_set_prop(secret, "usage", auth->secret_usage);
}

static void pool_devices_format(const VmmStoragePoolSource *source, xmlNodePtr node)
{
        for (size_t i = 0; i < source->n_devices; i++) {
                const VmmStoragePoolDevice *d = &source->devices[i];
                xmlNodePtr c = vmm_xml_new_child(node, "device", NULL);

                vmm_xml_set_prop(c, "path", d->path);
                if (d->part_separator >= 0)
                        vmm_xml_set_prop(c, "part_separator", d->part_separator ? "yes" : "no");
                for (size_t j = 0; j < d->n_free_extents; j++) {
                        xmlNodePtr e = vmm_xml_new_child(c, "freeExtent", NULL);

                        vmm_xml_set_propf(e, "start", "%" PRIu64, d->free_extents[j].start);
                        vmm_xml_set_propf(e, "end", "%" PRIu64, d->free_extents[j].end);
                }
        }
}

void vmm_storage_pool_source_format(const VmmStoragePoolSource *source, VmmStoragePoolType type,
                                    xmlNodePtr parent)
{
        xmlNodePtr node, c;
        const char *const *table;
        int n;

        if (!source->present)
                return;
        node = vmm_xml_new_child(parent, "source", NULL);
        for (size_t i = 0; i < source->n_hosts; i++) {
                c = vmm_xml_new_child(node, "host", NULL);
                vmm_xml_set_prop(c, "name", source->hosts[i].name);
                if (source->hosts[i].has_port)
                        vmm_xml_set_propf(c, "port", "%u", source->hosts[i].port);
        }
        pool_devices_format(source, node);
        if (source->dir)
                vmm_xml_set_prop(vmm_xml_new_child(node, "dir", NULL), "path", source->dir);
        if (source->adapter.present)
                pool_adapter_format(&source->adapter, node);
        if (source->name)
                vmm_xml_new_child(node, "name", source->name);
        table = vmm_storage_pool_format_table(type, &n);
        if (table && source->format >= 0 && source->format < n)
                vmm_xml_set_prop(vmm_xml_new_child(node, "format", NULL), "type",
                                 table[source->format]);
        if (source->initiator_iqn) {
                c = vmm_xml_new_child(node, "initiator", NULL);
                vmm_xml_set_prop(vmm_xml_new_child(c, "iqn", NULL), "name", source->initiator_iqn);
        }
        if (source->auth.present)
                pool_auth_format(&source->auth, node);
        if (source->vendor)
                vmm_xml_set_prop(vmm_xml_new_child(node, "vendor", NULL), "name", source->vendor);
        if (source->product)
                vmm_xml_set_prop(vmm_xml_new_child(node, "product", NULL), "name", source->product);
        if (source->has_protocol_ver)
                vmm_xml_set_propf(vmm_xml_new_child(node, "protocol", NULL), "ver", "%u",
                                  source->protocol_ver);
        vmm_xml_unknown_format(&source->unknown, node);
}

void vmm_storage_pool_source_done(VmmStoragePoolSource *source)
{
        VmmStoragePoolAdapter *a = &source->adapter;

        for (size_t i = 0; i < source->n_hosts; i++)
                free(source->hosts[i].name);
        free(source->hosts);
        for (size_t i = 0; i < source->n_devices; i++) {
                free(source->devices[i].path);
                free(source->devices[i].free_extents);
        }
        free(source->devices);
        free(source->dir);
        free(a->name);
        free(a->parent);
        free(a->parent_wwnn);
        free(a->parent_wwpn);
        free(a->parent_fabric_wwn);
        free(a->wwnn);
        free(a->wwpn);
        free(source->name);
        free(source->vendor);
        free(source->product);
        free(source->auth.username);
        free(source->auth.secret_usage);
        free(source->initiator_iqn);
        vmm_xml_unknown_done(&source->unknown);
        memset(source, 0, sizeof(*source));
        source->format = -1;
}

static void pool_adapter_diff(VmmBuf *diff, const VmmStoragePoolAdapter *a,
                              const VmmStoragePoolAdapter *b)
{
        vmm_storage_diff_bool(diff, "source adapter", a->present, b->present);
        vmm_storage_diff_int(diff, "source adapter type", a->type, b->type);
        vmm_storage_diff_str(diff, "source adapter name", a->name, b->name);
        vmm_storage_diff_str(diff, "source adapter parent", a->parent, b->parent);
        vmm_storage_diff_str(diff, "source adapter parent_wwnn", a->parent_wwnn, b->parent_wwnn);
        vmm_storage_diff_str(diff, "source adapter parent_wwpn", a->parent_wwpn, b->parent_wwpn);
        vmm_storage_diff_str(diff, "source adapter parent_fabric_wwn", a->parent_fabric_wwn,
                             b->parent_fabric_wwn);
        vmm_storage_diff_str(diff, "source adapter wwnn", a->wwnn, b->wwnn);
        vmm_storage_diff_str(diff, "source adapter wwpn", a->wwpn, b->wwpn);
        vmm_storage_diff_int(diff, "source adapter managed", a->managed, b->managed);
        vmm_storage_diff_bool(diff, "source adapter parentaddr", a->has_parentaddr,
                              b->has_parentaddr);
        vmm_storage_diff_int(diff, "source adapter parentaddr unique_id",
                             a->has_unique_id ? (int64_t)a->unique_id : -1,
                             b->has_unique_id ? (int64_t)b->unique_id : -1);
        vmm_storage_diff_int(diff, "source adapter address domain", a->addr_domain, b->addr_domain);
        vmm_storage_diff_int(diff, "source adapter address bus", a->addr_bus, b->addr_bus);
        vmm_storage_diff_int(diff, "source adapter address slot", a->addr_slot, b->addr_slot);
        vmm_storage_diff_int(diff, "source adapter address function", a->addr_function,
                             b->addr_function);
}

static void pool_auth_diff(VmmBuf *diff, const VmmStoragePoolAuth *a, const VmmStoragePoolAuth *b)
{
        vmm_storage_diff_bool(diff, "source auth", a->present, b->present);
        vmm_storage_diff_int(diff, "source auth type", a->type, b->type);
        vmm_storage_diff_str(diff, "source auth username", a->username, b->username);
        vmm_storage_diff_bool(diff, "source auth secret", a->has_secret, b->has_secret);
        if (a->secret_has_uuid != b->secret_has_uuid ||
            memcmp(a->secret_uuid, b->secret_uuid, VMM_UUID_LEN) != 0)
                vmm_buf_addf(diff, "%ssource auth secret uuid differs", diff->len ? "; " : "");
        vmm_storage_diff_str(diff, "source auth secret usage", a->secret_usage, b->secret_usage);
}

static void pool_devices_diff(VmmBuf *diff, const VmmStoragePoolSource *a,
                              const VmmStoragePoolSource *b)
{
        vmm_storage_diff_int(diff, "source devices", (int64_t)a->n_devices, (int64_t)b->n_devices);
        for (size_t i = 0; i < a->n_devices && i < b->n_devices; i++) {
                const VmmStoragePoolDevice *x = &a->devices[i], *y = &b->devices[i];

                vmm_storage_diff_str(diff, "source device path", x->path, y->path);
                vmm_storage_diff_int(diff, "source device part_separator", x->part_separator,
                                     y->part_separator);
                vmm_storage_diff_int(diff, "source device freeExtents", (int64_t)x->n_free_extents,
                                     (int64_t)y->n_free_extents);
                for (size_t j = 0; j < x->n_free_extents && j < y->n_free_extents; j++) {
                        vmm_storage_diff_int(diff, "source device freeExtent start",
                                             (int64_t)x->free_extents[j].start,
                                             (int64_t)y->free_extents[j].start);
                        vmm_storage_diff_int(diff, "source device freeExtent end",
                                             (int64_t)x->free_extents[j].end,
                                             (int64_t)y->free_extents[j].end);
                }
        }
}

void vmm_storage_pool_source_diff(VmmBuf *diff, const VmmStoragePoolSource *a,
                                  const VmmStoragePoolSource *b)
{
        vmm_storage_diff_bool(diff, "source", a->present, b->present);
        vmm_storage_diff_int(diff, "source hosts", (int64_t)a->n_hosts, (int64_t)b->n_hosts);
        for (size_t i = 0; i < a->n_hosts && i < b->n_hosts; i++) {
                vmm_storage_diff_str(diff, "source host name", a->hosts[i].name, b->hosts[i].name);
                vmm_storage_diff_int(diff, "source host port",
                                     a->hosts[i].has_port ? (int64_t)a->hosts[i].port : -1,
                                     b->hosts[i].has_port ? (int64_t)b->hosts[i].port : -1);
        }
        pool_devices_diff(diff, a, b);
        vmm_storage_diff_str(diff, "source dir", a->dir, b->dir);
        pool_adapter_diff(diff, &a->adapter, &b->adapter);
        vmm_storage_diff_str(diff, "source name", a->name, b->name);
        vmm_storage_diff_int(diff, "source format", a->format, b->format);
        vmm_storage_diff_str(diff, "source vendor", a->vendor, b->vendor);
        vmm_storage_diff_str(diff, "source product", a->product, b->product);
        pool_auth_diff(diff, &a->auth, &b->auth);
        vmm_storage_diff_str(diff, "source initiator iqn", a->initiator_iqn, b->initiator_iqn);
        vmm_storage_diff_int(diff, "source protocol ver",
                             a->has_protocol_ver ? (int64_t)a->protocol_ver : -1,
                             b->has_protocol_ver ? (int64_t)b->protocol_ver : -1);
        vmm_storage_diff_unknown(diff, "source", &a->unknown, &b->unknown);
}
