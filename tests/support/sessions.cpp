#include "sessions.hpp"

#include <thread>

namespace testing {

std::optional<std::string> wait_for_session_running(Sql& observer, const std::string& text,
                                                    std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        // Only sessions in the observer's database (when it has one): tests running at the same time on the
        // shared server run the same statements in their own databases.
        for (auto& row : observer.rows("select id, info from information_schema.processlist where info is not null and "
                                       "id <> connection_id() and (database() is null or db = database())"))
            if (row[1]->find(text) != std::string::npos) return *row[0];
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        // Polls the server's own view of the session: the condition, not the pause, synchronises.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool wait_for_session_state(Sql& observer, const std::string& id, const std::string& state,
                            std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        for (auto& row : observer.rows("select state from information_schema.processlist where id = " + id))
            if (row[0] && row[0]->find(state) != std::string::npos) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool session_executing(Sql& observer, const std::string& id) {
    return !observer.rows("select 1 from information_schema.processlist where id = " + id +
                          " and command not in ('Sleep', 'Killed') and info is not null")
                .empty();
}

bool session_executing_text(Sql& observer, const std::string& id, const std::string& text) {
    for (auto& row : observer.rows("select info from information_schema.processlist where id = " + id +
                                   " and command not in ('Sleep', 'Killed')"))
        if (row[0] && row[0]->find(text) != std::string::npos) return true;
    return false;
}

std::string describe_sessions(Sql& observer) {
    std::string seen;
    for (auto& row : observer.rows("select id, user, command, time, state, info from information_schema.processlist"))
        seen += "\n  " + row[0].value_or("") + " " + row[1].value_or("") + " " + row[2].value_or("") + " " +
                row[3].value_or("") + "s " + row[4].value_or("") + " " + row[5].value_or("").substr(0, 120);
    return seen;
}

}  // namespace testing
