// --json: one document per command on stdout, {"version": 1, "command", "ok", "exit", ...} (docs/cli.md).
// The schema is versioned: fields are only ever added within a version.
#pragma once

#include <migrate/migrate.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace cli {

using Json = nlohmann::ordered_json;

// {"code", "message", "file", "line", "statement", "tag", "errno", "sqlstate", "completion_unknown"}; redacted.
Json error_object(const migrate::error& e);
// A whole document for a command that failed before producing anything else.
Json failure_document(const std::string& command, const migrate::error& e, int exit_code);
// The document around per-target entries; ok/exit from the worst exit code.
Json document(const std::string& command, Json targets, int exit_code);

// Prints {"version":1,"command":…,"ok":true,"exit":0,"targets":[entry]} for one-target commands.
void print_single_document(const std::string& command, Json entry);

// One target of `status`.
Json status_json(const std::string& name, const migrate::Target& target, const migrate::Status& s);
// One target of `up`; steps are filled in by the caller from migration_finished events.
Json up_json(const std::string& name, const migrate::UpReport& r, Json steps);

}  // namespace cli
