# SPDX-License-Identifier: LGPL-2.1-or-later
# Fuzzing the XML models with libFuzzer (tests/fuzz/). Two halves:
#  - a build configured with CC=clang -DVMM_FUZZ=ON and
#    CMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" (tests/fuzz/run-fuzz.sh
#    makes one) builds the targets fuzz-domain ... fuzz-roundtrip;
#  - any other build registers the ctest fuzz/short, which runs
#    run-fuzz.sh: it configures that clang build under this build dir,
#    builds the targets and runs each for VMM_FUZZ_SECONDS (10; 60 with
#    VMM_LONG_TESTS=1) from the seed corpus, failing on any crash. It
#    skips (77) when clang or its libFuzzer runtime is missing.
option(VMM_FUZZ "Build the libFuzzer targets (clang only)" OFF)
set(VMM_FUZZ_TARGETS domain network pool vol secret nodedev roundtrip)

if(VMM_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "VMM_FUZZ=ON needs clang (CC=clang): libFuzzer is part of clang; "
                        "tests/fuzz/run-fuzz.sh configures such a build")
  endif()
  if(NOT CMAKE_C_FLAGS MATCHES "-fsanitize=[^ ]*fuzzer")
    message(FATAL_ERROR "VMM_FUZZ=ON needs the whole tree instrumented: add "
                        "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link (as tests/fuzz/run-fuzz.sh does)")
  endif()
  set(_vmm_fuzz_all)
  foreach(t ${VMM_FUZZ_TARGETS})
    add_executable(fuzz-${t} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz-${t}.c)
    target_include_directories(fuzz-${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    target_link_libraries(fuzz-${t} PRIVATE vmm-core vmm-drivers-inproc)
    target_link_options(fuzz-${t} PRIVATE -fsanitize=fuzzer)
    list(APPEND _vmm_fuzz_all fuzz-${t})
  endforeach()
  add_custom_target(fuzz-targets DEPENDS ${_vmm_fuzz_all})
elseif(NOT VMM_SANITIZE)
  # Once per suite: the fuzz build is instrumented with ASan and UBSan
  # itself, so the sanitizer pass of tests/run-all.sh need not repeat it.
  # A fixed seed makes the short run repeatable (VMM_FUZZ_SEED overrides).
  add_test(NAME fuzz/short COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run-fuzz.sh)
  set_tests_properties(fuzz/short PROPERTIES
    SKIP_RETURN_CODE 77
    LABELS fuzz
    TIMEOUT 3600
    ENVIRONMENT "VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_CORPUS_DIR=${VMM_CORPUS_DIR};VMM_FUZZ_BUILD_DIR=${CMAKE_BINARY_DIR}/fuzz;VMM_FUZZ_SEED=$ENV{VMM_FUZZ_SEED}")
endif()
