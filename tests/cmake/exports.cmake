# SPDX-License-Identifier: LGPL-2.1-or-later
# libvmm.so exports exactly the public API (tests/check-exports.sh).
add_test(NAME abi/exports
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check-exports.sh $<TARGET_FILE:vmm>
                 ${CMAKE_SOURCE_DIR}/libvmm/include)
set_tests_properties(abi/exports PROPERTIES LABELS "unit;abi")
