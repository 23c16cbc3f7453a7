# SPDX-License-Identifier: LGPL-2.1-or-later
# vmm-qemud's durable store and speed: the store's journal (unit tests
# compile the store's files, as test-qemu-domains does), and the crash test
# (kill -9 in the middle of a define storm; every define that returned is
# there after restart, nothing is corrupt).
set(VMM_QEMUDPERF_STORE_SOURCES
  ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-journal.c
  ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-journal-replay.c
  ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-journal-files.c
  ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains-journal.c)
if(TARGET test-qemu-domains)
  target_sources(test-qemu-domains PRIVATE ${VMM_QEMUDPERF_STORE_SOURCES})
endif()
if(TARGET test-qemu-journal)
  target_sources(test-qemu-journal PRIVATE
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains.c
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains-load.c
    ${VMM_QEMUDPERF_STORE_SOURCES})
  target_include_directories(test-qemu-journal PRIVATE ${CMAKE_SOURCE_DIR}/drivers/qemu)
endif()
if(TARGET test-qemu-journal-files)
  target_sources(test-qemu-journal-files PRIVATE
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains.c
    ${CMAKE_SOURCE_DIR}/drivers/qemu/qemu-domains-load.c
    ${VMM_QEMUDPERF_STORE_SOURCES})
  target_include_directories(test-qemu-journal-files PRIVATE ${CMAKE_SOURCE_DIR}/drivers/qemu)
endif()

# kill -9 in the middle of a define storm (real daemon, private VMM_ROOT).
if(TARGET vmm-qemud AND TARGET vmmctl)
  add_executable(qemudperf-storm ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemudperf-storm.c)
  target_link_libraries(qemudperf-storm PRIVATE vmm Threads::Threads)
  add_test(NAME integration/qemudperf-crash
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemudperf-crash.sh)
  set_tests_properties(integration/qemudperf-crash PROPERTIES
    LABELS integration
    SKIP_RETURN_CODE 77
    TIMEOUT 120
    ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${CMAKE_BINARY_DIR}/tests/qemud-work;QEMUDPERF_STORM=$<TARGET_FILE:qemudperf-storm>")
endif()

# vmm-qemud's sd_notify messages and journal fields (libsystemd).
if(TARGET vmm-qemud AND TARGET vmmctl)
  add_test(NAME integration/qemudperf-sd
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/qemudperf-sd.sh)
  set_tests_properties(integration/qemudperf-sd PROPERTIES
    LABELS integration
    SKIP_RETURN_CODE 77
    TIMEOUT 60
    ENVIRONMENT "VMMCTL=$<TARGET_FILE:vmmctl>;VMM_QEMUD=$<TARGET_FILE:vmm-qemud>;VMM_DAEMON_DIR=$<TARGET_FILE_DIR:vmm-qemud>;VMM_SOURCE_DIR=${CMAKE_SOURCE_DIR};VMM_TEST_WORK=${CMAKE_BINARY_DIR}/tests/qemud-work")
endif()
