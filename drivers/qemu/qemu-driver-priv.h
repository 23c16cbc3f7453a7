/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-driver-priv.h: what qemu-driver.c (domains, state, events) and
 * qemu-driver-run.c (start, operations, live figures) share.
 */
#pragma once

#include "qemu-driver.h"

/* A QEMU the driver watches (started here or re-attached). */
typedef struct QemuDriverLive {
        VmmQemuProcess *proc; /* reference */
        bool announced;       /* STARTED was emitted */
} QemuDriverLive;

/* The reason a persistent domain last shut off. */
typedef struct QemuDriverLastStop {
        uint8_t uuid[VMM_UUID_LEN];
        int reason;
} QemuDriverLastStop;

struct VmmQemuDriver {
        uv_loop_t *loop;
        VmmQemuDomains *store;
        VmmQemuManager *mgr;
        char *emulator;
        VmmQemuDriverCallbacks cb;
        void *userdata;
        int next_id;
        bool busy;

        QemuDriverLive *live;
        size_t n_live;
        QemuDriverLastStop *stops;
        size_t n_stops;

        char *save_dir; /* managed save images, NULL: none */
        int restore_fd; /* > 2 while a restore starts QEMU (qemu-driver-save.c) */
};

/* qemu-driver-save.c */
bool qemu_driver_has_managed_save(VmmQemuDriver *drv, const char *name);
/* Starts a persistent domain from its managed save image (removed once
 * it runs). `flags`: VMM_DOMAIN_START_PAUSED. */
int qemu_driver_start_managed(VmmQemuDriver *drv, const VmmQemuDriverDomain *d,
                              unsigned int flags, VmmQemuDriverDoneFn done, void *userdata,
                              VmmError *error);

/* qemu-driver.c */
int qemu_driver_live_add(VmmQemuDriver *drv, VmmQemuProcess *proc, bool announced, VmmError *error);
void qemu_driver_live_remove(VmmQemuDriver *drv, VmmQemuProcess *proc);
void qemu_driver_emit(VmmQemuDriver *drv, VmmQemuProcess *proc, int event, int detail);
void qemu_driver_state_changed(VmmQemuManager *mgr, VmmQemuProcess *proc, VmmDomainState state,
                               int reason, void *userdata);

/* qemu-driver-run.c */
/* Starts `def` (persistent or transient; copied). */
int qemu_driver_start_def(VmmQemuDriver *drv, const VmmDomainDef *def, unsigned int flags,
                          VmmQemuDriverDoneFn done, void *userdata, VmmError *error);

/* qemu-driver-redefine.c */
/* Replaces a persistent definition with `xml` (of the same name and
 * UUID): prepared at once (an error is returned, prefixed with `what`,
 * and `done` is not called), written on libuv's thread pool, committed on
 * the loop, where `done` gets the result (its message prefixed with
 * `what`). The name is busy for other defines and undefines meanwhile. */
int qemu_driver_redefine(VmmQemuDriver *drv, const char *what, const char *xml,
                         VmmQemuDriverDoneFn done, void *userdata, VmmError *error);
