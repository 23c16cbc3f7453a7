#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A save that fails half-way: QEMU runs out of space writing its state (a
# 256 KiB tmpfs, mounted in a private mount namespace this script re-runs
# itself in, so vmm-qemud and QEMU see it). The call fails with QEMU's
# reason, the guest runs again (running/save canceled), no partial image
# is left, and a save to a roomy place then works, as does the restore.
# A diskless, firmware-only guest: no boot to wait for.
if [ -z "${VMM_SAVE_ENOSPC_NS:-}" ]; then
        if ! unshare -m --propagation private true 2>/dev/null; then
                echo "SKIP: $(basename "$0" .sh): cannot make a private mount namespace"
                exit 77
        fi
        VMM_SAVE_ENOSPC_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/qemud-e2e-lib.sh"

SMALL="$ROOT/small"
mkdir -p "$SMALL"
if ! mount -t tmpfs -o size=256k tmpfs "$SMALL" 2>/dev/null; then
        echo "SKIP: $TEST_NAME: cannot mount a tmpfs"
        exit 77
fi

expect_ok define "$(make_domain e1)" >/dev/null
expect_ok start e1 >/dev/null
pid=$(qemu_pid e1)
[ -n "$pid" ] || fail "no QEMU for e1"
out=$(expect_fail "No space left on device" save e1 "$SMALL/e1.img") || exit 1
echo "$out" | grep -q "save domain 'e1' to \"$SMALL/e1.img\"" || fail "the error does not name the domain and file: $out"
state_is e1 "running (save canceled)" || fail "e1 after the failed save: $(vmmctl domstate e1 --reason)"
[ "$(qemu_pid e1)" = "$pid" ] || fail "the failed save replaced e1's QEMU"
[ -z "$(ls -A "$SMALL")" ] || fail "partial image left: $(ls -A "$SMALL")"

expect_ok save e1 "$ROOT/e1.img" >/dev/null
state_is e1 "shut off (saved)" || fail "e1 after save: $(vmmctl domstate e1 --reason)"
expect_ok restore "$ROOT/e1.img" >/dev/null
state_is e1 "running (restored)" || fail "e1 after restore: $(vmmctl domstate e1 --reason)"
expect_ok destroy e1 >/dev/null
umount "$SMALL"
echo "PASS: $TEST_NAME"
