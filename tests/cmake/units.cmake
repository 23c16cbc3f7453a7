# SPDX-License-Identifier: LGPL-2.1-or-later
# The systemd units (packaging/systemd) pass `systemd-analyze verify`, run
# on the copies that point at this build's binaries (verify needs them to
# exist); the install copies are checked for their prefix paths. Skips
# (77) with a message without systemd-analyze.
if(VMM_SYSTEMD_UNITS)
  add_test(NAME packaging/systemd-units
           COMMAND sh ${CMAKE_SOURCE_DIR}/packaging/systemd/verify-units.sh
                   ${VMM_SYSTEMD_BUILD_UNIT_DIR} ${CMAKE_BINARY_DIR}/packaging/systemd/units
                   ${CMAKE_INSTALL_FULL_SBINDIR} ${VMM_SYSTEMD_UNITS})
  set_tests_properties(packaging/systemd-units PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60
                       LABELS packaging)
endif()

# Real systemd socket activation of the same units, under `systemd --user`
# in a private mount namespace (packaging/systemd/test-activation.sh);
# skips (77) when not root or without systemd, unshare, node or protobufjs.
if("vmm-proxyd.service" IN_LIST VMM_SYSTEMD_UNITS AND "vmm-qemud.service" IN_LIST VMM_SYSTEMD_UNITS)
  add_test(NAME packaging/systemd-activation
           COMMAND sh ${CMAKE_SOURCE_DIR}/packaging/systemd/test-activation.sh
                   ${VMM_SYSTEMD_BUILD_UNIT_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(packaging/systemd-activation PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
                       LABELS "packaging;integration")
endif()
