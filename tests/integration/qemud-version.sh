#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vmmctl version` on qemu:///session: vmm-qemud reports the version of the
# QEMU binary it runs guests with, which must be what that binary's
# `--version` prints; the text and --json forms as virsh's. A QEMU binary
# that cannot run gives an error naming it (and is not cached: the next
# daemon with a good binary answers). Read-only socket too.
. "$(dirname "$0")/qemud-lib.sh"

QEMU=${VMM_QEMU_EMULATOR:-/usr/bin/qemu-system-x86_64}
if [ ! -x "$QEMU" ]; then
        echo "SKIP: $TEST_NAME: $QEMU is not installed"
        exit 77
fi
# "QEMU emulator version 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)" -> 7.2.0
want=$("$QEMU" --version | sed -n '1s/.*version \([0-9]*\.[0-9]*\(\.[0-9]*\)\?\).*/\1/p')
[ -n "$want" ] || fail "cannot read the version of $QEMU"
case $want in *.*.*) ;; *) want="$want.0" ;; esac

# a binary that cannot run: a clear error naming it
out=$(VMM_QEMU_EMULATOR=/nonexistent/qemu-system-x86_64 "$VMMCTL" -c "$URI" version 2>&1) &&
        fail "version with a missing QEMU binary succeeded: $out"
echo "$out" | grep -q "/nonexistent/qemu-system-x86_64" ||
        fail "the error does not name the missing binary: $out"
for p in $(daemon_pids); do kill -TERM "$p"; done
wait_until 5 no_daemon || fail "vmm-qemud did not stop"

out=$(expect_ok version)
lib=$(echo "$out" | sed -n 's/^Using library: vmm //p')
[ -n "$lib" ] || fail "no 'Using library' line: $out"
echo "$out" | grep -qx "Compiled against library: vmm [0-9.]*" ||
        fail "no 'Compiled against library' line: $out"
echo "$out" | grep -qx "Using API: QEMU $lib" || fail "no 'Using API: QEMU $lib' line: $out"
echo "$out" | grep -qx "Running hypervisor: QEMU $want" ||
        fail "expected 'Running hypervisor: QEMU $want' ($QEMU --version), got: $out"

json=$(expect_ok --json version)
echo "$json" | grep -q "\"hypervisor_version\": *\"$want\"" ||
        fail "--json: no hypervisor_version $want: $json"
echo "$json" | grep -q "\"hypervisor\": *\"QEMU\"" || fail "--json: hypervisor is not QEMU: $json"

# the read-only socket answers it (a read-only procedure)
out=$("$VMMCTL" -r -c "$URI" version 2>&1) || fail "vmmctl -r version: $out"
echo "$out" | grep -qx "Running hypervisor: QEMU $want" || fail "vmmctl -r version: $out"
echo "PASS: $TEST_NAME ($want)"
