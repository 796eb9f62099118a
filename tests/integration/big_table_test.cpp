// Long statements on a table of a million rows, and the client killed with SIGKILL at random moments inside
// them. A killed client does not stop the statement it sent: the server goes on executing it (an index
// build to its end, an INSERT … SELECT until the rollback that follows). The immediate rerun must neither
// race that statement nor get stuck after it, and must end exactly where a clean run ends: schema,
// tracking rows, every row's content and the AUTO_INCREMENT ids. Reruns also come from "another machine"
// (a copy of the folder at another path, and an account without the PROCESS privilege, which cannot see or
// kill the stopped run's session — as on Vitess), and after a server crash in the middle of the statement.
//
// Label bigdata: a few minutes; excluded from the sanitizer run (docs/reliability.md).
#include "fixtures.hpp"
#include "private_server.hpp"
#include "process.hpp"
#include "sessions.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <random>
#include <thread>

using namespace testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* rows = "1000000";

const std::string base_sql =
    "CREATE TABLE `big` (`id` int PRIMARY KEY, `s` varchar(32) NOT NULL, `w` int NOT NULL, `v` int NOT NULL);\n"
    "--> statement-breakpoint\n"
    "CREATE TABLE `copy` (`id` int AUTO_INCREMENT PRIMARY KEY, `s` varchar(32) NOT NULL, `w` int NOT NULL);";

// The data a production table would have, in seconds (MariaDB's sequence engine).
const std::string fill_sql = std::string(
                                 "insert into big select seq, concat('s', seq * 7919 % 1000003), seq % 1000, seq "
                                 "from seq_1_to_") +
                             rows;

// One long-running statement kind each (several statements: the kill lands in one chosen at random).
// Each statement's text is distinctive enough to find it in the processlist.
struct Kind {
    std::string name;
    std::vector<std::string> statements;
    int kills;
};

const std::vector<Kind> kinds = {
    // The report's migration: two index builds (unmarked: they only add names) and a copying MODIFY.
    {"index_then_modify",
     {"CREATE INDEX `big_s_idx` ON `big` (`s`);", "ALTER TABLE `big` ADD INDEX `big_w_idx` (`w`,`s`);",
      "ALTER TABLE `big` MODIFY COLUMN `v` bigint NOT NULL;"},
     10},
    // ADD COLUMN is instant on MariaDB 10.11 unless the default is an expression: then the table is copied.
    {"add_column", {"ALTER TABLE `big` ADD `code` int DEFAULT (`w` * 2) NOT NULL;"}, 4},
    // A backfill into an AUTO_INCREMENT table: a rolled-back attempt consumes ids InnoDB does not give back.
    {"insert_select",
     {"INSERT INTO `copy` (`s`, `w`) SELECT `s`, `w` FROM `big` ORDER BY `id`;",
      "CREATE INDEX `copy_w_idx` ON `copy` (`w`);"},
     6},
    // Applied twice it would show: every w one higher.
    {"update_backfill", {"UPDATE `big` SET `w` = `w` + 1 WHERE `v` > 0;"}, 4},
};

std::string joined(const std::vector<std::string>& statements) {
    std::string out;
    for (const auto& s : statements) out += (out.empty() ? "" : "\n--> statement-breakpoint\n") + s;
    return out;
}

// What a clean run leaves: schema, tracking rows, and the contents of both tables (checksums of every row,
// ids included, plus counts and id ranges that make a failure readable).
struct EndState {
    Snapshot schema_and_tracking;
    Rows contents;
    bool operator==(const EndState&) const = default;
};

EndState end_state(Sql& s) {
    EndState e;
    e.schema_and_tracking.schema = s.schema();
    e.schema_and_tracking.tracking = s.tracking_rows();
    e.contents = s.rows(
        "select (select count(*) from big), (select sum(crc32(concat_ws(',', id, s, w, v))) from big), "
        "(select count(*) from copy), (select min(id) from copy), (select max(id) from copy), "
        "(select sum(crc32(concat_ws(',', id, s, w))) from copy)");
    if (s.schema()["big"].find("`code`") != std::string::npos)
        e.contents.push_back(s.rows("select sum(code) from big")[0]);
    return e;
}

