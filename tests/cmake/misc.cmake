# SPDX-License-Identifier: LGPL-2.1-or-later
# Smaller gaps of issues 3 and 5: the guest agent client and the QEMU
# version probe (unit, with a fake agent), event registrations that survive
# a daemon restart and a pollable callback that closes its connection
# (integration, real vmm-qemud under a private VMM_ROOT). `vmmctl version`
# on qemu:// is tests/integration/qemud-version.sh (qemud.cmake's glob).
if(TARGET test-qemu-agent)
  target_link_libraries(test-qemu-agent PRIVATE vmm-driver-qemu)
endif()
# shutdown/reboot modes on the test driver, and vmmctl's --mode parser.
if(TARGET test-shutdown-mode)
  target_link_libraries(test-shutdown-mode PRIVATE vmmctl-objs)
endif()

if(TARGET vmm-qemud AND TARGET vmmctl)
  add_executable(apievents-reconnect ${CMAKE_CURRENT_SOURCE_DIR}/integration/apievents-reconnect.c)
  target_link_libraries(apievents-reconnect PRIVATE vmm Threads::Threads)
  target_include_directories(apievents-reconnect PRIVATE ${CMAKE_SOURCE_DIR}/libvmm/include)
  add_test(NAME integration/apievents-reconnect
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/apievents-reconnect.sh)
  set_tests_properties(integration/apievents-reconnect PROPERTIES
    LABELS integration
    SKIP_RETURN_CODE 77
    TIMEOUT 120
    ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${CMAKE_BINARY_DIR}/tests/misc-work;APIEVENTS_RECONNECT=$<TARGET_FILE:apievents-reconnect>;VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas")
endif()
