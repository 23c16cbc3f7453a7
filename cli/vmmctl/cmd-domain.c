/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-domain.c: the domain commands (define, start, dominfo, dumpxml...). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

/* Larger XML files are refused here, before the library's own bound. */
#define VMMCTL_MAX_FILE (16u * 1024 * 1024)

static inline void domain_unrefp(VmmDomain **d)
{
        vmm_domain_unref(*d);
}
#define _cleanup_domain_ _cleanup_(domain_unrefp)

/* Reads FILE (or standard input for "-") into a heap string. */
static int read_file(const char *path, char **ret, VmmError *error)
{
        bool is_stdin = strcmp(path, "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(path, "re");
        char *data = NULL;
        size_t len = 0, cap = 0;

        if (!f)
                return vmmctl_error(error, -errno, "cannot read '%s': %s", path, strerror(errno));
        for (;;) {
                size_t n;

                if (cap - len < 4096) {
                        char *nd = len + 4096 > VMMCTL_MAX_FILE ? NULL : realloc(data, cap + 65536);

                        if (!nd) {
                                free(data);
                                if (!is_stdin)
                                        fclose(f);
                                return vmmctl_error(error, -EFBIG,
                                                    "'%s' is too large (over %u MiB)", path,
                                                    VMMCTL_MAX_FILE >> 20);
                        }
                        data = nd;
                        cap += 65536;
                }
                n = fread(data + len, 1, cap - len - 1, f);
                len += n;
                if (n == 0)
                        break;
        }
        data[len] = '\0';
        if (ferror(f)) {
                free(data);
                if (!is_stdin)
                        fclose(f);
                return vmmctl_error(error, -EIO, "cannot read '%s'", path);
        }
        if (!is_stdin)
                fclose(f);
        *ret = data;
        return 0;
}

/* Finds a domain as virsh does: a number is tried as an id, then the
 * text as a UUID, then as a name. Errors come from the name lookup. */
static int domain_lookup(VmmctlCtx *ctx, const VmmctlArgs *args, VmmDomain **ret, VmmError *error)
{
        const char *s = vmmctl_args_get(args, "domain");
        VmmError ignored = VMM_ERROR_INIT;
        char *end;
        long id;

        errno = 0;
        id = strtol(s, &end, 10);
        if (*s && *end == '\0' && errno == 0 && id >= 0 && id <= INT_MAX &&
            vmm_domain_lookup_by_id(ctx->conn, (int)id, ret, &ignored) >= 0)
                return 0;
        vmm_error_clear(&ignored);
        if (strlen(s) >= 32 && vmm_domain_lookup_by_uuid_string(ctx->conn, s, ret, &ignored) >= 0)
                return 0;
        vmm_error_clear(&ignored);
        return vmm_domain_lookup_by_name(ctx->conn, s, ret, error);
}

int vmmctl_domain_lookup(VmmctlCtx *ctx, const VmmctlArgs *args, VmmDomain **ret,
                         VmmError *error)
{
        return domain_lookup(ctx, args, ret, error);
}

/* --- list --- */

static unsigned int list_flags(const VmmctlArgs *args)
{
        static const struct {
                const char *opt;
                unsigned int flag;
        } map[] = {
            {"inactive", VMM_DOMAIN_LIST_INACTIVE},
            {"state-running", VMM_DOMAIN_LIST_RUNNING},
            {"state-paused", VMM_DOMAIN_LIST_PAUSED},
            {"state-shutoff", VMM_DOMAIN_LIST_SHUTOFF},
            {"persistent", VMM_DOMAIN_LIST_PERSISTENT},
            {"transient", VMM_DOMAIN_LIST_TRANSIENT},
            {"autostart", VMM_DOMAIN_LIST_AUTOSTART},
            {"no-autostart", VMM_DOMAIN_LIST_NO_AUTOSTART},
            {"with-managed-save", VMM_DOMAIN_LIST_MANAGED_SAVE},
            {"without-managed-save", VMM_DOMAIN_LIST_NO_MANAGED_SAVE},
        };
        unsigned int flags = 0;

        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (vmmctl_args_has(args, map[i].opt))
                        flags |= map[i].flag;
        /* like virsh: active domains only, unless asked otherwise; --all
         * lifts the active/inactive filter */
        if (vmmctl_args_has(args, "all"))
                flags &= ~VMM_DOMAIN_LIST_INACTIVE;
        else if (!(flags & (VMM_DOMAIN_LIST_INACTIVE | VMM_DOMAIN_LIST_SHUTOFF)))
                flags |= VMM_DOMAIN_LIST_ACTIVE;
        return flags;
}

static json_object *domain_to_json(VmmDomain *dom)
{
        json_object *o = json_object_new_object();
        char uuid[VMM_UUID_STRING_BUFLEN];
        VmmDomainState state = VMM_DOMAIN_NOSTATE;
        bool autostart = false;
        int id = vmm_domain_get_id(dom);

        vmm_domain_get_uuid_string(dom, uuid);
        vmm_domain_get_state(dom, &state, NULL, NULL);
        vmm_domain_get_autostart(dom, &autostart, NULL);
        json_object_object_add(o, "id", id >= 0 ? json_object_new_int(id) : NULL);
        vmmctl_json_add_string(o, "name", vmm_domain_get_name(dom));
        vmmctl_json_add_string(o, "uuid", uuid);
        vmmctl_json_add_string(o, "state", vmm_domain_state_to_string(state));
        vmmctl_json_add_bool(o, "persistent", vmm_domain_is_persistent(dom, NULL) == 1);
        vmmctl_json_add_bool(o, "autostart", autostart);
        return o;
}

typedef struct ListRow {
        size_t index; /* position in the name-sorted list */
        int id;
        VmmDomainState state;
} ListRow;

/* As virsh: running domains by id first, then the inactive ones by name. */
static int list_row_compare(const void *a, const void *b)
{
        const ListRow *x = a, *y = b;

        if ((x->id >= 0) != (y->id >= 0))
                return x->id >= 0 ? -1 : 1;
        if (x->id != y->id)
                return x->id < y->id ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

static int list_print_table(VmmDomain **doms, size_t n, bool quiet)
{
        static const char *const header[] = {"Id", "Name", "State"};
        _cleanup_free_ ListRow *rows = calloc(n ? n : 1, sizeof(*rows));
        VmmctlTable t;
        int r;

        if (!rows)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                rows[i].index = i;
                rows[i].id = vmm_domain_get_id(doms[i]);
                rows[i].state = VMM_DOMAIN_NOSTATE;
                vmm_domain_get_state(doms[i], &rows[i].state, NULL, NULL);
        }
        qsort(rows, n, sizeof(*rows), list_row_compare);
        r = vmmctl_table_init(&t, 3, header);
        for (size_t i = 0; i < n && r >= 0; i++) {
                char ids[16] = "-";
                const char *row[3];

                if (rows[i].id >= 0)
                        snprintf(ids, sizeof(ids), "%d", rows[i].id);
                row[0] = ids;
                row[1] = vmm_domain_get_name(doms[rows[i].index]);
                row[2] = vmm_domain_state_to_string(rows[i].state);
                r = vmmctl_table_add_row(&t, row);
        }
        if (r >= 0)
                vmmctl_table_print(&t, stdout, quiet);
        vmmctl_table_done(&t);
        return r;
}

int vmmctl_cmd_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        bool by_name = vmmctl_args_has(args, "name"), by_uuid = vmmctl_args_has(args, "uuid");
        VmmDomain **doms = NULL;
        size_t n = 0;
        int r;

        r = vmm_domain_list_all(ctx->conn, list_flags(args), &doms, &n, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                json_object *arr = json_object_new_array();

                for (size_t i = 0; i < n; i++)
                        json_object_array_add(arr, domain_to_json(doms[i]));
                vmmctl_json_print(arr);
        } else if (by_name || by_uuid) {
                for (size_t i = 0; i < n; i++) {
                        char uuid[VMM_UUID_STRING_BUFLEN];

                        vmm_domain_get_uuid_string(doms[i], uuid);
                        if (by_uuid && by_name)
                                printf("%-36s  %s\n", uuid, vmm_domain_get_name(doms[i]));
                        else
                                printf("%s\n", by_uuid ? uuid : vmm_domain_get_name(doms[i]));
                }
        } else
                r = list_print_table(doms, n, ctx->quiet);
        vmm_domain_list_free(doms, n);
        if (r < 0)
                return vmmctl_error(error, r, "out of memory");
        return 0;
}

