/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command.c: the entry point of the command-line builder and the
 * machine-wide sections: emulator, name, machine and accelerator, CPU,
 * memory, vCPUs and topology, UUID, monitor, clock, life cycle, boot,
 * direct kernel boot, firmware, power management and I/O threads. The
 * devices are in qemu-command-{disk,net,chr,misc}.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-command-priv.h"


int vmm_qemu_build_error(VmmQemuBuild *b, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                msg = NULL;
                return vmm_error_oom(b->error);
        }
        return vmm_error_set(b->error, -EINVAL, VMM_ERR_XML, "domain '%s': %s", b->name, msg);
}

int vmm_qemu_build_unsupported(VmmQemuBuild *b, const char *fmt, ...)
{
        _cleanup_free_ char *what = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (r < 0) {
                what = NULL;
                return vmm_error_oom(b->error);
        }
        return vmm_error_set(b->error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                             "domain '%s': %s is not supported by the qemu driver yet", b->name,
                             what);
}

int vmm_qemu_build_pci_address(VmmQemuBuild *b, VmmBuf *opts, const VmmDevInfo *info,
                               const char *what)
{
        const VmmDevAddress *a = info->address;

        if (!a || a->type == VMM_DEV_ADDRESS_NONE)
                return 0;
        if (a->type != VMM_DEV_ADDRESS_PCI) {
                char buf[64];

                return vmm_qemu_build_unsupported(b, "%s: <address> '%s' (expected a pci address)",
                                                  what,
                                                  vmm_dev_address_string(a, buf, sizeof(buf)));
        }
        if (a->domain != VMM_DEV_UNSET && a->domain != 0)
                return vmm_qemu_build_unsupported(
                    b, "%s: PCI domain %" PRId64 " (expected domain 0)", what, a->domain);
        if (a->bus == VMM_DEV_UNSET || a->bus == 0)
                vmm_qemu_opt_add(opts, "bus", b->pci_root);
        else
                vmm_qemu_opt_addf(opts, "bus", "pci.%" PRId64, a->bus);
        if (a->slot == VMM_DEV_UNSET)
                return 0;
        if (a->function > 0)
                vmm_qemu_opt_addf(opts, "addr", "0x%" PRIx64 ".0x%" PRIx64, a->slot, a->function);
        else
                vmm_qemu_opt_addf(opts, "addr", "0x%" PRIx64, a->slot);
        if (a->multifunction == VMM_DEV_ON)
                vmm_qemu_opt_bool(opts, "multifunction", true);
        return 0;
}

void vmm_qemu_build_bootindex(VmmBuf *opts, int64_t index)
{
        if (index > 0)
                vmm_qemu_opt_addf(opts, "bootindex", "%" PRId64, index);
}

void vmm_qemu_build_virtio(VmmBuf *opts, int iommu, int ats, int packed, int page_per_vq)
{
        if (iommu > 0)
                vmm_qemu_opt_bool(opts, "iommu_platform", iommu == VMM_DEV_ON);
        if (ats > 0)
                vmm_qemu_opt_bool(opts, "ats", ats == VMM_DEV_ON);
        if (packed > 0)
                vmm_qemu_opt_bool(opts, "packed", packed == VMM_DEV_ON);
        if (page_per_vq > 0)
                vmm_qemu_opt_bool(opts, "page-per-vq", page_per_vq == VMM_DEV_ON);
}

int vmm_qemu_build_pass_fd(VmmQemuBuild *b, int fd)
{
        int *n = realloc(b->fds, (b->n_fds + 1) * sizeof(*n));

        if (!n)
                return vmm_error_oom(b->error);
        b->fds = n;
        b->fds[b->n_fds++] = fd;
        return 0;
}

void vmm_qemu_build_chr_log(VmmQemuBuild *b, VmmBuf *opts, const VmmDomainChr *chr, const char *id)
{
        if (chr->log_file) {
                vmm_qemu_opt_add(opts, "logfile", chr->log_file);
                vmm_qemu_opt_bool(opts, "logappend", chr->log_append != VMM_DEV_OFF);
        } else if (b->ctx->log_dir) {
                vmm_qemu_opt_addf(opts, "logfile", "%s/%s-%s.log", b->ctx->log_dir, b->name, id);
                vmm_qemu_opt_bool(opts, "logappend", true);
        }
}

/* ---- sections ---- */

