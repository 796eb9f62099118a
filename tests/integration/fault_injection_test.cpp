// Faults on the HTTP path of a full monolith apply: a proxy between the http-planetscale driver and
// psdb-gateway drops the connection, answers 5xx, stalls past the read timeout or truncates the body at
// chosen requests. Each faulty run stops with a resumable state (never with a statement run twice); the
// runs after it finish; the end state equals a clean run's.
#include "fault_proxy.hpp"
#include "gateway.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

using namespace testing;

namespace {

struct JournalEntry {
    std::string tag;
    long long when = 0;
    std::vector<std::string> statements;  // as the runner sends them: drizzle's chunks, verbatim
};

std::vector<JournalEntry> read_journal(const std::filesystem::path& dir) {
    const auto journal = nlohmann::json::parse(read_file(dir / "meta" / "_journal.json"));
    std::vector<JournalEntry> out;
    for (const auto& e : journal["entries"]) {
        JournalEntry j{e["tag"].get<std::string>(), e["when"].get<long long>(), {}};
        const std::string text = read_file(dir / (j.tag + ".sql"));
        const std::string breakpoint = "--> statement-breakpoint";
        for (std::size_t begin = 0;;) {
            const auto end = text.find(breakpoint, begin);
            std::string chunk = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
            if (chunk.find_first_not_of(" \t\r\n\f\v") != std::string::npos) j.statements.push_back(chunk);
            if (end == std::string::npos) break;
            begin = end + breakpoint.size();
        }
        out.push_back(std::move(j));
    }
    return out;
}

// The statement's first keyword, comment lines skipped.
std::string first_keyword(const std::string& sql) {
    std::size_t i = 0;
    for (;;) {
        i = sql.find_first_not_of(" \t\r\n", i);
        if (i == std::string::npos) return "";
        if (sql.compare(i, 2, "--") != 0) break;
        i = sql.find('\n', i);
        if (i == std::string::npos) return "";
    }
    std::string word;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
        word += static_cast<char>(std::toupper(sql[i++]));
    return word;
}
bool is_dml(const std::string& sql) {
    const auto k = first_keyword(sql);
    return k == "INSERT" || k == "UPDATE" || k == "DELETE" || k == "REPLACE";
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Where in the request stream a fault goes.
enum class Where { ddl, in_flight_mark, dml, done_mark, commit, tracking_insert };
const char* where_name(Where w) {
    switch (w) {
        case Where::ddl: return "a DDL statement";
        case Where::in_flight_mark: return "the in-flight mark before a DDL";
        case Where::dml: return "a DML statement (in its transaction)";
        case Where::done_mark: return "the done mark after a DML (in its transaction)";
        case Where::commit: return "the commit of a DML and its mark";
        case Where::tracking_insert: return "the tracking-row insert";
    }
    return "?";
}

struct Slot {
    Fault fault;
    Where where;
    std::size_t migration;  // journal position
    std::size_t statement;  // 0-based
    std::string describe(const std::vector<JournalEntry>& j) const {
        return std::string(fault_name(fault)) + " at " + where_name(where) + ", " + j[migration].tag + " statement " +
               std::to_string(statement + 1);
    }
};

FaultProxy::Matcher matcher(const Slot& s, const std::vector<JournalEntry>& journal) {
    const JournalEntry& m = journal[s.migration];
    const std::string sql = m.statements[s.statement];
    const std::string key = "where created_at = " + std::to_string(m.when);
    const std::string progress = "update `__drizzle_migrations_progress` set ";
    switch (s.where) {
        case Where::ddl:
        case Where::dml: return FaultProxy::sql_equals(sql);
        case Where::in_flight_mark: {
            const std::string flight = ", in_flight = " + std::to_string(s.statement) + ", ";
            return [=](const std::string& q) {
                return q.starts_with(progress) && q.find(flight) != std::string::npos && ends_with(q, key);
            };
        }
        case Where::done_mark: {
            const std::string done = "statements_done = " + std::to_string(s.statement + 1) + ", ";
            return [=](const std::string& q) {
                return q.starts_with(progress) && q.find(done) != std::string::npos &&
                       q.find("in_flight = null") != std::string::npos && ends_with(q, key);
            };
        }
        case Where::commit: {
            // The first commit after the statement went out.
            auto seen = std::make_shared<bool>(false);
            return [=](const std::string& q) {
                if (q == sql) *seen = true;
                return *seen && q == "commit";
            };
        }
        case Where::tracking_insert: {
            const std::string values = ", " + std::to_string(m.when) + ")";
            return [=](const std::string& q) {
                return q.starts_with("insert into `__drizzle_migrations` ") && q.find(values) != std::string::npos;
            };
        }
    }
    return {};
}

Snapshot end_state(const ScratchDatabase& db) { return db.connect().snapshot(/*exact_tracking=*/false); }

}  // namespace

TEST_CASE(
    "http faults at chosen requests of a monolith apply: every run stops resumable or completes, and the end state is "
    "a clean run's") {
    const auto dir = corpus_folder("monolith");
    const auto journal = read_journal(dir);
    REQUIRE(journal.size() == 220);

    // 5 kinds x 4 places = 20 faults, in stream order: each faulty run gets further than the one before.
    const std::vector<Fault> kinds = {Fault::drop_after_forward, Fault::status_503_before_forward,
                                      Fault::status_500_after_forward, Fault::stall_after_forward,
                                      Fault::truncate_after_forward};
    // A progress request of each shape: the in-flight mark (autocommit), the done mark and the commit (both
    // inside a DML's transaction).
    const std::vector<Where> progress_places = {Where::in_flight_mark, Where::done_mark, Where::commit,
                                                Where::done_mark, Where::commit};
    std::vector<std::pair<std::size_t, std::size_t>> dml_statements;  // (migration, statement)
    std::vector<std::size_t> ddl_only;                                // migrations without DML
    for (std::size_t i = 0; i < journal.size(); ++i) {
        bool any = false;
        for (std::size_t k = 0; k < journal[i].statements.size(); ++k)
            if (is_dml(journal[i].statements[k])) {
                dml_statements.emplace_back(i, k);
                any = true;
            }
        if (!any) ddl_only.push_back(i);
    }
    REQUIRE(dml_statements.size() >= 10);
    // Only DDL that may remove or change a name runs with an in-flight mark of its own (docs/safety.md);
    // statements that only add run unmarked. Drizzle-kit's DROPs, in migrations without DML:
    std::vector<std::pair<std::size_t, std::size_t>> marked_ddl;
    for (std::size_t i : ddl_only)
        for (std::size_t k = 0; k < journal[i].statements.size(); ++k)
            if (journal[i].statements[k].find("DROP ") != std::string::npos) marked_ddl.emplace_back(i, k);
    REQUIRE(marked_ddl.size() >= 5);
    std::vector<Slot> slots;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        // DML places: two DML statements per kind, spread over the monolith's DML statements.
        const auto& [dm, ds] = dml_statements[(2 * k) * dml_statements.size() / 10];
        slots.push_back({kinds[k], Where::dml, dm, ds});
        const auto& [pm, ps] = dml_statements[(2 * k + 1) * dml_statements.size() / 10];
        if (progress_places[k] == Where::in_flight_mark) {
            const auto& [m, st] = marked_ddl[(2 * k + 1) * marked_ddl.size() / 10];
            slots.push_back({kinds[k], Where::in_flight_mark, m, st});
        } else {
            slots.push_back({kinds[k], progress_places[k], pm, ps});
        }
        // DDL and tracking places in migrations without DML, spread over the whole run.
        const std::size_t d = ddl_only[(3 * k) * ddl_only.size() / 15];
        slots.push_back({kinds[k], Where::ddl, d, journal[d].statements.size() / 2});
        const std::size_t t = ddl_only[(3 * k + 1) * ddl_only.size() / 15];
        slots.push_back({kinds[k], Where::tracking_insert, t, journal[t].statements.size() - 1});
    }
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
        return std::tie(a.migration, a.statement, a.where) < std::tie(b.migration, b.statement, b.where);
    });

    ScratchDatabase clean("fault_ref"), db("fault");
    REQUIRE(run_cli({"up", "--no-baseline", "--url", clean.url(), "--dir", dir.string()}).exit_code == 0);
    const auto expected = end_state(clean);

    // The gateway keeps an idle session 60 s. A run cut off inside a transaction leaves its session
    // behind; the driver closes it (CloseSession) when it gives the connection up, or the next run would
    // wait on its locks longer than the read timeout.
    Gateway gw({"--mysql-database", db.name()});
    FaultProxy proxy(gw.port());
    // read-timeout=2: a stalled response becomes completion_unknown after 2 s.
    const std::string url = proxy.url(gw, db.name(), "read-timeout=2");
    const auto started = std::chrono::steady_clock::now();

    for (const Slot& s : slots) {
        const std::string what = s.describe(journal);
        const std::size_t before = proxy.injections().size();
        proxy.arm(s.fault, matcher(s, journal));
        auto r = run_cli({"up", "--no-baseline", "--url", url, "--dir", dir.string()});
        proxy.release();
        proxy.disarm();
        INFO(what << "\nexit " << r.exit_code << "\nstderr: " << r.err);
        const auto inj = proxy.injections();
        REQUIRE(inj.size() == before + 1);  // the fault happened, at the intended request
        CHECK(inj.back().fault == s.fault);
        if (s.where == Where::commit)
            CHECK(inj.back().sql == "commit");
        else
            CHECK(matcher(s, journal)(inj.back().sql));
        // A lost answer is completion_unknown: the run stops (connection_lost, exit 1), recording nothing
        // it does not know; a statement run twice would have failed with "already exists" or a duplicate.
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("error[connection_lost]"));
        CHECK_THAT(r.err, !Catch::Contains("already exists") && !Catch::Contains("Duplicate") &&
                              !Catch::Contains("needs_resolve"));
        if (s.where != Where::tracking_insert) CHECK_THAT(r.err, Catch::Contains(journal[s.migration].tag + ".sql:"));
    }
    const auto faults = proxy.injections().size();
    CHECK(faults == 20);

    // Fault-free runs until done (one is expected: every faulty run left a resumable state).
    int reruns = 0;
    ProcessResult last;
    do {
        last = run_cli({"up", "--no-baseline", "--url", url, "--dir", dir.string()});
        ++reruns;
        INFO(last.err);
        CHECK(last.exit_code == 0);
    } while (last.exit_code != 0 && reruns < 3);
    REQUIRE(last.exit_code == 0);
    CHECK(reruns == 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    WARN(faults << " faults injected over HTTP, " << slots.size() + reruns << " runs, " << seconds << " s");

    auto done = run_cli({"up", "--no-baseline", "--url", url, "--dir", dir.string()});
    CHECK_THAT(done.out, Catch::Contains("nothing to do: 220 of 220"));
    const auto after = end_state(db);
    CHECK(after.tracking == expected.tracking);
    CHECK(after.schema == expected.schema);
    CHECK(after.data == expected.data);  // every row: a DML applied twice would show here
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations_progress") == "0");
}
