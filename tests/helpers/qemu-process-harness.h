/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-harness.h: what the QEMU process manager's tests and
 * benchmark share: a loop, a manager in a private temporary directory,
 * the state changes it reported, and synchronous wrappers that run the
 * loop until an asynchronous operation completes (with a time bound).
 * Header-only (static functions): each test program includes it once.
 */
#pragma once

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/domain.h"
#include "qemu-process.h"
#include "util/macros.h"

#define HARNESS_MAX_EVENTS 64

typedef struct HarnessEvent {
        char name[64];
        VmmDomainState state;
        int reason;
} HarnessEvent;

typedef struct Harness {
        uv_loop_t loop;
        VmmQemuManager *mgr;
        VmmQemuManagerConfig config;
        char dir[256];
        char run_dir[300];
        char log_dir[300];
        HarnessEvent events[HARNESS_MAX_EVENTS];
        size_t n_events;
        int resets;
        int guest_resets;
} Harness;

typedef struct HarnessResult {
        bool done;
        int status;
        char message[2048];
} HarnessResult;

static inline double harness_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void harness_on_state(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmDomainState state,
                             int reason, void *userdata)
{
        Harness *h = userdata;

        if (h->n_events < HARNESS_MAX_EVENTS) {
                HarnessEvent *e = &h->events[h->n_events++];

                snprintf(e->name, sizeof(e->name), "%s", vmm_qemu_process_get_name(proc));
                e->state = state;
                e->reason = reason;
        }
}

static void harness_on_reset(VmmQemuManager *mgr, VmmQemuProcess *proc, bool guest, void *userdata)
{
        Harness *h = userdata;

        h->resets++;
        if (guest)
                h->guest_resets++;
}

static const VmmQemuManagerCallbacks harness_callbacks = {
    .state_changed = harness_on_state,
    .reset = harness_on_reset,
};

/* The last state change reported for `name`, or NULL. */
static inline const HarnessEvent *harness_last(const Harness *h, const char *name)
{
        for (size_t i = h->n_events; i > 0; i--)
                if (strcmp(h->events[i - 1].name, name) == 0)
                        return &h->events[i - 1];
        return NULL;
}

static inline bool harness_saw(const Harness *h, const char *name, VmmDomainState state, int reason)
{
        for (size_t i = 0; i < h->n_events; i++)
                if (strcmp(h->events[i].name, name) == 0 && h->events[i].state == state &&
                    h->events[i].reason == reason)
                        return true;
        return false;
}

static void harness_guard(uv_timer_t *t)
{
        *(bool *)t->data = true;
}

/* Runs the loop until *flag or `ms` passed; returns *flag. */
static inline bool harness_run_until(Harness *h, const bool *flag, unsigned int ms)
{
        uv_timer_t guard;
        bool expired = false;

        uv_timer_init(&h->loop, &guard);
        guard.data = &expired;
        uv_timer_start(&guard, harness_guard, ms, 0);
        while (!*flag && !expired)
                uv_run(&h->loop, UV_RUN_ONCE);
        uv_close((uv_handle_t *)&guard, NULL);
        uv_run(&h->loop, UV_RUN_NOWAIT);
        return *flag;
}

/* Runs the loop until the manager reports `state` for `name`. */
static inline bool harness_wait_state(Harness *h, const char *name, VmmDomainState state,
                                      unsigned int ms)
{
        double end = harness_now_ms() + ms;

        while (harness_now_ms() < end) {
                const HarnessEvent *e = harness_last(h, name);
                bool never = false;

                if (e && e->state == state)
                        return true;
                harness_run_until(h, &never, 5);
        }
        return false;
}

static inline int harness_new_manager(Harness *h, VmmError *error)
{
        return vmm_qemu_manager_new(&h->loop, &h->config, &harness_callbacks, h, NULL, &h->mgr,
                                    error);
}

/* Frees the manager (QEMUs keep running) and lets its handles close and
 * its state file writes finish. */
static inline void harness_free_manager(Harness *h)
{
        h->mgr = vmm_qemu_manager_free(h->mgr);
        uv_run(&h->loop, UV_RUN_DEFAULT);
}

