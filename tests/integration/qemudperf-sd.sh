#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmm-qemud's systemd integration (through libsystemd): readiness and
# stopping go to $NOTIFY_SOCKET, log entries to the journal's native socket
# with their fields (a private mount namespace puts a listener at
# /run/systemd/journal/socket).
# (Socket activation through LISTEN_FDS is covered by
# qemud-socket-activate.sh and the spawner tests.)
. "$(dirname "$0")/qemud-lib.sh"

command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }

# sd_notify: READY=1 with a status once serving, STOPPING=1 on SIGTERM
cat >"$ROOT/notify.py" <<'PY'
import os, signal, socket, subprocess, sys
path, daemon, root = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(20)
env = dict(os.environ, NOTIFY_SOCKET=path)
p = subprocess.Popen([daemon, "--root", root, "--listen", root + "/n.sock", "--timeout", "0"],
                     env=env)
got = []
try:
    got.append(s.recv(4096).decode())
    p.send_signal(signal.SIGTERM)
    got.append(s.recv(4096).decode())
finally:
    p.kill() if p.poll() is None else None
    p.wait()
print("|".join(got))
PY
out=$(python3 "$ROOT/notify.py" "$ROOT/notify.sock" "$VMM_QEMUD" "$ROOT" 2>&1) ||
        fail "notify listener: $out"
echo "$out" | grep -q "^READY=1" || fail "first notification is not READY=1: $out"
echo "$out" | grep -q "STATUS=vmm-qemud: serving" || fail "no STATUS with READY: $out"
echo "$out" | grep -q "|STOPPING=1" || fail "no STOPPING=1 after SIGTERM: $out"

# the journal: a definition file that cannot be loaded is logged there
if ! unshare --mount --propagation private true 2>/dev/null; then
        echo "SKIP: no private mount namespace here"
        echo "PASS: $TEST_NAME (notify part)"
        exit 0
fi
mkdir -p "$CONF"
echo "<domain type='qemu'><name>half" >"$CONF/broken.xml"
cat >"$ROOT/journal.py" <<'PY'
import os, socket, subprocess, sys, time
daemon, root = sys.argv[1:3]
os.makedirs("/run/systemd/journal", exist_ok=True)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/run/systemd/journal/socket")
s.settimeout(20)
env = dict(os.environ, JOURNAL_STREAM="1:1")
p = subprocess.Popen([daemon, "--root", root, "--listen", root + "/j.sock", "--timeout", "0"],
                     env=env, stderr=subprocess.DEVNULL)
try:
    while True:
        d = s.recv(65536)
        fields = {}
        rest = d
        while rest:
            nl = rest.index(b"\n")
            line = rest[:nl]
            if b"=" in line:
                k, v = line.split(b"=", 1)
                rest = rest[nl + 1:]
            else:  # binary-safe field: name, 64-bit length, value
                k = line
                n = int.from_bytes(rest[nl + 1:nl + 9], "little")
                v = rest[nl + 9:nl + 9 + n]
                rest = rest[nl + 10 + n:]
            fields.setdefault(k.decode(), v.decode())
        if "broken.xml" in fields.get("MESSAGE", ""):
            print(" ".join("%s=%s" % (k, fields[k]) for k in
                           ("PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FUNC")))
            print(fields["MESSAGE"])
            break
finally:
    p.kill()
    p.wait()
PY
out=$(unshare --mount --propagation private sh -c \
      'mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }; exec python3 "$0" "$1" "$2"' \
      "$ROOT/journal.py" "$VMM_QEMUD" "$ROOT" 2>&1) || fail "journal listener: $out"
echo "$out" | head -1 | grep -q "PRIORITY=3 SYSLOG_IDENTIFIER=vmm-qemud CODE_FUNC=" ||
        fail "journal entry fields: $out"
echo "$out" | tail -1 | grep -q "broken.xml.*skipping" || fail "journal message: $out"
echo "PASS: $TEST_NAME"
