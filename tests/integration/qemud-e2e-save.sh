#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# save / restore / managedsave of the test guest under vmm-qemud (real
# QEMU, TCG), through vmmctl on qemu:///session. The guest prints
# "VMM-TEST-TICK <n>" every second (vmmtest.tick=1): after a restore the
# count goes on from where it stopped and no second ready marker appears,
# so the guest continued instead of booting again. Bad input (a garbage
# file, a missing file, an image cut after its header or inside QEMU's
# stream, a directory that does not exist) gives a clear error and leaves
# no QEMU, runtime file or partial image behind.
. "$(dirname "$0")/qemud-e2e-lib.sh"

# last_tick NAME: the highest tick the guest printed (0: none).
last_tick() {
        n=$(sed -n 's/.*VMM-TEST-TICK \([0-9][0-9]*\).*/\1/p' "$QEMU_LOGS/$1-serial0.log" 2>/dev/null |
                sort -n | tail -n 1)
        echo "${n:-0}"
}

ticks_above() {
        [ "$(last_tick "$1")" -gt "$2" ]
}

# first_tick_after NAME N: the first tick printed after tick N.
first_tick_after() {
        sed -n 's/.*VMM-TEST-TICK \([0-9][0-9]*\).*/\1/p' "$QEMU_LOGS/$1-serial0.log" |
                awk -v n="$2" 'found { print; exit } $1 == n { found = 1 }'
}

# no_qemu NAME: no QEMU of this test runs the domain (one pgrep, cheaper
# than qemu_pid's walk over /proc on a loaded machine).
no_qemu() {
        ! pgrep -f -- "qemu-system.*guest=$1,debug-threads=on.*$ROOT/" >/dev/null
}

# nothing_left NAME DIR: no QEMU, no runtime files, no temporary image in DIR.
nothing_left() {
        no_qemu "$1" || fail "QEMU of $1 still runs: $(qemu_pid "$1")"
        no_runtime_files "$1" || fail "runtime files of $1 left: $(ls "$QEMU_RUN")"
        if ls -A "$2" | grep -q '^\.[^.].*\.img\.'; then
                fail "temporary image left in $2: $(ls -A "$2")"
        fi
}

watch_events
xml=$(guest_xml s1 "s|vmmtest.fastoff=1|vmmtest.fastoff=1 vmmtest.tick=1|")
expect_ok define "$xml" >/dev/null
IMGDIR="$ROOT/images"
mkdir -p "$IMGDIR"
IMG="$IMGDIR/s1.img"

expect_fail "not running" save s1 "$IMG" >/dev/null
[ ! -e "$IMG" ] || fail "a save of a shut-off domain created $IMG"

expect_ok start s1 >/dev/null
wait_until 30 markers_above s1 0 || fail "no ready marker on s1's serial log"
wait_until 10 ticks_above s1 1 || fail "s1 prints no VMM-TEST-TICK"

# --- save ---
t0=$(now_ms)
out=$(expect_ok save s1 "$IMG") || exit 1
echo "save took $(($(now_ms) - t0)) ms"
echo "$out" | grep -qx "Domain 's1' saved to $IMG" || fail "save printed: $out"
state_is s1 "shut off (saved)" || fail "s1 after save: $(vmmctl domstate s1 --reason)"
expect_event "s1 stopped 4"
nothing_left s1 "$IMGDIR"
[ -s "$IMG" ] || fail "no image at $IMG"
[ "$(stat -c %a "$IMG")" = 600 ] || fail "image mode is $(stat -c %a "$IMG") (expected 600)"
[ "$(head -c 8 "$IMG")" = VMMSAVE1 ] || fail "image does not start with VMMSAVE1"
[ "$(dd if="$IMG" bs=4096 skip=1 count=1 2>/dev/null | head -c 4)" = QEVM ] ||
        fail "no QEMU stream (QEVM) after the 4 KiB header"
vmmctl save-image-dumpxml "$IMG" | grep -q "<name>s1</name>" ||
        fail "save-image-dumpxml: $(vmmctl save-image-dumpxml "$IMG" 2>&1)"
echo "image: $(stat -c %s "$IMG") bytes"
saved_tick=$(last_tick s1)
expect_fail "not running" save s1 "$IMGDIR/again.img" >/dev/null

