/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-os.c: <os>: the guest type with arch and machine, firmware
 * (firmware=, <firmware><feature>, <loader>, <nvram>), direct kernel boot
 * (kernel, initrd, cmdline, dtb, root), container init, boot order,
 * <bootmenu>, <smbios> and <bios>.
 */
#include <errno.h>

#include "domain-priv.h"

static const char *const os_type_table[_VMM_DOMAIN_OS_MAX] = {
        [VMM_DOMAIN_OS_HVM] = "hvm",
        [VMM_DOMAIN_OS_XEN] = "xen",
        [VMM_DOMAIN_OS_LINUX] = "linux",
        [VMM_DOMAIN_OS_EXE] = "exe",
        [VMM_DOMAIN_OS_UML] = "uml",
        [VMM_DOMAIN_OS_XENPVH] = "xenpvh",
};
static const char *const firmware_table[_VMM_DOMAIN_FIRMWARE_MAX] = {
        [VMM_DOMAIN_FIRMWARE_BIOS] = "bios",
        [VMM_DOMAIN_FIRMWARE_EFI] = "efi",
};
static const char *const loader_type_table[_VMM_DOMAIN_LOADER_MAX] = {
        [VMM_DOMAIN_LOADER_ROM] = "rom",
        [VMM_DOMAIN_LOADER_PFLASH] = "pflash",
};
static const char *const boot_dev_table[_VMM_DOMAIN_BOOT_MAX] = {
        [VMM_DOMAIN_BOOT_FD] = "fd",
        [VMM_DOMAIN_BOOT_CDROM] = "cdrom",
        [VMM_DOMAIN_BOOT_HD] = "hd",
        [VMM_DOMAIN_BOOT_NETWORK] = "network",
};
static const char *const smbios_table[] = {"emulate", "host", "sysinfo"};
static const char *const acpi_table_table[] = {"raw", "rawset", "slic", "msdm"};

#define N(t) ((int)ARRAY_SIZE(t))

const char *vmm_domain_os_type_to_string(int type)
{
        return vmm_enum_to_string(os_type_table, N(os_type_table), type);
}

void vmm_domain_os_init(VmmDomainOs *os)
{
        memset(os, 0, sizeof(*os));
        os->type = os->firmware = os->loader_type = os->smbios_mode = DOMAIN_ABSENT;
        os->loader_readonly = os->loader_secure = os->loader_stateless = DOMAIN_ABSENT;
        os->bootmenu_enable = os->bios_useserial = DOMAIN_ABSENT;
}

void vmm_domain_os_done(VmmDomainOs *os)
{
        for (size_t i = 0; i < os->n_fw_features; i++)
                free(os->fw_features[i].name);
        free(os->fw_features);
        free(os->arch);
        free(os->machine);
        free(os->loader_path);
        free(os->loader_format);
        free(os->nvram_path);
        free(os->nvram_template);
        free(os->nvram_type);
        free(os->nvram_format);
        free(os->nvram_template_format);
        vmm_xml_unknown_done(&os->nvram_source);
        free(os->kernel);
        free(os->initrd);
        free(os->cmdline);
        free(os->dtb);
        free(os->root);
        free(os->init);
        free(os->initdir);
        free(os->inituser);
        free(os->initgroup);
        for (size_t i = 0; i < os->n_initargs; i++)
                free(os->initargs[i]);
        free(os->initargs);
        for (size_t i = 0; i < ARRAY_SIZE(os->acpi_tables); i++)
                free(os->acpi_tables[i]);
        vmm_xml_unknown_done(&os->unknown);
        vmm_domain_os_init(os);
}

