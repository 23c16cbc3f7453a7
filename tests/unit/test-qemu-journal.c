/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-journal: the domain store's write-ahead journal. A "crash" is
 * a copy of the journal taken while the store runs, put back after the
 * files were damaged the way a power loss could leave them (a define's
 * file missing, an undefined domain's file back, an older file); replay
 * must restore exactly the state the returned operations made. Also: a
 * torn last record is ignored, a cancelled record is undone, concurrent
 * defines share syncs (group commit), a checkpoint empties the journal,
 * and a second opener is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <vmm/vmm-domain.h>

#include "qemu-domains.h"
#include "qemu-journal-priv.h"
#include "qemu-journal.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/macros.h"

static char dir[64], conf[96], jpath[96], saved[96];

static int setup(void **state)
{
        snprintf(dir, sizeof(dir), "/tmp/test-qemu-journal-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(conf, sizeof(conf), "%s/conf", dir);
        snprintf(jpath, sizeof(jpath), "%s/domains.journal", dir);
        snprintf(saved, sizeof(saved), "%s/saved.journal", dir);
        vmm_log_set_level(VMM_LOG_ERROR);
        return 0;
}

static int teardown(void **state)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}

static char *xml_for(const char *name, unsigned n, unsigned mib)
{
        char *xml;

        assert_true(asprintf(&xml,
                             "<domain type='qemu'><name>%s</name>"
                             "<uuid>00000000-0000-4000-8000-%012x</uuid>"
                             "<memory unit='MiB'>%u</memory><os><type>hvm</type></os></domain>",
                             name, n, mib) > 0);
        return xml;
}

static VmmQemuDomains *store_open(int expect_replayed)
{
        VmmQemuDomains *s = NULL;
        VmmError err = VMM_ERROR_INIT;
        int r;

        assert_int_equal(vmm_qemu_domains_new(conf, &s, &err), 0);
        r = vmm_qemu_domains_open_journal(s, jpath, &err);
        if (r < 0)
                fail_msg("open journal: %s", vmm_error_message(&err));
        assert_int_equal(r, expect_replayed);
        assert_true(vmm_qemu_domains_load(s) >= 0);
        return s;
}

static void define_ok(VmmQemuDomains *s, const char *name, unsigned n, unsigned mib)
{
        _cleanup_free_ char *xml = xml_for(name, n, mib);
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated;

        if (vmm_qemu_domains_define(s, xml, 0, &dom, &updated, &err) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&err));
}

static void copy_file(const char *from, const char *to)
{
        _cleanup_free_ char *data = NULL;
        size_t len;

        assert_int_equal(vmm_file_read_all(from, 64u << 20, &data, &len, NULL), 0);
        assert_int_equal(vmm_file_write_atomic(to, data, len, 0600, NULL), 0);
}

static void conf_path(char *buf, size_t size, const char *name)
{
        snprintf(buf, size, "%s/%s.xml", conf, name);
}

static unsigned memory_mib(VmmQemuDomains *s, const char *name)
{
        VmmQemuDomain *dom = vmm_qemu_domains_find_by_name(s, name);

        assert_non_null(dom);
        return (unsigned)(vmm_domain_def_get_memory_kib(dom->def) / 1024);
}

/* Defines, a redefine and an undefine; a crash; the files are damaged:
 * replay gives back exactly what the operations made. */
