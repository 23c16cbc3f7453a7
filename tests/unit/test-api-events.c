/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-api-events.c: domain lifecycle events through the public API on the
 * test driver: callbacks on libvmm's thread (and API calls from them),
 * pollable delivery in the application's thread, deregistration and
 * destroy functions, and the call-deadline API's argument rules.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <vmm/vmm.h>

#define URI "test:///default"

typedef struct Recorder {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        char log[4096]; /* "name:Type:Detail;" per event */
        size_t n;
        int destroyed;
        pthread_t thread;    /* the thread of the last callback */
        char state_seen[64]; /* what a callback's own API call returned */
        bool call_api;
} Recorder;

static void recorder_init(Recorder *rec)
{
        memset(rec, 0, sizeof(*rec));
        pthread_mutex_init(&rec->lock, NULL);
        pthread_cond_init(&rec->cond, NULL);
}

static void recorder_done(Recorder *rec)
{
        pthread_mutex_destroy(&rec->lock);
        pthread_cond_destroy(&rec->cond);
}

static void on_event(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        Recorder *rec = userdata;
        char state[64] = "";

        if (rec->call_api) {
                /* callbacks may use the connection */
                VmmError error = VMM_ERROR_INIT;
                VmmDomainState st;
                int reason;

                if (vmm_domain_get_state(dom, &st, &reason, &error) >= 0)
                        snprintf(state, sizeof(state), "%s", vmm_domain_state_to_string(st));
                else
                        snprintf(state, sizeof(state), "error %s", vmm_error_message(&error));
                vmm_error_clear(&error);
        }
        pthread_mutex_lock(&rec->lock);
        size_t len = strlen(rec->log);
        snprintf(rec->log + len, sizeof(rec->log) - len, "%s:%s:%s;", vmm_domain_get_name(dom),
                 vmm_domain_event_type_to_string(event),
                 vmm_domain_event_detail_to_string(event, detail));
        rec->n++;
        rec->thread = pthread_self();
        if (*state)
                snprintf(rec->state_seen, sizeof(rec->state_seen), "%s", state);
        pthread_cond_broadcast(&rec->cond);
        pthread_mutex_unlock(&rec->lock);
}

static void on_destroy(void *userdata)
{
        Recorder *rec = userdata;

        pthread_mutex_lock(&rec->lock);
        rec->destroyed++;
        pthread_mutex_unlock(&rec->lock);
}

/* Waits up to 5 s for `n` events; fails with what came. */
static void recorder_wait(Recorder *rec, size_t n)
{
        struct timespec until;

        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 5;
        pthread_mutex_lock(&rec->lock);
        while (rec->n < n)
                if (pthread_cond_timedwait(&rec->cond, &rec->lock, &until) == ETIMEDOUT)
                        break;
        size_t got = rec->n;
        pthread_mutex_unlock(&rec->lock);
        if (got < n)
                fail_msg("got %zu events of %zu: %s", got, n, rec->log);
}

/* Waits up to 5 s for the registration's destroy. */
static void recorder_wait_destroyed(Recorder *rec)
{
        for (int i = 0; i < 500; i++) {
                pthread_mutex_lock(&rec->lock);
                int n = rec->destroyed;
                pthread_mutex_unlock(&rec->lock);
                if (n) {
                        assert_int_equal(n, 1);
                        return;
                }
                usleep(10000);
        }
        fail_msg("the destroy function did not run");
}

static VmmConnect *open_uri(unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        if (vmm_connect_open(URI, flags, &conn, &error) < 0)
                fail_msg("open %s: %s", URI, vmm_error_message(&error));
        return conn;
}

static VmmDomain *define(VmmConnect *conn, const char *name, const char *uuid)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        char *xml;

        if (asprintf(&xml,
                     "<domain type='test'><name>%s</name><uuid>%s</uuid>"
                     "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                     "<os><type>hvm</type></os></domain>",
                     name, uuid) < 0)
                fail_msg("out of memory");
        if (vmm_domain_define_xml(conn, xml, 0, &dom, &error) < 0)
                fail_msg("define %s: %s", name, vmm_error_message(&error));
        free(xml);
        return dom;
}

