/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "fileutil.h"

int vmm_fd_write_all(int fd, const void *data, size_t len, int64_t offset)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = offset < 0 ? write(fd, p, len) : pwrite(fd, p, len, (off_t)offset);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                p += n;
                len -= (size_t)n;
                if (offset >= 0)
                        offset += n;
        }
        return 0;
}

/* The directory part of `path` ("." when there is none), heap. */
static char *file_dirname(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, (size_t)(slash - path));
}

static int file_fsync_dir(const char *dir, VmmError *error)
{
        _cleanup_close_ int fd = -1;

        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open directory \"%s\"", dir);
        if (fsync(fd) < 0)
                return vmm_error_set_errno(error, -errno, "cannot sync directory \"%s\"", dir);
        return 0;
}

int vmm_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          VmmError *error)
{
        _cleanup_free_ char *tmp = NULL, *dir = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        if (!path || !*path || (!data && len))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "write file: invalid arguments (expected a path and data)");
        dir = file_dirname(path);
        if (!dir || asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0)
                return vmm_error_oom(error);
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno,
                                           "cannot create a temporary file for \"%s\"", path);
        if (fchmod(fd, mode) < 0) {
                r = vmm_error_set_errno(error, -errno, "cannot set the mode of \"%s\"", tmp);
                goto fail;
        }
        r = vmm_fd_write_all(fd, data, len, -1);
        if (r < 0) {
                vmm_error_set_errno(error, r, "cannot write \"%s\"", tmp);
                goto fail;
        }
        if (fsync(fd) < 0) {
                r = vmm_error_set_errno(error, -errno, "cannot sync \"%s\"", tmp);
                goto fail;
        }
        if (close(TAKE_FD(fd)) < 0) {
                r = vmm_error_set_errno(error, -errno, "cannot close \"%s\"", tmp);
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = vmm_error_set_errno(error, -errno, "cannot rename \"%s\" to \"%s\"", tmp,
                                        path);
                goto fail;
        }
        return file_fsync_dir(dir, error);
fail:
        unlink(tmp);
        return r;
}

int vmm_fd_read_all(int fd, size_t max_size, char **ret_data, size_t *ret_len,
                    const char *what, VmmError *error)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t n;

                if (cap - len < 2) {
                        size_t ncap = cap ? cap * 2 : 4096;
                        char *p;

                        if (ncap > max_size + 2)
                                ncap = max_size + 2;
                        if (ncap <= cap)
                                return vmm_error_set(error, -EFBIG, VMM_ERR_INVALID_ARG,
                                                     "%s is larger than the limit of %zu bytes",
                                                     what ? what : "input", max_size);
                        p = realloc(data, ncap);
                        if (!p)
                                return vmm_error_oom(error);
                        data = p;
                        cap = ncap;
                }
                n = read(fd, data + len, cap - len - 1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return vmm_error_set_errno(error, -errno, "cannot read %s",
                                                   what ? what : "input");
                }
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > max_size)
                        return vmm_error_set(error, -EFBIG, VMM_ERR_INVALID_ARG,
                                             "%s is larger than the limit of %zu bytes",
                                             what ? what : "input", max_size);
        }
        if (!data) {
                data = malloc(1);
                if (!data)
                        return vmm_error_oom(error);
        }
        data[len] = '\0';
        *ret_data = TAKE_PTR(data);
        if (ret_len)
                *ret_len = len;
        return 0;
}

int vmm_file_read_all(const char *path, size_t max_size, char **ret_data, size_t *ret_len,
                      VmmError *error)
{
        _cleanup_free_ char *what = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "cannot open \"%s\"", path);
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
                return vmm_error_set(error, -EISDIR, VMM_ERR_INVALID_ARG,
                                     "\"%s\" is a directory (expected a file)", path);
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_size)
                return vmm_error_set(error, -EFBIG, VMM_ERR_INVALID_ARG,
                                     "\"%s\" is larger than the limit of %zu bytes", path,
                                     max_size);
        if (asprintf(&what, "\"%s\"", path) < 0)
                return vmm_error_oom(error);
        return vmm_fd_read_all(fd, max_size, ret_data, ret_len, what, error);
}

int vmm_mkdir_p(const char *path, mode_t mode, VmmError *error)
{
        _cleanup_free_ char *copy = NULL;
        char *p;

        if (!path || !*path)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "create directory: empty path");
        copy = strdup(path);
        if (!copy)
                return vmm_error_oom(error);
        for (p = copy + 1;; p++) {
                char saved = *p;
                struct stat st;

                if (saved != '/' && saved != '\0')
                        continue;
                *p = '\0';
                if (mkdir(copy, mode) < 0 && errno != EEXIST)
                        return vmm_error_set_errno(error, -errno,
                                                   "cannot create directory \"%s\"", copy);
                if (stat(copy, &st) < 0)
                        return vmm_error_set_errno(error, -errno, "cannot stat \"%s\"", copy);
                if (!S_ISDIR(st.st_mode))
                        return vmm_error_set(error, -ENOTDIR, VMM_ERR_SYSTEM,
                                             "cannot create directory \"%s\": \"%s\" exists "
                                             "and is not a directory",
                                             path, copy);
                if (saved == '\0')
                        break;
                *p = saved;
        }
        return 0;
}

int vmm_file_unlink(const char *path, VmmError *error)
{
        if (unlink(path) < 0 && errno != ENOENT)
                return vmm_error_set_errno(error, -errno, "cannot remove \"%s\"", path);
        return 0;
}
