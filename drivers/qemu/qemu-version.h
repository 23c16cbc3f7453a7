/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-version.h: the version of a QEMU binary, as `BINARY --version`
 * prints it ("QEMU emulator version 7.2.0 (Debian ...)"), encoded as
 * libvirt encodes versions: major * 1000000 + minor * 1000 + micro.
 *
 * vmm_qemu_version_probe() runs the binary (no shell, stdin from
 * /dev/null, a deadline) and blocks: call it from a worker thread
 * (uv_queue_work), never from the loop.
 */
#pragma once

#include <stdint.h>
#include <vmm/vmm-common.h>

/* How long `--version` may take before the probe gives up (ms). */
#define VMM_QEMU_VERSION_TIMEOUT_MS 10000

/* Parses the first line of `--version`'s output. -EINVAL (kind INTERNAL)
 * with a message quoting the text when it holds no "version X.Y[.Z]". */
int vmm_qemu_version_parse(const char *text, uint64_t *ret_version, VmmError *error);

/* Runs `binary --version` and parses what it prints. -ENOENT/-EACCES when
 * it cannot run, -ETIMEDOUT past `timeout_ms`, -EIO when it fails; every
 * message names the binary. */
int vmm_qemu_version_probe(const char *binary, int timeout_ms, uint64_t *ret_version,
                           VmmError *error);
