/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver.h: the qemu driver as vmm-qemud hosts it: the persistent
 * domains (qemu-domains.h) joined with the running ones (qemu-process.h).
 * The daemon's handlers stay thin: they resolve a reference, call one
 * function here, and reply.
 *
 * A domain is persistent (a definition in the store), running (a QEMU the
 * manager watches), or both. A running domain without a definition is
 * transient: created with create-xml, or undefined while it ran; it
 * vanishes when it stops.
 *
 * Choices:
 * - Start copies the definition to a live one with the next id (ids
 *   increase; after a daemon restart they continue after the highest id
 *   re-attached), checks the host first (memory no larger than MemTotal,
 *   disk sources, kernel and initrd present) so a doomed start leaves
 *   nothing behind, then builds the argv (qemu-command.h) with KVM when
 *   /dev/kvm is usable.
 * - QEMU's own log is <log_dir>/<name>.log; serial ports and consoles log
 *   to <log_dir>/<name>-serial0.log (see qemu-command.h).
 * - Every state change becomes one lifecycle event (public
 *   VmmDomainEventType numbering, details as libvirt's) through the
 *   `event` callback; `busy` says whether any guest runs (the daemon must
 *   not exit idle then).
 * - <on_poweroff>restart</on_poweroff>: QEMU stays up after the guest
 *   powers off (-no-shutdown) and the driver resets and continues it;
 *   preserve leaves it paused. <on_reboot>destroy</on_reboot> is QEMU's
 *   -no-reboot. <on_crash> needs a panic device and is not acted on yet.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>
#include <vmm/vmm-domain.h>
#include <vmm/vmm-event.h>

#include "qemu-domains.h"
#include "qemu-process.h"

/* Event details, numbered as libvirt's. */
enum {
        VMM_QEMU_EVENT_STARTED_BOOTED = 0,
        VMM_QEMU_EVENT_SUSPENDED_PAUSED = 0,
        VMM_QEMU_EVENT_RESUMED_UNPAUSED = 0,
        VMM_QEMU_EVENT_SHUTDOWN_FINISHED = 0,
        VMM_QEMU_EVENT_STOPPED_SHUTDOWN = 0,
        VMM_QEMU_EVENT_STOPPED_DESTROYED = 1,
        VMM_QEMU_EVENT_STOPPED_CRASHED = 2,
        VMM_QEMU_EVENT_STOPPED_MIGRATED = 3,
        VMM_QEMU_EVENT_STOPPED_SAVED = 4,
        VMM_QEMU_EVENT_STOPPED_FAILED = 5,
};

typedef struct VmmQemuDriver VmmQemuDriver;

typedef struct VmmQemuDriverCallbacks {
        void (*event)(VmmQemuDriver *drv, const char *name, const uint8_t uuid[VMM_UUID_LEN],
                      int id, int event, int detail, void *userdata);
        void (*busy)(VmmQemuDriver *drv, bool busy, void *userdata);
} VmmQemuDriverCallbacks;

typedef struct VmmQemuDriverConfig {
        uv_loop_t *loop;
        VmmQemuDomains *store; /* borrowed; outlives the driver */
        const char *run_dir;   /* state files and monitors (created) */
        const char *log_dir;   /* QEMU and serial logs (created) */
        const char *emulator;  /* NULL: <emulator>, else the default */
        const char *save_dir;  /* managed save images (created on use); NULL: none */
} VmmQemuDriverConfig;

/* A domain as the driver sees it. Valid until the loop runs again. */
typedef struct VmmQemuDriverDomain {
        const char *name;
        uint8_t uuid[VMM_UUID_LEN];
        int id;                    /* -1 when not running */
        VmmQemuDomain *persistent; /* NULL: transient */
        VmmQemuProcess *proc;      /* NULL: shut off */
} VmmQemuDriverDomain;

int vmm_qemu_driver_new(const VmmQemuDriverConfig *config, const VmmQemuDriverCallbacks *cb,
                        void *userdata, VmmQemuDriver **ret_drv, VmmError *error);
/* Re-attaches to the QEMUs of the runtime directory, then starts the
 * persistent domains marked autostart that do not run. Returns the number
 * of domains re-attached. */
int vmm_qemu_driver_attach(VmmQemuDriver *drv, VmmError *error);
/* Leaves every QEMU running (daemon exit). The loop must run afterwards
 * to close the handles. Accepts NULL. */
VmmQemuDriver *vmm_qemu_driver_free(VmmQemuDriver *drv);

/* Lookups: 0, or -ENOENT (kind NO_DOMAIN) with a message. */
int vmm_qemu_driver_find_uuid(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN],
                              VmmQemuDriverDomain *ret, VmmError *error);
int vmm_qemu_driver_find_name(VmmQemuDriver *drv, const char *name, VmmQemuDriverDomain *ret,
                              VmmError *error);
int vmm_qemu_driver_find_id(VmmQemuDriver *drv, int id, VmmQemuDriverDomain *ret, VmmError *error);
/* The domains passing the public VmmDomainListFlags, sorted by name
 * (heap array). */
