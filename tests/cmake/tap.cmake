# SPDX-License-Identifier: LGPL-2.1-or-later
# Taps for guest NICs (drivers/qemu/qemu-tap.c).
# - unit/test-qemu-tap links the qemu driver (and so libnl-route-3); its
#   kernel-facing cases run in a private network namespace of their own
#   and skip with a message without one.
# - e2e/qemud-e2e-tap (tests/integration/qemud-e2e-tap.sh) needs nothing
#   here: qemud-e2e.cmake registers every integration/qemud-e2e-*.sh with
#   the e2e environment and time limit. It builds the test guest, then
#   re-runs itself under `unshare --net --mount` (skips, 77, without
#   namespaces or /dev/net/tun).
if(TARGET test-qemu-tap)
  target_link_libraries(test-qemu-tap PRIVATE vmm-driver-qemu)
  set_tests_properties(unit/test-qemu-tap PROPERTIES TIMEOUT 30)
endif()
