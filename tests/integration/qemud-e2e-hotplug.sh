#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Device hot-plug on a running test guest under vmm-qemud (real QEMU,
# TCG), through vmmctl on qemu:///session: a raw disk attached live
# (domblklist, QMP query-block), detached (the guest releases it through
# ACPI PCI hot-plug: DEVICE_DELETED) and attached again under the same
# id; a user NIC attached live (domiflist, query-pci), a tap NIC the
# driver creates (when taps can be made here), and the NIC of the
# definition detached, also after a daemon restart; bad input (a missing
# source file, a target already used, a device_add QEMU refuses, an absent
# device) leaves no block node behind; --config on a shut-off domain shows
# on the next QEMU command line; a guest that cannot release a device
# (paused) gives a timeout and keeps the device until it releases it
# later (resumed).
. "$(dirname "$0")/qemud-e2e-lib.sh"

qmp() {
        vmmctl qemu-monitor-command g-hp "{\"execute\":\"$1\"}" 2>&1 | tr -d '\\'
}
node_names() {
        qmp query-named-block-nodes | grep -o '"node-name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort -u | tr '\n' ' '
}
no_nodes_of() {
        ! node_names | grep -q "vmm-$1-"
}

disk1="$ROOT/hp one.img" # a space in the path
qemu-img create -q -f raw "$disk1" 8M || fail "qemu-img create"
nic0="<interface type='user'><mac address='52:54:00:0e:01:01'/><model type='virtio'/></interface>"
xml=$(guest_xml g-hp "s|<memballoon|$nic0<memballoon|")
expect_ok define "$xml" >/dev/null
expect_ok start g-hp >/dev/null
wait_until 30 markers_above g-hp 0 || fail "no ready marker on g-hp"

# --- a raw disk, live ---
t0=$(now_ms)
out=$(expect_ok attach-disk g-hp "$disk1" vdb --driver qemu --subdriver raw --cache none)
echo "attach-disk took $(($(now_ms) - t0)) ms"
[ "$out" = "Disk attached successfully" ] || fail "attach-disk said: $out"
out=$(expect_ok domblklist g-hp)
echo "$out" | grep -Eq "^ vdb +$disk1\$" || fail "domblklist after attach: $out"
out=$(qmp query-block)
echo "$out" | grep -q '"qdev": *"/machine/peripheral/vdb/' || fail "query-block has no device vdb: $out"
echo "$out" | grep -q "\"file\": *\"$disk1\"" || fail "query-block does not show $disk1: $out"
vmmctl dumpxml --inactive g-hp | grep -q "target dev=\"vdb\"" &&
        fail "a live attach changed the persistent definition"
node_names | grep -q "vmm-vdb-format" || fail "no format node vmm-vdb-format: $(node_names)"

# a target already in use: named, nothing added
expect_fail "target dev 'vdb' is already used" attach-disk g-hp "$disk1" vdb >/dev/null
# a source file that does not exist: named, no block node left
expect_fail "$ROOT/missing.img" attach-disk g-hp "$ROOT/missing.img" vdc >/dev/null
no_nodes_of vdc || fail "a failed attach left block nodes: $(node_names)"
# device_add refused by QEMU (slot 1 is the PIIX3 bridge): the two
# blockdev nodes created before it are removed again
bad="$ROOT/bad-slot.xml"
echo "<disk type='file' device='disk'><source file='$disk1'/><target dev='vdd' bus='virtio'/><shareable/><address type='pci' domain='0' bus='0' slot='1' function='0'/></disk>" >"$bad"
expect_fail "vdd" attach-device g-hp "$bad" >/dev/null
no_nodes_of vdd || fail "the rollback left block nodes: $(node_names)"
vmmctl domblklist g-hp | grep -q vdd && fail "a refused disk shows in domblklist"

# detach: the guest releases it (ACPI PCI hot-plug), QEMU reports DEVICE_DELETED
t0=$(now_ms)
out=$(expect_ok detach-disk g-hp vdb)
[ "$out" = "Disk detached successfully" ] || fail "detach-disk said: $out"
echo "detach-disk took $(($(now_ms) - t0)) ms"
vmmctl domblklist g-hp | grep -q vdb && fail "vdb still in domblklist after detach"
qmp query-block | grep -q '"qdev": *"/machine/peripheral/vdb/' && fail "vdb still in query-block after detach"
no_nodes_of vdb || fail "detach left block nodes: $(node_names)"
expect_fail "no disk 'vdz' to detach" detach-disk g-hp vdz >/dev/null
# the same id again (re-attach after detach)
expect_ok attach-disk g-hp "$disk1" vdb >/dev/null
qmp query-block | grep -q '"qdev": *"/machine/peripheral/vdb/' || fail "re-attached vdb not in query-block"

