/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-shutdown-mode.c: `shutdown --mode` and `reboot --mode`: a comma
 * separated list of acpi and agent (virsh's words), as the API's flags. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "vmmctl.h"

int vmmctl_shutdown_mode_parse(const char *list, unsigned int *ret_flags, VmmError *error)
{
        _cleanup_free_ char *copy = NULL;
        unsigned int flags = 0;
        char *save = NULL;

        if (!list) {
                *ret_flags = 0;
                return 0;
        }
        copy = strdup(list);
        if (!copy)
                return vmmctl_error(error, -ENOMEM, "out of memory");
        for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
                if (strcmp(m, "acpi") == 0)
                        flags |= VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;
                else if (strcmp(m, "agent") == 0)
                        flags |= VMM_DOMAIN_SHUTDOWN_GUEST_AGENT;
                else if (strcmp(m, "initctl") == 0 || strcmp(m, "signal") == 0 ||
                         strcmp(m, "paravirt") == 0)
                        return vmmctl_error(error, -ENOTSUP,
                                            "--mode: mode '%s' is not supported (expected "
                                            "'acpi' or 'agent', comma separated)",
                                            m);
                else
                        return vmmctl_error(error, -EINVAL,
                                            "--mode: unknown mode '%s' (expected 'acpi' or "
                                            "'agent', comma separated)",
                                            m);
        }
        if (!flags)
                return vmmctl_error(error, -EINVAL,
                                    "--mode: \"%s\" names no mode (expected 'acpi' or "
                                    "'agent', comma separated)",
                                    list);
        *ret_flags = flags;
        return 0;
}
