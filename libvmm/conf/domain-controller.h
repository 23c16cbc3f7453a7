/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-controller.h: <controller>. */
#pragma once

#include "domain-address.h"

typedef enum VmmControllerType {
        VMM_CONTROLLER_TYPE_NONE = 0,
        VMM_CONTROLLER_TYPE_IDE,
        VMM_CONTROLLER_TYPE_FDC,
        VMM_CONTROLLER_TYPE_SCSI,
        VMM_CONTROLLER_TYPE_SATA,
        VMM_CONTROLLER_TYPE_VIRTIO_SERIAL,
        VMM_CONTROLLER_TYPE_CCID,
        VMM_CONTROLLER_TYPE_USB,
        VMM_CONTROLLER_TYPE_PCI,
        VMM_CONTROLLER_TYPE_XENBUS,
        VMM_CONTROLLER_TYPE_ISA,
        VMM_CONTROLLER_TYPE_NVME,
        _VMM_CONTROLLER_TYPE_MAX
} VmmControllerType;

typedef struct VmmControllerTarget {
        int64_t chassis_nr, chassis, port, bus_nr, index, node;
        int hotplug;
        int64_t mem_reserve;
        VmmDevExtra extra;
} VmmControllerTarget;

typedef struct VmmDomainController {
        int type; /* VmmControllerType */
        int64_t index;
        char *model;
        int64_t ports, vectors, max_grant_frames, max_event_channels;
        char *serial;
        char *model_name;
        VmmControllerTarget *target;
        int64_t queues, cmd_per_lun, max_sectors, iothread;
        int ioeventfd;
        VmmDevVirtio virtio;
        int64_t master_startport;
        int64_t pcihole64;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainController;

extern const VmmDevDesc vmm_domain_controller_desc;
const char *vmm_controller_type_to_string(VmmControllerType v);
int vmm_controller_type_from_string(const char *s);
int vmm_domain_controller_check(const VmmDomainController *c, VmmError *error);
