/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* frame.c: frame header, body encode/decode with limits, error bodies. */
#include "rpc/frame.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "vmm-rpc.pb-c.h"

const VmmRpcLimits vmm_rpc_default_limits = {
    .max_frame = VMM_RPC_FRAME_MAX,
    .max_string = 4u * 1024u * 1024u,
    .max_list = 262144u,
    .max_depth = 16u,
};

_Static_assert(VMM_RPC_PROGRAM_CONTROL == VMM__RPC_PROGRAM__RPC_PROGRAM_CONTROL, "schema");
_Static_assert(VMM_RPC_PROGRAM_DOMAIN == VMM__RPC_PROGRAM__RPC_PROGRAM_DOMAIN, "schema");
_Static_assert(VMM_RPC_PROGRAM_TEST == VMM__RPC_PROGRAM__RPC_PROGRAM_TEST, "schema");
_Static_assert((int)VMM_RPC_STREAM == (int)VMM__RPC_TYPE__RPC_TYPE_STREAM, "schema");
_Static_assert((int)VMM_RPC_CONTINUE == (int)VMM__RPC_STATUS__RPC_STATUS_CONTINUE, "schema");

static const char *const rpc_type_names[_VMM_RPC_TYPE_MAX] = {
    [VMM_RPC_CALL] = "call",
    [VMM_RPC_REPLY] = "reply",
    [VMM_RPC_EVENT] = "event",
    [VMM_RPC_STREAM] = "stream",
};

static const char *const rpc_status_names[_VMM_RPC_STATUS_MAX] = {
    [VMM_RPC_OK] = "ok",
    [VMM_RPC_ERROR] = "error",
    [VMM_RPC_CONTINUE] = "continue",
};

const char *vmm_rpc_type_to_string(uint32_t type)
{
        return type < _VMM_RPC_TYPE_MAX ? rpc_type_names[type] : "unknown";
}

const char *vmm_rpc_status_to_string(uint32_t status)
{
        return status < _VMM_RPC_STATUS_MAX ? rpc_status_names[status] : "unknown";
}

static void put_u32(uint8_t *p, uint32_t v)
{
        uint32_t be = htonl(v);
        memcpy(p, &be, 4);
}

static uint32_t get_u32(const uint8_t *p)
{
        uint32_t be;
        memcpy(&be, p, 4);
        return ntohl(be);
}

void vmm_rpc_header_encode(const VmmRpcHeader *h, uint8_t out[VMM_RPC_HEADER_SIZE])
{
        put_u32(out + 0, h->length);
        put_u32(out + 4, h->program);
        put_u32(out + 8, h->version);
        put_u32(out + 12, h->procedure);
        put_u32(out + 16, h->type);
        put_u32(out + 20, h->serial);
        put_u32(out + 24, h->status);
}

int vmm_rpc_header_decode(const uint8_t *buf, size_t len, const VmmRpcLimits *limits,
                          VmmRpcHeader *ret_header, VmmError *error)
{
        VmmRpcHeader h;

        if (!limits)
                limits = &vmm_rpc_default_limits;
        if (len < VMM_RPC_HEADER_SIZE)
                return vmm_error_set(error, -EAGAIN, VMM_ERR_RPC,
                                     "frame header: %zu bytes available (expected %u)", len,
                                     VMM_RPC_HEADER_SIZE);
        h.length = get_u32(buf);
        h.program = get_u32(buf + 4);
        h.version = get_u32(buf + 8);
        h.procedure = get_u32(buf + 12);
        h.type = get_u32(buf + 16);
        h.serial = get_u32(buf + 20);
        h.status = get_u32(buf + 24);

        if (h.length < VMM_RPC_HEADER_SIZE)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "frame length %u is shorter than its header "
                                     "(expected at least %u bytes)",
                                     h.length, VMM_RPC_HEADER_SIZE);
        if (h.length > limits->max_frame)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "frame length %u is over the limit of %u bytes", h.length,
                                     limits->max_frame);
        if (h.type >= _VMM_RPC_TYPE_MAX)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "frame type %u is unknown (expected 0-%d: call, reply, "
                                     "event, stream)",
                                     h.type, _VMM_RPC_TYPE_MAX - 1);
        if (h.status >= _VMM_RPC_STATUS_MAX)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "frame status %u is unknown (expected 0-%d: ok, error, "
                                     "continue)",
                                     h.status, _VMM_RPC_STATUS_MAX - 1);
        *ret_header = h;
        return 0;
}

/* --- limits ------------------------------------------------------------- */

/* Where the check is, as a chain on the stack: the text ("doms[1].name")
 * is written only for an error message. */
