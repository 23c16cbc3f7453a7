#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Failures: exit status 1 and "error: " followed by the message.
. "$(dirname "$0")/lib.sh"

run "$VMMCTL" -c "$URI" foo
expect_rc 1 "unknown command"
expect_err "error: unknown command: 'foo'" "unknown command"

run "$VMMCTL" -c "$URI" list --bogus
expect_rc 1 "unknown option"
expect_err "error: command 'list' doesn't support option --bogus" "unknown option"

run "$VMMCTL" -c "$URI" dominfo
expect_rc 1 "missing argument"
expect_err "error: command 'dominfo' requires <domain> option" "missing argument"

# library errors are printed unchanged after "error: "
run "$VMMCTL" -c "$URI" dominfo nosuch
expect_rc 1 "no such domain"
expect_err_prefix "no such domain"
case "$ERR" in *nosuch*) ;; *) fail "the error should name the domain: $ERR" ;; esac

run "$VMMCTL" -c "$URI" start test
expect_rc 1 "start a running domain"
expect_err_prefix "start a running domain"
case "$ERR" in *test*) ;; *) fail "the error should name the domain: $ERR" ;; esac

run "$VMMCTL" -c "$URI" define /nonexistent/guest.xml
expect_rc 1 "define a missing file"
expect_err_prefix "define a missing file"
case "$ERR" in *"/nonexistent/guest.xml"*) ;; *) fail "the error should name the file: $ERR" ;; esac

printf '<domain type="test"><name>x</name><memory>abc</memory></domain>' >"$TMP/bad.xml"
run "$VMMCTL" -c "$URI" define "$TMP/bad.xml"
expect_rc 1 "define bad XML"
expect_err_prefix "define bad XML"
case "$ERR" in *memory*) ;; *) fail "the error should name <memory>: $ERR" ;; esac

run "$VMMCTL" -c "nosuchscheme:///x" uri
expect_rc 1 "bad URI"
expect_err_prefix "bad URI"

run "$VMMCTL" --bogus-global list
expect_rc 1 "unknown global option"
expect_err_prefix "unknown global option"

# read-only connections refuse changes
run "$VMMCTL" -r -c "$URI" destroy test
expect_rc 1 "read-only destroy"
expect_err_prefix "read-only destroy"

# help succeeds and lists every command with its options
run "$VMMCTL" help
expect_rc 0 "help"
for c in list define create undefine start shutdown destroy suspend resume reboot reset \
         dominfo domstate domid domuuid domname dumpxml autostart net-list net-dumpxml \
         net-info pool-list pool-info pool-dumpxml vol-list vol-info vol-dumpxml uri \
         version hostname help; do
        printf '%s\n' "$OUT" | grep -q "^    $c " || fail "help does not list '$c'"
done
run "$VMMCTL" help list
expect_rc 0 "help list"
expect_out_contains "--state-running" "help list"
run "$VMMCTL" help nosuch
expect_rc 1 "help nosuch"
expect_err_prefix "help nosuch"

finish
