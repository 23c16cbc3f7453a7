/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-remote-paths: which socket the remote driver talks to for each
 * qemu:// URI and environment, whether it may start the daemon, with
 * which binary, and the errors for URIs it cannot serve.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "remote/remote-internal.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/uri.h"
#include <vmm/vmm-connect.h>

typedef struct PathCase {
        const char *uri;
        unsigned int flags;
        const char *root, *xdg; /* $VMM_ROOT, $XDG_RUNTIME_DIR (NULL: unset) */
        const char *socket;     /* expected socket; "@UID@" stands for the uid */
        const char *daemon;     /* expected binary, or NULL: never spawned */
        const char *spawn_ro;   /* the read-only socket bound when spawning */
        int timeout_ms;         /* expected default deadline */
} PathCase;

static char *expand_uid(const char *s)
{
        char *out = NULL;
        const char *at = s ? strstr(s, "@UID@") : NULL;

        if (!s)
                return NULL;
        if (!at)
                return strdup(s);
        assert_true(asprintf(&out, "%.*s%u%s", (int)(at - s), s, (unsigned)getuid(), at + 5) > 0);
        return out;
}

static void set_env(const char *name, const char *value)
{
        if (value)
                setenv(name, value, 1);
        else
                unsetenv(name);
}

static int configure(const char *uri_text, unsigned int flags, RemoteConn **ret_rc,
                     VmmError *error)
{
        const VmmRpcClientOptions defaults = VMM_RPC_CLIENT_OPTIONS_INIT;
        _cleanup_(vmm_uri_freep) VmmUri *uri = NULL;
        RemoteConn *rc = calloc(1, sizeof(*rc));
        int r;

        assert_non_null(rc);
        pthread_mutex_init(&rc->lock, NULL);
        rc->opts = defaults;
        assert_int_equal(vmm_uri_parse(uri_text, &uri, NULL), 0);
        r = remote_conn_configure(rc, uri, flags, error);
        *ret_rc = rc;
        return r;
}

