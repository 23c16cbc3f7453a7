/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vmm-domain.h: virtual machines ("domains").
 *
 * A VmmDomain is a reference-counted handle naming one domain (by UUID) on
 * one connection; it caches the name, UUID and id at the time it was
 * obtained. Handles are returned with one reference owned by the caller;
 * release it with vmm_domain_unref(). A handle is safe to use from several
 * threads. Calls on a handle whose domain has gone fail with -ENOENT
 * (kind VMM_ERR_NO_DOMAIN).
 */
#pragma once

#include <vmm/vmm-connect.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VmmDomain VmmDomain;

#define VMM_UUID_BUFLEN 16
#define VMM_UUID_STRING_BUFLEN 37 /* 36 characters and the NUL */

/* States, numbered as libvirt's virDomainState. */
typedef enum VmmDomainState {
        VMM_DOMAIN_NOSTATE = 0,
        VMM_DOMAIN_RUNNING = 1,
        VMM_DOMAIN_BLOCKED = 2,
        VMM_DOMAIN_PAUSED = 3,
        VMM_DOMAIN_SHUTDOWN = 4, /* being shut down */
        VMM_DOMAIN_SHUTOFF = 5,
        VMM_DOMAIN_CRASHED = 6,
        VMM_DOMAIN_PMSUSPENDED = 7,
        _VMM_DOMAIN_STATE_MAX
} VmmDomainState;

/* Reasons, per state, numbered as libvirt's. */
typedef enum VmmDomainRunningReason {
        VMM_DOMAIN_RUNNING_UNKNOWN = 0,
        VMM_DOMAIN_RUNNING_BOOTED = 1,
        VMM_DOMAIN_RUNNING_MIGRATED = 2,
        VMM_DOMAIN_RUNNING_RESTORED = 3,
        VMM_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
        VMM_DOMAIN_RUNNING_UNPAUSED = 5,
        VMM_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
        VMM_DOMAIN_RUNNING_SAVE_CANCELED = 7,
        VMM_DOMAIN_RUNNING_WAKEUP = 8,
        VMM_DOMAIN_RUNNING_CRASHED = 9,
        VMM_DOMAIN_RUNNING_POSTCOPY = 10,
        _VMM_DOMAIN_RUNNING_REASON_MAX
} VmmDomainRunningReason;

typedef enum VmmDomainPausedReason {
        VMM_DOMAIN_PAUSED_UNKNOWN = 0,
        VMM_DOMAIN_PAUSED_USER = 1,
        VMM_DOMAIN_PAUSED_MIGRATION = 2,
        VMM_DOMAIN_PAUSED_SAVE = 3,
        VMM_DOMAIN_PAUSED_DUMP = 4,
        VMM_DOMAIN_PAUSED_IOERROR = 5,
        VMM_DOMAIN_PAUSED_WATCHDOG = 6,
        VMM_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
        VMM_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
        VMM_DOMAIN_PAUSED_SNAPSHOT = 9,
        VMM_DOMAIN_PAUSED_CRASHED = 10,
        VMM_DOMAIN_PAUSED_STARTING_UP = 11,
        _VMM_DOMAIN_PAUSED_REASON_MAX
} VmmDomainPausedReason;

typedef enum VmmDomainShutdownReason {
        VMM_DOMAIN_SHUTDOWN_UNKNOWN = 0,
        VMM_DOMAIN_SHUTDOWN_USER = 1,
        _VMM_DOMAIN_SHUTDOWN_REASON_MAX
} VmmDomainShutdownReason;

typedef enum VmmDomainShutoffReason {
        VMM_DOMAIN_SHUTOFF_UNKNOWN = 0,
        VMM_DOMAIN_SHUTOFF_SHUTDOWN = 1,
        VMM_DOMAIN_SHUTOFF_DESTROYED = 2,
        VMM_DOMAIN_SHUTOFF_CRASHED = 3,
        VMM_DOMAIN_SHUTOFF_MIGRATED = 4,
        VMM_DOMAIN_SHUTOFF_SAVED = 5,
        VMM_DOMAIN_SHUTOFF_FAILED = 6,
        VMM_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
        VMM_DOMAIN_SHUTOFF_DAEMON = 8,
        _VMM_DOMAIN_SHUTOFF_REASON_MAX
} VmmDomainShutoffReason;

