/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-driver: the qemu driver (drivers/qemu/qemu-driver*.c) on a
 * libuv loop with fake-qemu as the emulator: start with ids and STARTED
 * events, lookups and list filters, live info from the balloon, suspend,
 * resume, graceful shutdown and destroy with their reasons and events,
 * the busy state, transient domains, refused starts that leave nothing
 * behind, and a new driver re-attaching to running QEMUs.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "qemu-driver.h"
#include "util/error.h"

#define XML_FMT                                                                                    \
        "<domain type='qemu'><name>%s</name><memory unit='MiB'>%s</memory><vcpu>1</vcpu>"          \
        "<os><type>hvm</type></os><devices>%s<memballoon model='virtio'/></devices></domain>"

typedef struct Ev {
        char name[32];
        int event, detail;
} Ev;

typedef struct Fixture {
        char dir[64];
        char run_dir[128];
        uv_loop_t loop;
        uv_timer_t tick;
        VmmQemuDomains *store;
        VmmQemuDriver *drv;
        Ev evs[64];
        size_t n_evs;
        bool busy;
        /* the last asynchronous outcome */
        bool done;
        int status;
        char message[512];
        VmmDomainInfo info;
} Fixture;

static void on_event(VmmQemuDriver *drv, const char *name, const uint8_t uuid[VMM_UUID_LEN], int id,
                     int event, int detail, void *userdata)
{
        Fixture *f = userdata;

        if (f->n_evs < sizeof(f->evs) / sizeof(f->evs[0])) {
                snprintf(f->evs[f->n_evs].name, sizeof(f->evs[0].name), "%s", name);
                f->evs[f->n_evs].event = event;
                f->evs[f->n_evs++].detail = detail;
        }
}

static void on_busy(VmmQemuDriver *drv, bool busy, void *userdata)
{
        ((Fixture *)userdata)->busy = busy;
}

static const VmmQemuDriverCallbacks callbacks = {.event = on_event, .busy = on_busy};

static void driver_open(Fixture *f)
{
        VmmQemuDriverConfig cfg = {
            .loop = &f->loop,
            .store = f->store,
            .run_dir = f->run_dir,
            .log_dir = f->dir,
            .emulator = FAKE_QEMU_PATH,
        };
        VmmError err = VMM_ERROR_INIT;

        if (vmm_qemu_driver_new(&cfg, &callbacks, f, &f->drv, &err) < 0)
                fail_msg("driver: %s", err.message);
}

static void tick(uv_timer_t *t)
{
}

static int setup(void **state)
{
        Fixture *f = calloc(1, sizeof(*f));
        char conf[128];

        assert_non_null(f);
        strcpy(f->dir, "/tmp/test-qdrv-XXXXXX");
        assert_non_null(mkdtemp(f->dir));
        snprintf(f->run_dir, sizeof(f->run_dir), "%s/run", f->dir);
        snprintf(conf, sizeof(conf), "%s/conf", f->dir);
        assert_int_equal(uv_loop_init(&f->loop), 0);
        uv_timer_init(&f->loop, &f->tick);
        uv_timer_start(&f->tick, tick, 20, 20); /* the loop never sleeps for long */
        assert_int_equal(vmm_qemu_domains_new(conf, &f->store, NULL), 0);
        driver_open(f);
        *state = f;
        return 0;
}

static void run_until(Fixture *f, bool *flag)
{
        uint64_t deadline = uv_now(&f->loop) + 10000;

        while (!*flag && uv_now(&f->loop) < deadline)
                uv_run(&f->loop, UV_RUN_ONCE);
        if (!*flag)
                fail_msg("timed out waiting on the loop");
}

static void op_done(int status, const char *message, void *userdata)
{
        Fixture *f = userdata;

        f->done = true;
        f->status = status;
        snprintf(f->message, sizeof(f->message), "%s", message ? message : "");
}

static void info_done(int status, const VmmDomainInfo *info, const char *message, void *userdata)
{
        Fixture *f = userdata;

        f->info = *info;
        op_done(status, message, userdata);
}

static VmmQemuDriverDomain find(Fixture *f, const char *name)
{
        VmmQemuDriverDomain d;
        VmmError err = VMM_ERROR_INIT;

        if (vmm_qemu_driver_find_name(f->drv, name, &d, &err) < 0)
                fail_msg("find '%s': %s", name, err.message);
        return d;
}

