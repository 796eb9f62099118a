// compare_branches: what merging a branch's drizzle-kit migrations after another branch's would break
// (docs/merging.md), and the same as lint findings.
#include "branch_folders.hpp"

#include "../source/folder_reading.hpp"
#include "../sql/statement.hpp"
#include "../sql/tokenizer.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace migrate {
namespace merge {

namespace fs = std::filesystem;

Json read_json_file(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return Json();
    auto text = source::read_file(file);
    if (!text)
        throw error(errc::snapshot_invalid, fmt::format("cannot read {}", file.string()), {.file = file.string()});
    try {
        return Json::parse(*text);
    } catch (const Json::exception& e) {
        throw error(errc::snapshot_invalid, fmt::format("{} is not JSON: {}", file.string(), e.what()),
                    {.file = file.string()});
    }
}

Folder read_folder(const fs::path& dir) {
    Folder out;
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return out;
    out.present = true;
    out.source = read_migrations_folder(dir);
    if (out.source.layout == FolderLayout::drizzle_v0_journal) {
        // The reader keeps journal order, not idx: a merge that kept both sides' entries repeats an idx.
        const Json journal = read_json_file(dir / "meta" / "_journal.json");
        if (journal.is_object() && journal.contains("entries") && journal["entries"].is_array())
            for (const auto& e : journal["entries"])
                if (e.is_object() && e.contains("tag") && e["tag"].is_string() && e.contains("idx") &&
                    e["idx"].is_number_integer())
                    out.idx.emplace(e["tag"].get<std::string>(), e["idx"].get<std::int64_t>());
    }
    return out;
}

Sides read_sides(const fs::path& base, const fs::path& head, const fs::path& merge_base) {
    Sides s;
    s.base = read_folder(base);
    s.head = read_folder(head);
    s.merge_base = read_folder(merge_base);
    if (!s.head.present)
        throw error(errc::journal_missing, fmt::format("migrations folder {} does not exist", head.string()),
                    {.file = head.string()});
    std::set<std::string> old_tags, base_tags;
    for (const auto& m : s.merge_base.source.migrations) old_tags.insert(m.tag);
    for (const auto& m : s.base.source.migrations) {
        base_tags.insert(m.tag);
        if (!old_tags.contains(m.tag)) s.added.push_back(&m);
    }
    for (const auto& m : s.head.source.migrations)
        if (!old_tags.contains(m.tag) && !base_tags.contains(m.tag)) s.branch.push_back(&m);
    return s;
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void tables_of(const sql::Tokens& statement, std::set<std::string>& out) {
    if (statement.empty()) return;
    const sql::Ddl d = sql::parse_statement(statement);
    if (!d.table.empty()) out.insert(lower(d.table));
    for (const auto& t : d.tables) out.insert(lower(t.name));
    for (const auto& r : d.renames) {
        out.insert(lower(r.from.name));
        out.insert(lower(r.to.name));
    }
}

}  // namespace

std::set<std::string> tables_changed(const Migration& m) {
    std::set<std::string> out;
    for (const auto& chunk : m.statements) {
        // A chunk may hold several statements (lint flags it): each is read.
        const auto tokens = sql::significant(chunk.sql);
        sql::Tokens statement;
        for (const auto& t : tokens) {
            if (t.kind == sql::TokenKind::punct && t.text == ";") {
                tables_of(statement, out);
                statement.clear();
            } else {
                statement.push_back(t);
            }
        }
        tables_of(statement, out);
    }
    return out;
}

std::string tag_prefix(const std::string& tag) {
    const auto cut = tag.find('_');
    return cut == std::string::npos ? std::string() : tag.substr(0, cut);
}

fs::path snapshot_of(const Source& source, const Migration& m) {
    if (source.layout == FolderLayout::drizzle_v1_folders) return source.dir / m.tag / "snapshot.json";
    return source.dir / "meta" / (tag_prefix(m.tag) + "_snapshot.json");
}

}  // namespace merge

std::string_view to_string(MergeFindingKind kind) noexcept {
    switch (kind) {
        case MergeFindingKind::when_regression: return "when_regression";
        case MergeFindingKind::duplicate_idx: return "duplicate_idx";
        case MergeFindingKind::duplicate_tag: return "duplicate_tag";
        case MergeFindingKind::same_table: return "same_table";
        case MergeFindingKind::snapshot_fork: return "snapshot_fork";
    }
    return "when_regression";
}

namespace {

MergeSide side_of(const merge::Folder& f, const Migration& m) {
    const auto it = f.idx.find(m.tag);
    return {.tag = m.tag, .file = m.file, .when = m.when, .idx = it == f.idx.end() ? -1 : it->second};
}

constexpr std::string_view rebase_fix =
    "Rebase the branch's migrations after base's (renumber, restamp `when`, merge the snapshots) before merging.";

}  // namespace

