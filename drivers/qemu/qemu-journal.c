/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-journal.c: the domain store's write-ahead journal (see
 * qemu-journal.h): appending records, writing and syncing them in
 * batches (group commit, done by the first waiter; a writer thread only
 * writes what is left at stop), and the thread that writes the definition
 * files behind the records and checkpoints (so a slow syncfs never holds
 * up the records' syncs). Replay at open is in qemu-journal-replay.c, the
 * file steps in qemu-journal-files.c.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qemu-journal-priv.h"
#include "util/error.h"
#include "util/fileutil.h"

/* The niceness of the thread that writes the files and checkpoints. */
#define JOURNAL_FILES_NICE 10

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
        for (uint32_t i = 0; i < 256; i++) {
                uint32_t c = i;

                for (int k = 0; k < 8; k++)
                        c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
                crc_table[i] = c;
        }
}

uint32_t vmm_qemu_crc32c(uint32_t crc, const void *data, size_t len)
{
        const uint8_t *p = data;

        pthread_once(&crc_once, crc_init);
        crc = ~crc;
        while (len--)
                crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
        return ~crc;
}

void qemu_journal_head_encode(JournalHead *h, uint64_t generation, uint64_t capacity)
{
        memset(h, 0, sizeof(*h));
        memcpy(h->magic, JOURNAL_MAGIC, sizeof(h->magic));
        h->version = htole32(JOURNAL_VERSION);
        h->generation = htole64(generation);
        h->capacity = htole64(capacity);
        h->crc = htole32(vmm_qemu_crc32c(0, h, sizeof(*h)));
}

bool qemu_journal_head_decode(const JournalHead *h, uint64_t *ret_generation,
                              uint64_t *ret_capacity)
{
        JournalHead copy = *h;

        copy.crc = 0;
        if (memcmp(h->magic, JOURNAL_MAGIC, sizeof(h->magic)) != 0 ||
            le32toh(h->version) != JOURNAL_VERSION ||
            le32toh(h->crc) != vmm_qemu_crc32c(0, &copy, sizeof(copy)))
                return false;
        *ret_generation = le64toh(h->generation);
        *ret_capacity = le64toh(h->capacity);
        return *ret_capacity > JOURNAL_DATA_START;
}

uint32_t qemu_journal_record_crc(const JournalRecord *le_rec, const void *payload, size_t len)
{
        JournalRecord copy = *le_rec;

        copy.crc = 0;
        return vmm_qemu_crc32c(vmm_qemu_crc32c(0, payload, len), &copy, sizeof(copy));
}

int64_t qemu_journal_now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A new generation: the head is rewritten and synced (records of older
 * generations that follow it no longer count). */
static int journal_head_write(VmmQemuJournal *j, uint64_t generation)
{
        JournalHead h;
        int r;

        qemu_journal_head_encode(&h, generation, j->capacity);
        r = vmm_fd_write_all(j->fd, &h, sizeof(h), 0);
        if (r >= 0 && fdatasync(j->fd) < 0)
                r = -errno;
        if (r < 0)
                return r;
        j->generation = generation;
        j->next_seq = 1;
        j->head = JOURNAL_DATA_START;
        j->pend_off = JOURNAL_DATA_START;
        return 0;
}

void qemu_journal_set_broken(VmmQemuJournal *j, int r, const char *what)
{
        if (!j->broken) {
                j->broken = r;
                j->broken_what = what;
        }
        pthread_cond_broadcast(&j->done_cond);
}

