// The deploy worker: one thread that moves every deployment one step per --deploy-step-ms, and the SQL
// of a deploy (lint, replay, cut-over, revert). It runs under the management mutex, so a request never
// sees a half-made step.
#include "api_error.hpp"
#include "management.hpp"

#include <algorithm>
#include <set>

namespace gateway::management {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int progress_step = 50;  // percent per step: pending → 0 → 50 → 100

// Where a table the log drops waits out the revert window.
std::string aside_name(long long number, const std::string& table) {
    return ("_gw_" + std::to_string(number) + "_" + table).substr(0, 64);
}

bool table_exists(AdminSql& sql, const std::string& database, const std::string& table) {
    return !sql.rows("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal(database) +
                     " AND TABLE_NAME = " + literal(table) + " AND TABLE_TYPE = 'BASE TABLE'")
                .empty();
}

std::vector<std::string> columns_of(AdminSql& sql, const std::string& database, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& r :
         sql.rows("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + literal(database) +
                  " AND TABLE_NAME = " + literal(table) + " ORDER BY ORDINAL_POSITION"))
        out.push_back(r[0].value_or(""));
    return out;
}

std::string column_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + ident(c);
    return out;
}

std::vector<std::string> common_columns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> out;
    for (const auto& c : a)
        if (std::find(b.begin(), b.end(), c) != b.end()) out.push_back(c);
    return out;
}

// A unique index whose columns are all NOT NULL (a PRIMARY KEY is one).
bool has_unique_not_null_key(AdminSql& sql, const std::string& database, const std::string& table) {
    return sql.scalar(
               "SELECT COUNT(*) FROM (SELECT s.INDEX_NAME FROM information_schema.STATISTICS s JOIN "
               "information_schema.COLUMNS c"
               " ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME"
               " WHERE s.TABLE_SCHEMA = " +
               literal(database) + " AND s.TABLE_NAME = " + literal(table) +
               " AND s.NON_UNIQUE = 0 GROUP BY s.INDEX_NAME HAVING SUM(c.IS_NULLABLE = 'YES') = 0) k") != "0";
}

}  // namespace

AdminSql& Management::admin() {
    if (!admin_) admin_ = std::make_unique<AdminSql>(config_);
    return *admin_;
}

void Management::worker_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto wake_at = SteadyClock::now() + std::chrono::milliseconds(200);
        const auto now = SteadyClock::now();
        for (auto& [n, d] : requests_) {
            if (d.next_step <= now) {
                try {
                    advance(d);
                } catch (const SqlFailure& e) {
                    admin_.reset();  // a fresh connection next time: this one may be gone
                    fail(d, DeployState::error, e.what());
                } catch (const std::exception& e) {
                    fail(d, DeployState::error, std::string("psdb-gateway: ") + e.what());
                }
            }
            if (d.next_step > now) wake_at = std::min(wake_at, d.next_step);
        }
        wake_.wait_until(lock, wake_at, [this] { return stopping_; });
    }
}

bool Management::queue_blocked(const DeployRequest& d) const {
    for (const auto& [n, e] : requests_)
        if (&e != &d && e.into_branch == d.into_branch && is_deploying(e.state) &&
            (e.state != DeployState::queued || e.queue_seq < d.queue_seq))
            return true;
    return false;
}

void Management::fail(DeployRequest& d, DeployState state, const std::string& message) {
    d.state = state;
    d.error_message = message;
    d.finished_at = WallClock::now();
    d.updated_at = WallClock::now();
    d.next_step = SteadyClock::time_point::max();
}

void Management::close_request(DeployRequest& d) {
    d.open = false;
    d.closed_at = WallClock::now();
    d.updated_at = WallClock::now();
}

