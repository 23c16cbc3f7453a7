/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Frames: header layout, body round trip, every limit, the stream reader,
 * error bodies. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rpc/frame.h"
#include "rpc/programs.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "vmm-domain.pb-c.h"
#include "vmm-rpc.pb-c.h"
#include "vmm-test.pb-c.h"

static const VmmRpcHeader call_header = {
    .program = VMM_RPC_PROGRAM_TEST,
    .version = 1,
    .procedure = VMM_RPC_TEST_ECHO,
    .type = VMM_RPC_CALL,
    .serial = 0x01020304,
    .status = VMM_RPC_OK,
};

static void test_header_wire_layout(void **state)
{
        VmmRpcHeader h = call_header, back;
        uint8_t buf[VMM_RPC_HEADER_SIZE];
        static const uint8_t expected[VMM_RPC_HEADER_SIZE] = {
            0,    0,    0,    40,   /* length */
            0x56, 0x4d, 0x4d, 0xfe, /* program */
            0,    0,    0,    1,    /* version */
            0,    0,    0,    1,    /* procedure */
            0,    0,    0,    0,    /* type: call */
            1,    2,    3,    4,    /* serial */
            0,    0,    0,    0,    /* status */
        };

        h.length = 40;
        vmm_rpc_header_encode(&h, buf);
        assert_memory_equal(buf, expected, sizeof(buf));
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, NULL), 0);
        assert_memory_equal(&back, &h, sizeof(h));
}

static void test_body_round_trip(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        char *items[] = {"a", "", "ünïcode"};
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h;
        uint8_t *frame;
        size_t len;

        req.text = "hello";
        req.n_items = 3;
        req.items = items;
        assert_int_equal(
            vmm_rpc_frame_encode(&call_header, &req.base, NULL, "echo", &frame, &len, &err), 0);
        assert_int_equal(len, VMM_RPC_HEADER_SIZE + protobuf_c_message_get_packed_size(&req.base));
        assert_int_equal(vmm_rpc_header_decode(frame, len, NULL, &h, &err), 0);
        assert_int_equal(h.length, len);
        assert_int_equal(h.serial, call_header.serial);
        assert_int_equal(vmm_rpc_body_decode(frame + VMM_RPC_HEADER_SIZE, len - VMM_RPC_HEADER_SIZE,
                                             &vmm__test_echo_request__descriptor, NULL, "echo",
                                             &msg, &err),
                         0);
        Vmm__TestEchoRequest *back = (Vmm__TestEchoRequest *)msg;
        assert_string_equal(back->text, "hello");
        assert_int_equal(back->n_items, 3);
        assert_string_equal(back->items[2], "ünïcode");
        vmm_rpc_message_free(msg);
        free(frame);
}

/* A router reads program and procedure of a frame whose body it cannot
 * (or will not) decode. */
static void test_header_without_body(void **state)
{
        uint8_t frame[VMM_RPC_HEADER_SIZE + 5];
        VmmRpcHeader h = call_header, back;
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;

        h.length = sizeof(frame);
        vmm_rpc_header_encode(&h, frame);
        memset(frame + VMM_RPC_HEADER_SIZE, 0xff, 5);
        assert_int_equal(vmm_rpc_header_decode(frame, sizeof(frame), NULL, &back, &err), 0);
        assert_int_equal(back.program, VMM_RPC_PROGRAM_TEST);
        assert_int_equal(back.procedure, VMM_RPC_TEST_ECHO);
        assert_int_equal(vmm_rpc_body_decode(frame + VMM_RPC_HEADER_SIZE, 5,
                                             &vmm__test_echo_request__descriptor, NULL,
                                             "'test.echo' call", &msg, &err),
                         -EBADMSG);
        assert_non_null(strstr(vmm_error_message(&err), "not a valid vmm.TestEchoRequest"));
        assert_non_null(strstr(vmm_error_message(&err), "'test.echo' call"));
        assert_null(msg);
        vmm_error_clear(&err);
}

