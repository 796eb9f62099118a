#include "checks.hpp"

#include "driver_loader.hpp"

#include <cctype>
#include <cstddef>
#include <cstring>
#include <functional>
#include <optional>
#include <random>

namespace migrate::driver_check {
namespace {

constexpr const char* check_table = "migrate_driver_check";

// The smallest migrate_driver_v1 libmigrate accepts: everything up to and including `close`.
constexpr std::size_t min_v1_size = offsetof(migrate_driver_v1, close) + sizeof(migrate_driver_v1::close);

// A value no server, driver or option list holds by accident: a leak of it into a message is a leak.
std::string marker(std::string_view what) {
    std::random_device rd;
    return std::string(what) + "-" + std::to_string(rd()) + std::to_string(rd());
}

bool valid_scheme(std::string_view s) {
    if (s.empty() || !std::islower(static_cast<unsigned char>(s[0]))) return false;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (!(std::islower(c) || std::isdigit(c) || c == '+' || c == '-' || c == '.')) return false;
    }
    return true;
}

// The first value of a result of one row, if it has one.
std::optional<std::string> scalar(const Outcome& o) {
    if (!o.ok() || o.rows.size() != 1 || o.rows[0].empty()) return std::nullopt;
    return o.rows[0][0];
}

Options with(Options options, const std::string& key, const std::string& value) {
    bool replaced = false;
    for (auto& [k, v] : options) {
        if (k != key) continue;
        v = value;
        replaced = true;
    }
    if (!replaced) options.emplace_back(key, value);
    return options;
}

class Checker {
  public:
    explicit Checker(const CheckInput& in) : in_(in), api_(*in.api) {}

    std::vector<CheckResult> run() {
        check("declares abi, struct_size, name, version, transport, schemes", [&] { declaration(); });
        check("error struct: nothing written past its struct_size", [&] { error_struct_size(); });
        check("unknown option refused, naming the key only", [&] { unknown_option(); });
        check("wrong password refused without echoing it", [&] { wrong_password(); });
        check("close(NULL) is harmless", [&] { api_.close(nullptr); });

        Session session(api_, in_.options);
        remember(session.open_outcome());
        check("open, server_version, close", [&] {
            expect(session.opened(), "open failed: " + session.open_outcome().describe());
            if (session.opened()) expect(!session.server_version().empty(), "server_version() is empty");
        });
        if (!session.opened()) {
            for (const char* name : {"rows: NULLs and exact bytes", "row sink may stop early", "affected rows",
                                     "server error: errno, SQLSTATE, connection still usable", "one statement per call",
                                     "session state persists across calls", "connection lost: I/O, completion unknown"})
                results_.push_back({name, Verdict::skip, "no connection"});
        } else {
            conn_ = &session;
            run_sql("drop table if exists " + std::string(check_table));
            check("rows: NULLs and exact bytes", [&] { rows(); });
            check("row sink may stop early", [&] { stop_early(); });
            check("affected rows", [&] { affected_rows(); });
            check("server error: errno, SQLSTATE, connection still usable", [&] { server_error(); });
            check("one statement per call", [&] { one_statement(); });
            check("session state persists across calls", [&] { session_state(); });
            run_sql("drop table if exists " + std::string(check_table));
            check("connection lost: I/O, completion unknown", [&] { connection_lost(); });
            conn_ = nullptr;
        }
        check("no message holds the password", [&] {
            if (in_.password.size() < 4) return skip("the URL's password is shorter than 4 characters");
            for (const auto& m : messages_) expect(m.find(in_.password) == std::string::npos, "message: " + m);
        });
        return std::move(results_);
    }

  private:
    const CheckInput& in_;
    const migrate_driver_v1& api_;
    Session* conn_ = nullptr;
    std::vector<CheckResult> results_;
    std::vector<std::string> failures_;
    std::string skipped_;
    std::vector<std::string> messages_;  // every error message seen, for the password check

    void check(const std::string& name, const std::function<void()>& body) {
        failures_.clear();
        skipped_.clear();
        try {
            body();
        } catch (const std::exception& e) {
            failures_.push_back(std::string("the check itself failed: ") + e.what());
        }
        CheckResult r{name, Verdict::pass, ""};
        if (!failures_.empty()) {
            r.verdict = Verdict::fail;
            for (const auto& f : failures_) r.detail += (r.detail.empty() ? "" : "; ") + f;
        } else if (!skipped_.empty()) {
            r.verdict = Verdict::skip;
            r.detail = skipped_;
        }
        results_.push_back(std::move(r));
    }

    void expect(bool ok, const std::string& what) {
        if (!ok) failures_.push_back(what);
    }
    void skip(const std::string& why) { skipped_ = why; }

    void remember(const Outcome& o) {
        if (!o.ok()) messages_.push_back(o.message());
    }

    Outcome run_sql(const std::string& sql, std::size_t stop_after = 0) {
        auto o = conn_->execute(sql, stop_after);
        remember(o);
        return o;
    }

