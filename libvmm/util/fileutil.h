/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileutil.h: reading bounded files, writing files atomically, directories. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <vmm/vmm-common.h>

/*
 * Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory (O_CLOEXEC, `mode`), write, fsync, rename over `path`, fsync
 * the directory. Readers see the old or the new content, never a mix;
 * after a crash, one of the two. On error the temporary file is removed.
 */
int vmm_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          VmmError *error);

/* Reads a whole file into a NUL-terminated heap buffer. Fails with -EFBIG
 * (message naming the file and the limit) when larger than `max_size`. */
int vmm_file_read_all(const char *path, size_t max_size, char **ret_data, size_t *ret_len,
                      VmmError *error);

/* Reads all of an already open fd (a pipe or stdin), bounded as above. */
int vmm_fd_read_all(int fd, size_t max_size, char **ret_data, size_t *ret_len,
                    const char *what, VmmError *error);

/* Writes all of `len` bytes to `fd` (at `offset` with pwrite, or at the
 * file position when `offset` < 0), across short writes and EINTR:
 * -errno, or -EIO when the fd takes no more. */
int vmm_fd_write_all(int fd, const void *data, size_t len, int64_t offset);

/* mkdir -p with `mode` for the directories it creates. */
int vmm_mkdir_p(const char *path, mode_t mode, VmmError *error);

/* Removes `path`; a missing file is not an error. */
int vmm_file_unlink(const char *path, VmmError *error);
