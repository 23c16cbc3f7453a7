/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * api-domain.c: the public domain calls (vmm-domain.h). Each checks its
 * arguments and the connection, then calls the driver's entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/api.h"
#include "util/enumtable.h"
#include "util/error.h"
#include "util/macros.h"
#include "util/uuid.h"

#define DOMAIN_LIST_FLAGS 0xfffu
#define DOMAIN_DEFINE_FLAGS (VMM_DOMAIN_DEFINE_VALIDATE | VMM_DOMAIN_DEFINE_KEEP_UNKNOWN)
#define DOMAIN_XML_FLAGS (VMM_DOMAIN_XML_INACTIVE | VMM_DOMAIN_XML_SECURE)

/* --- names of states and reasons, as virsh prints them --- */

static const char *const domain_state_table[_VMM_DOMAIN_STATE_MAX] = {
        [VMM_DOMAIN_NOSTATE] = "no state",   [VMM_DOMAIN_RUNNING] = "running",
        [VMM_DOMAIN_BLOCKED] = "idle",       [VMM_DOMAIN_PAUSED] = "paused",
        [VMM_DOMAIN_SHUTDOWN] = "in shutdown", [VMM_DOMAIN_SHUTOFF] = "shut off",
        [VMM_DOMAIN_CRASHED] = "crashed",    [VMM_DOMAIN_PMSUSPENDED] = "pmsuspended",
};

static const char *const domain_running_reason_table[_VMM_DOMAIN_RUNNING_REASON_MAX] = {
        [VMM_DOMAIN_RUNNING_UNKNOWN] = "unknown",
        [VMM_DOMAIN_RUNNING_BOOTED] = "booted",
        [VMM_DOMAIN_RUNNING_MIGRATED] = "migrated",
        [VMM_DOMAIN_RUNNING_RESTORED] = "restored",
        [VMM_DOMAIN_RUNNING_FROM_SNAPSHOT] = "from snapshot",
        [VMM_DOMAIN_RUNNING_UNPAUSED] = "unpaused",
        [VMM_DOMAIN_RUNNING_MIGRATION_CANCELED] = "migration canceled",
        [VMM_DOMAIN_RUNNING_SAVE_CANCELED] = "save canceled",
        [VMM_DOMAIN_RUNNING_WAKEUP] = "event wakeup",
        [VMM_DOMAIN_RUNNING_CRASHED] = "crashed",
        [VMM_DOMAIN_RUNNING_POSTCOPY] = "post-copy",
};

static const char *const domain_paused_reason_table[_VMM_DOMAIN_PAUSED_REASON_MAX] = {
        [VMM_DOMAIN_PAUSED_UNKNOWN] = "unknown",
        [VMM_DOMAIN_PAUSED_USER] = "user",
        [VMM_DOMAIN_PAUSED_MIGRATION] = "migrating",
        [VMM_DOMAIN_PAUSED_SAVE] = "saving",
        [VMM_DOMAIN_PAUSED_DUMP] = "dumping",
        [VMM_DOMAIN_PAUSED_IOERROR] = "I/O error",
        [VMM_DOMAIN_PAUSED_WATCHDOG] = "watchdog",
        [VMM_DOMAIN_PAUSED_FROM_SNAPSHOT] = "from snapshot",
        [VMM_DOMAIN_PAUSED_SHUTTING_DOWN] = "shutting down",
        [VMM_DOMAIN_PAUSED_SNAPSHOT] = "creating snapshot",
        [VMM_DOMAIN_PAUSED_CRASHED] = "crashed",
        [VMM_DOMAIN_PAUSED_STARTING_UP] = "starting up",
};

static const char *const domain_shutdown_reason_table[_VMM_DOMAIN_SHUTDOWN_REASON_MAX] = {
        [VMM_DOMAIN_SHUTDOWN_UNKNOWN] = "unknown",
        [VMM_DOMAIN_SHUTDOWN_USER] = "user",
};

static const char *const domain_shutoff_reason_table[_VMM_DOMAIN_SHUTOFF_REASON_MAX] = {
        [VMM_DOMAIN_SHUTOFF_UNKNOWN] = "unknown",
        [VMM_DOMAIN_SHUTOFF_SHUTDOWN] = "shutdown",
        [VMM_DOMAIN_SHUTOFF_DESTROYED] = "destroyed",
        [VMM_DOMAIN_SHUTOFF_CRASHED] = "crashed",
        [VMM_DOMAIN_SHUTOFF_MIGRATED] = "migrated",
        [VMM_DOMAIN_SHUTOFF_SAVED] = "saved",
        [VMM_DOMAIN_SHUTOFF_FAILED] = "failed",
        [VMM_DOMAIN_SHUTOFF_FROM_SNAPSHOT] = "from snapshot",
        [VMM_DOMAIN_SHUTOFF_DAEMON] = "daemon",
};

static const char *const domain_crashed_reason_table[_VMM_DOMAIN_CRASHED_REASON_MAX] = {
        [VMM_DOMAIN_CRASHED_UNKNOWN] = "unknown",
        [VMM_DOMAIN_CRASHED_PANICKED] = "panicked",
};

VMM_EXPORT const char *vmm_domain_state_to_string(VmmDomainState state)
{
        const char *s = vmm_enum_to_string(domain_state_table, _VMM_DOMAIN_STATE_MAX, (int)state);

        return s ? s : "unknown";
}

