#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# 64 clients at once (qemud-clients.c): concurrent spawn, define, lookup,
# list, redefine, undefine, and lifecycle events; then no file is left.
. "$(dirname "$0")/qemud-lib.sh"

"$QEMUD_CLIENTS" || fail "qemud-clients failed"
one_daemon || fail "expected exactly one daemon after 64 concurrent spawns: $(daemon_pids)"
left=$(ls "$CONF"/*.xml 2>/dev/null | wc -l)
[ "$left" -eq 0 ] || fail "$left definition files left after every domain was undefined"
echo "PASS: $TEST_NAME"
