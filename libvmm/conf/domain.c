/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain.c: the <domain> document as a whole: the top-level element, its
 * identity (name, uuid, genid, title, description, metadata), dispatch to
 * the section files, and the life cycle of VmmDomainDef.
 */
#define _GNU_SOURCE 1
#include <errno.h>

#include "domain-priv.h"
#include "util/error.h"
#include "util/uuid.h"

const char *const vmm_domain_virt_table[_VMM_DOMAIN_VIRT_MAX] = {
    [VMM_DOMAIN_VIRT_NONE] = "none",     [VMM_DOMAIN_VIRT_QEMU] = "qemu",
    [VMM_DOMAIN_VIRT_KQEMU] = "kqemu",   [VMM_DOMAIN_VIRT_KVM] = "kvm",
    [VMM_DOMAIN_VIRT_XEN] = "xen",       [VMM_DOMAIN_VIRT_LXC] = "lxc",
    [VMM_DOMAIN_VIRT_UML] = "uml",       [VMM_DOMAIN_VIRT_OPENVZ] = "openvz",
    [VMM_DOMAIN_VIRT_TEST] = "test",     [VMM_DOMAIN_VIRT_VMWARE] = "vmware",
    [VMM_DOMAIN_VIRT_HYPERV] = "hyperv", [VMM_DOMAIN_VIRT_VBOX] = "vbox",
    [VMM_DOMAIN_VIRT_PHYP] = "phyp",     [VMM_DOMAIN_VIRT_PARALLELS] = "parallels",
    [VMM_DOMAIN_VIRT_BHYVE] = "bhyve",   [VMM_DOMAIN_VIRT_VZ] = "vz",
    [VMM_DOMAIN_VIRT_HVF] = "hvf",
};

/* Every element <domain> may hold; each is read by the file named. */
static const char *const domain_children[] = {
    "name",
    "uuid",
    "genid",
    "title",
    "description",
    "metadata", /* domain.c */
    "memory",
    "maxMemory",
    "currentMemory",
    "memoryBacking",
    "memtune", /* domain-memory.c */
    "vcpu",
    "vcpus",
    "cpu", /* domain-vcpu.c, -cpu.c */
    "iothreads",
    "iothreadids",
    "defaultiothread", /* domain-iothread.c */
    "cputune",
    "numatune",
    "blkiotune", /* domain-tune.c */
    "os",
    "features",
    "clock",
    "devices",
    "on_poweroff",
    "on_reboot",
    "on_crash",
    "on_lockfailure", /* domain-lifecycle.c */
    "pm",
    "idmap",
    "seclabel",
    "keywrap",
    "sysinfo",
    "launchSecurity", /* domain-misc.c */
    "resource",
    "perf",
    "bootloader",
    "bootloader_args",
    NULL,
};

/* Elements that may appear at most once. */
static const char *const domain_single[] = {
    "name",
    "uuid",
    "genid",
    "title",
    "description",
    "metadata",
    "memory",
    "maxMemory",
    "currentMemory",
    "memoryBacking",
    "memtune",
    "vcpu",
    "vcpus",
    "cpu",
    "iothreads",
    "iothreadids",
    "defaultiothread",
    "cputune",
    "numatune",
    "blkiotune",
    "os",
    "features",
    "clock",
    "devices",
    "on_poweroff",
    "on_reboot",
    "on_crash",
    "on_lockfailure",
    "pm",
    "idmap",
    "keywrap",
    "launchSecurity",
    "resource",
    "perf",
    "bootloader",
    "bootloader_args",
    NULL,
};

