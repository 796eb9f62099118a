// What the packaging tests share about running an installed tree.
#pragma once

#include <map>
#include <string>

namespace testing {

// An environment that points at nothing of the build tree or the developer's machine: an installed tree must
// find its library, drivers and CMake/pkg-config files by itself.
inline const std::map<std::string, std::string> clean_env{{"LD_LIBRARY_PATH", ""},   {"MIGRATE_DRIVER_PATH", ""},
                                                          {"DATABASE_URL", ""},      {"MIGRATIONS_DIR", ""},
                                                          {"CMAKE_PREFIX_PATH", ""}, {"PKG_CONFIG_PATH", ""}};

}  // namespace testing
