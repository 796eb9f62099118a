// add_custom_migration: what `drizzle-kit generate --custom` writes, byte for byte (drizzle-kit 0.31.11's
// writeResult and prepareMySqlMigrationSnapshot; drizzle-kit 1.0's folder layout as the openinsure-v1
// corpus shows it). docs/new-migrations.md says what is written and which rules were chosen.
#include <migrate/new_migration.hpp>

#include "folder_reading.hpp"

#include <migrate/error.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <set>

namespace migrate {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// drizzle-kit's originUUID: the parent of the first snapshot.
constexpr std::string_view origin_uuid = "00000000-0000-0000-0000-000000000000";

std::int64_t now_ms(const NewMigrationOptions& options) {
    if (options.now_ms) return *options.now_ms;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::array<unsigned char, 16> random_bytes() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
        throw error(errc::internal, "the random number generator (OpenSSL RAND_bytes) failed");
    return b;
}

// crypto.randomUUID()'s form: version 4, variant 10, lower-case hex.
std::string random_uuid_v4() {
    auto b = random_bytes();
    b[6] = static_cast<unsigned char>((b[6] & 0x0fU) | 0x40U);
    b[8] = static_cast<unsigned char>((b[8] & 0x3fU) | 0x80U);
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", b[i]);
    }
    return out;
}

// drizzle-kit picks `${adjectives.random()}_${heroes.random()}` from its own lists; these are ours, in the
// same spirit. The name only has to be a valid suffix: nothing reads it back.
constexpr std::array adjectives = {"amazing", "brave", "calm",  "clever", "daring", "eager",  "fancy",
                                   "gentle",  "happy", "jolly", "keen",   "lively", "mighty", "nimble",
                                   "proud",   "quiet", "rapid", "silent", "swift",  "wise"};
constexpr std::array heroes = {"archer",   "beacon",  "comet", "falcon",  "glacier", "harbor",
                               "lantern",  "meteor",  "nomad", "oracle",  "phoenix", "ranger",
                               "sentinel", "tempest", "titan", "voyager", "warden",  "zephyr"};

std::string random_name() {
    const auto b = random_bytes();
    return fmt::format("{}_{}", adjectives[b[0] % adjectives.size()], heroes[b[1] % heroes.size()]);
}

void check_name(const std::string& name) {
    const bool ok = !name.empty() && name.size() <= 200 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!ok)
        throw error(errc::tag_invalid,
                    fmt::format("migration name \"{}\" cannot be used: the name must be 1 to 200 of the letters "
                                "A-Z and a-z, digits, '_' and '-' (it becomes part of a file name that drizzle-kit "
                                "and drizzle-orm read back)",
                                name));
}

// ---- JSON as JavaScript sees it -------------------------------------------------------------------------

// An array index key ("0", "17"; not "01", not 2^32-1 or more): JavaScript lists such keys first, ascending.
bool is_array_index(const std::string& key) {
    if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
    if (!std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    return std::stoull(key) < 4294967295ULL;
}

// The value as JSON.parse would build it: object keys in JavaScript's property order, integral numbers as
// integers (JSON.stringify prints 1.0 as 1).
Json as_js(const Json& v) {
    if (v.is_object()) {
        std::vector<std::pair<unsigned long long, std::string>> indexes;
        Json out = Json::object();
        for (const auto& [key, value] : v.items())
            if (is_array_index(key)) indexes.emplace_back(std::stoull(key), key);
        std::sort(indexes.begin(), indexes.end());
        for (const auto& [n, key] : indexes) out[key] = as_js(v.at(key));
        for (const auto& [key, value] : v.items())
            if (!is_array_index(key)) out[key] = as_js(value);
        return out;
    }
    if (v.is_array()) {
        Json out = Json::array();
        for (const auto& e : v) out.push_back(as_js(e));
        return out;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == static_cast<double>(static_cast<std::int64_t>(d)))
            return Json(static_cast<std::int64_t>(d));
    }
    return v;
}

// JSON.stringify(value, null, 2): no trailing newline.
std::string stringify(const Json& v) { return v.dump(2, ' ', false, Json::error_handler_t::replace); }

Json parse_json(const std::string& text, const fs::path& file, errc code) {
    try {
        return as_js(Json::parse(text));
    } catch (const Json::exception& e) {
        throw error(code, fmt::format("{} is not JSON: {}", file.string(), e.what()), {.file = file.string()});
    }
}

