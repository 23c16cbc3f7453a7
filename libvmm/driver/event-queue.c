/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* event-queue.c: lifecycle events of an in-process connection, delivered
 * from the queue's own thread or from the application's dispatch call. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "driver/event-queue.h"
#include "util/error.h"
#include "util/log.h"

/* Events waiting beyond this are dropped (a stuck application must not
 * grow the library's memory without bound). */
#define EVENT_QUEUE_MAX 4096

typedef struct EventReg {
        struct EventReg *next;
        int id;
        int refs; /* deliveries in progress */
        bool removed;
        VmmDomainEventFunc cb;
        void *userdata;
        VmmFreeFunc destroy;
} EventReg;

typedef struct EventItem {
        struct EventItem *next;
        char *name;
        uint8_t uuid[VMM_UUID_BUFLEN];
        int id, event, detail;
} EventItem;

struct VmmEventQueue {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        VmmConnect *conn;
        EventReg *regs;
        int next_id;
        EventItem *head, *tail;
        size_t n_items;
        int event_fd; /* pollable mode, else -1 */
        bool has_thread, stopping, thread_frees;
        pthread_t thread;
};

int vmm_event_queue_new(VmmConnect *conn, bool pollable, VmmEventQueue **ret_queue, VmmError *error)
{
        VmmEventQueue *q = calloc(1, sizeof(*q));

        if (!q)
                return vmm_error_oom(error);
        q->conn = conn;
        q->next_id = 1;
        q->event_fd = -1;
        if (pollable) {
                q->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
                if (q->event_fd < 0) {
                        int r = -errno;
                        free(q);
                        return vmm_error_set_errno(error, r, "cannot make an eventfd for events");
                }
        }
        pthread_mutex_init(&q->lock, NULL);
        pthread_cond_init(&q->cond, NULL);
        *ret_queue = q;
        return 0;
}

static void item_free(EventItem *item)
{
        free(item->name);
        free(item);
}

static void reg_destroy(EventReg *reg)
{
        if (reg && reg->destroy)
                reg->destroy(reg->userdata);
        free(reg);
}

/* Lock held: unlinks a removed registration nobody delivers to. */
static EventReg *reg_release_locked(VmmEventQueue *q, EventReg *reg)
{
        if (reg->refs > 0 || !reg->removed)
                return NULL;
        for (EventReg **pp = &q->regs; *pp; pp = &(*pp)->next)
                if (*pp == reg) {
                        *pp = reg->next;
                        return reg;
                }
        return NULL;
}

static void queue_release(VmmEventQueue *q)
{
        while (q->head) {
                EventItem *item = q->head;
                q->head = item->next;
                item_free(item);
        }
        while (q->regs) {
                EventReg *reg = q->regs;
                q->regs = reg->next;
                reg_destroy(reg);
        }
        if (q->event_fd >= 0)
                close(q->event_fd);
        pthread_cond_destroy(&q->cond);
        pthread_mutex_destroy(&q->lock);
        free(q);
}

/* Delivers one event to every live registration (lock not held). */
static void deliver(VmmEventQueue *q, const EventItem *item)
{
        VmmDomain *dom = vmm_domain_handle_new(q->conn, item->name, item->uuid, item->id);
        EventReg *reg, *next, *gone;

        if (!dom)
                return;
        pthread_mutex_lock(&q->lock);
        for (reg = q->regs; reg; reg = next) {
                if (reg->removed) {
                        next = reg->next;
                        continue;
                }
                reg->refs++;
                pthread_mutex_unlock(&q->lock);
                reg->cb(q->conn, dom, item->event, item->detail, reg->userdata);
                pthread_mutex_lock(&q->lock);
                next = reg->next;
                reg->refs--;
                gone = reg_release_locked(q, reg);
                if (gone) {
                        pthread_mutex_unlock(&q->lock);
                        reg_destroy(gone);
                        pthread_mutex_lock(&q->lock);
                }
        }
        pthread_mutex_unlock(&q->lock);
        vmm_domain_unref(dom);
}

/* Lock held: takes the next event; keeps the eventfd readable exactly
 * while events wait. */
static EventItem *queue_pop_locked(VmmEventQueue *q)
{
        EventItem *item = q->head;

        if (item) {
                q->head = item->next;
                if (!q->head)
                        q->tail = NULL;
                q->n_items--;
        }
        if (!q->head && q->event_fd >= 0) {
                uint64_t v;
                (void)!read(q->event_fd, &v, sizeof(v));
        }
        return item;
}

static void *queue_thread_main(void *arg)
{
        VmmEventQueue *q = arg;
        EventItem *item;

        pthread_mutex_lock(&q->lock);
        for (;;) {
                while (!q->head && !q->stopping)
                        pthread_cond_wait(&q->cond, &q->lock);
                if (q->stopping)
                        break;
                item = queue_pop_locked(q);
                pthread_mutex_unlock(&q->lock);
                deliver(q, item);
                item_free(item);
                pthread_mutex_lock(&q->lock);
        }
        bool frees = q->thread_frees;
        pthread_mutex_unlock(&q->lock);
        if (frees) { /* freed from a callback of this thread: nobody joins it */
                pthread_detach(pthread_self());
                queue_release(q);
        }
        return NULL;
}

