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
        /* Domain event callbacks run in the application's own thread, from
         * vmm_connect_dispatch_events(), when vmm_connect_event_fd() polls
         * readable (vmm-event.h), instead of on a thread libvmm owns. */
        VMM_CONNECT_EVENTS_POLLABLE = 1u << 1,
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

/*
 * Call deadlines. Every call that talks to a daemon has one: when no reply
 * came within it, the call fails with -ETIMEDOUT (kind VMM_ERR_TIMEOUT)
 * and a message naming the procedure and the daemon. The default is
 * 30 seconds, or the URI's `?timeout_ms=N`; it is a property of the
 * connection object, and changes it for every later call made through it
 * (calls already waiting keep theirs). `timeout_ms` is 0 for no deadline,
 * or a number of milliseconds > 0. In-process drivers (test:///) answer
 * at once and ignore it.
 *
 * A call that needs its own deadline (a start that may take minutes, a
 * probe that must fail fast) takes it from a handle made for it:
 * vmm_domain_with_call_timeout() (vmm-domain.h) returns a second handle on
 * the same domain whose calls carry that deadline. The deadline travels
 * explicitly with the handle the call is made on: there is no hidden
 * per-thread or "next call" state that another thread or a callback could
 * disturb, and the handle costs no round trip to make. For a slow
 * connection-level call (creating a transient domain), open a second
 * connection with `?timeout_ms=`: calls on it share nothing with the first.
 */
VMM_EXPORT int vmm_connect_set_call_timeout(VmmConnect *conn, int timeout_ms, VmmError *error);

/* The connection's current default deadline in ms (0: none). */
VMM_EXPORT int vmm_connect_get_call_timeout(VmmConnect *conn, VmmError *error);

/* Resolves the default URI as vmm_connect_open(NULL, ...) would, into a
 * heap string for the caller to free(). */
VMM_EXPORT int vmm_connect_default_uri(char **ret_uri, VmmError *error);

#ifdef __cplusplus
}
#endif
