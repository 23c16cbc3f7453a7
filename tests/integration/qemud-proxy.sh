#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemu:///session?mode=proxy: libvmm starts vmm-proxyd on demand, which
# starts vmm-qemud; definitions made through the proxy are the daemon's
# (seen on the direct path too), and survive a kill -9 of vmm-qemud.
. "$(dirname "$0")/qemud-lib.sh"

if [ -z "${VMM_PROXYD_DIR:-}" ] || [ ! -x "$VMM_PROXYD_DIR/vmm-proxyd" ]; then
        echo "SKIP: vmm-proxyd is not built"
        exit 77
fi
export VMM_DAEMON_DIR="$VMM_PROXYD_DIR:$VMM_DAEMON_DIR"
proxy_pids() {
        pgrep -f -- "^$VMM_PROXYD_DIR/vmm-proxyd .*$ROOT" 2>/dev/null
}
stop_proxy() {
        for p in $(proxy_pids); do
                kill -TERM "$p"
        done
}
# keep the test's exit status for cleanup, which reads it from $?
trap 'rc=$?; stop_proxy; (exit $rc); cleanup' EXIT
PURI="qemu:///session?mode=proxy"
# vmmctl through the proxy; output via a file, since a daemon started on
# demand may keep the caller's stdout open (a $(...) would wait for it)
pv() {
        "$VMMCTL" -c "$PURI" "$@" >"$ROOT/pv.out" 2>&1
        rc=$?
        out=$(cat "$ROOT/pv.out")
        return $rc
}

pv define "$DATA/minimal.xml" || fail "define via the proxy: $out"
[ -n "$(proxy_pids)" ] || fail "vmm-proxyd was not started"
one_daemon || {
        ps -eo pid,args | grep -E "vmm-(qemud|proxyd)" | grep -v grep >&2
        fail "vmm-qemud was not started behind the proxy"
}
[ -f "$CONF/tiny.xml" ] || fail "no $CONF/tiny.xml after define via the proxy"
expect_ok list --all --name | grep -qx tiny || fail "the direct path does not see tiny"

kill -9 "$(daemon_pids)"
wait_until 5 no_daemon || fail "vmm-qemud alive after kill -9"
pv list --all || fail "list via the proxy after kill -9: $out"
echo "$out" | grep -Eq "^ *- +tiny +shut off" || fail "via the proxy after kill -9: $out"
pv dominfo tiny || fail "dominfo via the proxy: $out"
echo "$out" | grep -Eq "Max memory: +131072 KiB" || fail "dominfo via the proxy: $out"
if command -v qemu-system-x86_64 >/dev/null; then
        pv start tiny || fail "start via the proxy: $out"
        pv destroy tiny || fail "destroy via the proxy: $out"
fi
echo "PASS: $TEST_NAME"