    // Runs a statement that must succeed; records a failure naming it otherwise.
    Outcome must(const std::string& sql) {
        auto o = run_sql(sql);
        expect(o.ok(), "'" + sql + "' " + o.describe());
        return o;
    }

    void still_usable(const std::string& after) {
        auto o = run_sql("select 2");
        expect(scalar(o) == "2", "the connection is not usable after " + after + ": " + o.describe());
    }

    void declaration() {
        expect(api_.abi_version == MIGRATE_DRIVER_ABI_VERSION, "abi_version " + std::to_string(api_.abi_version) +
                                                                   ", libmigrate speaks " +
                                                                   std::to_string(MIGRATE_DRIVER_ABI_VERSION));
        expect(api_.struct_size >= min_v1_size, "struct_size " + std::to_string(api_.struct_size) +
                                                    " is smaller than version 1's " + std::to_string(min_v1_size));
        expect(api_.open && api_.execute && api_.server_version && api_.close, "a function entry is NULL");
        expect(api_.name && *api_.name, "name is empty");
        expect(api_.version && *api_.version, "version is empty");
        const std::string transport = api_.transport ? api_.transport : "";
        expect(transport == "tcp" || transport == "http", "transport '" + transport + "' is not tcp or http");
        if (api_.name && *api_.name) {
            const auto expected = plugins::driver_file_name(api_.name);
            expect(in_.file.filename() == expected,
                   "the file is named " + in_.file.filename().string() + ", the loader looks for " + expected);
        }
        std::size_t count = 0;
        for (auto s = api_.schemes; s && *s; ++s, ++count)
            expect(valid_scheme(*s), std::string("scheme '") + *s +
                                         "' is not a lower-case URL scheme (a letter, then letters, digits, + - .)");
        expect(count > 0, "schemes lists none");
        expect(plugins::driver_serves(api_, in_.scheme, in_.transport),
               "the driver does not declare scheme '" + in_.scheme + "'" +
                   (in_.transport.empty() ? "" : " over transport " + in_.transport) + ", which the URL needs");
    }

    // The core may be older than the driver and hand a smaller error struct: the driver writes none of it
    // then (driver.h). Checked with an option the driver must refuse.
    void error_struct_size() {
        alignas(migrate_driver_error) unsigned char buffer[sizeof(migrate_driver_error)];
        std::memset(buffer, 0xAB, sizeof buffer);
        const uint32_t small = 8;
        std::memcpy(buffer, &small, sizeof small);
        auto options = with(in_.options, "no-such-option", "1");
        std::vector<migrate_driver_option> list;
        for (const auto& [k, v] : options) list.push_back({k.c_str(), v.c_str()});
        migrate_driver_conn* conn = nullptr;
        const int status = api_.open(list.data(), list.size(), &conn, reinterpret_cast<migrate_driver_error*>(buffer));
        api_.close(conn);
        expect(status != MIGRATE_DRIVER_OK, "open accepted an unknown option");
        for (std::size_t i = small; i < sizeof buffer; ++i)
            if (buffer[i] != 0xAB)
                return expect(false, "byte " + std::to_string(i) + " past struct_size 8 was written");
    }

    void unknown_option() {
        const auto secret = marker("value");
        auto o = open_once(api_, with(in_.options, "no-such-option", secret));
        remember(o);
        expect(o.status == MIGRATE_DRIVER_ERR_OPTION, "expected MIGRATE_DRIVER_ERR_OPTION, got " + o.describe());
        expect(o.message().find("no-such-option") != std::string::npos, "the message does not name the key");
        expect(o.message().find(secret) == std::string::npos, "the message holds the value (it may be a secret)");
    }

    void wrong_password() {
        const auto secret = marker("wrong-password");
        auto options = with(in_.options, "password", secret);
        Session s(api_, options);
        Outcome o = s.open_outcome();
        // A driver may connect lazily (HTTP): the refusal then comes with the first statement.
        if (s.opened()) o = s.execute("select 1");
        remember(o);
        if (o.ok()) return skip("the server accepted a wrong password");
        expect(o.status == MIGRATE_DRIVER_ERR_CONNECT || o.status == MIGRATE_DRIVER_ERR_SERVER,
               "expected MIGRATE_DRIVER_ERR_CONNECT, got " + o.describe());
        expect(o.message().find(secret) == std::string::npos, "the message holds the password: " + o.message());
    }

    void rows() {
        auto o = must("select 1 as a, null as b, '' as c, x'00ff10' as d, 'é' as e");
        if (!o.ok()) return;
        if (o.columns_called) {
            const std::vector<std::string> names{"a", "b", "c", "d", "e"};
            expect(o.columns == names, "column names are not a, b, c, d, e");
        }
        expect(o.rows.size() == 1 && o.rows[0].size() == 5, "expected 1 row of 5 values");
        if (o.rows.size() == 1 && o.rows[0].size() == 5) {
            const auto& r = o.rows[0];
            expect(r[0] == "1", "1 came back otherwise");
            expect(!r[1].has_value(), "NULL came back as a value");
            expect(r[2].has_value() && r[2]->empty(), "'' came back as NULL or non-empty");
            expect(r[3] == std::string("\x00\xFF\x10", 3), "x'00ff10' came back with other bytes");
            expect(r[4] == "\xC3\xA9", "'é' came back with other bytes than UTF-8 C3 A9");
        }
        auto none = must("select 1 from dual where 1 = 0");
        expect(none.ok() && none.rows.empty(), "an empty result gave rows");
    }

