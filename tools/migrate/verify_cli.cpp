#include "verify_cli.hpp"

#include "cli_common.hpp"
#include "json_output.hpp"

#include <migrate/migrate.hpp>
#include <migrate/result_json.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>

namespace cli {
namespace {

using Json = nlohmann::ordered_json;

struct Outcome {
    int code = exit_ok;
    std::string text;  // human output
    Json json;         // this target's entry in the JSON document
};

std::string tracking_text(const migrate::TrackingReport& r, const std::string& table) {
    std::string s = fmt::format("tracking  {}: {} migrations in the folder, {} rows", table, r.migrations, r.rows);
    if (r.ok()) return s + ": ok, every migration recorded with its file's hash, no unknown rows";
    s += fmt::format(": {} problem{}", r.problems.size(), r.problems.size() == 1 ? "" : "s");
    for (const auto& p : r.problems) s += "\n  - " + p.message;
    return s;
}

std::string schema_text(const migrate::SchemaReport& r) {
    std::size_t drift = 0;
    for (const auto& d : r.drift) drift += d.severity == migrate::SchemaDrift::Severity::drift ? 1 : 0;
    std::string s = fmt::format("schema    against {} ({} tables): ", r.snapshot.string(), r.tables);
    s += drift ? fmt::format("DRIFT, {} difference{}", drift, drift == 1 ? "" : "s") : std::string("ok, no drift");
    for (const auto& d : r.drift)
        if (d.severity == migrate::SchemaDrift::Severity::drift) s += "\n  - " + d.message;
    for (const auto& d : r.drift)
        if (d.severity == migrate::SchemaDrift::Severity::notice) s += "\n  notice: " + d.message;
    return s;
}

Outcome verify_one(const migrate::TargetConfig& t, const VerifyArgs& args) {
    auto target = migrate::Target::open(t.options());
    const auto status = target.status();
    const auto tracking = migrate::verify_tracking(status);
    Outcome o;
    o.text = tracking_text(tracking, status.table);
    bool ok = tracking.ok();
    std::optional<migrate::SchemaReport> schema;
    if (args.schema) {
        schema = migrate::verify_schema(target, &status);
        o.text += "\n" + schema_text(*schema);
        ok = ok && schema->ok();
    }
    o.code = ok ? exit_ok : exit_failed;
    // The library's shape, shared with the C API's migrate_target_verify_json.
    o.json = {{"name", t.name}};
    o.json.update(Json::parse(migrate::verify_json(status.url, tracking, schema ? &*schema : nullptr)));
    return o;
}

int run_json(const std::vector<migrate::TargetConfig>& targets, const VerifyArgs& args) {
    std::vector<Json> entries(targets.size());
    std::vector<int> codes(targets.size(), exit_ok);
    parallel_for(targets.size(), args.jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        Json error;
        try {
            auto o = verify_one(t, args);
            codes[i] = o.code;
            entries[i] = std::move(o.json);
            entries[i]["exit"] = codes[i];
            return;
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            error = {{"code", migrate::to_string(e.code())}, {"message", migrate::redact_url_text(e.what())}};
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            error = {{"code", "internal"}, {"message", migrate::redact_url_text(e.what())}};
        }
        entries[i] = {{"name", t.name}, {"ok", false}, {"exit", codes[i]}, {"error", error}};
    });
    const int worst = *std::max_element(codes.begin(), codes.end());
    Json doc = document("verify", Json(entries), worst);
    fmt::print("{}\n", doc.dump(2));
    return worst;
}

}  // namespace

int run_verify(const std::vector<migrate::TargetConfig>& targets, const VerifyArgs& args) {
    if (args.json) return run_json(targets, args);
    return for_each_target(targets, args.jobs, [&](const migrate::TargetConfig& t, auto say) {
        auto o = verify_one(t, args);
        say(stdout, o.text);
        return o.code;
    });
}

}  // namespace cli
