/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-validate.c: semantic checks on a parsed definition, kept apart
 * from parsing: rules that hold between fields (current memory not above
 * memory, current vCPUs not above the maximum, NUMA cells against vCPUs),
 * name rules, CPU sets, then the devices' own checks. Each error names the
 * element and the value at fault.
 */
#include <errno.h>

#include "domain-chr.h"
#include "domain-priv.h"

/* The largest CPU or NUMA node number a set may hold. */
#define DOMAIN_CPUSET_MAX 8192
/* A name becomes "<name>.xml" in the configuration directory. */
#define DOMAIN_NAME_MAX 251

typedef struct CpuSet {
        uint8_t bits[DOMAIN_CPUSET_MAX / 8];
        unsigned int count;
        int last; /* highest member, -1 when empty */
} CpuSet;

static bool cpuset_has(const CpuSet *s, unsigned int i)
{
        return i < DOMAIN_CPUSET_MAX && (s->bits[i / 8] & (1u << (i % 8)));
}

static void cpuset_put(CpuSet *s, unsigned int i, bool on)
{
        if (on == cpuset_has(s, i))
                return;
        s->bits[i / 8] ^= (uint8_t)(1u << (i % 8));
        s->count += on ? 1 : -1u;
}

static int cpuset_number(const char **p, unsigned int *ret)
{
        unsigned long v = 0;
        const char *s = *p;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        while (*s >= '0' && *s <= '9') {
                v = v * 10 + (unsigned long)(*s++ - '0');
                if (v >= DOMAIN_CPUSET_MAX)
                        return -ERANGE;
        }
        *p = s;
        *ret = (unsigned int)v;
        return 0;
}

/* "0-3,^2,8": ranges, single numbers, and ^exclusions. Blanks are allowed
 * around the items as libvirt allows them. */
static int cpuset_parse(const char *text, CpuSet *set)
{
        const char *p = text;

        memset(set, 0, sizeof(*set));
        set->last = -1;
        for (;;) {
                unsigned int a, b;
                bool neg = false;

                while (*p == ' ')
                        p++;
                if (*p == '^') {
                        neg = true;
                        p++;
                }
                if (cpuset_number(&p, &a) < 0)
                        return -EINVAL;
                b = a;
                if (!neg && *p == '-') {
                        p++;
                        if (cpuset_number(&p, &b) < 0 || b < a)
                                return -EINVAL;
                }
                for (unsigned int i = a; i <= b; i++)
                        cpuset_put(set, i, !neg);
                while (*p == ' ')
                        p++;
                if (*p == '\0')
                        break;
                if (*p++ != ',')
                        return -EINVAL;
        }
        for (int i = DOMAIN_CPUSET_MAX - 1; i >= 0; i--)
                if (cpuset_has(set, (unsigned int)i)) {
                        set->last = i;
                        break;
                }
        return set->count ? 0 : -ENOENT;
}

static int validate_cpuset(const char *what, const char *text, CpuSet *set, VmmError *error)
{
        CpuSet local;
        int r;

        if (!text)
                return 0;
        r = cpuset_parse(text, set ? set : &local);
        if (r == -ENOENT)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "%s: \"%s\" is an empty set",
                                     what, text);
        if (r < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "%s: \"%s\" is not a valid set (expected e.g. \"0-3,^2,8\", "
                                     "numbers below %d)",
                                     what, text, DOMAIN_CPUSET_MAX);
        return 0;
}

static int validate_name(const VmmDomainDef *def, VmmError *error)
{
        const char *name = def->name;

        if (!name || !*name)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "<name>: must not be empty");
        if (strchr(name, '/'))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<name>: \"%s\" must not contain '/'", name);
        if (strlen(name) > DOMAIN_NAME_MAX)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<name>: is %zu bytes long (at most %d)", strlen(name),
                                     DOMAIN_NAME_MAX);
        for (const char *p = name; *p; p++)
                if ((unsigned char)*p < 0x20)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<name>: must not contain control characters");
        if (def->title && strchr(def->title, '\n'))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML, "<title>: must be a single line");
        return 0;
}

