#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The test guest's life under vmm-qemud, through vmmctl on qemu:///session:
# define, start (running, id 1, ready marker on the serial log), suspend,
# resume, ACPI reboot (the guest boots again in the same QEMU), graceful
# shutdown (shut off (shutdown), within a few seconds, nothing left
# behind), start again, reset, destroy; start --paused; a transient
# create that vanishes when destroyed; undefine of a running domain (it
# becomes transient). Every state change is seen as a lifecycle event.
. "$(dirname "$0")/qemud-e2e-lib.sh"

watch_events
xml=$(guest_xml g1)
expect_ok define "$xml" >/dev/null
expect_event "g1 defined 0"

t0=$(now_ms)
expect_ok start g1 >/dev/null
echo "start returned after $(($(now_ms) - t0)) ms"
state_is g1 "running (booted)" || fail "g1 after start: $(vmmctl domstate g1 --reason)"
expect_event "g1 started 0"
vmmctl list | grep -Eq "^ *1 +g1 +running" || fail "list does not show g1 running as id 1: $(vmmctl list)"
info=$(expect_ok dominfo g1) || exit 1
echo "$info" | grep -q "^State: *running" || fail "dominfo: $info"
echo "$info" | grep -q "^Max memory: *131072 KiB" || fail "dominfo memory: $info"
wait_until 60 markers_above g1 0 || fail "no VMM-TEST-GUEST-READY on g1's serial log"
echo "ready marker after $(($(now_ms) - t0)) ms"
pid=$(qemu_pid g1)
[ -n "$pid" ] || fail "no QEMU process for g1"
vmmctl dumpxml g1 | grep -Eq "<domain type=.qemu. id=.1.>" || fail "live XML without id 1"
vmmctl dumpxml --inactive g1 | grep -q " id=" && fail "inactive XML has an id"
cpu=$(vmmctl dominfo g1 | awk '/^CPU time:/ {print $3}')
[ "$cpu" != "0.0s" ] || fail "dominfo shows no CPU time for a booted guest"

expect_ok suspend g1 >/dev/null
state_is g1 "paused (user)" || fail "g1 after suspend: $(vmmctl domstate g1 --reason)"
expect_event "g1 suspended 0"
expect_ok resume g1 >/dev/null
state_is g1 "running (unpaused)" || fail "g1 after resume: $(vmmctl domstate g1 --reason)"
expect_event "g1 resumed 0"

# ACPI reboot: the guest powers off, QEMU resets it, it boots again
before=$(markers g1)
expect_ok reboot g1 >/dev/null
wait_until 60 markers_above g1 "$before" || fail "g1 did not boot again after reboot"
[ "$(qemu_pid g1)" = "$pid" ] || fail "reboot changed g1's QEMU (pid $pid -> $(qemu_pid g1))"
state_is g1 "running (booted)" || state_is g1 "running (unpaused)" ||
        fail "g1 after reboot: $(vmmctl domstate g1 --reason)"

t0=$(now_ms)
expect_ok shutdown g1 >/dev/null
wait_until 10 state_is g1 "shut off (shutdown)" || fail "g1 did not shut off: $(vmmctl domstate g1 --reason)"
ms=$(($(now_ms) - t0))
echo "graceful shutdown took $ms ms"
[ "$ms" -lt 5000 ] || fail "graceful shutdown took $ms ms (expected under 5 s)"
expect_event "g1 stopped 0"
wait_until 3 eval '[ -z "$(qemu_pid g1)" ]' || fail "QEMU of g1 still runs after shutdown"
no_runtime_files g1 || fail "runtime files of g1 left: $(ls "$QEMU_RUN")"
vmmctl list --all | grep -Eq "^ *- +g1 +shut off" || fail "list --all: $(vmmctl list --all)"

expect_ok start g1 >/dev/null
vmmctl list | grep -Eq "^ *2 +g1 +running" || fail "second start is not id 2: $(vmmctl list)"
wait_until 60 markers_above g1 "$before" || true
before=$(markers g1)
expect_ok reset g1 >/dev/null
wait_until 60 markers_above g1 "$before" || fail "g1 did not boot again after reset"
expect_ok destroy g1 >/dev/null
state_is g1 "shut off (destroyed)" || fail "g1 after destroy: $(vmmctl domstate g1 --reason)"
expect_event "g1 stopped 1"
no_runtime_files g1 || fail "runtime files of g1 left after destroy"

expect_ok start --paused g1 >/dev/null
state_is g1 "paused (user)" || fail "g1 started paused: $(vmmctl domstate g1 --reason)"
expect_fail "already running" start g1 >/dev/null
expect_ok destroy g1 >/dev/null

# transient: gone once destroyed
txml=$(guest_xml gt)
expect_ok create "$txml" >/dev/null
state_is gt "running (booted)" || fail "gt after create: $(vmmctl domstate gt --reason)"
vmmctl list --transient --name | grep -qx gt || fail "gt is not listed as transient"
vmmctl dominfo gt | grep -q "^Persistent: *no" || fail "dominfo gt: $(vmmctl dominfo gt)"
expect_fail "running domain has this name" define "$(guest_xml gt)" >/dev/null
expect_ok destroy gt >/dev/null
expect_fail "does not exist\|no domain" domstate gt >/dev/null
vmmctl list --all --name | grep -qx gt && fail "gt still listed after destroy"
no_runtime_files gt || fail "runtime files of gt left"

# undefine while running: transient until it stops
expect_ok start g1 >/dev/null
expect_ok undefine g1 >/dev/null
state_is g1 "running (booted)" || fail "g1 stopped when undefined"
vmmctl dominfo g1 | grep -q "^Persistent: *no" || fail "g1 is still persistent after undefine"
expect_ok destroy g1 >/dev/null
vmmctl list --all --name | grep -qx g1 && fail "undefined g1 still listed after destroy"
[ -z "$(qemu_pids)" ] || fail "QEMU left: $(qemu_pids)"

# <on_poweroff>restart</on_poweroff>: the guest powers off, QEMU stays
# (-no-shutdown), the driver resets and continues it
expect_ok create "$(guest_xml gr "s|<on_poweroff>destroy|<on_poweroff>restart|")" >/dev/null
wait_until 60 markers_above gr 0 || fail "gr did not boot"
pid=$(qemu_pid gr)
expect_ok shutdown gr >/dev/null
wait_until 60 markers_above gr 1 || fail "gr was not restarted after powering off: $(vmmctl domstate gr --reason)"
[ "$(qemu_pid gr)" = "$pid" ] || fail "gr's QEMU changed on <on_poweroff>restart"
wait_until 5 state_is gr "running (unpaused)" || fail "gr after restart: $(vmmctl domstate gr --reason)"
expect_ok destroy gr >/dev/null
echo "events: $(tr '\n' ';' <"$EVENTS")"
exit 0
