/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process.h: the QEMU processes of the qemu driver: start, watch,
 * control and re-attach. vmm-qemud hosts one VmmQemuManager on its libuv
 * loop; each running domain is one VmmQemuProcess owned by the manager.
 *
 * Choices (the daemon and the command line builder rely on them):
 *
 * - The manager chooses the monitor socket: <run_dir>/<name>.monitor
 *   (vmm_qemu_manager_monitor_path()). The caller builds the argv with it
 *   (VmmQemuCommandContext.monitor_path, i.e. -chardev socket,path=...,
 *   server=on,wait=off -mon chardev=...,mode=control). The argv must start
 *   QEMU paused (-S) so nothing runs before the driver is attached, and it
 *   must carry the domain's UUID (-uuid): start refuses an argv without
 *   either, since a re-attach recognises the process by its UUID. With the
 *   command line builder: VmmQemuCommandContext.start_paused is always
 *   true, and VmmQemuStartParams.start_paused says whether the domain stays
 *   paused (the manager sends `cont` otherwise).
 * - QEMU is forked and executed without a shell, in a session of its own
 *   (setsid), stdin from /dev/null, stdout and stderr appended to
 *   <log_dir>/<name>.log. Killing the daemon never kills QEMU. Exec
 *   failures (binary missing, not executable) are reported synchronously.
 * - The manager does not make the daemon a child subreaper: QEMU is the
 *   daemon's direct child (no double fork), so it is reaped with waitpid;
 *   after a daemon restart, QEMU's exit is seen through its pidfd (poll
 *   readable at exit, before the late reaping by PID 1) and its monitor
 *   closing.
 * - Runtime files per running domain, in run_dir: <name>.state (JSON:
 *   live XML, pid, pid start time from /proc/PID/stat field 22, monitor
 *   path, state and reason; written atomically at every state change) and
 *   <name>.monitor (the socket). Both are removed when the domain stops
 *   and when a start fails. The log file is kept (it is not runtime state).
 *   State files are written in libuv's thread pool (the loop never waits
 *   on fsync); a start completes once a state file exists (the one written
 *   at exec, normally long done), and a stop is reported once the file is
 *   gone. Re-attach trusts QEMU (query-status) over the file's state.
 * - Reasons: exit after a SHUTDOWN event: shutoff/shutdown; exit after
 *   destroy: shutoff/destroyed; exit without either: shutoff/crashed;
 *   found dead at re-attach: shutoff/crashed.
 * - Reboot (ACPI): QMP set-action shutdown=pause, then system_powerdown;
 *   when the guest powers off (SHUTDOWN event, QEMU pauses instead of
 *   exiting) the driver resets the machine, restores shutdown=poweroff and
 *   continues it: the guest goes through a full reboot, and its state stays
 *   running. (system_reset alone is a hard reset, not a reboot.) A guest
 *   that ignores the power button is not rebooted; the pending reboot is
 *   kept until it powers off.
 * - Destroy sends SIGTERM through the pidfd, SIGKILL after the grace period,
 *   and completes when the pidfd reports the exit (no sleep, no polling).
 *
 * Callbacks run on the manager's loop. A VmmQemuProcess pointer stays
 * valid while the caller holds a reference (vmm_qemu_process_ref()); the
 * manager drops its own once the process is shut off and reported.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>
#include <vmm/vmm-domain.h>

#include "conf/domain.h"
#include "util/cleanup.h"

typedef struct VmmQemuManager VmmQemuManager;
typedef struct VmmQemuProcess VmmQemuProcess;

typedef struct VmmQemuManagerCallbacks {
        /* A process changed state (also for the final shutoff, after which
         * the manager forgets it). */
        void (*state_changed)(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmDomainState state,
                              int reason, void *userdata);
        /* The guest was reset (RESET event): a reboot, by the guest
         * (`guest` true) or by the host. */
        void (*reset)(VmmQemuManager *mgr, VmmQemuProcess *proc, bool guest, void *userdata);
} VmmQemuManagerCallbacks;

typedef struct VmmQemuManagerConfig {
        const char *run_dir;         /* state files and monitor sockets (created) */
        const char *log_dir;         /* <name>.log (created) */
        uint64_t start_timeout_ms;   /* exec -> monitor ready; 0: 30 s */
        uint64_t command_timeout_ms; /* per QMP command; 0: 10 s */
        uint64_t kill_grace_ms;      /* SIGTERM -> SIGKILL; 0: 3 s */
} VmmQemuManagerConfig;

