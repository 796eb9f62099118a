// Test hook for the crash tests: MIGRATE_TEST_KILL_AT=<point>:<n> makes the process SIGKILL itself at the
// n-th time (1-based, counted within this process) it reaches <point>, exactly like `kill -9` from outside.
// Points: before-statement (progress marked in flight, statement not sent), after-statement (statement
// done, progress not yet updated), before-record (all statements done, tracking row not committed).
// Compiled in only with the tests (MIGRATE_TEST_HOOKS, CMakeLists.txt): a release build's kill points are
// empty inline functions. With the tests: one getenv at the first call, then a comparison per statement.
#pragma once

#include <string_view>

namespace migrate::run {

#ifdef MIGRATE_TEST_HOOKS
void kill_point(std::string_view point);
#else
inline void kill_point(std::string_view) {}
#endif

}  // namespace migrate::run
