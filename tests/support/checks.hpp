// Catch2 checks several test files share: a process that must succeed, and the migrate::error a call throws.
#pragma once

#include "process.hpp"

#include <migrate/error.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string_view>

namespace testing {

// The process exited 0; otherwise the test stops, showing `what` and both outputs.
inline void require_ok(const ProcessResult& r, std::string_view what) {
    INFO(what << "\nstdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
}

// The migrate::error f() throws; the test fails when it throws none.
template <class F>
migrate::error error_of(F&& f) {
    try {
        f();
    } catch (const migrate::error& e) {
        return e;
    }
    FAIL("expected migrate::error");
    throw std::logic_error("unreachable");
}

}  // namespace testing
