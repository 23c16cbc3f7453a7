# SPDX-License-Identifier: LGPL-2.1-or-later
# The wire protocol's messages: protoc-c turns each schemas/*.proto into
# ${CMAKE_BINARY_DIR}/generated/<name>.pb-c.{c,h} at build time, and the
# generated code is compiled into vmm-core. Included from
# libvmm/CMakeLists.txt so that the generating rules live in the same
# directory as the target that compiles their output.
if(NOT TARGET PkgConfig::PROTOBUFC) # normally found once at the top level
  pkg_check_modules(PROTOBUFC REQUIRED IMPORTED_TARGET libprotobuf-c>=1.4)
endif()
find_program(PROTOC_C_EXECUTABLE NAMES protoc-c REQUIRED
             DOC "protobuf-c compiler (package protobuf-c-compiler)")

set(VMM_PROTO_DIR "${CMAKE_SOURCE_DIR}/schemas")
set(VMM_GENERATED_DIR "${CMAKE_BINARY_DIR}/generated")
file(MAKE_DIRECTORY "${VMM_GENERATED_DIR}")

file(GLOB VMM_PROTO_FILES CONFIGURE_DEPENDS "${VMM_PROTO_DIR}/*.proto")
set(VMM_PROTO_SOURCES)
set(VMM_PROTO_HEADERS)
foreach(proto ${VMM_PROTO_FILES})
  get_filename_component(stem ${proto} NAME_WE)
  set(out_c "${VMM_GENERATED_DIR}/${stem}.pb-c.c")
  set(out_h "${VMM_GENERATED_DIR}/${stem}.pb-c.h")
  add_custom_command(
    OUTPUT ${out_c} ${out_h}
    COMMAND ${PROTOC_C_EXECUTABLE} --c_out=${VMM_GENERATED_DIR}
            --proto_path=${VMM_PROTO_DIR} ${proto}
    DEPENDS ${proto}
    COMMENT "protoc-c ${stem}.proto"
    VERBATIM)
  list(APPEND VMM_PROTO_SOURCES ${out_c})
  list(APPEND VMM_PROTO_HEADERS ${out_h})
endforeach()

# Other targets that include the generated headers (daemons, tests) depend
# on this target so the headers exist before they compile.
add_custom_target(vmm-proto-generated DEPENDS ${VMM_PROTO_SOURCES} ${VMM_PROTO_HEADERS})

target_sources(vmm-core PRIVATE ${VMM_PROTO_SOURCES} ${VMM_PROTO_HEADERS})
target_include_directories(vmm-core PUBLIC "${VMM_GENERATED_DIR}")
target_link_libraries(vmm-core PUBLIC PkgConfig::PROTOBUFC)
# protoc-c output is not ours to keep warning-free under -Wmissing-prototypes.
set_source_files_properties(${VMM_PROTO_SOURCES} PROPERTIES
  COMPILE_OPTIONS "-Wno-missing-prototypes;-Wno-unused-parameter")

install(FILES ${VMM_PROTO_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/vmm/protocol)
