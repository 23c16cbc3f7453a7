/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"
#include "util/macros.h"

static void test_error_set_and_clear(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        assert_false(vmm_error_is_set(&error));
        assert_string_equal(vmm_error_message(&error), "");
        assert_int_equal(vmm_error_set(&error, -ENOENT, VMM_ERR_NO_DOMAIN,
                                       "no domain named '%s'", "web1"),
                         -ENOENT);
        assert_true(vmm_error_is_set(&error));
        assert_int_equal(error.code, -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_NO_DOMAIN);
        assert_string_equal(vmm_error_message(&error), "no domain named 'web1'");

        /* A second error replaces the first (no leak under ASan). */
        vmm_error_set(&error, -EBUSY, VMM_ERR_OPERATION_INVALID, "domain 'web1' is running");
        assert_int_equal(error.code, -EBUSY);
        assert_string_equal(error.message, "domain 'web1' is running");

        vmm_error_clear(&error);
        assert_int_equal(error.code, 0);
        assert_int_equal(error.kind, VMM_ERR_NONE);
        assert_null(error.message);
        vmm_error_clear(&error); /* twice is fine */
        vmm_error_clear(NULL);
        assert_string_equal(vmm_error_message(NULL), "");
}

static void test_error_null_and_positive_codes(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        /* A NULL error still returns the code. */
        assert_int_equal(vmm_error_set(NULL, -EPERM, VMM_ERR_ACCESS_DENIED, "x"), -EPERM);
        assert_int_equal(vmm_error_prefix(NULL, -EIO, "ctx: "), -EIO);
        assert_int_equal(vmm_error_set_errno(NULL, -EIO, "read"), -EIO);
        /* A non-negative code would look like success: it becomes -EINVAL. */
        assert_int_equal(vmm_error_set(&error, 0, VMM_ERR_INTERNAL, "bug"), -EINVAL);
        assert_int_equal(error.code, -EINVAL);
        assert_int_equal(vmm_error_set(&error, 5, VMM_ERR_INTERNAL, "bug"), -EINVAL);
        vmm_error_clear(&error);
}

static void test_error_set_errno(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_error_set_errno(&error, -ENOENT, "cannot open \"%s\"", "/x"), -ENOENT);
        assert_string_equal(error.message, "cannot open \"/x\": No such file or directory");
        assert_int_equal(error.kind, VMM_ERR_SYSTEM);
        assert_int_equal(vmm_error_set_errno(&error, -EACCES, "cannot open"), -EACCES);
        assert_int_equal(error.kind, VMM_ERR_ACCESS_DENIED);
        vmm_error_clear(&error);
}

static void test_error_prefix_chain(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        vmm_error_set(&error, -ENOENT, VMM_ERR_XML, "source file missing");
        assert_int_equal(vmm_error_prefix(&error, -ENOENT, "disk '%s': ", "vda"), -ENOENT);
        assert_int_equal(vmm_error_prefix(&error, -ENOENT, "define '%s': ", "web1"), -ENOENT);
        assert_string_equal(error.message, "define 'web1': disk 'vda': source file missing");
        assert_int_equal(error.kind, VMM_ERR_XML); /* the kind stays */

        /* Prefixing an empty error makes one from the errno. */
        vmm_error_clear(&error);
        assert_int_equal(vmm_error_prefix(&error, -EIO, "save '%s': ", "web1"), -EIO);
        assert_string_equal(error.message, "save 'web1': Input/output error");
        assert_int_equal(error.kind, VMM_ERR_SYSTEM);
        vmm_error_clear(&error);
}

