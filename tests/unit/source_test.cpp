#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using migrate::errc;
using testing::plain_sha256;
using testing::TempDir;
using testing::write_file;

namespace {

migrate::error read_error(const std::filesystem::path& dir) {
    try {
        migrate::read_drizzle_folder(dir);
    } catch (const migrate::error& e) {
        return e;
    }
    FAIL("expected migrate::error");
    throw std::logic_error("unreachable");
}

void write_journal(const std::filesystem::path& dir, const std::string& entries) {
    write_file(dir / "meta" / "_journal.json", R"({"version":"7","dialect":"mysql","entries":[)" + entries + "]}");
}

std::string entry(int idx, long long when, const std::string& tag) {
    return R"({"idx":)" + std::to_string(idx) + R"(,"version":"5","when":)" + std::to_string(when) + R"(,"tag":")" +
           tag + R"(","breakpoints":true})";
}

}  // namespace

TEST_CASE("split keeps chunks verbatim, as drizzle sends them") {
    // drizzle-kit output: CREATE TABLE ends in ");\n", ALTER/INDEX end in ";" right before the marker.
    std::string text =
        "CREATE TABLE `a` (\n\t`id` int\n);\n--> statement-breakpoint\n"
        "ALTER TABLE `a` ADD `b` int;--> statement-breakpoint\nCREATE INDEX `i` ON `a` (`b`);";
    auto s = migrate::split_statements(text);
    REQUIRE(s.size() == 3);
    CHECK(s[0].sql == "CREATE TABLE `a` (\n\t`id` int\n);\n");
    CHECK(s[1].sql == "\nALTER TABLE `a` ADD `b` int;");
    CHECK(s[2].sql == "\nCREATE INDEX `i` ON `a` (`b`);");
    CHECK(s[0].line == 1);
    CHECK(s[1].line == 5);
    CHECK(s[2].line == 6);
    CHECK(s[2].chunk == 2);
}

TEST_CASE("split drops whitespace-only chunks but keeps comment-only ones") {
    auto s = migrate::split_statements(
        "SELECT 1;--> statement-breakpoint\n \t\r\n--> statement-breakpoint\n-- note\n"
        "--> statement-breakpoint\n");
    REQUIRE(s.size() == 2);
    CHECK(s[0].sql == "SELECT 1;");
    CHECK(s[1].sql == "\n-- note\n");
    CHECK(s[1].chunk == 2);
    CHECK(s[1].line == 4);
    CHECK(migrate::split_statements("").empty());
    CHECK(migrate::split_statements("\n\n").empty());
}

TEST_CASE("split is textual: a marker inside a string still splits, like drizzle") {
    auto s = migrate::split_statements("INSERT INTO t VALUES ('--> statement-breakpoint');");
    REQUIRE(s.size() == 2);
    CHECK(s[0].sql == "INSERT INTO t VALUES ('");
    CHECK(s[1].sql == "');");
}

