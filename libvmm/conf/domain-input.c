/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-input.c: <input> (mouse, tablet, keyboard, passthrough, evdev) on
 * a bus (ps2, usb, xen, virtio). */
#include <errno.h>

#include "domain-input.h"
#include "util/error.h"

static const char *const input_type_table[_VMM_INPUT_TYPE_MAX] = {
    [VMM_INPUT_TYPE_MOUSE] = "mouse",       [VMM_INPUT_TYPE_TABLET] = "tablet",
    [VMM_INPUT_TYPE_KEYBOARD] = "keyboard", [VMM_INPUT_TYPE_PASSTHROUGH] = "passthrough",
    [VMM_INPUT_TYPE_EVDEV] = "evdev",
};
static const char *const input_bus_table[_VMM_INPUT_BUS_MAX] = {
    [VMM_INPUT_BUS_PS2] = "ps2",       [VMM_INPUT_BUS_USB] = "usb",
    [VMM_INPUT_BUS_XEN] = "xen",       [VMM_INPUT_BUS_PARALLELS] = "parallels",
    [VMM_INPUT_BUS_VIRTIO] = "virtio", [VMM_INPUT_BUS_NONE] = "none",
};

#define I VmmDomainInput
static const VmmDevField input_fields[] = {
    VMM_DEVF_ER(NULL, "type", I, type, input_type_table),
    VMM_DEVF_E(NULL, "bus", I, bus, input_bus_table),
    VMM_DEVF(NULL, "model", VMM_DEVF_STR, I, model),
    VMM_DEVF("source", "evdev", VMM_DEVF_STR, I, source_evdev),
    VMM_DEVF("source", "dev", VMM_DEVF_STR, I, source_dev),
    VMM_DEVF("source", "grab", VMM_DEVF_STR, I, source_grab),
    VMM_DEVF("source", "repeat", VMM_DEVF_STR, I, source_repeat),
    VMM_DEVF("source", "grabToggle", VMM_DEVF_STR, I, source_grab_toggle),
    VMM_DEVVIRTIO_FIELDS(I),
    VMM_DEVINFO_FIELDS(I),
};
#undef I

const VmmDevDesc vmm_domain_input_desc =
    VMM_DEV_DESC(VmmDomainInput, "input", "dev-input", input_fields);

int vmm_domain_input_check(const VmmDomainInput *input, VmmError *error)
{
        if (!input->type)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "input: type= is missing (expected \"mouse\", "
                                     "\"tablet\", \"keyboard\", ...)");
        if ((input->type == VMM_INPUT_TYPE_PASSTHROUGH || input->type == VMM_INPUT_TYPE_EVDEV) &&
            !input->source_evdev && !input->source_dev)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "input %s: <source evdev='...'/> or <source dev='...'/> "
                                     "is missing",
                                     input_type_table[input->type]);
        return 0;
}
