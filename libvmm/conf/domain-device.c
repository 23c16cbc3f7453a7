/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-device.c: the <devices> container: one array per device kind in
 * document order, and the dispatch of parse, format, compare, copy, free
 * and defaults to the kind's table (domain-devfield.h). The per-kind
 * checks and the checks across devices are in domain-device-validate.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain-chr.h"
#include "domain-controller.h"
#include "domain-device-internal.h"
#include "domain-disk.h"
#include "domain-graphics.h"
#include "domain-hostdev.h"
#include "domain-input.h"
#include "domain-misc-dev.h"
#include "domain-net.h"
#include "domain-video.h"
#include "util/error.h"

_Static_assert(VMM_DOMAIN_DEVICES_FORMAT_SECURE == VMM_DEV_FORMAT_SECURE,
               "one bit asks for secrets, from the domain down to each field");

static const VmmDevDesc *const kind_desc[_VMM_DOMAIN_DEVICE_MAX] = {
    [VMM_DOMAIN_DEVICE_EMULATOR] = &vmm_domain_emulator_desc,
    [VMM_DOMAIN_DEVICE_DISK] = &vmm_domain_disk_desc,
    [VMM_DOMAIN_DEVICE_CONTROLLER] = &vmm_domain_controller_desc,
    [VMM_DOMAIN_DEVICE_LEASE] = &vmm_domain_lease_desc,
    [VMM_DOMAIN_DEVICE_FILESYSTEM] = &vmm_domain_filesystem_desc,
    [VMM_DOMAIN_DEVICE_INTERFACE] = &vmm_domain_net_desc,
    [VMM_DOMAIN_DEVICE_SMARTCARD] = &vmm_domain_smartcard_desc,
    [VMM_DOMAIN_DEVICE_SERIAL] = &vmm_domain_serial_desc,
    [VMM_DOMAIN_DEVICE_PARALLEL] = &vmm_domain_parallel_desc,
    [VMM_DOMAIN_DEVICE_CONSOLE] = &vmm_domain_console_desc,
    [VMM_DOMAIN_DEVICE_CHANNEL] = &vmm_domain_channel_desc,
    [VMM_DOMAIN_DEVICE_INPUT] = &vmm_domain_input_desc,
    [VMM_DOMAIN_DEVICE_TPM] = &vmm_domain_tpm_desc,
    [VMM_DOMAIN_DEVICE_GRAPHICS] = &vmm_domain_graphics_desc,
    [VMM_DOMAIN_DEVICE_SOUND] = &vmm_domain_sound_desc,
    [VMM_DOMAIN_DEVICE_AUDIO] = &vmm_domain_audio_desc,
    [VMM_DOMAIN_DEVICE_VIDEO] = &vmm_domain_video_desc,
    [VMM_DOMAIN_DEVICE_HOSTDEV] = &vmm_domain_hostdev_desc,
    [VMM_DOMAIN_DEVICE_REDIRDEV] = &vmm_domain_redirdev_desc,
    [VMM_DOMAIN_DEVICE_REDIRFILTER] = &vmm_domain_redirfilter_desc,
    [VMM_DOMAIN_DEVICE_HUB] = &vmm_domain_hub_desc,
    [VMM_DOMAIN_DEVICE_WATCHDOG] = &vmm_domain_watchdog_desc,
    [VMM_DOMAIN_DEVICE_MEMBALLOON] = &vmm_domain_memballoon_desc,
    [VMM_DOMAIN_DEVICE_RNG] = &vmm_domain_rng_desc,
    [VMM_DOMAIN_DEVICE_NVRAM] = &vmm_domain_nvram_desc,
    [VMM_DOMAIN_DEVICE_PANIC] = &vmm_domain_panic_desc,
    [VMM_DOMAIN_DEVICE_SHMEM] = &vmm_domain_shmem_desc,
    [VMM_DOMAIN_DEVICE_MEMORY] = &vmm_domain_memory_desc,
    [VMM_DOMAIN_DEVICE_IOMMU] = &vmm_domain_iommu_desc,
    [VMM_DOMAIN_DEVICE_VSOCK] = &vmm_domain_vsock_desc,
    [VMM_DOMAIN_DEVICE_CRYPTO] = &vmm_domain_crypto_desc,
    [VMM_DOMAIN_DEVICE_PSTORE] = &vmm_domain_pstore_desc,
};

