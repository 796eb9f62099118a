// `migrate status`: applied, pending and half-applied migrations per target; changes nothing.
#include "commands.hpp"
#include "run_choices.hpp"

#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <memory>

namespace cli {
namespace {

struct StatusArgs {
    bool verbose = false;
    RunChoices run;
};

// "through 0042_x (42 migrations)", with what `up` will do with it.
std::string baseline_summary(const migrate::Baseline* b, const migrate::Plan& plan) {
    if (!b) return "-";
    std::string s = fmt::format("through {}", b->through);
    if (!b->usable()) return s + " (stale)";
    if (plan.from_baseline) return s + " (up loads it)";
    return s;
}

std::string resolved_as(const migrate::PartialRun& p) {
    if (p.resolution == migrate::Resolution::none) return "";
    return fmt::format("; resolved as {}", migrate::to_string(p.resolution));
}

// Where a half-applied migration stopped and why; and when the file changed within what already ran.
void print_partial(const migrate::Migration& m, const migrate::PartialRun& p) {
    fmt::print("  partial {}: {} of {} statements done", m.tag, p.statements_done, p.statements_total);
    if (p.in_flight && *p.in_flight < m.statements.size())
        fmt::print("; statement {} ({}:{}) was in flight when the run stopped{}", *p.in_flight + 1, m.file.string(),
                   m.statements[*p.in_flight].line, resolved_as(p));
    if (p.failed_statement && *p.failed_statement < m.statements.size())
        fmt::print("; statement {} ({}:{}) failed: errno {} {}{}", *p.failed_statement + 1, m.file.string(),
                   m.statements[*p.failed_statement].line, p.error_errno,
                   p.error_message.substr(0, p.error_message.find('\n')), resolved_as(p));
    fmt::print(" (last progress {})\n", p.updated_at);
    if (p.done_statements_edited)
        fmt::print(
            "  partial {}: the file was edited within the {} statement(s) already run; `up` refuses to resume "
            "until they are restored\n",
            m.tag, p.statements_done);
}

int status_one(const migrate::TargetConfig& t, const StatusArgs& args) {
    auto target = migrate::Target::open(t.options());
    auto s = target.status();
    const auto& plan = s.plan;
    fmt::print("target     {}\n", s.url);
    fmt::print("transport  {}, driver {}, server {}\n", migrate::to_string(s.transport), s.driver, s.server_version);
    fmt::print("folder     {}, {} migrations\n", t.migrations_dir.string(), target.source().migrations.size());
    if (plan.table_exists)
        fmt::print(
            "table      {}, {} rows, newest created_at {}\n", s.table,
            plan.count(migrate::MigrationState::applied) + plan.rows_without_file.size() + plan.duplicate_rows.size(),
            plan.newest_created_at ? std::to_string(*plan.newest_created_at) : "none");
    else
        fmt::print("table      {} (not created yet)\n", s.table);
    if (!s.table_upgrade.empty()) fmt::print("upgrade    {}\n", s.table_upgrade);
    fmt::print("lock       {}\n", s.lock_holder.empty() ? "free" : "held by " + s.lock_holder);
    for (const auto& d : s.deploy_requests)
        fmt::print("deploy     #{} from {}: {}{}\n", d.number, d.branch, d.deployment_state,
                   d.html_url.empty() ? "" : "  " + d.html_url);
    if (!s.deploy_requests_error.empty())
        fmt::print("deploy     cannot read deploy requests: {}\n", s.deploy_requests_error);
    if (const auto* b = target.baseline()) {
        fmt::print("baseline   {}, {} migrations through {}{}\n", b->dir.string(), b->covered.size(), b->through,
                   plan.from_baseline ? "; the database is empty, so `up` loads it first" : "");
        for (const auto& p : b->problems) fmt::print("           stale: {}\n", p);
    }
    if (!plan.unrecorded_tables.empty())
        fmt::print(
            "warning    the database has {} table(s) but records no migration: `up` refuses it until it is "
            "adopted with `migrate baseline mark --through TAG` (or --allow-dirty)\n",
            plan.unrecorded_tables.size());

    std::size_t changed = 0;
    for (const auto& e : plan.entries) changed += e.hash_differs ? 1 : 0;
    const auto applied = plan.count(migrate::MigrationState::applied);
    const auto pending = plan.count(migrate::MigrationState::pending);
    const auto skipped = plan.count(migrate::MigrationState::out_of_order);
    fmt::print("\napplied {}, pending {}", applied, pending);
    if (skipped) fmt::print(", out of order {}", skipped);
    if (changed) fmt::print(", changed {}", changed);
    if (!plan.rows_without_file.empty()) fmt::print(", rows without file {}", plan.rows_without_file.size());
    if (!plan.duplicate_rows.empty()) fmt::print(", duplicate rows {}", plan.duplicate_rows.size());
    const std::size_t partial = plan.partial().size() + (plan.baseline_progress ? 1 : 0);
    if (partial) fmt::print(", partially applied {}", partial);
    fmt::print("\n");
    if (plan.baseline_progress && target.baseline())
        print_partial(target.baseline()->snapshot, *plan.baseline_progress);
    for (const auto* e : plan.partial()) print_partial(*e->migration, *e->progress);

    bool header = false;
    for (const auto& e : plan.entries) {
        bool show = args.verbose || e.state != migrate::MigrationState::applied || e.hash_differs;
        if (!show) continue;
        if (!header) {
            fmt::print("\n  {:<40} {:>15} {:>10}  {}\n", "migration", "when", "statements", "state");
            header = true;
        }
        std::string state(migrate::to_string(e.state));
        if (e.progress) state += " (partially applied)";
        if (e.by_baseline) state += " (recorded by the baseline)";
        if (e.hash_differs) state += " (file edited since it was applied)";
        if (e.state == migrate::MigrationState::out_of_order)
            state += " (older than the newest applied; drizzle skips it)";
        fmt::print("  {:<40} {:>15} {:>10}  {}\n", e.migration->tag, e.migration->when, e.migration->statements.size(),
                   state);
    }
    for (const auto& r : plan.rows_without_file)
        fmt::print("  row id {} created_at {} hash {}: no journal entry has this `when`\n", r.id,
                   r.created_at ? std::to_string(*r.created_at) : "NULL", r.hash.substr(0, 12));
    for (const auto& d : plan.duplicate_rows) fmt::print("warning    {}\n", migrate::describe_duplicate(d, s.table));
    return exit_ok;
}

// Several targets (or --json): one aligned table, or one document.
int status_many(const std::vector<migrate::TargetConfig>& targets, const GlobalOptions& g) {
    std::vector<std::vector<std::string>> rows(targets.size());
    std::vector<int> codes(targets.size(), exit_ok);
    std::vector<Json> docs(targets.size());
    parallel_for(targets.size(), g.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        try {
            auto target = migrate::Target::open(t.options());
            auto s = target.status();
            docs[i] = status_json(t.name, target, s);
            std::size_t changed = 0;
            for (const auto& e : s.plan.entries) changed += e.hash_differs ? 1 : 0;
            rows[i] = {t.name,
                       std::string(migrate::to_string(s.transport)),
                       std::to_string(s.plan.count(migrate::MigrationState::applied)),
                       std::to_string(s.plan.count(migrate::MigrationState::pending)),
                       std::to_string(changed),
                       std::to_string(s.plan.partial().size() + (s.plan.baseline_progress ? 1 : 0)),
                       baseline_summary(target.baseline(), s.plan),
                       s.lock_holder.empty() ? "free" : s.lock_holder};
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            docs[i] = {{"name", t.name}, {"error", error_object(e)}};
            rows[i] = {t.name, "-", "-", "-", "-", "-", "-", error_summary(e)};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            rows[i] = {t.name, "-", "-", "-",
                       "-",    "-", "-", "internal error: " + first_line(migrate::redact_url_text(e.what()))};
        }
    });
    const int code = *std::max_element(codes.begin(), codes.end());
    if (g.json) {
        fmt::print("{}\n", document("status", Json(docs), code).dump(2));
        return code;
    }
    print_table({"target", "transport", "applied", "pending", "changed", "partial", "baseline", "lock holder"}, rows);
    return code;
}

}  // namespace

Command add_status_command(CLI::App& app, GlobalOptions& g) {
    auto args = std::make_shared<StatusArgs>();
    auto* sub = app.add_subcommand("status", "show applied, pending and half-applied migrations; changes nothing");
    sub->footer(
        "Examples:\n  migrate status --url mysql://app:secret@db:3306/app --dir drizzle\n"
        "  migrate status -v --keyspace oi_claims\n  migrate status --all --json");
    add_global_options(sub, g, TargetPolicy::several, JsonOutput::document);
    sub->add_flag("-v,--verbose", args->verbose, "list every migration, not only those needing attention");
    add_run_choices(sub, args->run, RunGroup::planetscale_api | RunGroup::no_baseline);
    return {.app = sub, .name = "status", .targets = TargetPolicy::several, .run = [args](const Invocation& in) {
                const auto targets = targets_with(args->run, in);
                if (in.several() || in.global.json) return status_many(targets, in.global);
                return status_one(targets.front(), *args);
            }};
}

}  // namespace cli
