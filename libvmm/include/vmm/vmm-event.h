/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-event.h: domain lifecycle events.
 *
 * A registered callback is called, from a thread libvmm owns, for every
 * lifecycle event of every domain on the connection (defined, undefined,
 * started, stopped...), with a handle on the domain (valid during the
 * call; take a reference to keep it) and the event's type and detail.
 * Callbacks may call the API on the same connection. A callback may close
 * its connection when that is a qemu:// one or a pollable one (no further
 * callback of that connection runs then; a pollable connection is freed
 * once vmm_connect_dispatch_events() returns); on test:/// connections
 * delivering on libvmm's thread it must not. `destroy` (may be NULL) is
 * called with `userdata` once the callback is deregistered or the
 * connection closed, when no event is being delivered to it.
 *
 * Registrations outlive the daemon (qemu:// connections): when the
 * daemon restarts, the connection reconnects (starting the daemon again
 * where it would on open) and registers every callback again, with the
 * same ids. A call that finds the daemon gone does that before it goes
 * on; a connection making no calls does it from a thread of its own as
 * soon as it sees the socket close (with pollable delivery: once the
 * application dispatches), retrying with a backoff (0.1 s doubling to 5 s)
 * while the daemon cannot be reached. Events the daemon emitted while no
 * connection was up are not replayed.
 *
 * Applications with their own event loop open the connection with
 * VMM_CONNECT_EVENTS_POLLABLE: libvmm then runs no callback by itself.
 * The fd from vmm_connect_event_fd() polls readable (POLLIN) while events
 * wait; vmm_connect_dispatch_events() then runs the callbacks, in the
 * calling thread, for every event waiting, and the fd stops being
 * readable until the next event arrives. The fd belongs to the
 * connection (do not read or close it) and stays the same for its whole
 * life, also when the connection to the daemon is re-established. Events
 * not dispatched wait in memory, up to a bound beyond which the oldest
 * are dropped.
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

typedef enum VmmDomainEventStartedDetail {
        VMM_DOMAIN_EVENT_STARTED_BOOTED = 0,
        VMM_DOMAIN_EVENT_STARTED_MIGRATED = 1,
        VMM_DOMAIN_EVENT_STARTED_RESTORED = 2,
} VmmDomainEventStartedDetail;

typedef enum VmmDomainEventSuspendedDetail {
        VMM_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
} VmmDomainEventSuspendedDetail;

typedef enum VmmDomainEventResumedDetail {
        VMM_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
} VmmDomainEventResumedDetail;

typedef enum VmmDomainEventStoppedDetail {
        VMM_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
        VMM_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
        VMM_DOMAIN_EVENT_STOPPED_CRASHED = 2,
        VMM_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
        VMM_DOMAIN_EVENT_STOPPED_SAVED = 4,
        VMM_DOMAIN_EVENT_STOPPED_FAILED = 5,
} VmmDomainEventStoppedDetail;

/* An event's type and detail as words, as virsh prints them ("Started",
 * "Booted"); "unknown" for numbers this library does not know. */
VMM_EXPORT const char *vmm_domain_event_type_to_string(int event);
VMM_EXPORT const char *vmm_domain_event_detail_to_string(int event, int detail);

typedef void (*VmmDomainEventFunc)(VmmConnect *conn, VmmDomain *dom, int event, int detail,
                                   void *userdata);
typedef void (*VmmFreeFunc)(void *userdata);

/* Registers `cb`; stores an id > 0 for deregistering in *ret_id.
 * -ENOTSUP on drivers without events. */
VMM_EXPORT int vmm_connect_domain_event_register(VmmConnect *conn, VmmDomainEventFunc cb,
                                                 void *userdata, VmmFreeFunc destroy,
                                                 int *ret_id, VmmError *error);
/* -ENOENT for an id that is not registered on `conn`. */
VMM_EXPORT int vmm_connect_domain_event_deregister(VmmConnect *conn, int id, VmmError *error);

/* The fd to poll for POLLIN on a VMM_CONNECT_EVENTS_POLLABLE connection
 * (-EINVAL on other connections). */
VMM_EXPORT int vmm_connect_event_fd(VmmConnect *conn, VmmError *error);
/* Runs the callbacks of every waiting event in the calling thread; returns
 * how many events were delivered (0 when none waited). Must not be
 * called from a callback. -EINVAL on a connection not opened pollable. */
VMM_EXPORT int vmm_connect_dispatch_events(VmmConnect *conn, VmmError *error);

#ifdef __cplusplus
}
#endif