const char *vmm_domain_device_kind_to_string(VmmDomainDeviceKind kind)
{
        return (unsigned int)kind < _VMM_DOMAIN_DEVICE_MAX ? kind_desc[kind]->name : NULL;
}

static int kind_from_name(const xmlChar *name)
{
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                if (xmlStrEqual(name, (const xmlChar *)kind_desc[k]->name))
                        return k;
        return -1;
}

VmmDomainDevices *vmm_domain_devices_new(void)
{
        return calloc(1, sizeof(VmmDomainDevices));
}

VmmDomainDevices *vmm_domain_devices_free(VmmDomainDevices *devices)
{
        if (!devices)
                return NULL;
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++) {
                for (size_t i = 0; i < devices->n[k]; i++)
                        vmm_devfield_free(kind_desc[k], devices->items[k][i]);
                free(devices->items[k]);
        }
        vmm_xml_unknown_done(&devices->unknown);
        free(devices);
        return NULL;
}

static int devices_append(VmmDomainDevices *devices, int kind, void *dev)
{
        void **a = realloc(devices->items[kind], (devices->n[kind] + 1) * sizeof(*a));

        if (!a)
                return -ENOMEM;
        a[devices->n[kind]++] = dev;
        devices->items[kind] = a;
        return 0;
}

int vmm_domain_devices_add(VmmDomainDevices *devices, VmmDomainDeviceKind kind, void *dev,
                           VmmError *error)
{
        vmm_check_arg(devices && dev, error, "devices and dev");
        vmm_check_arg((unsigned int)kind < _VMM_DOMAIN_DEVICE_MAX, error, "kind");
        if (devices_append(devices, kind, dev) < 0)
                return vmm_error_oom(error);
        return 0;
}

int vmm_domain_devices_parse(xmlNodePtr node, unsigned int flags, VmmDomainDevices **ret_devices,
                             VmmError *error)
{
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *devices = NULL;
        const char *known[_VMM_DOMAIN_DEVICE_MAX + 1] = {NULL};
        int r;

        vmm_check_arg(node && ret_devices, error, "node and ret_devices");
        devices = vmm_domain_devices_new();
        if (!devices)
                return vmm_error_oom(error);
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                known[k] = kind_desc[k]->name;
        /* kept unknown elements are collected first; otherwise the first
         * error in document order is reported */
        if (flags & VMM_XML_KEEP_UNKNOWN) {
                r = vmm_xml_check_node(node, known, NULL, flags, &devices->unknown, error);
                if (r < 0)
                        return r;
        }
        for (xmlNodePtr c = node->children; c; c = c->next) {
                int kind;
                void *dev;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                kind = c->ns ? -1 : kind_from_name(c->name);
                if (kind < 0 && (flags & VMM_XML_KEEP_UNKNOWN))
                        continue; /* kept as unknown content */
                if (kind < 0)
                        return vmm_error_set(
                            error, -EINVAL, VMM_ERR_XML,
                            "line %ld: <devices>: unknown element <%s%s%s>", xmlGetLineNo(c),
                            c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
                            c->ns && c->ns->prefix ? ":" : "", (const char *)c->name);
                r = vmm_devfield_parse_new(kind_desc[kind], c, flags, &dev, error);
                if (r < 0)
                        return r;
                if (devices_append(devices, kind, dev) < 0) {
                        vmm_devfield_free(kind_desc[kind], dev);
                        return vmm_error_oom(error);
                }
        }
        if (!(flags & VMM_XML_KEEP_UNKNOWN)) {
                r = vmm_xml_check_node(node, known, NULL, flags, NULL, error);
                if (r < 0)
                        return r;
        }
        *ret_devices = TAKE_PTR(devices);
        return 0;
}

