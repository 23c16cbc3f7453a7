/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"

typedef struct Fixture {
        char dir[64];
} Fixture;

static int fixture_setup(void **state)
{
        Fixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        strcpy(f->dir, "/tmp/vmm-test-fileutil-XXXXXX");
        if (!mkdtemp(f->dir)) {
                free(f);
                return -1;
        }
        *state = f;
        return 0;
}

static int fixture_teardown(void **state)
{
        Fixture *f = *state;
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
                return -1;
        free(f);
        return 0;
}

/* Number of entries in `dir` besides . and .. */
static int count_entries(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        int n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        n++;
        closedir(d);
        return n;
}

static void test_write_atomic_then_read(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *path = NULL, *data = NULL;
        VmmError error = VMM_ERROR_INIT;
        struct stat st;
        size_t len;

        assert_true(asprintf(&path, "%s/dom.xml", f->dir) > 0);
        assert_int_equal(vmm_file_write_atomic(path, "<domain/>\n", 10, 0600, &error), 0);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(vmm_file_read_all(path, 1024, &data, &len, &error), 0);
        assert_int_equal(len, 10);
        assert_string_equal(data, "<domain/>\n");
        free(TAKE_PTR(data));

        /* Replacing keeps one file, with the new content and mode. */
        assert_int_equal(vmm_file_write_atomic(path, "new", 3, 0644, &error), 0);
        assert_int_equal(vmm_file_read_all(path, 1024, &data, &len, &error), 0);
        assert_string_equal(data, "new");
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        assert_int_equal(count_entries(f->dir), 1);

        /* An empty file is fine too. */
        assert_int_equal(vmm_file_write_atomic(path, "", 0, 0600, &error), 0);
        free(TAKE_PTR(data));
        assert_int_equal(vmm_file_read_all(path, 1024, &data, &len, &error), 0);
        assert_int_equal(len, 0);
        assert_string_equal(data, "");
}

static void test_write_atomic_failure_keeps_old_content(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *path = NULL, *data = NULL, *big = NULL;
        VmmError error = VMM_ERROR_INIT;
        struct rlimit old, small;
        int r;

        assert_true(asprintf(&path, "%s/net.xml", f->dir) > 0);
        assert_int_equal(vmm_file_write_atomic(path, "old content", 11, 0600, &error), 0);

        /* A file size limit makes the write of a large new content fail
         * half-way (EFBIG) even for root. */
        big = malloc(64 * 1024);
        assert_non_null(big);
        memset(big, 'x', 64 * 1024);
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
        small = old;
        small.rlim_cur = 4096;
        signal(SIGXFSZ, SIG_IGN);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
        r = vmm_file_write_atomic(path, big, 64 * 1024, 0600, &error);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, SIG_DFL);

        assert_int_equal(r, -EFBIG);
        assert_int_equal(error.code, -EFBIG);
        assert_non_null(strstr(error.message, "net.xml"));
        assert_int_equal(vmm_file_read_all(path, 1024, &data, NULL, NULL), 0);
        assert_string_equal(data, "old content");
        assert_int_equal(count_entries(f->dir), 1); /* no temporary file left */
        vmm_error_clear(&error);
}

static void test_write_atomic_missing_dir(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *path = NULL;
        VmmError error = VMM_ERROR_INIT;

        assert_true(asprintf(&path, "%s/no/such/dir/x.xml", f->dir) > 0);
        assert_int_equal(vmm_file_write_atomic(path, "x", 1, 0600, &error), -ENOENT);
        assert_non_null(strstr(error.message, path));
        assert_int_equal(count_entries(f->dir), 0);
        vmm_error_clear(&error);
}

