#include "planetscale_cli.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace cli {

void add_planetscale_options(CLI::App* command, PlanetScaleArgs& a, bool deploys) {
    const char* group = "PlanetScale deploy requests (docs/planetscale.md)";
    command
        ->add_option("--planetscale-org", a.organization,
                     "PlanetScale organization: with safe migrations on, DDL goes through deploy requests "
                     "(service token from $PLANETSCALE_SERVICE_TOKEN_ID and $PLANETSCALE_SERVICE_TOKEN)")
        ->group(group);
    command->add_option("--planetscale-database", a.database, "PlanetScale database (default: the URL's database)")
        ->group(group);
    command
        ->add_option("--planetscale-branch", a.branch, "production branch the deploy requests go into (default main)")
        ->group(group);
    command
        ->add_option("--planetscale-api", a.api_url, "management API base URL (default https://api.planetscale.com/v1)")
        ->group(group);
    command
        ->add_option("--planetscale-keyspace", a.keyspace,
                     "keyspace name used in branch names (default: the URL's database)")
        ->group(group);
    command
        ->add_option("--from-branch", a.from_branch,
                     "open the deploy request from this existing branch, where the pending migrations were applied "
                     "(checked first), instead of a new branch per batch")
        ->group(group);
    if (!deploys) return;
    command
        ->add_option("--cutover", a.cutover,
                     "gated cut-over: automatic (none), apply (gated, applied by this run) or wait (gated, a person "
                     "applies it)")
        ->check(CLI::IsMember({"automatic", "apply", "wait"}))
        ->group(group);
    command
        ->add_option("--revert-window", a.revert_window,
                     "after the cut-over: skip the revert window, wait it out, or leave-open (record the migrations "
                     "and go on; `migrate revert` can take the deploy back until the window closes)")
        ->check(CLI::IsMember({"skip", "wait", "leave-open"}))
        ->group(group);
    command->add_flag("--instant", a.instant, "deploy instantly when PlanetScale says the change is eligible")
        ->group(group);
    command
        ->add_option("--deploy-timeout", a.deploy_timeout_s,
                     "seconds one deploy request is followed before the run stops (exit 6; a rerun picks it up)")
        ->check(CLI::Range(1, 7 * 86400))
        ->group(group);
    command
        ->add_option("--deploy-poll-ms", a.deploy_poll_ms, "how often a deploy request's state is read (default 1000)")
        ->check(CLI::Range(10, 600000))
        ->group(group);
}

std::optional<migrate::DeployRequestOptions> planetscale_target(const PlanetScaleArgs& a,
                                                                const std::string& url_database) {
    if (a.organization.empty()) {
        for (const auto* given : {&a.database, &a.branch, &a.api_url, &a.keyspace, &a.from_branch})
            if (!given->empty())
                throw migrate::error(migrate::errc::config_invalid,
                                     "the PlanetScale options need --planetscale-org (the organization)");
        return std::nullopt;
    }
    migrate::DeployRequestOptions o;
    o.api.organization = a.organization;
    o.api.database = a.database.empty() ? url_database : a.database;
    if (!a.branch.empty()) o.api.production_branch = a.branch;
    if (!a.api_url.empty()) o.api.url = a.api_url;
    o.keyspace = a.keyspace.empty() ? url_database : a.keyspace;
    for (auto [field, env] : {std::pair{&o.api.service_token_id, "PLANETSCALE_SERVICE_TOKEN_ID"},
                              std::pair{&o.api.service_token, "PLANETSCALE_SERVICE_TOKEN"}}) {
        const char* value = std::getenv(env);
        if (!value || !*value)
            throw migrate::error(migrate::errc::config_invalid,
                                 fmt::format("deploy requests need a PlanetScale service token: set {} (the token is "
                                             "read from the environment only)",
                                             env));
        *field = value;
    }
    return o;
}

void apply_deploy_choices(const PlanetScaleArgs& a, std::optional<migrate::DeployRequestOptions>& o) {
    if (!o) return;
    if (a.cutover == "automatic")
        o->cutover = migrate::CutOver::automatic;
    else if (a.cutover == "apply")
        o->cutover = migrate::CutOver::apply;
    else if (a.cutover == "wait")
        o->cutover = migrate::CutOver::wait_for_human;
    if (a.revert_window == "skip")
        o->revert_window = migrate::RevertWindow::skip;
    else if (a.revert_window == "wait")
        o->revert_window = migrate::RevertWindow::wait;
    else if (a.revert_window == "leave-open")
        o->revert_window = migrate::RevertWindow::leave_open;
    if (!a.from_branch.empty()) o->from_branch = a.from_branch;
    if (a.instant) o->instant = migrate::InstantDeploy::when_eligible;
    if (a.deploy_timeout_s) o->timeout = std::chrono::seconds(*a.deploy_timeout_s);
    if (a.deploy_poll_ms) o->poll_every = std::chrono::milliseconds(*a.deploy_poll_ms);
}

}  // namespace cli
