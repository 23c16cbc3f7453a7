/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-log.c: the daemons' log sink: structured journal entries under
 * systemd, stderr otherwise. */
#include <stdlib.h>
#include <systemd/sd-journal.h>

#include "daemon.h"
#include "util/log.h"

static void journal_sink(VmmLogLevel level, const char *file, int line, const char *func,
                         const char *message, void *userdata)
{
        const char *identifier = userdata;

        sd_journal_send("MESSAGE=%s", message, "PRIORITY=%d", (int)level, "CODE_FILE=%s", file,
                        "CODE_LINE=%d", line, "CODE_FUNC=%s", func, "SYSLOG_IDENTIFIER=%s",
                        identifier, NULL);
}

void vmm_daemon_log_setup(const char *identifier, bool verbose)
{
        if (verbose && vmm_log_get_level() < VMM_LOG_INFO)
                vmm_log_set_level(VMM_LOG_INFO);
        /* JOURNAL_STREAM is set by systemd when stderr goes to the journal. */
        if (getenv("JOURNAL_STREAM"))
                vmm_log_set_sink(journal_sink, (void *)identifier);
}
