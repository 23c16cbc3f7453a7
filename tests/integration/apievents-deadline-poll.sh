#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Per-call deadlines and pollable events through the public API against a
# real vmm-qemud (tests/integration/apievents-remote.c does the checks).
. "$(dirname "$0")/qemud-lib.sh"

expect_ok define "$DATA/minimal.xml" >/dev/null
pid=$(daemon_pids)
[ -n "$pid" ] || fail "no daemon after define"
"$APIEVENTS_REMOTE" "$pid" "$DATA/minimal.xml" || fail "apievents-remote failed"
# the daemon it killed came back, with the definition
expect_ok list --all | grep -q tiny || fail "tiny is gone after the respawn"
echo "PASS: $TEST_NAME"