TEST_CASE("hash of valid UTF-8 is sha256 of the bytes, BOM and CRLF included") {
    for (std::string bytes : {std::string(""), std::string("CREATE TABLE t (id int);"),
                              std::string("\xEF\xBB\xBFSELECT 'é';\r\n"), std::string("SELECT '\xF0\x9F\x98\x80';")})
        CHECK(migrate::drizzle_hash(bytes) == plain_sha256(bytes));
    CHECK(migrate::drizzle_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("hash of invalid UTF-8 is taken after WHATWG replacement with U+FFFD") {
    const std::string fffd = "\xEF\xBF\xBD";
    struct Case {
        std::string in, replaced;
    };
    std::vector<Case> cases = {
        {"a\xFF"
         "b",
         "a" + fffd + "b"},  // invalid lead byte
        {"\xC3", fffd},      // truncated at end of input
        {"\xE2\x82"
         "x",
         fffd + "x"},                                     // truncated 3-byte sequence: one U+FFFD
        {"\xE0\x80\x80", fffd + fffd + fffd},             // overlong: E0 needs A0..BF next
        {"\xED\xA0\x80", fffd + fffd + fffd},             // surrogate
        {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
        {"\xC0\xAF", fffd + fffd},                        // C0/C1 never valid
        {"\xF0\x9F\x98", fffd},                           // truncated 4-byte sequence
        {"\x80\x80", fffd + fffd},                        // lone continuation bytes
    };
    for (const auto& c : cases) {
        INFO("input bytes of length " << c.in.size());
        CHECK(migrate::drizzle_hash(c.in) == plain_sha256(c.replaced));
    }
}

TEST_CASE("reading the bundled oi_global folder") {
    auto src = migrate::read_drizzle_folder(testing::corpus_folder("oi_global"));
    REQUIRE(src.migrations.size() == 51);
    const auto& first = src.migrations.front();
    CHECK(first.position == 0);
    CHECK(first.tag.rfind("0000_", 0) == 0);
    CHECK(first.hash == plain_sha256(testing::read_file(first.file)));
    CHECK_FALSE(first.statements.empty());
    for (std::size_t i = 1; i < src.migrations.size(); ++i) CHECK(src.migrations[i].position == i);
}

TEST_CASE("bad folders are refused with an error naming the file") {
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";

    SECTION("missing folder") {
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_missing);
    }
    SECTION("missing journal") {
        std::filesystem::create_directories(dir);
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_missing);
        CHECK_THAT(std::string(e.what()), Catch::Contains("meta/_journal.json"));
    }
    SECTION("malformed JSON names line and column") {
        write_file(dir / "meta" / "_journal.json", "{\n  \"entries\": [\n    {\"tag\": \"0000_a\",,}\n  ]\n}");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("_journal.json:3:"));
        CHECK(e.context().line == 3u);
    }
    SECTION("a number too large for a double is journal_invalid (found by fuzz/journal)") {
        write_file(dir / "meta" / "_journal.json", R"({"entries":[{"idx":0,"when":1E999,"tag":"0000_a"}]})");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("_journal.json") && Catch::Contains("1E999"));
    }
    SECTION("a when past the int64 range is refused, not wrapped negative") {
        write_journal(dir, R"({"idx":0,"when":9223372036854775808,"tag":"0000_a"})");
        write_file(dir / "0000_a.sql", "SELECT 1;");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("entries[0]") && Catch::Contains("when"));
    }
    SECTION("journal without entries") {
        write_file(dir / "meta" / "_journal.json", R"({"version":"7"})");
        CHECK(read_error(dir).code() == errc::journal_invalid);
    }
    SECTION("entry without when") {
        write_journal(dir, R"({"idx":0,"tag":"0000_a"})");
        write_file(dir / "0000_a.sql", "SELECT 1;");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("entries[0]") && Catch::Contains("when"));
    }
    SECTION("missing .sql file") {
        write_journal(dir, entry(0, 1000, "0000_a"));
        auto e = read_error(dir);
        CHECK(e.code() == errc::migration_missing);
        CHECK_THAT(std::string(e.what()), Catch::Contains("0000_a.sql"));
    }
    SECTION("tag with a slash") {
        write_file(tmp.path() / "outside.sql", "DROP TABLE users;");
        write_journal(dir, entry(0, 1000, "../outside"));
        auto e = read_error(dir);
        CHECK(e.code() == errc::tag_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("../outside"));
    }
    SECTION("tag with ..") {
        write_journal(dir, entry(0, 1000, "0000..a"));
        write_file(dir / "0000..a.sql", "SELECT 1;");
        CHECK(read_error(dir).code() == errc::tag_invalid);
    }
    SECTION("duplicate tags") {
        write_journal(dir, entry(0, 1000, "0000_a") + "," + entry(1, 2000, "0000_a"));
        write_file(dir / "0000_a.sql", "SELECT 1;");
        auto e = read_error(dir);
        CHECK(e.code() == errc::tag_duplicate);
        CHECK_THAT(std::string(e.what()), Catch::Contains("entries[1]"));
    }
    SECTION("non-UTF-8 file names line, column and drizzle's hash") {
        std::string bytes = "SELECT 1;\nSELECT 'caf\xE9';";
        write_journal(dir, entry(0, 1000, "0000_a"));
        write_file(dir / "0000_a.sql", bytes);
        auto e = read_error(dir);
        CHECK(e.code() == errc::not_utf8);
        std::string msg = e.what();
        CHECK_THAT(msg, Catch::Contains("0000_a.sql:2:12") && Catch::Contains("0xE9"));
        CHECK_THAT(msg, Catch::Contains(migrate::drizzle_hash(bytes)));
    }
    SECTION("every problem is reported at once") {
        write_journal(dir, entry(0, 1000, "0000_a") + "," + entry(1, 2000, "0001_b") + "," + entry(2, 3000, "a/b"));
        auto e = read_error(dir);
        CHECK(e.code() == errc::migration_missing);
        std::string msg = e.what();
        CHECK_THAT(msg, Catch::Contains("3 problems"));
        CHECK_THAT(msg, Catch::Contains("0000_a.sql") && Catch::Contains("0001_b.sql") && Catch::Contains("a/b"));
    }
}

