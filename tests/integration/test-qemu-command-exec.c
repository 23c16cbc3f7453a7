/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-command-exec: the command lines the builder writes, run by the
 * real QEMU (7.2 here, TCG). Each scenario is a golden-file XML that
 * needs no host files (tests/data/qemu-command), or a domain XML whose
 * files live in a temporary directory (raw images made with ftruncate,
 * qcow2 ones with qemu-img, OVMF copied for pflash); the test builds the argv
 * (start paused), starts QEMU with posix_spawn (no shell), waits for the
 * QMP greeting on the monitor socket (QEMU accepted every option), asks
 * query-block where a scenario names disks (the file names with commas
 * arrive whole: the escaping held), then kills QEMU.
 *
 * Skips (77) without qemu-system-x86_64 (or qemu-img).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf/domain.h"
#include "qemu-command.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/fileutil.h"

extern char **environ;

#define QEMU "/usr/bin/qemu-system-x86_64"
#define QEMU_IMG "/usr/bin/qemu-img"
#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS.fd"

static int failures;
static char tmpdir[] = "/tmp/vmm-qemu-cmd-XXXXXX";

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
                        fprintf(stderr, __VA_ARGS__);                                              \
                        fprintf(stderr, "\n");                                                     \
                        failures++;                                                                \
                }                                                                                  \
        } while (0)

typedef struct Scenario {
        const char *name;
        /* golden case tests/data/qemu-command/<file>.xml instead of `xml` */
        const char *file;
        const char *xml; /* every @DIR@ stands for the temporary directory */
        /* strings the query-block reply must hold (NULL-terminated) */
        const char *const *block_expect;
} Scenario;

/* Devices of every kind the builder writes, on a pc machine. */
static const char *const pc_block_expect[] = {"evil,driver=qcow2,locking=off.img", "disk.qcow2",
                                              "cd.iso", NULL};
