/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-state.c: the test driver's state object, and the one state that all
 * connections to test:///default in a process share (reference counted:
 * created by the first open, freed when the last connection closes).
 */
#include <errno.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "test-driver.h"
#include "util/error.h"

TestDomain *test_domain_free(TestDomain *dom)
{
        if (!dom)
                return NULL;
        vmm_domain_def_free(dom->def);
        vmm_domain_def_free(dom->live);
        free(dom->managed_save_xml);
        free(dom->obj.name);
        free(dom);
        return NULL;
}

TestNetwork *test_network_free(TestNetwork *net)
{
        if (!net)
                return NULL;
        vmm_network_def_free(net->def);
        free(net->obj.name);
        free(net);
        return NULL;
}

TestVolume *test_volume_free(TestVolume *vol)
{
        if (!vol)
                return NULL;
        vmm_storage_vol_def_free(vol->def);
        free(vol->name);
        free(vol->key);
        free(vol->path);
        free(vol);
        return NULL;
}

static void volume_dealloc(void *payload, const xmlChar *name)
{
        test_volume_free(payload);
}

TestPool *test_pool_free(TestPool *pool)
{
        if (!pool)
                return NULL;
        xmlHashFree(pool->volumes, volume_dealloc);
        vmm_storage_pool_def_free(pool->def);
        free(pool->obj.name);
        free(pool);
        return NULL;
}

static void free_domain_obj(void *obj)
{
        test_domain_free(obj);
}

static void free_network_obj(void *obj)
{
        test_network_free(obj);
}

static void free_pool_obj(void *obj)
{
        test_pool_free(obj);
}

static pthread_once_t xml_init_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
        /* libxml2's hash tables seed from its global state. */
        xmlInitParser();
}

int test_state_new(TestState **ret_state, VmmError *error)
{
        TestState *state = NULL;

        pthread_once(&xml_init_once, xml_init);
        state = calloc(1, sizeof(*state));
        if (!state)
                return vmm_error_oom(error);
        state->refs = 1;
        state->next_id = 1;
        pthread_mutex_init(&state->lock, NULL);
        if (test_index_init(&state->domains) < 0 || test_index_init(&state->networks) < 0 ||
            test_index_init(&state->pools) < 0) {
                test_state_free(state);
                return vmm_error_oom(error);
        }
        *ret_state = state;
        return 0;
}

TestState *test_state_free(TestState *state)
{
        if (!state)
                return NULL;
        test_index_done(&state->domains, free_domain_obj);
        test_index_done(&state->networks, free_network_obj);
        test_index_done(&state->pools, free_pool_obj);
        pthread_mutex_destroy(&state->lock);
        free(state);
        return NULL;
}

/* Guards `default_state` and the reference counts of every state handed
 * out by this file (private states are only ever released once). */
static pthread_mutex_t default_lock = PTHREAD_MUTEX_INITIALIZER;
static TestState *default_state;

int test_state_default_acquire(TestState **ret_state, VmmError *error)
{
        TestState *state = NULL;
        int r = 0;

        pthread_mutex_lock(&default_lock);
        if (default_state) {
                default_state->refs++;
                state = default_state;
        } else {
                r = test_state_new(&state, error);
                if (r >= 0) {
                        r = test_state_load_xml(state, test_default_state_xml, (size_t)-1,
                                                "test:///default", NULL, error);
                        if (r < 0)
                                state = test_state_free(state);
                        else
                                default_state = state;
                }
        }
        pthread_mutex_unlock(&default_lock);
        if (r < 0)
                return vmm_error_prefix(error, r, "test:///default: ");
        *ret_state = state;
        return 0;
}

void test_state_release(TestState *state)
{
        bool last;

        if (!state)
                return;
        pthread_mutex_lock(&default_lock);
        last = --state->refs == 0;
        if (last && state == default_state)
                default_state = NULL;
        pthread_mutex_unlock(&default_lock);
        if (last)
                test_state_free(state);
}
