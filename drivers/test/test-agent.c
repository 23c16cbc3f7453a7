/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-agent.c: shutdown and reboot modes on the test driver. The test
 * driver runs no guest, so it has no guest agent to talk to; it keeps the
 * qemu driver's rule so programs see the same answer: GUEST_AGENT alone
 * needs the agent's channel in the live definition (else -ENOTSUP with the
 * qemu driver's wording); with the channel, or with the ACPI mode too, the
 * operation happens at once, as the power button does here.
 */
#include <errno.h>
#include <string.h>

#include "conf/domain-chr.h"
#include "conf/domain-device.h"
#include "conf/domain-priv.h"
#include "test-driver.h"
#include "util/error.h"

#define TEST_AGENT_CHANNEL "org.qemu.guest_agent.0"

static bool test_agent_channel(const VmmDomainDef *def)
{
        size_t n = 0;
        VmmDomainChr *const *chans = def ? (VmmDomainChr *const *)vmm_domain_devices_get(
                                               def->devices, VMM_DOMAIN_DEVICE_CHANNEL, &n)
                                         : NULL;

        for (size_t i = 0; i < n; i++)
                if (chans[i]->type == VMM_CHR_TYPE_UNIX && chans[i]->target_type &&
                    strcmp(chans[i]->target_type, "virtio") == 0 && chans[i]->target_name &&
                    strcmp(chans[i]->target_name, TEST_AGENT_CHANNEL) == 0)
                        return true;
        return false;
}

int test_domain_mode_check(const TestDomain *dom, unsigned int flags, const char *op,
                           VmmError *error)
{
        if (!(flags & VMM_DOMAIN_SHUTDOWN_GUEST_AGENT) ||
            (flags & VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN))
                return 0;
        if (test_agent_channel(dom->live ? dom->live : dom->def))
                return 0;
        return vmm_error_set(error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "%s: domain '%s' has no guest agent channel (" TEST_AGENT_CHANNEL ")",
                             op, dom->obj.name);
}
