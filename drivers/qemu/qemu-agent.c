/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-agent.c: the guest agent client (see qemu-agent.h): blocking I/O on
 * the channel's socket under one deadline, JSON through json-c.
 */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qemu-agent.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/log.h"

typedef struct Agent {
        int fd;
        const char *who;
        int timeout_ms;
        long deadline; /* CLOCK_MONOTONIC ms */
        json_tokener *tok;
        char buf[4096];
        size_t off, len; /* unparsed bytes: buf[off..len) */
        bool eof;
} Agent;

static long agent_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int agent_timeout(Agent *a, const char *what, VmmError *error)
{
        return vmm_error_set(error, -ETIMEDOUT, VMM_ERR_TIMEOUT,
                             "domain '%s': the guest agent did not answer %s within %d ms (is "
                             "qemu-ga running in the guest?)",
                             a->who, what, a->timeout_ms);
}

/* Waits for `events` on the socket until `until` (ms): 1 ready, 0 time up. */
static int agent_wait(Agent *a, short events, long until)
{
        for (;;) {
                struct pollfd p = {.fd = a->fd, .events = events};
                long left = until - agent_now_ms();
                int r;

                if (left <= 0)
                        return 0;
                r = poll(&p, 1, (int)left);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r > 0)
                        return 1;
        }
}

