/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud.h: vmm-qemud's state, shared by main.c and the handlers. */
#pragma once

#include <stdint.h>

#include "daemon.h"
#include "qemu-domains.h"
#include "qemu-driver.h"
#include "vmm-domain.pb-c.h"

typedef struct QemudSubscription {
        VmmDaemonClient *client; /* holds a reference */
        uint32_t id;
        bool one_domain;
        uint8_t uuid[VMM_UUID_LEN];
} QemudSubscription;

typedef struct QemudConsole QemudConsole; /* qemud-console.c */
typedef struct QemudListCache QemudListCache; /* qemud-list.c */

typedef struct Qemud {
        VmmDaemon *daemon;
        VmmQemuDomains *store;
        VmmQemuDriver *drv;
        VmmQemuPaths paths;
        char *qemu_run_dir; /* <run_dir>/qemu: state files and monitors */
        char *log_dir;      /* <state_dir>/log: QEMU and serial logs */
        bool held;          /* guests run: no idle exit */
        QemudSubscription *subs;
        size_t n_subs;
        uint32_t next_sub_id;
        QemudConsole *consoles; /* open consoles: one client per device */
        QemudListCache *list_cache; /* list-all's last reply */
} Qemud;

/* The domain program's handlers, indexed by procedure number - 1. */
extern const VmmDaemonHandler qemud_domain_handlers[];
extern const size_t qemud_n_domain_handlers;

/* Drops every subscription (shutdown). */
void qemud_subscriptions_clear(Qemud *q);

/* Pushes a lifecycle event to the subscribed clients. */
void qemud_emit(Qemud *q, const char *name, const uint8_t uuid[VMM_UUID_LEN], int id,
                uint32_t event, int32_t detail);
/* The driver's callbacks (events, busy) with `q` as userdata. */
extern const VmmQemuDriverCallbacks qemud_driver_callbacks;

/* A domain reference of the wire from a driver domain (borrows `d`). */
void qemud_ref_fill(Vmm__DomainRef *ref, const VmmQemuDriverDomain *d);
/* The domain a request names, by UUID (the handle's identity). */
int qemud_resolve(Qemud *q, const Vmm__DomainRef *ref, VmmQemuDriverDomain *ret, VmmError *error);

/* Replies to an asynchronous call: RpcEmpty when `status` >= 0, else an
 * error of `kind` carrying `message`. */
void qemud_call_finish(VmmDaemonCall *call, int status, const char *message, VmmErrorKind kind);

/* A call that starts a domain (create, restore) and answers with its
 * reference once it runs: *ret_name and uuid are filled by the driver. */
typedef struct QemudStartedCall {
        VmmDaemonCall *call;
        Qemud *q;
        char *name;
        uint8_t uuid[VMM_UUID_LEN];
        bool restore; /* reply DomainLookupReply (else DomainDefineXmlReply);
                       * a missing image (-ENOENT) is the caller's mistake */
} QemudStartedCall;
/* The driver's completion callback for a QemudStartedCall (frees it). */
void qemud_started_done(int status, const char *message, void *userdata);

/* qemud-lifecycle.c: start, create and the operations on running domains. */
int qemud_h_start(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                  VmmError *error);
int qemud_h_op(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
               VmmError *error);
int qemud_h_create_xml(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error);
int qemud_h_get_info(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                     VmmError *error);

/* qemud-ops.c: set-memory, get-stats, qemu-monitor-command. */
int qemud_h_set_memory(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                       VmmError *error);
int qemud_h_get_stats(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                      VmmError *error);
int qemud_h_monitor_command(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                            VmmError *error);

/* qemud-devices.c: attach-device, detach-device. */
int qemud_h_attach_device(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error);
int qemud_h_detach_device(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                          VmmError *error);

/* qemud-save.c: save, restore, managed save. */
int qemud_h_save(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                 VmmError *error);
int qemud_h_restore(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                    VmmError *error);
int qemud_h_managed_save(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                         VmmError *error);
int qemud_h_has_managed_save(VmmDaemonCall *call, const ProtobufCMessage *request,
                             void *userdata, VmmError *error);
int qemud_h_managed_save_remove(VmmDaemonCall *call, const ProtobufCMessage *request,
                                void *userdata, VmmError *error);

/* qemud-version.c: get-version (the QEMU binary's version, cached). */
int qemud_h_get_version(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                        VmmError *error);

/* qemud-console.c: open-console (a stream on the guest's serial port). */
int qemud_h_open_console(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                         VmmError *error);

/* qemud-list.c: list-all's reply for `flags`, built by the driver or kept
 * from the previous call when nothing changed since (borrowed until the
 * next change). qemud_emit() invalidates it. */
int qemud_list_reply(Qemud *q, unsigned int flags, const Vmm__DomainListAllReply **ret_reply,
                     VmmError *error);
void qemud_list_invalidate(Qemud *q);
QemudListCache *qemud_list_cache_free(QemudListCache *cache);
