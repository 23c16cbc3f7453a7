/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain-enums.h: the values of the domain model's section fields that
 * drivers read (OS type, firmware, loader, boot device, CPU mode, policy
 * and cache, clock offset, timers, tick policy). The section files index
 * their string tables by these names (domain-os.c, domain-cpu.c,
 * domain-clock.c), so a driver never depends on a table's order.
 */
#pragma once

typedef enum VmmDomainOsType {
        VMM_DOMAIN_OS_HVM,
        VMM_DOMAIN_OS_XEN,
        VMM_DOMAIN_OS_LINUX,
        VMM_DOMAIN_OS_EXE,
        VMM_DOMAIN_OS_UML,
        VMM_DOMAIN_OS_XENPVH,
        _VMM_DOMAIN_OS_MAX
} VmmDomainOsType;

typedef enum VmmDomainFirmware {
        VMM_DOMAIN_FIRMWARE_BIOS,
        VMM_DOMAIN_FIRMWARE_EFI,
        _VMM_DOMAIN_FIRMWARE_MAX
} VmmDomainFirmware;

typedef enum VmmDomainLoaderType {
        VMM_DOMAIN_LOADER_ROM,
        VMM_DOMAIN_LOADER_PFLASH,
        _VMM_DOMAIN_LOADER_MAX
} VmmDomainLoaderType;

typedef enum VmmDomainBootDev {
        VMM_DOMAIN_BOOT_FD,
        VMM_DOMAIN_BOOT_CDROM,
        VMM_DOMAIN_BOOT_HD,
        VMM_DOMAIN_BOOT_NETWORK,
        _VMM_DOMAIN_BOOT_MAX
} VmmDomainBootDev;

typedef enum VmmDomainCpuMode {
        VMM_DOMAIN_CPU_CUSTOM,
        VMM_DOMAIN_CPU_HOST_MODEL,
        VMM_DOMAIN_CPU_HOST_PASSTHROUGH,
        VMM_DOMAIN_CPU_MAXIMUM,
        _VMM_DOMAIN_CPU_MAX
} VmmDomainCpuMode;

typedef enum VmmDomainCpuPolicy {
        VMM_DOMAIN_CPU_POLICY_FORCE,
        VMM_DOMAIN_CPU_POLICY_REQUIRE,
        VMM_DOMAIN_CPU_POLICY_OPTIONAL,
        VMM_DOMAIN_CPU_POLICY_DISABLE,
        VMM_DOMAIN_CPU_POLICY_FORBID,
        _VMM_DOMAIN_CPU_POLICY_MAX
} VmmDomainCpuPolicy;

typedef enum VmmDomainCpuCacheMode {
        VMM_DOMAIN_CPU_CACHE_EMULATE,
        VMM_DOMAIN_CPU_CACHE_PASSTHROUGH,
        VMM_DOMAIN_CPU_CACHE_DISABLE,
        _VMM_DOMAIN_CPU_CACHE_MAX
} VmmDomainCpuCacheMode;

typedef enum VmmDomainClockOffset {
        VMM_DOMAIN_CLOCK_UTC,
        VMM_DOMAIN_CLOCK_LOCALTIME,
        VMM_DOMAIN_CLOCK_TIMEZONE,
        VMM_DOMAIN_CLOCK_VARIABLE,
        VMM_DOMAIN_CLOCK_ABSOLUTE,
        _VMM_DOMAIN_CLOCK_MAX
} VmmDomainClockOffset;

typedef enum VmmDomainTimerName {
        VMM_DOMAIN_TIMER_PLATFORM,
        VMM_DOMAIN_TIMER_PIT,
        VMM_DOMAIN_TIMER_RTC,
        VMM_DOMAIN_TIMER_HPET,
        VMM_DOMAIN_TIMER_TSC,
        VMM_DOMAIN_TIMER_KVMCLOCK,
        VMM_DOMAIN_TIMER_HYPERVCLOCK,
        VMM_DOMAIN_TIMER_ARMVTIMER,
        _VMM_DOMAIN_TIMER_MAX
} VmmDomainTimerName;

typedef enum VmmDomainTickPolicy {
        VMM_DOMAIN_TICK_DELAY,
        VMM_DOMAIN_TICK_CATCHUP,
        VMM_DOMAIN_TICK_MERGE,
        VMM_DOMAIN_TICK_DISCARD,
        _VMM_DOMAIN_TICK_MAX
} VmmDomainTickPolicy;
