/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spawn.h: starting a daemon on demand the way systemd socket activation
 * does, for session mode and wherever systemd is not PID 1.
 *
 * The caller owns nothing long-lived: under a lock file, it binds the
 * daemon's listening socket(s), starts the daemon detached (its own
 * session, not the caller's child) with the sockets as fds 3.. and
 * LISTEN_FDS / LISTEN_PID / LISTEN_FDNAMES set, drops its copies and
 * connects. The connection waits in the listen backlog until the daemon
 * accepts it, so nothing made while the daemon starts is lost. The lock
 * keeps two clients from starting two daemons. A daemon that exited
 * (idle) leaves its socket file behind; the next connection is refused and
 * starts it again. The daemon keeps nothing of the caller's: not its
 * session, not its stdio (a `$(vmmctl ...)` must not wait for the daemon
 * to exit), not its other fds.
 */
#pragma once

#include <vmm/vmm-common.h>

typedef struct VmmSpawnSpec {
        const char *socket_path;    /* read-write socket, passed as fd 3, name "rw" */
        const char *ro_socket_path; /* read-only socket, fd 4, name "ro"; or NULL */
        const char *const *argv;    /* the daemon; argv[0] is an absolute path */
        const char *const *env;     /* extra "NAME=value" entries, or NULL */
        int timeout_ms;             /* bound on waiting for the lock; 0: 10 s */
        const char *log_path;       /* the daemon's stderr (appended), or NULL for
                                     * /dev/null; stdin and stdout are /dev/null */
} VmmSpawnSpec;

/*
 * Connects to spec->socket_path, starting the daemon first when nothing
 * listens there. On success *ret_fd is a connected stream socket
 * (O_CLOEXEC). Errors name the socket and the daemon: -ENOENT when the
 * daemon binary is missing, -EACCES, -ETIMEDOUT for the lock.
 */
int vmm_spawn_connect(const VmmSpawnSpec *spec, int *ret_fd, VmmError *error);

/* Connects to a UNIX socket path without spawning anything. */
int vmm_unix_connect(const char *path, int *ret_fd, VmmError *error);