/* --- define, create, undefine --- */

static int define_or_create(VmmctlCtx *ctx, const VmmctlArgs *args, bool create, VmmError *error)
{
        const char *file = vmmctl_args_get(args, "file");
        _cleanup_domain_ VmmDomain *dom = NULL;
        _cleanup_free_ char *xml = NULL;
        unsigned int flags = 0;
        int r;

        r = read_file(file, &xml, error);
        if (r < 0)
                return r;
        if (create) {
                if (vmmctl_args_has(args, "paused"))
                        flags |= VMM_DOMAIN_START_PAUSED;
                r = vmm_domain_create_xml(ctx->conn, xml, flags, &dom, error);
        } else {
                if (vmmctl_args_has(args, "validate"))
                        flags |= VMM_DOMAIN_DEFINE_VALIDATE;
                r = vmm_domain_define_xml(ctx->conn, xml, flags, &dom, error);
        }
        if (r < 0)
                return r;
        if (ctx->json)
                vmmctl_json_print_action("domain", vmm_domain_get_name(dom));
        else if (!ctx->quiet)
                printf("Domain '%s' %s from %s\n\n", vmm_domain_get_name(dom),
                       create ? "created" : "defined", file);
        return 0;
}

int vmmctl_cmd_define(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        return define_or_create(ctx, args, false, error);
}

