#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runtime operations on running test guests under vmm-qemud (real QEMU,
# TCG), through vmmctl on qemu:///session: domblklist and domiflist (live
# and --inactive), domstats (one domain, several, all in one call, --json;
# CPU time from /proc, balloon from QMP, block counters from
# query-blockstats), setmem (live through the balloon, --config, refused
# above <memory> or on a domain that does not run), dominfo's used memory
# following the balloon, and qemu-monitor-command (raw QMP, logged).
. "$(dirname "$0")/qemud-e2e-lib.sh"

disk="$ROOT/data,1.img" # a comma in the path, escaped on QEMU's command line
truncate -s 16M "$disk"
devs="<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$disk'/><target dev='vda' bus='virtio'/></disk><interface type='user'><mac address='52:54:00:0e:00:01'/><model type='virtio'/></interface>"
# A second NIC on a host tap (when this host lets us make one): its
# counters come from /proc/net/dev, seen from the guest's side.
TAP="vmmops$$"
if ip tuntap add dev "$TAP" mode tap 2>/dev/null; then
        trap 'rc=$?; ip tuntap del dev "$TAP" mode tap 2>/dev/null; (exit $rc); e2e_cleanup' EXIT
        devs="$devs<interface type='ethernet'><mac address='52:54:00:0e:00:02'/><target dev='$TAP'/><model type='virtio'/></interface>"
else
        echo "no tap device can be created here: the tap counters are not checked"
        TAP=""
fi
devs="$devs<memballoon"
xml=$(guest_xml g-ops "s|<memballoon|$devs|")
expect_ok define "$xml" >/dev/null

# --- device tables, from the persistent definition ---
out=$(expect_ok domblklist g-ops --inactive --details)
echo "$out" | grep -Eq "^ file +disk +vda +$disk\$" || fail "domblklist --details: $out"
out=$(expect_ok domiflist g-ops --inactive)
echo "$out" | grep -Eq "^ - +user +- +virtio +52:54:00:0e:00:01\$" || fail "domiflist: $out"

# --- statistics of a shut-off domain: state and configuration only ---
out=$(expect_ok domstats g-ops)
echo "$out" | grep -qx "  state.state=5" || fail "domstats of shut-off g-ops: $out"
echo "$out" | grep -q "cpu.time" && fail "domstats of a shut-off domain shows CPU time: $out"
echo "$out" | grep -qx "  balloon.maximum=131072" || fail "domstats balloon.maximum: $out"

# setmem on a shut-off domain: CURRENT is the config; --live is refused
expect_fail "not running" setmem g-ops 100M --live >/dev/null
expect_ok setmem g-ops 120M >/dev/null
vmmctl dumpxml --inactive g-ops | grep -q "<currentMemory unit=.KiB.>122880</currentMemory>" ||
        fail "setmem on a shut-off domain did not change <currentMemory>: $(vmmctl dumpxml --inactive g-ops | grep -i memory)"
expect_ok setmem g-ops 128M --config >/dev/null

expect_ok start g-ops >/dev/null
wait_until 30 markers_above g-ops 0 || fail "no ready marker on g-ops"
out=$(expect_ok domblklist g-ops)
echo "$out" | grep -Eq "^ vda +$disk\$" || fail "live domblklist: $out"

# --- domstats on a running guest ---
out=$(expect_ok domstats g-ops)
echo "$out"
echo "$out" | grep -qx "Domain: 'g-ops'" || fail "domstats header: $out"
echo "$out" | grep -qx "  state.state=1" || fail "domstats state: $out"
cpu=$(echo "$out" | sed -n 's/^  cpu.time=//p')
[ -n "$cpu" ] && [ "$cpu" -gt 0 ] || fail "domstats cpu.time of a booted guest: '$cpu'"
echo "$out" | grep -qx "  balloon.current=131072" || fail "domstats balloon.current: $out"
echo "$out" | grep -qx "  block.count=1" || fail "domstats block.count: $out"
echo "$out" | grep -qx "  block.0.name=vda" || fail "domstats block.0.name: $out"
echo "$out" | grep -qx "  block.0.path=$disk" || fail "domstats block.0.path: $out"
rd=$(echo "$out" | sed -n 's/^  block.0.rd.bytes=//p')
[ -n "$rd" ] && [ "$rd" -gt 0 ] || fail "the guest's kernel read vda, rd.bytes is '$rd': $out"
reqs=$(echo "$out" | sed -n 's/^  block.0.rd.reqs=//p')
[ -n "$reqs" ] && [ "$reqs" -gt 0 ] || fail "block.0.rd.reqs: '$reqs'"
if [ -n "$TAP" ]; then
        echo "$out" | grep -qx "  net.count=2" || fail "domstats net.count: $out"
        echo "$out" | grep -qx "  net.1.name=$TAP" || fail "domstats net.1.name: $out"
        # the host sends ARP requests into the tap: the guest receives them
        ip addr add 10.251.77.1/24 dev "$TAP" && ip link set "$TAP" up ||
                fail "cannot configure $TAP"
        tap_tx() { awk -v t="$TAP:" '$1 == t {print $10}' /proc/net/dev; }
        sent() { ping -c 1 -W 1 10.251.77.2 >/dev/null 2>&1; [ "$(tap_tx)" -gt 0 ]; }
        wait_until 10 sent || fail "the host sent nothing into $TAP: $(ip addr show "$TAP")"
        host_tx=$(tap_tx)
        out=$(expect_ok domstats g-ops --interface)
        rx=$(echo "$out" | sed -n 's/^  net.1.rx.bytes=//p')
        pk=$(echo "$out" | sed -n 's/^  net.1.rx.pkts=//p')
        [ -n "$rx" ] && [ "$rx" -gt 0 ] && [ "$rx" -ge "$host_tx" ] ||
                fail "net.1.rx.bytes '$rx' (the tap sent $host_tx bytes): $out"
        [ -n "$pk" ] && [ "$pk" -gt 0 ] || fail "net.1.rx.pkts '$pk': $out"
        echo "tap $TAP: the host sent $host_tx bytes, the guest received $rx bytes in $pk packets"
        echo "$out" | grep -q "net.0.rx" && fail "a user-mode NIC shows counters: $out"
