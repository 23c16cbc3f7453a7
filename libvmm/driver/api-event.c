/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* api-event.c: the public functions of vmm-event.h (domain lifecycle events). */
#include <errno.h>

#include "driver/api.h"
#include "util/error.h"
#include "util/macros.h"

VMM_EXPORT int vmm_connect_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb,
                                                 void *userdata, VmmFreeFunc destroy,
                                                 int *ret_id, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(cb, error, "cb is NULL");
        vmm_check_arg(ret_id, error, "ret_id is NULL");
        if (!conn->driver->domain_event_register)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_event_register(conn, cb, userdata, destroy,
                                                                  ret_id, error),
                              __func__, error);
}

VMM_EXPORT int vmm_connect_domain_event_deregister(VmmConnect *conn, int id, VmmError *error)
{
        int r = vmm_api_check_conn(conn, __func__, VMM_API_READ, error);

        if (r < 0)
                return r;
        vmm_check_arg(id > 0, error, "id is not a registration (expected > 0)");
        if (!conn->driver->domain_event_deregister)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->domain_event_deregister(conn, id, error), __func__,
                              error);
}

static int event_poll_check(VmmConnect *conn, const char *func, VmmError *error)
{
        int r = vmm_api_check_conn(conn, func, VMM_API_READ, error);

        if (r < 0)
                return r;
        if (!(conn->flags & VMM_CONNECT_EVENTS_POLLABLE))
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: connection to '%s' delivers events on libvmm's own "
                                     "thread (expected one opened with "
                                     "VMM_CONNECT_EVENTS_POLLABLE)",
                                     func, conn->uri_string);
        return 0;
}

VMM_EXPORT int vmm_connect_event_fd(VmmConnect *conn, VmmError *error)
{
        int r = event_poll_check(conn, __func__, error);

        if (r < 0)
                return r;
        if (!conn->driver->event_fd)
                return vmm_api_no_support(conn, __func__, error);
        return vmm_api_result(conn->driver->event_fd(conn, error), __func__, error);
}

VMM_EXPORT int vmm_connect_dispatch_events(VmmConnect *conn, VmmError *error)
{
        int r = event_poll_check(conn, __func__, error);

        if (r < 0)
                return r;
        if (!conn->driver->dispatch_events)
                return vmm_api_no_support(conn, __func__, error);
        /* a callback may close the connection: it lives until delivery ends */
        vmm_connect_ref(conn);
        r = conn->driver->dispatch_events(conn, error);
        vmm_connect_unref(conn);
        return vmm_api_result(r, __func__, error);
}

/* Words as virsh prints them, indexed by type, then by detail. */
static const char *const event_types[_VMM_DOMAIN_EVENT_MAX] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed",
    "Stopped", "Shutdown",  "PMSuspended", "Crashed",
};

static const char *const event_details[_VMM_DOMAIN_EVENT_MAX][10] = {
    [VMM_DOMAIN_EVENT_DEFINED] = {"Added", "Updated", "Renamed", "Snapshot"},
    [VMM_DOMAIN_EVENT_UNDEFINED] = {"Removed", "Renamed"},
    [VMM_DOMAIN_EVENT_STARTED] = {"Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"},
    [VMM_DOMAIN_EVENT_SUSPENDED] = {"Paused", "Migrated", "I/O Error", "Watchdog", "Restored",
                                    "Snapshot", "API error", "Post-copy", "Post-copy Error"},
    [VMM_DOMAIN_EVENT_RESUMED] = {"Unpaused", "Migrated", "Snapshot", "Post-copy",
                                  "Post-copy Error"},
    [VMM_DOMAIN_EVENT_STOPPED] = {"Shutdown", "Destroyed", "Crashed", "Migrated", "Saved",
                                  "Failed", "Snapshot"},
    [VMM_DOMAIN_EVENT_SHUTDOWN] = {"Finished", "Finished after guest request",
                                   "Finished after host request"},
    [VMM_DOMAIN_EVENT_PMSUSPENDED] = {"Memory", "Disk"},
    [VMM_DOMAIN_EVENT_CRASHED] = {"Panicked", "Crashloaded"},
};

VMM_EXPORT const char *vmm_domain_event_type_to_string(int event)
{
        if (event < 0 || event >= _VMM_DOMAIN_EVENT_MAX)
                return "unknown";
        return event_types[event];
}

VMM_EXPORT const char *vmm_domain_event_detail_to_string(int event, int detail)
{
        if (event < 0 || event >= _VMM_DOMAIN_EVENT_MAX || detail < 0 ||
            (size_t)detail >= ARRAY_SIZE(event_details[0]) || !event_details[event][detail])
                return "unknown";
        return event_details[event][detail];
}
