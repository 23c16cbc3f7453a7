#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The same life as qemud-spawn-persist, with vmm-qemud started by
# systemd-socket-activate (fds named "rw" and "ro", as the .socket unit
# passes them) and the client on an explicit ?socket= URI.
. "$(dirname "$0")/qemud-lib.sh"

if ! command -v systemd-socket-activate >/dev/null; then
        echo "SKIP: systemd-socket-activate is not installed"
        exit 77
fi
RUN="$ROOT/sa"
mkdir -p "$RUN"
URI="qemu+unix:///system?socket=$RUN/qemud.sock"
ACT_PID=""

start_activator() {
        systemd-socket-activate -l "$RUN/qemud.sock" -l "$RUN/qemud-ro.sock" --fdname=rw:ro \
                -E VMM_LOG_LEVEL -E "VMM_ROOT=$ROOT" \
                "$VMM_QEMUD" --root "$ROOT" --timeout 30 >"$ROOT/activate.log" 2>&1 &
        ACT_PID=$!
        EXTRA_PIDS="$EXTRA_PIDS $ACT_PID"
        wait_until 5 test -S "$RUN/qemud-ro.sock" || fail "systemd-socket-activate did not listen"
}

start_activator
no_daemon || fail "vmm-qemud started before the first connection"
expect_ok define "$DATA/minimal.xml" >/dev/null
wait_until 5 one_daemon || fail "no vmm-qemud after the first connection"
[ -f "$CONF/tiny.xml" ] || fail "no $CONF/tiny.xml"
expect_ok list --all | grep -Eq "^ *- +tiny +shut off" || fail "list --all does not show tiny"

# the read-only fd is served read-only
URI="qemu+unix:///system?socket=$RUN/qemud-ro.sock"
expect_ok list --all | grep -q tiny || fail "read-only socket cannot list"
expect_fail "read-only" define "$(make_domain other)" >/dev/null
[ ! -e "$CONF/other.xml" ] || fail "define through the read-only socket wrote a file"

# kill -9; systemd-socket-activate does not restart it, so start it again
kill -9 "$(daemon_pids)"
kill "$ACT_PID" 2>/dev/null
wait "$ACT_PID" 2>/dev/null
wait_until 5 no_daemon || fail "vmm-qemud alive after kill -9"
rm -f "$RUN"/*.sock
start_activator
URI="qemu+unix:///system?socket=$RUN/qemud.sock"
expect_ok list --all | grep -Eq "^ *- +tiny +shut off" || fail "definition lost across restart"
expect_ok dumpxml tiny | grep -q '<memory unit=.KiB.>131072</memory>' ||
        fail "dumpxml after restart: $(vmmctl dumpxml tiny 2>&1)"
kill "$ACT_PID" 2>/dev/null
echo "PASS: $TEST_NAME"
