/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-journal-replay.c: at start, the journal's records of the current
 * generation are applied to the definition files, in order: the last
 * record of each name decides its file (written, or removed with its
 * autostart link); a CANCEL undoes the record it names. Reading stops at
 * the first record that is not whole (torn tail). An AUTOSTART record
 * decides the name's autostart link. The files written are
 * then made durable, and temporary files a crash left behind are removed.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/hash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-journal-priv.h"
#include "util/error.h"
#include "util/fileutil.h"

#define XC(s) ((const xmlChar *)(s))

typedef enum ReplayState {
        REPLAY_UNTOUCHED, /* the file on disk stands */
        REPLAY_DEFINED,
        REPLAY_UNDEFINED,
} ReplayState;

typedef enum ReplayLink {
        LINK_UNTOUCHED, /* the autostart link on disk stands */
        LINK_ON,
        LINK_OFF,
} ReplayLink;

typedef struct ReplayEntry {
        ReplayState state, prev_state;
        ReplayLink link, prev_link;
        char *xml, *prev_xml;
        size_t len, prev_len;
        uint64_t seq;
} ReplayEntry;

static void replay_entry_free(void *payload, const xmlChar *name)
{
        ReplayEntry *e = payload;

        free(e->xml);
        free(e->prev_xml);
        free(e);
}

/* Reads the record at `off`; returns its padded size, 0 at the end. */
static size_t replay_read(int fd, uint64_t off, uint64_t capacity, uint64_t generation,
                          uint64_t seq, JournalRecord *ret_rec, char **ret_payload)
{
        JournalRecord rec;
        size_t len, plen;
        char *payload;

        if (off + sizeof(rec) > capacity ||
            pread(fd, &rec, sizeof(rec), (off_t)off) != (ssize_t)sizeof(rec))
                return 0;
        len = le32toh(rec.length);
        if (le32toh(rec.magic) != JOURNAL_RECORD_MAGIC || le64toh(rec.generation) != generation ||
            le64toh(rec.sequence) != seq || len < sizeof(rec) || off + len > capacity ||
            le32toh(rec.name_length) > len - sizeof(rec) || le32toh(rec.name_length) == 0 ||
            le32toh(rec.type) == 0 || le32toh(rec.type) >= _VMM_QEMU_JOURNAL_TYPE_MAX)
                return 0;
        plen = len - sizeof(rec);
        payload = malloc(plen + 1);
        if (!payload)
                return 0;
        if (pread(fd, payload, plen, (off_t)(off + sizeof(rec))) != (ssize_t)plen ||
            le32toh(rec.crc) != qemu_journal_record_crc(&rec, payload, plen)) {
                free(payload);
                return 0;
        }
        payload[plen] = '\0';
        *ret_rec = rec;
        *ret_payload = payload;
        return JOURNAL_ALIGN(len);
}

/* Applies one record to the name's entry (takes `payload`). */
static int replay_apply(xmlHashTablePtr names, const JournalRecord *rec, char *payload)
{
        size_t name_len = le32toh(rec->name_length);
        size_t data_len = le32toh(rec->length) - sizeof(*rec) - name_len;
        uint32_t type = le32toh(rec->type);
        _cleanup_free_ char *name = strndup(payload, name_len);
        ReplayEntry *e;

        if (!name) {
                free(payload);
                return -ENOMEM;
        }
        e = xmlHashLookup(names, XC(name));
        if (!e) {
                e = calloc(1, sizeof(*e));
                if (!e || xmlHashAddEntry(names, XC(name), e) < 0) {
                        free(e);
                        free(payload);
                        return -ENOMEM;
                }
        }
        if (type == VMM_QEMU_JOURNAL_CANCEL) {
                /* undo the record named, when it is this name's last */
                if (strtoull(payload + name_len, NULL, 10) == e->seq) {
                        free(e->xml);
                        e->state = e->prev_state;
                        e->link = e->prev_link;
                        e->xml = TAKE_PTR(e->prev_xml);
                        e->len = e->prev_len;
                        e->seq = 0;
                }
                free(payload);
                return 0;
        }
        free(e->prev_xml);
        e->prev_state = e->state;
        e->prev_link = e->link;
        e->prev_xml = e->state == REPLAY_DEFINED ? strndup(e->xml, e->len) : NULL;
        e->prev_len = e->len;
        e->seq = le64toh(rec->sequence);
        if (type == VMM_QEMU_JOURNAL_AUTOSTART) {
                /* the file stays as the records before left it */
                e->link = data_len == 1 && payload[name_len] == '1' ? LINK_ON : LINK_OFF;
                free(payload);
                return e->state == REPLAY_DEFINED && !e->prev_xml ? -ENOMEM : 0;
        }
        free(e->xml);
        e->xml = NULL;
        if (type == VMM_QEMU_JOURNAL_UNDEFINE)
                e->link = LINK_OFF;
        e->state = type == VMM_QEMU_JOURNAL_DEFINE     ? REPLAY_DEFINED
                   : type == VMM_QEMU_JOURNAL_UNDEFINE ? REPLAY_UNDEFINED
                                                       : REPLAY_UNTOUCHED;
        if (e->state == REPLAY_DEFINED) {
                memmove(payload, payload + name_len, data_len);
                payload[data_len] = '\0';
                e->xml = payload;
                e->len = data_len;
        } else {
                free(payload);
        }
        return 0;
}