static void test_error_propagate(void **state)
{
        VmmError a = VMM_ERROR_INIT, b = VMM_ERROR_INIT;

        vmm_error_set(&a, -EEXIST, VMM_ERR_DUPLICATE, "domain 'x' exists");
        vmm_error_set(&b, -EIO, VMM_ERR_SYSTEM, "old");
        assert_int_equal(vmm_error_propagate(&b, &a), -EEXIST);
        assert_int_equal(b.code, -EEXIST);
        assert_int_equal(b.kind, VMM_ERR_DUPLICATE);
        assert_string_equal(b.message, "domain 'x' exists");
        assert_false(vmm_error_is_set(&a));
        assert_null(a.message);
        /* Into itself: nothing lost. */
        assert_int_equal(vmm_error_propagate(&b, &b), -EEXIST);
        assert_string_equal(b.message, "domain 'x' exists");
        /* Into NULL: the source is cleared. */
        assert_int_equal(vmm_error_propagate(NULL, &b), -EEXIST);
        assert_false(vmm_error_is_set(&b));
        assert_null(b.message);
}

static void test_error_oom_is_static(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(vmm_error_oom(&error), -ENOMEM);
        assert_string_equal(error.message, "out of memory");
        /* Replacing and clearing must not free the static message. */
        vmm_error_set(&error, -EIO, VMM_ERR_SYSTEM, "x");
        vmm_error_oom(&error);
        vmm_error_clear(&error);
        assert_null(error.message);
}

static void test_error_kind_names_and_errno(void **state)
{
        static const struct {
                int code;
                VmmErrorKind kind;
        } map[] = {
                { 0, VMM_ERR_NONE },
                { -EINVAL, VMM_ERR_INVALID_ARG },
                { -ENOTSUP, VMM_ERR_NO_SUPPORT },
                { -ENOTCONN, VMM_ERR_NO_CONNECT },
                { -ECONNREFUSED, VMM_ERR_NO_CONNECT },
                { -EEXIST, VMM_ERR_DUPLICATE },
                { -EPERM, VMM_ERR_ACCESS_DENIED },
                { -ETIMEDOUT, VMM_ERR_TIMEOUT },
                { -EBUSY, VMM_ERR_OPERATION_INVALID },
                { -EIO, VMM_ERR_SYSTEM },
        };

        for (size_t i = 0; i < ARRAY_SIZE(map); i++)
                assert_int_equal(vmm_error_kind_from_errno(map[i].code), map[i].kind);
        /* Every kind has a distinct name. */
        for (int i = 0; i < _VMM_ERR_MAX; i++) {
                assert_string_not_equal(vmm_error_kind_to_string((VmmErrorKind)i), "unknown");
                for (int j = 0; j < i; j++)
                        assert_string_not_equal(vmm_error_kind_to_string((VmmErrorKind)i),
                                                vmm_error_kind_to_string((VmmErrorKind)j));
        }
        assert_string_equal(vmm_error_kind_to_string(VMM_ERR_NO_DOMAIN), "no-domain");
        assert_string_equal(vmm_error_kind_to_string(VMM_ERR_OPERATION_INVALID),
                            "operation-invalid");
        assert_string_equal(vmm_error_kind_to_string(_VMM_ERR_MAX), "unknown");
}

static int checked(const char *name, VmmError *error)
{
        vmm_check_arg(name, error, "name");
        return 0;
}

static void test_error_check_arg(void **state)
{
        VmmError error = VMM_ERROR_INIT;

        assert_int_equal(checked("x", &error), 0);
        assert_int_equal(checked(NULL, &error), -EINVAL);
        assert_int_equal(error.kind, VMM_ERR_INVALID_ARG);
        assert_string_equal(error.message, "checked: invalid argument: name");
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_error_set_and_clear),
                cmocka_unit_test(test_error_null_and_positive_codes),
                cmocka_unit_test(test_error_set_errno),
                cmocka_unit_test(test_error_prefix_chain),
                cmocka_unit_test(test_error_propagate),
                cmocka_unit_test(test_error_oom_is_static),
                cmocka_unit_test(test_error_kind_names_and_errno),
                cmocka_unit_test(test_error_check_arg),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
