/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-proxyd: the front door for remote clients (and local ones that ask
 * for ?mode=proxy). Listens on vmm.sock and vmm-ro.sock (from systemd, or
 * bound in the runtime directory: /run/vmm, $XDG_RUNTIME_DIR/vmm, or
 * $VMM_ROOT/run/vmm), and routes each client's frames by program to the
 * subsystem daemons' sockets in the same directory, declaring the client's
 * identity first. Daemons are started on demand when not under systemd;
 * their binaries are looked up in $VMM_DAEMON_DIR (':'-separated) or the
 * install's sbin directory.
 *
 * Besides the skeleton's options: --root DIR (as $VMM_ROOT: every path
 * under DIR, passed on to the daemons it starts) and --session (the
 * user's runtime directory, even for root), as libvmm passes them when it
 * starts the proxy on demand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "proxy.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

static int proxy_shutdown(VmmDaemon *d, void *userdata)
{
        proxy_close_all(userdata);
        return 0;
}

/* Takes --root DIR / --root=DIR and --session out of argv (the rest is
 * the skeleton's). */
static int take_mode_args(int *argc, char **argv, Proxy *p, VmmError *error)
{
        const char *root = NULL;
        int n = 1;

        for (int i = 1; i < *argc; i++) {
                if (strcmp(argv[i], "--session") == 0) {
                        p->session = true;
                } else if (strcmp(argv[i], "--root") == 0 && i + 1 < *argc) {
                        root = argv[++i];
                } else if (strncmp(argv[i], "--root=", 7) == 0) {
                        root = argv[i] + 7;
                } else if (strcmp(argv[i], "--") == 0) {
                        while (i < *argc)
                                argv[n++] = argv[i++];
                        break;
                } else {
                        argv[n++] = argv[i];
                }
        }
        argv[n] = NULL;
        *argc = n;
        if (!root)
                return 0;
        if (root[0] != '/')
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "vmm-proxyd: --root \"%s\" is not an absolute path", root);
        /* the daemons the proxy starts inherit it */
        if (setenv("VMM_ROOT", root, 1) < 0)
                return vmm_error_oom(error);
        return 0;
}

/* Without --listen and without sockets from systemd, bind the default
 * sockets in the runtime directory. */
static int default_sockets(Proxy *p, VmmDaemonOptions *opts, char **rw, char **ro, VmmError *error)
{
        int r;

        if (opts->listen_path || opts->listen_ro_path || getenv("LISTEN_FDS"))
                return 0;
        r = vmm_mkdir_p(p->runtime_dir, 0755, error);
        if (r < 0)
                return r;
        if (asprintf(rw, "%s/vmm.sock", p->runtime_dir) < 0 ||
            asprintf(ro, "%s/vmm-ro.sock", p->runtime_dir) < 0)
                return vmm_error_oom(error);
        opts->listen_path = *rw;
        opts->listen_ro_path = *ro;
        return 0;
}

int main(int argc, char **argv)
{
        VmmDaemonOptions opts = VMM_DAEMON_OPTIONS_INIT("vmm-proxyd");
        _cleanup_free_ char *rw = NULL, *ro = NULL;
        VmmError err = VMM_ERROR_INIT;
        Proxy p = {0};
        int r;

        r = take_mode_args(&argc, argv, &p, &err);
        if (r < 0)
                goto out;
        r = vmm_daemon_parse_args(argc, argv, &opts, &err);
        if (r != 0)
                goto out;
        vmm_daemon_log_setup(opts.name, opts.verbose);
        r = proxy_config_init(&p, &err);
        if (r < 0)
                goto out;
        r = default_sockets(&p, &opts, &rw, &ro, &err);
        if (r < 0)
                goto out;
        r = vmm_daemon_new(&opts, &p.daemon, &err);
        if (r < 0)
                goto out;
        p.loop = vmm_daemon_loop(p.daemon);
        p.opts = vmm_daemon_options(p.daemon);
        vmm_daemon_set_accept_hook(p.daemon, proxy_client_accept, &p);
        vmm_daemon_set_shutdown_hook(p.daemon, proxy_shutdown, &p);
        vmm_log_info("vmm-proxyd: daemons' sockets in %s; %s daemons on demand (from %s)",
                     p.runtime_dir, p.spawn ? "starting" : "not starting", p.daemon_dirs);
        r = vmm_daemon_run(p.daemon, &err);
out:
        if (r < 0) {
                const char *msg = vmm_error_message(&err);
                fprintf(stderr, "%s%s\n", strncmp(msg, "vmm-proxyd: ", 12) ? "vmm-proxyd: " : "",
                        msg);
        }
        vmm_daemon_free(p.daemon);
        free(p.runtime_dir);
        free(p.daemon_dirs);
        vmm_error_clear(&err);
        return r < 0 ? 1 : 0;
}
