/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event-queue.h: domain lifecycle events of one in-process connection
 * (the test driver): the registered callbacks and the events waiting for
 * them. A driver pushes events while it holds its own locks; nothing runs
 * then. Callbacks run later, either on a thread the queue owns (started at
 * the first registration) or, for a connection opened with
 * VMM_CONNECT_EVENTS_POLLABLE, in vmm_event_queue_dispatch() called by the
 * application when the queue's eventfd is readable (readable exactly while
 * events wait). The queue keeps the domain's identity, not a handle, so a
 * waiting event holds no reference on the connection.
 */
#pragma once

#include <stdbool.h>

#include "driver/object.h"

typedef struct VmmEventQueue VmmEventQueue;

/* `conn` is not referenced: the queue belongs to its driver state. */
int vmm_event_queue_new(VmmConnect *conn, bool pollable, VmmEventQueue **ret_queue,
                        VmmError *error);
/* Stops the thread, drops waiting events, runs every destroy. May be
 * called from a callback's thread (the thread then ends by itself). */
VmmEventQueue *vmm_event_queue_free(VmmEventQueue *q);

int vmm_event_queue_register(VmmEventQueue *q, VmmDomainEventFunc cb, void *userdata,
                             VmmFreeFunc destroy, int *ret_id, VmmError *error);
int vmm_event_queue_deregister(VmmEventQueue *q, int id, VmmError *error);

/* Queues one event for every registered callback (none: dropped). */
void vmm_event_queue_push(VmmEventQueue *q, const char *name, const uint8_t uuid[VMM_UUID_BUFLEN],
                          int id, int event, int detail);

/* Pollable queues only (-EINVAL otherwise): the eventfd, and delivering
 * what waits, returning how many events were delivered. */
int vmm_event_queue_fd(VmmEventQueue *q, VmmError *error);
int vmm_event_queue_dispatch(VmmEventQueue *q, VmmError *error);
