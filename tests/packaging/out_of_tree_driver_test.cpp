// A driver built out of tree (examples/out-of-tree-driver) against an installed libmigrate, dropped into
// MIGRATE_DRIVER_PATH: the installed CLI picks it for the scheme it declares (loopback-mysql://, which the core
// does not know) and migrates a real database through it, and the installed conformance checker passes it.
#include "installed_tree.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace testing;
namespace fs = std::filesystem;

namespace {

ProcessResult run_logged(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    auto r = run_process(argv, env);
    UNSCOPED_INFO(argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << " -> " << r.exit_code << "\n"
                          << r.out << "\n"
                          << r.err);
    return r;
}

// mysql://user:pw@host:port/db → <scheme>://user:pw@host:port/db
std::string with_scheme(const std::string& url, const std::string& scheme) {
    return scheme + url.substr(url.find("://"));
}

}  // namespace

TEST_CASE("an out-of-tree driver declaring a new scheme is picked and passes the checker") {
    TempDir tmp("libmigrate-oot-driver");
    const fs::path prefix = tmp.path() / "prefix";
    REQUIRE(run_logged({MIGRATE_CMAKE_COMMAND, "--install", MIGRATE_BUILD_DIR, "--prefix", prefix.string()}, clean_env)
                .exit_code == 0);

    // Built with nothing but the installed package: libmigrate::driver_sdk and libmigrate_add_driver.
    const fs::path build = tmp.path() / "driver-build";
    std::vector<std::string> configure{MIGRATE_CMAKE_COMMAND,
                                       "-S",
                                       (fs::path(MIGRATE_SOURCE_DIR) / "examples/out-of-tree-driver").string(),
                                       "-B",
                                       build.string(),
                                       "-DCMAKE_CXX_COMPILER=" MIGRATE_CXX_COMPILER,
                                       "-DCMAKE_BUILD_TYPE=Release",
                                       "-DCMAKE_PREFIX_PATH=" + prefix.string()};
#ifdef MIGRATE_SANITIZE_FLAGS
    configure.push_back("-DCMAKE_CXX_FLAGS=" MIGRATE_SANITIZE_FLAGS);
    configure.push_back("-DCMAKE_MODULE_LINKER_FLAGS=" MIGRATE_SANITIZE_FLAGS);
#endif
    REQUIRE(run_logged(configure, clean_env).exit_code == 0);
    REQUIRE(run_logged({MIGRATE_CMAKE_COMMAND, "--build", build.string(), "-j2"}, clean_env).exit_code == 0);
    const fs::path driver = build / "libmigrate-driver-loopback-mysql.so";
    REQUIRE(fs::exists(driver));

    auto env = clean_env;
    env["MIGRATE_DRIVER_PATH"] = build.string();
    const std::string migrate = (prefix / "bin/migrate").string();
    ScratchDatabase db("oot");
    const std::string url = with_scheme(db.url(), "loopback-mysql");
    const auto folder = corpus_folder("oi_billing");
    const auto entries = std::to_string(journal_size(folder));

    SECTION("the CLI picks it by its scheme") {
        auto version = run_logged({migrate, "version"}, env);
        CHECK(version.exit_code == 0);
        CHECK_THAT(version.out, Catch::Contains("loopback-mysql") && Catch::Contains(driver.string()));

        auto status = run_logged({migrate, "status", "--no-baseline", "--url", url, "--dir", folder.string()}, env);
        CHECK(status.exit_code == 0);
        CHECK_THAT(status.out, Catch::Contains("transport  tcp, driver loopback-mysql 0.1.0"));
        auto up = run_logged({migrate, "up", "--no-baseline", "--url", url, "--dir", folder.string()}, env);
        CHECK(up.exit_code == 0);
        CHECK(db.connect().scalar("select count(*) from __drizzle_migrations") == entries);
        CHECK(run_logged({migrate, "status", "--no-baseline", "--url", url, "--dir", folder.string()}, env).exit_code ==
              0);
    }
    SECTION("the conformance checker passes it") {
        auto check = run_logged({(prefix / "bin/migrate-driver-check").string(), driver.string(), url}, env);
        CHECK(check.exit_code == 0);
        CHECK_THAT(check.out, Catch::Contains("all checks passed") && !Catch::Contains("FAIL"));
    }
    SECTION("without it in the search path the scheme is not served, and the error says where to put it") {
        auto status =
            run_logged({migrate, "status", "--no-baseline", "--url", url, "--dir", folder.string()}, clean_env);
        CHECK(status.exit_code == 4);  // driver_not_found, like a missing built-in driver
        CHECK_THAT(status.err, Catch::Contains("no driver declares URL scheme 'loopback-mysql'") &&
                                   Catch::Contains("MIGRATE_DRIVER_PATH") && Catch::Contains(prefix.string()));
        CHECK_THAT(status.err, !Catch::Contains("migrate-local-pw"));
    }
}
