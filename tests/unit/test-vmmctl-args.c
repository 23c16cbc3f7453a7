/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmmctl's command-line splitting, option matching, command table and
 * table layout (cli/vmmctl/args.c, cmd-table.c, output.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"
#include "vmmctl.h"

/* --- splitting lines into commands and words --- */

/* Joins a script as "w1|w2;w1|w2" to compare with one string. */
static char *script_join(const VmmctlScript *s)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        for (size_t i = 0; i < s->n_cmds; i++) {
                if (i)
                        fputc(';', f);
                for (size_t k = 0; s->cmds[i][k]; k++)
                        fprintf(f, "%s%s", k ? "|" : "", s->cmds[i][k]);
        }
        fclose(f);
        return out;
}

static const struct {
        const char *line;
        const char *expect;
} split_cases[] = {
    {"list", "list"},
    {"  list   --all  ", "list|--all"},
    {"list --all; dominfo web1", "list|--all;dominfo|web1"},
    {"list;dominfo web1;", "list;dominfo|web1"},
    {"dominfo 'my vm'", "dominfo|my vm"},
    {"dominfo \"my \\\"quoted\\\" vm\"", "dominfo|my \"quoted\" vm"},
    {"dominfo 'a;b'; uri", "dominfo|a;b;uri"},
    {"dominfo a\\ b", "dominfo|a b"},
    {"dominfo \"\"", "dominfo|"},
    {"dominfo x'y'z", "dominfo|xyz"},
    {"list # a comment; uri", "list"},
    {";;  ; ", ""},
    {"", ""},
};

static void test_split_line(void **state)
{
        for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmctlScript s;
                char *joined;

                assert_int_equal(vmmctl_script_parse_line(split_cases[i].line, &s, &error), 0);
                joined = script_join(&s);
                if (strcmp(joined, split_cases[i].expect) != 0)
                        fail_msg("line <%s>: got <%s>, expected <%s>", split_cases[i].line, joined,
                                 split_cases[i].expect);
                free(joined);
                vmmctl_script_done(&s);
        }
}

static void test_split_line_errors(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmctlScript s;

        assert_int_equal(vmmctl_script_parse_line("dominfo \"web1", &s, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error), "missing closing double quote");
        assert_int_equal(vmmctl_script_parse_line("dominfo 'web1", &s, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error), "missing closing single quote");
        vmm_error_clear(&error);
}

static void test_split_argv(void **state)
{
        static const struct {
                const char *words[6];
                const char *expect;
        } cases[] = {
            {{"list", "--all"}, "list|--all"},
            {{"list", ";", "dominfo", "web1"}, "list;dominfo|web1"},
            {{"list;", "uri"}, "list;uri"},
            {{"dominfo", "my vm"}, "dominfo|my vm"},
            {{"dominfo", ""}, "dominfo|"},
            {{";"}, ""},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmctlScript s;
                int n = 0;
                char *joined;

                while (n < 6 && cases[i].words[n])
                        n++;
                assert_int_equal(
                    vmmctl_script_from_argv(n, (char *const *)cases[i].words, &s, &error), 0);
                joined = script_join(&s);
                assert_string_equal(joined, cases[i].expect);
                free(joined);
                vmmctl_script_done(&s);
        }
}

/* --- matching words against option specs --- */

static int parse_words(const char *line, VmmctlScript *s, VmmctlArgs *args, VmmError *error)
{
        assert_int_equal(vmmctl_script_parse_line(line, s, error), 0);
        assert_int_equal(s->n_cmds, 1);
        return vmmctl_args_parse(s->cmds[0], args, error);
}

