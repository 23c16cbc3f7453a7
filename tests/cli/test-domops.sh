#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# setmem, domstats and qemu-monitor-command on test:///default: sizes with
# units, --config/--live/--current, the limit of <memory>, dominfo's used
# memory, domstats' key=value layout (groups, several domains in order,
# --list-*, --json), and the monitor command refused without QEMU.
. "$(dirname "$0")/lib.sh"

run "$VMMCTL" -c "$URI" "setmem test 1GiB; dominfo test; setmem test 524288 --config; \
dumpxml --inactive test"
expect_rc 0 "setmem"
expect_line "Used memory:    1048576 KiB" "dominfo after setmem 1GiB"
expect_out_contains ">524288</currentMemory>" "setmem --config"

run "$VMMCTL" -c "$URI" "setmem test 9G"
expect_rc 1 "setmem above <memory>"
expect_err "error: domain 'test': memory 9437184 KiB is above the live maximum of 8388608 KiB (<memory>)" \
        "setmem above <memory>"
run "$VMMCTL" -c "$URI" "setmem test 12xb"
expect_rc 1 "setmem with a bad unit"
expect_out_lacks "Domain" "setmem with a bad unit"
case "$ERR" in *"size '12xb' is not a number"*) ;; *) fail "bad unit message: $ERR" ;; esac
run "$VMMCTL" -c "$URI" "setmem test 1G --current --live"
expect_rc 1 "--current with --live"

run "$VMMCTL" -c "$URI" "setmem test 512M; domstats test"
expect_rc 0 "domstats"
expect_line "Domain: 'test'" "domstats header"
expect_line "  state.state=1" "domstats state"
expect_line "  balloon.current=524288" "domstats balloon follows setmem"
expect_line "  balloon.maximum=8388608" "domstats balloon.maximum"
expect_line "  vcpu.current=2" "domstats vcpu"
expect_line "  block.count=1" "domstats block.count"
expect_line "  block.0.name=vda" "domstats block name"
expect_line "  block.0.path=/guest/diskimage1" "domstats block path"
expect_line "  net.count=1" "domstats net.count"

XML="$VMM_SOURCE_DIR/examples/guest-test.xml"
run "$VMMCTL" -c "$URI" "define '$XML'; domstats --state guest1 test"
expect_rc 0 "domstats of two domains"
[ "$(printf '%s\n' "$OUT" | grep '^Domain:' | tr '\n' '|')" = "Domain: 'guest1'|Domain: 'test'|" ] ||
        fail "domstats keeps the order of the domains given: $OUT"
expect_line "  state.state=5" "shut-off guest1"
expect_out_lacks "balloon" "domstats --state"

run "$VMMCTL" -c "$URI" "define '$XML'; domstats --list-inactive --vcpu"
expect_rc 0 "domstats --list-inactive"
expect_line "Domain: 'guest1'" "--list-inactive shows guest1"
expect_out_lacks "Domain: 'test'" "--list-inactive leaves out the running test"
run "$VMMCTL" -c "$URI" "domstats --list-active test"
expect_rc 1 "domains with --list-*"

run "$VMMCTL" -c "$URI" --json "domstats test --balloon"
expect_rc 0 "domstats --json"
printf '%s\n' "$OUT" | "${PYTHON3:-python3}" -c '
import json, sys
d = json.load(sys.stdin)
assert d == [{"name": "test", "balloon.current": 2097152, "balloon.maximum": 8388608}], d
' 2>"$TMP/py" || fail "domstats --json: $(cat "$TMP/py")"

run "$VMMCTL" -c "$URI" "qemu-monitor-command test '{\"execute\":\"query-status\"}'"
expect_rc 1 "qemu-monitor-command on the test driver"
expect_err "error: vmm_domain_qemu_monitor_command: not supported by the test driver" \
        "qemu-monitor-command on the test driver"

run "$VMMCTL" -c "$URI" "domstats nosuch"
expect_rc 1 "domstats of an unknown domain"
expect_err "error: no domain named 'nosuch'" "domstats of an unknown domain"

finish