static int agent_send(Agent *a, const char *data, size_t len, const char *what, VmmError *error)
{
        while (len > 0) {
                ssize_t n;
                int r = agent_wait(a, POLLOUT, a->deadline);

                if (r == 0)
                        return agent_timeout(a, what, error);
                if (r < 0)
                        return vmm_error_set_errno(error, r, "domain '%s': guest agent", a->who);
                n = send(a->fd, data, len, MSG_NOSIGNAL);
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
                        return vmm_error_set(error, -ECONNRESET, VMM_ERR_OPERATION_INVALID,
                                             "domain '%s': the guest agent channel closed "
                                             "before %s was sent",
                                             a->who, what);
                if (n < 0)
                        return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                                             "domain '%s': cannot send %s to the guest agent: "
                                             "%s",
                                             a->who, what, strerror(errno));
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Reads more bytes (the buffer is empty). 1 read, 0 time up (or EOF:
 * a->eof), negative on failure. */
static int agent_fill(Agent *a, long until)
{
        ssize_t n;
        int r;

        a->off = a->len = 0;
        r = agent_wait(a, POLLIN, until);
        if (r <= 0)
                return r;
        n = read(a->fd, a->buf, sizeof(a->buf));
        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? 1 : -errno;
        if (n == 0) {
                a->eof = true;
                return 0;
        }
        a->len = (size_t)n;
        return 1;
}

/* Drops every byte up to and including the agent's 0xFF sentinel. */
static int agent_skip_sentinel(Agent *a, VmmError *error)
{
        for (;;) {
                char *ff = memchr(a->buf + a->off, 0xff, a->len - a->off);
                int r;

                if (ff) {
                        a->off = (size_t)(ff - a->buf) + 1;
                        json_tokener_reset(a->tok);
                        return 0;
                }
                r = agent_fill(a, a->deadline);
                if (r < 0)
                        return vmm_error_set_errno(error, r, "domain '%s': guest agent", a->who);
                if (a->eof)
                        return vmm_error_set(error, -ECONNRESET, VMM_ERR_OPERATION_INVALID,
                                             "domain '%s': the guest agent channel closed "
                                             "before it answered guest-sync-delimited",
                                             a->who);
                if (r == 0)
                        return agent_timeout(a, "guest-sync-delimited", error);
        }
}

/* The next JSON object the agent sends, until `until`. 1 and *ret_obj, or
 * 0 when time is up or the channel closed (a->eof). Garbage is skipped. */
static int agent_next(Agent *a, long until, json_object **ret_obj)
{
        for (;;) {
                json_object *obj;
                enum json_tokener_error jerr;
                int r;

                if (a->off == a->len) {
                        r = agent_fill(a, until);
                        if (r <= 0)
                                return r;
                }
                obj = json_tokener_parse_ex(a->tok, a->buf + a->off, (int)(a->len - a->off));
                jerr = json_tokener_get_error(a->tok);
                if (obj) {
                        a->off += json_tokener_get_parse_end(a->tok);
                        json_tokener_reset(a->tok);
                        if (json_object_is_type(obj, json_type_object)) {
                                *ret_obj = obj;
                                return 1;
                        }
                        json_object_put(obj);
                } else if (jerr == json_tokener_continue) {
                        a->off = a->len; /* the tokener keeps what it saw */
                } else {
                        vmm_log_debug("domain '%s': guest agent sent malformed JSON (%s), "
                                      "ignoring",
                                      a->who, json_tokener_error_desc(jerr));
                        json_tokener_reset(a->tok);
                        a->off = a->len;
                }
        }
}

/* The "desc" of an error reply, or NULL when `obj` is no error. */
static const char *agent_error_desc(json_object *obj)
{
        json_object *err, *desc;

        if (!json_object_object_get_ex(obj, "error", &err))
                return NULL;
        if (json_object_object_get_ex(err, "desc", &desc))
                return json_object_get_string(desc);
        return "unknown error";
}

static int agent_sync(Agent *a, VmmError *error)
{
        uint32_t id = 0;
        char cmd[128];
        int n, r;

        if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
                id = (uint32_t)agent_now_ms() ^ (uint32_t)getpid();
        id &= 0x7fffffff;
        /* 0xFF first: the agent flushes whatever a former client left half-sent */
        n = snprintf(cmd, sizeof(cmd),
                     "\xff{\"execute\": \"guest-sync-delimited\", \"arguments\": {\"id\": %u}}\n",
                     id);
        r = agent_send(a, cmd, (size_t)n, "guest-sync-delimited", error);
        if (r < 0)
                return r;
        r = agent_skip_sentinel(a, error);
        if (r < 0)
                return r;
        for (;;) {
                json_object *obj = NULL, *ret;
                const char *desc;
                bool match;

                r = agent_next(a, a->deadline, &obj);
                if (r == 0 && a->eof)
                        return vmm_error_set(error, -ECONNRESET, VMM_ERR_OPERATION_INVALID,
                                             "domain '%s': the guest agent channel closed "
                                             "before it answered guest-sync-delimited",
                                             a->who);
                if (r == 0)
                        return agent_timeout(a, "guest-sync-delimited", error);
                if (r < 0)
                        return vmm_error_set_errno(error, r, "domain '%s': guest agent", a->who);
                desc = agent_error_desc(obj);
                match = json_object_object_get_ex(obj, "return", &ret) &&
                        json_object_is_type(ret, json_type_int) &&
                        json_object_get_int64(ret) == (int64_t)id;
                if (desc) {
                        r = vmm_error_set(error, -EIO, VMM_ERR_OPERATION_INVALID,
                                          "domain '%s': the guest agent refused "
                                          "guest-sync-delimited: %s",
                                          a->who, desc);
                        json_object_put(obj);
                        return r;
                }
                json_object_put(obj);
                if (match)
                        return 0; /* replies with other ids were stale: skipped */
        }
}

static int agent_shutdown_cmd(Agent *a, VmmQemuAgentShutdown mode, VmmError *error)
{
        const char *m = mode == VMM_QEMU_AGENT_REBOOT ? "reboot" : "powerdown";
        long grace = agent_now_ms() + VMM_QEMU_AGENT_SHUTDOWN_GRACE_MS;
        json_object *obj = NULL;
        const char *desc;
        char cmd[128];
        int n, r;

        n = snprintf(cmd, sizeof(cmd),
                     "{\"execute\": \"guest-shutdown\", \"arguments\": {\"mode\": \"%s\"}}\n", m);
        r = agent_send(a, cmd, (size_t)n, "guest-shutdown", error);
        if (r < 0)
                return r;
        /* success answers nothing: only an error within the grace period counts */
        r = agent_next(a, grace < a->deadline ? grace : a->deadline, &obj);
        if (r <= 0)
                return 0;
        desc = agent_error_desc(obj);
        if (desc)
                r = vmm_error_set(error, -EIO, VMM_ERR_OPERATION_INVALID,
                                  "domain '%s': the guest agent refused guest-shutdown "
                                  "(mode %s): %s",
                                  a->who, m, desc);
        else
                r = 0;
        json_object_put(obj);
        return r;
}

int vmm_qemu_agent_shutdown_fd(int fd, const char *who, VmmQemuAgentShutdown mode, int timeout_ms,
                               VmmError *error)
{
        Agent a = {
            .fd = fd,
            .who = who ? who : "?",
            .timeout_ms = timeout_ms > 0 ? timeout_ms : VMM_QEMU_AGENT_TIMEOUT_MS,
        };
        int r;

        a.deadline = agent_now_ms() + a.timeout_ms;
        a.tok = json_tokener_new();
        if (!a.tok)
                return vmm_error_oom(error);
        r = agent_sync(&a, error);
        if (r >= 0)
                r = agent_shutdown_cmd(&a, mode, error);
        json_tokener_free(a.tok);
        return r;
}

int vmm_qemu_agent_shutdown(const char *path, const char *who, VmmQemuAgentShutdown mode,
                            int timeout_ms, VmmError *error)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = -1;

        if (strlen(path) >= sizeof(addr.sun_path))
                return vmm_error_set(error, -ENAMETOOLONG, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s': guest agent socket path '%s' is too long "
                                     "(at most %zu bytes)",
                                     who, path, sizeof(addr.sun_path) - 1);
        memcpy(addr.sun_path, path, strlen(path) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return vmm_error_set_errno(error, -errno, "domain '%s': guest agent socket", who);
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return vmm_error_set(error, -errno, VMM_ERR_OPERATION_INVALID,
                                     "domain '%s': cannot connect to the guest agent socket "
                                     "'%s': %s",
                                     who, path, strerror(errno));
        return vmm_qemu_agent_shutdown_fd(fd, who, mode, timeout_ms, error);
}
