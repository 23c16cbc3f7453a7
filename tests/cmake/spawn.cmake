# SPDX-License-Identifier: LGPL-2.1-or-later
# The on-demand spawner is tested against a tiny socket-activated daemon.
add_executable(fake-activated ${CMAKE_CURRENT_SOURCE_DIR}/helpers/fake-activated.c)
target_link_libraries(fake-activated PRIVATE PkgConfig::LIBSYSTEMD)
if(TARGET test-spawn)
  add_dependencies(test-spawn fake-activated)
  target_compile_definitions(test-spawn PRIVATE
    FAKE_DAEMON_PATH="$<TARGET_FILE:fake-activated>")
endif()