static int command_check_os(VmmQemuBuild *b)
{
        const VmmDomainOs *os = &b->def->os;
        const char *arch = os->arch;

        if (os->type >= 0 && os->type != VMM_DOMAIN_OS_HVM)
                return vmm_qemu_build_unsupported(b, "<os><type>%s</type> (expected hvm)",
                                                  vmm_domain_os_type_to_string(os->type));
        if (arch && strcmp(arch, "x86_64") != 0 && strcmp(arch, "i686") != 0)
                return vmm_qemu_build_unsupported(b, "architecture '%s' (expected x86_64 or i686)",
                                                  arch);
        if (os->init || os->n_initargs)
                return vmm_qemu_build_unsupported(b, "<os><init> (container boot)");
        if (os->dtb)
                return vmm_qemu_build_unsupported(b, "<os><dtb>");
        for (size_t i = 0; i < ARRAY_SIZE(os->acpi_tables); i++)
                if (os->acpi_tables[i])
                        return vmm_qemu_build_unsupported(b, "<os><acpi><table>");
        if (os->smbios_mode >= 0)
                return vmm_qemu_build_unsupported(b, "<os><smbios>");
        if (os->bios_useserial > 0)
                return vmm_qemu_build_unsupported(b, "<os><bios useserial='yes'>");
        if (os->firmware == VMM_DOMAIN_FIRMWARE_EFI && !os->loader_path)
                return vmm_qemu_build_unsupported(b, "<os firmware='efi'> without a <loader> "
                                                     "(firmware auto-selection)");
        if (os->has_nvram && !os->nvram_path)
                return vmm_qemu_build_unsupported(b, "<nvram> without a path (NVRAM created "
                                                     "from a template)");
        return 0;
}

/* In the order of VmmDomainFeatureName (domain-priv.h). */
static const char *const command_feature_names[_VMM_DOMAIN_FEATURE_MAX] = {
    "acpi",       "apic",   "pae",        "hap",          "viridian", "privnet",        "hyperv",
    "kvm",        "xen",    "pvspinlock", "capabilities", "pmu",      "vmport",         "gic",
    "smm",        "ioapic", "hpt",        "vmcoreinfo",   "htm",      "nested-hv",      "msrs",
    "ccf-assist", "cfpc",   "sbbc",       "ibs",          "tcg",      "async-teardown", "ras",
    "ps2",        "aia",
};

static int command_check_domain(VmmQemuBuild *b)
{
        const VmmDomainDef *def = b->def;
        static const VmmDomainFeatureName allowed[] = {
            VMM_DOMAIN_FEATURE_ACPI,   VMM_DOMAIN_FEATURE_APIC, VMM_DOMAIN_FEATURE_PAE,
            VMM_DOMAIN_FEATURE_VMPORT, VMM_DOMAIN_FEATURE_SMM,  VMM_DOMAIN_FEATURE_TCG,
        };
        int r;

        r = command_check_os(b);
        if (r < 0)
                return r;
        for (int f = 0; f < _VMM_DOMAIN_FEATURE_MAX; f++) {
                bool ok = false;

                for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
                        ok = ok || (int)allowed[i] == f;
                if (def->features.f[f].present && !ok)
                        return vmm_qemu_build_unsupported(b, "<features><%s>",
                                                          command_feature_names[f]);
        }
        if (def->cpu.numa.n_cells)
                return vmm_qemu_build_unsupported(b, "<cpu><numa>");
        if (def->memory_backing.present)
                return vmm_qemu_build_unsupported(b, "<memoryBacking>");
        if (def->has_genid)
                return vmm_qemu_build_unsupported(b, "<genid>");
        if (def->misc.has_launch_security)
                return vmm_qemu_build_unsupported(b, "<launchSecurity>");
        if (def->misc.idmap)
                return vmm_qemu_build_unsupported(b, "<idmap>");
        if (def->extensions.n_nodes)
                return vmm_qemu_build_unsupported(b, "<%s> (a namespaced extension)",
                                                  (const char *)def->extensions.nodes[0]->name);
        return vmm_qemu_command_check_devices(b);
}

static const char *command_emulator(const VmmQemuBuild *b)
{
        size_t n;
        void *const *emu = qemu_build_devices(b, VMM_DOMAIN_DEVICE_EMULATOR, &n);

        if (b->ctx->emulator)
                return b->ctx->emulator;
        if (n && ((const VmmDomainEmulator *)emu[0])->path)
                return ((const VmmDomainEmulator *)emu[0])->path;
        return VMM_QEMU_DEFAULT_EMULATOR;
}

