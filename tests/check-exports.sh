#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check-exports.sh LIBVMM_SO INCLUDE_DIR
# Checks that libvmm.so exports exactly the functions declared VMM_EXPORT in
# the public headers (INCLUDE_DIR/vmm/*.h), nothing else, each with the
# symbol version VMM_0.1.
set -eu

lib=$1
incdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -f "$lib" ] || { echo "check-exports: $lib does not exist" >&2; exit 1; }

# Declared: the identifier before "(" on every VMM_EXPORT line.
grep -h 'VMM_EXPORT' "$incdir"/vmm/*.h | grep -v '#define' |
        sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/' | sort -u >"$tmp/declared"
if grep -h 'VMM_EXPORT' "$incdir"/vmm/*.h | grep -v '#define' | grep -qv '('; then
        echo "check-exports: a VMM_EXPORT declaration does not name its function on the same line:" >&2
        grep -h 'VMM_EXPORT' "$incdir"/vmm/*.h | grep -v '#define' | grep -v '(' >&2
        exit 1
fi

# Exported: every defined dynamic symbol, with its version.
nm -D --defined-only "$lib" >"$tmp/nm"
# The version node itself shows as an absolute symbol "A VMM_0.1".
grep -v ' A VMM_0\.1$' "$tmp/nm" | awk '{print $3}' | sort -u >"$tmp/exported-versioned"
sed -E 's/@.*//' "$tmp/exported-versioned" | sort -u >"$tmp/exported"

status=0
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
unversioned=$(grep -v '@@VMM_0\.1$' "$tmp/exported-versioned" || true)
if [ -n "$missing" ]; then
        echo "check-exports: declared in the public headers but not exported by $lib:" >&2
        echo "$missing" | sed 's/^/  /' >&2
        status=1
fi
if [ -n "$extra" ]; then
        echo "check-exports: exported by $lib but not declared VMM_EXPORT in a public header:" >&2
        echo "$extra" | sed 's/^/  /' >&2
        status=1
fi
if [ -n "$unversioned" ]; then
        echo "check-exports: exported without the version VMM_0.1:" >&2
        echo "$unversioned" | sed 's/^/  /' >&2
        status=1
fi
if ! grep -q ' A VMM_0\.1$' "$tmp/nm"; then
        echo "check-exports: $lib defines no version node VMM_0.1" >&2
        status=1
fi
if [ $status -eq 0 ]; then
        echo "check-exports: $(wc -l <"$tmp/declared") functions exported, all @@VMM_0.1, nothing else"
fi
exit $status
