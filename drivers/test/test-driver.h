/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-driver.h: the embedded test driver's internals, shared by its files:
 *   test-index.c      name/UUID index (libxml2 hash tables) and sorting
 *   test-state.c      the state object: create, free, shared default state
 *   test-load.c       loading a state from a <node> document
 *   test-default.c    the document test:///default starts from
 *   test-domain.c     domain lookup, listing, define/create/undefine, XML
 *   test-lifecycle.c  the domain state machine and runtime information
 *   test-network.c    networks
 *   test-storage.c    storage pools and volumes
 *   test-event.c      lifecycle events, per connection
 *   test-driver.c     the vtable, probe, open and close
 *
 * Everything lives in memory in one TestState, guarded by its one mutex;
 * every entry point takes the lock for the whole of its work on the state
 * (parsing happens before, outside the lock).
 */
#pragma once

#include <libxml/hash.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <vmm/vmm.h>

#include "conf/domain.h"
#include "conf/network.h"
#include "conf/storage-pool.h"
#include "conf/storage-vol.h"
#include "driver/driver.h"
#include "util/uuid.h"

/* What every indexed object starts with. */
typedef struct TestObj {
        char *name;
        uint8_t uuid[VMM_UUID_LEN];
} TestObj;

/* Objects indexed by name and by UUID (text form). */
typedef struct TestIndex {
        xmlHashTablePtr by_name;
        xmlHashTablePtr by_uuid;
        /* Every object sorted by name, rebuilt on the first listing after a
         * change: repeated listings cost a copy, not a sort. */
        void **sorted;
        size_t n_sorted;
        bool sorted_valid;
} TestIndex;

typedef struct TestDomain {
        TestObj obj;
        VmmDomainDef *def;  /* persistent definition; NULL when transient */
        VmmDomainDef *live; /* live definition; NULL when shut off */
        VmmDomainState state;
        int reason;
        int id; /* -1 when shut off */
        bool autostart;
        uint64_t cpu_ns;           /* CPU time accumulated before `run_since` */
        struct timespec run_since; /* when the vCPUs last started running */
        char *managed_save_xml;    /* test-save.c: the managed save image, NULL: none */
        bool managed_save_paused;  /* restore it paused */
} TestDomain;

typedef struct TestNetwork {
        TestObj obj;
        VmmNetworkDef *def;
        bool active;
        bool persistent;
        bool autostart;
} TestNetwork;

typedef struct TestVolume {
        char *name; /* first: test_hash_sorted() sorts by it */
        char *key;
        char *path;
        VmmStorageVolDef *def;
} TestVolume;

typedef struct TestPool {
        TestObj obj;
        VmmStoragePoolDef *def;
        bool active;
        bool persistent;
        bool autostart;
        xmlHashTablePtr volumes; /* name -> TestVolume */
} TestPool;

typedef struct TestEventConn TestEventConn;

typedef struct TestState {
        TestEventConn *event_conns; /* connections that asked for events (test-event.c) */
        int refs; /* guarded by the shared-state lock for test:///default */
        pthread_mutex_t lock;
        TestIndex domains;
        TestIndex networks;
        TestIndex pools;
        int next_id;
} TestState;

/* List filters come in groups of two flags ("active"/"inactive"...): no
 * flag of the group means no filtering, otherwise the object passes when
 * the flag matching its side (`is_a`) is set. */
static inline bool test_filter_pass(unsigned int flags, unsigned int a, unsigned int b, bool is_a)
{
        if (!(flags & (a | b)))
                return true;
        return (flags & (is_a ? a : b)) != 0;
}

/* --- test-event.c --- */
int test_event_register(VmmConnect *conn, VmmDomainEventFunc cb, void *userdata,
                        VmmFreeFunc destroy, int *ret_id, VmmError *error);
int test_event_deregister(VmmConnect *conn, int id, VmmError *error);
int test_event_fd(VmmConnect *conn, VmmError *error);
int test_event_dispatch(VmmConnect *conn, VmmError *error);
/* Drops the connection's queue (before it releases the state). */
void test_event_conn_close(VmmConnect *conn);
/* Queues an event of `dom` (as it is now) for every connection (lock held). */
void test_event_emit(TestState *state, const TestDomain *dom, int event, int detail);

/* --- test-index.c --- */
int test_index_init(TestIndex *idx);
/* Frees every object with `free_obj` (called once per object). */
void test_index_done(TestIndex *idx, void (*free_obj)(void *obj));
/* -EEXIST when the name or the UUID is taken; -ENOMEM. Nothing changes on error. */
int test_index_add(TestIndex *idx, TestObj *obj);
void test_index_remove(TestIndex *idx, TestObj *obj);
void *test_index_find_name(TestIndex *idx, const char *name);
void *test_index_find_uuid(TestIndex *idx, const uint8_t uuid[VMM_UUID_LEN]);
size_t test_index_count(TestIndex *idx);
/* A heap array of the objects that pass `filter` (all when NULL), sorted
 * by name; *ret_count may be 0 (the array is then still allocated). */
