/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * units.h: safe number parsing, and sizes with units as libvirt's `unit=`
 * attributes: b/bytes, KB (1000), k/KiB (1024), MB, M/MiB, GB, G/GiB,
 * TB, T/TiB, PB, P/PiB, EB, E/EiB (case-insensitive, as libvirt).
 */
#pragma once

#include <stdint.h>
#include <vmm/vmm-common.h>

/* Whole-string decimal parse (no sign for unsigned, no blanks, no
 * trailing junk, overflow refused). -EINVAL / -ERANGE. `what` names the
 * input in the message: "vcpu: \"abc\" is not a number". */
int vmm_parse_uint64(const char *s, uint64_t *ret, const char *what, VmmError *error);
int vmm_parse_uint(const char *s, unsigned int *ret, const char *what, VmmError *error);
int vmm_parse_int(const char *s, int *ret, const char *what, VmmError *error);

/* The multiplier of `unit` (NULL or "" gives `default_scale`), or -EINVAL
 * with a message listing the accepted units. */
int vmm_unit_scale(const char *unit, uint64_t default_scale, uint64_t *ret_scale,
                   const char *what, VmmError *error);

/*
 * Parses `value` in `unit` and returns it in bytes, rounded up to a
 * multiple of `granularity` bytes when not 0 (e.g. 1024 for KiB models);
 * refused above `max_bytes` (0: no limit but UINT64_MAX). When `unit` is
 * NULL or "", `value` may carry its unit itself ("512 MiB", "2G").
 * Errors: -EINVAL (not a number, unknown unit), -ERANGE (too large).
 *   memory: "abc" is not a number (expected e.g. "512 MiB")
 *   memory: unit "furlongs" is unknown (expected one of b, KiB, MiB, ...)
 */
int vmm_parse_size(const char *value, const char *unit, uint64_t default_scale,
                   uint64_t granularity, uint64_t max_bytes, uint64_t *ret_bytes,
                   const char *what, VmmError *error);

/* Formats bytes as "1.5 GiB", "512 MiB", "100 B" into buf; returns buf. */
char *vmm_format_size(uint64_t bytes, char *buf, size_t size);
