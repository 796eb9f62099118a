// --safe-migrations: which statements PlanetScale refuses with "direct DDL is disabled".
#pragma once

#include <string_view>

namespace gateway {

// True for CREATE, ALTER, DROP, RENAME and TRUNCATE statements, found as the first keyword after
// whitespace and comments (`-- `, `#`, `/* */`; the text of MySQL/MariaDB executable comments
// `/*! … */` and `/*M! … */` counts as code, as the server runs it). CREATE/DROP TEMPORARY TABLE are
// allowed: vitess sends them to the tablet without the DDL checks.
bool is_direct_ddl(std::string_view sql);

}  // namespace gateway
