// Refusals (edited, missing, out of order), repair/resolve, resume after a failure, and the lock.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace testing;

namespace {

ProcessResult up(const ScratchDatabase& db, const std::filesystem::path& dir, std::vector<std::string> extra = {},
                 std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args{"up", "--url", db.url(), "--dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env);
}

const std::string create_a = "CREATE TABLE `a` (`id` int);";
const std::string create_b = "CREATE TABLE `b` (`id` int);";
const std::string create_c = "CREATE TABLE `c` (`id` int);";

}  // namespace

TEST_CASE("an applied migration edited afterwards is refused, and repair records the new hash") {
    ScratchDatabase db("changed");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", create_b}});
    REQUIRE(up(db, tmp.path()).exit_code == 0);
    const auto old_hash = *db.connect().tracking_rows()[0][0];

    write_folder(tmp.path(), {{"0000_a", create_a + "\n-- reviewed"}, {"0001_b", create_b}, {"0002_c", create_c}});
    auto r = up(db, tmp.path());
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("error[migration_changed]"));
    CHECK_THAT(r.err, Catch::Contains("0000_a.sql was applied with hash " + old_hash));
    CHECK_THAT(r.err, Catch::Contains("migrate repair"));
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b"});  // 0002 not run

    auto status = run_cli({"status", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK_THAT(status.out, Catch::Contains("changed 1"));

    auto no_yes = run_cli({"repair", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(no_yes.exit_code == 2);
    CHECK_THAT(no_yes.err, Catch::Contains("--yes"));
    CHECK(*db.connect().tracking_rows()[0][0] == old_hash);

    auto repaired = run_cli({"repair", "--yes", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(repaired.exit_code == 0);
    CHECK_THAT(repaired.out, Catch::Contains("repaired 1 tracking row"));
    CHECK(*db.connect().tracking_rows()[0][0] != old_hash);
    // Idempotent: a second run has nothing to do, says so and succeeds (docs/cli.md).
    auto again = run_cli({"repair", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to repair"));
    CHECK(up(db, tmp.path()).exit_code == 0);
    CHECK(db.connect().tracking_rows().size() == 3);
}

TEST_CASE("a tracking row without a file is refused unless --allow-missing") {
    ScratchDatabase db("missing");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", create_b}});
    REQUIRE(up(db, tmp.path()).exit_code == 0);
    TempDir other;  // a checkout where 0001_b (applied from another branch) does not exist yet
    write_folder(other.path(), {{"0000_a", create_a}, {"0002_c", create_c}});
    auto journal = read_file(other.path() / "meta" / "_journal.json");
    journal.replace(journal.find("2000"), 4, "3000");  // 0002_c was generated after 0001_b
    write_file(other.path() / "meta" / "_journal.json", journal);
    auto r = up(db, other.path());
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("error[row_without_file]") && Catch::Contains("created_at 2000"));
    CHECK_THAT(r.err, Catch::Contains("--allow-missing"));
    CHECK(db.connect().tracking_rows().size() == 2);
    auto allowed = up(db, other.path(), {"--allow-missing"});
    CHECK(allowed.exit_code == 0);
    CHECK(db.connect().tracking_rows().size() == 3);
}

TEST_CASE("an entry older than the newest applied one is refused unless --allow-out-of-order") {
    ScratchDatabase db("ooo");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}, {"0001_b", create_b}});  // when 1000, 2000
    REQUIRE(up(db, tmp.path()).exit_code == 0);
    // A branch merged late: 0002_c was generated (when 1500) before 0001_b was deployed.
    write_file(tmp.path() / "0002_c.sql", create_c);
    auto journal = read_file(tmp.path() / "meta" / "_journal.json");
    journal.insert(journal.rfind(']'), R"(,{"idx":2,"version":"5","when":1500,"tag":"0002_c","breakpoints":true})");
    write_file(tmp.path() / "meta" / "_journal.json", journal);

    auto r = up(db, tmp.path());
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Catch::Contains("error[out_of_order]"));
    CHECK_THAT(r.err, Catch::Contains("0002_c (when 1500)") && Catch::Contains("drizzle would skip it silently"));
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b"});

    auto allowed = up(db, tmp.path(), {"--allow-out-of-order"});
    CHECK(allowed.exit_code == 0);
    auto rows = db.connect().tracking_rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[2][1] == "1500");               // its own `when`: drizzle's high-water mark stays 2000
    CHECK(up(db, tmp.path()).exit_code == 0);  // applied now: nothing left to refuse
}

TEST_CASE("a failed statement is recorded, and the next run resumes at it without rerunning earlier ones") {
    ScratchDatabase db("resume");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a},
                              {"0001_b", create_b +
                                             "\n--> statement-breakpoint\nINSERT INTO `ref` VALUES (1);"
                                             "\n--> statement-breakpoint\n" +
                                             create_c}});
    auto failed = up(db, tmp.path());
    CHECK(failed.exit_code == 1);
    CHECK_THAT(failed.err, Catch::Contains("0001_b.sql:3: statement 2 of 3"));
    CHECK_THAT(failed.err, Catch::Contains("resumes at this statement"));

    auto status = run_cli({"status", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK_THAT(status.out, Catch::Contains("partially applied 1"));
    CHECK_THAT(status.out, Catch::Contains("partial 0001_b: 1 of 3 statements done; statement 2"));
    CHECK_THAT(status.out, Catch::Contains("failed: errno 1146"));
    CHECK_THAT(status.out, Catch::Contains("lock       free"));

    db.connect().exec("CREATE TABLE `ref` (`id` int)");  // the operator fixes the cause
    auto resumed = up(db, tmp.path());
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);  // statement 1 (CREATE TABLE b) would fail if run again
    CHECK_THAT(resumed.out, Catch::Contains("resuming 0001_b at statement 2 of 3"));
    CHECK(db.connect().scalar("select count(*) from ref") == "1");
    CHECK(db.connect().tracking_rows().size() == 2);
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations_progress") == "0");
}

