#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A daemon that stops answering: a call with ?timeout_ms= fails with a
# timeout naming the procedure and the daemon's socket, in about that time.
. "$(dirname "$0")/qemud-lib.sh"

expect_ok define "$DATA/minimal.xml" >/dev/null
pid=$(daemon_pids)
kill -STOP "$pid"
start=$(date +%s%N)
out=$("$VMMCTL" -c "$URI?timeout_ms=300" list --all 2>&1) && {
        kill -CONT "$pid"
        fail "list succeeded on a stopped daemon"
}
ms=$((($(date +%s%N) - start) / 1000000))
kill -CONT "$pid"
echo "$out" | grep -q "timed out" || fail "no timeout in: $out"
echo "$out" | grep -q "list-all" || fail "the timeout does not name the procedure: $out"
echo "$out" | grep -q "vmm-qemud.sock" || fail "the timeout does not name the daemon: $out"
[ $ms -lt 3000 ] || fail "the timeout took $ms ms (asked 300)"
expect_ok list --all | grep -q tiny || fail "the daemon does not serve after SIGCONT"
echo "PASS: $TEST_NAME"
