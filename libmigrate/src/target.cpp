// Target ties the stages together: source → connect → lock → tracking → plan → validate → run.
#include "baseline/database_dump.hpp"
#include "connect/connection.hpp"
#include "connect/transaction.hpp"
#include "deploy/carried_record.hpp"
#include "deploy/deployer.hpp"
#include "deploy/revert.hpp"
#include "plan/dry_run_script.hpp"
#include "plan/make_plan.hpp"
#include "plan/table_facts.hpp"
#include "run/apply.hpp"
#include "run/lock.hpp"
#include "run/previous_run.hpp"
#include "run/safe_migrations.hpp"
#include "run/statement_probe.hpp"
#include "run/statement_size.hpp"
#include "tracking/progress_table.hpp"
#include "tracking/tracking_table.hpp"
#include "tracking/v0_table_upgrade.hpp"

#include <migrate/error.hpp>
#include <migrate/target.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

namespace migrate {

std::string_view to_string(StatementKind k) noexcept {
    switch (k) {
        case StatementKind::ddl: return "ddl";
        case StatementKind::dml: return "dml";
        case StatementKind::harmless: return "harmless";
        case StatementKind::unknown: return "unknown";
    }
    return "unknown";
}

namespace {

StatementKind statement_kind(run::StatementClass c) {
    switch (c) {
        case run::StatementClass::ddl: return StatementKind::ddl;
        case run::StatementClass::dml: return StatementKind::dml;
        case run::StatementClass::harmless: return StatementKind::harmless;
        case run::StatementClass::unknown: return StatementKind::unknown;
    }
    return StatementKind::unknown;
}

}  // namespace

struct Target::Impl {
    TargetOptions options;
    Source source;
    ConnectionUrl url;
    tracking::TrackingTable table;
    tracking::ProgressTable progress;
    std::optional<Baseline> baseline;

    // Our own tables, never part of the user's schema.
    std::set<std::string> own_tables() const { return {table.name(), progress.name(), table.side_table("lock")}; }

    // Position of `tag` in the folder; target_not_found when it has none.
    std::size_t position_of(const std::string& tag) const {
        for (const auto& m : source.migrations)
            if (m.tag == tag) return m.position;
        throw error(errc::target_not_found,
                    fmt::format("{} has no migration {}; its journal (meta/_journal.json) lists those it has",
                                source.dir.string(), tag));
    }

    // What the database says now: tracking rows and progress, as a plan. A 0.x table under a 1.0 folder is
    // planned as it will read once `up` has upgraded it (*table_upgrade says what that upgrade will do, "" when
    // none is due). `load_baseline`: an empty database may start from the baseline (not when it covers more
    // than `up --to` asks for).
    Plan read_plan(connect::Connection& conn, tracking::TableShape& shape, bool load_baseline = true,
                   std::optional<std::size_t> last = std::nullopt, std::string* table_upgrade = nullptr) const {
        shape = table.inspect(conn);
        auto rows = table.read(conn, shape);
        const auto upgrade = tracking::plan_v0_upgrade(source, shape, rows);
        const auto in_progress = progress.read(conn);
        FirstRunFacts facts;
        if (rows.empty() && in_progress.empty()) facts.other_tables = baseline::list_tables(conn, own_tables());
        if (load_baseline && baseline && (!last || baseline->covered.size() <= *last + 1)) facts.baseline = &*baseline;
        if (table_upgrade) *table_upgrade = upgrade.describe(table);
        return make_plan(source, upgrade.rows_after(std::move(rows)), shape.exists,
                         tracking::partial_runs(in_progress, source, baseline ? &*baseline : nullptr), facts);
    }

    // The statements `up` would run for `plan`, in run order (a half-applied migration from where it resumes).
    std::vector<plan::StatementRef> statements_to_run(const Plan& plan, bool allow_out_of_order,
                                                      std::optional<std::size_t> last) const {
        return run::statements_to_send(plan, plan.from_baseline && baseline ? &*baseline : nullptr,
                                       run::entries_to_run(plan, allow_out_of_order, last));
    }

