/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-host.c: uri, version, hostname. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

#ifndef VMMCTL_VERSION
#define VMMCTL_VERSION "0.0.0"
#endif

int vmmctl_cmd_uri(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        const char *uri = vmm_connect_get_uri(ctx->conn);

        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "uri", uri);
                vmmctl_json_print(o);
        } else
                printf("%s\n\n", uri);
        return 0;
}

static void version_split(unsigned long v, char *buf, size_t size)
{
        snprintf(buf, size, "%lu.%lu.%lu", v / 1000000, (v / 1000) % 1000, v % 1000);
}

/* The hypervisor's name as virsh prints it: by the URI's scheme (the
 * remote driver serves qemu://, so its own name says nothing). */
static const char *version_hv_type(VmmConnect *conn)
{
        const char *uri = vmm_connect_get_uri(conn);
        static const struct {
                const char *scheme, *type;
        } types[] = {{"qemu", "QEMU"}};

        for (size_t i = 0; uri && i < sizeof(types) / sizeof(types[0]); i++) {
                size_t len = strlen(types[i].scheme);

                if (strncmp(uri, types[i].scheme, len) == 0 &&
                    (uri[len] == ':' || uri[len] == '+'))
                        return types[i].type;
        }
        return vmm_connect_get_driver_name(conn);
}

int vmmctl_cmd_version(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        const char *driver = version_hv_type(ctx->conn);
        unsigned long hv = 0;
        char hv_str[32];
        int r;

        r = vmm_connect_get_hypervisor_version(ctx->conn, &hv, error);
        if (r < 0)
                return r;
        version_split(hv, hv_str, sizeof(hv_str));
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "compiled_against", VMMCTL_VERSION);
                vmmctl_json_add_string(o, "library", vmm_version_string());
                vmmctl_json_add_string(o, "api", vmm_version_string());
                vmmctl_json_add_string(o, "hypervisor", driver);
                vmmctl_json_add_string(o, "hypervisor_version", hv_str);
                vmmctl_json_print(o);
                return 0;
        }
        printf("Compiled against library: vmm %s\n", VMMCTL_VERSION);
        printf("Using library: vmm %s\n", vmm_version_string());
        printf("Using API: %s %s\n", driver, vmm_version_string());
        printf("Running hypervisor: %s %s\n\n", driver, hv_str);
        return 0;
}

int vmmctl_cmd_hostname(VmmctlCtx *ctx, const VmmctlArgs *args, VmmError *error)
{
        _cleanup_free_ char *host = NULL;
        int r;

        r = vmm_connect_get_hostname(ctx->conn, &host, error);
        if (r < 0)
                return r;
        if (ctx->json) {
                json_object *o = json_object_new_object();

                vmmctl_json_add_string(o, "hostname", host);
                vmmctl_json_print(o);
        } else
                printf("%s\n\n", host);
        return 0;
}
