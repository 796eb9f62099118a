// drizzle 1.0's upgrade of a drizzle 0.x tracking table (id, hash, created_at; no `name` column), which
// drizzle-orm 1.0's migrator runs before anything else when it reads a 1.0 folder (up-migrations/mysql.js,
// `upToV1`; examples/openinsure-v1/NOTES.md §3). Rows are matched to folders the way it matches them, and
// the same statements are sent, so the table ends exactly as drizzle 1.0 leaves it.
#pragma once

#include "../connect/connection.hpp"
#include "tracking_table.hpp"

#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace migrate::tracking {

struct V0RowMatch {
    std::uint64_t row_id = 0;
    const Migration* migration = nullptr;  // points into the Source
};

struct V0Matching {
    std::vector<V0RowMatch> matched;       // in row order
    std::vector<std::uint64_t> unmatched;  // row ids, in row order
};

// Pure: drizzle 1.0's matching of rows (id, hash, created_at) to a 1.0 source's migrations. Migrations are
// taken in (when, drizzle_locale_less name) order; a row's second is created_at truncated to whole
// seconds. One migration in that second: matched, hash not checked. Several: the first with the row's hash,
// else unmatched. None (or created_at NULL): the migration with the row's hash (the last in that order when
// several share it), else unmatched. Two rows may match one migration. `rows` in id order.
V0Matching match_v0_rows(const Source& source, const std::vector<AppliedRow>& rows);

// What `up` must do to the tracking table before planning, for a 1.0 source. Two cases:
// - a 0.x table (no `name`): drizzle 1.0's upgrade: add `name` and `applied_at`, name every row after its
//   match; refused, before altering anything, when any row is unmatched (drizzle 1.0 refuses too);
// - a table with `name` whose NULL-name rows all match by the same rules: finished the same way, adding
//   `applied_at` if missing and naming those rows. This is what an upgrade that died after its first ALTER
//   leaves (drizzle 1.0 would then count the table as upgraded and re-run every migration); it also names
//   rows a 0.x runner added after the upgrade (drizzle 1.0 re-runs those migrations). If any NULL-name row
//   is unmatched nothing is done: the rows stay rows without file, as drizzle 1.0 leaves them.
struct V0TableUpgrade {
    bool add_name = false;
    bool add_applied_at = false;
    V0Matching matching;  // the rows without a name

    bool needed() const { return add_name || add_applied_at || !matching.matched.empty(); }
    bool refused() const { return add_name && !matching.unmatched.empty(); }
    // The rows as they will read once the upgrade has run (matched rows get their folder's name).
    std::vector<AppliedRow> rows_after(std::vector<AppliedRow> rows) const;
    // The statements drizzle 1.0 sends, in its order and bytes (none when not needed or refused).
    std::vector<std::string> statements(const TrackingTable& table) const;
    // One line for `migrate status`; "" when not needed.
    std::string describe(const TrackingTable& table) const;
    // What was done, once it ran (UpReport::table_upgrade); "" when not needed.
    std::string done(const TrackingTable& table) const;
};

// Pure: the upgrade for `source` (1.0 layout only; nothing otherwise) and the table as read.
V0TableUpgrade plan_v0_upgrade(const Source& source, const TableShape& shape, const std::vector<AppliedRow>& rows);

// Reads the table and performs plan_v0_upgrade's statements on `conn` (the caller holds the migration
// lock). Throws migrate::error(row_without_file) naming the unmatched rows, before altering anything, when
// it is refused. Returns what it did (needed() false: nothing).
V0TableUpgrade upgrade_v0_table(connect::Connection& conn, const TrackingTable& table, const Source& source);

}  // namespace migrate::tracking
