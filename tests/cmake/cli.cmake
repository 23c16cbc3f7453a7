# SPDX-License-Identifier: LGPL-2.1-or-later
# vmmctl and vmm-xml: the argument parser's unit test links vmmctl's
# objects (all of vmmctl but main.c and the shell); the end-to-end
# scripts in tests/cli/ run the built tools on test:///default.

if(TARGET test-vmmctl-args)
  target_link_libraries(test-vmmctl-args PRIVATE vmmctl-objs)
endif()

find_program(VMM_PYTHON3 python3)
file(GLOB VMM_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/test-*.sh)
foreach(script ${VMM_CLI_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME cli/${name} COMMAND sh ${script})
  set_tests_properties(cli/${name} PROPERTIES
    LABELS cli
    SKIP_RETURN_CODE 77
    TIMEOUT 60
    ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_XML=$<TARGET_FILE:vmm-xml>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schemas;VMM_CORPUS_DIR=${VMM_CORPUS_DIR};PYTHON3=${VMM_PYTHON3};VMM_DEFAULT_URI=test:///default")
endforeach()
