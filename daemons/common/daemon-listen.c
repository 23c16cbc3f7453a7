/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-listen.c: the listening sockets: passed by systemd (socket
 * activation, names "rw" and "ro") or bound by the daemon (--listen). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "daemon-internal.h"
#include "util/error.h"
#include "util/log.h"

#define LISTEN_BACKLOG 128

static void on_connection(uv_stream_t *server, int status)
{
        DaemonListener *l = server->data;

        if (status < 0) {
                vmm_log_warning("%s: accept failed: %s, ignoring", l->daemon->name,
                                uv_strerror(status));
                return;
        }
        if (l->daemon->accept_hook) {
                l->daemon->accept_hook(l->daemon, server, l->read_only, l->daemon->accept_userdata);
                return;
        }
        daemon_client_accept(l->daemon, server, l->read_only);
}

static void on_listener_closed(uv_handle_t *h)
{
        DaemonListener *l = h->data;

        if (l->bound_path)
                unlink(l->bound_path);
        free(l->bound_path);
        free(l);
}

static int listener_add(VmmDaemon *d, DaemonListener **ret, bool read_only, VmmError *error)
{
        DaemonListener *l = NULL;

        if (d->n_listeners >= DAEMON_MAX_LISTENERS)
                return vmm_error_set(error, -EMFILE, VMM_ERR_INVALID_ARG,
                                     "%s: at most %d listening sockets", d->name,
                                     DAEMON_MAX_LISTENERS);
        l = calloc(1, sizeof(*l));
        if (!l)
                return vmm_error_oom(error);
        l->daemon = d;
        l->read_only = read_only;
        uv_pipe_init(&d->loop, &l->pipe, 0);
        l->pipe.data = l;
        d->listeners[d->n_listeners++] = l;
        *ret = l;
        return 0;
}

static int listener_start(VmmDaemon *d, DaemonListener *l, const char *what, VmmError *error)
{
        int r = uv_listen((uv_stream_t *)&l->pipe, LISTEN_BACKLOG, on_connection);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: cannot listen on %s: %s",
                                     d->name, what, uv_strerror(r));
        return 0;
}

/* A socket file left by a daemon that died is removed; one that a live
 * daemon answers on is not. */
static int remove_stale_socket(VmmDaemon *d, const char *path, VmmError *error)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        struct stat st;
        int fd, r;

        if (lstat(path, &st) < 0)
                return 0;
        if (!S_ISSOCK(st.st_mode))
                return vmm_error_set(error, -EEXIST, VMM_ERR_INVALID_ARG,
                                     "%s: '%s' exists and is not a socket", d->name, path);
        if (strlen(path) >= sizeof(addr.sun_path))
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_INVALID_ARG,
                                     "%s: socket path '%s' is too long (at most %zu bytes)",
                                     d->name, path, sizeof(addr.sun_path) - 1);
        memcpy(addr.sun_path, path, strlen(path) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "%s: socket", d->name);
        r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
        close(fd);
        if (r == 0)
                return vmm_error_set(error, -EADDRINUSE, VMM_ERR_INVALID_ARG,
                                     "%s: socket '%s' is in use by a running daemon", d->name,
                                     path);
        unlink(path);
        return 0;
}

static int listen_bind(VmmDaemon *d, const char *path, bool read_only, VmmError *error)
{
        DaemonListener *l = NULL;
        int r;

        r = remove_stale_socket(d, path, error);
        if (r < 0)
                return r;
        r = listener_add(d, &l, read_only, error);
        if (r < 0)
                return r;
        r = uv_pipe_bind(&l->pipe, path);
        if (r < 0)
                return vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: cannot bind socket '%s': %s",
                                     d->name, path, uv_strerror(r));
        l->bound_path = strdup(path);
        if (!l->bound_path)
                return vmm_error_oom(error);
        if (chmod(path, read_only ? 0666 : 0600) < 0)
                return vmm_error_set_errno(error, -errno, "%s: chmod '%s'", d->name, path);
        return listener_start(d, l, path, error);
}

static int listen_systemd(VmmDaemon *d, VmmError *error)
{
        char **names = NULL;
        int n, r = 0;

        n = sd_listen_fds_with_names(1, &names);
        if (n < 0)
                return vmm_error_set(error, n, VMM_ERR_SYSTEM,
                                     "%s: reading sockets from systemd: %s", d->name, strerror(-n));
        for (int i = 0; i < n && r >= 0; i++) {
                const char *name = names && names[i] ? names[i] : "rw";
                int fd = SD_LISTEN_FDS_START + i;
                bool ro = strcmp(name, "ro") == 0;
                DaemonListener *l = NULL;
                char what[64];

                if (!ro && strcmp(name, "rw") != 0 && strcmp(name, "unknown") != 0) {
                        r = vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                          "%s: socket %d from systemd is named \"%s\" "
                                          "(expected \"rw\" or \"ro\")",
                                          d->name, fd, name);
                        break;
                }
                if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
                        r = vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                          "%s: fd %d (\"%s\") from systemd is not a listening "
                                          "UNIX stream socket",
                                          d->name, fd, name);
                        break;
                }
                snprintf(what, sizeof(what), "systemd socket \"%s\" (fd %d)", name, fd);
                r = listener_add(d, &l, ro, error);
                if (r >= 0 && (r = uv_pipe_open(&l->pipe, fd)) < 0)
                        r = vmm_error_set(error, r, VMM_ERR_SYSTEM, "%s: %s: %s", d->name, what,
                                          uv_strerror(r));
                if (r >= 0)
                        r = listener_start(d, l, what, error);
        }
        for (int i = 0; names && i < n; i++)
                free(names[i]);
        free(names);
        return r < 0 ? r : n;
}

int daemon_listen_open(VmmDaemon *d, VmmError *error)
{
        int r;

        r = listen_systemd(d, error);
        if (r < 0)
                return r;
        if (r > 0)
                return 0;
        if (!d->opts.listen_path && !d->opts.listen_ro_path)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: no socket to listen on: start it through systemd "
                                     "socket activation or pass --listen PATH",
                                     d->name);
        if (d->opts.listen_path) {
                r = listen_bind(d, d->opts.listen_path, false, error);
                if (r < 0)
                        return r;
        }
        if (d->opts.listen_ro_path)
                return listen_bind(d, d->opts.listen_ro_path, true, error);
        return 0;
}

void daemon_listen_close(VmmDaemon *d)
{
        for (size_t i = 0; i < d->n_listeners; i++)
                uv_close((uv_handle_t *)&d->listeners[i]->pipe, on_listener_closed);
        d->n_listeners = 0;
}
