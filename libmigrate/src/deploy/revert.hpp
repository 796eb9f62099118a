// Taking back a deployed deploy request inside its revert window (`pscale deploy-request revert`'s job),
// then making the tracking table say so: the migrations it carried lose their rows, and those it carried in
// part keep, as progress, the statements that stay on production. Internal; Target takes the lock.
#pragma once

#include "planetscale_api.hpp"

#include "../connect/connection.hpp"
#include "../run/lock.hpp"
#include "../tracking/progress_table.hpp"
#include "../tracking/tracking_table.hpp"

#include <migrate/deploy_requests.hpp>
#include <migrate/source.hpp>
#include <migrate/target.hpp>

#include <atomic>
#include <optional>

namespace migrate::deploy {

struct RevertContext {
    PlanetScaleClient& client;
    const DeployRequestOptions& options;
    const std::string& keyspace;  // whose deploy requests (their carried records name it)
    connect::Connection& conn;    // production, under the lock
    const run::MigrationLock& lock;
    const Source& source;
    const tracking::TrackingTable& table;
    const tracking::ProgressTable& progress;
    const EventCallback& on_event;
    const std::atomic<bool>* cancel;
};

RevertReport revert_deploy_request(const RevertContext& ctx, std::optional<std::uint64_t> number);

}  // namespace migrate::deploy