static int validate_memory(const VmmDomainDef *def, VmmError *error)
{
        /* as written; NUMA cells, when given, replace it at define time */
        uint64_t memory =
            def->memory_kib ? def->memory_kib : vmm_domain_numa_total_kib(&def->cpu.numa);

        if (!memory)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<memory>: missing or 0 (expected e.g. "
                                     "<memory unit='MiB'>512</memory>)");
        /* with <maxMemory>, memory devices add to the size: see the devices' checks */
        if (def->current_memory_kib > memory && !def->max_memory_kib)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<currentMemory>: %" PRIu64 " KiB is more than <memory> "
                                     "%" PRIu64 " KiB",
                                     def->current_memory_kib, memory);
        if (def->max_memory_kib && def->max_memory_kib < memory)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<maxMemory>: %" PRIu64 " KiB is less than <memory> "
                                     "%" PRIu64 " KiB",
                                     def->max_memory_kib, memory);
        if (def->max_memory_slots && !def->max_memory_kib)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<maxMemory>: slots given without a size");
        for (size_t i = 0; i < def->memory_backing.n_pages; i++) {
                const VmmDomainHugepage *p = &def->memory_backing.pages[i];
                int r = validate_cpuset("<memoryBacking><hugepages><page nodeset=...>", p->nodeset,
                                        NULL, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int validate_vcpus(const VmmDomainDef *def, VmmError *error)
{
        unsigned int max = vmm_domain_def_get_max_vcpus(def);
        const VmmDomainCpu *cpu = &def->cpu;
        int r;

        if (def->vcpus_current > max)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<vcpu current=...>: %u current vCPUs is more than the "
                                     "maximum of %u",
                                     def->vcpus_current, max);
        r = validate_cpuset("<vcpu cpuset=...>", def->vcpu_cpuset, NULL, error);
        if (r < 0)
                return r;
        if (cpu->has_topology) {
                unsigned long long n = 1;
                const unsigned int parts[] = {cpu->sockets, cpu->dies, cpu->clusters, cpu->cores,
                                              cpu->threads};

                for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
                        n *= parts[i] ? parts[i] : 1;
                if (n != max)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<cpu><topology>: gives %llu vCPUs but <vcpu> is %u",
                                             n, max);
        }
        for (size_t i = 0; i < def->n_vcpu_info; i++)
                if (def->vcpu_info[i].id >= max)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<vcpus><vcpu id='%u'>: above the maximum vCPU "
                                             "id %u",
                                             def->vcpu_info[i].id, max - 1);
        return 0;
}

static int validate_numa(const VmmDomainDef *def, VmmError *error)
{
        const VmmDomainNuma *numa = &def->cpu.numa;
        unsigned int max = vmm_domain_def_get_max_vcpus(def);
        CpuSet all = {.last = -1};
        int r;

        for (size_t i = 0; i < numa->n_cells; i++) {
                const VmmDomainNumaCell *cell = &numa->cells[i];
                CpuSet set;

                if (cell->id >= 0 && (size_t)cell->id >= numa->n_cells)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<cpu><numa><cell id='%d'>: ids must be below the "
                                             "number of cells (%zu)",
                                             cell->id, numa->n_cells);
                for (size_t j = 0; j < i; j++)
                        if (cell->id >= 0 && numa->cells[j].id == cell->id)
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "<cpu><numa><cell id='%d'>: id given twice",
                                                     cell->id);
                if (!cell->cpus)
                        continue;
                r = validate_cpuset("<cpu><numa><cell cpus=...>", cell->cpus, &set, error);
                if (r < 0)
                        return r;
                if (set.last >= (int)max)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<cpu><numa><cell id='%zu'>: vCPU %d is above the "
                                             "maximum id %u",
                                             i, set.last, max - 1);
                for (unsigned int c = 0; c <= (unsigned int)set.last; c++) {
                        if (!cpuset_has(&set, c))
                                continue;
                        if (cpuset_has(&all, c))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "<cpu><numa><cell id='%zu'>: vCPU %u is "
                                                     "already in another cell",
                                                     i, c);
                        cpuset_put(&all, c, true);
                }
        }
        return 0;
}

