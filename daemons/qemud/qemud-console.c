/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-console.c: vmm-qemud's open-console: a client's stream joined to
 * the host side of a guest's serial port or console (drivers/qemu/
 * qemu-console.h): the pty QEMU allocated, opened here in raw mode, or the
 * unix socket QEMU listens on.
 *
 * - One client per device: a second open fails with -EBUSY naming the
 *   client that holds it, unless FORCE, which aborts the holder's stream
 *   with a message saying who took the console over.
 * - Guest output goes to the stream as it comes (QEMU also logs it to the
 *   serial log file). When the client does not keep up, the stream refuses
 *   more (its window, daemon-stream.h) and reading the pty pauses: the
 *   guest's output then waits in QEMU, not here.
 * - Client input is written to the pty; what the pty does not take at once
 *   waits here, at most QEMUD_CONSOLE_MAX_INPUT bytes, beyond which the
 *   stream is aborted with a message (nothing is dropped silently).
 * - The stream ends (status OK) when QEMU closes its side: the guest
 *   stopped. A client that ends its stream or disconnects frees the
 *   device for the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "daemon-stream.h"
#include "qemu-console.h"
#include "qemud.h"
#include "util/error.h"
#include "util/log.h"
#include "vmm-rpc.pb-c.h"
#include <vmm/vmm-stream.h>

#define QEMUD_CONSOLE_MAX_INPUT (1u << 20)
#define QEMUD_CONSOLE_READ 4096

struct QemudConsole {
        QemudConsole *next; /* in q->consoles while it holds the device */
        Qemud *q;
        VmmDaemonCall *call; /* while the device is looked up */
        VmmDaemonStream *st; /* NULL once the stream ended */
        uint8_t uuid[VMM_UUID_LEN];
        char *name;
        char alias[32];
        char holder[96]; /* "client pid 42 uid 1000" */
        unsigned int flags;
        int fd;
        uv_poll_t poll;
        bool poll_init, reading, linked;
        uint8_t held[QEMUD_CONSOLE_READ]; /* read, refused by the stream */
        size_t n_held;
        uint8_t *in; /* input the pty has not taken yet */
        size_t n_in;
};

static void console_handle_closed(uv_handle_t *h)
{
        QemudConsole *con = h->data;

        if (con->fd >= 0)
                close(con->fd);
        free(con->in);
        free(con->name);
        free(con);
}

static void console_unlink(QemudConsole *con)
{
        if (!con->linked)
                return;
        for (QemudConsole **pp = &con->q->consoles; *pp; pp = &(*pp)->next)
                if (*pp == con) {
                        *pp = con->next;
                        break;
                }
        con->linked = false;
}

/* Releases the device and everything held (the stream is already over). */
static void console_free(QemudConsole *con)
{
        console_unlink(con);
        con->st = NULL;
        if (con->poll_init) {
                uv_poll_stop(&con->poll);
                uv_close((uv_handle_t *)&con->poll, console_handle_closed);
                return;
        }
        con->poll.data = con;
        console_handle_closed((uv_handle_t *)&con->poll);
}

static void console_on_poll(uv_poll_t *h, int status, int events);

static void console_update_poll(QemudConsole *con)
{
        int events = 0;

        if (con->reading && con->n_held == 0)
                events |= UV_READABLE;
        if (con->n_in > 0)
                events |= UV_WRITABLE;
        if (events)
                uv_poll_start(&con->poll, events | UV_DISCONNECT, console_on_poll);
        else
                uv_poll_stop(&con->poll);
}

/* QEMU closed its side (the guest stopped) or the device failed. */
static void console_source_gone(QemudConsole *con, int err)
{
        if (err == 0 || err == -EIO)
                vmm_daemon_stream_finish(con->st);
        else
                vmm_daemon_stream_abort(con->st, err, VMM_ERR_INTERNAL,
                                        "console %s of domain '%s': %s", con->alias, con->name,
                                        strerror(-err));
        vmm_log_debug("vmm-qemud: console %s of domain '%s' ended", con->alias, con->name);
        console_free(con);
}

/* Hands what was held to the stream; false while it refuses. */
static bool console_flush_held(QemudConsole *con)
{
        int r;

        if (con->n_held == 0)
                return true;
        r = vmm_daemon_stream_send(con->st, con->held, con->n_held);
        if (r == -EAGAIN)
                return false;
        con->n_held = 0;
        return true;
}

