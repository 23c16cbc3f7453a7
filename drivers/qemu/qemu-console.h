/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-console.h: where the host side of a running domain's console is,
 * for vmm-qemud to connect a client's stream to it.
 *
 * Names are libvirt's aliases: "serial0".."serialN" for <serial>,
 * "console0".."consoleN" for <console>; NULL means the first serial port,
 * else the first console. A <console> of target type serial (or none) is
 * serial port 0 itself (see qemu-command-chr.c): "console0" then names the
 * same device as "serial0". The host side is the pty QEMU allocated for a
 * <serial type='pty'> (asked with query-chardev: the path changes with
 * every start) or the socket QEMU listens on for type 'unix' (mode bind).
 * Other types (file, null, tcp...) cannot carry an interactive console.
 */
#pragma once

#include "qemu-driver.h"

typedef enum VmmQemuConsoleKind {
        VMM_QEMU_CONSOLE_PTY,  /* `path` is the pty's slave: open it */
        VMM_QEMU_CONSOLE_UNIX, /* `path` is a socket QEMU listens on: connect */
} VmmQemuConsoleKind;

typedef struct VmmQemuConsole {
        const char *alias; /* "serial0": the device, also for "console0" */
        VmmQemuConsoleKind kind;
        const char *path;
} VmmQemuConsole;

/* `console` is borrowed for the call; on failure it is NULL and
 * `message` says why. */
typedef void (*VmmQemuConsoleFn)(int status, const VmmQemuConsole *console, const char *message,
                                 void *userdata);

/* Finds the device and its host side. -ENOENT for a device the domain
 * does not have (the message lists those it has), -ENOTSUP for a type
 * that cannot carry a console, -EBUSY when the domain does not run. On a
 * negative return `done` is not called; it may be called before this
 * returns (a unix socket needs no question to QEMU). */
int vmm_qemu_driver_console(VmmQemuDriver *drv, const VmmQemuDriverDomain *d, const char *dev_name,
                            VmmQemuConsoleFn done, void *userdata, VmmError *error);