static int validate_numatune_modes(const VmmDomainTune *t, VmmError *error)
{
        const int restrictive = 3;

        for (size_t i = 0; i < t->n_memnodes; i++) {
                bool node_r = t->memnodes[i].mode == restrictive;
                bool memory_r = t->numa_mode == restrictive;

                if (node_r != memory_r && (memory_r || t->has_numa_memory))
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<numatune><memnode cellid='%u'>: mode 'restrictive' "
                                             "must be used by <memory> and every <memnode> or "
                                             "by none",
                                             t->memnodes[i].cellid);
        }
        return 0;
}

static int validate_numatune(const VmmDomainDef *def, VmmError *error)
{
        const VmmDomainTune *t = &def->tune;
        int r;

        if (t->numa_placement == 1 && t->numa_nodeset)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<numatune><memory>: nodeset='%s' cannot be given with "
                                     "placement='auto' (the host picks the nodes)",
                                     t->numa_nodeset);
        r = validate_cpuset("<numatune><memory nodeset=...>", t->numa_nodeset, NULL, error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < t->n_memnodes; i++) {
                const VmmDomainNumaMemnode *m = &t->memnodes[i];

                if (m->cellid >= def->cpu.numa.n_cells)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<numatune><memnode cellid='%u'>: no such NUMA "
                                             "cell (the domain has %zu)",
                                             m->cellid, def->cpu.numa.n_cells);
                if (t->numa_placement == 1)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<numatune><memnode>: not allowed with "
                                             "placement='auto'");
                r = validate_cpuset("<numatune><memnode nodeset=...>", m->nodeset, NULL, error);
                if (r < 0)
                        return r;
        }
        return validate_numatune_modes(t, error);
}

static int validate_scheds(const char *what, const VmmDomainSched *s, size_t n, unsigned int limit,
                           bool zero_based, VmmError *error)
{
        CpuSet all = {.last = -1};

        for (size_t i = 0; i < n; i++) {
                CpuSet set;
                int r = validate_cpuset(what, s[i].ids, &set, error);

                if (r < 0)
                        return r;
                if (!s[i].ids)
                        continue;
                for (unsigned int c = 0; c <= (unsigned int)set.last; c++) {
                        if (!cpuset_has(&set, c))
                                continue;
                        if ((zero_based && c >= limit) || (!zero_based && (c < 1 || c > limit)))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "%s: %u is not an existing id", what, c);
                        if (cpuset_has(&all, c))
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "%s: %u is given more than once", what, c);
                        cpuset_put(&all, c, true);
                }
        }
        return 0;
}

static int validate_tune(const VmmDomainDef *def, VmmError *error)
{
        const VmmDomainTune *t = &def->tune;
        unsigned int max = vmm_domain_def_get_max_vcpus(def);
        unsigned int iothreads =
            t->iothreads > t->n_iothreadids ? t->iothreads : (unsigned int)t->n_iothreadids;
        int r;

        for (size_t i = 0; i < t->n_vcpupins; i++) {
                if (t->vcpupins[i].id >= max)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<cputune><vcpupin vcpu='%u'>: no such vCPU "
                                             "(the domain has %u)",
                                             t->vcpupins[i].id, max);
                r = validate_cpuset("<cputune><vcpupin cpuset=...>", t->vcpupins[i].cpuset, NULL,
                                    error);
                if (r < 0)
                        return r;
        }
        r = validate_cpuset("<cputune><emulatorpin cpuset=...>", t->emulatorpin, NULL, error);
        if (r >= 0)
                r = validate_scheds("<cputune><vcpusched vcpus=...>", t->vcpuscheds,
                                    t->n_vcpuscheds, max, true, error);
        if (r >= 0)
                r = validate_scheds("<cputune><iothreadsched iothreads=...>", t->iothreadscheds,
                                    t->n_iothreadscheds, iothreads, false, error);
        if (r < 0)
                return r;
        if (t->has_value[VMM_CPUTUNE_SHARES] && t->value[VMM_CPUTUNE_SHARES] < 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<cputune><shares>: %lld must not be negative",
                                     t->value[VMM_CPUTUNE_SHARES]);
        if (t->iothreads && t->n_iothreadids > t->iothreads)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<iothreadids>: %zu threads listed but <iothreads> is %u",
                                     t->n_iothreadids, t->iothreads);
        return 0;
}

