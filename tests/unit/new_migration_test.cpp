// add_custom_migration (`migrate new`): the files drizzle-kit generate --custom writes, compared byte for byte
// with real drizzle-kit output (examples/openinsure-v1: 0.31.11's before-0x folder and 1.0's oi_global hold
// custom migrations), the idx/when/prefix rules, the snapshot chain, and the refusals.
#include <migrate/error.hpp>
#include <migrate/new_migration.hpp>
#include <migrate/source.hpp>

#include "checks.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>

using migrate::errc;
using migrate::FolderLayout;
using migrate::MigrationPrefix;
using migrate::NewMigrationOptions;
using testing::error_of;
using testing::read_file;
using testing::TempDir;
using testing::write_file;
namespace fs = std::filesystem;
using OJson = nlohmann::ordered_json;

namespace {

const fs::path corpus = fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure-v1";
const std::string header(migrate::custom_migration_header);

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The 0.x folder `from` cut to its first `count` entries (their .sql files and snapshots), the journal
// rewritten as drizzle-kit writes it (JSON.stringify(…, null, 2), no newline).
void copy_v0_prefix(const fs::path& from, const fs::path& to, std::size_t count) {
    auto journal = OJson::parse(read_file(from / "meta" / "_journal.json"));
    OJson kept = OJson::array();
    fs::create_directories(to / "meta");
    for (std::size_t i = 0; i < count; ++i) {
        const auto tag = journal["entries"][i]["tag"].get<std::string>();
        kept.push_back(journal["entries"][i]);
        fs::copy_file(from / (tag + ".sql"), to / (tag + ".sql"));
        fs::copy_file(from / "meta" / (tag.substr(0, 4) + "_snapshot.json"),
                      to / "meta" / (tag.substr(0, 4) + "_snapshot.json"));
    }
    journal["entries"] = kept;
    write_file(to / "meta" / "_journal.json", journal.dump(2));
}

OJson journal_of(const fs::path& dir) { return OJson::parse(read_file(dir / "meta" / "_journal.json")); }

NewMigrationOptions named(std::string name, std::int64_t now = 1795844672405) {
    NewMigrationOptions o;
    o.name = std::move(name);
    o.now_ms = now;
    return o;
}

// Redoes the real folder's custom migration `idx` on a copy cut before it and compares every byte.
void check_like_drizzle_kit(const fs::path& real, std::size_t idx) {
    const auto real_journal = OJson::parse(read_file(real / "meta" / "_journal.json"));
    const auto& entry = real_journal["entries"][idx];
    const auto tag = entry["tag"].get<std::string>();
    INFO(tag);
    TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle";
    copy_v0_prefix(real, dir, idx);
    const auto made = migrate::add_custom_migration(dir, named(tag.substr(5), entry["when"].get<std::int64_t>()));
    CHECK(made.layout == FolderLayout::drizzle_v0_journal);
    CHECK(made.tag == tag);
    CHECK(made.sql_file == dir / (tag + ".sql"));
    CHECK(read_file(made.sql_file) == header);
    // The journal: the real one cut after this entry, byte for byte.
    OJson expected = real_journal;
    expected["entries"] = OJson::array();
    for (std::size_t i = 0; i <= idx; ++i) expected["entries"].push_back(real_journal["entries"][i]);
    CHECK(read_file(dir / "meta" / "_journal.json") == expected.dump(2));
    // The snapshot: the real one, but for the random id.
    const std::string real_snapshot = read_file(real / "meta" / (tag.substr(0, 4) + "_snapshot.json"));
    const auto real_id = OJson::parse(real_snapshot)["id"].get<std::string>();
    CHECK(made.snapshot_file == dir / "meta" / (tag.substr(0, 4) + "_snapshot.json"));
    CHECK(replace_all(read_file(made.snapshot_file), made.snapshot_id, real_id) == real_snapshot);
    CHECK(made.previous_id == OJson::parse(real_snapshot)["prevId"].get<std::string>());
    // And the folder still reads.
    CHECK(migrate::read_migrations_folder(dir).migrations.size() == idx + 1);
}

}  // namespace

