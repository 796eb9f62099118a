// Lock waits (docs/safety.md, "Lock waits"): a statement that needs a lock another session holds waits at
// most one attempt's time, is retried with backoff within a budget, names the blocking sessions while it
// waits and when it gives up, and leaves a state the next run resumes. Meanwhile the application's queries
// on the table are held up at most one attempt — not until the blocking transaction ends, which is what a
// plain ALTER does (shown here with the guard off).
#include "fixtures.hpp"
#include "private_server.hpp"
#include "process.hpp"
#include "sessions.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace testing;
using namespace std::chrono_literals;

namespace {

const std::string base_sql =
    "CREATE TABLE `accounts` (`id` int PRIMARY KEY, `balance` int NOT NULL);\n"
    "--> statement-breakpoint\nINSERT INTO `accounts` VALUES (1, 10), (2, 20);\n"
    "--> statement-breakpoint\nCREATE TABLE `other` (`id` int PRIMARY KEY);";
const std::string alter_sql = "ALTER TABLE `accounts` ADD `note` varchar(32);";
const std::string update_sql = "UPDATE `accounts` SET `balance` = `balance` + 1 WHERE `id` = 1;";

struct Folders {
    Folders() {
        write_folder(tmp.path() / "first", {{"0000_base", base_sql}});
        write_folder(tmp.path() / "ddl", {{"0000_base", base_sql}, {"0001_ddl", alter_sql}});
        write_folder(tmp.path() / "dml", {{"0000_base", base_sql}, {"0001_dml", update_sql}});
    }
    std::string dir(const std::string& name) const { return (tmp.path() / name).string(); }
    TempDir tmp;
};

void prepare(const Folders& f, const std::string& url) {
    auto r = run_cli({"up", "--url", url, "--dir", f.dir("first")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

std::vector<std::string> up(const Folders& f, const std::string& url, const std::string& folder, int per_attempt,
                            int budget) {
    return cli_argv({"up", "--url", url, "--dir", f.dir(folder), "--statement-lock-wait", std::to_string(per_attempt),
                     "--statement-lock-budget", std::to_string(budget)});
}

bool has_column(Sql& s, const std::string& column) {
    return s.scalar(
               "select count(*) from information_schema.columns where table_schema = database() and table_name = "
               "'accounts' and column_name = '" +
               column + "'") == "1";
}

}  // namespace

TEST_CASE("a DDL blocked by an open transaction gives up within its budget, names the holder, changes nothing") {
    Folders f;
    ScratchDatabase db("lockwait_ddl");
    prepare(f, db.url());
    Sql holder(db.name());
    const auto holder_id = holder.scalar("select connection_id()");
    holder.exec("begin");
    holder.exec("select * from accounts");  // a shared metadata lock until the transaction ends
    // A bystander with an open transaction on another table is a candidate too (no lock table to ask here).
    Sql bystander(db.name());
    bystander.exec("begin");
    bystander.exec("select * from other");

    const auto start = std::chrono::steady_clock::now();
    auto r = run_process(up(f, db.url(), "ddl", 1, 4), {{"DATABASE_URL", ""}});
    const auto took = std::chrono::steady_clock::now() - start;
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::Contains("error[statement_blocked]") && Catch::Contains("0001_ddl.sql:1") &&
                          Catch::Contains("connection " + holder_id) && Catch::Contains("transaction open") &&
                          Catch::Contains("errno 1205") && Catch::Contains("took no effect"));
    CHECK_THAT(r.err, Catch::Contains("blocked by other sessions' locks"));  // said while waiting, before giving up
    CHECK(took < 60s);  // the budget bounds it (4 s + one attempt + a pause), the server's day-long default does not

    Sql s(db.name());
    CHECK_FALSE(has_column(s, "note"));
    CHECK(s.scalar("select count(*) from __drizzle_migrations") == "1");
    CHECK(s.scalar("select concat(failed_statement, ' ', error_errno) from __drizzle_migrations_progress") == "0 1205");

    auto json = run_cli({"up", "--json", "--url", db.url(), "--dir", f.dir("ddl"), "--statement-lock-wait", "1",
                         "--statement-lock-budget", "2"},
                        {{"DATABASE_URL", ""}});
    CHECK(json.exit_code == 6);
    CHECK_THAT(json.out, Catch::Contains("\"statement_blocked\"") && Catch::Contains("1205"));

    holder.exec("rollback");
    bystander.exec("rollback");
    auto again = run_cli({"up", "--url", db.url(), "--dir", f.dir("ddl")}, {{"DATABASE_URL", ""}});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(has_column(s, "note"));
    CHECK(s.scalar("select count(*) from __drizzle_migrations_progress") == "0");
}

TEST_CASE("a waiting DDL holds up the application's queries one attempt at most, not until the blocker ends") {
    Folders f;
    for (const bool guarded : {true, false}) {
        ScratchDatabase db(guarded ? "lockwait_on" : "lockwait_off");
        prepare(f, db.url());
        Sql holder(db.name()), observer(db.name()), app(db.name());
        holder.exec("begin");
        holder.exec("select * from accounts");
        // The application gives up after 5 s of waiting (a bound for this test; real defaults are far longer).
        app.exec("set session lock_wait_timeout = 5");
        RunningProcess run(up(f, db.url(), "ddl", guarded ? 2 : 0, 60), {{"DATABASE_URL", ""}});
        // Until the ALTER queues for the metadata lock (before that, it holds nothing that blocks a read).
        auto alter = wait_for_session_running(observer, "ALTER TABLE `accounts` ADD", 60s);
        REQUIRE(alter);
        REQUIRE(wait_for_session_state(observer, *alter, "Waiting for table metadata lock", 60s));
        INFO((guarded ? "guard on" : "guard off"));
        int served = 0, failed = 0;
        for (int i = 0; i < 3; ++i) {
            try {
                app.rows("select balance from accounts where id = 1");
                ++served;
            } catch (const std::exception&) {
                ++failed;  // waited 5 s behind the ALTER, which waits behind the holder
            }
        }
        holder.exec("rollback");
        auto r = run.wait();
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        if (guarded) {
            CHECK(served == 3);
            CHECK_THAT(r.err, Catch::Contains("blocked by other sessions' locks"));
        } else {
            CHECK(failed == 3);
        }
        CHECK(has_column(observer, "note"));
    }
}

TEST_CASE("a DML blocked by a row lock is retried, naming the holder, and completes once it commits") {
    Folders f;
    ScratchDatabase db("lockwait_dml");
    prepare(f, db.url());
    Sql holder(db.name()), observer(db.name());
    const auto holder_id = holder.scalar("select connection_id()");
    holder.exec("begin");
    holder.exec("select * from accounts where id = 1 for update");
    RunningProcess run(up(f, db.url(), "dml", 1, 60), {{"DATABASE_URL", ""}});
    // First attempt, its timeout, the second attempt: then let go.
    auto first = wait_for_session_running(observer, "UPDATE `accounts`", 60s);
    REQUIRE(first);
    for (auto deadline = std::chrono::steady_clock::now() + 30s;
         session_executing_text(observer, *first, "UPDATE `accounts`") && std::chrono::steady_clock::now() < deadline;)
        std::this_thread::sleep_for(10ms);
    REQUIRE(wait_for_session_running(observer, "UPDATE `accounts`", 60s));
    holder.exec("commit");
    auto r = run.wait();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err,
               Catch::Contains("blocked by other sessions' locks") && Catch::Contains("connection " + holder_id));
    CHECK(observer.scalar("select balance from accounts where id = 1") == "11");  // once, not twice
}

TEST_CASE("with MariaDB's METADATA_LOCK_INFO plugin, exactly the session holding the table's metadata lock is named") {
    PrivateServer server;
    Sql root("", server.url());
    root.exec("install soname 'metadata_lock_info'");
    root.exec("create database mdl");
    Folders f;
    prepare(f, server.url("mdl"));
    Sql holder("mdl", server.url()), bystander("mdl", server.url());
    const auto holder_id = holder.scalar("select connection_id()");
    const auto bystander_id = bystander.scalar("select connection_id()");
    holder.exec("begin");
    holder.exec("select * from accounts");
    bystander.exec("begin");
    bystander.exec("select * from other");
    auto r = run_process(up(f, server.url("mdl"), "ddl", 1, 3), {{"DATABASE_URL", ""}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::Contains("held by connection " + holder_id));
    CHECK_THAT(r.err, !Catch::Contains("connection " + bystander_id + " "));
}