TEST_CASE("the journal reads as JSON.parse would: last key wins, other members are skipped") {
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    write_file(dir / "0000_a.sql", "SELECT 1;");
    write_file(dir / "0001_b.sql", "SELECT 2;");
    SECTION("a key given twice counts once, its last value") {
        write_file(dir / "meta" / "_journal.json",
                   R"({"entries":[{"tag":"0000_x","when":1,"tag":"0000_a","when":5,"breakpoints":false}]})");
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == 1);
        CHECK(src.migrations[0].tag == "0000_a");
        CHECK(src.migrations[0].when == 5);
        CHECK_FALSE(src.migrations[0].breakpoints);
    }
    SECTION("entries given twice: the last array is the journal") {
        write_file(dir / "meta" / "_journal.json",
                   R"({"entries":[{"tag":"0000_a","when":1}],"entries":[{"tag":"0001_b","when":2}]})");
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == 1);
        CHECK(src.migrations[0].tag == "0001_b");
    }
    SECTION("nested members, unknown keys and a trailing entries key elsewhere are skipped") {
        write_file(dir / "meta" / "_journal.json",
                   R"({"meta":{"entries":5,"tag":"zz"},"entries":[{"x":{"tag":"no","when":[1,{"a":2}]},"tag":"0000_a",)"
                   R"("when":7,"extra":[{"entries":[]}]},{"tag":"0001_b","when":9}],"dialect":"mysql"})");
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == 2);
        CHECK(src.migrations[0].tag == "0000_a");
        CHECK(src.migrations[0].when == 7);
        CHECK(src.migrations[1].tag == "0001_b");
        CHECK(src.migrations[1].position == 1);
    }
    SECTION("a tag or when replaced by a later value of the wrong type is refused") {
        write_file(dir / "meta" / "_journal.json",
                   R"({"entries":[{"tag":"0000_a","when":1,"tag":{"s":1}},{"tag":"0001_b","when":2,"when":2.5}]})");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("entries[0] has no string \"tag\"") &&
                                              Catch::Contains("entries[1] (\"0001_b\") has no integer \"when\""));
    }
    SECTION("entries that are not objects are named by index; a later non-array entries refuses the journal") {
        write_file(dir / "meta" / "_journal.json", R"({"entries":[1,[{"tag":"0000_a","when":1}],null]})");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK_THAT(std::string(e.what()), Catch::Contains("entries[0] is not an object") &&
                                              Catch::Contains("entries[1] is not an object") &&
                                              Catch::Contains("entries[2] is not an object"));
        write_file(dir / "meta" / "_journal.json", R"({"entries":[{"tag":"0000_a","when":1}],"entries":{}})");
        CHECK_THAT(std::string(read_error(dir).what()),
                   Catch::Contains("expected an object with an \"entries\" array"));
        write_file(dir / "meta" / "_journal.json", R"([{"entries":[]}])");
        CHECK_THAT(std::string(read_error(dir).what()),
                   Catch::Contains("expected an object with an \"entries\" array"));
    }
    SECTION("escapes, -0 and the int64 extremes: the values JSON.parse gives") {
        write_file(dir / "meta" / "_journal.json",
                   R"({"entries":[{"tag":"\u0030000_a","when":-0},{"tag":"0001_b","when":9223372036854775807}]})");
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == 2);
        CHECK(src.migrations[0].tag == "0000_a");
        CHECK(src.migrations[0].when == 0);
        CHECK(src.migrations[1].when == 9223372036854775807LL);
    }
    SECTION("a when past int64, beyond uint64 or written with a fraction or exponent is refused, naming the entry") {
        // Numbers the fast path leaves to nlohmann (simdjson reads the second as an error, the others as
        // unsigned or double): the outcome is json::parse's.
        for (const std::string when : {"9223372036854775808", "18446744073709551616", "1.0", "1e3"}) {
            write_file(dir / "meta" / "_journal.json",
                       R"({"entries":[{"tag":"0000_a","when":1},{"tag":"0001_b","when":)" + when + "}]}");
            auto e = read_error(dir);
            CHECK(e.code() == errc::journal_invalid);
            CHECK_THAT(std::string(e.what()), Catch::Contains("entries[1] (\"0001_b\") has no integer \"when\""));
        }
    }
    SECTION("trailing text after the object names its position") {
        write_file(dir / "meta" / "_journal.json", "{\"entries\":[]}\n\nx");
        auto e = read_error(dir);
        CHECK(e.code() == errc::journal_invalid);
        CHECK(e.context().line == 3u);
    }
}

