/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-journal.h: the write-ahead journal of the domain store. A define or
 * undefine is durable once its record is in the journal (one fdatasync,
 * shared by every record appended meanwhile: group commit); the
 * per-domain XML files are then written without a sync of their own. A
 * checkpoint (syncfs of the config directory's filesystem, then a new
 * journal generation) runs in the background when the journal is idle or
 * full; at start, the records of the current generation are replayed into
 * the files (the last record of each name wins over the file), before the
 * files are loaded.
 *
 * File layout (little endian): a 4 KiB head {magic "VMMJRNL\n", version,
 * crc32c, generation, capacity}, then records {magic, length, generation,
 * sequence, type, name length, crc32c, reserved, name, data}, each padded
 * to 8 bytes. A record counts only when its magic, length, generation,
 * sequence (one more than the previous) and checksum are right; replay
 * stops at the first one that is not (a torn write at the tail).
 *
 * Thread safety: append, wait and done may be called from any thread. The
 * journal has two threads of its own, started at the first append: one
 * writes and syncs records, one retries the definition files whose step
 * failed (the materializer) and checkpoints.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"

typedef struct VmmQemuJournal VmmQemuJournal;

typedef enum VmmQemuJournalType {
        VMM_QEMU_JOURNAL_DEFINE = 1,    /* data: the file's XML */
        VMM_QEMU_JOURNAL_UNDEFINE = 2,  /* the file and its autostart link are gone */
        VMM_QEMU_JOURNAL_CANCEL = 3,    /* data: the sequence (decimal) of a record
                                         * whose operation failed: undo it */
        VMM_QEMU_JOURNAL_FILE = 4,      /* the file on disk is the truth (written
                                         * durably without the journal) */
        VMM_QEMU_JOURNAL_AUTOSTART = 5, /* data: "1" (link made) or "0" (removed) */
        _VMM_QEMU_JOURNAL_TYPE_MAX,
} VmmQemuJournalType;

/* Where an appended record is: wait for `lsn`, cancel by `seq`. */
typedef struct VmmQemuJournalTicket {
        uint64_t lsn;
        uint64_t seq;
} VmmQemuJournalTicket;

/* Journal capacity (file size); records above the largest size go around
 * the journal (VMM_QEMU_JOURNAL_FILE). */
#define VMM_QEMU_JOURNAL_SIZE (8u << 20)

/*
 * Opens the journal at `path` (created, preallocated, when missing) for
 * the definitions in `config_dir`, replays its records into the files,
 * makes them durable and starts a new generation. Only one process may
 * have it open (flock; waits up to 5 s for a previous daemon to exit).
 * *ret_replayed: how many records were replayed.
 */
int vmm_qemu_journal_open(const char *path, const char *config_dir, VmmQemuJournal **ret_journal,
                          int *ret_replayed, VmmError *error);
/* Writes what is pending, checkpoints when nothing is in flight, stops the
 * journal's thread, closes. */
VmmQemuJournal *vmm_qemu_journal_free(VmmQemuJournal *j);
DEFINE_CLEANUP(VmmQemuJournal, vmm_qemu_journal_free)

/* Whether a record with `data_len` bytes of data fits in the journal. */
bool vmm_qemu_journal_fits(const VmmQemuJournal *j, size_t name_len, size_t data_len);

/* Queues a record (does not wait for the disk; waits for room when the
 * journal is full, and fails when it is full of records whose files cannot
 * be written). Every append must be followed by one
 * vmm_qemu_journal_done() once the record's file step is over, or by
 * vmm_qemu_journal_materialize(), which does the file step. */
int vmm_qemu_journal_append(VmmQemuJournal *j, VmmQemuJournalType type, const char *name,
                            const void *data, size_t data_len, VmmQemuJournalTicket *ret_ticket,
                            VmmError *error);
/* Waits until the record of `ticket` is on disk. The waiter that finds no
 * batch being written writes and syncs every pending record itself (group
 * commit without a hand-over to another thread). */
int vmm_qemu_journal_wait(VmmQemuJournal *j, const VmmQemuJournalTicket *ticket, VmmError *error);
/* Appends a CANCEL of `ticket`'s record and waits for it (its own done is
 * included). */
int vmm_qemu_journal_cancel(VmmQemuJournal *j, const char *name, const VmmQemuJournalTicket *ticket,
                            VmmError *error);
/* The file step of one appended record is over. */
void vmm_qemu_journal_done(VmmQemuJournal *j);

/*
 * The materializer: the file step of a synced record is done on the
 * caller's thread before vmm_qemu_journal_materialize() returns, without a
 * sync per file (the checkpoint's syncfs makes them durable before the
 * records are dropped); one step runs at a time, so the steps of a name
 * land in record order. A step that fails is logged (naming the file and
 * the error) and retried by the checkpoint thread; the records stay until
 * it succeeds. Steps held by tests (qemu_journal_files_pause) are queued
 * and coalesced by name (a define then an undefine of a name not on disk:
 * no file work; two defines: only the last XML is written).
 *
 * Hands over the file step of an appended record whose sync was waited
 * for (it takes the place of vmm_qemu_journal_done()): DEFINE (data: the
 * XML), UNDEFINE (file and autostart link) or AUTOSTART (data "1"/"0").
 * `absent`: no file of this name exists before this step.
 */
void vmm_qemu_journal_materialize(VmmQemuJournal *j, VmmQemuJournalType type, const char *name,
                                  const char *data, size_t len, bool absent);
/* Waits until every queued file step was tried once. */
void vmm_qemu_journal_materialize_flush(VmmQemuJournal *j);
/* Whether a file step of `name` is queued or failed (its file on disk is
 * not the current one). */
bool vmm_qemu_journal_materialize_pending(VmmQemuJournal *j, const char *name);
/* Withdraws the queued or failed file steps of `name` (after waiting for
 * a batch being written): returns how many records they held, each of
 * which the caller must finish with vmm_qemu_journal_done(). */
unsigned vmm_qemu_journal_materialize_take(VmmQemuJournal *j, const char *name);

/* Blocks until every record is checkpointed (the files are durable and the
 * journal is empty). For tests and orderly stops. */
int vmm_qemu_journal_checkpoint(VmmQemuJournal *j, VmmError *error);

/* Statistics, for tests and benchmarks. */
typedef struct VmmQemuJournalStats {
        uint64_t records;     /* appended since open */
        uint64_t syncs;       /* fdatasyncs of records */
        uint64_t sync_ns;     /* time spent writing and syncing records */
        uint64_t checkpoints; /* generations started */
        uint64_t generation;
        size_t used;            /* bytes of records in the current generation */
        uint64_t files_written; /* definition files written by the materializer */
        uint64_t files_removed; /* and removed (file steps that did something) */
        uint64_t files_skipped; /* file steps coalesced away */
        uint64_t files_failed;  /* failed attempts */
} VmmQemuJournalStats;
void vmm_qemu_journal_stats(VmmQemuJournal *j, VmmQemuJournalStats *ret);

/* CRC-32C (Castagnoli) of `len` bytes, continuing from `crc` (0 to start). */
uint32_t vmm_qemu_crc32c(uint32_t crc, const void *data, size_t len);
