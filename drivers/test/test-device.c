/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-device.c: the test driver's attach-device and detach-device. The
 * live definition stands for the guest: LIVE changes it, CONFIG changes
 * the persistent one, with the flag rules of the qemu driver (CURRENT is
 * LIVE when running, else CONFIG; LIVE on a shut-off domain and CONFIG on
 * a transient one are refused). Both new definitions are built before
 * either is installed, so a failed call changes nothing.
 */
#include <errno.h>
#include <stdlib.h>

#include "conf/domain-device-edit.h"
#include "test-driver.h"
#include "util/error.h"

typedef struct DeviceEdit {
        bool attach;
        const char *op; /* "attach" or "detach" */
        VmmDomainDevices *one;
        VmmDomainDeviceKind kind;
} DeviceEdit;

static int device_flags(const TestDomain *dom, unsigned int flags, const char *op, bool *ret_live,
                        bool *ret_config, VmmError *error)
{
        bool live = flags & VMM_DOMAIN_AFFECT_LIVE, config = flags & VMM_DOMAIN_AFFECT_CONFIG;

        if (!live && !config) {
                live = dom->live != NULL;
                config = !live;
        }
        if (live && !dom->live)
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "%s device to domain '%s': the domain is not running "
                                     "(state: %s; use --config to change the definition)",
                                     op, dom->obj.name, vmm_domain_state_to_string(dom->state));
        if (config && !dom->def)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s device to domain '%s': the domain is transient (no "
                                     "persistent definition to change)",
                                     op, dom->obj.name);
        *ret_live = live;
        *ret_config = config;
        return 0;
}

/* The definition `def` becomes after the edit. */
static int device_apply(const DeviceEdit *e, const VmmDomainDef *def, const char *which,
                        VmmDomainDef **ret_def, VmmError *error)
{
        const void *dev = vmm_domain_device_first(e->one, e->kind);
        size_t index;
        int r;

        if (e->attach)
                r = vmm_domain_def_with_device(def, e->kind, dev, ret_def, error);
        else {
                r = vmm_domain_device_find(def, e->kind, dev, &index, error);
                if (r >= 0)
                        r = vmm_domain_def_without_device(def, e->kind, index, ret_def, error);
        }
        if (r < 0)
                return vmm_error_prefix(error, r, "%s device (%s): ", e->op, which);
        return 0;
}

static int device_edit(VmmDomain *handle, const char *xml, unsigned int flags, DeviceEdit *e,
                       VmmError *error)
{
        _cleanup_(vmm_domain_devices_freep) VmmDomainDevices *one = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *new_live = NULL, *new_def = NULL;
        TestState *state = NULL;
        TestDomain *dom = NULL;
        bool live = false, config = false;
        int r;

        r = vmm_domain_device_parse_xml(xml, &one, &e->kind, error);
        if (r >= 0)
                r = vmm_domain_device_check_hotplug_kind(e->kind, e->op, error);
        /* one MAC for both sides of LIVE|CONFIG */
        if (r >= 0 && e->attach)
                r = vmm_domain_devices_fill_defaults(one, error);
        if (r < 0)
                return r;
        e->one = one;
        r = test_domain_get_locked(handle, &state, &dom, error);
        if (r < 0)
                return r;
        r = device_flags(dom, flags, e->op, &live, &config, error);
        if (r >= 0 && live)
                r = device_apply(e, dom->live, "live", &new_live, error);
        if (r >= 0 && config)
                r = device_apply(e, dom->def, "config", &new_def, error);
        if (r >= 0 && new_live) {
                vmm_domain_def_set_id(new_live, vmm_domain_def_get_id(dom->live));
                vmm_domain_def_free(dom->live);
                dom->live = TAKE_PTR(new_live);
        }
        if (r >= 0 && new_def) {
                vmm_domain_def_free(dom->def);
                dom->def = TAKE_PTR(new_def);
        }
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_domain_attach_device(VmmDomain *handle, const char *xml, unsigned int flags,
                              VmmError *error)
{
        DeviceEdit e = {.attach = true, .op = "attach"};

        return device_edit(handle, xml, flags, &e, error);
}

int test_domain_detach_device(VmmDomain *handle, const char *xml, unsigned int flags,
                              VmmError *error)
{
        DeviceEdit e = {.attach = false, .op = "detach"};

        return device_edit(handle, xml, flags, &e, error);
}
