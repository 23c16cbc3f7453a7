/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-domains-internal.h: what the store's files share (not for callers). */
#pragma once

#include <libxml/hash.h>

#include "qemu-domains.h"
#include "qemu-journal.h"

struct VmmQemuDomains {
        char *config_dir;
        char *autostart_dir;
        xmlHashTablePtr by_name; /* name -> VmmQemuDomain (owns them) */
        xmlHashTablePtr by_uuid; /* canonical UUID text -> VmmQemuDomain */
        size_t count;
        xmlHashTablePtr pending_names; /* defines in progress, name -> op */
        xmlHashTablePtr pending_uuids; /* and UUID -> op */
        VmmQemuDomain **sorted;        /* by name, rebuilt by a list after a change */
        bool sorted_valid;
        VmmQemuJournal *journal; /* NULL: each write is synced on its own */
        uint64_t changes;        /* defines and undefines committed */
};

VmmQemuDomain *qemu_domain_free(VmmQemuDomain *dom);
int qemu_domain_new(VmmDomainDef *def, VmmQemuDomain **ret_dom, VmmError *error);
int qemu_domains_insert(VmmQemuDomains *s, VmmQemuDomain *dom, VmmError *error);
/* <config>/NAME.xml, or <config>/autostart/NAME.xml. */
int qemu_domains_path(const VmmQemuDomains *s, bool autostart, const char *name, char **ret_path,
                      VmmError *error);

/* With a journal (qemu-domains-journal.c): a define's file (`absent`:
 * the name has no file yet), an undefine's removal of the file and its
 * autostart link, an autostart change; durable through the record, the
 * files written behind it. */
int qemu_domains_journal_write(VmmQemuJournal *j, const char *name, const char *path,
                               const char *xml, bool absent, VmmError *error);
int qemu_domains_journal_unlink(VmmQemuJournal *j, const char *name, VmmError *error);
int qemu_domains_journal_autostart(VmmQemuJournal *j, const char *name, bool autostart,
                                   VmmError *error);
