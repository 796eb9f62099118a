#include "driver_loader.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <cstdlib>
#include <filesystem>

using migrate::plugins::DriverLoadError;
using Reason = DriverLoadError::Reason;

namespace {

struct DriverPath {
    explicit DriverPath(const std::string& dirs) { ::setenv("MIGRATE_DRIVER_PATH", dirs.c_str(), 1); }
    ~DriverPath() { ::unsetenv("MIGRATE_DRIVER_PATH"); }
};

template <class F>
DriverLoadError load_error(F&& f) {
    try {
        f();
    } catch (const DriverLoadError& e) {
        return e;
    }
    FAIL("expected DriverLoadError");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("MIGRATE_DRIVER_PATH is searched first, in order") {
    DriverPath env("/nonexistent/a::/nonexistent/b");
    auto dirs = migrate::plugins::driver_search_path();
    REQUIRE(dirs.size() >= 3);
    CHECK(dirs[0] == "/nonexistent/a");
    CHECK(dirs[1] == "/nonexistent/b");
}

TEST_CASE("a driver built for another ABI version is refused, naming the file and both versions") {
    DriverPath env(MIGRATE_BAD_DRIVER_DIR);
    auto e = load_error([] { migrate::plugins::load_driver("badabi"); });
    CHECK(e.reason() == Reason::incompatible);
    std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("libmigrate-driver-badabi.so"));
    CHECK_THAT(msg, Catch::Contains("ABI version 999"));
    CHECK_THAT(msg, Catch::Contains("speaks version 1"));
}

TEST_CASE("a driver whose struct is smaller than version 1 is refused") {
    DriverPath env(MIGRATE_BAD_DRIVER_DIR);
    auto e = load_error([] { migrate::plugins::load_driver("smallstruct"); });
    CHECK(e.reason() == Reason::incompatible);
    CHECK_THAT(std::string(e.what()), Catch::Contains("struct_size 16"));
}

TEST_CASE("a driver that calls itself by another name is refused") {
    DriverPath env(MIGRATE_BAD_DRIVER_DIR);
    auto e = load_error([] { migrate::plugins::load_driver("wrongname"); });
    CHECK(e.reason() == Reason::incompatible);
    CHECK_THAT(std::string(e.what()), Catch::Contains("'someone-else'"));
}

TEST_CASE("a library without the entry point is not a driver") {
    DriverPath env(MIGRATE_BAD_DRIVER_DIR);
    auto e = load_error([] { migrate::plugins::load_driver("noentry"); });
    CHECK(e.reason() == Reason::incompatible);
    CHECK_THAT(std::string(e.what()), Catch::Contains("does not export migrate_driver_entry"));
}

TEST_CASE("a file that is not a shared library is reported as broken with the loader's reason") {
    testing::TempDir dir;
    testing::write_file(dir.path() / migrate::plugins::driver_file_name("garbage"), "this is not an ELF file\n");
    DriverPath env(dir.path().string());
    auto e = load_error([] { migrate::plugins::load_driver("garbage"); });
    CHECK(e.reason() == Reason::broken);
    std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("libmigrate-driver-garbage.so"));
    CHECK_THAT(msg, Catch::Contains("could not be loaded"));
    CHECK_THAT(msg, Catch::Contains("invalid ELF header") || Catch::Contains("file too short"));
}

TEST_CASE("a missing driver lists every directory searched") {
    DriverPath env("/nonexistent/drivers-here");
    auto e = load_error([] { migrate::plugins::load_driver("does-not-exist"); });
    CHECK(e.reason() == Reason::not_found);
    std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("libmigrate-driver-does-not-exist.so"));
    CHECK_THAT(msg, Catch::Contains("'/nonexistent/drivers-here'"));
    CHECK_THAT(msg, Catch::Contains("MIGRATE_DRIVER_PATH"));
}

// Unloading a driver also unloaded Connector/C, losing its once-only global state (a leak per cycle,
// found by LeakSanitizer): a driver stays mapped after its last user lets go.
TEST_CASE("a driver stays loaded after its last user lets go") {
    DriverPath env(MIGRATE_DRIVER_DIR);
    const auto file = std::filesystem::path(MIGRATE_DRIVER_DIR) / migrate::plugins::driver_file_name("mysql2-like");
    auto driver = migrate::plugins::load_driver("mysql2-like");
    REQUIRE(driver->file == file);
    driver.reset();
    // RTLD_NOLOAD: a handle only if the library is still mapped (it takes a reference, given back at once).
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
    CHECK(handle != nullptr);
    if (handle) ::dlclose(handle);
}

TEST_CASE("a scheme the core does not know is served by the first driver declaring it") {
    // The bad drivers sort around it (badabi before, noentry and the rest after): the scan goes past files
    // that fail to load and finds it anyway.
    DriverPath env(std::string(MIGRATE_BAD_DRIVER_DIR) + ":" + MIGRATE_DRIVER_DIR);
    auto driver =
        migrate::plugins::load_driver_for_scheme({.scheme = "new-scheme", .transport = "", .conventional_name = ""});
    CHECK(std::string(driver->api->name) == "newscheme");
    CHECK(driver->file ==
          std::filesystem::path(MIGRATE_BAD_DRIVER_DIR) / migrate::plugins::driver_file_name("newscheme"));
    // Schemes match without regard to case (RFC 3986), whatever case the asker uses.
    CHECK(migrate::plugins::load_driver_for_scheme(
              {.scheme = "OTHER-Scheme", .transport = "tcp", .conventional_name = ""})
              ->api == driver->api);
    // The transport must match when the URL settled one.
    auto e = load_error([] {
        migrate::plugins::load_driver_for_scheme(
            {.scheme = "new-scheme", .transport = "http", .conventional_name = ""});
    });
    CHECK(e.reason() == Reason::not_found);
}

TEST_CASE("a scheme no driver declares names the scheme, every directory and the files that failed") {
    DriverPath env(std::string(MIGRATE_BAD_DRIVER_DIR) + ":/nonexistent/drivers-here");
    auto e = load_error([] {
        migrate::plugins::load_driver_for_scheme({.scheme = "nosuch", .transport = "", .conventional_name = ""});
    });
    CHECK(e.reason() == Reason::not_found);
    std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains("no driver declares URL scheme 'nosuch'"));
    CHECK_THAT(msg, Catch::Contains("'" MIGRATE_BAD_DRIVER_DIR "'") && Catch::Contains("'/nonexistent/drivers-here'"));
    CHECK_THAT(msg, Catch::Contains("libmigrate-driver-badabi.so") && Catch::Contains("ABI version 999"));
    CHECK_THAT(msg, Catch::Contains("libmigrate-driver-noentry.so") && Catch::Contains("someone-else"));
    CHECK_THAT(msg, Catch::Contains("MIGRATE_DRIVER_PATH"));
}

TEST_CASE("a built-in scheme loads its conventional driver by name, which must declare it") {
    DriverPath env(MIGRATE_DRIVER_DIR);
    auto driver = migrate::plugins::load_driver_for_scheme(
        {.scheme = "mysql", .transport = "tcp", .conventional_name = "mysql2-like"});
    CHECK(std::string(driver->api->name) == "mysql2-like");
    // mysql2-like is tcp only: asked for http under its name, it is refused rather than used.
    auto e = load_error([] {
        migrate::plugins::load_driver_for_scheme(
            {.scheme = "mysql", .transport = "http", .conventional_name = "mysql2-like"});
    });
    CHECK(e.reason() == Reason::incompatible);
    CHECK_THAT(std::string(e.what()), Catch::Contains("does not declare URL scheme 'mysql' over transport http"));
}
