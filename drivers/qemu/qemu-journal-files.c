/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-journal-files.c: the materializer of the domain store's journal
 * (see qemu-journal.h). A define, undefine or autostart change is durable
 * once its record is synced; its file step (write NAME.xml through a
 * temporary file and a rename, remove it, make or remove the autostart
 * link) is then done without a sync of its own: on the caller's thread,
 * before it replies, so a user who looks at the directory after the
 * reply sees the change. A step that fails is kept here and retried by
 * the journal's checkpoint thread (steps held by tests are queued and
 * coalesced by name the same way). Only when every step of a generation's
 * records is done does the checkpoint (syncfs, then a new generation) drop
 * the records.
 *
 * One entry per name with work pending: what its file and its link must
 * become. An entry taken for writing leaves the name table, so a newer
 * step of that name makes a new entry, written in a later batch (one
 * thread writes, batches in order: per name, steps land in record order).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-journal-priv.h"
#include "util/fileutil.h"
#include "util/log.h"

#define XC(s) ((const xmlChar *)(s))

typedef enum FileOp {
        FILE_KEEP,   /* no change to NAME.xml */
        FILE_WRITE,  /* NAME.xml := xml */
        FILE_REMOVE, /* NAME.xml and the autostart link removed */
} FileOp;

typedef enum LinkOp {
        LINK_KEEP,
        LINK_MAKE, /* autostart/NAME.xml -> ../NAME.xml */
        LINK_REMOVE,
} LinkOp;

struct JournalFile {
        char *name;
        char *xml;
        size_t len;
        FileOp file;
        LinkOp link;
        bool absent;      /* neither file nor link existed before the first step */
        bool failed;      /* in j->failed, not in the queue */
        bool skipped;     /* coalesced away: nothing to do on disk */
        unsigned records; /* records whose file step this entry holds */
        int error;        /* of the last attempt */
        JournalFile *next;
};

static JournalFile *file_free(JournalFile *f)
{
        if (f) {
                free(f->name);
                free(f->xml);
                free(f);
        }
        return NULL;
}

static void list_append(JournalFile **head, JournalFile **tail, JournalFile *f)
{
        f->next = NULL;
        if (*tail)
                (*tail)->next = f;
        else
                *head = f;
        *tail = f;
}

static void list_remove(JournalFile **head, JournalFile **tail, JournalFile *f)
{
        JournalFile *prev = NULL;

        for (JournalFile *p = *head; p; prev = p, p = p->next) {
                if (p != f)
                        continue;
                if (prev)
                        prev->next = p->next;
                else
                        *head = p->next;
                if (tail && *tail == p)
                        *tail = prev;
                p->next = NULL;
                return;
        }
}

/* Folds one step into an entry: later steps override earlier ones. */
static void file_apply(JournalFile *f, VmmQemuJournalType type, char *xml, size_t len)
{
        switch (type) {
        case VMM_QEMU_JOURNAL_DEFINE:
                free(f->xml);
                f->xml = xml;
                f->len = len;
                f->file = FILE_WRITE;
                return;
        case VMM_QEMU_JOURNAL_UNDEFINE:
                free(f->xml);
                f->xml = NULL;
                f->file = FILE_REMOVE;
                f->link = LINK_REMOVE;
                break;
        case VMM_QEMU_JOURNAL_AUTOSTART:
                f->link = xml && xml[0] == '1' ? LINK_MAKE : LINK_REMOVE;
                break;
        default:
                break;
        }
        free(xml);
}

static void files_run_name_locked(VmmQemuJournal *j, const char *name);

