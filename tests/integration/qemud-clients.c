/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemud-clients: 64 clients at once against vmm-qemud, each on its own
 * connection through the public API (qemu:///session under $VMM_ROOT).
 *
 * Phase 1 starts with no daemon running: all threads connect together
 * (so the spawner's lock is raced 64 times), define a domain each, look it
 * up by name and UUID, read its info and list everything. Phase 2, with an
 * event subscriber on a raw RPC connection, redefines and undefines every
 * domain concurrently; a subscriber on its own read-only connection
 * (vmm_connect_domain_event_register) must see one DEFINED (updated) and
 * one UNDEFINED event per domain, and its destroy must run once. Exit status 0 only when every call
 * succeeded and every check held.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vmm/vmm.h>


#define N_CLIENTS 64

static pthread_barrier_t barrier;
static atomic_int failures;
static atomic_int n_defined_events, n_undefined_events;
static int phase;

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "client: " __VA_ARGS__);                                   \
                        fputc('\n', stderr);                                                       \
                        atomic_fetch_add(&failures, 1);                                            \
                        goto out;                                                                  \
                }                                                                                  \
        } while (0)

static char *domain_xml(int i, unsigned mib)
{
        char *xml;

        if (asprintf(&xml,
                     "<domain type='qemu'><name>client%02d</name>"
                     "<uuid>00000000-0000-4000-8000-0000000000%02x</uuid>"
                     "<memory unit='MiB'>%u</memory><vcpu>%d</vcpu>"
                     "<os><type>hvm</type></os></domain>",
                     i, i, mib, 1 + i % 4) < 0)
                return NULL;
        return xml;
}

static void phase1(VmmConnect *conn, int i, VmmError *err)
{
        char *xml = domain_xml(i, 64);
        VmmDomain *dom = NULL, *again = NULL, **doms = NULL;
        VmmDomainInfo info;
        uint8_t uuid[VMM_UUID_BUFLEN];
        char name[32];
        size_t n = 0;

        snprintf(name, sizeof(name), "client%02d", i);
        CHECK(xml && vmm_domain_define_xml(conn, xml, 0, &dom, err) >= 0, "define %s: %s", name,
              vmm_error_message(err));
        CHECK(vmm_domain_lookup_by_name(conn, name, &again, err) >= 0, "lookup %s: %s", name,
              vmm_error_message(err));
        vmm_domain_get_uuid(again, uuid);
        CHECK(uuid[15] == i, "lookup %s: wrong UUID", name);
        vmm_domain_unref(again);
        again = NULL;
        CHECK(vmm_domain_lookup_by_uuid(conn, uuid, &again, err) >= 0, "lookup uuid: %s",
              vmm_error_message(err));
        CHECK(strcmp(vmm_domain_get_name(again), name) == 0, "lookup by uuid gave %s",
              vmm_domain_get_name(again));
        CHECK(vmm_domain_get_info(dom, &info, err) >= 0, "info %s: %s", name,
              vmm_error_message(err));
        CHECK(info.state == VMM_DOMAIN_SHUTOFF && info.max_memory_kib == 65536 &&
                  info.vcpus == (unsigned)(1 + i % 4),
              "info %s: state %d, %llu KiB, %u vCPUs", name, info.state,
              (unsigned long long)info.max_memory_kib, info.vcpus);
        CHECK(vmm_domain_list_all(conn, 0, &doms, &n, err) >= 0, "list: %s",
              vmm_error_message(err));
        CHECK(n >= 1 && n <= N_CLIENTS, "list: %zu domains", n);
out:
        for (size_t k = 0; k < n; k++)
                vmm_domain_unref(doms[k]);
        free(doms);
        vmm_domain_unref(dom);
        vmm_domain_unref(again);
        free(xml);
}

static void phase2(VmmConnect *conn, int i, VmmError *err)
{
        char *xml = domain_xml(i, 128);
        VmmDomain *dom = NULL;
        VmmDomainInfo info;

        CHECK(xml && vmm_domain_define_xml(conn, xml, 0, &dom, err) >= 0, "redefine %d: %s", i,
              vmm_error_message(err));
        CHECK(vmm_domain_get_info(dom, &info, err) >= 0 && info.max_memory_kib == 131072,
              "redefined %d: memory not updated", i);
        CHECK(vmm_domain_undefine(dom, 0, err) >= 0, "undefine %d: %s", i,
              vmm_error_message(err));
out:
        vmm_domain_unref(dom);
        free(xml);
}

