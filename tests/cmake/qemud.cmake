# SPDX-License-Identifier: LGPL-2.1-or-later
# vmm-qemud integration tests: real processes (vmmctl, the daemon started on
# demand or through systemd-socket-activate, a 64-client C program), each in
# a private VMM_ROOT under the build tree, leaving no process behind.
if(TARGET vmm-qemud AND TARGET vmmctl)
  set(VMM_QEMUD_WORK ${CMAKE_BINARY_DIR}/tests/qemud-work)
  add_executable(qemud-clients ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemud-clients.c)
  target_link_libraries(qemud-clients PRIVATE vmm-core vmm-drivers-inproc Threads::Threads)
  file(GLOB VMM_QEMUD_TESTS CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemud-*.sh)
  list(FILTER VMM_QEMUD_TESTS EXCLUDE REGEX "qemud-lib\\.sh$")
  list(FILTER VMM_QEMUD_TESTS EXCLUDE REGEX "qemud-e2e-") # qemud-e2e.cmake
  if(TARGET vmm-proxyd)
    set(VMM_QEMUD_PROXYD_DIR "$<TARGET_FILE_DIR:vmm-proxyd>")
  else()
    set(VMM_QEMUD_PROXYD_DIR "")
  endif()
  foreach(script ${VMM_QEMUD_TESTS})
    get_filename_component(name ${script} NAME_WE)
    add_test(NAME integration/${name} COMMAND bash ${script})
    set_tests_properties(integration/${name} PROPERTIES
      LABELS integration
      SKIP_RETURN_CODE 77
      TIMEOUT 120
      ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${VMM_QEMUD_WORK};QEMUD_CLIENTS=$<TARGET_FILE:qemud-clients>;VMM_PROXYD_DIR=${VMM_QEMUD_PROXYD_DIR};VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas")
  endforeach()
endif()

# The store's unit test compiles the store's files (vmm-qemud does the same
# until it links the whole qemu driver).
if(TARGET test-qemu-domains)
  target_sources(test-qemu-domains PRIVATE
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains.c
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains-load.c)
  target_include_directories(test-qemu-domains PRIVATE ${CMAKE_SOURCE_DIR}/drivers/qemu)
endif()
