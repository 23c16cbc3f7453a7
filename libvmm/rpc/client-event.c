/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-event.c: event handlers, the event queue and its delivery (from
 * the client's event thread, or from the application's loop). */
#include <errno.h>
#include <string.h>

#include "rpc/client-internal.h"
#include "util/error.h"
#include "util/log.h"

void rpc_client_queue_event_locked(VmmRpcClient *c, RpcEventItem *item)
{
        if (!item->is_close && c->n_events >= RPC_CLIENT_MAX_QUEUED_EVENTS) {
                vmm_log_debug("rpc client %s: %zu events waiting, dropping one", c->name,
                              c->n_events);
                free(item->frame);
                free(item);
                return;
        }
        if (c->ev_tail)
                c->ev_tail->next = item;
        else
                c->ev_head = item;
        c->ev_tail = item;
        c->n_events++;
        if (c->event_fd >= 0) {
                uint64_t one = 1;
                (void)!write(c->event_fd, &one, sizeof(one));
        }
        pthread_cond_signal(&c->event_cond);
}

void rpc_client_free_events(VmmRpcClient *c)
{
        while (c->ev_head) {
                RpcEventItem *item = c->ev_head;
                c->ev_head = item->next;
                free(item->frame);
                free(item);
        }
        c->ev_tail = NULL;
        c->n_events = 0;
}

void rpc_client_free_handlers(VmmRpcClient *c)
{
        while (c->handlers) {
                RpcHandler *h = c->handlers;
                c->handlers = h->next;
                if (h->destroy)
                        h->destroy(h->userdata);
                free(h);
        }
}

int vmm_rpc_client_add_event_handler(VmmRpcClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                                     VmmRpcEventFunc func, void *userdata,
                                     VmmRpcDestroyFunc destroy, VmmError *error)
{
        const VmmRpcProc *proc;
        RpcHandler *h;
        int id;

        vmm_check_arg(c && prog && func, error, "client, prog and func");
        proc = vmm_rpc_program_find(prog, procedure);
        if (!proc || proc->kind != VMM_RPC_PROC_EVENT)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "program '%s' has no event procedure %u", prog->name,
                                     procedure);
        h = calloc(1, sizeof(*h));
        if (!h)
                return vmm_error_oom(error);
        h->prog = prog;
        h->procedure = procedure;
        h->func = func;
        h->userdata = userdata;
        h->destroy = destroy;
        pthread_mutex_lock(&c->lock);
        id = h->id = c->next_handler_id++;
        h->next = c->handlers;
        c->handlers = h;
        pthread_mutex_unlock(&c->lock);
        return id;
}

/* Drops a reference (lock held); a removed handler with none left is
 * unlinked and returned for destruction outside the lock. */
static RpcHandler *handler_unref_locked(VmmRpcClient *c, RpcHandler *h)
{
        if (h->refs > 0)
                h->refs--;
        if (h->refs > 0 || !h->removed)
                return NULL;
        for (RpcHandler **pp = &c->handlers; *pp; pp = &(*pp)->next)
                if (*pp == h) {
                        *pp = h->next;
                        return h;
                }
        return NULL;
}

static void handler_destroy(RpcHandler *h)
{
        if (!h)
                return;
        if (h->destroy)
                h->destroy(h->userdata);
        free(h);
}

int vmm_rpc_client_remove_event_handler(VmmRpcClient *c, int id)
{
        RpcHandler *h, *gone = NULL;

        pthread_mutex_lock(&c->lock);
        for (h = c->handlers; h; h = h->next)
                if (h->id == id && !h->removed)
                        break;
        if (h) {
                h->removed = true;
                h->refs++;
                gone = handler_unref_locked(c, h);
        }
        pthread_mutex_unlock(&c->lock);
        handler_destroy(gone);
        return h ? 0 : -ENOENT;
}

void vmm_rpc_client_set_close_handler(VmmRpcClient *c, VmmRpcCloseFunc func, void *userdata,
                                      VmmRpcDestroyFunc destroy)
{
        pthread_mutex_lock(&c->lock);
        if (c->close_destroy)
                c->close_destroy(c->close_userdata);
        c->close_func = func;
        c->close_userdata = userdata;
        c->close_destroy = destroy;
        pthread_mutex_unlock(&c->lock);
}

