#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The interactive shell fed from a pipe: commands run on one connection
# (state carries from line to line), quit ends the session.
. "$(dirname "$0")/lib.sh"
XML="$VMM_SOURCE_DIR/examples/guest-test.xml"

"$VMMCTL" -c "$URI" >"$TMP/out" 2>"$TMP/err" <<EOS
list --all --name
define '$XML'
start guest1 ; domstate guest1
# a comment line, then an empty line

dominfo "guest1"
destroy guest1
quit
undefine guest1
EOS
RC=$?
OUT=$(cat "$TMP/out")
ERR=$(cat "$TMP/err")
expect_rc 0 "interactive session"
expect_line "test" "list --all --name"
expect_line "Domain 'guest1' defined from $XML" "define"
expect_line "Domain 'guest1' started" "start"
expect_line "running" "domstate"
expect_line "Name:           guest1" "dominfo"
expect_line "Domain 'guest1' destroyed" "destroy"
expect_out_lacks "undefined" "a command after quit"
[ -z "$ERR" ] || fail "unexpected stderr: $ERR"

# a failing line is reported, the session goes on, the exit status is 1
printf 'dominfo nosuch\nexit\n' | "$VMMCTL" -c "$URI" >"$TMP/out" 2>"$TMP/err"
RC=$?
ERR=$(cat "$TMP/err")
expect_rc 1 "failing line"
expect_err_prefix "failing line"

finish
