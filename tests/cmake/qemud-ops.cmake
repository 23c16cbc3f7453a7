# SPDX-License-Identifier: LGPL-2.1-or-later
# Runtime operations (domblklist, domiflist, domstats, setmem,
# qemu-monitor-command). The end-to-end script
# tests/integration/qemud-e2e-ops.sh is registered as e2e/qemud-e2e-ops by
# the glob of qemud-e2e.cmake (same environment as the other e2e scripts);
# here it gets its own label. The test-driver side runs in
# tests/cli/test-domops.sh and tests/unit/test-api-domain-ops.c.
if(TEST e2e/qemud-e2e-ops)
  set_tests_properties(e2e/qemud-e2e-ops PROPERTIES LABELS "e2e;integration;ops")
endif()

# vmmctl's setmem sizes and domstats arguments link vmmctl's objects.
if(TARGET test-vmmctl-domops)
  target_link_libraries(test-vmmctl-domops PRIVATE vmmctl-objs)
endif()
