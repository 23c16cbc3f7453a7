#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Guests outlive vmm-qemud: with two guests running (one persistent, one
# transient) the daemon does not exit idle; killed with SIGKILL, it is
# respawned by the next vmmctl call, re-attaches to both QEMUs (same pids,
# same start times) and controls them. A QEMU killed behind the daemon's
# back shows shut off (crashed) with a STOPPED event, also when it dies
# while no daemon runs. An autostart domain starts with the daemon; a
# daemon stopped with SIGTERM leaves it running.
export VMM_DAEMON_TIMEOUT=2 # idle exit, unless guests run
. "$(dirname "$0")/qemud-e2e-lib.sh"

expect_ok define "$(guest_xml g1)" >/dev/null
expect_ok start g1 >/dev/null
expect_ok create "$(guest_xml g2)" >/dev/null
wait_until 30 markers_above g1 0 || fail "g1 did not boot"
wait_until 30 markers_above g2 0 || fail "g2 did not boot"
p1=$(qemu_pid g1) p2=$(qemu_pid g2)
s1=$(start_time "$p1") s2=$(start_time "$p2")
d1=$(daemon_pids)
[ -n "$d1" ] || fail "no vmm-qemud running"
sleep 3
[ "$(daemon_pids)" = "$d1" ] || fail "vmm-qemud exited idle (timeout 2 s) while guests run"

kill -9 "$d1"
wait_until 5 no_daemon || fail "vmm-qemud survived SIGKILL"
[ "$(start_time "$p1")" = "$s1" ] && [ "$(start_time "$p2")" = "$s2" ] ||
        fail "the QEMUs did not survive the daemon's death"
out=$(expect_ok list) || exit 1
d2=$(daemon_pids)
[ -n "$d2" ] && [ "$d2" != "$d1" ] || fail "vmm-qemud was not respawned (before: $d1, now: '$d2')"
echo "$out" | grep -Eq "^ *1 +g1 +running" || fail "g1 not re-attached as id 1: $out"
echo "$out" | grep -Eq "^ *2 +g2 +running" || fail "g2 not re-attached as id 2: $out"
[ "$(qemu_pid g1)" = "$p1" ] && [ "$(start_time "$p1")" = "$s1" ] || fail "g1's QEMU changed"
[ "$(qemu_pid g2)" = "$p2" ] && [ "$(start_time "$p2")" = "$s2" ] || fail "g2's QEMU changed"
vmmctl dominfo g2 | grep -q "^Persistent: *no" || fail "g2 is no longer transient"

watch_events
expect_ok suspend g1 >/dev/null
state_is g1 "paused (user)" || fail "re-attached g1 did not pause: $(vmmctl domstate g1 --reason)"
expect_ok resume g1 >/dev/null
expect_ok shutdown g1 >/dev/null
wait_until 10 state_is g1 "shut off (shutdown)" || fail "re-attached g1 did not shut down"
expect_event "g1 stopped 0"
expect_ok destroy g2 >/dev/null
expect_event "g2 stopped 1"
vmmctl list --all --name | grep -qx g2 && fail "transient g2 still listed"

# QEMU killed behind the daemon's back
expect_ok start g1 >/dev/null
vmmctl list | grep -Eq "^ *3 +g1 +running" || fail "ids do not continue after re-attach: $(vmmctl list)"
p1=$(qemu_pid g1)
kill -9 "$p1"
wait_until 5 state_is g1 "shut off (crashed)" || fail "killed QEMU: g1 is $(vmmctl domstate g1 --reason)"
expect_event "g1 stopped 2"
no_runtime_files g1 || fail "runtime files of g1 left after its QEMU was killed"

# ... and while no daemon watches
expect_ok start g1 >/dev/null
p1=$(qemu_pid g1)
kill "$WATCH_PID"
WATCH_PID=""
d2=$(daemon_pids)
kill -9 "$d2"
kill -9 "$p1"
wait_until 5 no_daemon || fail "vmm-qemud survived SIGKILL"
state_is g1 "shut off (crashed)" || fail "QEMU died with the daemon down: g1 is $(vmmctl domstate g1 --reason)"
no_runtime_files g1 || fail "runtime files of g1 left after re-attach found it dead"

# no guest: idle exit; autostart at the next daemon start
expect_ok autostart g1 >/dev/null
wait_until 8 no_daemon || fail "vmm-qemud did not exit idle without guests"
expect_ok list >/dev/null
wait_until 10 state_is g1 "running (booted)" || fail "autostart: g1 is $(vmmctl domstate g1 --reason)"

# a clean stop (SIGTERM) leaves the guest running too
p1=$(qemu_pid g1)
d3=$(daemon_pids)
kill -TERM "$d3"
wait_until 10 no_daemon || fail "vmm-qemud did not stop on SIGTERM"
[ "$(qemu_pid g1)" = "$p1" ] || fail "g1's QEMU did not survive the daemon's SIGTERM"
vmmctl list | grep -Eq "^ *[0-9]+ +g1 +running" || fail "g1 not re-attached after SIGTERM: $(vmmctl list)"
expect_ok destroy g1 >/dev/null
[ -z "$(qemu_pids)" ] || fail "QEMU left: $(qemu_pids)"
exit 0
