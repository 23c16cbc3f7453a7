/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud.h: vmm-qemud's state, shared by main.c and the handlers. */
#pragma once

#include <stdint.h>

#include "daemon.h"
#include "qemu-domains.h"

/* Lifecycle events and details, numbered as libvirt's. */
enum {
        QEMUD_EVENT_DEFINED = 0,
        QEMUD_EVENT_UNDEFINED = 1,
};
enum {
        QEMUD_EVENT_DEFINED_ADDED = 0,
        QEMUD_EVENT_DEFINED_UPDATED = 1,
        QEMUD_EVENT_UNDEFINED_REMOVED = 0,
};

typedef struct QemudSubscription {
        VmmDaemonClient *client; /* holds a reference */
        uint32_t id;
        bool one_domain;
        uint8_t uuid[VMM_UUID_LEN];
} QemudSubscription;

typedef struct Qemud {
        VmmDaemon *daemon;
        VmmQemuDomains *store;
        VmmQemuPaths paths;
        QemudSubscription *subs;
        size_t n_subs;
        uint32_t next_sub_id;
} Qemud;

/* The domain program's handlers, indexed by procedure number - 1. */
extern const VmmDaemonHandler qemud_domain_handlers[];
extern const size_t qemud_n_domain_handlers;

/* Drops every subscription (shutdown). */
void qemud_subscriptions_clear(Qemud *q);
