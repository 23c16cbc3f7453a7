/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-common.h: pieces the storage pool and volume formats share:
 * <permissions>, sizes with units, <timestamps>, extents, and the small
 * helpers that build the "what differs" text of the _equal() functions.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/xml-util.h"
#include "util/buf.h"

/* <permissions><mode/><owner/><group/><label/></permissions>. Owner and
 * group may be -1 ("leave as is"), as libvirt writes them. */
typedef struct VmmStoragePerms {
        bool present;
        bool has_mode;
        unsigned int mode; /* 0 .. 0777 */
        bool has_owner;
        int64_t owner; /* -1 or a uid */
        bool has_group;
        int64_t group; /* -1 or a gid */
        char *label;
        VmmXmlUnknown unknown;
} VmmStoragePerms;

/* Parses <permissions> `node` into `perms` (which must be zeroed). */
int vmm_storage_perms_parse(xmlNodePtr node, unsigned int flags, VmmStoragePerms *perms,
                            VmmError *error);
/* Adds <permissions> to `parent` when `perms` is present. */
void vmm_storage_perms_format(const VmmStoragePerms *perms, xmlNodePtr parent);
void vmm_storage_perms_done(VmmStoragePerms *perms);
int vmm_storage_perms_copy(const VmmStoragePerms *src, VmmStoragePerms *dst);

/* A size element (<capacity unit='G'>5</capacity>), kept in bytes. */
typedef struct VmmStorageSize {
        bool present;
        uint64_t bytes;
} VmmStorageSize;

/* Parses the size element `node` (its text and unit=, bytes by default). */
int vmm_storage_size_parse(xmlNodePtr node, VmmStorageSize *size, VmmError *error);
/* Adds <name unit='bytes'>N</name> when present (`unit` "bytes" or "B"). */
void vmm_storage_size_format(const VmmStorageSize *size, const char *name, const char *unit,
                             xmlNodePtr parent);

/* <timestamps> of a volume: seconds and nanoseconds since the epoch. */
typedef struct VmmStorageTime {
        bool present;
        int64_t sec;
        unsigned long nsec;
} VmmStorageTime;

typedef struct VmmStorageTimestamps {
        bool present;
        VmmStorageTime atime, mtime, ctime, btime;
} VmmStorageTimestamps;

int vmm_storage_timestamps_parse(xmlNodePtr node, VmmStorageTimestamps *ts, VmmError *error);
void vmm_storage_timestamps_format(const VmmStorageTimestamps *ts, xmlNodePtr parent);

/* An extent of a device: <extent start= end=/> or <freeExtent .../>. */
typedef struct VmmStorageExtent {
        uint64_t start;
        uint64_t end;
} VmmStorageExtent;

/* Parses the start= and end= attributes of `node` (both required). */
int vmm_storage_extent_parse(xmlNodePtr node, VmmStorageExtent *extent, VmmError *error);

/* A name on the fixed list `table` (n entries, NULL holes), or an error
 * naming the attribute, the value and what was expected. `context` (may be
 * NULL) says where the list comes from: "for a 'disk' pool". */
int vmm_storage_parse_enum_attr(xmlNodePtr node, const char *attr, const char *const *table, int n,
                                const char *context, int *ret, VmmError *error);

/* Fails when a child element named in `names` appears more than once:
 *     line 7: <target>: <path> is given twice (expected at most one) */
int vmm_storage_check_single(xmlNodePtr node, const char *const *names, VmmError *error);

/* Reads a required attribute; error "missing attribute 'path'" when absent. */
int vmm_storage_required_attr(xmlNodePtr node, const char *attr, char **ret, VmmError *error);

/* --- differences, for the _equal() functions --- */

void vmm_storage_diff_str(VmmBuf *diff, const char *what, const char *a, const char *b);
void vmm_storage_diff_int(VmmBuf *diff, const char *what, int64_t a, int64_t b);
void vmm_storage_diff_bool(VmmBuf *diff, const char *what, bool a, bool b);
void vmm_storage_diff_size(VmmBuf *diff, const char *what, const VmmStorageSize *a,
                           const VmmStorageSize *b);
void vmm_storage_diff_perms(VmmBuf *diff, const char *what, const VmmStoragePerms *a,
                            const VmmStoragePerms *b);
void vmm_storage_diff_timestamps(VmmBuf *diff, const char *what, const VmmStorageTimestamps *a,
                                 const VmmStorageTimestamps *b);
void vmm_storage_diff_unknown(VmmBuf *diff, const char *what, const VmmXmlUnknown *a,
                              const VmmXmlUnknown *b);
/* Ends an _equal(): true when `diff` is empty; hands its text to
 * *ret_diff (when not NULL) otherwise. Always releases `diff`. */
bool vmm_storage_diff_finish(VmmBuf *diff, char **ret_diff);