static void console_read(QemudConsole *con)
{
        for (int i = 0; i < 16 && con->st; i++) {
                ssize_t n = read(con->fd, con->held, sizeof(con->held));

                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        return;
                if (n <= 0) {
                        console_source_gone(con, n == 0 ? 0 : -errno);
                        return;
                }
                con->n_held = (size_t)n;
                if (!console_flush_held(con)) {
                        console_update_poll(con); /* paused until `writable` */
                        return;
                }
        }
}

static void console_write(QemudConsole *con)
{
        ssize_t n = write(con->fd, con->in, con->n_in);

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n < 0) {
                console_source_gone(con, -errno);
                return;
        }
        memmove(con->in, con->in + n, con->n_in - (size_t)n);
        con->n_in -= (size_t)n;
        if (con->n_in == 0)
                console_update_poll(con);
}

static void console_on_poll(uv_poll_t *h, int status, int events)
{
        QemudConsole *con = h->data;

        if (!con->st)
                return;
        if (status < 0) {
                /* POLLERR: QEMU closed its side (the pty's master, the socket) */
                console_source_gone(con, 0);
                return;
        }
        if (events & UV_WRITABLE)
                console_write(con);
        if (con->st && (events & (UV_READABLE | UV_DISCONNECT)))
                console_read(con);
}

static int console_stream_recv(VmmDaemonStream *st, const uint8_t *data, size_t len, void *userdata,
                               VmmError *error)
{
        QemudConsole *con = userdata;
        ssize_t n = 0;
        uint8_t *in;

        if (con->n_in == 0) {
                n = write(con->fd, data, len);
                if (n < 0 && errno != EAGAIN && errno != EINTR)
                        return vmm_error_set(error, -errno, VMM_ERR_INTERNAL,
                                             "console %s of domain '%s': writing to the guest: "
                                             "%s",
                                             con->alias, con->name, strerror(errno));
                if (n < 0)
                        n = 0;
        }
        if ((size_t)n == len)
                return 0;
        if (con->n_in + len - (size_t)n > QEMUD_CONSOLE_MAX_INPUT)
                return vmm_error_set(error, -ENOBUFS, VMM_ERR_OPERATION_INVALID,
                                     "console %s of domain '%s': the guest does not take input "
                                     "as fast as it comes (%u bytes waiting); console closed",
                                     con->alias, con->name, QEMUD_CONSOLE_MAX_INPUT);
        in = realloc(con->in, con->n_in + len - (size_t)n);
        if (!in)
                return vmm_error_oom(error);
        memcpy(in + con->n_in, data + n, len - (size_t)n);
        con->in = in;
        con->n_in += len - (size_t)n;
        console_update_poll(con);
        return 0;
}

static void console_stream_writable(VmmDaemonStream *st, void *userdata)
{
        QemudConsole *con = userdata;

        if (console_flush_held(con))
                console_update_poll(con);
}

static void console_stream_closed(VmmDaemonStream *st, int code, const char *reason, void *userdata)
{
        QemudConsole *con = userdata;

        vmm_log_debug("vmm-qemud: console %s of domain '%s' closed by %s: %s", con->alias,
                      con->name, con->holder, reason);
        console_free(con);
}

static const VmmDaemonStreamCallbacks console_stream_callbacks = {
    .recv = console_stream_recv,
    .writable = console_stream_writable,
    .closed = console_stream_closed,
};

static int console_open_pty(QemudConsole *con, const char *path, VmmError *error)
{
        struct termios t;

        con->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (con->fd < 0)
                return vmm_error_set(error, -errno, VMM_ERR_INTERNAL,
                                     "console %s of domain '%s': cannot open pty '%s': %s",
                                     con->alias, con->name, path, strerror(errno));
        /* bytes pass unchanged: no echo, no line editing, no CR/LF mapping */
        if (tcgetattr(con->fd, &t) == 0) {
                cfmakeraw(&t);
                (void)tcsetattr(con->fd, TCSANOW, &t);
        }
        return 0;
}

