#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# make-guest.sh OUTDIR: builds the tiny Linux guest the end-to-end tests
# boot under QEMU (TCG), from Debian packages only: the cloud kernel and
# busybox-static, unpacked with dpkg -x (no chroot, no root needed for the
# unpacking, no host cpio).
#
# Output: OUTDIR/vmlinuz, OUTDIR/initrd.img, OUTDIR/cmdline.txt. The .debs
# are cached in OUTDIR/debs (superseded kernels vanish from the archive;
# a cached one keeps working), and nothing is rebuilt when the outputs are
# newer than this script.
#
# The guest, on its serial console (ttyS0):
#   - prints "VMM-TEST-GUEST-READY uptime=..." once up, then gives a shell
#     (prompt "guest# ");
#   - on the ACPI power button (QMP system_powerdown) prints
#     "VMM-TEST-GUEST-POWEROFF" and powers off (immediately with
#     vmmtest.fastoff=1 on the kernel command line);
#   - vmmtest.dhcp=1 runs a DHCP client on eth0 ("VMM-TEST-DHCP <addr>");
#     vmmtest.fill=N fills N MiB of RAM once, vmmtest.dirty=N keeps
#     rewriting N MiB (migration tests); vmmtest.tick=1 prints
#     "VMM-TEST-TICK <n>" every second (n counts on across save/restore).
# It needs at least 80 MiB of guest RAM (use 128).
set -eu

out=$(realpath -m "${1:?usage: make-guest.sh OUTDIR}")
self=$(realpath "$0")
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] && [ "$out/initrd.img" -nt "$self" ]; then
        echo "guest is up to date in $out"
        exit 0
fi

debs="$out/debs"
work="$out/work"
mkdir -p "$debs"
chmod 777 "$debs" # apt-get download runs as _apt where it can

kernel_pkg=${VMM_GUEST_KERNEL_PKG:-}
if [ -z "$kernel_pkg" ]; then
        # reuse a cached kernel first: the archive drops superseded ones
        cached=$(ls "$debs"/linux-image-*-cloud-amd64_*.deb 2>/dev/null | head -n 1 || true)
        if [ -n "$cached" ]; then
                kernel_pkg=$(basename "$cached" | cut -d_ -f1)
        else
                kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
                             awk '/Depends: linux-image-/ { print $2; exit }')
        fi
fi
[ -n "$kernel_pkg" ] || { echo "make-guest: cannot resolve linux-image-cloud-amd64 (run apt-get update?)" >&2; exit 1; }
kver=${kernel_pkg#linux-image-}

(
        cd "$debs"
        ls "${kernel_pkg}"_*.deb >/dev/null 2>&1 || apt-get download -q "$kernel_pkg"
        ls busybox-static_*.deb >/dev/null 2>&1 || apt-get download -q busybox-static
) >&2

rm -rf "$work"
mkdir -p "$work/kernel" "$work/busybox"
dpkg -x "$(ls "$debs"/"${kernel_pkg}"_*.deb | head -n 1)" "$work/kernel"
dpkg -x "$(ls "$debs"/busybox-static_*.deb | head -n 1)" "$work/busybox"
busybox="$work/busybox/bin/busybox"
cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"

root="$work/root"
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
         "$root/run" "$root/var/log" "$root/etc/acpi/PWRF" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
ln -sf ../bin/busybox "$root/sbin/init"
ln -sf bin/busybox "$root/init"

# Modules, in load order (the guest has no modprobe data, only insmod).
moddir="$work/kernel/lib/modules/$kver/kernel"
: > "$root/lib/modules/order"
for m in drivers/acpi/button drivers/input/evdev \
         drivers/virtio/virtio_ring drivers/virtio/virtio \
         drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev \
         drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover \
         drivers/net/virtio_net drivers/block/virtio_blk drivers/virtio/virtio_balloon; do
        name=$(basename "$m").ko
        if [ -f "$moddir/$m.ko" ]; then
                cp "$moddir/$m.ko" "$root/lib/modules/$name"
        elif [ -f "$moddir/$m.ko.xz" ]; then
                xz -dc "$moddir/$m.ko.xz" > "$root/lib/modules/$name"
        else
                echo "make-guest: module $m not in $kernel_pkg, skipped" >&2
                continue
        fi
        echo "$name" >> "$root/lib/modules/order"
done

cat > "$root/etc/inittab" <<'INITTAB'
::sysinit:/etc/rc.boot
ttyS0::respawn:/bin/sh -l
::shutdown:/bin/sync
INITTAB

echo "export PATH=/bin:/sbin PS1='guest# '" > "$root/etc/profile"

cat > "$root/etc/rc.boot" <<'RC'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
while read -r mod; do
        insmod "/lib/modules/$mod" 2>/dev/null || echo "guest: insmod $mod failed"
done < /lib/modules/order
# acpid needs the event devices that evdev and button just created
acpid -c /etc/acpi -l /var/log/acpid.log
hostname vmm-guest
ip link set lo up
for opt in $(cat /proc/cmdline); do
        case "$opt" in
        vmmtest.dhcp=1)
                ip link set eth0 up
                if udhcpc -i eth0 -s /etc/dhcp-event -q -n -t 5 -T 2 >/dev/null 2>&1; then
                        echo "VMM-TEST-DHCP $(ip -4 -o addr show eth0 | awk '{print $4}')"
                else
                        echo "VMM-TEST-DHCP-FAILED"
                fi ;;
        vmmtest.fill=*)
                dd if=/dev/urandom of=/run/fill bs=1M count="${opt#*=}" 2>/dev/null
                echo "VMM-TEST-FILLED ${opt#*=}" ;;
        vmmtest.dirty=*)
                dd if=/dev/urandom of=/run/src bs=1M count="${opt#*=}" 2>/dev/null
                ( while :; do cp /run/src /run/dirty; done ) &
                echo "VMM-TEST-DIRTYING ${opt#*=}" ;;
        vmmtest.tick=1)
                ( n=0; while :; do n=$((n + 1)); echo "VMM-TEST-TICK $n"; sleep 1; done ) & ;;
        esac
done
echo "VMM-TEST-GUEST-READY uptime=$(cut -d' ' -f1 /proc/uptime)"
RC

cat > "$root/etc/acpi/PWRF/00000080" <<'PWR'
#!/bin/sh
echo "VMM-TEST-GUEST-POWEROFF" > /dev/console
if grep -q 'vmmtest.fastoff=1' /proc/cmdline; then
        sync
        exec poweroff -f
fi
exec poweroff
PWR

cat > "$root/etc/dhcp-event" <<'DHCP'
#!/bin/sh
case "$1" in
bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -z "${router:-}" ] || ip route add default via "${router%% *}" dev "$interface"
        ;;
esac
exit 0
DHCP
chmod 755 "$root/etc/rc.boot" "$root/etc/acpi/PWRF/00000080" "$root/etc/dhcp-event"

( cd "$root" && find . | sort | "$busybox" cpio -o -H newc 2>/dev/null ) | gzip -9 > "$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
echo "console=ttyS0 quiet panic=-1" > "$out/cmdline.txt"
rm -rf "$work"
echo "guest built in $out (kernel $kver)"