// ---- drizzle-kit 0.31's mysqlSchema (zod): it re-orders a snapshot's keys into its own order ------------

// drizzle-kit parses the previous snapshot with zod before copying it, so the copy's keys come out in the
// schema's order, optional keys absent when absent, defaults filled in; a strict object with a key it
// does not know makes drizzle-kit refuse the folder, and so do we.
using Convert = std::function<Json(const Json&, const std::string&)>;
enum class Presence { required, optional, empty_object_default };
struct Field {
    std::string_view key;
    Presence presence;
    Convert convert;  // empty: the value as it is
};

class SnapshotReader {
  public:
    explicit SnapshotReader(fs::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw error(errc::snapshot_invalid,
                    fmt::format("{} is not a drizzle-kit MySQL snapshot: {} (drizzle-kit generate refuses it too)",
                                file_.string(), what),
                    {.file = file_.string()});
    }

    Json object(const Json& in, const std::string& where, const std::vector<Field>& fields, bool strict) const {
        if (!in.is_object()) fail(where + " is not an object");
        if (strict)
            for (const auto& item : in.items()) {
                const std::string& key = item.key();
                if (std::none_of(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; }))
                    fail(fmt::format("{} has the unknown key \"{}\"", where, key));
            }
        Json out = Json::object();
        for (const auto& f : fields) {
            const std::string key(f.key);
            const auto it = in.find(key);
            if (it == in.end()) {
                if (f.presence == Presence::required) fail(fmt::format("{} has no \"{}\"", where, key));
                if (f.presence == Presence::empty_object_default) out[key] = Json::object();
                continue;
            }
            out[key] = f.convert ? f.convert(*it, fmt::format("{}.{}", where, key)) : *it;
        }
        return out;
    }

    Convert record(const Convert& value) const {
        return [this, value](const Json& in, const std::string& where) {
            if (!in.is_object()) fail(where + " is not an object");
            Json out = Json::object();
            for (const auto& [key, v] : in.items()) out[key] = value(v, fmt::format("{}[\"{}\"]", where, key));
            return out;
        };
    }

    Convert shape(std::vector<Field> fields, bool strict) const {
        return [this, fields = std::move(fields), strict](const Json& in, const std::string& where) {
            return object(in, where, fields, strict);
        };
    }

    // The previous snapshot as drizzle-kit's custom copy has it: {id, prevId, ...the rest in schema order},
    // `_meta` reset to the empty rename map writeResult writes.
    Json custom_copy(const Json& previous, const std::string& id) const {
        const Convert column =
            shape({{"name", Presence::required, {}},
                   {"type", Presence::required, {}},
                   {"primaryKey", Presence::required, {}},
                   {"notNull", Presence::required, {}},
                   {"autoincrement", Presence::optional, {}},
                   {"default", Presence::optional, {}},
                   {"onUpdate", Presence::optional, {}},
                   {"generated", Presence::optional,
                    shape({{"type", Presence::required, {}}, {"as", Presence::required, {}}}, true)}},
                  true);
        const Convert index_shape = shape({{"name", Presence::required, {}},
                                           {"columns", Presence::required, {}},
                                           {"isUnique", Presence::required, {}},
                                           {"using", Presence::optional, {}},
                                           {"algorithm", Presence::optional, {}},
                                           {"lock", Presence::optional, {}}},
                                          true);
        const Convert fk = shape({{"name", Presence::required, {}},
                                  {"tableFrom", Presence::required, {}},
                                  {"columnsFrom", Presence::required, {}},
                                  {"tableTo", Presence::required, {}},
                                  {"columnsTo", Presence::required, {}},
                                  {"onUpdate", Presence::optional, {}},
                                  {"onDelete", Presence::optional, {}}},
                                 true);
        const Convert name_columns =
            shape({{"name", Presence::required, {}}, {"columns", Presence::required, {}}}, true);
        const Convert check = shape({{"name", Presence::required, {}}, {"value", Presence::required, {}}}, true);
        const Convert table = shape({{"name", Presence::required, {}},
                                     {"columns", Presence::required, record(column)},
                                     {"indexes", Presence::required, record(index_shape)},
                                     {"foreignKeys", Presence::required, record(fk)},
                                     {"compositePrimaryKeys", Presence::required, record(name_columns)},
                                     {"uniqueConstraints", Presence::empty_object_default, record(name_columns)},
                                     {"checkConstraint", Presence::empty_object_default, record(check)}},
                                    true);
        const Convert view = shape({{"name", Presence::required, {}},
                                    {"columns", Presence::required, record(column)},
                                    {"definition", Presence::optional, {}},
                                    {"isExisting", Presence::required, {}},
                                    {"algorithm", Presence::required, {}},
                                    {"sqlSecurity", Presence::required, {}},
                                    {"withCheckOption", Presence::optional, {}}},
                                   true);
        const auto internal_part = [this](std::string_view flag) {
            return record(shape(
                {{"columns", Presence::required, record(shape({{flag, Presence::optional, {}}}, false))}}, false));
        };
        const Convert internal = shape({{"tables", Presence::optional, internal_part("isDefaultAnExpression")},
                                        {"indexes", Presence::optional, internal_part("isExpression")}},
                                       false);

        if (!previous.is_object()) fail("the snapshot is not an object");
        if (previous.value("version", Json()) != Json("5"))
            fail("\"version\" is not \"5\" (an older snapshot: run drizzle-kit up)");
        if (previous.value("dialect", Json()) != Json("mysql")) fail("\"dialect\" is not \"mysql\"");
        if (!previous.contains("id") || !previous["id"].is_string()) fail("\"id\" is not a string");
        if (!previous.contains("prevId") || !previous["prevId"].is_string()) fail("\"prevId\" is not a string");
        // The top level is not strict (zod's merge with the id/prevId object strips unknown keys).
        Json rest = object(previous, "the snapshot",
                           {{"version", Presence::required, {}},
                            {"dialect", Presence::required, {}},
                            {"tables", Presence::required, record(table)},
                            {"views", Presence::empty_object_default, record(view)},
                            {"_meta", Presence::required, {}},
                            {"internal", Presence::optional, internal}},
                           false);
        if (!rest["_meta"].is_object()) fail("\"_meta\" is not an object");
        rest["_meta"] = Json{{"columns", Json::object()}, {"schemas", Json::object()}, {"tables", Json::object()}};
        Json out{{"id", id}, {"prevId", previous["id"]}};
        for (auto& [key, value] : rest.items()) out[key] = value;
        return out;
    }

  private:
    fs::path file_;
};

