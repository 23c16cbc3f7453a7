# SPDX-License-Identifier: LGPL-2.1-or-later
# The corpus test: every document of ../shared/corpus through our models
# (parse, schema, format, schema, parse, compare). Skips (77) without the
# corpus. It fails on a round-trip bug, an accepted "-invalid" file, or a
# kind whose coverage is under VMM_CORPUS_MIN_PCT (95 %, issue 4's target).
add_executable(test-corpus ${CMAKE_CURRENT_SOURCE_DIR}/corpus/test-corpus.c)
target_link_libraries(test-corpus PRIVATE vmm-core vmm-drivers-inproc)
target_compile_definitions(test-corpus PRIVATE VMM_CORPUS_DIR="${VMM_CORPUS_DIR}")
add_test(NAME corpus/roundtrip COMMAND test-corpus)
set_tests_properties(corpus/roundtrip PROPERTIES
  SKIP_RETURN_CODE 77
  LABELS corpus
  TIMEOUT 600
  ENVIRONMENT "VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas;VMM_CORPUS_MIN_PCT=95")
