#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemud-e2e-tap: guest NICs on taps that vmm-qemud makes itself, end to
# end on real QEMU (TCG) with the test guest, through vmmctl on
# qemu:///session. The whole test (daemon, QEMU, bridge, dnsmasq) runs in a
# private network and mount namespace it makes for itself, so no host link
# is touched and nothing is left when it ends; it skips (77) without
# namespaces or /dev/net/tun.
#
# Checked: a bridge NIC (tap named by the allocator, vmmN) and an ethernet
# NIC (tap named by <target dev>, two queues) exist with the host MAC fe:..., the MTU
# of <mtu> (the bridge's otherwise), up, the bridge port on the bridge; the
# guest gets a DHCP lease from dnsmasq across the bridge; domiflist and
# domstats name the taps, with counters; vmm-qemud killed -9 and respawned
# still lists them; destroy, and a QEMU killed while vmm-qemud is down,
# leave no tap of ours, and an existing tap named in the XML is used and
# left in place. Bad input (a
# bridge that does not exist, <script>, type='network', a link that is not
# a tap): a clear error, no tap, no QEMU, no runtime files.
set -u

if [ -z "${VMM_TAP_NETNS:-}" ]; then
        if [ ! -c /dev/net/tun ]; then
                echo "SKIP: qemud-e2e-tap: /dev/net/tun is missing"
                exit 77
        fi
        if ! unshare --net --mount true 2>/dev/null; then
                echo "SKIP: qemud-e2e-tap: cannot make a private network namespace (unshare --net --mount: root needed)"
                exit 77
        fi
        # the guest's packages come from the archive: build it out here
        # (up to date: nothing done; a failure is reported in there)
        if [ -n "${VMM_TEST_GUEST_DIR:-}" ]; then
                mkdir -p "$VMM_TEST_GUEST_DIR"
                flock "$VMM_TEST_GUEST_DIR.lock" sh "$VMM_SOURCE_DIR/tests/guest/make-guest.sh" \
                        "$VMM_TEST_GUEST_DIR" >/dev/null 2>&1 || true
        fi
        VMM_TAP_NETNS=1 exec unshare --net --mount bash "$0" "$@"
fi
# sysfs of this namespace (ip and the daemon use netlink; this is for us)
mount -t sysfs sysfs /sys 2>/dev/null || true

. "$(dirname "$0")/qemud-e2e-lib.sh"

command -v ip >/dev/null 2>&1 || { echo "SKIP: $TEST_NAME: ip (iproute2) is not installed"; exit 77; }

ip link set lo up
ip link add br-e2e type bridge || fail "cannot create a bridge in the test's namespace"
ip addr add 10.77.0.1/24 dev br-e2e
ip link set br-e2e up

DHCP=""
if command -v dnsmasq >/dev/null 2>&1; then
        dnsmasq --keep-in-foreground --user=root --port=0 --no-resolv --no-hosts \
                --interface=br-e2e --bind-interfaces --dhcp-range=10.77.0.10,10.77.0.20,1h \
                --no-ping --dhcp-leasefile="$ROOT/leases" --pid-file="$ROOT/dnsmasq.pid" \
                --log-facility="$ROOT/dnsmasq.log" --log-dhcp &
        EXTRA_PIDS="$EXTRA_PIDS $!"
        DHCP=1
else
        echo "dnsmasq is not installed: the guest's DHCP lease across the bridge is not checked"
fi

links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
link_of() { ip -o link show dev "$1" 2>/dev/null; }
has_link() { ip link show dev "$1" >/dev/null 2>&1; }
no_link() { ! has_link "$1"; }
vmm_taps() { links | grep -E '^vmm[0-9]+$' || true; }
# the QEMU of domain NAME in this test (one pgrep: faster than the lib's
# walk over /proc on a busy machine)
qemu_of() { pgrep -f -- "guest=$1,debug-threads=on .*$ROOT/" || true; }

NICS="<interface type='bridge'><mac address='52:54:00:7a:00:01'/><source bridge='br-e2e'/><model type='virtio'/></interface>"
NICS="$NICS<interface type='ethernet'><mac address='52:54:00:7a:00:02'/><target dev='web-eth0'/><model type='virtio'/><driver queues='2'/><mtu size='1400'/></interface>"
xml=$(guest_xml g-tap "s|<memballoon|$NICS<memballoon|;s|vmmtest.fastoff=1|vmmtest.fastoff=1 vmmtest.dhcp=1|")
expect_ok define "$xml" >/dev/null
links_before=$(links)