static VmmDomainDef *domain_def_new(void)
{
        VmmDomainDef *def = calloc(1, sizeof(*def));

        if (!def)
                return NULL;
        def->virt_type = -1;
        def->id = -1;
        def->memory_dump_core = DOMAIN_ABSENT;
        def->vcpu_placement = DOMAIN_ABSENT;
        def->memory_backing.source = def->memory_backing.access = DOMAIN_ABSENT;
        def->memory_backing.allocation = DOMAIN_ABSENT;
        def->on_poweroff = def->on_reboot = def->on_crash = DOMAIN_ABSENT;
        def->on_lockfailure = DOMAIN_ABSENT;
        vmm_domain_cpu_init(&def->cpu);
        vmm_domain_tune_init(&def->tune);
        vmm_domain_os_init(&def->os);
        vmm_domain_misc_init(&def->misc);
        def->clock.offset = def->clock.basis = DOMAIN_ABSENT;
        return def;
}

VmmDomainDef *vmm_domain_def_free(VmmDomainDef *def)
{
        if (!def)
                return NULL;
        free(def->name);
        free(def->title);
        free(def->description);
        vmm_xml_unknown_done(&def->metadata);
        vmm_xml_unknown_done(&def->extensions);
        vmm_domain_memory_backing_done(&def->memory_backing);
        vmm_xml_unknown_done(&def->memtune.unknown);
        free(def->vcpu_cpuset);
        free(def->vcpu_info);
        vmm_domain_cpu_done(&def->cpu);
        vmm_domain_tune_done(&def->tune);
        vmm_domain_os_done(&def->os);
        vmm_domain_features_done(&def->features);
        vmm_domain_clock_done(&def->clock);
        vmm_domain_misc_done(&def->misc);
        vmm_domain_devices_free(def->devices);
        vmm_xml_unknown_done(&def->unknown);
        vmm_domain_util_kept_done(&def->kept);
        free(def);
        return NULL;
}

static bool domain_known_attr(xmlAttrPtr a)
{
        return !a->ns &&
               (xmlStrEqual(a->name, BAD_CAST "type") || xmlStrEqual(a->name, BAD_CAST "id"));
}

/* Attributes of <domain>: type and id; others refused or kept. */
static int domain_check_attrs(xmlNodePtr root, unsigned int flags, VmmDomainDef *def,
                              VmmError *error)
{
        VmmXmlUnknown *u = &def->unknown;

        for (xmlAttrPtr a = root->properties; a; a = a->next) {
                xmlAttrPtr *v;
                xmlChar *value;

                if (domain_known_attr(a))
                        continue;
                if (!(flags & VMM_DOMAIN_DEF_KEEP_UNKNOWN))
                        return vmm_xml_error(error, root, "unknown attribute '%s'",
                                             (const char *)a->name);
                v = realloc(u->attrs, (u->n_attrs + 1) * sizeof(*v));
                if (!v)
                        return vmm_error_oom(error);
                u->attrs = v;
                /* not xmlCopyProp(NULL, a): its name would live in the
                 * source document's dictionary, freed with the document */
                value = xmlNodeGetContent((xmlNodePtr)a);
                u->attrs[u->n_attrs] = xmlNewProp(NULL, a->name, value);
                xmlFree(value);
                if (!u->attrs[u->n_attrs])
                        return vmm_error_oom(error);
                u->n_attrs++;
        }
        return 0;
}

/* Children of <domain>: known names, namespaced extensions kept verbatim
 * (qemu:commandline and the like), anything else refused or kept. */
static int domain_check_root(xmlNodePtr root, unsigned int flags, VmmDomainDef *def,
                             VmmError *error)
{
        int r;

        r = domain_check_attrs(root, flags, def, error);
        if (r < 0)
                return r;
        for (xmlNodePtr c = root->children; c; c = c->next) {
                bool known = false;

                if (c->type != XML_ELEMENT_NODE)
                        continue;
                for (const char *const *n = domain_children; !c->ns && *n && !known; n++)
                        known = xmlStrEqual(c->name, BAD_CAST * n);
                if (known)
                        continue;
                if (!c->ns && !(flags & VMM_DOMAIN_DEF_KEEP_UNKNOWN))
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "line %ld: <domain>: unknown element <%s>",
                                             xmlGetLineNo(c), (const char *)c->name);
                r = vmm_domain_util_keep(c->ns ? &def->extensions : &def->unknown, c);
                if (r < 0)
                        return vmm_error_oom(error);
        }
        return vmm_domain_util_check_single(root, domain_single, error);
}

