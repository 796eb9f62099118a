// The deploy-request workflow for one target (docs/planetscale.md): for each batch of DDL, a development
// branch from production (named deterministically, so any rerun finds it), a short-lived password, the DDL
// applied there over the HTTP API, a deploy request with the plan as its notes, deployed and followed
// through the queue, the cut-over and the revert window to `complete`; then the password and the branch
// go. The runner (run/apply.cpp) calls carry() for the first DDL statement of each batch, under the
// migration lock, and writes progress and tracking rows on production itself.
//
// What a rerun relies on is PlanetScale's own record: the deploy requests opened from the batch's branch.
// It is the authority on the deploy's state (a copy kept elsewhere could disagree with it), and it exists
// before libmigrate's tables do on a fresh production branch.
#pragma once

#include "batches.hpp"
#include "branch_check.hpp"
#include "planetscale_api.hpp"
#include "poller.hpp"

#include "../run/apply.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/deploy_requests.hpp>
#include <migrate/target.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace migrate::deploy {

class Deployer final : public run::StatementCarrier {
  public:
    // `refs`: what the run sends, in order; `setup`: statements creating libmigrate's tables where the
    // production branch lacks them (they travel with the first deploy request; see deploy_setup()).
    // `pending`: checked against an existing branch (options.from_branch) before a deploy request is opened
    // from it. Throws deploy_request_failed when the work needs more deploy requests than an existing branch
    // can carry (one).
    Deployer(PlanetScaleClient& client, const DeployRequestOptions& options, const ConnectionUrl& production,
             const std::vector<plan::StatementRef>& refs, std::vector<std::string> setup, PendingMigrations pending,
             const EventCallback& on_event, const std::atomic<bool>* cancel, std::function<void()> keep_alive = {});

    // Whether anything must go through a deploy request (DDL, or libmigrate's tables).
    bool needs_deploy_requests() const { return !work_.empty(); }
    // Whether the first deploy request of this run's work was opened already (by an earlier run): the tables
    // it brought are then this run's own, and what became of it (deployed, cancelled, …) is its to say.
    bool first_deploy_request_opened();

    // Before the runner starts, when setup statements are needed: deploys them (with the first batch when
    // the run starts with DDL, else on their own), so that progress can be recorded on production.
    void deploy_setup();

    bool carries(const Migration& m, std::size_t index) const override;
    void carry(const Migration& m, std::size_t index) override;

  private:
    struct Work {
        std::string branch;  // where the deploy request is opened from
        std::string batch;   // the batch's deterministic name (its own branch's, unless from_branch)
        std::vector<plan::StatementRef> statements;
        std::vector<std::string> setup;
        bool done = false;
    };

    void run(Work& w);
    std::vector<DeployRequest> deploy_requests_of(const Work& w);
    void ensure_branch(Work& w);
    std::unique_ptr<connect::Connection> connect_to_branch(const Work& w);
    void apply_on_branch(const Work& w, connect::Connection& conn);
    void check_branch(const Work& w, connect::Connection& conn);
    std::uint64_t open_deploy_request(Work& w);
    void follow(Work& w, std::uint64_t number);
    void finish(Work& w, std::uint64_t number);
    void delete_password();
    bool already_on_production(const Work& w);
    [[noreturn]] void refuse(const Work& w, const DeployRequest& d, const std::string& why);
    std::string notes(const Work& w) const;
    void report(const std::string& phase, const std::string& detail);
    void pause();

    PlanetScaleClient& client_;
    const DeployRequestOptions& options_;
    const ConnectionUrl& production_;
    const EventCallback& on_event_;
    Poller poller_;
    std::vector<Work> work_;  // one per batch, in order; a setup-only one first when needed
    std::vector<std::string> setup_;
    PendingMigrations pending_;
    std::string keyspace_;
    DeployRequestProgress progress_;
    std::string password_id_, password_branch_;  // the password this run created, deleted when done
};

}  // namespace migrate::deploy
