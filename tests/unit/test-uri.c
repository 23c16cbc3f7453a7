/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/macros.h"
#include "util/uri.h"

static void test_uri_parse_forms(void **state)
{
        static const struct {
                const char *in;
                const char *driver, *transport, *user, *host;
                int port;
                const char *path;
                size_t n_params;
                const char *canonical;
        } cases[] = {
                { "test:///default", "test", NULL, NULL, NULL, 0, "/default", 0,
                  "test:///default" },
                { "qemu:///system", "qemu", NULL, NULL, NULL, 0, "/system", 0, "qemu:///system" },
                { "qemu:///session", "qemu", NULL, NULL, NULL, 0, "/session", 0,
                  "qemu:///session" },
                { "test:///tmp/x.xml", "test", NULL, NULL, NULL, 0, "/tmp/x.xml", 0,
                  "test:///tmp/x.xml" },
                { "QEMU+TLS://host.example:16514/system", "qemu", "tls", NULL, "host.example",
                  16514, "/system", 0, "qemu+tls://host.example:16514/system" },
                { "qemu+ssh://root@host/system", "qemu", "ssh", "root", "host", 0, "/system", 0,
                  "qemu+ssh://root@host/system" },
                { "qemu+unix:///system?socket=/run/x.sock", "qemu", "unix", NULL, NULL, 0,
                  "/system", 1, "qemu+unix:///system?socket=/run/x.sock" },
                { "qemu+tls://host", "qemu", "tls", NULL, "host", 0, "/", 0, "qemu+tls://host/" },
                { "qemu+tcp://[::1]:16509/system", "qemu", "tcp", NULL, "::1", 16509, "/system", 0,
                  "qemu+tcp://[::1]:16509/system" },
                { "test:///my%20dir/x.xml", "test", NULL, NULL, NULL, 0, "/my dir/x.xml", 0,
                  "test:///my%20dir/x.xml" },
                { "qemu:///session?root=/tmp/r&no_verify=1", "qemu", NULL, NULL, NULL, 0,
                  "/session", 2, "qemu:///session?root=/tmp/r&no_verify=1" },
                { "qemu:///system?flag", "qemu", NULL, NULL, NULL, 0, "/system", 1,
                  "qemu:///system?flag=" },
                { "qemu:///system?", "qemu", NULL, NULL, NULL, 0, "/system", 0, "qemu:///system" },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_(vmm_uri_freep) VmmUri *uri = NULL;
                _cleanup_free_ char *text = NULL;
                VmmError error = VMM_ERROR_INIT;

                if (vmm_uri_parse(cases[i].in, &uri, &error) < 0)
                        fail_msg("\"%s\": %s", cases[i].in, vmm_error_message(&error));
                assert_string_equal(uri->driver, cases[i].driver);
#define CHECK_OPT(field)                                                      \
        if (cases[i].field)                                                   \
                assert_string_equal(uri->field, cases[i].field);              \
        else                                                                  \
                assert_null(uri->field)
                CHECK_OPT(transport);
                CHECK_OPT(user);
                CHECK_OPT(host);
#undef CHECK_OPT
                assert_int_equal(uri->port, cases[i].port);
                assert_string_equal(uri->path, cases[i].path);
                assert_int_equal(uri->n_params, cases[i].n_params);
                text = vmm_uri_format(uri);
                assert_non_null(text);
                assert_string_equal(text, cases[i].canonical);
        }
}

