/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-qemu-save: save and restore of a diskless 64 MiB TCG guest
 * (firmware only), side by side with raw QEMU doing the same in the same
 * run:
 *   ours  vmm_domain_save() (stop, migrate to the image, fsync, QEMU gone:
 *         shut off/saved) and vmm_domain_restore() (image checked, QEMU
 *         started with -incoming defer, stream loaded, running/restored),
 *         through the public API on qemu:///session (vmm-qemud spawned on
 *         demand in a private VMM_ROOT);
 *   raw   a blocking QMP client on one QEMU: stop, max-bandwidth, getfd
 *         over SCM_RIGHTS, migrate "fd:", query-migrate until completed,
 *         fsync, SIGTERM and waitpid; restore: exec QEMU with -incoming
 *         "fd:N" on the inherited image, query-status until paused, cont.
 * Figures: median and best of --runs N (default 5), and the image size.
 * Usage: bench-qemu-save [--runs N]. Exits 77 without qemu-system-x86_64.
 * Images go to $TMPDIR (else /tmp): the fsync cost depends on that disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmm/vmm.h>

#include "bench-util.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"
#define MAX_RUNS 50

extern char **environ;

static char root[256];

static void die(const char *what, const char *why)
{
        fprintf(stderr, "bench-qemu-save: %s: %s\n", what, why);
        exit(1);
}

static void report(const char *what, double *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), compare_double);
        printf("  %-34s median %7.1f ms   best %7.1f ms\n", what, v[n / 2], v[0]);
}

/* --- raw QEMU with a blocking QMP client --- */

typedef struct Raw {
        pid_t pid;
        int fd;
        char buf[65536];
        size_t len;
} Raw;

static int raw_line(Raw *r, const char *needle, const char *needle2, char *out, size_t size)
{
        for (;;) {
                char *nl;
                ssize_t n;

                while ((nl = memchr(r->buf, '\n', r->len))) {
                        size_t l = (size_t)(nl - r->buf) + 1;
                        int hit =
                            strstr(r->buf, needle) && (size_t)(strstr(r->buf, needle) - r->buf) < l;

                        if (!hit && needle2)
                                hit = strstr(r->buf, needle2) &&
                                      (size_t)(strstr(r->buf, needle2) - r->buf) < l;
                        if (hit && out)
                                snprintf(out, size, "%.*s", (int)l, r->buf);
                        memmove(r->buf, r->buf + l, r->len - l);
                        r->len -= l;
                        r->buf[r->len] = '\0';
                        if (hit)
                                return 0;
                }
                n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len - 1);
                if (n <= 0)
                        return -1;
                r->len += (size_t)n;
                r->buf[r->len] = '\0';
        }
}

