/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* reader.c: cutting a byte stream into frames. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/frame.h"
#include "util/error.h"

#define READER_CHUNK (64u * 1024u)

void vmm_rpc_reader_init(VmmRpcReader *r, const VmmRpcLimits *limits)
{
        *r = (VmmRpcReader){.limits = limits ? limits : &vmm_rpc_default_limits};
}

void vmm_rpc_reader_done(VmmRpcReader *r)
{
        free(r->buf);
        *r = (VmmRpcReader){.limits = r->limits};
}

int vmm_rpc_reader_space(VmmRpcReader *r, size_t want, uint8_t **ret_ptr, size_t *ret_size)
{
        size_t held = r->len - r->start;

        if (want < READER_CHUNK)
                want = READER_CHUNK;
        /* Move what is left of the current frame to the front. */
        if (r->start > 0) {
                memmove(r->buf, r->buf + r->start, held);
                r->start = 0;
                r->len = held;
        }
        /* Give back the memory of a large frame once it is consumed. */
        if (held == 0 && r->cap > 4 * READER_CHUNK) {
                free(r->buf);
                r->buf = NULL;
                r->cap = 0;
        }
        /* Once the header is in, make room for the whole frame at once. */
        if (held >= VMM_RPC_HEADER_SIZE) {
                VmmRpcHeader h;
                if (vmm_rpc_header_decode(r->buf, held, r->limits, &h, NULL) >= 0 &&
                    h.length > held && h.length - held > want)
                        want = h.length - held;
        }
        if (r->cap - r->len < want) {
                size_t cap = r->len + want;
                if (cap < 2 * r->cap && 2 * r->cap <= r->limits->max_frame)
                        cap = 2 * r->cap;
                uint8_t *b = realloc(r->buf, cap);
                if (!b)
                        return -ENOMEM;
                r->buf = b;
                r->cap = cap;
        }
        *ret_ptr = r->buf + r->len;
        *ret_size = r->cap - r->len;
        return 0;
}

void vmm_rpc_reader_advance(VmmRpcReader *r, size_t n)
{
        r->len += n;
}

size_t vmm_rpc_reader_pending(const VmmRpcReader *r)
{
        return r->len - r->start;
}

int vmm_rpc_reader_next(VmmRpcReader *r, VmmRpcHeader *ret_header, const uint8_t **ret_body,
                        size_t *ret_body_len, VmmError *error)
{
        size_t held = r->len - r->start;
        VmmRpcHeader h;
        int k;

        if (held < VMM_RPC_HEADER_SIZE)
                return 0;
        k = vmm_rpc_header_decode(r->buf + r->start, held, r->limits, &h, error);
        if (k < 0)
                return k;
        if (held < h.length)
                return 0;
        *ret_header = h;
        *ret_body = r->buf + r->start + VMM_RPC_HEADER_SIZE;
        *ret_body_len = h.length - VMM_RPC_HEADER_SIZE;
        r->start += h.length;
        return 1;
}
