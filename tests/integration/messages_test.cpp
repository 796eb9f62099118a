// Messages that say what happened and what to do: a duplicated tracking row, a migration file linked from
// outside the folder, a user without privileges, a statement larger than max_allowed_packet, and a
// migration whose effect is already in the schema because its tracking row was deleted by hand.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace testing;
using json = nlohmann::json;

namespace {

std::vector<std::string> with(const ScratchDatabase& db, const std::filesystem::path& dir,
                              std::vector<std::string> args) {
    args.insert(args.end(), {"--url", db.url(), "--dir", dir.string()});
    return args;
}

const std::string create_a = "CREATE TABLE `a` (`id` int);";
const std::string create_b = "CREATE TABLE `b` (`id` int);";

// A user of the test server that exists for one test: created with `grants`, dropped afterwards.
class ServerUser {
  public:
    ServerUser(const std::string& label, const std::vector<std::string>& grants)
        : name_("t_" + label + "_" + std::to_string(::getpid())) {
        Sql root;
        root.exec("drop user if exists '" + name_ + "'@'%'");
        root.exec("create user '" + name_ + "'@'%' identified by 'pw-" + name_ + "'");
        for (const auto& g : grants) root.exec(g + " to '" + name_ + "'@'%'");
    }
    ~ServerUser() {
        try {
            Sql().exec("drop user if exists '" + name_ + "'@'%'");
        } catch (...) {}
    }
    ServerUser(const ServerUser&) = delete;
    ServerUser& operator=(const ServerUser&) = delete;
    // The test server's URL with this user's credentials.
    std::string url(const std::string& database) const {
        const std::string server = server_url();
        const auto scheme = server.find("://") + 3;
        return server.substr(0, scheme) + name_ + ":pw-" + name_ + server.substr(server.find('@', scheme)) + "/" +
               database;
    }
    const std::string& name() const { return name_; }

  private:
    std::string name_;
};

}  // namespace

TEST_CASE("a duplicated tracking row is named as a duplicate with its fix, and does not stop up") {
    ScratchDatabase db("duplicate_row");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", create_b}});
    REQUIRE(run_cli(with(db, tmp.path(), {"up"})).exit_code == 0);
    // What two drizzle migrators started at once leave: 0000_a recorded twice.
    db.connect().exec(
        "insert into __drizzle_migrations (hash, created_at) select hash, created_at from "
        "__drizzle_migrations where id = 1");
    REQUIRE(db.connect().tracking_rows().size() == 3);
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", create_b}, {"0002_c", "CREATE TABLE `c` (`id` int);"}});

    const std::string fix = "delete from `__drizzle_migrations` where id = 3";
    auto status = run_cli(with(db, tmp.path(), {"status"}));
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("duplicate rows 1") &&
                               Catch::Contains("row id 3 duplicates row id 1 of 0000_a") && Catch::Contains(fix) &&
                               !Catch::Contains("no journal entry"));
    auto status_json = json::parse(run_cli(with(db, tmp.path(), {"status", "--json"})).out)["targets"][0];
    CHECK(status_json["rows_without_file"].empty());
    REQUIRE(status_json["duplicate_rows"].size() == 1);
    CHECK(status_json["duplicate_rows"][0]["id"] == 3);
    CHECK(status_json["duplicate_rows"][0]["duplicate_of"] == 1);
    CHECK(status_json["duplicate_rows"][0]["tag"] == "0000_a");

    auto up = run_cli(with(db, tmp.path(), {"up"}));
    CHECK(up.exit_code == 0);
    CHECK_THAT(up.out, Catch::Contains("warning: row id 3 duplicates row id 1 of 0000_a") && Catch::Contains(fix));
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b", "c"});

    auto verify = run_cli(with(db, tmp.path(), {"verify"}));
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.out + verify.err, Catch::Contains("row id 3 duplicates row id 1") && Catch::Contains(fix));

    db.connect().exec(fix);  // the fix the message names
    CHECK(run_cli(with(db, tmp.path(), {"verify"})).exit_code == 0);
    CHECK_THAT(run_cli(with(db, tmp.path(), {"status"})).out, !Catch::Contains("duplicates row id"));
}

TEST_CASE("a migration file linked from outside the folder is refused before connecting, a link inside is applied") {
    ScratchDatabase db("symlink");
    TempDir tmp;
    const auto dir = tmp.path() / "drizzle";
    write_folder(dir, {{"0000_a", create_a}, {"0001_b", create_b}});
    write_file(tmp.path() / "other" / "0001_b.sql", create_b);
    std::filesystem::remove(dir / "0001_b.sql");
    std::filesystem::create_symlink(tmp.path() / "other" / "0001_b.sql", dir / "0001_b.sql");
    auto refused = run_cli(with(db, dir, {"up"}));
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err,
               Catch::Contains("error[migration_outside_folder]") &&
                   Catch::Contains((dir / "0001_b.sql").string() + " is a symbolic link to " +
                                   std::filesystem::canonical(tmp.path() / "other" / "0001_b.sql").string()) &&
                   Catch::Contains("Replace the link with a copy of the file"));
    CHECK(db.connect().tables().empty());

    std::filesystem::remove(dir / "0001_b.sql");
    write_file(dir / "shared" / "b.sql", create_b);
    std::filesystem::create_symlink("shared/b.sql", dir / "0001_b.sql");
    CHECK(run_cli(with(db, dir, {"up"})).exit_code == 0);
    CHECK(db.connect().tracking_rows().size() == 2);
}

