#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README session on test:///default: list, define the example guest,
# start it, look at it, destroy and undefine it. The test driver keeps its
# state per connection, so the session runs as one chained invocation.
. "$(dirname "$0")/lib.sh"
XML="$VMM_SOURCE_DIR/examples/guest-test.xml"

run "$VMMCTL" -c "$URI" list
expect_rc 0 "list"
expect_line " Id   Name   State" "list header"
expect_line "----------------------" "list dashes"
expect_line " 1    test   running" "list row"

run "$VMMCTL" -c "$URI" "define '$XML'; list --all; start guest1; dominfo guest1; \
domstate guest1 --reason; destroy guest1; domstate guest1; \
undefine guest1; list --all --name"
expect_rc 0 "session"
expect_line "Domain 'guest1' defined from $XML" "define"
expect_line " -    guest1   shut off" "list --all shows the defined guest"
expect_line "Domain 'guest1' started" "start"
expect_line "Name:           guest1" "dominfo name"
expect_line "UUID:           5b0f2a1c-3d4e-4f60-8a7b-9c0d1e2f3a4b" "dominfo uuid"
expect_line "State:          running" "dominfo state"
expect_line "CPU(s):         1" "dominfo vcpus"
expect_line "Max memory:     262144 KiB" "dominfo memory"
expect_line "Persistent:     yes" "dominfo persistent"
expect_line "running (booted)" "domstate --reason"
expect_line "Domain 'guest1' destroyed" "destroy"
expect_line "shut off" "domstate after destroy"
expect_line "Domain 'guest1' has been undefined" "undefine"
# the final list --all --name shows only the default domain
[ "$(printf '%s\n' "$OUT" | tail -n 1)" = "test" ] ||
        fail "after undefine, list --all --name ends with '$(printf '%s\n' "$OUT" | tail -n 1)'"

# the exact session of README.md and packaging/quickstart.sh
cd "$VMM_SOURCE_DIR" || exit 1
run "$VMMCTL" -c test:///default "list --all ; define examples/guest-test.xml ; start guest1 ; list --all ; dominfo guest1 ; destroy guest1 ; undefine guest1 ; list --all"
expect_rc 0 "quickstart session"
expect_line "Domain 'guest1' defined from examples/guest-test.xml" "quickstart define"
expect_line " 2    guest1   running" "quickstart list shows guest1 running"
expect_line "State:          running" "quickstart dominfo"
expect_line "Domain 'guest1' has been undefined" "quickstart undefine"
[ "$(printf '%s\n' "$OUT" | grep -c guest1)" -eq 6 ] || fail "guest1 lines in the quickstart session: $OUT"
run "$VMMCTL" -c test:///default "define examples/guest-test.xml ; start guest1 ; domstate --reason guest1"
expect_rc 0 "README example"
expect_line "running (booted)" "README example"

# the running domain can be named by id and uuid too
run "$VMMCTL" -c "$URI" "domname 1; domid test; domuuid test; domname a1f3c4d2-7b1e-4c55-9e0f-2d6b8c9a0e11"
expect_rc 0 "domname/domid/domuuid"
expect_line "1" "domid"
expect_line "a1f3c4d2-7b1e-4c55-9e0f-2d6b8c9a0e11" "domuuid"
[ "$(printf '%s\n' "$OUT" | grep -cx test)" -eq 2 ] || fail "domname by id and by uuid: $OUT"

# networks, pools, volumes, host
run "$VMMCTL" -c "$URI" "net-list; net-info default; pool-list --details; vol-list default-pool; vol-info disk1.img --pool default-pool; uri; version"
expect_rc 0 "net/pool/vol/host"
expect_line " default   active   no          yes" "net-list row"
expect_line "Bridge:         virbr0" "net-info bridge"
expect_out_contains "default-pool" "pool-list"
expect_out_contains "100.00 GiB" "pool-list capacity"
expect_out_contains "disk2.qcow2" "vol-list"
expect_line "Capacity:       10.00 GiB" "vol-info capacity"
expect_line "test:///default" "uri"
expect_line "Compiled against library: vmm 0.1.0" "version"
expect_out_contains "Running hypervisor: test" "version hypervisor"

# -q leaves out the header and informational lines
run "$VMMCTL" -q -c "$URI" "list; suspend test"
expect_rc 0 "quiet"
[ "$OUT" = " 1    test   running" ] || fail "list -q: '$OUT'"

finish