else
        echo "$out" | grep -qx "  net.count=1" || fail "domstats net.count: $out"
fi

# --- bulk: two guests, one call; filters; --json ---
xml2=$(guest_xml g-ops2)
expect_ok define "$xml2" >/dev/null
expect_ok start g-ops2 >/dev/null
out=$(expect_ok domstats --state --balloon)
echo "$out" | grep -qx "Domain: 'g-ops'" && echo "$out" | grep -qx "Domain: 'g-ops2'" ||
        fail "domstats without domains lists both guests: $out"
echo "$out" | grep -q "block\." && fail "domstats --state --balloon shows other groups: $out"
expect_ok destroy g-ops2 >/dev/null
out=$(expect_ok domstats --list-running --state)
echo "$out" | grep -q "g-ops2" && fail "--list-running shows the shut-off g-ops2: $out"
out=$(expect_ok domstats g-ops2 g-ops --vcpu)
[ "$(echo "$out" | grep '^Domain:' | tr '\n' ' ')" = "Domain: 'g-ops2' Domain: 'g-ops' " ] ||
        fail "domstats with two domains keeps their order: $out"
json=$("$VMMCTL" -c "$URI" --json domstats g-ops --block) || fail "domstats --json failed"
echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[0]["name"] == "g-ops" and d[0]["block.0.name"] == "vda", d
assert d[0]["block.0.rd.bytes"] > 0, d
' || fail "domstats --json: $json"
t0=$(now_ms)
for _ in 1 2 3 4 5 6 7 8 9 10; do vmmctl domstats >/dev/null; done
echo "domstats (all domains, one call) x10: $(($(now_ms) - t0)) ms"

# --- setmem through the balloon; dominfo follows it ---
expect_fail "above the live maximum of 131072 KiB" setmem g-ops 256M >/dev/null
expect_fail "not a number" setmem g-ops lots >/dev/null
t0=$(now_ms)
expect_ok setmem g-ops 64M >/dev/null
used() { vmmctl dominfo g-ops | awk '/^Used memory:/ {print $3}'; }
# the guest's balloon driver gets within a MiB or so of the target
near64m() { u=$(used); [ -n "$u" ] && [ "$u" -ge 65536 ] && [ "$u" -le 67584 ]; }
wait_until 30 near64m || fail "dominfo Used memory after setmem 64M: $(used) KiB"
echo "balloon reached $(used) KiB (target 65536) after $(($(now_ms) - t0)) ms"
# the balloon may still be settling (a few hundred KiB more): compare once
# two readings 0.3 s apart agree
settled() { a=$(used); sleep 0.3; [ "$a" = "$(used)" ]; }
wait_until 15 settled || fail "dominfo Used memory keeps changing: $(used) KiB"
bal=$(vmmctl domstats g-ops --balloon | sed -n 's/^  balloon.current=//p')
[ "$bal" = "$(used)" ] || fail "domstats balloon.current $bal != dominfo $(used)"
vmmctl dumpxml g-ops | grep -q "<currentMemory unit=.KiB.>65536</currentMemory>" ||
        fail "the live XML after setmem 64M: $(vmmctl dumpxml g-ops | grep -i currentmemory)"
vmmctl dumpxml --inactive g-ops | grep -q "<currentMemory unit=.KiB.>131072</currentMemory>" ||
        fail "a live setmem changed the persistent definition"
expect_ok setmem g-ops 96M --config >/dev/null
vmmctl dumpxml --inactive g-ops | grep -q "<currentMemory unit=.KiB.>98304</currentMemory>" ||
        fail "setmem --config: $(vmmctl dumpxml --inactive g-ops | grep -i currentmemory)"
near64m || fail "setmem --config changed the live balloon: $(used)"

# --- qemu-monitor-command ---
out=$(expect_ok qemu-monitor-command g-ops '{"execute":"query-status"}')
echo "$out" | grep -q '"status": *"running"' || fail "query-status through the monitor: $out"
out=$(expect_ok qemu-monitor-command g-ops '{"execute":"no-such-command"}')
echo "$out" | grep -q '"class": *"CommandNotFound"' || fail "QEMU's error as the answer: $out"
expect_fail "is not a QMP command" qemu-monitor-command g-ops '{"exec":1}' >/dev/null
expect_fail "not running" qemu-monitor-command g-ops2 '{"execute":"query-status"}' >/dev/null
grep -q "domain 'g-ops': unsupported QEMU monitor command" "$LOG" ||
        fail "no warning about the monitor command in $LOG"

expect_ok destroy g-ops >/dev/null
echo "all checks passed"