/* Runs an operation to its end; returns its status. */
static int op(Fixture *f, const char *name, VmmQemuDriverOp which)
{
        VmmQemuDriverDomain d = find(f, name);
        VmmError err = VMM_ERROR_INIT;
        int r;

        f->done = false;
        r = vmm_qemu_driver_op(f->drv, &d, which, op_done, f, &err);
        if (r < 0) {
                snprintf(f->message, sizeof(f->message), "%s", err.message);
                vmm_error_clear(&err);
                return r;
        }
        run_until(f, &f->done);
        return f->status;
}

static void define(Fixture *f, const char *name, const char *mem, const char *devices)
{
        char xml[1024];
        VmmError err = VMM_ERROR_INIT;
        VmmQemuDomain *dom = NULL;
        bool updated = false;

        snprintf(xml, sizeof(xml), XML_FMT, name, mem, devices);
        if (vmm_qemu_domains_define(f->store, xml, 0, &dom, &updated, &err) < 0)
                fail_msg("define: %s", err.message);
}

static int start(Fixture *f, const char *name, unsigned int flags)
{
        VmmQemuDriverDomain d = find(f, name);
        VmmError err = VMM_ERROR_INIT;
        int r;

        f->done = false;
        r = vmm_qemu_driver_start(f->drv, &d, flags, op_done, f, &err);
        if (r < 0) {
                snprintf(f->message, sizeof(f->message), "%s", err.message);
                vmm_error_clear(&err);
                return r;
        }
        run_until(f, &f->done);
        return f->status;
}

static void assert_state(Fixture *f, const char *name, VmmDomainState state, int reason)
{
        VmmQemuDriverDomain d = find(f, name);
        int r = -1;
        VmmDomainState s = vmm_qemu_driver_state(f->drv, &d, &r);

        if (s != state || r != reason)
                fail_msg("'%s' is %s (%s), expected %s (%s)", name, vmm_domain_state_to_string(s),
                         vmm_domain_state_reason_to_string(s, r), vmm_domain_state_to_string(state),
                         vmm_domain_state_reason_to_string(state, reason));
}

/* Waits for event `event`/`detail` of `name` among those seen so far. */
static void expect_event(Fixture *f, const char *name, int event, int detail)
{
        uint64_t deadline = uv_now(&f->loop) + 5000;

        for (;;) {
                for (size_t i = 0; i < f->n_evs; i++)
                        if (strcmp(f->evs[i].name, name) == 0 && f->evs[i].event == event &&
                            f->evs[i].detail == detail)
                                return;
                if (uv_now(&f->loop) > deadline)
                        fail_msg("no event %d/%d for '%s' (%zu events seen)", event, detail, name,
                                 f->n_evs);
                uv_run(&f->loop, UV_RUN_ONCE);
        }
}

/* Runtime files whose name starts with `prefix` ("" for all). */
static int run_dir_entries(Fixture *f, const char *prefix)
{
        DIR *d = opendir(f->run_dir);
        struct dirent *de;
        int n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                n += de->d_name[0] != '.' && strncmp(de->d_name, prefix, strlen(prefix)) == 0;
        closedir(d);
        return n;
}

static void stop_all(Fixture *f)
{
        VmmQemuDriverDomain *doms = NULL;
        size_t n = 0;

        assert_true(vmm_qemu_driver_list(f->drv, VMM_DOMAIN_LIST_ACTIVE, &doms, &n, NULL) >= 0);
        for (size_t i = 0; i < n; i++) {
                f->done = false;
                if (vmm_qemu_driver_op(f->drv, &doms[i], VMM_QEMU_DRIVER_DESTROY, op_done, f,
                                       NULL) >= 0)
                        run_until(f, &f->done);
        }
        free(doms);
}

static int teardown(void **state)
{
        Fixture *f = *state;
        char cmd[128];

        stop_all(f);
        f->drv = vmm_qemu_driver_free(f->drv);
        uv_close((uv_handle_t *)&f->tick, NULL);
        uv_run(&f->loop, UV_RUN_DEFAULT);
        assert_int_equal(uv_loop_close(&f->loop), 0);
        vmm_qemu_domains_free(f->store);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        assert_int_equal(system(cmd), 0);
        free(f);
        return 0;
}