TEST_CASE("editing statements a half-applied migration already ran is refused, editing the rest is fine") {
    ScratchDatabase db("partial_edit");
    TempDir tmp;
    auto write = [&](const std::string& first, const std::string& second) {
        write_folder(tmp.path(), {{"0000_a", first + "\n--> statement-breakpoint\n" + second}});
    };
    write(create_a, "INSERT INTO `missing` VALUES (1);");
    REQUIRE(up(db, tmp.path()).exit_code == 1);

    write("CREATE TABLE `a` (`id` bigint);", "INSERT INTO `a` VALUES (1);");
    auto refused = up(db, tmp.path());
    CHECK(refused.exit_code == 5);
    CHECK_THAT(refused.err, Catch::Contains("error[partial_edited]") && Catch::Contains("first 1 statement(s)"));

    write(create_a, "INSERT INTO `a` VALUES (1);");  // only the failed statement fixed
    auto fixed = up(db, tmp.path());
    CHECK(fixed.exit_code == 0);
    CHECK(db.connect().scalar("select count(*) from a") == "1");
}

TEST_CASE("a statement in flight whose effect cannot be decided waits for `migrate resolve`") {
    ScratchDatabase db("resolve");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a +
                                             "\n--> statement-breakpoint\nALTER TABLE `a` COMMENT = 'checked';"
                                             "\n--> statement-breakpoint\n" +
                                             create_b}});
    // Killed right after the ALTER (statement 2) took effect, before its progress was written.
    auto killed = up(db, tmp.path(), {}, {{"MIGRATE_TEST_KILL_AT", "after-statement:2"}});
    CHECK(killed.exit_code == 128 + SIGKILL);

    auto refused = up(db, tmp.path());
    CHECK(refused.exit_code == 5);
    CHECK_THAT(refused.err, Catch::Contains("error[needs_resolve]"));
    CHECK_THAT(refused.err, Catch::Contains("0000_a.sql:3: statement 2 of migration 0000_a"));
    CHECK_THAT(refused.err, Catch::Contains("migrate resolve 0000_a --applied"));
    auto status = run_cli({"status", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK_THAT(status.out, Catch::Contains("statement 2 (") && Catch::Contains("was in flight"));

    CHECK(run_cli({"resolve", "0000_a", "--url", db.url(), "--dir", tmp.path().string()}).exit_code == 2);
    CHECK(run_cli({"resolve", "0009_nope", "--applied", "--url", db.url(), "--dir", tmp.path().string()}).exit_code ==
          5);
    auto resolved = run_cli({"resolve", "0000_a", "--applied", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(resolved.exit_code == 0);
    auto resumed = up(db, tmp.path());
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("statement 2 skipped: the operator resolved it as applied"));
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b"});
    CHECK(db.connect().tracking_rows().size() == 1);
}

TEST_CASE("a DDL statement in flight is decided from the schema") {
    ScratchDatabase db("probe");
    TempDir tmp;
    // The DROP COLUMN (statement 2) removes a name, so it runs with an in-flight mark.
    write_folder(tmp.path(), {{"0000_a",
                               "CREATE TABLE `a` (`id` int, `x` int);\n--> statement-breakpoint\n"
                               "ALTER TABLE `a` DROP COLUMN `x`;\n--> statement-breakpoint\n" +
                                   create_c}});
    SECTION("it took effect: skipped") {
        CHECK(up(db, tmp.path(), {}, {{"MIGRATE_TEST_KILL_AT", "after-statement:2"}}).exit_code == 128 + SIGKILL);
        auto r = up(db, tmp.path());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("statement 2 skipped: the schema shows it took effect"));
    }
    SECTION("it had not been sent: run") {
        CHECK(up(db, tmp.path(), {}, {{"MIGRATE_TEST_KILL_AT", "before-statement:2"}}).exit_code == 128 + SIGKILL);
        auto r = up(db, tmp.path());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("had not taken effect"));
    }
    CHECK(db.connect().tables() ==
          std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "c"});
    CHECK(db.connect().tracking_rows().size() == 1);
}

