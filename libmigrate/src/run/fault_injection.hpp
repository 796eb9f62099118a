// Test hook for the crash tests: MIGRATE_TEST_KILL_AT=<point>:<n> makes the process SIGKILL itself at the
// n-th time (1-based, counted within this process) it reaches <point>, exactly like `kill -9` from outside.
// Points: before-statement (progress marked in flight, statement not sent), after-statement (statement
// done, progress not yet updated), before-record (all statements done, tracking row not committed).
// Unset in production: one getenv at the first call, then a comparison per statement.
#pragma once

#include <string_view>

namespace migrate::run {

void kill_point(std::string_view point);

}  // namespace migrate::run
