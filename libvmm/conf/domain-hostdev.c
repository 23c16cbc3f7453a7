/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-hostdev.c: <hostdev> (pci, usb, scsi, scsi_host, mdev; and
 * capabilities mode), <redirdev>, <smartcard>, <filesystem>, <shmem>,
 * <memory> (dimm, nvdimm, virtio-mem, ...) and <pstore>. */
#include <errno.h>
#include <string.h>

#include "domain-hostdev.h"
#include "util/error.h"

static const VmmDevField hhost_fields[] = {
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, VmmHostdevHost, name),
    VMM_DEVF(NULL, "port", VMM_DEVF_UINT, VmmHostdevHost, port),
};
static const VmmDevDesc hhost_desc =
    VMM_DEV_DESC(VmmHostdevHost, "host", "dev-hostdev-host", hhost_fields);

#define S VmmHostdevSource
static const VmmDevField hsource_fields[] = {
    VMM_DEVF(NULL, "startupPolicy", VMM_DEVF_STR, S, startup_policy),
    VMM_DEVF(NULL, "guestReset", VMM_DEVF_STR, S, guest_reset),
    VMM_DEVF(NULL, "writeFiltering", VMM_DEVF_STR, S, write_filtering),
    VMM_DEVF(NULL, "protocol", VMM_DEVF_STR, S, protocol),
    VMM_DEVF(NULL, "name", VMM_DEVF_STR, S, name),
    VMM_DEVF(NULL, "wwpn", VMM_DEVF_STR, S, wwpn),
    VMM_DEVF_X("vendor", "id", S, vendor_id, 4),
    VMM_DEVF_X("product", "id", S, product_id, 4),
    VMM_DEVF_S(NULL, "address", S, address, &vmm_dev_host_address_desc),
    VMM_DEVF("adapter", "name", VMM_DEVF_STR, S, adapter_name),
    VMM_DEVF_L(NULL, "host", S, hosts, n_hosts, &hhost_desc),
    VMM_DEVF_S(NULL, "auth", S, auth, &vmm_disk_auth_desc),
    VMM_DEVF_S(NULL, "initiator", S, initiator, &vmm_disk_initiator_desc),
    VMM_DEVF("block", NULL, VMM_DEVF_STR, S, block),
    VMM_DEVF("char", NULL, VMM_DEVF_STR, S, char_dev),
    VMM_DEVF("interface", NULL, VMM_DEVF_STR, S, interface),
};
#undef S
static const VmmDevDesc hsource_desc =
    VMM_DEV_DESC(VmmHostdevSource, "source", "dev-hostdev-source", hsource_fields);

#define D VmmDomainHostdev
static const VmmDevField hostdev_fields[] = {
    VMM_DEVF(NULL, "mode", VMM_DEVF_STR, D, mode),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, D, type),
    VMM_DEVF_E(NULL, "managed", D, managed, vmm_dev_yesno_table),
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, D, model),
    VMM_DEVF(NULL, "display", VMM_DEVF_STR, D, display),
    VMM_DEVF(NULL, "ramfb", VMM_DEVF_STR, D, ramfb),
    VMM_DEVF(NULL, "sgio", VMM_DEVF_STR, D, sgio),
    VMM_DEVF(NULL, "rawio", VMM_DEVF_STR, D, rawio),
    VMM_DEVF_S(NULL, "source", D, source, &hsource_desc),
    VMM_DEVF("driver", "name", VMM_DEVF_STR, D, driver_name),
    VMM_DEVF("driver", "model", VMM_DEVF_STR, D, driver_model),
    VMM_DEVF("teaming", "type", VMM_DEVF_STR, D, teaming_type),
    VMM_DEVF("teaming", "persistent", VMM_DEVF_STR, D, teaming_persistent),
    VMM_DEVF_E("rom", "bar", D, rom_bar, vmm_dev_onoff_table),
    VMM_DEVF_E("rom", "enabled", D, rom_enabled, vmm_dev_yesno_table),
    VMM_DEVF("rom", "file", VMM_DEVF_STR, D, rom_file),
    VMM_DEVF("readonly", NULL, VMM_DEVF_FLAG, D, readonly),
    VMM_DEVF("shareable", NULL, VMM_DEVF_FLAG, D, shareable),
    VMM_DEVINFO_FIELDS(D),
};
#undef D
const VmmDevDesc vmm_domain_hostdev_desc =
    VMM_DEV_DESC(VmmDomainHostdev, "hostdev", "dev-hostdev", hostdev_fields);

