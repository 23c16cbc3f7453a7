/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-chr.h: character devices: <serial>, <console>, <parallel>,
 * <channel>. */
#pragma once

#include "domain-address.h"

typedef enum VmmChrType {
        VMM_CHR_TYPE_NONE = 0,
        VMM_CHR_TYPE_NULL,
        VMM_CHR_TYPE_VC,
        VMM_CHR_TYPE_PTY,
        VMM_CHR_TYPE_DEV,
        VMM_CHR_TYPE_FILE,
        VMM_CHR_TYPE_PIPE,
        VMM_CHR_TYPE_STDIO,
        VMM_CHR_TYPE_UDP,
        VMM_CHR_TYPE_TCP,
        VMM_CHR_TYPE_UNIX,
        VMM_CHR_TYPE_SPICEVMC,
        VMM_CHR_TYPE_SPICEPORT,
        VMM_CHR_TYPE_NMDM,
        VMM_CHR_TYPE_QEMU_VDAGENT,
        VMM_CHR_TYPE_DBUS,
        _VMM_CHR_TYPE_MAX
} VmmChrType;

typedef struct VmmChrSeclabel {
        char *model, *relabel, *label;
        VmmDevExtra extra;
} VmmChrSeclabel;

typedef struct VmmChrSource {
        char *path, *mode, *host, *service, *channel, *master, *slave;
        int tls, append;
        int reconnect_enabled;
        int64_t reconnect_timeout;
        VmmChrSeclabel **seclabels;
        size_t n_seclabels;
        VmmDevExtra extra;
} VmmChrSource;

typedef struct VmmChrTargetModel {
        char *name;
        VmmDevExtra extra;
} VmmChrTargetModel;

typedef struct VmmDomainChr {
        int type; /* VmmChrType */
        char *tty;
        VmmChrSource **sources; /* udp has two: bind and connect */
        size_t n_sources;
        char *protocol;
        char *target_type, *target_name, *target_address, *target_state;
        VmmChrTargetModel *target_model;
        int64_t target_port;
        char *log_file;
        int log_append;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainChr;

/* <source> of a character device, also used by <redirdev> and <smartcard>. */
extern const VmmDevDesc vmm_domain_chr_source_desc;
extern const VmmDevDesc vmm_domain_serial_desc;
extern const VmmDevDesc vmm_domain_console_desc;
extern const VmmDevDesc vmm_domain_parallel_desc;
extern const VmmDevDesc vmm_domain_channel_desc;

/* Checks the source fits the type (file needs a path, tcp a service...). */
int vmm_domain_chr_check(const char *kind, const VmmDomainChr *chr, VmmError *error);
