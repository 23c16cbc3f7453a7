/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-journal-files: the journal's materializer, which writes the
 * per-domain files behind the journal records (qemu-journal-files.c).
 * A define's file is there when the define returns; steps of one name held back coalesce
 * (define + undefine of a new name: no file work; two defines: only the
 * last XML is written) and land in record order; autostart links follow
 * the same path; a file step that fails is logged with the file's name,
 * blocks the checkpoint (the records stay), and the record wins at the
 * next start (replay) or at a retry once the cause is gone.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "qemu-domains-internal.h"
#include "qemu-journal-priv.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/macros.h"

static char dir[64], conf[96], jpath[96];
static char warnings[4096];

static void warning_sink(VmmLogLevel level, const char *file, int line, const char *func,
                         const char *message, void *userdata)
{
        size_t used = strlen(warnings);

        if (level <= VMM_LOG_WARNING)
                snprintf(warnings + used, sizeof(warnings) - used, "%s\n", message);
}

static int setup(void **state)
{
        snprintf(dir, sizeof(dir), "/tmp/test-qemu-journal-files-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(conf, sizeof(conf), "%s/conf", dir);
        snprintf(jpath, sizeof(jpath), "%s/domains.journal", dir);
        warnings[0] = '\0';
        vmm_log_set_level(VMM_LOG_WARNING);
        vmm_log_set_sink(warning_sink, NULL);
        return 0;
}

static int teardown(void **state)
{
        char cmd[128];

        vmm_log_set_sink(NULL, NULL);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
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
        if (expect_replayed >= 0)
                assert_int_equal(r, expect_replayed);
        else
                assert_true(r > 0);
        assert_true(vmm_qemu_domains_load(s) >= 0);
        return s;
}

static char *xml_for(const char *name, unsigned mib)
{
        char *xml;

        assert_true(asprintf(&xml,
                             "<domain type='qemu'><name>%s</name>"
                             "<uuid>00000000-0000-4000-8000-%012x</uuid>"
                             "<memory unit='MiB'>%u</memory><os><type>hvm</type></os></domain>",
                             name, (unsigned)name[0], mib) > 0);
        return xml;
}

static VmmQemuDomain *define_ok(VmmQemuDomains *s, const char *name, unsigned mib)
{
        _cleanup_free_ char *xml = xml_for(name, mib);
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated;

        if (vmm_qemu_domains_define(s, xml, 0, &dom, &updated, &err) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&err));
        return dom;
}

static void undefine_ok(VmmQemuDomains *s, const char *name)
{
        VmmError err = VMM_ERROR_INIT;

        if (vmm_qemu_domains_undefine(s, vmm_qemu_domains_find_by_name(s, name), &err) < 0)
                fail_msg("undefine %s: %s", name, vmm_error_message(&err));
}

static void autostart_ok(VmmQemuDomains *s, const char *name, bool on)
{
        VmmError err = VMM_ERROR_INIT;

        if (vmm_qemu_domains_set_autostart(s, vmm_qemu_domains_find_by_name(s, name), on, &err) < 0)
                fail_msg("autostart %s: %s", name, vmm_error_message(&err));
}

static void conf_path(char *buf, size_t size, const char *name)
{
        snprintf(buf, size, "%s/%s.xml", conf, name);
}

/* The file holds the store's definition of `name` (the XML of its
 * memory size), or is absent when `mib` is 0. */
static void assert_file(VmmQemuDomains *s, const char *name, unsigned mib)
{
        _cleanup_free_ char *have = NULL, *want = NULL;
        char path[160], mem[64];
        size_t len = 0;

        conf_path(path, sizeof(path), name);
        if (mib == 0) {
                if (access(path, F_OK) == 0)
                        fail_msg("\"%s\" exists (expected no file)", path);
                return;
        }
        if (vmm_file_read_all(path, 1 << 20, &have, &len, NULL) < 0)
                fail_msg("\"%s\" is missing", path);
        snprintf(mem, sizeof(mem), ">%u</memory>", mib * 1024);
        if (!strstr(have, mem))
                fail_msg("\"%s\" does not hold %u MiB: %s", path, mib, have);
        if (s) {
                VmmQemuDomain *dom = vmm_qemu_domains_find_by_name(s, name);

                assert_non_null(dom);
                assert_int_equal(
                    vmm_domain_def_format(dom->def, VMM_DOMAIN_DEF_INACTIVE, &want, NULL), 0);
                assert_string_equal(have, want);
        }
}

static bool link_exists(const char *name)
{
        char path[160], target[160], want[160];
        ssize_t n;

        snprintf(path, sizeof(path), "%s/autostart/%s.xml", conf, name);
        snprintf(want, sizeof(want), "../%s.xml", name);
        n = readlink(path, target, sizeof(target) - 1);
        if (n < 0)
                return false;
        target[n] = '\0';
        assert_string_equal(target, want);
        return true;
}

