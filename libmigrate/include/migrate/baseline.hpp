// Baseline snapshots: a fresh database built in one step from <migrations>/baseline/ instead of replaying
// every migration, and adoption of a database created outside (docs/baseline.md).
//
//   <migrations>/baseline/baseline.json   what the snapshot covers: the last migration, every covered
//                                         migration's tag, when and hash, the snapshot's own sha256
//   <migrations>/baseline/snapshot.sql    tables (foreign-key-safe order), the rows the migrations inserted,
//                                         views; statements separated by `--> statement-breakpoint`
#pragma once

#include <migrate/export.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

// One migration a baseline covers, as it was when the snapshot was made.
struct BaselineMigration {
    std::string tag;
    std::int64_t when = 0;
    std::string hash;
};

struct Baseline {
    std::filesystem::path dir;               // <migrations>/baseline (or the configured folder)
    std::string through;                     // tag of the last covered migration
    std::vector<BaselineMigration> covered;  // the first covered.size() migrations of the folder, in order
    std::string server;                      // server version the snapshot was made on
    std::string created_by;                  // "libmigrate <version>"
    std::size_t tables = 0;
    std::size_t rows = 0;
    // snapshot.sql as a migration the runner can apply statement by statement, resumably: tag "baseline",
    // file snapshot.sql, hash = sha256 of the file, when = -1 (its key in the progress table).
    Migration snapshot;
    // Why the baseline no longer describes the folder (empty: usable), e.g. a covered migration edited since
    // the snapshot was made, or snapshot.sql edited by hand. A stale baseline is never applied.
    std::vector<std::string> problems;

    bool usable() const { return problems.empty(); }
};

// Reads <dir>/baseline.json and <dir>/snapshot.sql and checks them against the folder's migrations.
// nullopt when `dir` does not exist (no baseline). Throws migrate::error(errc::baseline_invalid) naming
// the file and key when the files cannot be read or are not what `migrate baseline create` writes;
// a baseline that is well-formed but stale is returned with `problems` filled.
MIGRATE_API std::optional<Baseline> read_baseline(const std::filesystem::path& dir, const Source& source);

// <migrations_dir>/baseline: where `baseline create` writes and `up` looks by default.
MIGRATE_API std::filesystem::path default_baseline_dir(const std::filesystem::path& migrations_dir);

// `migrate baseline create`: replays the folder's migrations (through `through`, default all) into a scratch
// database created on `scratch_server_url`'s server (and dropped afterwards), dumps it and writes
// baseline.json + snapshot.sql into `baseline_dir` (replacing what was there only once everything succeeded).
struct BaselineCreateOptions {
    std::filesystem::path migrations_dir;
    std::filesystem::path baseline_dir{};  // empty: default_baseline_dir(migrations_dir)
    std::string scratch_server_url;        // a server where a scratch database may be created and dropped
    std::optional<std::string> through{};  // last migration to cover (default: the newest)
    std::string table = "__drizzle_migrations";
};
struct BaselineCreateReport {
    std::filesystem::path dir;
    std::string through;
    std::size_t migrations = 0;  // covered
    std::size_t tables = 0;
    std::size_t views = 0;
    std::size_t rows = 0;
    std::size_t statements = 0;  // in snapshot.sql
};
MIGRATE_API BaselineCreateReport create_baseline(const BaselineCreateOptions& options);

// `migrate baseline verify`: builds the replay and the snapshot side by side in two scratch databases and
// compares tables (SHOW CREATE TABLE, AUTO_INCREMENT counters aside), views, every row and the tracking
// rows. Values the migrations do not determine (uuid(), now(), column defaults that read the clock) are
// found by a second replay and compared for NULL-ness only; they are listed in the report.
struct BaselineVerifyOptions {
    std::filesystem::path migrations_dir;
    std::filesystem::path baseline_dir{};  // empty: default_baseline_dir(migrations_dir)
    std::string scratch_server_url;
    std::string table = "__drizzle_migrations";
};
struct BaselineVerifyReport {
    std::filesystem::path dir;
    std::string through;
    std::size_t tables = 0;
    std::size_t rows = 0;
    std::vector<std::string> drift;                   // empty: the snapshot builds what the migrations build
    std::vector<std::string> unreproducible_columns;  // table.column compared for NULL-ness only
    bool ok() const { return drift.empty(); }
};
// Throws migrate::error when it cannot build (no baseline: baseline_invalid); a stale baseline or any
// difference is reported in `drift`, not thrown.
MIGRATE_API BaselineVerifyReport verify_baseline(const BaselineVerifyOptions& options);

}  // namespace migrate
