# SPDX-License-Identifier: LGPL-2.1-or-later
# Wire protocol, client connection and daemon skeleton. The test-daemon-*
# programs start the vmm-echo-test daemon (daemons/echo-test) over real
# UNIX sockets, and through systemd-socket-activate when it is installed.
foreach(t test-daemon-echo test-daemon-lifecycle)
  if(TARGET ${t} AND TARGET vmm-echo-test)
    add_dependencies(${t} vmm-echo-test)
    target_compile_definitions(${t} PRIVATE
      VMM_ECHO_TEST_DAEMON="$<TARGET_FILE:vmm-echo-test>")
    set_tests_properties(unit/${t} PROPERTIES TIMEOUT 120 LABELS "unit;integration")
  endif()
endforeach()
foreach(t test-rpc-frame test-rpc-client test-rpc-proc-table)
  if(TARGET ${t})
    set_tests_properties(unit/${t} PROPERTIES TIMEOUT 60)
  endif()
endforeach()
