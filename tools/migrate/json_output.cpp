#include "json_output.hpp"

#include <migrate/result_json.hpp>

#include <cstdio>

namespace cli {

// The library's shape (one for every JSON output: the C API's, the log lines'), kept in field order.
Json error_object(const migrate::error& e) { return Json::parse(migrate::error_json(e.code(), e.what(), e.context())); }

Json document(const std::string& command, Json targets, int exit_code) {
    return {{"version", 1},
            {"command", command},
            {"ok", exit_code == 0},
            {"exit", exit_code},
            {"targets", std::move(targets)}};
}

Json failure_document(const std::string& command, const migrate::error& e, int exit_code) {
    Json d = document(command, Json::array(), exit_code);
    d["error"] = error_object(e);
    return d;
}

void print_single_document(const std::string& command, Json entry) {
    std::printf("%s\n", document(command, Json::array({std::move(entry)}), 0).dump(2).c_str());
}

Json status_json(const std::string& name, const migrate::Target& target, const migrate::Status& s) {
    Json j{{"name", name}};
    j.update(Json::parse(migrate::status_json(target, s)));  // the library's shape, shared with the C API
    return j;
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
