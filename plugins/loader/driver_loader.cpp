#include "driver_loader.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <cstddef>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>

namespace migrate::plugins {
namespace {

// The smallest migrate_driver_v1 the core can use: everything up to and including `close`.
constexpr std::size_t min_v1_size = offsetof(migrate_driver_v1, close) + sizeof(migrate_driver_v1::close);

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

void check_api(const migrate_driver_v1* api, const std::filesystem::path& file, std::string_view expected_name) {
    using R = DriverLoadError::Reason;
    if (api == nullptr)
        throw DriverLoadError(R::broken,
                              "driver " + quoted(file) + ": " MIGRATE_DRIVER_ENTRY_SYMBOL "() returned NULL");
    if (api->abi_version != MIGRATE_DRIVER_ABI_VERSION) {
        std::ostringstream msg;
        msg << "driver " << quoted(file) << " was built for driver ABI version " << api->abi_version
            << ", this libmigrate speaks version " << MIGRATE_DRIVER_ABI_VERSION
            << ": rebuild the driver against this libmigrate's plugins/include/migrate/driver.h";
        throw DriverLoadError(R::incompatible, msg.str());
    }
    if (api->struct_size < min_v1_size) {
        std::ostringstream msg;
        msg << "driver " << quoted(file) << " declares struct_size " << api->struct_size << ", smaller than the "
            << min_v1_size << " bytes of driver ABI version 1: rebuild the driver";
        throw DriverLoadError(R::incompatible, msg.str());
    }
    if (!api->open || !api->execute || !api->close || !api->server_version || !api->name || !api->transport)
        throw DriverLoadError(R::broken,
                              "driver " + quoted(file) + " leaves required entries of migrate_driver_v1 empty");
    if (!expected_name.empty() && expected_name != api->name)
        throw DriverLoadError(R::incompatible, "driver " + quoted(file) + " calls itself '" + api->name +
                                                   "', expected '" + std::string(expected_name) + "'");
}

}  // namespace

std::string driver_file_name(std::string_view name) {
    return "libmigrate-driver-" + std::string(name) + boost::dll::shared_library::suffix().string();
}

std::vector<std::filesystem::path> driver_search_path() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("MIGRATE_DRIVER_PATH"); env && *env) {
        std::string_view rest(env);
        while (!rest.empty()) {
            auto colon = rest.find(':');
            auto part = rest.substr(0, colon);
            if (!part.empty()) dirs.emplace_back(std::string(part));
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    // This code is linked into libmigrate, so "this line" is libmigrate's own file.
    boost::system::error_code ec;
    auto self = boost::dll::this_line_location(ec);
    if (!ec) {
        std::filesystem::path here = self.parent_path().string();
        dirs.push_back(here);
        dirs.push_back(here / "libmigrate");
    }
    dirs.emplace_back(MIGRATE_DRIVER_INSTALL_DIR);
    return dirs;
}

std::shared_ptr<const LoadedDriver> load_driver_file(const std::filesystem::path& file,
                                                     std::string_view expected_name) {
    using R = DriverLoadError::Reason;
    auto library = std::make_shared<boost::dll::shared_library>();
    boost::system::error_code ec;
    // rtld_now: a driver with unresolved symbols fails here, with the loader's reason, not mid-run.
    auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local;
#ifdef RTLD_NODELETE
    // A driver, once loaded, stays mapped until the process ends, and so do the libraries it pulls in:
    // their process-wide state -- Connector/C's once-only mysql_library_init, OpenSSL's -- cannot be torn
    // down safely while the host may use the same library itself, so unloading lost it, leaking it on
    // every load/unload cycle (found by LeakSanitizer, make test-sanitize). Boost.DLL passes POSIX modes
    // through to dlopen.
    mode = mode | static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
#endif
    library->load(boost::dll::fs::path(file.string()), mode, ec);
    if (ec) {
        const char* why = ::dlerror();
        throw DriverLoadError(
            R::broken, "driver " + quoted(file) + " could not be loaded: " + (why ? std::string(why) : ec.message()));
    }
    if (!library->has(MIGRATE_DRIVER_ENTRY_SYMBOL))
        throw DriverLoadError(R::incompatible, "driver " + quoted(file) +
                                                   " does not export " MIGRATE_DRIVER_ENTRY_SYMBOL
                                                   "(): it is not a libmigrate driver");
    auto entry = library->get<const migrate_driver_v1*()>(MIGRATE_DRIVER_ENTRY_SYMBOL);
    const migrate_driver_v1* api = entry();
    check_api(api, file, expected_name);

    auto loaded = std::make_shared<LoadedDriver>();
    loaded->api = api;
    loaded->file = file;
    loaded->library = std::move(library);
    return loaded;
}

std::shared_ptr<const LoadedDriver> load_driver(std::string_view name) {
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<const LoadedDriver>, std::less<>> cache;

    std::lock_guard lock(mutex);
    if (auto it = cache.find(name); it != cache.end())
        if (auto alive = it->second.lock()) return alive;

    const std::string file_name = driver_file_name(name);
    auto dirs = driver_search_path();
    for (const auto& dir : dirs) {
        std::error_code ec;
        auto candidate = dir / file_name;
        if (!std::filesystem::is_regular_file(candidate, ec)) continue;
        auto loaded = load_driver_file(candidate, name);
        cache[std::string(name)] = loaded;
        return loaded;
    }
    std::ostringstream msg;
    msg << "driver '" << name << "' not found: no " << file_name << " in";
    for (const auto& dir : dirs) msg << " " << quoted(dir);
    msg << " (set MIGRATE_DRIVER_PATH to the directory that holds it)";
    throw DriverLoadError(DriverLoadError::Reason::not_found, msg.str());
}

}  // namespace migrate::plugins
