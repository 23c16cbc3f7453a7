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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"
#include "util/macros.h"

typedef struct Captured {
        int count;
        VmmLogLevel level;
        char message[1024];
        char func[64];
        int line;
} Captured;

static void capture_sink(VmmLogLevel level, const char *file, int line, const char *func,
                         const char *message, void *userdata)
{
        Captured *c = userdata;

        c->count++;
        c->level = level;
        c->line = line;
        snprintf(c->message, sizeof(c->message), "%s", message);
        snprintf(c->func, sizeof(c->func), "%s", func);
}

static void test_log_level_names(void **state)
{
        static const struct {
                const char *name;
                int level;
        } cases[] = {
                { "debug", VMM_LOG_DEBUG },   { "info", VMM_LOG_INFO },
                { "warning", VMM_LOG_WARNING }, { "WARNING", VMM_LOG_WARNING },
                { "error", VMM_LOG_ERROR },   { "verbose", -EINVAL },
                { "", -EINVAL },              { NULL, -EINVAL },
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
                assert_int_equal(vmm_log_level_from_string(cases[i].name), cases[i].level);
}

static void test_log_filter_and_sink(void **state)
{
        Captured c = { 0 };
        int line;

        vmm_log_set_sink(capture_sink, &c);
        vmm_log_set_level(VMM_LOG_WARNING);
        assert_int_equal(vmm_log_get_level(), VMM_LOG_WARNING);

        vmm_log_debug("hidden %d", 1);
        vmm_log_info("hidden %d", 2);
        assert_int_equal(c.count, 0);

        vmm_log_warning("domain '%s': disk missing, ignoring", "web1"); line = __LINE__;
        assert_int_equal(c.count, 1);
        assert_int_equal(c.level, VMM_LOG_WARNING);
        assert_string_equal(c.message, "domain 'web1': disk missing, ignoring");
        assert_string_equal(c.func, "test_log_filter_and_sink");
        assert_int_equal(c.line, line);
        vmm_log_error("boom");
        assert_int_equal(c.count, 2);
        assert_int_equal(c.level, VMM_LOG_ERROR);

        vmm_log_set_level(VMM_LOG_DEBUG);
        vmm_log_debug("now shown");
        assert_int_equal(c.count, 3);
        assert_string_equal(c.message, "now shown");

        vmm_log_set_sink(NULL, NULL);
        vmm_log_set_level(VMM_LOG_ERROR);
}

static void test_log_long_message(void **state)
{
        Captured c = { 0 };
        char big[900];

        memset(big, 'q', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        vmm_log_set_sink(capture_sink, &c);
        vmm_log_set_level(VMM_LOG_INFO);
        vmm_log_info("<%s>", big);
        assert_int_equal(c.count, 1);
        assert_int_equal(strlen(c.message), sizeof(big) + 1); /* not truncated at 512 */
        assert_int_equal(c.message[0], '<');
        assert_int_equal(c.message[sizeof(big)], '>');
        vmm_log_set_sink(NULL, NULL);
}

/* $VMM_LOG_LEVEL is read the first time the level is needed: check it
 * in fresh child processes, whose output goes to stderr (a pipe here). */
static void run_child_with_env(const char *level, char *out, size_t size)
{
        int fds[2], status;
        ssize_t n;
        pid_t pid;

        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char *const argv[] = { (char *)"test-log", (char *)"--child", NULL };

                dup2(fds[1], 2);
                close(fds[0]);
                if (level)
                        setenv("VMM_LOG_LEVEL", level, 1);
                else
                        unsetenv("VMM_LOG_LEVEL");
                execv("/proc/self/exe", argv);
                _exit(127);
        }
        close(fds[1]);
        for (size_t len = 0;;) {
                n = read(fds[0], out + len, size - 1 - len);
                assert_true(n >= 0);
                len += (size_t)n;
                out[len] = '\0';
                if (n == 0 || len == size - 1)
                        break;
        }
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_log_env_level_and_stderr(void **state)
{
        char out[2048];

        run_child_with_env(NULL, out, sizeof(out));
        assert_string_equal(out, "warning: a warning\nerror: an error\n");
        run_child_with_env("error", out, sizeof(out));
        assert_string_equal(out, "error: an error\n");
        run_child_with_env("info", out, sizeof(out));
        assert_string_equal(out, "info: an info\nwarning: a warning\nerror: an error\n");
        run_child_with_env("debug", out, sizeof(out));
        assert_non_null(strstr(out, "debug: "));
        assert_non_null(strstr(out, "child_main(): a debug\n"));
        run_child_with_env("nonsense", out, sizeof(out)); /* ignored: the default */
        assert_string_equal(out, "warning: a warning\nerror: an error\n");
}

static int child_main(void)
{
        vmm_log_debug("a debug");
        vmm_log_info("an info");
        vmm_log_warning("a warning");
        vmm_log_error("an error");
        return 0;
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_log_level_names),
                cmocka_unit_test(test_log_filter_and_sink),
                cmocka_unit_test(test_log_long_message),
                cmocka_unit_test(test_log_env_level_and_stderr),
        };

        if (argc > 1 && strcmp(argv[1], "--child") == 0)
                return child_main();
        return cmocka_run_group_tests(tests, NULL, NULL);
}
