/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fdpass.h: passing file descriptors over a UNIX socket (SCM_RIGHTS), for
 * procedures that hand over a tap device, a console pty or an open disk
 * image. The descriptors travel with at least one byte of ordinary data
 * (the frame they belong to, or its first byte).
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>
#include <vmm/vmm-common.h>

#define VMM_RPC_MAX_FDS 16

/* Sends `len` bytes (len >= 1) with `n_fds` descriptors attached to the
 * first byte. Returns the bytes sent (the rest, if any, is the caller's to
 * send as usual), or a negative errno. */
ssize_t vmm_rpc_send_fds(int sock, const void *data, size_t len, const int *fds, size_t n_fds,
                         VmmError *error);

/* Receives up to `len` bytes and the descriptors that came with them
 * (at most `max_fds`, each O_CLOEXEC) into `fds`, their count in
 * *ret_n_fds. Returns the bytes received (0 at end of stream). More
 * descriptors than `max_fds` is -EMSGSIZE, and none are kept open. */
ssize_t vmm_rpc_recv_fds(int sock, void *buf, size_t len, int *fds, size_t max_fds,
                         size_t *ret_n_fds, VmmError *error);
