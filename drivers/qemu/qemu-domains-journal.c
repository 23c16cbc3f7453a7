/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-domains-journal.c: the store's writes when it has a journal
 * (qemu-journal.h). A define, undefine or autostart change appends its
 * record and waits for it to be on disk: from then on it is durable, and
 * its file step (write NAME.xml, remove it, make or remove the autostart
 * link) is handed to the journal's materializer, which does it before the
 * reply without a sync of its own (or retries it behind the reply when it
 * fails). The daemon never reads those files back while it runs
 * (the indexes are the truth); a reload skips names whose file step is
 * still pending.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-domains-internal.h"
#include "util/error.h"
#include "util/fileutil.h"

/* A definition too big for the journal: written durably on its own, then
 * a FILE record tells replay that the file is the truth. Queued file
 * steps of the name are withdrawn first (they would overwrite it); their
 * records are finished only once the FILE record is on disk (until then,
 * replay needs them). */
static int write_around(VmmQemuJournal *j, const char *name, const char *path, const char *xml,
                        VmmError *error)
{
        unsigned older = vmm_qemu_journal_materialize_take(j, name);
        VmmQemuJournalTicket t;
        int r;

        r = vmm_file_write_atomic(path, xml, strlen(xml), 0600, error);
        if (r >= 0)
                r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_FILE, name, NULL, 0, &t, error);
        if (r < 0)
                return r; /* the older records stay unfinished: no checkpoint
                           * drops them, the next start replays them */
        r = vmm_qemu_journal_wait(j, &t, error);
        vmm_qemu_journal_done(j);
        while (r >= 0 && older-- > 0)
                vmm_qemu_journal_done(j);
        return r;
}

/* Appends a record, waits for its sync, and hands its file step to the
 * materializer (or finishes it when the sync failed). */
static int journal_change(VmmQemuJournal *j, VmmQemuJournalType type, const char *name,
                          const char *data, size_t len, bool absent, VmmError *error)
{
        VmmQemuJournalTicket t;
        int r;

        r = vmm_qemu_journal_append(j, type, name, data, len, &t, error);
        if (r < 0)
                return r;
        r = vmm_qemu_journal_wait(j, &t, error);
        if (r < 0) {
                vmm_qemu_journal_done(j); /* the journal is broken: no checkpoint */
                return r;
        }
        vmm_qemu_journal_materialize(j, type, name, data, len, absent);
        return 0;
}

int qemu_domains_journal_write(VmmQemuJournal *j, const char *name, const char *path,
                               const char *xml, bool absent, VmmError *error)
{
        size_t len = strlen(xml);

        if (!vmm_qemu_journal_fits(j, strlen(name), len))
                return write_around(j, name, path, xml, error);
        return journal_change(j, VMM_QEMU_JOURNAL_DEFINE, name, xml, len, absent, error);
}

int qemu_domains_journal_unlink(VmmQemuJournal *j, const char *name, VmmError *error)
{
        return journal_change(j, VMM_QEMU_JOURNAL_UNDEFINE, name, NULL, 0, false, error);
}

int qemu_domains_journal_autostart(VmmQemuJournal *j, const char *name, bool autostart,
                                   VmmError *error)
{
        return journal_change(j, VMM_QEMU_JOURNAL_AUTOSTART, name, autostart ? "1" : "0", 1, false,
                              error);
}

int vmm_qemu_domains_open_journal(VmmQemuDomains *s, const char *path, VmmError *error)
{
        int r, n = 0;

        if (s->journal)
                return vmm_error_set(error, -EALREADY, VMM_ERR_INTERNAL,
                                     "domain store \"%s\": a journal is open already",
                                     s->config_dir);
        r = vmm_qemu_journal_open(path, s->config_dir, &s->journal, &n, error);
        if (r < 0)
                return r;
        return n;
}

int vmm_qemu_domains_checkpoint(VmmQemuDomains *s, VmmError *error)
{
        return s->journal ? vmm_qemu_journal_checkpoint(s->journal, error) : 0;
}

void vmm_qemu_domains_journal_stats(VmmQemuDomains *s, VmmQemuJournalStats *ret)
{
        if (s->journal)
                vmm_qemu_journal_stats(s->journal, ret);
        else
                *ret = (VmmQemuJournalStats){0};
}
