#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Quick start: installs what is missing, builds vmm, runs a short session on
# the embedded test driver (test:///default: no hypervisor, no daemon),
# then the main job on a real guest: the tiny test guest
# (tests/guest/make-guest.sh) under QEMU (TCG), through session daemons
# spawned on demand under a private root (build/quickstart/root). The QEMU
# part is skipped, with a message, when qemu-system-x86_64 is missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packaging/install-deps.sh
cmake -S . -B build/quickstart -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/quickstart -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

vmmctl=build/quickstart/cli/vmmctl
echo "== vmmctl on test:///default"
(
        set -x
        "$vmmctl" -c test:///default "list --all ; define examples/guest-test.xml ; start guest1 ; list --all ; dominfo guest1 ; destroy guest1 ; undefine guest1 ; list --all"
)

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        echo "== qemu-system-x86_64 is not installed: no real guest (apt-get install qemu-system-x86)"
        exit 0
fi

echo "== a real guest on qemu:///session"
guest=build/quickstart/guest
tests/guest/make-guest.sh "$guest"
root="$top/build/quickstart/root"
rm -rf "$root"
mkdir -p "$root"
# session daemons under the private root, found in the build tree, gone
# 10 s after the last client once no guest runs
export VMM_ROOT="$root" VMM_DAEMON_DIR="$top/build/quickstart/daemons/qemud"
export VMM_DAEMON_TIMEOUT=10
sed "s|@GUEST_DIR@|$top/$guest|" examples/guest-qemu.xml >"$root/guest-qemu.xml"
serial="$root/var/lib/vmm/qemu/log/guest-qemu-serial0.log"
q() {
        echo "+ vmmctl -c qemu:///session $*"
        "$vmmctl" -c qemu:///session "$@"
}
# wait_for SECONDS CMD...: polls CMD every 0.1 s
wait_for() {
        local n=$(($1 * 10))
        shift
        until "$@"; do
                n=$((n - 1))
                [ $n -gt 0 ] || return 1
                sleep 0.1
        done
}
shut_off() {
        [ "$("$vmmctl" -c qemu:///session domstate guest-qemu)" = "shut off" ]
}

q define "$root/guest-qemu.xml"
q start guest-qemu
# the serial console, streamed by vmm-qemud, read while the guest boots;
# its input is a fifo held open here, so it runs until we close it
console_in="$root/console.in" console_out="$root/console.out"
rm -f "$console_in" && mkfifo "$console_in"
echo "+ vmmctl -c qemu:///session console guest-qemu   (in the background, output in $console_out)"
"$vmmctl" -c qemu:///session console guest-qemu <"$console_in" >"$console_out" 2>&1 &
console_pid=$!
exec 8>"$console_in"
q list
q dominfo guest-qemu
echo "+ waiting for the guest's ready marker on its console"
if wait_for 60 grep -q VMM-TEST-GUEST-READY "$console_out"; then
        grep -a VMM-TEST-GUEST-READY "$console_out"
else
        echo "no ready marker on the console within 60 s; the console said:" >&2
        tail -c 600 "$console_out" >&2
        echo "(the serial log is $serial)" >&2
        exec 8>&-
        q destroy guest-qemu
        exit 1
fi
q shutdown guest-qemu
wait_for 30 shut_off || { echo "the guest did not power off within 30 s" >&2; q destroy guest-qemu; exit 1; }
q list --all
q domstate guest-qemu --reason
exec 8>&-
wait "$console_pid" 2>/dev/null
echo "+ the console's last line: $(tail -n 1 "$console_out")"
q undefine guest-qemu
