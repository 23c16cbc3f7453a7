/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-domains-load.c: the daemon's directories, and loading every
 * definition at start. One bad file never stops the daemon: it is logged
 * with its name and skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-domains-internal.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#define QEMU_DOMAIN_FILE_MAX (16u << 20)

static int paths_set(VmmQemuPaths *p, const char *config, const char *state, const char *run,
                     VmmError *error)
{
        p->config_dir = strdup(config);
        p->state_dir = strdup(state);
        p->run_dir = strdup(run);
        if (!p->config_dir || !p->state_dir || !p->run_dir) {
                vmm_qemu_paths_done(p);
                return vmm_error_oom(error);
        }
        return 0;
}

static int paths_session(VmmQemuPaths *p, VmmError *error)
{
        char config[4096], state[4096], run[4096];
        const char *home = getenv("HOME"), *xc = getenv("XDG_CONFIG_HOME");
        const char *xd = getenv("XDG_DATA_HOME"), *xr = getenv("XDG_RUNTIME_DIR");

        if ((!xc || !xd) && (!home || !*home))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "session daemon: neither $XDG_CONFIG_HOME/$XDG_DATA_HOME "
                                     "nor $HOME is set (expected a home directory)");
        if (xc && *xc)
                snprintf(config, sizeof(config), "%s/vmm/qemu", xc);
        else
                snprintf(config, sizeof(config), "%s/.config/vmm/qemu", home);
        if (xd && *xd)
                snprintf(state, sizeof(state), "%s/vmm/qemu", xd);
        else
                snprintf(state, sizeof(state), "%s/.local/share/vmm/qemu", home);
        if (xr && *xr)
                snprintf(run, sizeof(run), "%s/vmm", xr);
        else
                snprintf(run, sizeof(run), "/run/user/%u/vmm", (unsigned)getuid());
        return paths_set(p, config, state, run, error);
}

int vmm_qemu_paths_init(VmmQemuPaths *p, const char *root, bool session, VmmError *error)
{
        char config[4096], state[4096], run[4096];

        *p = (VmmQemuPaths){0};
        if (root && *root) {
                if (root[0] != '/')
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "root directory \"%s\" is not an absolute path",
                                             root);
                snprintf(config, sizeof(config), "%s/etc/vmm/qemu", root);
                snprintf(state, sizeof(state), "%s/var/lib/vmm/qemu", root);
                snprintf(run, sizeof(run), "%s/run/vmm", root);
                return paths_set(p, config, state, run, error);
        }
        if (session)
                return paths_session(p, error);
        return paths_set(p, "/etc/vmm/qemu", "/var/lib/vmm/qemu", "/run/vmm", error);
}

void vmm_qemu_paths_done(VmmQemuPaths *p)
{
        free(p->config_dir);
        free(p->state_dir);
        free(p->run_dir);
        *p = (VmmQemuPaths){0};
}

static bool is_definition_file(const char *name)
{
        size_t n = strlen(name);

        return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Whether NAME.xml names a domain the store has. */
static bool known_by_file_name(VmmQemuDomains *s, const char *file)
{
        _cleanup_free_ char *name = strndup(file, strlen(file) - 4);

        return name && xmlHashLookup(s->by_name, (const xmlChar *)name) != NULL;
}

/* Whether the journal's materializer still has a step for NAME.xml (an
 * undefined domain's file not yet removed). */
static bool pending_by_file_name(VmmQemuDomains *s, const char *file)
{
        _cleanup_free_ char *name = NULL;

        if (!s->journal)
                return false;
        name = strndup(file, strlen(file) - 4);
        return name && vmm_qemu_journal_materialize_pending(s->journal, name);
}

/* Returns 0 when loaded, 1 when already known, or a negative errno. */
static int load_one(VmmQemuDomains *s, const char *file, VmmError *error)
{
        _cleanup_free_ char *path = NULL, *xml = NULL, *link = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        VmmQemuDomain *dom = NULL, *other;
        struct stat st;
        size_t len;
        int r;

        /* known already (a reload): the daemon's copy is the current one;
         * a file with a step pending is not the current one either */
        if (known_by_file_name(s, file) || pending_by_file_name(s, file))
                return 1;
        if (asprintf(&path, "%s/%s", s->config_dir, file) < 0) {
                path = NULL;
                return vmm_error_oom(error);
        }
        r = vmm_file_read_all(path, QEMU_DOMAIN_FILE_MAX, &xml, &len, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_parse(xml, len, VMM_DOMAIN_DEF_KEEP_UNKNOWN, &def, error);
        if (r >= 0)
                r = vmm_domain_def_fill_defaults(def, error);
        if (r < 0)
                return r;
        if (strlen(file) != strlen(vmm_domain_def_get_name(def)) + 4 ||
            strncmp(file, vmm_domain_def_get_name(def), strlen(file) - 4) != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "holds domain '%s' (expected the file to be named "
                                     "\"%s.xml\")",
                                     vmm_domain_def_get_name(def), vmm_domain_def_get_name(def));
        r = qemu_domain_new(def, &dom, error);
        if (r < 0)
                return r;
        def = NULL;
        other = xmlHashLookup(s->by_uuid, (const xmlChar *)dom->uuid_str);
        if (other) {
                r = vmm_error_set(error, -EEXIST, VMM_ERR_DUPLICATE,
                                  "UUID %s is already used by domain '%s'", dom->uuid_str,
                                  other->name);
                qemu_domain_free(dom);
                return r;
        }
        r = qemu_domains_path(s, true, dom->name, &link, error);
        if (r >= 0)
                dom->autostart = lstat(link, &st) == 0;
        if (r >= 0)
                r = qemu_domains_insert(s, dom, error);
        if (r < 0)
                qemu_domain_free(dom);
        return r;
}

static int definition_filter(const struct dirent *de)
{
        return is_definition_file(de->d_name);
}

/* In name order, so which of two clashing files wins does not depend on
 * the directory's layout. */
int vmm_qemu_domains_load(VmmQemuDomains *s)
{
        struct dirent **entries = NULL;
        int n_entries, n = 0;

        if (s->journal)
                vmm_qemu_journal_materialize_flush(s->journal); /* a reload */
        n_entries = scandir(s->config_dir, &entries, definition_filter, alphasort);
        if (n_entries < 0) {
                vmm_log_warning("cannot read domain definitions in \"%s\": %s, ignoring",
                                s->config_dir, strerror(errno));
                return 0;
        }
        for (int i = 0; i < n_entries; i++) {
                VmmError err = VMM_ERROR_INIT;

                int r = load_one(s, entries[i]->d_name, &err);

                if (r < 0)
                        vmm_log_error("domain definition \"%s/%s\": %s, skipping",
                                      s->config_dir, entries[i]->d_name,
                                      vmm_error_message(&err));
                else if (r == 0)
                        n++;
                vmm_error_clear(&err);
                free(entries[i]);
        }
        free(entries);
        return n;
}
