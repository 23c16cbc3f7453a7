/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmmctl.h: what the parts of vmmctl share: the session context, the
 * command table's types, and the parsed arguments of one command.
 *
 * One table (cmd-table.c) lists every command with its option specs; the
 * parser (args.c), `help` and the shell's completion all read it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <vmm/vmm.h>

#define VMMCTL_MAX_OPTS 16
#define VMMCTL_MAX_MORE 255

typedef enum VmmctlOptType {
        VMMCTL_OPT_BOOL,   /* --name, no value */
        VMMCTL_OPT_STRING, /* --name VALUE or --name=VALUE */
} VmmctlOptType;

typedef enum VmmctlOptFlags {
        VMMCTL_OPT_REQUIRED = 1u << 0,   /* the command fails without it */
        VMMCTL_OPT_POSITIONAL = 1u << 1, /* may be given without --name, in table order */
        VMMCTL_OPT_MULTI = 1u << 2,      /* positional, last: takes every further word */
} VmmctlOptFlags;

typedef struct VmmctlOptSpec {
        const char *name; /* without the dashes */
        VmmctlOptType type;
        unsigned int flags;
        const char *help;
} VmmctlOptSpec;

typedef struct VmmctlCtx VmmctlCtx;
typedef struct VmmctlArgs VmmctlArgs;

typedef struct VmmctlCommand {
        const char *name;
        const char *group; /* "Domain", "Network", "Storage", "Host and shell" */
        const char *summary;
        const VmmctlOptSpec *opts; /* terminated by an entry with name NULL */
        bool no_connect;           /* runs without opening a connection */
        int (*run)(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
} VmmctlCommand;

/* One command's parsed arguments: values[i] belongs to cmd->opts[i]
 * (NULL when not given; "" marks a boolean that was given). */
struct VmmctlArgs {
        const VmmctlCommand *cmd;
        const char *values[VMMCTL_MAX_OPTS];
        /* the words after the first of a VMMCTL_OPT_MULTI option */
        const char *more[VMMCTL_MAX_MORE];
        size_t n_more;
};

struct VmmctlCtx {
        const char *uri; /* -c URI, or NULL for the default */
        bool json;       /* --json: one JSON document per command */
        bool readonly;
        bool quiet; /* -q: no headers, no informational lines */
        bool quit;  /* set by quit/exit */
        VmmConnect *conn;
};

/* --- the command table (cmd-table.c) --- */

const VmmctlCommand *vmmctl_command_find(const char *name);
/* The whole table, terminated by an entry with name NULL. */
const VmmctlCommand *vmmctl_commands(void);

/* --- parsing (args.c) --- */

/*
 * A command line split into commands: each command is a NULL-terminated
 * vector of words. Words are split on blanks; '...' keeps text literally,
 * "..." allows \" and \\, a backslash outside quotes escapes the next
 * character, and an unquoted ';' ends a command.
 */
typedef struct VmmctlScript {
        char ***cmds; /* each a NULL-terminated vector of heap strings */
        size_t n_cmds;
} VmmctlScript;

/* Splits one line (a shell line, or the single argument given to vmmctl). */
int vmmctl_script_parse_line(const char *line, VmmctlScript *ret, VmmError *error);
/* Builds commands from argv words already split by the shell: a word ";"
 * separates commands, as does a trailing ';' on a word ("list;"). */
int vmmctl_script_from_argv(int argc, char *const *argv, VmmctlScript *ret, VmmError *error);
void vmmctl_script_done(VmmctlScript *s);

/* Matches one command's words against its spec. Errors (-EINVAL):
 *   unknown command: 'foo'
 *   command 'list' doesn't support option --bogus
 *   command 'dominfo' requires <domain> option
 *   option --domain requires a value
 *   unexpected data 'x'
 * The values point into `argv`, which must outlive `ret`. */
int vmmctl_args_parse(char *const *argv, VmmctlArgs *ret, VmmError *error);

/* The value of option `name`, or NULL when absent. */
const char *vmmctl_args_get(const VmmctlArgs *args, const char *name);
bool vmmctl_args_has(const VmmctlArgs *args, const char *name);

/* --- running (cmd-table.c) --- */

/* Parses and runs one command on `ctx`, opening the connection on first
 * need. On failure returns a negative errno with `error` filled. */
int vmmctl_run_words(VmmctlCtx *ctx, char *const *words, VmmError *error);
/* Runs every command of a script, printing "error: MESSAGE" on stderr for
 * each failure; stops after quit/exit. Returns 0 when all succeeded. */
int vmmctl_run_script(VmmctlCtx *ctx, const VmmctlScript *script);
/* Closes the connection, if open. */
void vmmctl_ctx_done(VmmctlCtx *ctx);

/* --- command handlers (cmd-*.c) --- */

int vmmctl_cmd_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_define(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_create(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_undefine(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_start(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_lifecycle(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
/* shutdown/reboot --mode LIST ("acpi,agent") as VmmDomainShutdownFlags;
 * NULL: 0 (cmd-shutdown-mode.c). */
int vmmctl_shutdown_mode_parse(const char *list, unsigned int *ret_flags, VmmError *error);
int vmmctl_cmd_dominfo(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domstate(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domid(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domuuid(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domname(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_autostart(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_event(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_net_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_net_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_net_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_pool_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_pool_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_pool_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_vol_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_vol_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_vol_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_uri(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_version(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_hostname(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_help(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_quit(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);

/* The domain named by option "domain": an id, a UUID or a name (cmd-domain.c). */
int vmmctl_domain_lookup(VmmctlCtx *ctx, const VmmctlArgs *args, VmmDomain **ret,
                         VmmError *error);
/* Device tables from the domain's XML (cmd-domdev.c). */
int vmmctl_cmd_domblklist(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domiflist(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);

/* Device hot-plug (cmd-domdevice.c). */
int vmmctl_cmd_attach_device(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_detach_device(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_attach_disk(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_detach_disk(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_attach_interface(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_detach_interface(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);

/* Runtime operations (cmd-domops.c). */
int vmmctl_cmd_setmem(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_domstats(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_qemu_monitor_command(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
/* "512MiB", "1G", "524288" (KiB) ... to KiB, rounded up. */
int vmmctl_parse_size_kib(const char *s, uint64_t *ret_kib, VmmError *error);

/* Save and restore (cmd-save.c); their option tables live there too. */
extern const VmmctlOptSpec vmmctl_opts_save[];
extern const VmmctlOptSpec vmmctl_opts_restore[];
extern const VmmctlOptSpec vmmctl_opts_managedsave[];
extern const VmmctlOptSpec vmmctl_opts_save_image[];
extern const VmmctlOptSpec vmmctl_opts_undefine[]; /* DOMAIN [--managed-save] */
int vmmctl_cmd_save(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_restore(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_managedsave(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_managedsave_remove(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);
int vmmctl_cmd_save_image_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);

/* The serial console (cmd-console.c); its option table lives there. */
extern const VmmctlOptSpec vmmctl_opts_console[];
int vmmctl_cmd_console(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error);

/* Prints a document as the *dumpxml commands do: as is, or {"xml": ...}. */
void vmmctl_print_xml(VmmctlCtx *ctx, const char *xml);

/* Prints help for one command, or the list of all commands. */
void vmmctl_print_help(const VmmctlCommand *cmd);
