/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * msg-arena.c: decoded messages live in an arena. protobuf-c allocates
 * every submessage, string and array of a message on its own; a list of
 * 1,000 domains cost 3,000 mallocs to decode and as many frees to drop.
 * Here protobuf-c's allocator hook carves them out of blocks sized from
 * the body instead (one block for almost every message), its frees are
 * ignored, and the whole message goes with its blocks.
 *
 * The first allocation protobuf-c makes is the message itself: it sits at
 * the start of the first block's data, which is how vmm_rpc_message_free
 * finds the blocks from the message alone.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rpc/frame.h"

typedef struct ArenaBlock {
        struct ArenaBlock *next; /* the next block of the same message */
        size_t size;             /* bytes in data */
        size_t used;
        max_align_t data[];
} ArenaBlock;

typedef struct Arena {
        ArenaBlock *first;
        ArenaBlock *last;
        bool failed;
} Arena;

#define ARENA_ALIGN (sizeof(max_align_t))
/* wire bytes -> unpacked bytes: a submessage of ~30 wire bytes (a
 * DomainRef) takes ~110 unpacked; strings take about what they weigh */
#define ARENA_GROWTH 4u
#define ARENA_SLACK 256u

static ArenaBlock *block_new(size_t size)
{
        ArenaBlock *b;

        if (size > SIZE_MAX - sizeof(*b))
                return NULL;
        b = malloc(sizeof(*b) + size);
        if (!b)
                return NULL;
        b->next = NULL;
        b->size = size;
        b->used = 0;
        return b;
}

static void *arena_alloc(void *data, size_t size)
{
        Arena *a = data;
        ArenaBlock *b = a->last;
        size_t need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
        void *p;

        if (need < size)
                return NULL;
        if (b->size - b->used < need) {
                /* geometric: a message that outgrew its estimate needs
                 * only a few more blocks */
                size_t grow = b->size * 2 > need ? b->size * 2 : need;

                b = block_new(grow);
                if (!b) {
                        a->failed = true;
                        return NULL;
                }
                a->last->next = b;
                a->last = b;
        }
        p = (char *)b->data + b->used;
        b->used += need;
        return p;
}

static void arena_free(void *data, void *ptr)
{
        /* everything goes at once, with the blocks */
        (void)data;
        (void)ptr;
}

static void blocks_free(ArenaBlock *b)
{
        while (b) {
                ArenaBlock *next = b->next;

                free(b);
                b = next;
        }
}

int vmm_rpc_message_unpack(const ProtobufCMessageDescriptor *desc, const uint8_t *body,
                           size_t len, ProtobufCMessage **ret_msg)
{
        ProtobufCAllocator allocator = {.alloc = arena_alloc, .free = arena_free};
        size_t estimate = desc->sizeof_message + ARENA_SLACK;
        ProtobufCMessage *msg;
        Arena a = {0};

        if (len > (SIZE_MAX - estimate) / ARENA_GROWTH)
                return -EMSGSIZE;
        a.first = a.last = block_new(estimate + len * ARENA_GROWTH);
        if (!a.first)
                return -ENOMEM;
        allocator.allocator_data = &a;
        msg = protobuf_c_message_unpack(desc, &allocator, len, body);
        if (!msg) {
                blocks_free(a.first);
                return a.failed ? -ENOMEM : -EBADMSG;
        }
        if ((void *)msg != (void *)a.first->data) {
                /* a protobuf-c that allocates something before the message
                 * itself: the blocks could not be found again */
                blocks_free(a.first);
                return -ENOTSUP;
        }
        *ret_msg = msg;
        return 0;
}

void vmm_rpc_message_free(ProtobufCMessage *msg)
{
        if (msg)
                blocks_free((ArenaBlock *)((char *)msg - offsetof(ArenaBlock, data)));
}
