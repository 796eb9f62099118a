# The http-planetscale driver's source files, listed once: its CMakeLists.txt builds the driver from all of
# them, and the fuzz target http_response (fuzz/CMakeLists.txt, its libFuzzer build and its ctest replay)
# compiles the decoding part. Absolute paths.
# What the driver does with a response: its error mapping, not its HTTP client.
set(HTTP_PLANETSCALE_DECODING_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/error_mapping.cpp
  ${CMAKE_CURRENT_LIST_DIR}/driver_error.cpp)
set(HTTP_PLANETSCALE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/http_driver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/options.cpp
  ${HTTP_PLANETSCALE_DECODING_SOURCES})