typedef struct LimitPath {
        const struct LimitPath *parent;
        const char *name;
        size_t index;
        bool indexed;
} LimitPath;

static size_t path_format(const LimitPath *p, char *buf, size_t size)
{
        size_t off = 0;
        int n;

        if (!p)
                return 0;
        off = path_format(p->parent, buf, size);
        if (off >= size)
                return off;
        if (p->indexed)
                n = snprintf(buf + off, size - off, "[%zu]", p->index);
        else
                n = snprintf(buf + off, size - off, "%s%s", off ? "." : "", p->name);
        return off + (n > 0 ? (size_t)n : 0);
}

static const char *path_text(const LimitPath *p, char buf[256])
{
        buf[0] = 0;
        path_format(p, buf, 256);
        return buf;
}

static int check_message(const ProtobufCMessage *msg, const VmmRpcLimits *limits, const char *what,
                         const LimitPath *path, unsigned depth, VmmError *error);

static int check_value(const ProtobufCFieldDescriptor *f, const void *value,
                       const VmmRpcLimits *limits, const char *what, const LimitPath *path,
                       unsigned depth, VmmError *error)
{
        char buf[256];
        size_t n;

        switch (f->type) {
        case PROTOBUF_C_TYPE_STRING:
                n = *(const char *const *)value ? strlen(*(const char *const *)value) : 0;
                break;
        case PROTOBUF_C_TYPE_BYTES:
                n = ((const ProtobufCBinaryData *)value)->len;
                break;
        case PROTOBUF_C_TYPE_MESSAGE: {
                const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)value;
                return sub ? check_message(sub, limits, what, path, depth + 1, error) : 0;
        }
        default:
                return 0;
        }
        if (n > limits->max_string)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "%s: field '%s' is %zu bytes long (limit %u)", what,
                                     path_text(path, buf), n, limits->max_string);
        return 0;
}

