/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-nodedev.h: host devices seen by the node device daemon.
 * Only the handle type exists so far; the calls come with the nodedev
 * driver.
 */
#pragma once

#include <vmm/vmm-connect.h>

typedef struct VmmNodeDevice VmmNodeDevice;

VMM_EXPORT VmmNodeDevice *vmm_node_device_ref(VmmNodeDevice *dev);
VMM_EXPORT VmmNodeDevice *vmm_node_device_unref(VmmNodeDevice *dev);
