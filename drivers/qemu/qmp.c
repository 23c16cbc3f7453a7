/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qmp.h"
#include "rpc/fdpass.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"

typedef struct QmpCommand {
        struct QmpCommand *prev, *next;
        VmmQmp *qmp;
        uint64_t id;
        char *name;
        char *line; /* the serialized command, until written */
        int fd;     /* sent with the command (SCM_RIGHTS), -1: none */
        uint64_t deadline; /* uv_now() ms, 0 for none */
        bool sent;
        VmmQmpReplyFn reply;
        void *userdata;
        void (*destroy)(void *userdata);
} QmpCommand;

typedef struct QmpWrite {
        uv_write_t req;
        char *data;
} QmpWrite;

struct VmmQmp {
        uv_loop_t *loop;
        char *name;
        VmmQmpCallbacks cb;
        void *userdata;

        uv_pipe_t pipe;
        uv_connect_t connect_req;
        uv_timer_t timer;
        int open_handles; /* freed when the last one closed */

        json_tokener *tok;
        size_t message_size; /* bytes fed into the current message */
        char read_buf[65536];

        bool pipe_open;
        bool greeted;
        bool ready;
        bool closing;
        bool closed_reported;
        uint64_t ready_deadline;

        uint64_t next_id;
        QmpCommand *head, *tail; /* in send order */
        size_t n_pending;
};

/* --- commands --- */

static void command_unlink(VmmQmp *qmp, QmpCommand *c)
{
        if (c->prev)
                c->prev->next = c->next;
        else
                qmp->head = c->next;
        if (c->next)
                c->next->prev = c->prev;
        else
                qmp->tail = c->prev;
        c->prev = c->next = NULL;
        qmp->n_pending--;
}

/* Unlinks `c`, reports its result and frees it. */
static void command_finish(VmmQmp *qmp, QmpCommand *c, int status, json_object *ret,
                           const char *error_class, const char *message)
{
        command_unlink(qmp, c);
        if (c->reply)
                c->reply(qmp, status, ret, error_class, message, c->userdata);
        if (c->destroy)
                c->destroy(c->userdata);
        if (c->fd >= 0)
                close(c->fd);
        free(c->name);
        free(c->line);
        free(c);
}

static void fail_all(VmmQmp *qmp, int status, const char *why)
{
        while (qmp->head) {
                QmpCommand *c = qmp->head;
                char msg[512];

                snprintf(msg, sizeof(msg), "QMP command '%s' on %s: %s", c->name, qmp->name, why);
                command_finish(qmp, c, status, NULL, NULL, msg);
        }
}

/* --- closing --- */

static void handle_closed(uv_handle_t *h)
{
        VmmQmp *qmp = h->data;

        if (--qmp->open_handles > 0)
                return;
        if (qmp->tok)
                json_tokener_free(qmp->tok);
        free(qmp->name);
        free(qmp);
}

static void qmp_report_closed(VmmQmp *qmp, int error, const char *message)
{
        if (qmp->closed_reported)
                return;
        qmp->closed_reported = true;
        qmp->ready = false;
        fail_all(qmp, error ? error : -ECONNRESET, message);
        if (qmp->pipe_open) {
                uv_read_stop((uv_stream_t *)&qmp->pipe);
        }
        uv_timer_stop(&qmp->timer);
        if (qmp->cb.closed && !qmp->closing)
                qmp->cb.closed(qmp, error, message, qmp->userdata);
}

void vmm_qmp_close(VmmQmp *qmp)
{
        if (!qmp || qmp->closing)
                return;
        qmp->closing = true;
        qmp->closed_reported = true; /* the owner asked: no `closed` callback */
        qmp->ready = false;
        fail_all(qmp, -ECANCELED, "monitor connection closed");
        uv_close((uv_handle_t *)&qmp->timer, handle_closed);
        uv_close((uv_handle_t *)&qmp->pipe, handle_closed);
}

/* --- deadlines --- */

static void timer_rearm(VmmQmp *qmp);

static void timer_fired(uv_timer_t *t)
{
        VmmQmp *qmp = t->data;
        uint64_t now = uv_now(qmp->loop);
        QmpCommand *c, *next;

        if (!qmp->ready && qmp->ready_deadline && now >= qmp->ready_deadline) {
                char msg[512];

                snprintf(msg, sizeof(msg), "monitor of %s did not become ready in time",
                         qmp->name);
                qmp_report_closed(qmp, -ETIMEDOUT, msg);
                return;
        }
        for (c = qmp->head; c; c = next) {
                next = c->next;
                if (c->deadline && now >= c->deadline) {
                        char msg[512];

                        snprintf(msg, sizeof(msg),
                                 "QMP command '%s' on %s timed out: the monitor did not answer",
                                 c->name, qmp->name);
                        /* a late reply with this id is dropped */
                        command_finish(qmp, c, -ETIMEDOUT, NULL, NULL, msg);
                        if (qmp->closing)
                                return;
                }
        }
        timer_rearm(qmp);
}

