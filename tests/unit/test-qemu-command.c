/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-qemu-command: the QEMU command line built from domain XML, checked
 * against golden files.
 *
 * Each case parses a domain XML (vmm_domain_def_parse + fill_defaults),
 * builds the argv with a fixed context (fixed monitor, log and runtime
 * paths, no KVM, fixed taps: interface 0 -> tap "vmmtap0", interface 1 ->
 * fd 23, interface 2 -> tap "vmmtap2", interface 3 -> the XML's own
 * <target dev>) and compares it, one argument per line, with
 * tests/data/qemu-command/<name>.args. The XMLs are our own
 * (tests/data/qemu-command/<name>.xml) or libvirt's, read in place from
 * ../shared/corpus/domain/ (skipped with a message when the corpus is
 * absent); the golden file of corpus case X is corpus-X.args.
 *
 * To rewrite the golden files after an intended change, run the test with
 * VMM_REGENERATE_GOLDEN=1 in the environment, then review every changed
 * .args file by eye (git diff) before committing: a regenerated file is
 * only as right as the code that wrote it.
 *
 * Also checked: option escaping, the fds to pass, and the errors (by
 * message) for KVM on a host without it, an unknown disk format, devices
 * the builder cannot express, and other definitions QEMU cannot run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/domain.h"
#include "qemu-arg.h"
#include "qemu-command.h"
#include "util/error.h"
#include "util/fileutil.h"

#define GOLDEN_DIR VMM_TEST_DATA_DIR "/qemu-command"
#define CORPUS_DOMAIN_DIR VMM_CORPUS_DIR "/domain"

/* Our own XMLs, each covering a feature of the builder. */
static const char *const own_cases[] = {
    "minimal",         "kernel-comma",     "disk-raw-virtio",  "disk-qcow2-cache", "disk-ide-cdrom",
    "disk-scsi",       "disk-sata-q35",    "disk-block-comma", "net-user",         "net-tap",
    "serial-pty",      "serial-file-unix", "console-virtio",   "vnc-listen",       "vnc-socket",
    "vnc-autoport",    "balloon-rng",      "cpu-topology",     "cpu-maximum",      "features-clock",
    "firmware-pflash", "firmware-bios",    "boot-os-order",    "q35-pcie",         "paused-minimal",
    "watchdog-panic",  "net-fd-ethernet",  "net-fd-bridge",
};

/* libvirt's test documents (../shared/corpus/domain/<name>.xml) whose
 * features the builder supports. */
static const char *const corpus_cases[] = {
    "x86_64-pc-minimal",
    "x86_64-q35-minimal",
    "boot-cdrom",
    "disk-virtio",
    "disk-aio",
    "disk-discard",
    "disk-readonly-disk",
    "disk-sata-device",
    "net-user",
    "net-virtio-device",
    "net-virtio-disable-offloads",
    "console-virtio",
    "channel-virtio",
    "serial-unix-chardev",
    "serial-tcp-telnet-chardev",
    "graphics-vnc",
    "graphics-vnc-socket",
    "balloon-device-deflate",
    "virtio-rng-random",
    "cpu-topology1",
    "clock-localtime",
    "reboot-timeout-enabled",
    "misc-no-reboot",
    "machine-core-off",
    "usb-controller-nec-xhci",
    "input-usbtablet",
    "video-vga-device",
    "pcie-root-port-model-ioh3420",
    "q35-default-devices-only",
    "virtio-input",
    "iothreads-ids-partial",
    "memory-hotplug-nonuma",
    "cpu-host-model-tcg",
    "firmware-manual-efi-acpi-q35",
};

static const VmmQemuTap test_taps[] = {
    {.fd = -1, .ifname = "vmmtap0"},
    {.fd = 23, .ifname = NULL},
    {.fd = -1, .ifname = "vmmtap2"},
    {.fd = -1, .ifname = NULL},
};

/* Cases named "net-fd-*": the fds vmm-qemud's qemu-tap.c hands over
 * (fake numbers): interface 0 tap fd 30 + vhost fd 31, interface 1 two
 * queue fds 32:33 + vhost fds 34:35, interface 2 tap fd 36. */
static const int fd_vhost0[] = {31};
static const int fd_queues1[] = {32, 33};
static const int fd_vhost1[] = {34, 35};
static const VmmQemuTap fd_taps[] = {
    {.fd = 30, .ifname = "vmm0", .vhost_fds = fd_vhost0, .n_vhost_fds = 1},
    {.fd = -1,
     .ifname = "vmm1",
     .fds = fd_queues1,
     .n_fds = 2,
     .vhost_fds = fd_vhost1,
     .n_vhost_fds = 2},
    {.fd = 36, .ifname = "tap-web"},
};

