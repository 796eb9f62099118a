#include "sessions.hpp"

#include <thread>

namespace testing {
namespace {

struct Session {
    std::string id, user, db, command, time, state, info;
};

// SHOW FULL PROCESSLIST rather than information_schema.processlist: the latter materialises a temporary
// (Aria) table per query, and polling it many times a second while sessions come and go crashed MariaDB
// 10.11 once in free_tmp_table (signal 11, seen in this suite). SHOW lists without a temporary table.
std::vector<Session> sessions(Sql& observer) {
    std::vector<Session> out;
    for (auto& r : observer.rows("show full processlist"))  // Id User Host db Command Time State Info Progress
        out.push_back({r[0].value_or(""), r[1].value_or(""), r[3].value_or(""), r[4].value_or(""), r[5].value_or(""),
                       r[6].value_or(""), r[7].value_or("")});
    return out;
}

}  // namespace

std::optional<std::string> wait_for_session_running(Sql& observer, const std::string& text,
                                                    std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        // Only sessions in the observer's database (when it has one): tests running at the same time on the
        // shared server run the same statements in their own databases.
        const auto self = observer.scalar("select connection_id()");
        const auto db = observer.scalar("select coalesce(database(), '')");
        for (auto& row : sessions(observer))
            if (row.id != self && (db.empty() || row.db == db) && row.info.find(text) != std::string::npos)
                return row.id;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        // Polls the server's own view of the session: the condition, not the pause, synchronises.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool wait_for_session_state(Sql& observer, const std::string& id, const std::string& state,
                            std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        for (auto& row : sessions(observer))
            if (row.id == id && row.state.find(state) != std::string::npos) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool session_executing(Sql& observer, const std::string& id) {
    for (auto& row : sessions(observer))
        if (row.id == id) return row.command != "Sleep" && row.command != "Killed" && !row.info.empty();
    return false;
}

bool session_executing_text(Sql& observer, const std::string& id, const std::string& text) {
    for (auto& row : sessions(observer))
        if (row.id == id)
            return row.command != "Sleep" && row.command != "Killed" && row.info.find(text) != std::string::npos;
    return false;
}

std::string describe_sessions(Sql& observer) {
    std::string seen;
    for (auto& row : sessions(observer))
        seen += "\n  " + row.id + " " + row.user + " " + row.command + " " + row.time + "s " + row.state + " " +
                row.info.substr(0, 120);
    return seen;
}

}  // namespace testing