static void must(int r, const char *what, VmmError *error)
{
        if (r < 0)
                fail_msg("%s: %s", what, vmm_error_message(error));
}

/* Every state change of the test driver arrives, in order, on libvmm's
 * thread, at every connection on the shared state; callbacks may call
 * the API. */
static void test_events_threaded(void **unused)
{
        VmmConnect *conn = open_uri(0), *other = open_uri(0);
        VmmError error = VMM_ERROR_INIT;
        Recorder rec, rec2;
        int id = 0, id2 = 0;
        VmmDomain *dom;

        recorder_init(&rec);
        recorder_init(&rec2);
        rec.call_api = true;
        must(vmm_connect_domain_event_register(conn, on_event, &rec, on_destroy, &id, &error),
             "register", &error);
        assert_true(id > 0);
        must(vmm_connect_domain_event_register(other, on_event, &rec2, on_destroy, &id2, &error),
             "register on a second connection", &error);

        dom = define(conn, "ev1", "7d0f1a52-0c4e-4d2b-9a38-1b8c2e6f0a01");
        must(vmm_domain_start(dom, 0, &error), "start", &error);
        must(vmm_domain_suspend(dom, &error), "suspend", &error);
        must(vmm_domain_resume(dom, &error), "resume", &error);
        must(vmm_domain_destroy(dom, 0, &error), "destroy", &error);
        must(vmm_domain_start(dom, VMM_DOMAIN_START_PAUSED, &error), "start paused", &error);
        must(vmm_domain_resume(dom, &error), "resume", &error);
        must(vmm_domain_shutdown(dom, 0, &error), "shutdown", &error);
        must(vmm_domain_undefine(dom, 0, &error), "undefine", &error);
        /* a failed call changes nothing and sends nothing */
        assert_true(vmm_domain_resume(dom, &error) < 0);
        vmm_error_clear(&error);

        const char *want = "ev1:Defined:Added;ev1:Started:Booted;ev1:Suspended:Paused;"
                           "ev1:Resumed:Unpaused;ev1:Stopped:Destroyed;ev1:Started:Booted;"
                           "ev1:Suspended:Paused;ev1:Resumed:Unpaused;ev1:Stopped:Shutdown;"
                           "ev1:Undefined:Removed;";
        recorder_wait(&rec, 10);
        recorder_wait(&rec2, 10);
        assert_string_equal(rec.log, want);
        assert_string_equal(rec2.log, want);
        assert_false(pthread_equal(rec.thread, pthread_self()));
        assert_true(strncmp(rec.state_seen, "error", 5) == 0); /* undefined by then */

        must(vmm_connect_domain_event_deregister(conn, id, &error), "deregister", &error);
        assert_int_equal(rec.destroyed, 1);
        assert_int_equal(vmm_connect_domain_event_deregister(conn, id, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "no domain event callback"));
        vmm_error_clear(&error);
        vmm_domain_unref(dom);

        /* after deregistering, nothing more arrives there */
        dom = define(conn, "ev1b", "7d0f1a52-0c4e-4d2b-9a38-1b8c2e6f0a02");
        recorder_wait(&rec2, 11);
        must(vmm_domain_undefine(dom, 0, &error), "undefine", &error);
        recorder_wait(&rec2, 12);
        assert_int_equal(rec.n, 10);
        vmm_domain_unref(dom);

        /* closing the connection runs the destroy of what is still registered
         * (once its last callback returned: that may be just after) */
        vmm_connect_close(other);
        recorder_wait_destroyed(&rec2);
        vmm_connect_close(conn);
        recorder_done(&rec);
        recorder_done(&rec2);
}