int vmm_qemu_driver_list(VmmQemuDriver *drv, unsigned int flags, VmmQemuDriverDomain **ret_doms,
                         size_t *ret_count, VmmError *error);

VmmDomainState vmm_qemu_driver_state(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                     int *ret_reason);
/* The live XML of a running domain, else (or with VMM_DOMAIN_XML_INACTIVE)
 * the persistent one. */
int vmm_qemu_driver_get_xml(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int flags,
                            char **ret_xml, VmmError *error);

/* The outcome of an asynchronous operation (may be called before the
 * function returns). */
typedef void (*VmmQemuDriverDoneFn)(int status, const char *message, void *userdata);
typedef void (*VmmQemuDriverInfoFn)(int status, const VmmDomainInfo *info, const char *message,
                                    void *userdata);

/* Live figures: CPU time from /proc, current memory from the balloon. */
int vmm_qemu_driver_get_info(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                             VmmQemuDriverInfoFn done, void *userdata, VmmError *error);

/* Starts a shut-off persistent domain; `flags`: VmmDomainStartFlags. On
 * a negative return nothing was started and `done` is not called. */
int vmm_qemu_driver_start(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, unsigned int flags,
                          VmmQemuDriverDoneFn done, void *userdata, VmmError *error);
/* Creates and starts a transient domain from XML; *ret_name (heap) and
 * ret_uuid name it at once. */
int vmm_qemu_driver_create(VmmQemuDriver *drv, const char *xml, unsigned int flags, char **ret_name,
                           uint8_t ret_uuid[VMM_UUID_LEN], VmmQemuDriverDoneFn done, void *userdata,
                           VmmError *error);

typedef enum VmmQemuDriverOp {
        VMM_QEMU_DRIVER_DESTROY,
        VMM_QEMU_DRIVER_SHUTDOWN,
        VMM_QEMU_DRIVER_SUSPEND,
        VMM_QEMU_DRIVER_RESUME,
        VMM_QEMU_DRIVER_REBOOT,
        VMM_QEMU_DRIVER_RESET,
        _VMM_QEMU_DRIVER_OP_MAX
} VmmQemuDriverOp;

/* -EBUSY (kind OPERATION_INVALID) when the domain does not run. */
int vmm_qemu_driver_op(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, VmmQemuDriverOp op,
                       VmmQemuDriverDoneFn done, void *userdata, VmmError *error);
/* Shutdown or reboot by mode (qemu-driver-agent.c): `flags` are
 * VmmDomainShutdownFlags (the reboot ones have the same bits); 0 or ACPI
 * is vmm_qemu_driver_op(). GUEST_AGENT without the agent's channel:
 * -ENOTSUP (kind NO_SUPPORT) naming the domain and the channel. */
int vmm_qemu_driver_shutdown_mode(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                  VmmQemuDriverOp which, unsigned int flags,
                                  VmmQemuDriverDoneFn done, void *userdata, VmmError *error);

/* Refuses (-EEXIST, kind DUPLICATE) a definition whose name or UUID
 * belongs to a running transient domain with another UUID or name (the
 * store knows only persistent ones). XML errors are left to the store. */
int vmm_qemu_driver_check_define(VmmQemuDriver *drv, const char *xml, VmmError *error);

/* The domain stopped being persistent (undefined while running): keeps
 * nothing more about it. */
void vmm_qemu_driver_forget(VmmQemuDriver *drv, const uint8_t uuid[VMM_UUID_LEN]);

/* --- save and restore (qemu-driver-save.c) --- */

/* Saves a running or paused domain to `path` (absolute); `done` once the
 * image is on disk and QEMU is gone (shutoff/saved). `flags`:
 * VmmDomainSaveRestoreFlags. On a negative return nothing changed. */
int vmm_qemu_driver_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *path,
                         const char *dxml, unsigned int flags, VmmQemuDriverDoneFn done,
                         void *userdata, VmmError *error);
/* Starts the domain saved in `path`; *ret_name (heap) and ret_uuid name
 * it at once; `done` once it runs (or is paused). */
int vmm_qemu_driver_restore(VmmQemuDriver *drv, const char *path, const char *dxml,
                            unsigned int flags, char **ret_name, uint8_t ret_uuid[VMM_UUID_LEN],
                            VmmQemuDriverDoneFn done, void *userdata, VmmError *error);
int vmm_qemu_driver_managed_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                 unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                                 VmmError *error);
/* 1 or 0. */
int vmm_qemu_driver_has_managed_save(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                     VmmError *error);
int vmm_qemu_driver_managed_save_remove(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                        VmmError *error);
/* Before an undefine: -EBUSY while a managed save image exists, unless
 * `flags` has VMM_DOMAIN_UNDEFINE_MANAGED_SAVE (the image is removed). */
int vmm_qemu_driver_undefine_check(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                                   unsigned int flags, VmmError *error);
