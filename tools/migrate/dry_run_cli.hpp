// `migrate plan --sql` / `migrate up --dry-run`: the SQL `up` would send, per target, as a client script.
#pragma once

#include <migrate/project.hpp>
#include <migrate/target.hpp>

#include <vector>

namespace cli {

// Prints each target's script to stdout, one after another (a target that fails or would be refused prints
// its error to stderr instead). Exit code: 0, or the worst code `up` would exit with.
int run_dry_run(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& up);

}  // namespace cli