static const Scenario scenarios[] = {
    /* golden files that need no host files */
    {"minimal", "minimal", NULL, NULL},
    {"net-user", "net-user", NULL, NULL},
    {"serial-pty", "serial-pty", NULL, NULL},
    {"cpu-topology", "cpu-topology", NULL, NULL},
    {"cpu-maximum", "cpu-maximum", NULL, NULL},
    {"features-clock", "features-clock", NULL, NULL},
    {"balloon-rng", "balloon-rng", NULL, NULL},
    {"watchdog-panic", "watchdog-panic", NULL, NULL},
    {"pc-devices", NULL,
     "<domain type='qemu'><name>exec-pc</name><memory unit='MiB'>64</memory>"
     "<vcpu current='1'>2</vcpu><iothreads>1</iothreads>"
     "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/><boot dev='hd'/>"
     "<bootmenu enable='yes' timeout='100'/></os>"
     "<features><acpi/><apic/><vmport state='off'/><tcg><tb-cache unit='MiB'>32</tb-cache>"
     "</tcg></features>"
     "<cpu mode='custom'><model>Nehalem</model><topology sockets='1' cores='2' threads='1'/>"
     "<feature policy='require' name='aes'/><feature policy='disable' name='x2apic'/></cpu>"
     "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/>"
     "<timer name='hpet' present='no'/></clock>"
     "<on_poweroff>restart</on_poweroff><on_reboot>destroy</on_reboot>"
     "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>"
     "<devices>"
     "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='none' io='native' "
     "discard='unmap'/><source file='@DIR@/evil,driver=qcow2,locking=off.img'/>"
     "<target dev='vda' bus='virtio'/></disk>"
     "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='writethrough' "
     "iothread='1'/><source file='@DIR@/disk.qcow2'/><target dev='vdb' bus='virtio'/>"
     "<readonly/></disk>"
     "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
     "<source file='@DIR@/cd.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>"
     "<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/><readonly/></disk>"
     "<controller type='scsi' index='0' model='virtio-scsi'/>"
     "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='unsafe'/>"
     "<source file='@DIR@/scsi.img'/><target dev='sda' bus='scsi'/></disk>"
     "<controller type='usb' index='0' model='qemu-xhci'/>"
     "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>"
     "<driver><host csum='off'/></driver></interface>"
     "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000'/></interface>"
     "<interface type='user'><mac address='52:54:00:00:00:03'/></interface>"
     "<serial type='pty'><target port='0'/></serial>"
     "<serial type='file'><source path='@DIR@/serial,1.out'/><target port='1'/></serial>"
     "<serial type='unix'><source mode='bind' path='@DIR@/serial2.sock'/><target port='2'/>"
     "</serial>"
     "<console type='pty'><target type='virtio' port='0'/></console>"
     "<channel type='unix'><source mode='bind' path='@DIR@/agent.sock'/>"
     "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
     "<input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>"
     "<graphics type='vnc'><listen type='socket' socket='@DIR@/vnc,0.sock'/></graphics>"
     "<video><model type='vga' vram='16384'/></video>"
     "<memballoon model='virtio' autodeflate='on'/>"
     "<rng model='virtio'><rate bytes='1024' period='1000'/>"
     "<backend model='random'>/dev/urandom</backend></rng>"
     "</devices></domain>",
     pc_block_expect},
    /* direct kernel boot from a path with a comma (a zero-filled "kernel":
     * QEMU loads it at machine creation, before the monitor, so reaching
     * the greeting proves the whole path arrived) */
    {"kernel-comma", NULL,
     "<domain type='qemu'><name>exec-kernel</name><memory unit='MiB'>64</memory>"
     "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>@DIR@/vmlinuz,initrd=x</kernel>"
     "<cmdline>console=ttyS0,115200 quiet</cmdline></os>"
     "<devices><serial type='pty'/></devices></domain>",
     NULL},
    /* q35 with PCIe root ports, SATA, UEFI from pflash */
    {"q35-pflash", NULL,
     "<domain type='qemu'><name>exec-q35</name><memory unit='MiB'>128</memory><vcpu>2</vcpu>"
     "<os><type arch='x86_64' machine='q35'>hvm</type>"
     "<loader readonly='yes' type='pflash'>@DIR@/OVMF_CODE.fd</loader>"
     "<nvram>@DIR@/vars.fd</nvram></os>"
     "<features><acpi/><apic/><smm state='on'/></features><cpu mode='maximum'/>"
     "<devices>"
     "<controller type='pci' index='0' model='pcie-root'/>"
     "<controller type='pci' index='1' model='pcie-root-port'><target chassis='1' port='0x10'/>"
     "<address type='pci' domain='0' bus='0' slot='2' function='0' multifunction='on'/>"
     "</controller>"
     "<controller type='pci' index='2' model='pcie-root-port'><target chassis='2' port='0x11'/>"
     "<address type='pci' domain='0' bus='0' slot='2' function='1'/></controller>"
     "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
     "<source file='@DIR@/disk.qcow2'/><target dev='vda' bus='virtio'/>"
     "<address type='pci' domain='0' bus='2' slot='0' function='0'/></disk>"
     "<disk type='file' device='cdrom'><source file='@DIR@/cd.iso'/>"
     "<target dev='sda' bus='sata'/><readonly/></disk>"
     "<interface type='user'><mac address='52:54:00:00:00:11'/><model type='virtio'/>"
     "<address type='pci' domain='0' bus='1' slot='0' function='0'/></interface>"
     "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>"
     "<video><model type='virtio'/></video>"
     "<rng model='virtio'><backend model='builtin'/></rng>"
     "</devices></domain>",
     NULL},
};

static int make_file(const char *name, off_t size)
{
        char path[512];
        int fd, r;

        snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        r = ftruncate(fd, size) < 0 ? -errno : 0;
        close(fd);
        return r;
}

static int copy_file(const char *from, const char *name)
{
        char path[512], buf[65536];
        _cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int out = -1;
        ssize_t n;

        snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
        if (in < 0)
                return -errno;
        out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0)
                return -errno;
        while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t)n) != n)
                        return -EIO;
        return n < 0 ? -errno : 0;
}

