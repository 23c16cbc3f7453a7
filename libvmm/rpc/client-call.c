/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* client-call.c: one call: queue it, wait for the reply with its serial or
 * for the deadline, decode the reply. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rpc/client-internal.h"
#include "util/error.h"
#include "util/log.h"

static void pending_unlink(VmmRpcClient *c, RpcPending *p)
{
        if (p->prev)
                p->prev->next = p->next;
        else if (c->pending == p)
                c->pending = p->next;
        if (p->next)
                p->next->prev = p->prev;
        p->next = p->prev = NULL;
}

static void deadline_from_now(struct timespec *ts, int timeout_ms)
{
        clock_gettime(CLOCK_MONOTONIC, ts);
        ts->tv_sec += timeout_ms / 1000;
        ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (ts->tv_nsec >= 1000000000L) {
                ts->tv_sec++;
                ts->tv_nsec -= 1000000000L;
        }
}

/* Milliseconds left until `deadline` (rounded up), 0 when past it. */
static int deadline_left_ms(const struct timespec *deadline)
{
        struct timespec now;
        int64_t ns;

        clock_gettime(CLOCK_MONOTONIC, &now);
        ns = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000000000 +
             (deadline->tv_nsec - now.tv_nsec);
        if (ns <= 0)
                return 0;
        return (int)((ns + 999999) / 1000000);
}

/* The caller reads the socket itself until its reply (or a frame for
 * someone else) has come: one round of poll and read. Lock held on entry
 * and exit, not in between. Until *spin_until_ns (and not past the
 * deadline) it polls without sleeping (client-spin.c); losing the CPU
 * meanwhile ends that (*spin_until_ns = 0, *preempted). Returns true when
 * the deadline passed. */
static bool call_lead(VmmRpcClient *c, RpcPending *p, const struct timespec *deadline,
                      uint64_t *spin_until_ns, bool *preempted)
{
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        int left = deadline ? deadline_left_ms(deadline) : -1;
        uint64_t until = *spin_until_ns, d_ns;
        bool ok = true, done = false, lost = false;
        int n = 0;

        if (left == 0)
                return true;
        if (deadline && until) {
                d_ns = (uint64_t)deadline->tv_sec * 1000000000u + (uint64_t)deadline->tv_nsec;
                until = until < d_ns ? until : d_ns;
        }
        c->reading = true;
        pthread_mutex_unlock(&c->lock);
        if (until)
                n = rpc_client_spin_poll(c, until, &lost);
        if (lost) {
                *preempted = true;
                *spin_until_ns = 0;
        }
        if (n == 0)
                n = poll(&pfd, 1, left);
        if (n > 0)
                ok = rpc_client_read(c, p, &done);
        pthread_mutex_lock(&c->lock);
        c->reading = false;
        c->last_lead_ms = rpc_client_now_ms();
        if (ok && n == 0 && !p->done)
                return deadline && deadline_left_ms(deadline) == 0;
        return false;
}

/* Waits (lock held) until the reply of `p` is in or the deadline passed
 * (returns true then): leading, the caller first polls for the spin
 * window, which learns from how long the reply took. */
static bool call_wait_locked(VmmRpcClient *c, RpcPending *p, const struct timespec *deadline)
{
        uint64_t sent_ns = vmm_rpc_spin_now_ns(), spin_until_ns = 0;
        unsigned window_us = 0;
        bool timed_out = false, spun = !rpc_client_spin_wait_begin(), preempted = false;

        while (!p->done && !timed_out) {
                if (!c->reading && !c->closed) {
                        /* one window per call, however often it leads, and
                         * only for a call alone in flight, here and in the
                         * process (a sequential caller); with others in
                         * flight the daemon is busy and answers come without
                         * anyone spinning */
                        if (!spun && c->pending == p && !p->next) {
                                window_us = vmm_rpc_spin_next(&c->spin);
                                if (window_us)
                                        spin_until_ns = sent_ns + window_us * 1000ull;
                        }
                        spun = true;
                        timed_out = call_lead(c, p, deadline, &spin_until_ns, &preempted);
                        continue;
                }
                if (deadline)
                        timed_out =
                            pthread_cond_timedwait(&p->cond, &c->lock, deadline) == ETIMEDOUT &&
                            !p->done;
                else
                        pthread_cond_wait(&p->cond, &c->lock);
        }
        rpc_client_spin_wait_end();
        if (window_us && preempted)
                vmm_rpc_spin_contended(&c->spin, window_us);
        else if (window_us && p->done && !p->failed)
                vmm_rpc_spin_update(&c->spin, window_us, vmm_rpc_spin_now_ns() - sent_ns);
        return timed_out;
}

/* Queues the frame and waits; lock not held on entry or exit. Returns 0
 * with p->frame set, or a negative errno with `error` filled. */
