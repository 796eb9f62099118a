#pragma once

#include <migrate/export.hpp>

#include <string_view>

namespace migrate {
MIGRATE_API std::string_view library_version() noexcept;   // e.g. "0.1.0"
MIGRATE_API unsigned driver_abi_version() noexcept;        // MIGRATE_DRIVER_ABI_VERSION this build speaks
}  // namespace migrate