/* Runs argv to completion (no shell); returns its exit status or -errno. */
static int run(char *const argv[])
{
        pid_t pid;
        int status;
        int r = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);

        if (r != 0)
                return -r;
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

static int prepare_files(void)
{
        char qcow2[512];
        char *const img[] = {QEMU_IMG, "create", "-q", "-f", "qcow2", qcow2, "16M", NULL};
        int r;

        snprintf(qcow2, sizeof(qcow2), "%s/disk.qcow2", tmpdir);
        r = make_file("evil,driver=qcow2,locking=off.img", 16 << 20);
        if (r >= 0)
                r = make_file("cd.iso", 1 << 20);
        if (r >= 0)
                r = make_file("scsi.img", 8 << 20);
        if (r >= 0)
                r = make_file("vmlinuz,initrd=x", 8192);
        if (r >= 0)
                r = copy_file(OVMF_CODE, "OVMF_CODE.fd");
        if (r >= 0)
                r = copy_file(OVMF_VARS, "vars.fd");
        if (r >= 0)
                r = run(img) == 0 ? 0 : -EIO;
        return r;
}

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Connects to the monitor within `timeout` seconds, while QEMU lives. */
static int monitor_connect(const char *path, pid_t pid, double timeout)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        double end = now() + timeout;

        if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path) >= (int)sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        while (now() < end) {
                int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

                if (fd < 0)
                        return -errno;
                if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
                        return fd;
                close(fd);
                if (waitpid(pid, NULL, WNOHANG) == pid)
                        return -ECHILD; /* QEMU exited: it refused the command line */
                usleep(10000);
        }
        return -ETIMEDOUT;
}

/* Reads one line (a QMP message) within 5 s into buf. */
static int monitor_line(int fd, char *buf, size_t size)
{
        size_t n = 0;

        while (n + 1 < size) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                ssize_t k;

                if (poll(&p, 1, 5000) <= 0)
                        return -ETIMEDOUT;
                k = read(fd, buf + n, 1);
                if (k <= 0)
                        return -EPIPE;
                if (buf[n] == '\n')
                        break;
                n++;
        }
        buf[n] = '\0';
        return 0;
}

/* Sends a command and returns its reply (skipping events). */
static int monitor_call(int fd, const char *cmd, char *buf, size_t size)
{
        int r;

        if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
                return -EIO;
        do {
                r = monitor_line(fd, buf, size);
        } while (r >= 0 && strstr(buf, "\"event\""));
        return r;
}

