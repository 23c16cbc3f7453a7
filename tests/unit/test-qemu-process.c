/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-process: the QEMU process manager against fake-qemu (a small
 * QMP server standing in for QEMU, tests/helpers/fake-qemu.c): start
 * (running and paused), the state changes and their reasons, suspend and
 * resume, shutdown, reboot, destroy (with SIGTERM ignored: SIGKILL after
 * the grace period), a QEMU killed behind the manager's back, failed
 * starts that leave nothing behind, and the runtime state files with
 * re-attach after the manager was recreated.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../helpers/qemu-process-harness.h"
#include "qemu-process-priv.h"
#include "util/fileutil.h"

#define UUID1 "6f6a2b31-0c1e-4c55-9d3e-1a2b3c4d5e01"
#define UUID2 "6f6a2b31-0c1e-4c55-9d3e-1a2b3c4d5e02"

typedef struct Fixture {
        Harness h;
        VmmDomainDef *def;
        char monitor[512];
        char *argv[24];
        char args[24][600];
        size_t argc;
        pid_t pids[4];
        size_t n_pids;
} Fixture;

static void argv_add(Fixture *f, const char *s)
{
        assert_true(f->argc + 1 < ARRAY_SIZE(f->argv));
        snprintf(f->args[f->argc], sizeof(f->args[0]), "%s", s);
        f->argv[f->argc] = f->args[f->argc];
        f->argc++;
        f->argv[f->argc] = NULL;
}

/* argv of fake-qemu for `name`, with extra switches (NULL-terminated). */
static void make_argv(Fixture *f, const char *name, const char *uuid, ...)
{
        _cleanup_free_ char *monitor = NULL;
        char qmp[600];
        const char *extra;
        va_list ap;

        assert_int_equal(vmm_qemu_manager_monitor_path(f->h.mgr, name, &monitor, NULL), 0);
        snprintf(f->monitor, sizeof(f->monitor), "%s", monitor);
        f->argc = 0;
        argv_add(f, FAKE_QEMU_PATH);
        argv_add(f, "-S");
        argv_add(f, "-uuid");
        argv_add(f, uuid);
        argv_add(f, "-qmp");
        snprintf(qmp, sizeof(qmp), "unix:%s,server=on,wait=off", monitor);
        argv_add(f, qmp);
        va_start(ap, uuid);
        while ((extra = va_arg(ap, const char *)))
                argv_add(f, extra);
        va_end(ap);
}

static int setup(void **state)
{
        Fixture *f = calloc(1, sizeof(*f));

        assert_non_null(f);
        assert_int_equal(harness_init(&f->h, 2000, 200), 0);
        f->def = harness_def("fake1", UUID1);
        assert_non_null(f->def);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        Fixture *f = *state;

        for (size_t i = 0; i < f->n_pids; i++)
                harness_kill(f->pids[i]);
        vmm_domain_def_free(f->def);
        assert_int_equal(harness_done(&f->h), 0);
        free(f);
        return 0;
}

static VmmQemuProcess *start_ok(Fixture *f, bool paused)
{
        VmmQemuProcess *proc = NULL;
        HarnessResult res;
        int r = harness_start(&f->h, f->def, f->argv, paused, &proc, &res);

        if (r < 0)
                fail_msg("start: %s", res.message);
        assert_non_null(proc);
        f->pids[f->n_pids++] = vmm_qemu_process_get_pid(proc);
        return proc;
}

static void assert_state(VmmQemuProcess *proc, VmmDomainState state, int reason)
{
        int r;
        VmmDomainState s = vmm_qemu_process_get_state(proc, &r);

        if (s != state || r != reason)
                fail_msg("state %s/%s, expected %s/%s", vmm_domain_state_to_string(s),
                         vmm_domain_state_reason_to_string(s, r), vmm_domain_state_to_string(state),
                         vmm_domain_state_reason_to_string(state, reason));
}

