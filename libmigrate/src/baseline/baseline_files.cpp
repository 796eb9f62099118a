#include "baseline_files.hpp"

#include "source/folder_reading.hpp"
#include "source/json_document.hpp"

#include <migrate/error.hpp>
#include <migrate/version.hpp>

#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <fstream>
#include <set>
#include <utility>

namespace migrate {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::string_view layout_name(FolderLayout l) {
    return l == FolderLayout::drizzle_v1_folders ? "drizzle-1.0-folders" : "drizzle-0.x-journal";
}

// Messages name the file and the key; the fix is always the same: regenerate.
struct Reader {
    std::string file;

    [[noreturn]] void fail(std::string_view key, const std::string& what) const {
        throw error(errc::baseline_invalid,
                    fmt::format("{}: {}{}; create the baseline again", file,
                                key.empty() ? "" : fmt::format("key \"{}\": ", key), what),
                    {.file = file, .fix = remedy::create_baseline});
    }
    void only_keys(const json& obj, std::string_view where, const std::set<std::string>& known) const {
        for (const auto& [k, v] : obj.items())
            if (!known.contains(k)) fail(fmt::format("{}{}", where, k), "unknown key");
    }
    const json& member(const json& obj, const std::string& key, json::value_t type, std::string_view where = "") const {
        auto it = obj.find(key);
        const std::string name = fmt::format("{}{}", where, key);
        if (it == obj.end()) fail(name, "missing");
        bool ok = it->type() == type ||
                  (type == json::value_t::number_integer && it->type() == json::value_t::number_unsigned);
        if (!ok) fail(name, fmt::format("expected {}, got {}", json(type).type_name(), it->type_name()));
        return *it;
    }
};

// What baseline.json says; the snapshot and the comparison with the folder come after.
struct Metadata {
    std::string created_by, server, through, layout, snapshot_sha;
    std::size_t tables = 0, rows = 0;
    std::vector<BaselineMigration> covered;
};

// The fast path (as for the journal, source/journal_json.cpp): simdjson reads a baseline.json exactly as
// `migrate baseline create` writes it -- every key once, nothing unknown, every type as written, the
// format this library reads, the last covered tag equal to "through". Anything else, valid or not, is
// nullopt and goes to the nlohmann reader below, whose answer (or message) is the only one. Every start
// reads this file; nlohmann took 3.4 million instructions over the monolith's 35 KB, 9 % of a no-op `up`
// (bench/noop-floor, callgrind), simdjson a tenth of that.
std::optional<Metadata> read_regular_metadata(std::string_view text) {
    using simdjson::SUCCESS;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::dom::object object;
    if (parser.parse(text.data(), text.size()).get(root) != SUCCESS || root.get(object) != SUCCESS) return std::nullopt;
    Metadata m;
    unsigned seen = 0;
    auto once = [&seen](unsigned bit) { return !(std::exchange(seen, seen | bit) & bit); };
    auto string = [](simdjson::dom::element e, std::string& out) {
        std::string_view v;
        if (e.get(v) != SUCCESS) return false;
        out = v;
        return true;
    };
    auto size = [](simdjson::dom::element e, std::size_t& out) {
        if (!e.is_uint64()) return false;
        out = static_cast<std::size_t>(e.get_uint64().value_unsafe());
        return true;
    };
    bool ok = true;
    for (auto field : object) {
        const std::string_view k = field.key;
        if (k == "format" && once(1u))
            ok = field.value.is_int64() && field.value.get_int64().value_unsafe() == baseline::format_version;
        else if (k == "createdBy" && once(2u))
            ok = string(field.value, m.created_by);
        else if (k == "server" && once(4u))
            ok = string(field.value, m.server);
        else if (k == "through" && once(8u))
            ok = string(field.value, m.through);
        else if (k == "layout" && once(16u))
            ok = string(field.value, m.layout);
        else if (k == "snapshot" && once(32u)) {
            simdjson::dom::object snap;
            if (field.value.get(snap) != SUCCESS) return std::nullopt;
            unsigned snap_seen = 0;
            std::string file;
            for (auto f : snap) {
                const std::string_view sk = f.key;
                const unsigned bit = sk == "file"         ? 1u
                                     : sk == "sha256"     ? 2u
                                     : sk == "tables"     ? 4u
                                     : sk == "views"      ? 8u
                                     : sk == "rows"       ? 16u
                                     : sk == "statements" ? 32u
                                                          : 0u;
                if (!bit || (std::exchange(snap_seen, snap_seen | bit) & bit)) return std::nullopt;
                if (bit == 1u) ok = string(f.value, file) && file == baseline::snapshot_file;
                if (bit == 2u) ok = string(f.value, m.snapshot_sha);
                if (bit == 4u) ok = size(f.value, m.tables);
                if (bit == 16u) ok = size(f.value, m.rows);
                if (!ok) return std::nullopt;
            }
            ok = (snap_seen & (1u | 2u | 4u | 16u)) == (1u | 2u | 4u | 16u);
        } else if (k == "migrations" && once(64u)) {
            simdjson::dom::array list;
            if (field.value.get(list) != SUCCESS) return std::nullopt;
            m.covered.reserve(list.size());
            for (auto element : list) {
                simdjson::dom::object entry;
                if (element.get(entry) != SUCCESS) return std::nullopt;
                BaselineMigration& c = m.covered.emplace_back();
                unsigned entry_seen = 0;
                for (auto f : entry) {
                    const std::string_view ek = f.key;
                    const unsigned bit = ek == "tag" ? 1u : ek == "when" ? 2u : ek == "hash" ? 4u : 0u;
                    if (!bit || (std::exchange(entry_seen, entry_seen | bit) & bit)) return std::nullopt;
                    if (bit == 1u && !string(f.value, c.tag)) return std::nullopt;
                    if (bit == 2u) {
                        if (!f.value.is_int64()) return std::nullopt;
                        c.when = f.value.get_int64().value_unsafe();
                    }
                    if (bit == 4u && !string(f.value, c.hash)) return std::nullopt;
                }
                if (entry_seen != 7u) return std::nullopt;
            }
        } else
            ok = false;  // unknown or repeated
        if (!ok) return std::nullopt;
    }
    if (seen != 127u || m.covered.empty() || m.covered.back().tag != m.through) return std::nullopt;
    return m;
}

// The reader of record: every key checked, every problem named with its key.
Metadata read_metadata(const Reader& r, std::string_view text) {
    auto document = source::read_ordered_json(text);
    if (document.error) {
        const auto pos = document.error->position;
        r.fail("", fmt::format("not valid JSON at line {}, column {}", pos.line, pos.column));
    }
    const json& meta = document.value;
    if (!meta.is_object()) r.fail("", "expected a JSON object");
    r.only_keys(meta, "", {"format", "createdBy", "server", "layout", "through", "snapshot", "migrations"});
    const auto format = r.member(meta, "format", json::value_t::number_integer).get<std::int64_t>();
    if (format != baseline::format_version)
        r.fail("format", fmt::format("format {} is not one this libmigrate reads (it reads {})", format,
                                     baseline::format_version));

    Metadata m;
    m.created_by = r.member(meta, "createdBy", json::value_t::string).get<std::string>();
    m.server = r.member(meta, "server", json::value_t::string).get<std::string>();
    m.through = r.member(meta, "through", json::value_t::string).get<std::string>();
    m.layout = r.member(meta, "layout", json::value_t::string).get<std::string>();
    const auto& snap = r.member(meta, "snapshot", json::value_t::object);
    r.only_keys(snap, "snapshot.", {"file", "sha256", "tables", "views", "rows", "statements"});
    if (r.member(snap, "file", json::value_t::string, "snapshot.").get<std::string>() != baseline::snapshot_file)
        r.fail("snapshot.file", fmt::format("must be \"{}\"", baseline::snapshot_file));
    m.snapshot_sha = r.member(snap, "sha256", json::value_t::string, "snapshot.").get<std::string>();
    m.tables = r.member(snap, "tables", json::value_t::number_integer, "snapshot.").get<std::size_t>();
    m.rows = r.member(snap, "rows", json::value_t::number_integer, "snapshot.").get<std::size_t>();

    const auto& list = r.member(meta, "migrations", json::value_t::array);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = fmt::format("migrations[{}].", i);
        if (!list[i].is_object()) r.fail(fmt::format("migrations[{}]", i), "expected an object");
        r.only_keys(list[i], where, {"tag", "when", "hash"});
        m.covered.push_back({r.member(list[i], "tag", json::value_t::string, where).get<std::string>(),
                             r.member(list[i], "when", json::value_t::number_integer, where).get<std::int64_t>(),
                             r.member(list[i], "hash", json::value_t::string, where).get<std::string>()});
    }
    if (m.covered.empty()) r.fail("migrations", "covers no migration");
    if (m.covered.back().tag != m.through)
        r.fail("through",
               fmt::format("\"{}\" is not the last covered migration (\"{}\")", m.through, m.covered.back().tag));
    return m;
}

}  // namespace