static void test_replay_after_crash(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmError err = VMM_ERROR_INIT;
        char p[160];

        define_ok(s, "a", 1, 64);
        define_ok(s, "b", 2, 64);
        define_ok(s, "c", 3, 64);
        define_ok(s, "b", 2, 256); /* redefined */
        assert_int_equal(vmm_qemu_domains_undefine(s, vmm_qemu_domains_find_by_name(s, "c"), &err),
                         0);
        copy_file(jpath, saved);  /* what the disk held at the crash */
        vmm_qemu_domains_free(s); /* (a clean stop would checkpoint) */
        copy_file(saved, jpath);

        /* damage: a's file never reached the disk, b's is the old one,
         * c's removal was lost */
        conf_path(p, sizeof(p), "a");
        assert_int_equal(unlink(p), 0);
        conf_path(p, sizeof(p), "b");
        {
                _cleanup_free_ char *old = xml_for("b", 2, 64);
                assert_int_equal(vmm_file_write_atomic(p, old, strlen(old), 0600, NULL), 0);
        }
        conf_path(p, sizeof(p), "c");
        {
                _cleanup_free_ char *old = xml_for("c", 3, 64);
                assert_int_equal(vmm_file_write_atomic(p, old, strlen(old), 0600, NULL), 0);
        }
        snprintf(p, sizeof(p), "%s/a.xml.tmp-abcdef", conf); /* a torn write's leftover */
        assert_int_equal(vmm_file_write_atomic(p, "<dom", 4, 0600, NULL), 0);

        s = store_open(5);
        assert_int_equal(vmm_qemu_domains_count(s), 2);
        assert_int_equal(memory_mib(s, "a"), 64);
        assert_int_equal(memory_mib(s, "b"), 256);
        assert_null(vmm_qemu_domains_find_by_name(s, "c"));
        assert_int_equal(access(p, F_OK), -1); /* leftover removed */
        vmm_qemu_domains_free(s);

        /* replayed once: the next start has nothing to replay */
        s = store_open(0);
        assert_int_equal(vmm_qemu_domains_count(s), 2);
        vmm_qemu_domains_free(s);
}

static off_t file_size(const char *path)
{
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        return st.st_size;
}

/* The last record is torn (a crash in the middle of its write): it and
 * only it is ignored; the first record is replayed. */
static void test_torn_tail(void **state)
{
        VmmQemuDomains *s = store_open(0);
        char px[160], py[160];
        off_t y_off;
        int fd;

        define_ok(s, "x", 1, 64);
        define_ok(s, "y", 2, 64);
        copy_file(jpath, saved);
        vmm_qemu_domains_free(s);
        copy_file(saved, jpath);
        conf_path(px, sizeof(px), "x");
        conf_path(py, sizeof(py), "y");
        /* records: 4 KiB head, then x's (40 bytes + name + the file's XML,
         * padded to 8), then y's */
        y_off = 4096 + ((40 + 1 + file_size(px) + 7) & ~(off_t)7);
        fd = open(jpath, O_WRONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, "\xff\xff\xff\xff", 4, y_off + 60), 4);
        close(fd);
        assert_int_equal(unlink(px), 0);
        assert_int_equal(unlink(py), 0);

        s = store_open(1);
        assert_int_equal(vmm_qemu_domains_count(s), 1);
        assert_non_null(vmm_qemu_domains_find_by_name(s, "x"));
        assert_null(vmm_qemu_domains_find_by_name(s, "y"));
        vmm_qemu_domains_free(s);
}

/* A record whose operation failed is cancelled: replay does not apply it
 * (here: an undefine whose files could not be removed). */
static void test_cancel(void **state)
{
        VmmQemuJournal *j = NULL;
        VmmQemuJournalTicket t;
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomains *s = store_open(0);
        char p[160];
        int n = -1;

        define_ok(s, "keep", 1, 64);
        assert_int_equal(vmm_qemu_domains_checkpoint(s, &err), 0);
        vmm_qemu_domains_free(s);

        assert_int_equal(vmm_qemu_journal_open(jpath, conf, &j, &n, &err), 0);
        assert_int_equal(n, 0);
        assert_int_equal(
            vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_UNDEFINE, "keep", NULL, 0, &t, &err), 0);
        assert_int_equal(vmm_qemu_journal_wait(j, &t, &err), 0);
        assert_int_equal(vmm_qemu_journal_cancel(j, "keep", &t, &err), 0);
        vmm_qemu_journal_done(j);
        copy_file(jpath, saved);
        vmm_qemu_journal_free(j);
        copy_file(saved, jpath);

        s = store_open(2);
        assert_non_null(vmm_qemu_domains_find_by_name(s, "keep"));
        conf_path(p, sizeof(p), "keep");
        assert_int_equal(access(p, F_OK), 0);
        vmm_qemu_domains_free(s);
}

static pthread_barrier_t writers_ready;

/* Writes a prepared define from another thread, as the daemon's pool does
 * (all of them at once: they must share syncs). */
static void *write_op(void *op)
{
        pthread_barrier_wait(&writers_ready);
        vmm_qemu_define_write(op);
        return NULL;
}

