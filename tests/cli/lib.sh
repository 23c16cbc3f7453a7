# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers shared by the CLI tests (sourced, not run). ctest passes the
# tools' paths in $VMMCTL and $VMM_XML.

set -u
: "${VMMCTL:?set VMMCTL to the vmmctl binary}"
: "${VMM_SOURCE_DIR:?set VMM_SOURCE_DIR to the source tree}"
URI=test:///default
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmm-cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILED=0

fail() {
        echo "FAIL: $*" >&2
        FAILED=1
}

# run CMD...: runs a command, keeping stdout in $OUT, stderr in $ERR and
# the exit status in $RC.
run() {
        "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        OUT=$(cat "$TMP/out")
        ERR=$(cat "$TMP/err")
}

# expect_rc N WHAT
expect_rc() {
        [ "$RC" -eq "$1" ] || fail "$2: exit status $RC, expected $1 (stderr: $ERR)"
}

# expect_line TEXT WHAT: $OUT has a line equal to TEXT
expect_line() {
        printf '%s\n' "$OUT" | grep -qxF -- "$1" || {
                fail "$2: no line '$1' in output:"
                printf '%s\n' "$OUT" | sed 's/^/    | /' >&2
        }
}

# expect_out_contains TEXT WHAT / expect_out_lacks TEXT WHAT
expect_out_contains() {
        case "$OUT" in
        *"$1"*) ;;
        *) fail "$2: output lacks '$1':"; printf '%s\n' "$OUT" | sed 's/^/    | /' >&2 ;;
        esac
}
expect_out_lacks() {
        case "$OUT" in
        *"$1"*) fail "$2: output has '$1'" ;;
        esac
}

# expect_err TEXT WHAT: $ERR is exactly TEXT
expect_err() {
        [ "$ERR" = "$1" ] || fail "$2: stderr is '$ERR', expected '$1'"
}

# expect_err_prefix WHAT: every stderr line starts with "error: "
expect_err_prefix() {
        [ -n "$ERR" ] || { fail "$1: nothing on stderr"; return; }
        printf '%s\n' "$ERR" | grep -qv '^error: ' && fail "$1: stderr line without 'error: ': $ERR"
        return 0
}

finish() {
        if [ "$FAILED" -ne 0 ]; then
                echo "some checks failed" >&2
                exit 1
        fi
        echo "all checks passed"
        exit 0
}
