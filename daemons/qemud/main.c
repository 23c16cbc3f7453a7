/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-qemud: the daemon hosting the qemu driver (qemu-driver.h): domain
 * definitions (one XML file each, loaded at start), guests run by QEMU
 * (start, create, shutdown, destroy, suspend, resume, reboot, reset, live
 * info), lifecycle events, autostart. At start it re-attaches to the QEMUs
 * a previous instance left running (the .state files in <run>/qemu); when it exits,
 * guests keep running. It does not exit idle while guests run.
 *
 *   vmm-qemud [--listen PATH] [--listen-ro PATH] [--timeout SECONDS]
 *             [--root DIR] [--session] [skeleton options, see --help]
 *
 * --root DIR (or $VMM_ROOT) puts every path under DIR; --session uses the
 * user's XDG directories; otherwise the system ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-journal.h"
#include "qemud.h"
#include "rpc/programs.h"
#include "util/error.h"
#include "util/fileutil.h"
#include "util/log.h"

typedef struct QemudArgs {
        const char *root;
        bool session;
        bool help;
        int argc;    /* what is left for the skeleton */
        char **argv; /* heap array of borrowed strings */
} QemudArgs;

/* Takes out vmm-qemud's own options; the skeleton parses the rest. */
static int args_split(int argc, char **argv, QemudArgs *a, VmmError *error)
{
        a->argv = calloc((size_t)argc + 1, sizeof(char *));
        if (!a->argv)
                return vmm_error_oom(error);
        a->argv[a->argc++] = argv[0];
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--root") == 0) {
                        if (i + 1 >= argc)
                                return vmm_error_set(error, -EINVAL, VMM_ERR_INVALID_ARG,
                                                     "vmm-qemud: --root needs a directory");
                        a->root = argv[++i];
                } else if (strncmp(argv[i], "--root=", 7) == 0) {
                        a->root = argv[i] + 7;
                } else if (strcmp(argv[i], "--session") == 0) {
                        a->session = true;
                } else {
                        if (strcmp(argv[i], "--help") == 0)
                                a->help = true;
                        a->argv[a->argc++] = argv[i];
                }
        }
        if (!a->root && getenv("VMM_ROOT") && *getenv("VMM_ROOT"))
                a->root = getenv("VMM_ROOT");
        return 0;
}

/* SIGHUP: definitions added to the config directory by hand are loaded. */
static int qemud_reload(VmmDaemon *d, void *userdata)
{
        Qemud *q = userdata;
        int n = vmm_qemu_domains_load(q->store);

        vmm_log_warning("vmm-qemud: reloaded, %d new domain definition(s) from \"%s\"", n,
                        q->paths.config_dir);
        return 0;
}

static int qemud_shutdown(VmmDaemon *d, void *userdata)
{
        Qemud *q = userdata;

        /* guests keep running; the next instance re-attaches */
        q->drv = vmm_qemu_driver_free(q->drv);
        qemud_subscriptions_clear(q);
        return 0;
}

/* Started on demand by a client (socket activation, not by systemd, whose
 * journal stream we keep): the client's stdin, stdout and stderr must not
 * stay open here, or a shell capturing the client's output waits for the
 * daemon to exit. Logs go to <state>/vmm-qemud.log instead. */
static void qemud_detach_stdio(const Qemud *q)
{
        _cleanup_free_ char *log = NULL;
        int null_fd, log_fd = -1;

        if (!getenv("LISTEN_FDS") || getenv("JOURNAL_STREAM"))
                return;
        null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (vmm_mkdir_p(q->paths.state_dir, 0700, NULL) >= 0 &&
            asprintf(&log, "%s/vmm-qemud.log", q->paths.state_dir) >= 0)
                log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        else
                log = NULL;
        if (null_fd >= 0) {
                dup2(null_fd, STDIN_FILENO);
                dup2(null_fd, STDOUT_FILENO);
        }
        if (log_fd >= 0 || null_fd >= 0)
                dup2(log_fd >= 0 ? log_fd : null_fd, STDERR_FILENO);
        if (null_fd >= 0)
                close(null_fd);
        if (log_fd >= 0)
                close(log_fd);
}