TEST_CASE("new migration, 0.x: exactly drizzle-kit 0.31.11's --custom output") {
    // before-0x: 0001, 0003 and 0007 were made by `drizzle-kit generate --custom --name ...`.
    for (std::size_t idx : {1U, 3U, 7U}) check_like_drizzle_kit(corpus / "upgrade" / "before-0x" / "oi_claims", idx);
    // A view, foreign keys, checks, uniques, ON UPDATE: every re-ordering drizzle-kit's zod schema does.
    check_like_drizzle_kit(fs::path(MIGRATE_SOURCE_DIR) / "tests" / "data" / "kit-custom-0x", 1);
}

TEST_CASE("new migration, 0.x: idx, when, breakpoints, prefix modes") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle";
    fs::create_directories(dir);

    SECTION("an empty folder starts a 0.x folder as drizzle-kit does (dry snapshot as parent)") {
        const auto made = migrate::add_custom_migration(dir, named("first", 1000));
        CHECK(made.tag == "0000_first");
        CHECK(made.previous_id == "00000000-0000-0000-0000-000000000000");
        CHECK(read_file(dir / "meta" / "_journal.json") ==
              "{\n  \"version\": \"7\",\n  \"dialect\": \"mysql\",\n  \"entries\": [\n    {\n      \"idx\": 0,\n"
              "      \"version\": \"5\",\n      \"when\": 1000,\n      \"tag\": \"0000_first\",\n"
              "      \"breakpoints\": true\n    }\n  ]\n}");
        // What drizzle-kit 0.31.11 wrote for `generate --custom` in an empty folder, but for the id.
        CHECK(read_file(made.snapshot_file) ==
              "{\n  \"id\": \"" + made.snapshot_id +
                  "\",\n  \"prevId\": \"00000000-0000-0000-0000-000000000000\",\n  \"version\": \"5\",\n"
                  "  \"dialect\": \"mysql\",\n  \"tables\": {},\n  \"views\": {},\n  \"_meta\": {\n"
                  "    \"columns\": {},\n    \"schemas\": {},\n    \"tables\": {}\n  }\n}");
        CHECK(made.snapshot_id.size() == 36);
        CHECK(made.snapshot_id[14] == '4');

        const auto second = migrate::add_custom_migration(dir, named("second", 500));  // clock behind
        CHECK(second.tag == "0001_second");
        CHECK(second.when == 1001);  // last when + 1, never older than the journal
        CHECK(second.previous_id == made.snapshot_id);
        const auto j = journal_of(dir);
        CHECK(j["entries"][1]["idx"] == 1);
        CHECK(j["entries"][1]["when"] == 1001);

        const auto third = migrate::add_custom_migration(dir, named("third", 99999));
        CHECK(third.when == 99999);
        const auto source = migrate::read_migrations_folder(dir);
        REQUIRE(source.migrations.size() == 3);
        CHECK(source.migrations[2].tag == "0002_third");
        CHECK(source.migrations[2].hash == migrate::drizzle_hash(header));
    }
    SECTION("breakpoints follow the previous entry") {
        (void)migrate::add_custom_migration(dir, named("a", 1000));
        auto j = journal_of(dir);
        j["entries"][0]["breakpoints"] = false;
        write_file(dir / "meta" / "_journal.json", j.dump(2));
        (void)migrate::add_custom_migration(dir, named("b", 2000));
        CHECK(journal_of(dir)["entries"][1]["breakpoints"] == false);
    }
    SECTION("idx comes from the journal's last entry, not from the files") {
        (void)migrate::add_custom_migration(dir, named("a", 1000));
        auto j = journal_of(dir);
        j["entries"][0]["idx"] = 41;
        write_file(dir / "meta" / "_journal.json", j.dump(2));
        CHECK(migrate::add_custom_migration(dir, named("b", 2000)).tag == "0042_b");
    }
    SECTION("prefix modes") {
        auto o = named("ts", 1795843417000);  // 2026-11-28T05:23:37Z
        o.prefix = MigrationPrefix::timestamp;
        auto made = migrate::add_custom_migration(dir, o);
        CHECK(made.tag == "20261128052337_ts");
        CHECK(made.snapshot_file == dir / "meta" / "20261128052337_snapshot.json");
        o = named("u", 1795843421000);
        o.prefix = MigrationPrefix::unix_seconds;
        made = migrate::add_custom_migration(dir, o);
        CHECK(made.tag == "1795843421_u");
        CHECK(made.snapshot_file == dir / "meta" / "1795843421_snapshot.json");
        o = named("n", 1795843422000);
        o.prefix = MigrationPrefix::none;
        made = migrate::add_custom_migration(dir, o);
        CHECK(made.tag == "_n");
        CHECK(made.snapshot_file == dir / "meta" / "_snapshot.json");
        CHECK(migrate::read_migrations_folder(dir).migrations.size() == 3);
    }
    SECTION("no name: a random adjective_noun") {
        NewMigrationOptions o;
        const auto made = migrate::add_custom_migration(dir, o);
        CHECK(made.tag.rfind("0000_", 0) == 0);
        CHECK(made.tag.find('_', 5) != std::string::npos);
    }
    SECTION("prefix names") {
        CHECK(migrate::parse_migration_prefix("unix") == MigrationPrefix::unix_seconds);
        CHECK(migrate::to_string(MigrationPrefix::supabase) == "supabase");
        CHECK_FALSE(migrate::parse_migration_prefix("Index").has_value());
    }
}

