# SPDX-License-Identifier: LGPL-2.1-or-later
# save / restore / managedsave. The unit tests of the image header
# (test-save-image) and of the API on the test driver
# (test-api-domain-save) need nothing more than the default unit-test
# set-up; the CLI test (tests/cli/test-save.sh) is picked up by cli.cmake
# and the end-to-end test (tests/integration/qemud-e2e-save.sh) by
# qemud-e2e.cmake. Here: the QMP client's fd-passing test links the qemu
# driver (it holds qmp.c).
if(TARGET test-qmp-fd)
  target_link_libraries(test-qmp-fd PRIVATE vmm-driver-qemu)
endif()
