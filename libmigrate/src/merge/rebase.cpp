// rebase_migrations: the branch's drizzle-kit 0.x migrations moved after the base's (docs/merging.md).
#include "branch_folders.hpp"

#include "../source/folder_reading.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <set>

namespace migrate {
namespace {

namespace fs = std::filesystem;
using merge::Json;

[[noreturn]] void unwritable(const fs::path& path, const std::string& why) {
    throw error(errc::folder_unwritable, fmt::format("cannot write {}: {}", path.string(), why),
                {.file = path.string()});
}

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.close();
    if (!out) unwritable(path, "write failed");
}

// JSON.stringify(value, null, 2), as drizzle-kit writes its files.
std::string stringify(const Json& v) { return v.dump(2, ' ', false, Json::error_handler_t::replace); }

// Files written under temporary names, renamed into place only once all are written: a failure before
// that leaves the folder as it was (the temporaries are removed).
class Staging {
  public:
    ~Staging() {
        for (const auto& [tmp, final_path] : moves_) {
            std::error_code ec;
            fs::remove(tmp, ec);
        }
    }
    void add(const fs::path& final_path, const std::string& bytes) {
        // A leading '_' and no .sql ending: neither drizzle-kit (snapshots) nor the readers (migrations)
        // take a left-over temporary for one of theirs.
        const fs::path tmp = final_path.parent_path() / ("_rebase_" + final_path.filename().string() + ".tmp");
        write_file(tmp, bytes);
        moves_.emplace_back(tmp, final_path);
    }
    void commit(const std::vector<fs::path>& remove_first) {
        std::set<fs::path> kept;
        for (const auto& [tmp, final_path] : moves_) kept.insert(final_path);
        for (const auto& old : remove_first)
            if (!kept.contains(old)) {
                std::error_code ec;
                fs::remove(old, ec);
                if (ec) unwritable(old, ec.message());
            }
        for (const auto& [tmp, final_path] : moves_) {
            std::error_code ec;
            fs::rename(tmp, final_path, ec);
            if (ec) unwritable(final_path, ec.message());
        }
        moves_.clear();
    }

    // The staged files' folder was renamed from `from` to `to`.
    void retarget(const fs::path& from, const fs::path& to) {
        for (auto& [tmp, final_path] : moves_) {
            tmp = to / fs::relative(tmp, from);
            final_path = to / fs::relative(final_path, from);
        }
    }