static int call_send_and_wait(VmmRpcClient *c, RpcPending *p, uint8_t *frame, size_t len,
                              int timeout_ms, const char *what, VmmError *error)
{
        struct timespec deadline;
        bool timed_out = false, need_wake;
        int r;

        if (timeout_ms > 0)
                deadline_from_now(&deadline, timeout_ms);
        pthread_mutex_lock(&c->lock);
        if (c->closed) {
                r = vmm_error_set(error, c->close_error.code, c->close_error.kind, "%s: %s", what,
                                  vmm_error_message(&c->close_error));
                pthread_mutex_unlock(&c->lock);
                free(frame);
                return r;
        }
        p->serial = c->next_serial++;
        if (c->next_serial == 0)
                c->next_serial = 1;
        frame[20] = (uint8_t)(p->serial >> 24);
        frame[21] = (uint8_t)(p->serial >> 16);
        frame[22] = (uint8_t)(p->serial >> 8);
        frame[23] = (uint8_t)p->serial;
        if (p->stream)
                rpc_client_stream_bind_locked(c, p);
        p->next = c->pending;
        if (c->pending)
                c->pending->prev = p;
        c->pending = p;
        r = rpc_client_queue_locked(c, frame, len);
        if (r < 0) {
                pending_unlink(c, p);
                pthread_mutex_unlock(&c->lock);
                return vmm_error_oom(error);
        }
        /* Alone in the queue: write it now; the I/O thread only needs
         * waking when the socket is full (it then waits for POLLOUT). */
        if (c->out_head == c->out_tail)
                rpc_client_flush_locked(c);
        need_wake = c->out_head != NULL || c->write_error;
        pthread_mutex_unlock(&c->lock);
        if (need_wake)
                rpc_client_wake(c);

        pthread_mutex_lock(&c->lock);
        timed_out = call_wait_locked(c, p, timeout_ms > 0 ? &deadline : NULL);
        pending_unlink(c, p);
        rpc_client_handoff_locked(c);
        if (timed_out)
                r = vmm_error_set(error, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                                  "%s to daemon at '%s' timed out after %d ms (no reply)", what,
                                  c->name, timeout_ms);
        else if (p->failed)
                r = vmm_error_set(error, c->close_error.code, c->close_error.kind, "%s: %s", what,
                                  vmm_error_message(&c->close_error));
        else
                r = 0;
        pthread_mutex_unlock(&c->lock);
        return r;
}

static int call_decode_reply(VmmRpcClient *c, const VmmRpcProgram *prog, const VmmRpcProc *proc,
                             const RpcPending *p, const char *what, ProtobufCMessage **ret_reply,
                             VmmError *error)
{
        const uint8_t *body = p->frame + VMM_RPC_HEADER_SIZE;
        size_t body_len = p->header.length - VMM_RPC_HEADER_SIZE;
        ProtobufCMessage *reply = NULL;
        int r;

        if (p->header.program != prog->number || p->header.procedure != proc->number)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "%s: daemon at '%s' answered serial %u with program "
                                     "0x%08x procedure %u (expected 0x%08x procedure %u)",
                                     what, c->name, p->serial, p->header.program,
                                     p->header.procedure, prog->number, proc->number);
        if (p->header.status == VMM_RPC_ERROR)
                return vmm_rpc_error_decode(body, body_len, error);
        if (p->header.status != VMM_RPC_OK)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "%s: reply has status '%s' (expected ok or error)", what,
                                     vmm_rpc_status_to_string(p->header.status));
        r = vmm_rpc_body_decode(body, body_len, proc->reply, &c->limits, what, &reply, error);
        if (r < 0)
                return r;
        if (ret_reply)
                *ret_reply = reply;
        else
                vmm_rpc_message_free(reply);
        return 0;
}

int vmm_rpc_client_call(VmmRpcClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                        const ProtobufCMessage *request, int timeout_ms,
                        ProtobufCMessage **ret_reply, VmmError *error)
{
        return rpc_client_call_stream(c, prog, procedure, request, timeout_ms, NULL, ret_reply,
                                      error);
}

int rpc_client_call_stream(VmmRpcClient *c, const VmmRpcProgram *prog, uint32_t procedure,
                           const ProtobufCMessage *request, int timeout_ms, VmmRpcStream *stream,
                           ProtobufCMessage **ret_reply, VmmError *error)
{
        VmmRpcHeader h = {0};
        const VmmRpcProc *proc;
        RpcPending p = {0};
        pthread_condattr_t attr;
        uint8_t *frame = NULL;
        char what[160];
        size_t len;
        int r;

        vmm_check_arg(c, error, "client");
        vmm_check_arg(prog, error, "prog");
        proc = vmm_rpc_program_find(prog, procedure);
        if (!proc || proc->kind != VMM_RPC_PROC_CALL)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "program '%s' has no call procedure %u", prog->name,
                                     procedure);
        vmm_rpc_describe(what, sizeof(what), "call '", prog->name, proc->name, "'");
        if (request && request->descriptor != proc->request)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "%s: request is a %s (expected %s)", what,
                                     request->descriptor->name, proc->request->name);
        if (timeout_ms == VMM_RPC_TIMEOUT_DEFAULT)
                timeout_ms = c->opts.call_timeout_ms;

        h.program = prog->number;
        h.version = prog->version;
        h.procedure = procedure;
        h.type = VMM_RPC_CALL;
        h.status = VMM_RPC_OK;
        r = vmm_rpc_frame_encode(&h, request, &c->limits, what, &frame, &len, error);
        if (r < 0)
                return r;

        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&p.cond, &attr);
        pthread_condattr_destroy(&attr);
        p.stream = stream;
        r = call_send_and_wait(c, &p, frame, len, timeout_ms, what, error);
        if (r >= 0)
                r = call_decode_reply(c, prog, proc, &p, what, ret_reply, error);
        pthread_cond_destroy(&p.cond);
        free(p.frame);
        return r;
}