static void test_start_destroy(void **state)
{
        Fixture *f = *state;
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        HarnessResult res;
        char path[600];
        _cleanup_free_ char *data = NULL;
        size_t len;
        pid_t pid;

        make_argv(f, "fake1", UUID1, NULL);
        proc = vmm_qemu_process_ref(start_ok(f, false));
        pid = vmm_qemu_process_get_pid(proc);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED));
        assert_true(harness_pid_alive(pid));
        assert_int_equal(vmm_domain_def_get_id(vmm_qemu_process_get_def(proc)), 42);
        assert_ptr_equal(vmm_qemu_manager_find_by_name(f->h.mgr, "fake1"), proc);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 1);
        /* QEMU runs in a session of its own */
        assert_int_equal(getsid(pid), pid);

        /* the state file says what a re-attach needs; it follows the
         * state in the thread pool */
        snprintf(path, sizeof(path), "%s/fake1.state", f->h.run_dir);
        for (int i = 0; i < 200; i++) {
                bool never = false;

                data = (free(data), NULL);
                assert_int_equal(vmm_file_read_all(path, 1 << 20, &data, &len, NULL), 0);
                if (strstr(data, "\"state_name\":\"running\""))
                        break;
                harness_run_until(&f->h, &never, 5);
        }
        assert_non_null(strstr(data, "\"state_name\":\"running\""));
        assert_non_null(strstr(data, "\"reason_name\":\"booted\""));
        assert_non_null(strstr(data, UUID1));
        {
                char pidtext[32];

                snprintf(pidtext, sizeof(pidtext), "\"pid\":%d", (int)pid);
                assert_non_null(strstr(data, pidtext));
        }

        assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
        assert_state(proc, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED));
        assert_false(harness_pid_alive(pid));
        assert_int_equal(kill(pid, 0), -1); /* reaped, not a zombie */
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
        /* operations on a stopped domain fail with a message */
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), -ENOENT);
        assert_non_null(strstr(res.message, "'fake1'"));
}

static void test_paused_suspend_resume(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, true);
        assert_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_resume, proc, &res), 0);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);
        assert_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED));
        /* the start paused is reported as paused/user, never as booted */
        assert_false(harness_saw(&f->h, "fake1", VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED));
}

static void status_cb(VmmQemuProcess *proc, int code, const char *status, bool running,
                      const char *message, void *userdata)
{
        HarnessResult *res = userdata;

        res->done = true;
        res->status = code;
        snprintf(res->message, sizeof(res->message), "%s/%d", status ? status : "-", running);
}

static void balloon_cb(VmmQemuProcess *proc, int code, uint64_t kib, const char *message,
                       void *userdata)
{
        HarnessResult *res = userdata;

        res->done = true;
        res->status = code;
        snprintf(res->message, sizeof(res->message), "%llu", (unsigned long long)kib);
}

static void test_query_status_balloon(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res = {0};

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, false);
        assert_int_equal(vmm_qemu_process_query_status(proc, status_cb, &res, NULL), 0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        assert_string_equal(res.message, "running/1");

        memset(&res, 0, sizeof(res));
        assert_int_equal(vmm_qemu_process_balloon_set(proc, 32768, harness_done_cb, &res, NULL), 0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        assert_int_equal(res.status, 0);
        memset(&res, 0, sizeof(res));
        assert_int_equal(vmm_qemu_process_balloon_query(proc, balloon_cb, &res, NULL), 0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        assert_string_equal(res.message, "32768");
        assert_int_equal(vmm_qemu_process_balloon_set(proc, 0, NULL, NULL, NULL), -EINVAL);
}

static void test_guest_shutdown(void **state)
{
        Fixture *f = *state;
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        HarnessResult res;

        make_argv(f, "fake1", UUID1, NULL);
        proc = vmm_qemu_process_ref(start_ok(f, false));
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_shutdown, proc, &res), 0);
        assert_true(harness_wait_state(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, 5000));
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTDOWN, VMM_DOMAIN_SHUTDOWN_USER));
        assert_state(proc, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN);
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_false(harness_pid_alive(f->pids[0]));
}

static void test_guest_ignores_acpi(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        bool never = false;

        make_argv(f, "fake1", UUID1, "-fake-ignore-acpi", NULL);
        proc = start_ok(f, false);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_shutdown, proc, &res), 0);
        harness_run_until(&f->h, &never, 100);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_true(harness_pid_alive(f->pids[0]));
}

