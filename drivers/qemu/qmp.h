/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qmp.h: a QEMU monitor (QMP) client on a libuv loop.
 *
 * One VmmQmp per QEMU process. It connects to the monitor's UNIX socket
 * (or adopts a connected fd), reads the greeting, negotiates capabilities
 * and then runs commands, each with its own deadline, matching replies by
 * id. JSON is read and written with json-c, incrementally, with a bound on
 * the size of one message. Events go to the `event` callback. A monitor
 * that stops answering fails its commands with -ETIMEDOUT and stays open;
 * garbage or EOF closes it (the `closed` callback) and fails every
 * pending command.
 *
 * Ownership: the VmmQmp is owned by its creator; vmm_qmp_close() fails
 * pending commands with -ECANCELED, closes the handles and frees the
 * object from the last close callback (so it may be called from inside
 * any of its callbacks).
 */
#pragma once

#include <json-c/json.h>
#include <stdint.h>
#include <uv.h>
#include <vmm/vmm-common.h>

typedef struct VmmQmp VmmQmp;

/* The largest single message accepted from the monitor. */
#define VMM_QMP_MAX_MESSAGE (16u * 1024 * 1024)

typedef struct VmmQmpCallbacks {
        /* Greeting read and capabilities accepted: commands now run.
         * `version` is the greeting's "version" object (borrowed). */
        void (*ready)(VmmQmp *qmp, json_object *version, void *userdata);
        /* An asynchronous event; `data` may be NULL (borrowed). */
        void (*event)(VmmQmp *qmp, const char *name, json_object *data, int64_t seconds,
                      int64_t microseconds, void *userdata);
        /* The monitor is gone: `error` is 0 for a clean EOF (QEMU exited),
         * else a negative errno with `message`. Called at most once, after
         * the pending commands failed. */
        void (*closed)(VmmQmp *qmp, int error, const char *message, void *userdata);
} VmmQmpCallbacks;

/*
 * The result of one command. On success `status` is 0 and `ret` the
 * "return" value (borrowed, valid during the call). On failure `status`
 * is negative: -EIO with `error_class` and `message` from QEMU's error
 * reply, -ETIMEDOUT, -ECANCELED (closed), -ECONNRESET (monitor gone);
 * `message` always says what happened, naming the command.
 */
typedef void (*VmmQmpReplyFn)(VmmQmp *qmp, int status, json_object *ret,
                              const char *error_class, const char *message, void *userdata);

/* `name` names the monitor in messages (the domain's name). */
int vmm_qmp_new(uv_loop_t *loop, const char *name, const VmmQmpCallbacks *callbacks,
                void *userdata, VmmQmp **ret_qmp, VmmError *error);

/* Starts connecting to the monitor socket at `path`; `ready` or `closed`
 * follows. `timeout_ms` bounds the time until ready (0: no bound). */
int vmm_qmp_connect(VmmQmp *qmp, const char *path, uint64_t timeout_ms, VmmError *error);

/* Adopts an already connected stream socket (taken, even on failure). */
int vmm_qmp_open_fd(VmmQmp *qmp, int fd, uint64_t timeout_ms, VmmError *error);

/*
 * Queues `command` with `arguments` (taken; may be NULL). Commands queued
 * before the monitor is ready are sent once it is. `reply` is called
 * exactly once (unless NULL), then `destroy(userdata)` when not NULL.
 * `timeout_ms` 0 means no deadline.
 */
int vmm_qmp_execute(VmmQmp *qmp, const char *command, json_object *arguments,
                    uint64_t timeout_ms, VmmQmpReplyFn reply, void *userdata,
                    void (*destroy)(void *userdata), VmmError *error);

/* The same, passing a copy of `fd` with the command (SCM_RIGHTS), as
 * `getfd` and `add-fd` expect; the caller keeps `fd`. The command is
 * written once everything queued before it is out. */
int vmm_qmp_execute_fd(VmmQmp *qmp, const char *command, json_object *arguments, int fd,
                       uint64_t timeout_ms, VmmQmpReplyFn reply, void *userdata,
                       void (*destroy)(void *userdata), VmmError *error);

/* True once the greeting and capabilities are done and until closed. */
bool vmm_qmp_is_ready(const VmmQmp *qmp);

/* Number of commands sent or queued and not yet answered. */
size_t vmm_qmp_pending(const VmmQmp *qmp);

/* Closes and frees (see above). Accepts NULL. */
void vmm_qmp_close(VmmQmp *qmp);
