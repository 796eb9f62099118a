// psdb-gateway's caps (tools/psdb-gateway/README.md, "Caps"): more clients at once than --max-sessions or
// --max-backend-connections allow get 429 resource_exhausted at once, the server never sees more
// connections from the gateway than the cap, the sessions it has keep working, and a closed session makes
// room for a new one.
#include "gateway.hpp"
#include "test_server.hpp"

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

using namespace testing;
using json = nlohmann::json;

namespace {

struct Answer {
    int status = 0;     // 0: no HTTP answer came
    json body;          // null when the body is not JSON
    std::string error;  // why no answer came
};

// One SQL API call with the gateway's credentials.
Answer call(const Gateway& gw, const std::string& rpc, const json& body) {
    httplib::Client c("127.0.0.1", gw.port());
    c.set_basic_auth(gw.user(), gw.password());
    c.set_read_timeout(30, 0);  // a refusal must come at once; a hang shows up as no answer
    auto r = c.Post(("/psdb.v1alpha1.Database/" + rpc).c_str(), body.dump(), "application/json");
    if (!r) return {0, nullptr, httplib::to_string(r.error())};
    json j = json::parse(r->body, nullptr, false);
    return {r->status, j.is_discarded() ? json(nullptr) : j, ""};
}

// The gateway's connections as the server sees them: sessions in `database`, not the observer's own.
// SHOW PROCESSLIST, not information_schema (see support/sessions.cpp: polling the latter crashed MariaDB).
int server_connections_in(Sql& observer, const std::string& database) {
    int n = 0;
    for (auto& r : observer.rows("show processlist"))  // Id User Host db Command …
        if (r[3].value_or("") == database) ++n;
    return n;
}

// `clients` threads send `rpc` together, at most max_in_flight at a time, while the server's connection count is
// sampled. The limit keeps the simultaneous connects within the listen backlog of cpp-httplib (5): beyond it,
// a loaded machine drops connections before the gateway sees them, with or without caps.
constexpr std::ptrdiff_t max_in_flight = 4;

struct Burst {
    std::vector<Answer> answers;
    int most_connections_seen = 0;
};

Burst burst(const Gateway& gw, const std::string& database, int clients, const std::string& rpc, const json& body) {
    Burst out;
    out.answers.resize(static_cast<std::size_t>(clients));
    std::latch start(clients + 1);
    std::counting_semaphore<max_in_flight> in_flight(max_in_flight);
    std::atomic<int> finished{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            in_flight.acquire();
            out.answers[static_cast<std::size_t>(i)] = call(gw, rpc, body);
            in_flight.release();
            ++finished;
        });
    Sql observer;
    start.arrive_and_wait();
    while (finished < clients) {
        out.most_connections_seen = std::max(out.most_connections_seen, server_connections_in(observer, database));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // sampling interval, not synchronisation
    }
    for (auto& t : threads) t.join();
    out.most_connections_seen = std::max(out.most_connections_seen, server_connections_in(observer, database));
    return out;
}

// Polls until the server shows at most `n` gateway connections in `database`; false after 10 s.
bool settles_at_most(const std::string& database, int n) {
    Sql observer;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        if (server_connections_in(observer, database) <= n) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the server's state
    }
}

}  // namespace

TEST_CASE(
    "psdb-gateway: more new sessions at once than --max-sessions: 429 for the rest, never more connections, service "
    "resumes") {
    ScratchDatabase db("gwcap");
    constexpr int cap = 4, clients = 24;
    Gateway gw({"--mysql-database", db.name(), "--max-sessions", std::to_string(cap), "--threads", "32"});

    // Execute without a session opens one per request, and nobody closes them (as database-js does).
    const Burst b = burst(gw, db.name(), clients, "Execute", {{"query", "select 1"}});
    std::vector<json> sessions;
    int refused = 0;
    for (const auto& a : b.answers) {
        INFO(a.status << " " << a.body.dump() << " " << a.error);
        if (a.status == 200) {
            REQUIRE(a.body.contains("result"));
            sessions.push_back(a.body["session"]);
        } else {
            CHECK(a.status == 429);
            CHECK(a.body["code"] == "resource_exhausted");
            CHECK_THAT(a.body["message"].get<std::string>(), Catch::Contains("--max-sessions"));
            ++refused;
        }
    }
    CHECK(sessions.size() == static_cast<std::size_t>(cap));
    CHECK(refused == clients - cap);
    CHECK(b.most_connections_seen <= cap);

    // The sessions it holds keep working at the cap.
    const Answer again = call(gw, "Execute", {{"query", "select 2"}, {"session", sessions[0]}});
    INFO(again.body.dump());
    CHECK(again.status == 200);
    CHECK(again.body.contains("result"));

    // CreateSession is refused the same way while the cap is reached.
    const Answer create = call(gw, "CreateSession", json::object());
    CHECK(create.status == 429);
    CHECK(create.body["code"] == "resource_exhausted");

    // A closed session makes room: a new one is served.
    REQUIRE(call(gw, "CloseSession", {{"session", sessions[1]}}).status == 200);
    REQUIRE(settles_at_most(db.name(), cap - 1));
    const Answer fresh = call(gw, "Execute", {{"query", "select 3"}});
    INFO(fresh.body.dump());
    CHECK(fresh.status == 200);
    CHECK(fresh.body.contains("result"));
}

TEST_CASE(
    "psdb-gateway: more sessions at once than --max-backend-connections: 429 for the rest, never more connections, "
    "service resumes") {
    ScratchDatabase db("gwconn");
    constexpr int cap = 3, clients = 16;
    Gateway gw({"--mysql-database", db.name(), "--max-sessions", "100", "--max-backend-connections",
                std::to_string(cap), "--threads", "32"});

    const Burst b = burst(gw, db.name(), clients, "CreateSession", json::object());
    std::vector<json> sessions;
    int refused = 0;
    for (const auto& a : b.answers) {
        INFO(a.status << " " << a.body.dump() << " " << a.error);
        if (a.status == 200) {
            sessions.push_back(a.body["session"]);
        } else {
            CHECK(a.status == 429);
            CHECK(a.body["code"] == "resource_exhausted");
            CHECK_THAT(a.body["message"].get<std::string>(), Catch::Contains("--max-backend-connections"));
            ++refused;
        }
    }
    CHECK(sessions.size() == static_cast<std::size_t>(cap));
    CHECK(refused == clients - cap);
    CHECK(b.most_connections_seen <= cap);

    // Closing every session gives all the connections back.
    for (const auto& s : sessions) REQUIRE(call(gw, "CloseSession", {{"session", s}}).status == 200);
    REQUIRE(settles_at_most(db.name(), 0));
    for (int i = 0; i < cap; ++i) {
        const Answer a = call(gw, "Execute", {{"query", "select 1"}});
        INFO(a.body.dump());
        CHECK(a.status == 200);
    }
}