typedef enum VmmDomainCrashedReason {
        VMM_DOMAIN_CRASHED_UNKNOWN = 0,
        VMM_DOMAIN_CRASHED_PANICKED = 1,
        _VMM_DOMAIN_CRASHED_REASON_MAX
} VmmDomainCrashedReason;

/* The name of a state ("running", "shut off", ... as virsh prints them)
 * and of a reason within a state ("booted", "user", "destroyed"...).
 * Unknown values give "unknown". */
VMM_EXPORT const char *vmm_domain_state_to_string(VmmDomainState state);
VMM_EXPORT const char *vmm_domain_state_reason_to_string(VmmDomainState state,
                                                         int reason);

typedef struct VmmDomainInfo {
        VmmDomainState state;
        uint64_t max_memory_kib; /* <memory> */
        uint64_t memory_kib;     /* current balloon size */
        unsigned int vcpus;      /* vCPUs in use */
        uint64_t cpu_time_ns;    /* CPU time used, 0 when not running */
} VmmDomainInfo;

/* Filters for vmm_domain_list_all(). Within each group (active/inactive,
 * persistent/transient, autostart/no-autostart, state) flags are OR'ed;
 * groups are AND'ed; a group with no flag set does not filter. 0 lists all. */
typedef enum VmmDomainListFlags {
        VMM_DOMAIN_LIST_ACTIVE = 1u << 0,
        VMM_DOMAIN_LIST_INACTIVE = 1u << 1,
        VMM_DOMAIN_LIST_PERSISTENT = 1u << 2,
        VMM_DOMAIN_LIST_TRANSIENT = 1u << 3,
        VMM_DOMAIN_LIST_RUNNING = 1u << 4,
        VMM_DOMAIN_LIST_PAUSED = 1u << 5,
        VMM_DOMAIN_LIST_SHUTOFF = 1u << 6,
        VMM_DOMAIN_LIST_OTHER = 1u << 7,
        VMM_DOMAIN_LIST_AUTOSTART = 1u << 8,
        VMM_DOMAIN_LIST_NO_AUTOSTART = 1u << 9,
        VMM_DOMAIN_LIST_MANAGED_SAVE = 1u << 10,    /* with a managed save image */
        VMM_DOMAIN_LIST_NO_MANAGED_SAVE = 1u << 11, /* without one */
} VmmDomainListFlags;

typedef enum VmmDomainDefineFlags {
        VMM_DOMAIN_DEFINE_VALIDATE = 1u << 0,     /* also check against the RelaxNG schema */
        VMM_DOMAIN_DEFINE_KEEP_UNKNOWN = 1u << 1, /* keep unknown elements verbatim */
} VmmDomainDefineFlags;

typedef enum VmmDomainStartFlags {
        VMM_DOMAIN_START_PAUSED = 1u << 0,
} VmmDomainStartFlags;

/* How vmm_domain_shutdown() asks the guest (libvirt's values). 0: the
 * driver's default (the ACPI power button). With both, the guest agent is
 * tried first and the power button used when the agent fails. The agent
 * needs a <channel type='unix'> with <target type='virtio'
 * name='org.qemu.guest_agent.0'/> (else -ENOTSUP). */
typedef enum VmmDomainShutdownFlags {
        VMM_DOMAIN_SHUTDOWN_DEFAULT = 0,
        VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1u << 0,
        VMM_DOMAIN_SHUTDOWN_GUEST_AGENT = 1u << 1,
} VmmDomainShutdownFlags;

/* The same for vmm_domain_reboot(). */
typedef enum VmmDomainRebootFlags {
        VMM_DOMAIN_REBOOT_DEFAULT = 0,
        VMM_DOMAIN_REBOOT_ACPI_POWER_BTN = 1u << 0,
        VMM_DOMAIN_REBOOT_GUEST_AGENT = 1u << 1,
} VmmDomainRebootFlags;

typedef enum VmmDomainXmlFlags {
        VMM_DOMAIN_XML_INACTIVE = 1u << 0, /* the persistent definition, not the live one */
        VMM_DOMAIN_XML_SECURE = 1u << 1,   /* include security-sensitive data */
} VmmDomainXmlFlags;

/* --- handles --- */

