/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * enumtable.h: enum <-> string through one table per enum.
 *
 *   static const char *const disk_bus_table[_VMM_DISK_BUS_MAX] = {
 *           [VMM_DISK_BUS_IDE] = "ide", ...
 *   };
 *   VMM_DEFINE_ENUM_TABLE(vmm_disk_bus, VmmDiskBus, disk_bus_table, _VMM_DISK_BUS_MAX)
 * defines vmm_disk_bus_to_string(VmmDiskBus) (NULL when out of range) and
 * vmm_disk_bus_from_string(const char *) (negative -EINVAL when unknown).
 */
#pragma once

#include <errno.h>
#include <string.h>

/* Index of `s` in `table` (size n, NULL holes allowed), or -EINVAL. */
int vmm_enum_from_string(const char *const *table, int n, const char *s);
/* table[value], or NULL when out of range or a hole. */
const char *vmm_enum_to_string(const char *const *table, int n, int value);

/* Writes "a", "b", "c" (every name, quoted, comma separated) into buf, for
 * messages listing what was expected; truncates safely. Returns buf. */
char *vmm_enum_list(const char *const *table, int n, char *buf, size_t size);

#define VMM_DEFINE_ENUM_TABLE(prefix, type, table, max)                  \
        const char *prefix##_to_string(type v)                           \
        {                                                                \
                return vmm_enum_to_string((table), (max), (int)v);       \
        }                                                                \
        int prefix##_from_string(const char *s)                          \
        {                                                                \
                return vmm_enum_from_string((table), (max), s);          \
        }

/* The same as file-local (static) functions, for enums private to one .c
 * file; unused ones draw no warning. */
#define VMM_DEFINE_STATIC_ENUM_TABLE(prefix, type, table, max)                 \
        __attribute__((unused)) static const char *prefix##_to_string(type v)  \
        {                                                                      \
                return vmm_enum_to_string((table), (max), (int)v);             \
        }                                                                      \
        __attribute__((unused)) static int prefix##_from_string(const char *s) \
        {                                                                      \
                return vmm_enum_from_string((table), (max), s);                \
        }
