# SPDX-License-Identifier: LGPL-2.1-or-later
# The QEMU process manager (drivers/qemu/qemu-process*.c): unit tests
# against fake-qemu, integration tests on real QEMU, and its benchmark.
add_executable(fake-qemu ${CMAKE_CURRENT_SOURCE_DIR}/helpers/fake-qemu.c)
target_link_libraries(fake-qemu PRIVATE PkgConfig::JSONC)

if(TARGET test-qemu-process)
  target_link_libraries(test-qemu-process PRIVATE vmm-driver-qemu)
  add_dependencies(test-qemu-process fake-qemu)
  target_compile_definitions(test-qemu-process PRIVATE
    FAKE_QEMU_PATH="$<TARGET_FILE:fake-qemu>")
  set_tests_properties(unit/test-qemu-process PROPERTIES TIMEOUT 60)
endif()

# Real QEMU (TCG): skips (77) without qemu-system-x86_64. The test guest
# (tests/guest/make-guest.sh) is built once into the build tree.
set(VMM_TEST_GUEST_DIR "${CMAKE_BINARY_DIR}/guest")
add_executable(test-qemu-process-qemu
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/test-qemu-process.c)
target_link_libraries(test-qemu-process-qemu PRIVATE vmm-core vmm-drivers-inproc
  vmm-driver-qemu PkgConfig::CMOCKA)
target_compile_definitions(test-qemu-process-qemu PRIVATE
  VMM_TEST_GUEST_DIR="${VMM_TEST_GUEST_DIR}"
  VMM_MAKE_GUEST="${CMAKE_CURRENT_SOURCE_DIR}/guest/make-guest.sh")
add_test(NAME integration/qemu-process COMMAND test-qemu-process-qemu)
set_tests_properties(integration/qemu-process PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
  LABELS integration)