static void test_remote_paths(void **state)
{
        static const PathCase cases[] = {
            {"qemu:///system", 0, NULL, "/xdg", "/run/vmm/vmm-qemud.sock", NULL, NULL, 30000},
            {"qemu:///system", VMM_CONNECT_READ_ONLY, NULL, NULL, "/run/vmm/vmm-qemud-ro.sock",
             NULL, NULL, 30000},
            {"qemu+unix:///system?timeout_ms=250", 0, NULL, NULL, "/run/vmm/vmm-qemud.sock",
             NULL, NULL, 250},
            {"qemu:///session", 0, NULL, "/xdg", "/xdg/vmm/vmm-qemud.sock", "/bin/d/vmm-qemud",
             "/xdg/vmm/vmm-qemud-ro.sock", 30000},
            {"qemu:///session", 0, NULL, NULL, "/run/user/@UID@/vmm/vmm-qemud.sock",
             "/bin/d/vmm-qemud", "/run/user/@UID@/vmm/vmm-qemud-ro.sock", 30000},
            {"qemu:///session", VMM_CONNECT_READ_ONLY, NULL, "/xdg",
             "/xdg/vmm/vmm-qemud-ro.sock", "/bin/d/vmm-qemud", "/xdg/vmm/vmm-qemud-ro.sock",
             30000},
            {"qemu:///system", 0, "/r", "/xdg", "/r/run/vmm/vmm-qemud.sock", "/bin/d/vmm-qemud",
             "/r/run/vmm/vmm-qemud-ro.sock", 30000},
            {"qemu:///session?root=/q", 0, "/r", "/xdg", "/q/run/vmm/vmm-qemud.sock",
             "/bin/d/vmm-qemud", "/q/run/vmm/vmm-qemud-ro.sock", 30000},
            {"qemu:///session?socket=/s/x.sock", 0, "/r", "/xdg", "/s/x.sock", NULL, NULL, 30000},
            {"qemu+unix:///system?socket=/s/x-ro.sock&timeout_ms=0", 0, NULL, NULL,
             "/s/x-ro.sock", NULL, NULL, 0},
            {"qemu:///system?mode=proxy", 0, NULL, NULL, "/run/vmm/vmm.sock", NULL, NULL, 30000},
            {"qemu:///session?mode=proxy", 0, NULL, "/xdg", "/xdg/vmm/vmm.sock",
             "/bin/d/vmm-proxyd", "/xdg/vmm/vmm-ro.sock", 30000},
            {"qemu:///system?mode=direct", 0, NULL, NULL, "/run/vmm/vmm-qemud.sock", NULL, NULL,
             30000},
        };

        setenv("VMM_DAEMON_DIR", "/bin/d", 1);
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                const PathCase *c = &cases[i];
                VmmError err = VMM_ERROR_INIT;
                char *sock = expand_uid(c->socket), *ro = expand_uid(c->spawn_ro);
                RemoteConn *rc = NULL;

                set_env("VMM_ROOT", c->root);
                set_env("XDG_RUNTIME_DIR", c->xdg);
                if (configure(c->uri, c->flags, &rc, &err) < 0)
                        fail_msg("%s: %s", c->uri, vmm_error_message(&err));
                if (strcmp(rc->socket_path, sock) != 0)
                        fail_msg("%s: socket %s (expected %s)", c->uri, rc->socket_path, sock);
                if (!c->daemon)
                        assert_null(rc->daemon_path);
                else if (!rc->daemon_path || strcmp(rc->daemon_path, c->daemon) != 0)
                        fail_msg("%s: daemon %s (expected %s)", c->uri, rc->daemon_path,
                                 c->daemon);
                if (ro)
                        assert_string_equal(rc->spawn_ro_path, ro);
                assert_int_equal(rc->opts.call_timeout_ms, c->timeout_ms);
                remote_conn_free(rc);
                free(sock);
                free(ro);
        }
        unsetenv("VMM_ROOT");
        unsetenv("VMM_DAEMON_DIR");
}

static void test_remote_paths_spawn_args(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        RemoteConn *rc = NULL;

        setenv("VMM_DAEMON_TIMEOUT", "7", 1);
        setenv("VMM_ROOT", "/r", 1);
        assert_int_equal(configure("qemu:///session", 0, &rc, &err), 0);
        assert_int_equal(rc->daemon_timeout_s, 7);
        assert_string_equal(rc->root, "/r");
        remote_conn_free(rc);

        unsetenv("VMM_ROOT");
        unsetenv("VMM_DAEMON_TIMEOUT");
        assert_int_equal(configure("qemu:///session", 0, &rc, &err), 0);
        assert_int_equal(rc->daemon_timeout_s, 120);
        assert_null(rc->root);
        assert_true(rc->session);
        /* the installed daemon when no override */
        assert_non_null(strstr(rc->daemon_path, "/vmm-qemud"));
        remote_conn_free(rc);

        /* a list of directories: the first that has the binary */
        char dir[] = "/tmp/test-remote-paths-XXXXXX", bin[64], list[160];
        assert_non_null(mkdtemp(dir));
        snprintf(bin, sizeof(bin), "%s/vmm-qemud", dir);
        FILE *f = fopen(bin, "w");
        assert_non_null(f);
        fclose(f);
        assert_int_equal(chmod(bin, 0755), 0);
        snprintf(list, sizeof(list), "/nonexistent-a:%s:/nonexistent-b", dir);
        setenv("VMM_DAEMON_DIR", list, 1);
        assert_int_equal(configure("qemu:///session", 0, &rc, &err), 0);
        assert_string_equal(rc->daemon_path, bin);
        remote_conn_free(rc);
        setenv("VMM_DAEMON_DIR", "/nonexistent-a:/nonexistent-b", 1);
        assert_int_equal(configure("qemu:///session", 0, &rc, &err), 0);
        assert_string_equal(rc->daemon_path, "/nonexistent-a/vmm-qemud");
        remote_conn_free(rc);
        unsetenv("VMM_DAEMON_DIR");
        unlink(bin);
        rmdir(dir);
}

