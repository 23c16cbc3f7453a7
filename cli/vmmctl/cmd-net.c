/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-net.c: the network commands (net-list, net-info, net-dumpxml). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

static inline void network_unrefp(VmmNetwork **n)
{
        vmm_network_unref(*n);
}
#define _cleanup_network_ _cleanup_(network_unrefp)

static const char *yes_no(int v)
{
        return v < 0 ? "unknown" : v ? "yes" : "no";
}

/* A UUID first (when it looks like one), then a name, as virsh does. */
static int network_lookup(VmmctlCtx *ctx, const VmmctlArgs *args, VmmNetwork **ret, VmmError *error)
{
        const char *s = vmmctl_args_get(args, "network");
        VmmError ignored = VMM_ERROR_INIT;

        if (strlen(s) >= 32 && vmm_network_lookup_by_uuid_string(ctx->conn, s, ret, &ignored) >= 0)
                return 0;
        vmm_error_clear(&ignored);
        return vmm_network_lookup_by_name(ctx->conn, s, ret, error);
}

typedef struct NetFacts {
        int active, persistent;
        bool autostart;
        char uuid[VMM_UUID_STRING_BUFLEN];
} NetFacts;

static void net_facts(VmmNetwork *net, NetFacts *f)
{
        f->active = vmm_network_is_active(net, NULL);
        f->persistent = vmm_network_is_persistent(net, NULL);
        f->autostart = false;
        vmm_network_get_autostart(net, &f->autostart, NULL);
        vmm_network_get_uuid_string(net, f->uuid);
}

static json_object *net_to_json(VmmNetwork *net)
{
        json_object *o = json_object_new_object();
        char *bridge = NULL;
        NetFacts f;

        net_facts(net, &f);
        vmmctl_json_add_string(o, "name", vmm_network_get_name(net));
        vmmctl_json_add_string(o, "uuid", f.uuid);
        vmmctl_json_add_bool(o, "active", f.active == 1);
        vmmctl_json_add_bool(o, "persistent", f.persistent == 1);
        vmmctl_json_add_bool(o, "autostart", f.autostart);
        if (vmm_network_get_bridge_name(net, &bridge, NULL) < 0)
                bridge = NULL;
        vmmctl_json_add_string(o, "bridge", bridge);
        free(bridge);
        return o;
}

static int net_list_table(VmmNetwork **nets, size_t n, bool quiet)
{
        static const char *const header[] = {"Name", "State", "Autostart", "Persistent"};
        VmmctlTable t;
        int r;

        r = vmmctl_table_init(&t, 4, header);
        for (size_t i = 0; i < n && r >= 0; i++) {
                const char *row[4];
                NetFacts f;

                net_facts(nets[i], &f);
                row[0] = vmm_network_get_name(nets[i]);
                row[1] = f.active == 1 ? "active" : "inactive";
                row[2] = f.autostart ? "yes" : "no";
                row[3] = yes_no(f.persistent);
                r = vmmctl_table_add_row(&t, row);
        }
        if (r >= 0)
                vmmctl_table_print(&t, stdout, quiet);
        vmmctl_table_done(&t);
        return r;
}

int vmmctl_cmd_net_list(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        unsigned int flags = VMM_NETWORK_LIST_ACTIVE;
        VmmNetwork **nets = NULL;
        size_t n = 0;
        int r = 0;

        if (vmmctl_args_has(args, "inactive"))
                flags = VMM_NETWORK_LIST_INACTIVE;
        if (vmmctl_args_has(args, "all"))
                flags = 0;
        r = vmm_network_list_all(ctx->conn, flags, &nets, &n, error);
        if (r < 0)
                return r;
        r = 0;
        if (ctx->json) {
                json_object *arr = json_object_new_array();

                for (size_t i = 0; i < n; i++)
                        json_object_array_add(arr, net_to_json(nets[i]));
                vmmctl_json_print(arr);
        } else if (vmmctl_args_has(args, "name") || vmmctl_args_has(args, "uuid")) {
                for (size_t i = 0; i < n; i++) {
                        char uuid[VMM_UUID_STRING_BUFLEN];

                        vmm_network_get_uuid_string(nets[i], uuid);
                        printf("%s\n", vmmctl_args_has(args, "uuid")
                                           ? uuid
                                           : vmm_network_get_name(nets[i]));
                }
        } else
                r = net_list_table(nets, n, ctx->quiet);
        vmm_network_list_free(nets, n);
        return r < 0 ? vmmctl_error(error, r, "out of memory") : 0;
}

int vmmctl_cmd_net_info(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_network_ VmmNetwork *net = NULL;
        _cleanup_free_ char *bridge = NULL;
        NetFacts f;
        int r;

        r = network_lookup(ctx, args, &net, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                vmmctl_json_print(net_to_json(net));
                return 0;
        }
        net_facts(net, &f);
        vmmctl_print_kv("Name", "%s", vmm_network_get_name(net));
        vmmctl_print_kv("UUID", "%s", f.uuid);
        vmmctl_print_kv("Active", "%s", yes_no(f.active));
        vmmctl_print_kv("Persistent", "%s", yes_no(f.persistent));
        vmmctl_print_kv("Autostart", "%s", f.autostart ? "yes" : "no");
        if (vmm_network_get_bridge_name(net, &bridge, NULL) >= 0 && bridge)
                vmmctl_print_kv("Bridge", "%s", bridge);
        if (!ctx->quiet)
                putchar('\n');
        return 0;
}

int vmmctl_cmd_net_dumpxml(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_network_ VmmNetwork *net = NULL;
        _cleanup_free_ char *xml = NULL;
        int r;

        r = network_lookup(ctx, args, &net, error);
        if (r >= 0)
                r = vmm_network_get_xml(net, 0, &xml, error);
        if (r < 0)
                return r;
        vmmctl_print_xml(ctx, xml);
        return 0;
}
