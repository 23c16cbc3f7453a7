/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-device-edit.c: one device on its own, matched against, added to
 * and removed from copies of a definition (domain-device-edit.h).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain-device-edit.h"
#include "domain-device-internal.h"
#include "domain-disk.h"
#include "domain-net.h"
#include "domain-priv.h"
#include "util/error.h"

static int device_kind_of(xmlNodePtr node)
{
        if (node->ns)
                return -1;
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                if (xmlStrEqual(node->name, (const xmlChar *)vmm_domain_device_kind_to_string(k)))
                        return k;
        return -1;
}

int vmm_domain_device_parse_xml(const char *xml, VmmDomainDevices **ret_one,
                                VmmDomainDeviceKind *ret_kind, VmmError *error)
{
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *one = NULL;
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        xmlNodePtr root, devices;
        int kind, r;

        vmm_check_arg(xml && ret_one && ret_kind, error, "xml, ret_one and ret_kind");
        r = vmm_xml_parse(xml, (size_t)-1, "device XML", &doc, error);
        if (r < 0)
                return r;
        root = xmlDocGetRootElement(doc);
        if (!root)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "device XML: no element");
        kind = device_kind_of(root);
        if (kind < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "line %ld: <%s> is not a device element (expected e.g. "
                                     "<disk> or <interface>)",
                                     xmlGetLineNo(root), (const char *)root->name);
        /* parsed as the only child of a <devices>, as in a full domain */
        devices = xmlNewDocNode(doc, NULL, (const xmlChar *)"devices", NULL);
        if (!devices)
                return vmm_error_oom(error);
        xmlUnlinkNode(root);
        xmlDocSetRootElement(doc, devices);
        if (!xmlAddChild(devices, root)) {
                xmlFreeNode(root);
                return vmm_error_oom(error);
        }
        /* validated later, in the definition it joins (a device to detach
         * may name only what identifies it) */
        r = vmm_domain_devices_parse(devices, 0, &one, error);
        if (r < 0)
                return r;
        assert(one->n[kind] == 1);
        *ret_kind = kind;
        *ret_one = TAKE_PTR(one);
        return 0;
}

void *vmm_domain_device_first(const VmmDomainDevices *one, VmmDomainDeviceKind kind)
{
        return one && (unsigned int)kind < _VMM_DOMAIN_DEVICE_MAX && one->n[kind] > 0
                   ? one->items[kind][0]
                   : NULL;
}

int vmm_domain_device_check_hotplug_kind(VmmDomainDeviceKind kind, const char *op, VmmError *error)
{
        if (kind == VMM_DOMAIN_DEVICE_DISK || kind == VMM_DOMAIN_DEVICE_INTERFACE)
                return 0;
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "%s device: <%s> devices are not supported (expected <disk> or "
                             "<interface>)",
                             op, strna(vmm_domain_device_kind_to_string(kind)));
}

const char *vmm_domain_device_describe(VmmDomainDeviceKind kind, const void *dev, char *buf,
                                       size_t size)
{
        const VmmDomainDisk *disk = dev;
        const VmmDomainNet *net = dev;

        if (kind == VMM_DOMAIN_DEVICE_DISK && disk->target_dev)
                snprintf(buf, size, "disk '%s'", disk->target_dev);
        else if (kind == VMM_DOMAIN_DEVICE_INTERFACE && net->mac)
                snprintf(buf, size, "interface '%s'", net->mac);
        else if (kind == VMM_DOMAIN_DEVICE_INTERFACE && net->info.alias)
                snprintf(buf, size, "interface with alias '%s'", net->info.alias);
        else if (kind == VMM_DOMAIN_DEVICE_INTERFACE && net->target_dev)
                snprintf(buf, size, "interface with target '%s'", net->target_dev);
        else
                snprintf(buf, size, "%s", strna(vmm_domain_device_kind_to_string(kind)));
        return buf;
}

static bool str_eq(const char *a, const char *b)
{
        return a && b && strcmp(a, b) == 0;
}

/* libvirt's rule: every identifying field given must match. */
static bool net_matches(const VmmDomainNet *want, const VmmDomainNet *have)
{
        if (want->mac && !(have->mac && strcasecmp(want->mac, have->mac) == 0))
                return false;
        if (want->info.alias && !str_eq(want->info.alias, have->info.alias))
                return false;
        if (want->target_dev && !str_eq(want->target_dev, have->target_dev))
                return false;
        if (want->info.address && !vmm_dev_address_same(want->info.address, have->info.address))
                return false;
        return true;
}