/* A feature's on/off attribute (state='on'): 1, 0, or -1 when absent. */
static int command_feature_state(const VmmQemuBuild *b, VmmDomainFeatureName f)
{
        const VmmDomainFeature *feat = &b->def->features.f[f];

        if (!feat->present)
                return -1;
        return !feat->attr || strcmp(feat->attr, "on") == 0 || strcmp(feat->attr, "yes") == 0;
}

static int command_machine(VmmQemuBuild *b)
{
        const VmmDomainDef *def = b->def;
        const char *machine = def->os.machine ? def->os.machine : "pc";
        VmmBuf o = VMM_BUF_INIT;
        int state;

        b->q35 = strncmp(machine, "q35", 3) == 0 || strncmp(machine, "pc-q35", 6) == 0;
        b->pci_root = b->q35 ? "pcie.0" : "pci.0";
        vmm_qemu_opt_add(&o, NULL, machine);
        vmm_qemu_opt_bool(&o, "usb", false);
        if (def->memory_dump_core >= 0)
                vmm_qemu_opt_bool(&o, "dump-guest-core", def->memory_dump_core == 1);
        /* as libvirt: no <acpi/> feature means no ACPI */
        if (!def->features.f[VMM_DOMAIN_FEATURE_ACPI].present)
                vmm_qemu_opt_bool(&o, "acpi", false);
        state = command_feature_state(b, VMM_DOMAIN_FEATURE_VMPORT);
        if (state >= 0)
                vmm_qemu_opt_bool(&o, "vmport", state);
        state = command_feature_state(b, VMM_DOMAIN_FEATURE_SMM);
        if (state >= 0)
                vmm_qemu_opt_bool(&o, "smm", state);
        for (size_t i = 0; i < def->clock.n_timers; i++)
                if (def->clock.timers[i].name == VMM_DOMAIN_TIMER_HPET && def->clock.timers[i].present >= 0)
                        vmm_qemu_opt_bool(&o, "hpet", def->clock.timers[i].present == 1);
        if (def->os.loader_path && def->os.loader_type == VMM_DOMAIN_LOADER_PFLASH) {
                vmm_qemu_opt_add(&o, "pflash0", "vmm-pflash0-format");
                if (def->os.nvram_path)
                        vmm_qemu_opt_add(&o, "pflash1", "vmm-pflash1-format");
        }
        vmm_qemu_args_add_opts(&b->args, "-machine", &o);
        return 0;
}

static int command_accel(VmmQemuBuild *b)
{
        const VmmDomainFeature *tcg = &b->def->features.f[VMM_DOMAIN_FEATURE_TCG];
        VmmBuf o = VMM_BUF_INIT;

        switch (b->def->virt_type) {
        case VMM_DOMAIN_VIRT_KVM:
                if (!b->ctx->kvm_available)
                        return vmm_error_set(b->error, -ENOTSUP, VMM_ERR_NO_SUPPORT,
                                             "domain '%s': type 'kvm' needs /dev/kvm, which this "
                                             "host does not have (use type='qemu' for TCG)",
                                             b->name);
                b->kvm = true;
                vmm_qemu_opt_add(&o, NULL, "kvm");
                break;
        case VMM_DOMAIN_VIRT_QEMU:
                vmm_qemu_opt_add(&o, NULL, "tcg");
                if (tcg->present && tcg->has_size)
                        vmm_qemu_opt_addf(&o, "tb-size", "%" PRIu64, tcg->size_kib / 1024);
                break;
        default:
                return vmm_qemu_build_unsupported(b,
                                                  "<domain type='%s'> (expected 'kvm' or 'qemu')",
                                                  strna(vmm_domain_def_get_virt_type(b->def)));
        }
        vmm_qemu_args_add_opts(&b->args, "-accel", &o);
        return 0;
}

/* CPU feature names become option keys, which are not escaped: only
 * names QEMU could know (letters, digits, '_', '-', '.') pass. */