static void test_reboot(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        bool never = false;
        size_t before;

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, false);
        before = f->h.n_events;
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_reboot, proc, &res), 0);
        harness_run_until(&f->h, &never, 200);
        /* powered off, reset, continued: same process, still running */
        assert_true(harness_pid_alive(f->pids[0]));
        assert_ptr_equal(vmm_qemu_manager_find_by_name(f->h.mgr, "fake1"), proc);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_int_equal(f->h.resets, 1);
        assert_int_equal(f->h.n_events, before); /* no paused/shutdown blip */
        /* the poweroff action was restored: a later power-off stops it */
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_shutdown, proc, &res), 0);
        assert_true(harness_wait_state(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, 5000));
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN));
}

static void test_crash(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, false);
        assert_int_equal(kill(vmm_qemu_process_get_pid(proc), SIGKILL), 0);
        assert_true(harness_wait_state(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, 5000));
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
}

static void test_destroy_sigkill(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        double t0, ms;

        make_argv(f, "fake1", UUID1, "-fake-ignore-term", NULL);
        proc = start_ok(f, false);
        t0 = harness_now_ms();
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
        ms = harness_now_ms() - t0;
        /* grace 200 ms, then SIGKILL */
        assert_true(ms >= 190 && ms < 2000);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED));
        assert_false(harness_pid_alive(f->pids[0]));
}

/* Destroyed before its start completed: the start fails saying so, the
 * destroy completes, nothing is left. */
static void test_destroy_during_start(void **state)
{
        Fixture *f = *state;
        VmmQemuStartParams params = {0};
        HarnessResult start = {0}, destroy = {0};
        VmmQemuProcess *proc = NULL;
        pid_t pid;

        make_argv(f, "fake1", UUID1, "-fake-hang", NULL);
        params.argv = f->argv;
        assert_int_equal(vmm_qemu_process_start(f->h.mgr, f->def, &params, harness_done_cb, &start,
                                                NULL, &proc, NULL),
                         0);
        pid = vmm_qemu_process_get_pid(proc);
        f->pids[f->n_pids++] = pid;
        assert_int_equal(vmm_qemu_process_destroy(proc, harness_done_cb, &destroy, NULL), 0);
        assert_true(harness_run_until(&f->h, &destroy.done, 5000));
        assert_int_equal(destroy.status, 0);
        assert_true(start.done);
        assert_int_equal(start.status, -EIO);
        assert_non_null(strstr(start.message, "destroyed during start-up"));
        assert_false(harness_pid_alive(pid));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
        /* a start that failed is not a state change of a running domain */
        assert_int_equal(f->h.n_events, 0);
}

static void test_duplicate(void **state)
{
        Fixture *f = *state;
        VmmDomainDef *other = harness_def("fake2", UUID1);
        HarnessResult res;

        make_argv(f, "fake1", UUID1, NULL);
        start_ok(f, false);
        assert_int_equal(harness_start(&f->h, f->def, f->argv, false, NULL, &res), -EEXIST);
        assert_non_null(strstr(res.message, "already running"));
        /* same UUID, other name */
        make_argv(f, "fake2", UUID1, NULL);
        assert_int_equal(harness_start(&f->h, other, f->argv, false, NULL, &res), -EEXIST);
        vmm_domain_def_free(other);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 1);
}

