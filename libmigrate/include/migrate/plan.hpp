// What the database has applied versus what the folder holds, and therefore what `up` will do.
#pragma once

#include <migrate/export.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migrate {

// One row of __drizzle_migrations (the 1.0 `name` column is read when the table has it).
struct AppliedRow {
    std::uint64_t id = 0;
    std::string hash;
    std::optional<std::int64_t> created_at;
    std::optional<std::string> name;
};

enum class MigrationState {
    applied,       // a row with created_at == when exists
    pending,       // drizzle's rule: when > newest created_at (or no rows) → `up` applies it
    out_of_order,  // no row, but when <= newest created_at: drizzle skips it forever
};
MIGRATE_API std::string_view to_string(MigrationState s) noexcept;

struct PlanEntry {
    const Migration* migration = nullptr;  // points into the Plan's Source
    MigrationState state = MigrationState::pending;
    std::optional<AppliedRow> row;         // the matching row, when applied
    bool hash_differs = false;             // applied, but the file's hash is not the recorded one (edited)
};

struct MIGRATE_API Plan {
    bool table_exists = false;
    std::optional<std::int64_t> newest_created_at;  // drizzle's high-water mark
    std::vector<PlanEntry> entries;                 // journal order
    std::vector<AppliedRow> rows_without_file;      // recorded rows no journal entry matches

    std::size_t count(MigrationState s) const;
    std::vector<const PlanEntry*> pending() const;  // in apply order
};

// Pure function: source + rows → plan. Rows are matched to entries by created_at == when.
MIGRATE_API Plan make_plan(const Source& source, const std::vector<AppliedRow>& rows, bool table_exists);

}  // namespace migrate
