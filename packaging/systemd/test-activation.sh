#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real systemd socket activation of the generated units. In a private mount
# namespace (tmpfs on /run/systemd, so the host is untouched) a
# `systemd --user` manager loads the units that run this build's binaries,
# with drop-ins that move their sockets under a private VMM_ROOT and tell
# vmm-proxyd not to start daemons itself (systemd owns their sockets).
# Then: the sockets exist with the right modes, nothing runs yet; the
# protobufjs client defines and lists a domain through vmm-proxyd, which
# makes systemd start vmm-proxyd (Type=notify) and, through vmm-qemud's
# socket, vmm-qemud; the read-only socket of vmm-qemud lists it too; both
# services stop cleanly.
# Usage: test-activation.sh BUILD_UNIT_DIR SOURCE_DIR
# Skips (77) when not root, or without unshare, systemd, node or protobufjs.
set -u
unit_dir=$1 src=$2
skip() { echo "SKIP: $*"; exit 77; }

if [ -z "${VMM_IN_NAMESPACE:-}" ]; then
        [ "$(id -u)" -eq 0 ] || skip "needs root (private mount namespace)"
        command -v unshare >/dev/null || skip "unshare is not installed"
        [ -x /lib/systemd/systemd ] || skip "/lib/systemd/systemd is not installed"
        command -v systemctl >/dev/null || skip "systemctl is not installed"
        command -v node >/dev/null || skip "node is not installed (the client is tests/node)"
        (cd "$src/tests/node" && node -e "require.resolve('protobufjs')") >/dev/null 2>&1 ||
                skip "protobufjs is not installed (npm ci --prefix $src/tests/node)"
        for u in vmm-proxyd.socket vmm-proxyd-ro.socket vmm-proxyd.service vmm-qemud.socket \
                vmm-qemud-ro.socket vmm-qemud.service; do
                [ -f "$unit_dir/$u" ] || skip "unit $u was not generated"
        done
        VMM_IN_NAMESPACE=1 exec unshare --mount --propagation private sh "$0" "$@"
        exit 1
fi

mount -t tmpfs tmpfs /run/systemd || { echo "FAIL: cannot mount a tmpfs on /run/systemd"; exit 1; }
mkdir -p /run/systemd/system
tmp=$(mktemp -d /tmp/vmm-activation-XXXXXX)
root=$tmp/root
export XDG_RUNTIME_DIR=$tmp/xdg XDG_CONFIG_HOME=$tmp/config
units=$XDG_CONFIG_HOME/systemd/user
mkdir -p "$XDG_RUNTIME_DIR" "$units" "$root"
chmod 700 "$XDG_RUNTIME_DIR"
status=0
sd_pid=

fail() {
        echo "FAIL: $*"
        status=1
}
finish() {
        if [ -n "$sd_pid" ]; then
                systemctl --user stop vmm-proxyd.service vmm-qemud.service \
                        vmm-proxyd.socket vmm-proxyd-ro.socket \
                        vmm-qemud.socket vmm-qemud-ro.socket 2>/dev/null
                kill "$sd_pid" 2>/dev/null
                wait "$sd_pid" 2>/dev/null
        fi
        [ $status -eq 0 ] || { echo "--- systemd --user log:"; tail -40 "$tmp/systemd.log"; }
        rm -rf "$tmp"
        exit $status
}
trap finish EXIT

for u in vmm-proxyd.socket vmm-proxyd-ro.socket vmm-proxyd.service vmm-qemud.socket \
        vmm-qemud-ro.socket vmm-qemud.service; do
        cp "$unit_dir/$u" "$units/$u"
done
dropin() { # UNIT FILE-NAME: move the socket under the private root
        mkdir -p "$units/$1.d"
        printf '[Socket]\nListenStream=\nListenStream=%s/run/vmm/%s\n' "$root" "$2" \
                >"$units/$1.d/root.conf"
}
dropin vmm-proxyd.socket vmm.sock
dropin vmm-proxyd-ro.socket vmm-ro.sock
dropin vmm-qemud.socket vmm-qemud.sock
dropin vmm-qemud-ro.socket vmm-qemud-ro.sock
# ASAN_OPTIONS: in sanitizer builds, LeakSanitizer's exit-time scan hangs
# in a service of this nested manager (stop times out); leaks of the same
# daemons are checked by the integration tests. Ignored by normal builds.
for s in vmm-proxyd vmm-qemud; do
        mkdir -p "$units/$s.service.d"
        printf '[Service]\nEnvironment=VMM_ROOT=%s VMM_PROXY_SPAWN=0 ASAN_OPTIONS=detect_leaks=0\n' "$root" \
                >"$units/$s.service.d/root.conf"
done

/lib/systemd/systemd --user >"$tmp/systemd.log" 2>&1 &
sd_pid=$!
state=
for _ in $(seq 100); do
        state=$(systemctl --user is-system-running 2>/dev/null)
        case $state in running | degraded) break ;; esac
        sleep 0.1
done
case $state in running | degraded) ;; *) fail "systemd --user did not start ($state)"; exit ;; esac

systemctl --user start vmm-proxyd.socket vmm-proxyd-ro.socket vmm-qemud.socket \
        vmm-qemud-ro.socket || { fail "cannot start the socket units"; exit; }
run=$root/run/vmm
for pair in vmm.sock:600 vmm-ro.sock:666 vmm-qemud.sock:600 vmm-qemud-ro.sock:666; do
        f=${pair%%:*} want=${pair#*:}
        mode=$(stat -c %a "$run/$f" 2>/dev/null)
        [ "$mode" = "$want" ] || fail "$run/$f has mode '$mode' (expected $want)"
done
for s in vmm-proxyd vmm-qemud; do
        st=$(systemctl --user is-active $s.service)
        [ "$st" = inactive ] || fail "$s.service is '$st' before any client (expected inactive)"
done

client="node $src/tests/node/vmm-client.js"
out=$($client --socket "$run/vmm.sock" --unknown-program \
        --define "$src/tests/data/domain/minimal.xml" --expect tiny 2>&1) ||
        fail "through vmm-proxyd: $out"
echo "$out"
for s in vmm-proxyd vmm-qemud; do
        st=$(systemctl --user is-active $s.service)
        [ "$st" = active ] || fail "$s.service is '$st' after a call (expected active)"
done
out=$($client --socket "$run/vmm-qemud-ro.sock" --expect tiny 2>&1) ||
        fail "on vmm-qemud's read-only socket: $out"
echo "$out"

systemctl --user stop vmm-proxyd.service vmm-qemud.service 2>/dev/null
for s in vmm-proxyd vmm-qemud; do
        result=$(systemctl --user show -p Result --value $s.service)
        code=$(systemctl --user show -p ExecMainStatus --value $s.service)
        [ "$result" = success ] && [ "$code" = 0 ] ||
                fail "$s.service stopped with result '$result', status '$code' (expected success, 0)"
done
[ $status -eq 0 ] && echo "OK: systemd socket-activated vmm-proxyd and vmm-qemud from the generated units"
exit