/* Each failed start: an error naming the cause, no process, no file. */
static void expect_start_failure(Fixture *f, int code, const char *text1, const char *text2)
{
        HarnessResult res;
        int r = harness_start(&f->h, f->def, f->argv, false, NULL, &res);

        if (r != code)
                fail_msg("start gave %d (%s), expected %d", r, res.message, code);
        if (!strstr(res.message, text1) || (text2 && !strstr(res.message, text2)))
                fail_msg("message \"%s\" lacks \"%s\"/\"%s\"", res.message, text1,
                         text2 ? text2 : "");
        assert_non_null(strstr(res.message, "'fake1'"));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
        /* reaped: no child left, not even a zombie */
        assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

static void test_bad_starts(void **state)
{
        Fixture *f = *state;

        /* a short start-up bound for the QEMUs that never get ready */
        harness_free_manager(&f->h);
        f->h.config.start_timeout_ms = 300;
        assert_int_equal(harness_new_manager(&f->h, NULL), 0);

        make_argv(f, "fake1", UUID1, NULL);
        snprintf(f->args[0], sizeof(f->args[0]), "/nonexistent/qemu-system-x86_64");
        expect_start_failure(f, -ENOENT, "/nonexistent/qemu-system-x86_64", "No such file");

        make_argv(f, "fake1", UUID1, "-fake-exit", "1", NULL);
        expect_start_failure(f, -EIO, "status 1", "Could not open '/nonexistent'");

        make_argv(f, "fake1", UUID1, "-fake-no-monitor", NULL);
        expect_start_failure(f, -ETIMEDOUT, "did not open its monitor", NULL);

        make_argv(f, "fake1", UUID1, "-fake-hang", NULL);
        expect_start_failure(f, -ETIMEDOUT, "did not become ready", NULL);

        /* argv checks: -S, the UUID, the monitor */
        make_argv(f, "fake1", UUID2, NULL);
        expect_start_failure(f, -EINVAL, UUID1, "-uuid");
        make_argv(f, "fake1", UUID1, NULL);
        snprintf(f->args[1], sizeof(f->args[1]), "-no-shutdown");
        expect_start_failure(f, -EINVAL, "-S", NULL);
        make_argv(f, "fake1", UUID1, NULL);
        snprintf(f->args[5], sizeof(f->args[5]), "unix:/tmp/elsewhere.sock,server=on");
        expect_start_failure(f, -EINVAL, "monitor socket", NULL);
}

static void test_log_file(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *log = NULL, *data = NULL;
        HarnessResult res;
        size_t len;

        make_argv(f, "fake1", UUID1, "-fake-exit", "3", NULL);
        expect_start_failure(f, -EIO, "status 3", NULL);
        assert_int_equal(vmm_qemu_manager_log_path(f->h.mgr, "fake1", &log, NULL), 0);
        assert_int_equal(vmm_file_read_all(log, 1 << 20, &data, &len, NULL), 0);
        /* the command line, then QEMU's own stderr */
        assert_non_null(strstr(data, "starting up: " FAKE_QEMU_PATH " -S"));
        assert_non_null(strstr(data, "Could not open"));
        /* a second start appends, and its error shows only its own lines */
        make_argv(f, "fake1", UUID1, NULL);
        assert_int_equal(harness_start(&f->h, f->def, f->argv, false, NULL, &res), 0);
        f->pids[f->n_pids++] =
            vmm_qemu_process_get_pid(vmm_qemu_manager_find_by_name(f->h.mgr, "fake1"));
}

static void test_reattach(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        pid_t pid;

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, false);
        pid = vmm_qemu_process_get_pid(proc);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);

        /* the daemon goes away: QEMU stays, its files stay */
        harness_free_manager(&f->h);
        assert_true(harness_pid_alive(pid));
        assert_int_equal(harness_runtime_files(&f->h), 2);

        assert_int_equal(harness_new_manager(&f->h, NULL), 0);
        f->h.n_events = 0;
        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 1);
        proc = vmm_qemu_manager_find_by_name(f->h.mgr, "fake1");
        assert_non_null(proc);
        assert_int_equal(vmm_qemu_process_get_pid(proc), pid);
        /* state and reason come back from the state file, confirmed by QEMU */
        assert_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_string_equal(vmm_domain_def_get_name(vmm_qemu_process_get_def(proc)), "fake1");
        /* the live XML came back with the live id */
        assert_int_equal(vmm_domain_def_get_id(vmm_qemu_process_get_def(proc)), 42);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_resume, proc, &res), 0);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        assert_true(vmm_qemu_process_monitor_ready(proc));
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
        assert_false(harness_pid_alive(pid));
        assert_int_equal(harness_runtime_files(&f->h), 0);
}

/* Tap fds reach QEMU under their numbers; other fds never do, even one
 * opened without O_CLOEXEC. */
