/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmmctl's runtime-operation commands, without a connection: the sizes
 * setmem takes (cmd-domops.c) and the arguments of domstats, whose
 * domain option takes any number of words (VMMCTL_OPT_MULTI, args.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"
#include "vmmctl.h"

static const struct {
        const char *text;
        int r;
        uint64_t kib;
} size_cases[] = {
    {"524288", 0, 524288},    {"512M", 0, 524288},      {"512MiB", 0, 524288},
    {"512mib", 0, 524288},    {"1G", 0, 1048576},       {"1 GiB", 0, 1048576},
    {"2048k", 0, 2048},       {"1000000KB", 0, 976563}, {"1b", 0, 1},
    {"4096bytes", 0, 4},      {"1T", 0, 1073741824},    {"1GB", 0, 976563},
    {"", -EINVAL, 0},         {"abc", -EINVAL, 0},      {"-1", -EINVAL, 0},
    {"12xb", -EINVAL, 0},     {"1.5G", -EINVAL, 0},     {"99999999999999999999", -EINVAL, 0},
    {"18446744073709551615T", -EINVAL, 0},
};

static void test_sizes(void **state)
{
        for (size_t i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
                VmmError error = VMM_ERROR_INIT;
                uint64_t kib = 0;
                int r = vmmctl_parse_size_kib(size_cases[i].text, &kib, &error);

                if (r != size_cases[i].r || (r == 0 && kib != size_cases[i].kib))
                        fail_msg("'%s': r=%d kib=%llu, expected r=%d kib=%llu",
                                 size_cases[i].text, r, (unsigned long long)kib,
                                 size_cases[i].r, (unsigned long long)size_cases[i].kib);
                if (r < 0) {
                        char quoted[64];

                        snprintf(quoted, sizeof(quoted), "'%s'", size_cases[i].text);
                        assert_non_null(strstr(vmm_error_message(&error), quoted));
                        assert_non_null(strstr(vmm_error_message(&error), "expected"));
                }
                vmm_error_clear(&error);
        }
}

static void test_domstats_args(void **state)
{
        char *three[] = {"domstats", "--state", "a", "b", "--block", "c", NULL};
        char *none[] = {"domstats", "--list-running", NULL};
        char *setmem[] = {"setmem", "web1", "1G", "extra", NULL};
        VmmError error = VMM_ERROR_INIT;
        VmmctlArgs args;

        assert_int_equal(vmmctl_args_parse(three, &args, &error), 0);
        assert_string_equal(vmmctl_args_get(&args, "domain"), "a");
        assert_int_equal(args.n_more, 2);
        assert_string_equal(args.more[0], "b");
        assert_string_equal(args.more[1], "c");
        assert_true(vmmctl_args_has(&args, "state"));
        assert_true(vmmctl_args_has(&args, "block"));
        assert_false(vmmctl_args_has(&args, "balloon"));

        assert_int_equal(vmmctl_args_parse(none, &args, &error), 0);
        assert_null(vmmctl_args_get(&args, "domain"));
        assert_int_equal(args.n_more, 0);

        /* a command without a MULTI option still refuses extra words */
        assert_int_equal(vmmctl_args_parse(setmem, &args, &error), -EINVAL);
        assert_string_equal(vmm_error_message(&error), "unexpected data 'extra'");
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sizes),
            cmocka_unit_test(test_domstats_args),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