static void *client_main(void *arg)
{
        int i = (int)(intptr_t)arg;
        VmmError err = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        pthread_barrier_wait(&barrier);
        CHECK(vmm_connect_open("qemu:///session", 0, &conn, &err) >= 0, "connect %d: %s", i,
              vmm_error_message(&err));
        if (phase == 1)
                phase1(conn, i, &err);
        else
                phase2(conn, i, &err);
out:
        vmm_connect_close(conn);
        vmm_error_clear(&err);
        return NULL;
}

static int run_phase(int which)
{
        pthread_t t[N_CLIENTS];

        phase = which;
        pthread_barrier_init(&barrier, NULL, N_CLIENTS);
        for (int i = 0; i < N_CLIENTS; i++)
                if (pthread_create(&t[i], NULL, client_main, (void *)(intptr_t)i) != 0) {
                        fprintf(stderr, "client: pthread_create failed\n");
                        exit(1);
                }
        for (int i = 0; i < N_CLIENTS; i++)
                pthread_join(t[i], NULL);
        pthread_barrier_destroy(&barrier);
        return atomic_load(&failures);
}

static atomic_int destroyed;

static void on_lifecycle(VmmConnect *conn, VmmDomain *dom, int event, int detail,
                         void *userdata)
{
        if (strncmp(vmm_domain_get_name(dom), "client", 6) != 0)
                return;
        if (event == VMM_DOMAIN_EVENT_DEFINED && detail == VMM_DOMAIN_EVENT_DEFINED_UPDATED)
                atomic_fetch_add(&n_defined_events, 1);
        else if (event == VMM_DOMAIN_EVENT_UNDEFINED &&
                 detail == VMM_DOMAIN_EVENT_UNDEFINED_REMOVED)
                atomic_fetch_add(&n_undefined_events, 1);
}

static void on_destroy(void *userdata)
{
        atomic_fetch_add(&destroyed, 1);
}

/* A subscriber through the public API, on a connection of its own. */
static int subscribe(VmmConnect **ret_conn, int *ret_id)
{
        VmmError err = VMM_ERROR_INIT;
        int r;

        r = vmm_connect_open("qemu:///session", VMM_CONNECT_READ_ONLY, ret_conn, &err);
        if (r >= 0)
                r = vmm_connect_domain_event_register(*ret_conn, on_lifecycle, NULL, on_destroy,
                                                      ret_id, &err);
        if (r < 0)
                fprintf(stderr, "subscriber: %s\n", vmm_error_message(&err));
        vmm_error_clear(&err);
        return r;
}

int main(void)
{
        VmmError err = VMM_ERROR_INIT;
        VmmConnect *sub = NULL;
        struct timespec a, b;
        int waited = 0, id = 0;

        if (!getenv("VMM_ROOT")) {
                fprintf(stderr, "qemud-clients: VMM_ROOT must name a private directory\n");
                return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (run_phase(1) != 0)
                return 1;
        clock_gettime(CLOCK_MONOTONIC, &b);
        printf("phase 1: %d clients connected, defined, looked up, listed in %.1f ms\n",
               N_CLIENTS, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
        if (subscribe(&sub, &id) < 0)
                return 1;
        if (run_phase(2) != 0)
                return 1;
        while ((atomic_load(&n_defined_events) < N_CLIENTS ||
                atomic_load(&n_undefined_events) < N_CLIENTS) &&
               waited++ < 500)
                usleep(20000);
        if (vmm_connect_domain_event_deregister(sub, id, &err) < 0 ||
            vmm_connect_domain_event_deregister(sub, id, &err) != -ENOENT) {
                fprintf(stderr, "qemud-clients: deregister: %s\n", vmm_error_message(&err));
                return 1;
        }
        vmm_error_clear(&err);
        vmm_connect_close(sub);
        if (atomic_load(&destroyed) != 1) {
                fprintf(stderr, "qemud-clients: destroy ran %d times (expected once)\n",
                        atomic_load(&destroyed));
                return 1;
        }
        printf("phase 2: %d DEFINED(updated) and %d UNDEFINED events seen\n",
               atomic_load(&n_defined_events), atomic_load(&n_undefined_events));
        if (atomic_load(&n_defined_events) != N_CLIENTS ||
            atomic_load(&n_undefined_events) != N_CLIENTS) {
                fprintf(stderr, "qemud-clients: expected %d events of each kind\n", N_CLIENTS);
                return 1;
        }
        return 0;
}