static int console_open_unix(QemudConsole *con, const char *path, VmmError *error)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};

        if (strlen(path) >= sizeof(addr.sun_path))
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_INTERNAL,
                                     "console %s of domain '%s': socket path '%s' is too long",
                                     con->alias, con->name, path);
        memcpy(addr.sun_path, path, strlen(path) + 1);
        con->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (con->fd < 0 || connect(con->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return vmm_error_set(error, -errno, VMM_ERR_INTERNAL,
                                     "console %s of domain '%s': cannot connect to '%s': %s",
                                     con->alias, con->name, path, strerror(errno));
        return 0;
}

/* Another client holds the device: refuse, or take it over (FORCE). */
static int console_claim(QemudConsole *con, VmmError *error)
{
        QemudConsole *old;

        for (old = con->q->consoles; old; old = old->next)
                if (memcmp(old->uuid, con->uuid, VMM_UUID_LEN) == 0 &&
                    strcmp(old->alias, con->alias) == 0)
                        break;
        if (old && !(con->flags & VMM_DOMAIN_CONSOLE_FORCE))
                return vmm_error_set(error, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                     "console %s of domain '%s' is in use by another client "
                                     "(%s); use --force to take it over",
                                     con->alias, con->name, old->holder);
        if (old) {
                vmm_log_info("vmm-qemud: console %s of domain '%s' taken over from %s by %s",
                             con->alias, con->name, old->holder, con->holder);
                vmm_daemon_stream_abort(old->st, -EBUSY, VMM_ERR_OPERATION_INVALID,
                                        "console %s of domain '%s' was taken over by another "
                                        "client (%s)",
                                        con->alias, con->name, con->holder);
                console_free(old);
        }
        con->next = con->q->consoles;
        con->q->consoles = con;
        con->linked = true;
        return 0;
}

static int console_start(QemudConsole *con, const VmmQemuConsole *c, VmmError *error)
{
        uv_loop_t *loop = vmm_daemon_loop(con->q->daemon);
        int r;

        snprintf(con->alias, sizeof(con->alias), "%s", c->alias);
        r = console_claim(con, error);
        if (r < 0)
                return r;
        r = c->kind == VMM_QEMU_CONSOLE_PTY ? console_open_pty(con, c->path, error)
                                            : console_open_unix(con, c->path, error);
        if (r < 0)
                return r;
        r = uv_poll_init(loop, &con->poll, con->fd);
        if (r < 0)
                return vmm_error_set(error, -EIO, VMM_ERR_INTERNAL, "console %s of domain '%s': %s",
                                     con->alias, con->name, uv_strerror(r));
        con->poll.data = con;
        con->poll_init = true;
        return vmm_daemon_stream_open(con->call, &console_stream_callbacks, con, &con->st, error);
}

static void console_found(int status, const VmmQemuConsole *c, const char *message, void *userdata)
{
        QemudConsole *con = userdata;
        Vmm__RpcEmpty empty = VMM__RPC_EMPTY__INIT;
        VmmError err = VMM_ERROR_INIT;
        VmmDaemonCall *call = con->call;
        int r;

        if (status < 0)
                r = vmm_error_set(&err, status, VMM_ERR_OPERATION_INVALID, "%s", message);
        else
                r = console_start(con, c, &err);
        con->call = NULL;
        if (r < 0) {
                vmm_daemon_call_fail(call, &err);
                vmm_error_clear(&err);
                console_free(con);
                return;
        }
        vmm_daemon_call_reply(call, &empty.base);
        vmm_log_debug("vmm-qemud: console %s of domain '%s' opened by %s", con->alias, con->name,
                      con->holder);
        con->reading = true;
        console_update_poll(con);
}

int qemud_h_open_console(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                         VmmError *error)
{
        const Vmm__DomainOpenConsoleRequest *req = (const void *)request;
        const VmmDaemonIdentity *id = vmm_daemon_call_identity(call);
        Qemud *q = userdata;
        VmmQemuDriverDomain d;
        QemudConsole *con;
        int r;

        r = qemud_resolve(q, req->dom, &d, error);
        if (r < 0)
                return r;
        con = calloc(1, sizeof(*con));
        if (!con || !(con->name = strdup(d.name))) {
                free(con);
                return vmm_error_oom(error);
        }
        con->q = q;
        con->fd = -1;
        con->call = call;
        con->flags = req->has_flags ? req->flags : 0;
        memcpy(con->uuid, d.uuid, VMM_UUID_LEN);
        snprintf(con->holder, sizeof(con->holder), "pid %d uid %u", (int)id->pid,
                 (unsigned)id->uid);
        r = vmm_qemu_driver_console(q->drv, &d, req->dev_name, console_found, con, error);
        if (r < 0) {
                free(con->name);
                free(con);
                return r;
        }
        return VMM_DAEMON_REPLY_LATER;
}
