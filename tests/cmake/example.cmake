# SPDX-License-Identifier: LGPL-2.1-or-later
# examples/list-domains.c built against the INSTALLED library: the test
# installs this build into a temporary prefix (cmake --install --prefix),
# compiles the example with that prefix's pkg-config file and runs it on
# test:///default. It needs a complete build, so it depends on nothing
# being stale: run it after `cmake --build`.
add_test(NAME example/list-domains-installed
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/example/test-example-install.sh
                 ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}/examples/list-domains.c)
set_tests_properties(example/list-domains-installed PROPERTIES
  LABELS example
  SKIP_RETURN_CODE 77
  TIMEOUT 120)
if(VMM_SANITIZE)
  set_tests_properties(example/list-domains-installed PROPERTIES
    ENVIRONMENT "VMM_EXAMPLE_CFLAGS=-fsanitize=address,undefined")
endif()