// ---- writing --------------------------------------------------------------------------------------------

[[noreturn]] void throw_unwritable(const fs::path& path, int err) {
    throw error(errc::folder_unwritable, fmt::format("cannot write {}: {}", path.string(), std::strerror(err)),
                {.file = path.string()});
}

// Creates `path` with `bytes`; false when it already exists (nothing is overwritten).
bool write_new_file(const fs::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        throw_unwritable(path, errno);
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(path.c_str());
            throw_unwritable(path, err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(path.c_str());
        throw_unwritable(path, err);
    }
    return true;
}

[[noreturn]] void throw_exists(const fs::path& path, const std::string& tag) {
    throw error(errc::tag_duplicate,
                fmt::format("{} already exists: choose another migration name (nothing was written)", path.string()),
                {.file = path.string(), .tag = tag});
}

// Removes what a failed add wrote, newest first; best effort (the original error is what matters).
struct Undo {
    std::vector<fs::path> paths;
    bool done = false;
    ~Undo() {
        if (done) return;
        for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
            std::error_code ec;
            fs::remove(*it, ec);
        }
    }
};

// Writes `path` through a temporary file in the same folder and a rename, so readers see the old or
// the new bytes, never a part. The temporary's name starts with '_' so that drizzle-kit, which takes
// every meta/ file not starting with '_' for a snapshot, never mistakes a left-over one for a snapshot.
void replace_file(const fs::path& path, const std::string& bytes) {
    const fs::path tmp = path.parent_path() / ("_" + path.filename().string() + ".tmp");
    std::error_code ec;
    fs::remove(tmp, ec);
    if (!write_new_file(tmp, bytes)) throw_unwritable(tmp, EEXIST);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        fs::remove(tmp, ec);
        throw_unwritable(path, err);
    }
}

