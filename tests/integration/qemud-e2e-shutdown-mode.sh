#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# shutdown/reboot --mode on real guests (the test guest runs no qemu-ga):
# --mode agent without the agent's channel is refused at once (-ENOTSUP,
# naming the channel) and the guest keeps running; with the channel but no
# agent answering, it fails with a timeout after the agent deadline
# (VMM_QEMU_AGENT_TIMEOUT_MS, 1 s here) and the guest keeps running;
# --mode agent,acpi falls back to the ACPI power button (reboot: the guest
# boots again in the same QEMU; shutdown: it shuts off); --mode acpi is the
# power button; an unknown mode is an error naming it. Nothing is left
# behind.
# the agent's socket path is made by the driver under the root: a short
# root keeps it within the 107 characters of a unix socket path
VMM_TEST_WORK="/tmp/vmm-e2e-$(id -u)-$(printf %s "$VMM_TEST_WORK" | cksum | cut -d' ' -f1)"
. "$(dirname "$0")/qemud-e2e-lib.sh"

export VMM_QEMU_AGENT_TIMEOUT_MS=1000 # read by vmm-qemud, spawned by the first vmmctl
# the channel as libvirt users write it: no <source path>, the driver puts
# the socket in the domain's channel directory and removes it at the end
AGENT_SOCK="$QEMU_RUN/g1.channels/org.qemu.guest_agent.0.sock"
chan="<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
expect_ok define "$(guest_xml g1 "s|</devices>|$chan</devices>|")" >/dev/null
expect_ok define "$(guest_xml g2)" >/dev/null

# no channel: refused at once, the guest keeps running; acpi shuts it off
T0=$(now_ms)
phase() {
        echo "$1 at $(($(now_ms) - T0)) ms"
}
expect_ok start g2 >/dev/null
wait_until 30 markers_above g2 0 || fail "no ready marker on g2"
phase "g2 booted"
expect_fail "domain 'g2' has no guest agent channel (org.qemu.guest_agent.0)" \
        shutdown g2 --mode agent >/dev/null
expect_fail "domain 'g2' has no guest agent channel" reboot g2 --mode agent >/dev/null
state_is g2 "running (booted)" || fail "g2 after a refused agent shutdown: $(vmmctl domstate g2 --reason)"
expect_fail "unknown mode 'bogus'" shutdown g2 --mode acpi,bogus >/dev/null
state_is g2 "running (booted)" || fail "g2 after a bad --mode: $(vmmctl domstate g2 --reason)"
expect_ok shutdown g2 --mode acpi >/dev/null
wait_until 10 state_is g2 "shut off (shutdown)" || fail "g2 after shutdown --mode acpi: $(vmmctl domstate g2 --reason)"
phase "g2 shut off (acpi)"

expect_ok start g1 >/dev/null
wait_until 30 markers_above g1 0 || fail "no ready marker on g1"
[ -S "$AGENT_SOCK" ] || fail "QEMU does not listen on the agent channel $AGENT_SOCK"
phase "g1 booted"

# a channel nobody answers on: a timeout, the guest keeps running
t0=$(now_ms)
out=$(expect_fail "did not answer" shutdown g1 --mode agent)
ms=$(($(now_ms) - t0))
echo "$out" | grep -q "domain 'g1'" || fail "the timeout does not name g1: $out"
[ "$ms" -ge 900 ] && [ "$ms" -lt 8000 ] || fail "agent timeout after $ms ms (deadline 1000 ms)"
echo "agent shutdown timed out after $ms ms: $out"
state_is g1 "running (booted)" || fail "g1 after a timed-out agent shutdown: $(vmmctl domstate g1 --reason)"

# agent, then the power button: reboot boots again in the same QEMU
pid=$(qemu_pid g1)
before=$(markers g1)
expect_ok reboot g1 --mode agent,acpi >/dev/null
wait_until 30 markers_above g1 "$before" || fail "g1 did not boot again after reboot --mode agent,acpi"
[ "$(qemu_pid g1)" = "$pid" ] || fail "reboot changed g1's QEMU"
phase "g1 rebooted (agent,acpi)"

# ...and shutdown shuts it off
expect_ok shutdown g1 --mode agent,acpi >/dev/null
wait_until 10 state_is g1 "shut off (shutdown)" || fail "g1 after shutdown --mode agent,acpi: $(vmmctl domstate g1 --reason)"
phase "g1 shut off (agent,acpi)"
wait_until 3 eval '[ -z "$(qemu_pids)" ]' || fail "QEMU left running: $(qemu_pids)"
no_runtime_files g1 || fail "runtime files of g1 left: $(ls "$QEMU_RUN")"
[ ! -e "$AGENT_SOCK" ] || fail "the agent socket file $AGENT_SOCK was left behind"
[ ! -e "$QEMU_RUN/g1.channels" ] || fail "the channel directory of g1 was left behind"
echo "PASS: $TEST_NAME"
