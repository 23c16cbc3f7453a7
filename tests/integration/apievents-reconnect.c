/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apievents-reconnect: event registrations outlive the daemon, and a
 * pollable callback may close its own connection. Against a real vmm-qemud
 * (qemu:///session under $VMM_ROOT, spawned on demand):
 *
 *  1. idle: a connection registers a callback and makes no further call;
 *     the daemon is killed (-9); the connection notices, reconnects by
 *     itself (respawning the daemon) and re-registers; a define through
 *     another connection reaches the same callback, once.
 *  2. a pollable connection that does not dispatch learns of the loss
 *     only through its next call, which reconnects and restores the
 *     registration first; a define through another connection reaches it.
 *     The application's id is unchanged: deregistering it works and runs
 *     the destroy function once.
 *  3. a connection that may not start the daemon (?socket=) retries with
 *     a backoff while the daemon is away, closes at once meanwhile, and
 *     comes back (events again) once the daemon returns.
 *  4. a pollable connection's callback closes the connection from inside
 *     vmm_connect_dispatch_events() with more events queued: the dispatch
 *     returns normally, no further callback runs, the destroy function
 *     runs once (run it under ASan).
 * Prints "ok: ..." lines; exit status 0 only when every check held.
 */
#include <dirent.h>
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
static char xml[4096];

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

        nanosleep(&ts, NULL);
}