fs::path default_baseline_dir(const fs::path& migrations_dir) { return migrations_dir / "baseline"; }

std::optional<Baseline> read_baseline(const fs::path& dir, const Source& source) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return std::nullopt;
    const fs::path meta_path = dir / baseline::metadata_file;
    const Reader r{meta_path.string()};
    if (!fs::is_directory(dir, ec)) r.fail("", fmt::format("{} is not a folder", dir.string()));
    auto text = source::read_file(meta_path);
    if (!text) r.fail("", "cannot be read (a baseline folder holds baseline.json and snapshot.sql)");
    auto fast = read_regular_metadata(*text);
    Metadata meta = fast ? std::move(*fast) : read_metadata(r, *text);

    Baseline b;
    b.dir = dir;
    b.created_by = std::move(meta.created_by);
    b.server = std::move(meta.server);
    b.through = std::move(meta.through);
    b.tables = meta.tables;
    b.rows = meta.rows;
    b.covered = std::move(meta.covered);
    const std::string& layout = meta.layout;
    const std::string& recorded_sha = meta.snapshot_sha;

    // snapshot.sql, read as a migration file so the runner can apply and resume it like any other.
    b.snapshot.tag = "baseline";
    b.snapshot.when = baseline_progress_key;
    b.snapshot.file = dir / baseline::snapshot_file;
    auto bytes = source::read_file(b.snapshot.file);
    if (!bytes) Reader{b.snapshot.file.string()}.fail("", "cannot be read");
    if (auto problem = source::load_migration_text(b.snapshot, std::move(*bytes))) {
        source::Problems problems;
        problems.add(std::move(*problem));
        problems.throw_if_any(dir);
    }

    // Does it still describe the folder? Every difference is a reason not to use it.
    if (layout != layout_name(source.layout))
        b.problems.push_back(fmt::format("it was made from a {} folder and {} is a {} folder", layout,
                                         source.dir.string(), layout_name(source.layout)));
    if (b.snapshot.hash != recorded_sha)
        b.problems.push_back(fmt::format("{} was edited after it was made (sha256 {} recorded, {} now)",
                                         b.snapshot.file.string(), recorded_sha, b.snapshot.hash));
    for (std::size_t i = 0; i < b.covered.size(); ++i) {
        const auto& c = b.covered[i];
        if (i >= source.migrations.size()) {
            b.problems.push_back(fmt::format("it covers {}, which is not in {}", c.tag, source.dir.string()));
            continue;
        }
        const Migration& m = source.migrations[i];
        if (m.tag != c.tag)
            b.problems.push_back(
                fmt::format("migration {} of the folder is {}, the baseline has {} there (migrations "
                            "were inserted, removed or renamed before its end)",
                            i + 1, m.tag, c.tag));
        else if (m.hash != c.hash)
            b.problems.push_back(fmt::format("{} was edited after the snapshot was made (hash {} then, {} now)",
                                             m.file.string(), c.hash, m.hash));
        else if (m.when != c.when)
            b.problems.push_back(
                fmt::format("{} has journal when {} now, {} when the snapshot was made", m.tag, m.when, c.when));
    }
    return b;
}

