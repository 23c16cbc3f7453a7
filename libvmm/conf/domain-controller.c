/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-controller.c: <controller> of every type (ide, scsi, sata, usb,
 * pci, virtio-serial, ccid, xenbus, isa, nvme): index, model, ports,
 * vectors, <driver>, <target> (PCI chassis and port), <master>,
 * <pcihole64>. */
#include <errno.h>
#include <string.h>

#include "domain-controller.h"
#include "util/enumtable.h"
#include "util/error.h"

static const char *const controller_type_table[_VMM_CONTROLLER_TYPE_MAX] = {
    [VMM_CONTROLLER_TYPE_IDE] = "ide",
    [VMM_CONTROLLER_TYPE_FDC] = "fdc",
    [VMM_CONTROLLER_TYPE_SCSI] = "scsi",
    [VMM_CONTROLLER_TYPE_SATA] = "sata",
    [VMM_CONTROLLER_TYPE_VIRTIO_SERIAL] = "virtio-serial",
    [VMM_CONTROLLER_TYPE_CCID] = "ccid",
    [VMM_CONTROLLER_TYPE_USB] = "usb",
    [VMM_CONTROLLER_TYPE_PCI] = "pci",
    [VMM_CONTROLLER_TYPE_XENBUS] = "xenbus",
    [VMM_CONTROLLER_TYPE_ISA] = "isa",
    [VMM_CONTROLLER_TYPE_NVME] = "nvme",
};
VMM_DEFINE_ENUM_TABLE(vmm_controller_type, VmmControllerType, controller_type_table,
                      _VMM_CONTROLLER_TYPE_MAX)

#define T VmmControllerTarget
static const VmmDevField target_fields[] = {
    VMM_DEVF(NULL, "chassisNr", VMM_DEVF_UINT, T, chassis_nr),
    VMM_DEVF(NULL, "chassis", VMM_DEVF_UINT, T, chassis),
    VMM_DEVF_X(NULL, "port", T, port, 0),
    VMM_DEVF(NULL, "busNr", VMM_DEVF_UINT, T, bus_nr),
    VMM_DEVF(NULL, "index", VMM_DEVF_UINT, T, index),
    VMM_DEVF_E(NULL, "hotplug", T, hotplug, vmm_dev_onoff_table),
    VMM_DEVF(NULL, "memReserve", VMM_DEVF_UINT, T, mem_reserve),
    VMM_DEVF("node", NULL, VMM_DEVF_UINT, T, node),
};
#undef T
static const VmmDevDesc target_desc =
    VMM_DEV_DESC(VmmControllerTarget, "target", "dev-controller-target", target_fields);

#define C VmmDomainController
static const VmmDevField controller_fields[] = {
    VMM_DEVF_ER(NULL, "type", C, type, controller_type_table),
    VMM_DEVF(NULL, "index", VMM_DEVF_UINT, C, index),
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, C, model),
    VMM_DEVF(NULL, "ports", VMM_DEVF_UINT, C, ports),
    VMM_DEVF(NULL, "vectors", VMM_DEVF_UINT, C, vectors),
    VMM_DEVF(NULL, "maxGrantFrames", VMM_DEVF_UINT, C, max_grant_frames),
    VMM_DEVF(NULL, "maxEventChannels", VMM_DEVF_UINT, C, max_event_channels),
    VMM_DEVF("model", "name", VMM_DEVF_STR, C, model_name),
    VMM_DEVF_S(NULL, "target", C, target, &target_desc),
    VMM_DEVF("serial", NULL, VMM_DEVF_STR, C, serial),
    VMM_DEVF("driver", "queues", VMM_DEVF_UINT, C, queues),
    VMM_DEVF("driver", "cmd_per_lun", VMM_DEVF_UINT, C, cmd_per_lun),
    VMM_DEVF("driver", "max_sectors", VMM_DEVF_UINT, C, max_sectors),
    VMM_DEVF_E("driver", "ioeventfd", C, ioeventfd, vmm_dev_onoff_table),
    VMM_DEVF("driver", "iothread", VMM_DEVF_UINT, C, iothread),
    VMM_DEVVIRTIO_FIELDS(C),
    VMM_DEVF("master", "startport", VMM_DEVF_UINT, C, master_startport),
    VMM_DEVF("pcihole64", NULL, VMM_DEVF_SIZE, C, pcihole64),
    VMM_DEVINFO_FIELDS(C),
};
#undef C

const VmmDevDesc vmm_domain_controller_desc =
    VMM_DEV_DESC(VmmDomainController, "controller", "dev-controller", controller_fields);

int vmm_domain_controller_check(const VmmDomainController *c, VmmError *error)
{
        if (!c->type)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "controller: type= is missing (expected \"pci\", "
                                     "\"usb\", \"scsi\", ...)");
        if (c->type == VMM_CONTROLLER_TYPE_PCI && c->index == 0 && c->model &&
            strcmp(c->model, "pci-root") != 0 && strcmp(c->model, "pcie-root") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "controller pci index 0: model '%s' is not valid here "
                                     "(expected \"pci-root\" or \"pcie-root\")",
                                     c->model);
        if (c->model && strcmp(c->model, "pci-root") == 0 && c->index > 0 && c->target &&
            c->target->index == 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "controller 'pci %lld': <target index='0'> belongs to the "
                                     "default PHB (expected an index above 0)",
                                     (long long)c->index);
        return 0;
}
