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
};

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
