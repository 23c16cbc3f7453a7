/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-input.h: <input>. */
#pragma once

#include "domain-address.h"

typedef enum VmmInputType {
        VMM_INPUT_TYPE_NONE = 0,
        VMM_INPUT_TYPE_MOUSE,
        VMM_INPUT_TYPE_TABLET,
        VMM_INPUT_TYPE_KEYBOARD,
        VMM_INPUT_TYPE_PASSTHROUGH,
        VMM_INPUT_TYPE_EVDEV,
        _VMM_INPUT_TYPE_MAX
} VmmInputType;

typedef enum VmmInputBus {
        VMM_INPUT_BUS_DEFAULT = 0,
        VMM_INPUT_BUS_PS2,
        VMM_INPUT_BUS_USB,
        VMM_INPUT_BUS_XEN,
        VMM_INPUT_BUS_PARALLELS,
        VMM_INPUT_BUS_VIRTIO,
        VMM_INPUT_BUS_NONE,
        _VMM_INPUT_BUS_MAX
} VmmInputBus;

typedef struct VmmDomainInput {
        int type; /* VmmInputType */
        int bus;  /* VmmInputBus */
        char *model;
        char *source_evdev, *source_dev, *source_grab, *source_repeat, *source_grab_toggle;
        VmmDevVirtio virtio;
        VmmDevInfo info;
        VmmDevExtra extra;
} VmmDomainInput;

extern const VmmDevDesc vmm_domain_input_desc;
int vmm_domain_input_check(const VmmDomainInput *input, VmmError *error);
