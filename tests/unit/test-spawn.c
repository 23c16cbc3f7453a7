/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-spawn: on-demand daemon start with the socket-activation protocol,
 * against tests/helpers/fake-activated (which reads its sockets through
 * libsystemd's sd_listen_fds_with_names, as the real daemons do).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "remote/spawn.h"

static char dir[64];
static char sock[128], ro_sock[128];

static int setup(void **state)
{
        snprintf(dir, sizeof(dir), "/tmp/vmm-spawn-XXXXXX");
        if (!mkdtemp(dir))
                return -1;
        snprintf(sock, sizeof(sock), "%s/run/vmm-test.sock", dir);
        snprintf(ro_sock, sizeof(ro_sock), "%s/run/vmm-test-ro.sock", dir);
        return 0;
}

static int teardown(void **state)
{
        char cmd[160];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        return system(cmd) == 0 ? 0 : -1;
}

/* Connects (spawning when needed) and reads the daemon's "<name> <pid>". */
static int hello(const char *idle_ms, const char *path, char *name, int *pid)
{
        const char *argv[] = { FAKE_DAEMON_PATH, idle_ms, NULL };
        VmmSpawnSpec spec = { .socket_path = sock, .ro_socket_path = ro_sock, .argv = argv };
        VmmError err = VMM_ERROR_INIT;
        char line[128] = "";
        ssize_t n;
        int fd, r;

        r = vmm_spawn_connect(&spec, &fd, &err);
        if (r < 0) {
                fprintf(stderr, "spawn: %s\n", vmm_error_message(&err));
                vmm_error_clear(&err);
                return r;
        }
        if (path != sock) {
                close(fd);
                r = vmm_unix_connect(path, &fd, &err);
                if (r < 0) {
                        vmm_error_clear(&err);
                        return r;
                }
        }
        n = read(fd, line, sizeof(line) - 1);
        close(fd);
        if (n <= 0) {
                fprintf(stderr, "read from %s: %zd (%s)\n", path, n, n < 0 ? strerror(errno) : "EOF");
                return -EIO;
        }
        line[n] = '\0';
        return sscanf(line, "%15s %d", name, pid) == 2 ? 0 : -EPROTO;
}

/* Whether `pid` runs; a zombie waiting for PID 1 to reap it (late, on
 * some machines) does not. */
static bool alive(int pid)
{
        char path[64], stat[256] = "";
        FILE *f;
        char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        if (!fgets(stat, sizeof(stat), f))
                stat[0] = '\0';
        fclose(f);
        p = strrchr(stat, ')');
        return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Stops a daemon (not our child) and waits until it is gone. */
static void stop_daemon(int pid)
{
        kill(pid, SIGTERM);
        for (int i = 0; i < 500 && alive(pid); i++)
                usleep(5000);
        assert_false(alive(pid));
}

static void test_spawn_then_reuse(void **state)
{
        char name[16];
        int pid1, pid2;

        assert_int_equal(hello("3000", sock, name, &pid1), 0);
        assert_string_equal(name, "rw");
        /* the second client finds it running: same daemon */
        assert_int_equal(hello("3000", sock, name, &pid2), 0);
        assert_int_equal(pid1, pid2);
        /* the read-only socket reached the same daemon under its own name */
        assert_int_equal(hello("3000", ro_sock, name, &pid2), 0);
        assert_string_equal(name, "ro");
        assert_int_equal(pid1, pid2);
        /* the daemon is not our child: it runs in a session of its own */
        assert_int_not_equal(getsid(pid1), getsid(0));
        stop_daemon(pid1);
}

static void test_respawn_after_idle_exit(void **state)
{
        char name[16];
        int pid1, pid2;

        assert_int_equal(hello("100", sock, name, &pid1), 0);
        /* wait for the idle exit (the socket file stays behind, stale) */
        for (int i = 0; i < 300 && alive(pid1); i++)
                usleep(10000);
        assert_false(alive(pid1));
        assert_int_equal(access(sock, F_OK), 0);
        assert_int_equal(hello("100", sock, name, &pid2), 0);
        assert_int_not_equal(pid1, pid2);
}

typedef struct Racer {
        pthread_t thread;
        int pid;
        int r;
} Racer;

static void *race(void *p)
{
        Racer *racer = p;
        char name[16];

        racer->r = hello("2000", sock, name, &racer->pid);
        return NULL;
}

static void test_concurrent_clients_one_daemon(void **state)
{
        Racer racers[8];

        for (int i = 0; i < 8; i++)
                assert_int_equal(pthread_create(&racers[i].thread, NULL, race, &racers[i]), 0);
        for (int i = 0; i < 8; i++)
                pthread_join(racers[i].thread, NULL);
        for (int i = 0; i < 8; i++) {
                assert_int_equal(racers[i].r, 0);
                assert_int_equal(racers[i].pid, racers[0].pid);
        }
        stop_daemon(racers[0].pid);
}

/* A daemon started from `out=$(vmmctl ...)` must not keep the caller's
 * stdout open, or the shell waits for the daemon to exit. */
static void test_daemon_does_not_hold_stdio(void **state)
{
        int p[2], saved, pid;
        char name[16], c;

        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        saved = dup(1);
        assert_true(saved >= 0);
        assert_true(dup2(p[1], 1) == 1);
        close(p[1]);
        assert_int_equal(hello("3000", sock, name, &pid), 0);
        assert_true(dup2(saved, 1) == 1);
        close(saved);
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        /* end of file at once: nobody else holds the write end */
        assert_int_equal(read(p[0], &c, 1), 0);
        close(p[0]);
        stop_daemon(pid);
}

static void test_missing_binary(void **state)
{
        const char *argv[] = { "/nonexistent/vmm-qemud", NULL };
        char other[160];
        VmmSpawnSpec spec = { .socket_path = other, .argv = argv };
        VmmError err = VMM_ERROR_INIT;
        int fd;

        snprintf(other, sizeof(other), "%s/run/other.sock", dir);
        assert_int_equal(vmm_spawn_connect(&spec, &fd, &err), -ENOENT);
        assert_non_null(strstr(vmm_error_message(&err), other));
        assert_non_null(strstr(vmm_error_message(&err), "/nonexistent/vmm-qemud"));
        /* nothing left behind */
        assert_int_not_equal(access(other, F_OK), 0);
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_spawn_then_reuse),
                cmocka_unit_test(test_respawn_after_idle_exit),
                cmocka_unit_test(test_concurrent_clients_one_daemon),
                cmocka_unit_test(test_daemon_does_not_hold_stdio),
                cmocka_unit_test(test_missing_binary),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