/* Whether the file at `path` has exactly `len` bytes `data`. */
static bool file_holds(const char *path, const char *data, size_t len)
{
        _cleanup_free_ char *have = NULL;
        size_t have_len = 0;

        return vmm_file_read_all(path, len + 1, &have, &have_len, NULL) >= 0 && have_len == len &&
               memcmp(have, data, len) == 0;
}

typedef struct ReplayWrite {
        const char *config_dir;
        int r;
        VmmError *error;
} ReplayWrite;

/* Writes one name's file through a temporary file (no sync: the caller
 * syncs them all). */
static int replay_write_file(const char *path, const ReplayEntry *e, VmmError *error)
{
        _cleanup_free_ char *tmp = NULL;
        int fd, r = 0;

        if (file_holds(path, e->xml, e->len))
                return 0; /* written before the crash, only its sync may be missing */
        if (asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0) {
                tmp = NULL;
                return vmm_error_oom(error);
        }
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot create \"%s\"", tmp);
        if (write(fd, e->xml, e->len) != (ssize_t)e->len)
                r = -(errno ? errno : EIO);
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                unlink(tmp);
                return vmm_error_set_errno(error, r, "cannot write \"%s\"", path);
        }
        return 0;
}

/* Makes the autostart link as the last autostart record left it. */
static int replay_link(const char *config_dir, const char *name, const char *link, bool on,
                       VmmError *error)
{
        _cleanup_free_ char *dir = NULL, *target = NULL;

        if (!on)
                return unlink(link) < 0 && errno != ENOENT
                           ? vmm_error_set_errno(error, -errno, "cannot remove \"%s\"", link)
                           : 0;
        if (asprintf(&dir, "%s/autostart", config_dir) < 0 ||
            asprintf(&target, "../%s.xml", name) < 0) {
                dir = target = NULL;
                return vmm_error_oom(error);
        }
        if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
            (symlink(target, link) < 0 && errno != EEXIST))
                return vmm_error_set_errno(error, -errno, "cannot create \"%s\"", link);
        return 0;
}

/* Writes (or removes) one name's file and link; the caller syncs them all. */
static void replay_write_one(void *payload, void *data, const xmlChar *xname)
{
        _cleanup_free_ char *path = NULL, *link = NULL;
        const char *name = (const char *)xname;
        ReplayEntry *e = payload;
        ReplayWrite *w = data;

        if (w->r < 0 || (e->state == REPLAY_UNTOUCHED && e->link == LINK_UNTOUCHED))
                return;
        if (asprintf(&path, "%s/%s.xml", w->config_dir, name) < 0 ||
            asprintf(&link, "%s/autostart/%s.xml", w->config_dir, name) < 0) {
                path = link = NULL;
                w->r = vmm_error_oom(w->error);
                return;
        }
        if (e->state == REPLAY_UNDEFINED) {
                if ((unlink(link) < 0 && errno != ENOENT) || (unlink(path) < 0 && errno != ENOENT))
                        w->r = vmm_error_set_errno(w->error, -errno,
                                                   "cannot remove the files of domain '%s'", name);
                return;
        }
        if (e->state == REPLAY_DEFINED)
                w->r = replay_write_file(path, e, w->error);
        if (w->r >= 0 && e->link != LINK_UNTOUCHED)
                w->r = replay_link(w->config_dir, name, link, e->link == LINK_ON, w->error);
}

static bool is_stale_temp(const char *name)
{
        const char *t = strstr(name, ".xml.tmp-");

        return t && strlen(t) == strlen(".xml.tmp-XXXXXX");
}

/* Temporary files of writes a crash interrupted. */
static void replay_remove_temps(const char *config_dir)
{
        DIR *d = opendir(config_dir);
        struct dirent *de;

        while (d && (de = readdir(d)))
                if (is_stale_temp(de->d_name))
                        (void)unlinkat(dirfd(d), de->d_name, 0);
        if (d)
                closedir(d);
}

static int replay_sync(const char *config_dir, VmmError *error)
{
        _cleanup_close_ int fd = open(config_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0 || syncfs(fd) < 0 || fsync(fd) < 0)
                return vmm_error_set_errno(error, -errno, "cannot sync \"%s\"", config_dir);
        return 0;
}

int qemu_journal_replay(int fd, uint64_t generation, uint64_t capacity, const char *config_dir,
                        int *ret_replayed, VmmError *error)
{
        xmlHashTablePtr names = xmlHashCreate(64);
        ReplayWrite w = {.config_dir = config_dir, .error = error};
        uint64_t off = JOURNAL_DATA_START, seq = 1;
        int n = 0;

        if (!names)
                return vmm_error_oom(error);
        for (;;) {
                JournalRecord rec;
                char *payload = NULL;
                size_t size = replay_read(fd, off, capacity, generation, seq, &rec, &payload);

                if (size == 0)
                        break;
                if (replay_apply(names, &rec, payload) < 0) {
                        xmlHashFree(names, replay_entry_free);
                        return vmm_error_oom(error);
                }
                off += size;
                seq++;
                n++;
        }
        if (n > 0)
                xmlHashScan(names, replay_write_one, &w);
        xmlHashFree(names, replay_entry_free);
        if (w.r < 0)
                return w.r;
        replay_remove_temps(config_dir);
        if (n > 0) {
                int r = replay_sync(config_dir, error);

                if (r < 0)
                        return r;
        }
        *ret_replayed = n;
        return 0;
}
