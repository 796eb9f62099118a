// Finds, loads and checks driver plugins (see include/migrate/driver.h). Connections hold a shared_ptr to
// their LoadedDriver; the shared library itself is never unmapped once loaded (RTLD_NODELETE, see
// load_driver_file).
#pragma once

#include <migrate/driver.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::plugins {

struct LoadedDriver {
    const migrate_driver_v1* api = nullptr;
    std::filesystem::path file;
    std::shared_ptr<void> library;  // the boost::dll::shared_library, type-erased to keep Boost out of headers
};

// Why a driver could not be used. The message names the file (or every path searched) and the reason.
class DriverLoadError : public std::runtime_error {
  public:
    enum class Reason { not_found, incompatible, broken };
    DriverLoadError(Reason reason, const std::string& message) : std::runtime_error(message), reason_(reason) {}
    Reason reason() const noexcept { return reason_; }

  private:
    Reason reason_;
};

// File name of a driver: lib + "migrate-driver-" + name + platform suffix.
std::string driver_file_name(std::string_view name);

// Directories searched, in order: each entry of MIGRATE_DRIVER_PATH (':'-separated), the directory of
// libmigrate itself and its "libmigrate/" subfolder, then the install driver directory.
std::vector<std::filesystem::path> driver_search_path();

// Loads driver `name` (cached process-wide while in use). Throws DriverLoadError.
std::shared_ptr<const LoadedDriver> load_driver(std::string_view name);

// Loads the driver in one specific file (no search). Throws DriverLoadError.
std::shared_ptr<const LoadedDriver> load_driver_file(const std::filesystem::path& file, std::string_view expected_name);

// Every driver file of the search path as (file, driver name its file name promises): the first file of each
// name in search order, as load_driver would pick it. Nothing is loaded.
std::vector<std::pair<std::filesystem::path, std::string>> driver_files();

// Whether a driver lists `scheme` among its declared schemes (ASCII case-insensitive) and, unless
// `transport` is empty, declares that transport.
bool driver_serves(const migrate_driver_v1& api, std::string_view scheme, std::string_view transport);

// What the core asks for when it connects: a URL scheme, the transport the URL settled on ("" when the
// driver is to decide), and the built-in driver conventionally serving that pair ("" for a scheme the
// core does not know).
struct SchemeRequest {
    std::string_view scheme;
    std::string_view transport;
    std::string_view conventional_name;
};

// Loads the driver serving `request` (cached process-wide while in use). With a conventional name, that
// driver is loaded by name (load_driver) and must declare the scheme and transport; only when no file of
// that name exists are the directories scanned. Otherwise every libmigrate-driver-*.so of the search path
// is tried, directory by directory (files in name order), and the first that declares the scheme wins.
// Throws DriverLoadError: not_found names the scheme, every directory searched and each file that could not
// be loaded on the way.
std::shared_ptr<const LoadedDriver> load_driver_for_scheme(const SchemeRequest& request);

}  // namespace migrate::plugins
