#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lifecycle commands and list filters on test:///default: create (transient,
# paused), resume, reboot, reset, shutdown, suspend, autostart, and the
# list options that select by state, persistence and autostart.
. "$(dirname "$0")/lib.sh"
XML="$VMM_SOURCE_DIR/examples/guest-test.xml"

run "$VMMCTL" -c "$URI" "create '$XML' --paused; domstate guest1 --reason; \
list --transient --name; list --persistent --name; resume guest1; domstate guest1; \
reboot guest1; reset guest1; shutdown guest1; list --all --name"
expect_rc 0 "transient guest"
expect_line "Domain 'guest1' created from $XML" "create"
expect_line "paused (user)" "create --paused"
expect_line "guest1" "list --transient"
expect_line "Domain 'guest1' resumed" "resume"
expect_line "Domain 'guest1' is being rebooted" "reboot"
expect_line "Domain 'guest1' was reset" "reset"
expect_line "Domain 'guest1' is being shutdown" "shutdown"
# --persistent lists only "test"; the transient guest is gone after shutdown
[ "$(printf '%s\n' "$OUT" | grep -c '^guest1$')" -eq 1 ] ||
        fail "guest1 should appear once (in list --transient): $OUT"
[ "$(printf '%s\n' "$OUT" | tail -n 1)" = "test" ] || fail "the last list: $OUT"

run "$VMMCTL" -c "$URI" "autostart test; list --autostart --name; autostart --disable test; \
list --no-autostart --name; suspend test; list --state-paused --name; list --state-running --name; \
dominfo test"
expect_rc 0 "autostart and state filters"
expect_line "Domain 'test' marked as autostarted" "autostart"
expect_line "Domain 'test' unmarked as autostarted" "autostart --disable"
expect_line "Autostart:      disable" "dominfo after --disable"
expect_line "State:          paused" "dominfo after suspend"
[ "$(printf '%s\n' "$OUT" | grep -cx test)" -eq 3 ] ||
        fail "test should be listed by --autostart, --no-autostart and --state-paused only: $OUT"

run "$VMMCTL" -c "$URI" "define '$XML'; list --inactive --name; list --all --inactive --name; \
list --state-shutoff --name; dumpxml --inactive guest1"
expect_rc 0 "inactive filters"
[ "$(printf '%s\n' "$OUT" | grep -cx guest1)" -eq 3 ] || fail "guest1 in each inactive list: $OUT"
[ "$(printf '%s\n' "$OUT" | grep -cx test)" -eq 1 ] || fail "test only in the --all list: $OUT"
expect_line "  <name>guest1</name>" "dumpxml --inactive"

# The table lists running domains by id, then inactive ones by name, as virsh.
sed 's/<name>guest1</<name>zz-off</; /<uuid>/d' "$XML" > "$TMP/off.xml"
run "$VMMCTL" -c "$URI" "define '$XML'; define '$TMP/off.xml'; start guest1; list --all"
expect_rc 0 "list order"
rows=$(printf '%s\n' "$OUT" | awk '$2 == "test" || $2 == "guest1" || $2 == "zz-off" { print $1 " " $2 }' | tr '\n' ',')
[ "$rows" = "1 test,2 guest1,- zz-off," ] || fail "list --all order: $rows"

finish
