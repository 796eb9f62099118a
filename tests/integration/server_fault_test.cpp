// Server faults over TCP, on a private MariaDB the test may restart and reconfigure: the runner is
// blocked at a chosen statement by a lock the test holds, then its connection is killed, the server
// restarted, or the lock waits outlast the statement's budget. Each time the CLI stops with a clear error, the state is
// resumable, a re-run finishes, and the end state equals a clean run's.
#include "fixtures.hpp"
#include "private_server.hpp"
#include "process.hpp"
#include "sessions.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>

using namespace testing;

namespace {

// Migrations before and after the statements the test blocks. `audit` has no key: an INSERT applied
// twice would show as a second row, an UPDATE applied twice as balance 12.
const std::string update_sql = "UPDATE `accounts` SET `balance` = `balance` + 1 WHERE `id` = 1;";
const std::string alter_sql = "ALTER TABLE `accounts` ADD `note` varchar(32);";
const std::vector<std::pair<std::string, std::string>> migrations = {
    {"0000_base",
     "CREATE TABLE `accounts` (`id` int PRIMARY KEY, `balance` int NOT NULL);\n--> statement-breakpoint\n"
     "INSERT INTO `accounts` VALUES (1, 10), (2, 20);\n--> statement-breakpoint\n"
     "CREATE TABLE `audit` (`msg` varchar(64) NOT NULL);"},
    {"0001_more", "CREATE TABLE `t1` (`id` int);\n--> statement-breakpoint\nALTER TABLE `t1` ADD `c` int;"},
    {"0002_dml", update_sql + "\n--> statement-breakpoint\nINSERT INTO `audit` VALUES ('bump');"},
    {"0003_ddl", alter_sql},
    {"0004_after", "CREATE TABLE `t2` (`id` int);\n--> statement-breakpoint\nINSERT INTO `audit` VALUES ('after');"},
};

class Fixture {
  public:
    Fixture() {
        write_folder(folder.path() / "all", migrations);
        copy_folder_prefix(folder.path() / "all", folder.path() / "first", 1);
        Sql("", server.url()).exec("create database ref");
        auto r = run_cli({"up", "--url", server.url("ref"), "--dir", dir()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        expected = Sql("ref", server.url()).snapshot(/*exact_tracking=*/false);
    }
    std::string dir() const { return (folder.path() / "all").string(); }
    // A database where 0000 is applied (so the test can lock its table); the run under test then applies
    // 0001 before the blocked statement and 0003-0004 after it.
    std::string prepared_database(const std::string& name) {
        Sql("", server.url()).exec("create database `" + name + "`");
        auto r = run_cli({"up", "--url", server.url(name), "--dir", (folder.path() / "first").string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return name;
    }
    std::vector<std::string> up(const std::string& db) const {
        return cli_argv({"up", "--url", server.url(db), "--dir", dir()});
    }
    // Re-runs without faults until done (bounded), then compares with the clean run.
    void finishes_like_a_clean_run(const std::string& db) {
        ProcessResult r;
        int runs = 0;
        do {
            r = run_cli({"up", "--url", server.url(db), "--dir", dir()});
            ++runs;
        } while (r.exit_code != 0 && runs < 3);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(runs == 1);  // the stopped run left a state the next one resumes from
        Sql s(db, server.url());
        CHECK(s.snapshot(/*exact_tracking=*/false) == expected);
        CHECK(s.scalar("select count(*) from __drizzle_migrations_progress") == "0");
        CHECK(s.scalar("select count(*) from audit") == "2");
        CHECK(s.scalar("select balance from accounts where id = 1") == "11");
    }

    TempDir folder;
    PrivateServer server;
    Snapshot expected;
};

// The id of the session running `sql` (it is blocked on the test's lock), waiting until it shows up.
std::string session_running(Sql& observer, RunningProcess& run, std::string sql) {
    if (sql.ends_with(";")) sql.pop_back();  // the processlist shows the text without it
    if (auto id = wait_for_session_running(observer, sql, std::chrono::seconds(60))) return *id;
    const auto seen = describe_sessions(observer);
    run.kill(SIGKILL);
    const auto r = run.wait();
    FAIL("the runner never started `" << sql << "`; the server's sessions:" << seen << "\nthe run's output:\n"
                                      << r.out << r.err);
    return "";
}

void stopped_at(const ProcessResult& r, const std::string& file_line, const std::string& code) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("error[" + code + "]") && Catch::Contains(file_line));
    CHECK_THAT(r.err, !Catch::Contains("already exists") && !Catch::Contains("Duplicate"));
}

}  // namespace

TEST_CASE("tcp server faults while the runner waits on a lock: kill, restart, lock wait timeout") {
    Fixture f;
    const auto started = std::chrono::steady_clock::now();
    int faults = 0;

    // KILL of the runner's connection while `waiting` waits for the lock `lock_sql` takes in an open transaction.
    auto kill_while_waiting = [&](const std::string& label, const std::string& lock_sql, const std::string& waiting,
                                  const std::string& file_line) {
        const auto db = f.prepared_database(label);
        Sql holder(db, f.server.url()), observer("", f.server.url());
        holder.exec("begin");
        holder.exec(lock_sql);
        RunningProcess run(f.up(db), {{"DATABASE_URL", ""}});
        const auto id = session_running(observer, run, waiting);
        observer.exec("kill " + id);
        ++faults;
        stopped_at(run.wait(), file_line, "connection_lost");
        holder.exec("rollback");
        f.finishes_like_a_clean_run(db);
    };
    // The UPDATE waits for a row lock; the ALTER for a metadata lock (a plain SELECT holds a shared one until
    // the transaction ends).
    kill_while_waiting("kill_dml", "select * from accounts where id = 1 for update", update_sql, "0002_dml.sql:1");
    kill_while_waiting("kill_ddl", "select * from accounts", alter_sql, "0003_ddl.sql:1");
    {  // The server restarted (clean shutdown, same data directory) while the UPDATE waits
        const auto db = f.prepared_database("restart");
        ProcessResult r;
        {
            Sql holder(db, f.server.url()), observer("", f.server.url());
            holder.exec("begin");
            holder.exec("select * from accounts where id = 1 for update");
            RunningProcess run(f.up(db), {{"DATABASE_URL", ""}});
            session_running(observer, run, update_sql);
            f.server.stop();  // ends every session, the holder's too
            ++faults;
            r = run.wait();
        }
        stopped_at(r, "0002_dml.sql:1", "connection_lost");
        f.server.start();
        f.finishes_like_a_clean_run(db);
    }
    {  // The row lock is held past the statement's lock-wait budget: each attempt times out (1205), then it gives up
        const auto db = f.prepared_database("lock_wait");
        Sql holder(db, f.server.url());
        holder.exec("begin");
        holder.exec("select * from accounts where id = 1 for update");
        auto r = run_cli({"up", "--url", f.server.url(db), "--dir", f.dir(), "--statement-lock-wait", "1",
                          "--statement-lock-budget", "2"});
        ++faults;
        INFO(r.out << r.err);
        CHECK(r.exit_code == 6);
        CHECK_THAT(r.err, Catch::Contains("error[statement_blocked]") && Catch::Contains("0002_dml.sql:1"));
        CHECK_THAT(r.err, Catch::Contains("errno 1205") && Catch::Contains("statement 1 of 2"));
        holder.exec("rollback");
        f.finishes_like_a_clean_run(db);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    WARN(faults << " server faults over TCP, " << seconds << " s after the private server was up");
    CHECK(faults == 4);
}
