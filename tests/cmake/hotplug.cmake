# SPDX-License-Identifier: LGPL-2.1-or-later
# Device hot-plug: the unit test of the qemu driver's hot-plug helpers
# links the qemu driver. (The end-to-end script
# integration/qemud-e2e-hotplug.sh is registered by qemud-e2e.cmake's
# glob, as e2e/qemud-e2e-hotplug.)
if(TARGET test-qemu-hotplug)
  target_link_libraries(test-qemu-hotplug PRIVATE vmm-driver-qemu)
endif()