static void test_uri_query_decoding(void **state)
{
        _cleanup_(vmm_uri_freep) VmmUri *uri = NULL, *again = NULL;
        _cleanup_free_ char *text = NULL;

        assert_int_equal(vmm_uri_parse("qemu+unix:///system?socket=%2Frun%2Fa%20b.sock"
                                       "&mode=ro&socket=/second&x=%41%3d%26",
                                       &uri, NULL),
                         0);
        assert_int_equal(uri->n_params, 4);
        assert_string_equal(uri->params[0].name, "socket");
        assert_string_equal(uri->params[0].value, "/run/a b.sock");
        assert_string_equal(vmm_uri_get_param(uri, "mode"), "ro");
        assert_string_equal(vmm_uri_get_param(uri, "x"), "A=&");
        /* A repeated parameter: the last one wins. */
        assert_string_equal(vmm_uri_get_param(uri, "socket"), "/second");
        assert_null(vmm_uri_get_param(uri, "missing"));

        /* Formatting escapes what needs it, and parses back the same. */
        text = vmm_uri_format(uri);
        assert_string_equal(text, "qemu+unix:///system?socket=/run/a%20b.sock&mode=ro"
                                  "&socket=/second&x=A%3D%26");
        assert_int_equal(vmm_uri_parse(text, &again, NULL), 0);
        assert_string_equal(again->params[3].value, "A=&");
        assert_string_equal(again->params[0].value, "/run/a b.sock");
}

static void test_uri_malformed(void **state)
{
        static const struct {
                const char *in;
                const char *says;
        } cases[] = {
                { "", "URI is empty" },
                { "qemu", "there is no \"driver://\" at its start" },
                { "qemu:/system", "there is no \"driver://\" at its start" },
                { "/tmp/x://y", "there is no \"driver://\" at its start" },
                { ":///system", "the driver name before \"://\" is empty" },
                { "qemu+:///system", "the transport after \"+\" is empty" },
                { "qe mu:///system", "blank or a control character" },
                { "qemu!:///system", "the scheme may hold only" },
                { "qemu+tls://host:/system", "the port after \":\" is empty" },
                { "qemu+tls://host:abc/system", "the port is not a number (expected 1 to 65535)" },
                { "qemu+tls://host:0/system", "the port is out of range" },
                { "qemu+tls://host:65536/system", "the port is out of range" },
                { "qemu+tls://@host/system", "the user name before \"@\" is empty" },
                { "qemu+tls://[::1/system", "an IPv6 address must be written" },
                { "qemu+tls://[::1]x/system", "unexpected text after the IPv6 address" },
                { "qemu:///system?=x", "a query parameter has an empty name" },
                { "qemu:///system?a=%zz", "the query has a bad %-escape" },
                { "qemu:///system?a=%4", "the query has a bad %-escape" },
                { "qemu:///sys%00tem", "the path has a bad %-escape" },
                { "qemu:///system#frag", "a \"#fragment\" is not allowed" },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmUri *uri = (VmmUri *)0x1;
                char quoted[128];

                assert_int_equal(vmm_uri_parse(cases[i].in, &uri, &error), -EINVAL);
                assert_ptr_equal(uri, (VmmUri *)0x1); /* untouched on failure */
                assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
                if (!strstr(error.message, cases[i].says))
                        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].in,
                                 error.message, cases[i].says);
                snprintf(quoted, sizeof(quoted), "URI \"%s\" is malformed: ", cases[i].in);
                if (*cases[i].in)
                        assert_true(strncmp(error.message, quoted, strlen(quoted)) == 0);
                assert_non_null(strstr(error.message, "(expected"));
                vmm_error_clear(&error);
        }
}

static void test_uri_null_input(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmUri *uri = NULL;

        assert_int_equal(vmm_uri_parse(NULL, &uri, &error), -EINVAL);
        assert_null(uri);
        assert_string_equal(error.message, "URI is empty (expected e.g. \"qemu:///system\" or "
                                           "\"qemu+tls://host.example/system\")");
        vmm_error_clear(&error);
        assert_null(vmm_uri_free(NULL));
}

/* --- the default URI --- */

typedef struct DefaultFixture {
        char dir[64];
        char *saved[4];
} DefaultFixture;

static const char *const default_vars[] = { "VMM_DEFAULT_URI", "VMM_CONFIG", "XDG_CONFIG_HOME",
                                            "HOME" };

