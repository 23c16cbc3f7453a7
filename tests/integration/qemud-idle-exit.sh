#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A daemon spawned with --timeout 1 exits once idle; the next call starts
# it again, with the definitions; a connected client keeps it alive.
. "$(dirname "$0")/qemud-lib.sh"
export VMM_DAEMON_TIMEOUT=1

expect_ok define "$DATA/minimal.xml" >/dev/null
pid=$(daemon_pids)
[ -n "$pid" ] || fail "no daemon after define"
grep -q -- "--timeout 1" /proc/"$pid"/cmdline 2>/dev/null || tr '\0' ' ' </proc/"$pid"/cmdline |
        grep -q -- "--timeout 1" || fail "the daemon was not given --timeout 1"
wait_until 5 no_daemon || fail "vmm-qemud $pid did not exit after 1 s idle"
expect_ok list --all | grep -q tiny || fail "list after idle exit"
pid2=$(daemon_pids)
[ -n "$pid2" ] && [ "$pid2" != "$pid" ] || fail "the next call did not start a new daemon"

# an open connection (interactive vmmctl: one command, then waiting on
# stdin) keeps it up
{ echo "list --all --name"; sleep 3; } | "$VMMCTL" -c "$URI" >/dev/null 2>&1 &
holder=$!
sleep 2
one_daemon || fail "the daemon exited while a client was connected"
wait $holder
wait_until 5 no_daemon || fail "the daemon did not exit after its last client left"

# back-to-back calls while it may be exiting all succeed
for i in 1 2 3 4 5; do
        expect_ok list --all --name | grep -q tiny || fail "call $i around idle exit"
        sleep 0.9
done
echo "PASS: $TEST_NAME"
