/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stream.h: what a VmmStream (vmm-stream.h) is inside. The public
 * functions (api-stream.c) check their arguments and hand the stream to
 * the driver of its connection: an open entry (domain_open_console) sets
 * `priv`, and the driver's stream_* entries serve it from then on;
 * stream_release frees `priv` when the stream is freed.
 */
#pragma once

#include <pthread.h>
#include <vmm/vmm-stream.h>

#include "driver/object.h"

struct VmmStream {
        VmmConnect *conn; /* holds a reference */
        unsigned int flags;
        pthread_mutex_t lock; /* guards `priv` and `opening` */
        bool opening;         /* an open entry runs */
        void *priv;           /* the driver's, once open */
};