/* Adds a reference; returns `dom`. */
VMM_EXPORT VmmDomain *vmm_domain_ref(VmmDomain *dom);
/* Drops a reference; frees the handle at zero. Accepts NULL; returns NULL. */
VMM_EXPORT VmmDomain *vmm_domain_unref(VmmDomain *dom);

/* A second handle on the same domain (no round trip) whose calls have
 * the deadline `timeout_ms` (0: none) instead of the connection's; see
 * vmm_connect_set_call_timeout() in vmm-connect.h for why a deadline is
 * carried by a handle. Release it with vmm_domain_unref(). */
VMM_EXPORT int vmm_domain_with_call_timeout(VmmDomain *dom, int timeout_ms, VmmDomain **ret_dom,
                                            VmmError *error);

/* The name as cached in the handle; belongs to the handle. */
VMM_EXPORT const char *vmm_domain_get_name(VmmDomain *dom);
/* The UUID, raw (16 bytes) or as text (36 characters and a NUL). */
VMM_EXPORT void vmm_domain_get_uuid(VmmDomain *dom, uint8_t ret_uuid[VMM_UUID_BUFLEN]);
VMM_EXPORT void vmm_domain_get_uuid_string(VmmDomain *dom,
                                           char ret_uuid[VMM_UUID_STRING_BUFLEN]);
/* The running id, or -1 when the domain is not running. Asks the driver. */
VMM_EXPORT int vmm_domain_get_id(VmmDomain *dom);
/* The connection the handle belongs to (no new reference). */
VMM_EXPORT VmmConnect *vmm_domain_get_connect(VmmDomain *dom);

/* --- lookup and listing --- */

/* Errors: -ENOENT (kind VMM_ERR_NO_DOMAIN) when no domain matches,
 * -EINVAL for a NULL or malformed argument. */
VMM_EXPORT int vmm_domain_lookup_by_name(VmmConnect *conn, const char *name,
                                         VmmDomain **ret_dom, VmmError *error);
VMM_EXPORT int vmm_domain_lookup_by_uuid(VmmConnect *conn,
                                         const uint8_t uuid[VMM_UUID_BUFLEN],
                                         VmmDomain **ret_dom, VmmError *error);
VMM_EXPORT int vmm_domain_lookup_by_uuid_string(VmmConnect *conn, const char *uuid,
                                                VmmDomain **ret_dom, VmmError *error);
VMM_EXPORT int vmm_domain_lookup_by_id(VmmConnect *conn, int id,
                                       VmmDomain **ret_dom, VmmError *error);

/*
 * Lists the domains that pass `flags` (VmmDomainListFlags), sorted by
 * name. On success *ret_doms is a heap array of *ret_count handles, each
 * holding a reference; release everything with vmm_domain_list_free().
 * Returns the count.
 */
VMM_EXPORT int vmm_domain_list_all(VmmConnect *conn, unsigned int flags,
                                   VmmDomain ***ret_doms, size_t *ret_count,
                                   VmmError *error);
VMM_EXPORT void vmm_domain_list_free(VmmDomain **doms, size_t count);

/* --- definition --- */

/*
 * Defines (or redefines, when a domain with the same name and UUID exists)
 * a persistent domain from XML. Missing values are filled in (UUID, MAC
 * addresses, currentMemory...). `flags`: VmmDomainDefineFlags.
 * A running domain keeps its live configuration; the new definition takes
 * effect at its next start.
 * Errors: -EINVAL (kind VMM_ERR_XML) for malformed or invalid XML, the
 * message naming the element, attribute and line; -EEXIST (kind
 * VMM_ERR_DUPLICATE) when the name or the UUID belongs to another domain;
 * -EFBIG when the document exceeds the size limit. On error nothing changes.
 */
VMM_EXPORT int vmm_domain_define_xml(VmmConnect *conn, const char *xml,
                                     unsigned int flags, VmmDomain **ret_dom,
                                     VmmError *error);

/* Creates and starts a transient domain: it disappears when it stops.
 * `flags`: VMM_DOMAIN_START_PAUSED. Errors as vmm_domain_define_xml(). */
VMM_EXPORT int vmm_domain_create_xml(VmmConnect *conn, const char *xml,
                                     unsigned int flags, VmmDomain **ret_dom,
                                     VmmError *error);

