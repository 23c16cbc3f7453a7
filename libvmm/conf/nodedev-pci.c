/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nodedev-pci.c: the PCI capability: identity, SR-IOV functions, bridge
 * kind, mdev types, VPD, IOMMU group, NUMA node and PCIe links. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confdiff.h"
#include "nodedev-priv.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "xml-util.h"

/* --- PCI addresses --- */

int vmm_nodedev_pci_addr_parse(xmlNodePtr node, VmmNodedevPciAddr *addr, VmmError *error)
{
        static const char *const attrs[] = {"domain", "bus", "slot", "function", NULL};
        int r;

        if ((r = vmm_xml_check_node(node, NULL, attrs, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(node, "domain", true, 0xffff, &addr->domain, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(node, "bus", true, 0xff, &addr->bus, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(node, "slot", true, 0x1f, &addr->slot, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(node, "function", true, 0x7, &addr->function, error)) < 0)
                return r;
        return 0;
}

void vmm_nodedev_pci_addr_format(const VmmNodedevPciAddr *addr, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "address", NULL);

        vmm_xml_set_propf(n, "domain", "0x%04x", addr->domain);
        vmm_xml_set_propf(n, "bus", "0x%02x", addr->bus);
        vmm_xml_set_propf(n, "slot", "0x%02x", addr->slot);
        vmm_xml_set_propf(n, "function", "0x%x", addr->function);
}

bool vmm_nodedev_pci_addrs_equal(const VmmNodedevPciAddr *a, size_t na, const VmmNodedevPciAddr *b,
                                 size_t nb, const char *where, char **d)
{
        if (!vmm_diff_u64(d, where, "address count", na, nb))
                return false;
        for (size_t i = 0; i < na; i++)
                if (memcmp(&a[i], &b[i], sizeof(a[i])) != 0)
                        return vmm_diff_set(d,
                                            "%saddress[%zu]: %04x:%02x:%02x.%x != "
                                            "%04x:%02x:%02x.%x",
                                            where, i, a[i].domain, a[i].bus, a[i].slot,
                                            a[i].function, b[i].domain, b[i].bus, b[i].slot,
                                            b[i].function);
        return true;
}

static int pci_addr_list_parse(xmlNodePtr node, VmmNodedevPciAddr **addrs, size_t *n,
                               VmmError *error)
{
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmNodedevPciAddr *a;
                int r;

                if (!vmm_xml_is(c, "address"))
                        continue;
                a = vmm_nodedev_array_add((void **)addrs, n, sizeof(*a));
                if (!a)
                        return vmm_error_oom(error);
                if ((r = vmm_nodedev_pci_addr_parse(c, a, error)) < 0)
                        return r;
        }
        return 0;
}

/* --- mdev types --- */

int vmm_nodedev_mdev_types_parse(xmlNodePtr node, VmmNodedevMdevTypes *mt, VmmError *error)
{
        static const char *const children[] = {"type", NULL};
        static const char *const attrs[] = {"type", NULL};
        static const char *const type_children[] = {"name", "deviceAPI", "availableInstances",
                                                    NULL};
        static const char *const type_attrs[] = {"id", NULL};
        int r;

        if (mt->present)
                return vmm_nodedev_cap_error(error, node, "appears more than once");
        if ((r = vmm_xml_check_node(node, children, attrs, 0, NULL, error)) < 0)
                return r;
        mt->present = true;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                VmmNodedevMdevType *t;

                if (!vmm_xml_is(c, "type"))
                        continue;
                if ((r = vmm_xml_check_node(c, type_children, type_attrs, 0, NULL, error)) < 0)
                        return r;
                t = vmm_nodedev_array_add((void **)&mt->types, &mt->n_types, sizeof(*t));
                if (!t)
                        return vmm_error_oom(error);
                t->id = vmm_xml_get_prop(c, "id");
                if (!t->id)
                        return vmm_xml_error(error, c, "missing attribute 'id'");
                if ((r = vmm_nodedev_text(c, "name", false, &t->name, error)) < 0 ||
                    (r = vmm_nodedev_text(c, "deviceAPI", true, &t->device_api, error)) < 0 ||
                    (r = vmm_nodedev_uint(c, "availableInstances", true, UINT32_MAX,
                                          &t->available_instances, error)) < 0)
                        return r;
                if (strcmp(t->device_api, "vfio-pci") != 0 &&
                    strcmp(t->device_api, "vfio-ccw") != 0 && strcmp(t->device_api, "vfio-ap") != 0)
                        return vmm_xml_error(error, vmm_xml_child(c, "deviceAPI"),
                                             "\"%s\" is not valid (expected \"vfio-pci\", "
                                             "\"vfio-ccw\" or \"vfio-ap\")",
                                             t->device_api);
        }
        if (mt->n_types == 0)
                return vmm_nodedev_cap_error(error, node, "has no <type> (expected at least one)");
        return 0;
}

void vmm_nodedev_mdev_types_format(const VmmNodedevMdevTypes *mt, xmlNodePtr parent)
{
        xmlNodePtr n;

        if (!mt->present)
                return;
        n = vmm_xml_new_child(parent, "capability", NULL);
        vmm_xml_set_prop(n, "type", "mdev_types");
        for (size_t i = 0; i < mt->n_types; i++) {
                xmlNodePtr t = vmm_xml_new_child(n, "type", NULL);
                vmm_xml_set_prop(t, "id", mt->types[i].id);
                vmm_nodedev_add_text(t, "name", mt->types[i].name);
                vmm_nodedev_add_text(t, "deviceAPI", mt->types[i].device_api);
                vmm_nodedev_add_textf(t, "availableInstances", "%u",
                                      mt->types[i].available_instances);
        }
}

bool vmm_nodedev_mdev_types_equal(const VmmNodedevMdevTypes *a, const VmmNodedevMdevTypes *b,
                                  const char *where, char **d)
{
        if (!vmm_diff_bool(d, where, "mdev_types", a->present, b->present) ||
            !vmm_diff_u64(d, where, "mdev type count", a->n_types, b->n_types))
                return false;
        for (size_t i = 0; i < a->n_types; i++) {
                const VmmNodedevMdevType *x = &a->types[i], *y = &b->types[i];
                char w[256];

                snprintf(w, sizeof(w), "%smdev type[%zu] ", where, i);
                if (!vmm_diff_str(d, w, "id", x->id, y->id) ||
                    !vmm_diff_str(d, w, "name", x->name, y->name) ||
                    !vmm_diff_str(d, w, "deviceAPI", x->device_api, y->device_api) ||
                    !vmm_diff_u64(d, w, "availableInstances", x->available_instances,
                                  y->available_instances))
                        return false;
        }
        return true;
}

void vmm_nodedev_mdev_types_done(VmmNodedevMdevTypes *mt)
{
        for (size_t i = 0; i < mt->n_types; i++) {
                free(mt->types[i].id);
                free(mt->types[i].name);
                free(mt->types[i].device_api);
        }
        free(mt->types);
        memset(mt, 0, sizeof(*mt));
}

/* --- VPD --- */

static int vpd_field_add(xmlNodePtr c, const char *allowed, VmmNodedevVpdField **fields, size_t *n,
                         VmmError *error)
{
        static const char *const attrs[] = {"index", NULL};
        _cleanup_free_ char *index = vmm_xml_get_prop(c, "index");
        VmmNodedevVpdField *f;
        int r;

        if ((r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0)
                return r;
        if (!index || strlen(index) != 1 || !strchr(allowed, index[0]))
                return vmm_xml_attr_error(error, c, "index",
                                          "\"%s\" is not valid (expected one character of %s)",
                                          index ? index : "", allowed);
        f = vmm_nodedev_array_add((void **)fields, n, sizeof(*f));
        if (!f || !(f->value = vmm_xml_get_text(c)))
                return vmm_error_oom(error);
        f->index = index[0];
        return 0;
}

static int vpd_parse_fields(xmlNodePtr c, VmmNodedevVpd *vpd, VmmError *error)
{
        static const char *const ro_children[] = {"change_level",  "manufacture_id", "part_number",
                                                  "serial_number", "vendor_field",   NULL};
        static const char *const rw_children[] = {"asset_tag", "vendor_field", "system_field",
                                                  NULL};
        static const char *const attrs[] = {"access", NULL};
        static const char vendor_idx[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        static const char system_idx[] = "0123456789BCDEFGHIJKLMNOPQRSTUVWXYZ";
        _cleanup_free_ char *access = vmm_xml_get_prop(c, "access");
        bool ro = access && strcmp(access, "readonly") == 0;
        int r;

        if (!access || (!ro && strcmp(access, "readwrite") != 0))
                return vmm_xml_attr_error(error, c, "access",
                                          "\"%s\" is not valid (expected "
                                          "\"readonly\" or \"readwrite\")",
                                          access ? access : "");
        if (ro ? vpd->has_ro : vpd->has_rw)
                return vmm_xml_error(error, c, "a second <fields access='%s'>", access);
        if ((r = vmm_xml_check_node(c, ro ? ro_children : rw_children, attrs, 0, NULL, error)) < 0)
                return r;
        if (ro) {
                vpd->has_ro = true;
                if ((r = vmm_nodedev_text(c, "change_level", false, &vpd->change_level, error)) <
                        0 ||
                    (r = vmm_nodedev_text(c, "manufacture_id", false, &vpd->manufacture_id,
                                          error)) < 0 ||
                    (r = vmm_nodedev_text(c, "part_number", false, &vpd->part_number, error)) < 0 ||
                    (r = vmm_nodedev_text(c, "serial_number", false, &vpd->serial_number, error)) <
                        0)
                        return r;
        } else {
                vpd->has_rw = true;
                if ((r = vmm_nodedev_text(c, "asset_tag", false, &vpd->asset_tag, error)) < 0)
                        return r;
        }
        for (xmlNodePtr f = c->children; f; f = f->next) {
                if (vmm_xml_is(f, "vendor_field"))
                        r = ro ? vpd_field_add(f, vendor_idx, &vpd->ro_vendor, &vpd->n_ro_vendor,
                                               error)
                               : vpd_field_add(f, vendor_idx, &vpd->rw_vendor, &vpd->n_rw_vendor,
                                               error);
                else if (vmm_xml_is(f, "system_field"))
                        r = vpd_field_add(f, system_idx, &vpd->rw_system, &vpd->n_rw_system, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int vpd_parse(xmlNodePtr node, VmmNodedevPci *pci, VmmError *error)
{
        static const char *const children[] = {"name", "fields", NULL};
        static const char *const attrs[] = {"type", NULL};
        int r;

        if (pci->vpd)
                return vmm_nodedev_cap_error(error, node, "appears more than once");
        if ((r = vmm_xml_check_node(node, children, attrs, 0, NULL, error)) < 0)
                return r;
        pci->vpd = calloc(1, sizeof(*pci->vpd));
        if (!pci->vpd)
                return vmm_error_oom(error);
        if ((r = vmm_nodedev_text(node, "name", true, &pci->vpd->name, error)) < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next)
                if (vmm_xml_is(c, "fields") && (r = vpd_parse_fields(c, pci->vpd, error)) < 0)
                        return r;
        return 0;
}

static void vpd_fields_format(const VmmNodedevVpdField *f, size_t n, const char *name,
                              xmlNodePtr parent)
{
        for (size_t i = 0; i < n; i++)
                vmm_xml_set_propf(vmm_xml_new_child(parent, name, f[i].value), "index", "%c",
                                  f[i].index);
}

static void vpd_format(const VmmNodedevVpd *vpd, xmlNodePtr parent)
{
        xmlNodePtr n = vmm_xml_new_child(parent, "capability", NULL), f;

        vmm_xml_set_prop(n, "type", "vpd");
        vmm_xml_new_child(n, "name", vpd->name);
        if (vpd->has_ro) {
                f = vmm_xml_new_child(n, "fields", NULL);
                vmm_xml_set_prop(f, "access", "readonly");
                vmm_nodedev_add_text(f, "change_level", vpd->change_level);
                vmm_nodedev_add_text(f, "manufacture_id", vpd->manufacture_id);
                vmm_nodedev_add_text(f, "part_number", vpd->part_number);
                vmm_nodedev_add_text(f, "serial_number", vpd->serial_number);
                vpd_fields_format(vpd->ro_vendor, vpd->n_ro_vendor, "vendor_field", f);
        }
        if (vpd->has_rw) {
                f = vmm_xml_new_child(n, "fields", NULL);
                vmm_xml_set_prop(f, "access", "readwrite");
                vmm_nodedev_add_text(f, "asset_tag", vpd->asset_tag);
                vpd_fields_format(vpd->rw_vendor, vpd->n_rw_vendor, "vendor_field", f);
                vpd_fields_format(vpd->rw_system, vpd->n_rw_system, "system_field", f);
        }
}

static bool vpd_fields_equal(const VmmNodedevVpdField *a, size_t na, const VmmNodedevVpdField *b,
                             size_t nb, const char *what, char **d)
{
        if (!vmm_diff_u64(d, "vpd ", what, na, nb))
                return false;
        for (size_t i = 0; i < na; i++)
                if (!vmm_diff_int(d, "vpd field ", "index", a[i].index, b[i].index) ||
                    !vmm_diff_str(d, "vpd field ", "value", a[i].value, b[i].value))
                        return false;
        return true;
}

static bool vpd_equal(const VmmNodedevVpd *a, const VmmNodedevVpd *b, char **d)
{
        if (!a || !b)
                return vmm_diff_bool(d, "", "vpd", a != NULL, b != NULL);
        return vmm_diff_str(d, "vpd ", "name", a->name, b->name) &&
               vmm_diff_bool(d, "vpd ", "readonly fields", a->has_ro, b->has_ro) &&
               vmm_diff_str(d, "vpd ", "change_level", a->change_level, b->change_level) &&
               vmm_diff_str(d, "vpd ", "manufacture_id", a->manufacture_id, b->manufacture_id) &&
               vmm_diff_str(d, "vpd ", "part_number", a->part_number, b->part_number) &&
               vmm_diff_str(d, "vpd ", "serial_number", a->serial_number, b->serial_number) &&
               vpd_fields_equal(a->ro_vendor, a->n_ro_vendor, b->ro_vendor, b->n_ro_vendor,
                                "readonly vendor_field count", d) &&
               vmm_diff_bool(d, "vpd ", "readwrite fields", a->has_rw, b->has_rw) &&
               vmm_diff_str(d, "vpd ", "asset_tag", a->asset_tag, b->asset_tag) &&
               vpd_fields_equal(a->rw_vendor, a->n_rw_vendor, b->rw_vendor, b->n_rw_vendor,
                                "readwrite vendor_field count", d) &&
               vpd_fields_equal(a->rw_system, a->n_rw_system, b->rw_system, b->n_rw_system,
                                "system_field count", d);
}

static void vpd_free(VmmNodedevVpd *vpd)
{
        VmmNodedevVpdField *lists[] = {vpd->ro_vendor, vpd->rw_vendor, vpd->rw_system};
        size_t counts[] = {vpd->n_ro_vendor, vpd->n_rw_vendor, vpd->n_rw_system};

        for (size_t l = 0; l < 3; l++) {
                for (size_t i = 0; i < counts[l]; i++)
                        free(lists[l][i].value);
                free(lists[l]);
        }
        free(vpd->name);
        free(vpd->change_level);
        free(vpd->manufacture_id);
        free(vpd->part_number);
        free(vpd->serial_number);
        free(vpd->asset_tag);
        free(vpd);
}

/* --- the PCI capability --- */

static int pci_parse_subcap(xmlNodePtr c, VmmNodedevPci *pci, VmmError *error)
{
        static const char *const maxcount_attrs[] = {"type", "maxCount", NULL};
        static const char *const type_attr[] = {"type", NULL};
        static const char *const addr_child[] = {"address", NULL};
        _cleanup_free_ char *type = vmm_xml_get_prop(c, "type");
        unsigned int max;
        int r;

        if (!type)
                return vmm_xml_error(error, c, "missing attribute 'type'");
        if (strcmp(type, "phys_function") == 0) {
                if ((r = vmm_xml_check_node(c, addr_child, type_attr, 0, NULL, error)) < 0)
                        return r;
                pci->has_phys_function = true;
                if (!vmm_xml_child(c, "address"))
                        return 0;
                pci->has_phys_function_addr = true;
                return vmm_nodedev_pci_addr_parse(vmm_xml_child(c, "address"), &pci->phys_function,
                                                  error);
        }
        if (strcmp(type, "virt_functions") == 0) {
                if ((r = vmm_xml_check_node(c, addr_child, maxcount_attrs, 0, NULL, error)) < 0)
                        return r;
                pci->has_virt_functions = true;
                if ((r = vmm_xml_prop_uint(c, "maxCount", &max, error)) < 0)
                        return r;
                pci->virt_max_count = r > 0 ? (int)max : -1;
                return pci_addr_list_parse(c, &pci->virt_functions, &pci->n_virt_functions, error);
        }
        if (strcmp(type, "pci-bridge") == 0 || strcmp(type, "cardbus-bridge") == 0) {
                if ((r = vmm_xml_check_node(c, NULL, type_attr, 0, NULL, error)) < 0)
                        return r;
                pci->bridge =
                    type[0] == 'p' ? VMM_NODEDEV_PCI_BRIDGE_PCI : VMM_NODEDEV_PCI_BRIDGE_CARDBUS;
                return 0;
        }
        if (strcmp(type, "mdev_types") == 0)
                return vmm_nodedev_mdev_types_parse(c, &pci->mdev_types, error);
        if (strcmp(type, "vpd") == 0)
                return vpd_parse(c, pci, error);
        return vmm_xml_attr_error(error, c, "type",
                                  "\"%s\" is not a PCI capability (expected \"phys_function\", "
                                  "\"virt_functions\", \"pci-bridge\", \"cardbus-bridge\", "
                                  "\"mdev_types\" or \"vpd\")",
                                  type);
}

static int pci_parse_express(xmlNodePtr node, VmmNodedevPci *pci, VmmError *error)
{
        static const char *const children[] = {"link", NULL};
        static const char *const attrs[] = {"validity", "port", "speed", "width", NULL};
        int r;

        if ((r = vmm_xml_check_node(node, children, NULL, 0, NULL, error)) < 0)
                return r;
        pci->has_pci_express = true;
        for (xmlNodePtr c = node->children; c; c = c->next) {
                _cleanup_free_ char *validity = NULL;
                VmmNodedevPciLink *l;
                unsigned int port;

                if (!vmm_xml_is(c, "link"))
                        continue;
                if ((r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0)
                        return r;
                l = vmm_nodedev_array_add((void **)&pci->links, &pci->n_links, sizeof(*l));
                if (!l)
                        return vmm_error_oom(error);
                validity = vmm_xml_get_prop(c, "validity");
                if (!validity || (strcmp(validity, "cap") != 0 && strcmp(validity, "sta") != 0))
                        return vmm_xml_attr_error(error, c, "validity",
                                                  "\"%s\" is not valid "
                                                  "(expected \"cap\" or "
                                                  "\"sta\")",
                                                  validity ? validity : "");
                l->is_sta = validity[0] == 's';
                if ((r = vmm_xml_prop_uint(c, "port", &port, error)) < 0)
                        return r;
                l->port = r > 0 ? (int)port : -1;
                l->speed = vmm_xml_get_prop(c, "speed");
                if (l->speed && (strspn(l->speed, "0123456789.") != strlen(l->speed) || !*l->speed))
                        return vmm_xml_attr_error(error, c, "speed",
                                                  "\"%s\" is not valid "
                                                  "(expected GT/s, e.g. "
                                                  "\"2.5\")",
                                                  l->speed);
                if ((r = vmm_xml_prop_uint(c, "width", &l->width, error)) < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'width'");
        }
        return 0;
}

static int pci_parse_iommu_numa(xmlNodePtr node, VmmNodedevPci *pci, VmmError *error)
{
        static const char *const iommu_attrs[] = {"number", NULL};
        static const char *const iommu_children[] = {"address", NULL};
        static const char *const numa_attrs[] = {"node", NULL};
        xmlNodePtr c;
        int r;

        if ((c = vmm_xml_child(node, "iommuGroup"))) {
                if ((r = vmm_xml_check_node(c, iommu_children, iommu_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_uint(c, "number", &pci->iommu_group, error)) < 0)
                        return r;
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'number'");
                pci->has_iommu_group = true;
                if ((r = pci_addr_list_parse(c, &pci->iommu_addrs, &pci->n_iommu_addrs, error)) < 0)
                        return r;
        }
        if ((c = vmm_xml_child(node, "numa"))) {
                if ((r = vmm_xml_check_node(c, NULL, numa_attrs, 0, NULL, error)) < 0 ||
                    (r = vmm_xml_prop_int(c, "node", &pci->numa_node, error)) < 0)
                        return r;
                pci->has_numa = true;
                pci->has_numa_node = r > 0;
        }
        if ((c = vmm_xml_child(node, "pci-express")))
                return pci_parse_express(c, pci, error);
        return 0;
}

static int pci_parse_id(xmlNodePtr node, const char *name, unsigned int *id, char **text,
                        VmmError *error)
{
        static const char *const attrs[] = {"id", NULL};
        xmlNodePtr c = vmm_xml_child(node, name);
        int r;

        if (!c)
                return vmm_nodedev_cap_error(error, node, "missing <%s id='0x...'>", name);
        if ((r = vmm_xml_check_node(c, NULL, attrs, 0, NULL, error)) < 0 ||
            (r = vmm_nodedev_hex_prop(c, "id", true, 0xffff, id, error)) < 0 ||
            (r = vmm_nodedev_text(node, name, false, text, error)) < 0)
                return r;
        if (!**text) {
                free(*text);
                *text = NULL;
        }
        return 0;
}

int vmm_nodedev_pci_parse(xmlNodePtr node, VmmNodedevPci *pci, VmmError *error)
{
        static const char *const once[] = {"iommuGroup", "numa", "pci-express", NULL};
        int r;

        pci->virt_max_count = -1;
        for (size_t i = 0; once[i]; i++)
                if (vmm_xml_count_children(node, once[i]) > 1)
                        return vmm_xml_error(error, vmm_xml_child(node, once[i]),
                                             "appears more than once (expected at most one)");
        if ((r = vmm_nodedev_uint(node, "class", false, 0xffffff, &pci->klass, error)) < 0)
                return r;
        pci->has_class = r > 0;
        if ((r = vmm_nodedev_uint(node, "domain", true, 0xffff, &pci->domain, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "bus", true, 0xff, &pci->bus, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "slot", true, 0x1f, &pci->slot, error)) < 0 ||
            (r = vmm_nodedev_uint(node, "function", true, 0x7, &pci->function, error)) < 0 ||
            (r = pci_parse_id(node, "product", &pci->product_id, &pci->product, error)) < 0 ||
            (r = pci_parse_id(node, "vendor", &pci->vendor_id, &pci->vendor, error)) < 0)
                return r;
        for (xmlNodePtr c = node->children; c; c = c->next)
                if (vmm_xml_is(c, "capability") && (r = pci_parse_subcap(c, pci, error)) < 0)
                        return r;
        return pci_parse_iommu_numa(node, pci, error);
}

static void pci_format_subcaps(const VmmNodedevPci *pci, xmlNodePtr cap)
{
        xmlNodePtr n;

        if (pci->has_phys_function) {
                n = vmm_xml_new_child(cap, "capability", NULL);
                vmm_xml_set_prop(n, "type", "phys_function");
                if (pci->has_phys_function_addr)
                        vmm_nodedev_pci_addr_format(&pci->phys_function, n);
        }
        if (pci->has_virt_functions) {
                n = vmm_xml_new_child(cap, "capability", NULL);
                vmm_xml_set_prop(n, "type", "virt_functions");
                if (pci->virt_max_count >= 0)
                        vmm_xml_set_propf(n, "maxCount", "%d", pci->virt_max_count);
                for (size_t i = 0; i < pci->n_virt_functions; i++)
                        vmm_nodedev_pci_addr_format(&pci->virt_functions[i], n);
        }
        if (pci->bridge != VMM_NODEDEV_PCI_BRIDGE_NONE)
                vmm_xml_set_prop(vmm_xml_new_child(cap, "capability", NULL), "type",
                                 pci->bridge == VMM_NODEDEV_PCI_BRIDGE_PCI ? "pci-bridge"
                                                                           : "cardbus-bridge");
        vmm_nodedev_mdev_types_format(&pci->mdev_types, cap);
        if (pci->vpd)
                vpd_format(pci->vpd, cap);
}

void vmm_nodedev_pci_format(const VmmNodedevPci *pci, xmlNodePtr cap)
{
        xmlNodePtr n;

        if (pci->has_class)
                vmm_nodedev_add_textf(cap, "class", "0x%06x", pci->klass);
        vmm_nodedev_add_textf(cap, "domain", "%u", pci->domain);
        vmm_nodedev_add_textf(cap, "bus", "%u", pci->bus);
        vmm_nodedev_add_textf(cap, "slot", "%u", pci->slot);
        vmm_nodedev_add_textf(cap, "function", "%u", pci->function);
        vmm_xml_set_propf(vmm_xml_new_child(cap, "product", pci->product), "id", "0x%04x",
                          pci->product_id);
        vmm_xml_set_propf(vmm_xml_new_child(cap, "vendor", pci->vendor), "id", "0x%04x",
                          pci->vendor_id);
        pci_format_subcaps(pci, cap);
        if (pci->has_iommu_group) {
                n = vmm_xml_new_child(cap, "iommuGroup", NULL);
                vmm_xml_set_propf(n, "number", "%u", pci->iommu_group);
                for (size_t i = 0; i < pci->n_iommu_addrs; i++)
                        vmm_nodedev_pci_addr_format(&pci->iommu_addrs[i], n);
        }
        if (pci->has_numa) {
                n = vmm_xml_new_child(cap, "numa", NULL);
                if (pci->has_numa_node)
                        vmm_xml_set_propf(n, "node", "%d", pci->numa_node);
        }
        if (pci->has_pci_express) {
                n = vmm_xml_new_child(cap, "pci-express", NULL);
                for (size_t i = 0; i < pci->n_links; i++) {
                        const VmmNodedevPciLink *l = &pci->links[i];
                        xmlNodePtr c = vmm_xml_new_child(n, "link", NULL);
                        vmm_xml_set_prop(c, "validity", l->is_sta ? "sta" : "cap");
                        if (l->port >= 0)
                                vmm_xml_set_propf(c, "port", "%d", l->port);
                        vmm_xml_set_prop(c, "speed", l->speed);
                        vmm_xml_set_propf(c, "width", "%u", l->width);
                }
        }
}

static bool pci_links_equal(const VmmNodedevPci *a, const VmmNodedevPci *b, const char *where,
                            char **d)
{
        if (!vmm_diff_bool(d, where, "pci-express", a->has_pci_express, b->has_pci_express) ||
            !vmm_diff_u64(d, where, "pci-express link count", a->n_links, b->n_links))
                return false;
        for (size_t i = 0; i < a->n_links; i++) {
                const VmmNodedevPciLink *x = &a->links[i], *y = &b->links[i];
                if (!vmm_diff_bool(d, where, "link validity sta", x->is_sta, y->is_sta) ||
                    !vmm_diff_int(d, where, "link port", x->port, y->port) ||
                    !vmm_diff_str(d, where, "link speed", x->speed, y->speed) ||
                    !vmm_diff_u64(d, where, "link width", x->width, y->width))
                        return false;
        }
        return true;
}

bool vmm_nodedev_pci_equal(const VmmNodedevPci *a, const VmmNodedevPci *b, const char *where,
                           char **d)
{
        return vmm_diff_bool(d, where, "class given", a->has_class, b->has_class) &&
               vmm_diff_u64(d, where, "class", a->klass, b->klass) &&
               vmm_diff_u64(d, where, "domain", a->domain, b->domain) &&
               vmm_diff_u64(d, where, "bus", a->bus, b->bus) &&
               vmm_diff_u64(d, where, "slot", a->slot, b->slot) &&
               vmm_diff_u64(d, where, "function", a->function, b->function) &&
               vmm_diff_u64(d, where, "product id", a->product_id, b->product_id) &&
               vmm_diff_str(d, where, "product", a->product, b->product) &&
               vmm_diff_u64(d, where, "vendor id", a->vendor_id, b->vendor_id) &&
               vmm_diff_str(d, where, "vendor", a->vendor, b->vendor) &&
               vmm_diff_bool(d, where, "phys_function", a->has_phys_function,
                             b->has_phys_function) &&
               vmm_nodedev_pci_addrs_equal(&a->phys_function, a->has_phys_function_addr,
                                           &b->phys_function, b->has_phys_function_addr, where,
                                           d) &&
               vmm_diff_bool(d, where, "virt_functions", a->has_virt_functions,
                             b->has_virt_functions) &&
               vmm_diff_int(d, where, "virt_functions maxCount", a->virt_max_count,
                            b->virt_max_count) &&
               vmm_nodedev_pci_addrs_equal(a->virt_functions, a->n_virt_functions,
                                           b->virt_functions, b->n_virt_functions, where, d) &&
               vmm_diff_int(d, where, "bridge", a->bridge, b->bridge) &&
               vmm_nodedev_mdev_types_equal(&a->mdev_types, &b->mdev_types, where, d) &&
               vpd_equal(a->vpd, b->vpd, d) &&
               vmm_diff_bool(d, where, "iommuGroup", a->has_iommu_group, b->has_iommu_group) &&
               vmm_diff_u64(d, where, "iommuGroup number", a->iommu_group, b->iommu_group) &&
               vmm_nodedev_pci_addrs_equal(a->iommu_addrs, a->n_iommu_addrs, b->iommu_addrs,
                                           b->n_iommu_addrs, where, d) &&
               vmm_diff_bool(d, where, "numa", a->has_numa, b->has_numa) &&
               vmm_diff_bool(d, where, "numa node given", a->has_numa_node, b->has_numa_node) &&
               vmm_diff_int(d, where, "numa node", a->numa_node, b->numa_node) &&
               pci_links_equal(a, b, where, d);
}

void vmm_nodedev_pci_done(VmmNodedevPci *pci)
{
        free(pci->product);
        free(pci->vendor);
        free(pci->virt_functions);
        vmm_nodedev_mdev_types_done(&pci->mdev_types);
        if (pci->vpd)
                vpd_free(pci->vpd);
        free(pci->iommu_addrs);
        for (size_t i = 0; i < pci->n_links; i++)
                free(pci->links[i].speed);
        free(pci->links);
        memset(pci, 0, sizeof(*pci));
}