# --- a user NIC, live ---
t0=$(now_ms)
out=$(expect_ok attach-interface g-hp user --model virtio --mac 52:54:00:0e:01:02)
echo "attach-interface took $(($(now_ms) - t0)) ms"
[ "$out" = "Interface attached successfully" ] || fail "attach-interface said: $out"
out=$(expect_ok domiflist g-hp)
echo "$out" | grep -Eq "^ - +user +- +virtio +52:54:00:0e:01:02\$" || fail "domiflist: $out"
pci=$(qmp query-pci)
echo "$pci" | grep -q '"qdev_id": *"net1"' || fail "query-pci has no net1: $pci"
expect_fail "already used" attach-interface g-hp user --mac 52:54:00:0e:01:02 >/dev/null
# the NIC of the definition (net0 on the command line), detached live
t0=$(now_ms)
expect_ok detach-interface g-hp user --mac 52:54:00:0e:01:01 >/dev/null
echo "detach-interface took $(($(now_ms) - t0)) ms"
qmp query-pci | grep -q '"qdev_id": *"net0"' && fail "net0 still in query-pci"
vmmctl domiflist g-hp | grep -q 52:54:00:0e:01:01 && fail "detached NIC still in domiflist"

# --- a tap the driver makes (type 'ethernet'), passed to QEMU with getfd ---
if ip tuntap add dev "vmmhp$$" mode tap 2>/dev/null; then
        ip tuntap del dev "vmmhp$$" mode tap
        expect_ok attach-interface g-hp ethernet --model virtio --mac 52:54:00:0e:01:04 >/dev/null
        tap=$(vmmctl domiflist g-hp | awk '/52:54:00:0e:01:04/ {print $1}')
        [ -n "$tap" ] && [ "$tap" != "-" ] || fail "no tap in domiflist: $(vmmctl domiflist g-hp)"
        ip link show "$tap" | grep -q "fe:54:00:0e:01:04" ||
                fail "tap $tap missing or without the host MAC: $(ip link show "$tap" 2>&1)"
        qmp query-pci | grep -q '"qdev_id": *"net0"' || fail "the tap NIC (net0) is not in query-pci"
        expect_ok detach-interface g-hp ethernet --mac 52:54:00:0e:01:04 >/dev/null
        tap_gone() { ! ip link show "$tap" >/dev/null 2>&1; }
        wait_until 5 tap_gone || fail "tap $tap left after detach"
else
        echo "no tap device can be created here: tap hot-plug is not checked"
fi

# --- after a daemon restart, the hot-plugged devices are still known ---
for p in $(daemon_pids); do kill -TERM "$p"; done
wait_until 5 no_daemon || fail "vmm-qemud did not stop"
out=$(expect_ok domiflist g-hp)
echo "$out" | grep -q 52:54:00:0e:01:02 || fail "domiflist after restart: $out"
expect_ok detach-interface g-hp user --mac 52:54:00:0e:01:02 >/dev/null
qmp query-pci | grep -q '"qdev_id": *"net1"' && fail "net1 still in query-pci after detach"
expect_ok detach-disk g-hp vdb >/dev/null
no_nodes_of vdb || fail "detach after restart left block nodes: $(node_names)"

# --- a paused guest cannot release a device: timeout, device kept ---
expect_ok attach-disk g-hp "$disk1" vdb >/dev/null
expect_ok suspend g-hp >/dev/null
expect_fail "did not release" detach-disk g-hp vdb >/dev/null
vmmctl domblklist g-hp | grep -q vdb || fail "a device the guest kept vanished from domblklist"
# resumed, the guest releases it late: the live XML and the nodes follow
expect_ok resume g-hp >/dev/null
vdb_gone() { ! vmmctl domblklist g-hp | grep -q vdb; }
wait_until 20 vdb_gone || fail "vdb released late is still in domblklist"
wait_until 5 no_nodes_of vdb || fail "vdb released late left block nodes: $(node_names)"
expect_ok destroy g-hp >/dev/null

# --- config on a shut-off domain: on the next command line ---
expect_fail "not running" attach-disk g-hp "$disk1" vdc --live >/dev/null
expect_ok attach-disk g-hp "$disk1" vdc --config >/dev/null
vmmctl dumpxml --inactive g-hp | grep -q 'target dev="vdc"' || fail "--config did not define vdc"
expect_ok attach-interface g-hp user --mac 52:54:00:0e:01:03 >/dev/null # CURRENT = config
expect_ok start g-hp >/dev/null
pid=$(qemu_pid g-hp)
[ -n "$pid" ] || fail "no QEMU for g-hp"
cmd=$(tr '\0' '\n' <"/proc/$pid/cmdline")
echo "$cmd" | grep -q "node-name=vmm-vdc-format" || fail "vdc not on the command line: $cmd"
echo "$cmd" | grep -q "mac=52:54:00:0e:01:03" || fail "the config NIC is not on the command line"
expect_ok detach-disk g-hp vdc --config >/dev/null
vmmctl dumpxml --inactive g-hp | grep -q 'target dev="vdc"' && fail "--config detach kept vdc"
vmmctl domblklist g-hp | grep -q vdc || fail "--config detach changed the running guest"
expect_ok destroy g-hp >/dev/null
echo "PASS: $TEST_NAME"
