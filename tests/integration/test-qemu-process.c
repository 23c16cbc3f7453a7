/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-process-qemu: the QEMU process manager on real QEMU (TCG):
 * a diskless 64 MiB guest started, suspended, resumed and destroyed (with
 * figures); the test guest (tests/guest/make-guest.sh) booted to its ready
 * marker, rebooted through ACPI and shut down gracefully; re-attach by a
 * new manager; a QEMU killed behind the manager's back; and bad input
 * (missing binary, an option QEMU refuses, a missing disk) leaving
 * nothing behind. Skips (77) without qemu-system-x86_64; the guest tests
 * skip when the guest cannot be built.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../helpers/qemu-process-harness.h"
#include "qemu-command.h"
#include "util/fileutil.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"
#define UUID1 "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d01"
#define UUID2 "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d02"

static bool guest_ok;

typedef struct Fixture {
        Harness h;
        VmmDomainDef *def;
        char *argv[40];
        char args[40][700];
        size_t argc;
        char serial[600];
        pid_t pids[4];
        size_t n_pids;
} Fixture;

static void arg(Fixture *f, const char *fmt, ...)
{
        va_list ap;

        assert_true(f->argc + 1 < ARRAY_SIZE(f->argv));
        va_start(ap, fmt);
        vsnprintf(f->args[f->argc], sizeof(f->args[0]), fmt, ap);
        va_end(ap);
        f->argv[f->argc] = f->args[f->argc];
        f->argv[++f->argc] = NULL;
}

/* The diskless TCG machine, written by hand; `mem` MiB. */
static void base_argv_for(Fixture *f, const char *binary, unsigned int mem, const char *name,
                          const char *uuid)
{
        _cleanup_free_ char *monitor = NULL;

        assert_int_equal(vmm_qemu_manager_monitor_path(f->h.mgr, name, &monitor, NULL), 0);
        f->argc = 0;
        arg(f, "%s", binary);
        arg(f, "-name");
        arg(f, "guest=%s,debug-threads=on", name);
        arg(f, "-S");
        arg(f, "-machine");
        arg(f, "pc");
        arg(f, "-accel");
        arg(f, "tcg");
        arg(f, "-m");
        arg(f, "%u", mem);
        arg(f, "-uuid");
        arg(f, "%s", uuid);
        arg(f, "-nodefaults");
        arg(f, "-no-user-config");
        arg(f, "-display");
        arg(f, "none");
        arg(f, "-chardev");
        arg(f, "socket,id=monitor,path=%s,server=on,wait=off", monitor);
        arg(f, "-mon");
        arg(f, "chardev=monitor,mode=control");
}

static void base_argv(Fixture *f, const char *binary, unsigned int mem)
{
        base_argv_for(f, binary, mem, "qp1", UUID1);
}

