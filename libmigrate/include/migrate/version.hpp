// Versions: the library, the driver ABI it speaks, and the driver plugins it can load.
#pragma once

#include <migrate/export.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace migrate {
MIGRATE_API std::string_view library_version() noexcept;  // e.g. "0.1.0"
MIGRATE_API unsigned driver_abi_version() noexcept;       // MIGRATE_DRIVER_ABI_VERSION this build speaks

// A driver plugin as the loader finds it now (`migrate version`).
struct DriverInfo {
    std::string name;     // e.g. "mysql2-like"
    std::string version;  // the driver's own version; "" when it could not be loaded
    std::string file;     // where it was loaded from
    std::string schemes;  // URL schemes it serves, comma-separated
    std::string error;    // why it could not be loaded, "" when it was
};
// The built-in drivers (one per transport, listed even when missing), then every other driver file in the
// driver search path, each loaded to read its version and schemes.
MIGRATE_API std::vector<DriverInfo> available_drivers();
}  // namespace migrate