/* Creates the manager on `loop` (directories created). `destroy(userdata)`
 * runs when the manager is freed. Nothing is attached yet. */
int vmm_qemu_manager_new(uv_loop_t *loop, const VmmQemuManagerConfig *config,
                         const VmmQemuManagerCallbacks *callbacks, void *userdata,
                         void (*destroy)(void *userdata), VmmQemuManager **ret_mgr,
                         VmmError *error);

/*
 * Re-attaches to the QEMU processes listed by the state files of run_dir
 * (a daemon restart): a process is taken over only when its pid is alive,
 * its start time matches and its /proc cmdline carries the domain's UUID;
 * its monitor is reconnected and its state refreshed with query-status.
 * A domain whose QEMU died meanwhile has its runtime files removed and is
 * reported shut off (crashed) through state_changed. Unreadable state files
 * are logged, removed and skipped (the QEMU they named, if any, is left
 * alone), as are temporary files of writes cut short by a killed daemon.
 * Returns the number of processes attached.
 */
int vmm_qemu_manager_attach_all(VmmQemuManager *mgr, VmmError *error);

/* Frees the manager without stopping any QEMU: monitors are closed,
 * watches dropped, state files kept (as when the daemon exits). The loop
 * must run afterwards to let the handles close. Accepts NULL. */
VmmQemuManager *vmm_qemu_manager_free(VmmQemuManager *mgr);
DEFINE_CLEANUP(VmmQemuManager, vmm_qemu_manager_free)

/* <run_dir>/<name>.monitor (heap), the socket the argv must open. */
int vmm_qemu_manager_monitor_path(const VmmQemuManager *mgr, const char *name, char **ret_path,
                                  VmmError *error);
/* <log_dir>/<name>.log (heap). */
/* The directory of a domain's channel sockets that the XML leaves to the
 * host (<run>/NAME.channels/TARGET.sock, e.g. the guest agent's). The
 * process manager creates it at spawn and removes it with the domain's
 * runtime files. */
int vmm_qemu_manager_channel_dir(const VmmQemuManager *mgr, const char *name, char **ret_path,
                                 VmmError *error);
int vmm_qemu_manager_log_path(const VmmQemuManager *mgr, const char *name, char **ret_path,
                              VmmError *error);

VmmQemuProcess *vmm_qemu_manager_find_by_name(VmmQemuManager *mgr, const char *name);
VmmQemuProcess *vmm_qemu_manager_find_by_uuid(VmmQemuManager *mgr,
                                              const uint8_t uuid[VMM_UUID_LEN]);
/* Number of processes the manager watches (running, paused, starting). */
size_t vmm_qemu_manager_count(const VmmQemuManager *mgr);
/* The i-th process (0 <= i < count), in no particular order. */
VmmQemuProcess *vmm_qemu_manager_get(VmmQemuManager *mgr, size_t i);

/* --- starting --- */

typedef struct VmmQemuStartParams {
        /* NULL-terminated, argv[0] the binary (executed as given, no PATH
         * search); must contain -S, the UUID and the monitor path. */
        char *const *argv;
        /* fds the child inherits under the same numbers (tap fds named in
         * argv); still owned by the caller. */
        const int *pass_fds;
        size_t n_pass_fds;
        bool start_paused; /* leave it paused/user instead of `cont` */
        int id;            /* the live domain id (<domain id=...>); <= 0: none */
        /* > 2: a restore (qemu-process-save.c): the argv has -incoming
         * defer, the child inherits this fd (positioned at the migration
         * stream) and the start completes once QEMU loaded it, with
         * running/restored (or paused/user with start_paused) */
        int incoming_fd;
} VmmQemuStartParams;

/* The outcome of an asynchronous operation: `status` 0 or a negative
 * errno with `message` naming the domain and what failed. */
typedef void (*VmmQemuDoneFn)(VmmQemuProcess *proc, int status, const char *message,
                              void *userdata);

