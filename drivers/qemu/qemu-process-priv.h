/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-process-priv.h: what the files of the QEMU process manager share
 * (qemu-process.c: objects and state; qemu-process-spawn.c: fork/exec and
 * /proc; qemu-process-monitor.c: QMP glue and operations;
 * qemu-process-state.c: runtime state files and re-attach).
 */
#pragma once

#include "qemu-process.h"
#include "qmp.h"
#include "util/macros.h"

typedef enum QemuProcessPhase {
        QEMU_PROCESS_STARTING,  /* exec'ed, monitor not yet ready or `cont` pending */
        QEMU_PROCESS_ATTACHING, /* re-attached, monitor reconnecting */
        QEMU_PROCESS_ACTIVE,    /* running or paused under our control */
        QEMU_PROCESS_GONE,      /* exited or detached; handles closing */
} QemuProcessPhase;

/* A caller waiting for an operation's outcome. */
typedef struct QemuProcessWaiter {
        struct QemuProcessWaiter *next;
        VmmQemuDoneFn done;
        void *userdata;
} QemuProcessWaiter;

struct VmmQemuManager {
        uv_loop_t *loop;
        char *run_dir;
        char *log_dir;
        uint64_t start_timeout_ms;
        uint64_t command_timeout_ms;
        uint64_t kill_grace_ms;
        VmmQemuManagerCallbacks cb;
        void *userdata;
        void (*destroy)(void *userdata);

        VmmQemuProcess **procs;
        size_t n_procs;
        size_t cap_procs;
};

struct VmmQemuProcess {
        VmmQemuManager *mgr; /* NULL once gone or detached */
        unsigned int refs;
        int open_handles; /* poll + timer; freed when 0 and refs 0 */
        bool handles_init;

        char *name;
        uint8_t uuid[VMM_UUID_LEN];
        char uuid_str[VMM_UUID_STRLEN];
        VmmDomainDef *def;

        pid_t pid;
        unsigned long long start_time; /* /proc/PID/stat field 22 */
        bool is_child;
        int pidfd;
        uv_poll_t poll;
        bool poll_active;
        uv_timer_t timer; /* connect retries, start deadline, kill grace */

        uv_loop_t *loop;
        char *monitor_path;
        char *state_path;
        char *xml;             /* the live XML, formatted once for the state file */
        bool state_writing;    /* a write runs in the thread pool */
        char *state_next;      /* the content to write after it */
        bool state_removed;    /* the domain stopped: the file must go */
        bool exit_deferred;    /* QEMU exited during a write: finish after it */
        bool state_written;    /* a state file write completed */
        bool start_ok_pending; /* started: `done` once a state file is on disk */
        char *log_path;
        long long log_offset; /* where this start's output begins */

        VmmQmp *qmp;
        uint64_t deadline; /* uv_now() ms: start/attach gives up */

        QemuProcessPhase phase;
        VmmDomainState state;
        int reason;

        bool start_paused;
        VmmQemuDoneFn start_done;
        void *start_userdata;
        void (*start_destroy)(void *userdata);
        int start_status;  /* a start failure being processed */
        char *start_error; /* its message (without the log tail) */

        bool destroy_requested;
        bool killed; /* SIGKILL sent */
        bool shutdown_seen;
        bool reboot_pending;
        bool rebooting;
        int pause_reason;  /* for the next STOP we asked for, -1 none */
        int resume_reason; /* for the next RESUME we asked for, -1 none */
        QemuProcessWaiter *exit_waiters;
        struct VmmQemuDeviceWait *device_waits; /* qemu-process-hotplug.c */
        int wait_status; /* from waitpid, -1 unknown */

        /* qemu-process-save.c */
        int incoming; /* restore: the image fd QEMU inherited; <= 2: none */
        bool saved;   /* the state is in a save image: the exit is shutoff/saved */
        struct QemuMigration *migration; /* the save or restore in progress */
};

/* qemu-process.c */
int vmm_qemu_process_alloc(VmmQemuManager *mgr, const char *name, const VmmDomainDef *def,
                           VmmQemuProcess **ret_proc, VmmError *error);
int vmm_qemu_process_watch(VmmQemuProcess *proc, VmmError *error);
int vmm_qemu_manager_add(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmError *error);
void vmm_qemu_process_set_state(VmmQemuProcess *proc, VmmDomainState state, int reason);
void vmm_qemu_process_exited(VmmQemuProcess *proc);
void vmm_qemu_process_remove_files(VmmQemuProcess *proc);
void vmm_qemu_process_start_finish(VmmQemuProcess *proc, int status, const char *message);
void vmm_qemu_process_fail_start(VmmQemuProcess *proc, int status, const char *fmt, ...)
    _printf_(3, 4);
void vmm_qemu_process_detach(VmmQemuProcess *proc);

/* qemu-process-spawn.c */
int vmm_qemu_process_check_argv(const VmmQemuProcess *proc, char *const *argv, VmmError *error);
int vmm_qemu_process_spawn(VmmQemuProcess *proc, const VmmQemuStartParams *params, VmmError *error);
int vmm_qemu_process_kill(VmmQemuProcess *proc, int sig);
/* Field 22 of /proc/PID/stat; -ESRCH when gone or a zombie. */
int vmm_qemu_proc_start_time(pid_t pid, unsigned long long *ret_start_time);
/* Whether /proc/PID/cmdline has an argument containing `needle`. */
bool vmm_qemu_proc_cmdline_has(pid_t pid, const char *needle);
/* The last lines QEMU wrote to its log in this run (heap, "" when none). */
char *vmm_qemu_process_log_tail(const VmmQemuProcess *proc);
int vmm_qemu_pidfd_open(pid_t pid);

/* qemu-process-monitor.c */
int vmm_qemu_process_monitor_start(VmmQemuProcess *proc, VmmError *error);

/* qemu-process-save.c */
/* The monitor is ready during a restore's start: load the image, then
 * finish the start (running/restored or paused). */
void vmm_qemu_process_incoming_begin(VmmQemuProcess *proc);
/* A MIGRATION event (`data` borrowed). */
void vmm_qemu_process_migration_event(VmmQemuProcess *proc, json_object *data);

/* qemu-process-state.c */
/* Queues an atomic write of the state file in the thread pool (writes of
 * one process are ordered and coalesced; the loop never waits on fsync). */
int vmm_qemu_process_write_state(VmmQemuProcess *proc, VmmError *error);
/* Removes the state file now and after any write still running. */
void vmm_qemu_process_remove_state(VmmQemuProcess *proc);

/* Removes <run>/NAME.channels and what QEMU left in it. */
void vmm_qemu_process_remove_channel_dir(VmmQemuProcess *proc);