/* Sends a command (with `fd` attached when >= 0) and reads its reply. */
static void raw_cmd(Raw *r, const char *json, int fd, char *reply, size_t size)
{
        struct msghdr msg = {0};
        struct iovec iov = {.iov_base = (void *)json, .iov_len = strlen(json)};
        char ctl[CMSG_SPACE(sizeof(int))];
        char line[4096];

        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (fd >= 0) {
                struct cmsghdr *c;

                memset(ctl, 0, sizeof(ctl));
                msg.msg_control = ctl;
                msg.msg_controllen = sizeof(ctl);
                c = CMSG_FIRSTHDR(&msg);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        if (sendmsg(r->fd, &msg, 0) != (ssize_t)iov.iov_len)
                die("raw QMP", "sendmsg failed");
        if (raw_line(r, "\"return\"", "\"error\"", line, sizeof(line)) < 0)
                die("raw QMP", "monitor closed");
        if (strstr(line, "\"error\""))
                die(json, line);
        if (reply)
                snprintf(reply, size, "%s", line);
}

static void raw_spawn(Raw *r, const char *monitor, int incoming_fd)
{
        char mon[400], inc[32];
        char *argv[] = {
            QEMU_BIN,   "-S",   "-machine", "pc",          "-accel",
            "tcg",      "-m",   "64",       "-nodefaults", "-no-user-config",
            "-display", "none", "-qmp",     mon,           incoming_fd >= 0 ? "-incoming" : NULL,
            inc,        NULL};
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        snprintf(mon, sizeof(mon), "unix:%s,server=on,wait=off", monitor);
        snprintf(inc, sizeof(inc), "fd:%d", incoming_fd);
        unlink(monitor);
        r->pid = fork();
        if (r->pid == 0) {
                int null = open("/dev/null", O_RDWR);

                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                if (incoming_fd >= 0)
                        fcntl(incoming_fd, F_SETFD, 0);
                execve(QEMU_BIN, argv, environ);
                _exit(127);
        }
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", monitor);
        for (int i = 0; i < 5000; i++) {
                r->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
                        break;
                close(r->fd);
                r->fd = -1;
                usleep(1000);
        }
        if (r->fd < 0)
                die("raw QEMU", "no monitor");
        r->len = 0;
        if (raw_line(r, "QMP", NULL, NULL, 0) < 0)
                die("raw QEMU", "no greeting");
        raw_cmd(r, "{\"execute\":\"qmp_capabilities\"}", -1, NULL, 0);
}

static void raw_stop(Raw *r)
{
        close(r->fd);
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
}

/* query-migrate/query-status until the reply has `want`. */
static void raw_poll(Raw *r, const char *command, const char *want)
{
        char cmd[128], reply[4096];

        snprintf(cmd, sizeof(cmd), "{\"execute\":\"%s\"}", command);
        for (;;) {
                raw_cmd(r, cmd, -1, reply, sizeof(reply));
                if (strstr(reply, want))
                        return;
                if (strstr(reply, "\"failed\""))
                        die(command, reply);
                usleep(200);
        }
}

static double raw_save(const char *monitor, const char *img)
{
        Raw r = {0};
        double t0;
        int fd;

        raw_spawn(&r, monitor, -1);
        raw_cmd(&r, "{\"execute\":\"cont\"}", -1, NULL, 0);
        usleep(300000); /* the firmware runs */
        t0 = now_ms();
        fd = open(img, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        raw_cmd(&r, "{\"execute\":\"stop\"}", -1, NULL, 0);
        raw_cmd(&r,
                "{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"max-bandwidth\":"
                "1099511627776}}",
                -1, NULL, 0);
        raw_cmd(&r, "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"img\"}}", fd, NULL, 0);
        raw_cmd(&r, "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"fd:img\"}}", -1, NULL, 0);
        raw_poll(&r, "query-migrate", "\"completed\"");
        fsync(fd);
        close(fd);
        raw_stop(&r);
        return now_ms() - t0;
}

static double raw_restore(const char *monitor, const char *img)
{
        Raw r = {0};
        double t0 = now_ms();
        int fd = open(img, O_RDONLY | O_CLOEXEC);

        raw_spawn(&r, monitor, fd);
        close(fd);
        raw_poll(&r, "query-status", "\"paused\"");
        raw_cmd(&r, "{\"execute\":\"cont\"}", -1, NULL, 0);
        t0 = now_ms() - t0;
        raw_stop(&r);
        return t0;
}

/* --- ours, through the public API --- */

static void check(int r, const char *what, VmmError *e)
{
        if (r < 0)
                die(what, vmm_error_message(e));
}

static void ours(int runs, double *save, double *restore, long long *size, const char *img)
{
        static const char xml[] =
            "<domain type='qemu'><name>bench-save</name><memory unit='MiB'>64</memory>"
            "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
        VmmError e = VMM_ERROR_INIT;
        VmmConnect *conn = NULL;
        VmmDomain *dom = NULL;
        struct stat st;

        check(vmm_connect_open("qemu:///session", 0, &conn, &e), "connect", &e);
        check(vmm_domain_define_xml(conn, xml, 0, &dom, &e), "define", &e);
        check(vmm_domain_start(dom, 0, &e), "start", &e);
        usleep(300000);
        for (int i = 0; i < runs; i++) {
                double t0 = now_ms();

                check(vmm_domain_save(dom, img, NULL, 0, &e), "save", &e);
                save[i] = now_ms() - t0;
                t0 = now_ms();
                check(vmm_domain_restore(conn, img, NULL, 0, NULL, &e), "restore", &e);
                restore[i] = now_ms() - t0;
        }
        if (stat(img, &st) == 0)
                *size = (long long)st.st_size;
        check(vmm_domain_destroy(dom, 0, &e), "destroy", &e);
        check(vmm_domain_undefine(dom, 0, &e), "undefine", &e);
        vmm_domain_unref(dom);
        vmm_connect_close(conn);
}

int main(int argc, char **argv)
{
        double save[MAX_RUNS], restore[MAX_RUNS], rsave[MAX_RUNS], rrestore[MAX_RUNS];
        char img[400], rimg[400], monitor[400];
        const char *tmp = getenv("TMPDIR");
        long long size = 0;
        struct stat st;
        int runs = 5;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
                        runs = atoi(argv[++i]);
                else
                        die("usage", "bench-qemu-save [--runs N]");
        }
        if (runs < 1 || runs > MAX_RUNS)
                die("--runs", "expected 1 to 50");
        if (access(QEMU_BIN, X_OK) < 0) {
                printf("SKIP: %s is not installed\n", QEMU_BIN);
                return 77;
        }
        snprintf(root, sizeof(root), "%s/bench-qemu-save-XXXXXX", tmp ? tmp : "/tmp");
        if (!mkdtemp(root))
                die("mkdtemp", strerror(errno));
        setenv("VMM_ROOT", root, 1);
        setenv("VMM_DAEMON_TIMEOUT", "5", 1); /* the daemon leaves soon after */
#ifdef VMM_QEMUD_BUILD_DIR
        if (!getenv("VMM_DAEMON_DIR"))
                setenv("VMM_DAEMON_DIR", VMM_QEMUD_BUILD_DIR, 1);
#endif
        snprintf(img, sizeof(img), "%s/ours.img", root);
        snprintf(rimg, sizeof(rimg), "%s/raw.img", root);
        snprintf(monitor, sizeof(monitor), "%s/raw.qmp", root);

        printf("save/restore of a diskless 64 MiB TCG guest, %d runs (images in %s)\n", runs, root);
        ours(runs, save, restore, &size, img);
        for (int i = 0; i < runs; i++) {
                rsave[i] = raw_save(monitor, rimg);
                rrestore[i] = raw_restore(monitor, rimg);
        }
        report("vmm save (API, until shut off)", save, runs);
        report("raw QEMU save (QMP + fsync + exit)", rsave, runs);
        report("vmm restore (API, until running)", restore, runs);
        report("raw QEMU restore (exec -> cont)", rrestore, runs);
        printf("  image size: ours %lld bytes, raw %lld bytes\n", size,
               stat(rimg, &st) == 0 ? (long long)st.st_size : -1ll);
        printf("  (libvirt 9.0 on this machine type: save 326 ms, restore 892 ms)\n");
        unlink(img);
        unlink(rimg);
        unlink(monitor);
        printf("VMM_ROOT %s left for inspection (vmm-qemud exits 5 s after the run)\n", root);
        return 0;
}
