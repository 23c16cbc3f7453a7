/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-domains-journal.c: the store's writes when it has a journal
 * (qemu-journal.h). A define appends its record, writes the new file to a
 * temporary name meanwhile, waits for the record to be on disk, then
 * renames the file into place: the define is durable through the journal
 * and the file is visible at once, without a sync of its own. An undefine
 * appends its record, waits, then removes the files. When the file step
 * fails after the record was written, a CANCEL record undoes it, so a
 * failed operation never comes back at replay.
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

static int write_temp(const char *path, const char *xml, size_t len, char **ret_tmp,
                      VmmError *error)
{
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        size_t done = 0;

        if (asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0) {
                tmp = NULL;
                return vmm_error_oom(error);
        }
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno,
                                           "cannot create a temporary file for \"%s\"", path);
        while (done < len) {
                ssize_t n = write(fd, xml + done, len - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        int r = n < 0 ? -errno : -EIO;

                        unlink(tmp);
                        return vmm_error_set_errno(error, r, "cannot write \"%s\"", tmp);
                }
                done += (size_t)n;
        }
        if (close(TAKE_FD(fd)) < 0) {
                int r = -errno;

                unlink(tmp);
                return vmm_error_set_errno(error, r, "cannot close \"%s\"", tmp);
        }
        *ret_tmp = TAKE_PTR(tmp);
        return 0;
}

/* A definition too big for the journal: written durably on its own, then
 * a FILE record tells replay that the file is the truth. */
static int write_around(VmmQemuJournal *j, const char *name, const char *path, const char *xml,
                        VmmError *error)
{
        VmmQemuJournalTicket t;
        int r;

        r = vmm_file_write_atomic(path, xml, strlen(xml), 0600, error);
        if (r < 0)
                return r;
        r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_FILE, name, NULL, 0, &t, error);
        if (r < 0)
                return r;
        r = vmm_qemu_journal_wait(j, &t, error);
        vmm_qemu_journal_done(j);
        return r;
}

int qemu_domains_journal_write(VmmQemuJournal *j, const char *name, const char *path,
                               const char *xml, VmmError *error)
{
        _cleanup_free_ char *tmp = NULL;
        VmmQemuJournalTicket t;
        size_t len = strlen(xml);
        int r;

        if (!vmm_qemu_journal_fits(j, strlen(name), len))
                return write_around(j, name, path, xml, error);
        r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_DEFINE, name, xml, len, &t, error);
        if (r < 0)
                return r;
        /* the file is written while the record is synced */
        r = write_temp(path, xml, len, &tmp, error);
        if (r >= 0) {
                r = vmm_qemu_journal_wait(j, &t, error);
                if (r < 0) {
                        unlink(tmp);
                        vmm_qemu_journal_done(j);
                        return r; /* the record is not known to be on disk */
                }
                if (rename(tmp, path) < 0) {
                        r = vmm_error_set_errno(error, -errno, "cannot rename \"%s\" to \"%s\"",
                                                tmp, path);
                        unlink(tmp);
                }
        } else {
                /* the record may be on disk already: wait for it before
                 * cancelling, so the cancel lands after it */
                (void)vmm_qemu_journal_wait(j, &t, NULL);
        }
        if (r < 0)
                (void)vmm_qemu_journal_cancel(j, name, &t, NULL);
        vmm_qemu_journal_done(j);
        return r;
}

int qemu_domains_journal_unlink(VmmQemuJournal *j, const char *name, const char *path,
                                const char *link, VmmError *error)
{
        VmmQemuJournalTicket t;
        int r;

        r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_UNDEFINE, name, NULL, 0, &t, error);
        if (r < 0)
                return r;
        r = vmm_qemu_journal_wait(j, &t, error);
        if (r >= 0) {
                r = vmm_file_unlink(link, error);
                if (r >= 0)
                        r = vmm_file_unlink(path, error);
                if (r < 0)
                        (void)vmm_qemu_journal_cancel(j, name, &t, NULL);
        }
        vmm_qemu_journal_done(j);
        return r;
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