  private:
    std::vector<std::pair<fs::path, fs::path>> moves_;
};

std::string read_text(const fs::path& path) {
    auto text = source::read_file(path);
    if (!text)
        throw error(errc::migration_missing, fmt::format("cannot read {}", path.string()), {.file = path.string()});
    return *text;
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The named things of a snapshot (tables, views, …): base's, with what the branch added, changed or dropped
// since the merge base. A name both sides changed differently is a conflict: its name is returned.
std::optional<std::string> merge_named(Json& out, const Json& base, const Json& branch, const Json& old) {
    const Json empty = Json::object();
    const Json& b = base.is_object() ? base : empty;
    const Json& h = branch.is_object() ? branch : empty;
    const Json& o = old.is_object() ? old : empty;
    out = b;
    std::vector<std::string> names;
    for (const auto& [k, v] : o.items()) names.push_back(k);
    for (const auto& [k, v] : h.items())
        if (!o.contains(k)) names.push_back(k);
    for (const auto& name : names) {
        const bool in_h = h.contains(name), in_o = o.contains(name), in_b = b.contains(name);
        const bool branch_changed = in_h != in_o || (in_h && h[name] != o[name]);
        if (!branch_changed) continue;
        const bool base_changed = in_b != in_o || (in_b && in_o && b[name] != o[name]);
        if (base_changed && (in_b != in_h || (in_b && b[name] != h[name]))) return name;
        if (in_h)
            out[name] = h[name];
        else
            out.erase(name);
    }
    return std::nullopt;
}

// drizzle-kit 0.x (version 5) snapshot maps keyed by name.
constexpr std::array named_keys = {"tables", "views", "enums", "schemas", "sequences", "roles", "policies"};

Json empty_snapshot() { return Json{{"tables", Json::object()}, {"views", Json::object()}}; }

// Refuses what renumbering cannot fix, before anything is written: both sides changing one table, or adding
// one tag.
void refuse_conflicts(const merge::Sides& s) {
    const fs::path& dir = s.head.source.dir;
    const auto comparison = compare_branches(s.base.source.dir, dir, s.merge_base.source.dir);
    for (const auto& f : comparison.findings)
        if (f.kind == MergeFindingKind::same_table || f.kind == MergeFindingKind::duplicate_tag)
            throw error(errc::merge_conflict,
                        fmt::format("cannot rebase {}: {} (nothing was written). {}", dir.string(), f.message, f.fix),
                        {.file = f.branch.file.string(), .tag = f.branch.tag});
}

RebaseResult rebase_v0(const merge::Sides& s) {
    RebaseResult out;
    out.layout = FolderLayout::drizzle_v0_journal;
    const fs::path dir = s.head.source.dir;
    for (const auto* m : s.added) out.base_tags.push_back(m->tag);
    if (s.added.empty() || s.branch.empty()) return out;

    refuse_conflicts(s);

    const fs::path journal_path = dir / "meta" / "_journal.json";
    Json base_journal = merge::read_json_file(s.base.source.dir / "meta" / "_journal.json");
    Json head_journal = merge::read_json_file(journal_path);
    if (!base_journal.is_object() || !base_journal.contains("entries") || !head_journal.is_object() ||
        !head_journal.contains("entries"))
        throw error(errc::journal_invalid, fmt::format("{}: a journal without \"entries\"", dir.string()),
                    {.file = journal_path.string()});
    std::map<std::string, Json> head_entries;
    for (const auto& e : head_journal["entries"])
        if (e.is_object() && e.contains("tag") && e["tag"].is_string()) head_entries[e["tag"].get<std::string>()] = e;

    std::int64_t idx = -1;
    for (const auto& e : base_journal["entries"])
        if (e.contains("idx") && e["idx"].is_number_integer()) idx = std::max(idx, e["idx"].get<std::int64_t>());
    std::int64_t when = 0;
    for (const auto& m : s.base.source.migrations) when = std::max(when, m.when);

    // Snapshots: base's newest, the merge base's newest, and each branch one merged three ways.
    const Json base_last = merge::read_json_file(merge::snapshot_of(s.base.source, s.base.source.migrations.back()));
    const Json old_last =
        s.merge_base.source.migrations.empty()
            ? empty_snapshot()
            : merge::read_json_file(merge::snapshot_of(s.merge_base.source, s.merge_base.source.migrations.back()));
    if (!base_last.is_object() || !base_last.contains("id"))
        throw error(errc::snapshot_invalid,
                    fmt::format("the base's newest migration {} has no snapshot to chain after",
                                s.base.source.migrations.back().tag),
                    {.tag = s.base.source.migrations.back().tag});

    Staging staging;
    std::vector<fs::path> old_files;
    Json entries = base_journal["entries"];
    bool first = true;
    for (const auto* m : s.branch) {
        RebasedMigration r;
        r.old_tag = m->tag;
        r.old_when = m->when;
        ++idx;
        const std::string prefix = merge::tag_prefix(m->tag);
        // drizzle-kit's default prefix is the idx in four digits; other prefixes (timestamps) already order.
        r.new_tag = prefix.size() == 4 && all_digits(prefix) ? fmt::format("{:04}{}", idx, m->tag.substr(4)) : m->tag;
        when = std::max(m->when, when + 1);
        r.new_when = when;
        r.sql_file = dir / (r.new_tag + ".sql");
        old_files.push_back(m->file);
        staging.add(r.sql_file, read_text(m->file));

        const fs::path old_snapshot = merge::snapshot_of(s.head.source, *m);
        Json snap = merge::read_json_file(old_snapshot);
        if (snap.is_object()) {
            old_files.push_back(old_snapshot);
            for (const auto* key : named_keys) {
                if (!snap.contains(key) && !base_last.contains(key)) continue;
                Json merged;
                const Json none;
                if (auto conflict = merge_named(merged, base_last.contains(key) ? base_last[key] : none,
                                                snap.contains(key) ? snap[key] : none,
                                                old_last.contains(key) ? old_last[key] : none))
                    throw error(errc::merge_conflict,
                                fmt::format("cannot rebase {}: {} changes {} \"{}\", which the base changed too "
                                            "(nothing was written); merge the base and generate the branch's "
                                            "migration again with drizzle-kit generate",
                                            dir.string(), m->tag, key, *conflict),
                                {.file = old_snapshot.string(), .tag = m->tag});
                snap[key] = std::move(merged);
            }
            if (first) snap["prevId"] = base_last["id"];
            r.snapshot_file = dir / "meta" / (merge::tag_prefix(r.new_tag) + "_snapshot.json");
            staging.add(r.snapshot_file, stringify(snap));
        }
        first = false;

        Json entry = head_entries.contains(m->tag) ? head_entries[m->tag] : Json::object();
        entry["idx"] = idx;
        if (!entry.contains("version")) entry["version"] = "5";
        entry["when"] = r.new_when;
        entry["tag"] = r.new_tag;
        if (!entry.contains("breakpoints")) entry["breakpoints"] = true;
        // drizzle-kit's key order: idx, version, when, tag, breakpoints.
        Json ordered;
        for (const auto* k : {"idx", "version", "when", "tag", "breakpoints"}) ordered[k] = entry[k];
        for (const auto& [k, v] : entry.items())
            if (!ordered.contains(k)) ordered[k] = v;
        entries.push_back(std::move(ordered));
        out.rebased.push_back(std::move(r));
    }
    // Base's own files, as the base has them.
    for (const auto* b : s.added) {
        staging.add(dir / b->file.filename(), read_text(b->file));
        const fs::path snap = merge::snapshot_of(s.base.source, *b);
        std::error_code ec;
        if (fs::is_regular_file(snap, ec)) staging.add(dir / "meta" / snap.filename(), read_text(snap));
    }
    Json journal = head_journal;
    journal["entries"] = std::move(entries);
    staging.commit(old_files);
    // The journal last: until it names them, the new files are not migrations to any reader.
    Staging journal_write;
    journal_write.add(journal_path, stringify(journal));
    journal_write.commit({});
    return out;
}

// ---- 1.0: <YYYYMMDDHHMMSS>_<name>/ -----------------------------------------------------------------------

// A 1.0 snapshot's `ddl` (one flat list of entities) grouped by the table each belongs to (a table's
// columns, indexes, foreign keys… under its name; views and other top-level entities under their own).
Json group_ddl(const Json& snapshot) {
    Json groups = Json::object();
    if (!snapshot.is_object() || !snapshot.contains("ddl") || !snapshot["ddl"].is_array()) return groups;
    for (const auto& e : snapshot["ddl"]) {
        std::string key;
        if (e.contains("table") && e["table"].is_string())
            key = "tables:" + e["table"].get<std::string>();
        else if (e.contains("name") && e["name"].is_string())
            key = e.value("entityType", std::string("?")) + ":" + e["name"].get<std::string>();
        if (e.value("entityType", std::string()) == "tables") key = "tables:" + e.value("name", std::string());
        if (!groups.contains(key)) groups[key] = Json::array();
        groups[key].push_back(e);
    }
    return groups;
}

RebaseResult rebase_v1(const merge::Sides& s, const RebaseOptions& options) {
    const std::int64_t now_s = options.now_ms.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           std::chrono::system_clock::now().time_since_epoch())
                                                           .count()) /
                               1000;
    RebaseResult out;
    out.layout = FolderLayout::drizzle_v1_folders;
    const fs::path dir = s.head.source.dir;
    for (const auto* m : s.added) out.base_tags.push_back(m->tag);
    if (s.added.empty() || s.branch.empty()) return out;
    refuse_conflicts(s);