TEST_CASE("new migration: refusals leave the folder as it was") {
    TempDir tmp;
    const fs::path dir = tmp.path() / "drizzle";
    fs::create_directories(dir);
    (void)migrate::add_custom_migration(dir, named("base", 1000));
    const std::string journal_before = read_file(dir / "meta" / "_journal.json");
    const auto files_before = std::distance(fs::recursive_directory_iterator(dir), fs::recursive_directory_iterator());
    const auto unchanged = [&] {
        CHECK(read_file(dir / "meta" / "_journal.json") == journal_before);
        CHECK(std::distance(fs::recursive_directory_iterator(dir), fs::recursive_directory_iterator()) == files_before);
    };

    SECTION("bad names") {
        for (const char* bad : {"has space", "semi;colon", "dot.sql", "../up", "é", "a/b"}) {
            INFO(bad);
            const auto e = error_of([&] { (void)migrate::add_custom_migration(dir, named(bad, 2000)); });
            CHECK(e.code() == errc::tag_invalid);
            CHECK(std::string(e.what()).find("migration name") != std::string::npos);
        }
        unchanged();
    }
    SECTION("the same tag twice") {
        auto o = named("base", 2000);
        o.prefix = MigrationPrefix::none;
        (void)migrate::add_custom_migration(dir, o);
        const std::string journal_now = read_file(dir / "meta" / "_journal.json");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, o); }).code() == errc::tag_duplicate);
        CHECK(read_file(dir / "meta" / "_journal.json") == journal_now);
    }
    SECTION("a file in the way is not overwritten") {
        write_file(dir / "0001_taken.sql", "SELECT 1;");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, named("taken", 2000)); }).code() ==
              errc::tag_duplicate);
        CHECK(read_file(dir / "0001_taken.sql") == "SELECT 1;");
        CHECK(read_file(dir / "meta" / "_journal.json") == journal_before);
    }
    SECTION("an unreadable journal") {
        write_file(dir / "meta" / "_journal.json", "{\"entries\": [");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); }).code() ==
              errc::journal_invalid);
    }
    SECTION("a missing folder") {
        CHECK(error_of([&] { (void)migrate::add_custom_migration(tmp.path() / "nope", named("x", 2000)); }).code() ==
              errc::journal_missing);
        CHECK_FALSE(fs::exists(tmp.path() / "nope"));
    }
    SECTION("meta/ without a journal") {
        fs::remove(dir / "meta" / "_journal.json");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); }).code() ==
              errc::journal_missing);
    }
    SECTION("a snapshot that is not drizzle-kit's") {
        write_file(dir / "meta" / "0000_snapshot.json", "{\"version\": \"4\", \"dialect\": \"mysql\"}");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); }).code() ==
              errc::snapshot_invalid);
        unchanged();
    }
    SECTION("two snapshots with one parent (drizzle-kit's collision)") {
        fs::copy_file(dir / "meta" / "0000_snapshot.json", dir / "meta" / "0000a_snapshot.json");
        CHECK(error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); }).code() ==
              errc::snapshot_invalid);
    }
    SECTION("a folder that cannot be written") {
        if (::geteuid() != 0) {
            fs::permissions(dir, fs::perms::owner_write, fs::perm_options::remove);
            const auto e = error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); });
            fs::permissions(dir, fs::perms::owner_write, fs::perm_options::add);
            CHECK(e.code() == errc::folder_unwritable);
            unchanged();
        }
    }
    SECTION("the journal cannot be replaced: the SQL file and snapshot written before are removed") {
        // A non-empty directory where the journal's temporary file goes (works as root too).
        write_file(dir / "meta" / "__journal.json.tmp" / "x", "");
        const auto e = error_of([&] { (void)migrate::add_custom_migration(dir, named("x", 2000)); });
        CHECK(e.code() == errc::folder_unwritable);
        CHECK_FALSE(fs::exists(dir / "0001_x.sql"));
        CHECK_FALSE(fs::exists(dir / "meta" / "0001_snapshot.json"));
        CHECK(read_file(dir / "meta" / "_journal.json") == journal_before);
    }
    SECTION("a prefix for a 1.0 folder") {
        TempDir v1;
        fs::copy(corpus / "oi_global" / "20261128054450_secret_jack_murdock",
                 v1.path() / "20261128054450_secret_jack_murdock");
        auto o = named("x", 2000);
        o.prefix = MigrationPrefix::index;
        CHECK(error_of([&] { (void)migrate::add_custom_migration(v1.path(), o); }).code() == errc::config_invalid);
    }
}

