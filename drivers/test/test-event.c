/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-event.c: lifecycle events of the test driver. A state may be
 * shared by several connections (test:///default): each connection that
 * asks for events gets its own queue (libvmm/driver/event-queue.h), and
 * every change of the state is pushed to all of them while the state's
 * lock is held, so events arrive in the order the changes were made.
 */
#include <errno.h>
#include <stdlib.h>

#include "driver/event-queue.h"
#include "test-driver.h"
#include "util/error.h"

struct TestEventConn {
        TestEventConn *next;
        VmmConnect *conn; /* not a reference: removed when it closes */
        VmmEventQueue *queue;
};

/* The connection's queue, made on first use (state lock held). */
static int event_queue_of_locked(TestState *state, VmmConnect *conn, VmmEventQueue **ret,
                                 VmmError *error)
{
        TestEventConn *ec;
        int r;

        for (ec = state->event_conns; ec; ec = ec->next)
                if (ec->conn == conn) {
                        *ret = ec->queue;
                        return 0;
                }
        ec = calloc(1, sizeof(*ec));
        if (!ec)
                return vmm_error_oom(error);
        r = vmm_event_queue_new(conn, conn->flags & VMM_CONNECT_EVENTS_POLLABLE, &ec->queue, error);
        if (r < 0) {
                free(ec);
                return r;
        }
        ec->conn = conn;
        ec->next = state->event_conns;
        state->event_conns = ec;
        *ret = ec->queue;
        return 0;
}

static int event_queue_of(VmmConnect *conn, VmmEventQueue **ret, VmmError *error)
{
        TestState *state = test_state_of(conn);
        int r;

        pthread_mutex_lock(&state->lock);
        r = event_queue_of_locked(state, conn, ret, error);
        pthread_mutex_unlock(&state->lock);
        return r;
}

int test_event_register(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                        VmmFreeFunc destroy, int *ret_id, VmmError *error)
{
        VmmEventQueue *q;
        int r = event_queue_of(conn, &q, error);

        return r < 0 ? r : vmm_event_queue_register(q, cb, userdata, destroy, ret_id, error);
}

int test_event_deregister(VmmConnect *conn, int id, VmmError *error)
{
        VmmEventQueue *q;
        int r = event_queue_of(conn, &q, error);

        return r < 0 ? r : vmm_event_queue_deregister(q, id, error);
}

int test_event_fd(VmmConnect *conn, VmmError *error)
{
        VmmEventQueue *q;
        int r = event_queue_of(conn, &q, error);

        return r < 0 ? r : vmm_event_queue_fd(q, error);
}

int test_event_dispatch(VmmConnect *conn, VmmError *error)
{
        VmmEventQueue *q;
        int r = event_queue_of(conn, &q, error);

        return r < 0 ? r : vmm_event_queue_dispatch(q, error);
}

void test_event_conn_close(VmmConnect *conn)
{
        TestState *state = test_state_of(conn);
        TestEventConn *gone = NULL;

        pthread_mutex_lock(&state->lock);
        for (TestEventConn **pp = &state->event_conns; *pp; pp = &(*pp)->next)
                if ((*pp)->conn == conn) {
                        gone = *pp;
                        *pp = gone->next;
                        break;
                }
        pthread_mutex_unlock(&state->lock);
        /* outside the lock: the queue's thread may be waiting for it */
        if (gone)
                vmm_event_queue_free(gone->queue);
        free(gone);
}

void test_event_emit(TestState *state, const TestDomain *dom, int event, int detail)
{
        for (TestEventConn *ec = state->event_conns; ec; ec = ec->next)
                vmm_event_queue_push(ec->queue, dom->obj.name, dom->obj.uuid, dom->id, event,
                                     detail);
}
