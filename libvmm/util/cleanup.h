/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cleanup.h: scope-bound ownership.
 *   _cleanup_free_ char *s = ...;          freed at scope exit
 *   _cleanup_close_ int fd = ...;          closed at scope exit
 *   _cleanup_(vmm_foo_freep) VmmFoo *f;    any owned type, see DEFINE_CLEANUP
 *   return TAKE_PTR(s);                    hand ownership out
 */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
        free(*(void **)p);
}

static inline void closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Defines `static inline void <func>p(type **p)` calling func(*p) when not
 * NULL, for use as _cleanup_(<func>p). */
#define DEFINE_CLEANUP(type, func)                   \
        static inline void func##p(type **p)         \
        {                                            \
                if (*p)                              \
                        func(*p);                    \
        }

#define TAKE_PTR(p)                          \
        ({                                   \
                __typeof__(p) _taken_ = (p); \
                (p) = NULL;                  \
                _taken_;                     \
        })

#define TAKE_FD(fd)                \
        ({                         \
                int _taken_ = (fd); \
                (fd) = -1;         \
                _taken_;           \
        })
