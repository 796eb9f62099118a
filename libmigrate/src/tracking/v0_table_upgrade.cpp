#include "v0_table_upgrade.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace migrate::tracking {
namespace {

std::string join_ids(const std::vector<std::uint64_t>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// Why `up` refuses, which rows, and what to do.
std::string refusal(const TrackingTable& table, const Source& source, const std::vector<AppliedRow>& rows,
                    const std::vector<std::uint64_t>& unmatched) {
    std::string listed;
    for (const auto& r : rows)
        if (std::find(unmatched.begin(), unmatched.end(), r.id) != unmatched.end())
            listed += fmt::format("\n  - row id {}: created_at {}, hash {}", r.id,
                                  r.created_at ? std::to_string(*r.created_at) : "NULL", r.hash);
    return fmt::format(
        "{} is a drizzle 0.x tracking table (no `name` column), which drizzle 1.0 upgrades before applying a 1.0 "
        "folder, naming each row after the folder of its created_at second or of its hash; {} of its {} rows {} no "
        "folder of {}, so nothing was changed:{}\nThose migrations were applied to this database but their folders "
        "are missing here: restore them (merge the branch that has them, or run `drizzle-kit up` on the 0.x folder "
        "that applied them) and run again. Allowing missing migrations does not help: drizzle-orm 1.0 refuses this "
        "table too "
        "(\"While upgrading your database migrations table we found {} migrations (ids: {}) in the database that do "
        "not match any local migration\").",
        table.name(), unmatched.size(), rows.size(), unmatched.size() == 1 ? "matches" : "match", source.dir.string(),
        listed, unmatched.size(), join_ids(unmatched));
}

}  // namespace

V0Matching match_v0_rows(const Source& source, const std::vector<AppliedRow>& rows) {
    // upToV1 sorts by (folderMillis, name.localeCompare), then indexes by millis and by hash.
    std::vector<const Migration*> sorted;
    for (const auto& m : source.migrations) sorted.push_back(&m);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Migration* a, const Migration* b) {
        return a->when != b->when ? a->when < b->when : drizzle_locale_less(a->tag, b->tag);
    });
    std::map<std::int64_t, std::vector<const Migration*>> by_second;
    std::map<std::string, const Migration*> by_hash;
    for (const auto* m : sorted) {
        by_second[m->when].push_back(m);
        by_hash[m->hash] = m;  // Map.set: the last one wins
    }

    V0Matching out;
    for (const auto& r : rows) {
        const Migration* match = nullptr;
        // drizzle drops the last 3 digits of String(created_at): truncation toward zero, as C++ division
        // does (negatives included); NULL gives NaN, which no folder has.
        auto candidates = r.created_at ? by_second.find(*r.created_at / 1000 * 1000) : by_second.end();
        if (candidates != by_second.end() && candidates->second.size() == 1) {
            match = candidates->second.front();
        } else if (candidates != by_second.end()) {
            auto same = std::find_if(candidates->second.begin(), candidates->second.end(),
                                     [&](const Migration* m) { return m->hash == r.hash; });
            if (same != candidates->second.end()) match = *same;
        } else if (auto h = by_hash.find(r.hash); h != by_hash.end()) {
            match = h->second;
        }
        if (match)
            out.matched.push_back({r.id, match});
        else
            out.unmatched.push_back(r.id);
    }
    return out;
}

V0TableUpgrade plan_v0_upgrade(const Source& source, const TableShape& shape, const std::vector<AppliedRow>& rows) {
    V0TableUpgrade up;
    if (source.layout != FolderLayout::drizzle_v1_folders || !shape.exists) return up;
    std::vector<AppliedRow> nameless;
    for (const auto& r : rows)
        if (!r.name) nameless.push_back(r);
    up.matching = match_v0_rows(source, nameless);
    if (!shape.has_name) {
        up.add_name = true;
        up.add_applied_at = !shape.has_applied_at;
        return up;
    }
    // A `name` column already: only an upgrade that stopped half-way is finished, and only when every
    // nameless row matches (the same all-or-nothing rule); otherwise the table is left as drizzle 1.0 sees it.
    if (!up.matching.unmatched.empty()) return {};
    up.add_applied_at = !shape.has_applied_at;
    return up;
}