    // Connects and reads everything status shows; the pending statements' costs as `up` with these options
    // would run them.
    Status read_status(bool load_baseline, std::optional<std::size_t> last, bool allow_out_of_order = false) const {
        auto conn = connect::Connection::open(url);
        Status s;
        s.url = url.redacted();
        s.transport = url.transport;
        s.driver = fmt::format("{} {}", conn->driver().api->name,
                               conn->driver().api->version ? conn->driver().api->version : "");
        s.server_version = conn->server_version();
        s.table = table.name();
        tracking::TableShape shape;
        s.plan = read_plan(*conn, shape, load_baseline, last, &s.table_upgrade);
        s.lock_holder = run::describe_lock_holder(*conn, table, options.lock_mode, url.database);
        if (const auto& dr = options.deploy_requests) {
            try {
                deploy::PlanetScaleClient client(dr->api);
                const std::string keyspace = deploy::keyspace_name(*dr, url);
                const std::string mine = deploy::branch_prefix_of(dr->branch_prefix, keyspace);
                for (const auto& d : client.open_deploy_requests()) {
                    // This keyspace's: its record says so (also from an existing branch), or its branch's name.
                    const auto record = deploy::read_carried_record(d.notes);
                    if (record ? record->keyspace != keyspace : d.branch.rfind(mine, 0) != 0) continue;
                    s.deploy_requests.push_back(
                        {.branch = d.branch,
                         .number = d.number,
                         .phase = d.deployment_state == "complete_pending_revert" ? "revert window open" : "open",
                         .deployment_state = d.deployment_state,
                         .html_url = d.html_url,
                         .operations = {}});
                }
            } catch (const error& e) {
                s.deploy_requests_error = e.what();
            }
        }
        const auto refs = statements_to_run(s.plan, allow_out_of_order, last);
        auto costs = plan::cost_statements(*conn, refs);
        for (std::size_t i = 0; i < refs.size(); ++i)
            s.pending_statements.push_back({refs[i].migration, refs[i].index, std::move(costs[i])});
        return s;
    }

    // Whether the production branch takes schema changes only through deploy requests (safe migrations).
    bool takes_deploy_requests(deploy::PlanetScaleClient& client) const {
        const auto& api = client.api();
        auto branch = client.find_branch(api.production_branch);
        if (!branch)
            throw error(
                errc::config_invalid,
                fmt::format("PlanetScale database {} of organization {} has no branch {} (the production branch "
                            "deploy requests go into): check the configured database and branch",
                            api.database, api.organization, api.production_branch));
        return branch->safe_migrations;
    }

    std::unique_ptr<run::MigrationLock> lock(const EventCallback& on_event, const std::atomic<bool>* cancel) const {
        return run::MigrationLock::acquire(url, table, options, on_event, cancel);
    }