static void deliver_close(VmmRpcClient *c)
{
        VmmRpcCloseFunc func;
        void *userdata;

        pthread_mutex_lock(&c->lock);
        func = c->close_func;
        userdata = c->close_userdata;
        pthread_mutex_unlock(&c->lock);
        if (func)
                func(c, &c->close_error, userdata);
}

static void deliver_event(VmmRpcClient *c, const RpcEventItem *item)
{
        const uint8_t *body = item->frame + VMM_RPC_HEADER_SIZE;
        size_t len = item->header.length - VMM_RPC_HEADER_SIZE;
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        const VmmRpcProc *proc = NULL;
        RpcHandler *h, *gone;

        pthread_mutex_lock(&c->lock);
        for (h = c->handlers; h; h = h->next)
                if (!h->removed && h->prog->number == item->header.program &&
                    h->procedure == item->header.procedure)
                        break;
        if (h)
                proc = vmm_rpc_program_find(h->prog, h->procedure);
        pthread_mutex_unlock(&c->lock);
        if (!proc)
                return; /* nobody listens */
        if (vmm_rpc_body_decode(body, len, proc->request, &c->limits, proc->name, &msg, &err) < 0) {
                vmm_log_debug("rpc client %s: event dropped: %s", c->name, vmm_error_message(&err));
                vmm_error_clear(&err);
                return;
        }

        pthread_mutex_lock(&c->lock);
        for (h = c->handlers; h;) {
                RpcHandler *next;
                if (h->removed || h->prog->number != item->header.program ||
                    h->procedure != item->header.procedure) {
                        h = h->next;
                        continue;
                }
                h->refs++;
                pthread_mutex_unlock(&c->lock);
                h->func(c, proc, msg, h->userdata);
                pthread_mutex_lock(&c->lock);
                next = h->next;
                gone = handler_unref_locked(c, h);
                if (gone) {
                        pthread_mutex_unlock(&c->lock);
                        handler_destroy(gone);
                        pthread_mutex_lock(&c->lock);
                }
                h = next;
        }
        pthread_mutex_unlock(&c->lock);
        vmm_rpc_message_free(msg);
}

/* Delivers every queued event; returns how many. */
static int dispatch_all(VmmRpcClient *c)
{
        int n = 0;

        for (;;) {
                RpcEventItem *item;

                pthread_mutex_lock(&c->lock);
                item = c->ev_head;
                if (item) {
                        c->ev_head = item->next;
                        if (!c->ev_head)
                                c->ev_tail = NULL;
                        c->n_events--;
                }
                /* The fd is readable exactly while events wait (it is
                 * written under the same lock when one is queued). */
                if (!c->ev_head && c->event_fd >= 0) {
                        uint64_t v;
                        (void)!read(c->event_fd, &v, sizeof(v));
                }
                pthread_mutex_unlock(&c->lock);
                if (!item)
                        return n;
                if (item->is_close)
                        deliver_close(c);
                else
                        deliver_event(c, item);
                free(item->frame);
                free(item);
                n++;
        }
}

void *rpc_client_event_main(void *arg)
{
        VmmRpcClient *c = arg;

        for (;;) {
                pthread_mutex_lock(&c->lock);
                while (!c->ev_head && !c->stopping)
                        pthread_cond_wait(&c->event_cond, &c->lock);
                if (c->stopping) {
                        pthread_mutex_unlock(&c->lock);
                        return NULL;
                }
                pthread_mutex_unlock(&c->lock);
                dispatch_all(c);
        }
}

int vmm_rpc_client_event_fd(VmmRpcClient *c)
{
        return c->event_fd >= 0 ? c->event_fd : -EINVAL;
}

int vmm_rpc_client_dispatch_events(VmmRpcClient *c)
{
        if (c->event_fd < 0)
                return -EINVAL;
        return dispatch_all(c);
}