static VmmQemuCommandContext test_ctx(void)
{
        return (VmmQemuCommandContext){
            .emulator = NULL,
            .monitor_path = "/run/vmm/qemu/test/monitor.sock",
            .log_dir = "/var/log/vmm/qemu",
            .runtime_dir = "/run/vmm/qemu/test",
            .kvm_available = false,
            .start_paused = false,
            .taps = test_taps,
            .n_taps = sizeof(test_taps) / sizeof(test_taps[0]),
        };
}

static bool corpus_present(void)
{
        struct stat st;

        return stat(CORPUS_DOMAIN_DIR, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Parses `xml` with defaults and builds with `ctx`; the error's message
 * (when it fails) goes to `error`. */
static int build_from_xml(const char *xml, const VmmQemuCommandContext *ctx,
                          VmmQemuCommand **ret_cmd, VmmError *error)
{
        _cleanup_(vmm_domain_def_freep) VmmDomainDef *def = NULL;
        int r;

        r = vmm_domain_def_parse(xml, (size_t)-1, 0, &def, error);
        if (r < 0)
                return r;
        r = vmm_domain_def_fill_defaults(def, error);
        if (r < 0)
                return r;
        return vmm_qemu_command_build(def, ctx, ret_cmd, error);
}

static char *argv_to_text(char **argv)
{
        VmmBuf buf = VMM_BUF_INIT;

        for (size_t i = 0; argv[i]; i++) {
                assert_null(strchr(argv[i], '\n'));
                vmm_buf_add(&buf, argv[i]);
                vmm_buf_addc(&buf, '\n');
        }
        return vmm_buf_steal(&buf);
}

/* Prints the first differing line (one argument), for a readable
 * failure. */
static void report_difference(const char *name, const char *want, const char *got)
{
        const char *w = want, *g = got;
        size_t line = 1;

        for (size_t i = 0; want[i] && want[i] == got[i]; i++) {
                if (want[i] == '\n') {
                        line++;
                        w = want + i + 1;
                        g = got + i + 1;
                }
        }
        fprintf(stderr,
                "%s: argv differs from the golden file at argument %zu:\n  golden: %.*s\n"
                "  built:  %.*s\n(run with VMM_REGENERATE_GOLDEN=1 to rewrite, then review)\n",
                name, line, (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
}

static void check_golden(const char *xml_path, const char *args_path, const char *name)
{
        VmmQemuCommandContext ctx = test_ctx();
        VmmError error = VMM_ERROR_INIT;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        _cleanup_free_ char *xml = NULL, *got = NULL, *want = NULL;
        size_t len;
        int r;

        /* cases named "paused-*" start paused (-S) */
        ctx.start_paused = strncmp(name, "paused-", 7) == 0;
        if (strncmp(name, "net-fd-", 7) == 0) {
                ctx.taps = fd_taps;
                ctx.n_taps = sizeof(fd_taps) / sizeof(fd_taps[0]);
        }
        r = vmm_file_read_all(xml_path, 1 << 20, &xml, &len, &error);
        if (r < 0)
                fail_msg("%s: %s", xml_path, error.message);
        r = build_from_xml(xml, &ctx, &cmd, &error);
        if (r < 0)
                fail_msg("%s: build failed: %s", name, error.message);
        got = argv_to_text(cmd->argv);
        assert_non_null(got);
        if (getenv("VMM_REGENERATE_GOLDEN")) {
                r = vmm_file_write_atomic(args_path, got, strlen(got), 0644, &error);
                if (r < 0)
                        fail_msg("%s: %s", args_path, error.message);
                fprintf(stderr, "rewrote %s: review it\n", args_path);
                return;
        }
        r = vmm_file_read_all(args_path, 1 << 20, &want, &len, &error);
        if (r < 0)
                fail_msg("%s: %s (run with VMM_REGENERATE_GOLDEN=1 to create it)", args_path,
                         error.message);
        if (strcmp(want, got) != 0) {
                report_difference(name, want, got);
                fail();
        }
        vmm_error_clear(&error);
}

static void test_golden_own(void **state)
{
        const char *name = *state;
        char xml[512], args[512];

        snprintf(xml, sizeof(xml), "%s/%s.xml", GOLDEN_DIR, name);
        snprintf(args, sizeof(args), "%s/%s.args", GOLDEN_DIR, name);
        check_golden(xml, args, name);
}

static void test_golden_corpus(void **state)
{
        const char *name = *state;
        char xml[512], args[512];

        if (!corpus_present()) {
                fprintf(stderr, "skip: %s is absent, corpus case '%s' not checked\n",
                        CORPUS_DOMAIN_DIR, name);
                skip();
        }
        snprintf(xml, sizeof(xml), "%s/%s.xml", CORPUS_DOMAIN_DIR, name);
        snprintf(args, sizeof(args), "%s/corpus-%s.args", GOLDEN_DIR, name);
        check_golden(xml, args, name);
}

/* ---- escaping and the argv array ---- */

static void test_opt_escape(void **state)
{
        static const struct {
                const char *in, *out;
        } cases[] = {
            {"plain", "plain"}, {"a,b", "a,,b"},
            {",", ",,"},        {"/x,driver=raw,,y", "/x,,driver=raw,,,,y"},
            {"", ""},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                VmmBuf buf = VMM_BUF_INIT;

                vmm_qemu_opt_escape(&buf, cases[i].in);
                assert_string_equal(vmm_buf_str(&buf), cases[i].out);
                vmm_buf_done(&buf);
        }
}

static void test_opt_list(void **state)
{
        VmmQemuArgs args = VMM_QEMU_ARGS_INIT;
        VmmBuf o = VMM_BUF_INIT;
        char **argv;

        vmm_qemu_opt_add(&o, NULL, "file");
        vmm_qemu_opt_add(&o, "id", "char,serial0");
        vmm_qemu_opt_addf(&o, "path", "/tmp/%s", "a,b");
        vmm_qemu_opt_bool(&o, "append", true);
        vmm_qemu_args_add_opts(&args, "-chardev", &o);
        vmm_qemu_args_add(&args, "-kernel");
        vmm_qemu_args_add(&args, "/boot/a,b");
        assert_int_equal(args.argc, 4);
        argv = vmm_qemu_args_steal(&args);
        assert_non_null(argv);
        assert_string_equal(argv[0], "-chardev");
        assert_string_equal(argv[1], "file,id=char,,serial0,path=/tmp/a,,b,append=on");
        /* taken as one string by QEMU: not an option list, not escaped */
        assert_string_equal(argv[3], "/boot/a,b");
        assert_null(argv[4]);
        assert_int_equal(args.argc, 0);
        vmm_qemu_argv_free(argv);
}

static void test_argv_to_string(void **state)
{
        char *argv[] = {"/usr/bin/qemu-system-x86_64",
                        "-append",
                        "console=ttyS0 quiet",
                        "-name",
                        "guest=it's,,x",
                        "",
                        NULL};
        _cleanup_free_ char *s = vmm_qemu_argv_to_string(argv);

        assert_string_equal(s, "/usr/bin/qemu-system-x86_64 -append 'console=ttyS0 quiet' "
                               "-name 'guest=it'\\''s,,x' ''");
}

/* ---- single behaviours ---- */

#define XML_HEAD(type)                                                                             \
        "<domain type='" type "'><name>t1</name>"                                                  \
        "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"                                        \
        "<memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>"

static char *build_error(const char *xml, const VmmQemuCommandContext *ctx)
{
        VmmError error = VMM_ERROR_INIT;
        VmmQemuCommand *cmd = NULL;
        int r;

        r = build_from_xml(xml, ctx, &cmd, &error);
        assert_true(r < 0);
        assert_null(cmd);
        assert_non_null(error.message);
        return error.message;
}

static void expect_error(const char *xml, const char *message)
{
        VmmQemuCommandContext ctx = test_ctx();
        _cleanup_free_ char *got = build_error(xml, &ctx);

        if (!strstr(got, message))
                fail_msg("error \"%s\" does not contain \"%s\"", got, message);
}

static void test_kvm_without_kvm(void **state)
{
        expect_error(XML_HEAD("kvm") "</domain>",
                     "domain 't1': type 'kvm' needs /dev/kvm, which this host does not have "
                     "(use type='qemu' for TCG)");
}

static bool argv_has(char **argv, const char *opt, const char *value)
{
        for (size_t i = 0; argv[i] && argv[i + 1]; i++)
                if (strcmp(argv[i], opt) == 0 && strcmp(argv[i + 1], value) == 0)
                        return true;
        return false;
}

static void test_kvm_with_kvm(void **state)
{
        VmmQemuCommandContext ctx = test_ctx();
        VmmError error = VMM_ERROR_INIT;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;

        ctx.kvm_available = true;
        assert_int_equal(build_from_xml(XML_HEAD("kvm") "<cpu mode='host-passthrough'/></domain>",
                                        &ctx, &cmd, &error),
                         0);
        assert_true(argv_has(cmd->argv, "-accel", "kvm"));
        assert_true(argv_has(cmd->argv, "-cpu", "host"));
        /* accel= inside -machine is fatal together with -accel in QEMU 7.2 */
        for (size_t i = 0; cmd->argv[i]; i++)
                assert_null(strstr(cmd->argv[i], "accel="));
}

static void test_host_passthrough_tcg(void **state)
{
        expect_error(XML_HEAD("qemu") "<cpu mode='host-passthrough'/></domain>",
                     "domain 't1': <cpu mode='host-passthrough'> needs KVM (type='kvm')");
}

static void test_unknown_disk_format(void **state)
{
        expect_error(XML_HEAD("qemu") "<devices><disk type='file' device='disk'>"
                                      "<driver name='qemu' type='vmdk'/>"
                                      "<source file='/var/lib/vmm/images/a.vmdk'/>"
                                      "<target dev='vda' bus='virtio'/></disk></devices></domain>",
                     "domain 't1': disk 'vda': format 'vmdk' (expected 'raw' or 'qcow2') is not "
                     "supported by the qemu driver yet");
}

static void test_unsupported_devices(void **state)
{
        static const struct {
                const char *devices, *message;
        } cases[] = {
            {"<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' "
             "bus='6' slot='7' function='0'/></source></hostdev>",
             "domain 't1': <hostdev> is not supported by the qemu driver yet"},
            {"<watchdog model='diag288' action='reset'/>",
             "domain 't1': <watchdog model='diag288'> (expected i6300esb or ib700) is not "
             "supported by the qemu driver yet"},
            {"<watchdog model='i6300esb' action='dump'/>", "<watchdog action='dump'> is not"},
            {"<smartcard mode='passthrough' type='spicevmc'/>",
             "domain 't1': <smartcard> is not supported by the qemu driver yet"},
            {"<sound model='ich6'/>", "domain 't1': <sound> is not supported"},
            {"<disk type='network' device='disk'><source protocol='nbd' name='x'><host "
             "name='h'/></source><target dev='vda' bus='virtio'/></disk>",
             "disk 'vda': <disk type='network'> is not supported"},
            {"<interface type='vhostuser'><mac address='52:54:00:00:00:01'/><source type='unix' "
             "path='/tmp/s' mode='client'/><model type='virtio'/></interface>",
             "interface '52:54:00:00:00:01': <interface type='vhostuser'> is not supported"},
            {"<graphics type='spice'/>",
             "graphics #0: <graphics type='spice'> (only vnc is) is not supported"},
            {"<parallel type='pty'/>", "<parallel> is not supported"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_free_ char *xml = NULL;

                assert_true(asprintf(&xml, XML_HEAD("qemu") "<devices>%s</devices></domain>",
                                     cases[i].devices) > 0);
                expect_error(xml, cases[i].message);
        }
}

static void test_bad_definitions(void **state)
{
        static const struct {
                const char *body, *message;
        } cases[] = {
            {"<vcpu>4</vcpu><cpu><topology sockets='1' cores='3' threads='1'/></cpu>",
             "<topology> gives 1 sockets x 1 dies x 3 cores x 1 threads = 3 vCPUs, but <vcpu> "
             "is 4"},
            {"<devices><interface type='bridge'><mac address='52:54:00:00:00:01'/>"
             "<source bridge='br0'/></interface><interface type='bridge'>"
             "<mac address='52:54:00:00:00:02'/><source bridge='br0'/></interface>"
             "<interface type='user'><mac address='52:54:00:00:00:03'/></interface>"
             "<interface type='bridge'><mac address='52:54:00:00:00:04'/>"
             "<source bridge='br0'/></interface></devices>",
             "interface '52:54:00:00:00:04' (type 'bridge'): no tap device was prepared"},
            {"<devices><disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>"
             "</devices>",
             "disk 'vda': <source> is missing"},
            {"<devices><input type='tablet' bus='usb'/></devices>",
             "input #0: a USB input device needs a USB controller"},
            /* a feature name is an option key (not escapable): checked */
            {"<cpu mode='custom'><model>qemu64</model><feature policy='require' "
             "name='aes,accel=kvm'/></cpu>",
             "<cpu><feature name='aes,accel=kvm'>: not a CPU feature name"},
            {"<maxMemory slots='2' unit='MiB'>32</maxMemory>",
             "<maxMemory> (32768 KiB) is below <memory> (65536 KiB)"},
            {"<clock offset='variable' adjustment='10'/>",
             "<clock offset='variable'> (expected 'utc' or 'localtime') is not supported"},
            {"<devices><interface type='user'><mac address='52:54:00:00:00:01'/>"
             "<model type='ne2k_isa'/></interface></devices>",
             "model 'ne2k_isa' (expected virtio, e1000, e1000e or rtl8139)"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_free_ char *xml = NULL;

                assert_true(asprintf(&xml, XML_HEAD("qemu") "%s</domain>", cases[i].body) > 0);
                expect_error(xml, cases[i].message);
        }
}

static void test_os_errors(void **state)
{
        expect_error("<domain type='qemu'><name>t1</name><memory unit='MiB'>64</memory>"
                     "<os><type arch='aarch64' machine='virt'>hvm</type></os></domain>",
                     "domain 't1': architecture 'aarch64' (expected x86_64 or i686) is not "
                     "supported by the qemu driver yet");
        expect_error("<domain type='qemu'><name>t1</name><memory unit='MiB'>64</memory>"
                     "<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os><devices>"
                     "<disk type='file' device='disk'><source file='/a.img'/>"
                     "<target dev='vda' bus='virtio'/><boot order='1'/></disk></devices>"
                     "</domain>",
                     "<boot order=...> on devices cannot be combined with <os><boot dev=...>");
        expect_error("<domain type='qemu'><name>t1</name><memory unit='MiB'>64</memory>"
                     "<os firmware='efi'><type arch='x86_64'>hvm</type></os></domain>",
                     "<os firmware='efi'> without a <loader> (firmware auto-selection) is not "
                     "supported");
}

/* Whether `arg` holds an option separator (an odd run of commas) followed
 * by `key`: an option that was injected through a value. */
static bool has_injected_option(const char *arg, const char *key)
{
        for (const char *p = arg; (p = strchr(p, ','));) {
                size_t run = strspn(p, ",");

                if (run % 2 == 1 && strncmp(p + run, key, strlen(key)) == 0)
                        return true;
                p += run;
        }
        return false;
}

/* Every user string that ends up in an option list carries ",inj=1": it
 * must never come out as an option of its own. */
static void test_no_injection(void **state)
{
        static const char *const verbatim[] = {"-kernel", "-initrd", "-append", "-bios", "-k"};
        VmmQemuCommandContext ctx = test_ctx();
        VmmError error = VMM_ERROR_INIT;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        const char *xml =
            "<domain type='qemu'><name>n,inj=1</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64' machine='pc,inj=1'>hvm</type>"
            "<loader type='pflash'>/fw,inj=1</loader><nvram>/nv,inj=1</nvram></os>"
            "<cpu mode='custom'><model>qemu64,inj=1</model></cpu>"
            "<devices>"
            "<disk type='file' device='disk'><source file='/d,inj=1.img'/>"
            "<target dev='vda' bus='virtio'/><serial>S,inj=1</serial></disk>"
            "<disk type='block' device='disk'><source dev='/dev/b,inj=1'/>"
            "<target dev='vdb' bus='virtio'/></disk>"
            "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"
            "<interface type='network'><mac address='52:54:00:00:00:02'/>"
            "<source network='n'/></interface>"
            "<interface type='user'><mac address='52:54:00:00:00:03'/></interface>"
            "<interface type='ethernet'><mac address='52:54:00:00:00:04'/>"
            "<target dev='t,inj=1'/><rom file='/rom,inj=1'/></interface>"
            "<serial type='file'><source path='/s,inj=1'/><log file='/l,inj=1'/></serial>"
            "<serial type='unix'><source mode='bind' path='/u,inj=1'/></serial>"
            "<serial type='tcp'><source mode='bind' host='h,inj=1' service='4,inj=1'/></serial>"
            "<channel type='unix'><source mode='bind' path='/c,inj=1'/>"
            "<target type='virtio' name='n,inj=1'/></channel>"
            "<graphics type='vnc'><listen type='socket' socket='/v,inj=1'/></graphics>"
            "<rng model='virtio'><backend model='random'>/dev/r,inj=1</backend></rng>"
            "</devices></domain>";

        assert_int_equal(build_from_xml(xml, &ctx, &cmd, &error), 0);
        for (size_t i = 1; cmd->argv[i]; i++) {
                bool raw = false;

                for (size_t k = 0; k < sizeof(verbatim) / sizeof(verbatim[0]); k++)
                        raw = raw || strcmp(cmd->argv[i - 1], verbatim[k]) == 0;
                if (!raw && has_injected_option(cmd->argv[i], "inj="))
                        fail_msg("argument %zu \"%s\" carries an injected option", i, cmd->argv[i]);
        }
        /* and the values arrived, escaped */
        assert_true(argv_has(cmd->argv, "-name", "guest=n,,inj=1,debug-threads=on"));
        assert_true(argv_has(cmd->argv, "-netdev",
                             "tap,ifname=t,,inj=1,script=no,downscript=no,"
                             "id=hostnet3"));
}

/* The VNC password is set over QMP later: it never appears in argv
 * (which /proc/PID/cmdline shows to every user). */
static void test_vnc_password(void **state)
{
        VmmQemuCommandContext ctx = test_ctx();
        VmmError error = VMM_ERROR_INIT;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        const char *xml = XML_HEAD("qemu") "<devices><graphics type='vnc' port='5905' "
                                           "passwd='hunter2'/></devices></domain>";

        assert_int_equal(build_from_xml(xml, &ctx, &cmd, &error), 0);
        assert_true(argv_has(cmd->argv, "-vnc", "127.0.0.1:5,password=on"));
        for (size_t i = 0; cmd->argv[i]; i++)
                assert_null(strstr(cmd->argv[i], "hunter2"));
}

static void test_pass_fds(void **state)
{
        VmmQemuCommandContext ctx = test_ctx();
        VmmError error = VMM_ERROR_INIT;
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        const char *xml = XML_HEAD("qemu") "<devices><interface type='user'>"
                                           "<mac address='52:54:00:00:00:01'/></interface>"
                                           "<interface type='network'><source network='default'/>"
                                           "<mac address='52:54:00:00:00:02'/></interface>"
                                           "</devices></domain>";

        assert_int_equal(build_from_xml(xml, &ctx, &cmd, &error), 0);
        assert_int_equal(cmd->n_pass_fds, 1);
        assert_int_equal(cmd->pass_fds[0], 23);
        assert_true(argv_has(cmd->argv, "-netdev", "tap,fd=23,id=hostnet1"));
        assert_true(argv_has(cmd->argv, "-netdev", "user,id=hostnet0"));
}

int main(void)
{
        size_t n_own = sizeof(own_cases) / sizeof(own_cases[0]);
        size_t n_corpus = sizeof(corpus_cases) / sizeof(corpus_cases[0]);
        static const struct CMUnitTest fixed[] = {
            cmocka_unit_test(test_opt_escape),
            cmocka_unit_test(test_opt_list),
            cmocka_unit_test(test_argv_to_string),
            cmocka_unit_test(test_vnc_password),
            cmocka_unit_test(test_no_injection),
            cmocka_unit_test(test_kvm_without_kvm),
            cmocka_unit_test(test_kvm_with_kvm),
            cmocka_unit_test(test_host_passthrough_tcg),
            cmocka_unit_test(test_unknown_disk_format),
            cmocka_unit_test(test_unsupported_devices),
            cmocka_unit_test(test_bad_definitions),
            cmocka_unit_test(test_os_errors),
            cmocka_unit_test(test_pass_fds),
        };
        size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]);
        struct CMUnitTest *tests = calloc(n_own + n_corpus + n_fixed, sizeof(*tests));
        char names[64][80];
        size_t n = 0;
        int r;

        if (!tests || n_own + n_corpus > 64)
                return 1;
        for (size_t i = 0; i < n_fixed; i++)
                tests[n++] = fixed[i];
        for (size_t i = 0; i < n_own; i++) {
                snprintf(names[i], sizeof(names[i]), "golden/%s", own_cases[i]);
                tests[n++] = (struct CMUnitTest){.name = names[i],
                                                 .test_func = test_golden_own,
                                                 .initial_state = (void *)own_cases[i]};
        }
        for (size_t i = 0; i < n_corpus; i++) {
                snprintf(names[n_own + i], sizeof(names[0]), "corpus/%s", corpus_cases[i]);
                tests[n++] = (struct CMUnitTest){.name = names[n_own + i],
                                                 .test_func = test_golden_corpus,
                                                 .initial_state = (void *)corpus_cases[i]};
        }
        r = _cmocka_run_group_tests("qemu-command", tests, n, NULL, NULL);
        free(tests);
        return r;
}
