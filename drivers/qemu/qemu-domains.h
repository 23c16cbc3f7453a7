/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-domains.h: the qemu driver's persistent domains, as vmm-qemud keeps
 * them: one XML file per domain in the config directory
 * (<config>/NAME.xml, written atomically), an autostart marker per domain
 * (<config>/autostart/NAME.xml, a symlink to the definition, as libvirt
 * does), and in-memory indexes by name and by UUID.
 *
 * The store is single-threaded (the daemon's loop owns it). Objects it
 * returns stay valid until the next define or undefine.
 *
 * With a journal (vmm_qemu_domains_open_journal), a change is durable
 * once its journal record is synced; its file is then written (without a
 * sync of its own) before the call returns, or retried behind it when that
 * fails. The store never reads them back while it runs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "conf/domain.h"
#include "util/uuid.h"

typedef struct VmmQemuDomains VmmQemuDomains;

typedef struct VmmQemuDomain {
        VmmDomainDef *def;
        char *name;
        uint8_t uuid[VMM_UUID_LEN];
        char uuid_str[VMM_UUID_STRLEN];
        bool autostart;
} VmmQemuDomain;

/* The directories of one daemon instance (see DESIGN.md, runtime layout). */
typedef struct VmmQemuPaths {
        char *config_dir; /* definitions: /etc/vmm/qemu */
        char *state_dir;  /* /var/lib/vmm/qemu */
        char *run_dir;    /* sockets: /run/vmm */
} VmmQemuPaths;

/* Fills `paths` for `root` (everything under it, as VMM_ROOT), else for a
 * session daemon ($XDG_CONFIG_HOME/vmm/qemu, $XDG_DATA_HOME/vmm/qemu,
 * $XDG_RUNTIME_DIR/vmm) when `session`, else for the system. */
int vmm_qemu_paths_init(VmmQemuPaths *paths, const char *root, bool session, VmmError *error);
void vmm_qemu_paths_done(VmmQemuPaths *paths);

/* Creates the store for `config_dir` (created when missing) without
 * loading anything. */
int vmm_qemu_domains_new(const char *config_dir, VmmQemuDomains **ret_store, VmmError *error);
VmmQemuDomains *vmm_qemu_domains_free(VmmQemuDomains *store);
DEFINE_CLEANUP(VmmQemuDomains, vmm_qemu_domains_free)

/* Loads every NAME.xml of the config directory, in name order. A file
 * that cannot be read or parsed, or whose name or UUID clashes, is logged
 * with its name and skipped. Files of domains already in the store are
 * left alone, so calling it again (SIGHUP) picks up only new files.
 * Returns how many definitions were loaded. */
int vmm_qemu_domains_load(VmmQemuDomains *store);

/* Makes defines and undefines durable through a write-ahead journal at
 * `path` (qemu-journal.h) instead of syncing each file: replays what the
 * journal holds into the files first, so call it before
 * vmm_qemu_domains_load(). Returns how many records were replayed. */
int vmm_qemu_domains_open_journal(VmmQemuDomains *store, const char *path, VmmError *error);
/* Waits until every journaled change is in durable files (no-op without a
 * journal). */
int vmm_qemu_domains_checkpoint(VmmQemuDomains *store, VmmError *error);
/* The journal's figures (all 0 without a journal). */
struct VmmQemuJournalStats;
void vmm_qemu_domains_journal_stats(VmmQemuDomains *store, struct VmmQemuJournalStats *ret);

size_t vmm_qemu_domains_count(const VmmQemuDomains *store);
/* Grows with every define, redefine and undefine (caches compare it). */
uint64_t vmm_qemu_domains_changes(const VmmQemuDomains *store);
VmmQemuDomain *vmm_qemu_domains_find_by_name(VmmQemuDomains *store, const char *name);
VmmQemuDomain *vmm_qemu_domains_find_by_uuid(VmmQemuDomains *store,
                                             const uint8_t uuid[VMM_UUID_LEN]);

/*
 * Defines (or redefines, same name and UUID) a domain from `xml`, in three
 * steps so the daemon's loop never waits for the disk:
 *   prepare (loop): parse, give defaults, validate, check name and UUID
 *     against the domains and the defines in progress, format the file;
 *   write (any thread): the atomic, durable write; touches no store state;
 *   commit (loop): on success the domain enters (or is replaced in) the
 *     indexes; *ret_updated tells a redefinition. Returns the write's error.
 * A bad definition fails in prepare and leaves disk and indexes unchanged.
 * While a define of a name or UUID is in progress, another define or an
 * undefine of it fails with -EBUSY. `flags`: the public VmmDomainDefineFlags.
 */
typedef struct VmmQemuDefine VmmQemuDefine;
int vmm_qemu_domains_define_prepare(VmmQemuDomains *store, const char *xml, unsigned int flags,
                                    VmmQemuDefine **ret_op, VmmError *error);
void vmm_qemu_define_write(VmmQemuDefine *op);
int vmm_qemu_domains_define_commit(VmmQemuDomains *store, VmmQemuDefine *op,
                                   VmmQemuDomain **ret_dom, bool *ret_updated, VmmError *error);
/* Frees a committed op, or abandons a prepared one (releasing its name). */
void vmm_qemu_define_free(VmmQemuDomains *store, VmmQemuDefine *op);

/* The three steps in a row, for callers that may block. */
int vmm_qemu_domains_define(VmmQemuDomains *store, const char *xml, unsigned int flags,
                            VmmQemuDomain **ret_dom, bool *ret_updated, VmmError *error);

/* Removes the definition file, the autostart marker and the object. */
int vmm_qemu_domains_undefine(VmmQemuDomains *store, VmmQemuDomain *dom, VmmError *error);

/*
 * A change of a definition in three steps, as a define: prepare (loop)
 * fails with -EBUSY while a define, undefine or autostart change of the
 * name or UUID is in progress, and holds both until the op is freed;
 * write (any thread) makes the change durable (with a journal: waits for
 * its record's sync, shared with concurrent changes, then the file or
 * link step); commit (loop) applies it to the object, returning the
 * write's error. An undefine removes the definition file, the autostart
 * link and the object (`dom` is invalid after a successful commit).
 */
typedef struct VmmQemuChange VmmQemuChange;
int vmm_qemu_domains_undefine_prepare(VmmQemuDomains *store, VmmQemuDomain *dom,
                                      VmmQemuChange **ret_op, VmmError *error);
/* Makes or removes the autostart link. *ret_op is NULL (and the call
 * returns 0) when the flag is already `autostart`. */
int vmm_qemu_domains_autostart_prepare(VmmQemuDomains *store, VmmQemuDomain *dom,
                                       bool autostart, VmmQemuChange **ret_op, VmmError *error);
void vmm_qemu_change_write(VmmQemuChange *op);
int vmm_qemu_domains_change_commit(VmmQemuDomains *store, VmmQemuChange *op, VmmError *error);
void vmm_qemu_change_free(VmmQemuDomains *store, VmmQemuChange *op);

/* The same steps in a row, for callers that may block. */
int vmm_qemu_domains_set_autostart(VmmQemuDomains *store, VmmQemuDomain *dom, bool autostart,
                                   VmmError *error);

/* The domains matching the public VmmDomainListFlags, sorted by name, in
 * a heap array (the objects belong to the store). */
int vmm_qemu_domains_list(VmmQemuDomains *store, unsigned int flags, VmmQemuDomain ***ret_doms,
                          size_t *ret_count, VmmError *error);
