# The driver kit's source files, listed once: plugins/CMakeLists.txt builds migrate_driver_kit from them, and
# the fuzz build (fuzz/CMakeLists.txt, MIGRATE_FUZZ=ON) compiles them with its own instrumentation. Absolute paths.
set(MIGRATE_DRIVER_KIT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/driver_kit.cpp)