/* Writes and syncs the pending records (called and returns locked). */
static void journal_flush_locked(VmmQemuJournal *j)
{
        uint64_t off = j->pend_off, end_lsn = j->appended_lsn;
        int64_t start = qemu_journal_now_ns();
        size_t len = j->pend_len, cap = j->pend_cap;
        char *buf = j->pend;
        int r;

        j->flushing = true;
        j->pend = j->io;
        j->pend_cap = j->io_cap;
        j->pend_len = 0;
        j->pend_off = off + len;
        j->io = buf;
        j->io_cap = cap;
        pthread_mutex_unlock(&j->lock);
        r = vmm_fd_write_all(j->fd, buf, len, (int64_t)off);
        if (r >= 0 && fdatasync(j->fd) < 0)
                r = -errno;
        pthread_mutex_lock(&j->lock);
        j->stats.sync_ns += (uint64_t)(qemu_journal_now_ns() - start);
        j->flushing = false;
        if (r < 0) {
                qemu_journal_set_broken(j, r, "write");
                return;
        }
        j->synced_lsn = end_lsn;
        j->stats.syncs++;
        pthread_cond_broadcast(&j->done_cond);
        if (j->inflight == 0)
                pthread_cond_signal(&j->ck_cond);
}

static bool journal_checkpoint_due(VmmQemuJournal *j)
{
        if (j->head == JOURNAL_DATA_START || j->inflight > 0 || j->pend_len > 0 ||
            j->synced_lsn != j->appended_lsn || j->broken)
                return false;
        return j->ck_stop || j->room_waiters > 0 || j->ck_waiters > 0 ||
               qemu_journal_now_ns() - j->last_append_ns >= JOURNAL_IDLE_NS;
}

/* Makes every file written so far durable, then starts a new generation
 * unless records came meanwhile (called and returns locked). */
static void journal_checkpoint_locked(VmmQemuJournal *j)
{
        uint64_t start_lsn = j->appended_lsn;
        int r = 0;

        pthread_mutex_unlock(&j->lock);
        if (syncfs(j->config_fd) < 0 || fsync(j->config_fd) < 0)
                r = -errno;
        pthread_mutex_lock(&j->lock);
        if (r < 0) {
                qemu_journal_set_broken(j, r, "sync the definitions of");
                return;
        }
        if (j->appended_lsn == start_lsn && j->synced_lsn == start_lsn && j->inflight == 0 &&
            j->pend_len == 0) {
                r = journal_head_write(j, j->generation + 1);
                if (r < 0) {
                        qemu_journal_set_broken(j, r, "start a new generation in");
                        return;
                }
                j->stats.checkpoints++;
        }
        pthread_cond_broadcast(&j->done_cond);
}

/* The checkpointer sleeps until a checkpoint may be due (idle deadline),
 * or file steps are (a batch's start, a retry). */
static void journal_wait_checkpoint(VmmQemuJournal *j)
{
        int64_t deadline, files = qemu_journal_files_wake_at(j);
        struct timespec ts;

        if (j->head == JOURNAL_DATA_START || j->inflight > 0 || j->broken) {
                if (files == 0 || j->broken) {
                        pthread_cond_wait(&j->ck_cond, &j->lock);
                        return;
                }
                deadline = files; /* a batch of file steps, or a retry */
        } else {
                deadline = j->last_append_ns + JOURNAL_IDLE_NS + 1000000;
        }
        ts.tv_sec = (time_t)(deadline / 1000000000LL);
        ts.tv_nsec = (long)(deadline % 1000000000LL);
        pthread_cond_timedwait(&j->ck_cond, &j->lock, &ts);
}

/* Writes what is still pending at stop (while running, the waiters write
 * and sync their batches themselves: vmm_qemu_journal_wait()). */
static void *journal_writer(void *userdata)
{
        VmmQemuJournal *j = userdata;

        pthread_mutex_lock(&j->lock);
        for (;;) {
                if (j->pend_len > 0 && !j->broken && !j->flushing)
                        journal_flush_locked(j);
                else if (j->stop)
                        break;
                else
                        pthread_cond_wait(&j->work_cond, &j->lock);
        }
        pthread_mutex_unlock(&j->lock);
        return NULL;
}

/* Writes the definition files behind the records (the materializer), and
 * checkpoints when the journal is idle, full, asked for, or stopping. */
