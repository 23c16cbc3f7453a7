#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A daemon that goes away just after accepting us (as one that was idle-
# exiting does): the connection is reset before any reply, and libvmm
# reconnects once, starting vmm-qemud again, so the call still succeeds.
# A daemon that resets every connection makes the call fail with a clear
# error instead of looping.
. "$(dirname "$0")/qemud-lib.sh"

PY=${PYTHON3:-$(command -v python3)}
if [ -z "$PY" ] || ! "$PY" -c 'import socket' 2>/dev/null; then
        echo "SKIP: python3 is needed to play a daemon that resets connections"
        exit 77
fi
mkdir -p "$ROOT/run/vmm"

# fake_daemon N: accepts N connections, closing each at once, then exits
fake_daemon() {
        "$PY" - "$SOCK" "$1" <<'PYEOF' &
import socket, sys
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(8)
open(path + ".ready", "w").close()
for _ in range(n):
    c, _ = s.accept()
    c.close()
s.close()
PYEOF
        EXTRA_PIDS="$EXTRA_PIDS $!"
        wait_until 5 test -e "$SOCK.ready" || fail "the fake daemon did not start"
        rm -f "$SOCK.ready"
}

expect_ok define "$DATA/minimal.xml" >/dev/null
kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "daemon alive after kill -9"
rm -f "$SOCK"

fake_daemon 1
out=$(expect_ok list --all --name)
[ "$out" = "tiny" ] || fail "after a reset connection, list shows: $out"
one_daemon || fail "vmm-qemud was not started again after the reset"

# a long-lived connection whose daemon died: its next call, even a
# write, reconnects (starting the daemon again) since it cannot have
# reached the dead one
{
        echo "list --all --name"
        sleep 1.5
        echo "define $(make_domain after)"
} | "$VMMCTL" -c "$URI" >"$ROOT/long.out" 2>&1 &
holder=$!
sleep 0.7
kill -9 "$(daemon_pids)"
wait $holder || fail "the long-lived vmmctl failed: $(cat "$ROOT/long.out")"
grep -q "Domain 'after' defined" "$ROOT/long.out" ||
        fail "define after the daemon died: $(cat "$ROOT/long.out")"
[ -f "$CONF/after.xml" ] || fail "no after.xml"

kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "daemon alive after kill -9"
rm -f "$SOCK"
fake_daemon 2
# the fake keeps listening for the retry too: the second reset is reported
out=$("$VMMCTL" -c "$URI" list --all 2>&1) && fail "list succeeded against a resetting daemon"
echo "$out" | grep -Eqi "reset|closed|lost|broken|end of file|EOF" ||
        fail "unclear error for a daemon resetting connections: $out"
echo "PASS: $TEST_NAME"