static void test_remote_paths_errors(void **state)
{
        static const struct {
                const char *uri, *root, *timeout, *expect;
        } cases[] = {
            {"qemu:///system?timeout_ms=abc", NULL, NULL, "timeout_ms: \"abc\" is not a number"},
            {"qemu:///system?timeout_ms=-5", NULL, NULL, "timeout_ms"},
            {"qemu:///foo", NULL, NULL, "\"/foo\" is not known"},
            {"qemu:///system?mode=tunnel", NULL, NULL, "\"tunnel\" is not a mode"},
            {"qemu:///session", "relative/dir", NULL, "\"relative/dir\" is not an absolute"},
            {"qemu:///session", NULL, "soon", "VMM_DAEMON_TIMEOUT"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmError err = VMM_ERROR_INIT;
                RemoteConn *rc = NULL;

                set_env("VMM_ROOT", cases[i].root);
                set_env("VMM_DAEMON_TIMEOUT", cases[i].timeout);
                assert_int_equal(configure(cases[i].uri, 0, &rc, &err), -EINVAL);
                if (!strstr(vmm_error_message(&err), cases[i].expect))
                        fail_msg("%s: \"%s\" does not say \"%s\"", cases[i].uri,
                                 vmm_error_message(&err), cases[i].expect);
                remote_conn_free(rc);
                vmm_error_clear(&err);
        }
        unsetenv("VMM_ROOT");
        unsetenv("VMM_DAEMON_TIMEOUT");
}

static void test_remote_probe(void **state)
{
        static const struct {
                const char *uri;
                int expect;
        } cases[] = {
            {"qemu:///system", 1},        {"qemu:///session", 1},
            {"qemu+unix:///system", 1},   {"qemu+tls://host/system", 0},
            {"qemu://host/system", 0},    {"qemu+ssh://h/system", 0},
            {"test:///default", 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(vmm_uri_freep) VmmUri *uri = NULL;

                assert_int_equal(vmm_uri_parse(cases[i].uri, &uri, NULL), 0);
                if (remote_probe(uri) != cases[i].expect)
                        fail_msg("probe %s: expected %d", cases[i].uri, cases[i].expect);
        }
}

/* A system socket with nothing behind it: the error names the socket and
 * says how to start the daemon; nothing is spawned. */
static void test_remote_system_not_running(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        char uri[256];

        snprintf(uri, sizeof(uri), "qemu+unix:///system?socket=/nonexistent/%d.sock",
                 (int)getpid());
        assert_true(vmm_connect_open(uri, 0, &conn, &err) < 0);
        assert_null(conn);
        assert_int_equal(err.kind, VMM_ERR_NO_CONNECT);
        assert_non_null(strstr(vmm_error_message(&err), "/nonexistent/"));
        vmm_error_clear(&err);

        /* the real system socket, when no system daemon is installed here */
        if (access("/run/vmm/vmm-qemud.sock", F_OK) == 0)
                return;
        unsetenv("VMM_ROOT");
        assert_true(vmm_connect_open("qemu:///system", 0, &conn, &err) < 0);
        if (!strstr(vmm_error_message(&err), "'/run/vmm/vmm-qemud.sock'") ||
            !strstr(vmm_error_message(&err), "systemctl start vmm-qemud.socket"))
                fail_msg("unhelpful error: %s", vmm_error_message(&err));
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_remote_paths),
            cmocka_unit_test(test_remote_paths_spawn_args),
            cmocka_unit_test(test_remote_paths_errors),
            cmocka_unit_test(test_remote_probe),
            cmocka_unit_test(test_remote_system_not_running),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
