// Two readers of one grammar: simdjson for journals that are exactly as drizzle-kit writes them (a no-op
// start at 10,000 migrations spent a fifth of its time in nlohmann's lexer: bench/scaling), and
// nlohmann's SAX parser for everything else. Any error or irregularity on the fast path, down to a
// `when` that is not a plain int64, hands the text to nlohmann, whose result (and line:column message)
// is the answer; so both readers only ever have to agree on well-formed journals, which the journal fuzz
// target checks against json::parse.
#include "journal_json.hpp"

#include "json_document.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace migrate::source {
namespace {

using json = nlohmann::json;

// The authority: nlohmann's SAX interface, the same grammar and error positions as json::parse (and
// the fuzz target's reference), without building a DOM of every entry. A key given twice counts once,
// the last value, as json::parse keeps it.
class SaxJournalReader final : public nlohmann::json_sax<json> {
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
        key_.assign(name);  // a copy into key_'s buffer: moving would take the lexer's, which it then reallocates
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
            case Place::skipped: return Place::skipped;
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
            case Place::entries: add_entry(false); break;
            case Place::entry: assign(kind); break;
            case Place::skipped: break;
        }
        return true;
    }

    void add_entry(bool is_object) { entries.emplace_back().is_object = is_object; }

    // A value of the current entry under key_.
    void assign(Scalar kind) {
        JournalEntry& e = entries.back();
        if (key_ == "tag") {
            e.tag.reset();
            if (kind == Scalar::string) e.tag = std::move(*string_);
        } else if (key_ == "when") {
            e.when.reset();
            if (kind == Scalar::signed_integer) e.when = signed_;
            // An unsigned past int64 would wrap to a negative created_at: left unset, refused.
            if (kind == Scalar::unsigned_integer &&
                unsigned_ <= std::uint64_t{std::numeric_limits<std::int64_t>::max()})
                e.when = static_cast<std::int64_t>(unsigned_);
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

// The fast path: nullopt unless the text is JSON simdjson accepts, the root an object whose last
// "entries" is an array of objects each with a string "tag", an int64 "when" and, if any, a boolean
// "breakpoints" (what drizzle-kit writes); the caller then asks nlohmann.
std::optional<std::vector<JournalEntry>> read_regular_journal(std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) return std::nullopt;
    std::optional<simdjson::dom::array> entries;
    for (auto field : object)
        if (field.key == "entries") {
            simdjson::dom::array array;
            if (field.value.get(array) != simdjson::SUCCESS) return std::nullopt;
            entries = array;
        }
    if (!entries) return std::nullopt;
    std::vector<JournalEntry> out;
    out.reserve(entries->size());
    for (auto element : *entries) {
        simdjson::dom::object entry_object;
        if (element.get(entry_object) != simdjson::SUCCESS) return std::nullopt;
        JournalEntry& e = out.emplace_back();
        e.is_object = true;
        for (auto field : entry_object) {
            if (field.key == "tag") {
                std::string_view tag;
                if (field.value.get(tag) != simdjson::SUCCESS) return std::nullopt;
                e.tag = std::string(tag);
            } else if (field.key == "when") {
                // Only a plain int64 (what drizzle-kit writes); anything else — a double, an unsigned past
                // int64, an integer too large for simdjson — goes to nlohmann, so what counts as an
                // integer `when` is json::parse's decision alone.
                if (!field.value.is_int64()) return std::nullopt;
                e.when = field.value.get_int64().value_unsafe();
            } else if (field.key == "breakpoints") {
                bool value = false;
                if (field.value.get(value) != simdjson::SUCCESS) return std::nullopt;
                e.breakpoints = value;
            }
        }
        if (!e.tag || !e.when) return std::nullopt;
    }
    return out;
}

}  // namespace

std::vector<JournalEntry> read_journal_entries(std::string_view text, const std::string& journal_path) {
    if (auto entries = read_regular_journal(text)) return std::move(*entries);
    const std::string& jp = journal_path;
    SaxJournalReader journal;
    if (!json::sax_parse(text, &journal)) {
        if (journal.overflow)  // json::parse's out_of_range: no position, the message quotes the number
            throw error(
                errc::journal_invalid,
                fmt::format("{}: not valid JSON (number overflow parsing '{}'); restore the file drizzle-kit wrote", jp,
                            *journal.overflow),
                {.file = jp});
        const auto [pos, reason] = json_syntax_error(text, journal.error_byte.value_or(0), journal.error_what);
        throw error(errc::journal_invalid,
                    fmt::format("{}:{}:{}: not valid JSON ({}); restore the file drizzle-kit wrote", jp, pos.line,
                                pos.column, reason),
                    {.file = jp, .line = pos.line});
    }
    if (!journal.root_is_object || !journal.entries_is_array)
        throw error(errc::journal_invalid,
                    fmt::format("{}: expected an object with an \"entries\" array, as drizzle-kit writes", jp),
                    {.file = jp});
    return std::move(journal.entries);
}

}  // namespace migrate::source
