#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmmctl -c qemu:///session define -> vmm-qemud spawned on demand -> list
# shows the domain -> kill -9 the daemon -> the next call starts it again
# and the definition is still there. Also: redefine, autostart, undefine,
# and bad definitions leave nothing on disk.
. "$(dirname "$0")/qemud-lib.sh"

no_daemon || fail "a daemon runs before the test"
expect_ok define "$DATA/minimal.xml" | grep -q "Domain 'tiny' defined" || fail "define message"
one_daemon || fail "define did not leave exactly one vmm-qemud running: $(daemon_pids)"
[ -f "$CONF/tiny.xml" ] || fail "no $CONF/tiny.xml after define"
grep -q "<name>tiny</name>" "$CONF/tiny.xml" || fail "tiny.xml does not hold the definition"
expect_ok list --all | grep -Eq "^ *- +tiny +shut off" || fail "list --all does not show tiny"

# the daemon dies hard; the definition survives it
pid=$(daemon_pids)
kill -9 "$pid"
wait_until 5 no_daemon || fail "vmm-qemud $pid still alive after kill -9"
out=$(expect_ok list --all)
echo "$out" | grep -Eq "^ *- +tiny +shut off" || fail "after kill -9, list --all: $out"
one_daemon || fail "the next call did not start vmm-qemud again"
[ "$(daemon_pids)" != "$pid" ] || fail "same daemon pid after kill -9"
expect_ok dominfo tiny | grep -Eq "Max memory: +131072 KiB" || fail "dominfo after restart"
expect_ok dumpxml tiny | grep -q "00000000-1111-2222-3333-444444444444" || fail "dumpxml uuid"

# redefinition keeps the one file; a second domain gets its own
sed 's/128/256/' "$DATA/minimal.xml" >"$ROOT/tiny2.xml"
expect_ok define "$ROOT/tiny2.xml" >/dev/null
expect_ok dominfo tiny | grep -Eq "Max memory: +262144 KiB" || fail "redefine not applied"
expect_ok define "$(make_domain web1)" >/dev/null
[ "$(ls "$CONF"/*.xml | wc -l)" -eq 2 ] || fail "expected 2 files: $(ls "$CONF")"

# autostart is a link in autostart/, and survives a restart
expect_ok autostart web1 >/dev/null
[ -L "$CONF/autostart/web1.xml" ] || fail "no autostart link for web1"
kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "daemon alive after second kill -9"
expect_ok list --all --autostart | grep -q web1 || fail "autostart lost across restart"
expect_ok list --all --no-autostart | grep -q web1 && fail "web1 listed as not autostarted"
# the restarted daemon started web1 (no guest OS in it: destroy it)
if command -v qemu-system-x86_64 >/dev/null; then
        wait_until 10 eval '[ "$(vmmctl domstate web1 2>/dev/null)" = running ]' ||
                fail "web1 was not autostarted: $(vmmctl domstate web1 2>&1)"
        expect_ok destroy web1 >/dev/null
fi
expect_ok autostart --disable web1 >/dev/null
[ ! -e "$CONF/autostart/web1.xml" ] || fail "autostart link left after --disable"

# a name clash with another UUID, bad XML, invalid values: errors, no files
expect_fail "already exists with UUID" define "$(make_domain tiny 11111111-2222-3333-4444-555555555555)" >/dev/null
printf '<domain type="qemu"><name>broken</name><memory>abc</memory>' >"$ROOT/bad1.xml"
expect_fail "broken\|line\|XML\|xml" define "$ROOT/bad1.xml" >/dev/null
printf '<domain type="qemu"><name>bad2</name><memory>abc</memory><os><type>hvm</type></os></domain>' >"$ROOT/bad2.xml"
expect_fail "abc" define "$ROOT/bad2.xml" >/dev/null
printf '<domain type="qemu"><name>a/b</name><memory>1024</memory><os><type>hvm</type></os></domain>' >"$ROOT/bad3.xml"
expect_fail "a/b" define "$ROOT/bad3.xml" >/dev/null
[ "$(ls -A "$CONF" | sort | tr '\n' ' ')" = "autostart tiny.xml web1.xml " ] ||
        fail "bad definitions changed the config dir: $(ls -A "$CONF")"
expect_ok list --all --name | grep -c . | grep -qx 2 || fail "list shows more than 2 domains"

# start runs QEMU (the qemud-e2e-*.sh tests boot a real guest)
if command -v qemu-system-x86_64 >/dev/null; then
        expect_ok start tiny >/dev/null
        expect_fail "already running" start tiny >/dev/null
        expect_ok destroy tiny >/dev/null
fi

# undefine removes the file; a later daemon does not bring it back
expect_ok undefine web1 >/dev/null
[ ! -e "$CONF/web1.xml" ] || fail "web1.xml left after undefine"
kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "daemon alive after third kill -9"
expect_fail "web1" dominfo web1 >/dev/null

# files the daemon cannot use are logged by name and skipped at start
kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "daemon alive after fourth kill -9"
echo "<domain type='qemu'><name>half" >"$CONF/corrupt.xml"
sed 's/<name>tiny</<name>other</' "$CONF/tiny.xml" | sed 's/00000000-1111/00000000-9999/' \
        >"$CONF/misnamed.xml"
sed 's/<name>tiny</<name>twin</' "$CONF/tiny.xml" >"$CONF/twin.xml"
echo "not xml" >"$CONF/notes.txt"
out=$(expect_ok list --all --name)
[ "$out" = "tiny" ] || fail "after loading bad files, list shows: $out"
for f in corrupt.xml misnamed.xml twin.xml; do
        grep -q "$f" "$LOG" || fail "the daemon log does not name $f: $(cat "$LOG")"
done
grep -q "notes.txt" "$LOG" && fail "a non-.xml file was read"

# SIGHUP picks up a definition added by hand, and only that one
rm "$CONF/corrupt.xml" "$CONF/misnamed.xml" "$CONF/twin.xml"
sed 's/<name>tiny</<name>byhand</' "$CONF/tiny.xml" | sed 's/00000000-1111/00000000-7777/' \
        >"$CONF/byhand.xml"
kill -HUP "$(daemon_pids)"
wait_until 5 grep -q "reloaded, 1 new domain" "$LOG" || fail "no reload: $(cat "$LOG")"
out=$(expect_ok list --all --name | tr '\n' ' ')
[ "$out" = "byhand tiny " ] || fail "after SIGHUP, list shows: $out"
echo "PASS: $TEST_NAME"