static void test_pass_fds(void **state)
{
        Fixture *f = *state;
        VmmQemuStartParams params = {0};
        HarnessResult res = {0};
        int tap[2], other[2];
        char want[16], no[16];

        assert_int_equal(pipe2(tap, O_CLOEXEC), 0);
        /* even an fd left inheritable by mistake does not reach QEMU */
        assert_int_equal(pipe2(other, 0), 0);
        snprintf(want, sizeof(want), "%d", tap[0]);
        snprintf(no, sizeof(no), "%d", other[0]);

        make_argv(f, "fake1", UUID1, "-fake-want-fd", want, "-fake-no-fd", no, NULL);
        expect_start_failure(f, -EIO, "was not passed", NULL);

        params.argv = f->argv;
        params.pass_fds = &tap[0];
        params.n_pass_fds = 1;
        assert_int_equal(vmm_qemu_process_start(f->h.mgr, f->def, &params, harness_done_cb, &res,
                                                NULL, NULL, NULL),
                         0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        if (res.status < 0)
                fail_msg("start with a passed fd: %s", res.message);
        f->pids[f->n_pids++] =
            vmm_qemu_process_get_pid(vmm_qemu_manager_find_by_name(f->h.mgr, "fake1"));
        /* still the caller's, still close-on-exec in the daemon */
        assert_int_equal(fcntl(tap[0], F_GETFD), FD_CLOEXEC);
        close(tap[0]);
        close(tap[1]);
        close(other[0]);
        close(other[1]);
}

/* A daemon killed with SIGKILL while its QEMU runs (the QEMU then is no
 * longer anybody's child here): a new manager takes it over and sees its
 * end at once through the pidfd, although nobody reaps it soon. */
static void test_reattach_after_daemon_kill(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        int pipefd[2], st;
        pid_t daemon, pid = 0;
        double t0;

        make_argv(f, "fake1", UUID1, NULL);
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        daemon = fork();
        assert_true(daemon >= 0);
        if (daemon == 0) {
                /* the "daemon": its own loop and manager */
                Harness child = f->h;
                VmmQemuProcess *p = NULL;

                uv_loop_init(&child.loop);
                if (harness_new_manager(&child, NULL) < 0 ||
                    harness_start(&child, f->def, f->argv, false, &p, &res) < 0)
                        _exit(1);
                pid = vmm_qemu_process_get_pid(p);
                if (write(pipefd[1], &pid, sizeof(pid)) != sizeof(pid))
                        _exit(1);
                raise(SIGKILL);
        }
        close(pipefd[1]);
        assert_int_equal(read(pipefd[0], &pid, sizeof(pid)), sizeof(pid));
        close(pipefd[0]);
        assert_int_equal(waitpid(daemon, &st, 0), daemon);
        assert_true(WIFSIGNALED(st));
        f->pids[f->n_pids++] = pid;
        assert_true(harness_pid_alive(pid));
        assert_int_equal(getsid(pid), pid);

        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 1);
        proc = vmm_qemu_manager_find_by_name(f->h.mgr, "fake1");
        assert_non_null(proc);
        assert_int_equal(vmm_qemu_process_get_pid(proc), pid);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);
        assert_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);

        t0 = harness_now_ms();
        assert_int_equal(kill(pid, SIGKILL), 0);
        assert_true(harness_wait_state(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, 5000));
        /* PID 1 may reap it only seconds later: the pidfd did not wait */
        assert_true(harness_now_ms() - t0 < 500);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED));
        assert_int_equal(harness_runtime_files(&f->h), 0);
}

static void test_reattach_dead(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        pid_t pid;

        make_argv(f, "fake1", UUID1, NULL);
        proc = start_ok(f, false);
        pid = vmm_qemu_process_get_pid(proc);
        harness_free_manager(&f->h);
        /* dies while no manager watches */
        harness_kill(pid);
        assert_int_equal(harness_new_manager(&f->h, NULL), 0);
        f->h.n_events = 0;
        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 0);
        assert_int_equal(f->h.n_events, 1);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
}

/* A pid that now belongs to another process (start time differs) is not
 * taken over, and not killed. */