std::string read_or_throw(const fs::path& path, errc code) {
    auto text = source::read_file(path);
    if (!text) throw error(code, fmt::format("cannot read {}", path.string()), {.file = path.string()});
    return *text;
}

// ---- 0.x: meta/_journal.json ----------------------------------------------------------------------------

std::string prefix_for(MigrationPrefix mode, std::int64_t idx, std::int64_t now) {
    switch (mode) {
        case MigrationPrefix::index: return fmt::format("{:04}", idx);
        case MigrationPrefix::timestamp:
        case MigrationPrefix::supabase: return source::utc_stamp(now / 1000);
        case MigrationPrefix::unix_seconds: return std::to_string(now / 1000);
        case MigrationPrefix::none: return "";
    }
    return "";
}

// meta/ files drizzle-kit takes for snapshots: every name not starting with '_', sorted (its `snapshots.sort()`
// on paths of one folder; names here are ASCII in practice, where UTF-16 and byte order agree).
std::vector<fs::path> snapshot_files(const fs::path& meta) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(meta, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name[0] != '_') out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return out;
}

// drizzle-kit's "collision": two snapshots naming one parent. It refuses to generate; so do we, since a
// new snapshot would only hang off one of them.
void refuse_collisions(const std::vector<std::pair<fs::path, std::string>>& parents) {
    std::map<std::string, std::vector<std::string>> by_parent;
    for (const auto& [file, parent] : parents) by_parent[parent].push_back(file.string());
    for (const auto& [parent, files] : by_parent)
        if (files.size() > 1)
            throw error(errc::snapshot_invalid,
                        fmt::format("[{}] point to one parent snapshot {}: a collision (usually two branches "
                                    "merged); drizzle-kit refuses to generate until it is resolved",
                                    fmt::join(files, ", "), parent),
                        {.file = files.front()});
}