static inline int harness_init(Harness *h, uint64_t start_timeout_ms, uint64_t grace_ms)
{
        VmmError err = VMM_ERROR_INIT;
        int r;

        memset(h, 0, sizeof(*h));
        snprintf(h->dir, sizeof(h->dir), "%s/vmm-qp-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(h->dir))
                return -errno;
        snprintf(h->run_dir, sizeof(h->run_dir), "%s/run", h->dir);
        snprintf(h->log_dir, sizeof(h->log_dir), "%s/log", h->dir);
        h->config.run_dir = h->run_dir;
        h->config.log_dir = h->log_dir;
        h->config.start_timeout_ms = start_timeout_ms;
        h->config.kill_grace_ms = grace_ms;
        h->config.command_timeout_ms = 5000;
        uv_loop_init(&h->loop);
        r = harness_new_manager(h, &err);
        if (r < 0)
                fprintf(stderr, "harness: %s\n", vmm_error_message(&err));
        vmm_error_clear(&err);
        return r;
}

static inline void harness_rm_rf(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;

        if (!d) {
                unlink(path);
                return;
        }
        while ((de = readdir(d))) {
                char *p;

                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (asprintf(&p, "%s/%s", path, de->d_name) < 0)
                        continue;
                harness_rm_rf(p);
                free(p);
        }
        closedir(d);
        rmdir(path);
}

static void harness_walk(uv_handle_t *handle, void *arg)
{
        fprintf(stderr, "harness: handle still open: %s%s\n", uv_handle_type_name(handle->type),
                uv_is_closing(handle) ? " (closing)" : "");
}

/* Frees everything; returns uv_loop_close()'s result (0: clean). */
static inline int harness_done(Harness *h)
{
        int r;

        harness_free_manager(h);
        uv_run(&h->loop, UV_RUN_DEFAULT);
        r = uv_loop_close(&h->loop);
        if (r < 0)
                uv_walk(&h->loop, harness_walk, NULL);
        harness_rm_rf(h->dir);
        return r;
}

/* How many files run_dir holds (state files and sockets). */
static inline int harness_runtime_files(const Harness *h)
{
        DIR *d = opendir(h->run_dir);
        struct dirent *de;
        int n = 0;

        if (!d)
                return 0;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        n++;
        closedir(d);
        return n;
}

static inline bool harness_pid_alive(pid_t pid)
{
        char path[64], buf[512], *p;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        p = fgets(buf, sizeof(buf), f);
        fclose(f);
        p = p ? strrchr(buf, ')') : NULL;
        return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Kills and reaps `pid` if still there (test teardown). */
static inline void harness_kill(pid_t pid)
{
        if (pid <= 1)
                return;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static void harness_done_cb(VmmQemuProcess *proc, int status, const char *message, void *userdata)
{
        HarnessResult *res = userdata;

        res->done = true;
        res->status = status;
        snprintf(res->message, sizeof(res->message), "%s", message ? message : "");
}

/* Starts and waits for the outcome: 0 or the negative status, with the
 * message in res (sync failures too). */
static inline int harness_start(Harness *h, const VmmDomainDef *def, char *const *argv, bool paused,
                                VmmQemuProcess **ret_proc, HarnessResult *res)
{
        VmmQemuStartParams params = {.argv = argv, .start_paused = paused, .id = 42};
        VmmError err = VMM_ERROR_INIT;
        int r;

        memset(res, 0, sizeof(*res));
        r = vmm_qemu_process_start(h->mgr, def, &params, harness_done_cb, res, NULL, ret_proc,
                                   &err);
        if (r < 0) {
                res->status = r;
                snprintf(res->message, sizeof(res->message), "%s", vmm_error_message(&err));
                vmm_error_clear(&err);
                return r;
        }
        if (!harness_run_until(h, &res->done, 60000)) {
                snprintf(res->message, sizeof(res->message), "start did not complete");
                return -ETIMEDOUT;
        }
        return res->status;
}

typedef int (*HarnessOpFn)(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                           VmmError *error);

/* Runs one operation (suspend, resume, destroy...) to completion. */
static inline int harness_op(Harness *h, HarnessOpFn fn, VmmQemuProcess *proc, HarnessResult *res)
{
        VmmError err = VMM_ERROR_INIT;
        int r;

        memset(res, 0, sizeof(*res));
        r = fn(proc, harness_done_cb, res, &err);
        if (r < 0) {
                res->status = r;
                snprintf(res->message, sizeof(res->message), "%s", vmm_error_message(&err));
                vmm_error_clear(&err);
                return r;
        }
        if (!harness_run_until(h, &res->done, 30000))
                return -ETIMEDOUT;
        return res->status;
}

/* A minimal definition (name, uuid, 64 MiB). */
static inline VmmDomainDef *harness_def(const char *name, const char *uuid)
{
        char xml[1024];
        VmmDomainDef *def = NULL;
        VmmError err = VMM_ERROR_INIT;

        snprintf(xml, sizeof(xml),
                 "<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
                 "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                 "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>",
                 name, uuid);
        if (vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &err) < 0 ||
            vmm_domain_def_fill_defaults(def, &err) < 0) {
                fprintf(stderr, "harness: %s\n", vmm_error_message(&err));
                vmm_domain_def_free(def);
                def = NULL;
        }
        vmm_error_clear(&err);
        return def;
}