#define R VmmDomainRedirdev
static const VmmDevField redirdev_fields[] = {
    VMM_DEVF_R(NULL, "bus", VMM_DEVF_STR, R, bus),
    VMM_DEVF_R(NULL, "type", VMM_DEVF_STR, R, type),
    VMM_DEVF_L(NULL, "source", R, sources, n_sources, &vmm_domain_chr_source_desc),
    VMM_DEVF("protocol", "type", VMM_DEVF_STR, R, protocol),
    VMM_DEVINFO_FIELDS(R),
};
#undef R
const VmmDevDesc vmm_domain_redirdev_desc =
    VMM_DEV_DESC(VmmDomainRedirdev, "redirdev", "dev-redirdev", redirdev_fields);

static const VmmDevField cert_fields[] = {
    VMM_DEVF(NULL, NULL, VMM_DEVF_STR, VmmSmartcardCert, path),
};
static const VmmDevDesc cert_desc =
    VMM_DEV_DESC(VmmSmartcardCert, "certificate", "dev-smartcard-certificate", cert_fields);
#define C VmmDomainSmartcard
static const VmmDevField smartcard_fields[] = {
    VMM_DEVF_R(NULL, "mode", VMM_DEVF_STR, C, mode),
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, C, type),
    VMM_DEVF_L(NULL, "certificate", C, certificates, n_certificates, &cert_desc),
    VMM_DEVF("database", NULL, VMM_DEVF_STR, C, database),
    VMM_DEVF_L(NULL, "source", C, sources, n_sources, &vmm_domain_chr_source_desc),
    VMM_DEVF("protocol", "type", VMM_DEVF_STR, C, protocol),
    VMM_DEVINFO_FIELDS(C),
};
#undef C
const VmmDevDesc vmm_domain_smartcard_desc =
    VMM_DEV_DESC(VmmDomainSmartcard, "smartcard", "dev-smartcard", smartcard_fields);

static const VmmDevField binary_fields[] = {
    VMM_DEVF(NULL, "path", VMM_DEVF_STR, VmmFsBinary, path),
    VMM_DEVF(NULL, "xattr", VMM_DEVF_STR, VmmFsBinary, xattr),
    VMM_DEVF("cache", "mode", VMM_DEVF_STR, VmmFsBinary, cache_mode),
    VMM_DEVF("sandbox", "mode", VMM_DEVF_STR, VmmFsBinary, sandbox_mode),
    VMM_DEVF("lock", "posix", VMM_DEVF_STR, VmmFsBinary, lock_posix),
    VMM_DEVF("lock", "flock", VMM_DEVF_STR, VmmFsBinary, lock_flock),
};
static const VmmDevDesc binary_desc =
    VMM_DEV_DESC(VmmFsBinary, "binary", "dev-fs-binary", binary_fields);