class KindFixture {
  public:
    explicit KindFixture(const Kind& kind) : kind_(kind) {
        write_folder(folder.path() / "first", {{"0000_base", base_sql}});
        write_folder(folder.path() / "all", {{"0000_base", base_sql}, {"0001_" + kind.name, joined(kind.statements)}});
        write_folder(elsewhere.path() / "moved",
                     {{"0000_base", base_sql}, {"0001_" + kind.name, joined(kind.statements)}});
    }

    // A database holding 0000 and a million rows in `big`, with 0001 pending, at `url` (server/database).
    void prepare(const std::string& url, const std::string& database, const std::string& server = "") const {
        auto r = run_cli({"up", "--url", url, "--dir", (folder.path() / "first").string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        Sql(database, server).exec(fill_sql);
    }
    void prepare(ScratchDatabase& db) const { prepare(db.url(), db.name()); }

    std::vector<std::string> up(const std::string& url) const {
        return cli_argv({"up", "--url", url, "--dir", (folder.path() / "all").string()});
    }

    // The clean run: its end state, and how long each statement ran (seen in the processlist).
    void reference() {
        ScratchDatabase db("big_ref");
        prepare(db);
        Sql observer(db.name());
        RunningProcess run(up(db.url()), {{"DATABASE_URL", ""}});
        for (const auto& statement : kind_.statements) {
            const auto text = statement.substr(0, statement.size() - 1);
            auto id = wait_for_session_running(observer, text, 120s);
            REQUIRE(id);
            const auto start = std::chrono::steady_clock::now();
            while (session_executing_text(observer, *id, text)) std::this_thread::sleep_for(20ms);
            durations.push_back(std::chrono::steady_clock::now() - start);
        }
        auto r = run.wait();
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        expected = end_state(observer);
    }

    const Kind& kind_;
    TempDir folder, elsewhere;
    EndState expected;
    std::vector<std::chrono::steady_clock::duration> durations;
};

// Finishes the run in as many reruns as it takes (bounded); they must be one.
ProcessResult rerun(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
    auto r = run_cli(args, env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, !Catch::Contains("Duplicate") && !Catch::Contains("already exists"));
    return r;
}

}  // namespace

TEST_CASE("SIGKILL inside long statements on a million rows: the immediate rerun ends like a clean run") {
    std::mt19937 random(std::random_device{}());
    int kills = 0, inside = 0, waited_for_orphan = 0, other_machine = 0;
    // An account like a service's on another host: no PROCESS privilege, so it cannot see or kill the
    // stopped run's session (as on Vitess); it must still finish correctly.
    Sql admin;
    const std::string other = "lm_other_" + std::to_string(::getpid());
    admin.exec("drop user if exists " + other);
    admin.exec("create user " + other + " identified by 'other-pw'");
    const auto address = migrate::parse_connection_url(server_url());
    const std::string server = address.host + ":" + std::to_string(address.port);
    for (const auto& kind : kinds) {
        KindFixture f(kind);
        f.reference();
        for (int k = 0; k < kind.kills; ++k) {
            const std::size_t target =
                std::uniform_int_distribution<std::size_t>(0, kind.statements.size() - 1)(random);
            const auto statement = kind.statements[target].substr(0, kind.statements[target].size() - 1);
            ScratchDatabase db("big_kill");
            f.prepare(db);
            admin.exec("grant all on `" + db.name() + "`.* to " + other);
            Sql observer(db.name());
            RunningProcess run(f.up(db.url()), {{"DATABASE_URL", ""}});
            auto id = wait_for_session_running(observer, statement, 120s);
            if (!id) {
                run.kill(SIGKILL);
                auto r = run.wait();
                FAIL("the run never executed " << statement << ":" << describe_sessions(observer) << "\n"
                                               << r.out << r.err);
            }
            // A random moment of the statement's clean duration.
            const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(f.durations[target]);
            std::this_thread::sleep_for(std::chrono::milliseconds(
                std::uniform_int_distribution<long long>(0, std::max<long long>(1, d.count() * 3 / 4))(random)));
            run.kill(SIGKILL);
            (void)run.wait();
            ++kills;
            const bool landed = session_executing_text(observer, *id, statement);
            inside += landed;
            INFO(kind.name << " kill " << k + 1 << " in statement " << target + 1
                           << (landed ? " (still executing)" : ""));

            const bool from_elsewhere = k % 3 == 2;
            ProcessResult r;
            if (from_elsewhere) {
                ++other_machine;
                r = rerun({"up", "--url", "mysql://" + other + ":other-pw@" + server + "/" + db.name(), "--dir",
                           (f.elsewhere.path() / "moved").string()},
                          {{"DATABASE_URL", ""}});
            } else {
                r = rerun({"up", "--url", db.url(), "--dir", (f.folder.path() / "all").string()},
                          {{"DATABASE_URL", ""}});
                waited_for_orphan += r.err.find("waiting for a stopped run's statement") != std::string::npos;
            }
            INFO(r.out << r.err);
            CHECK(end_state(observer) == f.expected);
            CHECK(observer.scalar("select count(*) from __drizzle_migrations_progress") == "0");
        }
    }
    admin.exec("drop user if exists " + other);
    WARN(kills << " kills, " << inside << " while the statement was still executing on the server; "
               << waited_for_orphan << " reruns waited for it; " << other_machine
               << " reruns from another account and folder");
    CHECK(kills >= 20);
    CHECK(inside >= 20);
}

TEST_CASE("a server crash in the middle of a long statement: the rerun after recovery ends like a clean run") {
    PrivateServer server;
    std::mt19937 random(std::random_device{}());
    int crashes = 0;
    // The index build (unmarked: the schema decides) and the INSERT … SELECT (its mark, and the counter).
    for (const auto& kind : {kinds[0], kinds[2]}) {
        KindFixture f(kind);
        f.reference();
        const auto statement = kind.statements[0].substr(0, kind.statements[0].size() - 1);
        // The reference ran on the shared server, busy with the rest of the suite; this idle private server
        // may be much faster. A crash after the statement ended would test nothing, so a moment early in it,
        // earlier on each try, until the statement is seen still executing when the client is gone.
        std::string db;
        bool executing = false;
        for (int attempt = 0; attempt < 4 && !executing; ++attempt) {
            db = "crash_" + kind.name + "_" + std::to_string(attempt);
            Sql("", server.url()).exec("create database " + db);
            f.prepare(server.url(db), db, server.url());
            Sql observer(db, server.url());
            RunningProcess run(f.up(server.url(db)), {{"DATABASE_URL", ""}});
            auto id = wait_for_session_running(observer, statement, 120s);
            REQUIRE(id);
            const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(f.durations[0]).count() >> attempt;
            std::this_thread::sleep_for(std::chrono::milliseconds(
                std::uniform_int_distribution<long long>(d / 10, std::max<long long>(1, d * 4 / 10))(random)));
            run.kill(SIGKILL);
            (void)run.wait();
            executing = session_executing_text(observer, *id, statement);
            if (!executing) observer.exec("drop database " + db);
        }
        INFO(kind.name);
        REQUIRE(executing);
        server.crash();  // the statement dies with the server; InnoDB and the DDL log undo it on recovery
        ++crashes;
        server.start();
        auto r =
            rerun({"up", "--url", server.url(db), "--dir", (f.folder.path() / "all").string()}, {{"DATABASE_URL", ""}});
        INFO(r.out << r.err);
        Sql after(db, server.url());
        CHECK(end_state(after) == f.expected);
    }
    CHECK(crashes == 2);
}
