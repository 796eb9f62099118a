// Checks after a deploy (docs/verify.md): does the tracking table record exactly the folder's migrations,
// and does the live schema match the folder's newest drizzle-kit snapshot?
#pragma once

#include <migrate/export.hpp>
#include <migrate/plan.hpp>
#include <migrate/source.hpp>
#include <migrate/target.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate {

// ───── The tracking table against the folder ─────

struct TrackingProblem {
    enum class Kind {
        table_missing,      // no tracking table: nothing is recorded
        missing_row,        // a migration without a row (pending)
        out_of_order,       // a migration without a row, older than the newest row (drizzle skips it)
        hash_differs,       // a row whose hash is not the file's (expected = file, actual = row)
        row_without_file,   // a row no migration of the folder matches
        partial,            // a migration a run left half-applied
        table_upgrade_due,  // a drizzle 0.x table under a 1.0 folder, not upgraded yet
        duplicate_row,      // a second row for an applied migration (row_id: the extra one; tag: its migration)
    };
    Kind kind{};
    std::string tag;                      // the migration; row_without_file: the row's name (1.0) or ""
    std::optional<std::uint64_t> row_id;  // the row, when there is one
    std::string expected;                 // hash_differs: the file's hash
    std::string actual;                   // hash_differs: the recorded hash
    std::string message;                  // one line, naming tag/row and hashes
};
MIGRATE_API std::string_view to_string(TrackingProblem::Kind kind) noexcept;

struct TrackingReport {
    std::size_t migrations = 0;  // in the folder
    std::size_t rows = 0;        // in the tracking table
    std::vector<TrackingProblem> problems;
    bool ok() const { return problems.empty(); }
};

// Pure: every problem a status shows (no table, an upgrade due, pending, out of order, edited, rows without
// file, duplicate rows, partial). The fix of a duplicate row names the status's tracking table.
MIGRATE_API TrackingReport verify_tracking(const Status& status);
// Connects (Target::status()) and checks; changes nothing.
MIGRATE_API TrackingReport verify_tracking(Target& target);

// ───── The live schema against the newest snapshot ─────

struct SchemaDrift {
    enum class Kind {
        table_missing,
        table_extra,
        column_missing,
        column_extra,
        column_type,
        column_nullability,
        column_default,
        column_auto_increment,
        column_on_update,
        primary_key,
        index_missing,
        index_extra,
        index_differs,
        foreign_key_missing,
        foreign_key_extra,
        foreign_key_differs,
        check_missing,
        check_extra,
        view_missing,
        view_extra,
        migrations_pending,  // notice: the database is behind the folder, so the snapshot cannot match
        not_compared,        // notice: something the snapshot holds that verify does not compare
    };
    enum class Severity {
        drift,   // fails the check
        notice,  // reported, does not fail (e.g. a table a custom migration of the folder creates)
    };
    Kind kind{};
    Severity severity = Severity::drift;
    std::string table;     // "" for view and notice kinds that concern no table
    std::string name;      // the column, index, key, check or view; "" for table kinds
    std::string expected;  // as the snapshot says (raw), "" when it has nothing
    std::string actual;    // as the server says (raw), "" when it has nothing
    std::string message;   // one line naming table, name, expected and actual
};
MIGRATE_API std::string_view to_string(SchemaDrift::Kind kind) noexcept;
MIGRATE_API std::string_view to_string(SchemaDrift::Severity severity) noexcept;

struct SchemaReport {
    std::filesystem::path snapshot;  // the snapshot compared with
    std::size_t tables = 0;          // tables in the snapshot
    std::vector<SchemaDrift> drift;  // drift and notices, by table
    bool ok() const {                // no entry of severity drift
        for (const auto& d : drift)
            if (d.severity == SchemaDrift::Severity::drift) return false;
        return true;
    }
};

// The newest drizzle-kit snapshot of a folder: 0.x meta/<prefix>_snapshot.json of the last journal entry
// (prefix = the tag up to its first '_'), 1.0 <last folder>/snapshot.json. Throws snapshot_invalid for an
// empty folder.
MIGRATE_API std::filesystem::path newest_snapshot_path(const Source& source);

// Reads the newest snapshot (throws snapshot_invalid when it is missing or not drizzle-kit's) and the live
// schema (information_schema; the tracking table and its side tables left out), and compares them with
// the normalisations of docs/verify.md. `status` (from target.status()) names the tracking table and says
// whether migrations are pending; without it, verify_schema reads it. Changes nothing.
MIGRATE_API SchemaReport verify_schema(Target& target, const Status* status = nullptr);

}  // namespace migrate