# --- start: the taps as the kernel sees them ---
expect_ok start g-tap >/dev/null
has_link vmm0 || fail "no tap vmm0 for the bridge NIC: $(links | tr '\n' ' ')"
l=$(link_of vmm0)
echo "vmm0: $l"
echo "$l" | grep -q "master br-e2e" || fail "vmm0 is not a port of br-e2e: $l"
echo "$l" | grep -q "link/ether fe:54:00:7a:00:01" || fail "vmm0's MAC is not the guest's with fe: $l"
echo "$l" | grep -q "mtu 1500" || fail "vmm0's MTU is not the bridge's 1500: $l"
echo "$l" | grep -Eq "<[^>]*\bUP\b" || fail "vmm0 is not up: $l"
l=$(link_of web-eth0)
echo "web-eth0: $l"
[ -n "$l" ] || fail "no tap web-eth0 (named by <target dev>)"
echo "$l" | grep -q "link/ether fe:54:00:7a:00:02" || fail "web-eth0's MAC: $l"
echo "$l" | grep -q "mtu 1400" || fail "web-eth0's MTU is not <mtu size='1400'>: $l"
echo "$l" | grep -q "master" && fail "web-eth0 (type ethernet) is on a bridge: $l"
ip -d link show dev web-eth0 | grep -q "tun type tap.* multi_queue" ||
        fail "web-eth0 is not a multiqueue tap (<driver queues='2'>): $(ip -d link show dev web-eth0)"
[ "$(vmm_taps | wc -l)" -eq 1 ] || fail "more vmmN taps than NICs: $(vmm_taps | tr '\n' ' ')"
pid=$(qemu_of g-tap)
[ -n "$pid" ] || fail "no QEMU for g-tap"
# QEMU got the taps as fds, it did not open them by name or run a script
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq -- "-netdev tap,fd=[0-9]+,id=hostnet0 " ||
        fail "QEMU's -netdev for the bridge NIC: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq -- "-netdev tap,fds=[0-9]+:[0-9]+,id=hostnet1 " ||
        fail "QEMU's -netdev for the two-queue NIC: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "script" && fail "a script on QEMU's command line"

out=$(expect_ok domiflist g-tap)
echo "$out"
echo "$out" | grep -Eq "^ vmm0 +bridge +br-e2e +virtio +52:54:00:7a:00:01\$" || fail "domiflist (bridge NIC): $out"
echo "$out" | grep -Eq "^ web-eth0 +ethernet +- +virtio +52:54:00:7a:00:02\$" || fail "domiflist (ethernet NIC): $out"
out=$(expect_ok domiflist g-tap --inactive)
echo "$out" | grep -q "vmm0" && fail "the persistent definition got the allocated tap name: $out"

# --- traffic: the guest's DHCP across the bridge ---
wait_until 60 markers_above g-tap 0 || fail "no ready marker on g-tap"
serial="$QEMU_LOGS/g-tap-serial0.log"
if [ -n "$DHCP" ]; then
        grep -q "VMM-TEST-DHCP 10.77.0." "$serial" ||
                fail "the guest got no DHCP lease across br-e2e: $(grep VMM-TEST-DHCP "$serial"); dnsmasq: $(tail -5 "$ROOT/dnsmasq.log")"
        echo "guest: $(grep -a VMM-TEST-DHCP "$serial" | tr -d '\r')"
fi
out=$(expect_ok domstats g-tap --interface)
echo "$out"
echo "$out" | grep -qx "  net.count=2" || fail "domstats net.count: $out"
echo "$out" | grep -qx "  net.0.name=vmm0" || fail "domstats net.0.name: $out"
echo "$out" | grep -qx "  net.1.name=web-eth0" || fail "domstats net.1.name: $out"
tx=$(echo "$out" | sed -n 's/^  net.0.tx.pkts=//p')
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "the guest sent nothing on its bridge NIC (net.0.tx.pkts '$tx'): $out"
host_rx=$(awk '$1 == "vmm0:" {print $3}' /proc/net/dev)
[ "$tx" -le "$host_rx" ] || fail "net.0.tx.pkts $tx, the tap received $host_rx"
if [ -n "$DHCP" ]; then
        rx=$(echo "$out" | sed -n 's/^  net.0.rx.pkts=//p')
        [ -n "$rx" ] && [ "$rx" -gt 0 ] || fail "the guest received nothing (net.0.rx.pkts '$rx') though it got a lease"
fi
echo "$out" | grep -q "^  net.1.rx.bytes=" || fail "no counters for web-eth0: $out"

# --- vmm-qemud killed and respawned: the taps are still known ---
for p in $(daemon_pids); do kill -9 "$p"; done
wait_until 5 no_daemon || fail "vmm-qemud survived kill -9"
out=$(expect_ok domiflist g-tap)
echo "$out" | grep -Eq "^ vmm0 +bridge" || fail "domiflist after a daemon restart: $out"
echo "$out" | grep -Eq "^ web-eth0 +ethernet" || fail "domiflist after a daemon restart: $out"
[ "$(qemu_of g-tap)" = "$pid" ] || fail "QEMU changed across the daemon restart"
grep -q "target dev=.*vmm0" "$QEMU_RUN/g-tap.state" || fail "the state file does not record tap vmm0"

