// The deploy-request options of `up`, `plan`, `status` and `tui` (docs/planetscale.md): where the
// PlanetScale API is for a --url target, and how this run deploys (both win over migrate.json's
// "planetscale"). The service token is read from the environment only, never from the command line.
#pragma once

#include <migrate/project.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace cli {

struct PlanetScaleArgs {
    std::string organization, database, branch, api_url, keyspace;  // --planetscale-*: a --url target
    std::string cutover;                                            // --cutover automatic|apply|wait
    std::string revert_window;                                      // --revert-window skip|wait|leave-open
    std::string from_branch;                                        // --from-branch NAME
    bool instant = false;                                           // --instant
    std::optional<int> deploy_timeout_s;
    std::optional<int> deploy_poll_ms;
};

void add_planetscale_options(CLI::App* command, PlanetScaleArgs& args, bool deploys);

// The deploy requests of a --url target, from the flags and the environment's token; nullopt without
// --planetscale-org. Throws migrate::error(config_invalid) naming the missing setting.
std::optional<migrate::DeployRequestOptions> planetscale_target(const PlanetScaleArgs& args,
                                                                const std::string& url_database);

// The run's choices applied to a target's deploy requests (from either source).
void apply_deploy_choices(const PlanetScaleArgs& args, std::optional<migrate::DeployRequestOptions>& options);

}  // namespace cli
