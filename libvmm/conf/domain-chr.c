/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-chr.c: <serial>, <console>, <parallel> and <channel>: the host
 * side (type and <source>, <protocol>, <log>) and the guest side
 * (<target>).
 */
#include <errno.h>
#include <string.h>

#include "domain-chr.h"
#include "util/error.h"

static const char *const chr_type_table[_VMM_CHR_TYPE_MAX] = {
    [VMM_CHR_TYPE_NULL] = "null",         [VMM_CHR_TYPE_VC] = "vc",
    [VMM_CHR_TYPE_PTY] = "pty",           [VMM_CHR_TYPE_DEV] = "dev",
    [VMM_CHR_TYPE_FILE] = "file",         [VMM_CHR_TYPE_PIPE] = "pipe",
    [VMM_CHR_TYPE_STDIO] = "stdio",       [VMM_CHR_TYPE_UDP] = "udp",
    [VMM_CHR_TYPE_TCP] = "tcp",           [VMM_CHR_TYPE_UNIX] = "unix",
    [VMM_CHR_TYPE_SPICEVMC] = "spicevmc", [VMM_CHR_TYPE_SPICEPORT] = "spiceport",
    [VMM_CHR_TYPE_NMDM] = "nmdm",         [VMM_CHR_TYPE_QEMU_VDAGENT] = "qemu-vdagent",
    [VMM_CHR_TYPE_DBUS] = "dbus",
};

#define DESC(T, elem, id, tbl)                                                                     \
        {                                                                                          \
                .name = elem, .rng_id = id, .size = sizeof(T), .fields = tbl,                      \
                .n_fields = ARRAY_SIZE(tbl), .extra_offset = offsetof(T, extra)                    \
        }

static const VmmDevField seclabel_fields[] = {
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, VmmChrSeclabel, model),
    VMM_DEVF(NULL, "relabel", VMM_DEVF_STR, VmmChrSeclabel, relabel),
    VMM_DEVF("label", NULL, VMM_DEVF_STR, VmmChrSeclabel, label),
};
static const VmmDevDesc seclabel_desc =
    DESC(VmmChrSeclabel, "seclabel", "dev-chr-seclabel", seclabel_fields);

#define S VmmChrSource
static const VmmDevField source_fields[] = {
    VMM_DEVF(NULL, "mode", VMM_DEVF_STR, S, mode),
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, S, path),
    VMM_DEVF(NULL, "host", VMM_DEVF_STR, S, host),
    VMM_DEVF(NULL, "service", VMM_DEVF_STR, S, service),
    VMM_DEVF(NULL, "channel", VMM_DEVF_STR, S, channel),
    VMM_DEVF(NULL, "master", VMM_DEVF_STR, S, master),
    VMM_DEVF(NULL, "slave", VMM_DEVF_STR, S, slave),
    VMM_DEVF_E(NULL, "tls", S, tls, vmm_dev_yesno_table),
    VMM_DEVF_E(NULL, "append", S, append, vmm_dev_onoff_table),
    VMM_DEVF_E("reconnect", "enabled", S, reconnect_enabled, vmm_dev_yesno_table),
    VMM_DEVF("reconnect", "timeout", VMM_DEVF_UINT, S, reconnect_timeout),
    VMM_DEVF_L(NULL, "seclabel", S, seclabels, n_seclabels, &seclabel_desc),
};
#undef S
const VmmDevDesc vmm_domain_chr_source_desc =
    DESC(VmmChrSource, "source", "dev-chr-source", source_fields);

static const VmmDevField target_model_fields[] = {
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, VmmChrTargetModel, name),
};
static const VmmDevDesc target_model_desc =
    DESC(VmmChrTargetModel, "model", "dev-chr-target-model", target_model_fields);

#define C VmmDomainChr
static const VmmDevField chr_fields[] = {
    VMM_DEVF_E(NULL, "type", C, type, chr_type_table),
    VMM_DEVF(NULL, "tty", VMM_DEVF_STR, C, tty),
    VMM_DEVF_L(NULL, "source", C, sources, n_sources, &vmm_domain_chr_source_desc),
    VMM_DEVF("protocol", "type", VMM_DEVF_STR, C, protocol),
    VMM_DEVF_R("log", "file", VMM_DEVF_STR, C, log_file),
    VMM_DEVF_E("log", "append", C, log_append, vmm_dev_onoff_table),
    VMM_DEVF("target", "type", VMM_DEVF_STR, C, target_type),
    VMM_DEVF("target", "port", VMM_DEVF_UINT, C, target_port),
    VMM_DEVF("target", "name", VMM_DEVF_STR, C, target_name),
    VMM_DEVF("target", "address", VMM_DEVF_STR, C, target_address),
    VMM_DEVF("target", "state", VMM_DEVF_STR, C, target_state),
    VMM_DEVF_S("target", "model", C, target_model, &target_model_desc),
    VMM_DEVINFO_FIELDS(C),
};
#undef C

const VmmDevDesc vmm_domain_serial_desc = DESC(VmmDomainChr, "serial", "dev-serial", chr_fields);
const VmmDevDesc vmm_domain_console_desc = DESC(VmmDomainChr, "console", "dev-console", chr_fields);
const VmmDevDesc vmm_domain_parallel_desc =
    DESC(VmmDomainChr, "parallel", "dev-parallel", chr_fields);
const VmmDevDesc vmm_domain_channel_desc = DESC(VmmDomainChr, "channel", "dev-channel", chr_fields);

int vmm_domain_chr_check(const char *kind, const VmmDomainChr *chr, VmmError *error)
{
        const VmmChrSource *src = chr->n_sources ? chr->sources[0] : NULL;
        const char *type = chr_type_table[chr->type];

        for (size_t i = 0; i < chr->n_sources; i++)
                if (chr->sources[i]->reconnect_enabled == VMM_DEV_YES &&
                    chr->sources[i]->reconnect_timeout == 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "%s of type '%s': <reconnect timeout='0'> is not "
                                             "valid (expected the seconds between attempts, at "
                                             "least 1)",
                                             kind, strna(type));
        switch (chr->type) {
        case VMM_CHR_TYPE_UNIX:
                /* a channel's socket path may be left to the host to choose */
                if (strcmp(kind, "channel") == 0)
                        break;
                /* fall through */
        case VMM_CHR_TYPE_FILE:
        case VMM_CHR_TYPE_DEV:
        case VMM_CHR_TYPE_PIPE:
                if (!src || !src->path)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "%s of type '%s': <source path='...'/> is "
                                             "missing",
                                             kind, type);
                break;
        case VMM_CHR_TYPE_TCP:
                if (!src || !src->service)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "%s of type 'tcp': <source service='...'/> (the "
                                             "port) is missing",
                                             kind);
                break;
        default:
                break;
        }
        return 0;
}
