#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vmmctl console` on the test guest (real QEMU, TCG): the console shows
# the guest's ready marker, input reaches the guest's shell (a command's
# computed output comes back), a second client gets a clear busy error,
# --force takes the console over (the first client is told so and exits
# 1), unknown devices and shut-off domains are clear errors, and destroying
# the guest ends the console with status 0 and a message. The same through
# vmm-proxyd when it is built. stdin is not a tty here: vmmctl copies it to
# the console and the console to stdout.
. "$(dirname "$0")/qemud-e2e-lib.sh"

PROXYD_DIR=${VMM_PROXYD_DIR:-$(dirname "$VMM_DAEMON_DIR")/../proxy}
CONS_PIDS=""

# console_start TAG [vmmctl args...]: a console in the background, its
# stdin a fifo kept open on fd 8/9 (so it does not end), output in
# $ROOT/TAG.out and .err; its pid in $ROOT/TAG.pid.
console_start() {
        tag=$1
        shift
        rm -f "$ROOT/$tag.in"
        mkfifo "$ROOT/$tag.in"
        "$VMMCTL" "$@" <"$ROOT/$tag.in" >"$ROOT/$tag.out" 2>"$ROOT/$tag.err" &
        echo $! >"$ROOT/$tag.pid"
        CONS_PIDS="$CONS_PIDS $!"
}

stop_consoles() {
        for p in $CONS_PIDS; do
                kill "$p" 2>/dev/null
        done
}
trap 'rc=$?; stop_consoles; (exit $rc); e2e_cleanup' EXIT

# console_wait TAG SECONDS: the exit status of the console (fails the
# test when it does not end in time).
console_wait() {
        pid=$(cat "$ROOT/$1.pid")
        wait_until "$2" eval "! kill -0 $pid 2>/dev/null" ||
                fail "console $1 did not end within $2 s: $(cat "$ROOT/$1.err")"
        wait "$pid"
}

has_output() {
        grep -q -- "$2" "$ROOT/$1.out"
}

xml=$(guest_xml c1)
expect_ok define "$xml" >/dev/null

# bad input first: nothing runs yet
expect_fail "not running" console c1 </dev/null >/dev/null
expect_fail "the test driver has no console" -c test:///default console test </dev/null >/dev/null
expect_ok start c1 >/dev/null
expect_fail "has no console device 'serial7' (it has: serial0, console0)" console c1 serial7 \
        </dev/null >/dev/null

# a console attached as the guest boots sees its ready marker
t0=$(now_ms)
console_start a -c "$URI" console c1
exec 8>"$ROOT/a.in"
wait_until 60 has_output a VMM-TEST-GUEST-READY ||
        fail "no VMM-TEST-GUEST-READY on the console: $(cat "$ROOT/a.err") $(tail -c 300 "$ROOT/a.out")"
grep -q "Connected to domain 'c1'" "$ROOT/a.err" || fail "no banner: $(cat "$ROOT/a.err")"
echo "ready marker seen on the console $(($(now_ms) - t0)) ms after start"

# input reaches the guest's shell: the command's computed output comes back
# (the tty echoes the command itself, so wait for its result, not its text)
for i in 1 2 3 4 5; do
        printf 'echo M-$((40+%d))\r' "$i" >&8
        wait_until 3 has_output a "M-4$i" && break
done
has_output a "M-4[1-5]" || fail "no command output on the console: $(tail -c 300 "$ROOT/a.out")"
echo "console input reached the guest shell"

# one client at a time
expect_fail "console serial0 of domain 'c1' is in use by another client (pid" console c1 \
        </dev/null >/dev/null
# console0 (target serial) is serial0 itself: busy too
expect_fail "in use by another client" console c1 console0 </dev/null >/dev/null

# --force takes it over, through the proxy when it is built
CURI="$URI"
if [ -x "$PROXYD_DIR/vmm-proxyd" ]; then
        export VMM_DAEMON_DIR="$PROXYD_DIR:$VMM_DAEMON_DIR"
        CURI="qemu:///session?mode=proxy"