# --- destroy: no tap of ours left ---
expect_ok destroy g-tap >/dev/null
no_link vmm0 || fail "tap vmm0 left after destroy: $(link_of vmm0)"
no_link web-eth0 || fail "tap web-eth0 left after destroy: $(link_of web-eth0)"
[ "$(links)" = "$links_before" ] || fail "links after destroy differ: $(links | tr '\n' ' ') (before: $(echo $links_before))"
[ -z "$(ip -o link show master br-e2e)" ] || fail "br-e2e still has ports: $(ip -o link show master br-e2e)"
no_runtime_files g-tap || fail "runtime files of g-tap left"

# --- an existing tap is used as it is; a QEMU crash removes only ours ---
ip tuntap add dev ext-tap mode tap || fail "cannot create tap ext-tap"
ip link set ext-tap mtu 1280
NICS="<interface type='ethernet'><mac address='52:54:00:7a:00:03'/><target dev='ext-tap'/><model type='virtio'/></interface>"
NICS="$NICS<interface type='bridge'><mac address='52:54:00:7a:00:04'/><source bridge='br-e2e'/><model type='virtio'/><mtu size='1450'/></interface>"
xml=$(guest_xml g-ext "s|<memballoon|$NICS<memballoon|")
expect_ok define "$xml" >/dev/null
expect_ok start g-ext >/dev/null
l=$(link_of vmm0)
echo "$l" | grep -q "mtu 1450" || fail "vmm0's MTU is not <mtu size='1450'>: $l"
echo "$l" | grep -q "master br-e2e" || fail "vmm0 is not a port of br-e2e: $l"
link_of ext-tap | grep -q "mtu 1280" || fail "the existing tap ext-tap was reconfigured: $(link_of ext-tap)"
vmmctl dumpxml g-ext | grep -q "<target dev=.ext-tap. managed=.no./>" ||
        fail "the live XML does not mark ext-tap managed='no': $(vmmctl dumpxml g-ext | grep target)"
# QEMU dies while vmm-qemud is down: its tap goes with it, and the
# respawned daemon reports the crash
pid=$(qemu_of g-ext)
for p in $(daemon_pids); do kill -9 "$p"; done
wait_until 5 no_daemon || fail "vmm-qemud survived kill -9"
kill -9 "$pid"
wait_until 5 no_link vmm0 || fail "tap vmm0 left after QEMU was killed"
wait_until 10 state_is g-ext "shut off (crashed)" || fail "g-ext after kill -9 of QEMU: $(vmmctl domstate g-ext --reason)"
no_runtime_files g-ext || fail "runtime files of g-ext left"
has_link ext-tap || fail "the existing tap ext-tap was deleted"
link_of ext-tap | grep -q "mtu 1280" || fail "ext-tap changed: $(link_of ext-tap)"
ip tuntap del dev ext-tap mode tap

# --- bad input: clear errors, nothing left behind ---
bad() { # NAME PATTERN NICS
        x=$(guest_xml "$1" "s|<memballoon|$3<memballoon|")
        expect_ok define "$x" >/dev/null
        before=$(links)
        expect_fail "$2" start "$1"
        [ "$(links)" = "$before" ] || fail "$1: links changed: $(links | tr '\n' ' ')"
        [ -z "$(qemu_of "$1")" ] || fail "$1: QEMU left running"
        no_runtime_files "$1" || fail "$1: runtime files left"
        state_is "$1" "shut off (unknown)" || fail "$1: state $(vmmctl domstate "$1" --reason)"
}
OK_NIC="<interface type='bridge'><source bridge='br-e2e'/><model type='virtio'/></interface>"
bad g-nobr "bridge 'br-nope' does not exist" \
        "$OK_NIC<interface type='bridge'><mac address='52:54:00:7a:00:05'/><source bridge='br-nope'/><model type='virtio'/></interface>"
bad g-script "<script>/<downscript> is not allowed" \
        "$OK_NIC<interface type='ethernet'><script path='/bin/true'/><model type='virtio'/></interface>"
bad g-net "virtual networks need vmm-networkd, which is not available yet" \
        "$OK_NIC<interface type='network'><source network='default'/><model type='virtio'/></interface>"
bad g-notap "<target dev='lo'>: 'lo' exists and is not a tap (link kind: none" \
        "$OK_NIC<interface type='ethernet'><target dev='lo'/><model type='virtio'/></interface>"
bad g-brnot "<source bridge='lo'>: 'lo' is not a bridge (link kind: none)" \
        "<interface type='bridge'><source bridge='lo'/><model type='virtio'/></interface>"
[ -z "$(vmm_taps)" ] || fail "vmmN taps left: $(vmm_taps | tr '\n' ' ')"
echo "PASS: $TEST_NAME"