int vmm_domain_devices_format(const VmmDomainDevices *devices, xmlNodePtr parent,
                              unsigned int flags, VmmError *error)
{
        xmlNodePtr node;
        bool empty = devices->unknown.n_nodes == 0;

        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX && empty; k++)
                empty = devices->n[k] == 0;
        if (empty)
                return 0;
        node = xmlNewChild(parent, NULL, (const xmlChar *)"devices", NULL);
        if (!node)
                return vmm_error_oom(error);
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                for (size_t i = 0; i < devices->n[k]; i++)
                        if (!vmm_devfield_format(kind_desc[k], devices->items[k][i], node, flags))
                                return vmm_error_oom(error);
        vmm_xml_unknown_format(&devices->unknown, node);
        return 0;
}

int vmm_domain_devices_copy(const VmmDomainDevices *src, VmmDomainDevices **ret_copy,
                            VmmError *error)
{
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *copy = vmm_domain_devices_new();

        if (!copy || vmm_xml_unknown_copy(&src->unknown, &copy->unknown) < 0)
                return vmm_error_oom(error);
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++) {
                for (size_t i = 0; i < src->n[k]; i++) {
                        void *dev;

                        if (vmm_devfield_copy(kind_desc[k], src->items[k][i], &dev) < 0)
                                return vmm_error_oom(error);
                        if (devices_append(copy, k, dev) < 0) {
                                vmm_devfield_free(kind_desc[k], dev);
                                return vmm_error_oom(error);
                        }
                }
        }
        *ret_copy = TAKE_PTR(copy);
        return 0;
}

bool vmm_domain_devices_equal(const VmmDomainDevices *a, const VmmDomainDevices *b, char **ret_diff)
{
        VmmBuf diff = VMM_BUF_INIT;
        bool same = true;

        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX && same; k++) {
                if (a->n[k] != b->n[k]) {
                        vmm_buf_addf(&diff, "%s: %zu != %zu devices", kind_desc[k]->name, a->n[k],
                                     b->n[k]);
                        same = false;
                        break;
                }
                for (size_t i = 0; i < a->n[k] && same; i++) {
                        VmmBuf d = VMM_BUF_INIT;
                        char name[160];

                        if (vmm_devfield_equal(kind_desc[k], a->items[k][i], b->items[k][i], &d)) {
                                vmm_buf_done(&d);
                                continue;
                        }
                        vmm_buf_addf(
                            &diff, "%s: %s",
                            vmm_domain_device_name(k, a->items[k][i], i, name, sizeof(name)),
                            vmm_buf_str(&d));
                        vmm_buf_done(&d);
                        same = false;
                }
        }
        if (same && !vmm_xml_unknown_equal(&a->unknown, &b->unknown)) {
                vmm_buf_add(&diff, "devices: unknown device elements differ");
                same = false;
        }
        if (!same && ret_diff)
                *ret_diff = vmm_buf_steal(&diff);
        vmm_buf_done(&diff);
        return same;
}

/* A controller without index= takes the lowest index its type does not
 * use yet. */
static void fill_controller_indexes(VmmDomainDevices *devices)
{
        void **ctrls = devices->items[VMM_DOMAIN_DEVICE_CONTROLLER];
        size_t n = devices->n[VMM_DOMAIN_DEVICE_CONTROLLER];

        for (size_t i = 0; i < n; i++) {
                VmmDomainController *c = ctrls[i];
                bool used = true;

                if (c->index != VMM_DEV_UNSET)
                        continue;
                for (int64_t idx = 0; used; idx++) {
                        used = false;
                        for (size_t j = 0; j < n && !used; j++) {
                                const VmmDomainController *o = ctrls[j];

                                used = o != c && o->type == c->type && o->index == idx;
                        }
                        if (!used)
                                c->index = idx;
                }
        }
}