#define F VmmDomainFilesystem
static const VmmDevField filesystem_fields[] = {
    VMM_DEVF(NULL, "type", VMM_DEVF_STR, F, type),
    VMM_DEVF(NULL, "accessmode", VMM_DEVF_STR, F, accessmode),
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, F, model),
    VMM_DEVF(NULL, "multidevs", VMM_DEVF_STR, F, multidevs),
    VMM_DEVF(NULL, "fmode", VMM_DEVF_STR, F, fmode),
    VMM_DEVF(NULL, "dmode", VMM_DEVF_STR, F, dmode),
    VMM_DEVF("driver", "type", VMM_DEVF_STR, F, driver_type),
    VMM_DEVF("driver", "format", VMM_DEVF_STR, F, driver_format),
    VMM_DEVF("driver", "wrpolicy", VMM_DEVF_STR, F, driver_wrpolicy),
    VMM_DEVF("driver", "queue", VMM_DEVF_UINT, F, driver_queue),
    VMM_DEVVIRTIO_FIELDS(F),
    VMM_DEVF_S(NULL, "binary", F, binary, &binary_desc),
    VMM_DEVF("source", "dir", VMM_DEVF_STR, F, source_dir),
    VMM_DEVF("source", "file", VMM_DEVF_STR, F, source_file),
    VMM_DEVF("source", "name", VMM_DEVF_STR, F, source_name),
    VMM_DEVF("source", "socket", VMM_DEVF_STR, F, source_socket),
    VMM_DEVF("source", "usage", VMM_DEVF_UINT, F, source_usage),
    VMM_DEVF("source", "units", VMM_DEVF_STR, F, source_usage_units),
    VMM_DEVF("target", "dir", VMM_DEVF_STR, F, target_dir),
    VMM_DEVF("readonly", NULL, VMM_DEVF_FLAG, F, readonly),
    VMM_DEVF("space_hard_limit", NULL, VMM_DEVF_SIZE, F, space_hard_limit),
    VMM_DEVF("space_soft_limit", NULL, VMM_DEVF_SIZE, F, space_soft_limit),
    VMM_DEVINFO_FIELDS(F),
};
#undef F
const VmmDevDesc vmm_domain_filesystem_desc =
    VMM_DEV_DESC(VmmDomainFilesystem, "filesystem", "dev-filesystem", filesystem_fields);

#define M VmmDomainShmem
static const VmmDevField shmem_fields[] = {
    VMM_DEVF_R(NULL, "name", VMM_DEVF_STR, M, name),
    VMM_DEVF(NULL, "role", VMM_DEVF_STR, M, role),
    VMM_DEVF("model", "type", VMM_DEVF_STR, M, model),
    VMM_DEVF("size", NULL, VMM_DEVF_SIZE, M, size),
    VMM_DEVF("server", "path", VMM_DEVF_STR, M, server_path),
    VMM_DEVF("msi", "vectors", VMM_DEVF_UINT, M, msi_vectors),
    VMM_DEVF_E("msi", "ioeventfd", M, msi_ioeventfd, vmm_dev_onoff_table),
    VMM_DEVINFO_FIELDS(M),
};
#undef M
const VmmDevDesc vmm_domain_shmem_desc =
    VMM_DEV_DESC(VmmDomainShmem, "shmem", "dev-shmem", shmem_fields);

static const VmmDevField msource_fields[] = {
    VMM_DEVF("pagesize", NULL, VMM_DEVF_SIZE, VmmMemorySource, pagesize),
    VMM_DEVF("nodemask", NULL, VMM_DEVF_STR, VmmMemorySource, nodemask),
    VMM_DEVF("path", NULL, VMM_DEVF_STR, VmmMemorySource, path),
    VMM_DEVF("alignsize", NULL, VMM_DEVF_SIZE, VmmMemorySource, alignsize),
    VMM_DEVF("pmem", NULL, VMM_DEVF_FLAG, VmmMemorySource, pmem),
};
static const VmmDevDesc msource_desc =
    VMM_DEV_DESC(VmmMemorySource, "source", "dev-memory-source", msource_fields);
static const VmmDevField mlabel_fields[] = {
    VMM_DEVF("size", NULL, VMM_DEVF_SIZE, VmmMemoryLabel, size),
};
static const VmmDevDesc mlabel_desc =
    VMM_DEV_DESC(VmmMemoryLabel, "label", "dev-memory-label", mlabel_fields);