TEST_CASE("new migration, 1.0: exactly drizzle-kit 1.0's --custom output (oi_global corpus)") {
    // 20261128054514_backfill_programs was made by drizzle-kit 1.0 `generate --custom`; no drizzle-kit 1.0 is
    // installed for the interop tests, so its output in the corpus is the reference.
    const fs::path real = corpus / "oi_global";
    const std::string custom = "20261128054514_backfill_programs";
    TempDir tmp;
    std::vector<std::string> folders;
    for (const auto& e : fs::directory_iterator(real))
        if (e.is_directory() && e.path().filename().string() < custom) folders.push_back(e.path().filename().string());
    std::sort(folders.begin(), folders.end());
    for (const auto& f : folders) fs::copy(real / f, tmp.path() / f);

    const auto made = migrate::add_custom_migration(tmp.path(), named("backfill_programs", 1795844714000));
    CHECK(made.layout == FolderLayout::drizzle_v1_folders);
    CHECK(made.tag == custom);
    CHECK(made.sql_file == tmp.path() / custom / "migration.sql");
    CHECK(read_file(made.sql_file) == header);
    CHECK(made.journal_file.empty());
    const std::string real_snapshot = read_file(real / custom / "snapshot.json");
    const auto real_id = OJson::parse(real_snapshot)["id"].get<std::string>();
    CHECK(replace_all(read_file(made.snapshot_file), made.snapshot_id, real_id) == real_snapshot);
    CHECK(made.previous_id ==
          OJson::parse(read_file(real / folders.back() / "snapshot.json"))["id"].get<std::string>());
    CHECK(migrate::read_migrations_folder(tmp.path()).migrations.back().tag == custom);

    SECTION("the clock behind the newest folder: one second after it") {
        const auto next = migrate::add_custom_migration(tmp.path(), named("later", 1000));
        CHECK(next.tag == "20261128054515_later");
        CHECK(next.previous_id == made.snapshot_id);
        CHECK(OJson::parse(read_file(next.snapshot_file))["prevIds"] == OJson::array({made.snapshot_id}));
    }
}
