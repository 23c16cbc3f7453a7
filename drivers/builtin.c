/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* builtin.c: the drivers linked into libvmm.so, in probe order. */
#include "driver/driver.h"

extern const VmmDriver vmm_test_driver;
extern const VmmDriver vmm_remote_driver; /* libvmm/remote/ */

const VmmDriver *const vmm_builtin_drivers[] = {
        &vmm_test_driver,
        &vmm_remote_driver,
        NULL,
};
