// `migrate plan [--json]`: what `up` would do per target, changing nothing (docs/cli.md).
#pragma once

#include <migrate/project.hpp>
#include <migrate/target.hpp>

#include <vector>

namespace cli {

// Exit code: 0 when `up` would run (or have nothing to do), else the code `up` would exit with.
int run_plan(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& up, bool json, int jobs);

}  // namespace cli