static int command_cpu_features(VmmQemuBuild *b, VmmBuf *o, const VmmDomainCpu *cpu)
{
        static const char ok[] =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

        for (size_t i = 0; i < cpu->n_features; i++) {
                const VmmDomainCpuFeature *f = &cpu->features[i];
                bool off = f->policy == VMM_DOMAIN_CPU_POLICY_DISABLE || f->policy == VMM_DOMAIN_CPU_POLICY_FORBID;

                if (!f->name || !*f->name || strspn(f->name, ok) != strlen(f->name))
                        return vmm_qemu_build_error(b,
                                                    "<cpu><feature name='%s'>: not a CPU "
                                                    "feature name (expected letters, digits, "
                                                    "'_', '-' or '.', e.g. 'aes')",
                                                    strempty(f->name));
                vmm_qemu_opt_bool(o, f->name, !off);
        }
        if (cpu->has_cache && cpu->cache_mode == VMM_DOMAIN_CPU_CACHE_PASSTHROUGH)
                vmm_qemu_opt_bool(o, "host-cache-info", true);
        else if (cpu->has_cache && cpu->cache_mode >= 0)
                vmm_qemu_opt_bool(o, "l3-cache", cpu->cache_mode == VMM_DOMAIN_CPU_CACHE_EMULATE);
        if (cpu->has_maxphysaddr && cpu->maxphysaddr_mode == 1)
                vmm_qemu_opt_bool(o, "host-phys-bits", true);
        if (cpu->has_maxphysaddr && cpu->maxphysaddr_bits)
                vmm_qemu_opt_addf(o,
                                  cpu->maxphysaddr_mode == 1 ? "host-phys-bits-limit" : "phys-bits",
                                  "%u", cpu->maxphysaddr_bits);
        return 0;
}

static int command_cpu(VmmQemuBuild *b)
{
        const VmmDomainCpu *cpu = &b->def->cpu;
        VmmBuf o = VMM_BUF_INIT;
        int r;

        if (!cpu->present || (cpu->mode < 0 && !cpu->model && !cpu->n_features))
                return 0;
        if (cpu->vendor)
                return vmm_qemu_build_unsupported(b, "<cpu><vendor>");
        switch (cpu->mode) {
        case VMM_DOMAIN_CPU_HOST_PASSTHROUGH:
                if (!b->kvm)
                        return vmm_qemu_build_error(
                            b, "<cpu mode='host-passthrough'> needs KVM (type='kvm'); with "
                               "type='qemu' (TCG) use mode='maximum' or a named CPU model");
                vmm_qemu_opt_add(&o, NULL, "host");
                if (cpu->migratable >= 0)
                        vmm_qemu_opt_bool(&o, "migratable", cpu->migratable == 1);
                break;
        case VMM_DOMAIN_CPU_HOST_MODEL:
                vmm_qemu_opt_add(&o, NULL, b->kvm ? "host" : "max");
                break;
        case VMM_DOMAIN_CPU_MAXIMUM:
                vmm_qemu_opt_add(&o, NULL, "max");
                break;
        default:
                if (!cpu->model)
                        return vmm_qemu_build_error(b, "<cpu mode='custom'> needs a <model> "
                                                       "(expected e.g. <model>qemu64</model>)");
                vmm_qemu_opt_add(&o, NULL, cpu->model);
                break;
        }
        r = command_cpu_features(b, &o, cpu);
        if (r < 0) {
                vmm_buf_done(&o);
                return r;
        }
        vmm_qemu_args_add_opts(&b->args, "-cpu", &o);
        return 0;
}

static int command_memory(VmmQemuBuild *b)
{
        const VmmDomainDef *def = b->def;
        VmmBuf o = VMM_BUF_INIT;

        if (!def->memory_kib)
                return vmm_qemu_build_error(b, "<memory> is missing or 0 (expected e.g. "
                                               "<memory unit='MiB'>512</memory>)");
        if (def->max_memory_kib && def->max_memory_kib < def->memory_kib)
                return vmm_qemu_build_error(b,
                                            "<maxMemory> (%" PRIu64 " KiB) is below <memory> "
                                            "(%" PRIu64 " KiB)",
                                            def->max_memory_kib, def->memory_kib);
        vmm_qemu_opt_addf(&o, "size", "%" PRIu64 "k", def->memory_kib);
        if (def->max_memory_kib) {
                vmm_qemu_opt_addf(&o, "slots", "%u", def->max_memory_slots);
                vmm_qemu_opt_addf(&o, "maxmem", "%" PRIu64 "k", def->max_memory_kib);
        }
        vmm_qemu_args_add_opts(&b->args, "-m", &o);
        return 0;
}

