# SPDX-License-Identifier: LGPL-2.1-or-later
# qemud-e2e-lib.sh: shared by the end-to-end scripts (real QEMU, TCG, the
# test guest). On top of qemud-lib.sh (private VMM_ROOT, daemons killed at
# exit): skips without QEMU or guest, builds the guest once (locked), an
# event watcher, and kills every QEMU whose command line names this test's
# root when the test ends. Environment (tests/cmake/qemud-e2e.cmake):
# those of qemud-lib.sh, VMM_TEST_GUEST_DIR, QEMUD_E2E_WATCH.

. "$(dirname "$0")/qemud-lib.sh"

QEMU_RUN="$ROOT/run/vmm/qemu"
QEMU_LOGS="$ROOT/var/lib/vmm/qemu/log"
GUEST_DIR=$VMM_TEST_GUEST_DIR
WATCH_PID=""
EVENTS="$ROOT/events.txt"

# QEMU processes of this test (their monitor sockets live under $ROOT).
qemu_pids() {
        for d in /proc/[0-9]*; do
                cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
                case "$cmd" in
                *qemu-system*"$ROOT/"*) echo "${d#/proc/}" ;;
                esac
        done
}

e2e_cleanup() {
        rc=$?
        [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
        left=$(qemu_pids)
        for p in $left; do
                kill -9 "$p" 2>/dev/null
        done
        if [ -n "$left" ] && [ "$rc" -eq 0 ]; then
                echo "FAIL: $TEST_NAME: QEMU left running: $left" >&2
                rc=1
        fi
        (exit $rc)
        cleanup
}
trap e2e_cleanup EXIT

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        echo "SKIP: $TEST_NAME: qemu-system-x86_64 is not installed"
        exit 77
fi
mkdir -p "$GUEST_DIR"
if ! flock "$GUEST_DIR.lock" sh "$VMM_SOURCE_DIR/tests/guest/make-guest.sh" "$GUEST_DIR" \
        >"$ROOT/make-guest.log" 2>&1; then
        echo "SKIP: $TEST_NAME: the test guest cannot be built (see $ROOT/make-guest.log)"
        exit 77
fi

# guest_xml NAME [SED-EXPR]: the example guest renamed (no UUID: a new
# one), its definition file printed.
guest_xml() {
        f="$ROOT/$1.xml"
        sed -e "s|@GUEST_DIR@|$GUEST_DIR|g" -e "s|<name>guest-qemu</name>|<name>$1</name>|" \
                -e "/<uuid>/d" ${2:+-e "$2"} "$VMM_SOURCE_DIR/examples/guest-qemu.xml" >"$f"
        echo "$f"
}

# markers NAME: how many times the guest printed its ready marker.
markers() {
        n=$(grep -c VMM-TEST-GUEST-READY "$QEMU_LOGS/$1-serial0.log" 2>/dev/null)
        echo "${n:-0}"
}

markers_above() {
        [ "$(markers "$1")" -gt "$2" ]
}

state_is() {
        [ "$(vmmctl domstate "$1" --reason 2>/dev/null)" = "$2" ]
}

# qemu_pid NAME: the pid of the domain's QEMU (from its command line).
qemu_pid() {
        for p in $(qemu_pids); do
                tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline" | grep -qx "guest=$1,debug-threads=on" &&
                        echo "$p"
        done
}

# start_time PID: field 22 of /proc/PID/stat (a recycled pid differs).
start_time() {
        sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}'
}

# no_runtime_files NAME: neither state file nor monitor socket left.
no_runtime_files() {
        [ ! -e "$QEMU_RUN/$1.state" ] && [ ! -e "$QEMU_RUN/$1.monitor" ] &&
                [ ! -e "$QEMU_RUN/$1.channels" ]
}

watch_events() {
        "$QEMUD_E2E_WATCH" "$URI" 170 >"$EVENTS" 2>"$ROOT/watch.err" &
        WATCH_PID=$!
        wait_until 10 grep -q ready "$EVENTS" || fail "event watcher did not start: $(cat "$ROOT/watch.err")"
}

# expect_event LINE: the watcher printed LINE (within 5 s).
expect_event() {
        wait_until 5 grep -qx -- "$1" "$EVENTS" || fail "no event '$1'; events: $(tr '\n' ';' <"$EVENTS")"
}

now_ms() {
        date +%s%3N
}