static int check_field(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                       const VmmRpcLimits *limits, const char *what, const LimitPath *parent,
                       unsigned depth, VmmError *error)
{
        const char *base = (const char *)msg;
        LimitPath field = {parent, f->name, 0, false};
        LimitPath item = {&field, NULL, 0, true};
        char buf[256];
        size_t n, elt;
        int r;

        /* the common case, kept cheap: a single number has no size */
        if (f->label != PROTOBUF_C_LABEL_REPEATED && f->type != PROTOBUF_C_TYPE_STRING &&
            f->type != PROTOBUF_C_TYPE_BYTES && f->type != PROTOBUF_C_TYPE_MESSAGE)
                return 0;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)(base + f->quantifier_offset) != f->id)
                return 0;

        if (f->label != PROTOBUF_C_LABEL_REPEATED)
                return check_value(f, base + f->offset, limits, what, &field, depth, error);

        n = *(const size_t *)(base + f->quantifier_offset);
        if (n > limits->max_list)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "%s: field '%s' has %zu entries (limit %u)", what,
                                     path_text(&field, buf), n, limits->max_list);
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
                elt = sizeof(void *);
        else if (f->type == PROTOBUF_C_TYPE_BYTES)
                elt = sizeof(ProtobufCBinaryData);
        else
                return 0;
        for (size_t i = 0; i < n; i++) {
                const char *array = *(const char *const *)(base + f->offset);
                item.index = i;
                r = check_value(f, array + i * elt, limits, what, &item, depth, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_message(const ProtobufCMessage *msg, const VmmRpcLimits *limits, const char *what,
                         const LimitPath *path, unsigned depth, VmmError *error)
{
        const ProtobufCMessageDescriptor *d = msg->descriptor;
        char buf[256];
        int r;

        if (depth > limits->max_depth)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "%s: field '%s' is nested %u deep (limit %u)", what,
                                     path_text(path, buf), depth, limits->max_depth);
        for (unsigned i = 0; i < d->n_fields; i++) {
                r = check_field(msg, &d->fields[i], limits, what, path, depth, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int vmm_rpc_message_check_limits(const ProtobufCMessage *msg, const VmmRpcLimits *limits,
                                 const char *what, VmmError *error)
{
        if (!limits)
                limits = &vmm_rpc_default_limits;
        return check_message(msg, limits, strempty(what), NULL, 0, error);
}

/* --- frames ------------------------------------------------------------- */

int vmm_rpc_frame_encode(const VmmRpcHeader *h, const ProtobufCMessage *body,
                         const VmmRpcLimits *limits, const char *what, uint8_t **ret_frame,
                         size_t *ret_len, VmmError *error)
{
        VmmRpcHeader hdr = *h;
        size_t body_len = 0, total;
        uint8_t *frame;
        int r;

        if (!limits)
                limits = &vmm_rpc_default_limits;
        if (body) {
                r = vmm_rpc_message_check_limits(body, limits, what, error);
                if (r < 0)
                        return r;
                body_len = protobuf_c_message_get_packed_size(body);
        }
        total = VMM_RPC_HEADER_SIZE + body_len;
        if (total > limits->max_frame)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "%s: frame of %zu bytes is over the limit of %u bytes",
                                     strempty(what), total, limits->max_frame);
        frame = malloc(total);
        if (!frame)
                return vmm_error_oom(error);
        hdr.length = (uint32_t)total;
        vmm_rpc_header_encode(&hdr, frame);
        if (body)
                protobuf_c_message_pack(body, frame + VMM_RPC_HEADER_SIZE);
        *ret_frame = frame;
        *ret_len = total;
        return 0;
}

int vmm_rpc_body_decode(const uint8_t *body, size_t len, const ProtobufCMessageDescriptor *desc,
                        const VmmRpcLimits *limits, const char *what, ProtobufCMessage **ret_msg,
                        VmmError *error)
{
        ProtobufCMessage *msg;
        int r;

        if (!limits)
                limits = &vmm_rpc_default_limits;
        if (len > limits->max_frame)
                return vmm_error_set(error, -EMSGSIZE, VMM_ERR_RPC,
                                     "%s: body of %zu bytes is over the limit of %u bytes",
                                     strempty(what), len, limits->max_frame);
        r = vmm_rpc_message_unpack(desc, body, len, &msg);
        if (r == -EBADMSG)
                return vmm_error_set(error, r, VMM_ERR_RPC,
                                     "%s: body of %zu bytes is not a valid %s message",
                                     strempty(what), len, desc->name);
        if (r < 0)
                return vmm_error_set_errno(error, r, "%s: cannot decode a %zu-byte %s message",
                                           strempty(what), len, desc->name);
        r = vmm_rpc_message_check_limits(msg, limits, what, error);
        if (r < 0) {
                vmm_rpc_message_free(msg);
                return r;
        }
        *ret_msg = msg;
        return 0;
}

int vmm_rpc_frame_encode_error(const VmmRpcHeader *call, int code, VmmErrorKind kind,
                               const char *message, uint8_t **ret_frame, size_t *ret_len)
{
        Vmm__RpcError body = VMM__RPC_ERROR__INIT;
        VmmRpcHeader h = *call;
        char cut[1024];

        h.type = VMM_RPC_REPLY;
        h.status = VMM_RPC_ERROR;
        body.code = code < 0 ? code : -EIO;
        body.kind = kind;
        /* Messages are ours and short; a giant one is cut rather than lost. */
        if (message && strlen(message) >= vmm_rpc_default_limits.max_string) {
                memcpy(cut, message, sizeof(cut) - 1);
                cut[sizeof(cut) - 1] = '\0';
                message = cut;
        }
        body.message = (char *)strempty(message);
        return vmm_rpc_frame_encode(&h, &body.base, NULL, "error reply", ret_frame, ret_len, NULL);
}

int vmm_rpc_error_decode(const uint8_t *body, size_t len, VmmError *error)
{
        _cleanup_(vmm_rpc_message_freep) ProtobufCMessage *msg = NULL;
        const Vmm__RpcError *e;
        VmmErrorKind kind;
        int r;

        r = vmm_rpc_body_decode(body, len, &vmm__rpc_error__descriptor, NULL, "error reply", &msg,
                                error);
        if (r < 0)
                return vmm_error_prefix(error, -EPROTO, "malformed reply: ");
        e = (const Vmm__RpcError *)msg;
        if (e->code >= 0)
                return vmm_error_set(error, -EPROTO, VMM_ERR_RPC,
                                     "error reply carries code %d (expected a negative errno): %s",
                                     e->code, e->message);
        kind = e->kind < _VMM_ERR_MAX ? (VmmErrorKind)e->kind : VMM_ERR_INTERNAL;
        return vmm_error_set(error, e->code, kind, "%s", e->message);
}

static size_t describe_put(char *buf, size_t size, size_t off, const char *s)
{
        size_t n = strlen(s);

        if (off + n >= size)
                n = size - 1 - off;
        memcpy(buf + off, s, n);
        return off + n;
}

const char *vmm_rpc_describe(char *buf, size_t size, const char *before, const char *prog,
                             const char *proc, const char *after)
{
        size_t off = 0;

        assert(size > 0);
        off = describe_put(buf, size, off, before);
        off = describe_put(buf, size, off, prog);
        off = describe_put(buf, size, off, ".");
        off = describe_put(buf, size, off, proc);
        off = describe_put(buf, size, off, after);
        buf[off] = 0;
        return buf;
}
