/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* echo-stream.h: vmm-echo-test's STREAM handler; `userdata` is the loop. */
#pragma once

#include "daemon.h"

int echo_stream(VmmDaemonCall *call, const ProtobufCMessage *request, void *userdata,
                VmmError *error);
