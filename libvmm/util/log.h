/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h: logging. Inside libvmm only vmm_log_debug() is used (the library
 * returns errors; callers decide what to log). Daemons and tools use the
 * other levels. Output goes to stderr, filtered by the level set with
 * vmm_log_set_level() or $VMM_LOG_LEVEL ("debug", "info", "warning",
 * "error"); the default is "warning". A sink may be installed (the daemons
 * install one that writes to the journal).
 */
#pragma once

#include "macros.h"

typedef enum VmmLogLevel {
        VMM_LOG_ERROR = 3,
        VMM_LOG_WARNING = 4,
        VMM_LOG_INFO = 6,
        VMM_LOG_DEBUG = 7,
} VmmLogLevel;

typedef void (*VmmLogSink)(VmmLogLevel level, const char *file, int line, const char *func,
                           const char *message, void *userdata);

void vmm_log_set_level(VmmLogLevel level);
VmmLogLevel vmm_log_get_level(void);
/* Parses "debug"/"info"/"warning"/"error"; -EINVAL otherwise. */
int vmm_log_level_from_string(const char *s);
/* Replaces the sink (NULL restores stderr). */
void vmm_log_set_sink(VmmLogSink sink, void *userdata);

void vmm_log_internal(VmmLogLevel level, const char *file, int line, const char *func,
                      const char *fmt, ...) _printf_(5, 6);

#define vmm_log_at(level, ...)                                                        \
        do {                                                                          \
                if ((level) <= vmm_log_get_level())                                   \
                        vmm_log_internal((level), __FILE__, __LINE__, __func__, __VA_ARGS__); \
        } while (0)

#define vmm_log_debug(...) vmm_log_at(VMM_LOG_DEBUG, __VA_ARGS__)
#define vmm_log_info(...) vmm_log_at(VMM_LOG_INFO, __VA_ARGS__)
#define vmm_log_warning(...) vmm_log_at(VMM_LOG_WARNING, __VA_ARGS__)
#define vmm_log_error(...) vmm_log_at(VMM_LOG_ERROR, __VA_ARGS__)