int vmmctl_cmd_create(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        return define_or_create(ctx, args, true, error);
}

static void action_done(VmmctlCtx *ctx, VmmDomain *dom, const char *what)
{
        if (ctx->json)
                vmmctl_json_print_action("domain", vmm_domain_get_name(dom));
        else if (!ctx->quiet)
                printf("Domain '%s' %s\n\n", vmm_domain_get_name(dom), what);
}

int vmmctl_cmd_undefine(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        int r;

        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_undefine(dom,
                                        vmmctl_args_has(args, "managed-save")
                                            ? VMM_DOMAIN_UNDEFINE_MANAGED_SAVE
                                            : 0,
                                        error);
        if (r >= 0)
                action_done(ctx, dom, "has been undefined");
        return r;
}

/* --- lifecycle --- */

int vmmctl_cmd_start(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        int r;

        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_start(
                    dom, vmmctl_args_has(args, "paused") ? VMM_DOMAIN_START_PAUSED : 0, error);
        if (r >= 0)
                action_done(ctx, dom, "started");
        return r;
}

int vmmctl_cmd_lifecycle(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        const char *name = args->cmd->name;
        _cleanup_domain_ VmmDomain *dom = NULL;
        unsigned int mode = 0;
        const char *done;
        int r;

        /* shutdown and reboot: --mode acpi,agent */
        r = vmmctl_shutdown_mode_parse(vmmctl_args_get(args, "mode"), &mode, error);
        if (r >= 0)
                r = domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        if (strcmp(name, "shutdown") == 0) {
                r = vmm_domain_shutdown(dom, mode, error);
                done = "is being shutdown";
        } else if (strcmp(name, "destroy") == 0) {
                r = vmm_domain_destroy(dom, 0, error);
                done = "destroyed";
        } else if (strcmp(name, "suspend") == 0) {
                r = vmm_domain_suspend(dom, error);
                done = "suspended";
        } else if (strcmp(name, "resume") == 0) {
                r = vmm_domain_resume(dom, error);
                done = "resumed";
        } else if (strcmp(name, "reboot") == 0) {
                r = vmm_domain_reboot(dom, mode, error);
                done = "is being rebooted";
        } else {
                r = vmm_domain_reset(dom, 0, error);
                done = "was reset";
        }
        if (r >= 0)
                action_done(ctx, dom, done);
        return r;
}

int vmmctl_cmd_autostart(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        bool enable = !vmmctl_args_has(args, "disable");
        _cleanup_domain_ VmmDomain *dom = NULL;
        int r;

        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_set_autostart(dom, enable, error);
        if (r >= 0)
                action_done(ctx, dom, enable ? "marked as autostarted" : "unmarked as autostarted");
        return r;
}

/* --- inspection --- */

static int dominfo_json(VmmDomain *dom, const VmmDomainInfo *info, const char *os_type,
                        int persistent, bool autostart)
{
        json_object *o = json_object_new_object();
        char uuid[VMM_UUID_STRING_BUFLEN];
        int id = vmm_domain_get_id(dom);

        vmm_domain_get_uuid_string(dom, uuid);
        json_object_object_add(o, "id", id >= 0 ? json_object_new_int(id) : NULL);
        vmmctl_json_add_string(o, "name", vmm_domain_get_name(dom));
        vmmctl_json_add_string(o, "uuid", uuid);
        vmmctl_json_add_string(o, "os_type", os_type);
        vmmctl_json_add_string(o, "state", vmm_domain_state_to_string(info->state));
        vmmctl_json_add_int(o, "cpus", info->vcpus);
        vmmctl_json_add_int(o, "cpu_time_ns", (int64_t)info->cpu_time_ns);
        vmmctl_json_add_int(o, "max_memory_kib", (int64_t)info->max_memory_kib);
        vmmctl_json_add_int(o, "used_memory_kib", (int64_t)info->memory_kib);
        vmmctl_json_add_bool(o, "persistent", persistent == 1);
        vmmctl_json_add_bool(o, "autostart", autostart);
        vmmctl_json_print(o);
        return 0;
}

