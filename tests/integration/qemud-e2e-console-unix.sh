#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vmmctl console` on a guest whose serial port is a unix socket QEMU
# listens on (<serial type='unix'><source mode='bind' path=.../>): the
# daemon connects to the socket; the console shows the ready marker, takes
# input, frees the socket for the next client after a detach, and ends
# with status 0 when the guest is destroyed. (The pty case, the default,
# and the error cases are in qemud-e2e-console.sh.)
. "$(dirname "$0")/qemud-e2e-lib.sh"

SOCKET="$ROOT/u1.serial"
xml=$(guest_xml u1 "s|<serial type='pty'>|<serial type='unix'><source mode='bind' path='$SOCKET'/>|")
sed -i "/<console /,/<\/console>/d" "$xml"
grep -q "type='unix'" "$xml" || fail "the definition has no unix serial: $(cat "$xml")"
expect_ok define "$xml" >/dev/null
expect_ok start u1 >/dev/null
wait_until 10 test -S "$SOCKET" || fail "QEMU does not listen on $SOCKET"

mkfifo "$ROOT/a.in"
"$VMMCTL" -c "$URI" console u1 <"$ROOT/a.in" >"$ROOT/a.out" 2>"$ROOT/a.err" &
pid=$!
trap 'rc=$?; kill $pid 2>/dev/null; (exit $rc); e2e_cleanup' EXIT
exec 8>"$ROOT/a.in"
wait_until 60 grep -q VMM-TEST-GUEST-READY "$ROOT/a.out" ||
        fail "no ready marker through the socket: $(cat "$ROOT/a.err") $(tail -c 300 "$ROOT/a.out")"
for i in 1 2 3 4 5; do
        printf 'echo U-$((80+%d))\r' "$i" >&8
        wait_until 3 grep -q "U-8$i" "$ROOT/a.out" && break
done
grep -q "U-8[1-5]" "$ROOT/a.out" || fail "no command output through the socket: $(tail -c 300 "$ROOT/a.out")"
exec 8>&-
wait_until 15 eval "! kill -0 $pid 2>/dev/null" || fail "console did not end after its stdin"
wait $pid || fail "console exited $? after its stdin: $(cat "$ROOT/a.err")"
echo "unix socket console: marker, input and detach"

# free again: a pipeline gets its command's output
for i in 1 2 3; do
        out=$(printf 'echo V-$((90+%d))\r' "$i" | "$VMMCTL" -c "$URI" console u1 2>"$ROOT/b.err") ||
                fail "second console failed: $(cat "$ROOT/b.err")"
        echo "$out" | grep -q "V-9$i" && break
done
echo "$out" | grep -q "V-9[1-3]" || fail "second console: no command output: $out"

# destroy ends an open console with status 0
rm -f "$ROOT/c.in"
mkfifo "$ROOT/c.in"
"$VMMCTL" -c "$URI" console u1 <"$ROOT/c.in" >"$ROOT/c.out" 2>"$ROOT/c.err" &
pid=$!
exec 8>"$ROOT/c.in"
wait_until 10 grep -q "Connected to domain" "$ROOT/c.err" || fail "third console did not connect"
expect_ok destroy u1 >/dev/null
wait_until 10 eval "! kill -0 $pid 2>/dev/null" || fail "console did not end when the guest stopped"
wait $pid || fail "console exited $? when the guest stopped: $(cat "$ROOT/c.err")"
grep -q "closed: the guest stopped" "$ROOT/c.err" || fail "no end message: $(cat "$ROOT/c.err")"
exec 8>&-
echo "unix socket console ended with the guest"
