#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# domblklist and domiflist on test:///default: the device tables read from
# a domain's XML (disks of several kinds, an empty CD-ROM, interfaces of
# several types), --details, --inactive, --json, and an unknown domain.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/dev.xml" <<'XML'
<domain type='test'>
  <name>devs</name>
  <memory unit='MiB'>64</memory>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/images/root.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/sdz'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sdc' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='bridge'>
      <mac address='52:54:00:aa:bb:01'/>
      <source bridge='br0'/>
      <target dev='tap-devs0'/>
      <model type='e1000'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:aa:bb:02'/>
    </interface>
  </devices>
</domain>
XML

run "$VMMCTL" -c "$URI" "define '$TMP/dev.xml'; domblklist devs"
expect_rc 0 "domblklist"
expect_line " Target   Source" "domblklist header"
expect_line " vda      /images/root.qcow2" "file disk"
expect_line " vdb      /dev/sdz" "block disk"
expect_line " sdc      -" "empty cdrom"

run "$VMMCTL" -c "$URI" "define '$TMP/dev.xml'; domblklist devs --details"
expect_rc 0 "domblklist --details"
expect_line " Type    Device   Target   Source" "--details header"
expect_line " file    disk     vda      /images/root.qcow2" "--details file disk"
expect_line " block   disk     vdb      /dev/sdz" "--details block disk"
expect_line " file    cdrom    sdc      -" "--details cdrom"

run "$VMMCTL" -c "$URI" "define '$TMP/dev.xml'; domiflist --inactive devs"
expect_rc 0 "domiflist"
expect_line " Interface   Type     Source   Model   MAC" "domiflist header"
expect_line " tap-devs0   bridge   br0      e1000   52:54:00:aa:bb:01" "bridge interface"
expect_line " -           user     -        -       52:54:00:aa:bb:02" "user interface"

run "$VMMCTL" -c "$URI" -q "domiflist test"
expect_rc 0 "domiflist -q"
[ "$OUT" = " -           network   default   virtio   52:54:00:6d:90:02" ] ||
        fail "domiflist -q on test: '$OUT'"

run "$VMMCTL" -c "$URI" --json "define '$TMP/dev.xml'; domblklist devs"
expect_rc 0 "domblklist --json"
printf '%s\n' "$OUT" | sed -n '/^\[/,$p' | "${PYTHON3:-python3}" -c '
import json, sys
d = json.load(sys.stdin)
assert [x["target"] for x in d] == ["vda", "vdb", "sdc"], d
assert d[0]["source"] == "/images/root.qcow2" and d[2]["source"] is None, d
' 2>"$TMP/py" || fail "domblklist --json: $(cat "$TMP/py"): $OUT"

run "$VMMCTL" -c "$URI" "domblklist nosuch"
expect_rc 1 "unknown domain"
expect_err "error: no domain named 'nosuch'" "unknown domain"

finish
