// Refusals drizzle does not make: edited migrations, rows without files, entries it would skip forever.
#include <migrate/error.hpp>
#include <migrate/plan.hpp>

#include <fmt/format.h>

#include <optional>

namespace migrate {

void validate_plan(const Plan& plan, const ValidationOptions& options) {
    std::vector<std::string> problems;
    std::optional<errc> first;
    remedy fix = remedy::none;  // the first problem's, as data: each front end words it (the CLI as its flags)
    auto add = [&](errc code, std::string text, remedy r) {
        if (!first) {
            first = code;
            fix = r;
        }
        problems.push_back(std::move(text));
    };

    for (const auto& e : plan.entries) {
        const Migration& m = *e.migration;
        if (e.hash_differs)
            add(errc::migration_changed,
                fmt::format(
                    "{} was applied with hash {} (row id {}) but the file now hashes to {}: it was edited after "
                    "being applied, so databases migrated before and after the edit differ. Restore the file "
                    "(e.g. git checkout), or if the edit was deliberate and the database already matches it, "
                    "record its new hash (repair). (Line-ending conversion such as git autocrlf also changes the "
                    "hash.)",
                    m.file.string(), e.row->hash, e.row->id, m.hash),
                remedy::record_new_hash);
    }
    if (!options.allow_missing)
        for (const auto& r : plan.rows_without_file)
            add(errc::row_without_file,
                fmt::format("row id {} (created_at {}, hash {}) matches no journal entry: a migration applied from a "
                            "branch that is not merged here, or one deleted from the folder. Merge that migration into "
                            "the journal, or allow missing files to proceed without it.",
                            r.id, r.created_at ? std::to_string(*r.created_at) : "NULL", r.hash),
                remedy::allow_missing);
    if (!options.allow_out_of_order)
        for (const auto& e : plan.entries)
            if (e.state == MigrationState::out_of_order)
                add(errc::out_of_order,
                    fmt::format(
                        "{} (when {}) is not applied but is not newer than the newest applied migration (created_at "
                        "{}): drizzle would skip it silently, forever (typically a branch merged after a newer "
                        "migration was deployed). Check it does not conflict with what ran since, then allow "
                        "out-of-order entries to apply it; drizzle keeps ignoring it either way, since its "
                        "high-water mark does not move.",
                        e.migration->tag, e.migration->when, *plan.newest_created_at),
                    remedy::allow_out_of_order);
    if (!options.allow_dirty && !plan.unrecorded_tables.empty()) {
        std::string names;
        for (std::size_t i = 0; i < plan.unrecorded_tables.size() && i < 8; ++i)
            names += (i ? ", " : "") + plan.unrecorded_tables[i];
        if (plan.unrecorded_tables.size() > 8) names += ", …";
        add(errc::database_not_empty,
            fmt::format("the database has {} table{} ({}) but records no migration: it was built outside these "
                        "migrations (drizzle-kit push, a dump, another tool), and applying them from the start would "
                        "fail or duplicate it. Adopt it by recording the migrations it already reflects as applied "
                        "(baseline mark, through the last of them); or allow a dirty database to apply every "
                        "migration anyway.",
                        plan.unrecorded_tables.size(), plan.unrecorded_tables.size() == 1 ? "" : "s", names),
            remedy::adopt_database);
    }
    if (plan.from_baseline)
        for (const auto& p : plan.baseline_problems)
            add(errc::baseline_unusable,
                fmt::format("the database is empty, so `up` would load the baseline, but {}. Create the baseline "
                            "again, or turn baselines off to replay the migrations instead.",
                            p),
                remedy::recreate_or_skip_baseline);
    if (!first) return;
    std::string message =
        problems.size() == 1 ? problems.front() : fmt::format("{} problems; nothing was applied:", problems.size());
    if (problems.size() > 1)
        for (const auto& p : problems) message += "\n  - " + p;
    throw error(*first, message, {.fix = fix});
}

}  // namespace migrate
