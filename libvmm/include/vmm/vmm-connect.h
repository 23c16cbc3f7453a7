/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-connect.h: connections to a driver, chosen by URI.
 *
 * A VmmConnect is thread-safe: several threads may issue calls on one
 * connection at the same time. Object handles (domains, networks...) hold
 * a reference on their connection, so the connection's memory stays valid
 * until the last handle is released, but no call succeeds after
 * vmm_connect_close().
 */
#pragma once

#include <vmm/vmm-common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VmmConnect VmmConnect;

typedef enum VmmConnectFlags {
        VMM_CONNECT_READ_ONLY = 1u << 0, /* only read-only calls allowed */
} VmmConnectFlags;

/*
 * Opens a connection to the driver named by `uri`:
 *   test:///default        the embedded test driver with its default state
 *   test:///PATH.xml       the test driver, starting state read from PATH.xml
 *   qemu:///session        the current user's daemons
 *   qemu:///system         the system daemons
 *   qemu+unix:///system?socket=PATH, qemu+tls://host/system
 * A NULL uri picks the default: $VMM_DEFAULT_URI, then `uri_default` in
 * $XDG_CONFIG_HOME/vmm/vmm.conf (for root: SYSCONFDIR/vmm/vmm.conf), then
 * qemu:///session for users and qemu:///system for root.
 * `flags` is a mask of VmmConnectFlags.
 * On success stores a new connection in *ret_conn (release it with
 * vmm_connect_close()).
 * Errors: -EINVAL (malformed URI, unknown flags), -ENOENT (test:/// file
 * missing), -ENOTSUP (no driver handles the URI's scheme or transport),
 * -ECONNREFUSED (the daemon could not be reached).
 */
VMM_EXPORT int vmm_connect_open(const char *uri, unsigned int flags,
                                VmmConnect **ret_conn, VmmError *error);

/* Closes the connection and drops the caller's reference. Handles still
 * held stay valid as memory, but calls on them fail with -ENOTCONN.
 * Accepts NULL. Always returns NULL, for `c = vmm_connect_close(c);`. */
VMM_EXPORT VmmConnect *vmm_connect_close(VmmConnect *conn);

/* The canonical URI of an open connection ("test:///default"). The string
 * belongs to the connection. */
VMM_EXPORT const char *vmm_connect_get_uri(VmmConnect *conn);

/* The driver's name ("test", "qemu"). Belongs to the connection. */
VMM_EXPORT const char *vmm_connect_get_driver_name(VmmConnect *conn);

/* The hypervisor's version as MAJOR * 1000000 + MINOR * 1000 + PATCH
 * (the library's version for the test driver). */
VMM_EXPORT int vmm_connect_get_hypervisor_version(VmmConnect *conn,
                                                  unsigned long *ret_version,
                                                  VmmError *error);

/* The host name of the machine the connection's driver runs on.
 * *ret_hostname is heap memory for the caller to free(). */
VMM_EXPORT int vmm_connect_get_hostname(VmmConnect *conn, char **ret_hostname,
                                        VmmError *error);

/* Whether the connection is still usable (not closed, daemon reachable). */
VMM_EXPORT bool vmm_connect_is_alive(VmmConnect *conn);

/* Resolves the default URI as vmm_connect_open(NULL, ...) would, into a
 * heap string for the caller to free(). */
VMM_EXPORT int vmm_connect_default_uri(char **ret_uri, VmmError *error);

#ifdef __cplusplus
}
#endif
