#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Crash safety of vmm-qemud's definitions: 4 clients define, redefine and
# undefine in a storm; vmm-qemud is killed with SIGKILL in the middle of
# it; the next call starts it again (the journal is replayed). Every
# operation that returned OK must be there (with its memory size), an
# operation in flight may have happened or not, nothing else may appear,
# and every file of the config directory must load (no torn file, no
# temporary file left).
. "$(dirname "$0")/qemud-lib.sh"

STORM=${QEMUDPERF_STORM:?}
STORM_LOG="$ROOT/storm.log"

no_daemon || fail "a daemon runs before the test"
expect_ok list --all >/dev/null
one_daemon || fail "no vmm-qemud after the first call"

for round in 1 2; do
        "$STORM" storm 4 >"$STORM_LOG.$round" 2>"$ROOT/storm.err" &
        storm_pid=$!
        EXTRA_PIDS="$storm_pid"
        # kill in the middle: after 300 + 200*round operations returned
        want=$((300 + 200 * round))
        wait_until 30 eval '[ "$(grep -c "^ok " "$STORM_LOG.$round")" -ge $want ]' ||
                fail "round $round: the storm did not get going: $(tail -3 "$ROOT/storm.err")"
        # daemon and clients die together (the clients would reconnect and
        # start a new daemon): every "ok" logged was a reply of this daemon
        pid=$(daemon_pids)
        kill -9 $pid "$storm_pid"
        wait "$storm_pid" 2>/dev/null
        wait_until 5 no_daemon || fail "vmm-qemud $pid alive after kill -9"
        cat "$STORM_LOG".* >"$STORM_LOG"
        : >"$LOG.before"
        [ -f "$LOG" ] && cp "$LOG" "$LOG.before"

        # the next call starts the daemon again: the journal is replayed
        # ... and every file on disk is the daemon's definition (defines
        # that returned OK have their file, undefines none)
        "$STORM" check "$STORM_LOG" "$CONF" ||
                fail "round $round: definitions after the crash differ"
        one_daemon || fail "round $round: no vmm-qemud after the check"
        diff "$LOG.before" "$LOG" | grep -q "replayed from journal" ||
                fail "round $round: the restarted daemon replayed nothing (was the journal used?)"
        if diff "$LOG.before" "$LOG" | grep -q "skipping"; then
                fail "round $round: a definition file did not load: $(grep skipping "$LOG")"
        fi
        ls "$CONF" | grep -q "tmp-" && fail "round $round: temporary files left: $(ls "$CONF" | grep tmp-)"
        files=$(ls "$CONF" | grep -c '\.xml$')
        listed=$(expect_ok list --all --name | grep -c .)
        [ "$files" -eq "$listed" ] || fail "round $round: $files files, $listed domains listed"
        echo "round $round: $(grep -c '^ok ' "$STORM_LOG") operations returned OK, $listed domains"
done

# a clean stop in the middle of a storm writes every file and
# checkpoints: the next start has nothing to replay, and the files hold
# what the daemon answered
"$STORM" storm 4 >"$STORM_LOG.3" 2>"$ROOT/storm.err" &
storm_pid=$!
EXTRA_PIDS="$storm_pid"
wait_until 30 eval '[ "$(grep -c "^ok " "$STORM_LOG.3")" -ge 300 ]' ||
        fail "stop: the storm did not get going: $(tail -3 "$ROOT/storm.err")"
kill -STOP "$storm_pid" # no call in flight that the stop would fail
sleep 0.2
kill -TERM "$(daemon_pids)"
wait_until 10 no_daemon || fail "vmm-qemud ignored SIGTERM"
kill -9 "$storm_pid"
wait "$storm_pid" 2>/dev/null
cat "$STORM_LOG".* >"$STORM_LOG"
cp "$LOG" "$LOG.before"
"$STORM" check "$STORM_LOG" "$CONF" || fail "after a clean stop: definitions or files differ"
diff "$LOG.before" "$LOG" | grep -q "replayed" && fail "a clean stop left records to replay"
echo "PASS: $TEST_NAME"
