#include "branch_check.hpp"

#include "../run/statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace migrate::deploy {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Each table's columns and indexes in one comparable string, by lower-case name. information_schema, not
// SHOW CREATE TABLE: two queries whatever the number of tables (the branch is reached over HTTP).
std::map<std::string, std::string> table_signatures(connect::Connection& conn) {
    std::map<std::string, std::string> out;
    auto text = [](const connect::Value& v) { return v ? *v : std::string("NULL"); };
    for (const auto& r : conn.query("select table_name, column_name, column_type, is_nullable, column_default, extra "
                                    "from information_schema.columns where table_schema = database() "
                                    "order by table_name, ordinal_position"))
        out[lower(text(r.at(0)))] += fmt::format("column {} {} {} default {} {}; ", text(r.at(1)), text(r.at(2)),
                                                 text(r.at(3)), text(r.at(4)), text(r.at(5)));
    for (const auto& r : conn.query("select table_name, index_name, non_unique, seq_in_index, column_name "
                                    "from information_schema.statistics where table_schema = database() "
                                    "order by table_name, index_name, seq_in_index"))
        out[lower(text(r.at(0)))] += fmt::format("index {} unique={} {}:{}; ", text(r.at(1)), text(r.at(2)) == "0",
                                                 text(r.at(3)), text(r.at(4)));
    return out;
}

// libmigrate's tables (they travel with a deploy request on their own terms) and the platform's own:
// Vitess' _vt_ tables and online-DDL shadow tables, the local gateway's tables set aside for a revert.
bool ignored(const std::string& table, const tracking::TrackingTable& tracking) {
    const std::string t = lower(tracking.name());
    return table == t || table.rfind(t + "_", 0) == 0 || table.rfind("_vt_", 0) == 0 || table.rfind("_gw_", 0) == 0 ||
           table.find("_vrepl") != std::string::npos;
}

std::string describe(const AppliedRow& r, const std::vector<const Migration*>& pending) {
    for (const auto* m : pending)
        if (r.created_at && *r.created_at == m->when) return m->tag;
    return fmt::format("created_at {}", r.created_at ? std::to_string(*r.created_at) : "NULL");
}

bool same(const AppliedRow& a, const AppliedRow& b) { return a.created_at == b.created_at && a.hash == b.hash; }

}  // namespace

void check_existing_branch(connect::Connection& branch, connect::Connection& production,
                           const PendingMigrations& pending, const std::vector<plan::StatementRef>& carried,
                           const std::string& branch_name, const std::string& production_branch) {
    std::vector<std::string> problems;
    const tracking::TrackingTable& table = *pending.table;

    // Tracking rows: production's, then the pending migrations'.
    const auto branch_shape = table.inspect(branch), production_shape = table.inspect(production);
    const auto on_branch = branch_shape.exists ? table.read(branch, branch_shape) : std::vector<AppliedRow>{};
    const auto on_production =
        production_shape.exists ? table.read(production, production_shape) : std::vector<AppliedRow>{};
    auto has = [](const std::vector<AppliedRow>& rows, const AppliedRow& r) {
        return std::any_of(rows.begin(), rows.end(), [&](const AppliedRow& x) { return same(x, r); });
    };
    std::vector<AppliedRow> expected = on_production;
    for (const auto* m : pending.migrations) expected.push_back({0, m->hash, m->when, m->tag});
    if (!branch_shape.exists)
        problems.push_back(fmt::format("it has no {} table: no migration was applied there", table.name()));
    std::string behind, missing, extra;
    for (const auto& r : on_production)
        if (!has(on_branch, r)) behind += (behind.empty() ? "" : ", ") + describe(r, pending.migrations);
    for (const auto* m : pending.migrations) {
        const AppliedRow r{0, m->hash, m->when, m->tag};
        if (has(on_branch, r)) continue;
        const bool other_hash = std::any_of(on_branch.begin(), on_branch.end(),
                                            [&](const AppliedRow& x) { return x.created_at == m->when; });
        missing += fmt::format("{}{}{}", missing.empty() ? "" : ", ", m->tag,
                               other_hash ? " (recorded there with another hash: the file changed since)" : "");
    }
    for (const auto& r : on_branch)
        if (!has(expected, r) &&
            !(r.created_at && std::any_of(pending.migrations.begin(), pending.migrations.end(),
                                          [&](const Migration* m) { return m->when == *r.created_at; })))
            extra += (extra.empty() ? "" : ", ") + describe(r, pending.migrations);
    if (!behind.empty())
        problems.push_back(
            fmt::format("it lacks migrations {} records ({}): it is behind production", production_branch, behind));
    if (branch_shape.exists && !missing.empty())
        problems.push_back(fmt::format("it does not record the pending migrations {}", missing));
    if (!extra.empty())
        problems.push_back(fmt::format("it records migrations that are neither on {} nor pending in this folder ({})",
                                       production_branch, extra));

    // Schema: every statement in effect there, and no difference its statements do not explain.
    std::set<std::string> changed;
    for (const auto& r : carried) {
        const std::string_view sql = r.migration->statements[r.index].sql;
        if (run::classify_statement(sql) != run::StatementClass::ddl) continue;
        for (const auto& t : run::tables_changed(sql)) changed.insert(lower(t.name));
        const auto probe = run::probe_statement(branch, sql);
        if (probe.effect == run::Effect::not_applied)
            problems.push_back(fmt::format("{}:{} (statement {} of {}) is not in effect there: {}",
                                           r.migration->file.string(), r.migration->statements[r.index].line,
                                           r.index + 1, r.migration->tag, probe.reason));
    }
    const auto branch_tables = table_signatures(branch), production_tables = table_signatures(production);
    std::vector<std::string> unexplained;
    auto note = [&](const std::string& t, const char* how) {
        if (!ignored(t, table) && !changed.count(t)) unexplained.push_back(fmt::format("{} ({})", t, how));
    };
    for (const auto& [t, sig] : branch_tables) {
        auto p = production_tables.find(t);
        if (p == production_tables.end())
            note(t, "only on the branch");
        else if (p->second != sig)
            note(t, "defined differently");
    }
    for (const auto& [t, sig] : production_tables)
        if (!branch_tables.count(t)) note(t, "only on production");
    if (!unexplained.empty()) {
        std::string list;
        for (std::size_t k = 0; k < unexplained.size() && k < 10; ++k) list += (k ? ", " : "") + unexplained[k];
        if (unexplained.size() > 10) list += fmt::format(" and {} more", unexplained.size() - 10);
        problems.push_back(
            fmt::format("its schema differs from {}'s where no pending statement says so: {}; a deploy "
                        "request would carry that too",
                        production_branch, list));
    }

    if (problems.empty()) return;
    std::string text;
    for (const auto& p : problems) text += "\n  - " + p;
    throw error(errc::deploy_request_failed,
                fmt::format("branch {} does not hold exactly {} plus the pending migrations, so no deploy request was "
                            "opened from it and nothing was run:{}\nBring the branch up to date (recreate it from {} "
                            "and apply the pending migrations there), or let the run make branches of its own",
                            branch_name, production_branch, text, production_branch));
}

}  // namespace migrate::deploy