BranchComparison compare_branches(const std::filesystem::path& base, const std::filesystem::path& head,
                                  const std::filesystem::path& merge_base) {
    const merge::Sides s = merge::read_sides(base, head, merge_base);
    BranchComparison out;
    out.layout = s.head.source.layout;
    for (const auto* m : s.branch) out.branch_tags.push_back(m->tag);
    for (const auto* m : s.added) out.base_tags.push_back(m->tag);
    if (s.branch.empty()) return out;

    // drizzle 1.0 runs every folder it has no row for, by name, and drizzle-kit 1.0 accepts snapshots that
    // fork from one parent (prevIds): an older time or a shared parent is no incident there (checked with
    // drizzle-kit and drizzle-orm 1.0.0-rc.5, docs/merging.md). What the order of two changes decides is.
    const bool v0 = s.head.source.layout == FolderLayout::drizzle_v0_journal;
    // when_regression: against base's newest `when` (any of its migrations; a database that applied base
    // records that one as the newest created_at).
    const Migration* newest = nullptr;
    if (v0)
        for (const auto& m : s.base.source.migrations)
            if (!newest || m.when > newest->when) newest = &m;
    for (const auto* m : s.branch) {
        if (newest && m->when <= newest->when)
            out.findings.push_back(
                {.kind = MergeFindingKind::when_regression,
                 .branch = side_of(s.head, *m),
                 .base = side_of(s.base, *newest),
                 .table = {},
                 .message = fmt::format("{} (when {}) is not newer than {} (when {}) on the base: after the merge, "
                                        "drizzle skips it silently on every database that applied {}",
                                        m->tag, m->when, newest->tag, newest->when, newest->tag),
                 .fix = std::string(rebase_fix),
                 .rebase_fixes = true});
    }
    for (const auto* m : s.branch)
        for (const auto* b : s.added) {
            const auto mine = side_of(s.head, *m);
            const auto theirs = side_of(s.base, *b);
            if (m->tag == b->tag) {
                out.findings.push_back(
                    {.kind = MergeFindingKind::duplicate_tag,
                     .branch = mine,
                     .base = theirs,
                     .table = {},
                     .message = fmt::format("{} was added on both sides with different contents", m->tag),
                     .fix = "Rename one of them (give the branch's a new tag), or drop the "
                            "branch's if it is the same change.",
                     .rebase_fixes = false});
                continue;
            }
            const auto prefix = merge::tag_prefix(m->tag);
            const bool same_idx = mine.idx >= 0 && mine.idx == theirs.idx;
            const bool same_prefix = s.head.source.layout == FolderLayout::drizzle_v0_journal && !prefix.empty() &&
                                     prefix == merge::tag_prefix(b->tag);
            if (same_idx || same_prefix)
                out.findings.push_back(
                    {.kind = MergeFindingKind::duplicate_idx,
                     .branch = mine,
                     .base = theirs,
                     .table = {},
                     .message = same_prefix
                                    ? fmt::format("{} and {} on the base share the prefix {} (and so "
                                                  "meta/{}_snapshot.json): the merge keeps one snapshot",
                                                  m->tag, b->tag, prefix, prefix)
                                    : fmt::format("{} and {} on the base share idx {}", m->tag, b->tag, mine.idx),
                     .fix = std::string(rebase_fix),
                     .rebase_fixes = true});
        }
    // same_table: one finding per table and pair.
    std::vector<std::set<std::string>> base_tables;
    for (const auto* b : s.added) base_tables.push_back(merge::tables_changed(*b));
    for (const auto* m : s.branch) {
        const auto mine = merge::tables_changed(*m);
        for (std::size_t i = 0; i < s.added.size(); ++i)
            for (const auto& t : mine)
                if (base_tables[i].contains(t))
                    out.findings.push_back(
                        {.kind = MergeFindingKind::same_table,
                         .branch = side_of(s.head, *m),
                         .base = side_of(s.base, *s.added[i]),
                         .table = t,
                         .message = fmt::format("{} and {} on the base both change table {}: the snapshots cannot "
                                                "be merged by renumbering, and the order of the changes matters",
                                                m->tag, s.added[i]->tag, t),
                         .fix = "Merge the base into the branch, drop the branch's migration and its snapshot, and "
                                "generate it again with drizzle-kit generate on top of the base's.",
                         .rebase_fixes = false});
    }
    // snapshot_fork: both sides' first new snapshot hangs off one parent.
    if (v0 && !s.added.empty()) {
        const auto parent = [](const merge::Json& snap) -> std::string {
            if (!snap.is_object()) return {};
            if (snap.contains("prevId") && snap["prevId"].is_string()) return snap["prevId"].get<std::string>();
            if (snap.contains("prevIds") && snap["prevIds"].is_array() && !snap["prevIds"].empty() &&
                snap["prevIds"][0].is_string())
                return snap["prevIds"][0].get<std::string>();
            return {};
        };
        const auto mine_file = merge::snapshot_of(s.head.source, *s.branch.front());
        const auto theirs_file = merge::snapshot_of(s.base.source, *s.added.front());
        const auto mine = parent(merge::read_json_file(mine_file));
        if (!mine.empty() && mine == parent(merge::read_json_file(theirs_file))) {
            auto branch = side_of(s.head, *s.branch.front());
            auto base_side = side_of(s.base, *s.added.front());
            branch.file = mine_file;
            base_side.file = theirs_file;
            out.findings.push_back({.kind = MergeFindingKind::snapshot_fork,
                                    .branch = branch,
                                    .base = base_side,
                                    .table = {},
                                    .message = fmt::format("{} and {} on the base both follow snapshot {}: after the "
                                                           "merge drizzle-kit generate refuses the folder (collision)",
                                                           mine_file.filename().string(), base_side.tag, mine),
                                    .fix = std::string(rebase_fix),
                                    .rebase_fixes = true});
        }
    }
    return out;
}

std::vector<LintFinding> lint_findings(const BranchComparison& comparison, const LintOptions& options) {
    std::vector<LintFinding> out;
    for (const auto& f : comparison.findings) {
        std::string rule = "merge-" + std::string(to_string(f.kind));
        std::replace(rule.begin(), rule.end(), '_', '-');
        const auto* r = find_lint_rule(rule);
        const auto severity = r ? r->severity(options.flavor) : std::nullopt;
        if (!severity) continue;
        out.push_back({.rule = rule,
                       .severity = *severity,
                       .file = f.branch.file,
                       .line = 0,
                       .column = 0,
                       .message = f.message,
                       .fix = f.fix,
                       .suppressed = false,
                       .suppression_reason = {}});
    }
    return out;
}

}  // namespace migrate