VmmEventQueue *vmm_event_queue_free(VmmEventQueue *q)
{
        bool joins;

        if (!q)
                return NULL;
        pthread_mutex_lock(&q->lock);
        q->stopping = true;
        joins = q->has_thread && !pthread_equal(q->thread, pthread_self());
        if (q->has_thread && !joins)
                q->thread_frees = true;
        pthread_cond_signal(&q->cond);
        pthread_mutex_unlock(&q->lock);
        if (q->has_thread && !joins)
                return NULL; /* the thread releases it when the callback returns */
        if (joins)
                pthread_join(q->thread, NULL);
        queue_release(q);
        return NULL;
}

int vmm_event_queue_register(VmmEventQueue *q, VmmDomainEventFunc cb, void *userdata,
                             VmmFreeFunc destroy, int *ret_id, VmmError *error)
{
        EventReg *reg = calloc(1, sizeof(*reg));
        int r = 0;

        if (!reg)
                return vmm_error_oom(error);
        *reg = (EventReg){.cb = cb, .userdata = userdata, .destroy = destroy};
        pthread_mutex_lock(&q->lock);
        if (q->event_fd < 0 && !q->has_thread) {
                pthread_attr_t attr;

                pthread_attr_init(&attr);
                pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
                r = -pthread_create(&q->thread, &attr, queue_thread_main, q);
                pthread_attr_destroy(&attr);
                q->has_thread = r == 0;
        }
        if (r == 0) {
                reg->id = q->next_id++;
                reg->next = q->regs;
                q->regs = reg;
                *ret_id = reg->id;
        }
        pthread_mutex_unlock(&q->lock);
        if (r < 0) {
                free(reg);
                return vmm_error_set_errno(error, r, "cannot start the event thread");
        }
        return 0;
}

int vmm_event_queue_deregister(VmmEventQueue *q, int id, VmmError *error)
{
        EventReg *reg, *gone = NULL;

        pthread_mutex_lock(&q->lock);
        for (reg = q->regs; reg; reg = reg->next)
                if (reg->id == id && !reg->removed)
                        break;
        if (reg) {
                reg->removed = true;
                gone = reg_release_locked(q, reg);
        }
        pthread_mutex_unlock(&q->lock);
        if (!reg)
                return vmm_error_set(error, -ENOENT, VMM_ERR_INVALID_ARG,
                                     "no domain event callback %d is registered on this "
                                     "connection",
                                     id);
        reg_destroy(gone);
        return 0;
}

void vmm_event_queue_push(VmmEventQueue *q, const char *name, const uint8_t uuid[VMM_UUID_BUFLEN],
                          int id, int event, int detail)
{
        EventItem *item;
        bool anyone = false;

        pthread_mutex_lock(&q->lock);
        for (EventReg *reg = q->regs; reg && !anyone; reg = reg->next)
                anyone = !reg->removed;
        if (!anyone || q->stopping || q->n_items >= EVENT_QUEUE_MAX) {
                if (anyone)
                        vmm_log_debug("event queue full, dropping an event of '%s'", name);
                pthread_mutex_unlock(&q->lock);
                return;
        }
        item = calloc(1, sizeof(*item));
        if (item)
                item->name = strdup(name);
        if (!item || !item->name) {
                free(item);
                pthread_mutex_unlock(&q->lock);
                return;
        }
        memcpy(item->uuid, uuid, VMM_UUID_BUFLEN);
        item->id = id;
        item->event = event;
        item->detail = detail;
        if (q->tail)
                q->tail->next = item;
        else
                q->head = item;
        q->tail = item;
        q->n_items++;
        if (q->event_fd >= 0) {
                uint64_t one = 1;
                (void)!write(q->event_fd, &one, sizeof(one));
        }
        pthread_cond_signal(&q->cond);
        pthread_mutex_unlock(&q->lock);
}

static int queue_check_pollable(VmmEventQueue *q, VmmError *error)
{
        if (q->event_fd < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "events of this connection are delivered on libvmm's "
                                     "thread (expected a connection opened with "
                                     "VMM_CONNECT_EVENTS_POLLABLE)");
        return 0;
}

int vmm_event_queue_fd(VmmEventQueue *q, VmmError *error)
{
        int r = queue_check_pollable(q, error);

        return r < 0 ? r : q->event_fd;
}

int vmm_event_queue_dispatch(VmmEventQueue *q, VmmError *error)
{
        int r = queue_check_pollable(q, error), n = 0;

        if (r < 0)
                return r;
        for (;;) {
                EventItem *item;

                pthread_mutex_lock(&q->lock);
                item = queue_pop_locked(q);
                pthread_mutex_unlock(&q->lock);
                if (!item)
                        return n;
                deliver(q, item);
                item_free(item);
                n++;
        }
}
