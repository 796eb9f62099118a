// migrate::run_at_startup: the one-call path for services (docs/embedding.md).
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/startup.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace testing;

TEST_CASE("run_at_startup applies, then finds nothing to do, and logs") {
    TempDir tmp("startup");
    copy_folder_prefix(corpus_folder("oi_billing"), tmp.path() / "drizzle", 5);
    ScratchDatabase db("startup");
    std::vector<std::string> lines;
    migrate::StartupOptions options;
    options.target.url = db.url();
    options.target.migrations_dir = tmp.path() / "drizzle";
    options.log = [&](migrate::StartupLogLevel, std::string_view line) { lines.emplace_back(line); };

    auto first = migrate::run_at_startup(options);
    INFO(first.error_message);
    REQUIRE(first.ok);
    CHECK(first.applied == 5);
    CHECK(first.pending_before == 5);
    CHECK_FALSE(first.error_code);
    CHECK(first.duration.count() > 0);
    REQUIRE(lines.size() >= 2);
    CHECK(lines.front().find("migrating ") == 0);
    CHECK(lines.front().find("migrate-local-pw") == std::string::npos);  // redacted
    CHECK(lines.back().find("applied 5 migration(s)") == 0);

    auto second = migrate::run_at_startup(options);
    CHECK(second.ok);
    CHECK(second.applied == 0);
    CHECK(lines.back().find("database up to date") == 0);
    CHECK(db.connect().scalar("select count(*) from __drizzle_migrations") == "5");
}

TEST_CASE("run_at_startup reports failures instead of throwing, unless asked") {
    migrate::StartupOptions options;
    options.target.url = "nonsense://x";
    options.target.migrations_dir = corpus_folder("oi_billing");
    migrate::StartupReport report;
    REQUIRE_NOTHROW(report = migrate::run_at_startup(options));
    CHECK_FALSE(report.ok);
    CHECK_FALSE(static_cast<bool>(report));
    REQUIRE(report.error_code);
    CHECK(*report.error_code == migrate::errc::url_invalid);
    CHECK_FALSE(report.validation_refused);
    CHECK_FALSE(report.error_message.empty());

    options.throw_on_error = true;
    try {
        migrate::run_at_startup(options);
        FAIL("no exception");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::url_invalid);
    }
}

TEST_CASE("run_at_startup on a refused run: fail or start anyway") {
    TempDir tmp("startup");
    const auto dir = tmp.path() / "drizzle";
    copy_folder_prefix(corpus_folder("oi_billing"), dir, 3);
    ScratchDatabase db("startup_refused");
    migrate::StartupOptions options;
    options.target.url = db.url();
    options.target.migrations_dir = dir;
    REQUIRE(migrate::run_at_startup(options).ok);
    // Edit an applied migration: validation refuses the next run (migration_changed).
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".sql") {
            std::ofstream(entry.path(), std::ios::app) << "\n-- edited after it was applied\n";
            break;
        }

    std::vector<std::string> logged;
    options.log = [&](migrate::StartupLogLevel, std::string_view line) { logged.emplace_back(line); };
    auto refused = migrate::run_at_startup(options);
    CHECK_FALSE(refused.ok);
    CHECK(refused.validation_refused);
    REQUIRE(refused.error_code);
    CHECK(*refused.error_code == migrate::errc::migration_changed);
    // The fix, as data and in a service's own terms (no CLI command or flag).
    CHECK(refused.context.fix == migrate::remedy::record_new_hash);
    REQUIRE_FALSE(logged.empty());
    CHECK_THAT(logged.back(), Catch::Contains("Fix: if the edit was deliberate, an operator records the new hash "
                                              "(Target::repair)") &&
                                  !Catch::Contains("migrate repair") && !Catch::Contains("--"));
    options.log = {};
    CHECK(migrate::is_validation_error(*refused.error_code));

    options.on_validation_error = migrate::OnValidationError::start_anyway;
    options.throw_on_error = true;  // a start_anyway refusal is not a failure: no throw
    migrate::StartupReport anyway;
    REQUIRE_NOTHROW(anyway = migrate::run_at_startup(options));
    CHECK(anyway.ok);
    CHECK(anyway.validation_refused);
    CHECK(anyway.applied == 0);
    CHECK(anyway.error_code == migrate::errc::migration_changed);
}