void vmm_qemu_journal_materialize(VmmQemuJournal *j, VmmQemuJournalType type, const char *name,
                                  const char *data, size_t len, bool absent)
{
        JournalFile *f, *fresh = calloc(1, sizeof(*fresh));
        char *copy = data ? strndup(data, len) : NULL;

        pthread_mutex_lock(&j->lock);
        if (!j->fq_head) {
                /* the first of a batch, for the checkpoint thread when
                 * the steps are held (tests): at once when the last batch
                 * is older than the delay, else at the delay's end.
                 * Otherwise the caller's thread does the step below. */
                int64_t now = qemu_journal_now_ns();

                j->files_due_ns = j->files_last_ns + JOURNAL_FILES_DELAY_NS;
                if (j->files_due_ns < now)
                        j->files_due_ns = now;
                if (j->files_paused)
                        pthread_cond_signal(&j->ck_cond); /* else done below */
        }
        f = xmlHashLookup(j->files, XC(name));
        if (!f && fresh && (fresh->name = strdup(name)) &&
            xmlHashAddEntry(j->files, XC(name), fresh) == 0) {
                f = TAKE_PTR(fresh);
                f->absent = absent;
                list_append(&j->fq_head, &j->fq_tail, f);
        } else if (f && f->failed) {
                /* a new step of a failed name: try it again now */
                list_remove(&j->failed, NULL, f);
                f->failed = false;
                list_append(&j->fq_head, &j->fq_tail, f);
        }
        if (!f || (data && !copy)) {
                /* out of memory: the record stays, replayed at the next start */
                qemu_journal_set_broken(j, -ENOMEM, "queue a file step for");
                free(copy);
        } else {
                file_apply(f, type, copy, len);
                f->records++;
                if (!j->files_paused)
                        files_run_name_locked(j, name);
        }
        pthread_mutex_unlock(&j->lock);
        file_free(fresh);
}