static bool fd_readable(int fd)
{
        struct pollfd p = {.fd = fd, .events = POLLIN};

        return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Pollable: nothing runs until the application dispatches, in its thread. */
static void test_events_pollable(void **unused)
{
        VmmConnect *conn = open_uri(VMM_CONNECT_EVENTS_POLLABLE);
        VmmError error = VMM_ERROR_INIT;
        Recorder rec;
        VmmDomain *dom;
        int id = 0, fd;

        recorder_init(&rec);
        rec.call_api = true;
        fd = vmm_connect_event_fd(conn, &error);
        must(fd, "event fd", &error);
        must(vmm_connect_domain_event_register(conn, on_event, &rec, on_destroy, &id, &error),
             "register", &error);
        assert_false(fd_readable(fd));
        assert_int_equal(vmm_connect_dispatch_events(conn, &error), 0);

        dom = define(conn, "ev2", "7d0f1a52-0c4e-4d2b-9a38-1b8c2e6f0a03");
        must(vmm_domain_start(dom, 0, &error), "start", &error);
        assert_true(fd_readable(fd));
        assert_int_equal(rec.n, 0); /* nothing delivered behind our back */
        assert_int_equal(vmm_connect_dispatch_events(conn, &error), 2);
        assert_string_equal(rec.log, "ev2:Defined:Added;ev2:Started:Booted;");
        assert_true(pthread_equal(rec.thread, pthread_self()));
        assert_string_equal(rec.state_seen, "running"); /* the API from the callback */
        assert_false(fd_readable(fd));
        assert_int_equal(vmm_connect_event_fd(conn, &error), fd); /* stays the same */

        must(vmm_domain_destroy(dom, 0, &error), "destroy", &error);
        must(vmm_domain_undefine(dom, 0, &error), "undefine", &error);
        assert_true(fd_readable(fd));
        assert_int_equal(vmm_connect_dispatch_events(conn, &error), 2);
        assert_string_equal(rec.log, "ev2:Defined:Added;ev2:Started:Booted;"
                                     "ev2:Stopped:Destroyed;ev2:Undefined:Removed;");
        assert_false(fd_readable(fd));
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
        assert_int_equal(rec.destroyed, 1);
        recorder_done(&rec);
}

/* The pollable calls on a connection that is not pollable, and bad ids. */
static void test_events_misuse(void **unused)
{
        VmmConnect *conn = open_uri(0);
        VmmError error = VMM_ERROR_INIT;
        int id = 0;

        assert_int_equal(vmm_connect_event_fd(conn, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "VMM_CONNECT_EVENTS_POLLABLE"));
        assert_non_null(strstr(vmm_error_message(&error), "test:///default"));
        assert_int_equal(vmm_connect_dispatch_events(conn, &error), -EINVAL);
        assert_int_equal(vmm_connect_event_fd(NULL, &error), -EINVAL);
        assert_int_equal(vmm_connect_domain_event_register(conn, NULL, NULL, NULL, &id, &error),
                         -EINVAL);
        assert_int_equal(vmm_connect_domain_event_deregister(conn, 0, &error), -EINVAL);
        assert_int_equal(vmm_connect_domain_event_deregister(conn, 12345, &error), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&error), "12345"));
        vmm_error_clear(&error);
        vmm_connect_close(conn);
        /* unknown connect flags are still refused */
        assert_int_equal(vmm_connect_open(URI, 1u << 7, &conn, &error), -EINVAL);
        vmm_error_clear(&error);
}

/* Deadlines: the connection's default and a handle's own. */
static void test_call_timeout_api(void **unused)
{
        VmmConnect *conn = open_uri(0);
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom, *slow = NULL;
        VmmDomainState st;
        int reason;

        assert_int_equal(vmm_connect_get_call_timeout(conn, &error), 0); /* in-process */
        must(vmm_connect_set_call_timeout(conn, 2500, &error), "set", &error);
        assert_int_equal(vmm_connect_get_call_timeout(conn, &error), 2500);
        assert_int_equal(vmm_connect_set_call_timeout(conn, -5, &error), -EINVAL);
        assert_non_null(strstr(vmm_error_message(&error), "-5"));
        assert_int_equal(vmm_connect_get_call_timeout(conn, &error), 2500); /* unchanged */

        dom = define(conn, "ev3", "7d0f1a52-0c4e-4d2b-9a38-1b8c2e6f0a04");
        assert_int_equal(vmm_domain_with_call_timeout(dom, -1, &slow, &error), -EINVAL);
        assert_null(slow);
        must(vmm_domain_with_call_timeout(dom, 600000, &slow, &error), "with timeout", &error);
        assert_ptr_not_equal(slow, dom);
        assert_string_equal(vmm_domain_get_name(slow), "ev3");
        must(vmm_domain_start(slow, 0, &error), "start through the copy", &error);
        must(vmm_domain_get_state(dom, &st, &reason, &error), "state", &error);
        assert_int_equal(st, VMM_DOMAIN_RUNNING); /* the same domain */
        must(vmm_domain_destroy(dom, 0, &error), "destroy", &error);
        must(vmm_domain_undefine(slow, 0, &error), "undefine", &error);
        vmm_domain_unref(slow);
        vmm_domain_unref(dom);

        vmm_connect_close(conn);
        assert_int_equal(vmm_connect_set_call_timeout(NULL, 1, &error), -EINVAL);
        vmm_error_clear(&error);
}

