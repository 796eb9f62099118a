// Bad input: a clear error naming what is wrong, a non-zero exit, and nothing created in the database.
#include "fixtures.hpp"
#include "private_server.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace testing;

namespace {

const std::string good_sql = "CREATE TABLE `a` (`id` int);";

std::string journal_with(const std::string& entries) {
    return R"({"version":"7","dialect":"mysql","entries":[)" + entries + "]}";
}
std::string entry(int idx, const std::string& tag) {
    return R"({"idx":)" + std::to_string(idx) + R"(,"version":"5","when":)" + std::to_string(1000 + idx) +
           R"(,"tag":")" + tag + R"(","breakpoints":true})";
}

// Runs `migrate up` and checks the three promises: exit code, message, untouched database.
void expect_refused(ScratchDatabase& db, const std::filesystem::path& dir, int exit_code, const std::string& message,
                    const std::string& url_override = "") {
    auto r = run_cli({"up", "--url", url_override.empty() ? db.url() : url_override, "--dir", dir.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == exit_code);
    CHECK_THAT(r.err, Catch::Contains(message));
    CHECK(r.out.find("applied") == std::string::npos);
    CHECK(db.connect().tables().empty());
}

}  // namespace

TEST_CASE("bad folders are refused before connecting") {
    ScratchDatabase db("bad_folder");
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";

    SECTION("missing journal") {
        write_file(dir / "0000_a.sql", good_sql);
        expect_refused(db, dir, 3, "meta/_journal.json not found");
    }
    SECTION("malformed JSON") {
        write_file(dir / "meta" / "_journal.json", "{\"entries\": [\n  {\"tag\": \"0000_a\" \"when\": 1}\n]}");
        write_file(dir / "0000_a.sql", good_sql);
        expect_refused(db, dir, 3, "_journal.json:2:");
    }
    SECTION("journal entry whose .sql is missing") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "0000_a") + "," + entry(1, "0001_b")));
        write_file(dir / "0000_a.sql", good_sql);
        expect_refused(db, dir, 3, "no file " + (dir / "0001_b.sql").string());
    }
    SECTION("tag containing /") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "sub/0000_a")));
        write_file(dir / "sub" / "0000_a.sql", good_sql);
        expect_refused(db, dir, 3, "tag \"sub/0000_a\" contains a path separator");
    }
    SECTION("tag containing ..") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "../escape")));
        write_file(tmp.path() / "escape.sql", good_sql);
        expect_refused(db, dir, 3, "tag \"../escape\"");
    }
    SECTION("duplicate tags") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "0000_a") + "," + entry(1, "0000_a")));
        write_file(dir / "0000_a.sql", good_sql);
        expect_refused(db, dir, 3, "repeats tag \"0000_a\"");
    }
    SECTION("non-UTF-8 bytes") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "0000_a")));
        write_file(dir / "0000_a.sql", "CREATE TABLE `caf\xE9` (`id` int);");
        expect_refused(db, dir, 3, "0000_a.sql:1:18: byte 0xE9 is not valid UTF-8");
    }
    SECTION("a later problem still stops the earlier good migrations") {
        write_file(dir / "meta" / "_journal.json", journal_with(entry(0, "0000_a") + "," + entry(1, "0001_b")));
        write_file(dir / "0000_a.sql", good_sql);
        write_file(dir / "0001_b.sql", "\xFF");
        expect_refused(db, dir, 3, "not valid UTF-8");
    }
}

TEST_CASE("bad connections are refused with a clear error and no secret") {
    ScratchDatabase db("bad_conn");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", good_sql}});
    const std::string secret = "Wr0ngPassw0rd-xyz";

    SECTION("unparsable URL") {
        expect_refused(db, tmp.path(), 3, "port 'notaport' is not a number",
                       "mysql://migrate:" + secret + "@127.0.0.1:notaport/" + db.name());
    }
    SECTION("URL without a database") {
        expect_refused(db, tmp.path(), 3, "names no database", "mysql://migrate:" + secret + "@127.0.0.1:13306");
    }
    SECTION("wrong password") {
        auto url = server_url();
        auto at = url.find('@');
        auto colon = url.find(':', 8);
        std::string bad = url.substr(0, colon + 1) + secret + url.substr(at) + "/" + db.name();
        auto r = run_cli({"up", "--url", bad, "--dir", tmp.path().string()});
        CHECK(r.exit_code == 4);
        CHECK_THAT(r.err, Catch::Contains("error[connect_failed]"));
        CHECK_THAT(r.err, Catch::Contains("errno 1045"));
        CHECK_THAT(r.err, Catch::Contains("migrate:***@"));
        CHECK_THAT(r.err + r.out, !Catch::Contains(secret));
        CHECK(db.connect().tables().empty());
    }
    SECTION("server not listening") {
        std::string url = "mysql://migrate:" + secret + "@127.0.0.1:" + std::to_string(free_port()) + "/" + db.name();
        auto r = run_cli({"up", "--url", url, "--dir", tmp.path().string()});
        CHECK(r.exit_code == 4);
        CHECK_THAT(r.err, Catch::Contains("cannot connect to mysql://migrate:***@127.0.0.1:"));
        CHECK_THAT(r.err, Catch::Contains("errno 2002") || Catch::Contains("errno 2003"));
        CHECK_THAT(r.err + r.out, !Catch::Contains(secret));
    }
    SECTION("unknown database") {
        const std::string missing = db.name() + "_missing";
        auto r = run_cli({"up", "--url", database_url(missing), "--dir", tmp.path().string()});
        CHECK(r.exit_code == 4);
        CHECK_THAT(r.err, Catch::Contains("errno 1049"));
        CHECK_THAT(r.err, Catch::Contains(missing));
        CHECK_FALSE(Sql().database_exists(missing));
    }
    SECTION("tracking table name that is not an identifier") {
        auto r = run_cli({"up", "--url", db.url(), "--dir", tmp.path().string(), "--table", "x`; drop table y"});
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.err, Catch::Contains("error[table_invalid]"));
        CHECK(db.connect().tables().empty());
    }
}