void Management::advance(DeployRequest& d) {
    const auto idle = SteadyClock::time_point::max();
    const auto fault = faults_.deployments.find(d.number);
    auto fault_at = [&](DeployState at) -> std::optional<DeployState> {
        if (fault == faults_.deployments.end() || fault->second.at != at) return std::nullopt;
        return fault->second.becomes;
    };
    switch (d.state) {
        case DeployState::pending:
            lint(d);
            d.next_step = idle;
            d.updated_at = WallClock::now();
            return;
        case DeployState::queued: {
            if (queue_blocked(d)) {
                schedule(d);
                return;
            }
            const auto injected = fault_at(DeployState::in_progress);
            if (injected == DeployState::error)
                return fail(d, DeployState::error, "injected deployment fault at in_progress");
            d.state = DeployState::in_progress;
            d.started_at = WallClock::now();
            for (auto& o : d.operations) {
                o.state = OperationState::in_progress;
                o.progress = 0;
                o.updated_at = WallClock::now();
            }
            start_replay(d);
            if (injected) return fail(d, *injected, "injected deployment fault after the replay");
            schedule(d);
            return;
        }
        case DeployState::in_progress: {
            bool done = true;
            for (auto& o : d.operations) {
                o.progress = std::min(100, o.progress + progress_step);
                if (o.progress == 100) o.state = OperationState::complete;
                o.updated_at = WallClock::now();
                done = done && o.progress == 100;
            }
            if (!done) return schedule(d);
            if (d.instant_ddl) {
                d.cutover_at = WallClock::now();
                return finish(d);
            }
            d.state = d.auto_cutover ? DeployState::in_progress_cutover : DeployState::pending_cutover;
            if (d.auto_cutover)
                schedule(d);
            else
                d.next_step = idle;
            d.updated_at = WallClock::now();
            return;
        }
        case DeployState::in_progress_cutover: {
            const auto injected = fault_at(DeployState::in_progress_cutover);
            if (injected == DeployState::error)
                return fail(d, DeployState::error, "injected deployment fault at in_progress_cutover");
            cut_over(d);
            if (injected) return fail(d, *injected, "injected deployment fault after the cut-over");
            d.state = DeployState::complete_pending_revert;
            d.cutover_at = d.deployed_at = WallClock::now();
            d.updated_at = WallClock::now();
            d.revert_deadline = SteadyClock::now() + std::chrono::seconds(config_.revert_window_seconds);
            d.next_step = d.revert_deadline;
            return;
        }
        case DeployState::complete_pending_revert:
            if (SteadyClock::now() >= d.revert_deadline)
                finish(d);
            else
                d.next_step = d.revert_deadline;
            return;
        case DeployState::in_progress_revert:
            undo(d);
            d.state = DeployState::complete_revert;
            d.finished_at = WallClock::now();
            close_request(d);
            d.next_step = idle;
            return;
        case DeployState::in_progress_cancel:
            if (d.replayed) undo(d);
            d.state = DeployState::complete_cancel;
            d.finished_at = WallClock::now();
            close_request(d);
            d.next_step = idle;
            return;
        default: d.next_step = idle; return;
    }
}

void Management::lint(DeployRequest& d) {
    auto b = branches_.find(d.branch);
    d.statements = b == branches_.end() ? std::vector<std::string>{} : b->second.ddl_log;
    if (d.statements.empty()) {
        d.state = DeployState::no_changes;
        d.deployable = false;
        return;
    }
    d.operations = operations_of(d.statements);
    d.instant_ddl_eligible = true;
    std::set<std::string> checked;
    d.lint_errors = json::array();
    for (const auto& sql : d.statements) {
        const DdlStatement s = parse_ddl(sql);
        d.instant_ddl_eligible = d.instant_ddl_eligible && s.kind == DdlKind::alter_table && s.add_column_only;
        if (s.kind != DdlKind::create_table && s.kind != DdlKind::alter_table && s.kind != DdlKind::create_index)
            continue;
        for (const auto& t : s.tables) {
            if (!checked.insert(t).second || !table_exists(admin(), b->second.database, t)) continue;
            if (has_unique_not_null_key(admin(), b->second.database, t)) continue;
            d.lint_errors.push_back(
                {{"lint_error", "NO_UNIQUE_KEY"},
                 {"subject_type", "table"},
                 {"keyspace_name", config_.mysql_database},
                 {"table_name", t},
                 {"error_description",
                  "table \"" + t + "\" has no unique key: all tables must have at least one unique, not-null key"},
                 {"docs_url", "https://planetscale.com/docs/learn/deploy-requests"}});
        }
    }
    d.deployable = d.lint_errors.empty();
    d.state = DeployState::ready;
}