    // The lock, and then the end of whatever a stopped run's session still executes (previous_run.hpp):
    // only after both do progress and the schema say what has been done. Over HTTP the work session, idle
    // while the lock was awaited, may have expired meanwhile (the server reaps idle sessions: PlanetScale
    // after some 20 s), so it is opened again; nothing session-bound has happened on it yet.
    std::unique_ptr<run::MigrationLock> lock_settled(std::unique_ptr<connect::Connection>& conn,
                                                     const EventCallback& on_event,
                                                     const std::atomic<bool>* cancel) const {
        auto held = lock(on_event, cancel);
        if (url.transport == Transport::http) conn = connect::Connection::open(url);
        run::settle_previous_run(*conn, progress, options.lock_timeout, on_event, cancel);
        return held;
    }
};

Target::Target(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Target::Target(Target&&) noexcept = default;
Target& Target::operator=(Target&&) noexcept = default;
Target::~Target() = default;

Target Target::open(TargetOptions options) {
    // Everything that can be checked without a server is checked here, so a bad folder, URL or
    // table name never leaves anything behind in a database.
    tracking::TrackingTable table(options.table);
    ConnectionUrl url = parse_connection_url(options.url);
    if (url.database.empty())
        throw error(errc::url_invalid, fmt::format("connection URL {} names no database: add it as the path, "
                                                   "mysql://user:password@host:port/DATABASE",
                                                   url.redacted()));
    // A scheme only a driver plugin declares is settled on that driver's transport here (loading no server,
    // only the driver), so a URL no driver serves fails before the folder is read, and status shows the
    // transport the driver declares. Built-in schemes are settled already and load nothing here.
    url = connect::settled_url(url);
    if (options.lock_timeout.count() < 0) throw error(errc::url_invalid, "the lock timeout cannot be negative");
    if (options.lease_ttl.count() < 3) throw error(errc::url_invalid, "the lease ttl must be at least 3 seconds");
    if (options.lock_waits.per_attempt.count() < 0 || options.lock_waits.total.count() < 1)
        throw error(errc::config_invalid,
                    fmt::format("the statement lock waits must be 0 (off) or more seconds per "
                                "attempt within a budget of at least 1 second; got {} s and {} s",
                                options.lock_waits.per_attempt.count(), options.lock_waits.total.count()));
    Source source = read_migrations_folder(options.migrations_dir);
    std::optional<Baseline> baseline;
    if (options.use_baseline)
        baseline = read_baseline(
            options.baseline_dir.empty() ? default_baseline_dir(options.migrations_dir) : options.baseline_dir, source);
    auto impl = std::make_unique<Impl>(Impl{std::move(options), std::move(source), std::move(url), table,
                                            tracking::ProgressTable(table), std::move(baseline)});
    return Target(std::move(impl));
}

const Source& Target::source() const { return impl_->source; }
const Baseline* Target::baseline() const { return impl_->baseline ? &*impl_->baseline : nullptr; }
const ConnectionUrl& Target::url() const { return impl_->url; }

Status Target::status() { return impl_->read_status(true, std::nullopt); }

UpReport Target::up(const EventCallback& on_event, const UpOptions& options) {
    // How a run ends is an event too, so that a log sink or a readiness probe sees a failure as it sees the rest.
    try {
        return run_up(on_event, options);
    } catch (const error& e) {
        if (on_event) on_event({.kind = Event::Kind::run_failed, .failure = &e});
        throw;
    }
}

UpReport Target::run_up(const EventCallback& on_event, const UpOptions& options) {
    const std::optional<std::size_t> last = options.to ? std::optional(impl_->position_of(*options.to)) : std::nullopt;
    const ValidationOptions validation{.allow_out_of_order = options.allow_out_of_order,
                                       .allow_missing = options.allow_missing,
                                       .allow_dirty = options.allow_dirty};
    auto runs = [&](const Plan& plan) {
        return plan.from_baseline || !run::entries_to_run(plan, options.allow_out_of_order, last).empty();
    };
    auto conn = connect::Connection::open(impl_->url);
    tracking::TableShape shape;
    {
        // Fast path for the common start-up: nothing to apply needs no lock (a concurrent run can only
        // apply more, never make something pending), so N replicas with nothing to do never contend.
        std::string upgrade_due;
        Plan before = impl_->read_plan(*conn, shape, options.use_baseline, last, &upgrade_due);
        if (shape.exists && upgrade_due.empty() && !runs(before)) {
            validate_plan(before, validation);
            UpReport report;
            report.plan_before = std::move(before);
            if (on_event) on_event({.kind = Event::Kind::run_finished});
            return report;
        }
    }
    auto lock = impl_->lock_settled(conn, on_event, options.cancel);
    const auto work_started = std::chrono::steady_clock::now();
    // Under the lock, read again: another replica may have applied everything while we waited. Validate
    // before creating anything, so a refused run leaves no trace. The table is created only when missing:
    // a PlanetScale safe-migrations branch refuses even CREATE … IF NOT EXISTS.
    const auto upgrade = tracking::upgrade_v0_table(*conn, impl_->table, impl_->source);  // drizzle 1.0's, if needed
    Plan plan = impl_->read_plan(*conn, shape, options.use_baseline, last);
    const Baseline* load = plan.from_baseline ? &*impl_->baseline : nullptr;
    const auto entries = run::entries_to_run(plan, options.allow_out_of_order, last);
    // A PlanetScale production branch with safe migrations takes DDL through deploy requests, when they are
    // configured; libmigrate's own tables, where missing, travel with the first one.
    std::optional<deploy::PlanetScaleClient> planetscale;
    std::optional<deploy::Deployer> deployer;
    if (const auto& dr = impl_->options.deploy_requests) {
        planetscale.emplace(dr->api);
        if (impl_->takes_deploy_requests(*planetscale)) {
            std::vector<std::string> setup;
            if (!shape.exists) setup.push_back(impl_->table.create_statement(impl_->source.layout));
            if (!impl_->progress.exists(*conn)) setup.push_back(impl_->progress.create_statement());
            if (load && !dr->from_branch.empty())
                throw error(errc::deploy_request_failed,
                            fmt::format("{} is empty, so this run would load the baseline, which a deploy request from "
                                        "the existing branch {} cannot stand for; nothing was run. Run without naming "
                                        "an existing branch",
                                        dr->api.production_branch, dr->from_branch));
            deploy::PendingMigrations pending{&impl_->table, {}};
            for (const auto* e : entries) pending.migrations.push_back(e->migration);
            deployer.emplace(*planetscale, *dr, impl_->url, run::statements_to_send(plan, load, entries),
                             std::move(setup), std::move(pending), on_event, options.cancel,
                             [&conn] { conn->execute("select 1"); });
        }
    }
    // Tables but no history, on a fresh production branch whose first deploy request (an earlier run's,
    // stopped before it recorded anything) already put them there: they are this run's, not someone else's.
    ValidationOptions checks = validation;
    if (deployer && !plan.unrecorded_tables.empty() && deployer->first_deploy_request_opened())
        checks.allow_dirty = true;
    validate_plan(plan, checks);
    if (options.max_table_copy_bytes) {  // before anything runs, like validation
        const auto refs = impl_->statements_to_run(plan, options.allow_out_of_order, last);
        plan::refuse_large_copies(refs, plan::cost_statements(*conn, refs), *options.max_table_copy_bytes);
    }
    run::check_statement_sizes(*conn, plan, load, entries);
    if (plan.from_baseline) {
        const std::string server = conn->server_version();
        if (connect::is_mariadb(server) != connect::is_mariadb(impl_->baseline->server))
            throw error(
                errc::baseline_unusable,
                fmt::format("the database is empty, so `up` would load the baseline in {}, but it was made on {} "
                            "and this server is {}: its SHOW CREATE TABLE text may not mean the same here. "
                            "Recreate it with a scratch server of this kind, or replay the migrations without "
                            "the baseline",
                            impl_->baseline->dir.string(), impl_->baseline->server, server),
                {.fix = remedy::recreate_or_skip_baseline});
    }
    if (deployer) {
        if (!options.wait_for_deploy_requests && deployer->needs_deploy_requests())
            throw error(errc::deploy_request_waiting,
                        fmt::format("pending statements need a deploy request into {} (safe migrations), and this run "
                                    "may not wait for one; nothing was run. A run that may wait (or the deploy "
                                    "pipeline) applies them",
                                    impl_->options.deploy_requests->api.production_branch));
        deployer->deploy_setup();
        shape = impl_->table.inspect(*conn);
    }
    // A branch that refuses DDL (PlanetScale safe migrations) must say so before any statement runs.
    if (!deployer) run::preflight_ddl(*conn, impl_->progress, run::first_ddl(plan, load, entries));
    if (!shape.exists) {
        conn->execute(impl_->table.create_statement(impl_->source.layout));
        shape = impl_->table.created_shape(impl_->source.layout);
    }
    run::RunContext ctx{*conn,    impl_->table,   impl_->progress,
                        shape,    *lock,          impl_->options.lock_waits,
                        on_event, options.cancel, deployer ? &*deployer : nullptr};
    UpReport report = run::apply_plan(ctx, std::move(plan), options, load, last);
    report.duration = std::chrono::steady_clock::now() - work_started;  // a first deploy request included
    report.table_upgrade = upgrade.done(impl_->table);
    return report;
}

UpPreview Target::preview(const UpOptions& options) {
    const std::optional<std::size_t> last = options.to ? std::optional(impl_->position_of(*options.to)) : std::nullopt;
    UpPreview p;
    p.status = impl_->read_status(options.use_baseline, last, options.allow_out_of_order);
    const Plan& plan = p.status.plan;
    try {
        validate_plan(plan, {.allow_out_of_order = options.allow_out_of_order,
                             .allow_missing = options.allow_missing,
                             .allow_dirty = options.allow_dirty});
        if (options.max_table_copy_bytes) {
            std::vector<plan::StatementRef> refs;
            std::vector<StatementCost> costs;
            for (const auto& ps : p.status.pending_statements) {
                refs.push_back({ps.migration, ps.index});
                costs.push_back(ps.cost);
            }
            plan::refuse_large_copies(refs, costs, *options.max_table_copy_bytes);
        }
    } catch (const error& e) {
        p.refusal = e.what();
        p.refusal_code = e.code();
        p.refusal_fix = e.context().fix;
    }
    // Through deploy requests: which batch carries each statement (the split `up` makes).
    std::map<std::pair<const Migration*, std::size_t>, std::size_t> carried_by;
    if (const auto& dr = impl_->options.deploy_requests) {
        deploy::PlanetScaleClient client(dr->api);
        if (impl_->takes_deploy_requests(client)) {
            p.through_deploy_requests = true;
            auto conn = connect::Connection::open(impl_->url);
            const bool setup = !plan.table_exists || !impl_->progress.exists(*conn);
            std::vector<plan::StatementRef> refs;
            for (const auto& ps : p.status.pending_statements) refs.push_back({ps.migration, ps.index});
            const auto batches =
                deploy::split_into_batches(refs, setup, dr->branch_prefix, deploy::keyspace_name(*dr, impl_->url));
            if (!dr->from_branch.empty() && p.refusal.empty()) {
                try {
                    deploy::refuse_several_batches(batches, dr->from_branch);
                } catch (const error& e) {
                    p.refusal = e.what();
                    p.refusal_code = e.code();
                }
            }
            for (const auto& b : batches) {
                std::size_t carried = 0;
                for (const auto& r : b.statements)
                    if (deploy::carried_by_deploy_request(r.migration->statements[r.index].sql)) {
                        carried_by[{r.migration, r.index}] = p.deploy_requests.size() + 1;
                        ++carried;
                    }
                p.deploy_requests.push_back(
                    {dr->from_branch.empty() ? b.branch : dr->from_branch, carried, b.with_setup});
            }
        }
    }
    std::size_t next_cost = 0;  // pending_statements holds the same statements in the same order
    auto add = [&](const Migration& m, std::size_t from) {
        PlannedMigration pm{&m, from, {}};
        for (std::size_t i = from; i < m.statements.size(); ++i) {
            const auto c = run::classify_statement(m.statements[i].sql);
            p.has_ddl = p.has_ddl || c == run::StatementClass::ddl || c == run::StatementClass::unknown;
            pm.statements.push_back({i, m.statements[i].line, statement_kind(c)});
            const auto& pending = p.status.pending_statements;
            if (next_cost < pending.size() && pending[next_cost].migration == &m && pending[next_cost].index == i)
                pm.statements.back().cost = pending[next_cost++].cost;
            if (auto it = carried_by.find({&m, i}); it != carried_by.end())
                pm.statements.back().deploy_request = it->second;
        }
        p.migrations.push_back(std::move(pm));
    };
    if (plan.from_baseline && impl_->baseline) {
        p.baseline = &*impl_->baseline;
        add(p.baseline->snapshot, plan.baseline_progress ? plan.baseline_progress->statements_done : 0);
    }
    for (const PlanEntry* e : run::entries_to_run(plan, options.allow_out_of_order, last))
        add(*e->migration, e->progress ? e->progress->statements_done : 0);
    return p;
}

UpPreview Target::dry_run(const std::function<void(std::string_view)>& write, const UpOptions& options) {
    UpPreview p = preview(options);
    if (p.refusal_code) throw error(*p.refusal_code, p.refusal, {.fix = p.refusal_fix});
    auto conn = connect::Connection::open(impl_->url);
    const tracking::TableShape shape = impl_->table.inspect(*conn);
    const auto upgrade = tracking::plan_v0_upgrade(impl_->source, shape, impl_->table.read(*conn, shape));
    plan::DryRunInput in{.preview = p,
                         .source = impl_->source,
                         .table = impl_->table,
                         .progress = impl_->progress,
                         .shape = shape,
                         .table_upgrade = upgrade.statements(impl_->table),
                         .with_progress = {},
                         .made_at = fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(std::time(nullptr)))};
    for (const auto& e : p.status.plan.entries)
        if (e.progress) in.with_progress.push_back(e.migration);
    if (p.status.plan.baseline_progress && p.baseline) in.with_progress.push_back(&p.baseline->snapshot);
    plan::write_dry_run_script(in, write);
    return p;
}

std::vector<PlanEntry> Target::repair(const EventCallback& on_event) {
    auto conn = connect::Connection::open(impl_->url);
    auto lock = impl_->lock(on_event, nullptr);
    tracking::TableShape shape;
    Plan plan = impl_->read_plan(*conn, shape);
    std::vector<PlanEntry> repaired;
    for (const auto& e : plan.entries) {
        if (!e.hash_differs) continue;
        lock->check();
        conn->execute(fmt::format("update {} set hash = {} where id = {}", impl_->table.quoted(),
                                  tracking::sql_string_literal(e.migration->hash), e.row->id));
        repaired.push_back(e);
    }
    return repaired;
}

RevertReport Target::revert_deploy_request(std::optional<std::uint64_t> number, const EventCallback& on_event,
                                           const std::atomic<bool>* cancel) {
    const auto& dr = impl_->options.deploy_requests;
    if (!dr)
        throw error(errc::config_invalid,
                    fmt::format("reverting a deploy request needs PlanetScale's API (organization, database, service "
                                "token) configured for the target of {}",
                                impl_->url.redacted()));
    deploy::PlanetScaleClient client(dr->api);
    auto conn = connect::Connection::open(impl_->url);
    auto lock = impl_->lock_settled(conn, on_event, cancel);
    const std::string keyspace = deploy::keyspace_name(*dr, impl_->url);
    return deploy::revert_deploy_request(
        {client, *dr, keyspace, *conn, *lock, impl_->source, impl_->table, impl_->progress, on_event, cancel}, number);
}

std::size_t Target::mark_baseline(const std::string& through, const EventCallback& on_event) {
    const std::size_t last = impl_->position_of(through);
    auto conn = connect::Connection::open(impl_->url);
    auto lock = impl_->lock(on_event, nullptr);
    tracking::TableShape shape = impl_->table.inspect(*conn);
    const auto rows = impl_->table.read(*conn, shape);
    const auto in_progress = impl_->progress.read(*conn);
    if (!rows.empty() || !in_progress.empty())
        throw error(errc::history_exists,
                    fmt::format("{} already records {} migration{}{}: marking a baseline adopts a database that "
                                "records none. The target's status shows what is recorded",
                                impl_->table.name(), rows.size(), rows.size() == 1 ? "" : "s",
                                in_progress.empty() ? "" : " and a half-applied run"));
    if (!shape.exists) {
        conn->execute(impl_->table.create_statement(impl_->source.layout));
        shape = impl_->table.created_shape(impl_->source.layout);
    }
    lock->check();
    connect::Transaction tx(*conn);
    std::vector<const Migration*> covered;
    for (std::size_t i = 0; i <= last; ++i) covered.push_back(&impl_->source.migrations[i]);
    conn->execute(impl_->table.insert_statement(covered, shape));
    tx.commit();
    return last + 1;
}

void Target::resolve(const std::string& tag, Resolution resolution, const EventCallback& on_event) {
    if (resolution == Resolution::none)
        throw error(errc::internal, "Target::resolve needs a decision: Resolution::applied or Resolution::retry");
    auto conn = connect::Connection::open(impl_->url);
    auto lock = impl_->lock_settled(conn, on_event, nullptr);
    tracking::TableShape shape;
    Plan plan = impl_->read_plan(*conn, shape);
    for (const auto& e : plan.entries) {
        if (e.migration->tag != tag) continue;
        if (!e.progress || (!e.progress->in_flight && !e.progress->failed_statement))
            throw error(
                errc::nothing_to_resolve,
                fmt::format("{} has no statement waiting for a decision ({}); the target's status shows what "
                            "is half-applied",
                            tag, e.state == MigrationState::applied ? "it is applied" : "no run stopped in it"));
        conn->execute(impl_->progress.decide(e.migration->when, resolution));
        return;
    }
    throw error(errc::nothing_to_resolve,
                fmt::format("no migration with tag {} in {}", tag, impl_->source.dir.string()));
}

}  // namespace migrate
