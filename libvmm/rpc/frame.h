/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frame.h: the wire protocol's frames (see schemas/vmm-rpc.proto for the
 * layout). A frame is a 4-byte big-endian length (the whole frame), a fixed
 * header of six big-endian u32 (program, version, procedure, type, serial,
 * status), then one protobuf-c message. The header is readable without
 * decoding the body, so routers and dispatchers look at it first.
 *
 * Every decode enforces the limits: the frame size (32 MiB by default),
 * and, in the body, the length of every string and bytes field, the number
 * of entries in every repeated field and the nesting depth.
 */
#pragma once

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/vmm-common.h>

#include "util/cleanup.h"

#define VMM_RPC_HEADER_SIZE 28u
#define VMM_RPC_FRAME_MAX (32u * 1024u * 1024u)

/* Program numbers: the same values as enum vmm.RpcProgram in the schema. */
#define VMM_RPC_PROGRAM_CONTROL 0x564d4d01u
#define VMM_RPC_PROGRAM_DOMAIN 0x564d4d02u
#define VMM_RPC_PROGRAM_NETWORK 0x564d4d03u
#define VMM_RPC_PROGRAM_STORAGE 0x564d4d04u
#define VMM_RPC_PROGRAM_SECRET 0x564d4d05u
#define VMM_RPC_PROGRAM_NODEDEV 0x564d4d06u
#define VMM_RPC_PROGRAM_TEST 0x564d4dfeu

typedef enum VmmRpcType {
        VMM_RPC_CALL = 0,
        VMM_RPC_REPLY = 1,
        VMM_RPC_EVENT = 2,
        VMM_RPC_STREAM = 3,
        _VMM_RPC_TYPE_MAX
} VmmRpcType;

typedef enum VmmRpcStatus {
        VMM_RPC_OK = 0,
        VMM_RPC_ERROR = 1,
        VMM_RPC_CONTINUE = 2,
        _VMM_RPC_STATUS_MAX
} VmmRpcStatus;

typedef struct VmmRpcHeader {
        uint32_t length; /* the whole frame, header included */
        uint32_t program;
        uint32_t version;
        uint32_t procedure;
        uint32_t type; /* VmmRpcType */
        uint32_t serial;
        uint32_t status; /* VmmRpcStatus */
} VmmRpcHeader;

typedef struct VmmRpcLimits {
        uint32_t max_frame;  /* bytes, header included */
        uint32_t max_string; /* bytes in one string or bytes field */
        uint32_t max_list;   /* entries in one repeated field */
        uint32_t max_depth;  /* nesting of sub-messages */
} VmmRpcLimits;

/* 32 MiB frames, 4 MiB strings, 262144 list entries, depth 16. */
extern const VmmRpcLimits vmm_rpc_default_limits;

const char *vmm_rpc_type_to_string(uint32_t type);
const char *vmm_rpc_status_to_string(uint32_t status);

/* Writes the header (with h->length) in wire order into `out`. */
void vmm_rpc_header_encode(const VmmRpcHeader *h, uint8_t out[VMM_RPC_HEADER_SIZE]);

/* Reads a header from the first VMM_RPC_HEADER_SIZE bytes of `buf`
 * (`len` is how many bytes are available). Fails with -EMSGSIZE when the
 * announced length is under the header size or over limits->max_frame, and
 * -EPROTO for an unknown type or status, or -EAGAIN when len is short of a
 * header; the message names the value and the bound. */
int vmm_rpc_header_decode(const uint8_t *buf, size_t len, const VmmRpcLimits *limits,
                          VmmRpcHeader *ret_header, VmmError *error);

/* Checks a message against the limits (strings, lists, depth). `what`
 * names the message in errors ("domain.define-xml call"). -EMSGSIZE. */
int vmm_rpc_message_check_limits(const ProtobufCMessage *msg, const VmmRpcLimits *limits,
                                 const char *what, VmmError *error);

