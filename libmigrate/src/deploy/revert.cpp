#include "revert.hpp"

#include "carried_record.hpp"
#include "poller.hpp"

#include "../connect/transaction.hpp"
#include "../run/apply.hpp"
#include "../run/statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migrate::deploy {
namespace {

using clock = std::chrono::steady_clock;

bool deployed_something(const std::string& s) {
    return s == "complete" || s == "complete_pending_revert" || s == "in_progress_revert" || s == "complete_revert";
}

// Closed, cancelled, failed or empty without its schema ever reaching production.
bool ended_without_deploying(const DeployRequest& d) {
    return !deployed_something(d.deployment_state) && (d.state == "closed" || d.deployment_state == "no_changes");
}

struct Found {
    DeployRequest request;
    CarriedRecord record;
};

// The tracking table as the revert found it, read once under the lock: no other run changes it meanwhile.
struct Recorded {
    bool exists = false;
    std::vector<AppliedRow> rows;
};

Recorded read_recorded(const RevertContext& ctx) {
    const auto shape = ctx.table.inspect(ctx.conn);
    if (!shape.exists) return {};
    return {true, ctx.table.read(ctx.conn, shape)};
}

// Deploy request `number`, or the newest one libmigrate opened for this keyspace.
Found find_deploy_request(const RevertContext& ctx, std::optional<std::uint64_t> number) {
    if (number) {
        Found f{ctx.client.deploy_request(*number), {}};
        auto record = read_carried_record(f.request.notes);
        if (!record)
            throw error(errc::deploy_request_failed,
                        fmt::format("deploy request #{} was not opened by libmigrate (its notes carry no record of the "
                                    "migrations it deploys), so which tracking rows it affects is unknown; nothing was "
                                    "changed. Revert it with PlanetScale's tools and record the outcome by hand",
                                    *number));
        if (record->keyspace != ctx.keyspace)
            throw error(errc::deploy_request_failed,
                        fmt::format("deploy request #{} deploys keyspace {}, not {}; nothing was changed. Revert it "
                                    "through the target of keyspace {}",
                                    *number, record->keyspace, ctx.keyspace, record->keyspace));
        f.record = std::move(*record);
        return f;
    }
    for (auto& d : ctx.client.deploy_requests_into())
        if (auto record = read_carried_record(d.notes);
            record && record->keyspace == ctx.keyspace && !ended_without_deploying(d))
            return {std::move(d), std::move(*record)};
    throw error(errc::nothing_to_resolve,
                fmt::format("no deploy request into {} was opened by libmigrate for keyspace {}: nothing to revert",
                            ctx.options.api.production_branch, ctx.keyspace));
}

const Migration& migration_of(const RevertContext& ctx, const Found& f, std::int64_t when) {
    for (const auto& m : ctx.source.migrations)
        if (m.when == when) return m;
    throw error(errc::deploy_request_failed,
                fmt::format("deploy request #{} carried statements of the migration whose journal `when` is {}, which "
                            "this migrations folder does not have; nothing was changed. Revert with the folder that "
                            "deployed it",
                            f.request.number, when));
}

// Only the newest schema can go back: a later deploy request of the keyspace, or a migration recorded after
// the deploy request, was applied on it.
void refuse_if_not_newest(const RevertContext& ctx, const Found& f, const Recorded& recorded) {
    for (const auto& d : ctx.client.deploy_requests_into()) {
        const bool schema_live = d.deployment_state == "complete" || d.deployment_state == "complete_pending_revert" ||
                                 d.deployment_state == "in_progress_revert";
        if (d.number <= f.request.number || !schema_live) continue;
        if (auto record = read_carried_record(d.notes); record && record->keyspace == ctx.keyspace)
            throw error(errc::deploy_request_failed,
                        fmt::format("deploy request #{} of keyspace {} deployed after #{} ({}); reverting #{} would "
                                    "pull the schema from under it, so nothing was changed. Only the newest deploy "
                                    "request can be reverted",
                                    d.number, ctx.keyspace, f.request.number, d.deployment_state, f.request.number));
    }
    std::int64_t newest_carried = 0;
    for (const auto& s : f.record.statements) newest_carried = std::max(newest_carried, s.when);
    for (const auto& row : recorded.rows) {
        if (!row.created_at || *row.created_at <= newest_carried) continue;
        std::string tag = fmt::format("created_at {}", *row.created_at);
        for (const auto& m : ctx.source.migrations)
            if (m.when == *row.created_at) tag = m.tag;
        throw error(errc::deploy_request_failed,
                    fmt::format("migration {} was applied after deploy request #{}, on the schema it deployed; "
                                "reverting it would leave {} without that schema, so nothing was changed. Only the "
                                "newest deploy request can be reverted: write a migration that undoes the change",
                                tag, f.request.number, tag));
    }
}

// The tracking table after the revert, in one transaction: rows of the carried migrations go; a migration
// carried from its statement k > 0 on keeps statements 0..k-1 as progress (they stay on production).
void unrecord(const RevertContext& ctx, const Found& f, const Recorded& recorded, RevertReport& out) {
    const bool has_progress = ctx.progress.exists(ctx.conn);
    const auto connection_id = std::stoull(ctx.conn.query("select connection_id()").at(0).at(0).value_or("0"));
    std::vector<std::string> statements;
    for (const auto& s : f.record.statements) {
        const Migration& m = migration_of(ctx, f, s.when);
        if (recorded.exists) statements.push_back(ctx.table.delete_statement(m));
        out.unrecorded.push_back(m.tag);
        if (s.first > 0) {
            out.resumable.push_back(m.tag);
            if (has_progress) {
                statements.push_back(ctx.progress.start(m, connection_id, tracking::statements_prefix_hash(m, 0)));
                statements.push_back(
                    ctx.progress.mark(m, s.first, std::nullopt, tracking::statements_prefix_hash(m, s.first)));
            }
        } else if (has_progress) {
            statements.push_back(ctx.progress.remove(m));
        }
        for (std::size_t i = s.last + 1; i < m.statements.size(); ++i)
            if (run::classify_statement(m.statements[i].sql) == run::StatementClass::dml)
                out.run_again.push_back(fmt::format("{}:{}", m.file.string(), m.statements[i].line));
    }
    ctx.lock.check();
    connect::Transaction tx(ctx.conn);
    for (const auto& sql : statements) ctx.conn.execute(sql);
    tx.commit();
}

// Whether a revert's bookkeeping is still to do (it is one transaction: all of it or none).
bool still_recorded(const RevertContext& ctx, const Found& f, const Recorded& recorded) {
    for (const auto& s : f.record.statements) {
        const Migration& m = migration_of(ctx, f, s.when);
        for (const auto& r : recorded.rows)
            if (r.created_at == m.when && r.hash == m.hash) return true;
    }
    return false;
}

// The batch's own branch (kept through the window) goes, so the next `up` starts over with a new one; an
// existing branch the deploy request came from is its owner's.
void delete_batch_branch(const RevertContext& ctx, const Found& f) {
    if (f.request.branch != f.record.batch) return;
    try {
        if (ctx.client.find_branch(f.request.branch)) ctx.client.delete_branch(f.request.branch);
    } catch (const error&) {
        // A leftover branch only makes the next `up` refuse and name it.
    }
}

}  // namespace

