#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A daemon that goes away just after accepting us (as one that was idle-
# exiting does): the connection is reset before any reply, and libvmm
# reconnects once, starting vmm-qemud again, so the call still succeeds.
# A daemon that resets every connection makes the call fail with a clear
# error instead of looping. The same through vmm-proxyd, whose connection
# to the daemon is made again once when lost before the daemon answered.
. "$(dirname "$0")/qemud-lib.sh"

PY=${PYTHON3:-$(command -v python3)}
if [ -z "$PY" ] || ! "$PY" -c 'import socket' 2>/dev/null; then
        echo "SKIP: python3 is needed to play a daemon that resets connections"
        exit 77
fi
mkdir -p "$ROOT/run/vmm"

# fake_daemon N: accepts N connections, closing each at once, then exits
# (no longer listening when it resets the last one)
fake_daemon() {
        "$PY" - "$SOCK" "$1" <<'PYEOF' &
import socket, sys
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(8)
open(path + ".ready", "w").close()
for i in range(n):
    c, _ = s.accept()
    if i == n - 1:
        s.close()  # before the reset: a reconnect finds nobody listening
    c.close()
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
# Through vmm-proxyd: a daemon lost before it answered the proxy's
# identity declaration (killed, or idle-exiting, as the proxy connected)
# costs the client nothing: no client frame went to it yet, and the proxy
# connects once more (starting vmm-qemud again). A daemon that resets
# that second connection too makes the call fail with a clear error.
if [ -n "${VMM_PROXYD_DIR:-}" ] && [ -x "$VMM_PROXYD_DIR/vmm-proxyd" ]; then
        export VMM_DAEMON_DIR="$VMM_PROXYD_DIR:$VMM_DAEMON_DIR"
        stop_proxy() {
                for p in $(pgrep -f -- "^$VMM_PROXYD_DIR/vmm-proxyd .*$ROOT" 2>/dev/null); do
                        kill -TERM "$p"
                done
        }
        trap 'rc=$?; stop_proxy; (exit $rc); cleanup' EXIT
        PURI="qemu:///session?mode=proxy"
        rm -f "$SOCK"
        fake_daemon 1
        # output via a file: a daemon started on demand keeps stdout open
        "$VMMCTL" -c "$PURI" list --all --name >"$ROOT/p.out" 2>&1 ||
                fail "via the proxy, after a reset before the identity reply: $(cat "$ROOT/p.out")"
        grep -qx tiny "$ROOT/p.out" || fail "via the proxy after a reset, list shows: $(cat "$ROOT/p.out")"
        one_daemon || fail "the proxy did not start vmm-qemud again after the reset"

        kill -9 "$(daemon_pids)"
        wait_until 5 no_daemon || fail "daemon alive after kill -9"
        rm -f "$SOCK"
        fake_daemon 2
        "$VMMCTL" -c "$PURI" list --all >"$ROOT/p.out" 2>&1 &&
                fail "list via the proxy succeeded against a resetting daemon"
        grep -Eqi "lost|reset|closed" "$ROOT/p.out" ||
                fail "unclear error via the proxy for a resetting daemon: $(cat "$ROOT/p.out")"
else
        echo "(vmm-proxyd is not built: the proxy's part is skipped)"
fi
echo "PASS: $TEST_NAME"