static int domain_parse_uuid(xmlNodePtr node, uint8_t uuid[VMM_UUID_LEN], VmmError *error)
{
        _cleanup_free_ char *text = vmm_xml_get_text(node);
        VmmError e = VMM_ERROR_INIT;
        int r;

        if (!text)
                return vmm_error_oom(error);
        r = vmm_uuid_parse(text, uuid, &e);
        if (r < 0) {
                r = vmm_xml_error(error, node, "%s", vmm_error_message(&e));
                vmm_error_clear(&e);
        }
        return r;
}

static int domain_parse_identity(xmlNodePtr root, VmmDomainDef *def, VmmError *error)
{
        xmlNodePtr n;
        int r;

        n = vmm_xml_child(root, "name");
        if (!n)
                return vmm_xml_error(error, root, "missing <name> (every domain needs a name)");
        def->name = vmm_xml_get_text(n);
        if (!def->name)
                return vmm_error_oom(error);
        n = vmm_xml_child(root, "uuid");
        if (n) {
                r = domain_parse_uuid(n, def->uuid, error);
                if (r < 0)
                        return r;
                def->has_uuid = true;
        }
        n = vmm_xml_child(root, "genid");
        if (n) {
                _cleanup_free_ char *text = vmm_xml_get_text(n);

                def->has_genid = true;
                if (!text)
                        return vmm_error_oom(error);
                if (text[strspn(text, " \t\n")] == '\0')
                        def->genid_auto = true;
                else {
                        r = domain_parse_uuid(n, def->genid, error);
                        if (r < 0)
                                return r;
                }
        }
        if (vmm_domain_util_child_str(root, "title", &def->title) < 0 ||
            vmm_domain_util_child_str(root, "description", &def->description) < 0)
                return vmm_error_oom(error);
        n = vmm_xml_child(root, "metadata");
        if (n) {
                def->has_metadata = true;
                for (xmlNodePtr c = n->children; c; c = c->next)
                        if (c->type == XML_ELEMENT_NODE &&
                            vmm_domain_util_keep(&def->metadata, c) < 0)
                                return vmm_error_oom(error);
        }
        return 0;
}

static int domain_parse_sections(xmlNodePtr root, unsigned int flags, VmmDomainDef *def,
                                 VmmError *error)
{
        xmlNodePtr n;
        int r;

        r = vmm_domain_memory_parse(root, flags, def, error);
        if (r >= 0)
                r = vmm_domain_vcpu_parse(root, def, error);
        if (r >= 0)
                r = vmm_domain_tune_parse(root, flags, &def->tune, error);
        if (r >= 0)
                r = vmm_domain_misc_parse(root, flags, &def->misc, error);
        if (r >= 0)
                r = vmm_domain_lifecycle_parse(root, def, error);
        if (r >= 0 && (n = vmm_xml_child(root, "cpu")))
                r = vmm_domain_cpu_parse(n, flags, &def->cpu, error);
        if (r >= 0 && (n = vmm_xml_child(root, "os")))
                r = vmm_domain_os_parse(n, flags, &def->os, error);
        if (r >= 0 && (n = vmm_xml_child(root, "features")))
                r = vmm_domain_features_parse(n, flags, &def->features, error);
        if (r >= 0 && (n = vmm_xml_child(root, "clock")))
                r = vmm_domain_clock_parse(n, flags, &def->clock, error);
        if (r < 0)
                return r;
        n = vmm_xml_child(root, "devices");
        if (n)
                return vmm_domain_devices_parse(n, flags, &def->devices, error);
        def->devices = vmm_domain_devices_new();
        return def->devices ? 0 : vmm_error_oom(error);
}