    void stop_early() {
        auto o = run_sql("select 1 union all select 2 union all select 3", 1);
        expect(o.ok(), "stopping after one row failed the call: " + o.describe());
        expect(o.rows.size() == 1, "rows arrived after the sink asked to stop");
        still_usable("a stopped result");
    }

    void affected_rows() {
        must(std::string("create table ") + check_table + " (id int primary key, s varchar(20), b varbinary(8))");
        auto ins = must(std::string("insert into ") + check_table +
                        " values (1, 'é', x'00ff10'), (2, null, null), (3, 'x', '')");
        expect(ins.result.affected_rows == 3, "insert of 3 rows reported " + std::to_string(ins.result.affected_rows));
        auto sel = must(std::string("select id, s, b from ") + check_table + " order by id");
        expect(sel.rows.size() == 3, "3 rows inserted, " + std::to_string(sel.rows.size()) + " read back");
        if (sel.rows.size() == 3 && sel.rows[0].size() == 3 && sel.rows[1].size() == 3) {
            expect(sel.rows[0][2] == std::string("\x00\xFF\x10", 3), "varbinary bytes changed");
            expect(!sel.rows[1][1].has_value(), "a NULL column came back as a value");
        }
        auto upd = must(std::string("update ") + check_table + " set s = 'y' where id >= 2");
        expect(upd.result.affected_rows == 2, "update of 2 rows reported " + std::to_string(upd.result.affected_rows));
        auto del = must(std::string("delete from ") + check_table);
        expect(del.result.affected_rows == 3, "delete of 3 rows reported " + std::to_string(del.result.affected_rows));
    }

    void server_error() {
        auto o = run_sql("select * from no_such_table_of_the_driver_check");
        expect(o.status == MIGRATE_DRIVER_ERR_SERVER, "expected MIGRATE_DRIVER_ERR_SERVER, got " + o.describe());
        expect(o.error.server_errno == 1146, "errno " + std::to_string(o.error.server_errno) + ", expected 1146");
        expect(o.sqlstate() == "42S02", "sqlstate '" + o.sqlstate() + "', expected 42S02");
        expect(o.error.completion_unknown == 0, "completion_unknown set on a refused statement");
        expect(!o.message().empty(), "no message");
        still_usable("a server error");
    }

    void one_statement() {
        auto o = run_sql("select 1; select 2");
        expect(!o.ok(), "two statements in one call were run");
        expect(o.status == MIGRATE_DRIVER_ERR_SERVER && o.error.server_errno == 1064,
               "expected the server's syntax error 1064, got " + o.describe());
        still_usable("a refused multi-statement");
    }

    void session_state() {
        must("set @migrate_driver_check = 41");
        auto v = must("select @migrate_driver_check + 1");
        expect(scalar(v) == "42", "a session variable was lost");
        auto lock = must("select get_lock('migrate-driver-check', 5)");
        expect(scalar(lock) == "1", "get_lock did not return 1");
        auto mine = must("select is_used_lock('migrate-driver-check') = connection_id()");
        expect(scalar(mine) == "1", "the lock is not held by this session");
        must("select release_lock('migrate-driver-check')");
        must(std::string("create table ") + check_table + "_tx (id int)");
        must("begin");
        must(std::string("insert into ") + check_table + "_tx values (1)");
        must("rollback");
        auto n = must(std::string("select count(*) from ") + check_table + "_tx");
        expect(scalar(n) == "0", "a rolled-back insert persisted");
        must(std::string("drop table ") + check_table + "_tx");
    }

    // Another connection of the same driver kills this one's server session; the next statement must fail
    // as I/O with completion unknown (the core then neither retries nor records it).
    void connection_lost() {
        Session victim(api_, in_.options);
        Session killer(api_, in_.options);
        remember(victim.open_outcome());
        remember(killer.open_outcome());
        if (!victim.opened() || !killer.opened()) return expect(false, "a second connection could not be opened");
        auto id = victim.execute("select connection_id()");
        remember(id);
        const auto session_id = scalar(id);
        if (!session_id) return expect(false, "connection_id(): " + id.describe());
        auto kill = killer.execute("kill " + *session_id);
        remember(kill);
        if (!kill.ok()) return skip("the server refused KILL: " + kill.describe());
        auto o = victim.execute("select 1");
        remember(o);
        expect(o.status == MIGRATE_DRIVER_ERR_IO, "expected MIGRATE_DRIVER_ERR_IO, got " + o.describe());
        expect(o.error.completion_unknown == 1, "completion_unknown not set");
    }
};

}  // namespace

std::vector<CheckResult> run_checks(const CheckInput& input) { return Checker(input).run(); }

}  // namespace migrate::driver_check
