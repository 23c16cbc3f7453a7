#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vmmctl event` against vmm-qemud: one process waits for events while
# another defines and undefines domains.
#  - `event --all --loop --timeout 5` prints one virsh-style line per event,
#    in order, and ends with the timeout and the count;
#  - `event DOMAIN` ignores other domains' events and exits after the first;
#  - `--json event --all` prints one JSON object per line;
#  - Ctrl-C (SIGINT) ends a --loop cleanly.
. "$(dirname "$0")/qemud-lib.sh"

other=$(make_domain other 5a1e0c11-2d8e-4c50-9a6a-0f7e1b2c3d4e)
expect_ok define "$DATA/minimal.xml" >/dev/null

# Events sent before the listener registered are lost (as with virsh), so
# each test first pokes until the listener shows it is registered.
poke_until_line() { # FILE PATTERN CMD...
        file=$1 pat=$2
        shift 2
        for _ in $(seq 1 100); do
                grep -q -- "$pat" "$file" 2>/dev/null && return 0
                vmmctl "$@" >/dev/null 2>&1
                sleep 0.05
        done
        return 1
}

# 1. --all --loop --timeout
evout="$ROOT/loop.out"
"$VMMCTL" -c "$URI" event --all --loop --timeout 5 >"$evout" 2>&1 &
lp=$!
poke_until_line "$evout" "Defined Updated" define "$DATA/minimal.xml" ||
        fail "the listener saw no event: $(cat "$evout")"
expect_ok undefine tiny >/dev/null
expect_ok define "$DATA/minimal.xml" >/dev/null
expect_ok define "$other" >/dev/null
expect_ok undefine other >/dev/null
wait $lp || fail "event --loop exited with $?: $(cat "$evout")"
# after the pokes: exactly these, in this order
tail -n +"$(grep -n "Defined Updated" "$evout" | tail -1 | cut -d: -f1)" "$evout" >"$ROOT/tail"
cat >"$ROOT/want" <<'E'
event 'lifecycle' for domain 'tiny': Defined Updated
event 'lifecycle' for domain 'tiny': Undefined Removed
event 'lifecycle' for domain 'tiny': Defined Added
event 'lifecycle' for domain 'other': Defined Added
event 'lifecycle' for domain 'other': Undefined Removed
event loop timed out
E
n=$(grep -c "^event 'lifecycle'" "$evout")
echo "events received: $n" >>"$ROOT/want"
diff -u "$ROOT/want" "$ROOT/tail" || fail "event --all --loop printed otherwise"

# 2. one domain, no --loop: other domains' events are not printed, and it
#    exits after the first of its own.
evout="$ROOT/one.out"
"$VMMCTL" -c "$URI" event tiny --timeout 10 >"$evout" 2>&1 &
lp=$!
for _ in $(seq 1 100); do
        kill -0 $lp 2>/dev/null || break
        vmmctl define "$other" >/dev/null 2>&1
        vmmctl define "$DATA/minimal.xml" >/dev/null 2>&1
        sleep 0.05
done
wait $lp || fail "event tiny exited with $?: $(cat "$evout")"
grep -q "other" "$evout" && fail "event tiny printed another domain's event: $(cat "$evout")"
[ "$(grep -c "^event 'lifecycle' for domain 'tiny': Defined Updated$" "$evout")" = 1 ] ||
        fail "event tiny did not print exactly one event: $(cat "$evout")"
grep -q "events received: 1" "$evout" || fail "no count: $(cat "$evout")"

# 3. --json: one object per line
evout="$ROOT/json.out"
"$VMMCTL" -c "$URI" --json event --all --timeout 10 >"$evout" 2>&1 &
lp=$!
for _ in $(seq 1 100); do
        kill -0 $lp 2>/dev/null || break
        vmmctl define "$DATA/minimal.xml" >/dev/null 2>&1
        sleep 0.05
done
wait $lp || fail "--json event exited with $?: $(cat "$evout")"
[ "$(wc -l <"$evout")" = 1 ] || fail "--json event printed more than one line: $(cat "$evout")"
grep -q '^{"event":"lifecycle","domain":"tiny","uuid":"00000000-1111-2222-3333-444444444444","type":"Defined","detail":"Updated",' "$evout" ||
        fail "--json event line: $(cat "$evout")"

# 4. Ctrl-C ends the loop cleanly
evout="$ROOT/int.out"
"$VMMCTL" -c "$URI" event --all --loop >"$evout" 2>&1 &
lp=$!
poke_until_line "$evout" "Defined Updated" define "$DATA/minimal.xml" ||
        fail "the listener saw no event: $(cat "$evout")"
kill -INT $lp
wait $lp || fail "event --loop exited with $? on SIGINT: $(cat "$evout")"
grep -q "event loop interrupted" "$evout" || fail "no interrupt notice: $(cat "$evout")"

# 5. bad arguments
expect_fail "expected --all or a domain" event >/dev/null
expect_fail "no domain named 'nosuch'" event nosuch --timeout 1 >/dev/null
expect_fail 'timeout: "0" is not a number of seconds' event --all --timeout 0 >/dev/null
echo "PASS: $TEST_NAME"
