// The JSON of verify, lint, repair, baseline create, errors and run_at_startup, shared by the CLI's --json
// and the C API (docs/cli.md, docs/lint.md, docs/c-api.md): one serializer per shape, so both say the same.
#include <migrate/result_json.hpp>

#include <migrate/version.hpp>

#include "error_object.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <system_error>

namespace migrate {
namespace {

using Json = nlohmann::ordered_json;

Json tracking_object(const TrackingReport& r) {
    Json problems = Json::array();
    for (const auto& p : r.problems)
        problems.push_back({{"kind", to_string(p.kind)},
                            {"tag", p.tag},
                            {"row_id", p.row_id ? Json(*p.row_id) : Json()},
                            {"expected", p.expected},
                            {"actual", p.actual},
                            {"message", p.message}});
    return {{"ok", r.ok()}, {"migrations", r.migrations}, {"rows", r.rows}, {"problems", problems}};
}

Json schema_object(const SchemaReport& r) {
    Json drift = Json::array();
    for (const auto& d : r.drift)
        drift.push_back({{"kind", to_string(d.kind)},
                         {"severity", to_string(d.severity)},
                         {"table", d.table},
                         {"name", d.name},
                         {"expected", d.expected},
                         {"actual", d.actual},
                         {"message", d.message}});
    return {{"ok", r.ok()}, {"snapshot", r.snapshot.string()}, {"tables", r.tables}, {"drift", drift}};
}

struct LintCounts {
    std::size_t errors = 0, warnings = 0, suppressed = 0;
    void add(const LintFinding& f) {
        if (f.suppressed)
            ++suppressed;
        else if (f.severity == LintSeverity::error)
            ++errors;
        else
            ++warnings;
    }
};

long long ms(std::chrono::nanoseconds d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

namespace json {

nlohmann::ordered_json error_object(errc code, std::string_view message, const error_context& c) {
    auto opt = [](const auto& v) { return v ? Json(*v) : Json(); };
    return {{"code", to_string(code)},
            {"message", redact_url_text(message)},
            {"file", c.file.empty() ? Json() : Json(c.file)},
            {"line", opt(c.line)},
            {"statement", opt(c.statement)},
            {"tag", c.tag.empty() ? Json() : Json(c.tag)},
            {"errno", c.server_errno ? Json(c.server_errno) : Json()},
            {"sqlstate", c.sqlstate.empty() ? Json() : Json(c.sqlstate)},
            {"completion_unknown", c.completion_unknown},
            {"http_status", c.http_status ? Json(c.http_status) : Json()},
            {"api_code", c.api_code.empty() ? Json() : Json(c.api_code)},
            {"remedy", c.fix == remedy::none ? Json() : Json(to_string(c.fix))}};
}

}  // namespace json

std::string error_json(errc code, std::string_view message, const error_context& context) {
    return json::error_object(code, message, context).dump();
}

std::string verify_json(const std::string& url, const TrackingReport& tracking, const SchemaReport* schema) {
    const bool ok = tracking.ok() && (!schema || schema->ok());
    Json j{{"url", url},
           {"tracking", tracking_object(tracking)},
           {"schema", schema ? schema_object(*schema) : Json()},
           {"ok", ok}};
    return j.dump();
}

std::string display_path(const std::filesystem::path& p) {
    std::error_code ec;
    auto shown = p.is_absolute() ? p.lexically_proximate(std::filesystem::current_path(ec)) : p.lexically_normal();
    return shown.generic_string();
}

std::string lint_json(const std::vector<LintedFolder>& folders) {
    Json doc;
    doc["schemaVersion"] = 1;
    doc["tool"] = {{"name", "migrate lint"}, {"version", std::string(library_version())}};
    LintCounts total;
    Json jfolders = Json::array(), jfindings = Json::array();
    for (const auto& folder : folders) {
        LintCounts c;
        for (const auto& f : folder.findings) c.add(f);
        jfolders.push_back({{"name", folder.name},
                            {"path", display_path(folder.dir)},
                            {"flavor", to_string(folder.options.flavor)},
                            {"sharded", folder.options.sharded},
                            {"foreignKeys", folder.options.foreign_keys},
                            {"errors", c.errors},
                            {"warnings", c.warnings},
                            {"suppressed", c.suppressed}});
        for (const auto& f : folder.findings) {
            total.add(f);
            jfindings.push_back({{"folder", folder.name},
                                 {"rule", f.rule},
                                 {"severity", to_string(f.severity)},
                                 {"file", display_path(f.file)},
                                 {"line", f.line ? Json(f.line) : Json(nullptr)},
                                 {"column", f.line ? Json(f.column) : Json(nullptr)},
                                 {"message", f.message},
                                 {"fix", f.fix},
                                 {"suppressed", f.suppressed},
                                 {"suppressionReason", f.suppressed ? Json(f.suppression_reason) : Json(nullptr)}});
        }
    }
    doc["folders"] = std::move(jfolders);
    doc["findings"] = std::move(jfindings);
    doc["summary"] = {{"errors", total.errors}, {"warnings", total.warnings}, {"suppressed", total.suppressed}};
    return doc.dump();
}

std::string repair_json(const std::vector<PlanEntry>& repaired) {
    Json rows = Json::array();
    for (const auto& e : repaired)
        if (e.migration && e.row)
            rows.push_back({{"tag", e.migration->tag},
                            {"row_id", e.row->id},
                            {"recorded_hash", e.row->hash},
                            {"file_hash", e.migration->hash}});
    return Json{{"repaired", rows}}.dump();
}

std::string baseline_create_json(const BaselineCreateReport& report) {
    return Json{{"dir", report.dir.string()},     {"through", report.through}, {"migrations", report.migrations},
                {"tables", report.tables},        {"views", report.views},     {"rows", report.rows},
                {"statements", report.statements}}
        .dump();
}

std::string startup_json(const StartupReport& r) {
    return Json{{"ok", r.ok},
                {"applied", r.applied},
                {"resumed", r.resumed},
                {"baseline_covered", r.baseline_covered},
                {"statements", r.statements_run},
                {"pending_before", r.pending_before},
                {"duration_ms", ms(r.duration)},
                {"validation_refused", r.validation_refused},
                {"error", r.error_code ? json::error_object(*r.error_code, r.error_message, r.context) : Json()}}
        .dump();
}

}  // namespace migrate
