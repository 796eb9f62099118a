// Results as JSON text, the shapes the CLI's --json prints per target and the C API returns (field lists:
// docs/cli.md); built with the system nlohmann-json, which stays out of this header. Passwords are redacted.
#pragma once

#include <migrate/export.hpp>
#include <migrate/target.hpp>

#include <string>

namespace migrate {

// An error: code, message, file, line, statement, tag, errno, sqlstate, completion_unknown, http_status,
// api_code, remedy (null where the error has nothing to say).
MIGRATE_API std::string error_json(const error& e);

// One target's status: url, transport, driver, server, table, counts, baseline, migrations, ...
MIGRATE_API std::string status_json(const Target& target, const Status& status);
// What `up` would do: url, transport, server, lock_holder, refused, baseline, has_ddl, migrations with
// their statements (index, line, kind, sql).
MIGRATE_API std::string preview_json(const UpPreview& preview);
// The same without each statement's "sql": for a caller that writes the statements' text itself, from
// preview.migrations[k].migration->statements[index].sql, instead of holding it in the document (a
// migration of hundreds of MB would be copied into it; docs/benchmarks.md, big-file).
MIGRATE_API std::string preview_json(const UpPreview& preview, bool with_sql);

}  // namespace migrate