static void *journal_checkpointer(void *userdata)
{
        VmmQemuJournal *j = userdata;

        /* behind the records, not in their way: the threads that reply to
         * clients get the CPU first (Linux nice is per thread) */
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), JOURNAL_FILES_NICE);
        pthread_mutex_lock(&j->lock);
        for (;;) {
                if (qemu_journal_files_ready(j))
                        qemu_journal_files_run_locked(j);
                else if (journal_checkpoint_due(j))
                        journal_checkpoint_locked(j);
                else if (j->ck_stop)
                        break;
                else
                        journal_wait_checkpoint(j);
        }
        pthread_mutex_unlock(&j->lock);
        return NULL;
}

static int journal_start_thread(VmmQemuJournal *j, VmmError *error)
{
        pthread_attr_t attr;
        int r;

        if (j->thread_started)
                return 0;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 256u << 10);
        r = -pthread_create(&j->thread, &attr, journal_writer, j);
        if (r == 0) {
                r = -pthread_create(&j->ck_thread, &attr, journal_checkpointer, j);
                if (r < 0) {
                        j->stop = true;
                        pthread_cond_signal(&j->work_cond);
                        pthread_mutex_unlock(&j->lock);
                        pthread_join(j->thread, NULL);
                        pthread_mutex_lock(&j->lock);
                        j->stop = false;
                }
        }
        pthread_attr_destroy(&attr);
        if (r < 0)
                return vmm_error_set_errno(error, r, "journal \"%s\": cannot start its threads",
                                           j->path);
        j->thread_started = true;
        return 0;
}

static int journal_broken_error(const VmmQemuJournal *j, VmmError *error)
{
        return vmm_error_set_errno(error, j->broken,
                                   "journal \"%s\": an earlier attempt to %s it "
                                   "failed, no change is accepted until the daemon restarts",
                                   j->path, j->broken_what);
}

bool vmm_qemu_journal_fits(const VmmQemuJournal *j, size_t name_len, size_t data_len)
{
        size_t max = j->capacity - JOURNAL_DATA_START - 2 * JOURNAL_RESERVE;

        return name_len < max && data_len < max &&
               JOURNAL_ALIGN(sizeof(JournalRecord) + name_len + data_len) <= max;
}

static int journal_reserve_locked(VmmQemuJournal *j, size_t need, VmmError *error)
{
        size_t cap;

        if (j->pend_len + need <= j->pend_cap)
                return 0;
        cap = j->pend_cap ? j->pend_cap : 64u << 10;
        while (cap < j->pend_len + need)
                cap *= 2;
        char *p = realloc(j->pend, cap);
        if (!p)
                return vmm_error_oom(error);
        j->pend = p;
        j->pend_cap = cap;
        return 0;
}

/* Waits until the record fits (appenders other than CANCEL leave the
 * reserve free); called and returns locked. */
static int journal_wait_room_locked(VmmQemuJournal *j, size_t size, bool cancel, VmmError *error)
{
        size_t keep = cancel ? 0 : JOURNAL_RESERVE;

        while (!j->broken && j->head + size + keep > j->capacity) {
                if (j->failed && j->files_error)
                        return vmm_error_set_errno(
                            error, j->files_error,
                            "journal \"%s\" is full and definition file \"%s\" cannot be "
                            "written; no change is accepted until it can",
                            j->path, j->files_error_path ? j->files_error_path : "?");
                j->room_waiters++;
                pthread_cond_signal(&j->ck_cond);
                pthread_cond_wait(&j->done_cond, &j->lock);
                j->room_waiters--;
        }
        return j->broken ? journal_broken_error(j, error) : 0;
}

