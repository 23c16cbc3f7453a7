#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The independent Node.js client (vmm-client.js, protobufjs) against real
# daemons under a private VMM_ROOT: through vmm-proxyd (which starts
# vmm-qemud and vmm-echo-test on demand) it defines a domain, lists it,
# checks the identity the daemon sees and an unknown program's error; then
# directly on vmm-qemud's socket it lists the same domain.
# Needs VMM_PROXYD, VMM_DAEMON_DIR (':'-separated dirs of vmm-qemud and
# vmm-echo-test) and VMM_SOURCE_DIR. Skips (77) without node or protobufjs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
        echo "SKIP: node is not installed (apt-get install nodejs)"
        exit 77
fi
if ! (cd "$here" && node -e "require.resolve('protobufjs')") >/dev/null 2>&1; then
        echo "SKIP: protobufjs is not installed (run: npm ci --prefix $here)"
        exit 77
fi
root=$(mktemp -d /tmp/vmm-node-XXXXXX)
proxy_pid=
# pids of the daemons started for this root (found by their VMM_ROOT)
our_daemons() {
        for p in /proc/[0-9]*; do
                tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF "VMM_ROOT=$root" &&
                        [ "${p#/proc/}" != "$proxy_pid" ] && echo "${p#/proc/}"
        done
}
cleanup() {
        if [ -n "$proxy_pid" ]; then
                kill "$proxy_pid"
                wait "$proxy_pid"
                rc=$?
                if [ $rc -ne 0 ]; then
                        echo "FAIL: vmm-proxyd exited with status $rc on SIGTERM:"
                        cat "$root/proxy.log"
                        status=1
                fi
        fi
        # the daemons the proxy started exit once idle (VMM_DAEMON_TIMEOUT=2)
        for _ in $(seq 50); do
                [ -z "$(our_daemons)" ] && break
                sleep 0.1
        done
        left=$(our_daemons)
        if [ -n "$left" ]; then
                echo "FAIL: daemons still running after their idle timeout: $left"
                kill $left
                status=1
        fi
        rm -rf "$root"
        exit $status
}
status=0
trap cleanup EXIT
fail() {
        echo "FAIL: $*"
        [ -f "$root/proxy.log" ] && cat "$root/proxy.log"
        status=1
        exit 1
}

VMM_ROOT=$root VMM_DAEMON_TIMEOUT=2 "$VMM_PROXYD" --timeout 0 2>"$root/proxy.log" &
proxy_pid=$!
for _ in $(seq 100); do
        [ -S "$root/run/vmm/vmm.sock" ] && break
        sleep 0.05
done
[ -S "$root/run/vmm/vmm.sock" ] || fail "vmm-proxyd did not start"

client="node $here/vmm-client.js"
xml=$VMM_SOURCE_DIR/tests/data/domain/minimal.xml
out=$($client --socket "$root/run/vmm/vmm.sock" --unknown-program --whoami \
        --define "$xml" --expect tiny 2>&1) || fail "through vmm-proxyd: $out"
echo "$out"
echo "$out" | grep -q '^domain: tiny 00000000111122223333444444444444 id -1$' ||
        fail "the listing through the proxy lacks domain tiny"
out=$($client --socket "$root/run/vmm/vmm-qemud.sock" --expect tiny 2>&1) ||
        fail "directly on vmm-qemud: $out"
echo "$out"
echo "OK: the protobufjs client defined and listed domains through vmm-proxyd and directly"
