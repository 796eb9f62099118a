// `migrate baseline create | verify | mark` (docs/baseline.md).
#pragma once

#include <migrate/project.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cli {

struct BaselineArgs {
    std::string scratch_url;             // default: each target's own URL (its server gets the scratch database)
    std::optional<std::string> through;  // create: last covered migration; mark: required
    bool yes = false;                    // mark: no confirmation
    bool json = false;                   // one JSON document on stdout (docs/cli.md)
    int jobs = 0;
};

int run_baseline_create(const std::vector<migrate::TargetConfig>& targets, const BaselineArgs& args);
int run_baseline_verify(const std::vector<migrate::TargetConfig>& targets, const BaselineArgs& args);
int run_baseline_mark(const migrate::TargetConfig& target, const BaselineArgs& args);

// Asks `question` on a terminal; without one, only --yes confirms. A refusal throws UsageError (exit 2), so
// main reports it like any usage error: the message on stderr and, under --json, the one document.
void require_confirmation(bool yes, const std::string& question);

}  // namespace cli