/* Schema check of a node that may sit inside a larger document (the test
 * driver's state files hold several domains). */
static int domain_validate_schema(xmlNodePtr root, VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr copy;

        if (root->doc && xmlDocGetRootElement(root->doc) == root)
                return vmm_xml_validate(root->doc, "domain", error);
        doc = xmlNewDoc(BAD_CAST "1.0");
        copy = doc ? xmlDocCopyNode(root, doc, 1) : NULL;
        if (!copy)
                return vmm_error_oom(error);
        xmlDocSetRootElement(doc, copy);
        return vmm_xml_validate(doc, "domain", error);
}

int vmm_domain_def_parse_node(xmlNodePtr root, unsigned int flags, VmmDomainDef **ret_def,
                              VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        int r;

        vmm_check_arg(root, error, "root");
        vmm_check_arg(ret_def, error, "ret_def");
        if (!vmm_xml_is(root, "domain"))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "line %ld: root element is <%s>, expected <domain>",
                                     xmlGetLineNo(root), (const char *)root->name);
        if (flags & VMM_DOMAIN_DEF_VALIDATE) {
                r = domain_validate_schema(root, error);
                if (r < 0)
                        return r;
        }
        def = domain_def_new();
        if (!def)
                return vmm_error_oom(error);
        r = domain_check_root(root, flags, def, error);
        if (r < 0)
                return r;
        r = vmm_xml_prop_enum(root, "type", vmm_domain_virt_table, _VMM_DOMAIN_VIRT_MAX,
                              &def->virt_type, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, root,
                                     "missing attribute 'type' (expected e.g. type='kvm')");
        r = vmm_xml_prop_int(root, "id", &def->id, error);
        if (r < 0)
                return r;
        r = domain_parse_identity(root, def, error);
        if (r < 0)
                return r;
        if (root->doc) {
                VmmDomainParseScope scope = {flags, root, &def->kept};
                void *saved = root->doc->_private;

                root->doc->_private = &scope;
                r = domain_parse_sections(root, flags, def, error);
                root->doc->_private = saved;
        } else
                r = domain_parse_sections(root, flags, def, error);
        if (r < 0)
                return r;
        *ret_def = TAKE_PTR(def);
        return 0;
}

int vmm_domain_def_parse(const char *xml, size_t len, unsigned int flags, VmmDomainDef **ret_def,
                         VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;
        int r;

        vmm_check_arg(ret_def, error, "ret_def");
        r = vmm_xml_parse(xml, len, "domain XML", &doc, error);
        if (r < 0)
                return r;
        r = vmm_xml_check_root(doc, "domain", &root, error);
        if (r < 0)
                return r;
        return vmm_domain_def_parse_node(root, flags, ret_def, error);
}

static void domain_format_identity(const VmmDomainDef *def, xmlNodePtr root)
{
        char uuid[VMM_UUID_STRLEN];

        vmm_xml_new_child(root, "name", def->name);
        if (def->has_uuid)
                vmm_xml_new_child(root, "uuid", vmm_uuid_format(def->uuid, uuid));
        if (def->has_genid)
                vmm_xml_new_child(root, "genid",
                                  def->genid_auto ? NULL : vmm_uuid_format(def->genid, uuid));
        if (def->title)
                vmm_xml_new_child(root, "title", def->title);
        if (def->description)
                vmm_xml_new_child(root, "description", def->description);
        if (def->has_metadata)
                vmm_xml_unknown_format(&def->metadata, vmm_xml_new_child(root, "metadata", NULL));
}

