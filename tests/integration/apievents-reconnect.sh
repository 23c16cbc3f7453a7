#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Event registrations survive vmm-qemud restarts (idle and busy
# connections), and a pollable callback may close its connection inside
# dispatch (tests/integration/apievents-reconnect.c does the checks).
. "$(dirname "$0")/qemud-lib.sh"

expect_ok define "$DATA/minimal.xml" >/dev/null
[ -n "$(daemon_pids)" ] || fail "no daemon after define"
"$APIEVENTS_RECONNECT" "$DATA/minimal.xml" || fail "apievents-reconnect failed"
expect_ok list --all | grep -q tiny || fail "tiny is gone after the restarts"
echo "PASS: $TEST_NAME"