void Management::start_replay(DeployRequest& d) {
    AdminSql& sql = admin();
    const std::string& prod = branches_.at(d.into_branch).database;
    d.before.clear();
    for (const auto& stmt : d.statements)
        for (const auto& t : parse_ddl(stmt).tables) {
            if (d.before.count(t)) continue;
            TableBefore tb;
            tb.existed = table_exists(sql, prod, t);
            if (tb.existed) {
                tb.create_sql = sql.rows("SHOW CREATE TABLE " + ident(prod) + "." + ident(t)).at(0).at(1).value_or("");
                tb.columns = columns_of(sql, prod, t);
            }
            d.before.emplace(t, std::move(tb));
        }
    sql.exec("USE " + ident(prod));
    sql.exec("SET SESSION foreign_key_checks = 0");
    d.replayed = true;
    try {
        for (const auto& stmt : d.statements) {
            const DdlStatement s = parse_ddl(stmt);
            if (s.kind != DdlKind::drop_table) {
                sql.exec(stmt);
                continue;
            }
            // A table production had is renamed aside instead, so a revert can bring it back with its rows.
            for (const auto& t : s.tables) {
                TableBefore& tb = d.before[t];
                if (tb.existed && tb.aside.empty() && table_exists(sql, prod, t)) {
                    tb.aside = aside_name(d.number, t);
                    sql.exec("DROP TABLE IF EXISTS " + ident(tb.aside));
                    sql.exec("RENAME TABLE " + ident(t) + " TO " + ident(tb.aside));
                } else {
                    sql.exec("DROP TABLE IF EXISTS " + ident(t));
                }
            }
        }
    } catch (...) {
        try {
            sql.exec("SET SESSION foreign_key_checks = 1");
        } catch (...) {}
        throw;
    }
    sql.exec("SET SESSION foreign_key_checks = 1");
    // The branch's changes are production's now: a later deploy request from the same (long-lived) branch
    // carries only what the branch changes after this one, as PlanetScale's schema diff would.
    if (auto b = branches_.find(d.branch); b != branches_.end()) {
        auto& log = b->second.ddl_log;
        if (log.size() >= d.statements.size() && std::equal(d.statements.begin(), d.statements.end(), log.begin()))
            log.erase(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(d.statements.size()));
    }
}

void Management::cut_over(DeployRequest& d) {
    const std::string& table = config_.copy_migration_data;
    auto b = branches_.find(d.branch);
    if (table.empty() || b == branches_.end()) return;
    AdminSql& sql = admin();
    const std::string& prod = branches_.at(d.into_branch).database;
    if (!table_exists(sql, b->second.database, table) || !table_exists(sql, prod, table)) return;
    const auto cols = common_columns(columns_of(sql, prod, table), columns_of(sql, b->second.database, table));
    // INSERT IGNORE: rows production already has (by primary or unique key) stay as they are.
    sql.exec("INSERT IGNORE INTO " + ident(prod) + "." + ident(table) + " (" + column_list(cols) + ") SELECT " +
             column_list(cols) + " FROM " + ident(b->second.database) + "." + ident(table));
}

void Management::undo(DeployRequest& d) {
    AdminSql& sql = admin();
    const std::string& prod = branches_.at(d.into_branch).database;
    sql.exec("USE " + ident(prod));
    sql.exec("SET SESSION foreign_key_checks = 0");
    for (const auto& [t, tb] : d.before) {
        if (!tb.existed) {
            sql.exec("DROP TABLE IF EXISTS " + ident(t));
        } else if (!tb.aside.empty()) {
            sql.exec("DROP TABLE IF EXISTS " + ident(t));
            if (table_exists(sql, prod, tb.aside)) sql.exec("RENAME TABLE " + ident(tb.aside) + " TO " + ident(t));
        } else if (table_exists(sql, prod, t)) {
            // Rebuilt from its old definition, keeping the rows of the columns it had.
            const std::string rebuild = ("_gw_revert_" + t).substr(0, 64);
            std::string def = tb.create_sql;
            const std::string old_name = ident(t);
            if (auto p = def.find(old_name); p != std::string::npos) def.replace(p, old_name.size(), ident(rebuild));
            const auto cols = common_columns(tb.columns, columns_of(sql, prod, t));
            sql.exec("DROP TABLE IF EXISTS " + ident(rebuild));
            sql.exec(def);
            sql.exec("INSERT INTO " + ident(rebuild) + " (" + column_list(cols) + ") SELECT " + column_list(cols) +
                     " FROM " + ident(t));
            sql.exec("DROP TABLE " + ident(t));
            sql.exec("RENAME TABLE " + ident(rebuild) + " TO " + ident(t));
        } else {
            sql.exec(tb.create_sql);  // renamed away by the log: comes back empty
        }
    }
    sql.exec("SET SESSION foreign_key_checks = 1");
    // Production no longer has the branch's changes: a new deploy request from the branch carries them again.
    if (auto b = branches_.find(d.branch); b != branches_.end())
        b->second.ddl_log.insert(b->second.ddl_log.begin(), d.statements.begin(), d.statements.end());
}

void Management::finish(DeployRequest& d) {
    const std::string& prod = branches_.at(d.into_branch).database;
    for (const auto& [t, tb] : d.before)
        if (!tb.aside.empty()) {
            try {
                admin().exec("DROP TABLE IF EXISTS " + ident(prod) + "." + ident(tb.aside));
            } catch (const SqlFailure&) {
                admin_.reset();  // left behind under its _gw_ name
            }
        }
    d.state = DeployState::complete;
    d.finished_at = WallClock::now();
    if (!d.deployed_at) d.deployed_at = d.finished_at;
    close_request(d);
    d.next_step = SteadyClock::time_point::max();
    if (d.auto_delete_branch) drop_branch(d.branch);
}

}  // namespace gateway::management