static int command_smp(VmmQemuBuild *b)
{
        const VmmDomainDef *def = b->def;
        const VmmDomainCpu *cpu = &def->cpu;
        unsigned int max = def->vcpus_max ? def->vcpus_max : 1;
        unsigned int cur = def->vcpus_current ? def->vcpus_current : max;
        unsigned int sockets = max, dies = 1, cores = 1, threads = 1;
        VmmBuf o = VMM_BUF_INIT;

        if (cur > max)
                return vmm_qemu_build_error(b, "<vcpu current='%u'> is above the maximum %u", cur,
                                            max);
        if (cpu->has_topology) {
                sockets = cpu->sockets ? cpu->sockets : 1;
                dies = cpu->dies ? cpu->dies : 1;
                cores = cpu->cores ? cpu->cores : 1;
                threads = cpu->threads ? cpu->threads : 1;
                if (cpu->clusters > 1)
                        return vmm_qemu_build_unsupported(b, "<topology clusters='%u'>",
                                                          cpu->clusters);
                if ((uint64_t)sockets * dies * cores * threads != max)
                        return vmm_qemu_build_error(
                            b,
                            "<topology> gives %u sockets x %u dies x %u cores x %u threads = "
                            "%llu vCPUs, but <vcpu> is %u (expected them equal)",
                            sockets, dies, cores, threads,
                            (unsigned long long)sockets * dies * cores * threads, max);
        }
        vmm_qemu_opt_addf(&o, NULL, "%u", cur);
        if (cur != max)
                vmm_qemu_opt_addf(&o, "maxcpus", "%u", max);
        vmm_qemu_opt_addf(&o, "sockets", "%u", sockets);
        if (dies > 1)
                vmm_qemu_opt_addf(&o, "dies", "%u", dies);
        vmm_qemu_opt_addf(&o, "cores", "%u", cores);
        vmm_qemu_opt_addf(&o, "threads", "%u", threads);
        vmm_qemu_args_add_opts(&b->args, "-smp", &o);
        return 0;
}

static void command_monitor(VmmQemuBuild *b)
{
        VmmBuf o = VMM_BUF_INIT;

        if (!b->ctx->monitor_path)
                return;
        vmm_qemu_opt_add(&o, NULL, "socket");
        vmm_qemu_opt_add(&o, "id", "monitor");
        vmm_qemu_opt_add(&o, "path", b->ctx->monitor_path);
        vmm_qemu_opt_bool(&o, "server", true);
        vmm_qemu_opt_bool(&o, "wait", false);
        vmm_qemu_args_add_opts(&b->args, "-chardev", &o);
        vmm_qemu_args_add(&b->args, "-mon");
        vmm_qemu_args_add(&b->args, "chardev=monitor,mode=control");
}

static int command_check_timers(VmmQemuBuild *b, const VmmDomainClock *clock)
{
        for (size_t i = 0; i < clock->n_timers; i++) {
                const VmmDomainTimer *t = &clock->timers[i];

                if (t->name == VMM_DOMAIN_TIMER_RTC && t->tickpolicy >= 0 && t->tickpolicy != VMM_DOMAIN_TICK_CATCHUP)
                        return vmm_qemu_build_unsupported(b, "<timer name='rtc'> with a tick "
                                                             "policy other than 'catchup'");
                if (t->name == VMM_DOMAIN_TIMER_PIT && t->tickpolicy >= 0 && t->tickpolicy != VMM_DOMAIN_TICK_DELAY)
                        return vmm_qemu_build_unsupported(b, "<timer name='pit'> with a tick "
                                                             "policy other than 'delay'");
                if (t->name != VMM_DOMAIN_TIMER_RTC && t->name != VMM_DOMAIN_TIMER_PIT && t->name != VMM_DOMAIN_TIMER_HPET)
                        return vmm_qemu_build_unsupported(b,
                                                          "<timer> #%zu (only rtc, pit and "
                                                          "hpet are)",
                                                          i + 1);
        }
        return 0;
}