RevertReport revert_deploy_request(const RevertContext& ctx, std::optional<std::uint64_t> number) {
    Found f = find_deploy_request(ctx, number);
    const std::uint64_t n = f.request.number;
    DeployRequestProgress p;
    p.branch = f.request.branch;
    p.number = n;
    p.html_url = f.request.html_url;
    p.deployment_state = f.request.deployment_state;
    RevertReport out;
    out.number = n;
    out.html_url = f.request.html_url;
    for (const auto& s : f.record.statements) migration_of(ctx, f, s.when);  // the folder must know them all

    const std::string& state = f.request.deployment_state;
    if (state == "complete")
        throw error(errc::nothing_to_resolve,
                    fmt::format("deploy request #{} is complete: its revert window has closed, so PlanetScale can no "
                                "longer revert it; nothing was changed. Write a migration that undoes the change",
                                n));
    if (state != "complete_pending_revert" && state != "in_progress_revert" && state != "complete_revert")
        throw error(
            errc::nothing_to_resolve,
            fmt::format("deploy request #{} is {}: it has not deployed anything to revert; nothing was "
                        "changed{}",
                        n, state,
                        state == "complete_cancel" || state == "cancelled" ? "" : " (close or cancel it instead)"));
    const Recorded recorded = read_recorded(ctx);
    if (state == "complete_revert" && !still_recorded(ctx, f, recorded)) {
        delete_batch_branch(ctx, f);
        throw error(errc::nothing_to_resolve,
                    fmt::format("deploy request #{} is reverted and none of the migrations it carried is recorded: "
                                "nothing left to do",
                                n));
    }
    refuse_if_not_newest(ctx, f, recorded);
    if (state == "complete_pending_revert") {
        report_progress(ctx.on_event, p, "reverting",
                        fmt::format("reverting deploy request #{} (branch {})", n, f.request.branch));
        try {
            ctx.client.revert(n);
        } catch (const error& e) {
            // A lost answer, or the window closing meanwhile: the state read next decides.
            if (e.code() != errc::platform_api) throw;
        }
    }
    // Followed to complete_revert; a rerun after a stop picks up here.
    Poller poller(ctx.options.poll_every, ctx.cancel, [&ctx] { ctx.conn.execute("select 1"); });
    const auto deadline = clock::now() + ctx.options.timeout;
    std::string last;
    for (;;) {
        DeployRequest d;
        try {
            d = ctx.client.deploy_request(n);
        } catch (const error& e) {
            if (!is_transient(e)) throw;
            poller.pause(
                fmt::format("interrupted while deploy request #{} was being reverted; run the revert again to "
                            "finish it",
                            n));
            continue;
        }
        p.deployment_state = d.deployment_state;
        if (d.deployment_state == "complete_revert") break;
        if (d.deployment_state != "in_progress_revert" && d.deployment_state != "complete_pending_revert")
            throw error(
                errc::deploy_request_failed,
                fmt::format("deploy request #{} went to {} instead of being reverted{}; the tracking rows were "
                            "left as they are. The deploy request's page says why",
                            n, d.deployment_state, d.error_message.empty() ? "" : " (" + d.error_message + ")"));
        if (d.deployment_state == "complete_pending_revert" && state != "complete_pending_revert")
            throw error(errc::deploy_request_failed, fmt::format("deploy request #{} is back in its revert window", n));
        const std::string detail = fmt::format("deploy request #{} (branch {}): {}", n, d.branch, d.deployment_state);
        if (detail != last) report_progress(ctx.on_event, p, d.deployment_state, detail);
        last = detail;
        if (clock::now() > deadline)
            throw error(errc::deploy_request_waiting,
                        fmt::format("deploy request #{} is still {} after {} s; PlanetScale goes on with it: run the "
                                    "revert again to finish",
                                    n, d.deployment_state, ctx.options.timeout.count()));
        poller.pause(
            fmt::format("interrupted while deploy request #{} was being reverted; PlanetScale goes on with it: "
                        "run the revert again to record it",
                        n));
    }

    unrecord(ctx, f, recorded, out);
    delete_batch_branch(ctx, f);
    p.deployment_state = "complete_revert";
    std::string tags;
    for (const auto& t : out.unrecorded) tags += (tags.empty() ? "" : ", ") + t;
    report_progress(ctx.on_event, p, "reverted",
                    fmt::format("deploy request #{} is reverted; no longer recorded: {}", n, tags));
    return out;
}

}  // namespace migrate::deploy
