// Target ties the stages together: source → connect → lock → tracking → plan → validate → run.
#include "connect/connection.hpp"
#include "run/apply.hpp"
#include "run/lock.hpp"
#include "tracking/progress_table.hpp"
#include "tracking/tracking_table.hpp"
#include "tracking/v0_table_upgrade.hpp"

#include <migrate/error.hpp>
#include <migrate/target.hpp>

#include <fmt/format.h>

namespace migrate {

struct Target::Impl {
    TargetOptions options;
    Source source;
    ConnectionUrl url;
    tracking::TrackingTable table;
    tracking::ProgressTable progress{table};

    // What the database says now: tracking rows and progress, as a plan. A 0.x table under a 1.0 folder is
    // planned as it will read once `up` has upgraded it (plan.table_upgrade says so).
    Plan read_plan(connect::Connection& conn, tracking::TableShape& shape) const {
        shape = table.inspect(conn);
        const auto rows = table.read(conn, shape);
        const auto upgrade = tracking::plan_v0_upgrade(source, shape, rows);
        Plan plan = make_plan(source, upgrade.rows_after(rows), shape.exists, progress.read(conn));
        plan.table_upgrade = upgrade.describe(table);
        return plan;
    }

    std::unique_ptr<run::MigrationLock> lock(const EventCallback& on_event, const std::atomic<bool>* cancel) const {
        return run::MigrationLock::acquire(url, table, options, on_event, cancel);
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
        throw error(errc::url_invalid,
                    fmt::format("connection URL {} names no database: add it as the path, "
                                "mysql://user:password@host:port/DATABASE",
                                url.redacted()));
    if (options.lock_timeout.count() < 0) throw error(errc::url_invalid, "the lock timeout cannot be negative");
    if (options.lease_ttl.count() < 3) throw error(errc::url_invalid, "the lease ttl must be at least 3 seconds");
    Source source = read_migrations_folder(options.migrations_dir);
    auto impl = std::make_unique<Impl>(Impl{std::move(options), std::move(source), std::move(url), std::move(table)});
    return Target(std::move(impl));
}

const Source& Target::source() const { return impl_->source; }
const ConnectionUrl& Target::url() const { return impl_->url; }

Status Target::status() {
    auto conn = connect::Connection::open(impl_->url);
    Status s;
    s.url = impl_->url.redacted();
    s.transport = impl_->url.transport;
    s.driver = fmt::format("{} {}", conn->driver().api->name, conn->driver().api->version ? conn->driver().api->version : "");
    s.server_version = conn->server_version();
    s.table = impl_->table.name();
    tracking::TableShape shape;
    s.plan = impl_->read_plan(*conn, shape);
    s.lock_holder = run::describe_lock_holder(*conn, impl_->table, impl_->options.lock_mode, impl_->url.database);
    return s;
}

UpReport Target::up(const EventCallback& on_event, const UpOptions& options) {
    auto conn = connect::Connection::open(impl_->url);
    tracking::TableShape shape;
    {
        // Fast path for the common start-up: nothing to apply needs no lock (a concurrent run can only
        // apply more, never make something pending), so N replicas with nothing to do never contend.
        Plan before = impl_->read_plan(*conn, shape);
        if (shape.exists && before.table_upgrade.empty() && before.to_apply(options.allow_out_of_order).empty()) {
            validate_plan(before, {.allow_out_of_order = options.allow_out_of_order, .allow_missing = options.allow_missing});
            UpReport report;
            report.plan_before = std::move(before);
            return report;
        }
    }
    auto lock = impl_->lock(on_event, options.cancel);
    // Under the lock, read again: another replica may have applied everything while we waited. The table
    // is created only when missing: a PlanetScale safe-migrations branch refuses even CREATE … IF NOT EXISTS.
    if (!impl_->table.inspect(*conn).exists) conn->execute(impl_->table.create_statement(impl_->source.layout));
    tracking::upgrade_v0_table(*conn, impl_->table, impl_->source);  // drizzle 1.0's, when the table needs it
    Plan plan = impl_->read_plan(*conn, shape);
    validate_plan(plan, {.allow_out_of_order = options.allow_out_of_order, .allow_missing = options.allow_missing});
    run::RunContext ctx{*conn, impl_->table, impl_->progress, shape, *lock, on_event, options.cancel};
    return run::apply_plan(ctx, std::move(plan), options);
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

void Target::resolve(const std::string& tag, bool applied, const EventCallback& on_event) {
    auto conn = connect::Connection::open(impl_->url);
    auto lock = impl_->lock(on_event, nullptr);
    tracking::TableShape shape;
    Plan plan = impl_->read_plan(*conn, shape);
    for (const auto& e : plan.entries) {
        if (e.migration->tag != tag) continue;
        if (!e.progress || (!e.progress->in_flight && !e.progress->failed_statement))
            throw error(errc::nothing_to_resolve,
                        fmt::format("{} has no statement waiting for a decision ({}); `migrate status` shows what is "
                                    "half-applied",
                                    tag, e.state == MigrationState::applied ? "it is applied" : "no run stopped in it"));
        conn->execute(impl_->progress.decide(e.migration->when, applied ? "applied" : "retry"));
        return;
    }
    throw error(errc::nothing_to_resolve, fmt::format("no migration with tag {} in {}", tag, impl_->source.dir.string()));
}

}  // namespace migrate