/* Builds a frame: header `h` (its length is computed) and `body` (NULL for
 * an empty body). The body is checked against the limits first, so a
 * caller learns locally what the peer would reject. Heap buffer. */
int vmm_rpc_frame_encode(const VmmRpcHeader *h, const ProtobufCMessage *body,
                         const VmmRpcLimits *limits, const char *what, uint8_t **ret_frame,
                         size_t *ret_len, VmmError *error);

/* Decodes a body as `desc` and checks its limits. -EBADMSG when the bytes
 * are not a valid `desc` message, -EMSGSIZE over a limit. Free the result
 * with vmm_rpc_message_free() (it lives in an arena, msg-arena.c), never
 * with protobuf_c_message_free_unpacked(). */
int vmm_rpc_body_decode(const uint8_t *body, size_t len, const ProtobufCMessageDescriptor *desc,
                        const VmmRpcLimits *limits, const char *what, ProtobufCMessage **ret_msg,
                        VmmError *error);

/* A REPLY frame with status ERROR answering `call` (same program, version,
 * procedure and serial), carrying code, kind and message. */
int vmm_rpc_frame_encode_error(const VmmRpcHeader *call, int code, VmmErrorKind kind,
                               const char *message, uint8_t **ret_frame, size_t *ret_len);

/* Writes `before` `prog`.`proc` `after` into buf (cut to fit), e.g.
 * "call 'test.echo'" for messages; cheaper than snprintf on every call. */
const char *vmm_rpc_describe(char *buf, size_t size, const char *before, const char *prog,
                             const char *proc, const char *after);

/* Decodes the body of an error reply into `error`; returns the (negative)
 * code it carries, or -EPROTO (with a message) when the body is not a
 * valid RpcError. */
int vmm_rpc_error_decode(const uint8_t *body, size_t len, VmmError *error);

/* Unpacks `len` bytes as `desc` into an arena (msg-arena.c), without the
 * limit checks: -EBADMSG (not a valid message), -ENOMEM. */
int vmm_rpc_message_unpack(const ProtobufCMessageDescriptor *desc, const uint8_t *body,
                           size_t len, ProtobufCMessage **ret_msg);
/* Frees a message from vmm_rpc_body_decode() or vmm_rpc_message_unpack()
 * (NULL: nothing). */
void vmm_rpc_message_free(ProtobufCMessage *msg);

static inline void vmm_rpc_message_freep(ProtobufCMessage **m)
{
        vmm_rpc_message_free(*m);
}

/*
 * Incremental frame reader for a byte stream. Usage:
 *
 *   vmm_rpc_reader_space(&r, want, &ptr, &size);  then read up to size bytes
 *   vmm_rpc_reader_advance(&r, n);
 *   while ((k = vmm_rpc_reader_next(&r, &hdr, &body, &body_len, &err)) > 0)
 *           handle the frame (body valid until the next reader call);
 *
 * next() returns 1 with a frame, 0 when more bytes are needed, or a
 * negative errno when the stream is broken (bad header: close it).
 */
typedef struct VmmRpcReader {
        uint8_t *buf;
        size_t start; /* first unconsumed byte */
        size_t len;   /* bytes held (from 0) */
        size_t cap;
        const VmmRpcLimits *limits;
} VmmRpcReader;

void vmm_rpc_reader_init(VmmRpcReader *r, const VmmRpcLimits *limits);
void vmm_rpc_reader_done(VmmRpcReader *r);
/* Room for at least `want` (or a default) more bytes; -ENOMEM. */
int vmm_rpc_reader_space(VmmRpcReader *r, size_t want, uint8_t **ret_ptr, size_t *ret_size);
void vmm_rpc_reader_advance(VmmRpcReader *r, size_t n);
int vmm_rpc_reader_next(VmmRpcReader *r, VmmRpcHeader *ret_header, const uint8_t **ret_body,
                        size_t *ret_body_len, VmmError *error);
/* Bytes of an incomplete frame held (0 between frames). */
size_t vmm_rpc_reader_pending(const VmmRpcReader *r);
