// drizzle-kit 1.0 folder reading (read_drizzle_v1_folder, read_migrations_folder). The reader lists
// directories, so each input is written into a per-process folder under TMPDIR (make fuzz uses /dev/shm).
// Input: "%%%% <folder>" + bytes = <folder>/migration.sql; "%%%% <folder>/" = the folder alone;
// "%%%% <a>/<b>" = that file (meta/_journal.json, a snapshot.json, …). The head is ignored.
// Invariants: only migrate::error escapes; on success the migrations are exactly the subfolders holding a
// migration.sql, in drizzle's order (strictly increasing under drizzle_locale_less, `when` non-decreasing),
// with the file's hash and statements; read_migrations_folder picks this reader and agrees.
#include "fuzz_support.hpp"

#include "source/utf8.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

namespace {

namespace fs = std::filesystem;

const fs::path& work_dir() {
    static const fs::path dir = [] {
        std::error_code ec;
        fs::path base = fs::temp_directory_path(ec);
        if (ec) base = "/tmp";
        return base / ("migrate-fuzz-v1-" + std::to_string(::getpid()));
    }();
    return dir;
}

struct Cleanup {
    ~Cleanup() {
        std::error_code ec;
        fs::remove_all(work_dir(), ec);
    }
} cleanup;

// Names that stay inside the folder; anything else is skipped (the reader never sees it).
bool usable(const std::string& name) {
    if (name.empty() || name.size() > 200 || name.front() == '/' || name.find('\0') != std::string::npos) return false;
    for (const auto& part : fs::path(name))
        if (part == ".." || part == ".") return false;
    return true;
}

bool write_file(const fs::path& p, std::string_view bytes) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return false;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
}

// Writes the input; returns what the disk then holds: subfolder name → its migration.sql's bytes.
std::map<std::string, std::string> write_input(const fs::path& dir, const fuzz::Sections& sections) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    FUZZ_CHECK(!ec, "cannot create the fuzz folder " + dir.string() + ": " + ec.message());
    std::size_t count = 0;
    for (const auto& f : sections.files) {
        if (++count > 32 || !usable(f.name)) continue;
        if (f.name.back() == '/')
            fs::create_directories(dir / f.name, ec);
        else if (f.name.find('/') == std::string::npos)
            write_file(dir / f.name / "migration.sql", f.body);
        else
            write_file(dir / f.name, f.body);
    }
    std::map<std::string, std::string> sql;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const fs::path file = entry.path() / "migration.sql";
        std::error_code e;
        if (!fs::is_regular_file(file, e)) continue;
        std::ifstream in(file, std::ios::binary);
        sql[entry.path().filename().string()].assign(std::istreambuf_iterator<char>(in), {});
    }
    return sql;
}

void check_source(const migrate::Source& s, const fs::path& dir, const std::map<std::string, std::string>& sql) {
    FUZZ_CHECK(s.dir == dir && s.layout == migrate::FolderLayout::drizzle_v1_folders, "dir and layout");
    FUZZ_CHECK(!s.migrations.empty(), "success with no migrations");
    // Exactly the subfolders holding a migration.sql.
    std::set<std::string> expected;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::error_code e;
        if (entry.is_directory(e) && fs::exists(entry.path() / "migration.sql", e))
            expected.insert(entry.path().filename().string());
    }
    std::set<std::string> got;
    for (std::size_t i = 0; i < s.migrations.size(); ++i) {
        const auto& m = s.migrations[i];
        FUZZ_CHECK(m.position == i, "position is the index");
        got.insert(m.tag);
        FUZZ_CHECK(m.tag.size() >= 16 && m.tag[14] == '_', "tag is <YYYYMMDDHHMMSS>_<name>: " + m.tag);
        FUZZ_CHECK(m.file == dir / m.tag / "migration.sql", "file is <dir>/<tag>/migration.sql");
        if (i > 0) {
            const auto& prev = s.migrations[i - 1];
            FUZZ_CHECK(migrate::drizzle_locale_less(prev.tag, m.tag), "drizzle's order: " + prev.tag + " < " + m.tag);
            FUZZ_CHECK(!migrate::drizzle_locale_less(m.tag, prev.tag), "order is asymmetric");
            FUZZ_CHECK(prev.when <= m.when, "when follows the folder order");
        }
        FUZZ_CHECK(!migrate::drizzle_locale_less(m.tag, m.tag), "order is irreflexive");
        FUZZ_CHECK(m.when % 1000 == 0, "when is whole seconds");
        auto f = sql.find(m.tag);
        FUZZ_CHECK(f != sql.end(), "a migration the input did not write: " + m.tag);
        FUZZ_CHECK(!migrate::source::check_utf8(f->second).first_invalid, "an invalid UTF-8 file was accepted");
        FUZZ_CHECK(m.hash == migrate::drizzle_hash(f->second), "hash of the file's bytes");
        FUZZ_CHECK(m.statements.size() == migrate::split_statements(f->second).size(), "statements of the file");
    }
    FUZZ_CHECK(got == expected, "the migrations are exactly the folders holding a migration.sql");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const fs::path& dir = work_dir();
    const auto sql = write_input(dir, fuzz::split_sections(in));
    std::optional<migrate::Source> v1;
    try {
        v1 = migrate::read_drizzle_v1_folder(dir);
        check_source(*v1, dir, sql);
    } catch (const migrate::error& e) {
        using migrate::errc;
        const errc c = e.code();
        FUZZ_CHECK(c == errc::journal_invalid || c == errc::journal_missing || c == errc::tag_invalid ||
                       c == errc::migration_missing || c == errc::not_utf8,
                   "unexpected error code " + std::string(migrate::to_string(c)));
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "read_drizzle_v1_folder");
    }
    try {
        const migrate::Source any = migrate::read_migrations_folder(dir);
        if (v1) {
            FUZZ_CHECK(any.layout == migrate::FolderLayout::drizzle_v1_folders, "read_migrations_folder picked 0.x");
            FUZZ_CHECK(any.migrations.size() == v1->migrations.size(), "both readers agree");
            for (std::size_t i = 0; i < any.migrations.size(); ++i)
                FUZZ_CHECK(
                    any.migrations[i].tag == v1->migrations[i].tag && any.migrations[i].hash == v1->migrations[i].hash,
                    "both readers agree");
        }
    } catch (const migrate::error& e) {
        FUZZ_CHECK(!v1,
                   std::string("read_migrations_folder refused a folder read_drizzle_v1_folder accepts: ") + e.what());
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "read_migrations_folder");
    }
    return 0;
}