int vmm_domain_devices_fill_defaults(VmmDomainDevices *devices, VmmError *error)
{
        int r;

        fill_controller_indexes(devices);
        for (size_t i = 0; i < devices->n[VMM_DOMAIN_DEVICE_INTERFACE]; i++) {
                r = vmm_domain_net_fill_defaults(devices->items[VMM_DOMAIN_DEVICE_INTERFACE][i],
                                                 error);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < devices->n[VMM_DOMAIN_DEVICE_DISK]; i++) {
                VmmDomainDisk *disk = devices->items[VMM_DOMAIN_DEVICE_DISK][i];
                static const struct {
                        const char *prefix;
                        VmmDiskBus bus;
                } by_prefix[] = {
                    {"vd", VMM_DISK_BUS_VIRTIO}, {"sd", VMM_DISK_BUS_SCSI},
                    {"hd", VMM_DISK_BUS_IDE},    {"fd", VMM_DISK_BUS_FDC},
                    {"xvd", VMM_DISK_BUS_XEN},   {"ubd", VMM_DISK_BUS_UML},
                };

                if (!disk->type)
                        disk->type = VMM_DISK_TYPE_FILE; /* libvirt's default */
                /* the bus a target name implies, as libvirt does */
                for (size_t j = 0;
                     !disk->target_bus && disk->target_dev && j < ARRAY_SIZE(by_prefix); j++)
                        if (strncmp(disk->target_dev, by_prefix[j].prefix,
                                    strlen(by_prefix[j].prefix)) == 0)
                                disk->target_bus = by_prefix[j].bus;
        }
        return 0;
}

void *const *vmm_domain_devices_get(const VmmDomainDevices *devices, VmmDomainDeviceKind kind,
                                    size_t *ret_n)
{
        if (!devices || (unsigned int)kind >= _VMM_DOMAIN_DEVICE_MAX) {
                *ret_n = 0;
                return NULL;
        }
        *ret_n = devices->n[kind];
        return devices->items[kind];
}

size_t vmm_domain_devices_count_disks(const VmmDomainDevices *devices)
{
        return devices ? devices->n[VMM_DOMAIN_DEVICE_DISK] : 0;
}

size_t vmm_domain_devices_count_interfaces(const VmmDomainDevices *devices)
{
        return devices ? devices->n[VMM_DOMAIN_DEVICE_INTERFACE] : 0;
}

char *vmm_domain_devices_schema(void)
{
        VmmBuf out = VMM_BUF_INIT;
        VmmDevRngDone done = {.n = 0};

        vmm_buf_add(&out,
                    "<?xml version=\"1.0\"?>\n"
                    "<!-- SPDX-License-Identifier: LGPL-2.1-or-later -->\n"
                    "<!--\n"
                    "  domain-devices.rng: the <devices> section of a domain. GENERATED from\n"
                    "  the device tables in libvmm/conf/domain-*.c by\n"
                    "  vmm_domain_devices_schema(); do not edit by hand: run\n"
                    "  tests/unit/test-domain-devices with VMM_UPDATE_SCHEMA=1 to refresh it.\n"
                    "  A fragment included by domain.rng, which provides basictypes.rng.\n"
                    "-->\n"
                    "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"\n"
                    "         datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n"
                    "  <define name=\"devices\">\n"
                    "    <element name=\"devices\">\n"
                    "      <zeroOrMore>\n"
                    "        <choice>\n");
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                vmm_buf_addf(&out, "          <ref name=\"%s\"/>\n", kind_desc[k]->rng_id);
        vmm_buf_add(&out, "        </choice>\n      </zeroOrMore>\n    </element>\n  </define>\n");
        for (int k = 0; k < _VMM_DOMAIN_DEVICE_MAX; k++)
                vmm_devfield_rng(kind_desc[k], &out, &done);
        vmm_buf_add(&out, "</grammar>\n");
        return vmm_buf_steal(&out);
}