int vmm_qemu_journal_append(VmmQemuJournal *j, VmmQemuJournalType type, const char *name,
                            const void *data, size_t data_len, VmmQemuJournalTicket *ret_ticket,
                            VmmError *error)
{
        size_t name_len = strlen(name), len = sizeof(JournalRecord) + name_len + data_len;
        size_t size = JOURNAL_ALIGN(len);
        uint32_t payload_crc;
        JournalRecord rec;
        char *p;
        int r;

        if (!vmm_qemu_journal_fits(j, name_len, data_len))
                return vmm_error_set(error, -EFBIG, VMM_ERR_INTERNAL,
                                     "journal \"%s\": a record of %zu bytes does not fit", j->path,
                                     len);
        payload_crc = vmm_qemu_crc32c(vmm_qemu_crc32c(0, name, name_len), data, data_len);
        pthread_mutex_lock(&j->lock);
        r = journal_wait_room_locked(j, size, type == VMM_QEMU_JOURNAL_CANCEL, error);
        if (r >= 0)
                r = journal_reserve_locked(j, size, error);
        if (r >= 0)
                r = journal_start_thread(j, error);
        if (r < 0) {
                pthread_mutex_unlock(&j->lock);
                return r;
        }
        rec = (JournalRecord){
            .magic = htole32(JOURNAL_RECORD_MAGIC),
            .length = htole32((uint32_t)len),
            .generation = htole64(j->generation),
            .sequence = htole64(j->next_seq),
            .type = htole32((uint32_t)type),
            .name_length = htole32((uint32_t)name_len),
        };
        rec.crc = htole32(vmm_qemu_crc32c(payload_crc, &rec, sizeof(rec)));
        p = j->pend + j->pend_len;
        memcpy(p, &rec, sizeof(rec));
        memcpy(p + sizeof(rec), name, name_len);
        if (data_len)
                memcpy(p + sizeof(rec) + name_len, data, data_len);
        memset(p + len, 0, size - len);
        ret_ticket->seq = j->next_seq++;
        j->pend_len += size;
        j->head += size;
        j->appended_lsn += size;
        ret_ticket->lsn = j->appended_lsn;
        j->inflight++;
        j->stats.records++;
        j->last_append_ns = qemu_journal_now_ns();
        /* no wake-up of the writer: the waiter writes (see below) */
        pthread_mutex_unlock(&j->lock);
        return 0;
}

int vmm_qemu_journal_wait(VmmQemuJournal *j, const VmmQemuJournalTicket *ticket, VmmError *error)
{
        int r = 0;

        /* Group commit without a thread hop: the first waiter that finds
         * no batch being written writes and syncs every pending record
         * itself; the others wait for it, and one of those left behind
         * writes the next batch. */
        pthread_mutex_lock(&j->lock);
        while (j->synced_lsn < ticket->lsn && !j->broken) {
                if (!j->flushing && j->pend_len > 0)
                        journal_flush_locked(j);
                else
                        pthread_cond_wait(&j->done_cond, &j->lock);
        }
        if (j->synced_lsn < ticket->lsn)
                r = journal_broken_error(j, error);
        pthread_mutex_unlock(&j->lock);
        return r;
}

void qemu_journal_done_locked(VmmQemuJournal *j, unsigned n)
{
        j->inflight = j->inflight > n ? j->inflight - n : 0;
        if (j->inflight == 0)
                pthread_cond_signal(&j->ck_cond);
}

void vmm_qemu_journal_done(VmmQemuJournal *j)
{
        pthread_mutex_lock(&j->lock);
        qemu_journal_done_locked(j, 1);
        pthread_mutex_unlock(&j->lock);
}

int vmm_qemu_journal_cancel(VmmQemuJournal *j, const char *name, const VmmQemuJournalTicket *ticket,
                            VmmError *error)
{
        VmmQemuJournalTicket t;
        char seq[32];
        int r;

        snprintf(seq, sizeof(seq), "%llu", (unsigned long long)ticket->seq);
        r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_CANCEL, name, seq, strlen(seq), &t, error);
        if (r < 0)
                return r;
        r = vmm_qemu_journal_wait(j, &t, error);
        vmm_qemu_journal_done(j);
        return r;
}

int vmm_qemu_journal_checkpoint(VmmQemuJournal *j, VmmError *error)
{
        int r = 0;

        pthread_mutex_lock(&j->lock);
        if (j->head > JOURNAL_DATA_START)
                r = journal_start_thread(j, error);
        j->ck_waiters++;
        pthread_cond_signal(&j->ck_cond);
        while (r >= 0 && !j->broken && j->head > JOURNAL_DATA_START)
                pthread_cond_wait(&j->done_cond, &j->lock);
        j->ck_waiters--;
        if (r >= 0 && j->broken)
                r = journal_broken_error(j, error);
        pthread_mutex_unlock(&j->lock);
        return r;
}