static void test_args_ok(void **state)
{
        static const struct {
                const char *line;
                const char *opt;
                const char *value;
        } cases[] = {
            {"dominfo web1", "domain", "web1"},
            {"dominfo --domain web1", "domain", "web1"},
            {"dominfo --domain=web1", "domain", "web1"},
            {"dominfo -- --odd-name", "domain", "--odd-name"},
            {"list --all --name", "all", ""},
            {"list --all --name", "name", ""},
            {"start web1 --paused", "paused", ""},
            {"vol-info disk.img default", "pool", "default"},
            {"vol-info --pool default disk.img", "vol", "disk.img"},
            {"define /tmp/a.xml --validate", "file", "/tmp/a.xml"},
            {"help dominfo", "command", "dominfo"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmctlScript s;
                VmmctlArgs args;
                const char *v;

                if (parse_words(cases[i].line, &s, &args, &error) < 0)
                        fail_msg("<%s>: %s", cases[i].line, vmm_error_message(&error));
                v = vmmctl_args_get(&args, cases[i].opt);
                if (!v || strcmp(v, cases[i].value) != 0)
                        fail_msg("<%s>: --%s is <%s>, expected <%s>", cases[i].line, cases[i].opt,
                                 v ? v : "(absent)", cases[i].value);
                vmmctl_script_done(&s);
        }
}

static void test_args_absent(void **state)
{
        VmmError error = VMM_ERROR_INIT;
        VmmctlScript s;
        VmmctlArgs args;

        assert_int_equal(parse_words("list --inactive", &s, &args, &error), 0);
        assert_true(vmmctl_args_has(&args, "inactive"));
        assert_false(vmmctl_args_has(&args, "all"));
        assert_null(vmmctl_args_get(&args, "name"));
        assert_string_equal(args.cmd->name, "list");
        vmmctl_script_done(&s);
}

static void test_args_errors(void **state)
{
        static const struct {
                const char *line;
                const char *message;
        } cases[] = {
            {"foo", "unknown command: 'foo'"},
            {"list --bogus", "command 'list' doesn't support option --bogus"},
            {"list -x", "command 'list' doesn't support option -x"},
            {"dominfo", "command 'dominfo' requires <domain> option"},
            {"dominfo web1 web2", "unexpected data 'web2'"},
            {"dominfo --domain", "option --domain requires a value"},
            {"list --all=yes", "option --all takes no value"},
            {"list --all --all", "option --all given twice"},
            {"vol-list", "command 'vol-list' requires <pool> option"},
            {"uri extra", "unexpected data 'extra'"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                VmmctlScript s;
                VmmctlArgs args;

                if (parse_words(cases[i].line, &s, &args, &error) != -EINVAL)
                        fail_msg("<%s> was accepted", cases[i].line);
                assert_string_equal(vmm_error_message(&error), cases[i].message);
                vmm_error_clear(&error);
                vmmctl_script_done(&s);
        }
}

/* --- the command table --- */

static void test_table_complete(void **state)
{
        static const char *const required[] = {
            "list",     "define",      "create",      "undefine",  "start",     "shutdown",
            "destroy",  "suspend",     "resume",      "reboot",    "reset",     "dominfo",
            "domstate", "domid",       "domuuid",     "domname",   "dumpxml",   "autostart",
            "net-list", "net-dumpxml", "net-info",    "pool-list", "pool-info", "pool-dumpxml",
            "vol-list", "vol-info",    "vol-dumpxml", "uri",       "version",   "hostname",
            "help",     "quit",        "exit",
        };
        const VmmctlCommand *cmds = vmmctl_commands();

        for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
                if (!vmmctl_command_find(required[i]))
                        fail_msg("command '%s' is missing", required[i]);
        for (size_t i = 0; cmds[i].name; i++) {
                size_t n_opts = 0;

                assert_non_null(cmds[i].run);
                assert_non_null(cmds[i].summary);
                assert_non_null(cmds[i].opts);
                assert_ptr_equal(vmmctl_command_find(cmds[i].name), &cmds[i]);
                for (size_t k = 0; cmds[i].opts[k].name; k++, n_opts++) {
                        assert_non_null(cmds[i].opts[k].help);
                        for (size_t j = 0; j < k; j++)
                                if (strcmp(cmds[i].opts[j].name, cmds[i].opts[k].name) == 0)
                                        fail_msg("%s: option --%s listed twice", cmds[i].name,
                                                 cmds[i].opts[k].name);
                }
                assert_true(n_opts <= VMMCTL_MAX_OPTS);
        }
}

/* --- output layout --- */

static void test_table_layout(void **state)
{
        static const char *const header[] = {"Id", "Name", "State"};
        static const char *const row1[] = {"1", "test", "running"};
        static const char *const row2[] = {"-", "web-server", "shut off"};
        char *out = NULL;
        size_t len = 0;
        FILE *f;
        VmmctlTable t;

        assert_int_equal(vmmctl_table_init(&t, 3, header), 0);
        assert_int_equal(vmmctl_table_add_row(&t, row1), 0);
        assert_int_equal(vmmctl_table_add_row(&t, row2), 0);
        f = open_memstream(&out, &len);
        vmmctl_table_print(&t, f, false);
        fclose(f);
        assert_string_equal(out, " Id   Name         State\n"
                                 "-----------------------------\n"
                                 " 1    test         running\n"
                                 " -    web-server   shut off\n"
                                 "\n");
        free(out);
        f = open_memstream(&out, &len);
        vmmctl_table_print(&t, f, true);
        fclose(f);
        assert_string_equal(out, " 1    test         running\n"
                                 " -    web-server   shut off\n");
        free(out);
        vmmctl_table_done(&t);
}

static void test_capacity(void **state)
{
        static const struct {
                uint64_t bytes;
                const char *text;
        } cases[] = {
            {0, "0.00 B"},
            {1023, "1023.00 B"},
            {1536, "1.50 KiB"},
            {1073741824ull, "1.00 GiB"},
            {107374182400ull, "100.00 GiB"},
        };
        char buf[32];

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                vmmctl_format_capacity(cases[i].bytes, buf, sizeof(buf));
                assert_string_equal(buf, cases[i].text);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_split_line),     cmocka_unit_test(test_split_line_errors),
            cmocka_unit_test(test_split_argv),     cmocka_unit_test(test_args_ok),
            cmocka_unit_test(test_args_absent),    cmocka_unit_test(test_args_errors),
            cmocka_unit_test(test_table_complete), cmocka_unit_test(test_table_layout),
            cmocka_unit_test(test_capacity),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
