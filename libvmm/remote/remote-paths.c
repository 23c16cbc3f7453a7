/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * remote-paths.c: which socket a qemu:// URI means, whether the daemon
 * may be started on demand, and (re)connecting.
 *
 *   ?socket=PATH                  that socket, never spawn
 *   $VMM_ROOT=DIR (or ?root=DIR)  DIR/run/vmm/vmm-qemud.sock, spawn
 *   qemu:///session               $XDG_RUNTIME_DIR/vmm/vmm-qemud.sock
 *                                 (or /run/user/UID/vmm), spawn
 *   qemu:///system                /run/vmm/vmm-qemud.sock, systemd's job
 *   ?mode=proxy                   vmm.sock (vmm-proxyd) instead
 *   read-only connection          the -ro.sock of the same daemon
 *   ?timeout_ms=N                 default deadline of every call
 *   $VMM_DAEMON_DIR               where a spawned daemon's binary is
 *                                 (':'-separated; else the install dir)
 *   $VMM_DAEMON_TIMEOUT=S         its idle timeout (--timeout, default 120)
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vmm/vmm-connect.h>

#include "remote-internal.h"
#include "remote/spawn.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

#ifndef VMM_DAEMON_INSTALL_DIR
#define VMM_DAEMON_INSTALL_DIR "/usr/sbin"
#endif

#define REMOTE_DEFAULT_DAEMON_TIMEOUT_S 120

static int parse_uint_param(const VmmUri *uri, const char *name, const char *value, long max,
                            unsigned *ret, VmmError *error)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < 0 || v > max)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "URI parameter %s: \"%s\" is not a number from 0 to %ld%s",
                                     name, value, max, uri ? "" : " (environment)");
        *ret = (unsigned)v;
        return 0;
}

/* The directory holding the daemon's sockets, for this URI. */
static int runtime_dir(bool session, const char *root, char **ret_dir, VmmError *error)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        int r;

        if (root)
                r = asprintf(ret_dir, "%s/run/vmm", root);
        else if (!session)
                r = asprintf(ret_dir, "/run/vmm");
        else if (xdg && *xdg)
                r = asprintf(ret_dir, "%s/vmm", xdg);
        else
                r = asprintf(ret_dir, "/run/user/%u/vmm", (unsigned)getuid());
        if (r < 0) {
                *ret_dir = NULL;
                return vmm_error_oom(error);
        }
        return 0;
}

/* The daemon's binary in the first of the ':'-separated `dirs` that has
 * it (as vmm-proxyd looks up the daemons it starts); when none has, the
 * first directory's, so the error names where it was expected. */
static int find_daemon(const char *dirs, const char *name, char **ret_path, VmmError *error)
{
        _cleanup_free_ char *copy = strdup(dirs);
        char *save = NULL, *first = NULL;

        if (!copy)
                return vmm_error_oom(error);
        for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
                char *path;

                if (asprintf(&path, "%s/%s", d, name) < 0) {
                        free(first);
                        return vmm_error_oom(error);
                }
                if (access(path, X_OK) == 0) {
                        free(first);
                        *ret_path = path;
                        return 0;
                }
                if (first)
                        free(path);
                else
                        first = path;
        }
        if (!first && asprintf(&first, "%s/%s", VMM_DAEMON_INSTALL_DIR, name) < 0)
                return vmm_error_oom(error);
        *ret_path = first;
        return 0;
}

static int configure_spawn(RemoteConn *rc, const char *dir, const char *base, VmmError *error)
{
        const char *ddir = getenv("VMM_DAEMON_DIR"), *t = getenv("VMM_DAEMON_TIMEOUT");
        int r;

        rc->daemon_timeout_s = REMOTE_DEFAULT_DAEMON_TIMEOUT_S;
        if (t && *t) {
                r = parse_uint_param(NULL, "VMM_DAEMON_TIMEOUT", t, INT_MAX / 1000,
                                     &rc->daemon_timeout_s, error);
                if (r < 0)
                        return r;
        }
        r = find_daemon(ddir && *ddir ? ddir : VMM_DAEMON_INSTALL_DIR, rc->daemon_name,
                        &rc->daemon_path, error);
        if (r < 0)
                return r;
        if (asprintf(&rc->spawn_rw_path, "%s/%s.sock", dir, base) < 0 ||
            asprintf(&rc->spawn_ro_path, "%s/%s-ro.sock", dir, base) < 0)
                return vmm_error_oom(error);
        return 0;
}

static int configure_mode(const VmmUri *uri, bool *ret_proxy, bool *ret_session, VmmError *error)
{
        const char *mode = vmm_uri_get_param(uri, "mode");

        if (mode && strcmp(mode, "proxy") != 0 && strcmp(mode, "direct") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "URI parameter mode: \"%s\" is not a mode (expected "
                                     "\"direct\" or \"proxy\")",
                                     mode);
        if (strcmp(uri->path, "/session") != 0 && strcmp(uri->path, "/system") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "qemu URI path \"%s\" is not known (expected "
                                     "qemu:///system or qemu:///session)",
                                     uri->path);
        *ret_proxy = mode && strcmp(mode, "proxy") == 0;
        *ret_session = strcmp(uri->path, "/session") == 0;
        return 0;
}

