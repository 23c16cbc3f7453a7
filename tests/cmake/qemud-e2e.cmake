# SPDX-License-Identifier: LGPL-2.1-or-later
# End-to-end tests of vmm-qemud on real QEMU (TCG): the test guest
# (tests/guest/make-guest.sh, built once into the build tree) defined,
# started, controlled and stopped through vmmctl on qemu:///session under a
# private VMM_ROOT. They skip (77) without qemu-system-x86_64; each kills
# every QEMU and daemon it started. (qemud.cmake leaves these scripts out.)
if(TARGET vmm-qemud AND TARGET vmmctl)
  set(VMM_E2E_GUEST_DIR "${CMAKE_BINARY_DIR}/guest")
  add_executable(qemud-e2e-watch ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemud-e2e-watch.c)
  target_link_libraries(qemud-e2e-watch PRIVATE vmm-core vmm-drivers-inproc Threads::Threads)
  file(GLOB VMM_QEMUD_E2E_TESTS CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemud-e2e-*.sh)
  list(FILTER VMM_QEMUD_E2E_TESTS EXCLUDE REGEX "qemud-e2e-lib\\.sh$")
  foreach(script ${VMM_QEMUD_E2E_TESTS})
    get_filename_component(name ${script} NAME_WE)
    add_test(NAME e2e/${name} COMMAND bash ${script})
    set_tests_properties(e2e/${name} PROPERTIES
      LABELS "e2e;integration"
      SKIP_RETURN_CODE 77
      TIMEOUT 180
      ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${CMAKE_BINARY_DIR}/tests/qemud-e2e-work;VMM_TEST_GUEST_DIR=${VMM_E2E_GUEST_DIR};QEMUD_E2E_WATCH=$<TARGET_FILE:qemud-e2e-watch>;VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas")
  endforeach()
endif()

# The driver module's unit test runs fake-qemu (qemu-process.cmake).
if(TARGET test-qemu-driver)
  target_link_libraries(test-qemu-driver PRIVATE vmm-driver-qemu)
  add_dependencies(test-qemu-driver fake-qemu)
  target_compile_definitions(test-qemu-driver PRIVATE FAKE_QEMU_PATH="$<TARGET_FILE:fake-qemu>")
  set_tests_properties(unit/test-qemu-driver PROPERTIES TIMEOUT 60)
endif()