static void test_header_limits(void **state)
{
        VmmRpcLimits small = vmm_rpc_default_limits;
        uint8_t buf[VMM_RPC_HEADER_SIZE];
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h = call_header, back;

        h.length = VMM_RPC_FRAME_MAX + 1;
        vmm_rpc_header_encode(&h, buf);
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, &err), -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "33554433"));
        assert_non_null(strstr(vmm_error_message(&err), "limit of 33554432"));

        h.length = VMM_RPC_FRAME_MAX; /* exactly the limit is fine */
        vmm_rpc_header_encode(&h, buf);
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, &err), 0);
        small.max_frame = 1000;
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), &small, &back, &err), -EMSGSIZE);

        h.length = 27;
        vmm_rpc_header_encode(&h, buf);
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, &err), -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "shorter than its header"));

        h.length = 28;
        h.type = 4;
        vmm_rpc_header_encode(&h, buf);
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, &err), -EPROTO);
        assert_non_null(strstr(vmm_error_message(&err), "type 4"));
        h.type = VMM_RPC_REPLY;
        h.status = 9;
        vmm_rpc_header_encode(&h, buf);
        assert_int_equal(vmm_rpc_header_decode(buf, sizeof(buf), NULL, &back, &err), -EPROTO);
        assert_non_null(strstr(vmm_error_message(&err), "status 9"));

        /* A truncated header is "need more", not an error of the frame. */
        assert_int_equal(vmm_rpc_header_decode(buf, 27, NULL, &back, &err), -EAGAIN);
        vmm_error_clear(&err);
}

static void test_body_limits(void **state)
{
        VmmRpcLimits lim = {.max_frame = 4096, .max_string = 8, .max_list = 2, .max_depth = 4};
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        char *items[] = {"a", "b", "c"};
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        uint8_t *frame = NULL, body[4096];
        size_t len;

        /* at the limits: accepted */
        req.text = "12345678";
        req.n_items = 2;
        req.items = items;
        assert_int_equal(
            vmm_rpc_frame_encode(&call_header, &req.base, &lim, "echo", &frame, &len, &err), 0);
        free(frame);

        /* one byte over: refused on encode and on decode, naming the field */
        req.text = "123456789";
        assert_int_equal(
            vmm_rpc_frame_encode(&call_header, &req.base, &lim, "echo", &frame, &len, &err),
            -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "field 'text' is 9 bytes long (limit 8)"));
        len = protobuf_c_message_pack(&req.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__test_echo_request__descriptor, &lim,
                                             "echo", &msg, &err),
                         -EMSGSIZE);
        assert_null(msg);

        /* one entry over in a list */
        req.text = "x";
        req.n_items = 3;
        len = protobuf_c_message_pack(&req.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__test_echo_request__descriptor, &lim,
                                             "echo", &msg, &err),
                         -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "field 'items' has 3 entries (limit 2)"));

        /* a long string inside a list entry */
        items[1] = "waytoolongstring";
        req.n_items = 2;
        len = protobuf_c_message_pack(&req.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__test_echo_request__descriptor, &lim,
                                             "echo", &msg, &err),
                         -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "'items[1]'"));

        /* the whole frame over the limit */
        lim.max_string = 1u << 20;
        char *big = malloc(5000);
        memset(big, 'x', 4999);
        big[4999] = 0;
        req.text = big;
        req.n_items = 0;
        assert_int_equal(
            vmm_rpc_frame_encode(&call_header, &req.base, &lim, "echo", &frame, &len, &err),
            -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "over the limit of 4096 bytes"));
        free(big);
        vmm_error_clear(&err);
}

/* Limits apply inside nested messages, with the path in the message. */
static void test_nested_limits(void **state)
{
        VmmRpcLimits lim = {.max_frame = 4096, .max_string = 16, .max_list = 10, .max_depth = 4};
        Vmm__DomainListAllReply reply = VMM__DOMAIN_LIST_ALL_REPLY__INIT;
        Vmm__DomainRef a = VMM__DOMAIN_REF__INIT, b = VMM__DOMAIN_REF__INIT;
        Vmm__DomainRef *doms[] = {&a, &b};
        uint8_t uuid[32] = {1}, body[1024];
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        size_t len;

        a.name = "web1";
        b.name = "a-name-far-too-long";
        a.uuid.data = b.uuid.data = uuid;
        a.uuid.len = b.uuid.len = 16;
        reply.n_doms = 2;
        reply.doms = doms;
        len = protobuf_c_message_pack(&reply.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__domain_list_all_reply__descriptor,
                                             &lim, "list-all reply", &msg, &err),
                         -EMSGSIZE);
        assert_non_null(
            strstr(vmm_error_message(&err), "field 'doms[1].name' is 19 bytes long (limit 16)"));
        /* bytes fields count too */
        b.name = "ok";
        b.uuid.len = 17;
        len = protobuf_c_message_pack(&reply.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__domain_list_all_reply__descriptor,
                                             &lim, "list-all reply", &msg, &err),
                         -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "'doms[1].uuid'"));
        /* depth */
        b.uuid.len = 16;
        lim.max_depth = 0;
        len = protobuf_c_message_pack(&reply.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__domain_list_all_reply__descriptor,
                                             &lim, "list-all reply", &msg, &err),
                         -EMSGSIZE);
        assert_non_null(strstr(vmm_error_message(&err), "nested"));
        lim.max_depth = 1;
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__domain_list_all_reply__descriptor,
                                             &lim, "list-all reply", &msg, &err),
                         0);
        vmm_rpc_message_free(msg);
        vmm_error_clear(&err);
}

