#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vmmctl event` on test:///default: the state is private to the process,
# so nothing changes while it waits: it times out after --timeout with the
# virsh trailer, and refuses bad arguments. (Events themselves are checked
# against vmm-qemud in tests/integration/apievents-cli-event.sh, and through
# the API on the test driver in tests/unit/test-api-events.c.)
. "$(dirname "$0")/lib.sh"

start=$(date +%s%N)
run "$VMMCTL" -c "$URI" event --all --loop --timeout 1
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "event --timeout"
expect_line "event loop timed out" "event --timeout"
expect_line "events received: 0" "event --timeout"
[ "$ms" -ge 900 ] && [ "$ms" -lt 5000 ] || fail "event --timeout 1 took $ms ms"

run "$VMMCTL" -c "$URI" -q event test --timeout 1
expect_rc 0 "event DOMAIN -q"
[ -z "$OUT" ] || fail "event -q printed '$OUT'"

run "$VMMCTL" -c "$URI" --json event --all --timeout 1
expect_rc 0 "--json event"
[ -z "$OUT" ] || fail "--json event printed '$OUT' with no event"

run "$VMMCTL" -c "$URI" event
expect_rc 1 "event without a target"
expect_err "error: which domain's events? (expected --all or a domain)" "event without a target"

run "$VMMCTL" -c "$URI" event --all test
expect_rc 1 "event --all DOMAIN"
expect_err "error: --all and a domain exclude each other (expected one)" "event --all DOMAIN"

run "$VMMCTL" -c "$URI" event nosuch --timeout 1
expect_rc 1 "event of an unknown domain"
case "$ERR" in *nosuch*) ;; *) fail "the error should name the domain: $ERR" ;; esac

run "$VMMCTL" -c "$URI" event --all --timeout 1.5
expect_rc 1 "event --timeout 1.5"
expect_err 'error: --timeout: "1.5" is not a number of seconds (expected a whole number from 1 to 2147483)' "event --timeout 1.5"

exit $FAILED