fi
console_start b -c "$CURI" console c1 --force
exec 9>"$ROOT/b.in"
console_wait a 10 && fail "the console taken over exited 0: $(cat "$ROOT/a.err")"
grep -q "was taken over by another client" "$ROOT/a.err" ||
        fail "console a: no take-over message: $(cat "$ROOT/a.err")"
exec 8>&-
for i in 6 7 8 9; do
        printf 'echo N-$((40+%d))\r' "$i" >&9
        wait_until 3 has_output b "N-4$i" && break
done
has_output b "N-4[6-9]" || fail "console b ($CURI): no command output: $(tail -c 300 "$ROOT/b.out") $(cat "$ROOT/b.err")"
echo "console taken over with --force via $CURI"

# the guest stops: the console ends, status 0, with a message
t0=$(now_ms)
expect_ok destroy c1 >/dev/null
console_wait b 10 || fail "console b exited $? when the guest stopped: $(cat "$ROOT/b.err")"
grep -q "Console of domain 'c1' closed: the guest stopped" "$ROOT/b.err" ||
        fail "console b: no end message: $(cat "$ROOT/b.err")"
echo "console ended $(($(now_ms) - t0)) ms after destroy"
exec 9>&-

# a non-tty console ends after its stdin does (the drain), detaching
# cleanly (status 0): the device is free again for the next client, and a
# pipeline can script the console
expect_ok start c1 >/dev/null
console_start d -c "$URI" console c1
exec 8>"$ROOT/d.in"
wait_until 60 has_output d VMM-TEST-GUEST-READY || fail "no ready marker after restart"
for i in 1 2 3 4 5; do
        printf 'echo E-$((50+%d))\r' "$i" >&8
        wait_until 3 has_output d "E-5$i" && break
done
has_output d "E-5[1-5]" || fail "console d: no output: $(tail -c 300 "$ROOT/d.out") $(cat "$ROOT/d.err")"
exec 8>&-
console_wait d 10 || fail "console d did not end cleanly after its stdin: $(cat "$ROOT/d.err")"
for i in 1 2 3; do
        out=$(printf 'echo F-$((60+%d))\r' "$i" | "$VMMCTL" -c "$URI" console c1 2>"$ROOT/f.err") ||
                fail "console in a pipeline failed: $(cat "$ROOT/f.err")"
        echo "$out" | grep -q "F-6$i" && break
done
echo "$out" | grep -q "F-6[1-3]" || fail "console in a pipeline: no command output: $out"
echo "console scripted through a pipeline"

# on a terminal (script(1) gives it one): the banner, then Ctrl-] detaches
# with status 0
if command -v script >/dev/null 2>&1; then
        out=$( (sleep 2; printf 'echo T-$((70+2))\r'; sleep 3; printf '\035') |
                timeout 20 script -qefc "$VMMCTL -c $URI console c1" /dev/null 2>&1) ||
                fail "console on a tty: exit $? (Ctrl-] did not detach?): $out"
        echo "$out" | grep -q "Escape character is ^\] (Ctrl + \])" || fail "console on a tty: no banner: $out"
        echo "$out" | grep -q "T-72" || fail "console on a tty: no command output: $out"
        echo "console on a tty detached with Ctrl-]"
fi

# the daemon dies under an open console: the console ends with an error
# saying the connection was lost (through the proxy: the proxy says so)
console_start e -c "$CURI" console c1
exec 8>"$ROOT/e.in"
wait_until 10 grep -q "Connected to domain" "$ROOT/e.err" || fail "console e did not connect"
for p in $(daemon_pids); do
        kill -9 "$p"
done
console_wait e 10 && fail "console e exited 0 after vmm-qemud was killed"
grep -Eqi "lost|closed by the daemon" "$ROOT/e.err" || fail "console e: no message about the loss: $(cat "$ROOT/e.err")"
echo "console ended with: $(tail -1 "$ROOT/e.err")"
exec 8>&-
expect_ok destroy c1 >/dev/null
