// The driver conformance checks: what libmigrate's core relies on from any driver, judged through the C ABI
// of migrate/driver.h alone against a real server (docs/drivers.md, "Checking a driver").
#pragma once

#include "driver_session.hpp"

#include <migrate/driver.h>

#include <filesystem>
#include <string>
#include <vector>

namespace migrate::driver_check {

enum class Verdict { pass, fail, skip };

struct CheckResult {
    std::string name;
    Verdict verdict = Verdict::pass;
    std::string detail;  // why it failed or was skipped
};

// What the checks are run with: the driver, the options the core would hand it for the URL, and what the
// URL says the driver must serve.
struct CheckInput {
    const migrate_driver_v1* api = nullptr;
    std::filesystem::path file;
    Options options;        // the core's options for the URL, password included
    std::string password;   // must appear in no message
    std::string scheme;     // the URL's scheme: the driver must declare it
    std::string transport;  // the transport the URL settled on, "" when the driver decides
};

// Runs every check in order; a failed open skips the checks that need a connection. The database named by
// the options gets a table `migrate_driver_check`, dropped again at the end.
std::vector<CheckResult> run_checks(const CheckInput& input);

}  // namespace migrate::driver_check