namespace baseline {

void write_baseline(const fs::path& dir, const Source& source, std::size_t covered, const std::string& server,
                    const SnapshotCounts& counts, const std::string& snapshot_sql) {
    json meta;
    meta["format"] = format_version;
    meta["createdBy"] = fmt::format("libmigrate {}", library_version());
    meta["server"] = server;
    meta["layout"] = layout_name(source.layout);
    meta["through"] = source.migrations[covered - 1].tag;
    meta["snapshot"] = {{"file", snapshot_file},   {"sha256", drizzle_hash(snapshot_sql)},
                        {"tables", counts.tables}, {"views", counts.views},
                        {"rows", counts.rows},     {"statements", counts.statements}};
    json list = json::array();
    for (std::size_t i = 0; i < covered; ++i) {
        const Migration& m = source.migrations[i];
        list.push_back({{"tag", m.tag}, {"when", m.when}, {"hash", m.hash}});
    }
    meta["migrations"] = std::move(list);

    const fs::path tmp = dir.parent_path() / fmt::format(".{}.tmp-{}", dir.filename().string(), ::getpid());
    const fs::path old = dir.parent_path() / fmt::format(".{}.old-{}", dir.filename().string(), ::getpid());
    auto fail = [&](const std::string& what) {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        throw error(errc::baseline_invalid, fmt::format("cannot write the baseline into {}: {}", dir.string(), what),
                    {.file = dir.string()});
    };
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (!fs::create_directories(tmp, ec) || ec) fail(ec.message());
    auto write = [&](const char* name, const std::string& text) {
        std::ofstream out(tmp / name, std::ios::binary);
        out << text;
        out.close();
        if (!out) fail(fmt::format("writing {} failed", name));
    };
    write(metadata_file, meta.dump(2) + "\n");
    write(snapshot_file, snapshot_sql);
    // Replace the old pair as a whole: move it aside, move the new one in, then delete the old one.
    const bool had_old = fs::exists(dir, ec);
    if (had_old) {
        fs::rename(dir, old, ec);
        if (ec) fail(ec.message());
    }
    fs::rename(tmp, dir, ec);
    if (ec) {
        if (had_old) fs::rename(old, dir, ec);
        fail("cannot move the new baseline into place");
    }
    if (had_old) fs::remove_all(old, ec);
}

}  // namespace baseline
}  // namespace migrate
