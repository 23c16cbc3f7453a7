/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-save.c: save, restore, managedsave, managedsave-remove and
 * save-image-dumpxml. A relative FILE is taken from the current
 * directory (the library wants absolute paths: the daemon writes the
 * file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "vmmctl.h"

#define SAVE_MAX_XML (4u * 1024 * 1024)

static inline void save_domain_unrefp(VmmDomain **d)
{
        vmm_domain_unref(*d);
}

static inline void save_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

const VmmctlOptSpec vmmctl_opts_save[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "where to save the data"},
    {"bypass-cache", VMMCTL_OPT_BOOL, 0, "avoid file system cache when saving"},
    {"xml", VMMCTL_OPT_STRING, 0, "filename containing updated XML for the target"},
    {"running", VMMCTL_OPT_BOOL, 0, "set domain to be running on restore"},
    {"paused", VMMCTL_OPT_BOOL, 0, "set domain to be paused on restore"},
    {NULL, 0, 0, NULL},
};

const VmmctlOptSpec vmmctl_opts_restore[] = {
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "the state to restore"},
    {"bypass-cache", VMMCTL_OPT_BOOL, 0, "avoid file system cache when restoring"},
    {"xml", VMMCTL_OPT_STRING, 0, "filename containing updated XML for the target"},
    {"running", VMMCTL_OPT_BOOL, 0, "restore domain into running state"},
    {"paused", VMMCTL_OPT_BOOL, 0, "restore domain into paused state"},
    {NULL, 0, 0, NULL},
};

const VmmctlOptSpec vmmctl_opts_managedsave[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"bypass-cache", VMMCTL_OPT_BOOL, 0, "avoid file system cache when saving"},
    {"running", VMMCTL_OPT_BOOL, 0, "set domain to be running on next start"},
    {"paused", VMMCTL_OPT_BOOL, 0, "set domain to be paused on next start"},
    {NULL, 0, 0, NULL},
};

const VmmctlOptSpec vmmctl_opts_save_image[] = {
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "saved state file to read"},
    {"security-info", VMMCTL_OPT_BOOL, 0, "include security sensitive information in XML dump"},
    {NULL, 0, 0, NULL},
};

const VmmctlOptSpec vmmctl_opts_undefine[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"managed-save", VMMCTL_OPT_BOOL, 0, "remove domain managed state file"},
    {NULL, 0, 0, NULL},
};

/* The flags shared by the commands; --running and --paused exclude each other. */
static int save_flags(const VmmctlArgs *args, unsigned int *ret, VmmError *error)
{
        unsigned int flags = 0;

        if (vmmctl_args_has(args, "running") && vmmctl_args_has(args, "paused"))
                return vmmctl_error(error, -EINVAL,
                                    "options --running and --paused are mutually exclusive");
        if (vmmctl_args_has(args, "bypass-cache"))
                flags |= VMM_DOMAIN_SAVE_BYPASS_CACHE;
        if (vmmctl_args_has(args, "running"))
                flags |= VMM_DOMAIN_SAVE_RUNNING;
        if (vmmctl_args_has(args, "paused"))
                flags |= VMM_DOMAIN_SAVE_PAUSED;
        *ret = flags;
        return 0;
}

/* FILE made absolute against the current directory (heap). */
static int save_abs_path(const char *file, char **ret, VmmError *error)
{
        char cwd[4096];

        if (file[0] == '/') {
                *ret = strdup(file);
        } else {
                if (!getcwd(cwd, sizeof(cwd)))
                        return vmmctl_error(error, -errno,
                                            "'%s': cannot resolve it from the current "
                                            "directory: %s",
                                            file, strerror(errno));
                if (asprintf(ret, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, file) < 0)
                        *ret = NULL;
        }
        return *ret ? 0 : vmmctl_error(error, -ENOMEM, "out of memory");
}

/* The --xml file's content (heap), or NULL when not given. */
static int save_read_xml(const VmmctlArgs *args, char **ret, VmmError *error)
{
        const char *path = vmmctl_args_get(args, "xml");
        _cleanup_(save_fclosep) FILE *f = NULL;
        char *data;
        size_t len;

        *ret = NULL;
        if (!path)
                return 0;
        f = fopen(path, "re");
        if (!f)
                return vmmctl_error(error, -errno, "cannot read '%s': %s", path, strerror(errno));
        data = malloc(SAVE_MAX_XML + 1);
        if (!data)
                return vmmctl_error(error, -ENOMEM, "out of memory");
        len = fread(data, 1, SAVE_MAX_XML + 1, f);
        if (ferror(f) || len > SAVE_MAX_XML) {
                free(data);
                return vmmctl_error(error, len > SAVE_MAX_XML ? -EFBIG : -EIO, "cannot read '%s'%s",
                                    path, len > SAVE_MAX_XML ? " (over 4 MiB)" : "");
        }
        data[len] = '\0';
        *ret = data;
        return 0;
}

