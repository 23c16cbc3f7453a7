#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmm-xml: validate, format, roundtrip and diff on the example guest and
# on documents made here.
. "$(dirname "$0")/lib.sh"
: "${VMM_XML:?set VMM_XML to the vmm-xml binary}"
XML="$VMM_SOURCE_DIR/examples/guest-test.xml"

run "$VMM_XML" validate "$XML"
expect_rc 0 "validate the example"
expect_line "$XML: valid (domain)" "validate the example"

printf '<domain type="test"><name>x</name><memory>abc</memory></domain>\n' >"$TMP/bad.xml"
printf '<frobnicator/>\n' >"$TMP/unknown.xml"
run "$VMM_XML" validate "$XML" "$TMP/bad.xml" "$TMP/unknown.xml"
expect_rc 1 "validate with invalid files"
expect_line "$XML: valid (domain)" "the valid file among invalid ones"
printf '%s\n' "$OUT" | grep -q "^$TMP/bad.xml: invalid: .*memory" ||
        fail "bad.xml should be invalid naming <memory>: $OUT"
printf '%s\n' "$OUT" | grep -q "^$TMP/unknown.xml: invalid: .*<frobnicator>" ||
        fail "unknown.xml should be invalid naming its root: $OUT"

# format normalizes: its output formats to itself
run "$VMM_XML" format "$XML"
expect_rc 0 "format"
expect_out_contains "<name>guest1</name>" "format"
printf '%s\n' "$OUT" >"$TMP/formatted.xml"
run "$VMM_XML" format - <"$TMP/formatted.xml"
expect_rc 0 "format from stdin"
[ "$OUT" = "$(cat "$TMP/formatted.xml")" ] || fail "format is not a fixed point"

run "$VMM_XML" roundtrip --summary "$XML" "$TMP/formatted.xml" "$TMP/bad.xml"
expect_rc 1 "roundtrip with a bad file"
expect_line "$XML: ok" "roundtrip the example"
expect_line "$TMP/formatted.xml: ok" "roundtrip the formatted example"
printf '%s\n' "$OUT" | grep -q "^$TMP/bad.xml: FAIL parse: " || fail "bad.xml should FAIL parse: $OUT"
[ "$(printf '%s\n' "$OUT" | tail -n 1)" = "2 passed, 1 failed" ] || fail "summary line: $OUT"

# diff: equal models, then one changed field
run "$VMM_XML" diff "$XML" "$TMP/formatted.xml"
expect_rc 0 "diff equal"
expect_line "equal (domain)" "diff equal"
sed 's/<vcpu placement=.static.>1</<vcpu placement="static">2</' "$XML" >"$TMP/two-vcpus.xml"
run "$VMM_XML" diff "$XML" "$TMP/two-vcpus.xml"
expect_rc 1 "diff different"
printf '%s\n' "$OUT" | grep -q "^different (domain): .*vcpu" || fail "diff should name vcpu: $OUT"
printf '%s\n' "$OUT" | grep -q '^+[0-9]*: .*<vcpu.*>2</vcpu>' || fail "diff should list the new line: $OUT"
run "$VMM_XML" diff "$XML" "$TMP/unknown.xml"
expect_rc 2 "diff with an unknown document"
expect_err_prefix "diff with an unknown document"

run "$VMM_XML" frob
expect_rc 1 "unknown command"
expect_err "error: unknown command: 'frob' (see vmm-xml --help)" "unknown command"
run "$VMM_XML" --help
expect_rc 0 "help"
expect_out_contains "roundtrip" "help"

finish
