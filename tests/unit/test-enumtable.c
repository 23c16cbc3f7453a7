/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/enumtable.h"

typedef enum Fruit {
        FRUIT_APPLE,
        FRUIT_HOLE, /* no name: never parsed or printed */
        FRUIT_PEAR,
        FRUIT_PLUM,
        _FRUIT_MAX
} Fruit;

static const char *const fruit_table[_FRUIT_MAX] = {
        [FRUIT_APPLE] = "apple",
        [FRUIT_PEAR] = "pear",
        [FRUIT_PLUM] = "plum",
};

const char *fruit_to_string(Fruit v);
int fruit_from_string(const char *s);
VMM_DEFINE_ENUM_TABLE(fruit, Fruit, fruit_table, _FRUIT_MAX)

/* A file-local table: static functions, no prototypes needed. */
typedef enum Color { COLOR_RED, COLOR_BLUE, _COLOR_MAX } Color;
static const char *const color_table[_COLOR_MAX] = { "red", "blue" };
VMM_DEFINE_STATIC_ENUM_TABLE(color, Color, color_table, _COLOR_MAX)

static void test_enum_static_table(void **state)
{
        assert_int_equal(color_from_string("blue"), COLOR_BLUE);
        assert_string_equal(color_to_string(COLOR_RED), "red");
        assert_int_equal(color_from_string("green"), -EINVAL);
}

static void test_enum_round_trip(void **state)
{
        for (int i = 0; i < _FRUIT_MAX; i++) {
                const char *s = fruit_to_string((Fruit)i);

                if (i == FRUIT_HOLE) {
                        assert_null(s);
                        continue;
                }
                assert_non_null(s);
                assert_int_equal(fruit_from_string(s), i);
        }
}

static void test_enum_unknown(void **state)
{
        assert_int_equal(fruit_from_string("kiwi"), -EINVAL);
        assert_int_equal(fruit_from_string("Apple"), -EINVAL); /* exact match */
        assert_int_equal(fruit_from_string(""), -EINVAL);
        assert_int_equal(fruit_from_string(NULL), -EINVAL);
        assert_null(fruit_to_string(_FRUIT_MAX));
        assert_null(fruit_to_string((Fruit)-1));
}

static void test_enum_list(void **state)
{
        char buf[64], small[12];

        assert_string_equal(vmm_enum_list(fruit_table, _FRUIT_MAX, buf, sizeof(buf)),
                            "\"apple\", \"pear\", \"plum\"");
        /* Truncation keeps whole names only, always NUL-terminated. */
        assert_string_equal(vmm_enum_list(fruit_table, _FRUIT_MAX, small, sizeof(small)),
                            "\"apple\"");
        assert_string_equal(vmm_enum_list(fruit_table, _FRUIT_MAX, small, 3), "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_enum_round_trip),
                cmocka_unit_test(test_enum_unknown),
                cmocka_unit_test(test_enum_list),
                cmocka_unit_test(test_enum_static_table),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
