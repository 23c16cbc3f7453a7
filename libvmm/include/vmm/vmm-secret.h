/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-secret.h: secrets (passphrases, keys) kept by the secret daemon.
 * Only the handle type exists so far; the calls come with the secret
 * driver.
 */
#pragma once

#include <vmm/vmm-connect.h>

typedef struct VmmSecret VmmSecret;

VMM_EXPORT VmmSecret *vmm_secret_ref(VmmSecret *secret);
VMM_EXPORT VmmSecret *vmm_secret_unref(VmmSecret *secret);
