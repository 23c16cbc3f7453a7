# SPDX-License-Identifier: LGPL-2.1-or-later
# The client's fast path (a waiting caller reads its own reply) against
# the vmm-echo-test daemon over a real UNIX socket.
if(TARGET test-rpc-client-leader AND TARGET vmm-echo-test)
  add_dependencies(test-rpc-client-leader vmm-echo-test)
  target_compile_definitions(test-rpc-client-leader PRIVATE
    VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>")
  set_tests_properties(unit/test-rpc-client-leader PROPERTIES TIMEOUT 120 LABELS "unit;integration")
endif()
# Busy-polling (rpc/spin.h): idle daemon and client use no CPU, idle exit,
# --spin-us and $VMM_RPC_SPIN_US, against vmm-echo-test.
if(TARGET test-daemon-spin AND TARGET vmm-echo-test)
  add_dependencies(test-daemon-spin vmm-echo-test)
  target_compile_definitions(test-daemon-spin PRIVATE
    VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>")
  set_tests_properties(unit/test-daemon-spin PROPERTIES TIMEOUT 120 LABELS "unit;integration")
endif()