#define T VmmMemoryTarget
static const VmmDevField mtarget_fields[] = {
    VMM_DEVF("size", NULL, VMM_DEVF_SIZE, T, size),
    VMM_DEVF("node", NULL, VMM_DEVF_UINT, T, node),
    VMM_DEVF_S(NULL, "label", T, label, &mlabel_desc),
    VMM_DEVF("block", NULL, VMM_DEVF_SIZE, T, block),
    VMM_DEVF("requested", NULL, VMM_DEVF_SIZE, T, requested),
    VMM_DEVF("current", NULL, VMM_DEVF_SIZE, T, current),
    VMM_DEVF("readonly", NULL, VMM_DEVF_FLAG, T, readonly),
    VMM_DEVF_X("address", "base", T, address_base, 0),
};
#undef T
static const VmmDevDesc mtarget_desc =
    VMM_DEV_DESC(VmmMemoryTarget, "target", "dev-memory-target", mtarget_fields);
#define M VmmDomainMemory
static const VmmDevField memory_fields[] = {
    VMM_DEVF_R(NULL, "model", VMM_DEVF_STR, M, model),
    VMM_DEVF(NULL, "access", VMM_DEVF_STR, M, access),
    VMM_DEVF_E(NULL, "discard", M, discard, vmm_dev_yesno_table),
    VMM_DEVF_S(NULL, "source", M, source, &msource_desc),
    VMM_DEVF_S(NULL, "target", M, target, &mtarget_desc),
    VMM_DEVINFO_FIELDS(M),
};
#undef M
const VmmDevDesc vmm_domain_memory_desc =
    VMM_DEV_DESC(VmmDomainMemory, "memory", "dev-memory", memory_fields);

static const VmmDevField pstore_fields[] = {
    VMM_DEVF(NULL, "backend", VMM_DEVF_STR, VmmDomainPstore, backend),
    VMM_DEVF("path", NULL, VMM_DEVF_STR, VmmDomainPstore, path),
    VMM_DEVF("size", NULL, VMM_DEVF_SIZE, VmmDomainPstore, size),
    VMM_DEVINFO_FIELDS(VmmDomainPstore),
};
const VmmDevDesc vmm_domain_pstore_desc =
    VMM_DEV_DESC(VmmDomainPstore, "pstore", "dev-pstore", pstore_fields);

int vmm_domain_hostdev_check(const VmmDomainHostdev *hostdev, VmmError *error)
{
        if (!hostdev->type && (!hostdev->mode || strcmp(hostdev->mode, "subsystem") == 0))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "hostdev: type= is missing (expected \"pci\", \"usb\", "
                                     "\"scsi\", \"mdev\", ...)");
        if (hostdev->sgio && (!hostdev->type || strcmp(hostdev->type, "scsi") != 0))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "hostdev %s: sgio= applies only to type 'scsi'",
                                     strna(hostdev->type));
        if (!hostdev->source)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "hostdev %s: <source> is missing (expected the host "
                                     "device, e.g. <source><address .../></source>)",
                                     strna(hostdev->type));
        return 0;
}

int vmm_domain_filesystem_check(const VmmDomainFilesystem *fs, VmmError *error)
{
        if (!fs->target_dir)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "filesystem: <target dir='...'/> is missing (expected "
                                     "the mount tag the guest uses)");
        return 0;
}

int vmm_domain_shmem_check(const VmmDomainShmem *shmem, VmmError *error)
{
        int64_t kib = shmem->size;

        /* the guest maps the region as a PCI BAR: a power of two */
        if (kib != VMM_DEV_UNSET && (kib == 0 || (kib & (kib - 1)) != 0))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "shmem '%s': size %lld KiB is not a power of two "
                                     "(expected e.g. 4 MiB)",
                                     strna(shmem->name), (long long)kib);
        return 0;
}