/* Direct text of `node` without surrounding blanks; NULL when empty. */
static int os_text(xmlNodePtr node, char **ret)
{
        _cleanup_free_ char *t = vmm_xml_get_text(node);
        char *s, *end;

        if (!t)
                return -ENOMEM;
        for (s = t; *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'; s++)
                ;
        end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
                *--end = '\0';
        free(*ret);
        *ret = NULL;
        if (*s && !(*ret = strdup(s)))
                return -ENOMEM;
        return 0;
}

static int os_parse_type(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const attrs[] = {"arch", "machine", NULL};
        _cleanup_free_ char *text = NULL;
        char expected[128];
        int r;

        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r < 0)
                return r;
        if (os_text(node, &text) < 0)
                return vmm_error_oom(error);
        os->type = vmm_enum_from_string(os_type_table, N(os_type_table), text);
        if (os->type < 0)
                return vmm_xml_error(
                    error, node, "\"%s\" is not a guest type (expected one of %s)", strempty(text),
                    vmm_enum_list(os_type_table, N(os_type_table), expected, sizeof(expected)));
        vmm_domain_util_str(node, "arch", &os->arch);
        vmm_domain_util_str(node, "machine", &os->machine);
        return 0;
}

static int os_parse_firmware(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const children[] = {"feature", NULL};
        static const char *const attrs[] = {"enabled", "name", NULL};
        int r;

        r = vmm_domain_util_check(node, children, NULL, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                VmmDomainFwFeature *f;

                if (!vmm_xml_is(c, "feature"))
                        continue;
                f = vmm_domain_util_grow(&os->fw_features, &os->n_fw_features, sizeof(*f));
                if (!f)
                        return vmm_error_oom(error);
                f->enabled = DOMAIN_ABSENT;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "enabled", &f->enabled, error);
                if (r >= 0 && !vmm_domain_util_str(c, "name", &f->name))
                        r = vmm_xml_error(error, c, "missing attribute 'name'");
        }
        return r < 0 ? r : 0;
}

static int os_parse_loader(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const attrs[] = {"readonly",  "type",   "secure",
                                            "stateless", "format", NULL};
        int r;

        os->has_loader = true;
        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "readonly", &os->loader_readonly, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "secure", &os->loader_secure, error);
        if (r >= 0)
                r = vmm_xml_prop_yesno(node, "stateless", &os->loader_stateless, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "type", loader_type_table, N(loader_type_table),
                                      &os->loader_type, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "format", &os->loader_format);
        return os_text(node, &os->loader_path) < 0 ? vmm_error_oom(error) : 0;
}

static int os_parse_nvram(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const children[] = {"source", NULL};
        static const char *const attrs[] = {"template", "type", "format", "templateFormat", NULL};
        xmlNodePtr src;
        int r;

        os->has_nvram = true;
        r = vmm_domain_util_check(node, children, attrs, error);
        if (r < 0)
                return r;
        vmm_domain_util_str(node, "template", &os->nvram_template);
        vmm_domain_util_str(node, "type", &os->nvram_type);
        vmm_domain_util_str(node, "format", &os->nvram_format);
        vmm_domain_util_str(node, "templateFormat", &os->nvram_template_format);
        src = vmm_xml_child(node, "source");
        if (src && vmm_domain_util_keep(&os->nvram_source, src) < 0)
                return vmm_error_oom(error);
        return os_text(node, &os->nvram_path) < 0 ? vmm_error_oom(error) : 0;
}

static int os_parse_boot(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const attrs[] = {"dev", NULL};
        int dev = -1, r;

        r = vmm_domain_util_check(node, NULL, attrs, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "dev", boot_dev_table, N(boot_dev_table), &dev, error);
        if (r < 0)
                return r;
        if (r == 0)
                return vmm_xml_error(error, node,
                                     "missing attribute 'dev' (expected e.g. dev='hd')");
        if (os->n_boot >= ARRAY_SIZE(os->boot))
                return vmm_xml_error(error, node, "more than %zu boot devices",
                                     ARRAY_SIZE(os->boot));
        os->boot[os->n_boot++] = dev;
        return 0;
}