static void test_reattach_pid_reused(void **state)
{
        Fixture *f = *state;
        _cleanup_free_ char *data = NULL;
        char path[600], *p;
        size_t len;
        pid_t pid;

        make_argv(f, "fake1", UUID1, NULL);
        pid = vmm_qemu_process_get_pid(start_ok(f, false));
        harness_free_manager(&f->h);
        snprintf(path, sizeof(path), "%s/fake1.state", f->h.run_dir);
        assert_int_equal(vmm_file_read_all(path, 1 << 20, &data, &len, NULL), 0);
        p = strstr(data, "\"start_time\":");
        assert_non_null(p);
        p += strlen("\"start_time\":");
        *p = *p == '9' ? '8' : '9'; /* another start time */
        assert_int_equal(vmm_file_write_atomic(path, data, len, 0600, NULL), 0);

        assert_int_equal(harness_new_manager(&f->h, NULL), 0);
        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 0);
        assert_true(harness_saw(&f->h, "fake1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED));
        assert_true(harness_pid_alive(pid));
        assert_int_equal(harness_runtime_files(&f->h), 0);
}

static void test_reattach_bad_file(void **state)
{
        Fixture *f = *state;
        char path[600];

        snprintf(path, sizeof(path), "%s/broken.state", f->h.run_dir);
        assert_int_equal(vmm_file_write_atomic(path, "{\"name\": 3", 10, 0600, NULL), 0);
        snprintf(path, sizeof(path), "%s/nopid.state", f->h.run_dir);
        assert_int_equal(vmm_file_write_atomic(path, "{\"name\": \"nopid\"}", 17, 0600, NULL), 0);
        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 0);
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(f->h.n_events, 0);
}

static void test_proc_helpers(void **state)
{
        unsigned long long t1 = 0, t2 = 0;

        assert_int_equal(vmm_qemu_proc_start_time(getpid(), &t1), 0);
        assert_true(t1 > 0);
        assert_int_equal(vmm_qemu_proc_start_time(getpid(), &t2), 0);
        assert_true(t1 == t2);
        assert_int_equal(vmm_qemu_proc_start_time(getppid(), &t2), 0);
        assert_true(t2 <= t1); /* the parent started first */
        assert_int_equal(vmm_qemu_proc_start_time(0x7ffffff0, &t2), -ESRCH);
        assert_true(vmm_qemu_proc_cmdline_has(getpid(), "test-qemu-process"));
        assert_false(vmm_qemu_proc_cmdline_has(getpid(), UUID1));
}

static void test_monitor_path_checks(void **state)
{
        Fixture *f = *state;
        VmmError err = VMM_ERROR_INIT;
        char *path = NULL;
        char longname[200];

        assert_int_equal(vmm_qemu_manager_monitor_path(f->h.mgr, "../x", &path, &err), -EINVAL);
        vmm_error_clear(&err);
        memset(longname, 'a', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        assert_int_equal(vmm_qemu_manager_monitor_path(f->h.mgr, longname, &path, &err),
                         -ENAMETOOLONG);
        assert_non_null(strstr(vmm_error_message(&err), "at most 107"));
        vmm_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_start_destroy, setup, teardown),
            cmocka_unit_test_setup_teardown(test_paused_suspend_resume, setup, teardown),
            cmocka_unit_test_setup_teardown(test_query_status_balloon, setup, teardown),
            cmocka_unit_test_setup_teardown(test_guest_shutdown, setup, teardown),
            cmocka_unit_test_setup_teardown(test_guest_ignores_acpi, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reboot, setup, teardown),
            cmocka_unit_test_setup_teardown(test_crash, setup, teardown),
            cmocka_unit_test_setup_teardown(test_destroy_sigkill, setup, teardown),
            cmocka_unit_test_setup_teardown(test_destroy_during_start, setup, teardown),
            cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_bad_starts, setup, teardown),
            cmocka_unit_test_setup_teardown(test_log_file, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach, setup, teardown),
            cmocka_unit_test_setup_teardown(test_pass_fds, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach_after_daemon_kill, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach_dead, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach_pid_reused, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach_bad_file, setup, teardown),
            cmocka_unit_test(test_proc_helpers),
            cmocka_unit_test_setup_teardown(test_monitor_path_checks, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