/* The vmm-qemud serving $VMM_ROOT (not a zombie), or 0. */
static pid_t daemon_pid(void)
{
        const char *root = getenv("VMM_ROOT");
        DIR *d = opendir("/proc");
        struct dirent *e;
        pid_t found = 0;

        CHECK(root && d, "VMM_ROOT unset or no /proc");
        while (!found && (e = readdir(d))) {
                char path[300], buf[4096], state = 0, line[256];
                size_t n;
                FILE *f;

                if (e->d_name[0] < '0' || e->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue;
                n = fread(buf, 1, sizeof(buf) - 1, f);
                fclose(f);
                for (size_t i = 0; i < n; i++)
                        if (buf[i] == '\0')
                                buf[i] = ' ';
                buf[n] = '\0';
                if (!strstr(buf, "vmm-qemud") || !strstr(buf, root))
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
                f = fopen(path, "re");
                while (f && fgets(line, sizeof(line), f))
                        if (sscanf(line, "State: %c", &state) == 1)
                                break;
                if (f)
                        fclose(f);
                if (state && state != 'Z')
                        found = (pid_t)atoi(e->d_name);
        }
        closedir(d);
        return found;
}

static pid_t kill_daemon(void)
{
        pid_t pid = daemon_pid();
        long until = now_ms() + 3000;

        CHECK(pid > 0, "no vmm-qemud runs for $VMM_ROOT");
        CHECK(kill(pid, SIGKILL) == 0, "SIGKILL %d: %s", (int)pid, strerror(errno));
        while (daemon_pid() == pid && now_ms() < until)
                sleep_ms(20);
        CHECK(daemon_pid() != pid, "vmm-qemud %d survived SIGKILL", (int)pid);
        return pid;
}

typedef struct Rec {
        pthread_mutex_t lock;
        char log[2048];
        int n;
        int destroyed;
        bool close_conn; /* the callback closes its connection */
} Rec;

#define REC_INIT                                                                                   \
        {                                                                                          \
                PTHREAD_MUTEX_INITIALIZER, "", 0, 0, false                                         \
        }

static void on_event(VmmConnect *conn, VmmDomain *dom, int event, int detail, void *userdata)
{
        Rec *rec = userdata;
        size_t len;

        pthread_mutex_lock(&rec->lock);
        len = strlen(rec->log);
        snprintf(rec->log + len, sizeof(rec->log) - len, "%s:%s;", vmm_domain_get_name(dom),
                 vmm_domain_event_type_to_string(event));
        rec->n++;
        pthread_mutex_unlock(&rec->lock);
        if (rec->close_conn)
                vmm_connect_close(conn);
}

static void on_destroy(void *userdata)
{
        Rec *rec = userdata;

        pthread_mutex_lock(&rec->lock);
        rec->destroyed++;
        pthread_mutex_unlock(&rec->lock);
}

static int rec_count(Rec *rec)
{
        int n;

        pthread_mutex_lock(&rec->lock);
        n = rec->n;
        pthread_mutex_unlock(&rec->lock);
        return n;
}

static void wait_count(Rec *rec, int n, long ms, const char *what)
{
        long until = now_ms() + ms;

        while (rec_count(rec) < n && now_ms() < until)
                sleep_ms(20);
        CHECK(rec_count(rec) >= n, "%s: %d event(s) of %d within %ld ms: %s", what, rec_count(rec),
              n, ms, rec->log);
}

static VmmConnect *open_conn(unsigned int flags)
{
        VmmError error = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;

        CHECK(vmm_connect_open(uri, flags, &conn, &error) >= 0, "open %s: %s", uri,
              vmm_error_message(&error));
        return conn;
}

static void define_tiny(VmmConnect *conn)
{
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;

        CHECK(vmm_domain_define_xml(conn, xml, 0, &dom, &error) >= 0, "define: %s",
              vmm_error_message(&error));
        vmm_domain_unref(dom);
}

/* Waits until `conn` is (or is not) connected. */
static void wait_alive(VmmConnect *conn, bool alive, long ms, const char *what)
{
        long until = now_ms() + ms;

        while (vmm_connect_is_alive(conn) != alive && now_ms() < until)
                sleep_ms(10);
        CHECK(vmm_connect_is_alive(conn) == alive, "%s: the connection is %s after %ld ms", what,
              alive ? "still down" : "still up", ms);
}

static void test_idle(void)
{
        VmmConnect *conn = open_conn(0), *other;
        VmmError error = VMM_ERROR_INIT;
        Rec rec = REC_INIT;
        pid_t old;
        long t0;
        int id = 0;

        CHECK(vmm_connect_domain_event_register(conn, on_event, &rec, on_destroy, &id, &error) >= 0,
              "register: %s", vmm_error_message(&error));
        other = open_conn(0);
        define_tiny(other);
        wait_count(&rec, 1, 3000, "before the restart");

        vmm_connect_close(other);
        old = kill_daemon();
        /* nobody calls: the connection notices, and comes back by itself,
         * starting a new daemon */
        t0 = now_ms();
        while ((daemon_pid() == 0 || !vmm_connect_is_alive(conn)) && now_ms() - t0 < 5000)
                sleep_ms(10);
        CHECK(daemon_pid() > 0 && daemon_pid() != old, "no new daemon after 5 s");
        wait_alive(conn, true, 5000, "idle reconnection");
        printf("ok: an idle connection reconnected by itself in %ld ms (daemon %d -> %d)\n",
               now_ms() - t0, (int)old, (int)daemon_pid());
        sleep_ms(300); /* its subscription is on the way */

        other = open_conn(0);
        define_tiny(other);
        wait_count(&rec, 2, 3000, "after the idle reconnection");
        sleep_ms(300);
        CHECK(rec_count(&rec) == 2, "the event came %d times: %s", rec_count(&rec) - 1, rec.log);
        CHECK(strcmp(rec.log, "tiny:Defined;tiny:Defined;") == 0, "events: %s", rec.log);
        printf("ok: the same callback got the new daemon's event once: %s\n", rec.log);
        vmm_connect_close(other);
        vmm_connect_close(conn);
        CHECK(rec.destroyed == 1, "destroy ran %d times at close", rec.destroyed);
}

/* Dispatches `conn`'s events until `rec` has `n` (pollable connections). */
static void dispatch_until(VmmConnect *conn, Rec *rec, int n, long ms, const char *what)
{
        VmmError error = VMM_ERROR_INIT;
        long until = now_ms() + ms;
        int fd = vmm_connect_event_fd(conn, &error);

        CHECK(fd >= 0, "event fd: %s", vmm_error_message(&error));
        while (rec_count(rec) < n && now_ms() < until) {
                struct pollfd p = {.fd = fd, .events = POLLIN};

                if (poll(&p, 1, 50) == 1)
                        CHECK(vmm_connect_dispatch_events(conn, &error) >= 0, "dispatch: %s",
                              vmm_error_message(&error));
        }
        CHECK(rec_count(rec) >= n, "%s: %d event(s) of %d within %ld ms: %s", what, rec_count(rec),
              n, ms, rec->log);
}

/* A pollable connection learns of the loss only when it dispatches: here
 * it does not, so its next call finds the daemon gone, reconnects, and
 * restores the registration before the call goes on. */
static void test_call_restores(void)
{
        VmmConnect *conn = open_conn(VMM_CONNECT_EVENTS_POLLABLE), *other;
        VmmError error = VMM_ERROR_INIT;
        VmmDomain *dom = NULL;
        Rec rec = REC_INIT;
        int id = 0, id2 = 0;

        CHECK(vmm_connect_domain_event_register(conn, on_event, &rec, on_destroy, &id, &error) >= 0,
              "register: %s", vmm_error_message(&error));
        kill_daemon();
        sleep_ms(200);
        CHECK(vmm_domain_lookup_by_name(conn, "tiny", &dom, &error) >= 0,
              "lookup after the daemon's death: %s", vmm_error_message(&error));
        vmm_domain_unref(dom);
        other = open_conn(0);
        define_tiny(other);
        dispatch_until(conn, &rec, 1, 3000, "after a call reconnected");
        CHECK(strcmp(rec.log, "tiny:Defined;") == 0, "events: %s", rec.log);
        printf("ok: a call reconnected and restored the registration: %s\n", rec.log);

        /* the application's id still names the registration */
        CHECK(vmm_connect_domain_event_deregister(conn, id, &error) >= 0,
              "deregister %d after the reconnection: %s", id, vmm_error_message(&error));
        CHECK(vmm_connect_domain_event_deregister(conn, id, &error) == -ENOENT,
              "a second deregister of %d succeeded", id);
        vmm_error_clear(&error);
        CHECK(rec.destroyed == 1, "destroy ran %d times after deregister", rec.destroyed);
        define_tiny(other);
        sleep_ms(500);
        CHECK(vmm_connect_dispatch_events(conn, &error) >= 0, "dispatch: %s",
              vmm_error_message(&error));
        CHECK(rec_count(&rec) == 1, "an event after deregister: %s", rec.log);
        /* ids keep growing: a new registration is not confused with the old */
        CHECK(vmm_connect_domain_event_register(conn, on_event, &rec, NULL, &id2, &error) >= 0,
              "register again: %s", vmm_error_message(&error));
        CHECK(id2 != id, "id %d reused", id);
        printf("ok: id %d deregistered after the reconnection, destroy ran once\n", id);
        vmm_connect_close(other);
        vmm_connect_close(conn);
}

/* A connection that may not start the daemon (?socket= names it) keeps
 * trying with a backoff while the daemon is away, comes back when it
 * returns, and closes at once even while it waits. */
static void test_backoff(void)
{
        char explicit_uri[512];
        VmmConnect *conn, *other, *late;
        VmmError error = VMM_ERROR_INIT;
        Rec rec = REC_INIT, rec2 = REC_INIT;
        long t0;
        int id = 0;

        snprintf(explicit_uri, sizeof(explicit_uri),
                 "qemu:///session?socket=%s/run/vmm/vmm-qemud.sock", getenv("VMM_ROOT"));
        CHECK(vmm_connect_open(explicit_uri, 0, &conn, &error) >= 0, "open %s: %s", explicit_uri,
              vmm_error_message(&error));
        CHECK(vmm_connect_open(explicit_uri, 0, &late, &error) >= 0, "open %s: %s", explicit_uri,
              vmm_error_message(&error));
        CHECK(vmm_connect_domain_event_register(conn, on_event, &rec, on_destroy, &id, &error) >= 0,
              "register: %s", vmm_error_message(&error));
        CHECK(vmm_connect_domain_event_register(late, on_event, &rec2, on_destroy, &id, &error) >=
                  0,
              "register: %s", vmm_error_message(&error));
        kill_daemon();
        sleep_ms(1500); /* several failed attempts: nobody may start the daemon */
        CHECK(daemon_pid() == 0, "a connection on an explicit socket started the daemon");
        CHECK(!vmm_connect_is_alive(conn), "the connection claims to be up with no daemon");

        /* closing while it waits for the next attempt is prompt */
        t0 = now_ms();
        vmm_connect_close(late);
        CHECK(now_ms() - t0 < 1000, "close took %ld ms while reconnecting", now_ms() - t0);
        CHECK(rec2.destroyed == 1, "destroy ran %d times at close", rec2.destroyed);

        /* the daemon comes back (started by an ordinary connection) */
        other = open_conn(0);
        t0 = now_ms();
        wait_alive(conn, true, 8000, "reconnection after the daemon returned");
        printf("ok: reconnected %ld ms after the daemon returned (backoff)\n", now_ms() - t0);
        sleep_ms(300);
        define_tiny(other);
        wait_count(&rec, 1, 3000, "after the backoff");
        CHECK(strcmp(rec.log, "tiny:Defined;") == 0, "events: %s", rec.log);
        printf("ok: events arrive again after the backoff: %s\n", rec.log);
        vmm_connect_close(other);
        vmm_connect_close(conn);
}

static void test_pollable_close(void)
{
        VmmConnect *pc = open_conn(VMM_CONNECT_EVENTS_POLLABLE), *other = open_conn(0);
        VmmError error = VMM_ERROR_INIT;
        Rec rec = REC_INIT;
        struct pollfd p;
        int fd, id = 0, r;

        rec.close_conn = true;
        fd = vmm_connect_event_fd(pc, &error);
        CHECK(fd >= 0, "event fd: %s", vmm_error_message(&error));
        CHECK(vmm_connect_domain_event_register(pc, on_event, &rec, on_destroy, &id, &error) >= 0,
              "register: %s", vmm_error_message(&error));
        /* two events wait; the first callback closes the connection */
        define_tiny(other);
        define_tiny(other);
        sleep_ms(500);
        p = (struct pollfd){.fd = fd, .events = POLLIN};
        CHECK(poll(&p, 1, 3000) == 1, "the event fd did not become readable");
        r = vmm_connect_dispatch_events(pc, &error);
        /* pc is gone now: only `rec` is looked at */
        CHECK(r >= 1, "dispatch returned %d: %s", r, vmm_error_message(&error));
        CHECK(rec.n == 1, "%d callbacks ran after the first closed the connection: %s", rec.n,
              rec.log);
        CHECK(rec.destroyed == 1, "destroy ran %d times", rec.destroyed);
        printf("ok: a pollable callback closed its connection inside dispatch; dispatch "
               "returned %d, one callback, destroy once\n",
               r);
        vmm_connect_close(other);
}

int main(int argc, char **argv)
{
        FILE *f;
        size_t len;

        if (argc != 2) {
                fprintf(stderr, "usage: apievents-reconnect DOMAIN-XML\n");
                return 2;
        }
        f = fopen(argv[1], "re");
        CHECK(f, "%s: %s", argv[1], strerror(errno));
        len = fread(xml, 1, sizeof(xml) - 1, f);
        xml[len] = '\0';
        fclose(f);
        test_idle();
        test_call_restores();
        test_backoff();
        test_pollable_close();
        return 0;
}