static int default_setup(void **state)
{
        DefaultFixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        strcpy(f->dir, "/tmp/vmm-test-uri-XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        for (size_t i = 0; i < ARRAY_SIZE(default_vars); i++) {
                const char *v = getenv(default_vars[i]);

                f->saved[i] = v ? strdup(v) : NULL;
                unsetenv(default_vars[i]);
        }
        *state = f;
        return 0;
}

static int default_teardown(void **state)
{
        DefaultFixture *f = *state;
        char cmd[128];

        for (size_t i = 0; i < ARRAY_SIZE(default_vars); i++) {
                if (f->saved[i])
                        setenv(default_vars[i], f->saved[i], 1);
                else
                        unsetenv(default_vars[i]);
                free(f->saved[i]);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

static void write_config(const char *path, const char *text)
{
        assert_int_equal(vmm_file_write_atomic(path, text, strlen(text), 0600, NULL), 0);
}

static char *default_uri(void)
{
        VmmError error = VMM_ERROR_INIT;
        char *uri = NULL;

        if (vmm_uri_default(&uri, &error) < 0)
                fail_msg("vmm_uri_default: %s", vmm_error_message(&error));
        return uri;
}

static void test_uri_default_order(void **state)
{
        DefaultFixture *f = *state;
        _cleanup_free_ char *conf = NULL, *uri = NULL;
        const char *fallback = geteuid() == 0 ? "qemu:///system" : "qemu:///session";

        /* Nothing set and no config file: the fallback for this user. */
        setenv("HOME", f->dir, 1);
        if (geteuid() != 0) {
                uri = default_uri();
                assert_string_equal(uri, fallback);
                free(TAKE_PTR(uri));
        }

        /* $VMM_CONFIG names the file to read. */
        assert_true(asprintf(&conf, "%s/explicit.conf", f->dir) > 0);
        write_config(conf, "# a comment\n\nother_setting = 3\n"
                           "  uri_default = \"test:///default\"  # trailing comment\n");
        setenv("VMM_CONFIG", conf, 1);
        uri = default_uri();
        assert_string_equal(uri, "test:///default");
        free(TAKE_PTR(uri));

        /* A config file without uri_default gives the fallback. */
        write_config(conf, "uri_default_other = \"x:///\"\n#uri_default = \"y:///\"\n");
        uri = default_uri();
        assert_string_equal(uri, fallback);
        free(TAKE_PTR(uri));

        /* $VMM_DEFAULT_URI wins over the config file. */
        write_config(conf, "uri_default='test:///from-file'\n");
        setenv("VMM_DEFAULT_URI", "qemu+tls://h/system", 1);
        uri = default_uri();
        assert_string_equal(uri, "qemu+tls://h/system");
        free(TAKE_PTR(uri));
        unsetenv("VMM_DEFAULT_URI");
        uri = default_uri();
        assert_string_equal(uri, "test:///from-file");
        free(TAKE_PTR(uri));
        unsetenv("VMM_CONFIG");

}

/* vmm_uri_default() as an unprivileged user: as root, in a child that
 * drops to "nobody" (65534), the result coming back through a pipe. */
static char *default_uri_as_user(void)
{
        char buf[256];
        ssize_t n;
        int fds[2], status;
        pid_t pid;

        if (geteuid() != 0)
                return default_uri();
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                VmmError error = VMM_ERROR_INIT;
                char *uri = NULL;
                const char *out;

                close(fds[0]);
                if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                        _exit(2);
                out = vmm_uri_default(&uri, &error) < 0 ? vmm_error_message(&error) : uri;
                if (write(fds[1], out, strlen(out)) < 0)
                        _exit(3);
                _exit(uri ? 0 : 1);
        }
        close(fds[1]);
        n = read(fds[0], buf, sizeof(buf) - 1);
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(n >= 0);
        buf[n] = '\0';
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("vmm_uri_default as user 65534: %s", buf);
        return strdup(buf);
}

static void test_uri_default_user_paths(void **state)
{
        DefaultFixture *f = *state;
        _cleanup_free_ char *home_conf = NULL, *xdg = NULL, *xdg_conf = NULL, *uri = NULL;

        /* Files an unprivileged user can read. */
        assert_int_equal(chmod(f->dir, 0755), 0);
        setenv("HOME", f->dir, 1);

        /* No file at all: qemu:///session. */
        uri = default_uri_as_user();
        assert_string_equal(uri, "qemu:///session");
        free(TAKE_PTR(uri));

        /* ~/.config/vmm/vmm.conf */
        assert_true(asprintf(&home_conf, "%s/.config/vmm/vmm.conf", f->dir) > 0);
        assert_int_equal(vmm_mkdir_p(home_conf, 0755, NULL), 0);
        assert_int_equal(rmdir(home_conf), 0);
        write_config(home_conf, "uri_default = \"test:///home\"\n");
        assert_int_equal(chmod(home_conf, 0644), 0);
        uri = default_uri_as_user();
        assert_string_equal(uri, "test:///home");
        free(TAKE_PTR(uri));

        /* $XDG_CONFIG_HOME/vmm/vmm.conf takes the place of ~/.config. */
        assert_true(asprintf(&xdg, "%s/xdg", f->dir) > 0);
        assert_true(asprintf(&xdg_conf, "%s/vmm/vmm.conf", xdg) > 0);
        assert_int_equal(vmm_mkdir_p(xdg_conf, 0755, NULL), 0);
        assert_int_equal(rmdir(xdg_conf), 0);
        write_config(xdg_conf, "uri_default = \"test:///xdg\"\n");
        assert_int_equal(chmod(xdg_conf, 0644), 0);
        setenv("XDG_CONFIG_HOME", xdg, 1);
        uri = default_uri_as_user();
        assert_string_equal(uri, "test:///xdg");
        free(TAKE_PTR(uri));

        /* $VMM_DEFAULT_URI still comes first. */
        setenv("VMM_DEFAULT_URI", "test:///env", 1);
        uri = default_uri_as_user();
        assert_string_equal(uri, "test:///env");
}

static void test_uri_default_errors(void **state)
{
        DefaultFixture *f = *state;
        _cleanup_free_ char *conf = NULL;
        VmmError error = VMM_ERROR_INIT;
        char *uri = NULL;

        assert_true(asprintf(&conf, "%s/bad.conf", f->dir) > 0);
        write_config(conf, "# settings\nuri_default = test:///default\n");
        setenv("VMM_CONFIG", conf, 1);
        assert_int_equal(vmm_uri_default(&uri, &error), -EINVAL);
        assert_null(uri);
        assert_non_null(strstr(error.message, conf));
        assert_non_null(strstr(error.message, "line 2: uri_default: \"test:///default\" is not a "
                                              "quoted string"));

        write_config(conf, "uri_default = \"test:///default\" junk\n");
        assert_int_equal(vmm_uri_default(&uri, &error), -EINVAL);
        assert_non_null(strstr(error.message, "line 1: "));

        /* A file named explicitly must exist. */
        assert_int_equal(unlink(conf), 0);
        assert_int_equal(vmm_uri_default(&uri, &error), -ENOENT);
        assert_non_null(strstr(error.message, conf));
        assert_non_null(strstr(error.message, "$VMM_CONFIG"));
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_uri_parse_forms),
                cmocka_unit_test(test_uri_query_decoding),
                cmocka_unit_test(test_uri_malformed),
                cmocka_unit_test(test_uri_null_input),
                cmocka_unit_test_setup_teardown(test_uri_default_order, default_setup,
                                                default_teardown),
                cmocka_unit_test_setup_teardown(test_uri_default_user_paths, default_setup,
                                                default_teardown),
                cmocka_unit_test_setup_teardown(test_uri_default_errors, default_setup,
                                                default_teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