/* Concurrent writes share syncs; a checkpoint empties the journal and
 * starts a new generation; a clean stop leaves nothing to replay. */
static void test_group_commit_checkpoint(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuDefine *ops[64];
        pthread_t th[64];
        VmmError err = VMM_ERROR_INIT;
        VmmQemuJournal *j = NULL;
        VmmQemuJournalStats st;
        int n;

        for (int i = 0; i < 64; i++) {
                char name[16];
                _cleanup_free_ char *xml = NULL;

                snprintf(name, sizeof(name), "g%02d", i);
                xml = xml_for(name, 100 + (unsigned)i, 64);
                assert_int_equal(vmm_qemu_domains_define_prepare(s, xml, 0, &ops[i], &err), 0);
        }
        pthread_barrier_init(&writers_ready, NULL, 64);
        for (int i = 0; i < 64; i++)
                assert_int_equal(pthread_create(&th[i], NULL, write_op, ops[i]), 0);
        for (int i = 0; i < 64; i++) {
                VmmQemuDomain *dom;
                bool updated;

                pthread_join(th[i], NULL);
                assert_int_equal(vmm_qemu_domains_define_commit(s, ops[i], &dom, &updated, &err),
                                 0);
                vmm_qemu_define_free(s, ops[i]);
        }
        pthread_barrier_destroy(&writers_ready);
        assert_int_equal(vmm_qemu_domains_count(s), 64);
        vmm_qemu_domains_journal_stats(s, &st);
        assert_int_equal(st.records, 64);
        if (st.syncs >= 64)
                fail_msg("64 concurrent defines took %llu syncs (expected fewer: group commit)",
                         (unsigned long long)st.syncs);
        assert_true(st.used > 0);
        assert_int_equal(vmm_qemu_domains_checkpoint(s, &err), 0);
        vmm_qemu_domains_journal_stats(s, &st);
        assert_int_equal(st.used, 0);
        assert_true(st.checkpoints >= 1);
        vmm_qemu_domains_free(s);

        /* one opener at a time */
        s = store_open(0);
        assert_int_equal(vmm_qemu_domains_count(s), 64);
        n = vmm_qemu_journal_open(jpath, conf, &j, &n, &err);
        assert_int_equal(n, -EBUSY);
        assert_non_null(strstr(vmm_error_message(&err), jpath));
        vmm_error_clear(&err);
        vmm_qemu_domains_free(s);
}

static size_t count_files(void)
{
        size_t n = 0;
        char p[160];

        for (int i = 0; i < 400; i++) {
                snprintf(p, sizeof(p), "%s/d%03d.xml", conf, i);
                n += access(p, F_OK) == 0;
        }
        return n;
}

/* A journal that fills up: appenders wait for a checkpoint (files synced,
 * new generation) and go on; after a crash only the records since the last
 * checkpoint are replayed, and they are the newest. */
static void test_full_journal(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmQemuJournal *j = NULL;
        VmmQemuJournalStats st;
        char data[1000], name[16], path[160];
        int n = -1;

        assert_int_equal(vmm_mkdir_p(conf, 0700, NULL), 0);
        memset(data, 'x', sizeof(data));
        assert_int_equal(qemu_journal_open_sized(jpath, conf, 300u << 10, &j, &n, &err), 0);
        for (int i = 0; i < 400; i++) {
                VmmQemuJournalTicket t;

                snprintf(name, sizeof(name), "d%03d", i);
                if (vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_DEFINE, name, data, sizeof(data),
                                            &t, &err) < 0 ||
                    vmm_qemu_journal_wait(j, &t, &err) < 0)
                        fail_msg("record %d: %s", i, vmm_error_message(&err));
                vmm_qemu_journal_done(j);
        }
        vmm_qemu_journal_stats(j, &st);
        assert_int_equal(st.records, 400);
        if (st.checkpoints < 1)
                fail_msg("400 KiB of records in a 300 KiB journal without a checkpoint");
        copy_file(jpath, saved);
        vmm_qemu_journal_free(j);
        copy_file(saved, jpath);

        /* the files never made it (as far as replay knows) */
        for (int i = 0; i < 400; i++) {
                char p[160];

                snprintf(p, sizeof(p), "%s/d%03d.xml", conf, i);
                (void)unlink(p);
        }
        assert_int_equal(vmm_qemu_journal_open(jpath, conf, &j, &n, &err), 0);
        assert_true(n > 0 && n < 400);
        assert_int_equal(count_files(), (size_t)n);
        snprintf(path, sizeof(path), "%s/d399.xml", conf);
        assert_int_equal(access(path, F_OK), 0);
        snprintf(path, sizeof(path), "%s/d000.xml", conf);
        assert_int_equal(access(path, F_OK), -1);
        vmm_qemu_journal_free(j);
}

