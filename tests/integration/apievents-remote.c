/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apievents-remote: per-call deadlines and pollable events through the
 * public API against a real vmm-qemud (qemu:///session under $VMM_ROOT,
 * daemon already running with pid argv[1], domain "tiny" defined).
 *
 *  1. deadlines: on a connection with no default deadline, a domain handle
 *     made with vmm_domain_with_call_timeout(300 ms) fails against the
 *     SIGSTOPped daemon with -ETIMEDOUT (kind TIMEOUT) naming the procedure
 *     and the daemon's socket, in about 300 ms; then
 *     vmm_connect_set_call_timeout(200) makes a list fail the same way;
 *     after SIGCONT both work again.
 *  2. pollable events: a VMM_CONNECT_EVENTS_POLLABLE connection gets
 *     nothing until its fd polls readable and it dispatches, in this
 *     thread; after the daemon is killed (-9) and a call reconnects, the
 *     same registration's events arrive on the same fd.
 * Prints "ok: ..." lines; exit status 0 only when every check held.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vmm/vmm.h>

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "FAIL: " __VA_ARGS__);                                     \
                        fputc('\n', stderr);                                                       \
                        exit(1);                                                                   \
                }                                                                                  \
        } while (0)

static const char *uri = "qemu:///session";

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static VmmConnect *open_conn(unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        CHECK(vmm_connect_open(uri, flags, &conn, &error) >= 0, "open %s: %s", uri,
              vmm_error_message(&error));
        return conn;
}

static void check_timeout(int r, const VmmError *error, const char *proc, long ms, long asked)
{
        CHECK(r == -ETIMEDOUT, "%s: returned %d (expected -ETIMEDOUT): %s", proc, r,
              vmm_error_message(error));
        CHECK(error->kind == VMM_ERR_TIMEOUT, "%s: kind %s (expected timeout)", proc,
              vmm_error_kind_to_string(error->kind));
        CHECK(strstr(vmm_error_message(error), proc), "%s: message does not name it: %s", proc,
              vmm_error_message(error));
        CHECK(strstr(vmm_error_message(error), "vmm-qemud.sock"),
              "%s: message does not name the daemon: %s", proc, vmm_error_message(error));
        CHECK(ms >= asked - 20 && ms < asked + 2000, "%s: timed out after %ld ms (asked %ld)", proc,
              ms, asked);
        printf("ok: %s timed out after %ld ms (asked %ld): %s\n", proc, ms, asked,
               vmm_error_message(error));
}

static void test_deadlines(pid_t daemon)
{
        VmmConnect *conn = open_conn(0);
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL, *fast = NULL, **doms = NULL;
        VmmDomainState st;
        size_t n = 0;
        long t0;
        int r, reason;

        CHECK(vmm_connect_get_call_timeout(conn, &error) == 30000, "default deadline %d",
              vmm_connect_get_call_timeout(conn, &error));
        CHECK(vmm_connect_set_call_timeout(conn, 0, &error) >= 0, "set 0: %s",
              vmm_error_message(&error));
        CHECK(vmm_domain_lookup_by_name(conn, "tiny", &dom, &error) >= 0, "lookup: %s",
              vmm_error_message(&error));
        CHECK(vmm_domain_with_call_timeout(dom, 300, &fast, &error) >= 0, "with: %s",
              vmm_error_message(&error));

        CHECK(kill(daemon, SIGSTOP) == 0, "SIGSTOP %d: %s", (int)daemon, strerror(errno));
        t0 = now_ms();
        r = vmm_domain_get_state(fast, &st, &reason, &error);
        check_timeout(r, &error, "get-state", now_ms() - t0, 300);
        vmm_error_clear(&error);

        CHECK(vmm_connect_set_call_timeout(conn, 200, &error) >= 0, "set 200: %s",
              vmm_error_message(&error));
        t0 = now_ms();
        r = vmm_domain_list_all(conn, 0, &doms, &n, &error);
        check_timeout(r, &error, "list-all", now_ms() - t0, 200);
        vmm_error_clear(&error);
        CHECK(kill(daemon, SIGCONT) == 0, "SIGCONT: %s", strerror(errno));

        CHECK(vmm_domain_get_state(fast, &st, &reason, &error) >= 0, "get-state after SIGCONT: %s",
              vmm_error_message(&error));
        CHECK(st == VMM_DOMAIN_SHUTOFF, "state %d", st);
        CHECK(vmm_domain_list_all(conn, 0, &doms, &n, &error) >= 0, "list after SIGCONT: %s",
              vmm_error_message(&error));
        vmm_domain_list_free(doms, n);
        printf("ok: calls succeed again after SIGCONT\n");
        vmm_domain_unref(fast);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

typedef struct Seen {
        char log[1024];
        pthread_t thread;
        int n;
} Seen;

static void on_event(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        Seen *seen = userdata;
        size_t len = strlen(seen->log);

        snprintf(seen->log + len, sizeof(seen->log) - len, "%s:%s:%s;", vmm_domain_get_name(dom),
                 vmm_domain_event_type_to_string(event),
                 vmm_domain_event_detail_to_string(event, detail));
        seen->thread = pthread_self();
        seen->n++;
}

/* Polls `fd` until `seen` has `n` events (dispatching), for up to 5 s. */
static void wait_events(VmmConnect *conn, int fd, Seen *seen, int n)
{
        long until = now_ms() + 5000;
        VmmError error = VMM_ERROR_INIT;

        while (seen->n < n && now_ms() < until) {
                struct pollfd p = {.fd = fd, .events = POLLIN};

                if (poll(&p, 1, 100) == 1)
                        CHECK(vmm_connect_dispatch_events(conn, &error) >= 0, "dispatch: %s",
                              vmm_error_message(&error));
        }
        CHECK(seen->n >= n, "got %d events of %d: %s", seen->n, n, seen->log);
}

static void define_tiny(VmmConnect *conn, const char *xml)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;

        CHECK(vmm_domain_define_xml(conn, xml, 0, &dom, &error) >= 0, "define: %s",
              vmm_error_message(&error));
        vmm_domain_unref(dom);
}

