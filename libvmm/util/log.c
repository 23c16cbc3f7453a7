/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* 0 until the level is first needed: then $VMM_LOG_LEVEL or "warning". */
static atomic_int log_level;
static pthread_mutex_t log_sink_lock = PTHREAD_MUTEX_INITIALIZER;
static VmmLogSink log_sink;
static void *log_sink_userdata;

int vmm_log_level_from_string(const char *s)
{
        static const struct {
                const char *name;
                VmmLogLevel level;
        } names[] = {
                { "debug", VMM_LOG_DEBUG },     { "info", VMM_LOG_INFO },
                { "warning", VMM_LOG_WARNING }, { "warn", VMM_LOG_WARNING },
                { "error", VMM_LOG_ERROR },     { "err", VMM_LOG_ERROR },
        };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (strcasecmp(names[i].name, s) == 0)
                        return (int)names[i].level;
        return -EINVAL;
}

void vmm_log_set_level(VmmLogLevel level)
{
        atomic_store(&log_level, (int)level);
}

VmmLogLevel vmm_log_get_level(void)
{
        int level = atomic_load(&log_level);

        if (level == 0) {
                int from_env = vmm_log_level_from_string(getenv("VMM_LOG_LEVEL"));
                int expected = 0;

                level = from_env > 0 ? from_env : (int)VMM_LOG_WARNING;
                /* A concurrent vmm_log_set_level() wins over the default. */
                if (!atomic_compare_exchange_strong(&log_level, &expected, level))
                        level = expected;
        }
        return (VmmLogLevel)level;
}

void vmm_log_set_sink(VmmLogSink sink, void *userdata)
{
        pthread_mutex_lock(&log_sink_lock);
        log_sink = sink;
        log_sink_userdata = userdata;
        pthread_mutex_unlock(&log_sink_lock);
}

static const char *log_level_name(VmmLogLevel level)
{
        switch (level) {
        case VMM_LOG_ERROR:
                return "error";
        case VMM_LOG_WARNING:
                return "warning";
        case VMM_LOG_INFO:
                return "info";
        case VMM_LOG_DEBUG:
                return "debug";
        }
        return "log";
}

void vmm_log_internal(VmmLogLevel level, const char *file, int line, const char *func,
                      const char *fmt, ...)
{
        char stackbuf[512];
        char *message = stackbuf, *heap = NULL;
        VmmLogSink sink;
        void *userdata;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof(stackbuf)) {
                va_start(ap, fmt);
                if (vasprintf(&heap, fmt, ap) >= 0)
                        message = heap;
                va_end(ap);
        }

        /* The sink is called under the lock so that it cannot be replaced
         * (and its userdata freed) while a message is being delivered. */
        pthread_mutex_lock(&log_sink_lock);
        sink = log_sink;
        userdata = log_sink_userdata;
        if (sink)
                sink(level, file, line, func, message, userdata);
        else if (level == VMM_LOG_DEBUG)
                fprintf(stderr, "%s: %s:%d %s(): %s\n", log_level_name(level), file, line,
                        func, message);
        else
                fprintf(stderr, "%s: %s\n", log_level_name(level), message);
        pthread_mutex_unlock(&log_sink_lock);
        free(heap);
}
