#include "driver_loader.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
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

namespace {

// Drivers in use, by name, and the driver each scheme request was last answered with. Weak: a driver no
// connection uses may be looked up again (its library stays mapped, so that is cheap).
struct Registry {
    std::mutex mutex;
    std::map<std::string, std::weak_ptr<const LoadedDriver>, std::less<>> by_name;
    std::map<std::string, std::weak_ptr<const LoadedDriver>, std::less<>> by_request;
};

Registry& registry() {
    static Registry r;
    return r;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// load_driver with the registry locked. Returns nullptr when no directory holds the file.
std::shared_ptr<const LoadedDriver> find_named_locked(Registry& reg, std::string_view name,
                                                      const std::vector<std::filesystem::path>& dirs) {
    if (auto it = reg.by_name.find(name); it != reg.by_name.end())
        if (auto alive = it->second.lock()) return alive;
    const std::string file_name = driver_file_name(name);
    for (const auto& dir : dirs) {
        std::error_code ec;
        auto candidate = dir / file_name;
        if (!std::filesystem::is_regular_file(candidate, ec)) continue;
        auto loaded = load_driver_file(candidate, name);
        reg.by_name[std::string(name)] = loaded;
        return loaded;
    }
    return nullptr;
}

// The driver files of one directory, in name order (directory order is the file system's whim), with the
// driver name each file's name promises.
std::vector<std::pair<std::filesystem::path, std::string>> driver_files_in(const std::filesystem::path& dir) {
    const std::string prefix = "libmigrate-driver-";
    const std::string suffix = boost::dll::shared_library::suffix().string();
    std::vector<std::pair<std::filesystem::path, std::string>> out;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (file.size() <= prefix.size() + suffix.size() || !file.starts_with(prefix) || !file.ends_with(suffix))
            continue;
        std::error_code type_ec;
        if (!std::filesystem::is_regular_file(it->path(), type_ec)) continue;
        out.emplace_back(it->path(), file.substr(prefix.size(), file.size() - prefix.size() - suffix.size()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string describe(const SchemeRequest& request) {
    std::string out = "URL scheme '" + std::string(request.scheme) + "'";
    if (!request.transport.empty()) out += " over transport " + std::string(request.transport);
    return out;
}

}  // namespace

std::vector<std::pair<std::filesystem::path, std::string>> driver_files() {
    std::vector<std::pair<std::filesystem::path, std::string>> out;
    std::set<std::string> seen;
    for (const auto& dir : driver_search_path())
        for (auto& [file, name] : driver_files_in(dir))
            if (seen.insert(name).second) out.emplace_back(file, name);
    return out;
}

bool driver_serves(const migrate_driver_v1& api, std::string_view scheme, std::string_view transport) {
    if (!transport.empty() && (api.transport == nullptr || transport != api.transport)) return false;
    const std::string wanted = lower_ascii(scheme);
    for (auto s = api.schemes; s != nullptr && *s != nullptr; ++s)
        if (lower_ascii(*s) == wanted) return true;
    return false;
}

std::shared_ptr<const LoadedDriver> load_driver(std::string_view name) {
    auto& reg = registry();
    std::lock_guard lock(reg.mutex);
    auto dirs = driver_search_path();
    if (auto loaded = find_named_locked(reg, name, dirs)) return loaded;
    std::ostringstream msg;
    msg << "driver '" << name << "' not found: no " << driver_file_name(name) << " in";
    for (const auto& dir : dirs) msg << " " << quoted(dir);
    msg << " (set MIGRATE_DRIVER_PATH to the directory that holds it)";
    throw DriverLoadError(DriverLoadError::Reason::not_found, msg.str());
}

std::shared_ptr<const LoadedDriver> load_driver_for_scheme(const SchemeRequest& request) {
    using R = DriverLoadError::Reason;
    auto& reg = registry();
    std::lock_guard lock(reg.mutex);
    const std::string key = lower_ascii(request.scheme) + "\n" + std::string(request.transport);
    if (auto it = reg.by_request.find(key); it != reg.by_request.end())
        if (auto alive = it->second.lock()) return alive;
    auto dirs = driver_search_path();

    // The schemes the core knows have a conventional driver: loading it by name opens one file, where a
    // scan would dlopen every driver in the search path (each pulling in its client libraries) on every
    // start, the no-op start included. So a built-in scheme keeps working exactly as it did, and a file of
    // that name earlier in the search path still replaces the built-in driver. The scan is for schemes
    // only an added driver declares, and for an installation without the conventional driver.
    if (!request.conventional_name.empty()) {
        if (auto loaded = find_named_locked(reg, request.conventional_name, dirs)) {
            if (!driver_serves(*loaded->api, request.scheme, request.transport))
                throw DriverLoadError(R::incompatible, "driver " + quoted(loaded->file) + " does not declare " +
                                                           describe(request) + ", which libmigrate expects of '" +
                                                           std::string(request.conventional_name) + "'");
            reg.by_request[key] = loaded;
            return loaded;
        }
    }

    std::vector<std::string> failures;
    for (const auto& dir : dirs) {
        for (const auto& [file, name] : driver_files_in(dir)) {
            std::shared_ptr<const LoadedDriver> loaded;
            if (auto it = reg.by_name.find(name); it != reg.by_name.end()) loaded = it->second.lock();
            if (!loaded || loaded->file != file) {
                try {
                    loaded = load_driver_file(file, name);
                } catch (const DriverLoadError& e) {
                    failures.emplace_back(e.what());
                    continue;
                }
            }
            if (!driver_serves(*loaded->api, request.scheme, request.transport)) continue;
            reg.by_name[name] = loaded;
            reg.by_request[key] = loaded;
            return loaded;
        }
    }
    std::ostringstream msg;
    if (!request.conventional_name.empty())
        msg << "driver '" << request.conventional_name << "' not found (no "
            << driver_file_name(request.conventional_name) << ") and no other ";
    else
        msg << "no ";
    msg << "driver declares " << describe(request) << ": searched libmigrate-driver-*"
        << boost::dll::shared_library::suffix().string() << " in";
    for (const auto& dir : dirs) msg << " " << quoted(dir);
    if (!failures.empty()) {
        msg << "; files that could not be loaded:";
        for (const auto& f : failures) msg << " [" << f << "]";
    }
    msg << " (put the driver that declares '" << request.scheme << "' into a directory listed in MIGRATE_DRIVER_PATH)";
    throw DriverLoadError(R::not_found, msg.str());
}

}  // namespace migrate::plugins