static int command_clock(VmmQemuBuild *b)
{
        const VmmDomainClock *clock = &b->def->clock;
        VmmBuf o = VMM_BUF_INIT;
        int r;

        if (clock->offset > VMM_DOMAIN_CLOCK_LOCALTIME)
                return vmm_qemu_build_unsupported(b,
                                                  "<clock offset='%s'> (expected 'utc' or "
                                                  "'localtime')",
                                                  clock->offset == 2   ? "timezone"
                                                  : clock->offset == 3 ? "variable"
                                                                       : "absolute");
        r = command_check_timers(b, clock);
        if (r < 0)
                return r;
        vmm_qemu_opt_add(&o, "base", clock->offset == VMM_DOMAIN_CLOCK_LOCALTIME ? "localtime" : "utc");
        for (size_t i = 0; i < clock->n_timers; i++)
                if (clock->timers[i].name == VMM_DOMAIN_TIMER_RTC &&
                    clock->timers[i].tickpolicy == VMM_DOMAIN_TICK_CATCHUP)
                        vmm_qemu_opt_add(&o, "driftfix", "slew");
        vmm_qemu_args_add_opts(&b->args, "-rtc", &o);
        /* TCG's PIT has no tick policy (nothing to set); KVM's in-kernel one
         * gets 'delay' when asked */
        for (size_t i = 0; i < clock->n_timers && b->kvm; i++) {
                if (clock->timers[i].name == VMM_DOMAIN_TIMER_PIT &&
                    clock->timers[i].tickpolicy == VMM_DOMAIN_TICK_DELAY) {
                        vmm_qemu_args_add(&b->args, "-global");
                        vmm_qemu_args_add(&b->args, "kvm-pit.lost_tick_policy=delay");
                }
        }
        return 0;
}

static void command_lifecycle(VmmQemuBuild *b)
{
        const VmmDomainDef *def = b->def;

        if (def->on_poweroff >= 0 && def->on_poweroff != VMM_DOMAIN_LIFECYCLE_DESTROY)
                vmm_qemu_args_add(&b->args, "-no-shutdown");
        if (def->on_reboot == VMM_DOMAIN_LIFECYCLE_DESTROY)
                vmm_qemu_args_add(&b->args, "-no-reboot");
}

/* Maps <os><boot dev=...> onto the first device of each kind, or takes
 * each device's <boot order>; the two may not be mixed. */
static int command_boot_order(VmmQemuBuild *b)
{
        const VmmDomainOs *os = &b->def->os;
        size_t nd, nn;
        VmmDomainDisk *const *disks =
            (VmmDomainDisk *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_DISK, &nd);
        VmmDomainNet *const *nets =
            (VmmDomainNet *const *)qemu_build_devices(b, VMM_DOMAIN_DEVICE_INTERFACE, &nn);
        bool per_device = false;

        b->disk_boot = calloc(nd + 1, sizeof(int64_t));
        b->net_boot = calloc(nn + 1, sizeof(int64_t));
        if (!b->disk_boot || !b->net_boot)
                return vmm_error_oom(b->error);
        for (size_t i = 0; i < nd; i++) {
                if (disks[i]->info.boot_order > 0) {
                        b->disk_boot[i] = disks[i]->info.boot_order;
                        per_device = true;
                }
        }
        for (size_t i = 0; i < nn; i++) {
                if (nets[i]->info.boot_order > 0) {
                        b->net_boot[i] = nets[i]->info.boot_order;
                        per_device = true;
                }
        }
        if (per_device && os->n_boot)
                return vmm_qemu_build_error(b, "<boot order=...> on devices cannot be combined "
                                               "with <os><boot dev=...>");
        for (size_t k = 0; k < os->n_boot; k++) {
                int dev = os->boot[k];

                if (dev == VMM_DOMAIN_BOOT_NETWORK) {
                        if (nn && !b->net_boot[0])
                                b->net_boot[0] = (int64_t)k + 1;
                        continue;
                }
                for (size_t i = 0; i < nd; i++) {
                        int want = dev == VMM_DOMAIN_BOOT_CDROM ? VMM_DISK_DEVICE_CDROM
                                   : dev == VMM_DOMAIN_BOOT_FD  ? VMM_DISK_DEVICE_FLOPPY
                                                        : VMM_DISK_DEVICE_DISK;
                        int kind = disks[i]->device ? disks[i]->device : VMM_DISK_DEVICE_DISK;

                        if (kind == want && !b->disk_boot[i]) {
                                b->disk_boot[i] = (int64_t)k + 1;
                                break;
                        }
                }
        }
        return 0;
}