static void timer_rearm(VmmQmp *qmp)
{
        uint64_t now = uv_now(qmp->loop), first = 0;

        if (qmp->closing || qmp->closed_reported)
                return;
        if (!qmp->ready && qmp->ready_deadline)
                first = qmp->ready_deadline;
        for (QmpCommand *c = qmp->head; c; c = c->next)
                if (c->deadline && (!first || c->deadline < first))
                        first = c->deadline;
        if (!first) {
                uv_timer_stop(&qmp->timer);
                return;
        }
        uv_timer_start(&qmp->timer, timer_fired, first > now ? first - now : 0, 0);
}

/* --- writing --- */

static void flush_queued(VmmQmp *qmp);
static int send_line(VmmQmp *qmp, char *line);

static void write_done(uv_write_t *req, int status)
{
        QmpWrite *w = container_of(req, QmpWrite, req);
        VmmQmp *qmp = req->data;

        free(w->data);
        free(w);
        if (status < 0 && status != UV_ECANCELED && !qmp->closing) {
                char msg[256];

                snprintf(msg, sizeof(msg), "writing to the monitor of %s failed: %s", qmp->name,
                         uv_strerror(status));
                qmp_report_closed(qmp, -EPIPE, msg);
                return;
        }
        /* a command with an fd waits until the bytes before it are out */
        if (qmp->ready && !qmp->closing && qmp->pipe.write_queue_size == 0)
                flush_queued(qmp);
}

/* Sends `c` with its fd on the socket itself (libuv's pipe is not an IPC
 * pipe): only once nothing queued before it is pending. */
static int send_with_fd(VmmQmp *qmp, QmpCommand *c)
{
        _cleanup_free_ char *line = TAKE_PTR(c->line);
        size_t len = strlen(line);
        uv_os_fd_t sock;
        ssize_t n;

        if (uv_fileno((uv_handle_t *)&qmp->pipe, &sock) < 0)
                return -EBADF;
        n = vmm_rpc_send_fds(sock, line, len, &c->fd, 1, NULL);
        if (n < 0)
                return (int)n;
        close(c->fd);
        c->fd = -1;
        if ((size_t)n < len) {
                char *rest = strdup(line + n);

                return rest ? send_line(qmp, rest) : -ENOMEM;
        }
        return 0;
}

static int send_line(VmmQmp *qmp, char *line)
{
        QmpWrite *w = calloc(1, sizeof(*w));
        uv_buf_t buf;
        int r;

        if (!w) {
                free(line);
                return -ENOMEM;
        }
        w->data = line;
        w->req.data = qmp;
        buf = uv_buf_init(line, (unsigned int)strlen(line));
        r = uv_write(&w->req, (uv_stream_t *)&qmp->pipe, &buf, 1, write_done);
        if (r < 0) {
                free(w->data);
                free(w);
                return -EPIPE;
        }
        return 0;
}

static void flush_queued(VmmQmp *qmp)
{
        for (QmpCommand *c = qmp->head; c && qmp->ready; c = c->next) {
                if (c->sent)
                        continue;
                if (c->fd >= 0 && qmp->pipe.write_queue_size > 0)
                        return; /* write_done sends it */
                c->sent = true;
                if ((c->fd >= 0 ? send_with_fd(qmp, c) : send_line(qmp, TAKE_PTR(c->line))) < 0) {
                        qmp_report_closed(qmp, -EPIPE, "cannot write to the monitor");
                        return;
                }
        }
}

static char *command_serialize(const char *command, json_object *arguments, const char *id)
{
        json_object *o = json_object_new_object();
        const char *s;
        char *line = NULL;

        if (!o) {
                json_object_put(arguments);
                return NULL;
        }
        json_object_object_add(o, "execute", json_object_new_string(command));
        if (arguments)
                json_object_object_add(o, "arguments", arguments);
        json_object_object_add(o, "id", json_object_new_string(id));
        s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        if (s && asprintf(&line, "%s\r\n", s) < 0)
                line = NULL;
        json_object_put(o);
        return line;
}

/* Queues a command; `fd` (>= 0) goes with it and is closed with it (not
 * on failure: it stays the caller's then). */
