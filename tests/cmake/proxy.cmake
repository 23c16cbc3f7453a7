# SPDX-License-Identifier: LGPL-2.1-or-later
# vmm-proxyd with real processes: the proxy starts the vmm-echo-test daemon
# on demand under a private VMM_ROOT (tests/integration/test-proxy.c).
if(TARGET vmm-proxyd AND TARGET vmm-echo-test)
  add_executable(test-proxy ${CMAKE_CURRENT_SOURCE_DIR}/integration/test-proxy.c)
  target_link_libraries(test-proxy PRIVATE vmm-core PkgConfig::CMOCKA Threads::Threads)
  add_dependencies(test-proxy vmm-proxyd vmm-echo-test)
  target_compile_definitions(test-proxy PRIVATE
    VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>"
    VMM_PROXYD="$<TARGET_FILE:vmm-proxyd>")
  if(TARGET vmm-qemud)
    add_dependencies(test-proxy vmm-qemud)
    target_compile_definitions(test-proxy PRIVATE VMM_QEMUD_DIR="$<TARGET_FILE_DIR:vmm-qemud>")
  endif()
  add_test(NAME integration/proxy COMMAND test-proxy)
  set_tests_properties(integration/proxy PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180
                       LABELS integration)
endif()

# Benchmark (run by hand, preferably from a Release build): calls/s
# directly on a daemon and through vmm-proxyd, 1 and 8 clients.
#   cmake --build build-rel --target bench-proxy && build-rel/tests/bench-proxy
if(TARGET vmm-proxyd AND TARGET vmm-qemud AND TARGET vmm-echo-test)
  add_executable(bench-proxy ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench-proxy.c)
  target_link_libraries(bench-proxy PRIVATE vmm-core Threads::Threads)
  add_dependencies(bench-proxy vmm-proxyd vmm-qemud vmm-echo-test)
  target_compile_definitions(bench-proxy PRIVATE
    BENCH_PROXYD="$<TARGET_FILE:vmm-proxyd>"
    BENCH_QEMUD_DIR="$<TARGET_FILE_DIR:vmm-qemud>"
    BENCH_ECHO_DIR="$<TARGET_FILE_DIR:vmm-echo-test>")
endif()
