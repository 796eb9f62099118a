# The wire format library's source files, listed once: psdb/CMakeLists.txt builds psdb_wire from them, and the
# fuzz build (fuzz/CMakeLists.txt, MIGRATE_FUZZ=ON) compiles them with its own instrumentation. Absolute paths.
set(PSDB_WIRE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/base64.cpp
  ${CMAKE_CURRENT_LIST_DIR}/errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/messages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/types.cpp)