int vmm_domain_device_find(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                           size_t *ret_index, VmmError *error)
{
        const VmmDomainDevices *d = def->devices;
        size_t n = d ? d->n[kind] : 0, found = 0, index = 0;
        char what[128];

        vmm_domain_device_describe(kind, dev, what, sizeof(what));
        if (kind == VMM_DOMAIN_DEVICE_DISK && !((const VmmDomainDisk *)dev)->target_dev)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "disk: <target dev=...> is missing (a disk is found by its "
                                     "target, e.g. <target dev='vdb'/>)");
        for (size_t i = 0; i < n; i++) {
                bool match;

                if (kind == VMM_DOMAIN_DEVICE_DISK)
                        match = str_eq(((const VmmDomainDisk *)dev)->target_dev,
                                       ((const VmmDomainDisk *)d->items[kind][i])->target_dev);
                else
                        match = net_matches(dev, d->items[kind][i]);
                if (match && found++ == 0)
                        index = i;
        }
        if (found == 0)
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                                     "domain '%s': no %s to detach", strna(def->name), what);
        if (found > 1)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "domain '%s': %zu interfaces match %s (give the MAC "
                                     "address)",
                                     strna(def->name), found, what);
        *ret_index = index;
        return 0;
}

/* A clear message for the conflicts users meet most, before the
 * validation of the whole definition catches the rest. */
static int check_conflict(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                          VmmError *error)
{
        const VmmDomainDevices *d = def->devices;

        for (size_t i = 0; d && i < d->n[kind]; i++) {
                if (kind == VMM_DOMAIN_DEVICE_DISK) {
                        const VmmDomainDisk *a = dev, *b = d->items[kind][i];

                        if (str_eq(a->target_dev, b->target_dev))
                                return vmm_error_set(
                                    error, -EEXIST, VMM_ERR_INVALID_ARG,
                                    "domain '%s': target dev '%s' is already used by disk #%zu "
                                    "(source '%s')",
                                    strna(def->name), a->target_dev, i + 1,
                                    b->source && b->source->file  ? b->source->file
                                    : b->source && b->source->dev ? b->source->dev
                                                                  : "none");
                } else if (kind == VMM_DOMAIN_DEVICE_INTERFACE) {
                        const VmmDomainNet *a = dev, *b = d->items[kind][i];

                        if (a->mac && b->mac && strcasecmp(a->mac, b->mac) == 0)
                                return vmm_error_set(error, -EEXIST, VMM_ERR_INVALID_ARG,
                                                     "domain '%s': MAC address '%s' is already "
                                                     "used by interface #%zu",
                                                     strna(def->name), a->mac, i + 1);
                        if (a->info.alias && str_eq(a->info.alias, b->info.alias))
                                return vmm_error_set(error, -EEXIST, VMM_ERR_INVALID_ARG,
                                                     "domain '%s': alias '%s' is already used "
                                                     "by interface #%zu",
                                                     strna(def->name), a->info.alias, i + 1);
                }
        }
        return 0;
}

int vmm_domain_def_with_device(const VmmDomainDef *def, VmmDomainDeviceKind kind, const void *dev,
                               VmmDomainDef **ret_def, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *copy = NULL;
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *devcopy = NULL;
        VmmDomainDevices tmp = {0};
        void *item = (void *)dev;
        int r;

        vmm_check_arg(def && dev && ret_def, error, "def, dev and ret_def");
        vmm_check_arg((unsigned int)kind < _VMM_DOMAIN_DEVICE_MAX, error, "kind");
        r = check_conflict(def, kind, dev, error);
        if (r < 0)
                return r;
        tmp.items[kind] = &item;
        tmp.n[kind] = 1;
        r = vmm_domain_devices_copy(&tmp, &devcopy, error);
        if (r >= 0)
                r = vmm_domain_def_copy(def, &copy, error);
        if (r < 0)
                return r;
        if (!copy->devices) {
                copy->devices = vmm_domain_devices_new();
                if (!copy->devices)
                        return vmm_error_oom(error);
        }
        r = vmm_domain_devices_add(copy->devices, kind, devcopy->items[kind][0], error);
        if (r < 0)
                return r;
        devcopy->n[kind] = 0; /* now owned by the copy */
        r = vmm_domain_def_fill_defaults(copy, error);
        if (r >= 0)
                r = vmm_domain_def_validate(copy, error);
        if (r < 0)
                return r;
        *ret_def = TAKE_PTR(copy);
        return 0;
}

int vmm_domain_def_without_device(const VmmDomainDef *def, VmmDomainDeviceKind kind, size_t index,
                                  VmmDomainDef **ret_def, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *copy = NULL;
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *gone = NULL;
        VmmDomainDevices *d;
        int r;

        vmm_check_arg(def && ret_def, error, "def and ret_def");
        vmm_check_arg((unsigned int)kind < _VMM_DOMAIN_DEVICE_MAX, error, "kind");
        vmm_check_arg(def->devices && index < def->devices->n[kind], error, "index");
        r = vmm_domain_def_copy(def, &copy, error);
        if (r < 0)
                return r;
        gone = vmm_domain_devices_new();
        if (!gone)
                return vmm_error_oom(error);
        d = copy->devices;
        r = vmm_domain_devices_add(gone, kind, d->items[kind][index], error);
        if (r < 0)
                return r;
        memmove(&d->items[kind][index], &d->items[kind][index + 1],
                (d->n[kind] - index - 1) * sizeof(void *));
        d->n[kind]--;
        *ret_def = TAKE_PTR(copy);
        return 0;
}