static int setup(void **state)
{
        Fixture *f = calloc(1, sizeof(*f));

        assert_non_null(f);
        assert_int_equal(harness_init(&f->h, 10000, 3000), 0);
        f->def = harness_def("qp1", UUID1);
        assert_non_null(f->def);
        snprintf(f->serial, sizeof(f->serial), "%s/serial.log", f->h.dir);
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

static VmmQemuProcess *start_ok(Fixture *f, double *ret_ms)
{
        VmmQemuProcess *proc = NULL;
        HarnessResult res;
        double t0 = harness_now_ms();
        int r = harness_start(&f->h, f->def, f->argv, false, &proc, &res);

        if (r < 0)
                fail_msg("start: %s", res.message);
        if (ret_ms)
                *ret_ms = harness_now_ms() - t0;
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

static void status_cb(VmmQemuProcess *proc, int code, const char *status, bool running,
                      const char *message, void *userdata)
{
        HarnessResult *res = userdata;

        res->done = true;
        res->status = code;
        snprintf(res->message, sizeof(res->message), "%s", status ? status : "-");
}

static void expect_qemu_status(Fixture *f, VmmQemuProcess *proc, const char *status)
{
        HarnessResult res = {0};

        assert_int_equal(vmm_qemu_process_query_status(proc, status_cb, &res, NULL), 0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        assert_int_equal(res.status, 0);
        assert_string_equal(res.message, status);
}

static void test_diskless(void **state)
{
        Fixture *f = *state;
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        HarnessResult res;
        double start_ms, t0, suspend_ms, resume_ms, destroy_ms;
        pid_t pid;

        base_argv(f, QEMU_BIN, 64);
        proc = vmm_qemu_process_ref(start_ok(f, &start_ms));
        pid = vmm_qemu_process_get_pid(proc);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        expect_qemu_status(f, proc, "running");
        assert_int_equal(getsid(pid), pid);

        t0 = harness_now_ms();
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);
        suspend_ms = harness_now_ms() - t0;
        assert_state(proc, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        expect_qemu_status(f, proc, "paused");
        t0 = harness_now_ms();
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_resume, proc, &res), 0);
        resume_ms = harness_now_ms() - t0;
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        expect_qemu_status(f, proc, "running");

        t0 = harness_now_ms();
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
        destroy_ms = harness_now_ms() - t0;
        assert_state(proc, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED);
        assert_false(harness_pid_alive(pid));
        assert_int_equal(kill(pid, 0), -1);
        assert_int_equal(harness_runtime_files(&f->h), 0);
        /* SIGTERM is enough for QEMU: far below the 3 s SIGKILL grace */
        assert_true(destroy_ms < 1000);
        printf("# diskless 64 MiB TCG: start %.1f ms, suspend %.2f ms, resume %.2f ms, "
               "destroy %.1f ms\n",
               start_ms, suspend_ms, resume_ms, destroy_ms);
}

/* Runs the loop until the serial log holds `marker` `count` times. */
static bool wait_serial(Fixture *f, const char *marker, int count, unsigned int ms)
{
        double end = harness_now_ms() + ms;

        while (harness_now_ms() < end) {
                _cleanup_free_ char *data = NULL;
                size_t len;
                bool never = false;
                int n = 0;

                if (vmm_file_read_all(f->serial, 1 << 24, &data, &len, NULL) >= 0)
                        for (const char *p = data; (p = strstr(p, marker)); p++)
                                n++;
                if (n >= count)
                        return true;
                harness_run_until(&f->h, &never, 50);
        }
        return false;
}

static void guest_argv(Fixture *f)
{
        base_argv(f, QEMU_BIN, 128);
        arg(f, "-kernel");
        arg(f, "%s/vmlinuz", VMM_TEST_GUEST_DIR);
        arg(f, "-initrd");
        arg(f, "%s/initrd.img", VMM_TEST_GUEST_DIR);
        arg(f, "-append");
        arg(f, "console=ttyS0 quiet panic=-1 vmmtest.fastoff=1");
        arg(f, "-serial");
        arg(f, "file:%s", f->serial);
}

static void test_guest_boot_reboot_shutdown(void **state)
{
        Fixture *f = *state;
        _cleanup_(vmm_qemu_process_unrefp) VmmQemuProcess *proc = NULL;
        HarnessResult res;
        double t0, ms;
        pid_t pid;

        if (!guest_ok)
                skip();
        guest_argv(f);
        proc = vmm_qemu_process_ref(start_ok(f, NULL));
        pid = vmm_qemu_process_get_pid(proc);
        assert_true(wait_serial(f, "VMM-TEST-GUEST-READY", 1, 30000));

        /* ACPI reboot: the guest powers off, comes back, same QEMU */
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_reboot, proc, &res), 0);
        assert_true(wait_serial(f, "VMM-TEST-GUEST-READY", 2, 30000));
        assert_int_equal(vmm_qemu_process_get_pid(proc), pid);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        assert_true(f->h.resets >= 1);

        /* graceful shutdown: SHUTDOWN event, QEMU exits by itself */
        t0 = harness_now_ms();
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_shutdown, proc, &res), 0);
        assert_true(harness_wait_state(&f->h, "qp1", VMM_DOMAIN_SHUTOFF, 10000));
        ms = harness_now_ms() - t0;
        assert_true(harness_saw(&f->h, "qp1", VMM_DOMAIN_SHUTDOWN, VMM_DOMAIN_SHUTDOWN_USER));
        assert_state(proc, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN);
        assert_false(harness_pid_alive(pid));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_true(wait_serial(f, "VMM-TEST-GUEST-POWEROFF", 1, 100));
        printf("# test guest: graceful shutdown %.0f ms\n", ms);
}