/* A decoded message lives in an arena sized from its body: a list of
 * 5,000 minimal entries outgrows the first estimate and must still come
 * back whole, in order (ASan sees any block freed twice or leaked). */
static void test_arena_growth(void **state)
{
        enum { N = 5000 };
        Vmm__DomainListAllReply reply = VMM__DOMAIN_LIST_ALL_REPLY__INIT;
        _cleanup_free_ Vmm__DomainRef *refs = calloc(N, sizeof(*refs));
        _cleanup_free_ Vmm__DomainRef **ptrs = calloc(N, sizeof(*ptrs));
        _cleanup_free_ uint8_t *body = NULL;
        const Vmm__DomainListAllReply *got;
        ProtobufCMessage *msg = NULL;
        VmmError err = VMM_ERROR_INIT;
        uint8_t uuid[16] = {7};
        char names[N][8];
        size_t len;

        (void)state;
        assert_non_null(refs);
        assert_non_null(ptrs);
        for (int i = 0; i < N; i++) {
                vmm__domain_ref__init(&refs[i]);
                snprintf(names[i], sizeof(names[i]), "%d", i);
                refs[i].name = names[i];
                refs[i].uuid.data = uuid;
                refs[i].uuid.len = sizeof(uuid);
                refs[i].has_id = i % 2;
                refs[i].id = i;
                ptrs[i] = &refs[i];
        }
        reply.n_doms = N;
        reply.doms = ptrs;
        body = malloc(protobuf_c_message_get_packed_size(&reply.base));
        assert_non_null(body);
        len = protobuf_c_message_pack(&reply.base, body);
        assert_int_equal(vmm_rpc_body_decode(body, len, &vmm__domain_list_all_reply__descriptor,
                                             NULL, "list-all reply", &msg, &err),
                         0);
        got = (const Vmm__DomainListAllReply *)msg;
        assert_int_equal(got->n_doms, N);
        for (int i = 0; i < N; i += 499) {
                assert_string_equal(got->doms[i]->name, names[i]);
                assert_int_equal(got->doms[i]->uuid.len, 16);
                assert_int_equal(got->doms[i]->uuid.data[0], 7);
                assert_int_equal(got->doms[i]->has_id, i % 2);
        }
        vmm_rpc_message_free(msg);
        /* a truncated body is refused and its partial decode released */
        assert_int_equal(vmm_rpc_body_decode(body, len - 3, &vmm__domain_list_all_reply__descriptor,
                                             NULL, "list-all reply", &msg, &err),
                         -EBADMSG);
        assert_non_null(strstr(vmm_error_message(&err), "not a valid"));
        vmm_error_clear(&err);
        vmm_rpc_message_free(NULL);
}

static void test_error_body(void **state)
{
        VmmError err = VMM_ERROR_INIT;
        VmmRpcHeader h;
        uint8_t *frame;
        size_t len;

        assert_int_equal(vmm_rpc_frame_encode_error(&call_header, -ENOENT, VMM_ERR_NO_DOMAIN,
                                                    "no domain named 'web1'", &frame, &len),
                         0);
        assert_int_equal(vmm_rpc_header_decode(frame, len, NULL, &h, NULL), 0);
        assert_int_equal(h.type, VMM_RPC_REPLY);
        assert_int_equal(h.status, VMM_RPC_ERROR);
        assert_int_equal(h.serial, call_header.serial);
        assert_int_equal(h.procedure, call_header.procedure);
        assert_int_equal(
            vmm_rpc_error_decode(frame + VMM_RPC_HEADER_SIZE, len - VMM_RPC_HEADER_SIZE, &err),
            -ENOENT);
        assert_int_equal(err.kind, VMM_ERR_NO_DOMAIN);
        assert_string_equal(vmm_error_message(&err), "no domain named 'web1'");
        free(frame);

        /* a peer claiming success inside an error reply is a protocol error */
        Vmm__RpcError bad = VMM__RPC_ERROR__INIT;
        uint8_t body[64];
        bad.code = 5;
        bad.message = "oops";
        len = protobuf_c_message_pack(&bad.base, body);
        assert_int_equal(vmm_rpc_error_decode(body, len, &err), -EPROTO);
        assert_non_null(strstr(vmm_error_message(&err), "code 5"));
        assert_int_equal(vmm_rpc_error_decode((const uint8_t *)"\xff\xff", 2, &err), -EPROTO);
        vmm_error_clear(&err);
}

