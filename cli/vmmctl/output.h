/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * output.h: how vmmctl prints: virsh-style tables and "Key:   value"
 * blocks for people, one JSON document per command with --json, and the
 * CLI's own error messages.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <vmm/vmm.h>

#include "util/cleanup.h"

/* Fills `error` (replacing what it held) with a message made here, for
 * failures vmmctl itself detects; returns `code`. */
int vmmctl_error(VmmError *error, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A table printed as virsh does:
 *    Id   Name   State
 *   ----------------------
 *    1    test   running
 */
typedef struct VmmctlTable {
        size_t n_cols;
        char **cells; /* row-major, the header first */
        size_t n_cells;
} VmmctlTable;

int vmmctl_table_init(VmmctlTable *t, size_t n_cols, const char *const *header);
/* Adds one row of n_cols cells (copied). */
int vmmctl_table_add_row(VmmctlTable *t, const char *const *cells);
/* Prints to `out`; `quiet` leaves out the header and the dashes. */
void vmmctl_table_print(const VmmctlTable *t, FILE *out, bool quiet);
void vmmctl_table_done(VmmctlTable *t);

/* "Name:           value" (a 15-wide label column as virsh). */
void vmmctl_print_kv(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A size in bytes as virsh shows it: "107.37 GiB", "512.00 MiB", "0.00 B". */
void vmmctl_format_capacity(uint64_t bytes, char *buf, size_t size);

/* Prints `obj` as one JSON document on stdout and releases it. */
void vmmctl_json_print(json_object *obj);
/* Adds to an object; `value` NULL gives JSON null. */
void vmmctl_json_add_string(json_object *obj, const char *key, const char *value);
void vmmctl_json_add_int(json_object *obj, const char *key, int64_t value);
void vmmctl_json_add_bool(json_object *obj, const char *key, bool value);

/* The result of an action command: {"result":"ok", "<what>": name}. */
void vmmctl_json_print_action(const char *what, const char *name);

static inline void json_object_putp(json_object **p)
{
        if (*p)
                json_object_put(*p);
}
#define _cleanup_json_ _cleanup_(json_object_putp)
