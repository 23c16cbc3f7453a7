/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-console.c: the test driver runs no guest, so it has no console:
 * opening one fails with a message that says so (the stream entries are
 * never reached, no stream opens on this driver). */
#include <errno.h>

#include "test-driver.h"
#include "util/error.h"

int test_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                             unsigned int flags, VmmError *error)
{
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "console of domain '%s': the test driver has no console (it runs "
                             "no guest; use a qemu:// connection)",
                             dom->name);
}