static void test_lifecycle(void **state)
{
        Fixture *f = *state;
        VmmQemuDriverDomain d, *doms = NULL;
        size_t n = 0;

        define(f, "d1", "128", "");
        assert_false(f->busy);
        assert_int_equal(start(f, "d1", 0), 0);
        assert_state(f, "d1", VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
        expect_event(f, "d1", VMM_DOMAIN_EVENT_STARTED, VMM_QEMU_EVENT_STARTED_BOOTED);
        assert_true(f->busy);
        d = find(f, "d1");
        assert_int_equal(d.id, 1);
        assert_non_null(d.persistent);
        assert_int_equal(vmm_qemu_driver_find_id(f->drv, 1, &d, NULL), 0);
        assert_string_equal(d.name, "d1");
        assert_int_equal(vmm_qemu_driver_find_id(f->drv, 2, &d, NULL), -ENOENT);

        /* list filters */
        assert_int_equal(vmm_qemu_driver_list(f->drv, VMM_DOMAIN_LIST_ACTIVE, &doms, &n, NULL), 1);
        free(doms);
        assert_int_equal(vmm_qemu_driver_list(f->drv, VMM_DOMAIN_LIST_INACTIVE, &doms, &n, NULL),
                         0);
        free(doms);
        assert_int_equal(vmm_qemu_driver_list(f->drv,
                                              VMM_DOMAIN_LIST_PERSISTENT | VMM_DOMAIN_LIST_RUNNING,
                                              &doms, &n, NULL),
                         1);
        free(doms);

        /* live info: the balloon (fake-qemu's 64 MiB), not the 128 MiB defined */
        d = find(f, "d1");
        f->done = false;
        assert_int_equal(vmm_qemu_driver_get_info(f->drv, &d, info_done, f, NULL), 0);
        run_until(f, &f->done);
        assert_int_equal(f->info.state, VMM_DOMAIN_RUNNING);
        assert_int_equal(f->info.max_memory_kib, 128 * 1024);
        assert_int_equal(f->info.memory_kib, 64 * 1024);

        assert_int_equal(op(f, "d1", VMM_QEMU_DRIVER_SUSPEND), 0);
        assert_state(f, "d1", VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        expect_event(f, "d1", VMM_DOMAIN_EVENT_SUSPENDED, VMM_QEMU_EVENT_SUSPENDED_PAUSED);
        assert_int_equal(op(f, "d1", VMM_QEMU_DRIVER_RESUME), 0);
        assert_state(f, "d1", VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        expect_event(f, "d1", VMM_DOMAIN_EVENT_RESUMED, VMM_QEMU_EVENT_RESUMED_UNPAUSED);

        /* the fake guest powers off on the button */
        assert_int_equal(op(f, "d1", VMM_QEMU_DRIVER_SHUTDOWN), 0);
        expect_event(f, "d1", VMM_DOMAIN_EVENT_STOPPED, VMM_QEMU_EVENT_STOPPED_SHUTDOWN);
        assert_state(f, "d1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN);
        assert_false(f->busy);
        assert_int_equal(find(f, "d1").id, -1);

        /* ids increase; destroy */
        assert_int_equal(start(f, "d1", VMM_DOMAIN_START_PAUSED), 0);
        assert_state(f, "d1", VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_int_equal(find(f, "d1").id, 2);
        assert_int_equal(op(f, "d1", VMM_QEMU_DRIVER_DESTROY), 0);
        assert_state(f, "d1", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED);
        expect_event(f, "d1", VMM_DOMAIN_EVENT_STOPPED, VMM_QEMU_EVENT_STOPPED_DESTROYED);
        assert_int_equal(run_dir_entries(f, ""), 0);

        /* operations need a running domain */
        assert_int_equal(op(f, "d1", VMM_QEMU_DRIVER_SUSPEND), -EBUSY);
        assert_non_null(strstr(f->message, "'d1'"));
}

static void test_transient(void **state)
{
        Fixture *f = *state;
        char xml[1024], *name = NULL, uuid_str[VMM_UUID_STRLEN];
        uint8_t uuid[VMM_UUID_LEN];
        VmmQemuDriverDomain d, *doms = NULL;
        size_t n = 0;

        snprintf(xml, sizeof(xml), XML_FMT, "t1", "64", "");
        f->done = false;
        assert_int_equal(vmm_qemu_driver_create(f->drv, xml, 0, &name, uuid, op_done, f, NULL), 0);
        assert_string_equal(name, "t1");
        free(name);
        run_until(f, &f->done);
        assert_int_equal(f->status, 0);
        d = find(f, "t1");
        assert_null(d.persistent);
        assert_non_null(d.proc);
        assert_int_equal(vmm_qemu_driver_list(f->drv, VMM_DOMAIN_LIST_TRANSIENT, &doms, &n, NULL),
                         1);
        free(doms);
        assert_int_equal(vmm_qemu_driver_find_uuid(f->drv, uuid, &d, NULL), 0);
        /* a definition may not shadow it under another UUID; its own is fine */
        assert_int_equal(vmm_qemu_driver_check_define(f->drv, xml, NULL), -EEXIST);
        vmm_uuid_format(uuid, uuid_str);
        snprintf(xml, sizeof(xml),
                 "<domain type='qemu'><name>t1</name><uuid>%s</uuid><memory>65536</memory>"
                 "<os><type>hvm</type></os></domain>",
                 uuid_str);
        assert_int_equal(vmm_qemu_driver_check_define(f->drv, xml, NULL), 0);
        assert_int_equal(op(f, "t1", VMM_QEMU_DRIVER_DESTROY), 0);
        /* gone with its QEMU */
        assert_int_equal(vmm_qemu_driver_find_name(f->drv, "t1", &d, NULL), -ENOENT);
        assert_int_equal(vmm_qemu_driver_find_uuid(f->drv, uuid, &d, NULL), -ENOENT);
        assert_false(f->busy);
}

static void test_refused_starts(void **state)
{
        Fixture *f = *state;
        char disk[512], xml[1024], *name = NULL;
        uint8_t uuid[VMM_UUID_LEN];

        define(f, "huge", "67108864", ""); /* 64 TiB */
        assert_int_equal(start(f, "huge", 0), -ENOMEM);
        assert_non_null(strstr(f->message, "more than the host"));

        snprintf(disk, sizeof(disk),
                 "<disk type='file' device='disk'><source file='%s/nope.img'/>"
                 "<target dev='vda' bus='virtio'/></disk>",
                 f->dir);
        define(f, "nodisk", "64", disk);
        assert_int_equal(start(f, "nodisk", 0), -ENOENT);
        assert_non_null(strstr(f->message, "disk 'vda'"));
        assert_non_null(strstr(f->message, "nope.img"));

        define(f, "d1", "64", "");
        assert_int_equal(start(f, "d1", 0), 0);
        assert_int_equal(start(f, "d1", 0), -EBUSY);
        assert_non_null(strstr(f->message, "already running"));
        /* a transient one may not take a defined name */
        snprintf(xml, sizeof(xml), XML_FMT, "nodisk", "64", "");
        assert_int_equal(vmm_qemu_driver_create(f->drv, xml, 0, &name, uuid, op_done, f, NULL),
                         -EEXIST);

        /* nothing of the refused ones: no events, no runtime files */
        for (size_t i = 0; i < f->n_evs; i++)
                assert_string_equal(f->evs[i].name, "d1");
        assert_int_equal(run_dir_entries(f, "huge"), 0);
        assert_int_equal(run_dir_entries(f, "nodisk"), 0);
        assert_int_equal(run_dir_entries(f, "d1.monitor"), 1);
        assert_state(f, "huge", VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_UNKNOWN);
}

static void test_reattach(void **state)
{
        Fixture *f = *state;
        pid_t p1, p2;

        define(f, "a", "64", "");
        define(f, "b", "64", "");
        assert_int_equal(start(f, "a", 0), 0);
        assert_int_equal(start(f, "b", 0), 0);
        p1 = vmm_qemu_process_get_pid(find(f, "a").proc);
        p2 = vmm_qemu_process_get_pid(find(f, "b").proc);

        /* the daemon goes; QEMU stays; a new driver finds both */
        f->drv = vmm_qemu_driver_free(f->drv);
        uv_run(&f->loop, UV_RUN_NOWAIT);
        assert_int_equal(kill(p1, 0), 0);
        f->busy = false;
        driver_open(f);
        assert_int_equal(vmm_qemu_driver_attach(f->drv, NULL), 2);
        assert_true(f->busy);
        assert_int_equal(vmm_qemu_process_get_pid(find(f, "a").proc), p1);
        assert_int_equal(vmm_qemu_process_get_pid(find(f, "b").proc), p2);
        assert_int_equal(find(f, "a").id, 1);
        assert_int_equal(find(f, "b").id, 2);
        assert_int_equal(op(f, "a", VMM_QEMU_DRIVER_SUSPEND), 0);
        assert_state(f, "a", VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
        assert_int_equal(op(f, "a", VMM_QEMU_DRIVER_DESTROY), 0);
        /* ids go on after the highest re-attached */
        assert_int_equal(start(f, "a", 0), 0);
        assert_int_equal(find(f, "a").id, 3);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
            cmocka_unit_test_setup_teardown(test_transient, setup, teardown),
            cmocka_unit_test_setup_teardown(test_refused_starts, setup, teardown),
            cmocka_unit_test_setup_teardown(test_reattach, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