static int os_parse_menus(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const bootmenu_attrs[] = {"enable", "timeout", NULL};
        static const char *const smbios_attrs[] = {"mode", NULL};
        static const char *const bios_attrs[] = {"useserial", "rebootTimeout", NULL};
        xmlNodePtr c;
        int r = 0;

        if ((c = vmm_xml_child(node, "bootmenu"))) {
                r = vmm_domain_util_check(c, NULL, bootmenu_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "enable", &os->bootmenu_enable, error);
                if (r >= 0)
                        r = vmm_xml_prop_uint(c, "timeout", &os->bootmenu_timeout, error);
                os->has_bootmenu_timeout = r > 0;
        }
        if (r >= 0 && (c = vmm_xml_child(node, "smbios"))) {
                r = vmm_domain_util_check(c, NULL, smbios_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "mode", smbios_table, N(smbios_table),
                                              &os->smbios_mode, error);
                if (r == 0)
                        r = vmm_xml_error(error, c, "missing attribute 'mode'");
        }
        if (r >= 0 && (c = vmm_xml_child(node, "bios"))) {
                os->has_bios = true;
                r = vmm_domain_util_check(c, NULL, bios_attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_yesno(c, "useserial", &os->bios_useserial, error);
                if (r >= 0)
                        r = vmm_xml_prop_int(c, "rebootTimeout", &os->bios_reboot_timeout, error);
                os->has_bios_reboot_timeout = r > 0;
        }
        return r < 0 ? r : 0;
}

static int os_parse_strings(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        struct {
                const char *name;
                char **field;
        } strings[] = {
            {"kernel", &os->kernel},   {"initrd", &os->initrd},     {"cmdline", &os->cmdline},
            {"dtb", &os->dtb},         {"root", &os->root},         {"init", &os->init},
            {"initdir", &os->initdir}, {"inituser", &os->inituser}, {"initgroup", &os->initgroup},
        };

        for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
                if (vmm_domain_util_child_str(node, strings[i].name, strings[i].field) < 0)
                        return vmm_error_oom(error);
        for (xmlNodePtr c = node->children; c; c = c->next) {
                char **arg;

                if (!vmm_xml_is(c, "initarg"))
                        continue;
                arg = vmm_domain_util_grow(&os->initargs, &os->n_initargs, sizeof(*arg));
                if (!arg || !(*arg = vmm_xml_get_text(c)))
                        return vmm_error_oom(error);
        }
        return 0;
}

static int os_parse_acpi(xmlNodePtr node, VmmDomainOs *os, VmmError *error)
{
        static const char *const children[] = {"table", NULL};
        static const char *const attrs[] = {"type", NULL};
        int r;

        os->has_acpi = true;
        r = vmm_domain_util_check(node, children, NULL, error);
        for (xmlNodePtr c = node->children; r >= 0 && c; c = c->next) {
                int type = -1;

                if (!vmm_xml_is(c, "table"))
                        continue;
                r = vmm_domain_util_check(c, NULL, attrs, error);
                if (r >= 0)
                        r = vmm_xml_prop_enum(c, "type", acpi_table_table, N(acpi_table_table),
                                              &type, error);
                if (r == 0)
                        return vmm_xml_error(error, c, "missing attribute 'type'");
                if (r < 0)
                        return r;
                if (os->acpi_tables[type])
                        return vmm_xml_error(error, c, "ACPI table type '%s' given twice",
                                             acpi_table_table[type]);
                if (os_text(c, &os->acpi_tables[type]) < 0)
                        return vmm_error_oom(error);
                if (!os->acpi_tables[type])
                        return vmm_xml_error(error, c, "missing the table's file path");
        }
        return r < 0 ? r : 0;
}

int vmm_domain_os_parse(xmlNodePtr node, unsigned int flags, VmmDomainOs *os, VmmError *error)
{
        static const char *const children[] = {
            "type", "firmware", "loader", "nvram",   "kernel",  "initrd",   "cmdline",
            "dtb",  "root",     "init",   "initarg", "initdir", "inituser", "initgroup",
            "boot", "bootmenu", "smbios", "bios",    "acpi",    NULL,
        };
        static const char *const single[] = {"type",     "firmware", "loader",  "nvram",
                                             "kernel",   "initrd",   "cmdline", "dtb",
                                             "bootmenu", "acpi",     NULL};
        static const char *const attrs[] = {"firmware", NULL};
        xmlNodePtr c;
        int r;

        r = vmm_xml_check_node(node, children, attrs, flags, &os->unknown, error);
        if (r >= 0)
                r = vmm_domain_util_check_single(node, single, error);
        if (r >= 0)
                r = vmm_xml_prop_enum(node, "firmware", firmware_table, N(firmware_table),
                                      &os->firmware, error);
        if (r < 0)
                return r;
        c = vmm_xml_child(node, "type");
        if (!c)
                return vmm_xml_error(error, node,
                                     "missing <type> (expected e.g. <type>hvm</type>)");
        r = os_parse_type(c, os, error);
        if (r >= 0 && (c = vmm_xml_child(node, "firmware")))
                r = os_parse_firmware(c, os, error);
        if (r >= 0 && (c = vmm_xml_child(node, "loader")))
                r = os_parse_loader(c, os, error);
        if (r >= 0 && (c = vmm_xml_child(node, "nvram")))
                r = os_parse_nvram(c, os, error);
        for (c = node->children; r >= 0 && c; c = c->next)
                if (vmm_xml_is(c, "boot"))
                        r = os_parse_boot(c, os, error);
        if (r >= 0)
                r = os_parse_menus(node, os, error);
        if (r >= 0)
                r = os_parse_strings(node, os, error);
        if (r >= 0 && (c = vmm_xml_child(node, "acpi")))
                r = os_parse_acpi(c, os, error);
        return r < 0 ? r : 0;
}

static void os_format_firmware(const VmmDomainOs *os, xmlNodePtr node)
{
        xmlNodePtr n;

        if (os->n_fw_features) {
                n = vmm_xml_new_child(node, "firmware", NULL);
                for (size_t i = 0; i < os->n_fw_features; i++) {
                        xmlNodePtr f = vmm_xml_new_child(n, "feature", NULL);

                        vmm_domain_util_set_tristate(f, "enabled", os->fw_features[i].enabled,
                                                     false);
                        vmm_xml_set_prop(f, "name", os->fw_features[i].name);
                }
        }
        if (os->has_loader) {
                n = vmm_xml_new_child(node, "loader", os->loader_path);
                vmm_domain_util_set_tristate(n, "readonly", os->loader_readonly, false);
                vmm_domain_util_set_tristate(n, "secure", os->loader_secure, false);
                vmm_domain_util_set_enum(n, "type", loader_type_table, N(loader_type_table),
                                         os->loader_type);
                vmm_domain_util_set_tristate(n, "stateless", os->loader_stateless, false);
                vmm_xml_set_prop(n, "format", os->loader_format);
        }
        if (os->has_nvram) {
                n = vmm_xml_new_child(node, "nvram", os->nvram_path);
                vmm_xml_set_prop(n, "template", os->nvram_template);
                vmm_xml_set_prop(n, "templateFormat", os->nvram_template_format);
                vmm_xml_set_prop(n, "type", os->nvram_type);
                vmm_xml_set_prop(n, "format", os->nvram_format);
                vmm_xml_unknown_format(&os->nvram_source, n);
        }
}

int vmm_domain_os_format(const VmmDomainOs *os, xmlNodePtr parent)
{
        xmlNodePtr node, n;

        if (os->type < 0)
                return 0;
        node = vmm_xml_new_child(parent, "os", NULL);
        if (!node)
                return -ENOMEM;
        vmm_domain_util_set_enum(node, "firmware", firmware_table, N(firmware_table), os->firmware);
        n = vmm_xml_new_child(node, "type", os_type_table[os->type]);
        vmm_xml_set_prop(n, "arch", os->arch);
        vmm_xml_set_prop(n, "machine", os->machine);
        os_format_firmware(os, node);
        if (os->init)
                vmm_xml_new_child(node, "init", os->init);
        for (size_t i = 0; i < os->n_initargs; i++)
                vmm_xml_new_child(node, "initarg", os->initargs[i]);
        if (os->initdir)
                vmm_xml_new_child(node, "initdir", os->initdir);
        if (os->inituser)
                vmm_xml_new_child(node, "inituser", os->inituser);
        if (os->initgroup)
                vmm_xml_new_child(node, "initgroup", os->initgroup);
        if (os->kernel)
                vmm_xml_new_child(node, "kernel", os->kernel);
        if (os->initrd)
                vmm_xml_new_child(node, "initrd", os->initrd);
        if (os->cmdline)
                vmm_xml_new_child(node, "cmdline", os->cmdline);
        if (os->dtb)
                vmm_xml_new_child(node, "dtb", os->dtb);
        if (os->root)
                vmm_xml_new_child(node, "root", os->root);
        if (os->has_acpi) {
                n = vmm_xml_new_child(node, "acpi", NULL);
                for (size_t i = 0; i < ARRAY_SIZE(os->acpi_tables); i++)
                        if (os->acpi_tables[i])
                                vmm_xml_set_prop(vmm_xml_new_child(n, "table", os->acpi_tables[i]),
                                                 "type", acpi_table_table[i]);
        }
        for (size_t i = 0; i < os->n_boot; i++)
                vmm_xml_set_prop(vmm_xml_new_child(node, "boot", NULL), "dev",
                                 boot_dev_table[os->boot[i]]);
        if (os->bootmenu_enable >= 0 || os->has_bootmenu_timeout) {
                n = vmm_xml_new_child(node, "bootmenu", NULL);
                vmm_domain_util_set_tristate(n, "enable", os->bootmenu_enable, false);
                if (os->has_bootmenu_timeout)
                        vmm_domain_util_set_uint(n, "timeout", os->bootmenu_timeout);
        }
        if (os->smbios_mode >= 0)
                vmm_xml_set_prop(vmm_xml_new_child(node, "smbios", NULL), "mode",
                                 smbios_table[os->smbios_mode]);
        if (os->has_bios) {
                n = vmm_xml_new_child(node, "bios", NULL);
                vmm_domain_util_set_tristate(n, "useserial", os->bios_useserial, false);
                if (os->has_bios_reboot_timeout)
                        vmm_xml_set_propf(n, "rebootTimeout", "%d", os->bios_reboot_timeout);
        }
        vmm_xml_unknown_format(&os->unknown, node);
        return 0;
}

static bool os_equal_firmware(const VmmDomainOs *a, const VmmDomainOs *b, char **diff)
{
        if (!d_eq_int(diff, "os firmware", a->firmware, b->firmware) ||
            !d_eq_int(diff, "os firmware features", (long long)a->n_fw_features,
                      (long long)b->n_fw_features))
                return false;
        for (size_t i = 0; i < a->n_fw_features; i++)
                if (!d_eq_str(diff, "os firmware feature", a->fw_features[i].name,
                              b->fw_features[i].name) ||
                    !d_eq_int(diff, "os firmware feature enabled", a->fw_features[i].enabled,
                              b->fw_features[i].enabled))
                        return false;
        return d_eq_int(diff, "os loader", a->has_loader, b->has_loader) &&
               d_eq_str(diff, "os loader", a->loader_path, b->loader_path) &&
               d_eq_int(diff, "os loader readonly", a->loader_readonly, b->loader_readonly) &&
               d_eq_int(diff, "os loader type", a->loader_type, b->loader_type) &&
               d_eq_int(diff, "os loader secure", a->loader_secure, b->loader_secure) &&
               d_eq_int(diff, "os loader stateless", a->loader_stateless, b->loader_stateless) &&
               d_eq_str(diff, "os loader format", a->loader_format, b->loader_format) &&
               d_eq_int(diff, "os nvram", a->has_nvram, b->has_nvram) &&
               d_eq_str(diff, "os nvram", a->nvram_path, b->nvram_path) &&
               d_eq_str(diff, "os nvram template", a->nvram_template, b->nvram_template) &&
               d_eq_str(diff, "os nvram templateFormat", a->nvram_template_format,
                        b->nvram_template_format) &&
               d_eq_str(diff, "os nvram type", a->nvram_type, b->nvram_type) &&
               d_eq_str(diff, "os nvram format", a->nvram_format, b->nvram_format) &&
               d_eq_unknown(diff, "os nvram source", &a->nvram_source, &b->nvram_source);
}

static bool os_equal_boot(const VmmDomainOs *a, const VmmDomainOs *b, char **diff)
{
        if (!d_eq_int(diff, "os boot devices", (long long)a->n_boot, (long long)b->n_boot))
                return false;
        for (size_t i = 0; i < a->n_boot; i++)
                if (!d_eq_str(diff, "os boot dev", boot_dev_table[a->boot[i]],
                              boot_dev_table[b->boot[i]]))
                        return false;
        if (!d_eq_int(diff, "os initargs", (long long)a->n_initargs, (long long)b->n_initargs))
                return false;
        for (size_t i = 0; i < a->n_initargs; i++)
                if (!d_eq_str(diff, "os initarg", a->initargs[i], b->initargs[i]))
                        return false;
        return d_eq_int(diff, "os bootmenu enable", a->bootmenu_enable, b->bootmenu_enable) &&
               d_eq_int(diff, "os bootmenu timeout", a->has_bootmenu_timeout,
                        b->has_bootmenu_timeout) &&
               d_eq_int(diff, "os bootmenu timeout", a->bootmenu_timeout, b->bootmenu_timeout) &&
               d_eq_int(diff, "os smbios mode", a->smbios_mode, b->smbios_mode) &&
               d_eq_int(diff, "os bios", a->has_bios, b->has_bios) &&
               d_eq_int(diff, "os bios useserial", a->bios_useserial, b->bios_useserial) &&
               d_eq_int(diff, "os bios rebootTimeout", a->has_bios_reboot_timeout,
                        b->has_bios_reboot_timeout) &&
               d_eq_int(diff, "os bios rebootTimeout", a->bios_reboot_timeout,
                        b->bios_reboot_timeout);
}

bool vmm_domain_os_equal(const VmmDomainOs *a, const VmmDomainOs *b, char **diff)
{
        return d_eq_str(diff, "os type", vmm_domain_os_type_to_string(a->type),
                        vmm_domain_os_type_to_string(b->type)) &&
               d_eq_str(diff, "os arch", a->arch, b->arch) &&
               d_eq_str(diff, "os machine", a->machine, b->machine) &&
               os_equal_firmware(a, b, diff) && os_equal_boot(a, b, diff) &&
               d_eq_str(diff, "os kernel", a->kernel, b->kernel) &&
               d_eq_str(diff, "os initrd", a->initrd, b->initrd) &&
               d_eq_str(diff, "os cmdline", a->cmdline, b->cmdline) &&
               d_eq_str(diff, "os dtb", a->dtb, b->dtb) &&
               d_eq_str(diff, "os root", a->root, b->root) &&
               d_eq_str(diff, "os init", a->init, b->init) &&
               d_eq_str(diff, "os initdir", a->initdir, b->initdir) &&
               d_eq_str(diff, "os inituser", a->inituser, b->inituser) &&
               d_eq_str(diff, "os initgroup", a->initgroup, b->initgroup) &&
               d_eq_int(diff, "os acpi", a->has_acpi, b->has_acpi) &&
               d_eq_str(diff, "os acpi table raw", a->acpi_tables[0], b->acpi_tables[0]) &&
               d_eq_str(diff, "os acpi table rawset", a->acpi_tables[1], b->acpi_tables[1]) &&
               d_eq_str(diff, "os acpi table slic", a->acpi_tables[2], b->acpi_tables[2]) &&
               d_eq_str(diff, "os acpi table msdm", a->acpi_tables[3], b->acpi_tables[3]) &&
               d_eq_unknown(diff, "os unknown content", &a->unknown, &b->unknown);
}