int vmm_domain_def_format(const VmmDomainDef *def, unsigned int flags, char **ret_xml,
                          VmmError *error)
{
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNodePtr root;
        int r;

        vmm_check_arg(def, error, "def");
        vmm_check_arg(ret_xml, error, "ret_xml");
        doc = vmm_xml_new_doc("domain", &root);
        if (!doc)
                return vmm_error_oom(error);
        vmm_domain_util_set_enum(root, "type", vmm_domain_virt_table, _VMM_DOMAIN_VIRT_MAX,
                                 def->virt_type);
        if (!(flags & VMM_DOMAIN_DEF_INACTIVE) && def->id >= 0)
                vmm_xml_set_propf(root, "id", "%d", def->id);
        domain_format_identity(def, root);
        vmm_domain_memory_format(def, root);
        vmm_domain_vcpu_format(def, root);
        vmm_domain_tune_format(&def->tune, root);
        vmm_domain_misc_format(&def->misc, root, VMM_DOMAIN_MISC_RESOURCE);
        vmm_domain_misc_format(&def->misc, root, VMM_DOMAIN_MISC_SYSINFO);
        r = vmm_domain_os_format(&def->os, root);
        if (r < 0)
                return vmm_error_oom(error);
        vmm_domain_features_format(&def->features, root);
        vmm_domain_cpu_format(&def->cpu, root);
        vmm_domain_clock_format(&def->clock, root);
        vmm_domain_lifecycle_format(def, root);
        vmm_domain_misc_format(&def->misc, root, VMM_DOMAIN_MISC_PM);
        vmm_domain_misc_format(&def->misc, root, VMM_DOMAIN_MISC_IDMAP);
        if (def->devices) {
                r = vmm_domain_devices_format(def->devices, root, flags, error);
                if (r < 0)
                        return r;
        }
        vmm_domain_misc_format(&def->misc, root, VMM_DOMAIN_MISC_TAIL);
        vmm_xml_unknown_format(&def->unknown, root);
        vmm_xml_unknown_format(&def->extensions, root);
        vmm_domain_util_kept_format(&def->kept, root);
        return vmm_xml_doc_to_string(doc, ret_xml, error);
}

/* The copy goes through the formatter and the parser, which the roundtrip
 * tests hold to a fixed point; kept unknown content travels along. */
int vmm_domain_def_copy(const VmmDomainDef *def, VmmDomainDef **ret_copy, VmmError *error)
{
        _cleanup_free_ char *xml = NULL;
        int r;

        vmm_check_arg(def, error, "def");
        vmm_check_arg(ret_copy, error, "ret_copy");
        r = vmm_domain_def_format(def, 0, &xml, error);
        if (r < 0)
                return r;
        return vmm_domain_def_parse(xml, (size_t)-1, VMM_DOMAIN_DEF_KEEP_UNKNOWN, ret_copy, error);
}

static bool domain_equal_identity(const VmmDomainDef *a, const VmmDomainDef *b, char **diff)
{
        char ua[VMM_UUID_STRLEN], ub[VMM_UUID_STRLEN];

        return d_eq_int(diff, "type", a->virt_type, b->virt_type) &&
               d_eq_int(diff, "id", a->id, b->id) && d_eq_str(diff, "name", a->name, b->name) &&
               d_eq_str(diff, "uuid", a->has_uuid ? vmm_uuid_format(a->uuid, ua) : NULL,
                        b->has_uuid ? vmm_uuid_format(b->uuid, ub) : NULL) &&
               d_eq_int(diff, "genid", a->has_genid, b->has_genid) &&
               d_eq_int(diff, "genid (auto)", a->genid_auto, b->genid_auto) &&
               d_eq_str(diff, "genid", vmm_uuid_format(a->genid, ua),
                        vmm_uuid_format(b->genid, ub)) &&
               d_eq_str(diff, "title", a->title, b->title) &&
               d_eq_str(diff, "description", a->description, b->description) &&
               d_eq_int(diff, "metadata", a->has_metadata, b->has_metadata) &&
               d_eq_unknown(diff, "metadata", &a->metadata, &b->metadata);
}