static int qmp_queue(VmmQmp *qmp, const char *command, json_object *arguments, int fd,
                     uint64_t timeout_ms, VmmQmpReplyFn reply, void *userdata,
                     void (*destroy)(void *userdata), VmmError *error)
{
        QmpCommand *c;
        char id[32];

        if (!qmp || !command || !*command) {
                json_object_put(arguments);
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "QMP: no command given");
        }
        if (qmp->closing || qmp->closed_reported) {
                json_object_put(arguments);
                return vmm_error_set(error, -ENOTCONN, VMM_ERR_OPERATION_INVALID,
                                     "QMP command '%s' on %s: the monitor is closed", command,
                                     qmp->name);
        }
        c = calloc(1, sizeof(*c));
        if (!c) {
                json_object_put(arguments);
                return vmm_error_oom(error);
        }
        c->qmp = qmp;
        c->fd = -1;
        c->id = ++qmp->next_id;
        snprintf(id, sizeof(id), "vmm-%llu", (unsigned long long)c->id);
        c->name = strdup(command);
        c->line = command_serialize(command, arguments, id);
        if (!c->name || !c->line) {
                free(c->name);
                free(c->line);
                free(c);
                return vmm_error_oom(error);
        }
        c->deadline = timeout_ms ? uv_now(qmp->loop) + timeout_ms : 0;
        c->fd = fd;
        c->reply = reply;
        c->userdata = userdata;
        c->destroy = destroy;
        c->prev = qmp->tail;
        if (qmp->tail)
                qmp->tail->next = c;
        else
                qmp->head = c;
        qmp->tail = c;
        qmp->n_pending++;
        vmm_log_debug("qmp %s: queue %s id %s", qmp->name, command, id);
        if (qmp->ready)
                flush_queued(qmp);
        timer_rearm(qmp);
        return 0;
}

int vmm_qmp_execute(VmmQmp *qmp, const char *command, json_object *arguments,
                    uint64_t timeout_ms, VmmQmpReplyFn reply, void *userdata,
                    void (*destroy)(void *userdata), VmmError *error)
{
        return qmp_queue(qmp, command, arguments, -1, timeout_ms, reply, userdata, destroy, error);
}

/* --- reading --- */

static QmpCommand *command_by_id(VmmQmp *qmp, json_object *id)
{
        const char *s = id ? json_object_get_string(id) : NULL;
        unsigned long long n;

        if (!s || sscanf(s, "vmm-%llu", &n) != 1)
                return NULL;
        for (QmpCommand *c = qmp->head; c; c = c->next)
                if (c->id == n && c->sent)
                        return c;
        return NULL;
}

static void handle_reply(VmmQmp *qmp, json_object *msg)
{
        json_object *id = NULL, *ret = NULL, *err = NULL;
        QmpCommand *c;

        json_object_object_get_ex(msg, "id", &id);
        c = command_by_id(qmp, id);
        if (!c) {
                vmm_log_debug("qmp %s: reply for no pending command, dropped", qmp->name);
                return;
        }
        if (json_object_object_get_ex(msg, "return", &ret)) {
                command_finish(qmp, c, 0, ret, NULL, NULL);
                return;
        }
        json_object_object_get_ex(msg, "error", &err);
        {
                json_object *cls = NULL, *desc = NULL;
                char text[1024];

                json_object_object_get_ex(err, "class", &cls);
                json_object_object_get_ex(err, "desc", &desc);
                snprintf(text, sizeof(text), "QMP command '%s' on %s failed: %s", c->name,
                         qmp->name, desc ? json_object_get_string(desc) : "unknown error");
                command_finish(qmp, c, -EIO, NULL, cls ? json_object_get_string(cls) : "GenericError",
                               text);
        }
}

static void capabilities_done(VmmQmp *qmp, int status, json_object *ret, const char *cls,
                              const char *message, void *userdata)
{
        json_object *version = userdata;

        if (status < 0) {
                qmp_report_closed(qmp, status, message);
                return;
        }
        qmp->ready = true;
        timer_rearm(qmp);
        if (qmp->cb.ready)
                qmp->cb.ready(qmp, version, qmp->userdata);
        if (!qmp->closing)
                flush_queued(qmp);
}

static void version_put(void *p)
{
        json_object_put(p);
}

