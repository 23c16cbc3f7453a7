#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The read-only socket of a daemon started on demand serves reads and
# refuses define, undefine and autostart with a clear error; nothing on
# disk changes. A read-only connection (vmmctl -r) uses that socket too.
. "$(dirname "$0")/qemud-lib.sh"

expect_ok define "$DATA/minimal.xml" >/dev/null
RO="qemu:///session?socket=$ROOT/run/vmm/vmm-qemud-ro.sock"
before=$(ls -lR "$CONF")

out=$("$VMMCTL" -c "$RO" define "$(make_domain rodom)" 2>&1) &&
        fail "define on the read-only socket succeeded"
echo "$out" | grep -q "not allowed on the read-only socket of vmm-qemud" ||
        fail "unclear error for define on the read-only socket: $out"
echo "$out" | grep -q "define-xml" || fail "the error does not name the procedure: $out"
"$VMMCTL" -c "$RO" undefine tiny >/dev/null 2>&1 && fail "undefine on the read-only socket"
"$VMMCTL" -c "$RO" autostart tiny >/dev/null 2>&1 && fail "autostart on the read-only socket"
[ "$before" = "$(ls -lR "$CONF")" ] || fail "the config dir changed through the read-only socket"

"$VMMCTL" -c "$RO" list --all | grep -q tiny || fail "list on the read-only socket"
"$VMMCTL" -c "$RO" dominfo tiny | grep -q "shut off" || fail "dominfo on the read-only socket"
"$VMMCTL" -r -c "$URI" dumpxml tiny | grep -q "<name>tiny</name>" || fail "vmmctl -r dumpxml"
"$VMMCTL" -r -c "$URI" define "$(make_domain rodom)" >/dev/null 2>&1 && fail "vmmctl -r define"
[ ! -e "$CONF/rodom.xml" ] || fail "rodom.xml written by a read-only client"
echo "PASS: $TEST_NAME"
