/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-rss-floor: the resident set of a process that loads the libraries
 * vmm-qemud loads (libsystemd, libxml2, protobuf-c, libuv, json-c, libnl)
 * and does nothing else. bench-qemud prints it beside the daemon's idle
 * RSS: what the daemon costs above it is its own code and data; the floor
 * is the price of the fixed dependencies (their touched pages count in
 * every process's RSS, although they are shared with every other process
 * that maps them).
 *
 * Prints one number: VmRSS in KiB.
 */
#include <json-c/json.h>
#include <libxml/parser.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <protobuf-c/protobuf-c.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <uv.h>

int main(void)
{
        struct nl_sock *sk = nl_socket_alloc();
        struct rtnl_link *link = rtnl_link_alloc();
        char line[256];
        long kib = -1;
        FILE *f;

        /* one call into each library, as the daemon makes at start */
        xmlInitParser();
        (void)sd_booted();
        json_object_put(json_object_new_object());
        if (!protobuf_c_version() || !uv_version_string() || !sk || !link)
                return 1;
        rtnl_link_put(link);
        nl_socket_free(sk);
        f = fopen("/proc/self/status", "re");
        if (!f)
                return 1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "VmRSS:", 6) == 0)
                        sscanf(line + 6, "%ld", &kib);
        fclose(f);
        printf("%ld\n", kib);
        return kib < 0;
}
