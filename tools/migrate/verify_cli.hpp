// `migrate verify [--schema] [--json]` (docs/verify.md): the tracking table against the folder, and with
// --schema the live schema against the newest drizzle-kit snapshot.
#pragma once

#include <migrate/project.hpp>

#include <vector>

namespace cli {

struct VerifyArgs {
    bool schema = false;  // also compare the schema with the snapshot
    bool json = false;    // one JSON document on stdout ({"version": 1, ...})
    int jobs = 0;
};

// Exit 0 when every target is clean, 1 when any problem or drift was found, else the worst error's code.
int run_verify(const std::vector<migrate::TargetConfig>& targets, const VerifyArgs& args);

}  // namespace cli
