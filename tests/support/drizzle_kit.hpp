// The real drizzle-kit from npm (tests/interop/kit-generate.mjs) generating migrations from the TypeScript
// schemas of tests/interop/kit-schemas, for the interop tests that check drizzle-kit keeps working with
// what libmigrate writes.
#pragma once

#include "checks.hpp"
#include "process.hpp"

#include <filesystem>
#include <string>

namespace testing {

inline std::string kit_schema(const std::string& name) {
    return (std::filesystem::path(MIGRATE_INTEROP_DIR) / "kit-schemas" / (name + ".ts")).string();
}

// `drizzle-kit generate --name NAME` into `dir` from schema `schema_name`; fails the test when it fails.
inline ProcessResult kit_generate(const std::filesystem::path& dir, const std::string& schema_name,
                                  const std::string& name) {
    auto r = run_node("kit-generate.mjs",
                      {"generate", "--dir", dir.string(), "--schema", kit_schema(schema_name), "--name", name});
    require_ok(r, "drizzle-kit generate");
    return r;
}

}  // namespace testing
