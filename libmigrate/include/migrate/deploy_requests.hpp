// PlanetScale deploy requests: how `up` carries schema changes to a production branch with safe migrations
// on, which refuses direct DDL (docs/planetscale.md). Each run of consecutive DDL statements goes through
// a development branch and a deploy request; DML runs on production directly, at its place in the order.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace migrate {

// PlanetScale's management API and the database a target lives in.
struct PlanetScaleApi {
    std::string url = "https://api.planetscale.com/v1";  // the API's base (a local gateway: http://HOST:PORT/v1)
    std::string organization;
    std::string database;  // the PlanetScale database (not the keyspace)
    std::string production_branch = "main";
    std::string service_token_id;
    std::string service_token;  // a secret: never printed, logged or put in errors
};

// A gated deploy stops at `pending_cutover` until its cut-over is applied.
enum class CutOver {
    automatic,       // the deploy request is created with auto_cutover: no gate
    apply,           // gated; this run applies the cut-over as soon as the deploy reaches it
    wait_for_human,  // gated; a person applies it (dashboard, `pscale deploy-request apply`); the run waits
};

// After the cut-over PlanetScale keeps a revert window (30 minutes) before the deploy is complete.
enum class RevertWindow {
    skip,        // end the window at once (skip-revert): the run finishes when the schema is deployed
    wait,        // wait the window out, so a person can still revert; the run finishes when it closes
    leave_open,  // record the migrations as soon as the schema is deployed and go on, leaving the window
                 // open behind the run: Target::revert_deploy_request() (or a person) may revert it until
                 // it closes
};

// Deploy instantly (ALGORITHM=INSTANT: no copy, no revert window, no gate) when PlanetScale says it can.
enum class InstantDeploy { never, when_eligible };

struct DeployRequestOptions {
    PlanetScaleApi api;
    std::string keyspace;                   // names the branches; "" = the URL's database
    std::string branch_prefix = "migrate";  // development branches: <prefix>-<keyspace>-<where the batch ends>
    // Open the deploy request from this existing branch (a shared `ci-test`, a per-PR branch) where the
    // pending migrations were applied already, instead of a new branch per batch. The run checks first that
    // the branch records exactly production's migrations plus the pending ones and that its schema differs
    // from production's only where their DDL says; it never changes the branch beyond libmigrate's own
    // tables and never deletes it. "": a new branch per batch.
    std::string from_branch;
    CutOver cutover = CutOver::automatic;
    RevertWindow revert_window = RevertWindow::skip;
    InstantDeploy instant = InstantDeploy::never;
    std::chrono::seconds timeout{6 * 3600};      // the longest one deploy request is followed (queue included)
    std::chrono::milliseconds poll_every{1000};  // how often its state is read
    std::chrono::seconds password_ttl{3600};     // the development branch's password expires after this
};

// Where a deploy request is, as the events and `status` report it.
struct DeployRequestProgress {
    struct Operation {
        std::string table;
        std::string state;      // PlanetScale's: pending, in_progress, complete, …
        std::string operation;  // CREATE, ALTER, DROP
        int progress_percent = 0;
        std::int64_t eta_seconds = 0;
    };
    std::string branch;                 // the development branch
    std::uint64_t number = 0;           // the deploy request's number (0: not opened yet)
    std::string phase;                  // what the run is doing: "creating branch", "applying on branch", …
    std::string deployment_state;       // PlanetScale's deployment state: ready, queued, in_progress, …
    std::string html_url;               // the deploy request's page
    std::vector<Operation> operations;  // per table, while deploying
};

// What Target::revert_deploy_request() did.
struct RevertReport {
    std::uint64_t number = 0;  // the deploy request reverted
    std::string html_url;
    std::vector<std::string> unrecorded;  // migrations (tags) whose tracking rows went: their schema is gone
    std::vector<std::string> resumable;   // of those, the ones whose statements before the deploy request are
                                          // still on production: `up` resumes them after those statements
    std::vector<std::string> run_again;   // DML statements ("file:line") that ran on production directly after
                                          // the deploy request's schema: the revert keeps their data, and `up`
                                          // runs them again
};

}  // namespace migrate