int test_index_sorted(TestIndex *idx, bool (*filter)(void *obj, void *userdata), void *userdata,
                      void ***ret_objs, size_t *ret_count);
/* The objects of a plain name -> object hash whose first member is their
 * name (volumes), sorted by name. */
int test_hash_sorted(xmlHashTablePtr table, void ***ret_objs, size_t *ret_count);

/* --- test-state.c --- */
int test_state_new(TestState **ret_state, VmmError *error);
TestState *test_state_free(TestState *state);
/* The process-wide shared state of test:///default (one reference). */
int test_state_default_acquire(TestState **ret_state, VmmError *error);
/* Drops a reference of a state from test_state_default_acquire() or
 * test_state_load_file() (private states have one reference). */
void test_state_release(TestState *state);
static inline TestState *test_state_of(VmmConnect *conn)
{
        return conn->priv;
}

TestDomain *test_domain_free(TestDomain *dom);
TestNetwork *test_network_free(TestNetwork *net);
TestPool *test_pool_free(TestPool *pool);
TestVolume *test_volume_free(TestVolume *vol);

/* --- test-load.c --- */
/* Loads a state from a <node> document; `what` names it in messages and
 * `base_dir` resolves file= references (NULL: references refused). */
int test_state_load_xml(TestState *state, const char *xml, size_t len, const char *what,
                        const char *base_dir, VmmError *error);
int test_state_load_file(const char *path, TestState **ret_state, VmmError *error);
/* The built-in document test:///default starts from. */
extern const char test_default_state_xml[];

/* --- test-domain.c --- */
/* The domain of a handle, with the state locked; -ENOENT (unlocked) when gone. */
int test_domain_get_locked(VmmDomain *handle, TestState **ret_state, TestDomain **ret_dom,
                           VmmError *error);
/* Adds a parsed, filled and validated persistent domain to the state
 * (lock held); `dom_state` is RUNNING, PAUSED or SHUTOFF. Takes `def`. */
int test_domain_add_loaded(TestState *state, VmmDomainDef *def, VmmDomainState dom_state,
                           bool autostart, VmmError *error);
/* Removes and frees a transient domain that stopped (lock held). */
void test_domain_forget(TestState *state, TestDomain *dom);
/* The definition that describes the domain now (live when active). */
const VmmDomainDef *test_domain_current_def(const TestDomain *dom);

int test_domain_lookup_by_name(VmmConnect *conn, const char *name, VmmDomain **ret_dom,
                               VmmError *error);
int test_domain_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                               VmmDomain **ret_dom, VmmError *error);
int test_domain_lookup_by_id(VmmConnect *conn, int id, VmmDomain **ret_dom, VmmError *error);
int test_domain_list_all(VmmConnect *conn, unsigned int flags, VmmDomain ***ret_doms,
                         size_t *ret_count, VmmError *error);
int test_domain_define_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                           VmmDomain **ret_dom, VmmError *error);
int test_domain_create_xml(VmmConnect *conn, const char *xml, unsigned int flags,
                           VmmDomain **ret_dom, VmmError *error);