TEST_CASE("statements that only add run unmarked, and a resumed run finds by the schema which ran") {
    ScratchDatabase db("unmarked");
    TempDir tmp;
    // Killed right after statement 3 (an ADD following a marked DDL); the resumed run finds it done by the
    // schema and runs neither it nor statement 2 again.
    auto killed_after_the_add_then_resumed = [&] {
        CHECK(up(db, tmp.path(), {}, {{"MIGRATE_TEST_KILL_AT", "after-statement:3"}}).exit_code == 128 + SIGKILL);
        auto r = up(db, tmp.path());
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("statement 3 skipped: the schema shows it took effect"));
        CHECK_THAT(r.out, !Catch::Contains("statement 2"));
        CHECK(db.connect().tables() ==
              std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "c"});
    };
    SECTION("a run of CREATE TABLEs killed after the second") {
        write_folder(tmp.path(), {{"0000_a", create_a + "\n--> statement-breakpoint\n" + create_b +
                                                 "\n--> statement-breakpoint\n" + create_c}});
        CHECK(up(db, tmp.path(), {}, {{"MIGRATE_TEST_KILL_AT", "after-statement:2"}}).exit_code == 128 + SIGKILL);
        auto r = up(db, tmp.path());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("statement 1 skipped: the schema shows it took effect"));
        CHECK_THAT(r.out, Catch::Contains("statement 2 skipped: the schema shows it took effect"));
        CHECK_THAT(r.out, !Catch::Contains("statement 3 skipped"));
        CHECK(db.connect().tables() ==
              std::vector<std::string>{"__drizzle_migrations", "__drizzle_migrations_progress", "a", "b", "c"});
    }
    SECTION("a rejected unmarked statement is run again, not taken as done because its name exists") {
        // The CREATE TABLE fails because `a` exists already: that `a` is not its doing.
        write_folder(tmp.path(),
                     {{"0000_a", create_a}, {"0001_again", create_b + "\n--> statement-breakpoint\n" + create_a}});
        auto first = up(db, tmp.path());
        CHECK(first.exit_code == 1);
        CHECK_THAT(first.err, Catch::Contains("already exists"));
        auto second = up(db, tmp.path());
        INFO(second.out << second.err);
        CHECK(second.exit_code == 1);
        CHECK_THAT(second.err, Catch::Contains("statement 2 of 2 of migration 0001_again failed"));
        CHECK(db.connect().tracking_rows().size() == 1);
        // Fixed (statements after the ones done may change): now it completes.
        write_folder(tmp.path(),
                     {{"0000_a", create_a}, {"0001_again", create_b + "\n--> statement-breakpoint\n" + create_c}});
        CHECK(up(db, tmp.path()).exit_code == 0);
        CHECK(db.connect().tracking_rows().size() == 2);
        return;
    }
    SECTION("an ADD right after a statement safe to repeat is marked, so the MODIFY is known done") {
        write_folder(tmp.path(), {{"0000_a",
                                   "CREATE TABLE `a` (`id` int, `y` int);\n--> statement-breakpoint\n"
                                   "ALTER TABLE `a` MODIFY COLUMN `y` bigint;\n--> statement-breakpoint\n"
                                   "ALTER TABLE `a` ADD `z` int;\n--> statement-breakpoint\n" +
                                       create_c}});
        killed_after_the_add_then_resumed();
    }
    SECTION("a key dropped and added again under its name (drizzle-kit's way to change a key) runs once each") {
        // Were the ADD unmarked, the DROP would look in flight, and its probe would find `uq` (the new one)
        // and run the DROP and the ADD again.
        write_folder(tmp.path(), {{"0000_a",
                                   "CREATE TABLE `a` (`id` int, `x` int, `y` int, UNIQUE KEY `uq` (`x`));\n"
                                   "--> statement-breakpoint\nALTER TABLE `a` DROP INDEX `uq`;\n"
                                   "--> statement-breakpoint\nALTER TABLE `a` ADD CONSTRAINT `uq` UNIQUE(`x`,`y`);\n"
                                   "--> statement-breakpoint\n" +
                                       create_c}});
        killed_after_the_add_then_resumed();
        CHECK_THAT(db.connect().schema().at("a"), Catch::Contains("UNIQUE KEY `uq` (`x`,`y`)"));
    }
    CHECK(db.connect().tracking_rows().size() == 1);
}

