// The server's own view of its sessions (information_schema.processlist), for tests that act while a
// statement runs: find the session executing it, check whether it still does.
#pragma once

#include "test_server.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace testing {

// The id of a session whose current statement contains `text` (not the observer's own query; in the
// observer's database when it has one), polled until one shows up or `limit` has passed.
std::optional<std::string> wait_for_session_running(Sql& observer, const std::string& text,
                                                    std::chrono::milliseconds limit);

// Polls until session `id` is in a state containing `state` (e.g. "Waiting for table metadata lock");
// false after `limit`.
bool wait_for_session_state(Sql& observer, const std::string& id, const std::string& state,
                            std::chrono::milliseconds limit);

// True while session `id` is executing a statement (not idle, not gone).
bool session_executing(Sql& observer, const std::string& id);
// True while session `id` is executing a statement that contains `text`.
bool session_executing_text(Sql& observer, const std::string& id, const std::string& text);

// Every session, one line each, for failure messages.
std::string describe_sessions(Sql& observer);

}  // namespace testing
