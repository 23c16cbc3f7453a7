/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* version.c: the library's version, from the build's VMM_VERSION_* values. */
#include <vmm/vmm-common.h>

#include "macros.h"

VMM_EXPORT const char *vmm_version_string(void)
{
        return VMM_VERSION_STRING;
}

VMM_EXPORT unsigned long vmm_version_number(void)
{
        return (unsigned long)VMM_VERSION_MAJOR * 1000000UL +
               (unsigned long)VMM_VERSION_MINOR * 1000UL + (unsigned long)VMM_VERSION_PATCH;
}
