/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* shell.h: vmmctl's interactive shell. */
#pragma once

#include "vmmctl.h"

/* Reads commands from standard input until quit/exit or end of input.
 * With a terminal: prompt "vmmctl # ", line editing, history and
 * completion of commands and options. Returns 0 when the piped commands
 * all succeeded (a terminal session always ends with the last line's
 * result). */
int vmmctl_shell_run(VmmctlCtx *ctx);
