/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-journal-priv.h: the journal's on-disk format, shared by the
 * journal (qemu-journal.c) and its replay (qemu-journal-replay.c). */
#pragma once

#include <libxml/hash.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "qemu-journal.h"

#define JOURNAL_MAGIC "VMMJRNL\n"
#define JOURNAL_VERSION 1u
#define JOURNAL_RECORD_MAGIC 0x314a4d56u /* "VMJ1" */
#define JOURNAL_DATA_START 4096u
#define JOURNAL_ALIGN(n) (((n) + 7u) & ~(size_t)7u)

/* The head of the file (little endian on disk). */
typedef struct JournalHead {
        char magic[8];
        uint32_t version;
        uint32_t crc; /* of the head with this field 0 */
        uint64_t generation;
        uint64_t capacity;
} JournalHead;

/* A record's fixed part (little endian on disk); name and data follow. */
typedef struct JournalRecord {
        uint32_t magic;
        uint32_t length; /* fixed part + name + data, without padding */
        uint64_t generation;
        uint64_t sequence; /* 1, 2, ... within a generation */
        uint32_t type;
        uint32_t name_length;
        uint32_t crc; /* crc32c(crc32c(0, name + data), fixed part with crc 0) */
        uint32_t reserved;
} JournalRecord;

/* Room kept for CANCEL records, so an operation holding a record can
 * always cancel it even when the journal is full. */
#define JOURNAL_RESERVE (64u << 10)
/* A journal with records and no activity for this long is checkpointed. */
#define JOURNAL_IDLE_NS (500 * 1000000LL)
/* Batches of queued file steps (held by tests, then let go) start at
 * least this far apart; a caller's step runs at once on its own thread. */
#define JOURNAL_FILES_DELAY_NS (2 * 1000000LL)
/* A file step that failed is tried again after this long (or at stop). */
#define JOURNAL_FILES_RETRY_NS (1000 * 1000000LL)

typedef struct JournalFile JournalFile;

struct VmmQemuJournal {
        char *path;
        int fd;
        int config_fd; /* the definitions' directory: syncfs, fsync */
        uint64_t capacity;
        pthread_mutex_t lock;
        pthread_cond_t work_cond; /* the writer: records to write, stop */
        pthread_cond_t ck_cond;   /* the checkpointer: due, stop (monotonic clock) */
        pthread_cond_t done_cond; /* waiters: synced, room, checkpointed */
        pthread_t thread, ck_thread;
        bool thread_started;
        bool flushing; /* a thread writes and syncs a batch (unlocked) */
        bool stop, ck_stop;
        int broken; /* negative errno once a write or sync failed */
        const char *broken_what;
        uint64_t generation;
        uint64_t next_seq;
        uint64_t head; /* file offset of the next record */
        char *pend;    /* records not yet written, at file offset pend_off */
        size_t pend_len, pend_cap;
        uint64_t pend_off;
        char *io; /* the batch the writer is writing */
        size_t io_cap;
        uint64_t appended_lsn, synced_lsn;
        unsigned inflight;     /* appended records whose file step is not over */
        unsigned room_waiters; /* appenders waiting for a checkpoint */
        unsigned ck_waiters;   /* vmm_qemu_journal_checkpoint() callers */
        int64_t last_append_ns;
        VmmQemuJournalStats stats;
        /* the materializer (qemu-journal-files.c), run by the checkpointer */
        char *config_dir;
        int autostart_fd;               /* <config>/autostart, opened at first use */
        xmlHashTablePtr files;          /* name -> JournalFile, queued or failed */
        JournalFile *fq_head, *fq_tail; /* queued, in arrival order */
        JournalFile *failed;            /* failed, retried at the next checkpoint */
        bool files_busy;                /* a batch is being written (unlocked) */
        unsigned files_flushers;        /* vmm_qemu_journal_materialize_flush() callers */
        int64_t files_due_ns;           /* when the queued steps are written */
        int64_t files_last_ns;          /* when the last batch started */
        bool files_stop_tried;          /* the failed ones were retried at stop */
        int64_t files_retry_ns;         /* when the failed ones may be tried again */
        bool files_paused;              /* tests: hold the queued steps (coalescing) */
        int files_error;                /* the last failure, for the error of a full journal */
        char *files_error_path;
};

_Static_assert(sizeof(JournalHead) == 32, "journal head layout");
_Static_assert(sizeof(JournalRecord) == 40, "journal record layout");

/* The head for `generation`, encoded; and decoded (false when invalid). */
void qemu_journal_head_encode(JournalHead *h, uint64_t generation, uint64_t capacity);
bool qemu_journal_head_decode(const JournalHead *h, uint64_t *ret_generation,
                              uint64_t *ret_capacity);

/* The record's checksum over its decoded fixed part and payload. */
uint32_t qemu_journal_record_crc(const JournalRecord *le_rec, const void *payload, size_t len);

/* Applies the records of `generation` in `fd` to the files of
 * `config_dir` (the last record of each name wins), removes the temporary
 * files a crash left there, and makes the result durable. */
int qemu_journal_replay(int fd, uint64_t generation, uint64_t capacity, const char *config_dir,
                        int *ret_replayed, VmmError *error);

/* vmm_qemu_journal_open() with another capacity (tests: a journal that
 * fills up). At least 4 * 64 KiB + 4 KiB. */
int qemu_journal_open_sized(const char *path, const char *config_dir, uint64_t capacity,
                            VmmQemuJournal **ret_journal, int *ret_replayed, VmmError *error);

/* Monotonic clock, ns. */
int64_t qemu_journal_now_ns(void);
/* Marks the journal unusable (locked). */
void qemu_journal_set_broken(VmmQemuJournal *j, int r, const char *what);
/* Records whose file step is over (locked). */
void qemu_journal_done_locked(VmmQemuJournal *j, unsigned n);

/* The materializer (qemu-journal-files.c), all called locked. Whether a
 * batch of file steps is ready to be written; writing one (unlocks while
 * writing); when the thread must wake for them (0: no need); freeing
 * what is left at close. */
bool qemu_journal_files_ready(VmmQemuJournal *j);
void qemu_journal_files_run_locked(VmmQemuJournal *j);
int64_t qemu_journal_files_wake_at(VmmQemuJournal *j);
void qemu_journal_files_free(VmmQemuJournal *j);
/* Tests: holds (or lets go) the queued file steps, to see them coalesce. */
void qemu_journal_files_pause(VmmQemuJournal *j, bool pause);
