/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm.h: the whole public API of libvmm. Include this one header and link
 * with `pkg-config --cflags --libs libvmm`.
 */
#pragma once

#include <vmm/vmm-common.h>
#include <vmm/vmm-connect.h>
#include <vmm/vmm-domain.h>
#include <vmm/vmm-domain-save.h>
#include <vmm/vmm-event.h>
#include <vmm/vmm-network.h>
#include <vmm/vmm-storage.h>
#include <vmm/vmm-secret.h>
#include <vmm/vmm-nodedev.h>
#include <vmm/vmm-stream.h>