static int autostart_dir(VmmQemuJournal *j)
{
        if (j->autostart_fd >= 0)
                return j->autostart_fd;
        if (mkdirat(j->config_fd, "autostart", 0700) < 0 && errno != EEXIST)
                return -errno;
        j->autostart_fd = openat(j->config_fd, "autostart", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return j->autostart_fd >= 0 ? j->autostart_fd : -errno;
}

/* NAME.xml through NAME.xml.tmp-vmmjrn (one thread writes, so one name
 * per file is enough; replay removes it after a crash). */
static int file_write(VmmQemuJournal *j, const JournalFile *f, char *path, size_t path_size)
{
        char tmp[512];
        int fd, r;

        snprintf(path, path_size, "%s.xml", f->name);
        snprintf(tmp, sizeof(tmp), "%s.xml.tmp-vmmjrn", f->name);
        fd = openat(j->config_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        r = vmm_fd_write_all(fd, f->xml, f->len, -1);
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && renameat(j->config_fd, tmp, j->config_fd, path) < 0)
                r = -errno;
        if (r < 0)
                (void)unlinkat(j->config_fd, tmp, 0);
        return r;
}

static int link_step(VmmQemuJournal *j, const JournalFile *f, char *path, size_t path_size)
{
        char target[512];
        int dfd = autostart_dir(j);

        snprintf(path, path_size, "autostart/%s.xml", f->name);
        if (dfd < 0)
                return dfd;
        if (f->link == LINK_REMOVE)
                return unlinkat(dfd, path + strlen("autostart/"), 0) < 0 && errno != ENOENT ? -errno
                                                                                            : 0;
        snprintf(target, sizeof(target), "../%s.xml", f->name);
        if (symlinkat(target, dfd, path + strlen("autostart/")) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* Does one entry's steps (unlocked); on failure, `path` names the file. */
static int file_run(VmmQemuJournal *j, JournalFile *f, char *path, size_t path_size,
                    bool *ret_skipped)
{
        int r = 0;

        *ret_skipped = f->absent && f->file == FILE_REMOVE;
        if (*ret_skipped)
                return 0; /* defined and undefined again before it reached the disk */
        if (f->file == FILE_REMOVE) {
                r = link_step(j, f, path, path_size);
                snprintf(path, path_size, "%s.xml", f->name);
                if (r == 0 && unlinkat(j->config_fd, path, 0) < 0 && errno != ENOENT)
                        r = -errno;
                return r;
        }
        if (f->link == LINK_REMOVE)
                r = link_step(j, f, path, path_size);
        if (r == 0 && f->file == FILE_WRITE)
                r = file_write(j, f, path, path_size);
        if (r == 0 && f->link == LINK_MAKE)
                r = link_step(j, f, path, path_size);
        return r;
}

/* A failed entry goes back to the name table, merged under any newer
 * steps of its name (locked). */
static void file_failed_locked(VmmQemuJournal *j, JournalFile *f)
{
        JournalFile *newer = xmlHashLookup(j->files, XC(f->name));

        j->stats.files_failed++;
        if (newer) {
                /* the newer steps win; the older records wait with them */
                if (newer->file == FILE_KEEP) {
                        newer->file = f->file;
                        newer->xml = TAKE_PTR(f->xml);
                        newer->len = f->len;
                }
                if (newer->link == LINK_KEEP)
                        newer->link = f->link;
                newer->absent = false; /* the failed steps may have been half done */
                newer->records += f->records;
                file_free(f);
                return;
        }
        if (xmlHashAddEntry(j->files, XC(f->name), f) < 0) {
                qemu_journal_set_broken(j, -ENOMEM, "queue a file step for");
                file_free(f);
                return;
        }
        f->absent = false;
        f->failed = true;
        f->next = j->failed;
        j->failed = f;
}

static void file_done_locked(VmmQemuJournal *j, JournalFile *f, bool skipped)
{
        if (skipped)
                j->stats.files_skipped++;
        else if (f->file == FILE_WRITE)
                j->stats.files_written++;
        else if (f->file == FILE_REMOVE)
                j->stats.files_removed++;
        qemu_journal_done_locked(j, f->records);
        file_free(f);
}

static void file_warn(VmmQemuJournal *j, const char *path, int r)
{
        vmm_log_warning("domain store: cannot %s \"%s/%s\": %s; the journal \"%s\" keeps the "
                        "change, retrying at the next checkpoint",
                        strstr(path, "autostart/") ? "update" : "write", j->config_dir, path,
                        strerror(-r), j->path);
}

/* One entry taken out and tried: done, or kept for a retry (locked). */
static void file_finish_locked(VmmQemuJournal *j, JournalFile *f)
{
        if (f->error >= 0) {
                file_done_locked(j, f, f->skipped);
                return;
        }
        j->files_error = f->error;
        free(j->files_error_path);
        j->files_error_path = NULL;
        if (asprintf(&j->files_error_path, "%s/%s.xml", j->config_dir, f->name) < 0)
                j->files_error_path = NULL;
        j->files_retry_ns = qemu_journal_now_ns() + JOURNAL_FILES_RETRY_NS;
        file_failed_locked(j, f);
        pthread_cond_signal(&j->ck_cond); /* its wake-up time changed */
}

/* The writer's token is given back (locked). */
static void files_idle_locked(VmmQemuJournal *j)
{
        if (!j->failed)
                j->files_error = 0;
        j->files_busy = false;
        pthread_cond_broadcast(&j->done_cond);
}

/* Does the queued step of `name` on the caller's thread, right after its
 * record's sync, so the file is on disk when the caller replies. One
 * writer at a time (files_busy), so the steps of a name land in record
 * order; when a batch of the checkpoint thread holds it, that batch is
 * waited for (locked). */
static void files_run_name_locked(VmmQemuJournal *j, const char *name)
{
        JournalFile *f;
        char path[512];
        bool skipped = false;

        while (j->files_busy)
                pthread_cond_wait(&j->done_cond, &j->lock);
        f = xmlHashLookup(j->files, XC(name));
        if (!f || f->failed)
                return; /* written by a batch meanwhile, or failing: retried */
        xmlHashRemoveEntry(j->files, XC(name), NULL);
        list_remove(&j->fq_head, &j->fq_tail, f);
        j->files_busy = true;
        pthread_mutex_unlock(&j->lock);
        f->error = file_run(j, f, path, sizeof(path), &skipped);
        f->skipped = skipped;
        if (f->error < 0)
                file_warn(j, path, f->error);
        pthread_mutex_lock(&j->lock);
        file_finish_locked(j, f);
        files_idle_locked(j);
}

bool qemu_journal_files_ready(VmmQemuJournal *j)
{
        if (j->files_paused && !j->ck_stop)
                return false;
        if (j->fq_head)
                return j->ck_stop || j->ck_waiters > 0 || j->room_waiters > 0 ||
                       j->files_flushers > 0 || qemu_journal_now_ns() >= j->files_due_ns;
        if (!j->failed || j->broken)
                return false;
        if (j->ck_stop)
                return !j->files_stop_tried;
        return qemu_journal_now_ns() >= j->files_retry_ns;
}

int64_t qemu_journal_files_wake_at(VmmQemuJournal *j)
{
        if (j->fq_head && !j->files_paused)
                return j->failed && j->files_retry_ns < j->files_due_ns ? j->files_retry_ns
                                                                        : j->files_due_ns;
        return j->failed ? j->files_retry_ns : 0;
}

/* Takes every queued entry (or, with none, the failed ones) out of the
 * name table (locked). */
static JournalFile *files_take_batch(VmmQemuJournal *j)
{
        JournalFile *batch = j->fq_head;

        if (!batch) {
                batch = TAKE_PTR(j->failed);
                if (j->ck_stop)
                        j->files_stop_tried = true;
        }
        j->fq_head = j->fq_tail = NULL;
        for (JournalFile *f = batch; f; f = f->next) {
                xmlHashRemoveEntry(j->files, XC(f->name), NULL);
                f->failed = false;
        }
        return batch;
}

void qemu_journal_files_run_locked(VmmQemuJournal *j)
{
        JournalFile *batch, *f;
        char path[512];

        while (j->files_busy)
                pthread_cond_wait(&j->done_cond, &j->lock);
        if (!qemu_journal_files_ready(j))
                return; /* a caller's thread did them meanwhile */
        batch = files_take_batch(j);
        j->files_busy = true;
        j->files_last_ns = qemu_journal_now_ns();
        pthread_mutex_unlock(&j->lock);
        for (f = batch; f; f = f->next) {
                bool skipped = false;

                f->error = file_run(j, f, path, sizeof(path), &skipped);
                f->skipped = skipped;
                if (f->error < 0)
                        file_warn(j, path, f->error);
        }
        pthread_mutex_lock(&j->lock);
        while ((f = batch)) {
                batch = f->next;
                file_finish_locked(j, f);
        }
        files_idle_locked(j);
}

void vmm_qemu_journal_materialize_flush(VmmQemuJournal *j)
{
        pthread_mutex_lock(&j->lock);
        j->files_flushers++;
        pthread_cond_signal(&j->ck_cond);
        while (((j->fq_head && !j->files_paused) || j->files_busy) && j->thread_started &&
               !j->broken)
                pthread_cond_wait(&j->done_cond, &j->lock);
        j->files_flushers--;
        pthread_mutex_unlock(&j->lock);
}

bool vmm_qemu_journal_materialize_pending(VmmQemuJournal *j, const char *name)
{
        bool pending;

        pthread_mutex_lock(&j->lock);
        pending = xmlHashLookup(j->files, XC(name)) != NULL;
        pthread_mutex_unlock(&j->lock);
        return pending;
}

unsigned vmm_qemu_journal_materialize_take(VmmQemuJournal *j, const char *name)
{
        JournalFile *f;
        unsigned n = 0;

        pthread_mutex_lock(&j->lock);
        while (j->files_busy)
                pthread_cond_wait(&j->done_cond, &j->lock);
        f = xmlHashLookup(j->files, XC(name));
        if (f) {
                xmlHashRemoveEntry(j->files, XC(name), NULL);
                if (f->failed)
                        list_remove(&j->failed, NULL, f);
                else
                        list_remove(&j->fq_head, &j->fq_tail, f);
                n = f->records;
                file_free(f);
        }
        pthread_mutex_unlock(&j->lock);
        return n;
}

void qemu_journal_files_pause(VmmQemuJournal *j, bool pause)
{
        pthread_mutex_lock(&j->lock);
        j->files_paused = pause;
        pthread_cond_signal(&j->ck_cond);
        pthread_mutex_unlock(&j->lock);
}

static void files_hash_free(void *payload, const xmlChar *name)
{
        file_free(payload);
}

void qemu_journal_files_free(VmmQemuJournal *j)
{
        /* what is left failed: its records stay in the journal, for replay */
        if (j->files)
                xmlHashFree(j->files, files_hash_free);
        j->files = NULL;
        j->fq_head = j->fq_tail = j->failed = NULL;
        free(j->files_error_path);
        j->files_error_path = NULL;
}
