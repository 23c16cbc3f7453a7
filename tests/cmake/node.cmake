# SPDX-License-Identifier: LGPL-2.1-or-later
# An independent client: Node.js + protobufjs (tests/node, installed with
# `npm ci --prefix tests/node` from the committed package-lock.json) speaks
# the protocol from the .proto files to vmm-proxyd and vmm-qemud. Skips
# (77) with a message when node or protobufjs is absent.
if(TARGET vmm-proxyd AND TARGET vmm-qemud AND TARGET vmm-echo-test)
  add_test(NAME integration/node-client COMMAND sh ${CMAKE_SOURCE_DIR}/tests/node/run.sh)
  set_tests_properties(integration/node-client PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 60 LABELS integration
    ENVIRONMENT "VMM_PROXYD=$<TARGET_FILE:vmm-proxyd>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>:$<TARGET_FILE_DIR:vmm-echo-test>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endif()
