/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-event.h: domain lifecycle events.
 *
 * A registered callback is called, from a thread libvmm owns, for every
 * lifecycle event of every domain on the connection (defined, undefined,
 * started, stopped...), with a handle on the domain (valid during the
 * call; take a reference to keep it) and the event's type and detail.
 * Callbacks may call the API on the same connection, but must not close
 * it. `destroy` (may be NULL) is called with `userdata` once the
 * callback is deregistered or the connection closed, when no event is
 * being delivered to it. Registrations belong to one connection to the
 * daemon: if the daemon restarts, they are not carried over (as with
 * libvirt, register again on a new connection).
 */
#pragma once

#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Event types and details, numbered as libvirt's virDomainEventType. */
typedef enum VmmDomainEventType {
        VMM_DOMAIN_EVENT_DEFINED = 0,
        VMM_DOMAIN_EVENT_UNDEFINED = 1,
        VMM_DOMAIN_EVENT_STARTED = 2,
        VMM_DOMAIN_EVENT_SUSPENDED = 3,
        VMM_DOMAIN_EVENT_RESUMED = 4,
        VMM_DOMAIN_EVENT_STOPPED = 5,
        VMM_DOMAIN_EVENT_SHUTDOWN = 6,
        VMM_DOMAIN_EVENT_PMSUSPENDED = 7,
        VMM_DOMAIN_EVENT_CRASHED = 8,
        _VMM_DOMAIN_EVENT_MAX
} VmmDomainEventType;

typedef enum VmmDomainEventDefinedDetail {
        VMM_DOMAIN_EVENT_DEFINED_ADDED = 0,   /* a new domain */
        VMM_DOMAIN_EVENT_DEFINED_UPDATED = 1, /* a new definition of an existing one */
} VmmDomainEventDefinedDetail;

typedef enum VmmDomainEventUndefinedDetail {
        VMM_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
} VmmDomainEventUndefinedDetail;

typedef void (*VmmDomainEventFunc)(VmmConnect *conn, VmmDomain *dom, int event, int detail,
                                   void *userdata);
typedef void (*VmmFreeFunc)(void *userdata);

/* Registers `cb`; stores an id > 0 for deregistering in *ret_id.
 * -ENOTSUP on drivers without events (test:///). */
VMM_EXPORT int vmm_connect_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb,
                                                 void *userdata, VmmFreeFunc destroy,
                                                 int *ret_id, VmmError *error);
/* -ENOENT for an id that is not registered on `conn`. */
VMM_EXPORT int vmm_connect_domain_event_deregister(VmmConnect *conn, int id, VmmError *error);

#ifdef __cplusplus
}
#endif