static size_t feed(VmmRpcReader *r, const uint8_t *data, size_t n)
{
        uint8_t *ptr;
        size_t size;

        assert_int_equal(vmm_rpc_reader_space(r, n, &ptr, &size), 0);
        assert_true(size >= n);
        memcpy(ptr, data, n);
        vmm_rpc_reader_advance(r, n);
        return n;
}

static void test_reader(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        uint8_t *f1, *f2, both[512];
        size_t l1, l2, body_len;
        const uint8_t *body;
        VmmRpcReader r;
        VmmRpcHeader h = call_header, got;
        int frames = 0;

        req.text = "first";
        assert_int_equal(vmm_rpc_frame_encode(&h, &req.base, NULL, "x", &f1, &l1, NULL), 0);
        req.text = "second, longer";
        h.serial = 7;
        assert_int_equal(vmm_rpc_frame_encode(&h, &req.base, NULL, "x", &f2, &l2, NULL), 0);
        memcpy(both, f1, l1);
        memcpy(both + l1, f2, l2);

        /* one byte at a time: nothing until a frame is whole */
        vmm_rpc_reader_init(&r, NULL);
        for (size_t i = 0; i < l1 + l2; i++) {
                feed(&r, both + i, 1);
                while (vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL) > 0) {
                        frames++;
                        assert_int_equal(i + 1, frames == 1 ? l1 : l1 + l2);
                        assert_int_equal(got.serial, frames == 1 ? call_header.serial : 7);
                }
                if (i + 1 != l1 && i + 1 != l1 + l2)
                        assert_true(vmm_rpc_reader_pending(&r) > 0);
        }
        assert_int_equal(frames, 2);
        assert_int_equal(vmm_rpc_reader_pending(&r), 0);

        /* both in one chunk */
        feed(&r, both, l1 + l2);
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), 1);
        assert_int_equal(body_len, l1 - VMM_RPC_HEADER_SIZE);
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), 1);
        assert_memory_equal(body, f2 + VMM_RPC_HEADER_SIZE, l2 - VMM_RPC_HEADER_SIZE);
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), 0);

        /* a truncated frame stays pending; a bad header breaks the stream */
        feed(&r, f1, l1 - 1);
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), 0);
        assert_int_equal(vmm_rpc_reader_pending(&r), l1 - 1);
        vmm_rpc_reader_done(&r);
        vmm_rpc_reader_init(&r, NULL);
        memset(both, 0xff, VMM_RPC_HEADER_SIZE);
        feed(&r, both, VMM_RPC_HEADER_SIZE);
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), -EMSGSIZE);
        vmm_rpc_reader_done(&r);
        free(f1);
        free(f2);
}

/* A frame near the 32 MiB limit goes through the reader in socket-sized
 * chunks without the buffer being regrown for each. */
static void test_reader_large_frame(void **state)
{
        Vmm__TestEchoRequest req = VMM__TEST_ECHO_REQUEST__INIT;
        VmmRpcLimits lim = vmm_rpc_default_limits;
        size_t n = 3u << 20, len, body_len, off = 0;
        const uint8_t *body;
        VmmRpcHeader got;
        VmmRpcReader r;
        uint8_t *frame;
        char *text = malloc(n + 1);

        memset(text, 'y', n);
        text[n] = 0;
        req.text = text;
        assert_int_equal(
            vmm_rpc_frame_encode(&call_header, &req.base, &lim, "x", &frame, &len, NULL), 0);
        vmm_rpc_reader_init(&r, &lim);
        while (off < len) {
                size_t chunk = len - off < 65536 ? len - off : 65536;
                uint8_t *ptr;
                size_t size;
                assert_int_equal(vmm_rpc_reader_space(&r, 0, &ptr, &size), 0);
                if (off >= VMM_RPC_HEADER_SIZE)
                        assert_true(r.cap >= len); /* room for the whole frame at once */
                if (chunk > size)
                        chunk = size;
                memcpy(ptr, frame + off, chunk);
                vmm_rpc_reader_advance(&r, chunk);
                off += chunk;
        }
        assert_int_equal(vmm_rpc_reader_next(&r, &got, &body, &body_len, NULL), 1);
        assert_int_equal(got.length, len);
        vmm_rpc_reader_done(&r);
        free(frame);
        free(text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_header_wire_layout),  cmocka_unit_test(test_body_round_trip),
            cmocka_unit_test(test_header_without_body), cmocka_unit_test(test_header_limits),
            cmocka_unit_test(test_body_limits),         cmocka_unit_test(test_nested_limits),
            cmocka_unit_test(test_arena_growth),
            cmocka_unit_test(test_error_body),          cmocka_unit_test(test_reader),
            cmocka_unit_test(test_reader_large_frame),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
