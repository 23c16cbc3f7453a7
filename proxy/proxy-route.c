/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proxy-route.c: which daemon serves which program, where its socket is,
 * and connecting to it (starting it on demand when not under systemd). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "proxy.h"
#include "remote/spawn.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/macros.h"

#ifndef VMM_SBINDIR
#define VMM_SBINDIR "/usr/local/sbin"
#endif

const ProxyRoute proxy_routes[] = {
    {VMM_RPC_PROGRAM_DOMAIN, "domain", "vmm-qemud", true},
    {VMM_RPC_PROGRAM_NETWORK, "network", "vmm-networkd", true},
    {VMM_RPC_PROGRAM_STORAGE, "storage", "vmm-storaged", true},
    {VMM_RPC_PROGRAM_SECRET, "secret", "vmm-secretd", true},
    {VMM_RPC_PROGRAM_NODEDEV, "nodedev", "vmm-nodedevd", true},
    /* the test suite's daemon; never installed, so unreachable in production */
    {VMM_RPC_PROGRAM_TEST, "test", "vmm-echo-test", false},
};
const size_t proxy_n_routes = ARRAY_SIZE(proxy_routes);

const ProxyRoute *proxy_route_find(uint32_t program)
{
        for (size_t i = 0; i < proxy_n_routes; i++)
                if (proxy_routes[i].program == program)
                        return &proxy_routes[i];
        return NULL;
}

void proxy_route_describe(char *buf, size_t size)
{
        size_t off = 0;

        buf[0] = 0;
        for (size_t i = 0; i < proxy_n_routes && off < size; i++)
                off += (size_t)snprintf(buf + off, size - off, "%s%s to %s", i ? ", " : "",
                                        proxy_routes[i].program_name, proxy_routes[i].daemon);
}

static int runtime_dir_init(Proxy *p, VmmError *error)
{
        const char *root = getenv("VMM_ROOT");
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        int r;

        if (root && *root)
                r = asprintf(&p->runtime_dir, "%s/run/vmm", root);
        else if (geteuid() == 0 && !p->session)
                r = asprintf(&p->runtime_dir, "/run/vmm");
        else if (xdg && *xdg)
                r = asprintf(&p->runtime_dir, "%s/vmm", xdg);
        else
                r = asprintf(&p->runtime_dir, "/run/user/%u/vmm", (unsigned)geteuid());
        if (r < 0) {
                p->runtime_dir = NULL;
                return vmm_error_oom(error);
        }
        return 0;
}

static int parse_env_bool(const char *name, int fallback, VmmError *error)
{
        const char *v = getenv(name);

        if (!v || !*v)
                return fallback;
        if (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
                return 1;
        if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
                return 0;
        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                             "vmm-proxyd: %s=\"%s\" (expected 1, yes, 0 or no)", name, v);
}

int proxy_config_init(Proxy *p, VmmError *error)
{
        const char *dirs = getenv("VMM_DAEMON_DIR");
        const char *timeout = getenv("VMM_DAEMON_TIMEOUT");
        bool under_systemd;
        int r;

        r = runtime_dir_init(p, error);
        if (r < 0)
                return r;
        p->daemon_dirs = strdup(dirs && *dirs ? dirs : VMM_SBINDIR);
        if (!p->daemon_dirs)
                return vmm_error_oom(error);
        /* The system instance under systemd: the daemons' .socket units own
         * their sockets. Anything else (session, VMM_ROOT, containers, CI):
         * start them on demand, the way systemd would. */
        under_systemd = sd_booted() > 0 && !getenv("VMM_ROOT") && geteuid() == 0 && !p->session;
        r = parse_env_bool("VMM_PROXY_SPAWN", !under_systemd, error);
        if (r < 0)
                return r;
        p->spawn = r;
        if (timeout && *timeout) {
                char *end;
                unsigned long v;

                errno = 0;
                v = strtoul(timeout, &end, 10);
                if (errno || *end || timeout[0] == '-' || v > INT_MAX / 1000)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                             "vmm-proxyd: VMM_DAEMON_TIMEOUT=\"%s\" is not a "
                                             "number of seconds (expected e.g. \"120\")",
                                             timeout);
                p->daemon_timeout_s = (unsigned)v;
        }
        return 0;
}

/* The first of the daemon directories holding an executable `name`, or
 * the first directory (the spawner then names what is missing). */
static char *find_daemon(const Proxy *p, const char *name)
{
        _cleanup_free_ char *dirs = strdup(p->daemon_dirs);
        char *first = NULL, *path = NULL, *save = NULL;

        if (!dirs)
                return NULL;
        for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
                if (asprintf(&path, "%s/%s", dir, name) < 0)
                        break;
                if (access(path, X_OK) == 0) {
                        free(first);
                        return path;
                }
                if (!first)
                        first = path;
                else
                        free(path);
                path = NULL;
        }
        return first;
}

int proxy_route_connect(const Proxy *p, const ProxyRoute *route, int *ret_fd, VmmError *error)
{
        _cleanup_free_ char *rw = NULL, *ro = NULL, *bin = NULL;
        char timeout[16];
        const char *root = getenv("VMM_ROOT");
        const char *argv[7];
        size_t n = 0;
        VmmSpawnSpec spec = {0};
        int r;

        if (asprintf(&rw, "%s/%s.sock", p->runtime_dir, route->daemon) < 0 ||
            asprintf(&ro, "%s/%s-ro.sock", p->runtime_dir, route->daemon) < 0)
                return vmm_error_oom(error);
        if (!p->spawn) {
                r = vmm_unix_connect(rw, ret_fd, error);
                if (r < 0)
                        vmm_error_prefix(error, r,
                                         "%s is not running (start its socket: systemctl start "
                                         "%s.socket): ",
                                         route->daemon, route->daemon);
                return r;
        }
        bin = find_daemon(p, route->daemon);
        if (!bin)
                return vmm_error_oom(error);
        argv[n++] = bin;
        if (p->daemon_timeout_s > 0) {
                snprintf(timeout, sizeof(timeout), "%u", p->daemon_timeout_s);
                argv[n++] = "--timeout";
                argv[n++] = timeout;
        }
        /* as libvmm starts them: --root DIR or --session (the test daemon
         * takes VMM_ROOT from the environment only) */
        if (route->mode_args && root && *root) {
                argv[n++] = "--root";
                argv[n++] = root;
        } else if (route->mode_args && p->session) {
                argv[n++] = "--session";
        }
        argv[n] = NULL;
        spec.socket_path = rw;
        spec.ro_socket_path = ro;
        spec.argv = argv;
        return vmm_spawn_connect(&spec, ret_fd, error);
}