static void show_log(const char *log)
{
        char buf[4096];
        _cleanup_close_ int fd = open(log, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

        if (n > 0) {
                buf[n] = '\0';
                fprintf(stderr, "QEMU said:\n%s\n", buf);
        }
}

static pid_t spawn_qemu(char **argv, const char *log)
{
        posix_spawn_file_actions_t fa;
        pid_t pid = -1;
        int r;

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        return r == 0 ? pid : -r;
}

static void check_block(int fd, const Scenario *s)
{
        char buf[16384];

        CHECK(monitor_call(fd, "{\"execute\":\"qmp_capabilities\"}\n", buf, sizeof(buf)) >= 0 &&
                  strstr(buf, "\"return\""),
              "%s: qmp_capabilities: %s", s->name, buf);
        CHECK(monitor_call(fd, "{\"execute\":\"query-block\"}\n", buf, sizeof(buf)) >= 0,
              "%s: query-block failed", s->name);
        for (size_t i = 0; s->block_expect[i]; i++)
                CHECK(strstr(buf, s->block_expect[i]), "%s: query-block does not name \"%s\": %s",
                      s->name, s->block_expect[i], buf);
}

/* The template with @DIR@ replaced by the temporary directory. */
static char *expand_dir(const char *tmpl)
{
        size_t n = 0;
        char *out, *o;

        for (const char *p = tmpl; (p = strstr(p, "@DIR@")); p += 5)
                n++;
        out = malloc(strlen(tmpl) + n * strlen(tmpdir) + 1);
        if (!out)
                abort();
        for (o = out; *tmpl;) {
                if (strncmp(tmpl, "@DIR@", 5) == 0) {
                        o = stpcpy(o, tmpdir);
                        tmpl += 5;
                } else {
                        *o++ = *tmpl++;
                }
        }
        *o = '\0';
        return out;
}

static void run_scenario(const Scenario *s)
{
        char monitor[256], log[256], greeting[4096];
        _cleanup_free_ char *xml = NULL;
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        _cleanup_close_ int fd = -1;
        VmmError error = VMM_ERROR_INIT;
        VmmQemuCommandContext ctx = {
            .monitor_path = monitor,
            .log_dir = tmpdir,
            .runtime_dir = tmpdir,
            .kvm_available = false,
            .start_paused = true,
        };
        double t0;
        pid_t pid;

        snprintf(monitor, sizeof(monitor), "%s/%s.monitor", tmpdir, s->name);
        snprintf(log, sizeof(log), "%s/%s.qemu.log", tmpdir, s->name);
        if (s->file) {
                char path[512];
                size_t len;

                snprintf(path, sizeof(path), "%s/qemu-command/%s.xml", VMM_TEST_DATA_DIR, s->file);
                if (vmm_file_read_all(path, 1 << 20, &xml, &len, &error) < 0) {
                        CHECK(false, "%s: %s", s->name, error.message);
                        vmm_error_clear(&error);
                        return;
                }
        } else {
                xml = expand_dir(s->xml);
        }
        if (vmm_domain_def_parse(xml, (size_t)-1, 0, &def, &error) < 0 ||
            vmm_domain_def_fill_defaults(def, &error) < 0 ||
            vmm_qemu_command_build(def, &ctx, &cmd, &error) < 0) {
                CHECK(false, "%s: %s", s->name, error.message);
                vmm_error_clear(&error);
                return;
        }
        t0 = now();
        pid = spawn_qemu(cmd->argv, log);
        CHECK(pid > 0, "%s: cannot start QEMU: %s", s->name, strerror(-pid));
        if (pid <= 0)
                return;
        fd = monitor_connect(monitor, pid, 10.0);
        CHECK(fd >= 0, "%s: no monitor (%s)", s->name, strerror(-fd));
        if (fd >= 0) {
                int r = monitor_line(fd, greeting, sizeof(greeting));

                CHECK(r >= 0 && strncmp(greeting, "{\"QMP\"", 6) == 0, "%s: no QMP greeting: %s",
                      s->name, r < 0 ? strerror(-r) : greeting);
                if (r >= 0)
                        printf("%s: QEMU accepted %zu arguments, greeting after %.0f ms\n", s->name,
                               cmd->argc, (now() - t0) * 1000);
                if (r >= 0 && s->block_expect)
                        check_block(fd, s);
        } else {
                show_log(log);
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path) < 0 ? -1 : 0;
}

static void remove_tree(void)
{
        if (nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
                fprintf(stderr, "cannot remove %s: %s\n", tmpdir, strerror(errno));
}

int main(void)
{
        int r;

        if (access(QEMU, X_OK) < 0 || access(QEMU_IMG, X_OK) < 0 || access(OVMF_CODE, R_OK) < 0) {
                printf("skip: %s, %s or %s is missing\n", QEMU, QEMU_IMG, OVMF_CODE);
                return 77;
        }
        if (!mkdtemp(tmpdir)) {
                perror("mkdtemp");
                return 1;
        }
        r = prepare_files();
        CHECK(r >= 0, "cannot prepare the disk files: %s", strerror(-r));
        for (size_t i = 0; r >= 0 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
                run_scenario(&scenarios[i]);
        if (!failures)
                remove_tree();
        else
                fprintf(stderr, "files kept in %s\n", tmpdir);
        printf("%s\n", failures ? "FAILED" : "ok");
        return failures ? 1 : 0;
}
