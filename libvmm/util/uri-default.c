/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uri-default.c: which URI a connection opened without one uses. */
#define _GNU_SOURCE 1
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "fileutil.h"
#include "uri.h"

#define URI_CONFIG_MAX_SIZE (1024 * 1024)

/* The config file to read, heap; NULL in *ret_path when there is none to
 * look at (no home directory). */
static int uri_config_path(char **ret_path, bool *ret_explicit, VmmError *error)
{
        const char *env = getenv("VMM_CONFIG");
        const char *xdg, *home;
        char *path = NULL;
        int r;

        *ret_explicit = false;
        if (env && *env) {
                *ret_explicit = true;
                path = strdup(env);
                r = path ? 0 : -1;
        } else if (geteuid() == 0) {
                r = asprintf(&path, "%s/vmm/vmm.conf", VMM_SYSCONFDIR);
        } else if ((xdg = getenv("XDG_CONFIG_HOME")) && xdg[0] == '/') {
                r = asprintf(&path, "%s/vmm/vmm.conf", xdg);
        } else {
                struct passwd *pw;

                home = getenv("HOME");
                if ((!home || home[0] != '/') && (pw = getpwuid(geteuid())))
                        home = pw->pw_dir;
                if (!home || home[0] != '/') {
                        *ret_path = NULL;
                        return 0;
                }
                r = asprintf(&path, "%s/.config/vmm/vmm.conf", home);
        }
        if (r < 0 || !path)
                return vmm_error_oom(error);
        *ret_path = path;
        return 0;
}

/* Parses one `uri_default = "..."` line's value part (after '='). */
static int uri_config_value(const char *path, int lineno, char *value, char **ret,
                            VmmError *error)
{
        char quote, *end;

        while (isblank((unsigned char)*value))
                value++;
        quote = *value;
        end = quote == '"' || quote == '\'' ? strchr(value + 1, quote) : NULL;
        if (end) {
                char *rest = end + 1;

                while (isblank((unsigned char)*rest))
                        rest++;
                if (*rest == '\0' || *rest == '#') {
                        *end = '\0';
                        *ret = strdup(value + 1);
                        return *ret ? 0 : vmm_error_oom(error);
                }
        }
        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                             "%s: line %d: uri_default: \"%s\" is not a quoted string "
                             "(expected e.g. uri_default = \"qemu:///system\")",
                             path, lineno, value);
}

/* Finds the last `uri_default = "..."` in the text of a config file;
 * other settings and '#' comments are skipped. */
static int uri_config_find(const char *path, char *text, char **ret_uri, VmmError *error)
{
        static const char key[] = "uri_default";
        char *line = text, *next;
        int lineno = 0;

        *ret_uri = NULL;
        for (; line; line = next) {
                char *p = line;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                lineno++;
                while (isspace((unsigned char)*p))
                        p++;
                if (strncmp(p, key, strlen(key)) != 0)
                        continue;
                p += strlen(key);
                while (isblank((unsigned char)*p))
                        p++;
                if (*p != '=')
                        continue;
                free(*ret_uri);
                *ret_uri = NULL;
                if (uri_config_value(path, lineno, p + 1, ret_uri, error) < 0)
                        return -EINVAL;
        }
        return 0;
}

static int uri_config_read(char **ret_uri, VmmError *error)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        bool is_explicit;
        int r;

        *ret_uri = NULL;
        r = uri_config_path(&path, &is_explicit, error);
        if (r < 0 || !path)
                return r;
        r = vmm_file_read_all(path, URI_CONFIG_MAX_SIZE, &text, NULL, error);
        if (r == -ENOENT && !is_explicit)
                return 0;
        if (r == -ENOENT)
                return vmm_error_set(error, -ENOENT, VMM_ERR_SYSTEM,
                                     "config file \"%s\" (from $VMM_CONFIG) does not exist",
                                     path);
        if (r < 0)
                return r;
        return uri_config_find(path, text, ret_uri, error);
}

int vmm_uri_default(char **ret_uri, VmmError *error)
{
        const char *env = getenv("VMM_DEFAULT_URI");
        char *uri = NULL;
        int r;

        if (env && *env) {
                uri = strdup(env);
                if (!uri)
                        return vmm_error_oom(error);
                *ret_uri = uri;
                return 0;
        }
        r = uri_config_read(&uri, error);
        if (r < 0)
                return r;
        if (!uri || !*uri) {
                free(uri);
                uri = strdup(geteuid() == 0 ? "qemu:///system" : "qemu:///session");
                if (!uri)
                        return vmm_error_oom(error);
        }
        *ret_uri = uri;
        return 0;
}
