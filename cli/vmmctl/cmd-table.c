/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-table.c: every vmmctl command with its options, and running them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

static const VmmctlOptSpec opts_list[] = {
    {"all", VMMCTL_OPT_BOOL, 0, "list inactive and active domains"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "list inactive domains"},
    {"name", VMMCTL_OPT_BOOL, 0, "list domain names only"},
    {"uuid", VMMCTL_OPT_BOOL, 0, "list uuids only"},
    {"state-running", VMMCTL_OPT_BOOL, 0, "list domains in running state"},
    {"state-paused", VMMCTL_OPT_BOOL, 0, "list domains in paused state"},
    {"state-shutoff", VMMCTL_OPT_BOOL, 0, "list domains in shutoff state"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "list persistent domains"},
    {"transient", VMMCTL_OPT_BOOL, 0, "list transient domains"},
    {"autostart", VMMCTL_OPT_BOOL, 0, "list domains with autostart enabled"},
    {"no-autostart", VMMCTL_OPT_BOOL, 0, "list domains with autostart disabled"},
    {"with-managed-save", VMMCTL_OPT_BOOL, 0, "list domains having a managed save image"},
    {"without-managed-save", VMMCTL_OPT_BOOL, 0, "list domains not having a managed save image"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_define[] = {
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "file containing an XML domain description (- for standard input)"},
    {"validate", VMMCTL_OPT_BOOL, 0, "validate the XML against the schema"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_create[] = {
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "file containing an XML domain description (- for standard input)"},
    {"paused", VMMCTL_OPT_BOOL, 0, "leave the guest paused after creation"},
    {"validate", VMMCTL_OPT_BOOL, 0, "validate the XML against the schema"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_domain[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_start[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"paused", VMMCTL_OPT_BOOL, 0, "leave the guest paused after start"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_shutdown[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"mode", VMMCTL_OPT_STRING, 0, "shutdown mode: acpi, agent (comma separated)"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_domstate[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"reason", VMMCTL_OPT_BOOL, 0, "also print the reason for the state"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_dumpxml[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "show the persistent definition"},
    {"security-info", VMMCTL_OPT_BOOL, 0, "include security sensitive information"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_autostart[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"disable", VMMCTL_OPT_BOOL, 0, "disable autostarting"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_event[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL, "only the events of this domain"},
    {"all", VMMCTL_OPT_BOOL, 0, "the events of every domain"},
    {"loop", VMMCTL_OPT_BOOL, 0, "keep waiting after the first event (until Ctrl-C)"},
    {"timeout", VMMCTL_OPT_STRING, 0, "stop waiting after this many seconds"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_net_list[] = {
    {"all", VMMCTL_OPT_BOOL, 0, "list inactive and active networks"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "list inactive networks"},
    {"name", VMMCTL_OPT_BOOL, 0, "list network names only"},
    {"uuid", VMMCTL_OPT_BOOL, 0, "list uuids only"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_network[] = {
    {"network", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "network name or uuid"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_pool_list[] = {
    {"all", VMMCTL_OPT_BOOL, 0, "list inactive and active pools"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "list inactive pools"},
    {"details", VMMCTL_OPT_BOOL, 0, "display extended details for pools"},
    {"name", VMMCTL_OPT_BOOL, 0, "list pool names only"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_pool[] = {
    {"pool", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL, "pool name"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_vol_list[] = {
    {"pool", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL, "pool name"},
    {"details", VMMCTL_OPT_BOOL, 0, "display extended details for volumes"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_vol[] = {
    {"vol", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL, "volume name or path"},
    {"pool", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL, "pool name"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_domblklist[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "get inactive rather than running configuration"},
    {"details", VMMCTL_OPT_BOOL, 0, "additionally display the type and device value"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_domiflist[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"inactive", VMMCTL_OPT_BOOL, 0, "get inactive rather than running configuration"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_setmem[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"size", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "new memory size, as scaled integer (default KiB)"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_device_file[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"file", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "XML file (- for standard input)"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "make live change persistent"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_attach_disk[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"source", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "source of disk device"},
    {"target", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "target of disk device"},
    {"targetbus", VMMCTL_OPT_STRING, 0, "target bus of disk device"},
    {"driver", VMMCTL_OPT_STRING, 0, "driver of disk device"},
    {"subdriver", VMMCTL_OPT_STRING, 0, "subdriver of disk device (raw, qcow2)"},
    {"cache", VMMCTL_OPT_STRING, 0, "cache mode of disk device"},
    {"type", VMMCTL_OPT_STRING, 0, "target device type (disk, cdrom)"},
    {"mode", VMMCTL_OPT_STRING, 0, "mode of device reading and writing (readonly, shareable)"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "make live change persistent"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_detach_disk[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"target", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "target of disk device"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "make live change persistent"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_attach_interface[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"type", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "network interface type (network, bridge, direct, user, ethernet)"},
    {"source", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL, "source of network interface"},
    {"target", VMMCTL_OPT_STRING, 0, "target network name"},
    {"mac", VMMCTL_OPT_STRING, 0, "MAC address"},
    {"model", VMMCTL_OPT_STRING, 0, "model type"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "make live change persistent"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_detach_interface[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"type", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "network interface type"},
    {"mac", VMMCTL_OPT_STRING, 0, "MAC address"},
    {"persistent", VMMCTL_OPT_BOOL, 0, "make live change persistent"},
    {"config", VMMCTL_OPT_BOOL, 0, "affect next boot"},
    {"live", VMMCTL_OPT_BOOL, 0, "affect running domain"},
    {"current", VMMCTL_OPT_BOOL, 0, "affect current domain"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_domstats[] = {
    {"state", VMMCTL_OPT_BOOL, 0, "report domain state"},
    {"cpu-total", VMMCTL_OPT_BOOL, 0, "report domain physical cpu usage"},
    {"balloon", VMMCTL_OPT_BOOL, 0, "report domain balloon statistics"},
    {"vcpu", VMMCTL_OPT_BOOL, 0, "report domain virtual cpu information"},
    {"interface", VMMCTL_OPT_BOOL, 0, "report domain network interface information"},
    {"block", VMMCTL_OPT_BOOL, 0, "report domain block device statistics"},
    {"list-active", VMMCTL_OPT_BOOL, 0, "list only active domains"},
    {"list-inactive", VMMCTL_OPT_BOOL, 0, "list only inactive domains"},
    {"list-persistent", VMMCTL_OPT_BOOL, 0, "list only persistent domains"},
    {"list-transient", VMMCTL_OPT_BOOL, 0, "list only transient domains"},
    {"list-running", VMMCTL_OPT_BOOL, 0, "list only running domains"},
    {"list-paused", VMMCTL_OPT_BOOL, 0, "list only paused domains"},
    {"list-shutoff", VMMCTL_OPT_BOOL, 0, "list only shutoff domains"},
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL | VMMCTL_OPT_MULTI,
     "list of domains to get stats for"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_qemu_monitor_command[] = {
    {"domain", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "domain name, id or uuid"},
    {"cmd", VMMCTL_OPT_STRING, VMMCTL_OPT_REQUIRED | VMMCTL_OPT_POSITIONAL,
     "the QMP command, as JSON"},
    {"pretty", VMMCTL_OPT_BOOL, 0, "pretty-print the reply"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_help[] = {
    {"command", VMMCTL_OPT_STRING, VMMCTL_OPT_POSITIONAL, "the command to describe"},
    {NULL, 0, 0, NULL},
};

static const VmmctlOptSpec opts_none[] = {{NULL, 0, 0, NULL}};

static const VmmctlCommand commands[] = {
    {"list", "Domain", "list domains", opts_list, false, vmmctl_cmd_list},
    {"define", "Domain", "define (but don't start) a domain from an XML file", opts_define, false,
     vmmctl_cmd_define},
    {"create", "Domain", "create and start a transient domain from an XML file", opts_create, false,
     vmmctl_cmd_create},
    {"undefine", "Domain", "undefine a domain", vmmctl_opts_undefine, false, vmmctl_cmd_undefine},
    {"start", "Domain", "start a (previously defined) inactive domain", opts_start, false,
     vmmctl_cmd_start},
    {"shutdown", "Domain", "gracefully shut down a domain", opts_shutdown, false,
     vmmctl_cmd_lifecycle},
    {"destroy", "Domain", "destroy (stop) a domain", opts_domain, false, vmmctl_cmd_lifecycle},
    {"suspend", "Domain", "suspend a domain", opts_domain, false, vmmctl_cmd_lifecycle},
    {"resume", "Domain", "resume a domain", opts_domain, false, vmmctl_cmd_lifecycle},
    {"reboot", "Domain", "reboot a domain", opts_shutdown, false, vmmctl_cmd_lifecycle},
    {"reset", "Domain", "reset a domain", opts_domain, false, vmmctl_cmd_lifecycle},
    {"dominfo", "Domain", "domain information", opts_domain, false, vmmctl_cmd_dominfo},
    {"domstate", "Domain", "domain state", opts_domstate, false, vmmctl_cmd_domstate},
    {"domid", "Domain", "convert a domain name or UUID to domain id", opts_domain, false,
     vmmctl_cmd_domid},
    {"domuuid", "Domain", "convert a domain name or id to domain UUID", opts_domain, false,
     vmmctl_cmd_domuuid},
    {"domname", "Domain", "convert a domain id or UUID to domain name", opts_domain, false,
     vmmctl_cmd_domname},
    {"dumpxml", "Domain", "domain information in XML", opts_dumpxml, false, vmmctl_cmd_dumpxml},
    {"autostart", "Domain", "autostart a domain", opts_autostart, false, vmmctl_cmd_autostart},
    {"event", "Domain", "print domain lifecycle events", opts_event, false, vmmctl_cmd_event},
    {"domblklist", "Domain", "list all domain blocks", opts_domblklist, false,
     vmmctl_cmd_domblklist},
    {"domiflist", "Domain", "list all domain virtual interfaces", opts_domiflist, false,
     vmmctl_cmd_domiflist},
    {"setmem", "Domain", "change memory allocation", opts_setmem, false, vmmctl_cmd_setmem},
    {"attach-device", "Domain", "attach device from an XML file", opts_device_file, false,
     vmmctl_cmd_attach_device},
    {"detach-device", "Domain", "detach device from an XML file", opts_device_file, false,
     vmmctl_cmd_detach_device},
    {"attach-disk", "Domain", "attach disk device", opts_attach_disk, false,
     vmmctl_cmd_attach_disk},
    {"detach-disk", "Domain", "detach disk device", opts_detach_disk, false,
     vmmctl_cmd_detach_disk},
    {"attach-interface", "Domain", "attach network interface", opts_attach_interface, false,
     vmmctl_cmd_attach_interface},
    {"detach-interface", "Domain", "detach network interface", opts_detach_interface, false,
     vmmctl_cmd_detach_interface},
    {"domstats", "Domain", "get statistics about one or multiple domains", opts_domstats, false,
     vmmctl_cmd_domstats},
    {"console", "Domain", "connect to the guest console", vmmctl_opts_console, false,
     vmmctl_cmd_console},
    {"qemu-monitor-command", "Domain", "QEMU Monitor Command (unsupported, for experts)",
     opts_qemu_monitor_command, false, vmmctl_cmd_qemu_monitor_command},
    {"save", "Domain", "save a domain state to a file", vmmctl_opts_save, false,
     vmmctl_cmd_save},
    {"restore", "Domain", "restore a domain from a saved state in a file", vmmctl_opts_restore,
     false, vmmctl_cmd_restore},
    {"managedsave", "Domain", "managed save of a domain state", vmmctl_opts_managedsave, false,
     vmmctl_cmd_managedsave},
    {"managedsave-remove", "Domain", "remove managed save of a domain", opts_domain, false,
     vmmctl_cmd_managedsave_remove},
    {"save-image-dumpxml", "Domain", "saved state domain information in XML",
     vmmctl_opts_save_image, false, vmmctl_cmd_save_image_dumpxml},
    {"net-list", "Network", "list networks", opts_net_list, false, vmmctl_cmd_net_list},
    {"net-info", "Network", "network information", opts_network, false, vmmctl_cmd_net_info},
    {"net-dumpxml", "Network", "network information in XML", opts_network, false,
     vmmctl_cmd_net_dumpxml},
    {"pool-list", "Storage", "list pools", opts_pool_list, false, vmmctl_cmd_pool_list},
    {"pool-info", "Storage", "storage pool information", opts_pool, false, vmmctl_cmd_pool_info},
    {"pool-dumpxml", "Storage", "pool information in XML", opts_pool, false,
     vmmctl_cmd_pool_dumpxml},
    {"vol-list", "Storage", "list volumes in a pool", opts_vol_list, false, vmmctl_cmd_vol_list},
    {"vol-info", "Storage", "storage volume information", opts_vol, false, vmmctl_cmd_vol_info},
    {"vol-dumpxml", "Storage", "volume information in XML", opts_vol, false,
     vmmctl_cmd_vol_dumpxml},
    {"uri", "Host and shell", "print the connection's canonical URI", opts_none, false,
     vmmctl_cmd_uri},
    {"version", "Host and shell", "show library and hypervisor versions", opts_none, false,
     vmmctl_cmd_version},
    {"hostname", "Host and shell", "print the hypervisor's hostname", opts_none, false,
     vmmctl_cmd_hostname},
    {"help", "Host and shell", "print help", opts_help, true, vmmctl_cmd_help},
    {"quit", "Host and shell", "quit this interactive terminal", opts_none, true, vmmctl_cmd_quit},
    {"exit", "Host and shell", "quit this interactive terminal", opts_none, true, vmmctl_cmd_quit},
    {NULL, NULL, NULL, NULL, false, NULL},
};

const VmmctlCommand *vmmctl_commands(void)
{
        return commands;
}

const VmmctlCommand *vmmctl_command_find(const char *name)
{
        for (size_t i = 0; commands[i].name; i++)
                if (strcmp(commands[i].name, name) == 0)
                        return &commands[i];
        return NULL;
}

/* --- help --- */

static void help_print_command(const VmmctlCommand *cmd)
{
        printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", cmd->name, cmd->summary, cmd->name);
        for (size_t i = 0; cmd->opts[i].name; i++) {
                const VmmctlOptSpec *o = &cmd->opts[i];
                bool req = o->flags & VMMCTL_OPT_REQUIRED;

                if (o->type == VMMCTL_OPT_BOOL)
                        printf(" [--%s]", o->name);
                else if (o->flags & VMMCTL_OPT_POSITIONAL)
                        printf(req ? " [--%s] <%s>" : " [[--%s] <%s>]", o->name, o->name);
                else
                        printf(req ? " --%s <%s>" : " [--%s <%s>]", o->name, o->name);
        }
        printf("\n\n");
        if (cmd->opts[0].name) {
                printf("  OPTIONS\n");
                for (size_t i = 0; cmd->opts[i].name; i++) {
                        const VmmctlOptSpec *o = &cmd->opts[i];
                        char spec[64];

                        if (o->type == VMMCTL_OPT_BOOL)
                                snprintf(spec, sizeof(spec), "--%s", o->name);
                        else if (o->flags & VMMCTL_OPT_POSITIONAL)
                                snprintf(spec, sizeof(spec), "[--%s] <string>", o->name);
                        else
                                snprintf(spec, sizeof(spec), "--%s <string>", o->name);
                        printf("    %-24s %s\n", spec, o->help);
                }
                printf("\n");
        }
}

void vmmctl_print_help(const VmmctlCommand *cmd)
{
        const char *group = NULL;

        if (cmd) {
                help_print_command(cmd);
                return;
        }
        printf("Usage: vmmctl [-c URI] [--json] [-r] [-q] [COMMAND [ARGS...] [; COMMAND...]]\n"
               "With no command, vmmctl reads commands interactively.\n");
        for (size_t i = 0; commands[i].name; i++) {
                if (!group || strcmp(group, commands[i].group) != 0) {
                        group = commands[i].group;
                        printf("\n %s:\n", group);
                }
                printf("    %-16s %s\n", commands[i].name, commands[i].summary);
        }
        printf("\n(use 'help COMMAND' for a command's options)\n");
}

int vmmctl_cmd_help(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        const char *name = vmmctl_args_get(args, "command");
        const VmmctlCommand *cmd = NULL;

        if (name) {
                cmd = vmmctl_command_find(name);
                if (!cmd)
                        return vmmctl_error(error, -EINVAL,
                                            "command or command group '%s' doesn't exist", name);
        }
        if (ctx->json) {
                json_object *list = json_object_new_array();

                for (size_t i = 0; commands[i].name; i++) {
                        json_object *c, *opts;

                        if (cmd && cmd != &commands[i])
                                continue;
                        c = json_object_new_object();
                        opts = json_object_new_array();
                        vmmctl_json_add_string(c, "name", commands[i].name);
                        vmmctl_json_add_string(c, "group", commands[i].group);
                        vmmctl_json_add_string(c, "description", commands[i].summary);
                        for (size_t k = 0; commands[i].opts[k].name; k++) {
                                const VmmctlOptSpec *o = &commands[i].opts[k];
                                json_object *jo = json_object_new_object();

                                vmmctl_json_add_string(jo, "name", o->name);
                                vmmctl_json_add_string(
                                    jo, "type", o->type == VMMCTL_OPT_BOOL ? "bool" : "string");
                                vmmctl_json_add_bool(jo, "required",
                                                     o->flags & VMMCTL_OPT_REQUIRED);
                                vmmctl_json_add_string(jo, "help", o->help);
                                json_object_array_add(opts, jo);
                        }
                        json_object_object_add(c, "options", opts);
                        json_object_array_add(list, c);
                }
                vmmctl_json_print(list);
                return 0;
        }
        vmmctl_print_help(cmd);
        return 0;
}

int vmmctl_cmd_quit(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        ctx->quit = true;
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "result", "ok");
                vmmctl_json_print(o);
        }
        return 0;
}

/* --- running --- */

static int ctx_connect(VmmctlCtx *ctx, VmmError *error)
{
        if (ctx->conn)
                return 0;
        return vmm_connect_open(ctx->uri, ctx->readonly ? VMM_CONNECT_READ_ONLY : 0, &ctx->conn,
                                error);
}

void vmmctl_ctx_done(VmmctlCtx *ctx)
{
        ctx->conn = vmm_connect_close(ctx->conn);
}

int vmmctl_run_words(VmmctlCtx *ctx, char *const *words, VmmError *error)
{
        VmmctlArgs args;
        int r;

        r = vmmctl_args_parse(words, &args, error);
        if (r < 0)
                return r;
        if (!args.cmd->no_connect) {
                r = ctx_connect(ctx, error);
                if (r < 0)
                        return r;
        }
        return args.cmd->run(ctx, &args, error);
}

int vmmctl_run_script(VmmctlCtx *ctx, const VmmctlScript *script)
{
        int ret = 0;

        for (size_t i = 0; i < script->n_cmds && !ctx->quit; i++) {
                VmmError error = VMM_ERROR_INIT;

                fflush(stdout);
                if (vmmctl_run_words(ctx, script->cmds[i], &error) < 0) {
                        fflush(stdout);
                        fprintf(stderr, "error: %s\n",
                                error.message ? error.message : "unknown failure");
                        ret = -EINVAL;
                }
                vmm_error_clear(&error);
        }
        fflush(stdout);
        return ret;
}
