// The JSON of status and preview, shared by the CLI's --json and the C API (docs/cli.md).
#include <migrate/result_json.hpp>

#include <nlohmann/json.hpp>

namespace migrate {
namespace {

using Json = nlohmann::ordered_json;

// table, rows, bytes, algorithm, algorithm_reason of a pending statement (docs/online-ddl.md).
void add_cost(Json& j, const migrate::StatementCost& c) {
    j["table"] = c.table.empty() ? Json(nullptr) : Json(c.table);
    j["rows"] = c.size ? Json(c.size->rows) : Json(nullptr);
    j["bytes"] = c.size ? Json(c.size->bytes) : Json(nullptr);
    j["algorithm"] = migrate::to_string(c.algorithm);
    j["algorithm_reason"] = c.reason;
}

// Open deploy requests from the target's development branches (empty without deploy requests configured).
Json deploy_requests_json(const migrate::Status& s) {
    if (s.deploy_requests.empty() && s.deploy_requests_error.empty()) return Json::array();
    Json list = Json::array();
    for (const auto& d : s.deploy_requests)
        list.push_back({{"number", d.number},
                        {"branch", d.branch},
                        {"deployment_state", d.deployment_state},
                        {"html_url", d.html_url}});
    if (!s.deploy_requests_error.empty())
        list.push_back({{"error", migrate::redact_url_text(s.deploy_requests_error)}});
    return list;
}

Json status_object(const migrate::Target& target, const migrate::Status& s) {
    const auto& plan = s.plan;
    Json migrations = Json::array();
    std::size_t changed = 0;
    for (const auto& e : plan.entries) {
        changed += e.hash_differs;
        Json partial;
        if (e.progress)
            partial = {
                {"statements_done", e.progress->statements_done},
                {"statements_total", e.progress->statements_total},
                {"in_flight", e.progress->in_flight ? Json(*e.progress->in_flight) : Json()},
                {"failed_statement", e.progress->failed_statement ? Json(*e.progress->failed_statement) : Json()},
                {"error_errno", e.progress->error_errno ? Json(e.progress->error_errno) : Json()},
                {"error_message", e.progress->error_message.empty() ? Json() : Json(e.progress->error_message)},
                {"decision", e.progress->resolution == migrate::Resolution::none
                                 ? Json()
                                 : Json(migrate::to_string(e.progress->resolution))},
                {"done_statements_edited", e.progress->done_statements_edited}};
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
    Json duplicates = Json::array();
    for (const auto& d : plan.duplicate_rows)
        duplicates.push_back({{"id", d.row.id},
                              {"duplicate_of", d.original_id},
                              {"tag", d.migration ? Json(d.migration->tag) : Json()},
                              {"created_at", d.row.created_at ? Json(*d.row.created_at) : Json()},
                              {"hash", d.row.hash},
                              {"message", describe_duplicate(d, s.table)}});
    Json baseline;
    if (const auto* b = target.baseline())
        baseline = {{"dir", b->dir.string()}, {"through", b->through},   {"migrations", b->covered.size()},
                    {"usable", b->usable()},  {"problems", b->problems}, {"loads", plan.from_baseline}};
    Json pending = Json::array();
    for (const auto& ps : s.pending_statements) {
        Json st{{"tag", ps.migration->tag},
                {"file", ps.migration->file.string()},
                {"index", ps.index},
                {"line", ps.migration->statements[ps.index].line}};
        add_cost(st, ps.cost);
        pending.push_back(std::move(st));
    }
    return {{"url", s.url},
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
            {"duplicate_rows", duplicates},
            {"unrecorded_tables", plan.unrecorded_tables},
            {"table_upgrade", s.table_upgrade.empty() ? Json() : Json(s.table_upgrade)},
            {"baseline", baseline},
            {"migrations", migrations},
            {"pending_statements", pending},
            {"deploy_requests", deploy_requests_json(s)}};
}

Json preview_object(const migrate::UpPreview& p, bool with_sql) {
    const auto& s = p.status;
    Json j;
    j["url"] = s.url;
    j["transport"] = migrate::to_string(s.transport);
    j["server"] = s.server_version;
    j["lock_holder"] = s.lock_holder.empty() ? Json(nullptr) : Json(s.lock_holder);
    j["table_upgrade"] = s.table_upgrade.empty() ? Json(nullptr) : Json(s.table_upgrade);
    j["refused"] =
        p.refusal.empty()
            ? Json(nullptr)
            : Json{{"code", migrate::to_string(*p.refusal_code)},
                   {"message", migrate::redact_url_text(p.refusal)},
                   {"remedy",
                    p.refusal_fix == migrate::remedy::none ? Json() : Json(migrate::to_string(p.refusal_fix))}};
    j["baseline"] = p.baseline ? Json{{"dir", p.baseline->dir.string()},
                                      {"through", p.baseline->through},
                                      {"migrations", p.baseline->covered.size()}}
                               : Json(nullptr);
    j["has_ddl"] = p.has_ddl;
    Json steps = Json::array();
    for (const auto& m : p.migrations) {
        Json statements = Json::array();
        for (const auto& st : m.statements) {
            statements.push_back(
                with_sql ? Json{{"index", st.index},
                                {"line", st.line},
                                {"kind", migrate::to_string(st.kind)},
                                {"sql", m.migration->statements[st.index].sql}}
                         : Json{{"index", st.index}, {"line", st.line}, {"kind", migrate::to_string(st.kind)}});
            add_cost(statements.back(), st.cost);
            if (p.through_deploy_requests)
                statements.back()["deploy_request"] = st.deploy_request ? Json(st.deploy_request) : Json(nullptr);
        }
        steps.push_back({{"tag", m.migration->tag},
                         {"file", m.migration->file.string()},
                         {"resumes_at", m.first_statement ? Json(m.first_statement) : Json(nullptr)},
                         {"statements", std::move(statements)}});
    }
    j["migrations"] = std::move(steps);
    if (p.through_deploy_requests) {
        Json drs = Json::array();
        for (const auto& d : p.deploy_requests)
            drs.push_back(
                {{"branch", d.branch}, {"statements", d.statements}, {"creates_libmigrate_tables", d.with_setup}});
        j["deploy_requests"] = std::move(drs);
    } else {
        j["deploy_requests"] = nullptr;
    }
    return j;
}

}  // namespace

std::string status_json(const Target& target, const Status& status) { return status_object(target, status).dump(); }
std::string preview_json(const UpPreview& preview) { return preview_object(preview, true).dump(); }
std::string preview_json(const UpPreview& preview, bool with_sql) { return preview_object(preview, with_sql).dump(); }

}  // namespace migrate