TEST_CASE("the lock: a run waits for the holder, names it, and gives up after the timeout") {
    ScratchDatabase db("lock");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    Sql holder;
    const std::string id = holder.scalar("select connection_id()");
    SECTION("session lock (GET_LOCK)") {
        REQUIRE(holder.scalar("select get_lock('libmigrate:" + db.name() + ".__drizzle_migrations', 0)") == "1");
        auto r = up(db, tmp.path(), {"--lock-timeout", "1"});
        CHECK(r.exit_code == 6);
        CHECK_THAT(r.err, Catch::Contains("error[lock_timeout]") && Catch::Contains("held by connection " + id));
        CHECK(db.connect().tables().empty());
        holder.exec("do release_lock('libmigrate:" + db.name() + ".__drizzle_migrations')");
        CHECK(up(db, tmp.path(), {"--lock-timeout", "1"}).exit_code == 0);
        // Released after the run: free for the next one.
        CHECK(holder.scalar("select is_free_lock('libmigrate:" + db.name() + ".__drizzle_migrations')") == "1");
    }
    SECTION("lease lock: a live lease blocks, an expired one is taken over") {
        auto sql = db.connect();
        sql.exec(
            "create table __drizzle_migrations_lock (`name` varchar(64) not null primary key, `owner` char(32) not "
            "null, `holder` varchar(255) not null, `acquired_at` timestamp(6) not null default "
            "current_timestamp(6), `expires_at` timestamp(6) not null)");
        sql.exec(
            "insert into __drizzle_migrations_lock (name, owner, holder, expires_at) values ('migrate', 'x', "
            "'replica-7 pid 42', now(6) + interval 1 hour)");
        auto r = up(db, tmp.path(), {"--lock", "lease", "--lock-timeout", "1"});
        CHECK(r.exit_code == 6);
        CHECK_THAT(r.err, Catch::Contains("held by replica-7 pid 42"));
        sql.exec("update __drizzle_migrations_lock set expires_at = now(6) - interval 1 second");
        auto ok = up(db, tmp.path(), {"--lock", "lease", "--lock-timeout", "1"});
        CHECK(ok.exit_code == 0);
        CHECK(sql.scalar("select count(*) from __drizzle_migrations_lock") == "0");  // released
        CHECK(sql.tracking_rows().size() == 1);
    }
}

TEST_CASE("the lock is released when a run fails") {
    ScratchDatabase db("lock_fail");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", "INSERT INTO `missing` VALUES (1);"}});
    CHECK(up(db, tmp.path()).exit_code == 1);
    CHECK(Sql().scalar("select is_free_lock('libmigrate:" + db.name() + ".__drizzle_migrations')") == "1");
    auto lease = up(db, tmp.path(), {"--lock", "lease"});
    CHECK(lease.exit_code == 1);
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations_lock") == "0");
}

TEST_CASE("Ctrl-C stops between statements, releases the lock, and the next run resumes") {
    ScratchDatabase db("sigint");
    const auto dir = corpus_folder("monolith").string();
    RunningProcess p(cli_argv({"up", "--no-baseline", "--url", db.url(), "--dir", dir}), {{"DATABASE_URL", ""}});
    REQUIRE(p.wait_for_output("[3/220]"));
    p.kill(SIGINT);
    auto r = p.wait();
    CHECK(r.exit_code == 130);
    CHECK_THAT(r.err, Catch::Contains("error[interrupted]"));
    CHECK(Sql().scalar("select is_free_lock('libmigrate:" + db.name() + ".__drizzle_migrations')") == "1");
    const auto applied = db.connect().tracking_rows().size();
    CHECK(applied >= 3);
    CHECK(applied < 220);
    auto rest = run_cli({"up", "--url", db.url(), "--dir", dir});
    CHECK(rest.exit_code == 0);
    CHECK(db.connect().tracking_rows().size() == 220);
}

TEST_CASE("status names the lock holder") {
    ScratchDatabase db("lock_status");
    TempDir tmp;
    write_folder(tmp.path(), {{"0000_a", create_a}});
    Sql holder;
    const std::string id = holder.scalar("select connection_id()");
    REQUIRE(holder.scalar("select get_lock('libmigrate:" + db.name() + ".__drizzle_migrations', 0)") == "1");
    auto s = run_cli({"status", "--url", db.url(), "--dir", tmp.path().string()});
    CHECK(s.exit_code == 0);
    CHECK_THAT(s.out, Catch::Contains("lock       held by connection " + id));
}