int remote_conn_configure(RemoteConn *rc, const VmmUri *uri, unsigned int flags,
                          VmmError *error)
{
        const char *sock = vmm_uri_get_param(uri, "socket");
        const char *root = vmm_uri_get_param(uri, "root");
        const char *tmo = vmm_uri_get_param(uri, "timeout_ms");
        _cleanup_free_ char *dir = NULL;
        const char *base;
        bool proxy = false, ro = flags & VMM_CONNECT_READ_ONLY;
        unsigned ms = 0;
        int r;

        r = configure_mode(uri, &proxy, &rc->session, error);
        if (r < 0)
                return r;
        if (tmo) {
                r = parse_uint_param(uri, "timeout_ms", tmo, INT_MAX, &ms, error);
                if (r < 0)
                        return r;
                rc->opts.call_timeout_ms = (int)ms;
        }
        if (!root)
                root = getenv("VMM_ROOT");
        if (root && !*root)
                root = NULL;
        if (root && root[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "VMM_ROOT \"%s\" is not an absolute path", root);
        base = proxy ? "vmm" : "vmm-qemud";
        if (!(rc->daemon_name = strdup(proxy ? "vmm-proxyd" : "vmm-qemud")) ||
            (root && !(rc->root = strdup(root))))
                return vmm_error_oom(error);
        if (sock) {
                rc->explicit_socket = true;
                rc->socket_path = strdup(sock);
                return rc->socket_path ? 0 : vmm_error_oom(error);
        }
        r = runtime_dir(rc->session, root, &dir, error);
        if (r < 0)
                return r;
        if (asprintf(&rc->socket_path, "%s/%s%s.sock", dir, base, ro ? "-ro" : "") < 0) {
                rc->socket_path = NULL;
                return vmm_error_oom(error);
        }
        if (rc->session || root)
                return configure_spawn(rc, dir, base, error);
        return 0;
}

static int connect_spawning(RemoteConn *rc, int *ret_fd, VmmError *error)
{
        _cleanup_free_ char *dir = strdup(rc->spawn_rw_path);
        const char *argv[8];
        char timeout[16];
        VmmSpawnSpec spec = {0};
        size_t n = 0;
        int r, fd;

        if (!dir)
                return vmm_error_oom(error);
        *strrchr(dir, '/') = '\0';
        r = vmm_mkdir_p(dir, 0700, error);
        if (r < 0)
                return r;
        snprintf(timeout, sizeof(timeout), "%u", rc->daemon_timeout_s);
        argv[n++] = rc->daemon_path;
        argv[n++] = "--timeout";
        argv[n++] = timeout;
        if (rc->root) {
                argv[n++] = "--root";
                argv[n++] = rc->root;
        } else if (rc->session) {
                argv[n++] = "--session";
        }
        argv[n] = NULL;
        spec.socket_path = rc->spawn_rw_path;
        spec.ro_socket_path = rc->spawn_ro_path;
        spec.argv = argv;
        r = vmm_spawn_connect(&spec, &fd, error);
        if (r < 0)
                return r;
        if (strcmp(rc->socket_path, rc->spawn_rw_path) != 0) {
                /* read-only: the daemon runs now; talk to its other socket */
                close(fd);
                return vmm_unix_connect(rc->socket_path, ret_fd, error);
        }
        *ret_fd = fd;
        return 0;
}

static int connect_existing(RemoteConn *rc, bool explicit_socket, int *ret_fd, VmmError *error)
{
        int r = vmm_unix_connect(rc->socket_path, ret_fd, error);

        if (r != -ENOENT && r != -ECONNREFUSED)
                return r;
        if (explicit_socket)
                return vmm_error_set(error, r, VMM_ERR_NO_CONNECT,
                                     "cannot connect to %s at '%s': %s (is it running and "
                                     "listening there?)",
                                     rc->daemon_name, rc->socket_path, strerror(-r));
        return vmm_error_set(error, r, VMM_ERR_NO_CONNECT,
                             "cannot connect to %s at '%s': %s; is %s running? start it "
                             "with: systemctl start %s.socket",
                             rc->daemon_name, rc->socket_path, strerror(-r), rc->daemon_name,
                             rc->daemon_name);
}

int remote_conn_connect(RemoteConn *rc, VmmError *error)
{
        VmmRpcClient *client = NULL;
        int fd = -1, r;

        if (rc->daemon_path)
                r = connect_spawning(rc, &fd, error);
        else
                r = connect_existing(rc, rc->explicit_socket, &fd, error);
        if (r < 0) {
                if (error && error->kind != VMM_ERR_NO_CONNECT && r != -ENOMEM)
                        error->kind = VMM_ERR_NO_CONNECT;
                return r;
        }
        rc->opts.name = rc->socket_path; /* timeouts and losses name it */
        r = vmm_rpc_client_new_fd(fd, &rc->opts, &client, error);
        if (r < 0)
                return r;
        r = remote_events_attach(rc, client, error);
        if (r < 0) {
                vmm_rpc_client_free(client);
                return r;
        }
        if (rc->client) {
                VmmRpcClient **v = realloc(rc->retired, (rc->n_retired + 1) * sizeof(*v));
                if (!v) {
                        vmm_rpc_client_free(client);
                        return vmm_error_oom(error);
                }
                rc->retired = v;
                rc->retired[rc->n_retired++] = rc->client;
        }
        rc->client = client;
        rc->client_used = false;
        vmm_log_debug("connected to %s at '%s'", rc->daemon_name, rc->socket_path);
        return 0;
}
