/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-stream.h: streams of bytes between the application and an object
 * of the host, and the domain console, the first thing they carry.
 *
 *   VmmStream *st;
 *   vmm_stream_new(conn, 0, &st, &err);
 *   vmm_domain_open_console(dom, NULL, st, 0, &err);   first serial/console
 *   poll() vmm_stream_event_fd(st) with your own fds, then
 *   n = vmm_stream_recv(st, buf, sizeof(buf), 0, &err);   > 0 data, 0 end
 *   vmm_stream_send(st, "ls\r", 3, &err);
 *   vmm_stream_finish(st, &err);   (detach)
 *   vmm_stream_free(st);
 *
 * A stream is thread-safe: one thread may send while another receives.
 * Data from the daemon waits in a bounded buffer (1 MiB, the stream's
 * window): an application that stops reading pauses the stream at its
 * source (a console's guest output then waits in QEMU and in its log),
 * never the connection's other calls. The stream ends when the other
 * side ends it (recv returns 0, e.g. when the guest stops), when either
 * side aborts it (recv returns the error, with the daemon's message), or
 * when the connection is lost.
 */
#pragma once

#include <stddef.h>
#include <vmm/vmm-common.h>
#include <vmm/vmm-connect.h>
#include <vmm/vmm-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VmmStream VmmStream;

/* Creates an unopened stream on `conn`; `flags` must be 0. */
VMM_EXPORT int vmm_stream_new(VmmConnect *conn, unsigned int flags, VmmStream **ret_stream,
                              VmmError *error);

typedef enum VmmDomainConsoleFlags {
        /* Take the console over from the client that holds it (that
         * client's stream is aborted with a message saying so). */
        VMM_DOMAIN_CONSOLE_FORCE = 1 << 0,
        /* Only with safe console handling (exclusive access): vmm always
         * gives that, so the flag is accepted and changes nothing. */
        VMM_DOMAIN_CONSOLE_SAFE = 1 << 1,
} VmmDomainConsoleFlags;

/*
 * Connects `st` to a character device of a running domain: `dev_name` is
 * its alias ("serial0", "serial1", "console0"...), NULL for the first
 * serial port (else the first console). The device must be a pty or a
 * unix socket QEMU listens on (the default XML's <serial type='pty'> is).
 * One client at a time per device: -EBUSY (kind VMM_ERR_OPERATION_INVALID)
 * naming the holder, unless VMM_DOMAIN_CONSOLE_FORCE. -ENOENT for a
 * device the domain does not have (the message lists those it has),
 * -EBUSY when the domain does not run, -ENOTSUP for a driver without
 * consoles (test:///: "the test driver has no console").
 */
VMM_EXPORT int vmm_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                                       unsigned int flags, VmmError *error);

/* Sends `len` bytes; returns len, or -EPIPE once the stream is over (the
 * error that ended it when there was one). */
VMM_EXPORT int vmm_stream_send(VmmStream *st, const void *buf, size_t len, VmmError *error);
/* Receives up to `len` bytes: their number (> 0), 0 at the end of the
 * stream, -EAGAIN (kind VMM_ERR_TIMEOUT) when nothing came within
 * `timeout_ms` (0: do not wait; negative: wait as long as it takes), or
 * the error that ended the stream. */
VMM_EXPORT int vmm_stream_recv(VmmStream *st, void *buf, size_t len, int timeout_ms,
                               VmmError *error);
/* Ends this side of the stream (the console detaches); data already on
 * its way can still be received until recv returns 0. */
VMM_EXPORT int vmm_stream_finish(VmmStream *st, VmmError *error);
/* Ends the stream at once; the daemon sees an error. */
VMM_EXPORT int vmm_stream_abort(VmmStream *st, VmmError *error);
/* A file descriptor that polls readable while vmm_stream_recv() would
 * not wait (data, the end or an error is there). Owned by the stream. */
VMM_EXPORT int vmm_stream_event_fd(VmmStream *st, VmmError *error);
/* Aborts the stream when it is still open, and frees it. Accepts NULL;
 * returns NULL. */
VMM_EXPORT VmmStream *vmm_stream_free(VmmStream *st);

#ifdef __cplusplus
}
#endif