void vmm_qemu_journal_stats(VmmQemuJournal *j, VmmQemuJournalStats *ret)
{
        pthread_mutex_lock(&j->lock);
        *ret = j->stats;
        ret->generation = j->generation;
        ret->used = (size_t)(j->head - JOURNAL_DATA_START);
        pthread_mutex_unlock(&j->lock);
}

VmmQemuJournal *vmm_qemu_journal_free(VmmQemuJournal *j)
{
        if (!j)
                return NULL;
        if (j->thread_started) {
                /* the writer writes what is pending, then the checkpointer
                 * makes it a checkpoint */
                pthread_mutex_lock(&j->lock);
                j->stop = true;
                pthread_cond_signal(&j->work_cond);
                pthread_mutex_unlock(&j->lock);
                pthread_join(j->thread, NULL);
                pthread_mutex_lock(&j->lock);
                j->ck_stop = true;
                pthread_cond_signal(&j->ck_cond);
                pthread_mutex_unlock(&j->lock);
                pthread_join(j->ck_thread, NULL);
        }
        pthread_mutex_destroy(&j->lock);
        pthread_cond_destroy(&j->work_cond);
        pthread_cond_destroy(&j->ck_cond);
        pthread_cond_destroy(&j->done_cond);
        if (j->fd >= 0)
                close(j->fd);
        qemu_journal_files_free(j);
        if (j->config_fd >= 0)
                close(j->config_fd);
        if (j->autostart_fd >= 0)
                close(j->autostart_fd);
        free(j->config_dir);
        free(j->pend);
        free(j->io);
        free(j->path);
        free(j);
        return NULL;
}

/* Another daemon may still be exiting (its last checkpoint): wait up to
 * 5 s for its lock. */
static int journal_lock(VmmQemuJournal *j, VmmError *error)
{
        for (int i = 0; i < 500; i++) {
                if (flock(j->fd, LOCK_EX | LOCK_NB) == 0)
                        return 0;
                if (errno != EWOULDBLOCK && errno != EINTR)
                        break;
                usleep(10000);
        }
        return vmm_error_set_errno(error, errno == EWOULDBLOCK ? -EBUSY : -errno,
                                   "journal \"%s\" is locked (is another vmm-qemud using the "
                                   "same directories?)",
                                   j->path);
}

static int journal_new(const char *path, const char *config_dir, uint64_t capacity,
                       VmmQemuJournal **ret, VmmError *error)
{
        VmmQemuJournal *j = calloc(1, sizeof(*j));
        pthread_condattr_t attr;

        if (!j)
                return vmm_error_oom(error);
        j->fd = j->config_fd = j->autostart_fd = -1;
        j->capacity = capacity;
        pthread_mutex_init(&j->lock, NULL);
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&j->ck_cond, &attr);
        pthread_condattr_destroy(&attr);
        pthread_cond_init(&j->work_cond, NULL);
        pthread_cond_init(&j->done_cond, NULL);
        *ret = j;
        j->path = strdup(path);
        j->config_dir = strdup(config_dir);
        j->files = xmlHashCreate(64);
        if (!j->path || !j->config_dir || !j->files)
                return vmm_error_oom(error);
        j->config_fd = open(config_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (j->config_fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open directory \"%s\"",
                                           config_dir);
        return 0;
}

/* Writes zeros up to the capacity: blocks written once, so a record's
 * fdatasync never has to convert an unwritten extent (posix_fallocate
 * leaves them unwritten) or allocate. */
static int journal_fill(VmmQemuJournal *j, uint64_t from)
{
        _cleanup_free_ char *zeros = calloc(1, 64u << 10);
        int r;

        if (!zeros)
                return -ENOMEM;
        r = posix_fallocate(j->fd, 0, (off_t)j->capacity);
        if (r != 0)
                return -r;
        for (uint64_t off = from; off < j->capacity; off += 64u << 10) {
                size_t n =
                    j->capacity - off < (64u << 10) ? (size_t)(j->capacity - off) : 64u << 10;

                r = vmm_fd_write_all(j->fd, zeros, n, (int64_t)off);
                if (r < 0)
                        return r;
        }
        return fdatasync(j->fd) < 0 ? -errno : 0;
}