static void save_json_done(const char *key, const char *value, const char *file)
{
        json_object *obj = json_object_new_object();

        vmmctl_json_add_string(obj, "result", "ok");
        if (key)
                vmmctl_json_add_string(obj, key, value);
        if (file)
                vmmctl_json_add_string(obj, "file", file);
        vmmctl_json_print(obj);
}

int vmmctl_cmd_save(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(save_domain_unrefp) VmmDomain *dom = NULL;
        _cleanup_free_ char *path = NULL, *xml = NULL;
        unsigned int flags = 0;
        int r;

        r = save_flags(args, &flags, error);
        if (r >= 0)
                r = save_abs_path(vmmctl_args_get(args, "file"), &path, error);
        if (r >= 0)
                r = save_read_xml(args, &xml, error);
        if (r >= 0)
                r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_save(dom, path, xml, flags, error);
        if (r < 0)
                return r;
        if (ctx->json)
                save_json_done("domain", vmm_domain_get_name(dom), path);
        else if (!ctx->quiet)
                printf("\nDomain '%s' saved to %s\n\n", vmm_domain_get_name(dom),
                       vmmctl_args_get(args, "file"));
        return 0;
}

int vmmctl_cmd_restore(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(save_domain_unrefp) VmmDomain *dom = NULL;
        _cleanup_free_ char *path = NULL, *xml = NULL;
        unsigned int flags = 0;
        int r;

        r = save_flags(args, &flags, error);
        if (r >= 0)
                r = save_abs_path(vmmctl_args_get(args, "file"), &path, error);
        if (r >= 0)
                r = save_read_xml(args, &xml, error);
        if (r >= 0)
                r = vmm_domain_restore(ctx->conn, path, xml, flags, &dom, error);
        if (r < 0)
                return r;
        if (ctx->json)
                save_json_done("domain", vmm_domain_get_name(dom), path);
        else if (!ctx->quiet)
                printf("Domain restored from %s\n\n", vmmctl_args_get(args, "file"));
        return 0;
}

int vmmctl_cmd_managedsave(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(save_domain_unrefp) VmmDomain *dom = NULL;
        unsigned int flags = 0;
        int r;

        r = save_flags(args, &flags, error);
        if (r >= 0)
                r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_managed_save(dom, flags, error);
        if (r < 0)
                return r;
        if (ctx->json)
                save_json_done("domain", vmm_domain_get_name(dom), NULL);
        else if (!ctx->quiet)
                printf("\nDomain '%s' state saved\n\n", vmm_domain_get_name(dom));
        return 0;
}

int vmmctl_cmd_managedsave_remove(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_(save_domain_unrefp) VmmDomain *dom = NULL;
        int r, has;

        r = vmmctl_domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        has = vmm_domain_has_managed_save(dom, 0, error);
        if (has < 0)
                return has;
        if (has) {
                r = vmm_domain_managed_save_remove(dom, 0, error);
                if (r < 0)
                        return r;
        }
        if (ctx->json) {
                json_object *obj = json_object_new_object();

                vmmctl_json_add_string(obj, "result", "ok");
                vmmctl_json_add_string(obj, "domain", vmm_domain_get_name(dom));
                vmmctl_json_add_bool(obj, "removed", has > 0);
                vmmctl_json_print(obj);
        } else if (!ctx->quiet) {
                if (has)
                        printf("Removed managedsave image for domain '%s'\n",
                               vmm_domain_get_name(dom));
                else
                        printf("Domain '%s' has no manage save image; removal skipped\n",
                               vmm_domain_get_name(dom));
        }
        return 0;
}

int vmmctl_cmd_save_image_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_free_ char *path = NULL, *xml = NULL;
        int r;

        r = save_abs_path(vmmctl_args_get(args, "file"), &path, error);
        if (r >= 0)
                r = vmm_domain_save_image_get_xml_desc(
                    ctx->conn, path,
                    vmmctl_args_has(args, "security-info") ? VMM_DOMAIN_XML_SECURE : 0, &xml,
                    error);
        if (r < 0)
                return r;
        vmmctl_print_xml(ctx, xml);
        return 0;
}
