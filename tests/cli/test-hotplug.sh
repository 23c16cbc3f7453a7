#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# attach-device, detach-device, attach-disk, detach-disk, attach-interface
# and detach-interface on test:///default (the running domain 'test'):
# virsh's messages, --live/--config/--current/--persistent, the device
# tables afterwards (live and --inactive), --json, and the errors a user
# meets (target in use, absent device, unsupported kind, a file that does
# not exist, bad XML), each leaving the domain unchanged.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/disk.xml" <<'XML'
<disk type='file' device='disk'>
  <driver name='qemu' type='raw'/>
  <source file='/img/data.raw'/>
  <target dev='vdb' bus='virtio'/>
</disk>
XML

run "$VMMCTL" -c "$URI" "attach-device test '$TMP/disk.xml'; domblklist test; \
domblklist test --inactive"
expect_rc 0 "attach-device"
expect_line "Device attached successfully" "attach-device message"
expect_line " vdb      /img/data.raw" "live domblklist after attach"
[ "$(printf '%s\n' "$OUT" | grep -c 'vdb ')" -eq 1 ] ||
        fail "CURRENT on a running domain changed the definition too: $OUT"

run "$VMMCTL" -c "$URI" "attach-device test '$TMP/disk.xml'; \
attach-device test '$TMP/disk.xml' --persistent; detach-device test '$TMP/disk.xml'; \
domblklist test"
expect_rc 1 "attach of a target in use"
case "$ERR" in *"target dev 'vdb' is already used by disk #2"*) ;;
*) fail "target in use message: $ERR" ;; esac
expect_line "Device detached successfully" "detach-device message"
expect_out_lacks "/img/data.raw" "after detach-device"

run "$VMMCTL" -c "$URI" "attach-disk test '/img/a,b.qcow2' vdc --subdriver qcow2 \
--mode readonly --cache none --persistent; domblklist test; dumpxml --inactive test; \
detach-disk test vdc --config; domblklist test --inactive; domblklist test; \
detach-disk test vdc; domblklist test"
expect_rc 0 "attach-disk --persistent, detach-disk --config, then live"
expect_line "Disk attached successfully" "attach-disk message"
expect_out_contains '<driver type="qcow2" cache="none"/>' "attach-disk driver in the definition"
expect_out_contains '<source file="/img/a,b.qcow2"/>' "attach-disk source in the definition"
expect_out_contains "<readonly/>" "attach-disk --mode readonly"
expect_line "Disk detached successfully" "detach-disk message"
# listed live after the attach, and live after the --config detach: twice
[ "$(printf '%s\n' "$OUT" | grep -c '^ vdc  *\/img\/a,b.qcow2$')" -eq 2 ] ||
        fail "vdc should be listed by the 1st and 3rd domblklist only: $OUT"

run "$VMMCTL" -c "$URI" "attach-interface test user --model virtio --mac 52:54:00:12:34:56; \
domiflist test; detach-interface test user; domiflist test"
expect_rc 0 "attach-interface, detach-interface"
expect_line "Interface attached successfully" "attach-interface message"
expect_line "Interface detached successfully" "detach-interface message"
[ "$(printf '%s\n' "$OUT" | grep -c '52:54:00:12:34:56')" -eq 1 ] ||
        fail "the NIC should show in the first domiflist only: $OUT"

run "$VMMCTL" -c "$URI" --json attach-disk test /img/j.raw vdj
expect_rc 0 "attach-disk --json"
expect_out_contains '"result": "ok"' "attach-disk --json"
expect_out_lacks "successfully" "attach-disk --json"

# errors, each with the domain unchanged
run "$VMMCTL" -c "$URI" "detach-disk test vdq"
expect_rc 1 "detach of an absent disk"
expect_err "error: detach device (live): domain 'test': no disk 'vdq' to detach" "absent disk"
run "$VMMCTL" -c "$URI" "detach-interface test user --mac 52:54:00:00:00:99"
expect_rc 1 "detach of an absent interface"
case "$ERR" in *"no interface found whose type is 'user'"*) ;; *) fail "absent NIC: $ERR" ;; esac
echo "<controller type='usb' index='0'/>" >"$TMP/ctl.xml"
run "$VMMCTL" -c "$URI" "attach-device test '$TMP/ctl.xml'"
expect_rc 1 "unsupported kind"
expect_err "error: attach device: <controller> devices are not supported (expected <disk> or <interface>)" \
        "unsupported kind"
printf '<disk type="file">\n  <source file="/x"/>\n  <targte dev="vdx"/>\n</disk>\n' >"$TMP/bad.xml"
run "$VMMCTL" -c "$URI" "attach-device test '$TMP/bad.xml'"
expect_rc 1 "unknown element"
case "$ERR" in *"line 3"*"targte"*) ;; *) fail "unknown element message: $ERR" ;; esac
run "$VMMCTL" -c "$URI" "attach-device test '$TMP/none.xml'"
expect_rc 1 "missing file"
case "$ERR" in *"cannot read '$TMP/none.xml'"*) ;; *) fail "missing file: $ERR" ;; esac
run "$VMMCTL" -c "$URI" "attach-disk test /img/x.raw vdx --current --live"
expect_rc 1 "--current with --live"
run "$VMMCTL" -c "$URI" "destroy test; attach-disk test /img/x.raw vdx --live"
expect_rc 1 "--live on a shut-off domain"
case "$ERR" in *"not running"*) ;; *) fail "--live on shut-off: $ERR" ;; esac
run "$VMMCTL" -c "$URI" "dumpxml test --inactive"
expect_out_lacks "vdx" "failed calls left a trace"

finish