static int qemud_setup(Qemud *q, const QemudArgs *a, VmmError *error)
{
        _cleanup_free_ char *journal = NULL;
        int r, n, replayed = 0;

        r = vmm_qemu_paths_init(&q->paths, a->root, a->session || (!a->root && getuid() != 0),
                                error);
        if (r < 0)
                return r;
        r = vmm_qemu_domains_new(q->paths.config_dir, &q->store, error);
        if (r < 0)
                return r;
        /* defines are durable through the journal; replayed before loading */
        r = vmm_mkdir_p(q->paths.state_dir, 0700, error);
        if (r >= 0 && asprintf(&journal, "%s/domains.journal", q->paths.state_dir) < 0) {
                journal = NULL;
                r = vmm_error_oom(error);
        }
        if (r >= 0)
                r = replayed = vmm_qemu_domains_open_journal(q->store, journal, error);
        if (r < 0)
                return r;
        if (asprintf(&q->qemu_run_dir, "%s/qemu", q->paths.run_dir) < 0 ||
            asprintf(&q->log_dir, "%s/log", q->paths.state_dir) < 0) {
                q->qemu_run_dir = q->log_dir = NULL;
                return vmm_error_oom(error);
        }
        /* errors so far reach whoever started us; from here on, the log */
        qemud_detach_stdio(q);
        if (replayed > 0)
                vmm_log_warning("vmm-qemud: %d change(s) replayed from journal \"%s\" (the "
                                "previous instance did not stop cleanly)",
                                replayed, journal);
        n = vmm_qemu_domains_load(q->store);
        vmm_log_info("vmm-qemud: %d domain definition(s) loaded from \"%s\"", n,
                     q->paths.config_dir);
        /* parsing left free heap pages behind: give them back (idle RSS) */
        malloc_trim(0);
        return 0;
}

/* The driver on the daemon's loop; re-attaches and autostarts. */
static int qemud_driver_setup(Qemud *q, VmmError *error)
{
        VmmQemuDriverConfig cfg = {
            .loop = vmm_daemon_loop(q->daemon),
            .store = q->store,
            .run_dir = q->qemu_run_dir,
            .log_dir = q->log_dir,
            .emulator = getenv("VMM_QEMU_EMULATOR"),
        };
        _cleanup_free_ char *save_dir = NULL; /* managed save images */
        int r;

        if (asprintf(&save_dir, "%s/save", q->paths.state_dir) < 0)
                return vmm_error_oom(error);
        cfg.save_dir = save_dir;
        r = vmm_qemu_driver_new(&cfg, &qemud_driver_callbacks, q, &q->drv, error);
        if (r < 0)
                return r;
        r = vmm_qemu_driver_attach(q->drv, error);
        if (r < 0)
                return r;
        if (r > 0)
                vmm_log_info("vmm-qemud: re-attached to %d running domain(s)", r);
        return 0;
}

int main(int argc, char **argv)
{
        VmmDaemonOptions opts = VMM_DAEMON_OPTIONS_INIT("vmm-qemud");
        VmmError err = VMM_ERROR_INIT;
        QemudArgs args = {0};
        Qemud q = {0};
        int r;

        r = args_split(argc, argv, &args, &err);
        if (r >= 0)
                r = vmm_daemon_parse_args(args.argc, args.argv, &opts, &err);
        if (args.help)
                printf("\nvmm-qemud also takes:\n"
                       "  --root DIR            keep config, state and sockets under DIR "
                       "(also $VMM_ROOT)\n"
                       "  --session             use the user's directories (XDG)\n");
        if (r != 0)
                goto out;
        vmm_daemon_log_setup(opts.name, opts.verbose);
        r = qemud_setup(&q, &args, &err);
        if (r >= 0)
                r = vmm_daemon_new(&opts, &q.daemon, &err);
        if (r >= 0)
                r = qemud_driver_setup(&q, &err);
        if (r >= 0)
                r = vmm_daemon_add_program(q.daemon, &vmm_rpc_program_domain, qemud_domain_handlers,
                                           qemud_n_domain_handlers, &q, &err);
        if (r < 0)
                goto out;
        vmm_daemon_set_shutdown_hook(q.daemon, qemud_shutdown, &q);
        vmm_daemon_set_reload_hook(q.daemon, qemud_reload, &q);
        r = vmm_daemon_run(q.daemon, &err);
out:
        if (r < 0)
                fprintf(stderr, "vmm-qemud: %s\n", vmm_error_message(&err));
        q.drv = vmm_qemu_driver_free(q.drv);
        vmm_daemon_free(q.daemon);
        qemud_subscriptions_clear(&q);
        q.list_cache = qemud_list_cache_free(q.list_cache);
        if (q.store) {
                VmmQemuJournalStats st;

                vmm_qemu_domains_journal_stats(q.store, &st);
                vmm_log_info("vmm-qemud: journal: %llu change(s) in %llu sync(s), %llu "
                             "checkpoint(s)",
                             (unsigned long long)st.records, (unsigned long long)st.syncs,
                             (unsigned long long)st.checkpoints);
        }
        vmm_qemu_domains_free(q.store);
        vmm_qemu_paths_done(&q.paths);
        free(q.qemu_run_dir);
        free(q.log_dir);
        free(args.argv);
        vmm_error_clear(&err);
        return r < 0 ? 1 : 0;
}