static int command_boot(VmmQemuBuild *b)
{
        const VmmDomainOs *os = &b->def->os;
        VmmBuf o = VMM_BUF_INIT;
        int r;

        r = command_boot_order(b);
        if (r < 0)
                return r;
        if (os->bootmenu_enable >= 0)
                vmm_qemu_opt_bool(&o, "menu", os->bootmenu_enable == 1);
        if (os->bootmenu_enable == 1 && os->has_bootmenu_timeout)
                vmm_qemu_opt_addf(&o, "splash-time", "%u", os->bootmenu_timeout);
        if (os->has_bios_reboot_timeout)
                vmm_qemu_opt_addf(&o, "reboot-timeout", "%d", os->bios_reboot_timeout);
        vmm_qemu_opt_bool(&o, "strict", true);
        vmm_qemu_args_add_opts(&b->args, "-boot", &o);
        /* QEMU takes these three as whole strings (no option list): passed
         * verbatim, a comma in them is part of the value */
        if (os->kernel) {
                vmm_qemu_args_add(&b->args, "-kernel");
                vmm_qemu_args_add(&b->args, os->kernel);
        }
        if (os->initrd) {
                vmm_qemu_args_add(&b->args, "-initrd");
                vmm_qemu_args_add(&b->args, os->initrd);
        }
        if (os->cmdline) {
                vmm_qemu_args_add(&b->args, "-append");
                vmm_qemu_args_add(&b->args, os->cmdline);
        }
        return 0;
}

static void command_pflash(VmmQemuBuild *b, int unit, const char *path, bool readonly)
{
        VmmBuf o = VMM_BUF_INIT;

        vmm_qemu_opt_add(&o, "driver", "file");
        vmm_qemu_opt_add(&o, "filename", path);
        vmm_qemu_opt_addf(&o, "node-name", "vmm-pflash%d-storage", unit);
        if (readonly)
                vmm_qemu_opt_bool(&o, "read-only", true);
        else
                vmm_qemu_opt_bool(&o, "auto-read-only", true);
        vmm_qemu_opt_add(&o, "discard", "unmap");
        vmm_qemu_args_add_opts(&b->args, "-blockdev", &o);
        vmm_qemu_opt_addf(&o, "node-name", "vmm-pflash%d-format", unit);
        vmm_qemu_opt_bool(&o, "read-only", readonly);
        vmm_qemu_opt_add(&o, "driver", "raw");
        vmm_qemu_opt_addf(&o, "file", "vmm-pflash%d-storage", unit);
        vmm_qemu_args_add_opts(&b->args, "-blockdev", &o);
}

static void command_firmware(VmmQemuBuild *b)
{
        const VmmDomainOs *os = &b->def->os;

        if (!os->loader_path)
                return;
        if (os->loader_type != VMM_DOMAIN_LOADER_PFLASH) {
                vmm_qemu_args_add(&b->args, "-bios");
                vmm_qemu_args_add(&b->args, os->loader_path);
                return;
        }
        command_pflash(b, 0, os->loader_path, os->loader_readonly != 0);
        if (os->nvram_path)
                command_pflash(b, 1, os->nvram_path, false);
}

static void command_pm(VmmQemuBuild *b)
{
        const VmmDomainMisc *misc = &b->def->misc;
        const char *dev = b->q35 ? "ICH9-LPC" : "PIIX4_PM";

        if (misc->pm_suspend_to_mem >= 0) {
                vmm_qemu_args_add(&b->args, "-global");
                vmm_qemu_args_addf(&b->args, "%s.disable_s3=%d", dev, !misc->pm_suspend_to_mem);
        }
        if (misc->pm_suspend_to_disk >= 0) {
                vmm_qemu_args_add(&b->args, "-global");
                vmm_qemu_args_addf(&b->args, "%s.disable_s4=%d", dev, !misc->pm_suspend_to_disk);
        }
}

static void command_iothreads(VmmQemuBuild *b)
{
        const VmmDomainTune *tune = &b->def->tune;

        for (size_t i = 0; i < tune->n_iothreadids; i++) {
                vmm_qemu_args_add(&b->args, "-object");
                vmm_qemu_args_addf(&b->args, "iothread,id=iothread%u", tune->iothreadids[i].id);
        }
        /* the rest of <iothreads>N</iothreads> take the lowest free ids */
        for (unsigned int id = 1, n = (unsigned int)tune->n_iothreadids; n < tune->iothreads;
             id++) {
                bool used = false;

                for (size_t i = 0; i < tune->n_iothreadids; i++)
                        used = used || tune->iothreadids[i].id == id;
                if (used)
                        continue;
                vmm_qemu_args_add(&b->args, "-object");
                vmm_qemu_args_addf(&b->args, "iothread,id=iothread%u", id);
                n++;
        }
}

static bool command_has_graphics(const VmmQemuBuild *b)
{
        size_t n;

        qemu_build_devices(b, VMM_DOMAIN_DEVICE_GRAPHICS, &n);
        return n > 0;
}

