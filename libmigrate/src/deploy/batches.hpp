// Splitting the pending statements for a safe-migrations branch: each run of consecutive schema statements
// (across migrations) is one deploy request; DML runs on production directly, at its place in the order.
#pragma once

#include "../plan/table_facts.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/deploy_requests.hpp>

#include <string>
#include <vector>

namespace migrate::deploy {

struct Batch {
    // The statements the deploy request carries, in order: DDL (and statements the runner cannot classify,
    // which it treats as DDL), with the harmless ones between them (SET …) that the DDL may depend on.
    std::vector<plan::StatementRef> statements;
    // The development branch: <prefix>-<keyspace>-<migration number>-<statement>-<hash>, named after the
    // batch's last DDL statement, so a rerun computes the same name however much of the batch's migrations
    // it has recorded meanwhile (the end of a batch is fixed by the DML after it, which waits for it).
    std::string branch;
    // It also creates libmigrate's tables on a production branch that lacks them: the first batch when the
    // run starts with DDL, else a batch of its own (no statements) before everything.
    bool with_setup = false;
};

// Whether the statement reaches a safe-migrations branch through a deploy request (DDL, or unknown).
bool carried_by_deploy_request(std::string_view sql);

// `refs` in run order → the deploy requests a run makes, in order; `setup`: libmigrate's tables are missing.
// Names use `prefix` and `keyspace` (lower-cased, '_' → '-').
std::vector<Batch> split_into_batches(const std::vector<plan::StatementRef>& refs, bool setup,
                                      const std::string& prefix, const std::string& keyspace);

// "file:line" of a statement, as messages and deploy-request notes name it.
std::string where(const plan::StatementRef& r);

// One existing branch holds one schema, so it can stand for one batch only: throws deploy_request_failed,
// naming where DML splits the work, when there are more.
void refuse_several_batches(const std::vector<Batch>& batches, const std::string& existing_branch);

// The keyspace the branches are named after: the configured one, else the URL's database.
std::string keyspace_name(const DeployRequestOptions& options, const ConnectionUrl& url);

// What every development branch of this keyspace's batches starts with: "<prefix>-<keyspace>-".
std::string branch_prefix_of(const std::string& prefix, const std::string& keyspace);

}  // namespace migrate::deploy