/* A journal that fills up while one definition file cannot be written:
 * changes are refused with an error naming that file and its errno (none
 * is half applied), and once the cause is gone the retry writes the file,
 * a checkpoint frees the journal and changes are accepted again. */
static void test_full_journal_failing_file(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmQemuJournal *j = NULL;
        VmmQemuJournalTicket t;
        char data[1000], stuck[160];
        size_t len;
        int n = -1, r = 0, i;
        struct timespec start, now;

        assert_int_equal(vmm_mkdir_p(conf, 0700, NULL), 0);
        snprintf(stuck, sizeof(stuck), "%s/stuck.xml", conf);
        assert_int_equal(mkdir(stuck, 0700), 0); /* rename onto it fails, even as root */
        assert_int_equal(qemu_journal_open_sized(jpath, conf, 300u << 10, &j, &n, &err), 0);
        for (i = 0; i < 1000; i++) {
                len = (size_t)snprintf(data, sizeof(data),
                                       "<domain><name>stuck</name><!-- %d --><description>%0800d"
                                       "</description></domain>",
                                       i, 0);
                r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_DEFINE, "stuck", data, len, &t,
                                            &err);
                if (r < 0)
                        break;
                assert_int_equal(vmm_qemu_journal_wait(j, &t, &err), 0);
                vmm_qemu_journal_materialize(j, VMM_QEMU_JOURNAL_DEFINE, "stuck", data, len,
                                             false);
        }
        if (r == 0)
                fail_msg("1000 records of 880 bytes fit in a 300 KiB journal");
        assert_int_equal(r, -EISDIR);
        assert_non_null(strstr(vmm_error_message(&err), stuck));
        assert_non_null(strstr(vmm_error_message(&err), "full"));
        vmm_error_clear(&err);
        /* another name's record of that size is refused too: no room */
        assert_int_equal(vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_DEFINE, "other", data, len,
                                                 &t, &err),
                         -EISDIR);
        vmm_error_clear(&err);

        /* the cause goes away: within the retry period, room again */
        assert_int_equal(rmdir(stuck), 0);
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                r = vmm_qemu_journal_append(j, VMM_QEMU_JOURNAL_DEFINE, "other", data, len, &t,
                                            &err);
                if (r >= 0)
                        break;
                vmm_error_clear(&err);
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (now.tv_sec - start.tv_sec > 10)
                        fail_msg("no room 10 s after the failing file was fixed");
                usleep(20 * 1000);
        }
        assert_int_equal(vmm_qemu_journal_wait(j, &t, &err), 0);
        vmm_qemu_journal_materialize(j, VMM_QEMU_JOURNAL_DEFINE, "other", data, len, true);
        {
                _cleanup_free_ char *have = NULL;
                VmmQemuJournalStats st;

                vmm_qemu_journal_stats(j, &st);
                assert_true(st.checkpoints >= 1);
                /* the last accepted record of "stuck" won */
                assert_int_equal(vmm_file_read_all(stuck, 1u << 20, &have, &len, NULL), 0);
                snprintf(data, sizeof(data), "<!-- %d -->", i - 1);
                assert_non_null(strstr(have, data));
        }
        assert_int_equal(vmm_qemu_journal_checkpoint(j, &err), 0);
        vmm_qemu_journal_free(j);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_replay_after_crash, setup, teardown),
            cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
            cmocka_unit_test_setup_teardown(test_group_commit_checkpoint, setup, teardown),
            cmocka_unit_test_setup_teardown(test_full_journal, setup, teardown),
            cmocka_unit_test_setup_teardown(test_full_journal_failing_file, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