int vmmctl_cmd_dominfo(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        _cleanup_free_ char *os_type = NULL;
        char uuid[VMM_UUID_STRING_BUFLEN];
        VmmDomainInfo info;
        bool autostart = false;
        int r, id, persistent;

        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_get_info(dom, &info, error);
        if (r >= 0)
                r = vmm_domain_get_os_type(dom, &os_type, error);
        if (r < 0)
                return r;
        persistent = vmm_domain_is_persistent(dom, NULL);
        vmm_domain_get_autostart(dom, &autostart, NULL);
        if (ctx->json)
                return dominfo_json(dom, &info, os_type, persistent, autostart);
        id = vmm_domain_get_id(dom);
        vmm_domain_get_uuid_string(dom, uuid);
        if (id >= 0)
                vmmctl_print_kv("Id", "%d", id);
        else
                vmmctl_print_kv("Id", "-");
        vmmctl_print_kv("Name", "%s", vmm_domain_get_name(dom));
        vmmctl_print_kv("UUID", "%s", uuid);
        vmmctl_print_kv("OS Type", "%s", os_type);
        vmmctl_print_kv("State", "%s", vmm_domain_state_to_string(info.state));
        vmmctl_print_kv("CPU(s)", "%u", info.vcpus);
        if (info.cpu_time_ns)
                vmmctl_print_kv("CPU time", "%.1fs", (double)info.cpu_time_ns / 1e9);
        vmmctl_print_kv("Max memory", "%llu KiB", (unsigned long long)info.max_memory_kib);
        vmmctl_print_kv("Used memory", "%llu KiB", (unsigned long long)info.memory_kib);
        vmmctl_print_kv("Persistent", "%s", persistent < 0 ? "unknown" : persistent ? "yes" : "no");
        vmmctl_print_kv("Autostart", "%s", autostart ? "enable" : "disable");
        r = persistent > 0 ? vmm_domain_has_managed_save(dom, 0, NULL) : 0;
        if (r >= 0)
                vmmctl_print_kv("Managed save", "%s", r > 0 ? "yes" : "no");
        if (!ctx->quiet)
                putchar('\n');
        return 0;
}

int vmmctl_cmd_domstate(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        VmmDomainState state;
        int r, reason = 0;

        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_get_state(dom, &state, &reason, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "state", vmm_domain_state_to_string(state));
                vmmctl_json_add_string(o, "reason",
                                       vmm_domain_state_reason_to_string(state, reason));
                vmmctl_json_print(o);
        } else if (vmmctl_args_has(args, "reason"))
                printf("%s (%s)\n\n", vmm_domain_state_to_string(state),
                       vmm_domain_state_reason_to_string(state, reason));
        else
                printf("%s\n\n", vmm_domain_state_to_string(state));
        return 0;
}

int vmmctl_cmd_domid(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        int r, id;

        r = domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        id = vmm_domain_get_id(dom);
        if (ctx->json) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "id", id >= 0 ? json_object_new_int(id) : NULL);
                vmmctl_json_print(o);
        } else if (id >= 0)
                printf("%d\n\n", id);
        else
                printf("-\n\n");
        return 0;
}

int vmmctl_cmd_domuuid(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        char uuid[VMM_UUID_STRING_BUFLEN];
        int r;

        r = domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        vmm_domain_get_uuid_string(dom, uuid);
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "uuid", uuid);
                vmmctl_json_print(o);
        } else
                printf("%s\n\n", uuid);
        return 0;
}

int vmmctl_cmd_domname(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        int r;

        r = domain_lookup(ctx, args, &dom, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "name", vmm_domain_get_name(dom));
                vmmctl_json_print(o);
        } else
                printf("%s\n\n", vmm_domain_get_name(dom));
        return 0;
}

void vmmctl_print_xml(VmmctlCtx *ctx, const char *xml)
{
        size_t len = strlen(xml);

        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "xml", xml);
                vmmctl_json_print(o);
                return;
        }
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
                putchar('\n');
}

int vmmctl_cmd_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_domain_ VmmDomain *dom = NULL;
        _cleanup_free_ char *xml = NULL;
        unsigned int flags = 0;
        int r;

        if (vmmctl_args_has(args, "inactive"))
                flags |= VMM_DOMAIN_XML_INACTIVE;
        if (vmmctl_args_has(args, "security-info"))
                flags |= VMM_DOMAIN_XML_SECURE;
        r = domain_lookup(ctx, args, &dom, error);
        if (r >= 0)
                r = vmm_domain_get_xml(dom, flags, &xml, error);
        if (r < 0)
                return r;
        vmmctl_print_xml(ctx, xml);
        return 0;
}
