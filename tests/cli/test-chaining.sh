#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Several commands in one invocation: ';' as its own argument, glued to a
# word, or inside one quoted argument (where quotes protect a ';').
. "$(dirname "$0")/lib.sh"

run "$VMMCTL" -c "$URI" domstate test ";" suspend test ";" domstate test
expect_rc 0 "';' as an argument"
expect_line "running" "first command"
expect_line "Domain 'test' suspended" "second command"
expect_line "paused" "third command sees the second's effect"

run "$VMMCTL" -c "$URI" uri\; hostname
expect_rc 0 "'uri;' glued"
expect_line "test:///default" "uri"
[ "$(printf '%s\n' "$OUT" | grep -c .)" -eq 2 ] || fail "uri; hostname printed: $OUT"

run "$VMMCTL" -c "$URI" "suspend test; domstate test;resume test ; domstate test"
expect_rc 0 "one quoted argument"
expect_line "paused" "state after suspend"
expect_line "Domain 'test' resumed" "resume"
[ "$(printf '%s\n' "$OUT" | grep -x running)" = "running" ] || fail "state after resume: $OUT"

# a ';' inside quotes is part of the word
run "$VMMCTL" -c "$URI" "dominfo 'no;such'"
expect_rc 1 "quoted ;"
expect_err_prefix "quoted ;"
case "$ERR" in *"no;such"*) ;; *) fail "the error should name 'no;such': $ERR" ;; esac

# a failing command fails the invocation, the others still run
run "$VMMCTL" -c "$URI" "domstate nosuch; domstate test"
expect_rc 1 "failure in a chain"
expect_line "running" "the command after the failure ran"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "one error line expected: $ERR"
expect_err_prefix "failure in a chain"

# an unterminated quote is a parse error
run "$VMMCTL" -c "$URI" "dominfo 'test"
expect_rc 1 "unterminated quote"
expect_err "error: missing closing single quote" "unterminated quote"

finish