TEST_CASE("a large folder is read in journal order, its problems listed in journal order") {
    // Enough files for several reader threads: problems found by different threads must still come out
    // in entry order, and the first one decides the code.
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    constexpr int count = 2000;
    std::string entries;
    for (int i = 0; i < count; ++i) {
        const std::string tag = "m" + std::to_string(i);
        entries += (i ? "," : "") + entry(i, 1000 + i, tag);
        write_file(dir / (tag + ".sql"), "CREATE TABLE `t" + std::to_string(i) +
                                             "` (id int);\n--> statement-breakpoint\nSELECT " + std::to_string(i) +
                                             ";");
    }
    write_journal(dir, entries);
    SECTION("every migration, hashed and split, in order") {
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            const auto& m = src.migrations[static_cast<std::size_t>(i)];
            CHECK(m.position == static_cast<std::size_t>(i));
            CHECK(m.tag == "m" + std::to_string(i));
            CHECK(m.when == 1000 + i);
            CHECK(m.hash == plain_sha256(testing::read_file(m.file)));
            REQUIRE(m.statements.size() == 2);
            CHECK(m.statements[1].sql == "\nSELECT " + std::to_string(i) + ";");
        }
    }
    SECTION("problems far apart come out in entry order, the first deciding the code") {
        // File problems (found by the reading threads) and journal problems (a bad tag, a repeated one)
        // interleaved.
        std::string bad_entries;
        for (int i = 0; i < count; ++i) {
            const std::string tag = i == 1200 ? "../m1200" : i == 1900 ? "m3" : "m" + std::to_string(i);
            bad_entries += (i ? "," : "") + entry(i, 1000 + i, tag);
        }
        write_journal(dir, bad_entries);
        write_file(dir / "m1999.sql", "SELECT 'caf\xE9';");
        std::filesystem::remove(dir / "m1500.sql");
        write_file(dir / "m7.sql", "SELECT '\xFF';");
        auto e = read_error(dir);
        CHECK(e.code() == errc::not_utf8);
        const std::string msg = e.what();
        CHECK_THAT(msg, Catch::Contains("5 problems"));
        const std::vector<std::size_t> at = {msg.find("m7.sql"), msg.find("\"../m1200\""), msg.find("m1500.sql"),
                                             msg.find("repeats tag \"m3\""), msg.find("m1999.sql")};
        for (std::size_t i = 0; i < at.size(); ++i) {
            REQUIRE(at[i] != std::string::npos);
            if (i) CHECK(at[i - 1] < at[i]);
        }
    }
}

TEST_CASE("a migration path that is not a regular file reads as missing, without waiting") {
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    write_journal(dir, entry(0, 1000, "0000_a") + "," + entry(1, 2000, "0001_b"));
    std::filesystem::create_directories(dir / "0000_a.sql");     // a directory
    REQUIRE(::mkfifo((dir / "0001_b.sql").c_str(), 0600) == 0);  // opening it blocking would wait for a writer
    auto e = read_error(dir);
    CHECK(e.code() == errc::migration_missing);
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("no file") && Catch::Contains("0000_a.sql") && Catch::Contains("0001_b.sql"));
}

