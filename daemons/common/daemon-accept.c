/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* daemon-accept.c: letting a router own the connections the skeleton
 * accepts (vmm-proxyd forwards frames instead of dispatching them). */
#include "daemon-internal.h"

void vmm_daemon_set_accept_hook(VmmDaemon *d, VmmDaemonAcceptHook accept, void *userdata)
{
        d->accept_hook = accept;
        d->accept_userdata = userdata;
}
