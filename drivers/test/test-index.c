/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-index.c: objects indexed by name and UUID in libxml2 hash tables. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"

#define XC(s) ((const xmlChar *)(s))

int test_index_init(TestIndex *idx)
{
        idx->by_name = xmlHashCreate(64);
        idx->by_uuid = xmlHashCreate(64);
        if (!idx->by_name || !idx->by_uuid) {
                xmlHashFree(idx->by_name, NULL);
                xmlHashFree(idx->by_uuid, NULL);
                idx->by_name = idx->by_uuid = NULL;
                return -ENOMEM;
        }
        return 0;
}

typedef struct IndexFree {
        void (*free_obj)(void *obj);
} IndexFree;

static void index_free_one(void *payload, void *data, const xmlChar *name)
{
        IndexFree *f = data;

        f->free_obj(payload);
}

void test_index_done(TestIndex *idx, void (*free_obj)(void *obj))
{
        IndexFree f = {free_obj};

        if (idx->by_name && free_obj)
                xmlHashScan(idx->by_name, index_free_one, &f);
        xmlHashFree(idx->by_name, NULL);
        xmlHashFree(idx->by_uuid, NULL);
        idx->by_name = idx->by_uuid = NULL;
        free(idx->sorted);
        idx->sorted = NULL;
        idx->sorted_valid = false;
}

int test_index_add(TestIndex *idx, TestObj *obj)
{
        char uuid[VMM_UUID_STRLEN];

        vmm_uuid_format(obj->uuid, uuid);
        if (xmlHashLookup(idx->by_name, XC(obj->name)) || xmlHashLookup(idx->by_uuid, XC(uuid)))
                return -EEXIST;
        if (xmlHashAddEntry(idx->by_name, XC(obj->name), obj) < 0)
                return -ENOMEM;
        if (xmlHashAddEntry(idx->by_uuid, XC(uuid), obj) < 0) {
                xmlHashRemoveEntry(idx->by_name, XC(obj->name), NULL);
                return -ENOMEM;
        }
        idx->sorted_valid = false;
        return 0;
}

void test_index_remove(TestIndex *idx, TestObj *obj)
{
        char uuid[VMM_UUID_STRLEN];

        vmm_uuid_format(obj->uuid, uuid);
        xmlHashRemoveEntry(idx->by_name, XC(obj->name), NULL);
        xmlHashRemoveEntry(idx->by_uuid, XC(uuid), NULL);
        idx->sorted_valid = false;
}

void *test_index_find_name(TestIndex *idx, const char *name)
{
        return xmlHashLookup(idx->by_name, XC(name));
}

void *test_index_find_uuid(TestIndex *idx, const uint8_t uuid[VMM_UUID_LEN])
{
        char s[VMM_UUID_STRLEN];

        return xmlHashLookup(idx->by_uuid, XC(vmm_uuid_format(uuid, s)));
}

size_t test_index_count(TestIndex *idx)
{
        int n = xmlHashSize(idx->by_name);

        return n > 0 ? (size_t)n : 0;
}

typedef struct Collect {
        void **objs;
        size_t n;
        size_t cap;
} Collect;

static void collect_one(void *payload, void *data, const xmlChar *name)
{
        Collect *c = data;

        if (c->n < c->cap) /* always: cap is the table's size */
                c->objs[c->n++] = payload;
}

static int compare_obj_names(const void *a, const void *b)
{
        const TestObj *x = *(void *const *)a;
        const TestObj *y = *(void *const *)b;

        return strcmp(x->name, y->name);
}

static int index_sort(TestIndex *idx)
{
        Collect c = {.cap = test_index_count(idx)};

        if (idx->sorted_valid)
                return 0;
        c.objs = calloc(c.cap + 1, sizeof(void *));
        if (!c.objs)
                return -ENOMEM;
        xmlHashScan(idx->by_name, collect_one, &c);
        qsort(c.objs, c.n, sizeof(void *), compare_obj_names);
        free(idx->sorted);
        idx->sorted = c.objs;
        idx->n_sorted = c.n;
        idx->sorted_valid = true;
        return 0;
}

int test_index_sorted(TestIndex *idx, bool (*filter)(void *obj, void *userdata), void *userdata,
                      void ***ret_objs, size_t *ret_count)
{
        void **objs;
        size_t n = 0;

        if (index_sort(idx) < 0)
                return -ENOMEM;
        objs = calloc(idx->n_sorted + 1, sizeof(void *));
        if (!objs)
                return -ENOMEM;
        for (size_t i = 0; i < idx->n_sorted; i++)
                if (!filter || filter(idx->sorted[i], userdata))
                        objs[n++] = idx->sorted[i];
        *ret_objs = objs;
        *ret_count = n;
        return 0;
}

/* qsort has no user data: volumes are sorted through their first member,
 * which is their name (TestVolume starts with `char *name`). */
static int compare_first_string(const void *a, const void *b)
{
        const char *const *x = *(void *const *)a;
        const char *const *y = *(void *const *)b;

        return strcmp(*x, *y);
}

int test_hash_sorted(xmlHashTablePtr table, void ***ret_objs, size_t *ret_count)
{
        Collect c = {0};
        int n = xmlHashSize(table);

        c.cap = n > 0 ? (size_t)n : 0;
        c.objs = calloc(c.cap + 1, sizeof(void *));
        if (!c.objs)
                return -ENOMEM;
        xmlHashScan(table, collect_one, &c);
        qsort(c.objs, c.n, sizeof(void *), compare_first_string);
        *ret_objs = c.objs;
        *ret_count = c.n;
        return 0;
}