TEST_CASE("a big file is held once: every statement views the migration's buffer, and lines count on") {
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    std::string text;
    for (int i = 0; i < 2000; ++i)
        text += "INSERT INTO `t` VALUES (" + std::to_string(i) + ");\n-- row\n--> statement-breakpoint\n";
    text += "ALTER TABLE `t` ADD `c` int;\n";
    write_file(dir / "0000_load.sql", text);
    write_journal(dir, entry(0, 1000, "0000_load"));
    const auto src = migrate::read_drizzle_folder(dir);
    const migrate::Migration& m = src.migrations.at(0);
    REQUIRE(m.text);
    CHECK(*m.text == text);
    REQUIRE(m.statements.size() == 2001);
    bool all_inside = true;
    for (const auto& s : m.statements)
        all_inside = all_inside && s.sql.data() >= m.text->data() &&
                     s.sql.data() + s.sql.size() <= m.text->data() + m.text->size();
    CHECK(all_inside);
    CHECK(m.statements[1999].line == 1 + 1999 * 3);
    CHECK(m.statements[2000].line == 1 + 2000 * 3);
    CHECK(m.statements[2000].sql == "\nALTER TABLE `t` ADD `c` int;\n");
    const migrate::Source copy = src;  // shares the buffer: the copy's views stay valid after the original goes
    CHECK(copy.migrations[0].statements[5].sql.data() == m.statements[5].sql.data());
}

TEST_CASE("a migration file that is a symlink out of the folder is refused, one inside the folder is read") {
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    write_file(dir / "shared" / "0000_a.sql", "CREATE TABLE `a` (`id` int);");
    write_file(tmp.path() / "elsewhere" / "0001_b.sql", "CREATE TABLE `b` (`id` int);");
    write_journal(dir, entry(0, 1000, "0000_a") + "," + entry(1, 2000, "0001_b"));
    std::filesystem::create_symlink("shared/0000_a.sql", dir / "0000_a.sql");
    SECTION("inside: read through the link") {
        write_file(dir / "0001_b.sql", "CREATE TABLE `b` (`id` int);");
        const auto src = migrate::read_drizzle_folder(dir);
        REQUIRE(src.migrations.size() == 2);
        CHECK(src.migrations[0].statements.at(0).sql == "CREATE TABLE `a` (`id` int);");
    }
    SECTION("outside: refused, naming the file, where it points, and what to do") {
        std::filesystem::create_symlink(tmp.path() / "elsewhere" / "0001_b.sql", dir / "0001_b.sql");
        const auto e = read_error(dir);
        CHECK(e.code() == errc::migration_outside_folder);
        CHECK(e.context().tag == "0001_b");
        const std::string target = std::filesystem::canonical(tmp.path() / "elsewhere" / "0001_b.sql").string();
        CHECK_THAT(e.what(), Catch::Contains((dir / "0001_b.sql").string() + " is a symbolic link to " + target) &&
                                 Catch::Contains("outside the migrations folder") &&
                                 Catch::Contains("Replace the link with a copy of the file"));
    }
    SECTION("outside through a relative link: refused too") {
        std::filesystem::create_symlink("../elsewhere/0001_b.sql", dir / "0001_b.sql");
        CHECK(read_error(dir).code() == errc::migration_outside_folder);
    }
    SECTION("a 1.0 folder's migration.sql: the same rule") {
        const auto v1 = tmp.path() / "v1";
        write_file(v1 / "20240101000000_a" / "x.sql", "SELECT 1;");
        std::filesystem::create_symlink("x.sql", v1 / "20240101000000_a" / "migration.sql");
        CHECK(migrate::read_drizzle_v1_folder(v1).migrations.size() == 1);
        std::filesystem::create_directories(v1 / "20240102000000_b");
        std::filesystem::create_symlink(tmp.path() / "elsewhere" / "0001_b.sql",
                                        v1 / "20240102000000_b" / "migration.sql");
        try {
            migrate::read_drizzle_v1_folder(v1);
            FAIL("expected migration_outside_folder");
        } catch (const migrate::error& e) {
            CHECK(e.code() == errc::migration_outside_folder);
        }
    }
}
