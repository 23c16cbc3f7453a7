/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stream-frame.h: the STREAM frames both sides of a stream send (the
 * client in client-stream.c, the daemon in daemons/common/daemon-stream.c).
 * A stream lives on the serial of the call that opened it and carries that
 * call's program, version and procedure:
 *
 *   status CONTINUE, body RpcStreamData   data
 *   status OK,       body RpcStreamData   the sender's end (no more data)
 *   status ERROR,    body RpcError        abort, with the reason
 *
 * Flow control, daemon to client: the daemon keeps at most
 * VMM_RPC_STREAM_WINDOW bytes of data sent and not acknowledged; the
 * client acknowledges (RpcStreamData.ack) what its application has read,
 * at least every VMM_RPC_STREAM_WINDOW / 4 bytes. So the client never
 * queues more than the window, and a reader that stops reading stops the
 * daemon from sending, not the connection. Client to daemon needs none:
 * the daemon consumes data as it comes (and bounds what it buffers).
 */
#define VMM_RPC_STREAM_WINDOW (1u << 20)
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "rpc/frame.h"

/* `opening` is the header of the call that opened the stream (or of any
 * stream frame of it). Data frame: `data`/`len` (len may be 0). */
int vmm_rpc_stream_frame_data(const VmmRpcHeader *opening, const void *data, size_t len,
                              uint8_t **ret_frame, size_t *ret_len);
/* Whether a successful reply to `procedure` of `program` opens a stream
 * (domain open-console, test stream): for routers such as vmm-proxyd that
 * look only at headers. */
bool vmm_rpc_proc_opens_stream(uint32_t program, uint32_t procedure);

/* A window update: CONTINUE without data, acknowledging `ack` bytes. */
int vmm_rpc_stream_frame_ack(const VmmRpcHeader *opening, uint64_t ack, uint8_t **ret_frame,
                             size_t *ret_len);
/* End of stream (status OK, empty RpcStreamData). */
int vmm_rpc_stream_frame_end(const VmmRpcHeader *opening, uint8_t **ret_frame, size_t *ret_len);
/* Abort (status ERROR) with `code` (negative errno), `kind` and `message`. */
int vmm_rpc_stream_frame_abort(const VmmRpcHeader *opening, int code, VmmErrorKind kind,
                               const char *message, uint8_t **ret_frame, size_t *ret_len);
/* Decodes the body of a CONTINUE or OK frame: *ret_data points into the
 * decoded message *ret_msg (free it with vmm_rpc_message_free),
 * NULL with *ret_len 0 when it carries none; *ret_ack the window update
 * (0: none). -EBADMSG with a message
 * naming `what` when the body is not an RpcStreamData. */
int vmm_rpc_stream_frame_parse(const uint8_t *body, size_t len, const VmmRpcLimits *limits,
                               const char *what, ProtobufCMessage **ret_msg,
                               const uint8_t **ret_data, size_t *ret_len, uint64_t *ret_ack,
                               VmmError *error);
