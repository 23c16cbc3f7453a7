# SPDX-License-Identifier: LGPL-2.1-or-later
# qemud-lib.sh: shared by the vmm-qemud integration scripts. Each test gets
# a private VMM_ROOT under the build tree; on exit every vmm-qemud started
# for that root is killed (by pid) and the test fails if one was left.
# Environment (from tests/cmake/qemud.cmake): VMMCTL, VMM_QEMUD,
# VMM_DAEMON_DIR, VMM_SOURCE_DIR, VMM_TEST_WORK.

set -u
TEST_NAME=$(basename "$0" .sh)
ROOT="$VMM_TEST_WORK/$TEST_NAME"
rm -rf "$ROOT"
mkdir -p "$ROOT"
export VMM_ROOT="$ROOT" VMM_DAEMON_DIR
unset VMM_DEFAULT_URI
export VMM_DAEMON_TIMEOUT=${VMM_DAEMON_TIMEOUT:-30}
URI="qemu:///session"
CONF="$ROOT/etc/vmm/qemu"
SOCK="$ROOT/run/vmm/vmm-qemud.sock"
DATA="$VMM_SOURCE_DIR/tests/data/domain"
LOG="$ROOT/var/lib/vmm/qemu/vmm-qemud.log"
EXTRA_PIDS=""

fail() {
        echo "FAIL: $TEST_NAME: $*" >&2
        exit 1
}

# The daemon binary, fixed now: a test may prepend to VMM_DAEMON_DIR.
QEMUD_BIN="${VMM_DAEMON_DIR%%:*}/vmm-qemud"

# The pids of vmm-qemud processes serving this test's root (not zombies).
daemon_pids() {
        for p in $(pgrep -f -- "^$QEMUD_BIN .*$ROOT" 2>/dev/null); do
                state=$(awk '/^State:/ {print $2}' /proc/$p/status 2>/dev/null)
                [ -n "$state" ] && [ "$state" != Z ] && echo "$p"
        done
}

cleanup() {
        rc=$?
        # a clean stop first (SIGTERM drains; sanitizer builds report here)
        for p in $(daemon_pids); do
                kill -TERM "$p" 2>/dev/null
        done
        wait_until 5 no_daemon || echo "$TEST_NAME: vmm-qemud ignored SIGTERM" >&2
        if grep -Eq "Sanitizer|runtime error" "$LOG" 2>/dev/null; then
                echo "FAIL: $TEST_NAME: sanitizer report in $LOG:" >&2
                cat "$LOG" >&2
                rc=1
        fi
        for p in $EXTRA_PIDS $(daemon_pids); do
                kill -9 "$p" 2>/dev/null
        done
        sleep 0.1
        left=$(daemon_pids)
        if [ -n "$left" ]; then
                echo "FAIL: $TEST_NAME: vmm-qemud left running: $left" >&2
                rc=1
        fi
        exit $rc
}
trap cleanup EXIT

vmmctl() {
        "$VMMCTL" -c "$URI" "$@"
}

# expect_ok CMD...: runs vmmctl, fails the test when it fails.
expect_ok() {
        out=$(vmmctl "$@" 2>&1) || fail "vmmctl $*: exit $? ($out)"
        echo "$out"
}

# expect_fail PATTERN CMD...: vmmctl must fail with PATTERN in its message.
expect_fail() {
        pat=$1
        shift
        if out=$(vmmctl "$@" 2>&1); then
                fail "vmmctl $* succeeded (expected an error matching '$pat'): $out"
        fi
        echo "$out" | grep -q -- "$pat" || fail "vmmctl $*: error '$out' does not match '$pat'"
        echo "$out"
}

# wait_until SECONDS CMD...: polls CMD every 50 ms.
wait_until() {
        n=$(($1 * 20))
        shift
        while ! "$@"; do
                n=$((n - 1))
                [ $n -gt 0 ] || return 1
                sleep 0.05
        done
}

no_daemon() {
        [ -z "$(daemon_pids)" ]
}

one_daemon() {
        [ "$(daemon_pids | wc -l)" -eq 1 ]
}

# make_domain NAME [UUID]: a minimal definition file, path printed.
make_domain() {
        f="$ROOT/$1.in.xml"
        {
                echo "<domain type='qemu'><name>$1</name>"
                [ -n "${2:-}" ] && echo "<uuid>$2</uuid>"
                echo "<memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>"
        } >"$f"
        echo "$f"
}
