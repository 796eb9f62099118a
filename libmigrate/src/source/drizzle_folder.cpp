// drizzle-kit 0.x folder: meta/_journal.json + <tag>.sql, read like drizzle-orm's readMigrationFiles,
// but validated up front: every problem in the folder is reported at once, before any connection.
#include "folder_reading.hpp"
#include "text_position.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <unordered_set>
#include <vector>

namespace migrate {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;


// A tag names a file next to the journal; anything that could leave the folder is refused.
std::optional<std::string> tag_problem(const std::string& tag) {
    if (tag.empty()) return "is empty";
    if (tag.find('/') != std::string::npos || tag.find('\\') != std::string::npos) return "contains a path separator";
    if (tag.find("..") != std::string::npos) return "contains '..'";
    if (tag.find('\0') != std::string::npos) return "contains a NUL byte";
    return std::nullopt;
}

// What the reader needs of one element of "entries"; the rest of the journal is skipped unread.
struct JournalEntry {
    bool is_object = false;
    std::optional<std::string> tag;  // set when "tag" is a string
    enum class When { missing, signed_integer, unsigned_integer, not_integer } when_kind = When::missing;
    std::int64_t when_signed = 0;
    std::uint64_t when_unsigned = 0;
    std::optional<bool> breakpoints;  // set when "breakpoints" is a boolean
};

// The journal through nlohmann's SAX interface: the same grammar and error positions as json::parse,
// without building a DOM of every entry (which cost a quarter of a no-op start at 10,000 migrations,
// bench/scaling). A key given twice counts once, the last value, as json::parse keeps it.
class JournalReader final : public nlohmann::json_sax<json> {
public:
    bool root_is_object = false;
    bool entries_is_array = false;
    std::vector<JournalEntry> entries;
    std::optional<std::string> overflow;  // the text of a number too large for a double

    bool null() override { return scalar(Scalar::other); }
    bool boolean(bool value) override {
        boolean_ = value;
        return scalar(Scalar::boolean);
    }
    bool number_integer(number_integer_t value) override {
        signed_ = value;
        return scalar(Scalar::signed_integer);
    }
    bool number_unsigned(number_unsigned_t value) override {
        unsigned_ = value;
        return scalar(Scalar::unsigned_integer);
    }
    bool number_float(number_float_t value, const string_t& text) override {
        // json::parse refuses this as out_of_range ("number overflow"); so do we.
        if (!std::isfinite(value)) {
            overflow = text;
            return false;
        }
        return scalar(Scalar::other);
    }
    bool string(string_t& value) override {
        string_ = &value;
        return scalar(Scalar::string);
    }
    bool binary(binary_t&) override { return scalar(Scalar::other); }
    bool key(string_t& name) override {
        key_ = std::move(name);
        return true;
    }
    bool start_object(std::size_t) override { return open(Frame::object); }
    bool start_array(std::size_t) override { return open(Frame::array); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        error_byte = position;  // what json::parse_error::byte holds
        error_what = e.what();
        return false;
    }

    std::optional<std::size_t> error_byte;
    std::string error_what;

private:
    enum class Frame { object, array };
    enum class Scalar { other, boolean, signed_integer, unsigned_integer, string };
    // Where a container sits: the root object, the entries array, one entry, or anything else (skipped).
    enum class Place { root, entries, entry, skipped };

    // Where the next value goes, from the innermost open container.
    Place next_place(Frame opening) {
        if (stack_.empty()) {
            root_is_object = opening == Frame::object;
            return root_is_object ? Place::root : Place::skipped;
        }
        switch (stack_.back()) {
            case Place::root:
                if (key_ != "entries") return Place::skipped;
                entries_is_array = opening == Frame::array;
                entries.clear();
                return entries_is_array ? Place::entries : Place::skipped;
            case Place::entries:
                add_entry(opening == Frame::object);
                return opening == Frame::object ? Place::entry : Place::skipped;
            case Place::entry:
                assign(Scalar::other);  // a container where tag/when/breakpoints belong: not the right type
                return Place::skipped;
            case Place::skipped:
                return Place::skipped;
        }
        return Place::skipped;
    }