static void files_stats(VmmQemuDomains *s, VmmQemuJournalStats *st)
{
        vmm_qemu_domains_journal_stats(s, st);
}

/* When a define, a redefine or an undefine returns, the directory shows
 * it already (what a user who looks right after the reply sees), without
 * waiting for a checkpoint. */
static void test_visible_at_return(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuJournalStats st;

        define_ok(s, "a", 64);
        assert_file(s, "a", 64);
        define_ok(s, "a", 128);
        assert_file(s, "a", 128);
        undefine_ok(s, "a");
        assert_file(s, "a", 0);
        files_stats(s, &st);
        assert_int_equal(st.files_written, 2);
        assert_int_equal(st.files_removed, 1);
        assert_int_equal(st.records, 3); /* not yet checkpointed */
        vmm_qemu_domains_free(s);
        assert_string_equal(warnings, "");
}

/* Steps of one name held back coalesce, and the last one wins. */
static void test_coalesce(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuJournalStats st;

        qemu_journal_files_pause(s->journal, true);
        define_ok(s, "gone", 64); /* defined and undefined: no file work */
        undefine_ok(s, "gone");
        define_ok(s, "twice", 64); /* defined twice: one file written */
        define_ok(s, "twice", 128);
        define_ok(s, "again", 64); /* define, undefine, define again */
        undefine_ok(s, "again");
        define_ok(s, "again", 256);
        assert_file(NULL, "twice", 0); /* held back */
        qemu_journal_files_pause(s->journal, false);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_file(s, "gone", 0);
        assert_file(s, "twice", 128);
        assert_file(s, "again", 256);
        files_stats(s, &st);
        assert_int_equal(st.files_written, 2);
        assert_int_equal(st.files_skipped, 1);
        assert_int_equal(st.files_removed, 0);
        assert_int_equal(st.records, 7);

        /* an existing file: redefine then undefine removes it */
        qemu_journal_files_pause(s->journal, true);
        define_ok(s, "twice", 512);
        undefine_ok(s, "twice");
        qemu_journal_files_pause(s->journal, false);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_file(s, "twice", 0);
        files_stats(s, &st);
        assert_int_equal(st.files_removed, 1);
        assert_int_equal(vmm_qemu_domains_checkpoint(s, NULL), 0);
        vmm_qemu_domains_free(s);

        /* a clean stop left nothing to replay, and the files load */
        s = store_open(0);
        assert_int_equal(vmm_qemu_domains_count(s), 1);
        assert_file(s, "again", 256);
        vmm_qemu_domains_free(s);
        assert_string_equal(warnings, "");
}

/* Autostart links go through the journal and the materializer, in order
 * with the definition's own steps. */
static void test_autostart(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuDomain *dom;

        define_ok(s, "w", 64);
        autostart_ok(s, "w", true);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_true(link_exists("w"));
        autostart_ok(s, "w", false);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_false(link_exists("w"));

        /* held back: on, undefine, define again: no link, the new file */
        qemu_journal_files_pause(s->journal, true);
        autostart_ok(s, "w", true);
        undefine_ok(s, "w");
        define_ok(s, "w", 128);
        qemu_journal_files_pause(s->journal, false);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_false(link_exists("w"));
        assert_file(s, "w", 128);

        /* a crash after autostart changes, before their file steps:
         * replay makes the links as the records left them */
        autostart_ok(s, "w", true);
        define_ok(s, "v", 64);
        autostart_ok(s, "v", true);
        autostart_ok(s, "v", false);
        {
                _cleanup_free_ char *data = NULL;
                char path[160];
                size_t len;

                assert_int_equal(vmm_file_read_all(jpath, 64u << 20, &data, &len, NULL), 0);
                vmm_qemu_domains_free(s); /* (a clean stop: files written, checkpoint) */
                /* put back the journal and the files as they were before
                 * the steps: no link of w, no file of v, a link of v */
                snprintf(path, sizeof(path), "%s/autostart/w.xml", conf);
                assert_int_equal(unlink(path), 0);
                snprintf(path, sizeof(path), "%s/autostart/v.xml", conf);
                assert_int_equal(symlink("../v.xml", path), 0);
                conf_path(path, sizeof(path), "v");
                assert_int_equal(unlink(path), 0);
                assert_int_equal(vmm_file_write_atomic(jpath, data, len, 0600, NULL), 0);
        }
        s = store_open(-1);
        dom = vmm_qemu_domains_find_by_name(s, "w");
        assert_non_null(dom);
        assert_true(dom->autostart);
        assert_true(link_exists("w"));
        assert_false(vmm_qemu_domains_find_by_name(s, "v")->autostart);
        assert_file(s, "v", 64);
        vmm_qemu_domains_free(s);
        assert_string_equal(warnings, "");
}

/* A file step that fails: the warning names the file and the error, no
 * checkpoint drops the record, and the record wins at replay. */