static void test_pollable(pid_t daemon, const char *xml)
{
        VmmConnect *pc = open_conn(VMM_CONNECT_EVENTS_POLLABLE), *other = open_conn(0);
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        Seen seen = {0};
        int fd, id = 0;

        fd = vmm_connect_event_fd(pc, &error);
        CHECK(fd >= 0, "event fd: %s", vmm_error_message(&error));
        CHECK(vmm_connect_domain_event_register(pc, on_event, &seen, NULL, &id, &error) >= 0,
              "register: %s", vmm_error_message(&error));
        define_tiny(other, xml);
        usleep(300000);
        CHECK(seen.n == 0, "an event was delivered without dispatching: %s", seen.log);
        wait_events(pc, fd, &seen, 1);
        CHECK(strcmp(seen.log, "tiny:Defined:Updated;") == 0, "events: %s", seen.log);
        CHECK(pthread_equal(seen.thread, pthread_self()), "callback ran on another thread");
        printf("ok: pollable event delivered by dispatch in the caller's thread: %s\n", seen.log);

        /* the daemon dies; a call reconnects (respawning it); the fd stays */
        CHECK(kill(daemon, SIGKILL) == 0, "SIGKILL: %s", strerror(errno));
        usleep(200000);
        CHECK(vmm_domain_lookup_by_name(pc, "tiny", &dom, &error) >= 0,
              "lookup after the daemon's death: %s", vmm_error_message(&error));
        vmm_domain_unref(dom);
        CHECK(vmm_connect_event_fd(pc, &error) == fd, "the event fd changed");
        /* the registration was carried over to the new connection */
        seen.log[0] = '\0';
        seen.n = 0;
        define_tiny(pc, xml);
        wait_events(pc, fd, &seen, 1);
        CHECK(strcmp(seen.log, "tiny:Defined:Updated;") == 0, "events after reconnect: %s",
              seen.log);
        printf("ok: after a reconnection, events arrive on the same fd: %s\n", seen.log);
        vmm_connect_close(other);
        vmm_connect_close(pc);
}

int main(int argc, char **argv)
{
        FILE *f;
        char xml[4096];
        size_t len;

        if (argc != 3) {
                fprintf(stderr, "usage: apievents-remote DAEMON-PID DOMAIN-XML\n");
                return 2;
        }
        f = fopen(argv[2], "re");
        CHECK(f, "%s: %s", argv[2], strerror(errno));
        len = fread(xml, 1, sizeof(xml) - 1, f);
        xml[len] = '\0';
        fclose(f);
        test_deadlines((pid_t)atoi(argv[1]));
        test_pollable((pid_t)atoi(argv[1]), xml);
        return 0;
}
