#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Starts that cannot work fail with a clear error and leave nothing behind
# (no QEMU, no state file, no monitor socket): a disk file that does not
# exist, an unknown machine type, a kernel path with a comma that does not
# exist (and one that does: it boots, the comma injects nothing), memory
# larger than the host, type='kvm' without /dev/kvm, a name already
# running (start and create).
. "$(dirname "$0")/qemud-e2e-lib.sh"

# bad_start NAME PATTERN: start fails with PATTERN, nothing is left.
bad_start() {
        out=$(expect_fail "$2" start "$1") || exit 1
        echo "refused as expected: $out"
        state_is "$1" "shut off (unknown)" || fail "$1 after a failed start: $(vmmctl domstate "$1" --reason)"
        [ -z "$(qemu_pids)" ] || fail "$1: QEMU left after a failed start: $(qemu_pids)"
        no_runtime_files "$1" || fail "$1: runtime files left after a failed start: $(ls "$QEMU_RUN")"
}

disk="<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$ROOT/missing.img'/><target dev='vda' bus='virtio'/></disk>"
expect_ok define "$(guest_xml nodisk "s|<devices>|<devices>$disk|")" >/dev/null
bad_start nodisk "nodisk.*disk 'vda'.*$ROOT/missing.img.*No such file"

expect_ok define "$(guest_xml badmachine "s|machine='pc'|machine='no-such-machine'|")" >/dev/null
bad_start badmachine "badmachine.*no-such-machine"

expect_ok define "$(guest_xml comma "s|$GUEST_DIR/vmlinuz|$ROOT/vm,linuz|")" >/dev/null
bad_start comma "kernel \"$ROOT/vm,linuz\" cannot be used"
cp "$GUEST_DIR/vmlinuz" "$ROOT/vm,linuz"
expect_ok start comma >/dev/null
wait_until 30 markers_above comma 0 || fail "the guest with a comma in its kernel path did not boot"
expect_ok destroy comma >/dev/null

expect_ok define "$(guest_xml huge "s|<memory unit='MiB'>128</memory>|<memory unit='TiB'>64</memory>|; s|<currentMemory unit='MiB'>128</currentMemory>||")" >/dev/null
bad_start huge "huge.*more than the host"

if [ ! -w /dev/kvm ]; then
        expect_ok define "$(guest_xml kvm "s|<domain type='qemu'>|<domain type='kvm'>|")" >/dev/null
        bad_start kvm "kvm\|KVM"
fi

# a name already running
expect_ok define "$(guest_xml g1)" >/dev/null
expect_ok start g1 >/dev/null
pid=$(qemu_pid g1)
expect_fail "g1.*already running" start g1 >/dev/null
expect_fail "g1.*already defined" create "$(guest_xml g1)" >/dev/null
expect_ok create "$(guest_xml gt)" >/dev/null
expect_fail "gt.*already running" create "$(guest_xml gt)" >/dev/null
[ "$(qemu_pid g1)" = "$pid" ] || fail "a refused start touched the running g1"
[ "$(qemu_pids | wc -l)" -eq 2 ] || fail "expected 2 QEMUs (g1, gt): $(qemu_pids)"
expect_ok destroy g1 >/dev/null
expect_ok destroy gt >/dev/null
[ -z "$(ls "$QEMU_RUN")" ] || fail "runtime files left: $(ls "$QEMU_RUN")"
exit 0
