#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Checks the generated systemd units: the copies that run this build's
# binaries pass `systemd-analyze verify` without a single diagnostic, and
# the copies to install run <prefix>/sbin/<daemon> --timeout 120.
# Usage: verify-units.sh BUILD_UNIT_DIR INSTALL_UNIT_DIR SBINDIR UNIT...
set -u
build_dir=$1 install_dir=$2 sbindir=$3
shift 3
if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "SKIP: systemd-analyze is not installed (apt-get install systemd)"
        exit 77
fi
[ $# -gt 0 ] || { echo "FAIL: no unit given"; exit 1; }
status=0
files=
for unit in "$@"; do
        files="$files $build_dir/$unit"
        case $unit in
        *.service)
                daemon=${unit%.service}
                want="ExecStart=$sbindir/$daemon --timeout 120"
                if ! grep -qxF "$want" "$install_dir/$unit"; then
                        echo "FAIL: $install_dir/$unit lacks '$want'"
                        status=1
                fi
                for key in Type=notify KillMode=process; do
                        grep -qx "$key" "$install_dir/$unit" ||
                                { echo "FAIL: $unit lacks $key"; status=1; }
                done
                ;;
        *-ro.socket)
                grep -qx 'SocketMode=0666' "$install_dir/$unit" &&
                        grep -qx 'FileDescriptorName=ro' "$install_dir/$unit" ||
                        { echo "FAIL: $unit is not a read-only (0666, \"ro\") socket"; status=1; }
                ;;
        *.socket)
                grep -qx 'SocketMode=0600' "$install_dir/$unit" &&
                        grep -qx 'FileDescriptorName=rw' "$install_dir/$unit" ||
                        { echo "FAIL: $unit is not a read-write (0600, \"rw\") socket"; status=1; }
                ;;
        esac
done
# shellcheck disable=SC2086
out=$(systemd-analyze verify $files 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL: systemd-analyze verify (exit $rc):"
        echo "$out"
        status=1
fi
[ $status -eq 0 ] && echo "OK: $# units verified:$(printf ' %s' "$@")"
exit $status