# --- restore ---
t0=$(now_ms)
out=$(expect_ok restore "$IMG") || exit 1
echo "restore took $(($(now_ms) - t0)) ms"
echo "$out" | grep -qx "Domain restored from $IMG" || fail "restore printed: $out"
state_is s1 "running (restored)" || fail "s1 after restore: $(vmmctl domstate s1 --reason)"
expect_event "s1 started 2"
wait_until 10 ticks_above s1 "$saved_tick" || fail "s1 prints no tick after the restore"
next=$(first_tick_after s1 "$saved_tick")
[ "$next" = $((saved_tick + 1)) ] ||
        fail "after tick $saved_tick the guest printed tick $next: it did not continue"
[ "$(markers s1)" = 1 ] || fail "s1 booted again after restore ($(markers s1) ready markers)"
expect_fail "already running" restore "$IMG" >/dev/null
[ -s "$IMG" ] || fail "the image vanished after the restore"

# save into a directory that does not exist: the guest keeps running
expect_fail "cannot create a file in" save s1 "$ROOT/no/such/dir/s1.img" >/dev/null
state_is s1 "running (restored)" || fail "s1 after a failed save: $(vmmctl domstate s1 --reason)"

# --- managedsave ---
MSAVE="$ROOT/var/lib/vmm/qemu/save/s1.save"
out=$(expect_ok managedsave s1) || exit 1
echo "$out" | grep -qx "Domain 's1' state saved" || fail "managedsave printed: $out"
state_is s1 "shut off (saved)" || fail "s1 after managedsave: $(vmmctl domstate s1 --reason)"
nothing_left s1 "$(dirname "$MSAVE")"
[ -s "$MSAVE" ] || fail "no managed save image at $MSAVE"
vmmctl dominfo s1 | grep -q "^Managed save: *yes" || fail "dominfo: $(vmmctl dominfo s1)"
[ "$(vmmctl list --all --name --with-managed-save)" = s1 ] ||
        fail "list --with-managed-save: $(vmmctl list --all --name --with-managed-save)"
expect_fail "managed save image" undefine s1 >/dev/null
saved_tick=$(last_tick s1)
expect_ok start s1 >/dev/null
state_is s1 "running (restored)" || fail "s1 after start from managed save: $(vmmctl domstate s1 --reason)"
[ ! -e "$MSAVE" ] || fail "the managed save image is still there after start"
vmmctl dominfo s1 | grep -q "^Managed save: *no" || fail "dominfo: $(vmmctl dominfo s1)"
[ -z "$(vmmctl list --all --name --with-managed-save)" ] || fail "list --with-managed-save after start"
wait_until 10 ticks_above s1 "$saved_tick" || fail "s1 prints no tick after start from managed save"
[ "$(first_tick_after s1 "$saved_tick")" = $((saved_tick + 1)) ] ||
        fail "the guest did not continue after start from managed save"
[ "$(markers s1)" = 1 ] || fail "s1 booted again after managed save ($(markers s1) ready markers)"

# managedsave --paused, then managedsave-remove: the next start boots afresh
expect_ok managedsave --paused s1 >/dev/null
expect_ok managedsave-remove s1 | grep -q "Removed managedsave image" || fail "managedsave-remove"
[ ! -e "$MSAVE" ] || fail "managedsave-remove left $MSAVE"
expect_ok start s1 >/dev/null
state_is s1 "running (booted)" || fail "s1 after start without image: $(vmmctl domstate s1 --reason)"
expect_ok save --paused s1 "$IMGDIR/paused.img" >/dev/null
expect_ok restore "$IMGDIR/paused.img" >/dev/null
state_is s1 "paused (user)" || fail "restore of a --paused image: $(vmmctl domstate s1 --reason)"
expect_ok destroy s1 >/dev/null

# --- bad input: clear errors, nothing started ---
echo "not an image" >"$IMGDIR/garbage.img"
expect_fail "garbage.img\": magic: not a vmm save image" restore "$IMGDIR/garbage.img" >/dev/null
expect_fail "missing.img\": cannot open it: No such file" restore "$IMGDIR/missing.img" >/dev/null
head -c 4096 "$IMG" >"$IMGDIR/header-only.img"
expect_fail "no QEMU state" restore "$IMGDIR/header-only.img" >/dev/null
head -c 300000 "$IMG" >"$IMGDIR/cut.img"
expect_fail "restore" restore "$IMGDIR/cut.img" >/dev/null
state_is s1 "shut off (destroyed)" || state_is s1 "shut off (failed)" ||
        fail "s1 after failed restores: $(vmmctl domstate s1 --reason)"
nothing_left s1 "$IMGDIR"
expect_ok undefine s1 >/dev/null
echo "PASS: $TEST_NAME"
