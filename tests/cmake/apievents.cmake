# SPDX-License-Identifier: LGPL-2.1-or-later
# Client-side events and deadlines against a real vmm-qemud: per-call
# deadlines (SIGSTOPped daemon) and pollable events through the public API,
# and `vmmctl event` in one process while another changes domains. The
# scripts reuse tests/integration/qemud-lib.sh (private VMM_ROOT, no
# daemon left behind).
if(TARGET vmm-qemud AND TARGET vmmctl)
  add_executable(apievents-remote ${CMAKE_CURRENT_SOURCE_DIR}/integration/apievents-remote.c)
  target_link_libraries(apievents-remote PRIVATE vmm Threads::Threads)
  target_include_directories(apievents-remote PRIVATE ${CMAKE_SOURCE_DIR}/libvmm/include)
  foreach(name apievents-deadline-poll apievents-cli-event)
    add_test(NAME integration/${name}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/${name}.sh)
    set_tests_properties(integration/${name} PROPERTIES
      LABELS integration
      SKIP_RETURN_CODE 77
      TIMEOUT 120
      ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${CMAKE_BINARY_DIR}/tests/apievents-work;APIEVENTS_REMOTE=$<TARGET_FILE:apievents-remote>;VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas")
  endforeach()
endif()
