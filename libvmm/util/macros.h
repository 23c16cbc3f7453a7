/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* macros.h: the few macros the style allows (see STYLE.md). */
#pragma once

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
        ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _warn_unused_result_ __attribute__((warn_unused_result))

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static inline const char *strna(const char *s)
{
        return s ? s : "n/a";
}

static inline const char *strempty(const char *s)
{
        return s ? s : "";
}
