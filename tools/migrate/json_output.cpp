#include "json_output.hpp"

namespace cli {

Json error_json(const migrate::error& e) {
    const auto& c = e.context();
    auto opt = [](const auto& v) { return v ? Json(*v) : Json(); };
    return {{"code", migrate::to_string(e.code())},
            {"message", migrate::redact_url_text(e.what())},
            {"file", c.file.empty() ? Json() : Json(c.file)},
            {"line", opt(c.line)},
            {"statement", opt(c.statement)},
            {"tag", c.tag.empty() ? Json() : Json(c.tag)},
            {"errno", c.server_errno ? Json(c.server_errno) : Json()},
            {"sqlstate", c.sqlstate.empty() ? Json() : Json(c.sqlstate)},
            {"completion_unknown", c.completion_unknown}};
}

Json document(const std::string& command, Json targets, int exit_code) {
    return {{"version", 1}, {"command", command}, {"ok", exit_code == 0}, {"exit", exit_code}, {"targets", std::move(targets)}};
}

Json failure_document(const std::string& command, const migrate::error& e, int exit_code) {
    Json d = document(command, Json::array(), exit_code);
    d["error"] = error_json(e);
    return d;
}

Json status_json(const std::string& name, const migrate::Target& target, const migrate::Status& s) {
    const auto& plan = s.plan;
    Json migrations = Json::array();
    std::size_t changed = 0;
    for (const auto& e : plan.entries) {
        changed += e.hash_differs;
        Json partial;
        if (e.progress)
            partial = {{"statements_done", e.progress->statements_done},
                       {"statements_total", e.progress->statements_total},
                       {"in_flight", e.progress->in_flight ? Json(*e.progress->in_flight) : Json()},
                       {"failed_statement", e.progress->failed_statement ? Json(*e.progress->failed_statement) : Json()},
                       {"error_errno", e.progress->error_errno ? Json(e.progress->error_errno) : Json()},
                       {"error_message", e.progress->error_message.empty() ? Json() : Json(e.progress->error_message)},
                       {"decision", e.progress->decision.empty() ? Json() : Json(e.progress->decision)}};
        migrations.push_back({{"tag", e.migration->tag},
                              {"when", e.migration->when},
                              {"file", e.migration->file.string()},
                              {"statements", e.migration->statements.size()},
                              {"state", migrate::to_string(e.state)},
                              {"edited", e.hash_differs},
                              {"by_baseline", e.by_baseline},
                              {"partial", partial}});
    }
    Json rows = Json::array();
    for (const auto& r : plan.rows_without_file)
        rows.push_back({{"id", r.id}, {"created_at", r.created_at ? Json(*r.created_at) : Json()}, {"hash", r.hash}});
    Json baseline;
    if (const auto* b = target.baseline())
        baseline = {{"dir", b->dir.string()}, {"through", b->through}, {"migrations", b->covered.size()},
                    {"usable", b->usable()}, {"problems", b->problems}, {"loads", plan.from_baseline}};
    return {{"name", name},
            {"url", s.url},
            {"transport", migrate::to_string(s.transport)},
            {"driver", s.driver},
            {"server", s.server_version},
            {"table", s.table},
            {"table_exists", plan.table_exists},
            {"lock_holder", s.lock_holder.empty() ? Json() : Json(s.lock_holder)},
            {"applied", plan.count(migrate::MigrationState::applied)},
            {"pending", plan.count(migrate::MigrationState::pending)},
            {"out_of_order", plan.count(migrate::MigrationState::out_of_order)},
            {"changed", changed},
            {"partial", plan.partial().size() + (plan.baseline_progress ? 1 : 0)},
            {"rows_without_file", rows},
            {"unrecorded_tables", plan.unrecorded_tables},
            {"table_upgrade", plan.table_upgrade.empty() ? Json() : Json(plan.table_upgrade)},
            {"baseline", baseline},
            {"migrations", migrations}};
}

Json up_json(const std::string& name, const migrate::UpReport& r, Json steps) {
    return {{"name", name},
            {"ok", true},
            {"applied", r.migrations_applied},
            {"resumed", r.migrations_resumed},
            {"baseline_covered", r.baseline_covered},
            {"statements", r.statements_run},
            {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(r.duration).count()},
            {"steps", std::move(steps)}};
}

}  // namespace cli