    const Json base_last = merge::read_json_file(merge::snapshot_of(s.base.source, s.base.source.migrations.back()));
    const Json old_last =
        s.merge_base.source.migrations.empty()
            ? Json::object()
            : merge::read_json_file(merge::snapshot_of(s.merge_base.source, s.merge_base.source.migrations.back()));
    if (!base_last.is_object() || !base_last.contains("id"))
        throw error(errc::snapshot_invalid,
                    fmt::format("the base's newest migration {} has no snapshot.json to chain after",
                                s.base.source.migrations.back().tag),
                    {.tag = s.base.source.migrations.back().tag});
    const Json base_groups = group_ddl(base_last), old_groups = group_ddl(old_last);

    std::int64_t seconds = 0;
    for (const auto& m : s.base.source.migrations) seconds = std::max(seconds, m.when / 1000);
    struct Move {
        fs::path from, to;
        Json snapshot;
        bool has_snapshot = false;
    };
    std::vector<Move> moves;
    bool first = true;
    for (const auto* m : s.branch) {
        RebasedMigration r;
        r.old_tag = m->tag;
        r.old_when = m->when;
        // A folder already after the previous one keeps its time; one that is not gets drizzle-kit 1.0's
        // time for a new migration, max(now, the previous + 1 s), as if generated now on top of the base.
        seconds = m->when / 1000 > seconds ? m->when / 1000 : std::max(now_s, seconds + 1);
        r.new_tag = source::utc_stamp(seconds) + m->tag.substr(14);
        r.new_when = seconds * 1000;
        r.sql_file = dir / r.new_tag / "migration.sql";
        Move mv{.from = dir / m->tag, .to = dir / r.new_tag, .snapshot = Json(), .has_snapshot = false};
        Json snap = merge::read_json_file(merge::snapshot_of(s.head.source, *m));
        if (snap.is_object()) {
            Json merged;
            if (auto conflict = merge_named(merged, base_groups, group_ddl(snap), old_groups))
                throw error(errc::merge_conflict,
                            fmt::format("cannot rebase {}: {} changes \"{}\", which the base changed too (nothing "
                                        "was written); merge the base and generate the branch's migration again "
                                        "with drizzle-kit generate",
                                        dir.string(), m->tag, *conflict),
                            {.tag = m->tag});
            Json ddl = Json::array();
            for (const auto& [key, entities] : merged.items())
                for (const auto& e : entities) ddl.push_back(e);
            snap["ddl"] = std::move(ddl);
            if (first) snap["prevIds"] = Json::array({base_last["id"]});
            mv.snapshot = std::move(snap);
            mv.has_snapshot = true;
            r.snapshot_file = mv.to / "snapshot.json";
        }
        first = false;
        moves.push_back(std::move(mv));
        out.rebased.push_back(std::move(r));
    }
    // Base's folders, snapshot first: migration.sql makes a folder a migration to the readers.
    for (const auto* b : s.added) {
        const fs::path to = dir / b->tag;
        std::error_code ec;
        if (fs::exists(to / "migration.sql", ec)) continue;
        fs::create_directories(to, ec);
        if (ec) unwritable(to, ec.message());
        const fs::path snap = merge::snapshot_of(s.base.source, *b);
        if (fs::is_regular_file(snap, ec)) {
            Staging st;
            st.add(to / "snapshot.json", read_text(snap));
            st.commit({});
        }
        Staging st;
        st.add(to / "migration.sql", read_text(b->file));
        st.commit({});
    }
    // Each branch folder: its merged snapshot staged inside it, the folder renamed, the snapshot put in place.
    for (auto& mv : moves) {
        Staging st;
        if (mv.has_snapshot) st.add(mv.from / "snapshot.json", stringify(mv.snapshot));
        std::error_code ec;
        if (mv.from != mv.to) {
            fs::rename(mv.from, mv.to, ec);
            if (ec) unwritable(mv.to, ec.message());
        }
        if (mv.has_snapshot) {
            st.retarget(mv.from, mv.to);
            st.commit({});
        }
    }
    return out;
}

}  // namespace

RebaseResult rebase_migrations(const fs::path& dir, const fs::path& base, const fs::path& merge_base,
                               const RebaseOptions& options) {
    const merge::Sides s = merge::read_sides(base, dir, merge_base);
    if (!s.base.present)
        throw error(errc::journal_missing, fmt::format("base migrations folder {} does not exist", base.string()),
                    {.file = base.string()});
    if (s.base.source.layout != s.head.source.layout)
        throw error(errc::journal_invalid,
                    fmt::format("{} and the base folder {} have different drizzle-kit layouts (0.x journal and 1.0 "
                                "folders): upgrade both first",
                                dir.string(), base.string()),
                    {.file = dir.string()});
    if (s.head.source.layout == FolderLayout::drizzle_v1_folders) return rebase_v1(s, options);
    return rebase_v0(s);
}

}  // namespace migrate
