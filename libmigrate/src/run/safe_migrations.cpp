#include "safe_migrations.hpp"

#include "failure_advice.hpp"
#include "statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

namespace migrate::run {

std::string deploy_request_advice() {
    return "This branch has safe migrations on (PlanetScale refuses direct DDL on it). Configure deploy requests "
           "for this target (the PlanetScale organization, database and a service token; docs/planetscale.md) and "
           "the run carries each batch of DDL through a deploy request itself, running the DML here directly. "
           "Otherwise apply the migrations to a development branch, deploy it with a deploy request, and verify "
           "this branch afterwards. DML-only migrations may run here directly.";
}

std::optional<PendingDdl> first_ddl(const Plan& plan, const Baseline* baseline,
                                    const std::vector<const PlanEntry*>& entries) {
    auto scan = [](const Migration& m, std::size_t from) -> std::optional<PendingDdl> {
        for (std::size_t i = from; i < m.statements.size(); ++i) {
            const auto c = classify_statement(m.statements[i].sql);
            if (c == StatementClass::ddl || c == StatementClass::unknown) return PendingDdl{&m, i};
        }
        return std::nullopt;
    };
    if (baseline)
        if (auto d = scan(baseline->snapshot, plan.baseline_progress ? plan.baseline_progress->statements_done : 0))
            return d;
    for (const PlanEntry* e : entries)
        if (auto d = scan(*e->migration, e->progress ? e->progress->statements_done : 0)) return d;
    return std::nullopt;
}

void preflight_ddl(connect::Connection& conn, const tracking::ProgressTable& progress,
                   const std::optional<PendingDdl>& ddl) {
    if (!ddl) return;
    try {
        conn.execute(progress.create_statement());
    } catch (const error& e) {
        // A user without CREATE, or a read-only server: the first statement of the run says so, with the
        // server's errno and SQLSTATE like a migration's statement would, and what to do.
        if (auto advice = setup_failure_advice(e))
            throw error(e.code(),
                        fmt::format("creating {} (libmigrate's progress table, before any migration statement) failed: "
                                    "{} (errno {}{}). Nothing was run. {}",
                                    progress.name(), e.what(), e.server_errno(),
                                    e.sqlstate().empty() ? "" : ", sqlstate " + e.sqlstate(), *advice),
                        e.context());
        if (e.code() != errc::safe_migrations) throw;
        const Migration& m = *ddl->migration;
        error_context ctx = e.context();
        ctx.file = m.file.string();
        ctx.line = m.statements[ddl->statement].line;
        ctx.statement = ddl->statement;
        ctx.statements = m.statements.size();
        ctx.tag = m.tag;
        // The message first: it reads ctx, which the error then takes.
        const std::string message = fmt::format(
            "the server refuses DDL (\"{}\"), and {} holds DDL ({}:{}, statement {} of {}); nothing "
            "was run. {}",
            e.what(), m.tag, m.file.string(), ctx.line.value_or(0), ddl->statement + 1, m.statements.size(),
            deploy_request_advice());
        throw error(errc::safe_migrations, message, std::move(ctx));
    }
}

}  // namespace migrate::run