VMM_EXPORT const char *vmm_domain_state_reason_to_string(VmmDomainState state, int reason)
{
        const char *s = NULL;

        switch (state) {
        case VMM_DOMAIN_RUNNING:
                s = vmm_enum_to_string(domain_running_reason_table,
                                       _VMM_DOMAIN_RUNNING_REASON_MAX, reason);
                break;
        case VMM_DOMAIN_PAUSED:
                s = vmm_enum_to_string(domain_paused_reason_table,
                                       _VMM_DOMAIN_PAUSED_REASON_MAX, reason);
                break;
        case VMM_DOMAIN_SHUTDOWN:
                s = vmm_enum_to_string(domain_shutdown_reason_table,
                                       _VMM_DOMAIN_SHUTDOWN_REASON_MAX, reason);
                break;
        case VMM_DOMAIN_SHUTOFF:
                s = vmm_enum_to_string(domain_shutoff_reason_table,
                                       _VMM_DOMAIN_SHUTOFF_REASON_MAX, reason);
                break;
        case VMM_DOMAIN_CRASHED:
                s = vmm_enum_to_string(domain_crashed_reason_table,
                                       _VMM_DOMAIN_CRASHED_REASON_MAX, reason);
                break;
        default: /* no state, idle, pmsuspended: no reasons but "unknown" */
                break;
        }
        return s ? s : "unknown";
}

static int domain_check(VmmDomain *dom, const char *func, VmmApiAccess access, VmmError *error)
{
        return vmm_api_check_handle(dom, dom ? dom->conn : NULL, "domain", func, access, error);
}

/* --- lookup and listing --- */

VMM_EXPORT int vmm_domain_lookup_by_name(VmmConnect *conn, const char *name,
                                         VmmDomain **ret_dom, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(name && *name, error, "name is NULL or empty");
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        if (!conn->driver->domain_lookup_by_name)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_lookup_by_name(conn, name, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                         VmmDomain **ret_dom, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(uuid, error, "uuid is NULL");
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        if (!conn->driver->domain_lookup_by_uuid)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_lookup_by_uuid(conn, uuid, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_lookup_by_uuid_string(VmmConnect *conn, const char *uuid,
                                                VmmDomain **ret_dom, VmmError *error)
{
        uint8_t raw[VMM_UUID_LEN];
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(uuid, error, "uuid is NULL");
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        r = vmm_uuid_parse(uuid, raw, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "%s: ", __func__);
        if (!conn->driver->domain_lookup_by_uuid)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_lookup_by_uuid(conn, raw, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_lookup_by_id(VmmConnect *conn, int id, VmmDomain **ret_dom,
                                       VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        if (id < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: invalid argument: id %d is negative (expected the "
                                     "id of a running domain)",
                                     __func__, id);
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        if (!conn->driver->domain_lookup_by_id)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_lookup_by_id(conn, id, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_list_all(VmmConnect *conn, unsigned int flags, VmmDomain ***ret_doms,
                                   size_t *ret_count, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_doms, error, "ret_doms is NULL");
        vmm_check_arg(ret_count, error, "ret_count is NULL");
        r = vmm_api_check_flags(flags, DOMAIN_LIST_FLAGS, __func__, error);
        if (r < 0)
                return r;
        if (!conn->driver->domain_list_all)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_list_all(conn, flags, ret_doms, ret_count,
                                                            error),
                              __func__, error);
}

VMM_EXPORT void vmm_domain_list_free(VmmDomain **doms, size_t count)
{
        if (!doms)
                return;
        for (size_t i = 0; i < count; i++)
                vmm_domain_unref(doms[i]);
        free(doms);
}

/* --- definition --- */

VMM_EXPORT int vmm_domain_define_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                                     VmmDomain **ret_dom, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        vmm_check_arg(xml, error, "xml is NULL");
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        r = vmm_api_check_flags(flags, DOMAIN_DEFINE_FLAGS, __func__, error);
        if (r < 0)
                return r;
        if (!conn->driver->domain_define_xml)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_define_xml(conn, xml, flags, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_create_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                                     VmmDomain **ret_dom, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        vmm_check_arg(xml, error, "xml is NULL");
        vmm_check_arg(ret_dom, error, "ret_dom is NULL");
        r = vmm_api_check_flags(flags, VMM_DOMAIN_START_PAUSED, __func__, error);
        if (r < 0)
                return r;
        if (!conn->driver->domain_create_xml)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_create_xml(conn, xml, flags, ret_dom, error),
                              __func__, error);
}

VMM_EXPORT int vmm_domain_undefine(VmmDomain *dom, unsigned int flags, VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_WRITE, error);

        if (r < 0)
                return r;
        r = vmm_api_check_flags(flags, VMM_DOMAIN_UNDEFINE_MANAGED_SAVE, __func__, error);
        if (r < 0)
                return r;
        if (!dom->conn->driver->domain_undefine)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_undefine(dom, flags, error), __func__,
                              error);
}

VMM_EXPORT int vmm_domain_get_xml(VmmDomain *dom, unsigned int flags, char **ret_xml,
                                  VmmError *error)
{
        int r = domain_check(dom, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(ret_xml, error, "ret_xml is NULL");
        r = vmm_api_check_flags(flags, DOMAIN_XML_FLAGS, __func__, error);
        if (r < 0)
                return r;
        /* Security-sensitive data is for read-write connections only. */
        if ((flags & VMM_DOMAIN_XML_SECURE) && (dom->conn->flags & VMM_CONNECT_READ_ONLY))
                return vmm_error_set(error, -EPERM, VMM_ERR_ACCESS_DENIED,
                                     "%s: VMM_DOMAIN_XML_SECURE is not allowed on the "
                                     "read-only connection to \"%s\"",
                                     __func__, dom->conn->uri_string);
        if (!dom->conn->driver->domain_get_xml)
                return vmm_api_no_support(dom->conn, __func__, error);
        return vmm_api_result(dom->conn->driver->domain_get_xml(dom, flags, ret_xml, error),
                              __func__, error);
}
