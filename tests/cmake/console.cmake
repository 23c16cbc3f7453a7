# SPDX-License-Identifier: LGPL-2.1-or-later
# RPC streams and the domain console. test-rpc-stream drives the client's
# streams against the daemon skeleton's in vmm-echo-test (its STREAM
# procedure); qemud-e2e-console.sh (registered with the other end-to-end
# scripts by qemud-e2e.cmake) runs `vmmctl console` on the test guest.
if(TARGET test-rpc-stream AND TARGET vmm-echo-test)
  add_dependencies(test-rpc-stream vmm-echo-test)
  target_compile_definitions(test-rpc-stream PRIVATE
    VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>")
  set_tests_properties(unit/test-rpc-stream PROPERTIES TIMEOUT 60 LABELS "unit;integration")
endif()

# bench-stream (tests/bench/bench-stream.c): stream throughput and the
# round trip of a one-byte echo against vmm-echo-test. Not a timed test.
if(TARGET vmm-echo-test)
  add_executable(bench-stream ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench-stream.c)
  target_link_libraries(bench-stream PRIVATE vmm-core)
  add_dependencies(bench-stream vmm-echo-test)
  target_compile_definitions(bench-stream PRIVATE
    VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>")
endif()