    bool open(Frame frame) {
        stack_.push_back(next_place(frame));
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    bool scalar(Scalar kind) {
        if (stack_.empty()) return true;  // a scalar root: root_is_object stays false
        switch (stack_.back()) {
            case Place::root:
                if (key_ == "entries") {
                    entries_is_array = false;
                    entries.clear();
                }
                break;
            case Place::entries:
                add_entry(false);
                break;
            case Place::entry:
                assign(kind);
                break;
            case Place::skipped:
                break;
        }
        return true;
    }

    void add_entry(bool is_object) {
        entries.emplace_back().is_object = is_object;
    }

    // A value of the current entry under key_.
    void assign(Scalar kind) {
        JournalEntry& e = entries.back();
        if (key_ == "tag") {
            e.tag.reset();
            if (kind == Scalar::string) e.tag = std::move(*string_);
        } else if (key_ == "when") {
            e.when_kind = kind == Scalar::signed_integer     ? JournalEntry::When::signed_integer
                          : kind == Scalar::unsigned_integer ? JournalEntry::When::unsigned_integer
                                                             : JournalEntry::When::not_integer;
            e.when_signed = signed_;
            e.when_unsigned = unsigned_;
        } else if (key_ == "breakpoints") {
            e.breakpoints.reset();
            if (kind == Scalar::boolean) e.breakpoints = boolean_;
        }
    }

    std::vector<Place> stack_;
    std::string key_;
    bool boolean_ = false;
    std::int64_t signed_ = 0;
    std::uint64_t unsigned_ = 0;
    std::string* string_ = nullptr;
};

}  // namespace

Source read_drizzle_folder(const fs::path& dir) {
    const fs::path journal_path = dir / "meta" / "_journal.json";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw error(errc::journal_missing,
                    fmt::format("migrations folder {} does not exist or is not a directory", dir.string()),
                    {.file = dir.string()});
    if (!fs::is_regular_file(journal_path, ec))
        throw error(errc::journal_missing,
                    fmt::format("{} not found: the migrations folder must be drizzle-kit's `out` folder, "
                                "the one holding meta/_journal.json",
                                journal_path.string()),
                    {.file = journal_path.string()});
    auto journal_text = source::read_file(journal_path);
    if (!journal_text)
        throw error(errc::journal_missing, fmt::format("cannot read {}", journal_path.string()),
                    {.file = journal_path.string()});
    return source::parse_drizzle_journal(dir, *journal_text, source::read_file);
}

namespace source {

Source parse_drizzle_journal(const fs::path& dir, std::string_view journal_text, const ReadFile& read_sql) {
    const fs::path journal_path = dir / "meta" / "_journal.json";
    const std::string jp = journal_path.string();
    JournalReader journal;
    if (!json::sax_parse(journal_text, &journal)) {
        if (journal.overflow)  // json::parse's out_of_range: no position, the message quotes the number
            throw error(errc::journal_invalid,
                        fmt::format("{}: not valid JSON (number overflow parsing '{}'); restore the file drizzle-kit wrote",
                                    jp, *journal.overflow),
                        {.file = jp});
        const std::size_t byte = journal.error_byte.value_or(0);
        auto pos = position_of(journal_text, byte == 0 ? 0 : byte - 1);
        std::string what = journal.error_what;
        if (auto colon = what.find("parse error"); colon != std::string::npos) what = what.substr(colon);
        throw error(errc::journal_invalid,
                    fmt::format("{}:{}:{}: not valid JSON ({}); restore the file drizzle-kit wrote", jp, pos.line,
                                pos.column, what),
                    {.file = jp, .line = pos.line});
    }
    if (!journal.root_is_object || !journal.entries_is_array)
        throw error(errc::journal_invalid,
                    fmt::format("{}: expected an object with an \"entries\" array, as drizzle-kit writes", jp),
                    {.file = jp});

    // Each entry validated in order, then every file read (load_entries keeps the entry order of problems).
    std::vector<FolderEntry> folder_entries(journal.entries.size());
    std::unordered_set<std::string_view> seen_tags;
    for (std::size_t i = 0; i < journal.entries.size(); ++i) {
        JournalEntry& e = journal.entries[i];
        auto refuse = [&](errc code, std::string line, error_context context) {
            folder_entries[i].problem = Problem{code, std::move(line), std::move(context)};
        };
        const auto where = [&] { return fmt::format("{}: entries[{}]", jp, i); };
        if (!e.is_object) {
            refuse(errc::journal_invalid, where() + " is not an object", {.file = jp});
            continue;
        }
        if (!e.tag) {
            refuse(errc::journal_invalid, where() + " has no string \"tag\"", {.file = jp});
            continue;
        }
        const std::string& tag = *e.tag;
        if (auto why = tag_problem(tag)) {
            refuse(errc::tag_invalid,
                   fmt::format("{} tag \"{}\" {}: a tag must be a file name in the migrations folder", where(), tag, *why),
                   {.file = jp, .tag = tag});
            continue;
        }
        if (!seen_tags.insert(tag).second) {  // views into journal.entries, which outlives the set
            refuse(errc::tag_duplicate,
                   fmt::format("{} repeats tag \"{}\": each migration must appear once in the journal "
                               "(a bad merge? keep one entry)",
                               where(), tag),
                   {.file = jp, .tag = tag});
            continue;
        }
        // An unsigned past int64 would wrap to a negative created_at.
        using When = JournalEntry::When;
        if (!(e.when_kind == When::signed_integer ||
              (e.when_kind == When::unsigned_integer &&
               e.when_unsigned <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))) {
            refuse(errc::journal_invalid,
                   fmt::format("{} (\"{}\") has no integer \"when\" (milliseconds since 1970, within the 64-bit range)", where(), tag),
                   {.file = jp, .tag = tag});
            continue;
        }
        Migration& m = folder_entries[i].migration.emplace();
        m.position = i;
        m.tag = tag;
        m.when = e.when_kind == When::signed_integer ? e.when_signed : static_cast<std::int64_t>(e.when_unsigned);
        if (e.breakpoints) m.breakpoints = *e.breakpoints;
        m.file = dir / (m.tag + ".sql");
    }

    Source source;
    source.dir = dir;
    Problems problems;
    load_entries(folder_entries, read_sql,
                 [](const Migration& m) {
                     return Problem{errc::migration_missing,
                                    fmt::format("no file {} for journal entry {} (\"{}\"): restore it, or remove the "
                                                "entry if the migration was never applied anywhere",
                                                m.file.string(), m.position, m.tag),
                                    {.file = m.file.string(), .tag = m.tag}};
                 },
                 source.migrations, problems);
    problems.throw_if_any(dir);
    return source;
}

}  // namespace source
}  // namespace migrate