static void test_failure_replay(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuJournalStats st;
        char path[160];

        define_ok(s, "ok", 64);
        conf_path(path, sizeof(path), "bad");
        assert_int_equal(mkdir(path, 0700), 0); /* rename onto it fails (EISDIR), even as root */
        define_ok(s, "bad", 64);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_non_null(strstr(warnings, path));
        assert_non_null(strstr(warnings, strerror(EISDIR)));
        usleep(700 * 1000); /* past the idle checkpoint time */
        files_stats(s, &st);
        assert_int_equal(st.checkpoints, 0);
        assert_true(st.used > 0);
        assert_true(st.files_failed >= 1);
        vmm_qemu_domains_free(s); /* the stop retries once, fails, keeps the records */

        assert_int_equal(rmdir(path), 0);
        warnings[0] = '\0';
        s = store_open(2);
        assert_file(s, "bad", 64);
        assert_file(s, "ok", 64);
        vmm_qemu_domains_free(s);
        assert_string_equal(warnings, "");
}

/* The cause goes away while the daemon runs: the retry writes the file,
 * then the checkpoint runs. */
static void test_failure_retry(void **state)
{
        VmmQemuDomains *s = store_open(0);
        VmmQemuJournalStats st;
        char path[160];

        conf_path(path, sizeof(path), "late");
        assert_int_equal(mkdir(path, 0700), 0);
        define_ok(s, "late", 64);
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_non_null(strstr(warnings, path));
        assert_int_equal(rmdir(path), 0);
        assert_int_equal(vmm_qemu_domains_checkpoint(s, NULL), 0); /* waits for the retry */
        files_stats(s, &st);
        assert_int_equal(st.checkpoints, 1);
        assert_int_equal(st.used, 0);
        assert_file(s, "late", 64);
        vmm_qemu_domains_free(s);
}

/* A reload (SIGHUP) does not bring back an undefined domain whose file is
 * not removed yet. */
static void test_reload_skips_pending(void **state)
{
        VmmQemuDomains *s = store_open(0);
        char path[160];

        define_ok(s, "r", 64);
        vmm_qemu_journal_materialize_flush(s->journal);
        qemu_journal_files_pause(s->journal, true);
        undefine_ok(s, "r");
        conf_path(path, sizeof(path), "r");
        assert_int_equal(access(path, F_OK), 0); /* still there */
        assert_int_equal(vmm_qemu_domains_load(s), 0);
        assert_null(vmm_qemu_domains_find_by_name(s, "r"));
        qemu_journal_files_pause(s->journal, false);
        vmm_qemu_domains_free(s);
        assert_file(NULL, "r", 0);
}

/* An undefine in three steps (as vmm-qemud runs it, the write on a pool
 * thread): while it is in flight its name and UUID are busy. */
static void test_undefine_in_flight(void **state)
{
        VmmQemuDomains *s = store_open(0);
        _cleanup_free_ char *xml = xml_for("u", 128);
        VmmError err = VMM_ERROR_INIT;
        VmmQemuChange *op = NULL, *op2 = NULL;
        VmmQemuDomain *dom = define_ok(s, "u", 64), *out = NULL;
        bool updated;

        assert_int_equal(vmm_qemu_domains_undefine_prepare(s, dom, &op, &err), 0);
        assert_int_equal(vmm_qemu_domains_define(s, xml, 0, &out, &updated, &err), -EBUSY);
        assert_non_null(strstr(vmm_error_message(&err), "'u'"));
        vmm_error_clear(&err);
        assert_int_equal(vmm_qemu_domains_set_autostart(s, dom, true, &err), -EBUSY);
        vmm_error_clear(&err);
        assert_int_equal(vmm_qemu_domains_undefine_prepare(s, dom, &op2, &err), -EBUSY);
        vmm_error_clear(&err);
        assert_non_null(vmm_qemu_domains_find_by_name(s, "u")); /* until the commit */
        vmm_qemu_change_write(op);
        assert_int_equal(vmm_qemu_domains_change_commit(s, op, &err), 0);
        vmm_qemu_change_free(s, op);
        assert_null(vmm_qemu_domains_find_by_name(s, "u"));
        define_ok(s, "u", 128); /* the name is free again */
        vmm_qemu_journal_materialize_flush(s->journal);
        assert_file(s, "u", 128);
        vmm_qemu_domains_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_visible_at_return, setup, teardown),
            cmocka_unit_test_setup_teardown(test_coalesce, setup, teardown),
            cmocka_unit_test_setup_teardown(test_autostart, setup, teardown),
            cmocka_unit_test_setup_teardown(test_failure_replay, setup, teardown),
            cmocka_unit_test_setup_teardown(test_failure_retry, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reload_skips_pending, setup, teardown),
            cmocka_unit_test_setup_teardown(test_undefine_in_flight, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
