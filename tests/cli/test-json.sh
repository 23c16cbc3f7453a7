#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --json: every command prints one JSON document; parse it back with
# python3 and check the fields a script would read.
. "$(dirname "$0")/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "python3 not found, skipping"; exit 77; }

# check_json WHAT PYTHON-EXPR: $OUT must parse as JSON and EXPR (over `d`)
# be true. The checks are collected and run by one python3 at the end.
N_CHECKS=0
check_json() {
        N_CHECKS=$((N_CHECKS + 1))
        printf '%s' "$OUT" >"$TMP/doc.$N_CHECKS"
        printf '%s\t%s\t%s\n' "$TMP/doc.$N_CHECKS" "$1" "$2" >>"$TMP/checks"
}

run_json_checks() {
        "$PY" - "$TMP/checks" <<'EOPY' || fail "JSON checks failed"
import json, sys
bad = 0
for line in open(sys.argv[1]):
    path, what, expr = line.rstrip("\n").split("\t")
    text = open(path).read()
    try:
        d = json.loads(text)
    except ValueError as e:
        print("FAIL: %s: not JSON (%s): %r" % (what, e, text[:200]), file=sys.stderr)
        bad += 1
        continue
    if not eval(expr):
        print("FAIL: %s: %s is false for %s" % (what, expr, json.dumps(d)[:400]), file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
EOPY
}

run "$VMMCTL" --json -c "$URI" list
expect_rc 0 "list"
check_json "list" 'isinstance(d, list) and len(d) == 1 and d[0]["name"] == "test" and d[0]["id"] == 1 and d[0]["state"] == "running" and d[0]["persistent"] is True'

run "$VMMCTL" --json -c "$URI" list --inactive
expect_rc 0 "list --inactive"
check_json "list --inactive" 'd == []'

run "$VMMCTL" --json -c "$URI" dominfo test
expect_rc 0 "dominfo"
check_json "dominfo" 'd["name"] == "test" and d["id"] == 1 and d["cpus"] == 2 and d["max_memory_kib"] == 8388608 and d["used_memory_kib"] == 2097152 and d["state"] == "running" and d["uuid"] == "a1f3c4d2-7b1e-4c55-9e0f-2d6b8c9a0e11"'

run "$VMMCTL" --json -c "$URI" dumpxml test
expect_rc 0 "dumpxml"
check_json "dumpxml" 'd["xml"].lstrip().startswith("<domain") and "<name>test</name>" in d["xml"]'

run "$VMMCTL" --json -c "$URI" suspend 1
expect_rc 0 "suspend"
check_json "suspend" 'd == {"result": "ok", "domain": "test"}'

run "$VMMCTL" --json -c "$URI" domstate test --reason
expect_rc 0 "domstate"
check_json "domstate" 'd["state"] == "running" and "reason" in d'

run "$VMMCTL" --json -c "$URI" define "$VMM_SOURCE_DIR/examples/guest-test.xml"
expect_rc 0 "define"
check_json "define" 'd == {"result": "ok", "domain": "guest1"}'

for cmd in "domid test" "domuuid test" "domname 1" "net-list --all" "net-info default" \
           "net-dumpxml default" "pool-list --all" "pool-info default-pool" \
           "pool-dumpxml default-pool" "vol-list default-pool" "vol-info disk1.img default-pool" \
           "vol-dumpxml disk1.img --pool default-pool" "uri" "version" "hostname" "help" \
           "help list"; do
        # shellcheck disable=SC2086
        run "$VMMCTL" --json -c "$URI" $cmd
        expect_rc 0 "$cmd"
        check_json "$cmd" 'd is not None'
done

run "$VMMCTL" --json -c "$URI" net-list
check_json "net-list" 'd[0]["name"] == "default" and d[0]["active"] is True and d[0]["bridge"] == "virbr0"'
run "$VMMCTL" --json -c "$URI" pool-info default-pool
check_json "pool-info" 'd["capacity"] == 107374182400 and d["name"] == "default-pool"'
run "$VMMCTL" --json -c "$URI" vol-list default-pool
check_json "vol-list" '[v["name"] for v in d] == ["disk1.img", "disk2.qcow2"] and d[0]["capacity"] == 10737418240'
run "$VMMCTL" --json -c "$URI" help list
check_json "help list" 'd[0]["name"] == "list" and "all" in [o["name"] for o in d[0]["options"]]'

# errors stay on stderr, with nothing on stdout
run "$VMMCTL" --json -c "$URI" dominfo nosuch
expect_rc 1 "json error"
expect_err_prefix "json error"
[ -z "$OUT" ] || fail "json error printed on stdout: $OUT"

run_json_checks
finish