static void test_read_all_bounds(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *path = NULL, *data = NULL, *missing = NULL;
        VmmError error = VMM_ERROR_INIT;
        size_t len;

        assert_true(asprintf(&path, "%s/f", f->dir) > 0);
        assert_int_equal(vmm_file_write_atomic(path, "0123456789", 10, 0600, NULL), 0);
        assert_int_equal(vmm_file_read_all(path, 10, &data, &len, &error), 0);
        assert_int_equal(len, 10);
        free(TAKE_PTR(data));
        assert_int_equal(vmm_file_read_all(path, 9, &data, &len, &error), -EFBIG);
        assert_null(data);
        assert_non_null(strstr(error.message, path));
        assert_non_null(strstr(error.message, "9 bytes"));

        assert_true(asprintf(&missing, "%s/missing", f->dir) > 0);
        assert_int_equal(vmm_file_read_all(missing, 10, &data, &len, &error), -ENOENT);
        assert_int_equal(error.kind, VMM_ERR_SYSTEM);
        assert_non_null(strstr(error.message, missing));
        assert_int_equal(vmm_file_read_all(f->dir, 10, &data, &len, &error), -EISDIR);
        vmm_error_clear(&error);
}

static void test_fd_read_all_pipe(void **state)
{
        _cleanup_free_ char *data = NULL;
        VmmError error = VMM_ERROR_INIT;
        char chunk[1000];
        int fds[2];
        size_t len;

        /* A pipe has no size to look at: the bound applies while reading. */
        memset(chunk, 'a', sizeof(chunk));
        assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
        for (int i = 0; i < 10; i++)
                assert_int_equal(write(fds[1], chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
        close(fds[1]);
        assert_int_equal(vmm_fd_read_all(fds[0], 10000, &data, &len, "stdin", &error), 0);
        close(fds[0]);
        assert_int_equal(len, 10000);
        assert_int_equal(strlen(data), 10000);
        free(TAKE_PTR(data));

        assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
        for (int i = 0; i < 10; i++)
                assert_int_equal(write(fds[1], chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
        close(fds[1]);
        assert_int_equal(vmm_fd_read_all(fds[0], 9999, &data, &len, "stdin", &error), -EFBIG);
        close(fds[0]);
        assert_string_equal(error.message, "stdin is larger than the limit of 9999 bytes");
        vmm_error_clear(&error);
}

static void test_mkdir_p_and_unlink(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *deep = NULL, *file = NULL, *under_file = NULL;
        VmmError error = VMM_ERROR_INIT;
        struct stat st;

        assert_true(asprintf(&deep, "%s/a/b/c/", f->dir) > 0);
        assert_int_equal(vmm_mkdir_p(deep, 0700, &error), 0);
        assert_int_equal(stat(deep, &st), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_int_equal(st.st_mode & 0777, 0700);
        assert_int_equal(vmm_mkdir_p(deep, 0700, &error), 0); /* exists: fine */

        assert_true(asprintf(&file, "%s/a/file", f->dir) > 0);
        assert_int_equal(vmm_file_write_atomic(file, "x", 1, 0600, NULL), 0);
        assert_true(asprintf(&under_file, "%s/sub", file) > 0);
        assert_int_equal(vmm_mkdir_p(under_file, 0700, &error), -ENOTDIR);
        assert_non_null(strstr(error.message, "is not a directory"));

        assert_int_equal(vmm_file_unlink(file, &error), 0);
        assert_int_equal(stat(file, &st), -1);
        assert_int_equal(vmm_file_unlink(file, &error), 0); /* already gone: fine */
        assert_int_equal(vmm_file_unlink(deep, &error), -EISDIR);
        assert_non_null(strstr(error.message, "cannot remove"));
        vmm_error_clear(&error);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_write_atomic_then_read, fixture_setup,
                                                fixture_teardown),
                cmocka_unit_test_setup_teardown(test_write_atomic_failure_keeps_old_content,
                                                fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_write_atomic_missing_dir, fixture_setup,
                                                fixture_teardown),
                cmocka_unit_test_setup_teardown(test_read_all_bounds, fixture_setup,
                                                fixture_teardown),
                cmocka_unit_test(test_fd_read_all_pipe),
                cmocka_unit_test_setup_teardown(test_mkdir_p_and_unlink, fixture_setup,
                                                fixture_teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
