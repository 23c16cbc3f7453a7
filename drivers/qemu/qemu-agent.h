/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-agent.h: a client of the QEMU guest agent (qemu-ga in the guest,
 * reached through the domain's <channel type='unix'> with <target
 * type='virtio' name='org.qemu.guest_agent.0'/>, a unix socket QEMU
 * listens on).
 *
 * The protocol is QMP-like JSON (parsed with json-c). The channel may hold
 * stale bytes of an earlier client, so every session starts in sync: send
 * 0xFF (the agent's parser flushes), then guest-sync-delimited with a
 * random id; skip everything up to the agent's 0xFF sentinel and every
 * reply until {"return": id}. An agent too old for guest-sync-delimited
 * (CommandNotFound) gets plain guest-sync. Then guest-shutdown
 * {"mode": "powerdown" | "reboot"}, which answers nothing on success (the
 * guest goes down): an error reply fails, silence or the channel closing
 * within a short grace period is success.
 *
 * Blocking, with one deadline for the whole exchange: run it on a worker
 * thread (uv_queue_work), never on the loop. A guest without a running
 * agent never answers: -ETIMEDOUT.
 */
#pragma once

#include <vmm/vmm-common.h>

/* The target name of the agent's channel. */
#define VMM_QEMU_AGENT_CHANNEL "org.qemu.guest_agent.0"
/* Default deadline of one agent exchange (ms). */
#define VMM_QEMU_AGENT_TIMEOUT_MS 5000
/* How long guest-shutdown may take to report an error (ms). */
#define VMM_QEMU_AGENT_SHUTDOWN_GRACE_MS 250

typedef enum VmmQemuAgentShutdown {
        VMM_QEMU_AGENT_POWERDOWN,
        VMM_QEMU_AGENT_REBOOT,
} VmmQemuAgentShutdown;

/* On a connected stream socket `fd` (not closed here): sync, then
 * guest-shutdown. `who` names the domain in messages. */
int vmm_qemu_agent_shutdown_fd(int fd, const char *who, VmmQemuAgentShutdown mode, int timeout_ms,
                               VmmError *error);

/* Connects to the agent's socket `path` and does the same. */
int vmm_qemu_agent_shutdown(const char *path, const char *who, VmmQemuAgentShutdown mode,
                            int timeout_ms, VmmError *error);