static int handle_greeting(VmmQmp *qmp, json_object *msg)
{
        json_object *qmpobj = NULL, *version = NULL;
        QmpCommand *c;
        char *line;

        if (!json_object_object_get_ex(msg, "QMP", &qmpobj))
                return -EPROTO;
        qmp->greeted = true;
        json_object_object_get_ex(qmpobj, "version", &version);
        /* qmp_capabilities goes first, ahead of anything queued */
        c = calloc(1, sizeof(*c));
        line = command_serialize("qmp_capabilities", NULL, "vmm-0");
        if (!c || !line) {
                free(c);
                free(line);
                return -ENOMEM;
        }
        c->qmp = qmp;
        c->fd = -1;
        c->id = 0;
        c->name = strdup("qmp_capabilities");
        c->sent = true;
        c->deadline = qmp->ready_deadline;
        c->reply = capabilities_done;
        c->userdata = version ? json_object_get(version) : NULL;
        c->destroy = version_put;
        c->next = qmp->head;
        if (qmp->head)
                qmp->head->prev = c;
        else
                qmp->tail = c;
        qmp->head = c;
        qmp->n_pending++;
        return send_line(qmp, line);
}

static int handle_message(VmmQmp *qmp, json_object *msg)
{
        json_object *ev = NULL;

        if (!json_object_is_type(msg, json_type_object))
                return -EPROTO;
        if (!qmp->greeted)
                return handle_greeting(qmp, msg);
        if (json_object_object_get_ex(msg, "event", &ev)) {
                json_object *data = NULL, *ts = NULL, *sec = NULL, *usec = NULL;

                json_object_object_get_ex(msg, "data", &data);
                if (json_object_object_get_ex(msg, "timestamp", &ts)) {
                        json_object_object_get_ex(ts, "seconds", &sec);
                        json_object_object_get_ex(ts, "microseconds", &usec);
                }
                if (qmp->cb.event)
                        qmp->cb.event(qmp, json_object_get_string(ev), data,
                                      sec ? json_object_get_int64(sec) : 0,
                                      usec ? json_object_get_int64(usec) : 0, qmp->userdata);
                return 0;
        }
        if (json_object_object_get_ex(msg, "return", NULL) ||
            json_object_object_get_ex(msg, "error", NULL)) {
                handle_reply(qmp, msg);
                return 0;
        }
        return -EPROTO;
}

static void protocol_error(VmmQmp *qmp, const char *what)
{
        char msg[512];

        snprintf(msg, sizeof(msg), "monitor of %s sent %s", qmp->name, what);
        qmp_report_closed(qmp, -EPROTO, msg);
}

static void feed(VmmQmp *qmp, const char *data, size_t len)
{
        size_t off = 0;

        while (off < len && !qmp->closed_reported && !qmp->closing) {
                json_object *obj;
                enum json_tokener_error jerr;
                size_t used;

                /* blanks between messages are not part of any message */
                if (qmp->message_size == 0 && (data[off] == '\r' || data[off] == '\n' ||
                                               data[off] == ' ' || data[off] == '\t')) {
                        off++;
                        continue;
                }
                obj = json_tokener_parse_ex(qmp->tok, data + off, (int)(len - off));
                jerr = json_tokener_get_error(qmp->tok);
                if (jerr == json_tokener_continue) {
                        qmp->message_size += len - off;
                        if (qmp->message_size > VMM_QMP_MAX_MESSAGE)
                                protocol_error(qmp, "a message over the size limit");
                        return;
                }
                if (jerr != json_tokener_success || !obj) {
                        char what[160];

                        snprintf(what, sizeof(what), "malformed JSON (%s)",
                                 json_tokener_error_desc(jerr));
                        json_tokener_reset(qmp->tok);
                        protocol_error(qmp, what);
                        return;
                }
                used = json_tokener_get_parse_end(qmp->tok);
                off += used;
                qmp->message_size = 0;
                json_tokener_reset(qmp->tok);
                if (handle_message(qmp, obj) < 0)
                        protocol_error(qmp, "a message that is not QMP");
                json_object_put(obj);
        }
}

static void read_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
        VmmQmp *qmp = h->data;

        *buf = uv_buf_init(qmp->read_buf, sizeof(qmp->read_buf));
}

static void read_done(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
        VmmQmp *qmp = s->data;

        if (n > 0) {
                feed(qmp, buf->base, (size_t)n);
                return;
        }
        /* QEMU exiting may reset the connection instead of closing it: both
         * mean the monitor is gone, not that it failed */
        if (n == UV_EOF || n == UV_ECONNRESET) {
                char msg[256];

                snprintf(msg, sizeof(msg), "monitor of %s closed", qmp->name);
                qmp_report_closed(qmp, 0, msg);
        } else if (n < 0) {
                char msg[256];

                snprintf(msg, sizeof(msg), "reading the monitor of %s failed: %s", qmp->name,
                         uv_strerror((int)n));
                qmp_report_closed(qmp, -ECONNRESET, msg);
        }
}

