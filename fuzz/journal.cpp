// drizzle-kit 0.x folder reading (meta/_journal.json + <tag>.sql) from memory, through
// source::parse_drizzle_journal, the reader under read_drizzle_folder.
// Input: the journal's text, then each file as "%%%% <name>.sql" + bytes (fuzz_support.hpp).
// Invariants: only migrate::error escapes, with a reader's code; a tag never names a file outside the
// folder; what is read back matches the journal and the files (hash, statements, order, `when`), the
// journal as json::parse's DOM reads it (the reader uses nlohmann's SAX interface: a differential check).
#include "fuzz_support.hpp"

#include "source/folder_reading.hpp"
#include "source/utf8.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <regex>
#include <set>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

void check_source(const migrate::Source& s, const fs::path& dir, std::string_view journal_text,
                  const std::map<std::string, std::string>& files) {
    FUZZ_CHECK(s.dir == dir && s.layout == migrate::FolderLayout::drizzle_v0_journal, "dir and layout");
    const json journal = json::parse(journal_text);  // it parsed for the reader, so it parses here
    const auto& entries = journal.at("entries");
    std::set<std::string> tags;
    std::size_t last = 0;
    for (std::size_t i = 0; i < s.migrations.size(); ++i) {
        const auto& m = s.migrations[i];
        FUZZ_CHECK(i == 0 || m.position > last, "migrations in journal order");
        last = m.position;
        FUZZ_CHECK(m.position < entries.size(), "position inside the journal");
        const auto& e = entries[m.position];
        FUZZ_CHECK(e.at("tag").get<std::string>() == m.tag, "tag of entries[position]");
        FUZZ_CHECK(tags.insert(m.tag).second, "tags unique");
        FUZZ_CHECK(!m.tag.empty() && m.tag.find_first_of(std::string("/\\\0", 3)) == std::string::npos &&
                       m.tag.find("..") == std::string::npos,
                   "tag is a plain file stem: " + m.tag);
        // `when` is the journal's number exactly: no silent wrap of an unsigned value past int64.
        const auto& when = e.at("when");
        FUZZ_CHECK(
            !when.is_number_unsigned() ||
                when.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
            "an out-of-range when was accepted");
        FUZZ_CHECK(when.get<std::int64_t>() == m.when, "when as in the journal");
        FUZZ_CHECK(m.file == dir / (m.tag + ".sql"), "file is <dir>/<tag>.sql");
        auto f = files.find(m.tag + ".sql");
        FUZZ_CHECK(f != files.end(), "a migration read from a file that does not exist");
        FUZZ_CHECK(!migrate::source::check_utf8(f->second).first_invalid, "an invalid UTF-8 file was accepted");
        FUZZ_CHECK(m.hash == migrate::drizzle_hash(f->second), "hash of the file's bytes");
        const auto statements = migrate::split_statements(f->second);
        FUZZ_CHECK(statements.size() == m.statements.size(), "statements are split_statements(file)");
        for (std::size_t k = 0; k < statements.size(); ++k)
            FUZZ_CHECK(statements[k].sql == m.statements[k].sql && statements[k].chunk == m.statements[k].chunk &&
                           statements[k].line == m.statements[k].line,
                       "statements are split_statements(file)");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const fuzz::Sections sections = fuzz::split_sections(in);
    std::map<std::string, std::string> files;
    for (const auto& f : sections.files) files.emplace(f.name, std::string(f.body));

    const fs::path dir = "fuzz-journal";
    auto read_sql = [&](const fs::path& p) -> std::optional<std::string> {
        FUZZ_CHECK(p.parent_path() == dir, "the reader asked for a file outside the folder: " + p.string());
        auto it = files.find(p.filename().string());
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    try {
        const migrate::Source s = migrate::source::parse_drizzle_journal(dir, sections.head, read_sql);
        check_source(s, dir, sections.head, files);
    } catch (const migrate::error& e) {
        using migrate::errc;
        const errc c = e.code();
        FUZZ_CHECK(c == errc::journal_invalid || c == errc::tag_invalid || c == errc::tag_duplicate ||
                       c == errc::migration_missing || c == errc::not_utf8,
                   "unexpected error code " + std::string(migrate::to_string(c)));
        FUZZ_CHECK(*e.what() != '\0', "empty error message");
        // The reader (simdjson, then nlohmann's SAX parser) and json::parse agree on what is JSON: a text json::parse
        // accepts is never called "not valid JSON" (a number overflowing a double aside, which json::parse refuses
        // too), and one it refuses is always journal_invalid. (The syntax error's shape, "<journal>:<line>:<column>:
        // not valid JSON (parse error…": a tag may quote those words too.)
        const bool accepted = json::accept(sections.head);
        const std::string what = e.what();
        static const std::regex syntax_error(
            R"(^fuzz-journal/meta/_journal\.json:[0-9]+:[0-9]+: not valid JSON \(parse error)");
        FUZZ_CHECK(!accepted || !std::regex_search(what, syntax_error),
                   "the reader refused JSON that json::parse accepts: " + what);
        FUZZ_CHECK(accepted || c == errc::journal_invalid, "invalid JSON refused with another code: " + what);
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "parse_drizzle_journal");
    }
    return 0;
}