NewMigration add_to_journal_folder(const fs::path& dir, const NewMigrationOptions& options, const std::string& name,
                                   bool start_folder) {
    const fs::path meta = dir / "meta";
    const fs::path journal_path = meta / "_journal.json";
    Json journal;
    std::set<std::string> tags;
    if (start_folder) {
        // prepareOutFolder's dry journal; writeResult then writes it indented.
        journal = Json{{"version", "7"}, {"dialect", "mysql"}, {"entries", Json::array()}};
    } else {
        const Source source = read_drizzle_folder(dir);  // refuses what drizzle-orm would not run
        for (const auto& m : source.migrations) tags.insert(m.tag);
        journal = parse_json(read_or_throw(journal_path, errc::journal_missing), journal_path, errc::journal_invalid);
        if (!journal.is_object() || !journal.contains("entries") || !journal["entries"].is_array())
            throw error(errc::journal_invalid, fmt::format("{} has no \"entries\" array", journal_path.string()),
                        {.file = journal_path.string()});
    }
    Json& entries = journal["entries"];

    std::int64_t idx = 0;
    std::int64_t latest_when = 0;
    bool breakpoints = true;  // drizzle-kit's default for `breakpoints`
    if (!entries.empty()) {
        const Json& last = entries.back();
        if (!last.contains("idx") || !last["idx"].is_number_integer())
            throw error(errc::journal_invalid,
                        fmt::format("{}: the last entry's \"idx\" is not an integer, so the next one cannot be "
                                    "numbered as drizzle-kit numbers it",
                                    journal_path.string()),
                        {.file = journal_path.string()});
        idx = last["idx"].get<std::int64_t>() + 1;
        if (last.contains("breakpoints") && last["breakpoints"].is_boolean())
            breakpoints = last["breakpoints"].get<bool>();
        for (const Json& e : entries)
            if (e.contains("when") && e["when"].is_number_integer())
                latest_when = std::max(latest_when, e["when"].get<std::int64_t>());
    }
    const std::int64_t now = now_ms(options);
    // Every reader orders by journal position, but drizzle-orm skips an entry older than the newest applied
    // one: a clock behind the journal must not write an older `when`.
    const std::int64_t when = std::max(now, latest_when + 1);

    const MigrationPrefix mode = options.prefix.value_or(MigrationPrefix::index);
    const std::string prefix = prefix_for(mode, idx, now);
    const std::string tag = prefix + "_" + name;
    if (tags.count(tag) != 0) throw_exists(dir / (tag + ".sql"), tag);

    // The previous snapshot (or drizzle-kit's dry one) and the collision check over all of them.
    Json previous;
    fs::path previous_file = meta / "(none)";
    if (start_folder) {
        previous =
            Json{{"version", "5"},
                 {"dialect", "mysql"},
                 {"id", origin_uuid},
                 {"prevId", ""},
                 {"tables", Json::object()},
                 {"views", Json::object()},
                 {"_meta", Json{{"schemas", Json::object()}, {"tables", Json::object()}, {"columns", Json::object()}}}};
    } else {
        std::vector<std::pair<fs::path, std::string>> parents;
        const auto files = snapshot_files(meta);
        for (const auto& file : files) {
            Json snap = parse_json(read_or_throw(file, errc::snapshot_invalid), file, errc::snapshot_invalid);
            if (snap.is_object() && snap.contains("prevId") && snap["prevId"].is_string())
                parents.emplace_back(file, snap["prevId"].get<std::string>());
            if (file == files.back()) previous = std::move(snap);
        }
        refuse_collisions(parents);
        if (files.empty())
            previous =
                Json{{"version", "5"},           {"dialect", "mysql"},      {"id", origin_uuid},      {"prevId", ""},
                     {"tables", Json::object()}, {"views", Json::object()}, {"_meta", Json::object()}};
        else
            previous_file = files.back();
    }
    const std::string id = random_uuid_v4();
    const Json snapshot = SnapshotReader(previous_file).custom_copy(previous, id);

    NewMigration out;
    out.layout = FolderLayout::drizzle_v0_journal;
    out.tag = tag;
    out.sql_file = dir / (tag + ".sql");
    out.snapshot_file = meta / (prefix + "_snapshot.json");
    out.journal_file = journal_path;
    out.when = when;
    out.snapshot_id = id;
    out.previous_id = previous["id"].get<std::string>();

    Undo undo;
    if (start_folder) {
        std::error_code ec;
        if (!fs::create_directory(meta, ec) && ec) throw_unwritable(meta, ec.value());
        undo.paths.push_back(meta);
    }
    if (!write_new_file(out.sql_file, std::string(custom_migration_header))) throw_exists(out.sql_file, tag);
    undo.paths.push_back(out.sql_file);
    if (!write_new_file(out.snapshot_file, stringify(snapshot))) throw_exists(out.snapshot_file, tag);
    undo.paths.push_back(out.snapshot_file);

    entries.push_back(Json{{"idx", idx}, {"version", "5"}, {"when", when}, {"tag", tag}, {"breakpoints", breakpoints}});
    replace_file(journal_path, stringify(journal));
    undo.done = true;
    return out;
}

// ---- 1.0: <YYYYMMDDHHMMSS>_<name>/ ----------------------------------------------------------------------