std::vector<AppliedRow> V0TableUpgrade::rows_after(std::vector<AppliedRow> rows) const {
    std::map<std::uint64_t, const Migration*> names;
    for (const auto& m : matching.matched) names[m.row_id] = m.migration;
    for (auto& r : rows)
        if (auto it = names.find(r.id); it != names.end() && !r.name) r.name = it->second->tag;
    return rows;
}

std::vector<std::string> V0TableUpgrade::statements(const TrackingTable& table) const {
    // The bytes drizzle 1.0 sends (mysql2 fills the parameters into the text).
    std::vector<std::string> out;
    if (!needed() || refused()) return out;
    if (add_name) out.push_back(fmt::format("ALTER TABLE {} ADD `name` text", table.quoted()));
    if (add_applied_at)
        out.push_back(
            fmt::format("ALTER TABLE {} ADD `applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP", table.quoted()));
    for (const auto& m : matching.matched)
        out.push_back(fmt::format("UPDATE {} SET `name` = {}, `applied_at` = NULL WHERE `id` = {}", table.quoted(),
                                  sql_string_literal(m.migration->tag), m.row_id));
    return out;
}

std::string V0TableUpgrade::done(const TrackingTable& table) const {
    if (!needed() || refused()) return "";
    std::vector<std::string> work;
    if (add_name)
        work.push_back("added `name` and `applied_at`");
    else if (add_applied_at)
        work.push_back("added `applied_at`");
    if (const auto n = matching.matched.size(); n > 0)
        work.push_back(fmt::format("named {} after {}", plural(n, "row"), n == 1 ? "its folder" : "their folders"));
    return fmt::format("upgraded {} as drizzle 1.0 does ({})", table.name(),
                       work.size() == 2 ? work[0] + ", " + work[1] : work[0]);
}

std::string V0TableUpgrade::describe(const TrackingTable& table) const {
    if (!needed()) return "";
    const auto& unmatched = matching.unmatched;
    if (refused())
        return fmt::format(
            "{} is a drizzle 0.x table (no `name` column): `up` refuses to upgrade it, as drizzle 1.0 "
            "does: row {} {} {} no migration folder (restore the missing folders)",
            table.name(), unmatched.size() == 1 ? "id" : "ids", join_ids(unmatched),
            unmatched.size() == 1 ? "matches" : "match");
    std::vector<std::string> work;
    if (add_name)
        work.push_back("adds `name` and `applied_at`");
    else if (add_applied_at)
        work.push_back("adds `applied_at`");
    if (const auto n = matching.matched.size(); n > 0)
        work.push_back(fmt::format("names {} after {}", plural(n, "row"), n == 1 ? "its folder" : "their folders"));
    const std::string what = work.size() == 2 ? work[0] + ", " + work[1] : work[0];
    if (add_name)
        return fmt::format(
            "{} is a drizzle 0.x table (no `name` column): `up` first upgrades it as drizzle 1.0 "
            "does: {}",
            table.name(), what);
    if (matching.matched.empty())
        return fmt::format(
            "{} has a `name` column but no `applied_at` (a drizzle 1.0 upgrade stopped between its "
            "two ALTERs): `up` adds it",
            table.name());
    return fmt::format(
        "{} has {} without a name, each matching a folder by drizzle 1.0's upgrade rules (an upgrade "
        "that stopped half-way, or rows a drizzle 0.x runner added after it){}: `up` completes the "
        "upgrade: {}",
        table.name(), plural(matching.matched.size(), "row"), add_applied_at ? ", and no `applied_at` column" : "",
        what);
}

V0TableUpgrade upgrade_v0_table(connect::Connection& conn, const TrackingTable& table, const Source& source) {
    if (source.layout != FolderLayout::drizzle_v1_folders) return {};  // only a 1.0 folder upgrades a table
    const TableShape shape = table.inspect(conn);
    const auto rows = table.read(conn, shape);
    V0TableUpgrade up = plan_v0_upgrade(source, shape, rows);
    if (up.refused()) throw error(errc::row_without_file, refusal(table, source, rows, up.matching.unmatched));
    // One statement at a time, as drizzle sends them: a run that dies in between leaves a state
    // plan_v0_upgrade recognises (a `name` column with nameless rows that match), so the next run finishes.
    for (const auto& sql : up.statements(table)) conn.execute(sql);
    return up;
}

}  // namespace migrate::tracking
