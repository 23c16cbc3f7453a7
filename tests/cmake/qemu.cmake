# SPDX-License-Identifier: LGPL-2.1-or-later
# Unit tests of the qemu driver link its object library too.
foreach(t test-qmp test-qemu-command)
  if(TARGET ${t})
    target_link_libraries(${t} PRIVATE vmm-driver-qemu)
  endif()
endforeach()

# The QMP client against a real QEMU (skips without qemu-system-x86_64).
add_executable(test-qmp-qemu ${CMAKE_CURRENT_SOURCE_DIR}/integration/test-qmp-qemu.c)
target_link_libraries(test-qmp-qemu PRIVATE vmm-core vmm-drivers-inproc vmm-driver-qemu)
add_test(NAME integration/qmp-qemu COMMAND test-qmp-qemu)
set_tests_properties(integration/qmp-qemu PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60
                     LABELS integration)

# The command lines of the qemu-command builder run by the real QEMU
# (skips without qemu-system-x86_64).
add_executable(test-qemu-command-exec
               ${CMAKE_CURRENT_SOURCE_DIR}/integration/test-qemu-command-exec.c)
target_link_libraries(test-qemu-command-exec PRIVATE vmm-core vmm-drivers-inproc vmm-driver-qemu)
target_compile_definitions(test-qemu-command-exec PRIVATE VMM_TEST_DATA_DIR="${VMM_TEST_DATA_DIR}")
add_test(NAME integration/qemu-command-exec COMMAND test-qemu-command-exec)
set_tests_properties(integration/qemu-command-exec PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
                     LABELS integration)