/* Features and devices that only exist on one kind of machine. */
static int validate_feature_machine(const VmmDomainDef *def, VmmError *error)
{
        static const VmmDomainFeatureName pseries_only[] = {
            VMM_DOMAIN_FEATURE_HPT,        VMM_DOMAIN_FEATURE_HTM,  VMM_DOMAIN_FEATURE_NESTED_HV,
            VMM_DOMAIN_FEATURE_CCF_ASSIST, VMM_DOMAIN_FEATURE_CFPC, VMM_DOMAIN_FEATURE_SBBC,
            VMM_DOMAIN_FEATURE_IBS,
        };
        static const char *const names[] = {"hpt",  "htm",  "nested-hv", "ccf-assist",
                                            "cfpc", "sbbc", "ibs"};
        const char *machine = def->os.machine, *arch = def->os.arch;

        for (size_t i = 0; i < ARRAY_SIZE(pseries_only); i++)
                if (def->features.f[pseries_only[i]].present && machine &&
                    strncmp(machine, "pseries", 7) != 0)
                        return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                             "<features><%s>: only for pSeries machines, not "
                                             "machine '%s'",
                                             names[i], machine);
        if (machine && strncmp(machine, "pseries", 7) != 0) {
                size_t n = 0;
                void *const *serials =
                        vmm_domain_devices_get(def->devices, VMM_DOMAIN_DEVICE_SERIAL, &n);

                for (size_t i = 0; i < n; i++) {
                        const VmmDomainChr *chr = serials[i];

                        if (chr->target_type && strcmp(chr->target_type, "spapr-vio-serial") == 0)
                                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                                     "<serial><target type='spapr-vio-serial'>: "
                                                     "only for pSeries machines, not machine "
                                                     "'%s'",
                                                     machine);
                }
        }
        if (def->features.f[VMM_DOMAIN_FEATURE_GIC].present && arch &&
            strcmp(arch, "aarch64") != 0 && strcmp(arch, "armv7l") != 0)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<features><gic>: only for ARM guests, not arch '%s'", arch);
        return 0;
}

static int validate_misc(const VmmDomainDef *def, VmmError *error)
{
        const VmmDomainFeature *smm = &def->features.f[VMM_DOMAIN_FEATURE_SMM];

        if (def->os.has_bootmenu_timeout && def->os.bootmenu_timeout > 65535)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<os><bootmenu timeout=...>: %u is above 65535 ms",
                                     def->os.bootmenu_timeout);
        if (def->os.has_bios_reboot_timeout &&
            (def->os.bios_reboot_timeout < -1 || def->os.bios_reboot_timeout > 65535))
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<os><bios rebootTimeout=...>: %d is not in -1..65535",
                                     def->os.bios_reboot_timeout);
        if (smm->has_size && smm->size_kib % 1024)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<features><smm><tseg>: %" PRIu64 " KiB is not a whole "
                                     "number of MiB",
                                     smm->size_kib);
        if (validate_feature_machine(def, error) < 0)
                return -EINVAL;
        if (def->clock.offset == VMM_DOMAIN_CLOCK_TIMEZONE && !def->clock.timezone)
                return vmm_error_set(error, -EINVAL, VMM_ERR_XML,
                                     "<clock offset='timezone'>: missing attribute 'timezone'");
        return 0;
}

int vmm_domain_def_validate(const VmmDomainDef *def, VmmError *error)
{
        int r;

        vmm_check_arg(def, error, "def");
        r = validate_name(def, error);
        if (r >= 0)
                r = validate_memory(def, error);
        if (r >= 0)
                r = validate_vcpus(def, error);
        if (r >= 0)
                r = validate_numa(def, error);
        if (r >= 0)
                r = validate_numatune(def, error);
        if (r >= 0)
                r = validate_tune(def, error);
        if (r >= 0)
                r = validate_misc(def, error);
        if (r >= 0 && def->devices)
                r = vmm_domain_devices_validate(def->devices, error);
        if (r < 0)
                return vmm_error_prefix(error, r, "domain '%s': ", strna(def->name));
        return 0;
}
