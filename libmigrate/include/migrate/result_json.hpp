// Results as JSON text, the shapes the CLI's --json prints per target and the C API returns (field lists:
// docs/cli.md); built with the system nlohmann-json, which stays out of this header. Passwords are redacted.
#pragma once

#include <migrate/export.hpp>
#include <migrate/target.hpp>

#include <string>

namespace migrate {

// One target's status: url, transport, driver, server, table, counts, baseline, migrations, ...
MIGRATE_API std::string status_json(const Target& target, const Status& status);
// What `up` would do: url, transport, server, lock_holder, refused, baseline, has_ddl, migrations with
// their statements (index, line, kind, sql).
MIGRATE_API std::string preview_json(const UpPreview& preview);

}  // namespace migrate
