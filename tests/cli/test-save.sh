#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# save, restore, managedsave, managedsave-remove and save-image-dumpxml on
# test:///default (the test driver writes real image files: our header, an
# empty body): the messages virsh users know, the states after each step,
# a relative FILE taken from the current directory, dominfo's "Managed
# save" line, undefine --managed-save, --json, and clear errors for bad
# input (garbage file, missing file, missing directory, clashing options)
# that change nothing.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
run "$VMMCTL" -c "$URI" "save test t.img; domstate test --reason; save-image-dumpxml t.img; \
restore t.img; domstate test --reason"
expect_rc 0 "save and restore"
expect_line "Domain 'test' saved to t.img" "save message"
expect_line "shut off (saved)" "state after save"
expect_line "  <name>test</name>" "save-image-dumpxml"
expect_line "Domain restored from t.img" "restore message"
expect_line "running (restored)" "state after restore"
[ "$(head -c 8 "$TMP/t.img")" = VMMSAVE1 ] || fail "t.img is not a save image"
[ "$(stat -c %a "$TMP/t.img")" = 600 ] || fail "t.img mode $(stat -c %a "$TMP/t.img")"

run "$VMMCTL" -c "$URI" "save --paused test p.img; restore p.img; domstate test --reason; \
save test r.img; restore --running r.img; domstate test --reason"
expect_rc 0 "save --paused, restore --running"
expect_line "paused (user)" "restore of a --paused image"
expect_line "running (restored)" "restore --running"

run "$VMMCTL" -c "$URI" "managedsave test; dominfo test; domstate test --reason; start test; \
domstate test --reason; dominfo test"
expect_rc 0 "managedsave and start"
expect_line "Domain 'test' state saved" "managedsave message"
expect_line "Managed save:   yes" "dominfo with an image"
expect_line "Managed save:   no" "dominfo after start"
expect_out_contains "shut off (saved)" "state after managedsave"

run "$VMMCTL" -q -c "$URI" "define '$VMM_SOURCE_DIR/examples/guest-test.xml'; managedsave test; \
list --all --name --with-managed-save; list --all --name --without-managed-save"
expect_rc 0 "list --with-managed-save"
[ "$OUT" = "$(printf 'test\nguest1')" ] || fail "list --with-managed-save, then --without: '$OUT'"

run "$VMMCTL" -c "$URI" "managedsave test; undefine test"
expect_rc 1 "undefine with a managed save image"
expect_err "error: undefine domain 'test': the domain has a managed save image (remove it with managedsave-remove, or undefine --managed-save)" \
        "undefine refused"
run "$VMMCTL" -c "$URI" "managedsave test; managedsave-remove test; managedsave-remove test; \
start test; domstate test --reason"
expect_rc 0 "managedsave-remove"
expect_line "Removed managedsave image for domain 'test'" "managedsave-remove message"
expect_line "Domain 'test' has no manage save image; removal skipped" "second remove"
expect_line "running (booted)" "start after managedsave-remove boots"
run "$VMMCTL" -c "$URI" "managedsave test; undefine --managed-save test; list --all --name"
expect_rc 0 "undefine --managed-save"
printf '%s\n' "$OUT" | grep -qx test && fail "list after undefine --managed-save still has test"

run "$VMMCTL" -c "$URI" --json "save test j.img; restore j.img"
expect_rc 0 "save and restore --json"
expect_out_contains '"result": "ok"' "save --json"
expect_out_contains "\"file\": \"$TMP/j.img\"" "save --json names the absolute file"
expect_out_contains '"domain": "test"' "restore --json"

# bad input: clear errors, nothing changed
echo "garbage" >"$TMP/garbage.img"
run "$VMMCTL" -c "$URI" "restore garbage.img"
expect_rc 1 "restore of garbage"
expect_err "error: restore: save image \"$TMP/garbage.img\": magic: not a vmm save image (expected it to start with \"VMMSAVE1\")" \
        "restore of garbage"
run "$VMMCTL" -c "$URI" "restore $TMP/missing.img"
expect_rc 1 "restore of a missing file"
expect_err "error: restore: save image \"$TMP/missing.img\": cannot open it: No such file or directory" \
        "restore of a missing file"
run "$VMMCTL" -c "$URI" "save test $TMP/no/dir/x.img; domstate test"
expect_rc 1 "save into a missing directory"
expect_err "error: save domain 'test': save image \"$TMP/no/dir/x.img\": cannot create a file in \"$TMP/no/dir\": No such file or directory" \
        "save into a missing directory"
run "$VMMCTL" -c "$URI" "save test x.img --running --paused"
expect_rc 1 "--running with --paused"
expect_err "error: options --running and --paused are mutually exclusive" "--running --paused"
run "$VMMCTL" -c "$URI" "domstate test; destroy test; save test x.img"
expect_rc 1 "save of a shut-off domain"
expect_line "running" "the failed saves left it running"
[ ! -e "$TMP/x.img" ] || fail "a failed save left x.img"
ls -A "$TMP" | grep -q '^\.' && fail "temporary files left: $(ls -A "$TMP")"
finish