static void test_reattach(void **state)
{
        Fixture *f = *state;
        VmmQemuProcess *proc;
        HarnessResult res;
        pid_t pid;

        base_argv(f, QEMU_BIN, 64);
        pid = vmm_qemu_process_get_pid(start_ok(f, NULL));
        /* as a daemon restart: the manager goes, QEMU stays */
        harness_free_manager(&f->h);
        assert_true(harness_pid_alive(pid));
        assert_int_equal(harness_new_manager(&f->h, NULL), 0);
        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 1);
        proc = vmm_qemu_manager_find_by_name(f->h.mgr, "qp1");
        assert_non_null(proc);
        assert_int_equal(vmm_qemu_process_get_pid(proc), pid);
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);
        expect_qemu_status(f, proc, "paused");
        assert_int_equal(harness_op(&f->h, vmm_qemu_process_resume, proc, &res), 0);
        expect_qemu_status(f, proc, "running");

        /* killed behind the manager's back: crashed, with a callback */
        assert_int_equal(kill(pid, SIGKILL), 0);
        assert_true(harness_wait_state(&f->h, "qp1", VMM_DOMAIN_SHUTOFF, 5000));
        assert_true(harness_saw(&f->h, "qp1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_CRASHED));
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
}

/* vmm-qemud killed with SIGKILL while two guests run: a new manager finds
 * both, with their pids unchanged, and controls them. */
static void test_daemon_killed_two_guests(void **state)
{
        Fixture *f = *state;
        VmmDomainDef *def2 = harness_def("qp2", UUID2);
        pid_t pids[2] = {0, 0}, daemon;
        int pipefd[2], st;

        assert_non_null(def2);
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        daemon = fork();
        assert_true(daemon >= 0);
        if (daemon == 0) {
                Harness child = f->h;
                HarnessResult res;
                VmmQemuProcess *p1 = NULL, *p2 = NULL;

                uv_loop_init(&child.loop);
                if (harness_new_manager(&child, NULL) < 0)
                        _exit(1);
                f->h.mgr = child.mgr; /* base_argv asks it for the monitor path */
                base_argv_for(f, QEMU_BIN, 64, "qp1", UUID1);
                if (harness_start(&child, f->def, f->argv, false, &p1, &res) < 0)
                        _exit(1);
                base_argv_for(f, QEMU_BIN, 64, "qp2", UUID2);
                if (harness_start(&child, def2, f->argv, false, &p2, &res) < 0)
                        _exit(1);
                pids[0] = vmm_qemu_process_get_pid(p1);
                pids[1] = vmm_qemu_process_get_pid(p2);
                if (write(pipefd[1], pids, sizeof(pids)) != sizeof(pids))
                        _exit(1);
                raise(SIGKILL);
        }
        close(pipefd[1]);
        st = (int)read(pipefd[0], pids, sizeof(pids));
        close(pipefd[0]);
        f->pids[f->n_pids++] = pids[0];
        f->pids[f->n_pids++] = pids[1];
        assert_int_equal(st, sizeof(pids));
        assert_int_equal(waitpid(daemon, &st, 0), daemon);
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

        assert_int_equal(vmm_qemu_manager_attach_all(f->h.mgr, NULL), 2);
        for (int i = 0; i < 2; i++) {
                VmmQemuProcess *proc =
                    vmm_qemu_manager_find_by_name(f->h.mgr, i == 0 ? "qp1" : "qp2");
                HarnessResult res;

                assert_non_null(proc);
                assert_int_equal(vmm_qemu_process_get_pid(proc), pids[i]);
                assert_true(harness_pid_alive(pids[i]));
                assert_int_equal(harness_op(&f->h, vmm_qemu_process_suspend, proc, &res), 0);
                expect_qemu_status(f, proc, "paused");
                assert_int_equal(harness_op(&f->h, vmm_qemu_process_resume, proc, &res), 0);
                expect_qemu_status(f, proc, "running");
                assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
                assert_false(harness_pid_alive(pids[i]));
        }
        assert_int_equal(harness_runtime_files(&f->h), 0);
        vmm_domain_def_free(def2);
}

static void balloon_cb(VmmQemuProcess *proc, int code, uint64_t kib, const char *message,
                       void *userdata)
{
        HarnessResult *res = userdata;

        res->done = true;
        res->status = code;
        snprintf(res->message, sizeof(res->message), "%llu", (unsigned long long)kib);
}

/* The two halves of a start together: the command line builder's argv
 * (always -S: the manager resumes it) run by the manager. */
static void test_with_command_builder(void **state)
{
        Fixture *f = *state;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        _cleanup_free_ char *monitor = NULL;
        VmmQemuCommandContext ctx = {0};
        VmmQemuStartParams params = {0};
        VmmDomainDef *def = NULL;
        VmmQemuProcess *proc;
        VmmError err = VMM_ERROR_INIT;
        HarnessResult res = {0};
        const char *xml = "<domain type='qemu'><name>qp1</name><uuid>" UUID1 "</uuid>"
                          "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                          "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                          "<devices><memballoon model='virtio'/></devices></domain>";

        assert_int_equal(vmm_domain_def_parse(xml, (size_t)-1, 0, &def, NULL), 0);
        assert_int_equal(vmm_domain_def_fill_defaults(def, NULL), 0);
        assert_int_equal(vmm_qemu_manager_monitor_path(f->h.mgr, "qp1", &monitor, NULL), 0);
        ctx.monitor_path = monitor;
        ctx.log_dir = f->h.log_dir;
        ctx.runtime_dir = f->h.run_dir;
        ctx.start_paused = true;
        if (vmm_qemu_command_build(def, &ctx, &cmd, &err) < 0)
                fail_msg("build: %s", vmm_error_message(&err));
        params.argv = cmd->argv;
        params.pass_fds = cmd->pass_fds;
        params.n_pass_fds = cmd->n_pass_fds;
        if (vmm_qemu_process_start(f->h.mgr, def, &params, harness_done_cb, &res, NULL, &proc,
                                   &err) < 0)
                fail_msg("start: %s", vmm_error_message(&err));
        assert_true(harness_run_until(&f->h, &res.done, 30000));
        if (res.status < 0)
                fail_msg("start: %s", res.message);
        f->pids[f->n_pids++] = vmm_qemu_process_get_pid(proc);
        assert_state(proc, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        expect_qemu_status(f, proc, "running");

        memset(&res, 0, sizeof(res));
        assert_int_equal(vmm_qemu_process_balloon_query(proc, balloon_cb, &res, NULL), 0);
        assert_true(harness_run_until(&f->h, &res.done, 5000));
        assert_int_equal(res.status, 0);
        assert_string_equal(res.message, "65536");

        assert_int_equal(harness_op(&f->h, vmm_qemu_process_destroy, proc, &res), 0);
        assert_int_equal(harness_runtime_files(&f->h), 0);
        vmm_domain_def_free(def);
        vmm_error_clear(&err);
}

static void expect_failure(Fixture *f, int code, const char *text)
{
        HarnessResult res;
        int r = harness_start(&f->h, f->def, f->argv, false, NULL, &res);

        if (r != code || !strstr(res.message, text))
                fail_msg("start gave %d \"%s\", expected %d and \"%s\"", r, res.message, code,
                         text);
        printf("# expected failure: %s\n", res.message);
        assert_int_equal(harness_runtime_files(&f->h), 0);
        assert_int_equal(vmm_qemu_manager_count(f->h.mgr), 0);
        assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* no child left */
}

static void test_bad_input(void **state)
{
        Fixture *f = *state;

        base_argv(f, "/nonexistent/bin/qemu-system-x86_64", 64);
        expect_failure(f, -ENOENT, "/nonexistent/bin/qemu-system-x86_64");

        base_argv(f, QEMU_BIN, 64);
        snprintf(f->args[5], sizeof(f->args[5]), "nosuchmachine");
        expect_failure(f, -EIO, "unsupported machine type");

        base_argv(f, QEMU_BIN, 64);
        arg(f, "-drive");
        arg(f, "file=%s/missing-disk.img,format=raw,if=virtio", f->h.dir);
        expect_failure(f, -EIO, "missing-disk.img");
}

static int group_setup(void **state)
{
        char cmd[1024];

        snprintf(cmd, sizeof(cmd), "sh '%s' '%s' >'%s.build.log' 2>&1", VMM_MAKE_GUEST,
                 VMM_TEST_GUEST_DIR, VMM_TEST_GUEST_DIR);
        guest_ok = system(cmd) == 0;
        if (!guest_ok)
                printf("# the test guest could not be built (see %s.build.log): guest tests "
                       "skipped\n",
                       VMM_TEST_GUEST_DIR);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_diskless, setup, teardown),
            cmocka_unit_test_setup_teardown(test_guest_boot_reboot_shutdown, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach, setup, teardown),
            cmocka_unit_test_setup_teardown(test_daemon_killed_two_guests, setup, teardown),
            cmocka_unit_test_setup_teardown(test_with_command_builder, setup, teardown),
            cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        };

        if (access(QEMU_BIN, X_OK) < 0) {
                printf("# %s is not installed: skipped\n", QEMU_BIN);
                return 77;
        }
        return cmocka_run_group_tests(tests, group_setup, NULL);
}