TEST_CASE("a user without the privileges up needs: the server's errno and SQLSTATE in the message and the JSON") {
    ScratchDatabase db("privileges");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    // Read-only: what a replica's user or a reporting user has.
    ServerUser reader("ro", {"grant select on `" + db.name() + "`.*"});
    const std::vector<std::string> args{"up", "--url", reader.url(db.name()), "--dir", tmp.path().string()};
    auto human = run_cli(args);
    CHECK(human.exit_code == 1);
    CHECK_THAT(human.err, Catch::Contains("error[server_error]") && Catch::Contains("errno 1142") &&
                              Catch::Contains("sqlstate 42000") && Catch::Contains("CREATE command denied") &&
                              Catch::Contains("Nothing was run") && Catch::Contains("lacks a privilege"));
    auto with_json = args;
    with_json.push_back("--json");
    auto doc = json::parse(run_cli(with_json).out);
    const auto& err = doc["targets"][0]["error"];
    CHECK(err["code"] == "server_error");
    CHECK(err["errno"] == 1142);
    CHECK(err["sqlstate"] == "42000");
    CHECK(db.connect().tables().empty());

    // The tables exist (created by the owner) and the user may write libmigrate's bookkeeping but not the
    // application's table: the migration's statement itself is refused, with its file and line, and the
    // advice names the missing privilege.
    REQUIRE(run_cli(with(db, tmp.path(), {"up"})).exit_code == 0);
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", "INSERT INTO `a` VALUES (1);"}});
    ServerUser writer("rw", {"grant select on `" + db.name() + "`.*",
                             "grant insert, update, delete on `" + db.name() + "`.`__drizzle_migrations`",
                             "grant insert, update, delete on `" + db.name() + "`.`__drizzle_migrations_progress`"});
    auto refused = run_cli({"up", "--url", writer.url(db.name()), "--dir", tmp.path().string(), "--json"});
    CHECK(refused.exit_code == 1);
    const auto refused_doc = json::parse(refused.out);
    const auto& e2 = refused_doc["targets"][0]["error"];
    CHECK(e2["errno"] == 1142);
    CHECK(e2["sqlstate"] == "42000");
    CHECK(e2["tag"] == "0001_b");
    CHECK(e2["line"] == 1);
    CHECK_THAT(e2["message"].get<std::string>(), Catch::Contains("INSERT command denied") &&
                                                     Catch::Contains("lacks a privilege") &&
                                                     Catch::Contains("it resumes at this statement"));
    CHECK(db.connect().tracking_rows().size() == 1);
}

TEST_CASE("a statement larger than max_allowed_packet is refused before anything is sent") {
    ScratchDatabase db("packet");
    const auto limit = std::stoull(db.connect().scalar("select @@session.max_allowed_packet"));
    REQUIRE(limit < 64 * 1024 * 1024);  // the statement below is built in memory
    TempDir tmp;
    const std::string big = "INSERT INTO `a` VALUES ('" + std::string(limit, 'x') + "');";
    write_folder(tmp.path(), {{"0000_a", "CREATE TABLE `a` (`v` longtext);"},
                              {"0001_big", "SELECT 1;\n--> statement-breakpoint\n" + big}});
    auto r = run_cli(with(db, tmp.path(), {"up"}));
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("error[statement_too_large]") &&
                          Catch::Contains("0001_big.sql:3: statement 2 of 2 of migration 0001_big is " +
                                          std::to_string(big.size() + 1) + " bytes") &&
                          Catch::Contains("max_allowed_packet = " + std::to_string(limit)) &&
                          Catch::Contains("Raise max_allowed_packet") && Catch::Contains("split the statement") &&
                          !Catch::Contains("gone away"));
    CHECK(db.connect().tables().empty());  // not even 0000_a nor the tracking table
}

TEST_CASE(
    "a migration already in the schema (its tracking row deleted by hand): the advice names resolve, which works") {
    ScratchDatabase db("applied_outside");
    TempDir tmp;
    const std::string b = create_b + "\n--> statement-breakpoint\nALTER TABLE `b` ADD `c` int;";
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", b}});
    REQUIRE(run_cli(with(db, tmp.path(), {"up"})).exit_code == 0);
    const auto rows = db.connect().tracking_rows();
    db.connect().exec("delete from __drizzle_migrations where id = 2");

    auto first = run_cli(with(db, tmp.path(), {"up"}));
    CHECK(first.exit_code == 1);
    CHECK_THAT(first.err, Catch::Contains("errno 1050") &&
                              Catch::Contains("0001_b seems to have been applied outside the tracking table") &&
                              Catch::Contains("`migrate resolve 0001_b --applied`") &&
                              !Catch::Contains("Fix the cause and run again"));
    REQUIRE(run_cli(with(db, tmp.path(), {"resolve", "0001_b", "--applied"})).exit_code == 0);
    auto second = run_cli(with(db, tmp.path(), {"up"}));
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, Catch::Contains("errno 1060") && Catch::Contains("last statement of 0001_b"));
    REQUIRE(run_cli(with(db, tmp.path(), {"resolve", "0001_b", "--applied"})).exit_code == 0);
    CHECK(run_cli(with(db, tmp.path(), {"up"})).exit_code == 0);
    CHECK(db.connect().tracking_rows() == rows);  // recorded again, with drizzle's hash and created_at
    CHECK(run_cli(with(db, tmp.path(), {"verify"})).exit_code == 0);
}
