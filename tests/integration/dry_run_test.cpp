// `migrate plan --sql` / `migrate up --dry-run`: the script, fed to the real mariadb client, leaves the
// database exactly as `up` leaves an identical one: schema, rows and drizzle's tracking rows.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>

#include <catch2/catch.hpp>

using namespace testing;

namespace {

const std::string create_a = "CREATE TABLE `a` (`id` int);";

ProcessResult dry_run(const ScratchDatabase& db, const std::filesystem::path& dir,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"plan", "--sql", "--url", db.url(), "--dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
}

// The script through the mariadb command-line client, as a person would run it; the password goes by
// MYSQL_PWD, never on the command line.
ProcessResult feed_client(const ScratchDatabase& db, const std::string& script) {
    TempDir tmp;
    const auto file = tmp.path() / "dry-run.sql";
    write_file(file, script);
    const auto url = migrate::parse_connection_url(server_url());
    return run_process({"mariadb", "--protocol=TCP", "-h", url.host, "-P", std::to_string(url.port), "-u", url.user,
                        db.name(), "-e", "source " + file.string()},
                       {{"MYSQL_PWD", url.password}});
}

// up on `reference`, the dry run's script on `db` (both in the same state before): same end.
void same_end_as_up(const ScratchDatabase& db, const ScratchDatabase& reference, const std::filesystem::path& dir,
                    const std::vector<std::string>& extra = {}) {
    const auto script = dry_run(db, dir, extra);
    INFO(script.err);
    REQUIRE(script.exit_code == 0);
    const auto fed = feed_client(db, script.out);
    INFO(fed.out << fed.err);
    REQUIRE(fed.exit_code == 0);
    std::vector<std::string> up{"up", "--url", reference.url(), "--dir", dir.string()};
    up.insert(up.end(), extra.begin(), extra.end());
    REQUIRE(run_cli(up).exit_code == 0);
    const auto got = db.connect().snapshot();
    CHECK(got == reference.connect().snapshot());
    CHECK_FALSE(got.tracking.empty());
    // And libmigrate agrees: nothing left to do.
    const auto after = dry_run(db, dir, extra);
    CHECK(after.exit_code == 0);
    CHECK_THAT(after.out, Catch::Contains("-- nothing to apply"));
}

// The script without its "-- Made <time> …" line.
std::string without_time(std::string script) {
    const auto at = script.find("-- Made ");
    if (at != std::string::npos) script.erase(at, script.find('\n', at) - at);
    return script;
}

}  // namespace

TEST_CASE("dry run: the monolith's 220 migrations through the client end as up ends") {
    ScratchDatabase db("dry_mono"), reference("dry_mono_ref");
    same_end_as_up(db, reference, corpus_folder("monolith"));
}

TEST_CASE("dry run: a baseline load through the client ends as up ends with rows for every covered migration") {
    ScratchDatabase db("dry_base"), reference("dry_base_ref");
    const auto dir = corpus_folder("oi_policies");
    const auto script = dry_run(db, dir);
    CHECK_THAT(script.out, Catch::Contains("the baseline through 0033_noisy_the_executioner"));
    CHECK_THAT(script.out, Catch::Contains("record the 34 migrations the baseline covers"));
    same_end_as_up(db, reference, dir);
}