static int command_head(VmmQemuBuild *b)
{
        char uuid[VMM_UUID_STRLEN];
        VmmBuf o = VMM_BUF_INIT;
        int r;

        vmm_qemu_args_add(&b->args, command_emulator(b));
        vmm_qemu_opt_add(&o, "guest", b->name);
        vmm_qemu_opt_bool(&o, "debug-threads", true);
        vmm_qemu_args_add_opts(&b->args, "-name", &o);
        if (b->ctx->start_paused)
                vmm_qemu_args_add(&b->args, "-S");
        if (b->ctx->incoming) {
                vmm_qemu_args_add(&b->args, "-incoming");
                vmm_qemu_args_add(&b->args, b->ctx->incoming);
        }
        r = command_machine(b);
        if (r >= 0)
                r = command_accel(b);
        if (r >= 0)
                r = command_cpu(b);
        if (r >= 0)
                r = command_memory(b);
        if (r >= 0)
                r = command_smp(b);
        if (r < 0)
                return r;
        vmm_qemu_args_add(&b->args, "-uuid");
        vmm_qemu_args_add(&b->args, vmm_uuid_format(b->def->uuid, uuid));
        if (!command_has_graphics(b)) {
                vmm_qemu_args_add(&b->args, "-display");
                vmm_qemu_args_add(&b->args, "none");
        }
        vmm_qemu_args_add(&b->args, "-no-user-config");
        vmm_qemu_args_add(&b->args, "-nodefaults");
        command_monitor(b);
        r = command_clock(b);
        if (r < 0)
                return r;
        command_lifecycle(b);
        r = command_boot(b);
        if (r < 0)
                return r;
        command_firmware(b);
        command_pm(b);
        command_iothreads(b);
        return 0;
}

static int command_devices(VmmQemuBuild *b)
{
        int (*const steps[])(VmmQemuBuild *) = {
            vmm_qemu_command_controllers, vmm_qemu_command_disks,
            vmm_qemu_command_nets,        vmm_qemu_command_chrs,
            vmm_qemu_command_graphics,    vmm_qemu_command_video_input,
            vmm_qemu_command_balloon_rng, vmm_qemu_command_watchdog_panic,
        };

        for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
                int r = steps[i](b);

                if (r < 0)
                        return r;
        }
        return 0;
}

VmmQemuCommand *vmm_qemu_command_free(VmmQemuCommand *cmd)
{
        if (!cmd)
                return NULL;
        vmm_qemu_argv_free(cmd->argv);
        free(cmd->pass_fds);
        free(cmd);
        return NULL;
}

static void command_build_done(VmmQemuBuild *b)
{
        vmm_qemu_args_done(&b->args);
        free(b->fds);
        free(b->disk_boot);
        free(b->net_boot);
}

int vmm_qemu_command_build(const VmmDomainDef *def, const VmmQemuCommandContext *ctx,
                           VmmQemuCommand **ret_cmd, VmmError *error)
{
        VmmQemuBuild b = {.def = def, .ctx = ctx, .error = error, .args = VMM_QEMU_ARGS_INIT};
        _cleanup_(vmm_qemu_command_freep) VmmQemuCommand *cmd = NULL;
        int r;

        vmm_check_arg(def && def->devices, error, "def (with defaults filled)");
        vmm_check_arg(ctx, error, "ctx");
        vmm_check_arg(ret_cmd, error, "ret_cmd");
        b.name = def->name ? def->name : "?";
        r = command_check_domain(&b);
        if (r >= 0)
                r = command_head(&b);
        if (r >= 0)
                r = command_devices(&b);
        if (r >= 0) {
                vmm_qemu_args_add(&b.args, "-msg");
                vmm_qemu_args_add(&b.args, "timestamp=on");
        }
        if (r >= 0 && vmm_qemu_args_failed(&b.args))
                r = vmm_error_oom(error);
        if (r >= 0 && !(cmd = calloc(1, sizeof(*cmd))))
                r = vmm_error_oom(error);
        if (r < 0) {
                command_build_done(&b);
                return r;
        }
        cmd->argc = b.args.argc;
        cmd->argv = vmm_qemu_args_steal(&b.args);
        cmd->pass_fds = TAKE_PTR(b.fds);
        cmd->n_pass_fds = b.n_fds;
        command_build_done(&b);
        if (!cmd->argv)
                return vmm_error_oom(error);
        *ret_cmd = TAKE_PTR(cmd);
        return 0;
}