/* Removes the persistent definition. A running domain becomes transient
 * and disappears when it stops. Errors: -ENOENT. */
VMM_EXPORT int vmm_domain_undefine(VmmDomain *dom, unsigned int flags, VmmError *error);

/* The domain's XML, live by default (VMM_DOMAIN_XML_INACTIVE for the
 * persistent definition). *ret_xml is heap memory for the caller to free(). */
VMM_EXPORT int vmm_domain_get_xml(VmmDomain *dom, unsigned int flags, char **ret_xml,
                                  VmmError *error);

/* --- lifecycle ---
 * Each fails with -EBUSY (kind VMM_ERR_OPERATION_INVALID) and a message
 * naming the domain and its state when the domain's state does not allow
 * the operation (starting a running domain, suspending a shut-off one...). */

/* Starts a defined, shut-off domain. `flags`: VmmDomainStartFlags. */
VMM_EXPORT int vmm_domain_start(VmmDomain *dom, unsigned int flags, VmmError *error);
/* Asks the guest to shut down (ACPI power button, or the guest agent:
 * `flags` VmmDomainShutdownFlags); returns at once. */
VMM_EXPORT int vmm_domain_shutdown(VmmDomain *dom, unsigned int flags, VmmError *error);
/* Stops the domain at once, as pulling the plug. */
VMM_EXPORT int vmm_domain_destroy(VmmDomain *dom, unsigned int flags, VmmError *error);
/* Pauses a running domain's vCPUs. */
VMM_EXPORT int vmm_domain_suspend(VmmDomain *dom, VmmError *error);
/* Resumes a paused domain. */
VMM_EXPORT int vmm_domain_resume(VmmDomain *dom, VmmError *error);
/* Asks the guest to reboot (`flags`: VmmDomainRebootFlags). */
VMM_EXPORT int vmm_domain_reboot(VmmDomain *dom, unsigned int flags, VmmError *error);
/* Resets the domain at once, as pressing the reset button. */
VMM_EXPORT int vmm_domain_reset(VmmDomain *dom, unsigned int flags, VmmError *error);

/* --- inspection --- */

VMM_EXPORT int vmm_domain_get_info(VmmDomain *dom, VmmDomainInfo *ret_info,
                                   VmmError *error);
/* The state and, when ret_reason is not NULL, the reason (one of the
 * Vmm<State>Reason enums, depending on the state). */
VMM_EXPORT int vmm_domain_get_state(VmmDomain *dom, VmmDomainState *ret_state,
                                    int *ret_reason, VmmError *error);
/* 1 when active (running, paused...), 0 when not, negative on error. */
VMM_EXPORT int vmm_domain_is_active(VmmDomain *dom, VmmError *error);
/* 1 when the domain has a persistent definition, 0 when transient. */
VMM_EXPORT int vmm_domain_is_persistent(VmmDomain *dom, VmmError *error);
/* The OS type of the domain ("hvm"); heap string for the caller to free(). */
VMM_EXPORT int vmm_domain_get_os_type(VmmDomain *dom, char **ret_os_type,
                                      VmmError *error);

/* Whether the domain starts when its host (daemon) starts. Setting it
 * on a transient domain fails with -EINVAL. */
VMM_EXPORT int vmm_domain_get_autostart(VmmDomain *dom, bool *ret_autostart,
                                        VmmError *error);
VMM_EXPORT int vmm_domain_set_autostart(VmmDomain *dom, bool autostart,
                                        VmmError *error);

/* --- runtime operations --- */

/* Where a change applies, as libvirt's virDomainModificationImpact:
 * CURRENT is LIVE on a running domain and CONFIG on a shut-off one. */
typedef enum VmmDomainModificationFlags {
        VMM_DOMAIN_AFFECT_CURRENT = 0,
        VMM_DOMAIN_AFFECT_LIVE = 1u << 0,   /* the running guest */
        VMM_DOMAIN_AFFECT_CONFIG = 1u << 1, /* the persistent definition */
} VmmDomainModificationFlags;

/*
 * Sets the guest's current memory (KiB): live through the balloon, and/or
 * the persistent <currentMemory> (VmmDomainModificationFlags). Errors:
 * -EINVAL when `kib` is 0 or above <memory> (the message gives both),
 * -EBUSY (kind VMM_ERR_OPERATION_INVALID) for LIVE on a domain that does
 * not run, -EINVAL for CONFIG on a transient domain.
 */