static int start_reading(VmmQmp *qmp, uint64_t timeout_ms)
{
        qmp->ready_deadline = timeout_ms ? uv_now(qmp->loop) + timeout_ms : 0;
        timer_rearm(qmp);
        return uv_read_start((uv_stream_t *)&qmp->pipe, read_alloc, read_done) < 0 ? -EIO : 0;
}

static void connected(uv_connect_t *req, int status)
{
        VmmQmp *qmp = req->data;

        if (qmp->closing)
                return;
        if (status < 0) {
                char msg[512];

                snprintf(msg, sizeof(msg), "cannot connect to the monitor of %s: %s", qmp->name,
                         uv_strerror(status));
                qmp_report_closed(qmp, -ECONNREFUSED, msg);
                return;
        }
        qmp->pipe_open = true;
        if (uv_read_start((uv_stream_t *)&qmp->pipe, read_alloc, read_done) < 0)
                qmp_report_closed(qmp, -EIO, "cannot read the monitor");
}

/* --- set-up --- */

int vmm_qmp_new(uv_loop_t *loop, const char *name, const VmmQmpCallbacks *callbacks,
                void *userdata, VmmQmp **ret_qmp, VmmError *error)
{
        VmmQmp *qmp = calloc(1, sizeof(*qmp));

        if (!qmp)
                return vmm_error_oom(error);
        qmp->loop = loop;
        qmp->name = strdup(name ? name : "qemu");
        qmp->tok = json_tokener_new_ex(64);
        if (!qmp->name || !qmp->tok) {
                if (qmp->tok)
                        json_tokener_free(qmp->tok);
                free(qmp->name);
                free(qmp);
                return vmm_error_oom(error);
        }
        if (callbacks)
                qmp->cb = *callbacks;
        qmp->userdata = userdata;
        uv_pipe_init(loop, &qmp->pipe, 0);
        uv_timer_init(loop, &qmp->timer);
        qmp->pipe.data = qmp;
        qmp->timer.data = qmp;
        qmp->connect_req.data = qmp;
        qmp->open_handles = 2;
        *ret_qmp = qmp;
        return 0;
}

int vmm_qmp_connect(VmmQmp *qmp, const char *path, uint64_t timeout_ms, VmmError *error)
{
        if (!qmp || !path)
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "QMP: no monitor socket path given");
        qmp->ready_deadline = timeout_ms ? uv_now(qmp->loop) + timeout_ms : 0;
        timer_rearm(qmp);
        uv_pipe_connect(&qmp->connect_req, &qmp->pipe, path, connected);
        return 0;
}

int vmm_qmp_open_fd(VmmQmp *qmp, int fd, uint64_t timeout_ms, VmmError *error)
{
        int r;

        if (!qmp || fd < 0) {
                if (fd >= 0)
                        close(fd);
                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                     "QMP: no monitor fd given");
        }
        r = uv_pipe_open(&qmp->pipe, fd);
        if (r < 0) {
                close(fd);
                return vmm_error_set(error, -EBADF, VMM_ERR_SYSTEM,
                                     "QMP: cannot use fd %d for the monitor of %s: %s", fd,
                                     qmp->name, uv_strerror(r));
        }
        qmp->pipe_open = true;
        if (start_reading(qmp, timeout_ms) < 0)
                return vmm_error_set(error, -EIO, VMM_ERR_SYSTEM,
                                     "QMP: cannot read the monitor of %s", qmp->name);
        return 0;
}

bool vmm_qmp_is_ready(const VmmQmp *qmp)
{
        return qmp && qmp->ready;
}

size_t vmm_qmp_pending(const VmmQmp *qmp)
{
        return qmp ? qmp->n_pending : 0;
}

int vmm_qmp_execute_fd(VmmQmp *qmp, const char *command, json_object *arguments, int fd,
                       uint64_t timeout_ms, VmmQmpReplyFn reply, void *userdata,
                       void (*destroy)(void *userdata), VmmError *error)
{
        int copy = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;
        int r;

        if (copy < 0) {
                json_object_put(arguments);
                return vmm_error_set(error, fd < 0 ? -EBADF : -errno, VMM_ERR_SYSTEM,
                                     "QMP command '%s' on %s: no file descriptor to pass",
                                     command ? command : "?", qmp ? qmp->name : "qemu");
        }
        r = qmp_queue(qmp, command, arguments, copy, timeout_ms, reply, userdata, destroy, error);
        if (r < 0)
                close(copy);
        return r;
}
