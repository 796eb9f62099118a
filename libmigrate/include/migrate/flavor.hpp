// Which server family a target runs on: what its SQL accepts differs (docs/lint.md, docs/compatibility.md).
#pragma once

#include <migrate/export.hpp>

#include <optional>
#include <string_view>

namespace migrate {

enum class Flavor { mysql, mariadb, vitess, planetscale };

MIGRATE_API std::string_view to_string(Flavor f) noexcept;
// "mysql", "mariadb", "vitess", "planetscale"; nullopt for anything else.
MIGRATE_API std::optional<Flavor> parse_flavor(std::string_view name) noexcept;

}  // namespace migrate
