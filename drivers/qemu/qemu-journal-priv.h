/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-journal-priv.h: the journal's on-disk format, shared by the
 * journal (qemu-journal.c) and its replay (qemu-journal-replay.c). */
#pragma once

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