TEST_CASE("dry run: each statement whole with migration and file and line and how it runs and nothing changes") {
    ScratchDatabase db("dry_text");
    TempDir tmp;
    const std::string long_statement = "CREATE TABLE `b` (\n  `id` int,\n  `note` varchar(200) DEFAULT 'a;b -- c'\n);";
    write_folder(tmp.path(), {{"0000_a", create_a},
                              {"0001_b", "INSERT INTO `a` VALUES (1);\n--> statement-breakpoint\n" + long_statement}});
    const auto r = dry_run(db, tmp.path());
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(long_statement));  // whole, not cut to one line
    CHECK_THAT(r.out, Catch::Contains("-- [2/2] 0001_b: "));
    CHECK_THAT(r.out, Catch::Contains("0001_b.sql:3  statement 2 of 2, ddl, direct"));
    CHECK_THAT(r.out, Catch::Contains("0001_b.sql:1  statement 1 of 2, dml, direct"));
    CHECK_THAT(r.out, Catch::Contains("CREATE TABLE IF NOT EXISTS") || Catch::Contains("create table if not exists"));
    CHECK_THAT(r.out, !Catch::Contains("migrate-local-pw"));  // the URL in the header is redacted
    CHECK(db.connect().tables().empty());                     // a dry run changes nothing, not even the tracking table
    // `up --dry-run` is the same script (but for the time it was made).
    const auto up = run_cli({"up", "--dry-run", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(up.exit_code == 0);
    CHECK(without_time(up.out) == without_time(r.out));
}

TEST_CASE("dry run: procedure and trigger bodies go between DELIMITER lines and run as up runs them") {
    ScratchDatabase db("dry_delim"), reference("dry_delim_ref");
    TempDir tmp;
    write_folder(tmp.path(),
                 {{"0000_a", "CREATE TABLE `a` (`id` int, `n` int DEFAULT 0);"},
                  {"0001_custom",
                   "CREATE TRIGGER `a_bump` BEFORE INSERT ON `a` FOR EACH ROW BEGIN\n  SET NEW.n = NEW.id * 2;\n  SET "
                   "NEW.n = NEW.n + 1;\nEND;\n--> statement-breakpoint\nINSERT INTO `a` (`id`) VALUES (1), (2);"}});
    const auto r = dry_run(db, tmp.path());
    CHECK_THAT(r.out, Catch::Contains("DELIMITER $$\nCREATE TRIGGER"));
    CHECK_THAT(r.out, Catch::Contains("END;\n$$\nDELIMITER ;\n"));
    same_end_as_up(db, reference, tmp.path());
    CHECK(db.connect().rows("select n from a order by id") == Rows{{"3"}, {"5"}});
}

TEST_CASE("dry run: a comment-only custom migration is recorded and sends nothing through the client either") {
    ScratchDatabase db("dry_comment"), reference("dry_comment_ref");
    TempDir tmp;
    write_folder(tmp.path(),
                 {{"0000_a", create_a}, {"0001_custom", "-- Custom SQL migration file, put your code below! --"}});
    same_end_as_up(db, reference, tmp.path());
}

TEST_CASE("dry run: a half-applied migration resumes where up would and its progress ends as up ends it") {
    ScratchDatabase db("dry_resume"), reference("dry_resume_ref");
    TempDir tmp;
    const std::string failing = "ALTER TABLE `a` ADD `c` int;\n--> statement-breakpoint\nALTER TABLE `a` ADD `c` int;";
    const std::string fixed = "ALTER TABLE `a` ADD `c` int;\n--> statement-breakpoint\nALTER TABLE `a` ADD `d` int;";
    for (const auto* d : {&db, &reference}) {
        write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_cd", failing}});
        REQUIRE(run_cli({"up", "--url", d->url(), "--dir", tmp.path().string()}).exit_code == 1);
    }
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_cd", fixed}});
    const auto r = dry_run(db, tmp.path());
    CHECK_THAT(r.out, Catch::Contains("a stopped run did statements 1-1: `up` resumes at statement 2"));
    CHECK_THAT(r.out, !Catch::Contains("ADD `c`"));  // statement 1 ran already
    same_end_as_up(db, reference, tmp.path());
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations_progress") == "0");
    // The next libmigrate run sees a finished history, as after up.
    CHECK(run_cli({"status", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
}

TEST_CASE("dry run: what up would refuse is refused the same way and --sql takes no --json") {
    ScratchDatabase db("dry_refuse");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    REQUIRE(run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 0);
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`id` bigint);"}});  // edited after it was applied
    const auto up = run_cli({"up", "--url", db.url(), "--dir", tmp.path().string()});
    const auto r = dry_run(db, tmp.path());
    CHECK(r.exit_code == up.exit_code);
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("error[migration_changed]"));
    const auto json = dry_run(db, tmp.path(), {"--json"});
    CHECK(json.exit_code == 2);
}