/*
 * Starts QEMU for `def` (copied: the live definition). Returns once QEMU
 * is executing; `done` follows when it runs (running/booted, or
 * paused/user with start_paused), or failed: then QEMU is gone, its
 * runtime files removed, and the message ends with the last lines of its
 * log. On a negative return (already running, bad argv, exec failed)
 * nothing was started and `done` is not called. `destroy(userdata)` runs
 * after `done`.
 */
int vmm_qemu_process_start(VmmQemuManager *mgr, const VmmDomainDef *def,
                           const VmmQemuStartParams *params, VmmQemuDoneFn done, void *userdata,
                           void (*destroy)(void *userdata), VmmQemuProcess **ret_proc,
                           VmmError *error);

/* --- operations (all asynchronous; `done` may be NULL) --- */

/* SIGTERM, SIGKILL after the grace period; done when the process is gone
 * (shutoff/destroyed reported before). */
int vmm_qemu_process_destroy(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                             VmmError *error);
/* ACPI power button; done when QEMU accepted it (the guest decides). */
int vmm_qemu_process_shutdown(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                              VmmError *error);
/* ACPI reboot (see above); done when the power button was pressed. */
int vmm_qemu_process_reboot(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                            VmmError *error);
int vmm_qemu_process_suspend(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                             VmmError *error);
int vmm_qemu_process_resume(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                            VmmError *error);
/* Hard reset (system_reset). */
int vmm_qemu_process_reset(VmmQemuProcess *proc, VmmQemuDoneFn done, void *userdata,
                           VmmError *error);

/* query-status: `status` is QEMU's run state ("running", "paused"...). */
typedef void (*VmmQemuStatusFn)(VmmQemuProcess *proc, int error_code, const char *status,
                                bool running, const char *message, void *userdata);
int vmm_qemu_process_query_status(VmmQemuProcess *proc, VmmQemuStatusFn done, void *userdata,
                                  VmmError *error);

/* Balloon: the current guest memory in KiB (query-balloon), and a target. */
typedef void (*VmmQemuBalloonFn)(VmmQemuProcess *proc, int error_code, uint64_t actual_kib,
                                 const char *message, void *userdata);
int vmm_qemu_process_balloon_query(VmmQemuProcess *proc, VmmQemuBalloonFn done, void *userdata,
                                   VmmError *error);
int vmm_qemu_process_balloon_set(VmmQemuProcess *proc, uint64_t kib, VmmQemuDoneFn done,
                                 void *userdata, VmmError *error);

/* --- save (qemu-process-save.c) --- */

/* Writes the guest's state to `fd` (a file positioned after the image
 * header; the caller keeps `fd`): pauses a running guest (paused/saving),
 * then QEMU's migration stream with no bandwidth limit. `done` follows
 * once QEMU wrote all of it; the guest stays paused then. On failure a
 * guest that ran runs again (running/save canceled). `timeout_ms` 0: 10
 * minutes. On a negative return `done` is not called. */
int vmm_qemu_process_save(VmmQemuProcess *proc, int fd, uint64_t timeout_ms, VmmQemuDoneFn done,
                          void *userdata, VmmError *error);
/* The state is safely in an image: the exit that follows (destroy) is
 * reported as shutoff/saved. */
void vmm_qemu_process_set_saved(VmmQemuProcess *proc);

/* --- accessors --- */

VmmQemuProcess *vmm_qemu_process_ref(VmmQemuProcess *proc);
VmmQemuProcess *vmm_qemu_process_unref(VmmQemuProcess *proc);
DEFINE_CLEANUP(VmmQemuProcess, vmm_qemu_process_unref)

const char *vmm_qemu_process_get_name(const VmmQemuProcess *proc);
/* The live definition (owned by the process). */
const VmmDomainDef *vmm_qemu_process_get_def(const VmmQemuProcess *proc);
pid_t vmm_qemu_process_get_pid(const VmmQemuProcess *proc);
VmmDomainState vmm_qemu_process_get_state(const VmmQemuProcess *proc, int *ret_reason);
/* True while the monitor is connected and ready. */
/* Whether the process's state is QEMU's own: false while a re-attach has
 * not yet confirmed what the state file said. */
bool vmm_qemu_process_state_confirmed(const VmmQemuProcess *proc);
bool vmm_qemu_process_monitor_ready(const VmmQemuProcess *proc);
