// baseline.json + snapshot.sql on disk: the format `migrate baseline create` writes (docs/baseline.md).
#pragma once

#include <migrate/baseline.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace migrate {

// The `when` of a baseline's snapshot (Baseline::snapshot.when), under which the progress table records a
// half-done load: drizzle-kit writes millisecond timestamps, so no migration has it.
inline constexpr std::int64_t baseline_progress_key = -1;

}  // namespace migrate

namespace migrate::baseline {

inline constexpr int format_version = 1;
inline constexpr const char* metadata_file = "baseline.json";
inline constexpr const char* snapshot_file = "snapshot.sql";

// What baseline.json records besides the covered migrations.
struct SnapshotCounts {
    std::size_t tables = 0;
    std::size_t views = 0;
    std::size_t rows = 0;
    std::size_t statements = 0;
};

// Writes both files into `dir` atomically as a pair: into a sibling temporary folder first, which then
// replaces `dir`, so a failure never leaves a half-written baseline.
void write_baseline(const std::filesystem::path& dir, const Source& source, std::size_t covered,
                    const std::string& server, const SnapshotCounts& counts, const std::string& snapshot_sql);

}  // namespace migrate::baseline