/* Opens or creates the file, preallocated; *ret_created tells a new one. */
static int journal_open_file(VmmQemuJournal *j, bool *ret_created, VmmError *error)
{
        struct stat st;
        int r;

        j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (j->fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open journal \"%s\"", j->path);
        r = journal_lock(j, error);
        if (r < 0)
                return r;
        if (fstat(j->fd, &st) < 0)
                return vmm_error_set_errno(error, -errno, "cannot stat journal \"%s\"", j->path);
        *ret_created = st.st_size == 0;
        if ((uint64_t)st.st_size < j->capacity) {
                r = journal_fill(j, (uint64_t)st.st_size);
                if (r < 0)
                        return vmm_error_set_errno(error, r,
                                                   "cannot allocate %llu bytes for journal \"%s\"",
                                                   (unsigned long long)j->capacity, j->path);
        }
        return 0;
}

/* How far records of the last generation may go: its capacity, within
 * the file. */
static uint64_t journal_file_size(VmmQemuJournal *j, uint64_t head_capacity)
{
        struct stat st;

        if (fstat(j->fd, &st) < 0)
                return j->capacity < head_capacity ? j->capacity : head_capacity;
        return (uint64_t)st.st_size < head_capacity ? (uint64_t)st.st_size : head_capacity;
}

static int journal_fsync_parent(const char *path, VmmError *error)
{
        _cleanup_free_ char *dir = strdup(path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        _cleanup_close_ int fd = -1;

        if (!dir)
                return vmm_error_oom(error);
        if (slash)
                *slash = '\0';
        fd = open(slash && *dir ? dir : (slash ? "/" : "."), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) < 0)
                return vmm_error_set_errno(error, -errno, "cannot sync the directory of \"%s\"",
                                           path);
        return 0;
}

int qemu_journal_open_sized(const char *path, const char *config_dir, uint64_t capacity,
                            VmmQemuJournal **ret_journal, int *ret_replayed, VmmError *error)
{
        _cleanup_(vmm_qemu_journal_freep) VmmQemuJournal *j = NULL;
        uint64_t generation = 0, head_capacity = 0;
        bool created = false;
        int r, n = 0;
        JournalHead h;

        if (capacity < JOURNAL_DATA_START + 4 * JOURNAL_RESERVE)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "journal \"%s\": %llu bytes is too small", path,
                                     (unsigned long long)capacity);
        r = journal_new(path, config_dir, capacity, &j, error);
        if (r >= 0)
                r = journal_open_file(j, &created, error);
        if (r < 0)
                return r;
        if (!created && pread(j->fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
            qemu_journal_head_decode(&h, &generation, &head_capacity)) {
                r = qemu_journal_replay(j->fd, generation, journal_file_size(j, head_capacity),
                                        config_dir, &n, error);
                if (r < 0)
                        return vmm_error_prefix(error, r, "journal \"%s\": ", path);
        } else if (getrandom(&generation, sizeof(generation), 0) != sizeof(generation)) {
                generation = (uint64_t)qemu_journal_now_ns();
        }
        r = journal_head_write(j, generation + 1);
        if (r < 0)
                return vmm_error_set_errno(error, r, "cannot write journal \"%s\"", path);
        if (created) {
                r = journal_fsync_parent(path, error);
                if (r < 0)
                        return r;
        }
        j->last_append_ns = qemu_journal_now_ns();
        *ret_replayed = n;
        *ret_journal = TAKE_PTR(j);
        return 0;
}

int vmm_qemu_journal_open(const char *path, const char *config_dir, VmmQemuJournal **ret_journal,
                          int *ret_replayed, VmmError *error)
{
        return qemu_journal_open_sized(path, config_dir, VMM_QEMU_JOURNAL_SIZE, ret_journal,
                                       ret_replayed, error);
}