int test_domain_undefine(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_get_xml(VmmDomain *dom, unsigned int flags, char **ret_xml, VmmError *error);
int test_domain_is_persistent(VmmDomain *dom, VmmError *error);
int test_domain_get_os_type(VmmDomain *dom, char **ret_os_type, VmmError *error);
int test_domain_get_autostart(VmmDomain *dom, bool *ret_autostart, VmmError *error);
int test_domain_set_autostart(VmmDomain *dom, bool autostart, VmmError *error);

/* --- test-lifecycle.c --- */
/* Starts a shut-off domain (lock held) with `live` as its live definition
 * (taken; NULL: a copy of its persistent one) and the next id. */
int test_domain_run(TestState *state, TestDomain *dom, VmmDomainDef *live, bool paused,
                    VmmError *error);
int test_domain_start(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_shutdown(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_destroy(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_suspend(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_resume(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_reboot(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_reset(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_get_info(VmmDomain *dom, VmmDomainInfo *ret_info, VmmError *error);
/* CPU time used so far in this run (lock held). */
uint64_t test_domain_cpu_time(const TestDomain *dom);
/* test-agent.c: shutdown/reboot --mode agent needs the agent's channel. */
int test_domain_mode_check(const TestDomain *dom, unsigned int flags, const char *op,
                           VmmError *error);

/* --- test-device.c: attach-device, detach-device --- */
int test_domain_attach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                              VmmError *error);
int test_domain_detach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                              VmmError *error);

/* --- test-save.c: save, restore, managed save --- */
int test_domain_save(VmmDomain *dom, const char *path, const char *dxml, unsigned int flags,
                     VmmError *error);
int test_domain_restore(VmmConnect *conn, const char *path, const char *dxml, unsigned int flags,
                        VmmDomain **ret_dom, VmmError *error);
int test_domain_save_image_get_xml(VmmConnect *conn, const char *path, unsigned int flags,
                                   char **ret_xml, VmmError *error);
int test_domain_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_has_managed_save(VmmDomain *dom, unsigned int flags, VmmError *error);
int test_domain_managed_save_remove(VmmDomain *dom, unsigned int flags, VmmError *error);
/* Starts a shut-off domain from its managed save image (lock held). */
int test_save_start_managed(TestState *state, TestDomain *dom, unsigned int flags,
                            VmmError *error);

/* --- test-console.c: no console (-ENOTSUP, saying so) --- */
int test_domain_open_console(VmmDomain *dom, const char *dev_name, VmmStream *st,
                             unsigned int flags, VmmError *error);

/* --- test-ops.c: runtime operations --- */
int test_domain_set_memory(VmmDomain *dom, uint64_t kib, unsigned int flags, VmmError *error);
int test_domain_get_stats(VmmConnect *conn, VmmDomain *const *doms, size_t n_doms,
                          unsigned int stats, unsigned int flags,
                          VmmDomainStatsRecord **ret_records, size_t *ret_count,
                          VmmError *error);
int test_domain_get_state(VmmDomain *dom, VmmDomainState *ret_state, int *ret_reason,
                          VmmError *error);
int test_domain_get_id(VmmDomain *dom, int *ret_id, VmmError *error);
int test_domain_is_active(VmmDomain *dom, VmmError *error);

/* --- test-network.c --- */
int test_network_add_loaded(TestState *state, VmmNetworkDef *def, bool active, bool autostart,
                            VmmError *error);
int test_network_list_all(VmmConnect *conn, unsigned int flags, VmmNetwork ***ret_nets,
                          size_t *ret_count, VmmError *error);
int test_network_lookup_by_name(VmmConnect *conn, const char *name, VmmNetwork **ret_net,
                                VmmError *error);
int test_network_lookup_by_uuid(VmmConnect *conn, const uint8_t uuid[VMM_UUID_BUFLEN],
                                VmmNetwork **ret_net, VmmError *error);
int test_network_get_xml(VmmNetwork *net, unsigned int flags, char **ret_xml, VmmError *error);
int test_network_is_active(VmmNetwork *net, VmmError *error);
int test_network_is_persistent(VmmNetwork *net, VmmError *error);
int test_network_get_autostart(VmmNetwork *net, bool *ret_autostart, VmmError *error);
int test_network_get_bridge_name(VmmNetwork *net, char **ret_bridge, VmmError *error);

/* --- test-storage.c --- */
/* Adds a pool (lock held); takes `def`. *ret_pool stays owned by the state. */
int test_pool_add_loaded(TestState *state, VmmStoragePoolDef *def, bool active, bool autostart,
                         TestPool **ret_pool, VmmError *error);
/* Adds a volume to `pool`, deriving its path and key when absent; takes `def`. */
int test_pool_add_volume(TestPool *pool, VmmStorageVolDef *def, VmmError *error);
int test_pool_list_all(VmmConnect *conn, unsigned int flags, VmmStoragePool ***ret_pools,
                       size_t *ret_count, VmmError *error);
int test_pool_lookup_by_name(VmmConnect *conn, const char *name, VmmStoragePool **ret_pool,
                             VmmError *error);
int test_pool_get_xml(VmmStoragePool *pool, unsigned int flags, char **ret_xml, VmmError *error);
int test_pool_get_info(VmmStoragePool *pool, VmmStoragePoolInfo *ret_info, VmmError *error);
int test_pool_is_active(VmmStoragePool *pool, VmmError *error);
int test_pool_is_persistent(VmmStoragePool *pool, VmmError *error);
int test_pool_get_autostart(VmmStoragePool *pool, bool *ret_autostart, VmmError *error);
int test_vol_list_all(VmmStoragePool *pool, unsigned int flags, VmmStorageVol ***ret_vols,
                      size_t *ret_count, VmmError *error);
int test_vol_lookup_by_name(VmmStoragePool *pool, const char *name, VmmStorageVol **ret_vol,
                            VmmError *error);
int test_vol_get_xml(VmmStorageVol *vol, unsigned int flags, char **ret_xml, VmmError *error);
int test_vol_get_info(VmmStorageVol *vol, VmmStorageVolInfo *ret_info, VmmError *error);