bool vmm_domain_def_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **ret_diff)
{
        char *diff = NULL;
        bool same;

        if (ret_diff)
                *ret_diff = NULL;
        if (!a || !b)
                return a == b;
        same = domain_equal_identity(a, b, &diff) && vmm_domain_memory_equal(a, b, &diff) &&
               vmm_domain_vcpu_equal(a, b, &diff) &&
               vmm_domain_tune_equal(&a->tune, &b->tune, &diff) &&
               vmm_domain_misc_equal(&a->misc, &b->misc, &diff) &&
               vmm_domain_os_equal(&a->os, &b->os, &diff) &&
               vmm_domain_features_equal(&a->features, &b->features, &diff) &&
               vmm_domain_cpu_equal(&a->cpu, &b->cpu, &diff) &&
               vmm_domain_clock_equal(&a->clock, &b->clock, &diff) &&
               vmm_domain_lifecycle_equal(a, b, &diff) &&
               d_eq_unknown(&diff, "unknown content", &a->unknown, &b->unknown) &&
               d_eq_unknown(&diff, "namespaced elements", &a->extensions, &b->extensions) &&
               vmm_domain_util_kept_equal(&a->kept, &b->kept, &diff);
        if (same) {
                char *dev_diff = NULL;

                same = vmm_domain_devices_equal(a->devices, b->devices, &dev_diff);
                if (!same && !diff && dev_diff)
                        (void)vmm_domain_util_differ(&diff, "devices: %s", dev_diff);
                free(dev_diff);
        }
        if (ret_diff)
                *ret_diff = diff;
        else
                free(diff);
        return same;
}

/* --- accessors --- */

const char *vmm_domain_def_get_name(const VmmDomainDef *def)
{
        return def->name;
}

void vmm_domain_def_get_uuid(const VmmDomainDef *def, uint8_t ret_uuid[VMM_UUID_LEN])
{
        memcpy(ret_uuid, def->uuid, VMM_UUID_LEN);
}

const char *vmm_domain_def_get_virt_type(const VmmDomainDef *def)
{
        return vmm_enum_to_string(vmm_domain_virt_table, _VMM_DOMAIN_VIRT_MAX, def->virt_type);
}

const char *vmm_domain_def_get_os_type(const VmmDomainDef *def)
{
        return vmm_domain_os_type_to_string(def->os.type);
}

uint64_t vmm_domain_def_get_memory_kib(const VmmDomainDef *def)
{
        return def->memory_kib;
}

uint64_t vmm_domain_def_get_current_memory_kib(const VmmDomainDef *def)
{
        return def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
}

unsigned int vmm_domain_def_get_vcpus(const VmmDomainDef *def)
{
        return def->vcpus_current ? def->vcpus_current : vmm_domain_def_get_max_vcpus(def);
}

unsigned int vmm_domain_def_get_max_vcpus(const VmmDomainDef *def)
{
        return def->vcpus_max ? def->vcpus_max : 1;
}

int vmm_domain_def_get_id(const VmmDomainDef *def)
{
        return def->id;
}

void vmm_domain_def_set_id(VmmDomainDef *def, int id)
{
        def->id = id;
}

void vmm_domain_def_set_current_memory_kib(VmmDomainDef *def, uint64_t kib)
{
        def->current_memory_kib = kib > def->memory_kib ? def->memory_kib : kib;
}

const VmmDomainDevices *vmm_domain_def_get_devices(const VmmDomainDef *def)
{
        return def->devices;
}

const char *vmm_domain_def_get_arch(const VmmDomainDef *def)
{
        return def->os.arch;
}

const char *vmm_domain_def_get_machine(const VmmDomainDef *def)
{
        return def->os.machine;
}

const char *vmm_domain_def_get_kernel(const VmmDomainDef *def)
{
        return def->os.kernel;
}

const char *vmm_domain_def_get_initrd(const VmmDomainDef *def)
{
        return def->os.initrd;
}

const char *vmm_domain_def_get_cmdline(const VmmDomainDef *def)
{
        return def->os.cmdline;
}