typedef struct Blocker {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        int stage; /* 1: in the callback; 2: may return */
        int destroyed;
} Blocker;

static void on_event_block(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        Blocker *b = userdata;

        pthread_mutex_lock(&b->lock);
        if (b->stage == 0) {
                b->stage = 1;
                pthread_cond_broadcast(&b->cond);
                while (b->stage != 2)
                        pthread_cond_wait(&b->cond, &b->lock);
        }
        pthread_mutex_unlock(&b->lock);
}

static void on_destroy_block(void *userdata)
{
        Blocker *b = userdata;

        pthread_mutex_lock(&b->lock);
        b->destroyed++;
        pthread_cond_broadcast(&b->cond);
        pthread_mutex_unlock(&b->lock);
}

/* The application closes the connection while a callback runs: the
 * callback's domain handle keeps the connection, and the last reference
 * goes on libvmm's thread when the callback returns; the registration's
 * destroy still runs once (sanitizer builds check nothing is touched
 * after it is freed). */
static void test_events_close_during_callback(void **unused)
{
        VmmConnect *conn = open_uri(0);
        VmmError error = VMM_ERROR_INIT;
        Blocker b = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
        struct timespec until;
        VmmDomain *dom;
        int id = 0;

        must(vmm_connect_domain_event_register(conn, on_event_block, &b, on_destroy_block, &id,
                                               &error),
             "register", &error);
        dom = define(conn, "ev4", "7d0f1a52-0c4e-4d2b-9a38-1b8c2e6f0a05");
        pthread_mutex_lock(&b.lock);
        while (b.stage != 1)
                pthread_cond_wait(&b.cond, &b.lock);
        pthread_mutex_unlock(&b.lock);
        must(vmm_domain_undefine(dom, 0, &error), "undefine", &error);
        vmm_domain_unref(dom);
        vmm_connect_close(conn); /* the callback's handle still holds it */
        assert_int_equal(b.destroyed, 0);
        pthread_mutex_lock(&b.lock);
        b.stage = 2;
        pthread_cond_broadcast(&b.cond);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 5;
        while (b.destroyed == 0)
                if (pthread_cond_timedwait(&b.cond, &b.lock, &until) == ETIMEDOUT)
                        break;
        pthread_mutex_unlock(&b.lock);
        assert_int_equal(b.destroyed, 1);
        usleep(50000); /* let the thread finish releasing the queue */
}

static void test_event_strings(void **unused)
{
        assert_string_equal(vmm_domain_event_type_to_string(VMM_DOMAIN_EVENT_STARTED), "Started");
        assert_string_equal(vmm_domain_event_detail_to_string(VMM_DOMAIN_EVENT_STOPPED,
                                                              VMM_DOMAIN_EVENT_STOPPED_CRASHED),
                            "Crashed");
        assert_string_equal(vmm_domain_event_type_to_string(99), "unknown");
        assert_string_equal(vmm_domain_event_detail_to_string(VMM_DOMAIN_EVENT_UNDEFINED, 7),
                            "unknown");
        assert_string_equal(vmm_domain_event_detail_to_string(-1, 0), "unknown");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_events_threaded),
            cmocka_unit_test(test_events_pollable),
            cmocka_unit_test(test_events_misuse),
            cmocka_unit_test(test_events_close_during_callback),
            cmocka_unit_test(test_call_timeout_api),
            cmocka_unit_test(test_event_strings),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