NewMigration add_to_v1_folder(const fs::path& dir, const NewMigrationOptions& options, const std::string& name) {
    if (options.prefix)
        throw error(errc::config_invalid,
                    fmt::format("{} is a drizzle-kit 1.0 folder, which has no prefix setting (its folder names "
                                "always start with the UTC time): leave the prefix unset",
                                dir.string()),
                    {.file = dir.string()});
    const Source source = read_drizzle_v1_folder(dir);

    // The leaf snapshot: the one no other snapshot names as a parent (drizzle-kit 1.0's findLeafSnapshotIds).
    struct Snap {
        fs::path file;
        Json json;
    };
    std::vector<Snap> snaps;
    std::set<std::string> parents;
    for (const auto& m : source.migrations) {
        const fs::path file = dir / m.tag / "snapshot.json";
        std::error_code ec;
        if (!fs::exists(file, ec)) continue;
        Json snap = parse_json(read_or_throw(file, errc::snapshot_invalid), file, errc::snapshot_invalid);
        if (!snap.is_object() || !snap.contains("id") || !snap["id"].is_string() || !snap.contains("prevIds") ||
            !snap["prevIds"].is_array())
            throw error(errc::snapshot_invalid,
                        fmt::format("{} is not a drizzle-kit 1.0 snapshot (no \"id\" string, no \"prevIds\" array)",
                                    file.string()),
                        {.file = file.string()});
        for (const auto& p : snap["prevIds"])
            if (p.is_string()) parents.insert(p.get<std::string>());
        snaps.push_back({file, std::move(snap)});
    }
    std::vector<const Snap*> leaves;
    for (const auto& s : snaps)
        if (parents.count(s.json["id"].get<std::string>()) == 0) leaves.push_back(&s);
    if (leaves.size() != 1)
        throw error(errc::snapshot_invalid,
                    leaves.empty()
                        ? fmt::format("{} has no snapshot.json to copy (each drizzle-kit 1.0 migration folder has one)",
                                      dir.string())
                        : fmt::format("{} has {} leaf snapshots (branches not merged yet): run drizzle-kit generate "
                                      "to merge them first",
                                      dir.string(), leaves.size()),
                    {.file = dir.string()});
    const Snap& leaf = *leaves.front();

    // drizzle-kit 1.0 (rc.5): max(now, the newest folder's time + 1 s), so folders stay ordered and distinct.
    std::int64_t seconds = now_ms(options) / 1000;
    for (const auto& m : source.migrations) seconds = std::max(seconds, m.when / 1000 + 1);
    const std::string tag = source::utc_stamp(seconds) + "_" + name;

    const std::string id = random_uuid_v4();
    Json snapshot{{"id", id}, {"prevIds", Json::array({leaf.json["id"]})}};
    for (const auto& [key, value] : leaf.json.items())
        if (key != "id" && key != "prevIds") snapshot[key] = value;
    // A custom migration renames nothing.
    if (snapshot.contains("renames")) snapshot["renames"] = Json::array();

    NewMigration out;
    out.layout = FolderLayout::drizzle_v1_folders;
    out.tag = tag;
    out.sql_file = dir / tag / "migration.sql";
    out.snapshot_file = dir / tag / "snapshot.json";
    out.when = seconds * 1000;
    out.snapshot_id = id;
    out.previous_id = leaf.json["id"].get<std::string>();

    Undo undo;
    const fs::path folder = dir / tag;
    if (::mkdir(folder.c_str(), 0755) != 0) {
        if (errno == EEXIST) throw_exists(folder, tag);
        throw_unwritable(folder, errno);
    }
    undo.paths.push_back(folder);
    if (!write_new_file(out.snapshot_file, stringify(snapshot))) throw_exists(out.snapshot_file, tag);
    undo.paths.push_back(out.snapshot_file);
    // migration.sql makes the folder a migration for the readers: it comes last, whole.
    replace_file(out.sql_file, std::string(custom_migration_header));
    undo.paths.push_back(out.sql_file);
    undo.done = true;
    return out;
}

}  // namespace

std::string_view to_string(MigrationPrefix prefix) noexcept {
    switch (prefix) {
        case MigrationPrefix::index: return "index";
        case MigrationPrefix::timestamp: return "timestamp";
        case MigrationPrefix::supabase: return "supabase";
        case MigrationPrefix::unix_seconds: return "unix";
        case MigrationPrefix::none: return "none";
    }
    return "index";
}

std::optional<MigrationPrefix> parse_migration_prefix(std::string_view text) noexcept {
    for (auto p : {MigrationPrefix::index, MigrationPrefix::timestamp, MigrationPrefix::supabase,
                   MigrationPrefix::unix_seconds, MigrationPrefix::none})
        if (to_string(p) == text) return p;
    return std::nullopt;
}

NewMigration add_custom_migration(const fs::path& dir, const NewMigrationOptions& options) {
    const std::string name = options.name.empty() ? random_name() : options.name;
    check_name(name);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw error(errc::journal_missing,
                    fmt::format("migrations folder {} does not exist or is not a directory", dir.string()),
                    {.file = dir.string()});
    if (fs::exists(dir / "meta" / "_journal.json", ec)) {
        // read_migrations_folder's rule: a journal next to 1.0 folders is refused there.
        (void)read_migrations_folder(dir);
        return add_to_journal_folder(dir, options, name, false);
    }
    if (fs::exists(dir / "meta", ec)) return add_to_journal_folder(dir, options, name, false);  // its error
    try {
        (void)read_drizzle_v1_folder(dir);
    } catch (const error& e) {
        if (e.code() != errc::journal_missing) throw;
        return add_to_journal_folder(dir, options, name, true);  // neither layout yet: drizzle-kit 0.x starts one
    }
    return add_to_v1_folder(dir, options, name);
}

}  // namespace migrate