VMM_EXPORT int vmm_domain_set_memory(VmmDomain *dom, uint64_t kib, unsigned int flags,
                                     VmmError *error);

/*
 * Adds the device described by `xml` (one <disk> or <interface> element)
 * to the running guest and/or the persistent definition
 * (VmmDomainModificationFlags; CURRENT: live when running, else config).
 * LIVE|CONFIG changes both or neither. Errors: -EBUSY (kind
 * OPERATION_INVALID) for LIVE on a domain that does not run, -EINVAL for
 * CONFIG on a transient domain or bad XML (the message names the line),
 * -EEXIST when the disk target or MAC is already used (named), -ENOTSUP
 * for other device kinds (named).
 */
VMM_EXPORT int vmm_domain_attach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                        VmmError *error);
/* Removes the device `xml` designates: a disk by its <target dev>, an
 * interface by its MAC (else alias or <target dev>). -ENOENT naming it
 * when there is no such device; -ETIMEDOUT when the guest did not release
 * it in time (the device is then still there). Flags as above. */
VMM_EXPORT int vmm_domain_detach_device(VmmDomain *dom, const char *xml, unsigned int flags,
                                        VmmError *error);

/* Groups of statistics, numbered as libvirt's virDomainStatsTypes. */
typedef enum VmmDomainStatsGroups {
        VMM_DOMAIN_STATS_STATE = 1u << 0,     /* state.state, state.reason */
        VMM_DOMAIN_STATS_CPU_TOTAL = 1u << 1, /* cpu.time, cpu.user, cpu.system (ns) */
        VMM_DOMAIN_STATS_BALLOON = 1u << 2,   /* balloon.current, balloon.maximum (KiB) */
        VMM_DOMAIN_STATS_VCPU = 1u << 3,      /* vcpu.current, vcpu.maximum */
        VMM_DOMAIN_STATS_INTERFACE = 1u << 4, /* net.count, net.N.{name,rx.bytes,...} */
        VMM_DOMAIN_STATS_BLOCK = 1u << 5,     /* block.count, block.N.{name,path,rd.bytes,...} */
} VmmDomainStatsGroups;

typedef enum VmmDomainStatType {
        VMM_DOMAIN_STAT_UINT64 = 1,
        VMM_DOMAIN_STAT_STRING = 2,
} VmmDomainStatType;

/* One statistic: a key as virsh domstats prints it and a value. */
typedef struct VmmDomainStatField {
        char *key;
        VmmDomainStatType type;
        uint64_t u; /* VMM_DOMAIN_STAT_UINT64 */
        char *s;    /* VMM_DOMAIN_STAT_STRING */
} VmmDomainStatField;

/* The statistics of one domain; fields in a stable order (groups in the
 * order above, devices in document order). A counter the host cannot
 * provide (e.g. traffic of a user-mode NIC) is left out. */
typedef struct VmmDomainStatsRecord {
        VmmDomain *dom; /* holds a reference */
        VmmDomainStatField *fields;
        size_t n_fields;
} VmmDomainStatsRecord;

/*
 * The statistics of every domain passing `flags` (VmmDomainListFlags), in
 * one call (one round trip on a remote connection), sorted by name.
 * `stats`: VmmDomainStatsGroups, 0 for all. On success *ret_records is a
 * heap array of *ret_count records; release it with
 * vmm_domain_stats_free(). Returns the count.
 */
VMM_EXPORT int vmm_connect_get_all_domain_stats(VmmConnect *conn, unsigned int stats,
                                                unsigned int flags,
                                                VmmDomainStatsRecord **ret_records,
                                                size_t *ret_count, VmmError *error);
/* The same for the given domains (all on one connection), in their order. */
VMM_EXPORT int vmm_domain_list_get_stats(VmmDomain *const *doms, size_t n_doms,
                                         unsigned int stats, unsigned int flags,
                                         VmmDomainStatsRecord **ret_records,
                                         size_t *ret_count, VmmError *error);
/* Accepts NULL. */
VMM_EXPORT void vmm_domain_stats_free(VmmDomainStatsRecord *records, size_t count);

#ifdef __cplusplus
}
#endif
