/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-lifecycle.c: what happens on guest power-off, reboot, crash and
 * lock failure: <on_poweroff>, <on_reboot>, <on_crash>, <on_lockfailure>. */
#include <errno.h>

#include "domain-priv.h"

static const char *const lifecycle_table[_VMM_DOMAIN_LIFECYCLE_MAX] = {
    [VMM_DOMAIN_LIFECYCLE_DESTROY] = "destroy",
    [VMM_DOMAIN_LIFECYCLE_RESTART] = "restart",
    [VMM_DOMAIN_LIFECYCLE_RENAME_RESTART] = "rename-restart",
    [VMM_DOMAIN_LIFECYCLE_PRESERVE] = "preserve",
    [VMM_DOMAIN_LIFECYCLE_COREDUMP_DESTROY] = "coredump-destroy",
    [VMM_DOMAIN_LIFECYCLE_COREDUMP_RESTART] = "coredump-restart",
};

static const char *const lockfailure_table[] = {"poweroff", "restart", "pause", "ignore"};

static int lifecycle_parse_one(xmlNodePtr root, const char *name, const char *const *table, int n,
                               int *ret, VmmError *error)
{
        xmlNodePtr node = vmm_xml_child(root, name);
        _cleanup_free_ char *text = NULL;
        char expected[256];
        int r;

        if (!node)
                return 0;
        r = vmm_domain_util_check(node, NULL, NULL, error);
        if (r < 0)
                return r;
        text = vmm_xml_get_text(node);
        if (!text)
                return vmm_error_oom(error);
        r = vmm_enum_from_string(table, n, text);
        if (r < 0)
                return vmm_xml_error(error, node, "\"%s\" is not valid (expected one of %s)", text,
                                     vmm_enum_list(table, n, expected, sizeof(expected)));
        *ret = r;
        return 0;
}

int vmm_domain_lifecycle_parse(xmlNodePtr root, VmmDomainDef *def, VmmError *error)
{
        int r;

        r = lifecycle_parse_one(root, "on_poweroff", lifecycle_table, _VMM_DOMAIN_LIFECYCLE_MAX,
                                &def->on_poweroff, error);
        if (r >= 0)
                r = lifecycle_parse_one(root, "on_reboot", lifecycle_table,
                                        _VMM_DOMAIN_LIFECYCLE_MAX, &def->on_reboot, error);
        if (r >= 0)
                r = lifecycle_parse_one(root, "on_crash", lifecycle_table,
                                        _VMM_DOMAIN_LIFECYCLE_MAX, &def->on_crash, error);
        if (r >= 0)
                r = lifecycle_parse_one(root, "on_lockfailure", lockfailure_table,
                                        (int)ARRAY_SIZE(lockfailure_table), &def->on_lockfailure,
                                        error);
        return r;
}

void vmm_domain_lifecycle_format(const VmmDomainDef *def, xmlNodePtr root)
{
        if (def->on_poweroff >= 0)
                vmm_xml_new_child(root, "on_poweroff", lifecycle_table[def->on_poweroff]);
        if (def->on_reboot >= 0)
                vmm_xml_new_child(root, "on_reboot", lifecycle_table[def->on_reboot]);
        if (def->on_crash >= 0)
                vmm_xml_new_child(root, "on_crash", lifecycle_table[def->on_crash]);
        if (def->on_lockfailure >= 0)
                vmm_xml_new_child(root, "on_lockfailure", lockfailure_table[def->on_lockfailure]);
}

bool vmm_domain_lifecycle_equal(const VmmDomainDef *a, const VmmDomainDef *b, char **diff)
{
        return d_eq_int(diff, "on_poweroff", a->on_poweroff, b->on_poweroff) &&
               d_eq_int(diff, "on_reboot", a->on_reboot, b->on_reboot) &&
               d_eq_int(diff, "on_crash", a->on_crash, b->on_crash) &&
               d_eq_int(diff, "on_lockfailure", a->on_lockfailure, b->on_lockfailure);
}
